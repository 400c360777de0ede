"""A simulated book history whose ground truth is known: quarterly snapshots and outcomes.

Each account is followed over ``snapshots`` quarter ends. Its state drifts (seat use,
logins, tickets, NPS, the renewal coming round each year) and whether it expands in
the 90 days after a snapshot is drawn from a logistic model of KNOWN factors
(`TRUE_WEIGHTS`): usage pressure, a renewal within 90 days, engagement (logins), the
plan, tenure and open tickets. Several signals the fixed readiness score rewards
(company growth, a new initiative, feature requests) have no effect here, and three
factors it ignores (logins, plan, tenure) do: a calibrated model should recover them.

CLI::

    python bench/simulate_history.py OUT_DIR [--accounts N] [--snapshots S] [--seed X]

writes ``snapshots.csv`` (accounts with a ``snapshot_date`` column) and ``outcomes.csv``
(``account_id, snapshot_date, expanded, churned``).
"""

from __future__ import annotations

import argparse
import csv
import math
import random
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from dateutil.relativedelta import relativedelta

PLANS = ("Starter", "Growth", "Business")
TRUE_WEIGHTS: dict[str, float] = {
    "intercept": -3.4,
    "usage_pressure": 2.6,
    "renewal_within_90d": 1.7,
    "engagement": 1.1,
    "plan_growth": 0.9,
    "tenure_over_2y": 0.8,
    "open_ticket": -1.4,
    "recent_promoter": 0.5,
}
"""The factors that decide expansion in this world, on the logit scale."""
COLUMNS = [
    "snapshot_date", "account_id", "account_name", "plan", "arr", "relationship_status",
    "seats_purchased", "seats_used", "logins_per_month", "renewal_date", "nps", "nps_date",
    "open_tickets_high", "last_contact_date", "company_employees_at_purchase",
    "company_employees_now", "new_initiative", "feature_requests", "customer_since",
]  # fmt: skip


@dataclass
class _Account:
    account_id: str
    plan: str
    seats: int
    used: float
    logins: float
    since: date
    renewal: date
    employees: int
    growth: float


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def true_probability(row: dict[str, Any], as_of: date) -> float:
    """The ground-truth chance that the account of ``row`` expands within 90 days."""
    w = TRUE_WEIGHTS
    usage = row["seats_used"] / row["seats_purchased"]
    renewal_days = (date.fromisoformat(row["renewal_date"]) - as_of).days
    logit = w["intercept"]
    logit += w["usage_pressure"] * max(0.0, usage - 0.6) / 0.4
    logit += w["renewal_within_90d"] * (0 <= renewal_days <= 90)
    logit += w["engagement"] * max(-1.0, min(1.0, math.log(row["logins_per_month"] / 12)))
    logit += w["plan_growth"] * (row["plan"] == "Growth")
    tenure = (as_of - date.fromisoformat(row["customer_since"])).days / 365.25
    logit += w["tenure_over_2y"] * (tenure > 2)
    logit += w["open_ticket"] * (row["open_tickets_high"] > 0)
    promoter = row["nps"] != "" and row["nps"] >= 9 and row["nps_date"] == as_of.isoformat()
    logit += w["recent_promoter"] * promoter
    return _sigmoid(logit)


def quarter_ends(first: date, count: int) -> list[date]:
    """``count`` quarter ends from ``first`` (itself a quarter end)."""
    return [first + relativedelta(months=3 * i, day=31) for i in range(count)]


def _new_account(i: int, rng: random.Random, start: date) -> _Account:
    seats = rng.choice((10, 20, 25, 40, 50, 100, 200))
    since = start - timedelta(days=rng.randint(60, 1800))
    renewal = since + relativedelta(years=1)
    while renewal < start:
        renewal += relativedelta(years=1)
    return _Account(
        account_id=f"S-{i:05d}",
        plan=rng.choices(PLANS, weights=(3, 3, 2))[0],
        seats=seats,
        used=seats * rng.uniform(0.3, 0.95),
        logins=rng.lognormvariate(2.4, 0.7),
        since=since,
        renewal=renewal,
        employees=rng.randint(30, 3000),
        growth=rng.uniform(-0.05, 0.25),
    )


def _row(acc: _Account, day: date, rng: random.Random) -> dict[str, Any]:
    used = max(1, min(acc.seats, round(acc.used)))
    promoter = rng.random() < 0.25
    tickets = 1 if rng.random() < 0.12 else 0
    return {
        "snapshot_date": day.isoformat(),
        "account_id": acc.account_id,
        "account_name": f"Simulated {acc.account_id}",
        "plan": acc.plan,
        "arr": acc.seats * rng.choice((300, 420, 540)),
        "relationship_status": "healthy" if tickets == 0 else "neutral",
        "seats_purchased": acc.seats,
        "seats_used": used,
        "logins_per_month": round(max(1.0, acc.logins), 1),
        "renewal_date": acc.renewal.isoformat(),
        "nps": rng.randint(9, 10) if promoter else rng.choice(("", 6, 7, 8)),
        "nps_date": day.isoformat() if promoter else "",
        "open_tickets_high": tickets,
        "last_contact_date": (day - timedelta(days=rng.randint(3, 50))).isoformat(),
        "company_employees_at_purchase": acc.employees,
        "company_employees_now": round(acc.employees * (1 + acc.growth)),
        "new_initiative": "new region launch" if rng.random() < 0.2 else "",
        "feature_requests": "SSO; audit log" if rng.random() < 0.25 else "",
        "customer_since": acc.since.isoformat(),
    }


def simulate(
    accounts: int = 2000, snapshots: int = 8, seed: int = 7, first: date = date(2024, 3, 31)
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Return (snapshot rows, outcome rows) of a simulated history."""
    rng = random.Random(seed)
    days = quarter_ends(first, snapshots)
    book = [_new_account(i, rng, days[0]) for i in range(accounts)]
    rows: list[dict[str, Any]] = []
    outcomes: list[dict[str, Any]] = []
    for day in days:
        for acc in book:
            while acc.renewal < day:
                acc.renewal += relativedelta(years=1)
            row = _row(acc, day, rng)
            expanded = rng.random() < true_probability(row, day)
            rows.append(row)
            outcomes.append({
                "account_id": acc.account_id,
                "snapshot_date": day.isoformat(),
                "expanded": int(expanded),
                "churned": int(not expanded and rng.random() < 0.02),
            })  # fmt: skip
            if expanded:
                acc.seats = math.ceil(acc.seats * rng.uniform(1.15, 1.4))
            acc.used = min(acc.seats * 1.0, acc.used * rng.uniform(0.98, 1.12))
            acc.logins = max(1.0, acc.logins * rng.uniform(0.8, 1.25))
    return rows, outcomes


def write(out_dir: Path, rows: list[dict[str, Any]], outcomes: list[dict[str, Any]]) -> None:
    """Write ``snapshots.csv`` and ``outcomes.csv`` into ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    with (out_dir / "snapshots.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    with (out_dir / "outcomes.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(
            handle, fieldnames=["account_id", "snapshot_date", "expanded", "churned"]
        )
        writer.writeheader()
        writer.writerows(outcomes)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--accounts", type=int, default=2000)
    parser.add_argument("--snapshots", type=int, default=8)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rows, outcomes = simulate(args.accounts, args.snapshots, args.seed)
    write(args.out_dir, rows, outcomes)
    print(f"{len(rows):,} snapshot rows, {sum(o['expanded'] for o in outcomes):,} expansions")


if __name__ == "__main__":
    main()
