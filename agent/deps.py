"""The services a run needs, injected (tests pass fakes) or built lazily from the context.

Nothing heavy is created at import or construction time: the chat client, the
knowledge index, the notes extractor, the offline drafter, the rubric, the rate
limiter and the checkpointer are each built on first use, once, under a lock.

Checkpoints go to Postgres when ``context.checkpointer_url`` is set (several processes
or machines share threads), else to SQLite at ``context.checkpointer_path``, else to
memory (this process only).
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from playbook.agent.context import AgentContext
from playbook.knowledge.guidance import DEFAULT_OBJECTIONS, Guidance
from playbook.tools.models.account import CatalogItem
from playbook.tools.models.assessment import Assessment
from playbook.tools.models.brief import Brief
from playbook.tools.models.findings import NoteFindings

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel
    from langgraph.checkpoint.base import BaseCheckpointSaver
    from langgraph.graph.state import CompiledStateGraph
    from psycopg_pool import ConnectionPool

    from playbook.agent.llm.ratelimit import Pace


class Retriever(Protocol):
    """What the retrieve node needs from the knowledge layer."""

    def for_situation(
        self,
        offer_type: str | None,
        trigger_type: str | None,
        gates: tuple[str, ...] = (),
        objections: tuple[str, ...] = DEFAULT_OBJECTIONS,
        concerns: tuple[str, ...] = (),
    ) -> Guidance:
        """Return the guidance chunks for one account situation."""
        ...


Extractor = Callable[..., NoteFindings]
"""``extract_findings(text, *, as_of, notes_date=None) -> NoteFindings``."""
Drafter = Callable[..., Brief]
"""``draft_offline(facts, guidance, *, notes=None, avoid=()) -> Brief``."""
Checker = Callable[..., Any]
"""``check_brief(brief, *, catalog, retrieved_ids, notes=None) -> RubricReport``."""
SectionsOf = Callable[[Any], set[str]]
"""``failing_sections(report) -> set[str]``."""

POSTGRES_SETUP_LOCK = 0x706C6179
"""Advisory lock key that serialises ``PostgresSaver.setup()`` across processes."""
POSTGRES_CONNECT_TIMEOUT_S = 15.0
POSTGRES_SETUP_TIMEOUT_S = 120.0


def _lock_for_setup(conn: Any, url: str) -> None:
    """Take the setup advisory lock, polling (never blocking inside a statement).

    A session blocked in ``pg_advisory_lock`` holds a snapshot, and the migrations'
    ``CREATE INDEX CONCURRENTLY`` in the process that has the lock waits for every
    such snapshot: a deadlock Postgres does not detect. Polling with
    ``pg_try_advisory_lock`` leaves the session idle between tries.
    """
    from playbook.agent.context import ConfigError, masked_url

    deadline = time.monotonic() + POSTGRES_SETUP_TIMEOUT_S
    while True:
        row = conn.execute(
            "SELECT pg_try_advisory_lock(%s) AS locked", (POSTGRES_SETUP_LOCK,)
        ).fetchone()
        if row and row["locked"]:
            return
        if time.monotonic() > deadline:
            raise ConfigError(f"timed out waiting for another process to set up {masked_url(url)}")
        time.sleep(0.2)


@dataclass
class Deps:
    """Everything a graph run uses besides its state."""

    context: AgentContext
    retriever: Retriever | None = None
    chat_model: BaseChatModel | None = None
    extractor: Extractor | None = None
    drafter: Drafter | None = None
    checker: Checker | None = None
    sections_of: SectionsOf | None = None
    catalog: Sequence[CatalogItem] | None = None
    checkpointer: BaseCheckpointSaver[Any] | None = None
    limiter: Pace | None = None
    llm_slots: threading.BoundedSemaphore | None = None
    """Caps the LLM calls in flight at once when a batch runs more threads than calls."""
    _lock: threading.RLock = field(default_factory=threading.RLock, repr=False)
    _graph: CompiledStateGraph[Any, Any, Any, Any] | None = field(default=None, repr=False)
    _conn: sqlite3.Connection | None = field(default=None, repr=False)
    _pool: ConnectionPool[Any] | None = field(default=None, repr=False)
    _loaded_catalog: list[CatalogItem] | None = field(default=None, repr=False)
    _catalog_dump: tuple[object, list[dict[str, Any]]] | None = field(
        default=None, repr=False, init=False
    )

    @property
    def catalog_given(self) -> bool:
        """True when a catalog was supplied (injected or by path), not the built-in one."""
        return self.catalog is not None or self.context.catalog_path is not None

    def get_catalog(self) -> list[CatalogItem]:
        """Return the customer's catalog, else the built-in default."""
        if self.catalog is not None:
            return list(self.catalog)
        with self._lock:
            if self._loaded_catalog is None:
                from playbook.tools.book import catalog_items

                self._loaded_catalog = catalog_items(self.context.catalog_path)
            return list(self._loaded_catalog)

    def catalog_dump(self) -> list[dict[str, Any]]:
        """Return the catalog as plain data for the graph state, dumped once (read-only).

        Every account's state then holds the same list, which `nodes.common.catalog_of`
        turns back into models once rather than per node and account.
        """
        with self._lock:
            source = self.catalog  # an injected catalog may be replaced: dump that one anew
            if self._catalog_dump is None or self._catalog_dump[0] is not source:
                dumped = [i.model_dump(mode="json") for i in self.get_catalog()]
                self._catalog_dump = (source, dumped)
            return self._catalog_dump[1]

    def get_retriever(self) -> Retriever:
        """Return the guidance retriever (the local or server Chroma index by default)."""
        with self._lock:
            if self.retriever is None:
                from playbook.knowledge import KnowledgeBase

                self.retriever = KnowledgeBase(self.context.index_settings()).retriever
            return self.retriever

    def guidance_for(self, facts: Assessment) -> Guidance:
        """Return the guidance for an assessed account's situation."""
        return self.get_retriever().for_situation(
            facts.offer.type.value if facts.offer else None,
            facts.trigger.type.value if facts.trigger else None,
            tuple(g.name.value for g in facts.gates),
            DEFAULT_OBJECTIONS,
            tuple(dict.fromkeys(c.kind.value for c in facts.concerns)),
        )

    def get_limiter(self) -> Pace | None:
        """Return the process-wide rate limiter for this endpoint and model (LLM modes).

        Built from ``context.rpm`` / ``context.tpm`` on first use and shared with every
        other `Deps` of the process with the same limits, endpoint and model. Without
        limits it only spreads 429 pauses to every worker. None offline.
        """
        with self._lock:
            if self.limiter is None and self.context.llm_enabled:
                from playbook.agent.llm.ratelimit import shared_limiter

                ctx = self.context
                endpoint = ctx.azure_endpoint or ctx.base_url or ""
                scope = f"{ctx.mode}|{endpoint}|{ctx.azure_deployment or ctx.model}"
                self.limiter = shared_limiter(ctx.rpm, ctx.tpm, scope=scope)
            return self.limiter

    def get_chat_model(self) -> BaseChatModel:
        """Return the chat model for LLM modes (built from the context on first use).

        The rate limiter is bound to it (an injected model too), so every structured
        call on it is paced.
        """
        with self._lock:
            limiter = self.get_limiter()
            if self.chat_model is None:
                from playbook.agent.llm.client import build_chat_model

                self.chat_model = build_chat_model(self.context, limiter=limiter)
            elif limiter is not None:
                from playbook.agent.llm.client import bind_limiter, limiter_for

                if limiter_for(self.chat_model)[0] is not limiter:
                    bind_limiter(self.chat_model, limiter)
            return self.chat_model

    def get_extractor(self) -> Extractor:
        """Return the deterministic notes extractor."""
        if self.extractor is None:
            from playbook.tools.notes.extractor import extract_findings

            self.extractor = extract_findings
        return self.extractor

    def get_drafter(self) -> Drafter:
        """Return the offline drafter."""
        if self.drafter is None:
            from playbook.agent.drafter import draft_offline

            self.drafter = draft_offline
        return self.drafter

    def get_checker(self) -> tuple[Checker, SectionsOf]:
        """Return the rubric check and its failing-sections helper."""
        if self.checker is None or self.sections_of is None:
            from playbook.tools.rubric import check_brief, failing_sections

            self.checker = self.checker or check_brief
            self.sections_of = self.sections_of or failing_sections
        return self.checker, self.sections_of

    def get_checkpointer(self) -> BaseCheckpointSaver[Any]:
        """Postgres at the configured URL, else SQLite at the path, else in memory.

        SQLite runs in WAL mode with ``synchronous=NORMAL``: a commit is not flushed to
        disk one by one (a killed process loses nothing committed; a power cut may lose
        the last few steps, which a resumed batch simply redoes).
        """
        with self._lock:
            if self.checkpointer is None:
                path = self.context.checkpointer_path
                if self.context.checkpointer_url is not None:
                    self.checkpointer = self._postgres(self.context.checkpointer_url)
                elif path is None:
                    from langgraph.checkpoint.memory import InMemorySaver

                    self.checkpointer = InMemorySaver()
                else:
                    from langgraph.checkpoint.sqlite import SqliteSaver

                    path.parent.mkdir(parents=True, exist_ok=True)
                    self._conn = sqlite3.connect(str(path), check_same_thread=False)
                    self._conn.execute("PRAGMA journal_mode=WAL")
                    self._conn.execute("PRAGMA synchronous=NORMAL")
                    self.checkpointer = SqliteSaver(self._conn)
            return self.checkpointer

    def get_graph(self) -> CompiledStateGraph[Any, Any, Any, Any]:
        """Return the compiled brief graph bound to these dependencies (built once)."""
        with self._lock:
            if self._graph is None:
                from playbook.agent.graph import build_graph

                self._graph = build_graph(self)
            return self._graph

    def _postgres(self, url: str) -> BaseCheckpointSaver[Any]:
        """Open a small connection pool, create the tables once (locked), return the saver."""
        from langgraph.checkpoint.postgres import PostgresSaver
        from psycopg.rows import dict_row
        from psycopg_pool import ConnectionPool, PoolTimeout

        from playbook.agent.context import ConfigError, masked_url

        pool: ConnectionPool[Any] = ConnectionPool(
            url,
            min_size=1,
            max_size=4,
            kwargs={"autocommit": True, "prepare_threshold": 0, "row_factory": dict_row},
            check=ConnectionPool.check_connection,
            open=True,
        )
        try:
            pool.wait(timeout=POSTGRES_CONNECT_TIMEOUT_S)
        except PoolTimeout as exc:
            pool.close()
            raise ConfigError(
                f"cannot connect to the Postgres checkpointer at {masked_url(url)}"
            ) from exc
        saver = PostgresSaver(pool)
        try:
            with pool.connection() as conn:
                _lock_for_setup(conn, url)
                try:
                    saver.setup()
                finally:
                    conn.execute("SELECT pg_advisory_unlock(%s)", (POSTGRES_SETUP_LOCK,))
        except ConfigError:
            pool.close()
            raise
        self._pool = pool
        return saver

    def close(self) -> None:
        """Close the SQLite connection or Postgres pool this object opened, if any."""
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None
                self.checkpointer = None
                self._graph = None
            if self._pool is not None:
                self._pool.close()
                self._pool = None
                self.checkpointer = None
                self._graph = None
