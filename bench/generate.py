"""Synthetic account books for benchmarks and load tests.

`generate_book(n, seed, as_of)` yields `n` realistic, varied rows with every
canonical account column (plus the `industry`, `csm_owner` and
`payment_status` extras a real CRM export carries). Each row is drawn from an
archetype (power user, growing, steady, new customer, dormant, troubled, gone
quiet, low usage) so that all readiness tiers, gates, offer types and trigger
kinds appear in plausible proportions. About 30% of rows carry a short CSM
note. Deterministic for a given seed and `as_of`.

CLI::

    python bench/generate.py N OUT.csv [--seed S] [--as-of YYYY-MM-DD]
"""

from __future__ import annotations

import argparse
import csv
import math
import random
import sys
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

CANONICAL_COLUMNS: list[str] = [
    "account_id",
    "account_name",
    "contact_name",
    "contact_role",
    "plan",
    "arr",
    "currency",
    "relationship_status",
    "seats_purchased",
    "seats_used",
    "usage_limit",
    "usage_current",
    "active_users",
    "logins_per_month",
    "team_size_at_purchase",
    "team_size_now",
    "departments_at_purchase",
    "departments_now",
    "company_employees_at_purchase",
    "company_employees_now",
    "company_revenue_growth_pct",
    "positive_outcome",
    "positive_outcome_date",
    "nps",
    "nps_date",
    "feature_requests",
    "new_initiative",
    "renewal_date",
    "open_tickets_high",
    "last_contact_date",
    "products_owned",
    "notes",
]
EXTRA_COLUMNS: list[str] = ["industry", "csm_owner", "payment_status"]
COLUMNS: list[str] = CANONICAL_COLUMNS + EXTRA_COLUMNS

DEFAULT_AS_OF = date(2026, 11, 23)

# plan: (weight, list price per seat / year, seat range, employee range)
PLANS: dict[str, tuple[float, int, tuple[int, int], tuple[int, int]]] = {
    "Starter": (0.24, 300, (5, 40), (20, 250)),
    "Team": (0.40, 540, (10, 160), (80, 2500)),
    "Business": (0.28, 900, (40, 500), (300, 8000)),
    "Enterprise": (0.08, 1200, (200, 2000), (2000, 40000)),
}
NEXT_TIER_FEATURES: dict[str, list[str]] = {
    "Starter": ["API access", "scheduled reports", "shared workspaces", "workflow automation"],
    "Team": ["SSO", "audit logs", "advanced reporting", "custom roles", "approval workflows"],
    "Business": [
        "sandbox",
        "SCIM provisioning",
        "data residency",
        "customer-managed encryption keys",
    ],
    "Enterprise": [],
}

# archetype: (weight, probabilities of the nine signals, gate probabilities, status weights)
# signal order: usage, outcome, team, features, nps, renewal, initiative, shared, company
ARCHETYPES: dict[str, tuple[float, tuple[float, ...], dict[str, float], tuple[float, ...]]] = {
    "power": (
        0.10,
        (0.85, 0.8, 0.75, 0.4, 0.75, 0.35, 0.35, 0.4, 0.7),
        {"open_problem": 0.05, "gone_quiet": 0.02},
        (0.95, 0.05, 0.0),
    ),
    "growing": (
        0.20,
        (0.5, 0.5, 0.5, 0.4, 0.45, 0.25, 0.35, 0.15, 0.5),
        {"open_problem": 0.05, "gone_quiet": 0.03},
        (0.85, 0.15, 0.0),
    ),
    "steady": (
        0.26,
        (0.25, 0.3, 0.2, 0.35, 0.3, 0.2, 0.2, 0.05, 0.3),
        {"open_problem": 0.04, "gone_quiet": 0.04},
        (0.7, 0.3, 0.0),
    ),
    "new": (
        0.07,
        (0.1, 0.4, 0.1, 0.2, 0.3, 0.0, 0.2, 0.0, 0.2),
        {"open_problem": 0.05},
        (0.8, 0.2, 0.0),
    ),
    "dormant": (
        0.17,
        (0.05, 0.05, 0.05, 0.15, 0.1, 0.2, 0.05, 0.0, 0.2),
        {"open_problem": 0.03, "gone_quiet": 0.15, "low_usage": 0.1},
        (0.4, 0.6, 0.0),
    ),
    "troubled": (
        0.10,
        (0.2, 0.1, 0.1, 0.3, 0.02, 0.3, 0.1, 0.05, 0.2),
        {"open_problem": 0.6, "at_risk": 0.5},
        (0.1, 0.4, 0.5),
    ),
    "quiet": (
        0.06,
        (0.1, 0.05, 0.1, 0.2, 0.02, 0.2, 0.1, 0.02, 0.2),
        {"gone_quiet": 1.0},
        (0.3, 0.6, 0.1),
    ),
    "low_usage": (
        0.04,
        (0.0, 0.02, 0.05, 0.2, 0.05, 0.2, 0.1, 0.0, 0.2),
        {"low_usage": 1.0},
        (0.4, 0.5, 0.1),
    ),
}
STATUSES = ("healthy", "neutral", "at-risk")

