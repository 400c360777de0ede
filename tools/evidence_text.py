"""Evidence as text for two audiences: the contract's JSON strings and people's tables.

``contract_text`` is the machine-shaped string of the outside contract
(``seats_used=26 of seats_purchased=30 (87%)``); ``plain_text`` is what a CSM reads
in a table (``26 of 30 seats in use (87%)``). Prose for the customer is the
drafter's job. Both read the structured evidence; neither parses a sentence.
"""

from __future__ import annotations

import datetime as dt
from typing import assert_never

from playbook.tools.formatting import fmt_day, fmt_num, fmt_pct
from playbook.tools.models.evidence import (
    Comparison,
    CountUnit,
    DateField,
    Evidence,
    ListField,
    NoteQuote,
    NumberField,
    Observation,
    QuarterEnd,
    TextField,
    Topic,
)

__all__ = ["contract_text", "plain_text"]

_GROUPED_UNITS: frozenset[CountUnit] = frozenset({"volume", "employees"})

_TOPIC_TEXT: dict[Topic, str] = {
    Topic.PLAN_CEILING: "notes mention a plan ceiling or workaround",
    Topic.INTERNAL_PACE: "notes show frustration with the internal pace",
    Topic.NEED_IN_NOTES: "the adjacent need appears in their own notes",
}


def _count(value: float, unit: CountUnit) -> str:
    """Format a count as the contract does: grouped thousands for volumes and head counts."""
    return fmt_num(value) if unit in _GROUPED_UNITS else fmt_num(value).replace(",", "")


def _observation(ev: Observation) -> str:
    named = "; ".join(ev.items)
    match ev.topic:
        case Topic.ITEM_HAS_FEATURES:
            return f"{ev.item} includes what they asked for: {named}"
        case Topic.ITEM_ANSWERS_NEED:
            return f"{ev.item} answers what they named: {named}"
        case Topic.FEATURES_ASKED:
            return f"feature requests: {named}"
        case Topic.RENEWAL_IN:
            return f"renewal in {ev.days} days"
        case Topic.PLAN_CEILING | Topic.INTERNAL_PACE | Topic.NEED_IN_NOTES:
            return _TOPIC_TEXT[ev.topic]
        case _:
            assert_never(ev.topic)


def _dated(field: str | None, ev: TextField | NumberField) -> str:
    if field is None or ev.day is None:
        return ""
    return f" ({field}={ev.day.isoformat()}, {ev.days_ago} days ago)"


def _away(days: int) -> str:
    return f"{days} days away" if days >= 0 else f"{-days} days ago"


def contract_text(ev: Evidence) -> str:
    """Return the contract's evidence string (``nps=9 (nps_date=2026-11-20, 12 days ago)``)."""
    if isinstance(ev, TextField):
        return f"{ev.field}={ev.text}{_dated(ev.date_field, ev)}"
    if isinstance(ev, NumberField):
        pct = "%" if ev.unit == "percent" else ""
        return f"{ev.field}={fmt_num(ev.number)}{pct}{_dated(ev.date_field, ev)}"
    if isinstance(ev, ListField):
        return f"{ev.field}=" + "; ".join(ev.items)
    if isinstance(ev, DateField):
        return f"{ev.field}={ev.day.isoformat()} ({_away(ev.days)})"
    if isinstance(ev, Comparison):
        a = f"{ev.field}={_count(ev.value, ev.unit)}"
        b = f"{ev.other_field}={_count(ev.other, ev.unit)}"
        match ev.relation:
            case "of":
                return f"{a} of {b} ({fmt_pct(ev.ratio)})"
            case "vs":
                return f"{a} vs {b}"
            case "over":
                return f"{a} > {b} (at least two people share a seat)"
            case "adoption":
                return f"{a} of {b} ({round(ev.ratio * 100)}% adopted)"
    if isinstance(ev, NoteQuote):
        text = f'notes: "{ev.quote}"'
        if ev.usage is not None:
            text += f" ({fmt_pct(ev.usage.ratio)})"
        if ev.renewal is not None:
            text += f" renewal {ev.renewal.day.isoformat()} ({_away(ev.renewal.days)})"
        if ev.date is not None:
            text += f", {ev.date.isoformat()}" + (f" ({ev.dated_by})" if ev.dated_by else "")
        return text
    if isinstance(ev, Observation):
        return _observation(ev)
    if isinstance(ev, QuarterEnd):
        return (
            f"opening {ev.opening.isoformat()} falls in the last 10 days of the fiscal quarter "
            f"ending {ev.quarter_end.isoformat()}; moved to {ev.moved_to.isoformat()}"
        )
    assert_never(ev)


