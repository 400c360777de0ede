"""`playbook eval` end to end: load cases and thresholds, run, print, save, exit code.

Exit codes: 0 every gate passed; 1 a gate is below its threshold (the failing
gates are listed); 2 the eval could not run (bad cases or thresholds file, llm
mode without a configured model).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from playbook.evals.cases import CASES_DIR, CaseError, load_cases
from playbook.evals.gates import load_thresholds
from playbook.evals.report import (
    DEFAULT_OUT,
    criteria_rows,
    extraction_rows,
    fact_rows,
    failure_rows,
    gate_rows,
    judge_rows,
    summary_line,
    timing_rows,
    write_report,
)
from playbook.evals.results import CaseResult, EvalMode, EvalReport
from playbook.evals.runner import EvalConfigError, run_eval

if TYPE_CHECKING:
    from playbook.agent.services import Services

__all__ = ["EXIT_ERROR", "EXIT_GATES", "EXIT_OK", "run_command"]

EXIT_OK, EXIT_GATES, EXIT_ERROR = 0, 1, 2


def _table(title: str, headers: Sequence[str], rows: list[list[str]], right: int = 1) -> Table:
    table = Table(title=title, header_style="bold", title_justify="left")
    for i, h in enumerate(headers):
        table.add_column(h, justify="right" if i >= len(headers) - right else "left")
    for row in rows:
        table.add_row(*row)
    return table


def render(report: EvalReport, console: Console, *, show_passing_gates: bool = False) -> None:
    """Print the report as Rich tables: criteria, facts, extraction, failures, gates."""
    console.print(summary_line(report), style="bold green" if report.passed else "bold red")
    console.print(
        _table(
            "Rubric: pass rate per criterion",
            ["criterion", "kind", "passed", "rate"],
            criteria_rows(report),
        )  # fmt: skip
    )
    console.print(
        _table(
            "Decided facts vs expectations",
            ["field", "correct", "accuracy", "incl. known"],
            fact_rows(report),
            right=3,
        )  # fmt: skip
    )
    console.print(
        _table(
            "Extraction vs labels (per case)",
            ["key", "tp", "fp", "fn", "P", "R", "F1"],
            extraction_rows(report),
            right=6,
        )  # fmt: skip
    )
    if report.judge:
        console.print(
            _table(
                "LLM judge (separate from the rubric)",
                ["criterion", "n", "mean", "errors"],
                judge_rows(report),
                right=3,
            )  # fmt: skip
        )
    console.print(_table("Timing and usage", ["", "value"], timing_rows(report)))
    rows = failure_rows(report.cases)
    if rows:
        console.print(_table("Failures and disagreements", ["case", "what", "detail"], rows, 0))
    shown = report.gates if show_passing_gates else report.failed_gates
    if shown:
        console.print(
            _table("Gates" if show_passing_gates else "Gates below threshold",
                   ["", "group", "gate", "value", "threshold", "detail"], gate_rows(shown), 0)
        )  # fmt: skip
    for case_id, field in report.fixed_known_issues:
        console.print(f"[yellow]known issue fixed[/]: {case_id} {field} now matches; remove it")


def run_command(
    *,
    mode: EvalMode = "offline",
    cases_path: Path | None = None,
    out_dir: Path = DEFAULT_OUT,
    judge: bool = False,
    thresholds_path: Path | None = None,
    services: Services | None = None,
    console: Console | None = None,
    err: Console | None = None,
) -> int:
    """Run the eval as the CLI does and return its exit code (``services`` for tests)."""
    console = console or Console()
    err = err or Console(stderr=True)
    try:
        suite = load_cases(cases_path)
        thresholds = load_thresholds(thresholds_path)
    except CaseError as exc:
        err.print(f"[red]error[/red] {exc}", highlight=False)
        return EXIT_ERROR
    if judge and mode != "llm":
        err.print("[yellow]note[/yellow] the LLM judge runs in llm mode only: skipped")
        judge = False
    with Progress(
        TextColumn("eval {task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=console,
        transient=True,
    ) as progress:
        task = progress.add_task(mode, total=len(suite.cases))

        def advance(result: CaseResult) -> None:
            progress.update(task, advance=1, description=f"{mode} {result.id}")

        try:
            report = run_eval(
                suite,
                mode=mode,
                services=services,
                thresholds=thresholds,
                judge=judge,
                cases_path=str(cases_path or CASES_DIR),
                progress=advance,
            )
        except EvalConfigError as exc:
            err.print(f"[red]error[/red] {exc}", highlight=False)
            return EXIT_ERROR
    render(report, console)
    md_path, json_path = write_report(report, out_dir)
    console.print(f"report: {md_path} and {json_path}", highlight=False)
    if report.passed:
        return EXIT_OK
    err.print(f"[red]{len(report.failed_gates)} gate(s) below threshold:[/red]")
    for gate in report.failed_gates:
        err.print(
            f"  {gate.group}/{gate.name}: {gate.value} vs {gate.kind} {gate.threshold}"
            + (f" ({gate.detail})" if gate.detail else ""),
            highlight=False,
        )
    return EXIT_GATES
