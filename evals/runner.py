"""Run the evaluation suite through the real agent and measure it.

`run_eval` sends every case through `agent.runner.BriefAgent.run` (non-interactive, so
missing inputs are skipped and stated), re-checks each brief with the rubric
(`evals.rubric.check_brief`, independently of the agent's own check), compares the
decided facts with the case's expectations, scores the run's note findings (the
graph state's ``findings``: rules only offline, rules plus verified LLM findings in
llm mode) against the human labels, and applies the gates of
``evals/thresholds.yaml``. Dependencies are injected only by tests.
"""

from __future__ import annotations

import datetime as dt
import statistics
import time
import traceback
import uuid
from collections.abc import Callable, Sequence

from playbook.agent.context import AgentContext, ConfigError
from playbook.agent.runner import BriefAgent, NeedsInput
from playbook.agent.services import Services
from playbook.agent.state import BriefState
from playbook.evals.cases import CaseSet, EvalCase
from playbook.evals.gates import Thresholds, evaluate_gates, load_thresholds
from playbook.evals.judge import JudgeStats, judge_brief
from playbook.evals.metrics import (
    CriterionStats,
    RateStats,
    compare_facts,
    label_stats,
)
from playbook.evals.results import (
    CaseResult,
    EvalMode,
    EvalReport,
    Failure,
    TimingStats,
    TokenStats,
)
from playbook.tools.models.brief import Brief
from playbook.tools.rubric import CRITERIA, check_brief

__all__ = ["EvalConfigError", "run_eval"]

RUN_ERRORS: tuple[type[BaseException], ...] = (
    RuntimeError,
    ValueError,
    TypeError,
    LookupError,
    AttributeError,
    ArithmeticError,
    OSError,
)
"""What one case may raise without stopping the suite (recorded, and gated by ``errors``)."""


class EvalConfigError(ValueError):
    """The eval cannot run as asked (e.g. llm mode without a configured model)."""


def _base_services(mode: EvalMode, services: Services | None) -> Services:
    """The services every case starts from, checked against the mode."""
    if services is None:
        try:
            ctx = AgentContext.resolve(mode="offline" if mode == "offline" else None)
        except ConfigError as exc:
            raise EvalConfigError(str(exc)) from exc
        # The cases are written for the built-in catalog; runs stay in memory.
        services = Services(settings=ctx.with_values(catalog_path=None, checkpointer_path=None))
    if mode == "offline" and services.settings.llm_enabled:
        services = services.with_settings(mode="offline")
    if mode == "llm" and not services.settings.llm_enabled:
        raise EvalConfigError(
            "llm mode needs a configured model: set OPENAI_API_KEY, AZURE_OPENAI_ENDPOINT + "
            "AZURE_OPENAI_API_KEY, or PLAYBOOK_BASE_URL (see README)"
        )
    services.get_catalog()
    # One retrieval up front: the index loads (or builds, on a fresh machine) here, so
    # per-case timings measure the agent, not the one-off index warm-up.
    services.get_retriever().for_situation("capacity", "usage_ceiling")
    if mode == "llm":
        services.get_chat()
    return services


def _case_services(base: Services, case: EvalCase) -> Services:
    return base.with_settings(
        as_of=case.as_of, fiscal_start_month=case.fiscal_start_month, interactive=False
    )


def _findings(state: BriefState, case: EvalCase) -> tuple[set[str], str]:
    """The ``category:name`` keys the run found, and where they were read from."""
    if not case.notes:
        return set(), "none"
    return {f"{f.category}:{f.name}" for f in state.findings.findings}, "run"


def _error(case: EvalCase, source: str, message: str) -> CaseResult:
    return CaseResult(
        id=case.id, title=case.title, source=source, covers=case.covers, error=message
    )


def _run_case(
    case: EvalCase, agent: BriefAgent, run_id: str, source: str, judge: bool
) -> CaseResult:
    services = _case_services(agent.services, case)
    thread = f"eval:{run_id}:{case.id}"
    start = time.perf_counter()
    try:
        outcome = agent.run(
            case.notes, account=case.build_account(), thread_id=thread, services=services
        )
    except RUN_ERRORS as exc:
        tail = "".join(traceback.format_exception(exc)[-3:]).strip()
        return _error(case, source, f"{type(exc).__name__}: {exc}\n{tail}")
    ms = (time.perf_counter() - start) * 1000
    if isinstance(outcome, NeedsInput):
        return _error(case, source, f"the run asked for input: {outcome.missing}")
    state = agent.thread_state(thread)
    if state is None:
        return _error(case, source, f"thread {thread} has no state")
    brief: Brief = outcome.brief
    retrieved = state.need_guidance().all_ids()
    notes = state.notes
    start = time.perf_counter()
    report = check_brief(brief, catalog=state.catalog, retrieved_ids=retrieved, notes=notes)
    check_ms = (time.perf_counter() - start) * 1000
    found, findings_source = _findings(state, case)
    labels = case.label_keys
    return CaseResult(
        id=case.id,
        title=case.title,
        source=source,
        covers=case.covers,
        ms=round(ms, 2),
        check_ms=round(check_ms, 2),
        passed=report.passed,
        agent_passed=outcome.passed,
        criteria={r.id: r.passed for r in report.results},
        failures=[
            Failure(id=r.id, hard=r.hard, detail=r.detail) for r in report.results if not r.passed
        ],  # fmt: skip
        facts=compare_facts(case.expect, brief.facts, case.known_fields()),
        labels=sorted(labels) if labels is not None else None,
        found=sorted(found),
        findings_source=findings_source,  # type: ignore[arg-type]
        llm_calls=outcome.llm_calls,
        prompt_tokens=outcome.prompt_tokens,
        completion_tokens=outcome.completion_tokens,
        cost_usd=outcome.cost_usd,
        judge=judge_brief(brief, notes, services) if judge else [],
        notices=list(outcome.notices),
        script=brief.script.text,
    )


