"""Run the brief graph: one account (a chat may ask for input), resume it, read a thread.

`BriefAgent` holds the graph compiled once on its checkpointer and the services
every run gets as its runtime context. Each chat is one checkpointed thread
(``chat:<id>``); a batch account is its own thread, so a chat can be resumed after
an interrupt and an interrupted LLM batch continues where it stopped.
"""

from __future__ import annotations

import threading
import uuid
from collections import deque
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Any, Self

from langchain_core.runnables import RunnableConfig
from langgraph.types import Command, Durability

from playbook.agent.checkpoints import CheckpointStore, in_memory, open_store
from playbook.agent.context import AgentContext
from playbook.agent.graph import BriefGraph, compile_graph
from playbook.agent.llm.client import LLMUsage
from playbook.agent.llm.tokens import cost_usd
from playbook.agent.services import Services, threads_for
from playbook.agent.state import BriefInput, BriefState, RunResult
from playbook.tools.models.account import Account
from playbook.tools.models.brief import Brief
from playbook.tools.rubric.report import RubricReport

__all__ = [
    "BATCH_DURABILITY",
    "AgentError",
    "BatchFailure",
    "BriefAgent",
    "BriefResult",
    "NeedsInput",
    "RunOutcome",
    "batch_thread_id",
    "run_batch",
]

BATCH_DURABILITY: Durability = "exit"
"""Non-interactive runs checkpoint once, when an account's run ends: a per-step
checkpoint cost ~7 ms of CPU an account (bench/bench_llm.py) and would save at most
the extraction call of an account in flight when a batch is killed."""
class AgentError(RuntimeError):
    """A run ended without a result or a question (e.g. an unknown thread)."""


@dataclass(frozen=True)
class NeedsInput:
    """The run stopped to ask for missing inputs; answer with `BriefAgent.resume`."""

    thread_id: str
    payload: dict[str, Any]

    @property
    def missing(self) -> list[str]:
        """The keys (of `tools.rules.assess.INPUTS`) that are missing."""
        return [m["input"] for m in self.payload.get("missing", [])]


@dataclass(frozen=True)
class BriefResult:
    """A finished brief with its check report, token usage and mode."""

    thread_id: str
    brief: Brief
    report: RubricReport
    passed: bool
    mode: str
    usage: list[LLMUsage] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, thread_id: str, result: RunResult) -> BriefResult:
        """Return the result of a finished run on ``thread_id``."""
        return cls(
            thread_id=thread_id,
            brief=result.brief,
            report=result.report,
            passed=result.passed,
            mode=result.mode,
            usage=list(result.usage),
            notices=list(result.notices),
            skipped=list(result.skipped),
        )

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
        return sum(u.prompt_tokens for u in self.usage)

    @property
    def completion_tokens(self) -> int:
        """Completion tokens over every call."""
        return sum(u.completion_tokens for u in self.usage)

    @property
    def cost_usd(self) -> float | None:
        """List-price cost of the run's calls (0 offline; None when a price is unknown)."""
        total = 0.0
        for u in self.usage:
            cost = cost_usd(u.model, u.prompt_tokens, u.completion_tokens)
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


def _config(thread_id: str) -> RunnableConfig:
    return {"configurable": {"thread_id": thread_id}}


def batch_thread_id(run_id: str, account_id: str) -> str:
    """Return the checkpoint thread id of one account of a batch run."""
    return f"batch:{run_id}:{account_id}"


def notes_account(account_id: str = "notes") -> Account:
    """Return the account of pasted notes that name none."""
    return Account(account_id=account_id, account_name="Account from notes")


