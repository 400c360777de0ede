"""Check the brief against the rubric, and finish the run with its result."""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from playbook.agent.services import Services
from playbook.agent.state import BriefState, RunResult
from playbook.tools.models.brief import Brief
from playbook.tools.rubric.report import RubricReport, failing_sections
from playbook.tools.vocab import Section


def failure_lines(report: RubricReport | None) -> list[str]:
    """One line per failed check, for the revision prompt."""
    if report is None:
        return []
    return [f"{f.id}: {f.detail}".strip().rstrip(":") for f in report.failures]


def run_check(
    brief: Brief, state: BriefState, services: Services
) -> tuple[RubricReport, bool, list[Section]]:
    """Run the rubric on ``brief``: (report, passed, failing sections)."""
    retrieved = state.guidance.all_ids() if state.guidance else ()
    report = services.checker(
        brief, catalog=state.catalog, retrieved_ids=retrieved, notes=state.notes
    )
    failing = sorted(failing_sections(report)) if not report.passed else []
    return report, report.passed, failing


def check(state: BriefState, runtime: Runtime[Services]) -> dict[str, Any]:
    """Check the current draft with the rubric (the same function the evals use)."""
    report, passed, failing = run_check(state.need_draft(), state, runtime.context)
    return {"report": report, "passed": passed, "failing": failing}


def finish(state: BriefState, runtime: Runtime[Services]) -> dict[str, Any]:
    """Store the run's result: the brief, its check report, token usage and notices."""
    notices: list[str] = []
    report = state.report
    if report is None:
        raise RuntimeError("no report in the state: the check node has not run")
    if not state.passed and not state.llm_drafted:
        failed = ", ".join(f.id for f in report.failures)
        notices.append(f"the offline draft fails the rubric ({failed}): a drafter bug, reported")
    result = RunResult(
        brief=state.need_draft(),
        report=report,
        passed=state.passed,
        mode=state.mode,
        usage=list(state.usage),
        notices=[*state.notices, *notices],
        skipped=list(state.skipped),
    )
    return {"result": result, "notices": notices}
