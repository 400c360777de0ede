"""Check the brief against the rubric, and finish the run with its result."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from pydantic import BaseModel

from playbook.agent.deps import Deps
from playbook.agent.nodes.common import catalog_of, restore
from playbook.agent.state import BriefState, JSONDict
from playbook.tools.models.brief import Brief


def _plain(value: Any) -> Any:
    """Return a JSON-able form of a report or one of its parts."""
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return json.loads(json.dumps(dataclasses.asdict(value), default=str))
    if isinstance(value, dict | list | str | int | float | bool) or value is None:
        return json.loads(json.dumps(value, default=str))
    return str(value)


def report_dict(report: Any, failing: set[str]) -> JSONDict:
    """Return the report as plain data: passed, hard failures, failing sections, details."""
    return {
        "passed": bool(report.passed),
        "failures": [_plain(f) for f in report.failures],
        "failing_sections": sorted(failing),
        "details": _plain(report),
    }


def failure_lines(report: JSONDict | None) -> list[str]:
    """One line per failed check, for the revision prompt."""
    if not report:
        return []
    lines = []
    for failure in report.get("failures", []):
        if isinstance(failure, dict):
            name = failure.get("id") or failure.get("criterion") or "check"
            detail = failure.get("detail") or failure.get("message") or ""
            lines.append(f"{name}: {detail}".strip().rstrip(":"))
        else:
            lines.append(str(failure))
    return lines


def run_check(brief: Brief, state: BriefState, deps: Deps) -> tuple[JSONDict, bool, list[str]]:
    """Run the rubric on ``brief``: (report as data, passed, failing sections)."""
    checker, sections_of = deps.get_checker()
    retrieved = state.guidance["ids"] if state.guidance else []
    report = checker(brief, catalog=catalog_of(state), retrieved_ids=retrieved, notes=state.notes)
    failing = set(sections_of(report)) if not report.passed else set()
    return report_dict(report, failing), bool(report.passed), sorted(failing)


def check(state: BriefState, deps: Deps) -> dict[str, Any]:
    """Check the current draft with the rubric (the same function the evals use)."""
    if state.draft is None:
        raise RuntimeError("no draft in the state: the draft node has not run")
    report, passed, failing = run_check(restore(state.draft, Brief), state, deps)
    return {"report": report, "passed": passed, "failing": failing}


def finish(state: BriefState, deps: Deps) -> dict[str, Any]:
    """Store the brief, the check report, token usage and the number of LLM calls."""
    notices: list[str] = []
    if not state.passed and not state.llm_drafted and state.report is not None:
        failed = ", ".join(line.split(":", 1)[0] for line in failure_lines(state.report))
        notices.append(f"the offline draft fails the rubric ({failed}): a drafter bug, reported")
    prompt = sum(int(u["prompt_tokens"]) for u in state.usage)
    completion = sum(int(u["completion_tokens"]) for u in state.usage)
    result: JSONDict = {
        "brief": state.draft,
        "report": state.report,
        "passed": state.passed,
        "usage": list(state.usage),
        "llm_calls": len(state.usage),
        "prompt_tokens": prompt,
        "completion_tokens": completion,
        "mode": state.mode,
        "skipped": list(state.skipped),
        "notices": [*state.notices, *notices],
    }
    return {"result": result, "notices": notices}
