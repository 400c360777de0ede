"""The LLM process engine: accounts on several processes, each with threads waiting on the API.

An LLM batch is bound by network latency, but each account also costs ~10 ms of
CPU (graph, drafter, rubric, HTTP client): one process with 16 threads saturates its
GIL well below 16 calls in flight. So the accounts run on ``processes`` worker
processes with ``threads`` threads each (the ``--concurrency`` split between them),
all pacing through one shared `RateLimiter` hosted in a manager process.

Accounts are pulled, not chunked: every thread of every worker takes the next job
from one queue and puts its outcome on another, so no thread idles at a chunk's
end. The parent feeds jobs through a bounded window and yields outcomes in input
order. Workers are the same fork-server processes as the offline engine's
(`pool.init_worker`: own `Services`, shared guidance files, one index check).
"""

from __future__ import annotations

import os
import queue
import resource
import threading
import traceback
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from playbook.agent.batch.pool import _WORKER, PoolFigures, WorkerSetup, init_worker, start_method
from playbook.agent.batch.store import BatchAborted, Job, Outcome
from playbook.agent.llm.ratelimit import RemoteLimiter, serve_limiter
from playbook.agent.services import threads_for

__all__ = [
    "Crashed",
    "LLMProcessEngine",
    "WorkerStats",
    "init_llm_worker",
    "serve_jobs",
    "split",
]

WINDOW_PER_THREAD = 4
"""Accounts fed ahead per thread: enough that no thread waits for work."""
POLL_S = 0.2
_STOP = None


@dataclass(frozen=True)
class Crashed:
    """An account whose run raised an unexpected error (a bug): the batch stops with it."""

    account_id: str
    traceback: str

    def __str__(self) -> str:
        """Name the account and show the traceback."""
        return f"account {self.account_id}:\n{self.traceback}"


@dataclass(frozen=True)
class WorkerStats:
    """A worker's cumulative counters, sent with each outcome."""

    worker: int
    hits: int
    misses: int
    cpu_s: float
    peak_rss_mb: float


def _stats() -> WorkerStats:
    runner = _WORKER["runner"]
    hits, misses = runner.retrieval()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return WorkerStats(
        worker=_WORKER["pid"],
        hits=hits,
        misses=misses,
        cpu_s=usage.ru_utime + usage.ru_stime,
        peak_rss_mb=usage.ru_maxrss / 1024,
    )


def init_llm_worker(
    setup: WorkerSetup, leader: Any, ready: Any, abort: Any, todo: Any, done: Any, stop: Any
) -> None:
    """Process-pool initializer: `init_worker`, plus the job and outcome queues."""
    init_worker(setup, leader, ready, abort)
    _WORKER.update(todo=todo, done=done, stop=stop, pid=os.getpid())


