"""Helpers the nodes share: the token budget and rebuilding models from state."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import BaseModel

from playbook.agent.deps import Deps
from playbook.agent.llm.client import CallResult, LLMError, structured_call
from playbook.agent.llm.tokens import EXPECTED_COMPLETION, counter_for
from playbook.agent.state import BriefState, JSONDict
from playbook.tools.models.account import CatalogItem
from playbook.tools.models.assessment import Assessment

M = TypeVar("M", bound=BaseModel)
_DUMPED = threading.local()


def remember(data: JSONDict, model: BaseModel) -> JSONDict:
    """Note that ``data`` is ``model``'s dump, so a later node can skip validating it again.

    One model per type and thread is kept (the latest); `restore` hands it back only for
    that very dict object, i.e. within the same run.
    """
    latest: dict[type[Any], tuple[JSONDict, BaseModel]] = _DUMPED.__dict__.setdefault("latest", {})
    latest[type(model)] = (data, model)
    return data


def restore(data: JSONDict, cls: type[M]) -> M:
    """Return the model ``data`` was dumped from (see `remember`), else validate ``data``."""
    latest: dict[type[Any], tuple[JSONDict, BaseModel]] = _DUMPED.__dict__.get("latest", {})
    found = latest.get(cls)
    if found is not None and found[0] is data and isinstance(found[1], cls):
        return found[1]
    return cls.model_validate(data)


def budget_allows(state: BriefState, deps: Deps, prompt_tokens: int, task: str) -> bool:
    """Return True when this call's estimated tokens still fit in the token budget."""
    estimate = prompt_tokens + EXPECTED_COMPLETION[task]
    return state.tokens_used + estimate <= deps.context.token_budget


def llm_on(state: BriefState, deps: Deps) -> bool:
    """Return True when this run may still make LLM calls."""
    return deps.context.llm_enabled and not state.budget_exhausted


def facts_of(state: BriefState) -> Assessment:
    """Return the decided facts stored in the state."""
    if state.facts is None:
        raise RuntimeError("no facts in the state: the score node has not run")
    return restore(state.facts, Assessment)


_CATALOG: list[tuple[list[JSONDict], list[CatalogItem]]] = []


def catalog_of(state: BriefState) -> list[CatalogItem]:
    """Return the catalog stored in the state (validated once per catalog list object)."""
    for dumped, items in _CATALOG:
        if dumped is state.catalog:
            return list(items)
    items = [CatalogItem.model_validate(c) for c in state.catalog]
    _CATALOG[:] = [(state.catalog, items)]
    return list(items)


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
    deps: Deps,
    schema: type[M],
    messages: Sequence[tuple[str, str]],
    task: str,
) -> CallResult[M] | Skipped:
    """Make one structured LLM call within the token budget, or say why it was skipped."""
    ctx = deps.context
    prompt_tokens = counter_for(ctx.model_label).count_messages(messages)
    if not budget_allows(state, deps, prompt_tokens, task):
        return Skipped("token budget reached", budget=True)
    slot = deps.llm_slots if deps.llm_slots is not None else contextlib.nullcontext()
    try:
        with slot:
            return structured_call(
                deps.get_chat_model(),
                schema,
                messages,
                method=ctx.structured_output,
                task=task,
                model_name=ctx.model_label,
                prompt_tokens=prompt_tokens,
            )
    except LLMError as exc:
        return Skipped(str(exc), budget=False)
