"""The light half of a batch: jobs, outcomes and the brief files of one run.

Importing this is cheap (no LangGraph, no LLM client): the parent process of an
offline batch only needs these, while its workers run `batch_worker.AccountRunner`.
`BriefStore` knows an account's brief files: whether they hold the same input hash
(then the account is skipped and its facts read back) and how to write a result.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal, Protocol

from pydantic import ValidationError

from playbook.agent.batch.files import (
    BriefPaths,
    brief_document,
    brief_paths,
    facts_from_document,
    read_brief_document,
    write_fast,
)
from playbook.tools.models.account import Account
from playbook.tools.models.assessment import Assessment
from playbook.tools.output.render import render_markdown

if TYPE_CHECKING:
    from playbook.agent.runner import BriefResult

__all__ = [
    "WINDOW_PER_WORKER",
    "BatchAborted",
    "BriefStore",
    "Engine",
    "Job",
    "Outcome",
    "RunnerConfig",
    "failed",
]

Status = Literal["done", "skipped", "failed"]
WINDOW_PER_WORKER = 4
class BatchAborted(RuntimeError):
    """The batch cannot go on (a worker process died, or the knowledge index failed)."""


@dataclass(frozen=True)
class Job:
    """One account to brief: its position in the book, row, revenue segment and input hash."""

    position: int
    account: Account
    segment: str | None
    key: str


@dataclass(frozen=True)
class Outcome:
    """What became of one account; ``facts`` feed the portfolio files."""

    position: int
    account_id: str
    row: int | None
    status: Status
    facts: Assessment | None = None
    link: str | None = None
    error: str | None = None
    passed: bool = True
    llm_calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float | None = 0.0
    seconds: float = 0.0


def failed(job: Job, error: str, seconds: float = 0.0) -> Outcome:
    """Return the outcome of an account whose brief could not be made or written."""
    account = job.account
    return Outcome(
        job.position, account.account_id, account.row, "failed",
        error=error, passed=False, seconds=seconds,
    )  # fmt: skip


@dataclass(frozen=True)
class RunnerConfig:
    """Where briefs go and how accounts run."""

    out_dir: Path
    run_id: str
    fresh: bool = False
    checkpointed: bool = False


@dataclass(frozen=True)
class BriefStore:
    """The brief files of one run: read back unchanged accounts, write new results."""

    out_dir: Path
    run_id: str

    def paths(self, job: Job) -> BriefPaths:
        """Where this account's brief lives."""
        return brief_paths(self.out_dir, job.account.account_id)

    def is_done(self, job: Job) -> bool:
        """Tell whether the account's brief JSON holds this job's input hash."""
        document = read_brief_document(self.paths(job).json)
        return document is not None and document["batch"].get("input_sha256") == job.key

    def previous(self, job: Job) -> Outcome | None:
        """Return the outcome of an account already briefed from the same input, else None."""
        paths = self.paths(job)
        document = read_brief_document(paths.json)
        if document is None or document["batch"].get("input_sha256") != job.key:
            return None
        if not paths.markdown.is_file():
            return None
        try:
            facts = facts_from_document(document)
        except ValidationError:
            return None
        account = job.account
        passed = bool(document["batch"].get("passed", True))
        return Outcome(
            job.position, account.account_id, account.row, "skipped",
            facts=facts, link=paths.link, passed=passed,
        )  # fmt: skip

    def save(self, job: Job, result: BriefResult, started: float) -> Outcome:
        """Write the Markdown, then the JSON (its presence marks the account done)."""
        paths = self.paths(job)
        account = job.account
        brief = result.brief
        batch = {
            "input_sha256": job.key,
            "run_id": self.run_id,
            "account_id": account.account_id,
            "row": account.row,
            "segment": job.segment,
            "mode": result.mode,
            "passed": result.passed,
            "llm_calls": result.llm_calls,
            "prompt_tokens": result.prompt_tokens,
            "completion_tokens": result.completion_tokens,
            "cost_usd": result.cost_usd,
            "notices": result.notices,
            "skipped_inputs": result.skipped,
            "written_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        }
        try:
            write_fast(paths.markdown, render_markdown(brief).encode("utf-8"))
            write_fast(paths.json, brief_document(brief.contract_dict(), result.report.summary(), batch))
        except OSError as exc:
            return failed(job, f"cannot write the brief: {exc}", time.perf_counter() - started)
        return Outcome(
            job.position, account.account_id, account.row, "done",
            facts=brief.facts, link=paths.link, passed=result.passed,
            llm_calls=result.llm_calls, prompt_tokens=result.prompt_tokens,
            completion_tokens=result.completion_tokens, cost_usd=result.cost_usd,
            seconds=time.perf_counter() - started,
        )  # fmt: skip


class Engine(Protocol):
    """Runs jobs and yields their outcomes in input order."""

    def run(self, jobs: Iterator[Job]) -> Iterator[Outcome]:
        """Yield one outcome per job, in the order of ``jobs``."""
        ...

    def retrieval(self) -> tuple[int, int]:
        """Guidance retrieval memo hits and misses over every worker."""
        ...

    def usage(self) -> tuple[float, float] | None:
        """Worker processes' CPU seconds and peak RSS (MB); None when all ran in this one."""
        ...
