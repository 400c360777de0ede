"""`playbook batch` with the OpenAI Batch API: export the draft requests, import the results.

Both go through `agent.openai_batch` (one draft request per account, the same graph
for scoring, retrieval, merge, rubric and fallback). Accounts already briefed from
the same input are left out of an export and skipped on import; imported briefs are
written like any other batch brief, so the portfolio files and a later resume see
them.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from playbook.agent.batch.openai_api import export_requests, import_results
from playbook.agent.batch.store import BriefStore, Job, Outcome, failed
from playbook.agent.runner import BatchFailure
from playbook.agent.services import Services
from playbook.tools.models.account import Account

__all__ = ["ImportEngine", "export_batch_requests"]


def export_batch_requests(
    jobs: Iterator[Job], path: Path, *, services: Services, store: BriefStore | None
) -> tuple[int, int]:
    """Write the Batch API request file for the accounts still to brief.

    Returns (request lines written, accounts left out because already briefed).
    """
    done = 0
    segments: dict[str, str | None] = {}

    def to_do() -> Iterator[Account]:
        nonlocal done
        for job in jobs:
            if store is not None and store.is_done(job):
                done += 1
                continue
            segments[job.account.account_id] = job.segment
            yield job.account

    written = export_requests(to_do(), path, services=services, segments=segments)
    return written, done


@dataclass
class ImportEngine:
    """Outcomes from a Batch API output file, in input order (the engine of an import)."""

    results: Path
    services: Services
    store: BriefStore
    fresh: bool = False

    def run(self, jobs: Iterator[Job]) -> Iterator[Outcome]:
        """Yield skipped accounts as they come and each imported account once it is drafted."""
        order: deque[Job] = deque()
        skipped: list[Outcome] = []
        segments: dict[str, str | None] = {}

        def to_do() -> Iterator[Account]:
            for job in jobs:
                previous = None if self.fresh else self.store.previous(job)
                if previous is not None:
                    skipped.append(previous)
                    continue
                order.append(job)
                segments[job.account.account_id] = job.segment
                yield job.account

        started = time.perf_counter()
        imported = import_results(self.results, to_do(), services=self.services, segments=segments)
        for result in imported:
            yield from skipped
            skipped.clear()
            job = order.popleft()
            if isinstance(result, BatchFailure):
                yield failed(job, result.error, time.perf_counter() - started)
            else:
                yield self.store.save(job, result, started)
            started = time.perf_counter()
        yield from skipped

    def retrieval(self) -> tuple[int, int]:
        """Hits and misses of the retriever the import used."""
        retriever = self.services.get_retriever()
        return int(getattr(retriever, "hits", 0)), int(getattr(retriever, "misses", 0))

    def usage(self) -> tuple[float, float] | None:
        """None: the accounts ran in this process."""
        return None