def serve_jobs(slots: int, limiter: RemoteLimiter | None) -> int:
    """Run in a worker: threads brief queued jobs, ``slots`` LLM calls at most in flight.

    Each thread stops at a stop mark (the parent queues one per thread, see
    `threads_for`). Returns how many accounts this worker briefed.
    """
    runner = _WORKER.get("runner")
    if runner is None:
        raise BatchAborted("the knowledge index could not be made ready")
    todo, done, stop = _WORKER["todo"], _WORKER["done"], _WORKER["stop"]
    if limiter is not None:
        runner.services.limiter = limiter
    runner.services.llm_slots = threading.BoundedSemaphore(slots)
    runner.services.get_chat()
    threads = threads_for(slots)
    count = [0] * threads

    def loop(index: int) -> None:
        while True:
            job = todo.get()
            if job is _STOP or stop.is_set():
                return
            try:
                outcome = runner.run(job)
            except Exception:  # noqa: BLE001 - not hidden: the parent aborts the batch with it
                done.put((Crashed(job.account.account_id, traceback.format_exc()), None))
                return
            done.put((outcome, _stats()))
            count[index] += 1

    workers = [threading.Thread(target=loop, args=(i,), name=f"llm-{i}") for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    if stop.is_set():
        done.cancel_join_thread()
    return sum(count)


def split(concurrency: int, processes: int) -> list[int]:
    """LLM slots per worker: ``concurrency`` shared out over ``processes`` (sums to it)."""
    base, extra = divmod(concurrency, processes)
    return [base + (i < extra) for i in range(processes) if base + (i < extra) > 0]


@dataclass
class LLMProcessEngine(PoolFigures):
    """Accounts on worker processes holding ``concurrency`` LLM calls between them."""

    setup: WorkerSetup
    processes: int
    concurrency: int
    rpm: int | None = None
    tpm: int | None = None
    _counters: dict[int, WorkerStats] = field(default_factory=dict)
    limiter_stats: dict[str, Any] | None = None

    def run(self, jobs: Iterator[Job]) -> Iterator[Outcome]:
        """Yield outcomes in input order; a bounded window of accounts is in flight."""
        start = start_method()
        with serve_limiter(self.rpm, self.tpm, context=start) as limiter:
            try:
                yield from self._run(start, limiter, jobs)
            finally:
                self.limiter_stats = _safe_stats(limiter)

    def _run(self, start: Any, limiter: RemoteLimiter, jobs: Iterator[Job]) -> Iterator[Outcome]:
        slots = split(self.concurrency, self.processes)
        threads = [threads_for(n) for n in slots]
        todo, done, stop = start.Queue(), start.Queue(), start.Event()
        leader, ready, abort = start.Lock(), start.Event(), start.Event()
        pool = ProcessPoolExecutor(
            len(threads),
            mp_context=start,
            initializer=init_llm_worker,
            initargs=(self.setup, leader, ready, abort, todo, done, stop),
        )
        servers = [pool.submit(serve_jobs, n, limiter) for n in slots]
        limit = sum(threads) * WINDOW_PER_THREAD
        pending: deque[int] = deque()
        held: dict[int, Outcome] = {}
        source = iter(jobs)
        exhausted = False
        try:
            while True:
                while not exhausted and len(pending) < limit:
                    job = next(source, None)
                    if job is None:
                        exhausted = True
                    else:
                        pending.append(job.position)
                        todo.put(job)
                if not pending:
                    return
                outcome = self._next(done, servers)
                held[outcome.position] = outcome
                while pending and pending[0] in held:
                    yield held.pop(pending.popleft())
        finally:
            if pending:
                stop.set()
            for _ in range(sum(threads)):
                todo.put(_STOP)
            todo.cancel_join_thread()
            _drain(done, servers)
            pool.shutdown(wait=not _broken(servers), cancel_futures=True)

    def _next(self, done: Any, servers: list[Future[int]]) -> Outcome:
        while True:
            try:
                outcome: Outcome | Crashed
                stats: WorkerStats | None
                outcome, stats = done.get(timeout=POLL_S)
            except queue.Empty:
                if _broken(servers):
                    failed = next(s for s in servers if s.done() and s.exception() is not None)
                    raise BatchAborted(f"a worker process died: {failed.exception()}") from None
                if all(s.done() for s in servers):
                    raise BatchAborted("the worker processes stopped early") from None
                continue
            if isinstance(outcome, Crashed) or stats is None:
                raise BatchAborted(f"an account crashed a worker thread: {outcome}")
            self._counters[stats.worker] = stats
            return outcome


def _drain(done: Any, servers: list[Future[int]]) -> None:
    """Discard outcomes until every worker has stopped (a full pipe would hold one up).

    On an early stop each worker thread finishes the account it holds (its files are
    written; a re-run skips it) and takes no other.
    """
    while not all(s.done() for s in servers):
        try:
            done.get(timeout=POLL_S)
        except queue.Empty:
            continue


def _broken(servers: list[Future[int]]) -> bool:
    return any(s.done() and s.exception() is not None for s in servers)


def _safe_stats(limiter: RemoteLimiter) -> dict[str, Any] | None:
    try:
        return limiter.stats()
    except (OSError, EOFError):
        return None
