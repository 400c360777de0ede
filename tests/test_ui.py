"""Streamlit app tests with `streamlit.testing.v1.AppTest`: every page, offline mode."""

from __future__ import annotations

import io
import re
import time
import zipfile
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from ui_support import _app, _button, _offline_env, _ok, _texts  # noqa: F401

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "ui" / "app.py"
NOTES = ROOT / "examples" / "notes"
TIMEOUT = 120
AS_OF = "2026-11-23"



@pytest.fixture(scope="module")
def sample_note() -> str:
    return (NOTES / "qbr_helix_payments.txt").read_text(encoding="utf-8")


# ---------------------------------------------------------------------------- instant brief


def test_navigation_and_mode_caption() -> None:
    at = _app()
    assert [t.value for t in at.title] == ["Instant brief"]
    sidebar = " ".join(c.value for c in at.sidebar.caption)
    assert "Offline" in sidebar
    assert AS_OF in sidebar


def test_instant_brief_from_pasted_notes(sample_note: str) -> None:
    at = _app()
    at.text_area(key="instant_notes").set_value(sample_note)
    _button(at, "Draft the brief").click()
    started = time.perf_counter()
    at.run()
    elapsed = time.perf_counter() - started
    _ok(at)
    brief = at.session_state["pb_instant"]["brief"]
    facts = brief.facts
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Readiness"] == f"{facts.readiness_score}/64"
    assert metrics["Tier"] == facts.tier_label
    scripts = [c.value for c in at.code]
    assert brief.script.text in scripts, "the script is shown in a copyable code block"
    text = _texts(at)
    if facts.offer is not None:
        assert facts.offer.item in text
    assert "Drafted in" in text
    assert [d.label for d in at.get("download_button")] == ["Download Markdown", "Download JSON"]
    # the whole page run, index warm or not, stays well within the timeout
    print(f"\nAppTest paste->brief run: {elapsed * 1000:.0f} ms; "
          f"drafted in {at.session_state['pb_instant']['seconds'] * 1000:.0f} ms")


def test_instant_brief_is_fast_when_warm(sample_note: str) -> None:
    at = _app()
    at.text_area(key="instant_notes").set_value(sample_note)
    _button(at, "Draft the brief").click()
    at.run()  # warms the index
    _button(at, "Draft the brief").click()
    at.run()
    _ok(at)
    seconds = at.session_state["pb_instant"]["seconds"]
    print(f"\nAppTest warm draft: {seconds * 1000:.0f} ms")
    assert seconds < 1.0


def test_instant_brief_shows_gate_first() -> None:
    note = (NOTES / "p1_outage_quantapay.txt").read_text(encoding="utf-8")
    at = _app()
    at.text_area(key="instant_notes").set_value(note)
    _button(at, "Draft the brief").click()
    at.run()
    _ok(at)
    brief = at.session_state["pb_instant"]["brief"]
    assert any(g.blocking for g in brief.facts.gates)
    assert at.error, "a blocking gate is shown as an error"
    assert "Do first" in at.error[0].value


def test_sample_note_picker_fills_the_paste_box(sample_note: str) -> None:
    at = _app()
    at.selectbox(key="instant_sample").set_value("qbr_helix_payments.txt").run()
    _ok(at)
    assert at.text_area(key="instant_notes").value == sample_note


def test_instant_brief_combines_the_book_row_named_in_the_notes(sample_note: str) -> None:
    at = _app()
    at.switch_page("views/book.py").run()
    _button(at, "Use the sample book").click()
    at.run()
    at.switch_page("views/instant.py").run()
    _ok(at)
    at.text_area(key="instant_notes").set_value(sample_note)
    _button(at, "Draft the brief").click()
    at.run()
    _ok(at)
    facts = at.session_state["pb_instant"]["brief"].facts
    row = next(a for a in at.session_state["pb_book"].accounts if a.account_id == "A-01")
    assert facts.account_id == "A-01" and facts.plan == row.plan and facts.arr == row.arr
    assert "Matched to Helix Payments (A-01)" in _texts(at)


# ---------------------------------------------------------------------------- book / batch

BAD_BOOK = (
    "account_id,account_name,contact_name,plan,arr,relationship_status,seats_purchased,"
    "seats_used,nps,nps_date,renewal_date,csm_owner\n"
    "B-1,Good One,Ann Lee,Team,50000,healthy,50,46,9,2026-11-01,2027-02-20,Maya\n"
    "B-2,Bad Row,Bob Stone,Team,40000,healthy,20,10,eleven,2026-11-01,2027-03-01,Tobias\n"
    "B-3,Good Two,Cat Diaz,Business,90000,neutral,100,60,7,2026-10-01,2027-06-01,Maya\n"
)


def _book_page() -> AppTest:
    at = _app()
    at.switch_page("views/book.py").run()
    _ok(at)
    return at


def test_upload_with_a_bad_row_keeps_the_good_rows() -> None:
    at = _book_page()
    at.file_uploader(key="book_upload").set_value(("book.csv", BAD_BOOK.encode(), "text/csv"))
    at.run()
    _ok(at)
    problems = at.dataframe[0].value
    assert list(problems.columns) == ["row", "account", "column", "value", "reason"]
    bad = problems[problems["value"] == "eleven"]
    assert len(bad) == 1 and bad.iloc[0]["row"] == "3" and bad.iloc[0]["column"] == "nps"
    _button(at, "Run the batch (3 accounts)").click()
    at.run()
    _ok(at)
    ranked = next(d.value for d in at.dataframe if "score" in d.value.columns)
    assert set(ranked["id"]) == {"B-1", "B-2", "B-3"}
    assert set(ranked["owner"]) == {"Maya", "Tobias"}