INDUSTRIES = [
    "fintech",
    "healthcare",
    "logistics",
    "retail",
    "manufacturing",
    "SaaS",
    "education",
    "public sector",
    "media",
    "energy",
]
NAME_HEADS = [
    "Northfield",
    "Bluewater",
    "Kestrel",
    "Harbor",
    "Silverline",
    "Redwood",
    "Copperleaf",
    "Summit",
    "Meridian",
    "Lakeside",
    "Ironwood",
    "Granite",
    "Brightpath",
    "Cedar",
    "Aurora",
    "Falcon",
    "Tidewater",
    "Westbrook",
    "Oakridge",
    "Pinecrest",
    "Stonegate",
    "Riverbend",
    "Evergreen",
    "Highland",
    "Sunrise",
    "Blackstone",
    "Fjord",
    "Sakura",
    "Baobab",
    "Mistral",
    "Andes",
    "Danube",
    "Nordlicht",
    "Sahara",
    "Quartz",
    "Helix",
    "Orbital",
    "Vertex",
    "Zephyr",
    "Lumen",
    "Cobalt",
    "Juniper",
    "Saffron",
    "Tundra",
    "Coral",
    "Atlas",
    "Vela",
    "Ember",
]
NAME_TAILS: dict[str, list[str]] = {
    "fintech": ["Payments", "Capital", "Credit Union", "Pay", "Lending", "Insurance Brokers"],
    "healthcare": ["Health Partners", "Clinics", "Medical Group", "Care Network", "Labs"],
    "logistics": ["Freight", "Logistics", "Shipping", "Transport", "Cargo"],
    "retail": ["Retail Group", "Outfitters", "Markets", "Stores", "Home & Garden"],
    "manufacturing": ["Manufacturing", "Precision Parts", "Steelworks", "Plastics", "Robotics"],
    "SaaS": ["Software", "Cloud", "Labs", "Systems", "Technologies"],
    "education": ["Academy Trust", "University", "Learning", "College", "Schools"],
    "public sector": ["County", "Municipal Services", "Transit Authority", "City Council"],
    "media": ["Media", "Studios", "Publishing", "Radio", "News Group"],
    "energy": ["Energy", "Solar", "Grid Services", "Power Cooperative", "Utilities"],
}
FIRST_NAMES = [
    "Sofia",
    "Lars",
    "Priya",
    "Jürgen",
    "Chloé",
    "Rafael",
    "Amelia",
    "Kenji",
    "Giulia",
    "Tomáš",
    "Naledi",
    "Oliver",
    "Siobhan",
    "Kwame",
    "Ingrid",
    "Arjun",
    "Elif",
    "Camille",
    "Wei",
    "Lucía",
    "Henrik",
    "Fiona",
    "Marcus",
    "Denise",
    "Hannah",
    "Dominik",
    "Aisha",
    "Mateo",
    "Yuki",
    "Olga",
    "Fatima",
    "Ahmed",
    "Zanele",
    "Björn",
    "Ana",
    "João",
    "Meera",
    "Ngozi",
    "Pierre",
    "Katarzyna",
    "Hiroshi",
    "Emma",
    "Luca",
    "Sven",
    "Maribel",
    "Kofi",
]
LAST_NAMES = [
    "Marchetti",
    "Eriksen",
    "Raman",
    "Hoffmann",
    "Dubois",
    "Mendoza",
    "Okafor",
    "Watanabe",
    "Bianchi",
    "Dvořák",
    "Khumalo",
    "Grant",
    "O'Neill",
    "Mensah",
    "Sørensen",
    "Mehta",
    "Yıldız",
    "Laurent",
    "Zhang",
    "Fernández",
    "Lindqvist",
    "MacLeod",
    "Bell",
    "Carter",
    "Whitfield",
    "Nowak",
    "Bello",
    "García",
    "Tanaka",
    "Ivanova",
    "Haddad",
    "Nkosi",
    "Silva",
    "Kowalska",
    "Nakamura",
    "Larsen",
    "Rossi",
    "Johansson",
    "Ortega",
    "Boateng",
    "Müller",
]
ROLES = [
    "Head of Operations",
    "Director of Analytics",
    "VP Finance",
    "Operations Manager",
    "Head of Data",
    "Chief Operating Officer",
    "IT Director",
    "Revenue Operations Lead",
    "Director of Supply Chain",
    "Head of Customer Success",
    "BI Manager",
    "Controller",
]
CSM_OWNERS = ["Maya Chen", "Tobias Richter", "Aisha Bello", "Daniel Souza", "Lena Fischer"]
OUTCOMES = [
    "Cut month-end close from {a} days to {b}",
    "Automated weekly reporting; {h} analyst hours saved per quarter",
    "Inventory dashboard reduced stock-outs by {p}%",
    "On-time delivery reporting automated across {n} sites",
    "Churn-risk report helped retain {n} key customers",
    "Scrap-rate dashboard saved about ${k}k in Q3",
    "Self-serve reports cut ad-hoc data requests by {p}%",
]
# (initiative, the adjacent pain a CSM would note about it)
INITIATIVES: list[tuple[str, str]] = [
    (
        "Moving reporting data into Snowflake",
        "Today they pay for Fivetran and maintain hand-written load scripts.",
    ),
    (
        "Demand forecasting for next year's planning cycle",
        "The planning team still builds the forecast in spreadsheets every week.",
    ),
    (
        "Customer-facing analytics portal for their clients",
        "Their clients get weekly CSV exports by email today.",
    ),
    (
        "Central customer-support team with one helpdesk",
        "Support questions land in a shared inbox and a Zendesk trial nobody owns.",
    ),
    (
        "Migrating legacy Tableau reports",
        "{contact} is frustrated with how slowly their internal team is moving the old reports.",
    ),
    (
        "Roll-out to {n} new sites next year",
        "{contact} wants to go faster than their two-person IT team allows.",
    ),
    (
        "Workforce planning for the new fiscal year",
        "{date} call: Our Forecasting module went GA this month; it matches their planning work.",
    ),
]
NOTE_TEMPLATES: dict[str, list[str]] = {
    "growth": [
        "{date} call: They hired {n} more analysts this quarter and want them on Northwind.",
        "{date} call: A new {dept} team started using the dashboards last month.",
    ],
    "ceiling": [
        "They are at {used} of {seats} seats; two people share one login.",
        "{date} call: Close to the API call limit; one sync was paused last week.",
    ],
    "win": [
        "{date} QBR: {contact} reported that the new dashboards cut reporting time by {p}%.",
        "{contact} said, unprompted, that Northwind is the tool the team opens first every day.",
    ],
    "problem": [
        "{date} call: Export failures since the last release; high-severity ticket still open.",
        "{date} call: SSO login errors for part of the team, escalated to engineering.",
    ],
    "quiet": [
        "No reply to the last three emails or the QBR invite.",
        "Sponsor has gone quiet since the summer.",
    ],
    "risk": [
        "{date} call: Finance is evaluating cheaper BI tools ahead of the renewal.",
        "{contact} said they may not renew at the current price.",
    ],
    "champion": [
        "{date} call: {contact} has been promoted to {role}.",
        "{date} call: A new COO joined in October and is reviewing the analytics stack.",
    ],
    "budget": [
        "{date} call: FY{fy} budget planning starts next month; wants numbers before then.",
    ],
    "onboarding": [
        "{date} call: Onboarding completed: all users trained and the last data source connected.",
    ],
    "neutral": [
        "Weekly ops review runs on the Northwind board.",
        "Invoices paid on time; no open asks.",
        "{contact} prefers email over calls; monthly check-in is enough.",
    ],
}


