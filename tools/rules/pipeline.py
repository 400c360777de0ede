"""Renewal timeline, forecast weights, revenue segments and NRR bands."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from datetime import date, timedelta

from playbook.tools.models.assessment import Forecast, Offer, RenewalTimeline
from playbook.tools.vocab import Tier

RENEWAL_STEPS = ((120, "first renewal conversation"), (90, "formal proposal"),
                 (60, "negotiation"), (30, "signature"))
FORECAST_WEIGHTS = {"committed": 0.9, "upside": 0.5, "pipeline": 0.25, "potential": 0.0}
COMMITTED_RE = re.compile(r"\b(PO (?:is )?expected|purchase order|budget (?:is )?approved)\b", re.I)
UPSIDE_RE = re.compile(
    r"\b(champion (?:is )?engaged|budget (?:is )?identified|budget set aside)\b", re.I
)


def renewal_timeline(renewal: date | None, as_of: date) -> RenewalTimeline:
    """Stage on the 120/90/60/30-day renewal timeline and its dated milestones."""
    if renewal is None:
        return RenewalTimeline(
            renewal_date=None, days_to_renewal=None, stage="renewal date unknown"
        )
    ahead = (renewal - as_of).days
    milestones = {label: renewal - timedelta(days=d) for d, label in RENEWAL_STEPS}
    if ahead < 0:
        stage = "renewal date passed"
    elif ahead > 120:
        stage = "before the renewal window"
    else:
        stage = next(label for d, label in reversed(RENEWAL_STEPS) if ahead <= d)
    return RenewalTimeline(
        renewal_date=renewal, days_to_renewal=ahead, stage=stage, milestones=milestones
    )


def forecast(offer: Offer | None, tier: Tier, notes: str | None) -> Forecast:
    """Forecast stage and weighted value of the chosen offer."""
    text = notes or ""
    if offer is None:
        stage = "potential"
    elif COMMITTED_RE.search(text):
        stage = "committed"
    elif UPSIDE_RE.search(text):
        stage = "upside"
    elif tier in (Tier.PRIORITY, Tier.READY):
        stage = "pipeline"
    else:
        stage = "potential"
    value = offer.estimated_value if offer else None
    weight = FORECAST_WEIGHTS[stage]
    weighted = round(value * weight, 2) if value is not None else None
    return Forecast(stage=stage, weight=weight, potential_value=value, weighted_value=weighted)


def revenue_segments(arr_by_account: Mapping[str, float | None]) -> dict[str, str]:
    """Top 20% / middle 30% / bottom 50% of accounts by ARR (unknown ARR ranks last)."""
    ranked = sorted(arr_by_account, key=lambda k: (-(arr_by_account[k] or 0.0), k))
    n = len(ranked)
    top = math.ceil(n * 0.2)
    middle = math.ceil(n * 0.5)
    return {
        acc: ("top" if i < top else "middle" if i < middle else "bottom")
        for i, acc in enumerate(ranked)
    }


SEGMENT_CADENCE = {
    "top": "weekly touch, quarterly QBR",
    "middle": "touch every two weeks, half-yearly review",
    "bottom": "monthly touch, yearly review",
}


def nrr_band(nrr_pct: float) -> str:
    """Net revenue retention band."""
    if nrr_pct < 100:
        return "leaky bucket"
    if nrr_pct <= 110:
        return "stable"
    if nrr_pct <= 130:
        return "growth engine"
    return "exceptional"
