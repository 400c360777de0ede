"""`playbook batch --dry-run`: accounts still to brief, their LLM calls, tokens and cost.

Each account still to brief is scored and its real prompts are rendered and counted
(`estimate_batch`, a chunk of accounts at a time); nothing is called and nothing is
written.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from playbook.agent.batch.input import iter_jobs
from playbook.agent.batch.run import BatchRequest, bound_services, prepare
from playbook.agent.batch.store import BriefStore
from playbook.agent.llm.prompting import (
    PromptInputs,
    draft_messages,
    extract_messages,
    revise_messages,
)
from playbook.agent.llm.tokens import EXPECTED_COMPLETION, cost_usd, counter_for
from playbook.agent.services import Services
from playbook.tools.models.account import Account, CatalogItem
from playbook.tools.rules.assess import RuleConfig, assess

__all__ = ["AccountEstimate", "BatchEstimate", "DryRun", "dry_run", "estimate_batch"]

ESTIMATE_CHUNK = 256


@dataclass(frozen=True)
class AccountEstimate:
    """Estimated LLM traffic for one account (``revise_*``: the extra call if the check fails)."""

    account_id: str
    calls: int
    prompt_tokens: int
    completion_tokens: int
    draft_prompt_tokens: int
    revise_prompt_tokens: int


@dataclass(frozen=True)
class BatchEstimate:
    """Estimated LLM traffic and cost for a batch (no revision; worst case adds one each)."""

    model: str
    approximate: bool
    accounts: list[AccountEstimate] = field(default_factory=list)

    @property
    def calls(self) -> int:
        """LLM calls when every draft passes the check first time."""
        return sum(a.calls for a in self.accounts)

    @property
    def prompt_tokens(self) -> int:
        """Prompt tokens without revisions."""
        return sum(a.prompt_tokens for a in self.accounts)

    @property
    def completion_tokens(self) -> int:
        """Expected completion tokens without revisions."""
        return sum(a.completion_tokens for a in self.accounts)

    @property
    def cost_usd(self) -> float | None:
        """List-price cost without revisions (None for an unknown model)."""
        return cost_usd(self.model, self.prompt_tokens, self.completion_tokens)

    @property
    def worst_case_cost_usd(self) -> float | None:
        """List-price cost if every account also needs its one revision."""
        extra_prompt = sum(a.revise_prompt_tokens for a in self.accounts)
        extra_completion = EXPECTED_COMPLETION["revise"] * len(self.accounts)
        return cost_usd(
            self.model, self.prompt_tokens + extra_prompt, self.completion_tokens + extra_completion
        )

    def as_dict(self) -> dict[str, object]:
        """Return a JSON-able summary for ``--dry-run``."""
        return {
            "model": self.model,
            "approximate": self.approximate,
            "accounts": len(self.accounts),
            "calls": self.calls,
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens,
            "cost_usd": self.cost_usd,
            "worst_case_cost_usd": self.worst_case_cost_usd,
        }


def estimate_batch(
    accounts: Sequence[Account], services: Services, catalog: Sequence[CatalogItem]
) -> BatchEstimate:
    """Estimate prompt/completion tokens and cost of drafting ``accounts`` with an LLM.

    Every account is scored offline and its real prompts are rendered and counted;
    completions use :data:`EXPECTED_COMPLETION`. No LLM is called.
    """
    settings = services.settings
    counter = counter_for(settings.model_label)
    config = RuleConfig(
        as_of=settings.as_of, catalog=catalog, fiscal_start_month=settings.fiscal_start_month
    )
    estimates = []
    for account in accounts:
        findings = services.extractor(
            account.notes or "", as_of=settings.as_of, notes_date=account.notes_date
        )
        facts = assess(account, config, findings)
        inputs = PromptInputs(
            facts=facts,
            guidance=services.guidance_for(facts),
            notes=account.notes,
            redact=settings.redact,
        )
        calls, prompt, completion = 1, 0, EXPECTED_COMPLETION["draft"]
        if account.notes:
            calls += 1
            prompt += counter.count_messages(extract_messages(inputs))
            completion += EXPECTED_COMPLETION["extract"]
        draft = counter.count_messages(draft_messages(inputs))
        failures = ["numbers_grounded: script: a number that is not in the facts"]
        revise = counter.count_messages(revise_messages(inputs, failures=failures))
        revise += EXPECTED_COMPLETION["draft"]
        estimates.append(
            AccountEstimate(
                account_id=account.account_id,
                calls=calls,
                prompt_tokens=prompt + draft,
                completion_tokens=completion,
                draft_prompt_tokens=draft,
                revise_prompt_tokens=revise,
            )
        )
    return BatchEstimate(
        model=settings.model_label, approximate=counter.approximate, accounts=estimates
    )


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


def dry_run(request: BatchRequest, *, services: Services | None = None) -> DryRun:
    """Count the accounts still to brief and estimate their LLM traffic; call nothing."""
    ready = prepare(request, services)
    context = ready.context
    run_services = bound_services(services, context)
    store = None if request.fresh else BriefStore(request.out_dir, ready.run_id)
    calls = prompt = completion = done = 0
    cost: float | None = 0.0
    worst: float | None = 0.0
    pending: list[Account] = []

    def estimate() -> None:
        nonlocal calls, prompt, completion, cost, worst
        if pending:
            part = estimate_batch(pending, run_services, ready.catalog)
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
