"""Chat: paste notes or an account row, answer what is missing (or skip), then follow up."""

from __future__ import annotations

import streamlit as st

from playbook.ui import chat_logic, state
from playbook.ui.components import esc, render_brief
from playbook.ui.followups import HELP_TEXT
from playbook.ui.state import ChatMessage, ChatThread


def _new_conversation() -> None:
    state.close_thread()


def _reopen(thread_id: str) -> None:
    chat_logic.reopen(thread_id)


def _sidebar() -> None:
    with st.sidebar:
        st.button("New conversation", on_click=_new_conversation, icon=":material/add_comment:",
                  width="stretch")
        listed = chat_logic.thread_list()
        if not listed:
            return
        st.caption("Conversations")
        current = st.session_state.get("pb_thread_id")
        for thread_id, name in listed:
            st.button(
                f"{esc(name)} · {chat_logic.short_id(thread_id)}",
                key=f"thread-{thread_id}",
                on_click=_reopen,
                args=(thread_id,),
                type="primary" if thread_id == current else "tertiary",
                help=f"Thread {thread_id}",
                width="stretch",
            )


FIELD_HINTS = {
    "renewal_date": "YYYY-MM-DD",
    "nps_date": "YYYY-MM-DD",
    "positive_outcome_date": "YYYY-MM-DD",
    "last_contact_date": "YYYY-MM-DD",
    "relationship_status": "healthy, neutral or at-risk",
    "arr": "e.g. 120000",
    "currency": "USD",
    "notes": "paste more notes",
}
FIELD_LABELS = {"arr": "ARR (annual contract value)", "nps": "NPS (0-10)",
                "open_tickets_high": "open high/critical tickets"}


def _field_label(name: str) -> str:
    return FIELD_LABELS.get(name, name.replace("_", " "))


def _question_form(thread: ChatThread) -> None:
    """Ask for the missing inputs: fields and a Skip per input, plus Skip all.

    A field shared by two inputs (ARR is in both the customer record and the
    contract) is asked once, under the first; fields already known (e.g. the
    contact named in the notes' header) are not asked again.
    """
    missing = thread.pending.get("missing", [])
    tid = thread.thread_id
    shown: set[str] = set()
    with st.form(f"needs-{tid}"):
        st.markdown("**Missing inputs.** Answer what you know; skipped inputs become stated "
                    "assumptions.")
        for item in missing:
            key = item["input"]
            head, skip = st.columns([5, 1], vertical_alignment="center")
            head.markdown(f"**{esc(item['label'])}**  \n{esc(item['why'])}")
            skip.checkbox("Skip", key=f"skip-{tid}-{key}")
            fields = [f for f in item["fields"] if f not in shown and f not in thread.known]
            shown.update(fields)
            if not fields:
                continue
            cols = st.columns(min(len(fields), 3))
            for i, name in enumerate(fields):
                cols[i % len(cols)].text_input(
                    _field_label(name), key=f"ans-{tid}-{name}",
                    placeholder=FIELD_HINTS.get(name, ""),
                )
        b1, b2, _ = st.columns([1, 1, 4])
        go = b1.form_submit_button("Continue", type="primary")
        skip_all = b2.form_submit_button("Skip all")
    if not (go or skip_all):
        return
    answers: dict[str, str] = {}
    skipped: list[str] = []
    for item in missing:
        key = item["input"]
        given = {
            name: value
            for name in item["fields"]
            if (value := (st.session_state.get(f"ans-{tid}-{name}") or "").strip())
        }
        if skip_all or st.session_state.get(f"skip-{tid}-{key}") or not given:
            skipped.append(key)
        else:
            answers.update(given)
    with st.spinner("Drafting the brief…"):
        chat_logic.resume(thread, answers, skipped, state.settings())
    st.rerun()


def _show(message: ChatMessage, thread: ChatThread | None, index: int) -> None:
    with st.chat_message(message.role):
        if message.kind == "brief":
            if message.text:
                st.markdown(message.text)
            result = message.payload
            render_brief(
                result.brief, report=result.report, seconds=result.seconds,
                key=f"chat-{thread.thread_id if thread else 'lobby'}-{index}",
                markdown=result.markdown, json_text=result.json_text,
            )
        elif message.kind == "script":
            st.markdown(message.text)
            st.code(message.payload, language=None, wrap_lines=True)
        elif message.kind == "changes":
            st.markdown(message.text)
            st.table(message.payload, hide_index=True)
        elif message.kind == "user":
            st.text(message.text)
        else:
            st.markdown(message.text)


def page() -> None:
    """Render the page."""
    _sidebar()
    thread = state.current_thread()
    st.title("Chat")
    if thread is None:
        st.caption(
            "Paste call notes or an account row (CSV header + row, JSON, or `field: value` "
            "lines). I ask for what is missing; then ask for changes in plain words."
        )
        with st.chat_message("assistant"):
            st.markdown(HELP_TEXT)
        for index, message in enumerate(chat_logic.lobby()):
            _show(message, None, index)
    else:
        st.caption(f"{esc(thread.account_name)} · thread {esc(thread.thread_id)}")
        for index, message in enumerate(thread.messages):
            _show(message, thread, index)
        if thread.pending is not None:
            _question_form(thread)
    prompt = st.chat_input("Paste notes or an account row, or ask for a change…")
    if prompt:
        with st.spinner("Working…"):
            chat_logic.send(prompt, state.settings())
        st.rerun()


page()
