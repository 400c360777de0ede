"""Read a CSV/TSV file: encoding fallback, BOM, delimiter sniffing, a broken row reported."""

from __future__ import annotations

import codecs
import csv
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from playbook.tools.loading.columns import ColumnPlan, require_columns
from playbook.tools.loading.errors import LoadError, RowError
from playbook.tools.loading.rows import RowParser, tabular_rows
from playbook.tools.loading.stream import AccountStream
from playbook.tools.models.account import Account

__all__ = ["iter_csv"]

_DELIMITERS = (",", ";", "\t")
_CHUNK = 1 << 20


def _detect_encoding(path: Path) -> str:
    """utf-8-sig when the whole file decodes as UTF-8; else cp1252 (or latin-1)."""
    for encoding in ("utf-8-sig", "cp1252"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            with path.open("rb") as fh:
                while chunk := fh.read(_CHUNK):
                    decoder.decode(chunk)
                decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return encoding
    return "latin-1"


def _sniff_delimiter(sample: str) -> str:
    """Pick the delimiter of the first non-empty line (outside quotes): , ; or tab."""
    line = next((ln for ln in sample.splitlines() if ln.strip()), "")
    counts = dict.fromkeys(_DELIMITERS, 0)
    quoted = False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(_DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def iter_csv(path: Path, dayfirst: bool | None) -> AccountStream:
    """Stream a CSV/TSV file."""
    try:
        encoding = _detect_encoding(path)
        fh = path.open("r", encoding=encoding, newline="")
    except OSError as exc:
        raise LoadError(f"{path}: cannot read file ({exc.strerror or exc})") from exc
    try:
        pre: list[RowError] = []
        if encoding != "utf-8-sig":
            pre.append(
                RowError(
                    severity="warning", reason=f"file is not valid UTF-8; decoded as {encoding}"
                )
            )
        sample = fh.read(65536)
        fh.seek(0)
        delimiter = "\t" if path.suffix.lower() == ".tsv" else _sniff_delimiter(sample)
        reader = csv.reader(fh, delimiter=delimiter)
        header: list[str] | None = None
        header_row = 0
        for header_row, record in enumerate(reader, start=1):  # noqa: B007
            if any(cell.strip() for cell in record):
                header = [cell.strip().lstrip("\ufeff").strip() for cell in record]
                break
        if header is None:
            raise LoadError(f"{path}: no header row (the file is empty)")
        columns = ColumnPlan(dayfirst)
        cols, warnings = columns.plan(header)
        require_columns(columns, header, str(path))
    except csv.Error as exc:
        fh.close()
        raise LoadError(f"{path}: not a readable CSV file ({exc})") from exc
    except LoadError:
        fh.close()
        raise

    def rows() -> Iterator[tuple[int, Sequence[Any]]]:
        row_no = header_row
        try:
            for row_no, record in enumerate(reader, start=header_row + 1):  # noqa: B007
                yield row_no, record
        except csv.Error as exc:
            raise _CsvBroken(row_no + 1, str(exc)) from exc

    def items() -> Iterator[Account | RowError]:
        try:
            yield from tabular_rows(RowParser(columns), cols, rows(), pre + warnings)
        except _CsvBroken as exc:
            yield RowError(row=exc.row, reason=f"CSV cannot be read from here on: {exc.detail}")

    return AccountStream(columns, items(), fh.close)


class _CsvBroken(Exception):
    """The CSV reader gave up at a row."""

    def __init__(self, row: int, detail: str) -> None:
        super().__init__(detail)
        self.row = row
        self.detail = detail