class BriefAgent:
    """The brief graph compiled once, the services its runs get, and their checkpoints."""

    def __init__(self, services: Services, store: CheckpointStore | None = None) -> None:
        """Compile the graph on ``store``'s checkpointer (None: runs are not checkpointed)."""
        self.services = services
        self.store = store
        self.graph: BriefGraph = compile_graph(store.saver if store is not None else None)

    @classmethod
    def open(cls, services: Services) -> Self:
        """Open the checkpointer the services' settings name (memory when none) and compile."""
        return cls(services, open_store(services.settings))

    @classmethod
    def scratch(cls, services: Services) -> Self:
        """Return an agent with a throwaway in-memory checkpointer (nothing to resume later)."""
        return cls(services, in_memory())

    def close(self) -> None:
        """Close the checkpointer's connection or pool."""
        if self.store is not None:
            self.store.close()

    def __enter__(self) -> Self:
        """Use the agent in a ``with`` block; the checkpointer is closed at its end."""
        return self

    def __exit__(self, *exc: object) -> None:
        """Close the checkpointer."""
        self.close()

    def _durability(self, services: Services) -> Durability | None:
        if services.settings.interactive or self.store is None:
            return None
        return BATCH_DURABILITY

    def _invoke(self, thread_id: str, graph_input: Any, services: Services) -> RunOutcome:
        out = self.graph.invoke(
            graph_input,
            _config(thread_id),
            context=services,
            version="v2",
            durability=self._durability(services),
        )
        if out.interrupts:
            return NeedsInput(thread_id=thread_id, payload=dict(out.interrupts[0].value))
        result = _result_of(out.value)
        if result is None:
            raise AgentError(f"thread {thread_id} ended without a result")
        return BriefResult.of(thread_id, result)

    def run(
        self,
        notes: str | None = None,
        *,
        account: Account | None = None,
        thread_id: str | None = None,
        segment: str | None = None,
        services: Services | None = None,
    ) -> RunOutcome:
        """Draft one account's brief from pasted notes and/or its data row.

        Returns `NeedsInput` when the settings are interactive and inputs are missing
        (answer with `resume`), else the finished `BriefResult`. ``services`` replaces
        the agent's own for this run (e.g. another as-of date).
        """
        if notes is None and account is None:
            raise ValueError("give notes, an account, or both")
        start = BriefInput(account=account or notes_account(), notes=notes, segment=segment)
        thread = thread_id or f"chat:{uuid.uuid4().hex}"
        return self._invoke(thread, start, services or self.services)

    def resume(
        self,
        thread_id: str,
        answers: Mapping[str, Any] | None = None,
        skip: Sequence[str] = (),
        *,
        services: Services | None = None,
    ) -> RunOutcome:
        """Answer a `NeedsInput` (values for fields, inputs to skip) and continue the run."""
        snapshot = self.graph.get_state(_config(thread_id))
        if not snapshot.next:
            result = _result_of(snapshot.values) if snapshot.values else None
            if result is not None:
                return BriefResult.of(thread_id, result)
            raise AgentError(f"no paused run for thread {thread_id!r}")
        resume = {"answers": dict(answers or {}), "skip": list(skip)}
        return self._invoke(thread_id, Command(resume=resume), services or self.services)

    def continue_thread(
        self, thread_id: str, start: BriefInput, *, services: Services | None = None
    ) -> RunOutcome:
        """Return a thread's finished result, resume its unfinished run, or start ``start``."""
        snapshot = self.graph.get_state(_config(thread_id))
        if snapshot.values:
            result = _result_of(snapshot.values)
            if result is not None:
                return BriefResult.of(thread_id, result)
            if snapshot.next:
                return self._invoke(thread_id, None, services or self.services)
        return self._invoke(thread_id, start, services or self.services)

    def thread_state(self, thread_id: str) -> BriefState | None:
        """Return a thread's latest state, or None for an unknown thread."""
        snapshot = self.graph.get_state(_config(thread_id))
        values = snapshot.values
        if not values:
            return None
        return values if isinstance(values, BriefState) else BriefState(**values)

    def pending_question(self, thread_id: str) -> dict[str, Any] | None:
        """Return the question a paused thread waits on, else None."""
        snapshot = self.graph.get_state(_config(thread_id))
        if snapshot.next and snapshot.interrupts:
            return dict(snapshot.interrupts[0].value)
        return None

    def forget(self, thread_id: str) -> None:
        """Drop a thread's checkpoints (its files are now the record)."""
        if self.store is None:
            return
        try:
            self.store.saver.delete_thread(thread_id)
        except NotImplementedError:
            return


def _result_of(value: Any) -> RunResult | None:
    """Return the ``result`` of a graph output or state values (mapping or dataclass)."""
    found = value.get("result") if isinstance(value, Mapping) else getattr(value, "result", None)
    return found if isinstance(found, RunResult) else None


def run_batch(
    accounts: Sequence[Account],
    *,
    agent: BriefAgent,
    concurrency: int = 4,
    run_id: str | None = None,
    segments: Mapping[str, str] | None = None,
) -> Iterator[BriefResult | BatchFailure]:
    """Draft every account (never interrupting), yielding results as they finish.

    Offline, ``concurrency`` threads brief accounts; with an LLM, at most ``concurrency``
    calls are in flight, and spare threads (`threads_for`) do the CPU work of other
    accounts meanwhile. Running again with the same ``run_id`` on the same checkpointer
    returns finished accounts from their checkpoints and continues unfinished ones.
    """
    if concurrency < 1:
        raise ValueError("concurrency must be at least 1")
    base = agent.services
    base.get_catalog()
    base.get_retriever()
    services = base.with_settings(interactive=False)
    threads = concurrency
    if services.settings.llm_enabled:
        services.llm_slots = threading.BoundedSemaphore(concurrency)
        threads = threads_for(concurrency)
    run = run_id or uuid.uuid4().hex[:12]
    seg = dict(segments or {})

    def one(account: Account) -> RunOutcome:
        start = BriefInput(account=account, segment=seg.get(account.account_id))
        thread = batch_thread_id(run, account.account_id)
        return agent.continue_thread(thread, start, services=services)

    with ThreadPoolExecutor(max_workers=threads, thread_name_prefix="brief") as pool:
        pending: dict[Future[RunOutcome], Account] = {}
        queue = deque(accounts)
        while queue or pending:
            while queue and len(pending) < threads:
                account = queue.popleft()
                pending[pool.submit(one, account)] = account
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


def open_agent(settings: AgentContext, **services: Any) -> BriefAgent:
    """Return an agent for ``settings`` with the given services injected, checkpointed as set."""
    return BriefAgent.open(Services(settings=settings, **services))
