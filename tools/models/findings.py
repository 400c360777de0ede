"""What free notes say, as findings: each rests on a verbatim quote and a date when known."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import Field

from playbook.tools.models.base import Record
from playbook.tools.models.evidence import DatedBy

FindingCategory = Literal["signal", "gate", "trigger", "concern", "fact"]


class NoteFinding(Record):
    """One thing found in free notes, always with the verbatim quote it rests on.

    `name` is a SignalName, GateName, TriggerType or ConcernKind value, or for
    category "fact" one of: usage_ratio (values: used, capacity, ratio),
    nps (values: nps), renewal_date (values: dt.date), logins_per_month
    (values: logins), positive_feedback.
    """

    category: FindingCategory
    name: str
    quote: str = Field(description="exact substring of the notes")
    date: dt.date | None = None
    dated_by: DatedBy | None = None
    values: dict[str, Any] = Field(default_factory=dict)
    origin: Literal["rules", "llm"] = "rules"


class NoteFindings(Record):
    """Everything the notes say, as findings."""

    findings: list[NoteFinding] = Field(default_factory=list)

    def of(self, category: FindingCategory, name: str | None = None) -> list[NoteFinding]:
        """Return the findings of one category (and name)."""
        return [
            f for f in self.findings if f.category == category and (name is None or f.name == name)
        ]
