"""Assess one account end to end, and rank a book: the single entry point to the rules."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from playbook.tools.models.account import Account, CatalogItem
from playbook.tools.models.assessment import Assessment, Concern
from playbook.tools.models.findings import NoteFindings
from playbook.tools.rules import calendar as cal
from playbook.tools.rules.gates import blocking, evaluate_gates, opening_date_for, plan_kind_for
from playbook.tools.rules.health import health_score, opportunity_score
from playbook.tools.rules.offers import choose_offer
from playbook.tools.rules.pipeline import forecast, renewal_timeline
from playbook.tools.rules.scoring import renewal_date_of, score_signals, tier_for, usage_readings
from playbook.tools.rules.triggers import find_trigger
from playbook.tools.vocab import TIER_LABELS, TIER_TIMING, ConcernKind, GateName, PlanKind, Tier

INPUTS = {
    "customer": "Customer record: plan, spend, relationship status and primary contact",
    "offers": "Expansion options: the offer catalog",
    "usage": "Usage data: seats or volume vs capacity, active users, logins per month",
    "interactions": "Recent interactions: call notes, tickets, NPS, outcomes, requests",
    "contract": "Contract: renewal date and contract value",
    "icp": "Expansion ICP: what an account that typically expands looks like",
}

MISSING_ASSUMPTIONS = {
    "customer": "Customer record incomplete (plan, spend, relationship status or contact "
    "missing): decided on what is known",
    "usage": "No usage data (seats, volume, active users, logins): usage signals and the "
    "low-usage gate rest on the notes alone",
    "interactions": "No recent interactions (notes, NPS, outcomes, tickets, last contact): "
    "those signals and gates were not scored",
    "icp": "No expansion ICP given: the default profile was assumed",
}


@dataclass(frozen=True)
class RuleConfig:
    """Explicit inputs the rules need besides the account."""

    as_of: date
    catalog: Sequence[CatalogItem]
    fiscal_start_month: int = 1
    icp_given: bool = True
    segments: dict[str, str] = field(default_factory=dict)
    with_calendar: bool = True

CONCERN_VALUES = frozenset(k.value for k in ConcernKind)


def missing_inputs(
    account: Account, config: RuleConfig, renewal_known: bool | None = None
) -> list[str]:
    """Which of the six inputs are missing for this account (keys of INPUTS).

    `renewal_known` says whether a renewal date was found anywhere (e.g. in the
    notes); by default only the data row is looked at.
    """
    missing = []
    if account.plan is None or account.arr is None or account.relationship_status is None or (
        account.contact_name is None
    ):
        missing.append("customer")
    if not config.catalog:
        missing.append("offers")
    if all(
        v is None
        for v in (
            account.seats_purchased,
            account.usage_limit,
            account.active_users,
            account.logins_per_month,
        )
    ):
        missing.append("usage")
    if not account.notes and all(
        v is None
        for v in (account.nps, account.positive_outcome, account.open_tickets_high,
                  account.last_contact_date)
    ):
        missing.append("interactions")
    if not (account.renewal_date is not None if renewal_known is None else renewal_known):
        missing.append("contract")
    if not config.icp_given:
        missing.append("icp")
    return missing


def _concerns(findings: NoteFindings) -> list[Concern]:
    return [
        Concern(kind=ConcernKind(f.name), quote=f.quote, date=f.date)
        for f in findings.of("concern")
        if f.name in CONCERN_VALUES
    ]


def assess(
    account: Account, config: RuleConfig, findings: NoteFindings | None = None
) -> Assessment:
    """Every decided fact for one account."""
    if findings is None:
        from playbook.tools.notes.extractor import extract_findings

        findings = (
            extract_findings(account.notes, as_of=config.as_of, notes_date=account.notes_date)
            if account.notes
            else NoteFindings()
        )
    as_of = config.as_of
    signals, not_scored = score_signals(account, findings, as_of)
    score = sum(s.points for s in signals)
    tier = tier_for(score)
    usage = usage_readings(account, findings)
    renewal, _ = renewal_date_of(account, findings)
    renewal_days = (renewal - as_of).days if renewal else None

    gates = evaluate_gates(account, findings, as_of, fiscal_start_month=config.fiscal_start_month)
    opening = opening_date_for(as_of, gates, config.fiscal_start_month)
    blockers = blocking(gates)

    fitting, offer_note = choose_offer(
        account, signals, findings, config.catalog, usage, renewal_days
    )
    offer = fitting
    held = None
    plan_kind = plan_kind_for(gates)
    if plan_kind is not None:
        held, offer = fitting, None
        offer_note = "held back: " + "; ".join(g.action for g in blockers)
    elif tier == Tier.NOT_YET:
        held, offer = fitting, None
        plan_kind = PlanKind.NURTURE
        offer_note = "held back: readiness below 10, work on health and adoption first"
    elif offer is None:
        plan_kind = PlanKind.NURTURE
    else:
        plan_kind = PlanKind.EXPANSION

    trigger = find_trigger(account, findings, signals, usage, renewal, as_of)
    concerns = _concerns(findings)
    segment = config.segments.get(account.account_id)
    at_risk = any(g.name == GateName.AT_RISK for g in gates)
    health = health_score(account, usage, score, as_of)
    valued = offer or held
    opportunity = opportunity_score(
        account,
        signals,
        usage,
        concerns,
        valued.estimated_value if valued else None,
        segment,
        at_risk,
    )

    timing = TIER_TIMING[tier]
    if blockers:
        timing = "gated: " + blockers[0].action
    elif opening != as_of:
        timing = f"{timing}; opening moved to {opening.isoformat()} (quarter end)"

    assumptions = [n.reason for n in not_scored] + health.assumptions
    missing = missing_inputs(account, config, renewal_known=renewal is not None)
    assumptions.extend(MISSING_ASSUMPTIONS[key] for key in missing if key in MISSING_ASSUMPTIONS)

    return Assessment(
        account_id=account.account_id,
        account_name=account.account_name,
        contact_name=account.contact_name,
        contact_role=account.contact_role,
        plan=account.plan,
        arr=account.arr,
        currency=account.currency,
        as_of=as_of,
        readiness_score=score,
        tier=tier,
        tier_label=TIER_LABELS[tier],
        timing=timing,
        signals=signals,
        not_scored=not_scored,
        gates=gates,
        offer=offer,
        held_offer=held,
        offer_note=offer_note,
        trigger=trigger,
        concerns=concerns,
        health=health,
        opportunity=opportunity,
        renewal=renewal_timeline(renewal, as_of),
        forecast=forecast(offer, tier, account.notes),
        segment=segment,
        plan_kind=plan_kind,
        opening_date=opening,
        calendar=(
            cal.build_calendar(opening, plan_kind, (offer.item if offer else None))
            if config.with_calendar
            else []
        ),
        missing_inputs=missing,
        assumptions=assumptions,
    )


def rank_key(a: Assessment) -> tuple[int, int, int, float, str]:
    """Highest score first; ungated before gated; then health, ARR and id."""
    gated = 1 if any(g.blocking for g in a.gates) else 0
    return (-a.readiness_score, gated, -a.health.score, -(a.arr or 0.0), a.account_id)


RankBy = Literal["score", "likelihood"]


def likelihood_key(a: Assessment) -> tuple[float, int, int, int, float, str]:
    """Highest calibrated likelihood first (unknown last), then as `rank_key`."""
    return (-(a.expansion_likelihood if a.expansion_likelihood is not None else -1.0),
            *rank_key(a))  # fmt: skip


def rank(assessments: Iterable[Assessment], by: RankBy = "score") -> list[Assessment]:
    """Rank the assessments: the expansion-ready account list (by score or likelihood)."""
    return sorted(assessments, key=likelihood_key if by == "likelihood" else rank_key)
