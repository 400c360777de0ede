"""The rubric's result types and the criterion -> section mapping for the revise step."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from playbook.tools.vocab import SECTIONS, Section

# Criterion id -> hard? (the order of docs/RUBRIC.md; `tone` is LLM-as-judge only).
CRITERIA: dict[str, bool] = {
    "deliverables": True,
    "facts_unchanged": True,
    "numbers_grounded": True,
    "one_offer": True,
    "gate_respected": True,
    "script_contact": True,
    "script_evidence": True,
    "script_ask": True,
    "script_length": True,
    "no_pressure": True,
    "no_unallowed_discount": True,
    "objections_end_with_question": True,
    "concerns_answered": True,
    "calendar_complete": True,
    "citations": True,
    "injection_ignored": True,
    "assumptions_stated": False,
}

# Sections to redo when a criterion fails and the check could not say where.
DEFAULT_SECTIONS: dict[str, tuple[str, ...]] = {
    "deliverables": SECTIONS,
    "facts_unchanged": ("summary",),
    "numbers_grounded": SECTIONS,
    "one_offer": ("offer_map", "script"),
    "gate_respected": ("offer_map", "script", "calendar"),
    "script_contact": ("script",),
    "script_evidence": ("script",),
    "script_ask": ("script",),
    "script_length": ("script",),
    "no_pressure": SECTIONS,
    "no_unallowed_discount": SECTIONS,
    "objections_end_with_question": ("objections",),
    "concerns_answered": ("objections",),
    "calendar_complete": ("calendar",),
    "citations": ("offer_map", "script", "objections"),
    "injection_ignored": SECTIONS,
    "assumptions_stated": ("summary",),
}


class CriterionResult(BaseModel):
    """The outcome of one rubric criterion."""

    id: str
    hard: bool
    passed: bool
    detail: str = Field(default="", description="on failure: what failed and the offending text")
    sections: list[str] = Field(
        default_factory=list, description="sections to redo when it failed (empty when passed)"
    )


class RubricReport(BaseModel):
    """Every criterion's result for one brief."""

    results: list[CriterionResult]

    @property
    def passed(self) -> bool:
        """True when every hard criterion passed (soft ones are only reported)."""
        return all(r.passed for r in self.results if r.hard)

    @property
    def failures(self) -> list[CriterionResult]:
        """The hard criteria that failed (empty exactly when `passed`)."""
        return [r for r in self.results if r.hard and not r.passed]

    @property
    def soft_failures(self) -> list[CriterionResult]:
        """The soft criteria that failed."""
        return [r for r in self.results if not r.hard and not r.passed]

    @property
    def by_id(self) -> dict[str, CriterionResult]:
        """Results keyed by criterion id."""
        return {r.id: r for r in self.results}

    def summary(self) -> dict[str, Any]:
        """Return the report as the brief JSON's ``check`` object.

        ``passed``, the hard ``failures``, the ``failing_sections`` and every result
        under ``details``.
        """
        return {
            "passed": self.passed,
            "failures": [f.model_dump(mode="json") for f in self.failures],
            "failing_sections": sorted(failing_sections(self)) if not self.passed else [],
            "details": self.model_dump(mode="json"),
        }


def failing_sections(report: RubricReport, *, include_soft: bool = False) -> set[Section]:
    """Return the sections to redo (offer_map, trigger_log, script, objections, ...).

    Each failed criterion names the sections its offending text sits in; when it
    cannot, the criterion's default sections are used.
    """
    out: set[Section] = set()
    for result in report.results:
        if result.passed or (not result.hard and not include_soft):
            continue
        out.update(Section(s) for s in result.sections or DEFAULT_SECTIONS.get(result.id, SECTIONS))
    return out
