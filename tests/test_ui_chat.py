"""AppTest tests of the Chat page: questions for missing inputs, skip, follow-ups, threads."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest
from ui_support import _app, _button, _offline_env, _ok, _texts  # noqa: F401

from playbook.ui.chat_logic import short_id

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "ui" / "app.py"
TIMEOUT = 120
AS_OF = "2026-11-23"

NOTE_NO_RENEWAL = (
    "Orbit Dental Group - call notes - 2026-11-18\n"
    "Contact: Lena Fischer, Practice Operations Lead\n\n"
    "Lena said the scheduling dashboards cut missed appointments by 18% since September, a "
    "clear win for the clinics. They are at 46 of 50 seats and two front-desk staff share one "
    "login. She asked whether SSO is available. NPS 9 in last week's survey.\n"
)




# ---------------------------------------------------------------------------- chat


def _chat_page() -> AppTest:
    at = _app()
    at.switch_page("views/chat.py").run()
    _ok(at)
    return at


def _chat_to_brief(at: AppTest) -> None:
    """Paste a note without a renewal date, see the question form, skip all."""
    at.chat_input[0].set_value(NOTE_NO_RENEWAL).run()
    _ok(at)
    thread = at.session_state["pb_threads"][at.session_state["pb_thread_id"]]
    assert thread.pending is not None, "the agent asked for the missing inputs"
    missing = [m["input"] for m in thread.pending["missing"]]
    assert "contract" in missing
    labels = [t.label for t in at.text_input]
    assert "renewal date" in labels and labels.count("ARR (annual contract value)") == 1
    assert any(c.label == "Skip" for c in at.checkbox)
    _button(at, "Skip all").click()
    at.run()
    _ok(at)


def test_chat_asks_for_missing_inputs_and_skip_gives_a_brief() -> None:
    at = _chat_page()
    _chat_to_brief(at)
    thread = at.session_state["pb_threads"][at.session_state["pb_thread_id"]]
    assert thread.pending is None and thread.brief is not None
    facts = thread.brief.facts
    assert facts.renewal.renewal_date is None
    assert any("renewal" in a.lower() for a in facts.assumptions)
    text = _texts(at)
    assert "Skipped" in text
    assert f"{facts.readiness_score}/64" in [m.value for m in at.metric]
    assert thread.brief.script.text in [c.value for c in at.code]
    assert any("renewal" in a.lower() for a in text.splitlines())
    # the thread is listed in the sidebar and saved in the checkpoints
    assert any(short_id(thread.thread_id) in b.label for b in at.sidebar.button)


def test_chat_follow_up_changes_the_renewal_date() -> None:
    at = _chat_page()
    _chat_to_brief(at)
    thread = at.session_state["pb_threads"][at.session_state["pb_thread_id"]]
    before = thread.brief.facts
    at.chat_input[0].set_value("what if the renewal is 2027-02-15?").run()
    _ok(at)
    after = thread.brief.facts
    assert after.renewal.renewal_date.isoformat() == "2027-02-15"
    assert any(s.name.value == "renewal_60_120d" for s in after.signals)
    assert after.readiness_score == before.readiness_score + 5
    changes = next(t.value for t in at.table if "before" in t.value.columns)
    score = changes[changes["fact"] == "score"].iloc[0]
    assert score["before"] == f"{before.readiness_score}/64"
    assert score["after"] == f"{after.readiness_score}/64"
    assert score["changed"] == "yes"
    assert "Renewal set to 2027-02-15" in _texts(at)


def test_chat_follow_up_shorter_script_keeps_the_facts() -> None:
    at = _chat_page()
    _chat_to_brief(at)
    thread = at.session_state["pb_threads"][at.session_state["pb_thread_id"]]
    before = thread.brief
    at.chat_input[0].set_value("make the script shorter").run()
    _ok(at)
    after = thread.brief
    assert after.facts == before.facts
    text = _texts(at)
    if len(after.script.text.split()) < len(before.script.text.split()):
        assert "Shorter script" in text and after.script.text in [c.value for c in at.code]
    else:
        assert "already as short" in text


def test_chat_unknown_follow_up_lists_what_can_be_asked() -> None:
    at = _chat_page()
    _chat_to_brief(at)
    at.chat_input[0].set_value("tell me a joke").run()
    _ok(at)
    assert "make the script shorter" in _texts(at)


def test_chat_threads_can_be_reopened_from_the_checkpoints() -> None:
    at = _chat_page()
    _chat_to_brief(at)
    thread_id = at.session_state["pb_thread_id"]
    fresh = _chat_page()  # a new session: only the checkpoint database knows the thread
    button = next(b for b in fresh.sidebar.button if short_id(thread_id) in b.label)
    button.click().run()
    _ok(fresh)
    assert fresh.session_state["pb_thread_id"] == thread_id
    assert "Reopened" in _texts(fresh)
    assert fresh.metric, "the saved brief is shown again"


def test_chat_accepts_a_pasted_account_row() -> None:
    row = (
        "account_id,account_name,contact_name,contact_role,plan,arr,relationship_status,"
        "seats_purchased,seats_used,active_users,logins_per_month,nps,nps_date,renewal_date,"
        "last_contact_date,open_tickets_high\n"
        "R-9,Row Corp,Ann Lee,COO,Team,60000,healthy,50,46,45,22,9,2026-11-10,2027-02-20,"
        "2026-11-15,0"
    )
    at = _chat_page()
    at.chat_input[0].set_value(row).run()
    _ok(at)
    thread = at.session_state["pb_threads"][at.session_state["pb_thread_id"]]
    assert thread.pending is None, "a complete row needs no questions"
    assert thread.brief.facts.account_id == "R-9"
    assert thread.brief.script.text.startswith("Hi Ann")
