"""Offer map, trigger log and calendar notes: the decided plan, explained for the CSM."""

from __future__ import annotations

from playbook.agent.drafter.context import DraftContext
from playbook.agent.drafter.text import (
    chunk_sentences,
    is_clean,
    sentence_case,
)
from playbook.tools.models.assessment import Gate, Offer
from playbook.tools.models.brief import CalendarWeek, OfferMapEntry, TriggerLogEntry
from playbook.tools.rules.gates import GATE_PRECEDENCE
from playbook.tools.vocab import GATE_FIRST, GATE_LABELS, OFFER_LABELS, TRIGGER_LABELS

__all__ = ["draft_calendar", "draft_offer_map", "draft_trigger_log", "ordered_blocking"]

REASON: dict[str, str] = {
    "capacity": "{item} fits {account} because the team is running out of room on what it "
    "already uses.",
    "tier_upgrade": "{item} fits {account} because the team is asking for what the next plan "
    "unlocks.",
    "multi_year": "{item} fits {account} because the renewal is close and the relationship is "
    "strong.",
    "cross_sell": "{item} fits {account} because it answers an adjacent need they named, and "
    "the core product has earned their trust.",
    "professional_services": "{item} fits {account} because the intent is there but adoption "
    "or pace lags.",
}
POSITION: dict[str, str] = {
    "capacity": "Position it as protecting the momentum they built, sized to the growth the "
    "evidence shows.",
    "tier_upgrade": "Position it around the capabilities they asked for, not the plan name.",
    "multi_year": "Position it as locking in what works, with rate certainty instead of a "
    "renewal decision every year.",
    "cross_sell": "Position it as the answer to the need in their own words, building on what "
    "already works.",
    "professional_services": "Position it as reaching their goal sooner, with our specialists "
    "carrying the setup work.",
}
MATERIAL: dict[str, str] = {
    "capacity": "a usage snapshot and a sizing sheet for the extra capacity",
    "tier_upgrade": "an overview of the capabilities they asked for and a case study of a "
    "similar team",
    "multi_year": "a one-page comparison of a one-year and a multi-year term, with this year's "
    "results",
    "cross_sell": "a case study of a similar company using it for the same need",
    "professional_services": "an outline of the engagement, its timeline and who does what",
}
PLAN_LABELS: dict[str, str] = {
    "fix_first": "fix first",
    "re_engage": "re-engage",
    "adoption": "adoption first",
    "retention": "retention",
    "nurture": "nurture",
}
FIRST_TOUCH: dict[str, str] = {
    "fix_first": "own the open problem and agree the fix date",
    "re_engage": "a value-led check-in to re-establish contact",
    "adoption": "an adoption review of who uses it and what blocks regular use",
    "retention": "a risk review with the sponsor",
    "nurture": "a goals check-in",
}
CHECKPOINT: dict[str, str] = {
    "fix_first": "Check the problem is solved and confirmed by the customer before anything else.",
    "re_engage": "Check that contact is regular again before anything else.",
    "adoption": "Check that usage has become regular before anything else.",
    "retention": "Check the relationship is no longer at risk before anything else.",
    "nurture": "Re-score readiness before planning anything else.",
}
CLEARED: dict[str, str] = {
    "fix_first": "if the problem is solved and confirmed, plan the opening as a separate, later "
    "touch.",
    "re_engage": "if contact is regular again, plan the opening as a separate, later touch.",
    "adoption": "if usage is regular, plan the opening as a separate, later touch.",
    "retention": "if the relationship is healthy again, plan the opening as a separate, later "
    "touch.",
    "nurture": "re-score readiness and raise an offer only if the tier allows it.",
}
WHY_NOW: dict[str, str] = {
    "success_moment": "A fresh result{on}{detail} is the natural moment to talk about extending "
    "it, while it is top of mind.",
    "usage_ceiling": "Usage has reached its ceiling{detail}, so planning headroom now helps "
    "before anyone hits the limit.",
    "team_growth": "The team has grown{on}{detail}, and new people need access and onboarding "
    "from the start.",
    "new_initiative": "A new initiative is taking shape{on}{detail}, and the best time to help "
    "is before its requirements are settled.",
    "renewal_ahead": "The renewal is ahead{detail}, leaving time for a look back and a look "
    "ahead rather than a last-minute notice.",
    "onboarding_complete": "Onboarding just finished{on}{detail}, and the first results are the "
    "natural base for the next phase.",
    "champion_event": "The champion's news{on}{detail} opens room to carry what worked into a "
    "wider scope.",
    "org_change": "An organisational change{on}{detail} brings new priorities and people who "
    "need to see the value delivered so far.",
    "budget_cycle": "Their planning cycle is starting{on}{detail}, so figures shared now can "
    "make it into the budget.",
    "product_launch": "A new capability matches a need they named{on}{detail}, so it is worth "
    "showing while the need is current.",
}