_FIELD_TITLES: dict[str, str] = {
    "positive_outcome": "Reported win",
    "new_initiative": "New initiative",
    "relationship_status": "Relationship status",
    "feature_requests": "Asked for",
    "renewal_date": "Renewal",
    "last_contact_date": "Last contact",
}
_NUMBER_PHRASES: dict[str, str] = {
    "nps": "NPS {n}",
    "open_tickets_high": "{n} open high-severity ticket(s)",
    "logins_per_month": "{n} logins a month",
    "company_revenue_growth_pct": "company revenue up {n}% since purchase",
}
_UNIT_WORDS: dict[CountUnit, str] = {
    "seats": "seats",
    "volume": "of the usage limit",
    "users": "seats",
    "departments": "departments",
    "people": "people on the team",
    "employees": "employees",
}


def _when(day: dt.date | None, days_ago: int | None) -> str:
    if day is None:
        return ""
    ago = f", {days_ago} days ago" if days_ago is not None else ""
    return f" ({fmt_day(day)}{ago})"


def _plain_comparison(ev: Comparison) -> str:
    a, b = fmt_num(ev.value), fmt_num(ev.other)
    match ev.relation:
        case "of" if ev.unit == "volume":
            return f"{a} of the {b} usage limit ({fmt_pct(ev.ratio)})"
        case "of":
            return f"{a} of {b} {_UNIT_WORDS[ev.unit]} in use ({fmt_pct(ev.ratio)})"
        case "vs":
            return f"{a} {_UNIT_WORDS[ev.unit]} now, {b} at purchase"
        case "over":
            return f"{a} active users on {b} paid seats"
        case "adoption":
            return f"{a} of {b} seats active ({round(ev.ratio * 100)}% adopted)"


def plain_text(ev: Evidence) -> str:
    """Return the evidence as a CSM reads it in a table (``26 of 30 seats in use (87%)``)."""
    if isinstance(ev, TextField):
        title = _FIELD_TITLES.get(ev.field, ev.field.replace("_", " ").capitalize())
        return f"{title}: {ev.text}{_when(ev.day, ev.days_ago)}"
    if isinstance(ev, NumberField):
        phrase = _NUMBER_PHRASES.get(ev.field, ev.field.replace("_", " ") + " {n}")
        return phrase.format(n=fmt_num(ev.number)) + _when(ev.day, ev.days_ago)
    if isinstance(ev, ListField):
        return f"{_FIELD_TITLES.get(ev.field, ev.field)}: " + ", ".join(ev.items)
    if isinstance(ev, DateField):
        title = _FIELD_TITLES.get(ev.field, ev.field.replace("_", " ").capitalize())
        return f"{title} {fmt_day(ev.day)} ({_away(ev.days)})"
    if isinstance(ev, Comparison):
        return _plain_comparison(ev)
    if isinstance(ev, NoteQuote):
        read = f" ({fmt_pct(ev.usage.ratio)})" if ev.usage is not None else ""
        if ev.renewal is not None:
            read = f" (renewal {fmt_day(ev.renewal.day)}, {_away(ev.renewal.days)})"
        when = f", notes of {fmt_day(ev.date)}" if ev.date else ", undated note"
        return f'"{ev.quote}"{read}{when}'
    if isinstance(ev, Observation):
        text = _observation(ev).replace("; ", ", ")
        return text[:1].upper() + text[1:]
    if isinstance(ev, QuarterEnd):
        return (
            f"Opening on {fmt_day(ev.opening)} falls in the last 10 days of the quarter ending "
            f"{fmt_day(ev.quarter_end)}; moved to {fmt_day(ev.moved_to)}"
        )
    assert_never(ev)
