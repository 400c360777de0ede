"""Several app processes share one Postgres checkpointer and one Chroma server (loopback).

Starts a real PostgreSQL (initdb into a temporary directory owned by the ``postgres``
user when run as root) and a real ``chroma run``, then runs app processes that draft
offline with ``PLAYBOOK_CHECKPOINTS=postgresql://...`` and ``PLAYBOOK_CHROMA_HOST``:
two at once (distinct batch threads, one chat interrupted for missing inputs), then a
third that resumes the other process's chat and re-runs the whole batch from the
checkpoints alone. Both servers are always stopped.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from bench_modules import generate
from servers import chroma_server, free_port

pytestmark = pytest.mark.server

ROOT = Path(__file__).resolve().parents[1]
AS_OF = dt.date(2026, 11, 23)
STARTUP_TIMEOUT_S = 60.0
APP_TIMEOUT_S = 120.0

APP = """
import json, sys
from pathlib import Path
from playbook.agent.context import AgentContext
from playbook.agent.services import Services
from playbook.agent.runner import BriefAgent, BriefResult, NeedsInput, run_batch
from playbook.tools.loading import load_accounts

book, plan = Path(sys.argv[1]), json.loads(sys.argv[2])
accounts = {a.account_id: a for a in load_accounts(book).accounts}
ctx = AgentContext.resolve()
agent = BriefAgent.open(Services(settings=ctx))
out = {
    "checkpointer": type(agent.store.saver).__name__,
    "chroma_server": ctx.index_settings().is_server,
    "batch": {},
}
if plan.get("batch"):
    batch_agent = BriefAgent.open(Services(settings=ctx))
    chosen = [accounts[i] for i in plan["batch"]]
    for r in run_batch(chosen, concurrency=2, agent=batch_agent, run_id="multi"):
        out["batch"][r.account_id] = isinstance(r, BriefResult) and r.passed
if plan.get("ask"):
    got = agent.run(account=accounts[plan["ask"]], thread_id="chat:handoff")
    out["asked"] = got.missing if isinstance(got, NeedsInput) else None
if plan.get("resume"):
    first = agent.resume("chat:handoff", {})
    skip = first.missing if isinstance(first, NeedsInput) else []
    got = agent.resume("chat:handoff", {}, skip) if skip else first
    out["resumed"] = {"account": got.account_id, "passed": got.passed, "skipped": got.skipped}
