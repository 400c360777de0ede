"""The shipped example files parse and are internally consistent; the bench generator works."""

from __future__ import annotations

import csv
import importlib.util
import json
import time
from datetime import date
from pathlib import Path
from types import ModuleType

import pytest
import yaml

from playbook.tools.models.account import Account, CatalogItem
from playbook.tools.vocab import OfferType, SignalName, Tier

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
AS_OF = date(2026, 11, 23)

CONTRACT_COLUMNS = [
    "account_id", "account_name", "contact_name", "contact_role", "plan", "arr", "currency",
    "relationship_status", "seats_purchased", "seats_used", "usage_limit", "usage_current",
    "active_users", "logins_per_month", "team_size_at_purchase", "team_size_now",
    "departments_at_purchase", "departments_now", "company_employees_at_purchase",
    "company_employees_now", "company_revenue_growth_pct", "positive_outcome",
    "positive_outcome_date", "nps", "nps_date", "feature_requests", "new_initiative",
    "renewal_date", "open_tickets_high", "last_contact_date", "products_owned", "notes",
]  # fmt: skip
GATES = {"open_problem", "gone_quiet", "low_usage", "quarter_end", "at_risk"}
TRIGGERS = {
    "success_moment", "usage_ceiling", "team_growth", "new_initiative", "renewal_ahead",
    "onboarding_complete", "champion_event", "org_change", "budget_cycle", "product_launch",
}  # fmt: skip
DATE_COLUMNS = ["positive_outcome_date", "nps_date", "renewal_date", "last_contact_date"]


def _tier(score: int) -> str:
    if score >= 35:
        return "priority"
    if score >= 20:
        return "ready"
    return "candidate" if score >= 10 else "not_yet"


def _rows(name: str) -> tuple[list[str], list[dict[str, str]]]:
    with (EXAMPLES / name).open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        rows = list(reader)
        return list(reader.fieldnames or []), rows


