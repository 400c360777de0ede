"""What an evaluation measured: per-case results, the suite's aggregates and its gates."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field

from playbook.evals.judge import JudgeScore, JudgeStats
from playbook.evals.metrics import CriterionStats, FieldCheck, LabelStats, RateStats

__all__ = ["CaseResult", "EvalMode", "EvalReport", "Failure", "GateResult"]

EvalMode = Literal["offline", "llm"]


class GateResult(BaseModel):
    """One gate: its value against its threshold."""

    group: str
    name: str
    value: float | None
    threshold: float
    passed: bool
    detail: str = ""
    kind: Literal["min", "max"] = "min"


class Failure(BaseModel):
    """One failed rubric criterion of one brief, with the offending text."""

    id: str
    hard: bool
    detail: str


class CaseResult(BaseModel):
    """Everything measured for one case."""

    id: str
    title: str
    source: str = ""
    covers: list[str] = Field(default_factory=list)
    ms: float = 0.0
    check_ms: float = 0.0
    error: str | None = None
    passed: bool = False
    agent_passed: bool | None = None
    criteria: dict[str, bool] = Field(default_factory=dict)
    failures: list[Failure] = Field(default_factory=list)
    facts: list[FieldCheck] = Field(default_factory=list)
    labels: list[str] | None = None
    found: list[str] = Field(default_factory=list)
    findings_source: Literal["run", "re-extracted", "none"] = "none"
    llm_calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float | None = 0.0
    judge: list[JudgeScore] = Field(default_factory=list)
    notices: list[str] = Field(default_factory=list)
    script: str = ""

    @property
    def facts_ok(self) -> bool:
        """True when every stated fact matches (known issues aside)."""
        return all(f.ok or f.known_issue for f in self.facts)

    @property
    def missed(self) -> list[str]:
        """Labelled keys the run did not find."""
        return sorted(set(self.labels or ()) - set(self.found)) if self.labels is not None else []

    @property
    def unlabelled(self) -> list[str]:
        """Keys the run found that no human labelled."""
        return sorted(set(self.found) - set(self.labels or ())) if self.labels is not None else []


class TokenStats(BaseModel):
    """LLM usage over the suite (llm mode): the agent's calls and the judge's, apart."""

    llm_calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float | None = 0.0
    judge_calls: int = 0
    judge_prompt_tokens: int = 0
    judge_completion_tokens: int = 0


class TimingStats(BaseModel):
    """Seconds overall (setup = services and index warm-up), milliseconds per case (agent run)."""

    setup_s: float = 0.0
    total_s: float = 0.0
    mean_ms: float = 0.0
    median_ms: float = 0.0
    p95_ms: float = 0.0
    max_ms: float = 0.0
    slowest: str = ""
    check_mean_ms: float = 0.0


class EvalReport(BaseModel):
    """The whole evaluation: per-case results, aggregates and gates."""

    mode: EvalMode
    agent_mode: str
    model: str | None = None
    suite_version: int
    cases_path: str = ""
    started: dt.datetime
    cases: list[CaseResult]
    criteria: dict[str, CriterionStats] = Field(default_factory=dict)
    briefs_passing: RateStats = Field(default_factory=RateStats)
    agent_agrees: RateStats = Field(default_factory=RateStats)
    facts: dict[str, RateStats] = Field(default_factory=dict)
    facts_raw: dict[str, RateStats] = Field(default_factory=dict)
    extraction: dict[str, LabelStats] = Field(default_factory=dict)
    judge: dict[str, JudgeStats] = Field(default_factory=dict)
    tokens: TokenStats | None = None
    timing: TimingStats = Field(default_factory=TimingStats)
    gates: list[GateResult] = Field(default_factory=list)

    @property
    def passed(self) -> bool:
        """True when every gate passed."""
        return all(g.passed for g in self.gates)

    @property
    def failed_gates(self) -> list[GateResult]:
        """The gates below (or above) their threshold."""
        return [g for g in self.gates if not g.passed]

    @property
    def fixed_known_issues(self) -> list[tuple[str, str]]:
        """(case id, field) of known issues that no longer reproduce: remove the marker."""
        return [(c.id, f.field) for c in self.cases for f in c.facts if f.known_issue and f.ok]


