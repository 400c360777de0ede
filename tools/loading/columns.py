"""The columns of one source: which header feeds which canonical field, and how it is parsed.

`ColumnPlan` maps a header row (or JSON keys, as they come) once: each
canonical field is taken from its best-ranked source header, a second header
for a taken field is kept as an extra column with a warning, and unknown
headers are kept too (in `Account.extra`). It records the `column_map` and
`unknown_columns` a load reports.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from playbook.tools.loading.aliases import (
    CURRENCY,
    DATE,
    FIELD_KIND,
    INT,
    LIST,
    NPS,
    NUM,
    PCT,
    STATUS,
    TEXT,
)
from playbook.tools.loading.dates import parse_date
from playbook.tools.loading.errors import LoadError, RowError
from playbook.tools.loading.headers import lookup_header
from playbook.tools.loading.values import (
    parse_currency,
    parse_int,
    parse_list,
    parse_nps,
    parse_num,
    parse_pct,
    parse_status,
    parse_text,
)

__all__ = ["Column", "ColumnPlan", "require_columns"]

_PARSERS: dict[str, Callable[[Any], Any]] = {
    TEXT: parse_text,
    INT: parse_int,
    NUM: parse_num,
    PCT: parse_pct,
    NPS: parse_nps,
    LIST: parse_list,
    STATUS: parse_status,
    CURRENCY: parse_currency,
}


@dataclass(slots=True)
class Column:
    """One source column: its header, target field (None = extra) and parser."""

    header: str
    field: str | None
    kind: str
    parse: Callable[[Any], Any]
    factor: float


class ColumnPlan:
    """Maps the headers of one source to `Column`s, remembering which header feeds each field."""

    def __init__(self, dayfirst: bool | None) -> None:
        self.column_map: dict[str, str] = {}
        self.unknown_columns: list[str] = []
        self.key_cols: dict[str, Column] = {}  # for mapping records
        self._claimed: dict[str, tuple[int, str]] = {}  # field -> (rank, header)

        def p_date(raw: Any) -> date | None:
            return parse_date(raw, dayfirst=dayfirst)

        self._date_parser = p_date

    def _extra_col(self, header: str, unique: bool = False) -> Column:
        """Make a column kept in `Account.extra` (renamed "X (2)" when the header repeats)."""
        if unique and header in self.unknown_columns:
            n = 2
            while f"{header} ({n})" in self.unknown_columns:
                n += 1
            header = f"{header} ({n})"
        if header not in self.unknown_columns:
            self.unknown_columns.append(header)
        return Column(header, None, "", parse_text, 1.0)

    def plan(self, headers: Sequence[str]) -> tuple[list[Column], list[RowError]]:
        """Columns for a header row; the best-ranked source wins each field."""
        warnings: list[RowError] = []
        hits: list[tuple[str, int, float] | None] = []
        best: dict[str, tuple[int, int]] = {}  # field -> (rank, position)
        for pos, header in enumerate(headers):
            hit = lookup_header(header) if header else None
            hits.append(hit)
            if hit is None:
                continue
            field, rank = hit[0], hit[1]
            claimed = self._claimed.get(field)
            if claimed is not None:
                continue  # an earlier batch (JSON keys) already owns the field
            if field not in best or rank < best[field][0]:
                best[field] = (rank, pos)
        cols: list[Column] = []
        for pos, header in enumerate(headers):
            hit = hits[pos]
            if not header:
                cols.append(self._extra_col(f"column_{pos + 1}", unique=True))
                continue
            if hit is not None and best.get(hit[0], (0, -1))[1] == pos:
                field, rank, factor = hit
                self._claimed[field] = (rank, header)
                kind = FIELD_KIND[field]
                parse = self._date_parser if kind == DATE else _PARSERS.get(kind, parse_text)
                cols.append(Column(header, field, kind, parse, factor))
                self.column_map[header] = field if factor == 1.0 else f"{field} (x{factor:g})"
                continue
            if hit is not None:
                owner_pos = best.get(hit[0], (0, -1))[1]
                owner = headers[owner_pos] if owner_pos >= 0 else self.headers_for(hit[0])
                warnings.append(
                    RowError(
                        column=header,
                        field=hit[0],
                        severity="warning",
                        reason=f"also maps to {hit[0]}, which is taken from column "
                        f"{owner!r}; kept as an extra column",
                    )
                )
            cols.append(self._extra_col(header, unique=True))
        return cols, warnings

    def key_col(self, key: str) -> tuple[Column, list[RowError]]:
        """Column for one record key (JSON), resolved on first sight."""
        col = self.key_cols.get(key)
        if col is not None:
            return col, []
        cols, warnings = self.plan([key])
        self.key_cols[key] = cols[0]
        return cols[0], warnings

    def has_field(self, field: str) -> bool:
        """Whether some source column maps to the field."""
        return field in self._claimed

    def headers_for(self, field: str) -> str:
        """Return the source header that feeds a field (or the field name)."""
        claimed = self._claimed.get(field)
        return claimed[1] if claimed else field


def require_columns(columns: ColumnPlan, headers: Sequence[str], source: str) -> None:
    """LoadError unless an account-id and an account-name column were found."""
    shown = ", ".join(repr(h) for h in headers[:40] if h) or "none"
    if not columns.has_field("account_id"):
        raise LoadError(
            f"{source}: no account id column (looked for account_id, 'Account ID', "
            f"'Record ID', 'Salesforce ID', 'Id'...); columns found: {shown}"
        )
    if not columns.has_field("account_name"):
        raise LoadError(
            f"{source}: no account name column (looked for account_name, 'Account Name', "
            f"'Company name', 'Company'...); columns found: {shown}"
        )