def _generator() -> ModuleType:
    path = ROOT / "bench" / "generate.py"
    spec = importlib.util.spec_from_file_location("bench_generate", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def gen() -> ModuleType:
    return _generator()


# ------------------------------------------------------------------ accounts.csv


def test_contract_columns_match_account_model() -> None:
    added = {"row", "notes_date", "customer_since", "snapshot_date", "extra"}  # beyond the contract
    model_fields = [f for f in Account.model_fields if f not in added]
    assert model_fields == CONTRACT_COLUMNS


def test_accounts_csv_has_every_canonical_column_and_extras() -> None:
    header, rows = _rows("accounts.csv")
    assert header[: len(CONTRACT_COLUMNS)] == CONTRACT_COLUMNS
    assert {"industry", "csm_owner"} <= set(header)
    assert len(rows) >= 36
    assert all(len(r) == len(header) and None not in r for r in rows)


def test_accounts_csv_ids_unique_and_values_valid() -> None:
    _, rows = _rows("accounts.csv")
    ids = [r["account_id"] for r in rows]
    assert len(ids) == len(set(ids))
    for r in rows:
        for col in DATE_COLUMNS:
            if r[col]:
                date.fromisoformat(r[col])
        if r["nps"]:
            assert 0 <= int(r["nps"]) <= 10
        assert r["relationship_status"] in {"", "healthy", "neutral", "at-risk"}
        arr = float(r["arr"])
        assert 8_000 <= arr <= 900_000
        Account.model_validate(
            {
                **{k: v for k, v in r.items() if k in CONTRACT_COLUMNS and v != ""},
                "feature_requests": [x for x in r["feature_requests"].split(";") if x],
                "products_owned": [x for x in r["products_owned"].split(";") if x],
            }
        )


def test_accounts_csv_has_notes_on_many_rows_and_dated_headers() -> None:
    _, rows = _rows("accounts.csv")
    with_notes = [r for r in rows if r["notes"].strip()]
    assert len(with_notes) >= len(rows) // 2
    assert any(r["notes"][:10].count("-") == 2 and r["notes"][4] == "-" for r in with_notes)


# ------------------------------------------------------------------ expected.json


def test_expected_json_covers_the_book_and_is_consistent() -> None:
    _, rows = _rows("accounts.csv")
    expected = json.loads((EXAMPLES / "expected.json").read_text(encoding="utf-8"))
    assert set(expected) == {r["account_id"] for r in rows}
    points = {
        "usage_80": 12, "positive_outcome_90d": 10, "team_grew": 8, "asked_missing_features": 8,
        "nps_or_praise_60d": 7, "renewal_60_120d": 5, "new_initiative": 5,
        "shared_single_seat": 5, "company_grew": 4,
    }  # fmt: skip
    for acc_id, e in expected.items():
        assert set(e["signals"]) <= {s.value for s in SignalName}, acc_id
        assert sum(points[s] for s in e["signals"]) == e["readiness_score"], acc_id
        assert e["tier"] == _tier(e["readiness_score"]), acc_id
        assert e["tier"] in {t.value for t in Tier}, acc_id
        assert set(e["gates"]) <= GATES, acc_id
        assert e["offer_type"] is None or e["offer_type"] in {o.value for o in OfferType}, acc_id
        if e["gates"] or e["tier"] == "not_yet":
            assert e["offer_type"] is None, acc_id
        assert e["trigger_type"] is None or e["trigger_type"] in TRIGGERS, acc_id


def test_expected_json_exercises_every_tier_signal_gate_offer_and_trigger() -> None:
    expected = json.loads((EXAMPLES / "expected.json").read_text(encoding="utf-8"))
    values = list(expected.values())
    for tier in Tier:
        assert sum(e["tier"] == tier.value for e in values) >= 5, tier
    scores = {e["readiness_score"] for e in values}
    assert {9, 10, 19, 20, 34, 35} <= scores
    for sig in SignalName:
        assert sum(sig.value in e["signals"] for e in values) >= 2, sig
    for gate in GATES - {"quarter_end"}:
        assert any(gate in e["gates"] for e in values), gate
    for offer in OfferType:
        assert sum(e["offer_type"] == offer.value for e in values) >= 2, offer
    assert {e["trigger_type"] for e in values} >= TRIGGERS
    assert any(e.get("cross_sell_skipped_no_trust") for e in values)


# ------------------------------------------------------------------ catalog, ICP, CRM export


def test_offer_catalog_parses_and_covers_every_offer_type() -> None:
    data = yaml.safe_load((EXAMPLES / "offer_catalog.yaml").read_text(encoding="utf-8"))
    items = [CatalogItem.model_validate(i) for i in data["items"]]
    assert 12 <= len(items) <= 16
    assert len({i.id for i in items}) == len(items)
    counts = {t: sum(i.type == t for i in items) for t in OfferType}
    assert all(n >= 1 for n in counts.values()), counts
    assert counts[OfferType.TIER_UPGRADE] == 3
    for item in items:
        assert item.currency == "USD"
        if item.type == OfferType.TIER_UPGRADE:
            assert item.target_plan and item.features and item.for_plans
        if item.type == OfferType.CAPACITY:
            assert item.unit in {"seats", "volume"}
        if item.type == OfferType.CROSS_SELL:
            assert item.answers
        assert 0 <= item.max_discount_pct <= 10
    names = {i.name for i in items}
    assert "Additional seats" in names


def test_icp_parses() -> None:
    icp = yaml.safe_load((EXAMPLES / "icp.yaml").read_text(encoding="utf-8"))
    assert set(icp["segments"]) == {"mid-market", "enterprise"}
    assert set(icp["plans"]) == {"Team", "Business"}
    assert icp["employees"]["min"] < icp["employees"]["max"]
    assert icp["behaviours"]["min_usage_pct"] == 70
    assert icp["behaviours"]["min_departments"] == 2
    assert icp["behaviours"]["min_nps"] == 8


def test_crm_export_parses_with_two_deliberate_bad_rows() -> None:
    header, rows = _rows("accounts_crm_export.csv")
    assert {"Account Name", "Record ID", "Annual Recurring Revenue", "Licenses Purchased",
            "Licenses Used", "Renewal Date", "NPS Score", "Account Health",
            "CSM Notes"} <= set(header)  # fmt: skip
    assert len(rows) == 8
    bad_nps = [r for r in rows if r["NPS Score"] and not 0 <= int(r["NPS Score"]) <= 10]
    bad_dates = []
    for r in rows:
        try:
            date.fromisoformat(r["Renewal Date"])
        except ValueError:
            bad_dates.append(r)
    assert len(bad_nps) == 1 and len(bad_dates) == 1


def test_notes_files_exist_and_adversarial_note_is_present() -> None:
    notes = sorted((EXAMPLES / "notes").glob("*.txt"))
    assert len(notes) >= 5
    texts = {p.name: p.read_text(encoding="utf-8") for p in notes}
    assert all(len(t) > 300 for t in texts.values())
    assert any("Ignore all previous instructions" in t for t in texts.values())


# ------------------------------------------------------------------ bench generator


def test_generate_book_count_columns_unique_ids(gen: ModuleType) -> None:
    rows = list(gen.generate_book(500, seed=3))
    assert len(rows) == 500
    assert len({r["account_id"] for r in rows}) == 500
    for r in rows:
        assert set(CONTRACT_COLUMNS) <= set(r)
        assert all(isinstance(v, str) for v in r.values())
        for col in DATE_COLUMNS:
            if r[col]:
                date.fromisoformat(r[col])
    assert 0.2 <= sum(bool(r["notes"]) for r in rows) / 500 <= 0.4
    assert list(gen.generate_book(0)) == []


def test_generate_book_is_deterministic_for_a_seed(gen: ModuleType) -> None:
    a = list(gen.generate_book(200, seed=11, as_of=AS_OF))
    b = list(gen.generate_book(200, seed=11, as_of=AS_OF))
    c = list(gen.generate_book(200, seed=12, as_of=AS_OF))
    assert a == b
    assert a != c


def test_generate_book_varies_status_and_plans(gen: ModuleType) -> None:
    rows = list(gen.generate_book(1000))
    assert {r["plan"] for r in rows} == {"Starter", "Team", "Business", "Enterprise"}
    assert {"healthy", "neutral", "at-risk"} <= {r["relationship_status"] for r in rows}
    assert any(int(r["open_tickets_high"]) > 0 for r in rows)
    assert any(r["logins_per_month"] and float(r["logins_per_month"]) <= 2 for r in rows)


def test_generate_cli_writes_csv_fast(gen: ModuleType, tmp_path: Path) -> None:
    out = tmp_path / "book.csv"
    started = time.perf_counter()
    assert gen.main(["10000", str(out), "--seed", "5"]) == 0
    assert time.perf_counter() - started < 3.0  # < 1 s on a dev machine; slack for CI
    with out.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        rows = list(reader)
    assert len(rows) == 10000
    assert (reader.fieldnames or [])[: len(CONTRACT_COLUMNS)] == CONTRACT_COLUMNS
