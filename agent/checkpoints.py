"""Where runs are checkpointed: Postgres, SQLite or memory, with a typed serialiser.

Checkpoints go to Postgres when ``settings.checkpointer_url`` is set (several processes
or machines share threads), else to SQLite at ``settings.checkpointer_path``, else to
memory (this process only). The state holds pydantic models and dataclasses; the
serialiser restores exactly the product's own types (`allowed_types`) and no others.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from langgraph.checkpoint.serde.jsonplus import JsonPlusSerializer

from playbook.agent.context import AgentContext, ConfigError, masked_url

if TYPE_CHECKING:
    from langgraph.checkpoint.base import BaseCheckpointSaver
    from psycopg_pool import ConnectionPool

POSTGRES_SETUP_LOCK = 0x706C6179
"""Advisory lock key that serialises ``PostgresSaver.setup()`` across processes."""
POSTGRES_CONNECT_TIMEOUT_S = 15.0
POSTGRES_SETUP_TIMEOUT_S = 120.0
_MODEL_MODULES = (
    "playbook.agent.state",
    "playbook.agent.llm.client",
    "playbook.agent.llm.schemas",
    "playbook.knowledge.chunks",
    "playbook.knowledge.guidance",
    "playbook.tools.models.account",
    "playbook.tools.models.assessment",
    "playbook.tools.models.brief",
    "playbook.tools.models.evidence",
    "playbook.tools.models.findings",
    "playbook.tools.rubric.report",
    "playbook.tools.vocab",
)


def allowed_types() -> Iterator[tuple[str, str]]:
    """Yield (module, name) of every class the state may hold (pydantic models, dataclasses)."""
    import dataclasses
    import enum
    import importlib

    from pydantic import BaseModel

    for module_name in _MODEL_MODULES:
        module = importlib.import_module(module_name)
        for name, value in vars(module).items():
            if not isinstance(value, type) or value.__module__ != module_name:
                continue
            if issubclass(value, BaseModel | enum.Enum) or dataclasses.is_dataclass(value):
                yield module_name, name


def serializer() -> JsonPlusSerializer:
    """Return the checkpoint serialiser that restores the product's types only."""
    return JsonPlusSerializer(allowed_msgpack_modules=tuple(allowed_types()))


def _lock_for_setup(conn: Any, url: str) -> None:
    """Take the setup advisory lock, polling (never blocking inside a statement).

    A session blocked in ``pg_advisory_lock`` holds a snapshot, and the migrations'
    ``CREATE INDEX CONCURRENTLY`` in the process that has the lock waits for every
    such snapshot: a deadlock Postgres does not detect. Polling with
    ``pg_try_advisory_lock`` leaves the session idle between tries.
    """
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
class CheckpointStore:
    """An open checkpointer and the connection or pool behind it (closed by `close`)."""

    saver: BaseCheckpointSaver[Any]
    _conn: sqlite3.Connection | None = field(default=None, repr=False)
    _pool: ConnectionPool[Any] | None = field(default=None, repr=False)

    def close(self) -> None:
        """Close the SQLite connection or Postgres pool, if any."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        if self._pool is not None:
            self._pool.close()
            self._pool = None


def in_memory() -> CheckpointStore:
    """Return a checkpointer of this process only."""
    from langgraph.checkpoint.memory import InMemorySaver

    return CheckpointStore(InMemorySaver(serde=serializer()))


def open_store(settings: AgentContext) -> CheckpointStore:
    """Open the settings' checkpointer: Postgres at the URL, else SQLite at the path, else memory.

    SQLite runs in WAL mode with ``synchronous=NORMAL``: a commit is not flushed to
    disk one by one (a killed process loses nothing committed; a power cut may lose
    the last few steps, which a resumed batch simply redoes).

    Raises:
        ConfigError: the Postgres server cannot be reached or set up.
    """
    if settings.checkpointer_url is not None:
        return _postgres(settings.checkpointer_url)
    path = settings.checkpointer_path
    if path is None:
        return in_memory()
    from langgraph.checkpoint.sqlite import SqliteSaver

    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), check_same_thread=False)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    return CheckpointStore(SqliteSaver(conn, serde=serializer()), _conn=conn)


def _postgres(url: str) -> CheckpointStore:
    """Open a small connection pool, create the tables once (locked), return the store."""
    from langgraph.checkpoint.postgres import PostgresSaver
    from psycopg.rows import dict_row
    from psycopg_pool import ConnectionPool, PoolTimeout

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
    saver = PostgresSaver(pool, serde=serializer())
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
    return CheckpointStore(saver, _pool=pool)
