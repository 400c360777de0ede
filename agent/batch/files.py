"""The files of a batch run: safe names, fast atomic writes, the brief JSON, errors and manifest.

Layout of ``DIR``::

    briefs/<safe id>.md     one brief per account (Markdown)
    briefs/<safe id>.json   the brief's contract JSON + rubric report + a ``batch`` block
    ranked.csv, offer_map.md, trigger_log.csv, calendar.csv, calendar.ics, index.md
    errors.csv              row problems from loading and per-account failures
    run.json                the run's manifest: settings, input hash, counts, timings, cost
    .batch.lock             held while a batch writes here (a second one is refused)
    .guidance/              situations' guidance shared by worker processes
    .checkpoints.sqlite     LLM modes: checkpoints of accounts not finished yet

Briefs are written with a temp file and a rename but without ``fsync`` (a killed
process never leaves a partial file; only a power cut could lose the last briefs,
and a re-run redoes them). The portfolio files, errors.csv and run.json go through
`tools.export.write_atomic`, which also fsyncs.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from playbook.tools.models.assessment import Assessment, CalendarStep

__all__ = [
    "BRIEFS_DIR",
    "ERROR_COLUMNS",
    "BriefPaths",
    "ErrorRow",
    "brief_document",
    "brief_paths",
    "clean_partial_files",
    "errors_csv",
    "facts_from_document",
    "file_sha256",
    "read_brief_document",
    "safe_name",
    "write_fast",
]

BRIEFS_DIR = "briefs"
TMP_SUFFIX = ".tmp"
MAX_NAME = 80
ERROR_COLUMNS = ("stage", "row", "account_id", "column", "value", "reason", "severity")
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_CALENDAR_FIELDS = tuple(CalendarStep.model_fields)
_FACT_FIELDS = tuple(name for name in Assessment.model_fields if name != "calendar")


def safe_name(account_id: str) -> str:
    """File stem for an account id: letters, digits, ``._-``; a hash keeps altered ids unique.

    >>> safe_name("A-17")
    'A-17'
    >>> safe_name("acme/emea 1")[:12]
    'acme_emea_1-'
    """
    stem = _UNSAFE.sub("_", account_id).strip("._")[:MAX_NAME] or "account"
    if stem != account_id:
        stem += "-" + hashlib.sha256(account_id.encode("utf-8")).hexdigest()[:8]
    return stem


@dataclass(frozen=True)
class BriefPaths:
    """Where one account's brief lives, absolute and relative to the out dir."""

    markdown: Path
    json: Path
    link: str


def brief_paths(out_dir: Path, account_id: str) -> BriefPaths:
    """Return the Markdown and JSON paths of an account's brief."""
    stem = safe_name(account_id)
    folder = out_dir / BRIEFS_DIR
    return BriefPaths(folder / f"{stem}.md", folder / f"{stem}.json", f"{BRIEFS_DIR}/{stem}.md")


def write_fast(path: Path, data: bytes) -> None:
    """Write ``path`` atomically (temp file in the same folder, then rename), without fsync."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}{TMP_SUFFIX}")
    renamed = False
    try:
        with open(tmp, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
        renamed = True
    finally:
        if not renamed:
            tmp.unlink(missing_ok=True)


def clean_partial_files(folder: Path) -> int:
    """Delete temp files a killed run left in ``folder``; return how many."""
    removed = 0
    if not folder.is_dir():
        return 0
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.name.startswith(".") and entry.name.endswith(TMP_SUFFIX):
                Path(entry.path).unlink(missing_ok=True)
                removed += 1
    return removed


def file_sha256(path: Path) -> str:
    """Return the sha256 of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def brief_document(
    contract: dict[str, Any], report: Mapping[str, Any], batch: Mapping[str, Any]
) -> bytes:
    """Encode the per-brief JSON: the ``batch`` block, the contract's brief, ``check``."""
    document: dict[str, Any] = {"batch": dict(batch), **contract, "check": dict(report)}
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def read_brief_document(path: Path) -> dict[str, Any] | None:
    """Return a brief JSON written by a batch, or None when absent, unreadable or partial."""
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("batch"), dict):
        return None
    return data


def facts_from_document(document: Mapping[str, Any]) -> Assessment:
    """Rebuild the decided facts from a brief JSON (the calendar comes from its sections).

    Raises:
        pydantic.ValidationError: when the document does not hold a valid assessment.
    """
    facts = {name: document[name] for name in _FACT_FIELDS if name in document}
    sections = document.get("sections") or {}
    facts["calendar"] = [
        {name: week.get(name) for name in _CALENDAR_FIELDS} for week in sections.get("calendar", [])
    ]
    return Assessment.model_validate(facts)


@dataclass(frozen=True)
class ErrorRow:
    """One line of errors.csv: a row problem from loading or an account whose brief failed."""

    stage: str
    reason: str
    row: int | None = None
    account_id: str | None = None
    column: str | None = None
    value: str | None = None
    severity: str = "error"

    def as_dict(self) -> dict[str, Any]:
        """Return the CSV row."""
        return {
            "stage": self.stage,
            "row": "" if self.row is None else self.row,
            "account_id": self.account_id or "",
            "column": self.column or "",
            "value": "" if self.value is None else self.value,
            "reason": self.reason,
            "severity": self.severity,
        }


def errors_csv(rows: Iterable[ErrorRow]) -> str:
    """Return the text of errors.csv (only the header when there is nothing to report)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(ERROR_COLUMNS))
    writer.writeheader()
    writer.writerows(row.as_dict() for row in rows)
    return buffer.getvalue()
