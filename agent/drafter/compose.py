"""Assemble the offline brief: summary, sections, guidance notes and provenance."""

from __future__ import annotations

from collections.abc import Sequence

from playbook.agent.drafter.context import DraftContext, build_context
from playbook.agent.drafter.objections import draft_objections
from playbook.agent.drafter.plans import (
    draft_calendar,
    draft_offer_map,
    draft_trigger_log,
    ordered_blocking,
)
from playbook.agent.drafter.script import draft_script
from playbook.agent.drafter.text import (
    is_clean,
    sentence_case,
)
from playbook.knowledge.guidance import Guidance
from playbook.tools.models.assessment import Assessment
from playbook.tools.models.brief import Brief, GuidanceNote, Origin
from playbook.tools.vocab import GATE_LABELS, OFFER_LABELS, SECTIONS, TRIGGER_LABELS, Section

__all__ = ["draft_offline"]



def _assumptions(ctx: DraftContext) -> str:
    """Return the assumptions that matter: signals not scored and inputs not provided."""
    facts = ctx.facts
    skip = set(facts.health.assumptions)
    stated: list[str] = []
    for item in facts.not_scored:
        skip.add(item.reason)
        if is_clean(item.reason, ctx.allowed_dates):
            stated.append(item.reason)
        else:
            stated.append(f"{item.name.value.replace('_', ' ')} was not scored")
    stated.extend(
        r for r in facts.assumptions if r not in skip and is_clean(r, ctx.allowed_dates)
    )
    stated = list(dict.fromkeys(stated))
    if not stated:
        return ""
    if len(stated) == 1:
        return sentence_case(stated[0])
    return "Assumptions: " + "; ".join(stated) + "."


def _trigger_sentence(ctx: DraftContext, held: bool) -> str:
    """Where the opening comes from (or, when held, that the trigger waits)."""
    trigger = ctx.facts.trigger
    detail = f" ({ctx.trigger_ev})" if ctx.trigger_ev else ""
    if trigger is None:
        if held:
            return "no trigger was found."
        if ctx.top_ev:
            return f"No dated trigger was found; the opening rests on {ctx.top_ev}."
        return "No trigger was found; the opening is a check-in."
    label = TRIGGER_LABELS[trigger.type].phrase
    if held:
        return f"the latest trigger, {label}{ctx.trigger_on}{detail}, waits until then."
    return f"The opening rests on {label}{ctx.trigger_on}{detail}."


def _shift(ctx: DraftContext) -> str:
    """Say where a moved opening went (empty when the opening did not move)."""
    if not ctx.shifted:
        return ""
    return (
        f", with the opening moved to {ctx.facts.opening_date.isoformat()}, the first week of "
        "the next fiscal quarter"
    )


def _summary(ctx: DraftContext) -> str:
    """Two to four sentences: score, tier, timing, gates, offer, trigger, assumptions."""
    facts = ctx.facts
    head = f"{facts.account_name} scores {facts.readiness_score}/64 ({facts.tier_label})"
    held = facts.held_offer
    held_text = (
        f"The {OFFER_LABELS[held.type].phrase} offer that fits is held for later."
        if held is not None
        else "No catalog offer is raised yet."
    )
    if ctx.gated:
        gates = ordered_blocking(ctx)
        clauses = []
        for gate in gates:
            ev = ctx.ev(gate.detail)
            clauses.append(GATE_LABELS[gate.name].phrase + (f" ({ev})" if ev else ""))
        which = "a timing gate holds" if len(clauses) == 1 else "timing gates hold"
        sentences = [
            f"{head}, but {which}: {' and '.join(clauses)}, so there is no pitch now.",
            sentence_case(gates[0].action),
            f"{held_text[:-1]}; {_trigger_sentence(ctx, True)}",
        ]
    elif ctx.offer is None:
        sentences = [
            f"{head}: {facts.timing.split(';')[0]}{_shift(ctx)}.",
            held_text,
            _trigger_sentence(ctx, False),
        ]
    else:
        timing = facts.timing.split(";")[0]
        if ctx.shifted:
            first = f"{head}: {timing}{_shift(ctx)}, so it does not read as pressure."
        else:
            first = f"{head}: {timing}, and no timing gate holds."
        label = OFFER_LABELS[ctx.offer.type].phrase
        on = f", resting on {'; '.join(ctx.offer_ev[:2])}" if ctx.offer_ev else ""
        sentences = [
            first,
            f"The one offer is {ctx.offer.item} ({label}){on}.",
            _trigger_sentence(ctx, False),
        ]
    tail = _assumptions(ctx)
    if tail:
        sentences.append(tail)
    return " ".join(sentences)


def _guidance_notes(guidance: Guidance) -> list[GuidanceNote]:
    """Every retrieved chunk the brief rests on, cited by id."""
    return [
        GuidanceNote(chunk_id=c.id, title=f"{c.topic}: {c.title}", text=c.text)
        for c in guidance.chunks()
    ]


def draft_offline(
    facts: Assessment,
    guidance: Guidance,
    *,
    notes: str | None = None,
    avoid: Sequence[str] = (),
) -> Brief:
    """Write the full brief from decided facts and retrieved guidance, without an LLM.

    Deterministic: the same facts, guidance and notes give the same brief. `notes`
    (the account's raw notes, untrusted) is only used to confirm that quotes are
    verbatim; no note line is ever copied that is not a decided finding's quote.
    `avoid` lists the catalog's item names: quotes naming an item other than the
    decided offer are left out.
    """
    ctx = build_context(facts, guidance, notes, avoid)
    provenance: dict[Section, Origin] = dict.fromkeys(SECTIONS, "offline")
    return Brief(
        facts=facts,
        summary=_summary(ctx),
        offer_map=draft_offer_map(ctx),
        trigger_log=draft_trigger_log(ctx),
        script=draft_script(ctx),
        objections=draft_objections(ctx),
        calendar=draft_calendar(ctx),
        guidance=_guidance_notes(guidance),
        provenance=provenance,
        mode="offline",
    )
