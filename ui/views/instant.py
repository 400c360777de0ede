"""Instant brief: paste call notes (optionally with a data row) and get the full brief at once."""

from __future__ import annotations

from datetime import date

import streamlit as st

from playbook.ui import services, state
from playbook.ui.components import esc, render_brief
from playbook.ui.intake import match_book

NOTES_KEY = "instant_notes"


def _load_sample() -> None:
    """Put the chosen sample note into the paste box."""
    name = st.session_state.get("instant_sample")
    if name:
        st.session_state[NOTES_KEY] = services.sample_notes().get(name, "")


def _account_label(book: state.BookState | None, account_id: str | None) -> str:
    if account_id is None:
        return "None: notes only"
    if book is not None:
        for account in book.accounts:
            if account.account_id == account_id:
                return f"{account.account_name} ({account_id})"
    return account_id


def _draft(
    notes: str,
    picked: str | None,
    as_of: date,
    call_date: date | None,
    settings: state.Settings,
    book: state.BookState | None,
) -> None:
    """Draft the brief, keep it in the session and rerun (which folds the paste box away)."""
    account = services.find_account(book, picked)
    matched = ""
    if account is None and book is not None:
        account = match_book(notes, book.accounts)
        if account is not None:
            matched = (f"Matched to {account.account_name} ({account.account_id}) in your book: "
                       "its data row is combined with the notes.")
    try:
        result = services.instant_brief(
            notes, account=account, as_of=as_of, notes_date=call_date, settings=settings
        )
    except services.UserFacingError as exc:
        st.error(esc(str(exc)))
        return
    state.set_last_instant({**result.__dict__, "matched": matched})
    st.session_state["instant_count"] = st.session_state.get("instant_count", 0) + 1
    st.rerun()


def page() -> None:
    """Render the page."""
    settings = state.settings()
    book = state.book()
    st.title("Instant brief")
    st.caption(
        "Paste your call notes and get the whole brief now: score, gates, the one offer, the "
        "opening script, objection answers and the 90-day calendar. Nothing is asked back; "
        "anything missing is stated as an assumption."
    )
    last = state.last_instant()
    box = st.expander(
        "Call notes and options", expanded=last is None, icon=":material/edit_note:",
        # a new key per brief applies `expanded` again, folding the box after each brief
        key=f"instant_box_{st.session_state.get('instant_count', 0)}",
    )
    samples = services.sample_notes()
    if samples:
        box.selectbox(
            "Try a sample note",
            [None, *samples],
            format_func=lambda n: "Pick one…" if n is None else n,
            key="instant_sample",
            on_change=_load_sample,
        )
    with box, st.form("instant_form", border=False):
        notes = st.text_area(
            "Call notes",
            key=NOTES_KEY,
            height=240,
            placeholder="Paste the notes of your last call, a QBR summary or an email thread…",
        )
        c1, c2, c3 = st.columns([2, 1, 1])
        ids: list[str | None] = [None]
        if book is not None:
            ids += [a.account_id for a in book.accounts]
        picked = c1.selectbox(
            "Account from the loaded book (optional)",
            ids,
            format_func=lambda i: _account_label(book, i),
            help="Combine the account's data row with the notes. Load a book on Book / batch.",
        )
        as_of = c2.date_input("As of", value=settings.as_of, help="Every rule counts days from it.")
        call_date = c3.date_input(
            "Call date of the notes", value=None, help="Dates undated notes; empty = as of."
        )
        submitted = st.form_submit_button("Draft the brief", type="primary",
                                          icon=":material/bolt:")
    if submitted:
        if not (notes or "").strip() and picked is None:
            st.warning("Paste some notes or pick an account first.")
        else:
            _draft(notes or "", picked, as_of, call_date, settings, book)
    if last:
        st.divider()
        if last.get("matched"):
            st.caption(esc(last["matched"]))
        for notice in last.get("notices") or []:
            st.caption(f"Note: {esc(notice)}")
        render_brief(
            last["brief"],
            report=last["report"],
            seconds=last["seconds"],
            key="instant",
            markdown=last["markdown"],
            json_text=last["json_text"],
        )


page()