def ordered_blocking(ctx: DraftContext) -> list[Gate]:
    """Blocking gates, the plan's own gate first, then by precedence."""
    order = {name: i for i, name in enumerate(GATE_PRECEDENCE)}
    gates = sorted(ctx.blocking, key=lambda g: order.get(g.name, len(order)))
    if ctx.primary_gate is not None and ctx.primary_gate in gates:
        gates.remove(ctx.primary_gate)
        gates.insert(0, ctx.primary_gate)
    return gates


def _gate_clause(ctx: DraftContext, gate: Gate) -> str:
    """`<label> (<evidence>)` for one gate."""
    ev = ctx.ev(gate.detail)
    return GATE_LABELS[gate.name].phrase + (f" ({ev})" if ev else "")


def _later(ctx: DraftContext, held: Offer | None, when: str) -> str:
    """Name the held offer, only as a later step."""
    if held is None:
        note = ctx.facts.offer_note or ""
        if "earned trust" in note:
            return (
                "Cross-sell would need earned trust first (a healthy relationship and a recent "
                "win or good NPS): build trust first."
            )
        return "No catalog offer fits the evidence yet."
    ev = next(iter(ctx.offer_ev), "")
    on = f" (evidence: {ev})" if ev else ""
    label = OFFER_LABELS[held.type].phrase
    return f"Later, once {when}, {held.item} ({label}) is the offer that fits{on}."


def draft_offer_map(ctx: DraftContext) -> OfferMapEntry:
    """Deliverable 2: the one offer and why, or what is held and what to do first."""
    facts, offer = ctx.facts, ctx.offer
    if offer is not None:
        kind = offer.type.value
        named = "; ".join(ctx.offer_ev[:3])
        sentences = [REASON[kind].format(item=offer.item, account=facts.account_name)]
        if named:
            sentences.append(f"Evidence: {named}.")
        sentences.append(POSITION[kind])
        return OfferMapEntry(
            offer_type=kind,
            item=offer.item,
            rationale=" ".join(sentences),
            evidence=list(offer.evidence),
            citations=ctx.cite(ctx.guidance.offer),
        )
    held = facts.held_offer
    if ctx.gated:
        gates = ordered_blocking(ctx)
        clauses = [_gate_clause(ctx, g) for g in gates]
        sentences = [
            f"No offer is pitched now because of {' and '.join(clauses)}.",
            _later(ctx, held, "that is resolved"),
            f"Until then the plan is {PLAN_LABELS.get(ctx.plan_kind, ctx.plan_kind)}.",
        ]
        steps = [g.action for g in gates]
        chunk = ctx.gate_chunk
        if chunk is not None:
            steps.extend(chunk_sentences(chunk.text, 2))
        evidence = [g.evidence for g in gates]
        citations = ctx.cite(*(ctx.guidance.gates.get(g.name.value) for g in gates),
                             ctx.guidance.offer if held else None)
    else:
        score = f"readiness is {facts.readiness_score} ({facts.tier_label})"
        timing = facts.timing.split(";")[0]
        if facts.tier.value == "not_yet":
            first = f"No offer is pitched yet: {score}, so the plan is to {timing}."
        else:
            first = f"No offer is pitched yet: {score}, but no offer can be raised now."
        sentences = [first, _later(ctx, held, "readiness grows")]
        steps = [sentence_case(timing)] + [w.action for w in facts.calendar[:1]]
        evidence = list(held.evidence) if held else [s.evidence for s in facts.signals]
        citations = ctx.cite(ctx.guidance.offer, ctx.guidance.calendar)
    return OfferMapEntry(
        offer_type=None,
        item=None,
        rationale=" ".join(sentences),
        evidence=evidence,
        held=True,
        first_steps=" ".join(steps),
        citations=citations,
    )


