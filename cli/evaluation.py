"""`playbook eval` end to end: load cases and thresholds, run, print, save, exit code.

Exit codes: 0 every gate passed; 1 a gate is below its threshold (the failing
gates are listed); 2 the eval could not run (bad cases or thresholds file, llm
mode without a configured model).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from playbook.evals.cases import CASES_DIR, CaseError, load_cases
from playbook.evals.gates import load_thresholds
from playbook.evals.report import DEFAULT_OUT, render, write_report
from playbook.evals.runner import CaseResult, EvalConfigError, EvalMode, run_eval

if TYPE_CHECKING:
    from playbook.agent.services import Services

__all__ = ["EXIT_ERROR", "EXIT_GATES", "EXIT_OK", "run_command"]

EXIT_OK, EXIT_GATES, EXIT_ERROR = 0, 1, 2


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
