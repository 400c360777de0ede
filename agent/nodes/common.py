"""Helpers the nodes share: the token budget and rebuilding models from state."""

from __future__ import annotations

from collections.abc import Sequence

from ...tools.models import Assessment, CatalogItem
from ..deps import Deps
from ..state import BriefState
from ..tokens import EXPECTED_COMPLETION, counter_for


def budget_allows(
    state: BriefState, deps: Deps, messages: Sequence[tuple[str, str]], task: str
) -> bool:
    """Return True when this call's estimated tokens still fit in the token budget."""
    ctx = deps.context
    estimate = counter_for(ctx.model_label).count_messages(messages) + EXPECTED_COMPLETION[task]
    return state.tokens_used + estimate <= ctx.token_budget


def llm_on(state: BriefState, deps: Deps) -> bool:
    """Return True when this run may still make LLM calls."""
    return deps.context.llm_enabled and not state.budget_exhausted


def facts_of(state: BriefState) -> Assessment:
    """Return the decided facts stored in the state."""
    if state.facts is None:
        raise RuntimeError("no facts in the state: the score node has not run")
    return Assessment.model_validate(state.facts)


def catalog_of(state: BriefState) -> list[CatalogItem]:
    """Return the catalog stored in the state."""
    return [CatalogItem.model_validate(c) for c in state.catalog]
