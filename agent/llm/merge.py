"""Code merges LLM prose into a brief; the LLM can never set a fact.

The base is the offline drafter's brief for the same facts and guidance: it carries
the decided facts (copied from the Assessment), the structure (objection keys,
calendar weeks, citations) and the code-written summary. The LLM's prose replaces
only the prose fields. Fallback puts the offline version back, section by section.
"""

from __future__ import annotations

import copy
from collections.abc import Collection, Iterable

from playbook.agent.llm.schemas import DraftProse
from playbook.tools.models.assessment import Assessment
from playbook.tools.models.brief import Brief, CalendarWeek, Origin
from playbook.tools.vocab import SECTIONS, Section


def with_facts(brief: Brief, facts: Assessment) -> Brief:
    """Return a copy of the brief with every copied fact set from the decided ones.

    The sections this module changes later (offer map, trigger log, script,
    objections, calendar) are fresh copies; ``facts`` itself is shared, as nothing
    mutates decided facts after scoring (a deep copy cost ~0.4 ms a brief).
    """
    offer_map = brief.offer_map.model_copy()
    if facts.offer is not None:
        offer_map.offer_type, offer_map.item = facts.offer.type.value, facts.offer.item
    elif facts.held_offer is not None and offer_map.offer_type is not None:
        offer_map.offer_type = facts.held_offer.type.value
        offer_map.item = facts.held_offer.item
    else:
        offer_map.offer_type, offer_map.item = None, None
    trigger = facts.trigger
    trigger_log = brief.trigger_log.model_copy(
        update={
            "trigger_type": trigger.type.value if trigger else None,
            "date": trigger.date if trigger else None,
            "evidence": trigger.evidence if trigger else None,
        }
    )
    notes = {week.week: week.note for week in brief.calendar}
    return brief.model_copy(
        update={
            "facts": facts,
            "offer_map": offer_map,
            "trigger_log": trigger_log,
            "script": brief.script.model_copy(update={"citations": list(brief.script.citations)}),
            "objections": [o.model_copy() for o in brief.objections],
            "calendar": [
                CalendarWeek(**step.model_dump(), note=notes.get(step.week))
                for step in facts.calendar
            ],
            "provenance": dict(brief.provenance),
        }
    )


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
    provenance: dict[Section, Origin] = {s: base.provenance.get(s, "offline") for s in SECTIONS}

    if prose.offer_rationale.strip():
        out.offer_map.rationale = prose.offer_rationale.strip()
        provenance[Section.OFFER_MAP] = "llm"
    if prose.why_now.strip():
        out.trigger_log.why_now = prose.why_now.strip()
        provenance[Section.TRIGGER_LOG] = "llm"
    if prose.script.strip():
        out.script.text = prose.script.strip()
        out.script.citations = list(dict.fromkeys([*out.script.citations, *cited]))
        provenance[Section.SCRIPT] = "llm"
    answered = False
    for objection in out.objections:
        text = prose.objection_answers.get(objection.key, "").strip()
        if text:
            objection.answer = text
            answered = True
    if answered:
        provenance[Section.OBJECTIONS] = "llm"
    noted = False
    for week in out.calendar:
        note = prose.calendar_notes.get(week.week, "").strip()
        if note:
            week.note = note
            noted = True
    if noted:
        provenance[Section.CALENDAR] = "llm"
    out.provenance = provenance
    out.mode = mode
    return out


def apply_fallback(draft: Brief, offline: Brief, sections: Iterable[str]) -> Brief:
    """Replace each named section of ``draft`` with the offline drafter's version."""
    out = draft.model_copy(deep=True)
    provenance = dict(out.provenance)
    for name in sections:
        if name in SECTIONS:
            section = Section(name)
            setattr(out, section.value, copy.deepcopy(getattr(offline, section.value)))
            provenance[section] = "fallback"
    out.provenance = provenance
    return out


def all_offline(brief: Brief, origin: Origin = "offline") -> Brief:
    """Return the brief with every section's provenance set to ``origin``."""
    return brief.model_copy(
        update={"provenance": {**brief.provenance, **dict.fromkeys(SECTIONS, origin)}}
    )
