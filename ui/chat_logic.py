"""The chat's conversation logic: run the agent, ask for missing inputs, follow up.

Each conversation is one agent thread (``chat:<id>``) checkpointed in SQLite under
``$PLAYBOOK_HOME`` (or ``$PLAYBOOK_CHECKPOINTS``), so it can be reopened later. The
agent's dependencies live in this session's state; only the guidance retriever is
shared across sessions.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import pandas as pd
import streamlit as st

from playbook.agent.runner import AgentError, BriefResult, NeedsInput
from playbook.tools.models.account import Account
from playbook.ui import services, state
from playbook.ui.components import esc
from playbook.ui.followups import HELP_TEXT, parse_followup
from playbook.ui.intake import account_for_notes, match_book, parse_account_text
from playbook.ui.rewrite import fact_changes, shorter_script, with_script
from playbook.ui.state import ChatMessage, ChatThread, Settings

LOBBY = "pb_lobby"


def lobby() -> list[ChatMessage]:
    """Messages shown while no conversation is open (help replies)."""
    if LOBBY not in st.session_state:
        st.session_state[LOBBY] = []
    value: list[ChatMessage] = st.session_state[LOBBY]
    return value


# --------------------------------------------------------------------------- outcomes


def _view(result: BriefResult, seconds: float | None) -> services.InstantResult:
    brief = result.brief
    return services.InstantResult(
        brief=brief, report=result.report, seconds=seconds,
        markdown=services.markdown_of(brief), json_text=services.json_of(brief), account=None,
    )


def _handle(thread: ChatThread, outcome: NeedsInput | BriefResult, started: float | None,
            lead: str = "") -> None:
    if isinstance(outcome, NeedsInput):
        thread.pending = outcome.payload
        labels = ", ".join(m["label"].split(":")[0].lower() for m in outcome.payload["missing"])
        thread.messages.append(ChatMessage(
            "assistant", "text",
            f"{lead}Before I draft the brief for **{esc(thread.account_name)}**, a few inputs "
            f"are missing: {esc(labels)}. Answer what you know below, or skip.",
        ))
        return
    thread.pending = None
    thread.brief = outcome.brief
    thread.account_name = outcome.brief.facts.account_name
    notes = [f"Skipped: {esc(', '.join(outcome.skipped))}; the brief states its assumptions."
             if outcome.skipped else ""]
    notes += [esc(n) for n in outcome.notices]
    text = lead + "  \n".join(n for n in notes if n)
    thread.messages.append(ChatMessage("assistant", "brief", text,
                                       _view(outcome, None if started is None
                                             else time.perf_counter() - started)))


def _fail(thread: ChatThread, exc: Exception) -> None:
    thread.messages.append(ChatMessage("assistant", "text", f"That did not work: {esc(exc)}"))


# --------------------------------------------------------------------------- actions


def send(text: str, settings: Settings) -> None:
    """Handle one chat message: a new brief, a follow-up, help, or a reset."""
    thread = state.current_thread()
    brief = thread.brief if thread is not None else None
    renewal = brief.facts.renewal.renewal_date if brief is not None else None
    follow = parse_followup(text, as_of=settings.as_of, renewal=renewal,
                            has_brief=brief is not None)
    if follow.intent == "new":
        state.close_thread()
        return
    if thread is None and follow.intent in ("help", "unknown") and len(text.strip()) < 20:
        lobby().extend([ChatMessage("user", "user", text), ChatMessage("assistant", "text",
                                                                       HELP_TEXT)])
        return
    if thread is None or follow.intent == "new_brief":
        start(text, settings)
        return
    thread.messages.append(ChatMessage("user", "user", text))
    if thread.pending is not None and follow.intent != "help":
        thread.messages.append(ChatMessage(
            "assistant", "text", "Please answer (or skip) the missing inputs in the form first."))
    elif follow.intent == "shorter":
        shorten(thread, settings)
    elif follow.intent == "renewal" and follow.day is not None:
        rerun(thread, settings, renewal=follow.day, how=follow.note)
    elif follow.intent == "as_of" and follow.day is not None:
        rerun(thread, settings, as_of=follow.day)
    elif follow.intent == "help":
        thread.messages.append(ChatMessage("assistant", "text", HELP_TEXT))
    else:
        thread.messages.append(ChatMessage(
            "assistant", "text", "I did not catch that. " + HELP_TEXT))


def start(text: str, settings: Settings) -> ChatThread:
    """Start a new conversation from pasted notes or an account row."""
    account, problems = parse_account_text(text)
    notes: str | None = None
    if account is None:
        notes = text.strip()
        book = state.book()
        account = match_book(notes, book.accounts) if book is not None else None
        if account is None:
            account = account_for_notes(notes, None, None).model_copy(update={"notes": None})
    thread = state.open_thread(ChatThread(f"chat:{uuid.uuid4().hex}", account.account_name))
    thread.known = {k: v for k, v in account.model_dump(exclude={"extra", "row"}).items()
                    if v not in (None, "", [])}
    thread.messages.append(ChatMessage("user", "user", text))
    if problems:
        thread.messages.append(ChatMessage(
            "assistant", "text", "Some values in the row were not usable:  \n"
            + "  \n".join(f"- {esc(p)}" for p in problems)))
    started = time.perf_counter()
    try:
        outcome = services.agent(settings).run(notes, account=account, thread_id=thread.thread_id)
    except (AgentError, services.UserFacingError, ValueError) as exc:
        _fail(thread, exc)
        return thread
    _handle(thread, outcome, started)
    return thread


def resume(thread: ChatThread, answers: Mapping[str, str], skipped: Sequence[str],
           settings: Settings) -> None:
    """Continue a paused run with the form's answers and skips."""
    said = [f"{k.replace('_', ' ')}: {v}" for k, v in answers.items()]
    if skipped:
        said.append("skip " + ", ".join(skipped))
    thread.messages.append(ChatMessage("user", "user", "; ".join(said) or "skip"))
    started = time.perf_counter()
    try:
        outcome = services.agent(settings).resume(thread.thread_id, dict(answers), list(skipped))
    except (AgentError, services.UserFacingError) as exc:
        _fail(thread, exc)
        return
    _handle(thread, outcome, started)


