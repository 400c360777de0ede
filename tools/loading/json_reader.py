"""Read accounts from records: a JSON file (an array, or {"accounts": [...]}) or rows in memory."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from playbook.tools.loading.columns import Column, ColumnPlan, require_columns
from playbook.tools.loading.errors import LoadError, RowError
from playbook.tools.loading.rows import RowParser
from playbook.tools.loading.stream import AccountStream
from playbook.tools.models.account import Account

__all__ = ["iter_json", "records_stream"]


def records_stream(
    records: Iterable[Any],
    start_row: int,
    dayfirst: bool | None,
    source: str | None,
) -> AccountStream:
    """Stream mapping records; keys are mapped up front when all records are at hand."""
    columns = ColumnPlan(dayfirst)
    parser = RowParser(columns)
    pre: list[RowError] = []
    if isinstance(records, Sequence) and records:
        keys: dict[str, None] = {}
        for rec in records:
            if isinstance(rec, Mapping):
                keys.update(dict.fromkeys(str(k) for k in rec))
        _cols, pre = columns.plan(list(keys))
        for key, col in zip(keys, _cols, strict=True):
            columns.key_cols[key] = col
        require_columns(columns, list(keys), source or "records")

    def items() -> Iterator[Account | RowError]:
        yield from pre
        key_col = columns.key_col
        for row_no, rec in enumerate(records, start=start_row):
            if not isinstance(rec, Mapping):
                yield RowError(
                    row=row_no,
                    value=None if rec is None else str(rec)[:80],
                    reason="expected an object with account columns; row skipped",
                )
                continue
            pairs: list[tuple[Column, Any]] = []
            for key, raw in rec.items():
                col, warnings = key_col(str(key))
                yield from warnings
                pairs.append((col, raw))
            yield from parser.row(row_no, pairs)

    return AccountStream(columns, items())


def iter_json(path: Path, dayfirst: bool | None) -> AccountStream:
    """Stream a JSON file: an array of objects or {"accounts": [...]}."""
    try:
        with path.open("r", encoding="utf-8-sig") as fh:
            data = json.load(fh)
    except OSError as exc:
        raise LoadError(f"{path}: cannot read file ({exc.strerror or exc})") from exc
    except UnicodeDecodeError as exc:
        raise LoadError(f"{path}: JSON must be UTF-8 ({exc.reason})") from exc
    except json.JSONDecodeError as exc:
        raise LoadError(
            f"{path}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from exc
    if isinstance(data, dict):
        key = next((k for k in data if str(k).strip().casefold() == "accounts"), None)
        if key is None or not isinstance(data[key], list):
            raise LoadError(f'{path}: expected an array of accounts or {{"accounts": [...]}}')
        data = data[key]
    if not isinstance(data, list):
        raise LoadError(f'{path}: expected an array of accounts or {{"accounts": [...]}}')
    return records_stream(data, 1, dayfirst, str(path))
