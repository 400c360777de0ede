"""The batch speed-ups change nothing: .ics bytes, deep copies, the draft and score nodes."""

from __future__ import annotations

import copy
import datetime as dt
import random
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from icalendar import Event, vDate, vDatetime, vText

from playbook.tools.book import assess_accounts, catalog_items
from playbook.tools.loading import load_accounts
from playbook.tools.models.account import Account
from playbook.tools.models.assessment import Assessment
from playbook.tools.output.portfolio import ics_events

ROOT = Path(__file__).resolve().parents[1]
AS_OF = date(2026, 11, 23)
STAMP = datetime(2026, 11, 23, 12, 0, 0, tzinfo=UTC)
ODD = ["é", "·", "\\", "^", ";", ",", "\n", "\r\n", "\r", "\\N", "日本", "🙂", "x" * 73, "a\\",
       "^^", "\\\\", " ", "Co", "abc "]  # fmt: skip


def icalendar_events(a: Assessment, stamp: datetime) -> list[bytes]:
    """The events as icalendar's own objects serialise them (the reference)."""
    events = []
    for step in a.calendar:
        event = Event()
        uid = f"{a.account_id}-w{step.week:02d}-{a.opening_date.isoformat()}@playbook"
        event["uid"] = vText(uid)
        event["dtstamp"] = vDatetime(stamp)
        start = vDate(step.start)
        start.params["VALUE"] = "DATE"
        end = vDate(date.fromordinal(step.end.toordinal() + 1))
        end.params["VALUE"] = "DATE"
        event["dtstart"] = start
        event["dtend"] = end
        title = step.milestone or step.phase
        event["summary"] = vText(f"{a.account_name}: week {step.week} · {title}")
        event["description"] = vText(step.action)
        event["categories"] = vText(a.plan_kind)
        events.append(event.to_ical())
    return events


@pytest.fixture(scope="module")
def assessments() -> list[Assessment]:
    accounts = load_accounts(ROOT / "examples" / "accounts.csv").accounts
    return assess_accounts(accounts, as_of=AS_OF, catalog=catalog_items(None))


def test_ics_events_are_byte_identical_to_icalendar(assessments: list[Assessment]) -> None:
    scheduled = [a for a in assessments if a.calendar]
    assert scheduled
    for a in scheduled:
        assert list(ics_events(a, STAMP)) == icalendar_events(a, STAMP)


@pytest.mark.parametrize(
    "stamp",
    [
        STAMP,
        datetime(2026, 1, 2, 3, 4, 5),
        datetime(2026, 1, 2, 3, 4, 5, tzinfo=ZoneInfo("Europe/Paris")),
        datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone(timedelta(hours=5))),
    ],
)
def test_ics_stamp_matches_icalendar_in_every_time_zone(
    assessments: list[Assessment], stamp: datetime
) -> None:
    a = next(a for a in assessments if a.calendar)
    assert list(ics_events(a, stamp)) == icalendar_events(a, stamp)


def test_ics_escaping_and_folding_match_icalendar_for_odd_text(
    assessments: list[Assessment],
) -> None:
    rng = random.Random(5)
    scheduled = [a for a in assessments if a.calendar]
    for _ in range(400):
        a = rng.choice(scheduled)
        name = "".join(rng.choice(ODD) for _ in range(rng.randint(1, 40)))
        account_id = "".join(rng.choice(ODD) for _ in range(rng.randint(1, 12)))
        steps = [s.model_copy(update={"action": "".join(rng.choice(ODD) for _ in range(30))})
                 for s in a.calendar]  # fmt: skip
        odd = a.model_copy(update={"account_name": name, "account_id": account_id,
                                   "calendar": steps})  # fmt: skip
        assert list(ics_events(odd, STAMP)) == icalendar_events(odd, STAMP), repr(name)


def test_fast_deep_copy_equals_pydantics_and_is_independent(
    assessments: list[Assessment],
) -> None:
    for a in assessments:
        copied = a.model_copy(deep=True)
        assert copied == a and copied is not a
        assert copied.model_fields_set == a.model_fields_set
        assert copied.calendar is not a.calendar and copied.calendar[0] is not a.calendar[0]
        assert copied.health.components == a.health.components
        assert copied.health.components is not a.health.components
        copied.assumptions.append("changed")
        copied.calendar[0].action = "changed"
        assert "changed" not in a.assumptions and a.calendar[0].action != "changed"
        assert copy.deepcopy(a) == a


def test_fast_deep_copy_keeps_shared_references_shared() -> None:
    account = Account(account_id="A", account_name="Acme", extra={"tags": ["x"]})
    shared: dict[str, Any] = {"same": account.extra["tags"], "again": account.extra["tags"]}
    account.extra = shared
    copied = copy.deepcopy(account)
    assert copied.extra["same"] is copied.extra["again"]
    assert copied.extra["same"] is not account.extra["same"]
    memo: dict[int, Any] = {}
    pair = copy.deepcopy([account, account], memo)
    assert pair[0] is pair[1]


def test_draft_node_output_is_unchanged_by_the_copy_savings() -> None:
    from langgraph.runtime import Runtime

    from playbook.agent.context import AgentContext
    from playbook.agent.drafter import draft_offline
    from playbook.agent.llm.merge import all_offline, with_facts
    from playbook.agent.nodes.draft import draft
    from playbook.agent.services import Services
    from playbook.agent.state import BriefState
    from playbook.tools.vocab import SECTIONS

    services = Services(settings=AgentContext(as_of=AS_OF, interactive=False))
    accounts = load_accounts(ROOT / "examples" / "accounts.csv").accounts[:8]
    by_id = {a.account_id: a for a in accounts}
    for facts in assess_accounts(accounts, as_of=AS_OF, catalog=catalog_items(None)):
        guidance = services.guidance_for(facts)
        state = BriefState(account=by_id[facts.account_id], facts=facts, guidance=guidance)
        update = draft(state, Runtime(context=services))
        expected = all_offline(with_facts(draft_offline(facts, guidance), facts))
        expected.mode = "offline"
        assert update["draft"] == update["offline_draft"] == expected
        assert set(expected.provenance) >= set(SECTIONS)


def test_skip_assumptions_leave_the_scored_facts_alone() -> None:
    from playbook.agent.nodes.analyse import _with_skip_assumptions
    from playbook.tools.rules.assess import RuleConfig, assess

    config = RuleConfig(as_of=dt.date(2026, 5, 1), catalog=catalog_items(None))
    facts = assess(Account(account_id="A", account_name="Acme"), config)
    before = facts.model_dump()
    out = _with_skip_assumptions(facts, ["usage", "offers", "icp"])
    assert facts.model_dump() == before
    assert out.assumptions[: len(facts.assumptions)] == facts.assumptions
    assert len(out.assumptions) == len(facts.assumptions) + 2
    assert out.model_dump(exclude={"assumptions"}) == facts.model_dump(exclude={"assumptions"})