def _p95(values: Sequence[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _aggregate(report: EvalReport, total_s: float) -> None:
    ran = [c for c in report.cases if not c.error]
    report.criteria = {cid: CriterionStats(hard=hard) for cid, hard in CRITERIA.items()}
    for case in ran:
        for cid, ok in case.criteria.items():
            report.criteria.setdefault(cid, CriterionStats(hard=True)).add(ok)
        report.briefs_passing.add(case.passed)
        report.agent_agrees.add(case.agent_passed == case.passed)
        for check in case.facts:
            report.facts_raw.setdefault(check.field, RateStats()).add(check.ok)
            if not check.known_issue:
                report.facts.setdefault(check.field, RateStats()).add(check.ok)
        for score in case.judge:
            stats = report.judge.setdefault(score.criterion, JudgeStats(criterion=score.criterion))
            if score.score is None:
                stats.errors += 1
            else:
                stats.scores.append(score.score)
    report.extraction = label_stats(
        (set(c.labels), set(c.found)) for c in ran if c.labels is not None
    )
    times = [c.ms for c in ran] or [0.0]
    slowest = max(ran, key=lambda c: c.ms).id if ran else ""
    report.timing = TimingStats(
        total_s=round(total_s, 3),
        mean_ms=round(statistics.fmean(times), 2),
        median_ms=round(statistics.median(times), 2),
        p95_ms=round(_p95(times), 2),
        max_ms=round(max(times), 2),
        slowest=slowest,
        check_mean_ms=round(statistics.fmean([c.check_ms for c in ran] or [0.0]), 2),
    )
    if report.mode == "llm":
        costs = [c.cost_usd for c in ran if c.cost_usd is not None]
        judged = [s for c in ran for s in c.judge if s.score is not None]
        report.tokens = TokenStats(
            llm_calls=sum(c.llm_calls for c in ran),
            prompt_tokens=sum(c.prompt_tokens for c in ran),
            completion_tokens=sum(c.completion_tokens for c in ran),
            cost_usd=round(sum(costs), 6) if len(costs) == len(ran) else None,
            judge_calls=len(judged),
            judge_prompt_tokens=sum(s.prompt_tokens for s in judged),
            judge_completion_tokens=sum(s.completion_tokens for s in judged),
        )


def run_eval(
    cases: CaseSet | Sequence[EvalCase],
    *,
    mode: EvalMode = "offline",
    services: Services | None = None,
    thresholds: Thresholds | None = None,
    judge: bool = False,
    cases_path: str = "",
    progress: Callable[[CaseResult], None] | None = None,
) -> EvalReport:
    """Run every case through the real agent and return the measured, gated report.

    ``mode`` is ``offline`` (no LLM calls) or ``llm`` (the configured model, or the
    ``chat_model`` injected in ``services``); ``judge`` adds the LLM-as-judge scores
    (llm mode only). ``services`` is for tests (fake extractor, drafter, chat model...).
    """
    if mode not in ("offline", "llm"):
        raise EvalConfigError(f"mode must be offline or llm, got {mode!r}")
    if judge and mode != "llm":
        raise EvalConfigError("the LLM judge runs in llm mode only")
    suite = cases if isinstance(cases, CaseSet) else CaseSet(version=0, cases=list(cases))
    started = dt.datetime.now(dt.UTC)
    start = time.perf_counter()
    base = _base_services(mode, services)
    setup_s = time.perf_counter() - start
    run_id = uuid.uuid4().hex[:8]
    results = []
    with BriefAgent.scratch(base) as agent:
        for case in suite.cases:
            result = _run_case(case, agent, run_id, suite.sources.get(case.id, ""), judge)
            results.append(result)
            if progress is not None:
                progress(result)
    report = EvalReport(
        mode=mode,
        agent_mode=base.settings.mode,
        model=base.settings.model_label if base.settings.llm_enabled else None,
        suite_version=suite.version,
        cases_path=cases_path,
        started=started,
        cases=results,
    )
    _aggregate(report, time.perf_counter() - start)
    report.timing.setup_s = round(setup_s, 3)
    report.gates = evaluate_gates(report, thresholds or load_thresholds())
    return report
