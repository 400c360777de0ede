"""The LLM batch on worker processes: one rate limiter across them, calls in flight capped."""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from bench_modules import generate, standin

from playbook.agent.batch.llm_pool import split, threads_for
from playbook.agent.batch.run import BatchRequest, run_batch_to_dir
from playbook.agent.context import AgentContext
from playbook.agent.llm.ratelimit import RemoteLimiter, serve_limiter

pytestmark = pytest.mark.server

ROOT = Path(__file__).resolve().parents[1]
AS_OF = dt.date(2026, 11, 23)


def test_concurrency_is_shared_out_over_the_processes_exactly() -> None:
    assert split(16, 2) == [8, 8]
    assert split(17, 2) == [9, 8]
    assert split(3, 4) == [1, 1, 1]
    for concurrency in range(1, 40):
        for processes in range(1, 6):
            assert sum(split(concurrency, processes)) == concurrency
    assert threads_for(8) == 12
    assert threads_for(1) == 2


def _draw(limiter: RemoteLimiter, times: int, go: Any) -> None:
    go.wait(30)
    for _ in range(times):
        limiter.acquire(0)


def test_one_limiter_paces_calls_from_several_processes() -> None:
    start = multiprocessing.get_context("spawn")
    # 120 requests/min holds a 20-request burst: 2 x 12 draws fit only if each process
    # had its own buckets; shared, the last 4 wait for the refill (2 a second).
    go = start.Barrier(2)  # both children draw at the same moment, however long they start
    with serve_limiter(120, None, context=start) as limiter:
        children = [start.Process(target=_draw, args=(limiter, 12, go)) for _ in range(2)]
        t0 = time.monotonic()
        for child in children:
            child.start()
        for child in children:
            child.join(30)
        elapsed = time.monotonic() - t0
        stats = limiter.stats()
    assert [c.exitcode for c in children] == [0, 0]
    assert stats["waits"] == 4
    assert elapsed >= 1.5


def _refused(limiter: RemoteLimiter) -> None:
    limiter.penalize(3.0)


def test_a_429_in_one_process_pauses_the_others() -> None:
    start = multiprocessing.get_context("spawn")
    with serve_limiter(None, None, context=start) as limiter:
        child = start.Process(target=_refused, args=(limiter,))
        child.start()
        child.join(30)
        t0 = time.monotonic()
        waited = limiter.acquire(0)
        stats = limiter.stats()
    assert child.exitcode == 0
    assert stats["penalties"] == 1
    assert waited >= 1.0 and time.monotonic() - t0 >= 1.0


def test_llm_batch_on_processes_loses_nothing_to_429s_and_caps_calls_in_flight(
    tmp_path: Path,
) -> None:
    book, out = tmp_path / "book.csv", tmp_path / "out"
    n, concurrency = 240, 8
    generate.write_csv(book, n, seed=11, as_of=AS_OF, notes="")
    with standin.serve(latency_ms=40, rate_429=0.10, retry_after_s=0.05, seed=5) as server:
        ctx = AgentContext(
            mode="compatible", base_url=server.base_url, as_of=AS_OF, model="gpt-4o-mini"
        )
        request = BatchRequest(book, out, ctx, concurrency=concurrency, processes=2)
        report = run_batch_to_dir(request)
        first = server.stats()
        manifest = json.loads((out / "run.json").read_text(encoding="utf-8"))
        server.reset()
        again = run_batch_to_dir(request)
        second = server.stats()

    assert (report.engine, report.workers) == ("llm-processes", 2)
    assert (report.accounts, report.written, report.failed) == (n, n, 0)
    refused = first["status"].get("429", 0)
    assert refused > 0
    # an account whose call is refused past the SDK's retries is still briefed (offline)
    assert report.llm_calls == first["status"]["200"] >= n - 5
    # 12 threads over 2 processes, but never more than 8 calls out at once
    assert first["max_in_flight"] <= concurrency
    assert report.limiter is not None and report.limiter["penalties"] == refused
    briefs = list((out / "briefs").glob("*.json"))
    assert len(briefs) == n
    assert manifest["rate_limiter"]["penalties"] == refused
    assert (again.skipped, again.written) == (n, 0)
    assert second["requests"] == 0


def test_ctrl_c_stops_an_llm_batch_on_processes_and_a_rerun_resumes(tmp_path: Path) -> None:
    book, out = tmp_path / "book.csv", tmp_path / "out"
    n = 400
    generate.write_csv(book, n, seed=13, as_of=AS_OF, notes="")
    with standin.serve(latency_ms=150) as server:
        env = {
            **os.environ,
            "PLAYBOOK_MODE": "compatible",
            "PLAYBOOK_BASE_URL": server.base_url,
            "PLAYBOOK_MODEL": "gpt-4o-mini",
        }
        command = [sys.executable, "-m", "playbook.cli", "batch", str(book), "--out", str(out),
                   "--as-of", AS_OF.isoformat(), "--concurrency", "8", "--processes", "2"]  # fmt: skip
        proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, text=True, start_new_session=True)  # fmt: skip
        try:
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline and proc.poll() is None:
                if len(list((out / "briefs").glob("*.json"))) >= 40:
                    break
                time.sleep(0.05)
            assert proc.poll() is None, "the batch ended before Ctrl-C"
            os.killpg(proc.pid, signal.SIGINT)  # what a terminal's Ctrl-C sends
            _, stderr = proc.communicate(timeout=60)
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=30)
        assert proc.returncode == 130, stderr
        assert "interrupted" in stderr
        kept = len(list((out / "briefs").glob("*.json")))
        assert 40 <= kept < n
        server.reset()
        again = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
        calls = server.stats()["requests"]
    assert again.returncode == 0, again.stderr
    counts = json.loads((out / "run.json").read_text(encoding="utf-8"))["counts"]
    assert counts["skipped_unchanged"] == kept
    assert counts["briefs_written"] == n - kept
    assert calls == n - kept


def test_in_process_batch_runs_spare_threads_but_caps_calls_in_flight(tmp_path: Path) -> None:
    from playbook.agent.runner import BriefAgent, BriefResult, run_batch
    from playbook.agent.services import Services
    from playbook.tools.loading import load_accounts

    book = tmp_path / "book.csv"
    generate.write_csv(book, 24, seed=17, as_of=AS_OF, notes="")
    accounts = load_accounts(book).accounts
    with standin.serve(latency_ms=150) as server:
        ctx = AgentContext(
            mode="compatible", base_url=server.base_url, as_of=AS_OF, model="gpt-4o-mini"
        )
        t0 = time.monotonic()
        results = list(run_batch(accounts, concurrency=3, agent=BriefAgent.open(Services(settings=ctx))))
        elapsed = time.monotonic() - t0
        stats = server.stats()
    assert all(isinstance(r, BriefResult) and r.llm_calls == 1 for r in results)
    assert len(results) == 24 and stats["requests"] == 24
    assert stats["max_in_flight"] == 3  # 5 threads, 3 slots: the cap holds and is used
    assert elapsed >= 24 / 3 * 0.15
