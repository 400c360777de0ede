"""Charts a CSM wants before QBR season: scores by tier, offers by type, weekly calendar load."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

import altair as alt
import pandas as pd

from playbook.tools.models.assessment import Assessment
from playbook.tools.output.portfolio import on_calendar
from playbook.tools.vocab import TIER_LABELS, Tier

TIER_ORDER = [TIER_LABELS[t] for t in (Tier.PRIORITY, Tier.READY, Tier.CANDIDATE, Tier.NOT_YET)]
SHORT_TIER = {TIER_LABELS[Tier.PRIORITY]: "Priority", TIER_LABELS[Tier.READY]: "Ready",
              TIER_LABELS[Tier.CANDIDATE]: "Candidate", TIER_LABELS[Tier.NOT_YET]: "Not yet"}
TIER_COLORS = ["#1b7f3b", "#5cb85c", "#f0ad4e", "#9e9e9e"]


def score_frame(ranked: Sequence[Assessment]) -> pd.DataFrame:
    """One row per account: score, tier label, account name."""
    return pd.DataFrame(
        [
            {"account": a.account_name, "score": a.readiness_score,
             "tier": SHORT_TIER.get(a.tier_label, a.tier_label)}
            for a in ranked
        ],
        columns=["account", "score", "tier"],
    )


def score_chart(ranked: Sequence[Assessment]) -> alt.Chart:
    """Score distribution (bins of 4 points), stacked by tier, with the tier thresholds."""
    frame = score_frame(ranked)
    bars = (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            x=alt.X("score:Q", bin=alt.Bin(step=4, extent=[0, 64]), title="Readiness score"),
            y=alt.Y("count():Q", title="Accounts"),
            color=alt.Color(
                "tier:N",
                scale=alt.Scale(domain=[SHORT_TIER[t] for t in TIER_ORDER], range=TIER_COLORS),
                legend=alt.Legend(title=None, orient="bottom", columns=4, symbolSize=60,
                                  columnPadding=6),
            ),
            tooltip=[alt.Tooltip("tier:N"), alt.Tooltip("count():Q", title="accounts")],
        )
    )
    rules = (
        alt.Chart(pd.DataFrame({"threshold": [10, 20, 35]}))
        .mark_rule(strokeDash=[4, 4], color="#666")
        .encode(x="threshold:Q")
    )
    chart: alt.Chart = (bars + rules).properties(height=240)
    return chart


def offer_frame(ranked: Sequence[Assessment]) -> pd.DataFrame:
    """Offers by type: made now, or held back by a gate or the tier."""
    rows = []
    for a in ranked:
        if a.offer is not None:
            rows.append({"offer type": a.offer.type.value.replace("_", " "), "status": "offer now"})
        elif a.held_offer is not None:
            rows.append({"offer type": a.held_offer.type.value.replace("_", " "), "status": "held"})
    frame = pd.DataFrame(rows, columns=["offer type", "status"])
    return frame.groupby(["offer type", "status"]).size().reset_index(name="accounts")


def offer_chart(ranked: Sequence[Assessment]) -> alt.Chart:
    """Bar chart of offer types, split into made now vs held."""
    chart: alt.Chart = (
        alt.Chart(offer_frame(ranked))
        .mark_bar()
        .encode(
            y=alt.Y("offer type:N", title=None, sort="-x",
                    axis=alt.Axis(labelLimit=200, labelOverlap=False)),
            x=alt.X("accounts:Q", title="Accounts"),
            color=alt.Color(
                "status:N",
                scale=alt.Scale(domain=["offer now", "held"], range=["#1f77b4", "#c6dbef"]),
                legend=alt.Legend(title=None, orient="bottom"),
            ),
            tooltip=["offer type", "status", "accounts"],
        )
        .properties(height=240)
    )
    return chart


def calendar_frame(ranked: Sequence[Assessment]) -> pd.DataFrame:
    """Calendar steps and milestones per calendar week (Mondays) across scheduled accounts."""
    rows = []
    for a in ranked:
        if not on_calendar(a):
            continue
        for step in a.calendar:
            monday = step.start - timedelta(days=step.start.weekday())
            rows.append({"week of": monday.isoformat(), "kind": "plan step"})
            if step.milestone:
                when = step.milestone_date or step.start
                week = when - timedelta(days=when.weekday())
                rows.append({"week of": week.isoformat(), "kind": "milestone"})
    frame = pd.DataFrame(rows, columns=["week of", "kind"])
    return frame.groupby(["week of", "kind"]).size().reset_index(name="count")


def calendar_chart(ranked: Sequence[Assessment]) -> alt.Chart:
    """Weekly load: how many plan steps and milestones fall in each week."""
    chart: alt.Chart = (
        alt.Chart(calendar_frame(ranked))
        .mark_bar(size=9)
        .encode(
            x=alt.X("week of:T", title="Week of", timeUnit="yearmonthdate",
                    axis=alt.Axis(format="%d %b", labelAngle=0, tickCount=6)),
            y=alt.Y("count:Q", title="Items that week", stack=True),
            color=alt.Color(
                "kind:N",
                scale=alt.Scale(domain=["plan step", "milestone"], range=["#9ecae1", "#d62728"]),
                legend=alt.Legend(title=None, orient="bottom"),
            ),
            tooltip=["week of", "kind", "count"],
        )
        .properties(height=240)
    )
    return chart
