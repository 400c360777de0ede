"""Customer health score (0-100) and opportunity score (1-10)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from playbook.tools.dates import days_since
from playbook.tools.models.account import Account
from playbook.tools.models.assessment import Concern, HealthScore, OpportunityScore, Signal
from playbook.tools.rules.scoring import UsageReading
from playbook.tools.vocab import MAX_READINESS, ConcernKind, RelationshipStatus, SignalName

HEALTH_WEIGHTS = {
    "product_usage": 0.30,
    "engagement": 0.20,
    "support_tickets": 0.15,
    "payment_history": 0.15,
    "growth_potential": 0.10,
    "stakeholder_risk": 0.10,
}
NEUTRAL = 50.0
PAYMENT_SCORES = {"on_time": 100.0, "current": 100.0, "late": 50.0, "overdue": 10.0}
SENIOR_ROLES = ("chief", "ceo", "cfo", "cto", "coo", "cio", "cro", "vp", "vice president", "head")


def health_band(score: int) -> str:
    """Health band: 90-100 expansion candidate, 70-89 stable, 50-69 at risk, below 50 crisis."""
    if score >= 90:
        return "expansion candidate"
    if score >= 70:
        return "stable, maintain"
    if score >= 50:
        return "at risk, intervene"
    return "crisis"


def _clamp(value: float, low: float = 0.0, high: float = 100.0) -> float:
    return max(low, min(high, value))


def health_score(
    account: Account, usage: Sequence[UsageReading], readiness: int, as_of: date
) -> HealthScore:
    """Weighted health score; unknown inputs count as a neutral 50 and are listed."""
    assumptions: list[str] = []
    parts: list[float] = []
    if usage:
        parts.append(_clamp(usage[0].ratio / 0.8 * 100))
    if account.logins_per_month is not None:
        parts.append(_clamp(account.logins_per_month / 20 * 100))
    if not parts:
        assumptions.append("usage unknown: product usage scored neutral (50)")
    usage_score = sum(parts) / len(parts) if parts else NEUTRAL

    engagement_parts: list[float] = []
    if account.last_contact_date is not None:
        quiet = days_since(account.last_contact_date, as_of)
        engagement_parts.append(_clamp(100 - (max(quiet, 14) - 14) * 100 / 76))
    if account.nps is not None:
        engagement_parts.append(account.nps * 10.0)
    if not engagement_parts:
        assumptions.append("no contact date or NPS: engagement scored neutral (50)")
    engagement = sum(engagement_parts) / len(engagement_parts) if engagement_parts else NEUTRAL

    if account.open_tickets_high is None:
        support = NEUTRAL
        assumptions.append("open ticket count unknown: support scored neutral (50)")
    else:
        support = _clamp(100 - 40 * account.open_tickets_high)

    payment_raw = str(account.extra.get("payment_status", "")).strip().lower().replace(" ", "_")
    past_due = account.extra.get("days_past_due")
    if payment_raw in PAYMENT_SCORES:
        payment = PAYMENT_SCORES[payment_raw]
    elif past_due not in (None, ""):
        try:
            payment = _clamp(100 - float(past_due) * 2)
        except (TypeError, ValueError):
            payment = 100.0
            assumptions.append(f"days_past_due={past_due!r} unreadable: payment assumed on time")
    else:
        payment = 100.0
        assumptions.append("payment history unknown: assumed on time")

    growth = readiness / MAX_READINESS * 100

    status_scores = {
        RelationshipStatus.HEALTHY: 100.0,
        RelationshipStatus.NEUTRAL: 60.0,
        RelationshipStatus.AT_RISK: 10.0,
    }
    if account.relationship_status is None:
        stakeholder = NEUTRAL
        assumptions.append("relationship status unknown: stakeholder risk scored neutral (50)")
    else:
        stakeholder = status_scores[account.relationship_status]
    if not account.contact_name:
        stakeholder = _clamp(stakeholder - 20)

    components = {
        "product_usage": round(usage_score, 1),
        "engagement": round(engagement, 1),
        "support_tickets": round(support, 1),
        "payment_history": round(payment, 1),
        "growth_potential": round(growth, 1),
        "stakeholder_risk": round(stakeholder, 1),
    }
    total = round(sum(components[k] * w for k, w in HEALTH_WEIGHTS.items()))
    return HealthScore(
        score=total, band=health_band(total), components=components, assumptions=assumptions
    )


def opportunity_action(score: float) -> str:
    """Return the action for an opportunity score (8-10 now, 6-7, 4-5, 1-3 retention)."""
    rounded = round(score)
    if rounded >= 8:
        return "expansion conversation now"
    if rounded >= 6:
        return "quarterly expansion review"
    if rounded >= 4:
        return "annual assessment"
    return "retention focus"


def _role_access(role: str | None) -> int:
    if not role:
        return 3
    low = role.lower()
    if any(r in low for r in SENIOR_ROLES):
        return 9
    if "director" in low:
        return 8
    if "manager" in low or "lead" in low:
        return 6
    return 4


def opportunity_score(
    account: Account,
    signals: Sequence[Signal],
    usage: Sequence[UsageReading],
    concerns: Sequence[Concern],
    offer_value: float | None,
    segment: str | None,
    at_risk: bool,
) -> OpportunityScore:
    """Mean of five 1-10 dimensions, with the action it implies."""
    names = {s.name for s in signals}
    if offer_value and account.arr:
        revenue = int(_clamp(round(offer_value / account.arr * 40), 1, 10))
    elif offer_value:
        revenue = 6
    else:
        revenue = 2
    trajectory = 3
    if usage:
        trajectory = int(_clamp(round(usage[0].ratio * 8), 1, 8))
    if SignalName.TEAM_GREW in names:
        trajectory = min(10, trajectory + 2)
    competitor = sum(1 for c in concerns if c.kind == ConcernKind.COMPETITOR)
    competitive = max(1, 9 - 4 * competitor - (4 if at_risk else 0))
    strategic = {"top": 9, "middle": 6, "bottom": 3}.get(segment or "", 5)
    dims = {
        "revenue_potential": revenue,
        "decision_maker_access": _role_access(account.contact_role),
        "usage_growth_trajectory": trajectory,
        "competitive_risk": competitive,
        "strategic_importance": strategic,
    }
    score = round(sum(dims.values()) / len(dims), 1)
    return OpportunityScore(score=score, action=opportunity_action(score), dimensions=dims)
