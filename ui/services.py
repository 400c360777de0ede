"""What the pages call: loading books and catalogs, instant briefs, batches, exports.

Process-wide resources (the knowledge index and retriever) are built once with
`st.cache_resource`; everything that belongs to a user is passed in from
`st.session_state` and returned, never kept here.
"""

from __future__ import annotations

import os
import tempfile
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from playbook.agent.context import DEFAULT_MODEL, AgentContext, ConfigError
from playbook.agent.runner import BriefAgent
from playbook.agent.services import Services
from playbook.examples import EXAMPLES_DIR
from playbook.tools.loading import LoadError, load_accounts
from playbook.tools.loading.catalog import CatalogError, default_catalog, load_catalog
from playbook.tools.models.account import Account, CatalogItem
from playbook.tools.models.brief import Brief
from playbook.tools.output.export import ranked_rows
from playbook.tools.rubric.report import RubricReport
from playbook.ui.exports import build_exports
from playbook.ui.intake import account_for_notes
from playbook.ui.state import BookState, Settings

EXAMPLES = EXAMPLES_DIR
__all__ = ["DEFAULT_MODEL", "EXAMPLES", "UserFacingError"]


class UserFacingError(Exception):
    """A problem to show the user as a message (bad file, bad settings...)."""


@dataclass
class InstantResult:
    """One instant brief with its rubric report, timing and renderings."""

    brief: Brief
    report: RubricReport
    seconds: float | None
    markdown: str
    json_text: str
    account: Account | None = None
    notices: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- resources


@st.cache_resource(show_spinner="Preparing the playbook guidance index (first use only)…")
def knowledge_base() -> Any:
    """Return the guidance knowledge base, its index ensured once per process."""
    from playbook.knowledge import KnowledgeBase

    kb = KnowledgeBase()
    kb.ensure()
    return kb


def catalog(settings: Settings) -> list[CatalogItem]:
    """Return the session's catalog: the uploaded one, else the built-in default.

    The default is loaded once per session (kept in session state, like all else).
    """
    if settings.catalog_items is not None:
        return list(settings.catalog_items)
    if "pb_default_catalog" not in st.session_state:
        st.session_state["pb_default_catalog"] = list(default_catalog().items)
    return list(st.session_state["pb_default_catalog"])


def sample_notes() -> dict[str, str]:
    """Read the bundled sample call notes, by file name."""
    folder = EXAMPLES / "notes"
    if not folder.is_dir():
        return {}
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))}


# --------------------------------------------------------------------------- settings


def agent_context(settings: Settings, **extra: Any) -> AgentContext:
    """Build the agent's context from this session's settings (the key stays in memory)."""
    mode = settings.mode
    try:
        return AgentContext.resolve(
            mode=mode,
            model=settings.model or None,
            base_url=(settings.base_url or None) if mode == "compatible" else None,
            azure_endpoint=(settings.base_url or None) if mode == "azure" else None,
            azure_deployment=(settings.model or None) if mode == "azure" else None,
            azure_api_version=settings.api_version or None,
            api_key=settings.api_key or None,
            as_of=settings.as_of,
            fiscal_start_month=settings.fiscal_start_month,
            **extra,
        )
    except ConfigError as exc:
        raise UserFacingError(f"Settings: {exc}") from exc


def context_problem(settings: Settings) -> str | None:
    """Why the settings cannot run (None when they can)."""
    try:
        agent_context(settings)
    except UserFacingError as exc:
        return str(exc)
    return None


def describe_context(settings: Settings) -> dict[str, str]:
    """Describe the active mode as the agent does (never includes the key)."""
    return agent_context(settings).describe()


def load_catalog_upload(name: str, data: bytes) -> list[CatalogItem]:
    """Parse an uploaded YAML/CSV catalog (via a temporary file removed at once)."""
    suffix = Path(name).suffix.lower()
    with tempfile.TemporaryDirectory(prefix="playbook-ui-") as tmp:
        path = Path(tmp) / f"catalog{suffix}"
        path.write_bytes(data)
        try:
            loaded = load_catalog(path)
        except CatalogError as exc:
            raise UserFacingError(str(exc).replace(str(path), name)) from exc
    items = list(loaded.items)
    if not items:
        raise UserFacingError(f"{name}: the catalog has no items")
    return items


# --------------------------------------------------------------------------- books


def _book_from(result: Any, source: str) -> BookState:
    return BookState(
        source=source,
        accounts=list(result.accounts),
        errors=list(result.errors),
        warnings=list(result.warnings),
        unknown_columns=list(result.unknown_columns),
        column_map=dict(result.column_map),
    )


