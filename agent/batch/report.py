"""What a batch did: the report the command prints, errors.csv rows and run.json."""

from __future__ import annotations

import datetime as dt
import resource
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from playbook.agent.batch.files import ErrorRow, file_sha256
from playbook.agent.batch.input import Scan
from playbook.agent.batch.store import Outcome

if TYPE_CHECKING:
    from playbook.agent.batch.run import BatchRequest, Prepared

__all__ = ["BatchReport", "error_rows", "run_manifest"]


@dataclass
class BatchReport:
    """What a batch did: counts, tokens, cost, timings and the files written."""

    run_id: str
    out_dir: Path
    mode_line: str
    engine: str
    workers: int
    accounts: int = 0
    written: int = 0
    skipped: int = 0
    failed: int = 0
    rubric_failed: int = 0
    row_errors: int = 0
    row_warnings: int = 0
    llm_calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float | None = 0.0
    retrieval_hits: int = 0
    retrieval_misses: int = 0
    scan_s: float = 0.0
    briefs_s: float = 0.0
    portfolio_s: float = 0.0
    wall_s: float = 0.0
    status: str = "interrupted"
    worker_usage: tuple[float, float] | None = None
    limiter: dict[str, object] | None = None
    files: dict[str, str] = field(default_factory=dict)
    failures: list[Outcome] = field(default_factory=list)

    @property
    def briefs_per_s(self) -> float:
        """Accounts handled per second of the briefing phase."""
        return self.accounts / self.briefs_s if self.briefs_s > 0 else 0.0

    def tally(self, outcome: Outcome) -> None:
        """Count one outcome."""
        self.accounts += 1
        if outcome.status == "failed":
            self.failed += 1
            self.failures.append(outcome)
            return
        if outcome.status == "skipped":
            self.skipped += 1
        else:
            self.written += 1
            self.llm_calls += outcome.llm_calls
            self.prompt_tokens += outcome.prompt_tokens
            self.completion_tokens += outcome.completion_tokens
            if self.cost_usd is not None and outcome.cost_usd is not None:
                self.cost_usd = round(self.cost_usd + outcome.cost_usd, 6)
            else:
                self.cost_usd = None
        if not outcome.passed:
            self.rubric_failed += 1


def error_rows(scan: Scan, failures: list[Outcome]) -> list[ErrorRow]:
    """Return errors.csv's rows: the load problems, then the accounts that failed."""
    rows = [
        ErrorRow(
            stage="load", row=p.row, account_id=p.account_id, column=p.column, value=p.value,
            reason=p.reason, severity=p.severity,
        )
        for p in scan.problems
    ]  # fmt: skip
    rows += [
        ErrorRow(stage="brief", row=f.row, account_id=f.account_id, reason=f.error or "failed")
        for f in failures
    ]
    return rows


def _resources(workers: tuple[float, float] | None) -> dict[str, dict[str, float]]:
    """Return CPU seconds and peak RSS (MB) of this process and of its worker processes."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    cpu, rss = workers or (0.0, 0.0)
    return {
        "cpu_s": {"parent": round(own.ru_utime + own.ru_stime, 2), "workers": round(cpu, 2)},
        "peak_rss_mb": {"parent": round(own.ru_maxrss / 1024, 1), "workers": round(rss, 1)},
    }


def run_manifest(
    request: BatchRequest, ready: Prepared, report: BatchReport, started_at: dt.datetime
) -> dict[str, Any]:
    """Return the content of run.json."""
    context = ready.context
    catalog_path = context.catalog_path
    return {
        "run_id": report.run_id,
        "status": report.status,
        "as_of": context.as_of.isoformat(),
        "mode": context.describe(),
        "engine": {"kind": report.engine, "workers": report.workers},
        "input": {
            "path": str(request.accounts_path.expanduser().resolve()),
            "sha256": ready.scan.sha256,
            "import_results": str(request.import_results) if request.import_results else None,
        },
        "catalog": {
            "path": str(catalog_path) if catalog_path else None,
            "sha256": file_sha256(catalog_path) if catalog_path else None,
            "items": len(ready.catalog),
        },
        "fresh": request.fresh,
        "counts": {
            "accounts": report.accounts,
            "briefs_written": report.written,
            "skipped_unchanged": report.skipped,
            "failed": report.failed,
            "rubric_failed": report.rubric_failed,
            "row_errors": report.row_errors,
            "row_warnings": report.row_warnings,
        },
        "tokens": {
            "llm_calls": report.llm_calls,
            "prompt": report.prompt_tokens,
            "completion": report.completion_tokens,
        },
        "cost_usd": report.cost_usd,
        "retrieval": {"hits": report.retrieval_hits, "misses": report.retrieval_misses},
        "timings": {
            "started": started_at.isoformat(timespec="seconds"),
            "finished": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "wall_s": round(report.wall_s, 3),
            "scan_s": round(report.scan_s, 3),
            "briefs_s": round(report.briefs_s, 3),
            "portfolio_s": round(report.portfolio_s, 3),
            "briefs_per_s": round(report.briefs_per_s, 1),
        },
        "resources": _resources(report.worker_usage),
        "rate_limiter": report.limiter,
        "files": report.files,
    }