def test_batch_on_the_sample_book_with_downloads() -> None:
    at = _book_page()
    _button(at, "Use the sample book").click()
    at.run()
    _ok(at)
    book = at.session_state["pb_book"]
    n = len(book.accounts)
    _button(at, f"Run the batch ({n} accounts)").click()
    at.run()
    _ok(at)
    book = at.session_state["pb_book"]
    assert len(book.briefs) == n and not book.failures
    ranked = next(d.value for d in at.dataframe if "score" in d.value.columns)
    assert len(ranked) == n
    assert list(ranked["score"]) == sorted(ranked["score"], reverse=True)
    labels = [d.label for d in at.get("download_button")]
    for wanted in ("All briefs (.zip of Markdown)", "Ranked list (.csv)", "Calendar (.ics)",
                   "Offer map (.md)"):
        assert wanted in labels
    for key in ("briefs_zip", "ranked", "calendar_ics", "offer_map"):
        assert book.exports[key], key
    with zipfile.ZipFile(io.BytesIO(book.exports["briefs_zip"])) as archive:
        names = archive.namelist()
    assert sum(n.startswith("briefs/") for n in names) == n
    assert book.exports["calendar_ics"].startswith(b"BEGIN:VCALENDAR")
    assert len(at.get("vega_lite_chart")) == 3


def test_user_text_is_escaped_not_rendered() -> None:
    evil = "Evil **Corp** [click](http://attacker.example) <img src=x onerror=alert(1)>"
    book = (
        "account_id,account_name,contact_name,plan,arr,relationship_status,seats_purchased,"
        "seats_used\n"
        f'E-1,"{evil}",Eve,Team,1000,healthy,10,9\n'
    )
    at = _book_page()
    at.file_uploader(key="book_upload").set_value(("evil.csv", book.encode(), "text/csv"))
    at.run()
    _button(at, "Run the batch (1 accounts)").click()
    at.run()
    _ok(at)
    markdown = [m.value for m in (*at.markdown, *at.caption, *at.subheader)]
    assert any("attacker" in m for m in markdown), "the name is shown"
    for text in markdown:
        for raw in ("[click]", "](http", "**Corp**", "<img"):
            unescaped = re.search(r"(?<!\\)" + re.escape(raw[0]) + re.escape(raw[1:]), text)
            assert unescaped is None, (raw, text)


def test_batch_filters() -> None:
    at = _book_page()
    _button(at, "Use the sample book").click()
    at.run()
    _button(at, f"Run the batch ({len(at.session_state['pb_book'].accounts)} accounts)").click()
    at.run()
    tier = next(m for m in at.multiselect if m.label == "Tier")
    tier.set_value(["Expansion Priority"]).run()
    _ok(at)
    ranked = next(d.value for d in at.dataframe if "score" in d.value.columns)
    assert len(ranked) > 0 and set(ranked["tier"]) == {"Expansion Priority"}


# ---------------------------------------------------------------------------- settings


def test_settings_key_is_not_echoed() -> None:
    secret = "sk-test-DO-NOT-SHOW-1234567890"
    at = _app()
    at.switch_page("views/settings.py").run()
    _ok(at)
    at.radio(key="settings_mode").set_value("openai").run()
    _ok(at)
    key_input = next(t for t in at.text_input if t.label == "API key")
    key_input.set_value(secret).run()
    _ok(at)
    assert at.session_state["pb_settings"].api_key == secret
    key_input = next(t for t in at.text_input if t.label == "API key")
    assert key_input.value == ""
    assert secret not in _texts(at)
    assert all(secret not in str(t.value) for t in at.text_input)
    assert "An API key is set for this session." in _texts(at)
    assert "OpenAI" in " ".join(c.value for c in at.sidebar.caption)
    assert secret not in repr(at.session_state["pb_settings"])


def test_settings_catalog_upload_replaces_it_for_the_session() -> None:
    at = _app()
    at.switch_page("views/settings.py").run()
    csv_text = (
        "id,name,type,price,price_unit,for_plans,answers\n"
        "x-seats,Extra seats,capacity,500,per seat / year,Team;Business,more seats\n"
    )
    at.file_uploader(key="settings_catalog_upload").set_value(
        ("catalog.csv", csv_text.encode(), "text/csv")
    )
    at.run()
    _ok(at)
    settings = at.session_state["pb_settings"]
    assert [i.id for i in settings.catalog_items] == ["x-seats"]
    table = at.dataframe[0].value
    assert list(table["id"]) == ["x-seats"]


def test_unreachable_llm_endpoint_falls_back_and_says_so(
    sample_note: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PLAYBOOK_TIMEOUT", "3")
    monkeypatch.setenv("PLAYBOOK_MAX_RETRIES", "0")
    at = _app()
    at.switch_page("views/settings.py").run()
    at.radio(key="settings_mode").set_value("compatible").run()
    at.text_input(key="settings_base_url").set_value("http://127.0.0.1:9/v1").run()
    _ok(at)
    assert not at.error, "a base URL is all the compatible mode needs"
    at.switch_page("views/instant.py").run()
    assert "OpenAI-compatible endpoint" in " ".join(c.value for c in at.sidebar.caption).replace(
        "\\", "")
    at.text_area(key="instant_notes").set_value(sample_note)
    _button(at, "Draft the brief").click()
    at.run()
    _ok(at)
    brief = at.session_state["pb_instant"]["brief"]
    assert set(brief.provenance.values()) == {"fallback"}
    assert any("offline drafter wrote" in w.value for w in at.warning)
    assert brief.script.text in [c.value for c in at.code]
