"""The brief and the LLM's structured outputs.

Decided facts live in `Assessment` (tools/models.py) and are copied into the
brief by code; the prose fields here are what a drafter (offline or LLM)
writes. Field descriptions double as the LLM's instructions.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from playbook.tools.models import Assessment
from pydantic import BaseModel, Field

Origin = Literal["offline", "llm", "fallback"]
COMMON_OBJECTIONS: dict[str, str] = {
    "not_ready": "We're not ready to expand right now.",
    "budget": "We'd need to get budget approved.",
    "more_value": "We need to see more value from what we have first.",
    "happy": "We're happy with what we have.",
}


class Citation(BaseModel):
    """A knowledge-base chunk a paragraph rests on."""

    chunk_id: str
    title: str


class OfferMapEntry(BaseModel):
    """Deliverable 2: the one offer and why it fits (or what to do first when held)."""

    offer_type: str | None = Field(description="decided by code; copy, never change")
    item: str | None = Field(description="decided by code; copy, never change")
    rationale: str = Field(
        description="2-4 sentences: why this one offer fits, naming the evidence"
    )
    evidence: list[str] = Field(default_factory=list)
    held: bool = Field(default=False, description="true when a gate or the tier holds the pitch")
    first_steps: str | None = Field(default=None, description="what to do first when held")
    citations: list[str] = Field(default_factory=list)


class TriggerLogEntry(BaseModel):
    """Deliverable 3: the most recent trigger, its evidence and date."""

    trigger_type: str | None
    date: dt.date | None
    evidence: str | None
    why_now: str = Field(description="one sentence on why this is the moment to open")


class Script(BaseModel):
    """Deliverable 4: the tailored opening (or, when gated, a no-pitch conversation)."""

    kind: str = Field(description="trigger type it opens on, or the gated plan kind")
    text: str = Field(description="the opening, at most 160 words")
    citations: list[str] = Field(default_factory=list)


class ObjectionAnswer(BaseModel):
    """Deliverable 5: one objection and the answer to it."""

    key: str = Field(description="not_ready | budget | more_value | happy | concern:<kind>")
    objection: str
    answer: str = Field(description="2-4 sentences, ending with a question")
    source_quote: str | None = Field(default=None, description="the notes quote it answers")
    citations: list[str] = Field(default_factory=list)


class CalendarWeek(BaseModel):
    """Deliverable 6: one dated week of the 90-day plan."""

    week: int
    start: dt.date
    end: dt.date
    phase: str
    action: str
    milestone: str | None = None
    milestone_date: dt.date | None = None
    note: str | None = Field(default=None, description="account-specific note for this week")


class GuidanceNote(BaseModel):
    """A retrieved playbook paragraph, cited by id."""

    chunk_id: str
    title: str
    text: str


class Brief(BaseModel):
    """One account's full brief: decided facts plus the six deliverables."""

    facts: Assessment
    summary: str
    offer_map: OfferMapEntry
    trigger_log: TriggerLogEntry
    script: Script
    objections: list[ObjectionAnswer]
    calendar: list[CalendarWeek]
    guidance: list[GuidanceNote] = Field(default_factory=list)
    provenance: dict[str, Origin] = Field(default_factory=dict)
    mode: str = "offline"

    def sections(self) -> dict[str, object]:
        """Return the contract's `sections` object."""
        return {
            "offer_map": self.offer_map.model_dump(mode="json"),
            "trigger_log": self.trigger_log.model_dump(mode="json"),
            "script": self.script.model_dump(mode="json"),
            "objections": [o.model_dump(mode="json") for o in self.objections],
            "calendar": [w.model_dump(mode="json") for w in self.calendar],
        }

    def contract_dict(self) -> dict[str, object]:
        """Return the contract's brief JSON: the scoring object plus `sections`."""
        data: dict[str, object] = self.facts.model_dump(mode="json", exclude={"calendar"})
        data["sections"] = self.sections()
        data["summary"] = self.summary
        data["guidance"] = [g.model_dump(mode="json") for g in self.guidance]
        data["provenance"] = dict(self.provenance)
        data["mode"] = self.mode
        return data


class DraftProse(BaseModel):
    """What the LLM writes around the decided facts (its structured output)."""

    offer_rationale: str = Field(
        description="2-4 sentences on why the decided offer fits, naming the decided evidence "
        "with its exact numbers and dates. If the offer is held, say what to do first instead."
    )
    why_now: str = Field(
        description="one sentence on why the decided trigger makes this the moment"
    )
    script: str = Field(
        description="The opening in the CSM's voice, at most 160 words: greet the contact by "
        "first name, name the specific evidence (its number, milestone or news) exactly as "
        "given, connect it to the one decided offer's benefit, and ask for a specific 20-30 "
        "minute conversation. No pressure, no quarter-end urgency, no discount. If the account "
        "is gated, no pitch at all."
    )
    objection_answers: dict[str, str] = Field(
        description="answer per objection key given in the prompt; each 2-4 sentences ending with "
        "a question; use only numbers present in the facts"
    )
    calendar_notes: dict[int, str] = Field(
        default_factory=dict, description="optional short account-specific note per week number"
    )
    citations: list[str] = Field(
        description="ids of the guidance chunks the prose relies on (from the list given)"
    )


class ExtractedSignal(BaseModel):
    """One thing the LLM found in the notes, with a verbatim quote."""

    category: Literal["signal", "gate", "trigger", "concern", "fact"]
    name: str = Field(description="one of the allowed names listed in the prompt")
    quote: str = Field(description="the exact words from the notes, copied verbatim")
    date: dt.date | None = Field(default=None, description="the date the notes give, if any")
    value: str | None = Field(default=None, description="a number or date it states, if any")


class Extraction(BaseModel):
    """The LLM extractor's structured output."""

    findings: list[ExtractedSignal]
