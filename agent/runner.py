"""Run the brief graph: one account (chat, may ask for input), resume it, or a whole batch.

Each chat is one checkpointed thread (``chat:<id>``); each batch account is its own
thread (``batch:<run_id>:<account_id>``), so a chat can be resumed after an interrupt
and a batch run again with the same ``run_id`` skips the accounts it finished.
"""

from __future__ import annotations

import dataclasses
import threading
import uuid
from collections import deque
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Any

from langchain_core.runnables import RunnableConfig
from langgraph.types import Command, Durability

from playbook.agent.batch.store import threads_for
from playbook.agent.context import AgentContext
from playbook.agent.deps import Deps
from playbook.agent.llm.tokens import cost_usd
from playbook.agent.state import JSONDict
from playbook.tools.models.account import Account
from playbook.tools.models.brief import Brief

__all__ = [
    "AgentError",
    "BatchFailure",
    "BriefResult",
    "NeedsInput",
    "batch_thread_id",
    "brief_result",
    "durability_option",
    "resume_brief",
    "run_batch",
    "run_brief",
]


class AgentError(RuntimeError):
    """A run ended without a result or a question (e.g. an unknown thread)."""


@dataclass(frozen=True)
class NeedsInput:
    """The run stopped to ask for missing inputs; answer with `resume_brief`."""

    thread_id: str
    payload: JSONDict

    @property
    def missing(self) -> list[str]:
        """The keys (of `tools.assess.INPUTS`) that are missing."""
        return [m["input"] for m in self.payload.get("missing", [])]


@dataclass(frozen=True)
class BriefResult:
    """A finished brief with its check report, token usage and mode."""

    thread_id: str
    brief: Brief
    report: JSONDict
    passed: bool
    mode: str
    usage: list[JSONDict] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    @property
    def account_id(self) -> str:
        """The account the brief is for."""
        return self.brief.facts.account_id

    @property
    def llm_calls(self) -> int:
        """How many LLM calls the run made."""
        return len(self.usage)

    @property
    def prompt_tokens(self) -> int:
        """Prompt tokens over every call."""
        return sum(int(u["prompt_tokens"]) for u in self.usage)

    @property
    def completion_tokens(self) -> int:
        """Completion tokens over every call."""
        return sum(int(u["completion_tokens"]) for u in self.usage)

    @property
    def cost_usd(self) -> float | None:
        """List-price cost of the run's calls (0 offline; None when a price is unknown)."""
        total = 0.0
        for u in self.usage:
            cost = cost_usd(str(u["model"]), int(u["prompt_tokens"]), int(u["completion_tokens"]))
            if cost is None:
                return None
            total += cost
        return round(total, 6)


@dataclass(frozen=True)
class BatchFailure:
    """A batch account whose run stopped with an agent error (the others go on)."""

    thread_id: str
    account_id: str
    error: str


RunOutcome = NeedsInput | BriefResult

BATCH_DURABILITY: Durability = "exit"
"""Non-interactive runs checkpoint once, when an account's run ends: a per-step
checkpoint cost ~7 ms of CPU an account (bench/bench_llm.py) and would save at most
the extraction call of an account in flight when a batch is killed."""


def _config(thread_id: str) -> RunnableConfig:
    return {"configurable": {"thread_id": thread_id}}


def _values(value: Any) -> Mapping[str, Any]:
    """Return the state values of a graph output (a mapping or the state dataclass)."""
    if isinstance(value, Mapping):
        return value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
    raise AgentError(f"unexpected graph output {type(value).__name__}")


def brief_result(thread_id: str, result: Mapping[str, Any]) -> BriefResult:
    """Build a `BriefResult` from the ``result`` the graph's finish node stores."""
    from playbook.agent.nodes.common import restore

    return BriefResult(
        thread_id=thread_id,
        brief=restore(result["brief"], Brief),
        report=dict(result["report"] or {}),
        passed=bool(result["passed"]),
        mode=str(result["mode"]),
        usage=list(result["usage"]),
        notices=list(result["notices"]),
        skipped=list(result["skipped"]),
    )


def durability_option(graph: Any, *, interactive: bool) -> Durability | None:
    """Return the ``durability`` argument of a run: `BATCH_DURABILITY` for batch runs.

    None (LangGraph's default) for chats and for graphs compiled without a checkpointer.
    """
    if interactive or not getattr(graph, "checkpointer", None):
        return None
    return BATCH_DURABILITY


def _invoke(deps: Deps, thread_id: str, graph_input: Any) -> RunOutcome:
    graph = deps.get_graph()
    durability = durability_option(graph, interactive=deps.context.interactive)
    out = graph.invoke(graph_input, _config(thread_id), version="v2", durability=durability)
    if out.interrupts:
        return NeedsInput(thread_id=thread_id, payload=dict(out.interrupts[0].value))
    result = _values(out.value).get("result")
    if not result:
        raise AgentError(f"thread {thread_id} ended without a result")
    return brief_result(thread_id, result)


