"""`playbook batch`: every account of a book through the brief graph, resumably, at scale.

The book is streamed twice (`batch_input`): a cheap first pass keeps only (account
id, ARR) for the revenue segments and the row problems; the second pass feeds
accounts to an engine that writes one brief per account (`batch_worker`): worker
processes offline (`batch_pool`); in LLM modes, worker processes of threads sharing
one rate limiter (`batch_llm_pool`) or, for small runs, threads of this process;
or a Batch API output file (`batch_openai`). Nothing
book-sized is held: outcomes arrive in input order through a bounded window and the
portfolio writer keeps compact rows.

Resuming: each brief JSON stores the sha256 of its input. A run over the same out
dir skips accounts whose JSON holds the same hash and redoes the others; the
portfolio files are rebuilt at the end from every account's facts (read back from
the JSON of the skipped ones). See `batch_files` for the layout of the out dir.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import math
import os
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from playbook.agent.batch.files import BRIEFS_DIR, clean_partial_files, errors_csv
from playbook.agent.batch.input import Scan, default_run_id, iter_jobs, scan_book, settings_digest
from playbook.agent.batch.report import BatchReport, error_rows, run_manifest
from playbook.agent.batch.store import (
    BatchAborted,
    BriefStore,
    Engine,
    Outcome,
    RunnerConfig,
)
from playbook.agent.checkpoints import CheckpointStore, open_store
from playbook.agent.context import AgentContext
from playbook.agent.services import Services, threads_for
from playbook.tools.models.account import CatalogItem

__all__ = [
    "BatchAborted",
    "BatchReport",
    "BatchRequest",
    "Prepared",
    "bound_services",
    "export_openai_batch",
    "prepare",
    "run_batch_to_dir",
]

ACCOUNTS_PER_PROCESS = 100
"""A worker process is only worth its start-up for at least this many accounts."""
LLM_CONCURRENCY = 4
LLM_THREADS_PER_PROCESS = 4
"""An LLM batch takes a second process only for at least this many calls in flight each:
one process's GIL holds ~8 well (~10 ms of CPU an account), 16 do not (bench_llm.py)."""
CHECKPOINTS_FILE = ".checkpoints.sqlite"
LOCK_FILE = ".batch.lock"
GUIDANCE_CACHE = ".guidance"


@dataclass(frozen=True)
class BatchRequest:
    """What `playbook batch` was asked for."""

    accounts_path: Path
    out_dir: Path
    context: AgentContext
    concurrency: int | None = None
    processes: int | None = None
    run_id: str | None = None
    fresh: bool = False
    dayfirst: bool | None = None
    import_results: Path | None = None


@dataclass
class Prepared:
    """A scanned book and the settings every account shares."""

    context: AgentContext
    scan: Scan
    catalog: list[CatalogItem]
    digest: str
    segments: dict[str, str]
    run_id: str


def _batch_context(
    request: BatchRequest, services: Services | None, injected: bool = False
) -> AgentContext:
    """Return the run's context: never interactive; LLM runs checkpoint into the out dir."""
    base = services.settings if services is not None else request.context
    context = base.with_values(interactive=False)
    has_store = context.checkpointer_path is not None or context.checkpointer_url is not None
    if context.llm_enabled and not has_store and not injected:
        context = context.with_values(checkpointer_path=request.out_dir / CHECKPOINTS_FILE)
    return context


def bound_services(services: Services | None, context: AgentContext) -> Services:
    """Return the run's `Services`: injected ones with the batch context, else new ones."""
    if services is None:
        return Services(settings=context)
    return services.with_settings(context)


def prepare(
    request: BatchRequest, services: Services | None = None, *, injected_checkpoints: bool = False
) -> Prepared:
    """Scan the book and settle the settings (context, catalog, segments, run id).

    Raises:
        LoadError: the accounts file cannot be read at all.
        CatalogError: the offer catalog cannot be read.
    """
    from playbook.tools.book import catalog_items
    from playbook.tools.rules.pipeline import revenue_segments

    context = _batch_context(request, services, injected_checkpoints)
    scan = scan_book(request.accounts_path, request.dayfirst)
    catalog = (
        bound_services(services, context).get_catalog() if services is not None
        else catalog_items(context.catalog_path)
    )  # fmt: skip
    return Prepared(
        context=context,
        scan=scan,
        catalog=catalog,
        digest=settings_digest(context, catalog),
        segments=revenue_segments(scan.arr),
        run_id=request.run_id or default_run_id(request.accounts_path),
    )


