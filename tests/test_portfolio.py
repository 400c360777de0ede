"""Portfolio files: ranked CSV, offer map, trigger log, merged calendar CSV and .ics."""

from __future__ import annotations

import csv
from datetime import date, timedelta
from pathlib import Path

import vobject

from playbook.tools.models.account import Account, CatalogItem
from playbook.tools.models.findings import NoteFindings
from playbook.tools.output.portfolio import on_calendar, write_portfolio
from playbook.tools.rules.assess import RuleConfig, assess

AS_OF = date(2026, 11, 23)
CATALOG = [CatalogItem(id="seats", name="Additional seats", type="capacity", price=480,
                       price_unit="per seat / year", unit="seats")]


def _book() -> list:  # type: ignore[type-arg]
    accounts = [
        Account(account_id="A-1", account_name="Alpha | Co", seats_purchased=10, seats_used=10,
                nps=9, nps_date=AS_OF, relationship_status="healthy",
                positive_outcome="won", positive_outcome_date=AS_OF - timedelta(days=2)),
        Account(account_id="A-2", account_name="Beta", seats_purchased=10, seats_used=9,
                open_tickets_high=1),
        Account(account_id="A-3", account_name="Gamma"),
    ]
    config = RuleConfig(as_of=AS_OF, catalog=CATALOG)
    return [assess(a, config, NoteFindings()) for a in accounts]


def test_portfolio_files_are_complete_and_ranked(tmp_path: Path) -> None:
    files = write_portfolio(tmp_path, _book())
    ranked = list(csv.DictReader(files["ranked"].open()))
    assert [r["account_id"] for r in ranked] == ["A-1", "A-2", "A-3"]
    assert [r["rank"] for r in ranked] == ["1", "2", "3"]
    assert ranked[1]["gates"] == "open_problem" and ranked[1]["offer_item"] == ""
    offer_map = files["offer_map"].read_text()
    assert "Alpha \\| Co" in offer_map and "Beta" not in offer_map
    triggers = list(csv.DictReader(files["trigger_log"].open()))
    assert triggers[0]["account_id"] == "A-1" and triggers[0]["trigger_type"] == "success_moment"
    assert triggers[0]["trigger_date"] == "2026-11-21"
    index = files["index"].read_text()
    assert "[offer map](offer_map.md)" in index and "A-3" in index


def test_calendar_ics_parses_with_an_independent_parser(tmp_path: Path) -> None:
    book = _book()
    files = write_portfolio(tmp_path, book)
    cal = vobject.readOne(files["calendar_ics"].read_text())
    events = cal.vevent_list
    rows = list(csv.DictReader(files["calendar_csv"].open()))
    scheduled = [a for a in book if a.plan_kind != "nurture"]
    assert len(events) == len(rows) == 13 * len(scheduled)
    first = events[0]
    assert first.dtstart.value == AS_OF
    last_week = [e for e in events if "week 13" in e.summary.value][0]
    assert last_week.dtend.value == AS_OF + timedelta(days=90)
    assert len({e.uid.value for e in events}) == len(events)
    assert {r["plan"] for r in rows} == {"expansion", "fix_first"}


def test_calendar_ics_keeps_long_and_odd_text_exactly(tmp_path: Path) -> None:
    odd = "Ünïcode, Co; back\\slash 日本 🙂 ^caret " * 4
    book = [
        a.model_copy(update={
            "account_name": odd,
            "calendar": [s.model_copy(update={"action": odd + "\nline two"}) for s in a.calendar],
        })
        for a in _book()
    ]
    files = write_portfolio(tmp_path, book)
    raw = files["calendar_ics"].read_bytes()
    assert max(len(line) for line in raw.split(b"\r\n")) <= 75
    events = vobject.readOne(raw.decode("utf-8")).vevent_list
    steps = [(a, s) for a in book if on_calendar(a) for s in a.calendar]
    assert len(events) == len(steps)
    for event, (a, step) in zip(events, steps, strict=True):
        title = step.milestone or step.phase
        assert event.summary.value == f"{odd}: week {step.week} · {title}"
        assert event.description.value == odd + "\nline two"
        assert event.uid.value == f"{a.account_id}-w{step.week:02d}-{a.opening_date.isoformat()}@playbook"
        assert event.dtstart.value == step.start and event.dtend.value == step.end + timedelta(days=1)
