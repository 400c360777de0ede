"""One batch account through the brief graph, its files written; and the thread engine.

`AccountRunner.run` skips an account already briefed from the same input, else runs
it through the one brief graph and writes its files (`batch_store.BriefStore`).
Offline, the graph runs without a checkpointer (the files on disk are the resume
mechanism); in LLM modes it keeps its checkpointer, so an account interrupted
mid-run resumes from its last step, and the thread is deleted once the files exist.

Engines yield outcomes in input order through a bounded window of work in flight:
`ThreadEngine` (here) runs accounts on threads of this process; `ProcessEngine`
(`batch_pool`) runs chunks of accounts on worker processes.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

from langgraph.errors import GraphRecursionError
from pydantic import ValidationError

from playbook.agent.batch.store import (
    WINDOW_PER_WORKER,
    BriefStore,
    Job,
    Outcome,
    RunnerConfig,
    failed,
)
from playbook.agent.checkpoints import CheckpointStore, open_store
from playbook.agent.llm.client import LLMError
from playbook.agent.runner import AgentError, BriefAgent, BriefResult, NeedsInput, batch_thread_id
from playbook.agent.services import Services
from playbook.agent.state import BriefInput

__all__ = ["ACCOUNT_ERRORS", "AccountRunner", "ThreadEngine"]

ACCOUNT_ERRORS: tuple[type[BaseException], ...] = (
    AgentError,
    LLMError,
    ValidationError,
    ValueError,
    LookupError,
    GraphRecursionError,
)
"""What one account's run may raise; it is reported for that account and the batch goes on."""


class AccountRunner:
    """Briefs accounts through one `BriefAgent` and writes their files."""

    def __init__(
        self, services: Services, config: RunnerConfig, checkpoints: CheckpointStore | None = None
    ) -> None:
        """Compile the graph: checkpointed in LLM modes (on ``checkpoints``, else the
        settings' store), without a checkpointer offline."""
        self.services = services.with_settings(interactive=False)
        self.config = config
        self.store = BriefStore(config.out_dir, config.run_id)
        if config.checkpointed and checkpoints is None:
            checkpoints = open_store(self.services.settings)
        self.agent = BriefAgent(self.services, checkpoints if config.checkpointed else None)

    def retrieval(self) -> tuple[int, int]:
        """Guidance retrieval memo hits and misses so far."""
        retriever = self.services.get_retriever()
        return int(getattr(retriever, "hits", 0)), int(getattr(retriever, "misses", 0))

    def run(self, job: Job) -> Outcome:
        """Skip, or brief and write, one account; failures are returned, never raised."""
        started = time.perf_counter()
        if not self.config.fresh:
            done = self.store.previous(job)
            if done is not None:
                return done
        try:
            result = self._brief(job)
        except ACCOUNT_ERRORS as exc:
            return failed(job, f"{type(exc).__name__}: {exc}", time.perf_counter() - started)
        outcome = self.store.save(job, result, started)
        if self.config.checkpointed and outcome.status == "done":
            self.agent.forget(result.thread_id)
        return outcome

    def _brief(self, job: Job) -> BriefResult:
        """Run the account through the graph (resuming its checkpointed thread if any)."""
        account = job.account
        thread = f"{batch_thread_id(self.config.run_id, account.account_id)}:{job.key[:12]}"
        start = BriefInput(account=account, segment=job.segment)
        if self.config.checkpointed and not self.config.fresh:
            outcome = self.agent.continue_thread(thread, start, services=self.services)
        else:
            outcome = self.agent.run(
                account=account, thread_id=thread, segment=job.segment, services=self.services
            )
        if isinstance(outcome, NeedsInput):
            raise AgentError("the run asked for missing inputs, which a batch never does")
        return outcome

    def close(self) -> None:
        """Close the checkpointer this runner opened."""
        self.agent.close()


@dataclass
class ThreadEngine:
    """Accounts on ``workers`` threads of this process, sharing one `AccountRunner`."""

    runner: AccountRunner
    workers: int

    def run(self, jobs: Iterator[Job]) -> Iterator[Outcome]:
        """Yield outcomes in input order, keeping a bounded window of accounts in flight."""
        if self.workers == 1:
            yield from map(self.runner.run, jobs)
            return
        limit = self.workers * WINDOW_PER_WORKER
        with ThreadPoolExecutor(self.workers, thread_name_prefix="batch") as pool:
            window: deque[Future[Outcome]] = deque()
            try:
                for job in jobs:
                    window.append(pool.submit(self.runner.run, job))
                    if len(window) >= limit:
                        yield window.popleft().result()
                while window:
                    yield window.popleft().result()
            finally:
                for pending in window:
                    pending.cancel()

    def retrieval(self) -> tuple[int, int]:
        """Hits and misses of the shared retriever."""
        return self.runner.retrieval()

    def usage(self) -> tuple[float, float] | None:
        """None: the accounts ran in this process."""
        return None
