"""Evidence as structured data: what a decision rests on, never a sentence to parse back.

Each kind says what it is: a field and its value (text, number, list or date), a
comparison of two fields (used of capacity, now vs at purchase), a verbatim quote
from the notes (with what was read from it), or an observation the rules made.
Audiences format it once each: `tools.evidence_text` for tables and the contract's
JSON strings, the drafter for prose. ``numbers``, ``dates`` and ``texts`` give the
rubric what the evidence grounds.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import Field

from playbook.tools.models.base import Record
from playbook.tools.vocab import Source

CountUnit = Literal["seats", "volume", "users", "departments", "people", "employees"]
NumberUnit = Literal["score", "count", "logins", "percent"]
DatedBy = Literal["header", "explicit", "relative", "notes_date"]


def _num(value: float) -> Decimal:
    return Decimal(str(int(value))) if float(value).is_integer() else Decimal(str(value))


class TextField(Record):
    """A free-text column value, e.g. ``positive_outcome`` (and its date, when dated)."""

    kind: Literal["text"] = "text"
    source: Source = "data"
    field: str
    text: str
    date_field: str | None = None
    day: dt.date | None = None
    days_ago: int | None = None

    def numbers(self) -> set[Decimal]:
        """Numbers this evidence grounds."""
        return {Decimal(self.days_ago)} if self.days_ago is not None else set()

    def dates(self) -> set[dt.date]:
        """Dates this evidence grounds."""
        return {self.day} if self.day else set()

    def texts(self) -> tuple[str, ...]:
        """Free text of the account this evidence carries (quotes, values)."""
        return (self.text,)


class NumberField(Record):
    """A numeric column value, e.g. ``nps=9`` dated by ``nps_date``, or ``logins_per_month=2``."""

    kind: Literal["number"] = "number"
    source: Source = "data"
    field: str
    number: float
    unit: NumberUnit = "count"
    date_field: str | None = None
    day: dt.date | None = None
    days_ago: int | None = None

    def numbers(self) -> set[Decimal]:
        """Numbers this evidence grounds."""
        found = {_num(self.number)}
        if self.days_ago is not None:
            found.add(Decimal(self.days_ago))
        return found

    def dates(self) -> set[dt.date]:
        """Dates this evidence grounds."""
        return {self.day} if self.day else set()

    def texts(self) -> tuple[str, ...]:
        """Free text of the account this evidence carries (none)."""
        return ()


class ListField(Record):
    """A `;`-separated column, e.g. the features asked for."""

    kind: Literal["list"] = "list"
    source: Source = "data"
    field: str
    items: list[str]

    def numbers(self) -> set[Decimal]:
        """Numbers this evidence grounds (none beyond its texts)."""
        return set()

    def dates(self) -> set[dt.date]:
        """Dates this evidence grounds."""
        return set()

    def texts(self) -> tuple[str, ...]:
        """Return the items."""
        return tuple(self.items)


class DateField(Record):
    """A date column and its distance from the as-of date, e.g. the renewal 66 days away."""

    kind: Literal["date"] = "date"
    source: Source = "data"
    field: str
    day: dt.date
    days: int = Field(description="days from the as-of date to `day` (negative: in the past)")

    def numbers(self) -> set[Decimal]:
        """Numbers this evidence grounds."""
        return {Decimal(abs(self.days))}

    def dates(self) -> set[dt.date]:
        """Dates this evidence grounds."""
        return {self.day}

    def texts(self) -> tuple[str, ...]:
        """Free text of the account this evidence carries (none)."""
        return ()


class Comparison(Record):
    """Two columns compared: used ``of`` capacity, now ``vs`` at purchase, users ``over`` seats.

    ``adoption`` is active users of purchased seats, read as the share adopted.
    """

    kind: Literal["comparison"] = "comparison"
    source: Source = "data"
    field: str
    value: float
    other_field: str
    other: float
    relation: Literal["of", "vs", "over", "adoption"]
    unit: CountUnit

    @property
    def ratio(self) -> float:
        """``value / other`` (0 when ``other`` is 0)."""
        return self.value / self.other if self.other else 0.0

    def numbers(self) -> set[Decimal]:
        """Numbers this evidence grounds (both values and, for ratios, the percentage)."""
        found = {_num(self.value), _num(self.other)}
        if self.relation in ("of", "adoption") and self.other:
            pct = self.ratio * 100
            found |= {Decimal(round(pct)), Decimal(f"{pct:.1f}")}
        if self.relation == "over":
            found.add(_num(self.value - self.other))
        return found

    def dates(self) -> set[dt.date]:
        """Dates this evidence grounds."""
        return set()

    def texts(self) -> tuple[str, ...]:
        """Free text of the account this evidence carries (none)."""
        return ()


class QuotedUsage(Record):
    """A capacity reading taken from a note: used of capacity (or only the ratio)."""

    used: float
    capacity: float
    ratio_only: bool = Field(default=False, description="the note gave a share, not counts")

    @property
    def ratio(self) -> float:
        """Used over capacity."""
        return self.used / self.capacity if self.capacity else 0.0


class QuotedDate(Record):
    """A date read from a note (e.g. the renewal) and its distance from the as-of date."""

    day: dt.date
    days: int


class NoteQuote(Record):
    """A verbatim quote from the notes, dated when the notes date it."""

    kind: Literal["quote"] = "quote"
    source: Source = "notes"
    quote: str
    date: dt.date | None = None
    dated_by: DatedBy | None = None
    usage: QuotedUsage | None = None
    renewal: QuotedDate | None = None

    def numbers(self) -> set[Decimal]:
        """Numbers this evidence grounds: what was read from the quote (the quote is text)."""
        found: set[Decimal] = set()
        if self.usage is not None:
            pct = self.usage.ratio * 100
            found |= {Decimal(round(pct)), Decimal(f"{pct:.1f}")}
            if not self.usage.ratio_only:
                found |= {_num(self.usage.used), _num(self.usage.capacity)}
        if self.renewal is not None:
            found.add(Decimal(abs(self.renewal.days)))
        return found

    def dates(self) -> set[dt.date]:
        """Dates this evidence grounds."""
        found = {self.date} if self.date else set()
        if self.renewal is not None:
            found.add(self.renewal.day)
        return found

    def texts(self) -> tuple[str, ...]:
        """Return the quote."""
        return (self.quote,)


class Topic(StrEnum):
    """What a rule observed that is not one field's value."""

    PLAN_CEILING = "plan_ceiling"
    INTERNAL_PACE = "internal_pace"
    NEED_IN_NOTES = "need_in_notes"
    ITEM_HAS_FEATURES = "item_has_features"
    ITEM_ANSWERS_NEED = "item_answers_need"
    FEATURES_ASKED = "features_asked"
    RENEWAL_IN = "renewal_in"


