"""`playbook batch --dry-run`: accounts still to brief, their LLM calls, tokens and cost.

Each account still to brief is scored and its real prompts are rendered and counted
(`agent.tokens.estimate_batch`, a chunk of accounts at a time); nothing is called and
nothing is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from playbook.agent.batch.input import iter_jobs
from playbook.agent.batch.run import BatchRequest, bound_deps, prepare
from playbook.agent.batch.store import BriefStore
from playbook.agent.deps import Deps
from playbook.tools.models.account import Account

if TYPE_CHECKING:
    from playbook.knowledge.guidance import GuidanceRetriever

__all__ = ["DryRun", "dry_run"]

ESTIMATE_CHUNK = 256


@dataclass(frozen=True)
class DryRun:
    """What a batch would cost, without any LLM call."""

    accounts: int
    done: int
    to_do: int
    model: str
    llm_enabled: bool
    approximate: bool
    calls: int
    prompt_tokens: int
    completion_tokens: int
    cost_usd: float | None
    worst_case_cost_usd: float | None
    row_errors: int
    mode_line: str


def _add(total: float | None, part: float | None) -> float | None:
    return None if total is None or part is None else round(total + part, 6)


def dry_run(request: BatchRequest, *, deps: Deps | None = None) -> DryRun:
    """Count the accounts still to brief and estimate their LLM traffic; call nothing."""
    from playbook.agent.llm.tokens import counter_for, estimate_batch

    ready = prepare(request, deps)
    context = ready.context
    retriever = cast("GuidanceRetriever", bound_deps(deps, context).get_retriever())
    store = None if request.fresh else BriefStore(request.out_dir, ready.run_id)
    calls = prompt = completion = done = 0
    cost: float | None = 0.0
    worst: float | None = 0.0
    pending: list[Account] = []

    def estimate() -> None:
        nonlocal calls, prompt, completion, cost, worst
        if pending:
            part = estimate_batch(pending, context, retriever=retriever, catalog=ready.catalog)
            calls += part.calls
            prompt += part.prompt_tokens
            completion += part.completion_tokens
            cost = _add(cost, part.cost_usd)
            worst = _add(worst, part.worst_case_cost_usd)
            pending.clear()

    for job in iter_jobs(request.accounts_path, request.dayfirst, ready.segments, ready.digest):
        if store is not None and store.is_done(job):
            done += 1
            continue
        pending.append(job.account)
        if len(pending) >= ESTIMATE_CHUNK:
            estimate()
    estimate()
    return DryRun(
        accounts=ready.scan.accounts,
        done=done,
        to_do=ready.scan.accounts - done,
        model=context.model_label,
        llm_enabled=context.llm_enabled,
        approximate=counter_for(context.model_label).approximate,
        calls=calls,
        prompt_tokens=prompt,
        completion_tokens=completion,
        cost_usd=cost,
        worst_case_cost_usd=worst,
        row_errors=len(ready.scan.errors),
        mode_line=context.describe_line(),
    )
