"""The sample book against the hand-computed expectations in examples/expected.json."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from playbook.tools.book import score_book

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
EXPECTED = {
    k: v
    for k, v in json.loads((EXAMPLES / "expected.json").read_text()).items()
    if not k.startswith("_")
}


@pytest.fixture(scope="module")
def scored() -> dict[str, dict]:  # type: ignore[type-arg]
    book = score_book(EXAMPLES / "accounts.csv", as_of=date(2026, 11, 23))
    assert not book.errors
    return {a.account_id: a.model_dump(mode="json") for a in book.ranked}


def test_every_expected_account_is_scored(scored: dict[str, dict]) -> None:  # type: ignore[type-arg]
    assert len(EXPECTED) >= 36
    assert set(EXPECTED) == set(scored)


@pytest.mark.parametrize("account_id", sorted(EXPECTED))
def test_decided_facts_match_the_hand_computed_ones(
    scored: dict[str, dict], account_id: str  # type: ignore[type-arg]
) -> None:
    exp, got = EXPECTED[account_id], scored[account_id]
    assert got["readiness_score"] == exp["readiness_score"]
    assert got["tier"] == exp["tier"]
    assert {s["name"] for s in got["signals"]} == set(exp["signals"])
    assert {g["name"] for g in got["gates"]} == set(exp["gates"])
    assert (got["offer"]["type"] if got["offer"] else None) == exp["offer_type"]
    assert (got["trigger"]["type"] if got["trigger"] else None) == exp["trigger_type"]


def test_the_book_covers_every_tier_gate_offer_and_trigger(scored: dict[str, dict]) -> None:  # type: ignore[type-arg]
    tiers = {a["tier"] for a in scored.values()}
    gates = {g["name"] for a in scored.values() for g in a["gates"]}
    offers = {a["offer"]["type"] for a in scored.values() if a["offer"]}
    triggers = {a["trigger"]["type"] for a in scored.values() if a["trigger"]}
    assert tiers == {"priority", "ready", "candidate", "not_yet"}
    assert gates >= {"open_problem", "gone_quiet", "low_usage", "at_risk"}
    assert offers == {"capacity", "tier_upgrade", "cross_sell", "professional_services", "multi_year"}
    assert len(triggers) == 10