def _engine(
    request: BatchRequest,
    ready: Prepared,
    services: Services | None,
    checkpoints: CheckpointStore | None,
    config: RunnerConfig,
) -> tuple[Engine, str, int]:
    """Pick the engine: processes for offline books worth them, else threads in this process."""
    context = ready.context
    if request.import_results is not None:
        from playbook.agent.batch.openai_engine import ImportEngine

        store = BriefStore(config.out_dir, config.run_id)
        run_services = bound_services(services, context)
        engine = ImportEngine(request.import_results, run_services, store, request.fresh)
        return engine, "openai-batch-import", 1
    if request.concurrency is not None:
        workers = max(1, request.concurrency)
    else:
        workers = LLM_CONCURRENCY if context.llm_enabled else os.cpu_count() or 1
    books = math.ceil(ready.scan.accounts / ACCOUNTS_PER_PROCESS)
    cores = min(os.cpu_count() or 1, request.processes or sys.maxsize)
    shared = config.out_dir / GUIDANCE_CACHE / ready.digest[:16]
    if context.llm_enabled:
        processes = min(cores, workers // LLM_THREADS_PER_PROCESS, books)
        if services is None and processes > 1:
            from playbook.agent.batch.llm_pool import LLMProcessEngine
            from playbook.agent.batch.pool import WorkerSetup

            _prepare_checkpoints(context)
            setup = WorkerSetup(context, config, os.getpid(), shared)
            pool = LLMProcessEngine(setup, processes, workers, context.rpm, context.tpm)
            return pool, "llm-processes", processes
    else:
        processes = min(workers, books, cores)
        if services is None and processes > 1:
            from playbook.agent.batch.pool import ProcessEngine, WorkerSetup

            plain = context.with_values(checkpointer_path=None, checkpointer_url=None)
            setup = WorkerSetup(plain, config, os.getpid(), shared)
            return ProcessEngine(setup, processes), "processes", processes
        workers = 1
    from playbook.agent.batch.worker import AccountRunner, ThreadEngine

    run_services = bound_services(services, context)
    threads = workers
    if context.llm_enabled:
        run_services.llm_slots = threading.BoundedSemaphore(workers)
        threads = threads_for(workers)
    runner = AccountRunner(run_services, config, checkpoints)
    return ThreadEngine(runner, threads), "threads", workers


def _prepare_checkpoints(context: AgentContext) -> None:
    """Create the checkpoint store (WAL mode, tables) once, before worker processes open it."""
    store = open_store(context)
    try:
        setup = getattr(store.saver, "setup", None)
        if callable(setup):
            setup()
    finally:
        store.close()


def run_batch_to_dir(
    request: BatchRequest,
    *,
    services: Services | None = None,
    checkpoints: CheckpointStore | None = None,
    on_start: Callable[[int, BatchReport], None] | None = None,
    on_outcome: Callable[[Outcome], None] | None = None,
) -> BatchReport:
    """Brief every account of the book into ``request.out_dir`` and write the portfolio.

    ``services`` (tests, embedding) runs the accounts on threads of this process with
    those services (and ``checkpoints``, in LLM modes, instead of the out dir's store).
    ``on_start(total, report)`` is called once the book is scanned and ``on_outcome``
    after every account, in input order. errors.csv and run.json are
    written even when the run stops early; the portfolio files only when it completes.

    Raises:
        LoadError: the accounts file cannot be read at all.
        CatalogError: the offer catalog cannot be read.
        BatchAborted: a worker process died, or another batch holds the out dir (the
            briefs written so far are kept).
    """
    started_at = dt.datetime.now(dt.UTC)
    t0 = time.perf_counter()
    out_dir = request.out_dir
    (out_dir / BRIEFS_DIR).mkdir(parents=True, exist_ok=True)
    with _exclusive(out_dir):
        return _run(request, services, checkpoints, on_start, on_outcome, started_at, t0)


@contextlib.contextmanager
def _exclusive(out_dir: Path) -> Iterator[None]:
    """Hold the out dir's lock for the run (released by the OS even when killed)."""
    with open(out_dir / LOCK_FILE, "a+b") as handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise BatchAborted(f"another batch is writing to {out_dir}") from exc
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _run(
    request: BatchRequest,
    services: Services | None,
    checkpoints: CheckpointStore | None,
    on_start: Callable[[int, BatchReport], None] | None,
    on_outcome: Callable[[Outcome], None] | None,
    started_at: dt.datetime,
    t0: float,
) -> BatchReport:
    """Run the batch once the out dir is held (see `run_batch_to_dir`)."""
    from playbook.tools.output.export import write_atomic
    from playbook.tools.output.portfolio import PortfolioWriter

    out_dir = request.out_dir
    clean_partial_files(out_dir / BRIEFS_DIR)
    clean_partial_files(out_dir)
    if services is None and request.import_results is None:
        from playbook.agent.batch.pool import WARM_MIN_BYTES, warm_fork_server

        if request.accounts_path.stat().st_size >= WARM_MIN_BYTES:
            warm_fork_server()
    ready = prepare(request, services, injected_checkpoints=checkpoints is not None)
    config = RunnerConfig(out_dir, ready.run_id, request.fresh, ready.context.llm_enabled)
    engine, kind, workers = _engine(request, ready, services, checkpoints, config)
    report = BatchReport(
        run_id=ready.run_id,
        out_dir=out_dir,
        mode_line=ready.context.describe_line(),
        engine=kind,
        workers=workers,
        row_errors=len(ready.scan.errors),
        row_warnings=len(ready.scan.warnings),
        scan_s=time.perf_counter() - t0,
    )
    if on_start is not None:
        on_start(ready.scan.accounts, report)
    writer = PortfolioWriter(out_dir)
    jobs = iter_jobs(request.accounts_path, request.dayfirst, ready.segments, ready.digest)
    t1 = time.perf_counter()
    try:
        for outcome in engine.run(jobs):
            report.tally(outcome)
            if outcome.facts is not None:
                writer.add(outcome.facts, outcome.link)
            if on_outcome is not None:
                on_outcome(outcome)
        report.status = "complete"
    except BatchAborted:
        report.status = "aborted"
        raise
    finally:
        report.briefs_s = time.perf_counter() - t1
        report.retrieval_hits, report.retrieval_misses = engine.retrieval()
        report.worker_usage = engine.usage()
        report.limiter = getattr(engine, "limiter_stats", None) or _limiter_stats(engine)
        t2 = time.perf_counter()
        if report.status == "complete":
            report.files = {k: v.name for k, v in writer.finish().items()}
        write_atomic(out_dir / "errors.csv", errors_csv(error_rows(ready.scan, report.failures)))
        report.files["errors"] = "errors.csv"
        report.portfolio_s = time.perf_counter() - t2
        report.wall_s = time.perf_counter() - t0
        manifest = run_manifest(request, ready, report, started_at)
        write_atomic(out_dir / "run.json", json.dumps(manifest, indent=2) + "\n")
    return report


def _limiter_stats(engine: Engine) -> dict[str, object] | None:
    """Return the rate limiter's figures of a run on threads of this process, else None."""
    runner = getattr(engine, "runner", None)
    limiter = runner.services.limiter if runner is not None else None
    return dict(limiter.stats()) if limiter is not None else None


def export_openai_batch(
    request: BatchRequest, path: Path, *, services: Services | None = None
) -> tuple[int, int]:
    """Write the OpenAI Batch API requests of the accounts still to brief; call nothing.

    Returns (request lines written, accounts left out because already briefed).
    """
    from playbook.agent.batch.openai_engine import export_batch_requests

    ready = prepare(request, services)
    store = None if request.fresh else BriefStore(request.out_dir, ready.run_id)
    jobs = iter_jobs(request.accounts_path, request.dayfirst, ready.segments, ready.digest)
    return export_batch_requests(
        jobs, path, services=bound_services(services, ready.context), store=store
    )
