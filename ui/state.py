"""Session-state helpers: every piece of per-user data lives in `st.session_state`.

Nothing here is stored at module level; each browser session gets its own
settings, book, batch results and chat threads. The API key is kept only in
session state and is never written to disk or shown back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import streamlit as st

from playbook.tools.models.account import Account, CatalogItem
from playbook.tools.models.assessment import Assessment

MODES: dict[str, str] = {
    "offline": "Offline (no LLM, no network)",
    "openai": "OpenAI",
    "compatible": "OpenAI-compatible endpoint",
    "azure": "Azure OpenAI",
}


@dataclass
class Settings:
    """What the Settings page controls, per session."""

    mode: str = "offline"
    model: str = ""
    base_url: str = ""
    api_version: str = ""
    api_key: str = field(default="", repr=False)
    as_of: date = field(default_factory=date.today)
    fiscal_start_month: int = 1
    catalog_items: list[CatalogItem] | None = None
    catalog_source: str = "built-in default catalog"

    def mode_label(self) -> str:
        """Human label of the active mode, with the model when one is set."""
        label = MODES.get(self.mode, self.mode)
        if self.mode != "offline" and self.model:
            label += f" · {self.model}"
        return label


@dataclass
class BookState:
    """The loaded book (accounts and row problems) and, once run, the batch results."""

    source: str
    accounts: list[Account]
    errors: list[Any] = field(default_factory=list)
    warnings: list[Any] = field(default_factory=list)
    unknown_columns: list[str] = field(default_factory=list)
    column_map: dict[str, str] = field(default_factory=dict)
    ranked: list[Assessment] = field(default_factory=list)
    briefs: dict[str, Any] = field(default_factory=dict)
    failures: dict[str, str] = field(default_factory=dict)
    exports: dict[str, bytes] = field(default_factory=dict)
    seconds: float | None = None
    model_source: str | None = None

    def owners(self) -> dict[str, str]:
        """`csm_owner` per account id, when the book has that extra column."""
        out: dict[str, str] = {}
        for account in self.accounts:
            owner = account.extra.get("csm_owner")
            if owner not in (None, ""):
                out[account.account_id] = str(owner)
        return out


@dataclass
class ChatMessage:
    """One message of a chat thread: plain text, a brief, a question form or a change list."""

    role: str
    kind: str
    text: str = ""
    payload: Any = None


@dataclass
class ChatThread:
    """One conversation with the agent, keyed by the agent's thread id."""

    thread_id: str
    account_name: str = "new conversation"
    messages: list[ChatMessage] = field(default_factory=list)
    pending: Any = None
    brief: Any = None
    known: dict[str, Any] = field(default_factory=dict)


def initial_settings() -> Settings:
    """Defaults for a new session: mode, model, URL and dates as the environment resolves them."""
    from playbook.agent.context import AgentContext, ConfigError

    try:
        ctx = AgentContext.resolve()
    except ConfigError:
        return Settings()
    return Settings(
        mode=ctx.mode,
        model=((ctx.azure_deployment if ctx.mode == "azure" else ctx.model) or "")
        if ctx.mode != "offline"
        else "",
        base_url=(ctx.azure_endpoint if ctx.mode == "azure" else ctx.base_url) or "",
        api_version=ctx.azure_api_version if ctx.mode == "azure" else "",
        as_of=ctx.as_of,
        fiscal_start_month=ctx.fiscal_start_month,
    )


def settings() -> Settings:
    """Return the session's settings (created from the environment on first use)."""
    if "pb_settings" not in st.session_state:
        st.session_state["pb_settings"] = initial_settings()
    value: Settings = st.session_state["pb_settings"]
    return value


def book() -> BookState | None:
    """Return the book loaded in this session, if any."""
    value: BookState | None = st.session_state.get("pb_book")
    return value


def set_book(value: BookState | None) -> None:
    """Replace this session's book (and with it any batch results)."""
    st.session_state["pb_book"] = value


def threads() -> dict[str, ChatThread]:
    """Return the session's chat threads by thread id (in creation order)."""
    if "pb_threads" not in st.session_state:
        st.session_state["pb_threads"] = {}
    value: dict[str, ChatThread] = st.session_state["pb_threads"]
    return value


def current_thread() -> ChatThread | None:
    """Return the chat thread being shown, if any."""
    thread_id = st.session_state.get("pb_thread_id")
    return threads().get(thread_id) if thread_id else None


def open_thread(thread: ChatThread) -> ChatThread:
    """Register a thread (or keep the known one) and make it current."""
    known = threads().setdefault(thread.thread_id, thread)
    st.session_state["pb_thread_id"] = thread.thread_id
    return known


def close_thread() -> None:
    """Start a fresh conversation on the next message."""
    st.session_state["pb_thread_id"] = None


def last_instant() -> dict[str, Any] | None:
    """Return the session's last instant brief (brief, report, seconds...)."""
    value: dict[str, Any] | None = st.session_state.get("pb_instant")
    return value


def set_last_instant(value: dict[str, Any] | None) -> None:
    """Keep the last instant brief so it survives reruns."""
    st.session_state["pb_instant"] = value
