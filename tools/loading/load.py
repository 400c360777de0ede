"""The entry points: a file read by the reader for its extension, or records in memory."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from playbook.tools.loading.csv_reader import iter_csv
from playbook.tools.loading.errors import LoadError
from playbook.tools.loading.json_reader import iter_json, records_stream
from playbook.tools.loading.stream import AccountStream, LoadResult
from playbook.tools.loading.xlsx_reader import iter_xlsx

__all__ = ["iter_accounts", "iter_records", "load_accounts", "parse_records"]

_READERS: dict[str, Callable[[Path, bool | None], AccountStream]] = {
    ".csv": iter_csv,
    ".tsv": iter_csv,
    ".txt": iter_csv,
    ".xlsx": iter_xlsx,
    ".xlsm": iter_xlsx,
    ".json": iter_json,
}


def iter_accounts(path: Path | str, *, dayfirst: bool | None = None) -> AccountStream:
    """Stream the accounts of a CSV, XLSX or JSON file, one `Account` or `RowError` at a time.

    `dayfirst=None` refuses ambiguous numeric dates (03/04/2026); True or
    False reads them day-first or month-first. The header is read (and
    `LoadError` raised for file-level problems) before this returns.
    """
    path = Path(path)
    reader = _READERS.get(path.suffix.lower())
    if reader is None:
        hint = " (save it as .xlsx)" if path.suffix.lower() == ".xls" else ""
        raise LoadError(
            f"{path}: unsupported file type {path.suffix or '(none)'!r}{hint}; "
            "use .csv, .xlsx or .json"
        )
    if not path.is_file():
        raise LoadError(f"{path}: no such file")
    return reader(path, dayfirst)


def load_accounts(path: Path | str, *, dayfirst: bool | None = None) -> LoadResult:
    """Load every account of a CSV, XLSX or JSON file (see `iter_accounts`)."""
    return iter_accounts(path, dayfirst=dayfirst).collect()


def iter_records(
    records: Iterable[Mapping[str, Any]],
    *,
    start_row: int = 1,
    dayfirst: bool | None = None,
) -> AccountStream:
    """Stream accounts from in-memory rows (dicts keyed by source headers).

    `start_row` is the row number of the first record (1 for JSON-like data,
    2 for rows read from a spreadsheet with its header on row 1). A list of
    records without an account-id or name key raises `LoadError`.
    """
    return records_stream(records, start_row, dayfirst, None)


def parse_records(
    records: Iterable[Mapping[str, Any]],
    *,
    start_row: int = 1,
    dayfirst: bool | None = None,
) -> LoadResult:
    """Load accounts from in-memory rows (an upload, JSON already parsed); see `iter_records`."""
    return iter_records(records, start_row=start_row, dayfirst=dayfirst).collect()