def _thread_account(thread: ChatThread, settings: Settings) -> Account:
    found = services.agent(settings).thread_state(thread.thread_id)
    if found is None:
        raise KeyError(thread.thread_id)
    return found.account


def rerun(thread: ChatThread, settings: Settings, *, renewal: date | None = None,
          as_of: date | None = None, how: str = "") -> None:
    """Re-decide the facts with a changed renewal date or as-of date; show what changed."""
    before = thread.brief.facts
    try:
        account = _thread_account(thread, settings)
    except KeyError:
        _fail(thread, AgentError("the conversation's account is not in the checkpoint"))
        return
    if renewal is not None:
        account = account.model_copy(update={"renewal_date": renewal})
    chat = services.agent(settings)
    run_services = chat.services.with_settings(interactive=False, as_of=as_of or before.as_of)
    started = time.perf_counter()
    try:
        outcome = chat.run(None, account=account, thread_id=thread.thread_id,
                           services=run_services)
    except (AgentError, services.UserFacingError, ValueError) as exc:
        _fail(thread, exc)
        return
    if not isinstance(outcome, BriefResult):
        _handle(thread, outcome, started)
        return
    after = outcome.brief.facts
    what = (f"Renewal set to {renewal.isoformat()}" + (f" ({esc(how)})" if how else "")
            if renewal else f"As of {after.as_of.isoformat()}")
    changes = pd.DataFrame(fact_changes(before, after))
    moved = changes[changes["changed"] == "yes"]["fact"].tolist()
    summary = f"changed: {', '.join(moved)}" if moved else "nothing else changed"
    thread.messages.append(ChatMessage("assistant", "changes",
                                       f"{what}. Facts re-decided by the tools; {summary}.",
                                       changes))
    _handle(thread, outcome, started)