print(json.dumps(out), flush=True)
"""



def pg_bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}")) or [shutil.which(name) or ""]
    if not found[-1]:
        pytest.fail(f"PostgreSQL's {name} is not installed (.ci/run installs Debian postgresql)")
    return found[-1]


def as_postgres(args: list[str]) -> list[str]:
    """Run as the postgres user when we are root (initdb refuses root)."""
    if os.geteuid() != 0:
        return args
    runuser = shutil.which("runuser")
    if runuser is None:
        pytest.fail("running as root without runuser (util-linux)")
    return [runuser, "-u", "postgres", "--", *args]


@contextlib.contextmanager
def postgres_server() -> Iterator[str]:
    """A throwaway PostgreSQL on a free loopback port; yields its database URL."""
    initdb, pg_ctl = pg_bin("initdb"), pg_bin("pg_ctl")
    base = Path(tempfile.mkdtemp(prefix="playbook-pg-"))
    data, log = base / "data", base / "server.log"
    if os.geteuid() == 0:
        shutil.chown(base, "postgres", "postgres")
    base.chmod(0o700)
    port = free_port()
    started = False
    try:
        subprocess.run(
            as_postgres([initdb, "-D", str(data), "-A", "trust", "-U", "postgres", "-E", "UTF8",
                         "--no-sync"]),
            check=True, capture_output=True, timeout=STARTUP_TIMEOUT_S,
        )  # fmt: skip
        options = f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off"
        subprocess.run(
            as_postgres([pg_ctl, "-D", str(data), "-l", str(log), "-o", options, "-w",
                         "-t", str(int(STARTUP_TIMEOUT_S)), "start"]),
            check=True, capture_output=True, timeout=STARTUP_TIMEOUT_S + 10,
        )  # fmt: skip
        started = True
        import psycopg

        admin = f"postgresql://postgres@127.0.0.1:{port}/postgres"
        with psycopg.connect(admin, autocommit=True, connect_timeout=10) as conn:
            conn.execute("CREATE DATABASE playbook")
        yield f"postgresql://postgres@127.0.0.1:{port}/playbook"
    finally:
        if started:
            subprocess.run(
                as_postgres([pg_ctl, "-D", str(data), "-m", "immediate", "-w", "-t", "30", "stop"]),
                capture_output=True,
                timeout=60,
            )
        shutil.rmtree(base, ignore_errors=True)



def write_book(path: Path) -> list[str]:
    rows = list(generate.generate_book(8, seed=21, as_of=AS_OF))
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return [row["account_id"] for row in rows]


def start_app(book: Path, plan: dict[str, Any], env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-c", APP, str(book), json.dumps(plan)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def finish_app(proc: subprocess.Popen[bytes]) -> dict[str, Any]:
    try:
        out, err = proc.communicate(timeout=APP_TIMEOUT_S)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate(timeout=30)
    assert proc.returncode == 0, err.decode()[-3000:]
    result: dict[str, Any] = json.loads(out.decode().strip().splitlines()[-1])
    return result


def checkpoint_rows(url: str, pattern: str) -> int:
    import psycopg

    with psycopg.connect(url, connect_timeout=10) as conn:
        row = conn.execute(
            "SELECT count(*) FROM checkpoints WHERE thread_id LIKE %s", (pattern,)
        ).fetchone()
    assert row is not None
    return int(row[0])


def test_processes_share_postgres_checkpoints_and_a_chroma_server(tmp_path: Path) -> None:
    pytest.importorskip("langgraph.checkpoint.postgres")
    from playbook.knowledge import IndexSettings, KnowledgeBase

    book = tmp_path / "book.csv"
    ids = write_book(book)
    with postgres_server() as url, chroma_server(tmp_path) as chroma_port:
        KnowledgeBase(IndexSettings(path=None, host="127.0.0.1", port=chroma_port)).ensure()
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("OPENAI_", "AZURE_OPENAI_", "PLAYBOOK_"))
        }
        env.update(
            PLAYBOOK_CHECKPOINTS=url,
            PLAYBOOK_CHROMA_HOST="127.0.0.1",
            PLAYBOOK_CHROMA_PORT=str(chroma_port),
            PLAYBOOK_AS_OF=AS_OF.isoformat(),
            PLAYBOOK_HOME=str(tmp_path / "home"),
        )
        first = start_app(book, {"batch": ids[:4], "ask": ids[0]}, env)
        second = start_app(book, {"batch": ids[4:]}, env)
        try:
            a, b = finish_app(first), finish_app(second)
        finally:
            for proc in (first, second):
                if proc.poll() is None:
                    proc.kill()
                    proc.communicate(timeout=30)

        assert a["checkpointer"] == b["checkpointer"] == "PostgresSaver"
        assert a["chroma_server"] and b["chroma_server"]
        assert a["batch"] == {i: True for i in ids[:4]}
        assert b["batch"] == {i: True for i in ids[4:]}
        assert a["asked"], "the chat in process A should stop to ask for missing inputs"
        rows = checkpoint_rows(url, "batch:multi:%")
        assert rows > 0 and checkpoint_rows(url, "chat:handoff") > 0

        third = finish_app(start_app(book, {"batch": ids, "resume": True}, env))
        assert third["batch"] == {i: True for i in ids}
        assert checkpoint_rows(url, "batch:multi:%") == rows, "finished threads were re-run"
        resumed = third["resumed"]
        assert resumed["account"] == ids[0] and resumed["passed"]
        assert set(resumed["skipped"]) == set(a["asked"])
