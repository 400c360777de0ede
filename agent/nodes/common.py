"""What the nodes share: the token budget and one LLM call made within it."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import BaseModel

from playbook.agent.llm.client import CallResult, LLMError
from playbook.agent.llm.tokens import EXPECTED_COMPLETION, counter_for
from playbook.agent.services import Services
from playbook.agent.state import BriefState

M = TypeVar("M", bound=BaseModel)


def budget_allows(state: BriefState, services: Services, prompt_tokens: int, task: str) -> bool:
    """Return True when this call's estimated tokens still fit in the token budget."""
    estimate = prompt_tokens + EXPECTED_COMPLETION[task]
    return state.tokens_used + estimate <= services.settings.token_budget


def llm_on(state: BriefState, services: Services, task: str) -> bool:
    """Return True when this run may still make the LLM call of ``task``."""
    allowed = services.llm_tasks is None or task in services.llm_tasks
    return services.settings.llm_enabled and allowed and not state.budget_exhausted


@dataclass(frozen=True)
class Skipped:
    """An LLM call that was not made (token budget) or failed (`LLMError`)."""

    reason: str
    budget: bool

    def notice(self, budget_text: str, failure_text: str) -> dict[str, Any]:
        """State update with the notice for this skip (and the budget flag when set)."""
        if self.budget:
            return {"budget_exhausted": True, "notices": [budget_text]}
        return {"notices": [f"{failure_text}: {self.reason}"]}


def call_llm(
    state: BriefState,
    services: Services,
    schema: type[M],
    messages: Sequence[tuple[str, str]],
    task: str,
) -> CallResult[M] | Skipped:
    """Make one structured LLM call within the token budget, or say why it was skipped."""
    settings = services.settings
    prompt_tokens = counter_for(settings.model_label).count_messages(messages)
    if not budget_allows(state, services, prompt_tokens, task):
        return Skipped("token budget reached", budget=True)
    slot = services.llm_slots if services.llm_slots is not None else contextlib.nullcontext()
    try:
        with slot:
            return services.get_chat().call(
                schema,
                messages,
                method=settings.structured_output,
                task=task,
                model_name=settings.model_label,
                prompt_tokens=prompt_tokens,
            )
    except LLMError as exc:
        return Skipped(str(exc), budget=False)
