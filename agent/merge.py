"""Code merges LLM prose into a brief; the LLM can never set a fact.

The base is the offline drafter's brief for the same facts and guidance: it carries
the decided facts (copied from the Assessment), the structure (objection keys,
calendar weeks, citations) and the code-written summary. The LLM's prose replaces
only the prose fields. Fallback puts the offline version back, section by section.
"""

from __future__ import annotations

import copy
from collections.abc import Collection, Iterable

from ..tools.models import Assessment
from .schemas import Brief, CalendarWeek, DraftProse, Origin

SECTIONS: tuple[str, ...] = (
    "summary",
    "offer_map",
    "trigger_log",
    "script",
    "objections",
    "calendar",
)
LLM_SECTIONS: tuple[str, ...] = ("offer_map", "trigger_log", "script", "objections", "calendar")


def with_facts(brief: Brief, facts: Assessment) -> Brief:
    """Return the brief with every copied fact set from the decided ones."""
    out = brief.model_copy(deep=True)
    out.facts = facts.model_copy(deep=True)
    if facts.offer is not None:
        out.offer_map.offer_type, out.offer_map.item = facts.offer.type.value, facts.offer.item
    elif facts.held_offer is not None and out.offer_map.offer_type is not None:
        out.offer_map.offer_type = facts.held_offer.type.value
        out.offer_map.item = facts.held_offer.item
    else:
        out.offer_map.offer_type, out.offer_map.item = None, None
    trigger = facts.trigger
    out.trigger_log.trigger_type = trigger.type.value if trigger else None
    out.trigger_log.date = trigger.date if trigger else None
    out.trigger_log.evidence = trigger.evidence if trigger else None
    notes = {week.week: week.note for week in out.calendar}
    out.calendar = [
        CalendarWeek(**step.model_dump(), note=notes.get(step.week)) for step in facts.calendar
    ]
    return out


def _valid(ids: Iterable[str], retrieved: Collection[str]) -> list[str]:
    """Cited ids that were retrieved, in order, without repeats."""
    return list(dict.fromkeys(i for i in ids if i in retrieved))


def merge_prose(
    base: Brief,
    prose: DraftProse,
    facts: Assessment,
    retrieved_ids: Collection[str],
    *,
    mode: str,
) -> Brief:
    """Return the base brief with the LLM's prose in place of its prose fields."""
    out = with_facts(base, facts)
    cited = _valid(prose.citations, retrieved_ids)
    provenance: dict[str, Origin] = {s: base.provenance.get(s, "offline") for s in SECTIONS}

    if prose.offer_rationale.strip():
        out.offer_map.rationale = prose.offer_rationale.strip()
        provenance["offer_map"] = "llm"
    if prose.why_now.strip():
        out.trigger_log.why_now = prose.why_now.strip()
        provenance["trigger_log"] = "llm"
    if prose.script.strip():
        out.script.text = prose.script.strip()
        out.script.citations = list(dict.fromkeys([*out.script.citations, *cited]))
        provenance["script"] = "llm"
    answered = False
    for objection in out.objections:
        text = prose.objection_answers.get(objection.key, "").strip()
        if text:
            objection.answer = text
            answered = True
    if answered:
        provenance["objections"] = "llm"
    noted = False
    for week in out.calendar:
        note = prose.calendar_notes.get(week.week, "").strip()
        if note:
            week.note = note
            noted = True
    if noted:
        provenance["calendar"] = "llm"
    out.provenance = provenance
    out.mode = mode
    return out


def apply_fallback(draft: Brief, offline: Brief, sections: Iterable[str]) -> Brief:
    """Replace each named section of ``draft`` with the offline drafter's version."""
    out = draft.model_copy(deep=True)
    provenance = dict(out.provenance)
    for section in sections:
        if section in SECTIONS:
            setattr(out, section, copy.deepcopy(getattr(offline, section)))
            provenance[section] = "fallback"
    out.provenance = provenance
    return out


def all_offline(brief: Brief, origin: Origin = "offline") -> Brief:
    """Return the brief with every section's provenance set to ``origin``."""
    out = brief.model_copy(deep=True)
    out.provenance = {**out.provenance, **{s: origin for s in SECTIONS}}
    return out
