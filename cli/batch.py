"""The `playbook batch` command's terminal side: mode line, progress bar, summary, dry run."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text

from playbook.agent.batch.estimate import DryRun, dry_run
from playbook.agent.batch.run import (
    BatchAborted,
    BatchReport,
    BatchRequest,
    export_openai_batch,
    run_batch_to_dir,
)
from playbook.agent.batch.store import Outcome

__all__ = ["run_batch_command"]

SHOWN_FAILURES = 10
INTERRUPTED = 130


class RateColumn(ProgressColumn):
    """Briefs per second, over the last seconds."""

    def render(self, task: Task) -> Text:
        """Render the rate, or a dash before the first brief."""
        speed = task.finished_speed or task.speed
        return Text("- briefs/s" if speed is None else f"{speed:,.1f} briefs/s", style="cyan")


def _money(value: float | None) -> str:
    return "unknown (model without a list price)" if value is None else f"${value:,.4f}"


def _summary(report: BatchReport) -> Table:
    table = Table(title=f"Batch {report.run_id}: {report.status}", show_header=False)
    table.add_column("what", style="bold")
    table.add_column("value", justify="right")
    rows = [
        ("accounts", f"{report.accounts:,}"),
        ("briefs written", f"{report.written:,}"),
        ("skipped (unchanged)", f"{report.skipped:,}"),
        ("failed", f"{report.failed:,}"),
        ("failing the rubric", f"{report.rubric_failed:,}"),
        ("row errors / warnings", f"{report.row_errors:,} / {report.row_warnings:,}"),
        ("LLM calls", f"{report.llm_calls:,}"),
        ("prompt / completion tokens", f"{report.prompt_tokens:,} / {report.completion_tokens:,}"),
        ("cost", _money(report.cost_usd)),
        ("retrieval hits / misses", f"{report.retrieval_hits:,} / {report.retrieval_misses:,}"),
        ("engine", f"{report.engine} x{report.workers}"),
        ("wall time", f"{report.wall_s:,.1f} s"),
        ("rate", f"{report.briefs_per_s:,.1f} briefs/s"),
        ("out dir", str(report.out_dir)),
    ]
    for name, value in rows:
        table.add_row(name, value)
    return table


def _dry_run_table(estimate: DryRun) -> Table:
    table = Table(title="Batch dry run (no LLM call made)", show_header=False)
    table.add_column("what", style="bold")
    table.add_column("value", justify="right")
    approx = " (approximate tokenizer)" if estimate.approximate else ""
    rows = [
        ("accounts", f"{estimate.accounts:,}"),
        ("already briefed (unchanged)", f"{estimate.done:,}"),
        ("to brief", f"{estimate.to_do:,}"),
        ("row errors", f"{estimate.row_errors:,}"),
        ("model", estimate.model + approx),
        ("LLM calls", f"{estimate.calls:,}"),
        ("prompt tokens", f"{estimate.prompt_tokens:,}"),
        ("completion tokens (expected)", f"{estimate.completion_tokens:,}"),
        ("cost", _money(estimate.cost_usd)),
        ("cost if every draft needs its revision", _money(estimate.worst_case_cost_usd)),
    ]
    for name, value in rows:
        table.add_row(name, value)
    return table


def run_batch_command(
    request: BatchRequest,
    *,
    out: Console,
    err: Console,
    dry: bool = False,
    export_to: Path | None = None,
) -> int:
    """Run, estimate (``dry``) or export (``export_to``) the batch; return the exit code.

    The run shows a progress bar on ``err`` and a summary table on ``out``.

    Raises:
        LoadError, CatalogError, ConfigError: for the CLI to report (exit 2).
    """
    err.print(f"[dim]{request.context.describe_line()}[/dim]", highlight=False)
    if dry:
        estimate = dry_run(request)
        out.print(_dry_run_table(estimate))
        if not estimate.llm_enabled:
            out.print(
                "Offline mode: this run makes no LLM call; the figures are for "
                f"{estimate.model} if an LLM is configured.",
                highlight=False,
            )
        return 0
    if export_to is not None:
        written, done = export_openai_batch(request, export_to)
        out.print(
            f"{written:,} Batch API request(s) written to {export_to} "
            f"({done:,} account(s) already briefed left out). Submit the file to the "
            "Batch API, then import its output with --import-openai-batch.",
            highlight=False,
        )
        return 0
    progress = Progress(
        TextColumn("[bold]briefs[/bold]"),
        BarColumn(),
        MofNCompleteColumn(),
        RateColumn(),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        console=err,
        speed_estimate_period=10.0,
        refresh_per_second=4,
    )
    task = progress.add_task("briefs", total=None)

    def started(total: int, report: BatchReport) -> None:
        progress.update(task, total=total)
        err.print(
            f"{total:,} accounts, {report.row_errors} row error(s); "
            f"{report.engine} x{report.workers}; run {report.run_id} -> {report.out_dir}",
            highlight=False,
        )

    def advanced(outcome: Outcome) -> None:
        progress.advance(task)

    try:
        with progress:
            report = run_batch_to_dir(request, on_start=started, on_outcome=advanced)
    except BatchAborted as exc:
        err.print(f"[red]aborted[/red] {exc}; re-run the same command to resume", highlight=False)
        return 1
    except KeyboardInterrupt:
        err.print("interrupted: the briefs written so far are kept; re-run to resume")
        return INTERRUPTED
    out.print(_summary(report))
    for failure in report.failures[:SHOWN_FAILURES]:
        err.print(f"[red]failed[/red] {failure.account_id}: {failure.error}", highlight=False)
    if report.failed > SHOWN_FAILURES:
        err.print(f"... {report.failed - SHOWN_FAILURES} more in errors.csv", highlight=False)
    if report.row_errors:
        err.print(f"{report.row_errors} row problem(s) listed in errors.csv", highlight=False)
    return 1 if report.failed else 0
