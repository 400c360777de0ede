"""The process engine: chunks of accounts on worker processes (offline batches).

Workers are forked from a fork server that imported the heavy modules once
(`batch_preload`); where there is no fork server they are spawned. Each worker
builds its own `Services` (its own Chroma client and ONNX embedder, loaded once) and
`AccountRunner`. The first worker to start checks (and if needed builds)
the knowledge index while the others wait, so the index is never rebuilt
concurrently. Workers share the guidance of each situation they retrieve through
small files (`SharedGuidance`), so a situation is retrieved about once per run, not
once per worker, and a re-run retrieves nothing. A worker exits within a second of
the batch process dying, busy or idle.
"""

from __future__ import annotations

import dataclasses
import gc
import hashlib
import importlib
import json
import multiprocessing
import os
import resource
import signal
import threading
import time
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from playbook.agent.batch.files import write_fast
from playbook.agent.batch.store import WINDOW_PER_WORKER, BatchAborted, Job, Outcome, RunnerConfig
from playbook.agent.context import AgentContext
from playbook.knowledge.guidance import DEFAULT_OBJECTIONS, Guidance, GuidanceRetriever, Situation

if TYPE_CHECKING:
    from playbook.agent.services import Retriever

__all__ = [
    "CHUNK_SIZE",
    "ChunkResult",
    "PoolFigures",
    "ProcessEngine",
    "SharedGuidance",
    "WorkerSetup",
    "init_worker",
    "run_chunk",
    "start_method",
    "warm_fork_server",
]

CHUNK_SIZE = 32
PARENT_POLL_S = 0.5
START_METHOD = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
WORKER_GC_THRESHOLD = (20_000, 50, 100)
"""Workers collect young objects every 20,000 allocations, not 700: a brief allocates
many short-lived objects and no cycles worth chasing (~4% less CPU a brief, measured)."""
PRELOAD = [f"{__package__}.preload", "chromadb.api.rust", "onnxruntime", "tokenizers"]
"""Imported once by the fork server, before any thread exists, and shared by the workers
(the fork server skips a name that does not import: Chroma loads its bindings lazily)."""
WARM_MIN_BYTES = 64 * 1024
"""Books smaller than this (~150 CSV rows) run on threads: no fork server to warm."""


def start_method() -> multiprocessing.context.BaseContext:
    """Return the workers' start context, the fork server told what to preload."""
    start = multiprocessing.get_context(START_METHOD)
    if START_METHOD == "forkserver":
        start.set_forkserver_preload(PRELOAD)
    return start


def warm_fork_server() -> threading.Thread | None:
    """Start the fork server (and its ~1 s of imports) now, in the background.

    Called before the book is scanned, so the scan and the imports overlap; the
    engine later finds the server running. None where there is no fork server.
    """
    if START_METHOD != "forkserver":
        return None
    from multiprocessing import forkserver

    start_method()
    thread = threading.Thread(target=forkserver.ensure_running, name="fork-server", daemon=True)
    thread.start()
    return thread


@dataclass(frozen=True)
class WorkerSetup:
    """What a worker process needs to build its own `Services` and `AccountRunner`."""

    context: AgentContext
    runner: RunnerConfig
    parent_pid: int
    guidance_dir: Path | None = None


class SharedGuidance:
    """A retriever whose situations are shared between processes through JSON files.

    A situation found in this process's memo or in ``folder`` is a hit; one computed
    by the wrapped retriever (and then published to ``folder``) is a miss. The folder
    belongs to one set of guides and settings (its name carries their hash).
    """

    def __init__(self, inner: Retriever, folder: Path) -> None:
        """Wrap ``inner``; publish to and read from ``folder``."""
        self.inner = inner
        self.folder = folder
        self.memo: dict[Situation, Guidance] = {}
        self.hits = 0
        self.misses = 0
        folder.mkdir(parents=True, exist_ok=True)

    def for_situation(
        self,
        offer_type: str | None,
        trigger_type: str | None,
        gates: tuple[str, ...] = (),
        objections: tuple[str, ...] = DEFAULT_OBJECTIONS,
        concerns: tuple[str, ...] = (),
    ) -> Guidance:
        """Return the guidance of a situation: memo, then shared file, then the retriever."""
        key = GuidanceRetriever.situation(offer_type, trigger_type, gates, objections, concerns)
        found = self.memo.get(key)
        if found is None:
            found = self._shared(key)
        if found is None:
            self.misses += 1
            found = self.inner.for_situation(
                key.offer_type, key.trigger_type, key.gates, key.objections, key.concerns
            )
            self._publish(key, found)
        else:
            self.hits += 1
        self.memo[key] = found
        return found

    def _path(self, key: Situation) -> Path:
        text = json.dumps(dataclasses.astuple(key))
        return self.folder / f"{hashlib.sha256(text.encode('utf-8')).hexdigest()[:24]}.json"

    def _shared(self, key: Situation) -> Guidance | None:
        try:
            return Guidance.model_validate_json(self._path(key).read_bytes())
        except (OSError, ValueError):
            return None

    def _publish(self, key: Situation, guidance: Guidance) -> None:
        payload = guidance.model_dump_json().encode("utf-8")
        try:
            write_fast(self._path(key), payload)
        except OSError:
            return