class Observation(Record):
    """Something a rule observed: a ceiling in the notes, a catalog item matching a need..."""

    kind: Literal["observation"] = "observation"
    source: Source = "data"
    topic: Topic
    item: str | None = Field(default=None, description="the catalog item it concerns")
    items: list[str] = Field(default_factory=list, description="features or needs named")
    days: int | None = None

    def numbers(self) -> set[Decimal]:
        """Numbers this evidence grounds."""
        return {Decimal(self.days)} if self.days is not None else set()

    def dates(self) -> set[dt.date]:
        """Dates this evidence grounds."""
        return set()

    def texts(self) -> tuple[str, ...]:
        """Return the features or needs named."""
        return tuple(self.items)


class QuarterEnd(Record):
    """The opening falls in the seller's last 10 days of a fiscal quarter and moves."""

    kind: Literal["quarter_end"] = "quarter_end"
    source: Source = "data"
    opening: dt.date
    quarter_end: dt.date
    moved_to: dt.date

    def numbers(self) -> set[Decimal]:
        """Numbers this evidence grounds."""
        return {Decimal(10)}

    def dates(self) -> set[dt.date]:
        """Dates this evidence grounds."""
        return {self.opening, self.quarter_end, self.moved_to}

    def texts(self) -> tuple[str, ...]:
        """Free text of the account this evidence carries (none)."""
        return ()


Evidence = Annotated[
    TextField
    | NumberField
    | ListField
    | DateField
    | Comparison
    | NoteQuote
    | Observation
    | QuarterEnd,
    Field(discriminator="kind"),
]
"""One piece of evidence, of any kind."""
