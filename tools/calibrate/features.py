"""The features a likelihood model reads: numbers taken from an account and its assessment.

Every feature is a plain number computed from the data row and the decided facts as
of the snapshot's date (the nine signals, the gates, usage, renewal distance,
engagement, tickets, NPS, tenure, spend, health, status and plan), each with a
phrase a CSM can read when it becomes one of an account's reasons. An input that is
unknown gives 0 and a ``*_known`` flag of 0, so "unknown" is never read as "bad".
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from playbook.tools.models.account import Account
from playbook.tools.models.assessment import Assessment
from playbook.tools.vocab import (
    BLOCKING_GATES,
    GATE_LABELS,
    SIGNAL_LABELS,
    GateName,
    RelationshipStatus,
    SignalName,
)

__all__ = ["FeatureDef", "base_features", "feature_row", "plan_feature"]

Extract = Callable[[Account, Assessment], float]
PLAN_PREFIX = "plan:"
OTHER_PLAN = "plan:other"


@dataclass(frozen=True)
class FeatureDef:
    """One feature: its name, how it reads to a CSM, and how it is computed."""

    name: str
    label: str
    extract: Extract


def _signal(name: SignalName) -> FeatureDef:
    def fired(_: Account, facts: Assessment) -> float:
        return float(any(s.name == name for s in facts.signals))

    return FeatureDef(f"signal:{name.value}", SIGNAL_LABELS[name].phrase, fired)


def _gate(name: GateName) -> FeatureDef:
    def holds(_: Account, facts: Assessment) -> float:
        return float(any(g.name == name for g in facts.gates))

    return FeatureDef(f"gate:{name.value}", GATE_LABELS[name].phrase, holds)


def _usage(account: Account, _: Assessment) -> float:
    ratios = []
    if account.seats_purchased and account.seats_used is not None:
        ratios.append(account.seats_used / account.seats_purchased)
    if account.usage_limit and account.usage_current is not None:
        ratios.append(account.usage_current / account.usage_limit)
    return min(max(ratios), 1.5) if ratios else 0.0


def _usage_known(account: Account, facts: Assessment) -> float:
    return float(bool(account.seats_purchased or account.usage_limit))


def _renewal_days(_: Account, facts: Assessment) -> float | None:
    return facts.renewal.days_to_renewal


def _renewal_90(account: Account, facts: Assessment) -> float:
    days = _renewal_days(account, facts)
    return float(days is not None and 0 <= days <= 90)


def _renewal_years(account: Account, facts: Assessment) -> float:
    days = _renewal_days(account, facts)
    return 0.0 if days is None else max(-1.0, min(2.0, days / 365))


def _logins(account: Account, _: Assessment) -> float:
    return math.log1p(account.logins_per_month) if account.logins_per_month is not None else 0.0


def _tickets(account: Account, _: Assessment) -> float:
    return float(min(account.open_tickets_high or 0, 3))


def _nps(account: Account, _: Assessment) -> float:
    return account.nps / 10 if account.nps is not None else 0.0


def _tenure(account: Account, facts: Assessment) -> float:
    if account.customer_since is None:
        return 0.0
    return max(0.0, min(10.0, (facts.as_of - account.customer_since).days / 365.25))


def _status(status: RelationshipStatus) -> FeatureDef:
    def is_status(account: Account, _: Assessment) -> float:
        return float(account.relationship_status == status)

    return FeatureDef(
        f"status:{status.value}", f"a relationship marked {status.value}", is_status
    )


def _known(name: str, label: str, value: Callable[[Account], object]) -> FeatureDef:
    return FeatureDef(f"{name}_known", f"{label} on file", lambda a, _: float(value(a) is not None))


def base_features() -> list[FeatureDef]:
    """Every feature but the plans (those depend on the book a model is fitted on)."""
    return [
        *(_signal(name) for name in SignalName),
        *(_gate(name) for name in GateName if name in BLOCKING_GATES),
        FeatureDef("usage_ratio", "usage against purchased capacity", _usage),
        FeatureDef("usage_known", "usage data on file", _usage_known),
        FeatureDef("renewal_within_90d", "a renewal within 90 days", _renewal_90),
        FeatureDef("renewal_years", "time to the renewal", _renewal_years),
        FeatureDef(
            "renewal_known",
            "a renewal date on file",
            lambda a, f: float(_renewal_days(a, f) is not None),
        ),
        FeatureDef("logins", "logins a month (engagement)", _logins),
        _known("logins", "login data", lambda a: a.logins_per_month),
        FeatureDef("open_tickets", "open high-severity tickets", _tickets),
        FeatureDef("nps", "the NPS score", _nps),
        _known("nps", "an NPS", lambda a: a.nps),
        FeatureDef("tenure_years", "years as a customer", _tenure),
        _known("tenure", "a customer-since date", lambda a: a.customer_since),
        FeatureDef(
            "arr_log",
            "annual contract value",
            lambda a, _: math.log1p(a.arr) if a.arr else 0.0,
        ),
        FeatureDef("health", "the health score", lambda _, f: f.health.score / 100),
        FeatureDef("readiness", "the readiness score", lambda _, f: f.readiness_score / 64),
        *(_status(status) for status in RelationshipStatus),
    ]


def plan_feature(plan: str | None, plans: Sequence[str]) -> str:
    """Return the plan feature an account's plan falls under (``plan:other`` if not modelled)."""
    name = f"{PLAN_PREFIX}{(plan or '').strip().lower()}"
    return name if name in plans else OTHER_PLAN


def feature_row(
    account: Account, facts: Assessment, features: Sequence[FeatureDef], plans: Sequence[str]
) -> list[float]:
    """Return the values of ``features``, then one 0/1 per plan feature, for one account."""
    row = [f.extract(account, facts) for f in features]
    plan = plan_feature(account.plan, plans)
    row.extend(float(p == plan) for p in plans)
    return row