def shorten(thread: ChatThread, settings: Settings) -> None:
    """Re-draft only the script, shorter; every fact stays as decided."""
    brief = thread.brief
    text = shorter_script(brief)
    old_words, new_words = len(brief.script.text.split()), len(text.split())
    if new_words >= old_words:
        thread.messages.append(ChatMessage(
            "assistant", "text",
            f"The script is already as short as it gets ({old_words} words) while keeping the "
            "greeting, the evidence and the ask."))
        return
    shorter = with_script(brief, text)
    report = services.check(shorter, services.catalog(settings),
                            [g.chunk_id for g in brief.guidance], _notes(thread, settings))
    failed = [r.id for r in report.failures]
    if failed:
        thread.messages.append(ChatMessage(
            "assistant", "text",
            f"A shorter script would fail the brief checks ({esc(', '.join(failed))}), so I kept "
            "the current one."))
        return
    thread.brief = shorter
    thread.messages.append(ChatMessage(
        "assistant", "script",
        f"Shorter script: {old_words} → {new_words} words. Facts unchanged "
        f"({brief.facts.readiness_score}/64, {esc(brief.facts.tier_label)}).", text))


def _notes(thread: ChatThread, settings: Settings) -> str | None:
    try:
        return _thread_account(thread, settings).notes
    except KeyError:
        return None


# --------------------------------------------------------------------------- threads


def short_id(thread_id: str) -> str:
    """Shorten a thread id for display (``chat:9f3a...`` -> ``9f3a1c2b``)."""
    return thread_id.removeprefix("chat:")[:8]


def thread_list() -> list[tuple[str, str]]:
    """Conversations to reopen: this session's, then the ones saved in the checkpoints."""
    listed = {t.thread_id: t.account_name for t in reversed(state.threads().values())}
    for thread_id, name in saved_threads():
        listed.setdefault(thread_id, name)
    return list(listed.items())


def saved_threads(limit: int = 50) -> list[tuple[str, str]]:
    """List the chat threads saved in the checkpoint database (id, account name), newest first.

    Thread ids come from one SQL query; each name is read once from the thread's
    latest checkpoint and remembered in this session.
    """
    if not services.checkpoint_path().exists():
        return []
    store = services.agent(state.settings()).store
    if store is None:
        return []
    saver = store.saver
    ids = _chat_thread_ids(saver, limit)
    names: dict[str, str] = st.session_state.setdefault("pb_thread_names", {})
    for thread_id in ids:
        if thread_id not in names:
            item = saver.get_tuple({"configurable": {"thread_id": thread_id, "checkpoint_ns": ""}})
            values = item.checkpoint.get("channel_values", {}) if item else {}
            account = values.get("account")
            names[thread_id] = account.account_name if isinstance(account, Account) else (
                "conversation")
    return [(thread_id, names[thread_id]) for thread_id in ids]


def _chat_thread_ids(saver: Any, limit: int) -> list[str]:
    """Ids of chat threads, most recently active first."""
    from langgraph.checkpoint.sqlite import SqliteSaver

    if isinstance(saver, SqliteSaver):
        query = ("SELECT thread_id FROM checkpoints WHERE thread_id LIKE 'chat:%' "
                 "GROUP BY thread_id ORDER BY MAX(checkpoint_id) DESC LIMIT ?")
        with saver.cursor(transaction=False) as cur:
            return [str(row[0]) for row in cur.execute(query, (limit,)).fetchall()]
    seen: dict[str, None] = {}
    for item in saver.list(None):
        thread_id = str(item.config["configurable"]["thread_id"])
        if thread_id.startswith("chat:"):
            seen.setdefault(thread_id)
    return list(seen)[:limit]


def reopen(thread_id: str) -> None:
    """Open a conversation: this session's, or one rebuilt from its checkpoint."""
    if thread_id in state.threads():
        state.open_thread(state.threads()[thread_id])
        return
    chat = services.agent(state.settings())
    found = chat.thread_state(thread_id)
    name = found.account.account_name if found is not None else "conversation"
    thread = ChatThread(thread_id, name)
    if found is not None and found.notes:
        thread.messages.append(ChatMessage("user", "user", found.notes))
    question = chat.pending_question(thread_id)
    if found is not None and found.result is not None:
        outcome = BriefResult.of(thread_id, found.result)
        _handle(thread, outcome, None, lead="Reopened from the saved thread. ")
    elif question is not None:
        thread.pending = question
        thread.messages.append(ChatMessage("assistant", "text",
                                           "Reopened: this brief is waiting for inputs."))
    state.open_thread(thread)
