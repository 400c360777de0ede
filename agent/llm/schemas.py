"""What the LLM returns: pydantic models whose field descriptions are its instructions."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field


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
