"""Loading problems: the file (`LoadError`), a row (`RowError`), a value (`BadValue`)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

__all__ = ["BadValue", "LoadError", "RowError"]


class LoadError(Exception):
    """The file as a whole cannot be loaded (unreadable, unsupported, no header...)."""


class BadValue(ValueError):
    """A value that cannot be used; the message is the reason shown to the user."""


class RowError(BaseModel):
    """One problem found in one row (or, with `row=None`, in the file's header).

    `row` is the row number a user sees in a spreadsheet (the header is row 1
    of a CSV/XLSX, so the first data row is 2) or the 1-based index of a JSON
    record. `column` is the header as written in the file, `field` the
    canonical column it maps to, `value` the value as given.
    """

    row: int | None = None
    account_id: str | None = None
    column: str | None = None
    field: str | None = None
    value: str | None = None
    reason: str
    severity: Literal["error", "warning"] = "error"

    def __str__(self) -> str:
        """E.g. `row 7, column nps, value '11': NPS must be 0-10`."""
        parts = [f"row {self.row}" if self.row is not None else "file"]
        if self.column is not None:
            col = self.column
            if self.field and self.field != self.column:
                col = f"{col} ({self.field})"
            parts.append(f"column {col}")
        if self.value is not None:
            parts.append(f"value {self.value!r}")
        return f"{', '.join(parts)}: {self.reason}"
