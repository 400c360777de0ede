"""Evidence as phrases for the drafter's prose, read from the structured evidence.

Numbers are copied as decided and none is added; a date is named only when it is a
decided one. Text that comes from the account (notes quotes, free-text columns) is
untrusted: it is used only when it passes `text.is_clean` and, for a notes quote,
only when it occurs verbatim in the notes.
"""

from __future__ import annotations

from collections.abc import Collection

from playbook.agent.drafter.text import MAX_QUOTE_WORDS, is_clean, quote, trim
from playbook.tools.evidence_text import contract_text
from playbook.tools.formatting import fmt_num, fmt_pct
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

__all__ = ["phrase"]

_GROUPED: frozenset[CountUnit] = frozenset({"volume", "employees"})


def _n(value: float, unit: CountUnit) -> str:
    return fmt_num(value) if unit in _GROUPED else fmt_num(value).replace(",", "")


def _plural(count: float, word: str) -> str:
    return f"{fmt_num(count)} {word}" if count == 1 else f"{fmt_num(count)} {word}s"


def _comparison(ev: Comparison) -> str:
    a, b = _n(ev.value, ev.unit), _n(ev.other, ev.unit)
    match (ev.relation, ev.unit):
        case ("of", "volume"):
            return f"{a} of the {b} usage limit ({fmt_pct(ev.ratio)})"
        case ("of", _):
            return f"{a} of {b} seats in use ({fmt_pct(ev.ratio)})"
        case ("vs", "departments"):
            return f"{a} departments using it now, up from {b} at purchase"
        case ("vs", "employees"):
            return f"{a} employees now, up from {b} at purchase"
        case ("vs", _):
            return f"a team of {a} people now, up from {b} at purchase"
        case ("over", _):
            return f"{a} active users on {b} paid seats"
        case ("adoption", _):
            return f"{a} active users on {b} seats ({round(ev.ratio * 100)}% adopted)"
    return ""


def _free(text: str) -> str:
    """Free text of a data column, trimmed; "" when it could close or open a quote."""
    body = trim(text, MAX_QUOTE_WORDS)
    return "" if not body or '"' in body else body


def _field(ev: TextField | NumberField | ListField | DateField) -> str:
    if isinstance(ev, TextField):
        if ev.field == "relationship_status":
            return f"a relationship marked {ev.text}"
        body = _free(ev.text)
        return f'"{body}"' if body else ""
    if isinstance(ev, ListField):
        body = _free("; ".join(ev.items))
        return f"requests for {body}" if body else ""
    if isinstance(ev, DateField):
        if ev.field == "last_contact_date":
            return f"{-ev.days} days since the last contact"
        return f"the renewal on {ev.day.isoformat()}, {ev.days} days away"
    match ev.field:
        case "nps":
            return f"an NPS of {fmt_num(ev.number)}"
        case "open_tickets_high":
            return _plural(ev.number, "open high-severity ticket")
        case "logins_per_month":
            return f"{fmt_num(ev.number)} logins a month"
        case "company_revenue_growth_pct":
            return f"company revenue up {fmt_num(ev.number)}% since purchase"
    return ""


def _observation(ev: Observation) -> str:
    match ev.topic:
        case Topic.FEATURES_ASKED:
            body = _free("; ".join(ev.items))
            return f"requests for {body}" if body else ""
        case Topic.RENEWAL_IN:
            return f"the renewal in {ev.days} days"
    return ""


def phrase(
    evidence: Evidence | None,
    *,
    notes: str | None,
    allowed_dates: Collection[str],
    strict: bool = False,
) -> str:
    """Return a readable, safe phrase for one piece of evidence; "" when nothing safe fits.

    `notes` is the account's notes, whitespace-collapsed and lowercased (None when not
    given: a quote is then trusted as decided). With `strict` (prose addressed to the
    customer), evidence without a customer phrasing (a rule's observation, a quarter
    end) gives "" instead of its table text.
    """
    if evidence is None:
        return ""
    if isinstance(evidence, NoteQuote):
        body = quote(evidence.quote, notes=notes, allowed_dates=allowed_dates)
        if body and evidence.usage is not None:
            body += f" ({fmt_pct(evidence.usage.ratio)})"
        return body
    if isinstance(evidence, Comparison):
        text = _comparison(evidence)
    elif isinstance(evidence, Observation):
        text = _observation(evidence)
    elif isinstance(evidence, QuarterEnd):
        text = ""
    else:
        text = _field(evidence)
    if not text and not strict:
        text = trim(contract_text(evidence), 40)
    return text if text and is_clean(text, allowed_dates) else ""
