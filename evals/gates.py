"""The CI gates: thresholds from ``evals/thresholds.yaml`` applied to an eval report.

Every gate is one number compared with one floor (or, for errors, a ceiling).
Groups: ``errors`` (cases that crashed), ``rubric`` (per-criterion pass rates,
briefs passing, the agent's own verdict agreeing with the re-check), ``facts``
(per-field accuracy, known issues excluded), ``extraction`` (per-key precision and
recall floors) and ``judge`` (LLM-as-judge means, llm mode with ``--judge`` only).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from playbook.evals.cases import FACT_FIELDS, CaseError
from playbook.evals.results import EvalReport, GateResult

__all__ = ["THRESHOLDS_PATH", "GateResult", "Thresholds", "evaluate_gates", "load_thresholds"]

THRESHOLDS_PATH = Path(__file__).parent / "thresholds.yaml"
Mode = Literal["offline", "llm"]


class Floors(BaseModel):
    """Precision and recall floors of one extraction key."""

    model_config = ConfigDict(extra="forbid")

    precision: float | None = Field(default=None, ge=0, le=1)
    recall: float | None = Field(default=None, ge=0, le=1)


class ExtractionFloors(BaseModel):
    """Extraction floors of one mode: a default for well-supported keys, and per key."""

    model_config = ConfigDict(extra="forbid")

    default: Floors = Field(default_factory=Floors)
    keys: dict[str, Floors] = Field(default_factory=dict)
    inherit_recall: Literal["offline"] | None = Field(
        default=None, description="take per-key recall floors from the offline block"
    )


class Thresholds(BaseModel):
    """Every gate's threshold, as read from the thresholds file."""

    model_config = ConfigDict(extra="forbid")

    version: int = 1
    max_errors: int = Field(default=0, ge=0)
    rubric_hard: float = Field(default=1.0, ge=0, le=1)
    rubric_soft: dict[str, float] = Field(default_factory=dict)
    briefs_passing: float = Field(default=1.0, ge=0, le=1)
    agent_agrees: float = Field(default=1.0, ge=0, le=1)
    facts: dict[Mode, dict[str, float]] = Field(default_factory=dict)
    min_support: int = Field(default=3, ge=1)
    extraction: dict[Mode, ExtractionFloors] = Field(default_factory=dict)
    judge: dict[str, float] = Field(default_factory=dict)


def load_thresholds(path: Path | str | None = None) -> Thresholds:
    """Read the thresholds file (default: ``evals/thresholds.yaml``)."""
    file = Path(path) if path is not None else THRESHOLDS_PATH
    try:
        raw = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise CaseError(f"cannot read thresholds {file}: {exc}") from exc
    rubric = raw.get("rubric", {})
    extraction = raw.get("extraction", {})
    data: dict[str, Any] = {
        "version": raw.get("version", 1),
        "max_errors": raw.get("errors", {}).get("max", 0),
        "rubric_hard": rubric.get("hard", 1.0),
        "rubric_soft": rubric.get("soft", {}),
        "briefs_passing": rubric.get("briefs_passing", 1.0),
        "agent_agrees": rubric.get("agent_agrees", 1.0),
        "facts": raw.get("facts", {}),
        "min_support": extraction.get("min_support", 3),
        "extraction": {m: extraction[m] for m in ("offline", "llm") if m in extraction},
        "judge": raw.get("judge", {}),
    }
    try:
        return Thresholds.model_validate(data)
    except ValidationError as exc:
        raise CaseError(f"thresholds {file.name}: {exc}") from exc


def _min(group: str, name: str, value: float | None, floor: float, detail: str = "") -> GateResult:
    ok = value is None or value >= floor - 1e-9
    return GateResult(
        group=group, name=name, value=value, threshold=floor, passed=ok, detail=detail
    )


def _rubric_gates(report: EvalReport, th: Thresholds) -> list[GateResult]:
    out = []
    for cid, stats in report.criteria.items():
        floor = th.rubric_hard if stats.hard else th.rubric_soft.get(cid)
        if floor is None:
            continue
        failed = [c.id for c in report.cases if c.criteria.get(cid) is False]
        detail = f"fails in {', '.join(failed[:8])}{' ...' if len(failed) > 8 else ''}"
        out.append(_min("rubric", cid, stats.rate, floor, detail if failed else ""))
    out.append(_min("rubric", "briefs_passing", report.briefs_passing.rate, th.briefs_passing))
    out.append(_min("rubric", "agent_agrees", report.agent_agrees.rate, th.agent_agrees))
    return out


def _fact_gates(report: EvalReport, floors: Mapping[str, float]) -> list[GateResult]:
    out = []
    for name, stats in report.facts.items():
        floor = (
            floors.get(name) if name in FACT_FIELDS else floors.get(name, floors.get("optional"))
        )
        if floor is None:
            continue
        wrong = [c.id for c in report.cases for f in c.facts if f.field == name and not f.ok
                 and not f.known_issue]  # fmt: skip
        detail = f"wrong in {', '.join(wrong[:8])}" if wrong else ""
        out.append(_min("facts", name, stats.rate, floor, detail))
    return out


def _extraction_gates(report: EvalReport, th: Thresholds, mode: Mode) -> list[GateResult]:
    floors = th.extraction.get(mode)
    if floors is None:
        return []
    out = []
    inherited = th.extraction.get("offline") if floors.inherit_recall else None
    for key, stats in report.extraction.items():
        explicit = floors.keys.get(key, Floors())
        if inherited is not None and explicit.recall is None and key in inherited.keys:
            explicit = explicit.model_copy(update={"recall": inherited.keys[key].recall})
        for metric in ("precision", "recall"):
            own = getattr(explicit, metric)
            floor = own if own is not None else getattr(floors.default, metric)
            count = stats.predicted if metric == "precision" else stats.support
            if floor is None or count == 0 or (own is None and count < th.min_support):
                continue
            detail = f"tp={stats.tp} fp={stats.fp} fn={stats.fn}"
            out.append(_min("extraction", f"{key} {metric}", getattr(stats, metric), floor, detail))
    return out


def evaluate_gates(report: EvalReport, thresholds: Thresholds) -> list[GateResult]:
    """Every gate of the report's mode, in a stable order (errors, rubric, facts, ...)."""
    mode: Mode = "llm" if report.mode == "llm" else "offline"
    errors = sum(1 for c in report.cases if c.error)
    gates = [
        GateResult(
            group="errors",
            name="cases_failed_to_run",
            value=errors,
            threshold=thresholds.max_errors,
            passed=errors <= thresholds.max_errors,
            detail=", ".join(c.id for c in report.cases if c.error),
            kind="max",
        )
    ]
    gates += _rubric_gates(report, thresholds)
    gates += _fact_gates(report, thresholds.facts.get(mode, {}))
    gates += _extraction_gates(report, thresholds, mode)
    if report.judge:
        for criterion, floor in thresholds.judge.items():
            stats = report.judge.get(criterion)
            if stats is not None:
                gates.append(_min("judge", criterion, stats.mean, floor, f"n={stats.n}"))
    return gates
