"""The book of a batch: the cheap first pass, the run id, and each account's input hash.

The first pass keeps only (account id, ARR) for the revenue segments, plus the row
problems; the second pass (`iter_jobs`) streams the accounts again with their
segment and input hash. An input hash covers the row (not its position), its
segment and every setting that changes a brief, so an unchanged account is skipped
on a re-run and anything else is redone.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from playbook.agent.batch.files import file_sha256
from playbook.agent.batch.store import Job
from playbook.agent.context import AgentContext
from playbook.tools.loading import RowError, iter_accounts
from playbook.tools.models.account import Account, CatalogItem

__all__ = [
    "FORMAT_VERSION",
    "Scan",
    "account_key",
    "default_run_id",
    "iter_jobs",
    "scan_book",
    "settings_digest",
]

FORMAT_VERSION = 1
"""Bumped when the brief files change shape: briefs of an older format are redone."""


@dataclass
class Scan:
    """The cheap first pass: ARR per account id, the row problems, the input's hash."""

    arr: dict[str, float | None]
    problems: list[RowError]
    sha256: str
    seconds: float

    @property
    def accounts(self) -> int:
        """How many accounts loaded."""
        return len(self.arr)

    @property
    def errors(self) -> list[RowError]:
        """Row errors (the row, or one of its values, was rejected)."""
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[RowError]:
        """Row warnings (the row was used)."""
        return [p for p in self.problems if p.severity != "error"]


def scan_book(path: Path, dayfirst: bool | None = None) -> Scan:
    """Stream the book once for (id, ARR) and its row problems.

    Raises:
        LoadError: when the file as a whole cannot be read.
    """
    started = time.perf_counter()
    arr: dict[str, float | None] = {}
    problems: list[RowError] = []
    with iter_accounts(path, dayfirst=dayfirst) as stream:
        for item in stream:
            if isinstance(item, Account):
                arr[item.account_id] = item.arr
            else:
                problems.append(item)
    return Scan(arr, problems, file_sha256(path), time.perf_counter() - started)


def default_run_id(path: Path) -> str:
    """Return the run id of a book: stable for one input file, so a re-run resumes it."""
    resolved = str(path.expanduser().resolve())
    return "run-" + hashlib.sha256(resolved.encode("utf-8")).hexdigest()[:10]


def settings_digest(context: AgentContext, catalog: list[CatalogItem]) -> str:
    """Hash of everything besides the row that changes a brief (dates, catalog, mode, guides)."""
    from importlib.metadata import PackageNotFoundError, version

    from playbook.knowledge import corpus_hash, load_chunks

    try:
        package = version("expansion-playbook")
    except PackageNotFoundError:
        package = "unknown"
    llm = context.llm_enabled
    payload = {
        "format": FORMAT_VERSION,
        "package": package,
        "as_of": context.as_of.isoformat(),
        "fiscal_start_month": context.fiscal_start_month,
        "icp_given": context.icp_given,
        "redact": context.redact,
        "mode": context.mode,
        "model": context.model_label if llm else None,
        "structured_output": context.structured_output if llm else None,
        "token_budget": context.token_budget if llm else None,
        "catalog": [item.model_dump(mode="json") for item in catalog],
        "guides": corpus_hash(load_chunks()),
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode("utf-8")).hexdigest()


def account_key(digest: str, account: Account, segment: str | None) -> str:
    """Hash an account's input: the settings, its segment and the row (not its position)."""
    row = account.model_dump(mode="json", exclude={"row"})
    text = json.dumps([digest, segment, row], sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def iter_jobs(
    path: Path, dayfirst: bool | None, segments: dict[str, str], digest: str
) -> Iterator[Job]:
    """Stream the second pass: every account with its segment and input hash, in file order."""
    position = 0
    with iter_accounts(path, dayfirst=dayfirst) as stream:
        for item in stream:
            if isinstance(item, Account):
                segment = segments.get(item.account_id)
                yield Job(position, item, segment, account_key(digest, item, segment))
                position += 1