def _weighted(rng: random.Random, items: list[str], weights: list[float]) -> str:
    return rng.choices(items, weights=weights, k=1)[0]


_PLAN_NAMES = list(PLANS)
_PLAN_WEIGHTS = [PLANS[p][0] for p in _PLAN_NAMES]
_ARCH_NAMES = list(ARCHETYPES)
_ARCH_WEIGHTS = [ARCHETYPES[a][0] for a in _ARCH_NAMES]


def _iso(d: date) -> str:
    return d.isoformat()


def _row(i: int, rng: random.Random, as_of: date) -> dict[str, str]:
    arch = _weighted(rng, _ARCH_NAMES, _ARCH_WEIGHTS)
    _, p_sig, p_gate, status_w = ARCHETYPES[arch]
    (p_usage, p_outcome, p_team, p_feat, p_nps, p_renewal, p_init, p_shared, p_company) = p_sig
    plan = _weighted(rng, _PLAN_NAMES, _PLAN_WEIGHTS)
    _, price, (s_lo, s_hi), (e_lo, e_hi) = PLANS[plan]
    industry = rng.choice(INDUSTRIES)
    contact_first = rng.choice(FIRST_NAMES)
    contact = f"{contact_first} {rng.choice(LAST_NAMES)}"
    status = _weighted(rng, list(STATUSES), list(status_w))
    if p_gate.get("at_risk", 0.0) and rng.random() < p_gate["at_risk"]:
        status = "at-risk"

    def days(lo: int, hi: int) -> date:
        return as_of + timedelta(days=rng.randint(lo, hi))

    row: dict[str, str] = dict.fromkeys(COLUMNS, "")
    row["account_id"] = f"B-{i + 1:06d}"
    row["account_name"] = f"{rng.choice(NAME_HEADS)} {rng.choice(NAME_TAILS[industry])}"
    row["industry"] = industry
    row["csm_owner"] = rng.choice(CSM_OWNERS)
    row["contact_name"] = contact if rng.random() > 0.03 else ""
    row["contact_role"] = rng.choice(ROLES) if row["contact_name"] else ""
    row["plan"] = plan
    row["currency"] = _weighted(rng, ["USD", "EUR", "GBP"], [0.85, 0.1, 0.05])
    row["relationship_status"] = status if rng.random() > 0.02 else ""

    # capacity and usage
    seats = rng.randint(s_lo, s_hi)
    usage80 = rng.random() < p_usage
    use_volume = plan != "Starter" and rng.random() < 0.35
    volume_hot = usage80 and use_volume and rng.random() < 0.4
    shared = usage80 and not volume_hot and rng.random() < p_shared / max(p_usage, 0.01)
    if usage80 and not volume_hot:
        seats_used = rng.randint(math.ceil(0.8 * seats), seats)
    else:
        seats_used = max(1, int(seats * rng.uniform(0.25, 0.79)))
    low_adoption = arch in ("dormant", "low_usage") or rng.random() < 0.06
    if shared:
        active = seats + rng.randint(1, max(2, seats // 8))
    elif low_adoption:
        active = max(1, int(seats * rng.uniform(0.1, 0.49)))
    else:
        active = max(1, seats_used - rng.randint(0, max(1, seats_used // 20)))
    row["seats_purchased"] = str(seats)
    row["seats_used"] = str(min(seats_used, seats))
    row["active_users"] = str(active)
    if use_volume:
        limit = rng.choice([1_000_000, 2_000_000, 5_000_000, 10_000_000, 25_000_000])
        ratio = rng.uniform(0.8, 0.99) if volume_hot else rng.uniform(0.1, 0.79)
        row["usage_limit"] = str(limit)
        row["usage_current"] = str(int(limit * ratio))
    if p_gate.get("low_usage", 0.0) and rng.random() < p_gate["low_usage"]:
        logins = rng.randint(0, 2)
    else:
        logins = rng.randint(3, 40) if arch != "dormant" else rng.randint(3, 8)
    row["logins_per_month"] = str(logins)

    # growth
    team0 = max(2, min(seats, int(seats * rng.uniform(0.3, 0.9))))
    dept0 = rng.randint(1, 3)
    team_grew = rng.random() < p_team
    if team_grew:
        if rng.random() < 0.5:
            row["team_size_now"] = str(team0 + rng.randint(2, max(3, team0 // 2)))
            row["departments_now"] = str(dept0)
        else:
            row["team_size_now"] = str(team0)
            row["departments_now"] = str(dept0 + rng.randint(1, 2))
    else:
        row["team_size_now"] = str(max(1, team0 - rng.randint(0, 2)))
        row["departments_now"] = str(dept0)
    row["team_size_at_purchase"] = str(team0)
    row["departments_at_purchase"] = str(dept0)
    emp0 = rng.randint(e_lo, e_hi)
    row["company_employees_at_purchase"] = str(emp0)
    if rng.random() < p_company:
        row["company_employees_now"] = str(int(emp0 * rng.uniform(1.03, 1.4)))
        row["company_revenue_growth_pct"] = str(rng.randint(3, 45)) if rng.random() < 0.5 else ""
    else:
        row["company_employees_now"] = str(int(emp0 * rng.uniform(0.85, 1.0)))
        row["company_revenue_growth_pct"] = str(rng.randint(-12, 0)) if rng.random() < 0.4 else ""

    # interactions
    if rng.random() < p_outcome:
        out_date = days(-90, 0)
    elif rng.random() < 0.3:
        out_date = days(-400, -91)
    else:
        out_date = None
    if out_date is not None:
        row["positive_outcome"] = rng.choice(OUTCOMES).format(
            a=rng.randint(5, 9),
            b=rng.randint(2, 4),
            h=rng.randint(50, 900),
            p=rng.randint(8, 35),
            n=rng.randint(2, 12),
            k=rng.randint(40, 400),
        )
        row["positive_outcome_date"] = _iso(out_date)
    roll = rng.random()
    if roll < p_nps:
        row["nps"], row["nps_date"] = str(rng.randint(8, 10)), _iso(days(-60, 0))
    elif roll < p_nps + 0.35:
        low = arch in ("troubled", "quiet")
        row["nps"] = str(rng.randint(0, 6) if low else rng.randint(5, 10))
        row["nps_date"] = _iso(days(-300, -61)) if rng.random() < 0.6 else _iso(days(-60, 0))
        if row["nps_date"] >= _iso(as_of - timedelta(days=60)) and int(row["nps"]) >= 8:
            row["nps"] = str(rng.randint(3, 7))
    features = NEXT_TIER_FEATURES[plan]
    if features and rng.random() < p_feat:
        row["feature_requests"] = ";".join(rng.sample(features, k=rng.randint(1, 2)))
    pain = ""
    if rng.random() < p_init:
        initiative, pain = rng.choice(INITIATIVES)
        row["new_initiative"] = initiative.format(n=rng.randint(2, 12))
    if arch == "new":
        row["renewal_date"] = _iso(days(240, 360))
    elif rng.random() < p_renewal:
        row["renewal_date"] = _iso(days(60, 120))
    elif rng.random() < 0.95:
        row["renewal_date"] = _iso(days(121, 365) if rng.random() < 0.8 else days(10, 59))
    problem = rng.random() < p_gate.get("open_problem", 0.0)
    row["open_tickets_high"] = str(rng.randint(1, 3) if problem else 0)
    quiet = rng.random() < p_gate.get("gone_quiet", 0.0)
    row["last_contact_date"] = _iso(days(-200, -61) if quiet else days(-60, 0))
    owned = [f"Northwind {plan}"]
    for addon in ("Data Warehouse Connector", "Embedded Analytics", "Forecasting module"):
        if plan in ("Business", "Enterprise") and rng.random() < 0.2:
            owned.append(addon)
    row["products_owned"] = ";".join(owned)
    row["arr"] = str(
        int(round(seats * price * rng.uniform(0.8, 1.05) + 12000 * (len(owned) - 1), -1))
    )
    row["payment_status"] = _weighted(
        rng, ["on_time", "late", "overdue", ""], [0.82, 0.08, 0.03, 0.07]
    )

    # short notes on ~30% of rows, in line with the archetype
    if rng.random() < 0.3:
        if problem:
            kind = "problem"
        elif quiet:
            kind = "quiet"
        elif status == "at-risk":
            kind = "risk"
        elif pain and rng.random() < 0.6:
            kind = "pain"
        elif arch == "new" and rng.random() < 0.6:
            kind = "onboarding"
        else:
            kind = rng.choice(
                ["growth", "ceiling", "win", "champion", "budget", "neutral", "neutral"]
                if arch in ("power", "growing")
                else ["win", "champion", "budget", "neutral", "neutral", "neutral"]
            )
        template = pain if kind == "pain" else rng.choice(NOTE_TEMPLATES[kind])
        text = template.format(
            date=_iso(days(-45, -1)),
            n=rng.randint(2, 15),
            dept=rng.choice(["finance", "sales", "ops"]),
            used=seats_used,
            seats=seats,
            contact=contact_first,
            p=rng.randint(10, 40),
            role=rng.choice(["VP Operations", "COO", "Head of Data"]),
            fy=(as_of.year + 1) % 100,
        )
        row["notes"] = text
    return row


def generate_book(n: int, seed: int = 7, as_of: date = DEFAULT_AS_OF) -> Iterator[dict[str, str]]:
    """Yield `n` synthetic account rows (every canonical column, as strings)."""
    if n < 0:
        raise ValueError("n must be >= 0")
    rng = random.Random(seed)
    for i in range(n):
        yield _row(i, rng, as_of)


def write_csv(
    path: Path, n: int, seed: int = 7, as_of: date = DEFAULT_AS_OF, notes: str | None = None
) -> int:
    """Stream `n` rows to a CSV file; return the number of rows written.

    ``notes`` replaces every account's generated notes ("" leaves them all empty).
    """
    count = 0
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        for row in generate_book(n, seed=seed, as_of=as_of):
            if notes is not None:
                row["notes"] = notes
            writer.writerow(row)
            count += 1
    return count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write a synthetic account book as CSV.")
    parser.add_argument("n", type=int, help="number of accounts")
    parser.add_argument("out", type=Path, help="output CSV path")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--as-of", type=date.fromisoformat, default=DEFAULT_AS_OF, dest="as_of")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    count = write_csv(args.out, args.n, seed=args.seed, as_of=args.as_of)
    elapsed = time.perf_counter() - started
    print(f"wrote {count} accounts to {args.out} in {elapsed:.2f}s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
