"""Pure helpers of the app: chat follow-up parsing, pasted-text intake, brief rewrites."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from playbook.tools.models.account import Account
from playbook.ui.followups import find_date, parse_followup
from playbook.ui.intake import (
    account_for_notes,
    guess_account_name,
    guess_contact,
    match_book,
    parse_account_text,
)
from playbook.ui.rewrite import sentences

AS_OF = date(2026, 11, 23)
NOTES = Path(__file__).resolve().parents[1] / "examples" / "notes"


@pytest.mark.parametrize(
    ("text", "intent", "day"),
    [
        ("make the script shorter", "shorter", None),
        ("Shorten the script please", "shorter", None),
        ("shorter", "shorter", None),
        ("renewal is 2027-06-15", "renewal", date(2027, 6, 15)),
        ("what if the renewal is 2027-02-15?", "renewal", date(2027, 2, 15)),
        ("what if the renewal is in June?", "renewal", date(2027, 6, 11)),
        ("the renewal moved to 15 June 2027", "renewal", date(2027, 6, 15)),
        ("Renewal on March 3", "renewal", date(2027, 3, 3)),
        ("as of 2026-12-01", "as_of", date(2026, 12, 1)),
        ("help", "help", None),
        ("what can you do?", "help", None),
        ("new", "new", None),
        ("tell me a joke", "unknown", None),
        ("what if the renewal is soon?", "unknown", None),
    ],
)
def test_follow_ups_are_parsed_deterministically(text: str, intent: str, day: date | None) -> None:
    got = parse_followup(text, as_of=AS_OF, renewal=date(2027, 3, 11), has_brief=True)
    assert (got.intent, got.day) == (intent, day)


def test_month_only_renewal_without_a_known_day_takes_the_first() -> None:
    got = parse_followup("what if the renewal is in June?", as_of=AS_OF, has_brief=True)
    assert got.day == date(2027, 6, 1)
    assert "2027-06-01" in got.note


def test_month_only_in_the_current_year_when_still_ahead() -> None:
    found = find_date("renewal in December", after=AS_OF)
    assert found is not None and found[0] == date(2026, 12, 1)


def test_notes_start_a_new_brief() -> None:
    text = (NOTES / "qbr_helix_payments.txt").read_text(encoding="utf-8")
    assert parse_followup(text, as_of=AS_OF, has_brief=True).intent == "new_brief"
    assert parse_followup(text, as_of=AS_OF, has_brief=False).intent == "new_brief"


def test_note_headers_give_account_and_contact() -> None:
    helix = (NOTES / "qbr_helix_payments.txt").read_text(encoding="utf-8")
    account = account_for_notes(helix, None, None)
    assert (account.account_id, account.account_name) == ("A-01", "Helix Payments")
    assert (account.contact_name, account.contact_role) == (
        "Sofia Marchetti", "Head of Finance Operations")
    solvent = (NOTES / "champion_promotion_solvent_labs.txt").read_text(encoding="utf-8")
    assert guess_account_name(solvent) == "Solvent Labs"
    assert guess_contact(solvent) == ("Priya Raman", "VP Data Platform")
    assert guess_contact("Contact: Lena Fischer, Practice Lead. Lena said...") == (
        "Lena Fischer", "Practice Lead")


def test_notes_are_matched_to_the_book_by_id_or_name() -> None:
    book = [Account(account_id="A-01", account_name="Helix Payments"),
            Account(account_id="B-7", account_name="QuantaPay")]
    helix = (NOTES / "qbr_helix_payments.txt").read_text(encoding="utf-8")
    quanta = (NOTES / "p1_outage_quantapay.txt").read_text(encoding="utf-8")
    assert match_book(helix, book).account_id == "A-01"  # type: ignore[union-attr]
    assert match_book(quanta, book).account_id == "B-7"  # type: ignore[union-attr]
    assert match_book("Some other company - notes", book) is None


def test_data_row_and_notes_combine() -> None:
    row = Account(account_id="A-1", account_name="Acme", notes="Row notes.")
    merged = account_for_notes("Pasted notes.", row, date(2026, 11, 20))
    assert merged.notes == "Row notes.\n\nPasted notes."
    assert merged.notes_date == date(2026, 11, 20)


@pytest.mark.parametrize(
    "text",
    [
        "account_id,account_name,plan,renewal_date\nX-1,Acme,Team,2027-01-31",
        '{"account_id": "X-1", "account_name": "Acme", "plan": "Team", '
        '"renewal_date": "2027-01-31"}',
        "account id: X-1\naccount name: Acme\nplan: Team\nrenewal date: 2027-01-31",
    ],
)
def test_pasted_account_rows(text: str) -> None:
    account, problems = parse_account_text(text)
    assert account is not None and not problems
    assert (account.account_id, account.plan, account.renewal_date) == (
        "X-1", "Team", date(2027, 1, 31))


def test_pasted_row_problems_are_reported() -> None:
    account, problems = parse_account_text('{"account_id": "J", "account_name": "J", "nps": 11}')
    assert account is not None and account.nps is None
    assert problems and "nps" in problems[0]


def test_plain_notes_are_not_an_account_row() -> None:
    text = (NOTES / "messy_call_ferrovia.txt").read_text(encoding="utf-8")
    assert parse_account_text(text) == (None, [])


def test_sentences_split_on_sentence_ends() -> None:
    assert sentences('Hi Ann, you are at 47 of 50 seats. "Great" she said. Could we talk?') == [
        "Hi Ann, you are at 47 of 50 seats.", '"Great" she said.', "Could we talk?"]


def test_playbook_ui_command_runs_streamlit_headless(monkeypatch: pytest.MonkeyPatch) -> None:
    import os
    import sys

    from typer.testing import CliRunner

    from playbook.cli.app import app

    calls: list[tuple[str, list[str]]] = []
    monkeypatch.setattr(os, "execv", lambda exe, args: calls.append((exe, list(args))))
    monkeypatch.setattr(os, "chdir", lambda path: None)
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setattr(sys, "platform", "linux")
    result = CliRunner().invoke(app, ["ui", "--port", "8612", "--host", "0.0.0.0"])
    assert result.exit_code == 0, result.output
    exe, args = calls[0]
    assert exe == sys.executable
    assert args[1:4] == ["-m", "streamlit", "run"] and args[4].endswith("ui/app.py")
    flags = dict(zip(args[5::2], args[6::2], strict=True))
    assert flags == {
        "--server.headless": "true",
        "--server.port": "8612",
        "--server.address": "0.0.0.0",
        "--server.maxUploadSize": "25",
        "--browser.gatherUsageStats": "false",
    }
