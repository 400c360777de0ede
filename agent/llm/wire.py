"""The drafting call's wire schema: `DraftProse` with lists instead of maps.

OpenAI's strict structured outputs (``json_schema``) accept no free-form maps
(``additionalProperties`` must be false), so the LLM fills lists of keyed entries
and code turns them into the `DraftProse` the rest of the agent uses.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from playbook.agent.llm.schemas import DraftProse

_FIELDS = DraftProse.model_fields


class KeyedAnswer(BaseModel):
    """One objection answer, by objection key."""

    key: str = Field(description="an objection key from the OBJECTIONS list")
    answer: str = Field(description="2-4 sentences, the last one a question ending in '?'")


class WeekNote(BaseModel):
    """A short account-specific note for one calendar week."""

    week: int = Field(description="calendar week number, 1-13")
    note: str


class DraftProseOut(BaseModel):
    """The prose the LLM writes around the decided facts (strict-schema friendly)."""

    offer_rationale: str = Field(description=_FIELDS["offer_rationale"].description)
    why_now: str = Field(description=_FIELDS["why_now"].description)
    script: str = Field(description=_FIELDS["script"].description)
    objection_answers: list[KeyedAnswer] = Field(
        description="one answer per objection key given in the prompt; each 2-4 sentences "
        "ending with a question; use only numbers present in the facts"
    )
    calendar_notes: list[WeekNote] = Field(description=_FIELDS["calendar_notes"].description)
    citations: list[str] = Field(description=_FIELDS["citations"].description)

    def to_prose(self) -> DraftProse:
        """Return the same content as a `DraftProse` (later entries win on repeated keys)."""
        return DraftProse(
            offer_rationale=self.offer_rationale,
            why_now=self.why_now,
            script=self.script,
            objection_answers={a.key: a.answer for a in self.objection_answers},
            calendar_notes={n.week: n.note for n in self.calendar_notes},
            citations=list(self.citations),
        )

    @classmethod
    def from_prose(cls, prose: DraftProse) -> DraftProseOut:
        """Return the wire form of a `DraftProse` (to show a previous draft to the LLM)."""
        return cls(
            offer_rationale=prose.offer_rationale,
            why_now=prose.why_now,
            script=prose.script,
            objection_answers=[
                KeyedAnswer(key=k, answer=v) for k, v in prose.objection_answers.items()
            ],
            calendar_notes=[WeekNote(week=w, note=n) for w, n in prose.calendar_notes.items()],
            citations=list(prose.citations),
        )