def load_sample_book(dayfirst: bool | None = None) -> BookState:
    """Load the bundled sample book."""
    path = EXAMPLES / "accounts.csv"
    try:
        return _book_from(load_accounts(path, dayfirst=dayfirst), "Sample book (accounts.csv)")
    except LoadError as exc:
        raise UserFacingError(str(exc)) from exc


def load_upload(name: str, data: bytes, dayfirst: bool | None = None) -> BookState:
    """Load an uploaded CSV/XLSX/JSON book (via a temporary file removed at once)."""
    suffix = Path(name).suffix.lower()
    with tempfile.TemporaryDirectory(prefix="playbook-ui-") as tmp:
        path = Path(tmp) / f"upload{suffix}"
        path.write_bytes(data)
        try:
            result = load_accounts(path, dayfirst=dayfirst)
        except LoadError as exc:
            raise UserFacingError(str(exc).replace(str(path), name)) from exc
    return _book_from(result, name)


def problem_frame(problems: Sequence[Any]) -> pd.DataFrame:
    """Row problems as a table: row, account, column, value, reason."""
    rows = [
        {
            "row": p.row if p.row is not None else "file",
            "account": p.account_id or "",
            "column": p.column or "",
            "value": p.value if p.value is not None else "",
            "reason": p.reason,
        }
        for p in problems
    ]
    return pd.DataFrame(rows, columns=["row", "account", "column", "value", "reason"]).astype(
        {"row": str}
    )


def find_account(book: BookState | None, account_id: str | None) -> Account | None:
    """Find an account of the loaded book by id."""
    if book is None or account_id is None:
        return None
    return next((a for a in book.accounts if a.account_id == account_id), None)


def ranked_frame(book: BookState) -> pd.DataFrame:
    """Build the ranked list table for the page (with the owner column when known)."""
    owners = book.owners()
    rows = []
    for row in ranked_rows(book.ranked):
        rows.append({
            "#": row["rank"],
            "account": row["account_name"],
            "id": row["account_id"],
            "score": row["readiness_score"],
            "tier": row["tier_label"],
            "gates": row["gates"].replace(";", ", ").replace("_", " "),
            "offer": row["offer_item"],
            "offer type": row["offer_type"].replace("_", " "),
            "trigger": row["trigger_type"].replace("_", " "),
            "open on": row["opening_date"],
            "health": row["health_score"],
            "likelihood": row.get("expansion_likelihood"),
            "owner": owners.get(row["account_id"], ""),
        })
    frame = pd.DataFrame(rows)
    if "likelihood" in frame and frame["likelihood"].isna().all():
        frame = frame.drop(columns=["likelihood"])
    return frame


def apply_model_upload(book: BookState, name: str, data: bytes) -> None:
    """Apply an uploaded likelihood model to the scored book (the ranking stays the score's)."""
    from pydantic import ValidationError

    from playbook.tools.calibrate.model import LikelihoodModel, ModelError

    try:
        model = LikelihoodModel.model_validate_json(data)
        by_id = {a.account_id: a for a in book.accounts}
        book.ranked = [model.apply(by_id[f.account_id], f) if f.account_id in by_id else f
                       for f in book.ranked]
    except (ValidationError, ModelError) as exc:
        why = f"{name} is not a likelihood model from `playbook calibrate`"
        raise UserFacingError(why) from exc
    book.model_source = name


# --------------------------------------------------------------------------- agent


def checkpoint_path() -> Path:
    """Return where chat threads are checkpointed (SQLite)."""
    explicit = os.environ.get("PLAYBOOK_CHECKPOINTS")
    if explicit:
        return Path(explicit).expanduser()
    home = Path(os.environ.get("PLAYBOOK_HOME", "~/.playbook")).expanduser()
    return home / "checkpoints.sqlite"


def agent(settings: Settings) -> BriefAgent:
    """Return this session's agent: its graph compiled once, chat threads in SQLite.

    Rebuilt when the settings change. The guidance retriever is the process-wide one;
    the catalog is the session's.
    """
    items = catalog(settings)
    signature = (settings.mode, settings.model, settings.base_url, settings.api_version,
                 hash(settings.api_key), settings.as_of, settings.fiscal_start_month,
                 settings.catalog_source, tuple(i.id for i in items))
    cached = st.session_state.get("pb_agent")
    if cached is None or cached[0] != signature:
        if cached is not None:
            cached[1].close()
        context = agent_context(settings, checkpointer_path=checkpoint_path())
        services = Services(settings=context, retriever=knowledge_base().retriever, catalog=items)
        st.session_state["pb_agent"] = cached = (signature, BriefAgent.open(services))
    made: BriefAgent = cached[1]
    return made