def _start(account: Account, notes: str | None, segment: str | None) -> JSONDict:
    return {"account": account.model_dump(mode="json"), "notes": notes, "segment": segment}


def run_brief(
    notes: str | None = None,
    *,
    account: Account | None = None,
    deps: Deps | None = None,
    context: AgentContext | None = None,
    thread_id: str | None = None,
    segment: str | None = None,
) -> RunOutcome:
    """Draft one account's brief from pasted notes and/or its data row.

    Returns `NeedsInput` when the context is interactive and inputs are missing
    (answer with `resume_brief`), else the finished `BriefResult`.
    """
    if notes is None and account is None:
        raise ValueError("give notes, an account, or both")
    deps = deps or Deps(context=context or AgentContext.resolve())
    account = account or Account(account_id="notes", account_name="Account from notes")
    thread = thread_id or f"chat:{uuid.uuid4().hex}"
    return _invoke(deps, thread, _start(account, notes, segment))


def resume_brief(
    thread_id: str,
    answers: Mapping[str, Any] | None = None,
    skip: Sequence[str] = (),
    *,
    deps: Deps | None = None,
    context: AgentContext | None = None,
) -> RunOutcome:
    """Answer a `NeedsInput` (values for fields, inputs to skip) and continue the run."""
    deps = deps or Deps(context=context or AgentContext.resolve())
    snapshot = deps.get_graph().get_state(_config(thread_id))
    if not snapshot.next:
        result = _values(snapshot.values).get("result") if snapshot.values else None
        if result:
            return brief_result(thread_id, result)
        raise AgentError(f"no paused run for thread {thread_id!r}")
    resume = {"answers": dict(answers or {}), "skip": list(skip)}
    return _invoke(deps, thread_id, Command(resume=resume))


def batch_thread_id(run_id: str, account_id: str) -> str:
    """Return the checkpoint thread id of one account of a batch run."""
    return f"batch:{run_id}:{account_id}"


def _batch_one(deps: Deps, run_id: str, account: Account, segment: str | None) -> RunOutcome:
    thread = batch_thread_id(run_id, account.account_id)
    snapshot = deps.get_graph().get_state(_config(thread))
    if snapshot.values:
        result = _values(snapshot.values).get("result")
        if result:
            return brief_result(thread, result)
        if snapshot.next:
            return _invoke(deps, thread, None)
    return _invoke(deps, thread, _start(account, None, segment))


def run_batch(
    accounts: Sequence[Account],
    *,
    concurrency: int = 4,
    deps: Deps | None = None,
    context: AgentContext | None = None,
    run_id: str | None = None,
    segments: Mapping[str, str] | None = None,
) -> Iterator[BriefResult | BatchFailure]:
    """Draft every account (never interrupting), yielding results as they finish.

    Offline, ``concurrency`` threads brief accounts; with an LLM, at most ``concurrency``
    calls are in flight, and spare threads (`batch_store.threads_for`) do the CPU work
    of other accounts meanwhile. Running again
    with the same ``run_id`` (and checkpoint path) returns finished accounts from their
    checkpoints and continues unfinished ones.
    """
    if concurrency < 1:
        raise ValueError("concurrency must be at least 1")
    base = deps or Deps(context=context or AgentContext.resolve())
    base.get_checkpointer()
    base.get_catalog()
    base.get_retriever()  # built on `deps`, so its guidance memo outlives this run
    batch_deps = dataclasses.replace(
        base, context=base.context.with_values(interactive=False), _graph=None
    )
    threads = concurrency
    if batch_deps.context.llm_enabled:
        batch_deps.llm_slots = threading.BoundedSemaphore(concurrency)
        threads = threads_for(concurrency)
    run = run_id or uuid.uuid4().hex[:12]
    seg = dict(segments or {})
    with ThreadPoolExecutor(max_workers=threads, thread_name_prefix="brief") as pool:
        pending: dict[Future[RunOutcome], Account] = {}
        queue = deque(accounts)
        while queue or pending:
            while queue and len(pending) < threads:
                account = queue.popleft()
                job = pool.submit(_batch_one, batch_deps, run, account, seg.get(account.account_id))
                pending[job] = account
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for job in done:
                account = pending.pop(job)
                thread = batch_thread_id(run, account.account_id)
                try:
                    outcome = job.result()
                except AgentError as exc:
                    yield BatchFailure(thread, account.account_id, str(exc))
                    continue
                if isinstance(outcome, NeedsInput):
                    yield BatchFailure(thread, account.account_id, "unexpected request for input")
                else:
                    yield outcome
