"""The brief graph: intake -> ask_missing -> extract -> score -> retrieve -> draft -> check.

After ``check``: a passing brief (or an offline one) finishes; a failing LLM draft is
revised once; a revision that still fails has its failing sections replaced by the
offline drafter's (``fallback``) before finishing::

    START -> intake -> ask_missing -> extract -> score -> retrieve -> draft -> check
    check --route_after_check--> finish | revise | fallback
    revise -> check;  fallback -> finish;  finish -> END
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, Literal, Protocol

from langgraph.graph import END, START, StateGraph
from langgraph.graph.state import CompiledStateGraph

from playbook.agent.deps import Deps
from playbook.agent.nodes import (
    ask_missing,
    check,
    draft,
    extract,
    fallback,
    finish,
    intake,
    retrieve,
    revise,
    score,
)
from playbook.agent.state import BriefState

NodeFn = Callable[[BriefState, Deps], dict[str, Any]]
MAX_REVISIONS = 1


def route_after_check(state: BriefState) -> Literal["finish", "revise", "fallback"]:
    """Finish when the check passed or the draft is offline; else revise once, then fall back."""
    if state.passed or not state.llm_drafted:
        return "finish"
    if state.revisions < MAX_REVISIONS and not state.budget_exhausted:
        return "revise"
    return "fallback"


class BoundNode(Protocol):
    """A node as LangGraph calls it: the state in, a partial update out."""

    def __call__(self, state: BriefState) -> dict[str, Any]:
        """Run the node on ``state``."""
        ...


def _bind(fn: NodeFn, deps: Deps) -> BoundNode:
    """Bind the dependencies into a node function, keeping its name and docstring."""

    @functools.wraps(fn)
    def node(state: BriefState) -> dict[str, Any]:
        return fn(state, deps)

    return node


def build_graph(deps: Deps) -> CompiledStateGraph[BriefState, None, BriefState, BriefState]:
    """Compile the brief graph with ``deps`` bound into every node and its checkpointer."""
    builder = StateGraph(BriefState)
    chain: list[NodeFn] = [intake, ask_missing, extract, score, retrieve, draft, check]
    for fn in (*chain, revise, fallback, finish):
        builder.add_node(fn.__name__, _bind(fn, deps))
    builder.add_edge(START, intake.__name__)
    for before, after in zip(chain, chain[1:], strict=False):
        builder.add_edge(before.__name__, after.__name__)
    builder.add_conditional_edges(check.__name__, route_after_check)
    builder.add_edge(revise.__name__, check.__name__)
    builder.add_edge(fallback.__name__, finish.__name__)
    builder.add_edge(finish.__name__, END)
    return builder.compile(checkpointer=deps.get_checkpointer(), name="brief")
