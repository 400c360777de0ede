"""A batch process killed mid-run resumes from its checkpoints without re-calling the LLM."""

from __future__ import annotations

import datetime as dt
import json
import selectors
import subprocess
import sys
import time
from pathlib import Path

import pytest
from bench_modules import generate, standin

pytestmark = pytest.mark.server

ROOT = Path(__file__).resolve().parents[1]
AS_OF = dt.date(2026, 11, 23)
ACCOUNTS = 10
KILL_AFTER = 4
RUN_TIMEOUT_S = 120.0

DRIVER = """
import datetime as dt, json, sys
from pathlib import Path
from playbook.agent.context import AgentContext
from playbook.agent.runner import BriefAgent, BriefResult, run_batch
from playbook.agent.services import Services
from playbook.tools.loading import load_accounts

book, db, base_url = sys.argv[1:4]
ctx = AgentContext(
    mode="compatible", base_url=base_url, as_of=dt.date(2026, 11, 23),
    checkpointer_path=Path(db), max_retries=0,
)
agent = BriefAgent.open(Services(settings=ctx))
for r in run_batch(load_accounts(Path(book)).accounts, concurrency=2, agent=agent, run_id="crash"):
    line = {"account": r.account_id, "ok": isinstance(r, BriefResult)}
    if isinstance(r, BriefResult):
        line.update(calls=r.llm_calls, script=r.brief.provenance.get("script"))
    print(json.dumps(line), flush=True)
"""





def write_book(path: Path) -> list[str]:
    note = "Call 2026-11-10: they are at 28 of 30 seats and hiring two analysts."
    generate.write_csv(path, ACCOUNTS, seed=5, as_of=AS_OF, notes=note)
    return [row["account_id"] for row in generate.generate_book(ACCOUNTS, seed=5, as_of=AS_OF)]


def run_driver(args: list[str], *, stop_after: int | None) -> list[dict[str, object]]:
    """Run the batch driver; with ``stop_after``, SIGKILL it after that many results."""
    proc = subprocess.Popen(
        [sys.executable, "-c", DRIVER, *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None
    lines: list[dict[str, object]] = []
    selector = selectors.DefaultSelector()
    selector.register(proc.stdout, selectors.EVENT_READ)
    deadline = time.monotonic() + RUN_TIMEOUT_S
    try:
        while time.monotonic() < deadline:
            if not selector.select(timeout=max(0.0, deadline - time.monotonic())):
                break
            raw = proc.stdout.readline()
            if not raw:
                break
            lines.append(json.loads(raw))
            if stop_after is not None and len(lines) >= stop_after:
                proc.kill()
                break
    finally:
        selector.close()
        if proc.poll() is None and stop_after is None:
            proc.wait(timeout=max(1.0, deadline - time.monotonic()))
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=30)
        stderr = proc.stderr.read().decode() if proc.stderr else ""
    if stop_after is None:
        assert proc.returncode == 0, stderr[-3000:]
    return lines


def called_accounts(stats: dict[str, object], task: str | None = None) -> dict[str, int]:
    calls = stats["calls"]
    assert isinstance(calls, dict)
    out: dict[str, int] = {}
    for key, count in calls.items():
        name, account = key.split(":", 1)
        if task is None or name == task:
            out[account] = out.get(account, 0) + int(count)
    return out


def test_killed_batch_resumes_without_recalling_finished_accounts(tmp_path: Path) -> None:
    book, db = tmp_path / "book.csv", tmp_path / "checkpoints.sqlite"
    ids = write_book(book)
    with standin.serve(latency_ms=300) as server:
        args = [str(book), str(db), server.base_url]
        first = run_driver(args, stop_after=KILL_AFTER)
        finished = {str(line["account"]) for line in first}
        assert len(finished) >= KILL_AFTER and len(finished) < ACCOUNTS
        before = server.stats()
        assert all(called_accounts(before, "draft").get(a) == 1 for a in finished)
        server.reset()

        second = run_driver(args, stop_after=None)
        after = server.stats()

    assert sorted(str(line["account"]) for line in second) == sorted(ids)
    assert all(line["ok"] and line["script"] == "llm" for line in second)
    recalled = set(called_accounts(after)) & finished
    assert not recalled, f"finished accounts were sent to the LLM again: {sorted(recalled)}"
    unfinished = set(ids) - finished
    drafts, extracts = called_accounts(after, "draft"), called_accounts(after, "extract")
    assert set(drafts) <= unfinished and all(n == 1 for n in drafts.values())
    assert sum(drafts.values()) <= len(unfinished)
    assert sum(extracts.values()) <= len(unfinished)
    first_drafts = called_accounts(before, "draft")
    assert all(first_drafts.get(a) == 1 for a in unfinished - set(drafts))
