"""Rule boundaries of the readiness score, tiers, gates, offer choice, triggers and calendar."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from playbook.tools.dates import fiscal_quarter_bounds, in_quarter_end_window, next_quarter_start
from playbook.tools.models.account import Account, CatalogItem
from playbook.tools.models.findings import NoteFinding, NoteFindings
from playbook.tools.rules.assess import RuleConfig, assess, rank
from playbook.tools.rules.calendar import build_calendar, phase_for_day
from playbook.tools.rules.gates import evaluate_gates
from playbook.tools.rules.health import health_band, opportunity_action
from playbook.tools.rules.pipeline import nrr_band, renewal_timeline, revenue_segments
from playbook.tools.rules.scoring import score_signals, tier_for
from playbook.tools.vocab import GateName, OfferType, SignalName, Tier, TriggerType

AS_OF = date(2026, 11, 23)
NONE = NoteFindings()
CATALOG = [
    CatalogItem(id="seats", name="Additional seats", type="capacity", price=480,
                price_unit="per seat / year", unit="seats"),
    CatalogItem(id="api", name="API volume pack", type="capacity", price=6000,
                price_unit="per year", unit="volume"),
    CatalogItem(id="biz", name="Business plan", type="tier_upgrade", for_plans=["Team"],
                target_plan="Business", features=["SSO", "audit logs", "advanced reporting"]),
    CatalogItem(id="wh", name="Warehouse Connector", type="cross_sell", price=9000,
                answers=["data warehouse", "snowflake"]),
    CatalogItem(id="impl", name="Implementation sprint", type="professional_services",
                price=12000, price_unit="one-off", answers=["launch", "rollout"]),
    CatalogItem(id="3y", name="3-year renewal", type="multi_year", max_discount_pct=8),
]


def acct(**kw: object) -> Account:
    base: dict[str, object] = {"account_id": "T-1", "account_name": "Test Co"}
    base.update(kw)
    return Account(**base)  # type: ignore[arg-type]


def names(account: Account, findings: NoteFindings = NONE) -> set[SignalName]:
    signals, _ = score_signals(account, findings, AS_OF)
    return {s.name for s in signals}


def run(account: Account, findings: NoteFindings = NONE, **cfg: object):  # type: ignore[no-untyped-def]
    config = RuleConfig(as_of=cfg.pop("as_of", AS_OF), catalog=CATALOG, **cfg)  # type: ignore[arg-type]
    return assess(account, config, findings)


@pytest.mark.parametrize(("used", "fires"), [(79, False), (80, True), (100, True), (0, False)])
def test_usage_80_boundary(used: int, fires: bool) -> None:
    assert (SignalName.USAGE_80 in names(acct(seats_purchased=100, seats_used=used))) is fires


def test_usage_takes_the_highest_ratio_and_reports_it() -> None:
    a = acct(seats_purchased=30, seats_used=12, usage_limit=1_000_000, usage_current=870_000)
    signals, _ = score_signals(a, NONE, AS_OF)
    usage = next(s for s in signals if s.name == SignalName.USAGE_80)
    assert usage.evidence == "usage_current=870,000 of usage_limit=1,000,000 (87%)"
    assert usage.points == 12


def test_usage_just_below_threshold_never_rounds_up() -> None:
    a = acct(seats_purchased=1000, seats_used=799)
    assert SignalName.USAGE_80 not in names(a)


@pytest.mark.parametrize(("age", "fires"), [(0, True), (90, True), (91, False), (-1, False)])
def test_positive_outcome_window(age: int, fires: bool) -> None:
    a = acct(positive_outcome="cut close time 40%", positive_outcome_date=AS_OF - timedelta(days=age))
    assert (SignalName.POSITIVE_OUTCOME_90D in names(a)) is fires


def test_outcome_without_date_is_not_scored_and_says_so() -> None:
    signals, not_scored = score_signals(acct(positive_outcome="big win"), NONE, AS_OF)
    assert not signals
    assert any("no date" in n.reason for n in not_scored)


def test_outcome_from_a_dated_note_fires_with_its_quote() -> None:
    finding = NoteFinding(category="signal", name="positive_outcome_90d", quote="cut onboarding by 40%",
                          date=AS_OF - timedelta(days=10), dated_by="header")
    signals, _ = score_signals(acct(), NoteFindings(findings=[finding]), AS_OF)
    (signal,) = signals
    assert signal.source == "notes" and signal.quote == "cut onboarding by 40%"


def test_undated_note_win_does_not_fire() -> None:
    finding = NoteFinding(category="signal", name="positive_outcome_90d", quote="great result")
    signals, not_scored = score_signals(acct(), NoteFindings(findings=[finding]), AS_OF)
    assert not signals
    assert any("without a date" in n.reason for n in not_scored)


@pytest.mark.parametrize(("age", "fires"), [(60, True), (61, False), (0, True)])
def test_nps_window(age: int, fires: bool) -> None:
    a = acct(nps=8, nps_date=AS_OF - timedelta(days=age))
    assert (SignalName.NPS_OR_PRAISE_60D in names(a)) is fires


@pytest.mark.parametrize(("nps", "fires"), [(7, False), (8, True), (10, True)])
def test_nps_threshold(nps: int, fires: bool) -> None:
    a = acct(nps=nps, nps_date=AS_OF - timedelta(days=5))
    assert (SignalName.NPS_OR_PRAISE_60D in names(a)) is fires


@pytest.mark.parametrize(
    ("ahead", "fires"), [(59, False), (60, True), (90, True), (120, True), (121, False)]
)
def test_renewal_window(ahead: int, fires: bool) -> None:
    a = acct(renewal_date=AS_OF + timedelta(days=ahead))
    assert (SignalName.RENEWAL_60_120D in names(a)) is fires


def test_unknown_renewal_is_stated() -> None:
    _, not_scored = score_signals(acct(), NONE, AS_OF)
    assert any(n.reason == "renewal date unknown: the renewal signal was not scored" for n in not_scored)


@pytest.mark.parametrize(
    ("kw", "signal"),
    [
        ({"departments_at_purchase": 1, "departments_now": 2}, SignalName.TEAM_GREW),
        ({"team_size_at_purchase": 20, "team_size_now": 21}, SignalName.TEAM_GREW),
        ({"feature_requests": ["SSO"]}, SignalName.ASKED_MISSING_FEATURES),
        ({"new_initiative": "EMEA launch"}, SignalName.NEW_INITIATIVE),
        ({"active_users": 31, "seats_purchased": 30}, SignalName.SHARED_SINGLE_SEAT),
        ({"company_employees_at_purchase": 200, "company_employees_now": 260}, SignalName.COMPANY_GREW),
        ({"company_revenue_growth_pct": 12.5}, SignalName.COMPANY_GREW),
    ],
)
def test_structured_signals_fire(kw: dict[str, object], signal: SignalName) -> None:
    assert signal in names(acct(**kw))


@pytest.mark.parametrize(
    "kw",
    [
        {"departments_at_purchase": 2, "departments_now": 2},
        {"active_users": 30, "seats_purchased": 30},
        {"company_revenue_growth_pct": 0},
        {"company_employees_at_purchase": 200, "company_employees_now": 180},
    ],
)
def test_structured_signals_do_not_fire_at_equality_or_decline(kw: dict[str, object]) -> None:
    assert names(acct(**kw)) == set()


@pytest.mark.parametrize(
    ("score", "tier"),
    [(0, Tier.NOT_YET), (9, Tier.NOT_YET), (10, Tier.CANDIDATE), (19, Tier.CANDIDATE),
     (20, Tier.READY), (34, Tier.READY), (35, Tier.PRIORITY), (64, Tier.PRIORITY)],
)
def test_tier_edges(score: int, tier: Tier) -> None:
    assert tier_for(score) is tier


def test_full_house_scores_64() -> None:
    a = acct(
        seats_purchased=10, seats_used=10, active_users=12,
        positive_outcome="win", positive_outcome_date=AS_OF,
        departments_at_purchase=1, departments_now=3, feature_requests=["SSO"],
        nps=10, nps_date=AS_OF, renewal_date=AS_OF + timedelta(days=90),
        new_initiative="x", company_revenue_growth_pct=5,
    )
    result = run(a)
    assert result.readiness_score == 64
    assert result.tier == Tier.PRIORITY


@pytest.mark.parametrize(("days_ago", "quiet"), [(60, False), (61, True)])
def test_gone_quiet_boundary(days_ago: int, quiet: bool) -> None:
    a = acct(last_contact_date=AS_OF - timedelta(days=days_ago))
    gates = {g.name for g in evaluate_gates(a, NONE, AS_OF)}
    assert (GateName.GONE_QUIET in gates) is quiet


@pytest.mark.parametrize(
    ("kw", "gate"),
    [
        ({"open_tickets_high": 1}, GateName.OPEN_PROBLEM),
        ({"logins_per_month": 2}, GateName.LOW_USAGE),
        ({"relationship_status": "at-risk"}, GateName.AT_RISK),
    ],
)
def test_data_gates(kw: dict[str, object], gate: GateName) -> None:
    result = run(acct(seats_purchased=10, seats_used=10, **kw))
    assert gate in {g.name for g in result.gates}
    assert result.offer is None
    assert result.held_offer is not None and result.held_offer.type == OfferType.CAPACITY


def test_three_logins_is_not_low_usage() -> None:
    assert not evaluate_gates(acct(logins_per_month=3), NONE, AS_OF)


def test_open_problem_from_recent_note_and_not_from_stale_one() -> None:
    fresh = NoteFinding(category="gate", name="open_problem", quote="P1 outage still open",
                        date=AS_OF - timedelta(days=3))
    stale = fresh.model_copy(update={"date": AS_OF - timedelta(days=45)})
    assert evaluate_gates(acct(), NoteFindings(findings=[fresh]), AS_OF)[0].name == GateName.OPEN_PROBLEM
    assert evaluate_gates(acct(), NoteFindings(findings=[stale]), AS_OF) == []


def test_gated_plan_precedence_at_risk_first() -> None:
    result = run(acct(relationship_status="at-risk", open_tickets_high=2, logins_per_month=1))
    assert result.plan_kind == "retention"
    assert result.calendar[0].phase == "Retention"


@pytest.mark.parametrize(
    ("day", "expected"),
    [(date(2026, 12, 21), False), (date(2026, 12, 22), True), (date(2026, 12, 31), True),
     (date(2027, 1, 1), False), (date(2026, 3, 22), True), (date(2026, 6, 20), False)],
)
def test_quarter_end_window_calendar_quarters(day: date, expected: bool) -> None:
    assert in_quarter_end_window(day) is expected


def test_fiscal_quarters_follow_the_start_month() -> None:
    assert fiscal_quarter_bounds(date(2026, 11, 23), 2) == (date(2026, 11, 1), date(2027, 1, 31))
    assert in_quarter_end_window(date(2027, 1, 25), 2)
    assert not in_quarter_end_window(date(2026, 12, 25), 2)
    assert next_quarter_start(date(2027, 1, 25), 2) == date(2027, 2, 1)


def test_quarter_end_moves_the_opening_and_the_calendar_but_keeps_the_offer() -> None:
    result = run(acct(seats_purchased=10, seats_used=9, relationship_status="healthy"),
                 as_of=date(2026, 12, 24))
    assert [g.name for g in result.gates] == [GateName.QUARTER_END]
    assert result.opening_date == date(2027, 1, 1)
    assert result.calendar[0].start == date(2027, 1, 1)
    assert result.offer is not None and result.offer.type == OfferType.CAPACITY


def test_offer_capacity_prefers_volume_item_when_volume_is_tight() -> None:
    result = run(acct(usage_limit=100, usage_current=95, relationship_status="healthy"))
    assert result.offer is not None and result.offer.item == "API volume pack"


def test_offer_tier_upgrade_names_the_requested_features() -> None:
    result = run(acct(plan="Team", feature_requests=["SSO", "audit logs"], relationship_status="healthy",
                      positive_outcome="x", positive_outcome_date=AS_OF))
    assert result.offer is not None and result.offer.type == OfferType.TIER_UPGRADE
    assert result.offer.item == "Business plan"
    assert "SSO" in result.offer.why


def test_offer_multi_year_when_renewal_near_and_happy() -> None:
    result = run(acct(relationship_status="healthy", renewal_date=AS_OF + timedelta(days=80),
                      nps=9, nps_date=AS_OF - timedelta(days=10),
                      positive_outcome="won award", positive_outcome_date=AS_OF - timedelta(days=20)))
    assert result.offer is not None and result.offer.type == OfferType.MULTI_YEAR
    assert result.offer.max_discount_pct == 8


def test_cross_sell_needs_earned_trust() -> None:
    base = {"new_initiative": "moving reporting into a Snowflake data warehouse",
            "positive_outcome": "x", "positive_outcome_date": AS_OF - timedelta(days=5),
            "company_revenue_growth_pct": 10}
    trusted = run(acct(relationship_status="healthy", **base))
    assert trusted.offer is not None and trusted.offer.type == OfferType.CROSS_SELL
    assert trusted.offer.item == "Warehouse Connector"
    untrusted = run(acct(relationship_status="neutral", **base))
    assert untrusted.offer is None or untrusted.offer.type != OfferType.CROSS_SELL
    assert "build trust first" in (untrusted.offer_note or "")


def test_cross_sell_skips_products_already_owned() -> None:
    result = run(acct(relationship_status="healthy", new_initiative="snowflake data warehouse",
                      products_owned=["Warehouse Connector"], nps=9, nps_date=AS_OF,
                      positive_outcome="x", positive_outcome_date=AS_OF))
    assert result.offer is None or result.offer.item != "Warehouse Connector"


def test_professional_services_for_low_adoption_with_intent() -> None:
    result = run(acct(relationship_status="healthy", seats_purchased=100, seats_used=40,
                      active_users=30, new_initiative="company-wide rollout next quarter",
                      nps=9, nps_date=AS_OF - timedelta(days=3), logins_per_month=12))
    assert result.offer is not None and result.offer.type == OfferType.PROFESSIONAL_SERVICES


def test_no_offer_when_nothing_fits() -> None:
    result = run(acct(relationship_status="healthy", company_revenue_growth_pct=10))
    assert result.offer is None and result.held_offer is None


def test_trigger_most_recent_dated_event_wins() -> None:
    findings = NoteFindings(findings=[
        NoteFinding(category="trigger", name="champion_event", quote="Dana was promoted to VP",
                    date=AS_OF - timedelta(days=4)),
    ])
    result = run(acct(positive_outcome="won", positive_outcome_date=AS_OF - timedelta(days=20),
                      seats_purchased=10, seats_used=9), findings)
    assert result.trigger is not None and result.trigger.type == TriggerType.CHAMPION_EVENT
    assert result.trigger.date == AS_OF - timedelta(days=4)


def test_trigger_current_state_beats_stale_event() -> None:
    result = run(acct(positive_outcome="won", positive_outcome_date=AS_OF - timedelta(days=200),
                      seats_purchased=10, seats_used=9))
    assert result.trigger is not None and result.trigger.type == TriggerType.USAGE_CEILING


def test_trigger_renewal_ahead_about_90_days() -> None:
    result = run(acct(renewal_date=AS_OF + timedelta(days=90)))
    assert result.trigger is not None and result.trigger.type == TriggerType.RENEWAL_AHEAD


def test_no_trigger() -> None:
    assert run(acct()).trigger is None


@pytest.mark.parametrize(
    ("start", "day90"),
    [(date(2026, 11, 23), date(2027, 2, 20)), (date(2026, 12, 31), date(2027, 3, 30)),
     (date(2028, 1, 31), date(2028, 4, 29))],
)
def test_calendar_dates_across_month_and_year_ends(start: date, day90: date) -> None:
    steps = build_calendar(start, "expansion", "Additional seats")
    assert len(steps) == 13
    assert steps[0].start == start
    assert steps[-1].end == day90 == steps[-1].milestone_date
    for prev, nxt in zip(steps, steps[1:], strict=False):
        assert nxt.start == prev.end + timedelta(days=1)
    assert [s.phase for s in steps[:4]] == ["Opening", "Supporting material", "Supporting material",
                                            "Proposal"]
    assert steps[-1].phase == "Close"
    assert "Additional seats" in steps[3].action


def test_calendar_follow_up_is_five_days_after_material() -> None:
    steps = build_calendar(date(2026, 11, 23), "expansion", "X")
    assert steps[1].milestone_date == date(2026, 11, 30)
    assert "2026-12-05" in steps[1].action


@pytest.mark.parametrize(("day", "phase"), [(1, "Opening"), (7, "Opening"), (8, "Supporting material"),
                                            (21, "Supporting material"), (22, "Proposal"), (45, "Proposal"),
                                            (46, "Navigate"), (75, "Navigate"), (76, "Close"), (90, "Close")])
def test_phase_boundaries(day: int, phase: str) -> None:
    assert phase_for_day(day) == phase


def test_health_bands_and_opportunity_actions() -> None:
    assert [health_band(s) for s in (90, 89, 70, 69, 50, 49)] == [
        "expansion candidate", "stable, maintain", "stable, maintain", "at risk, intervene",
        "at risk, intervene", "crisis"]
    assert [opportunity_action(s) for s in (8, 7, 6, 5, 4, 3)] == [
        "expansion conversation now", "quarterly expansion review", "quarterly expansion review",
        "annual assessment", "annual assessment", "retention focus"]


def test_health_weights_sum_and_unknowns_are_neutral() -> None:
    result = run(acct())
    assert 0 <= result.health.score <= 100
    assert any("neutral" in a for a in result.health.assumptions)
    perfect = run(acct(seats_purchased=10, seats_used=10, logins_per_month=30, nps=10,
                       nps_date=AS_OF, last_contact_date=AS_OF, open_tickets_high=0,
                       relationship_status="healthy", contact_name="Ann"))
    assert perfect.health.score > result.health.score


def test_renewal_timeline_stages() -> None:
    assert renewal_timeline(AS_OF + timedelta(days=121), AS_OF).stage == "before the renewal window"
    assert renewal_timeline(AS_OF + timedelta(days=120), AS_OF).stage == "first renewal conversation"
    assert renewal_timeline(AS_OF + timedelta(days=90), AS_OF).stage == "formal proposal"
    assert renewal_timeline(AS_OF + timedelta(days=60), AS_OF).stage == "negotiation"
    assert renewal_timeline(AS_OF + timedelta(days=30), AS_OF).stage == "signature"
    assert renewal_timeline(None, AS_OF).stage == "renewal date unknown"


def test_segments_and_nrr() -> None:
    segs = revenue_segments({f"A{i}": float(i) for i in range(10)})
    assert [segs[f"A{i}"] for i in (9, 8, 7, 5, 4, 0)] == ["top", "top", "middle", "middle", "bottom",
                                                          "bottom"]
    assert [nrr_band(x) for x in (99, 100, 110, 111, 130, 131)] == [
        "leaky bucket", "stable", "stable", "growth engine", "growth engine", "exceptional"]


def test_rank_orders_by_score_then_ungated() -> None:
    high = run(acct(account_id="H", seats_purchased=10, seats_used=10))
    gated = run(acct(account_id="G", seats_purchased=10, seats_used=10, open_tickets_high=1))
    low = run(acct(account_id="L"))
    assert [a.account_id for a in rank([low, gated, high])] == ["H", "G", "L"]


def test_missing_inputs_named() -> None:
    result = run(acct())
    assert set(result.missing_inputs) >= {"customer", "usage", "interactions", "contract"}
