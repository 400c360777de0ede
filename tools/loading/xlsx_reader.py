"""Read an XLSX workbook (openpyxl, read-only): the 'accounts' sheet, or the first one.

The header is the first row that names an account-id column among the first
rows (report exports put a title above it). A number in a %-formatted cell of
a percentage column is scaled to the figure shown (0.87 -> 87).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from playbook.tools.loading.aliases import PCT
from playbook.tools.loading.columns import ColumnPlan, require_columns
from playbook.tools.loading.errors import LoadError
from playbook.tools.loading.headers import lookup_header
from playbook.tools.loading.rows import RowParser, tabular_rows
from playbook.tools.loading.stream import AccountStream
from playbook.tools.loading.values import is_blank, shown

__all__ = ["iter_xlsx"]

_XLSX_HEADER_SCAN = 30


def iter_xlsx(path: Path, dayfirst: bool | None) -> AccountStream:
    """Stream the 'accounts' sheet (or the first sheet) of a workbook."""
    import zipfile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except (OSError, zipfile.BadZipFile, InvalidFileException, KeyError, ValueError) as exc:
        raise LoadError(f"{path}: not a readable .xlsx workbook ({exc})") from exc
    try:
        sheets = wb.worksheets
        if not sheets:
            raise LoadError(f"{path}: the workbook has no worksheet")
        ws = next((s for s in sheets if s.title.strip().casefold() == "accounts"), sheets[0])
        if hasattr(ws, "reset_dimensions"):
            ws.reset_dimensions()  # do not trust the stored sheet size
        header, header_row = _xlsx_header(ws.iter_rows(max_row=_XLSX_HEADER_SCAN, values_only=True))
        if header is None:
            raise LoadError(f"{path}: sheet {ws.title!r} has no header row (it is empty)")
        while header and not header[-1]:
            header.pop()
        columns = ColumnPlan(dayfirst)
        cols, warnings = columns.plan(header)
        require_columns(columns, header, f"{path} [{ws.title}]")
    except LoadError:
        wb.close()
        raise

    pct_positions = [i for i, col in enumerate(cols) if col.kind == PCT]
    if pct_positions:  # reading cell formats is slower: only when the column is %-formatted
        peek = ws.iter_rows(min_row=header_row + 1, max_row=header_row + _XLSX_HEADER_SCAN)
        formatted = any(
            "%" in (getattr(cells[i], "number_format", None) or "")
            for cells in peek
            for i in pct_positions
            if i < len(cells)
        )
        peek.close()
        if not formatted:
            pct_positions = []
    body: Iterator[tuple[int, Sequence[Any]]]
    if pct_positions:
        body = _xlsx_percent_rows(ws.iter_rows(min_row=header_row + 1), header_row, pct_positions)
    else:
        body = enumerate(ws.iter_rows(min_row=header_row + 1, values_only=True), header_row + 1)
    items = tabular_rows(RowParser(columns), cols, body, warnings)
    return AccountStream(columns, items, wb.close)


def _xlsx_header(rows: Iterator[Sequence[Any]]) -> tuple[list[str] | None, int]:
    """Find the header row and its number.

    The header is the first row naming an account-id column among the first
    rows (report exports put a title above it), else the first non-empty row.
    """
    first: tuple[list[str], int] | None = None
    for row_no, values in enumerate(rows, start=1):
        if all(is_blank(v) for v in values):
            continue
        header = [(shown(v) or "").strip() for v in values]
        if any((lookup_header(h) or ("",))[0] == "account_id" for h in header if h):
            return header, row_no
        if first is None:
            first = (header, row_no)
    return (first[0], first[1]) if first else (None, 0)


def _xlsx_percent_rows(
    rows: Iterator[Sequence[Any]], header_row: int, positions: list[int]
) -> Iterator[tuple[int, Sequence[Any]]]:
    """Cell values per row; a %-formatted number in a percentage column is scaled (0.87 -> 87)."""
    for row_no, cells in enumerate(rows, header_row + 1):
        values = [cell.value for cell in cells]
        for i in positions:
            if i < len(values):
                v = values[i]
                if (
                    isinstance(v, int | float)
                    and not isinstance(v, bool)
                    and "%" in (getattr(cells[i], "number_format", None) or "")
                ):
                    values[i] = round(v * 100, 9)
        yield row_no, values
