"""The brief: the decided facts plus the six deliverables a drafter writes around them.

Decided facts live in `Assessment` and are copied into the brief by code; the prose
fields here are what a drafter (offline or LLM) writes.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field

from playbook.tools.models.assessment import Assessment, CalendarStep
from playbook.tools.vocab import Section

Origin = Literal["offline", "llm", "fallback"]


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


class CalendarWeek(CalendarStep):
    """Deliverable 6: one dated week of the 90-day plan, with a note for this account."""

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
    provenance: dict[Section, Origin] = Field(default_factory=dict)
    mode: str = "offline"

    def sections(self) -> dict[str, object]:
        """Return the contract's `sections` object."""
        return {
            Section.OFFER_MAP: self.offer_map.model_dump(mode="json"),
            Section.TRIGGER_LOG: self.trigger_log.model_dump(mode="json"),
            Section.SCRIPT: self.script.model_dump(mode="json"),
            Section.OBJECTIONS: [o.model_dump(mode="json") for o in self.objections],
            Section.CALENDAR: [w.model_dump(mode="json") for w in self.calendar],
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