def scratch_agent(settings: Settings, **changes: Any) -> BriefAgent:
    """Return a non-interactive agent with a throwaway in-memory checkpointer.

    Used for instant briefs and batches: nothing to resume, nothing left behind.
    """
    base = agent(settings).services
    return BriefAgent.scratch(base.with_settings(interactive=False, **changes))


# --------------------------------------------------------------------------- briefs


def markdown_of(brief: Brief) -> str:
    """Render the brief as Markdown."""
    from playbook.tools.output.render import render_markdown

    return str(render_markdown(brief))


def json_of(brief: Brief) -> str:
    """Render the brief as the contract's JSON."""
    from playbook.tools.output.render import render_json

    return str(render_json(brief))


def check(brief: Brief, items: Sequence[CatalogItem], retrieved: Sequence[str],
          notes: str | None) -> RubricReport:
    """Check a brief against the rubric."""
    from playbook.tools.rubric import check_brief

    return check_brief(brief, catalog=items, retrieved_ids=retrieved, notes=notes)


def instant_brief(
    notes: str,
    *,
    account: Account | None,
    as_of: date,
    notes_date: date | None,
    settings: Settings,
) -> InstantResult:
    """Draft the full brief for pasted notes (and a data row), with no questions asked.

    Runs the agent non-interactively: missing inputs are skipped and stated as
    assumptions; in an LLM mode the prose is drafted, checked and revised.
    """
    from playbook.agent.runner import AgentError, BriefResult

    knowledge_base()
    start = time.perf_counter()
    text = notes.strip() or None
    if account is None:
        acc = account_for_notes(notes, None, notes_date).model_copy(update={"notes": None})
    else:
        acc = account.model_copy(update={"notes_date": notes_date or account.notes_date})
    try:
        with scratch_agent(settings, as_of=as_of) as run:
            outcome = run.run(text, account=acc, thread_id=f"instant:{uuid.uuid4().hex}")
    except (AgentError, ValueError) as exc:
        raise UserFacingError(f"The brief could not be drafted: {exc}") from exc
    if not isinstance(outcome, BriefResult):
        raise UserFacingError("The agent asked for input on a non-interactive run.")
    brief = outcome.brief
    markdown, json_text = markdown_of(brief), json_of(brief)
    seconds = time.perf_counter() - start
    return InstantResult(brief, outcome.report, seconds, markdown, json_text, acc,
                         list(outcome.notices))


def run_book(
    book: BookState,
    settings: Settings,
    progress: Callable[[int, int, str], None],
    concurrency: int = 4,
) -> None:
    """Draft every account of the book with the agent's batch runner; fills `book`.

    Accounts whose run fails are still scored (by the rules alone) and listed
    in `book.failures`.
    """
    from playbook.agent.runner import BatchFailure, run_batch
    from playbook.tools.book import assess_accounts
    from playbook.tools.rules.assess import rank
    from playbook.tools.rules.pipeline import revenue_segments

    knowledge_base()
    start = time.perf_counter()
    names = {a.account_id: a.account_name for a in book.accounts}
    segments = revenue_segments({a.account_id: a.arr for a in book.accounts})
    briefs: dict[str, Brief] = {}
    failures: dict[str, str] = {}
    total = len(book.accounts)
    outcomes = run_batch(book.accounts, concurrency=concurrency,
                         agent=scratch_agent(settings), segments=segments)
    for done, outcome in enumerate(outcomes, start=1):
        if isinstance(outcome, BatchFailure):
            failures[outcome.account_id] = outcome.error
        else:
            briefs[outcome.account_id] = outcome.brief
        progress(done, total, names.get(outcome.account_id, outcome.account_id))
    facts = [b.facts for b in briefs.values()]
    if failures:
        failed = [a for a in book.accounts if a.account_id in failures]
        facts += assess_accounts(failed, as_of=settings.as_of, catalog=catalog(settings),
                                 fiscal_start_month=settings.fiscal_start_month)
    book.ranked = rank(facts)
    book.briefs = {a.account_id: briefs[a.account_id] for a in book.ranked
                   if a.account_id in briefs}
    book.failures = failures
    book.exports = build_exports(book.ranked, book.briefs, markdown_of)
    book.seconds = time.perf_counter() - start