def _why_now(ctx: DraftContext) -> str:
    """One sentence on why this is the moment (or why the moment waits)."""
    facts, trigger = ctx.facts, ctx.facts.trigger
    last = facts.calendar[-1].milestone_date if facts.calendar else None
    review = f"the re-assessment on {last.isoformat()}" if last else "the re-assessment"
    detail = f" ({ctx.trigger_ev})" if ctx.trigger_ev else ""
    if ctx.gated and ctx.primary_gate is not None:
        gate = GATE_FIRST[ctx.primary_gate.name]
        if trigger is None:
            return f"No trigger was found, and {gate} comes first; the next look is {review}."
        label = sentence_case(TRIGGER_LABELS[trigger.type].phrase)[:-1]
        return f"{label} is logged{ctx.trigger_on}{detail}, but {gate} comes first; the opening "\
            f"waits for {review}."
    if ctx.offer is None:
        score = f"readiness is {facts.readiness_score} ({facts.tier_label})"
        if trigger is None:
            return f"No trigger is on record and {score}; the next look is {review}."
        what = TRIGGER_LABELS[trigger.type].phrase
        return (
            f"There is {what}{ctx.trigger_on}{detail} on record, but {score}; the next look "
            f"is {review}."
        )
    if trigger is None:
        if ctx.top_ev:
            text = f"No dated trigger was found; the opening rests on the strongest signal: "\
                f"{ctx.top_ev}."
        else:
            text = "No trigger was found; the opening is a check-in on how the team works today."
    else:
        text = WHY_NOW[trigger.type.value].format(on=ctx.trigger_on, detail=detail)
    if ctx.shifted:
        text = (
            f"{text[:-1]}; the conversation opens on {facts.opening_date.isoformat()}, in the "
            "next fiscal quarter, so it does not read as pressure."
        )
    return text


def draft_trigger_log(ctx: DraftContext) -> TriggerLogEntry:
    """Deliverable 3: the decided trigger copied, with one why-now sentence."""
    trigger = ctx.facts.trigger
    return TriggerLogEntry(
        trigger_type=trigger.type.value if trigger else None,
        date=trigger.date if trigger else None,
        evidence=trigger.evidence if trigger else None,
        why_now=_why_now(ctx),
    )


def _expansion_notes(ctx: DraftContext, offer: Offer) -> dict[int, str]:
    """Account notes on the key weeks of the expansion calendar."""
    facts, item, who = ctx.facts, offer.item, ctx.who
    ev = ctx.trigger_ev or ctx.top_ev
    named = f"it names {ev} and" if ev else "it"
    opening = f"Use the opening script with {who}: {named} asks for a short call about {item}."
    if ctx.shifted:
        opening += (
            f" The opening moved to {facts.opening_date.isoformat()}, the first week of the next "
            "fiscal quarter."
        )
    role = f" ({facts.contact_role})" if facts.contact_role and is_clean(facts.contact_role) else ""
    notes = {
        1: opening,
        2: f"Material that fits {item}: {MATERIAL[offer.type.value]}.",
        4: f"Proposal for {item}"
        + (f", sized to the evidence ({ctx.offer_ev[0]})." if ctx.offer_ev else "."),
        6: f"Build the business case with {who}{role}: results so far, the cost of doing "
        "nothing and the expected return.",
    }
    if facts.concerns:
        kinds = sorted({c.kind.value.replace("_", " ") for c in facts.concerns})
        notes[9] = "Be ready for the concerns in their notes: " + ", ".join(kinds) + "."
    last = facts.calendar[-1].milestone_date if facts.calendar else None
    if last is not None:
        notes[len(facts.calendar)] = (
            f"Decision date {last.isoformat()}: {item} agreed, or a dated next decision with "
            f"{who}; never an open-ended maybe."
        )
    return notes


def _gated_notes(ctx: DraftContext) -> dict[int, str]:
    """Account notes on the key weeks of a fix-first, re-engage, adoption or nurture plan."""
    facts, who = ctx.facts, ctx.who
    plan = ctx.plan_kind if ctx.plan_kind in FIRST_TOUCH else "nurture"
    gate = ctx.primary_gate
    ev = ctx.ev(gate.detail) if gate is not None else ""
    first = f"First touch with {who}: {FIRST_TOUCH[plan]}" + (f" ({ev})" if ev else "")
    notes = {1: first + "; no pitch on this call."}
    notes[7] = CHECKPOINT[plan]
    last = facts.calendar[-1].milestone_date if facts.calendar else None
    if last is not None:
        notes[len(facts.calendar)] = f"Re-assessment on {last.isoformat()}: {CLEARED[plan]}"
    return notes


def draft_calendar(ctx: DraftContext) -> list[CalendarWeek]:
    """Deliverable 6: the decided 13 weeks, copied, with notes on the key weeks."""
    facts = ctx.facts
    if ctx.plan_kind == "expansion" and ctx.offer is not None:
        notes = _expansion_notes(ctx, ctx.offer)
    else:
        notes = _gated_notes(ctx)
    renewal = facts.renewal.renewal_date
    weeks: list[CalendarWeek] = []
    for step in facts.calendar:
        note = notes.get(step.week)
        if renewal is not None and step.start <= renewal <= step.end:
            extra = f"The renewal falls on {renewal.isoformat()}, in this week."
            note = f"{note} {extra}" if note else extra
        weeks.append(
            CalendarWeek(
                week=step.week,
                start=step.start,
                end=step.end,
                phase=step.phase,
                action=step.action,
                milestone=step.milestone,
                milestone_date=step.milestone_date,
                note=note,
            )
        )
    return weeks
