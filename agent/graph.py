"""The brief graph: intake -> ask_missing -> extract -> score -> retrieve -> draft -> check.

After ``check``: a passing brief (or an offline one) finishes; a failing LLM draft is
revised once; a revision that still fails has its failing sections replaced by the
offline drafter's (``fallback``) before finishing::

    START -> intake -> ask_missing -> extract -> score -> retrieve -> draft -> check
    check --route_after_check--> finish | revise | fallback
    revise -> check;  fallback -> finish;  finish -> END

The graph is compiled once (`compile_graph`) per checkpointer; every run is invoked
with its `Services` as the runtime context, which the nodes read.
"""

from __future__ import annotations

from typing import Any, Literal

from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.graph import END, START, StateGraph
from langgraph.graph.state import CompiledStateGraph

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
from playbook.agent.services import Services
from playbook.agent.state import BriefInput, BriefOutput, BriefState

BriefGraph = CompiledStateGraph[BriefState, Services, BriefInput, BriefOutput]
MAX_REVISIONS = 1
CHAIN = (intake, ask_missing, extract, score, retrieve, draft, check)


def route_after_check(state: BriefState) -> Literal["finish", "revise", "fallback"]:
    """Finish when the check passed or the draft is offline; else revise once, then fall back."""
    if state.passed or not state.llm_drafted:
        return "finish"
    if state.revisions < MAX_REVISIONS and not state.budget_exhausted:
        return "revise"
    return "fallback"


def compile_graph(checkpointer: BaseCheckpointSaver[Any] | None = None) -> BriefGraph:
    """Compile the brief graph, checkpointed by ``checkpointer`` (None: no checkpoints)."""
    builder = StateGraph(
        BriefState, context_schema=Services, input_schema=BriefInput, output_schema=BriefOutput
    )
    for node in (*CHAIN, revise, fallback, finish):
        builder.add_node(node.__name__, node)
    builder.add_edge(START, intake.__name__)
    for before, after in zip(CHAIN, CHAIN[1:], strict=False):
        builder.add_edge(before.__name__, after.__name__)
    builder.add_conditional_edges(check.__name__, route_after_check)
    builder.add_edge(revise.__name__, check.__name__)
    builder.add_edge(fallback.__name__, finish.__name__)
    builder.add_edge(finish.__name__, END)
    return builder.compile(checkpointer=checkpointer, name="brief")