@dataclass(frozen=True)
class ChunkResult:
    """A worker's outcomes for one chunk, with its cumulative counters and usage."""

    outcomes: list[Outcome]
    worker: int
    hits: int
    misses: int
    cpu_s: float
    peak_rss_mb: float


class _Flag(Protocol):
    def is_set(self) -> bool: ...
    def set(self) -> None: ...
    def wait(self, timeout: float | None = None) -> bool: ...


class _Lock(Protocol):
    def acquire(self, block: bool = True, timeout: float = -1) -> bool: ...


_WORKER: dict[str, Any] = {}


def _watch_parent(pid: int) -> None:
    """Exit this worker as soon as the batch process is gone (killed, say)."""
    while True:
        time.sleep(PARENT_POLL_S)
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            os._exit(1)


def init_worker(setup: WorkerSetup, leader: _Lock, ready: _Flag, abort: _Flag) -> None:
    """Process-pool initializer: build this worker's runner; the first one readies the index.

    The others import the vector store while they wait for it. Ctrl-C is left to the
    batch process (it stops the pool); a worker exits when that process is gone.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_watch_parent, args=(setup.parent_pid,), daemon=True).start()
    from playbook.agent.batch.worker import AccountRunner
    from playbook.agent.services import Services

    services = Services(settings=setup.context)
    if setup.guidance_dir is not None:
        services.retriever = SharedGuidance(services.get_retriever(), setup.guidance_dir)
    runner = AccountRunner(services, setup.runner)
    if leader.acquire(False):
        prepared = False
        try:
            from playbook.knowledge import KnowledgeBase

            KnowledgeBase(setup.context.index_settings()).ensure()
            prepared = True
        finally:
            if not prepared:
                abort.set()
            ready.set()
    else:
        importlib.import_module("chromadb")
        ready.wait()
    if abort.is_set():
        return
    _WORKER["runner"] = runner
    gc.freeze()
    gc.set_threshold(*WORKER_GC_THRESHOLD)


def run_chunk(jobs: list[Job]) -> ChunkResult:
    """Brief a chunk of accounts in a worker process."""
    runner = _WORKER.get("runner")
    if runner is None:
        raise BatchAborted("the knowledge index could not be made ready")
    outcomes = [runner.run(job) for job in jobs]
    if not _WORKER.get("warm"):
        _WORKER["warm"] = True
        gc.freeze()
    hits, misses = runner.retrieval()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu = usage.ru_utime + usage.ru_stime
    return ChunkResult(outcomes, os.getpid(), hits, misses, cpu, usage.ru_maxrss / 1024)


class WorkerCounters(Protocol):
    """A worker's latest cumulative counters, as its engine keeps them."""

    hits: int
    misses: int
    cpu_s: float
    peak_rss_mb: float


class PoolFigures:
    """`Engine.retrieval` and `Engine.usage` from each worker's latest counters."""

    _counters: dict[int, Any]

    def retrieval(self) -> tuple[int, int]:
        """Hits and misses summed over the worker processes."""
        latest: list[WorkerCounters] = list(self._counters.values())
        return sum(c.hits for c in latest), sum(c.misses for c in latest)

    def usage(self) -> tuple[float, float] | None:
        """CPU seconds summed over the workers (as of their latest report), and their peak RSS."""
        latest: list[WorkerCounters] = list(self._counters.values())
        if not latest:
            return None
        return sum(c.cpu_s for c in latest), max(c.peak_rss_mb for c in latest)


@dataclass
class ProcessEngine(PoolFigures):
    """Chunks of accounts on ``workers`` processes (offline briefs are CPU-bound)."""

    setup: WorkerSetup
    workers: int
    chunk_size: int = CHUNK_SIZE
    _counters: dict[int, ChunkResult] = field(default_factory=dict)

    def run(self, jobs: Iterator[Job]) -> Iterator[Outcome]:
        """Yield outcomes in input order; at most a few chunks per worker are in flight."""
        start = start_method()
        leader, ready, abort = start.Lock(), start.Event(), start.Event()
        pool = ProcessPoolExecutor(
            self.workers,
            mp_context=start,
            initializer=init_worker,
            initargs=(self.setup, leader, ready, abort),
        )
        window: deque[Future[ChunkResult]] = deque()
        limit = self.workers * WINDOW_PER_WORKER
        try:
            for chunk in iter(lambda: list(islice(jobs, self.chunk_size)), []):
                window.append(pool.submit(run_chunk, chunk))
                if len(window) >= limit:
                    yield from self._take(window.popleft())
            while window:
                yield from self._take(window.popleft())
        finally:
            pool.shutdown(wait=True, cancel_futures=True)

    def _take(self, job: Future[ChunkResult]) -> list[Outcome]:
        try:
            done = job.result()
        except BrokenProcessPool as exc:
            raise BatchAborted(f"a worker process died: {exc}") from exc
        self._counters[done.worker] = dataclasses.replace(done, outcomes=[])
        return done.outcomes
