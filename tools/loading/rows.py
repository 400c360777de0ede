"""Turn one source row into an `Account`, or into the `RowError`s that explain why not.

A bad value is reported (row, column, value, reason) and only that field is
left unset. A row without an account id or name, or with an id seen before, is
rejected with an error; no row ever stops the others. Warnings flag values
that parse but look wrong (an amount marked in another currency, more seats
used than ten times those purchased).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from pydantic import ValidationError

from playbook.tools.loading.aliases import MONEY
from playbook.tools.loading.columns import Column, ColumnPlan
from playbook.tools.loading.errors import BadValue, RowError
from playbook.tools.loading.values import SHARED_SYMBOLS, is_blank, parse_money, shown
from playbook.tools.models.account import Account

__all__ = ["RowParser", "tabular_rows"]

_SEATS_ABSURD_FACTOR = 10


class RowParser:
    """Turns rows of one source, mapped by its `ColumnPlan`, into `Account`s and `RowError`s."""

    def __init__(self, columns: ColumnPlan) -> None:
        self.columns = columns
        self._seen_ids: dict[tuple[str, Any], int | None] = {}

    def row(
        self, row_no: int | None, pairs: Iterable[tuple[Column, Any]]
    ) -> list[Account | RowError]:
        """One row's output: its errors and warnings, then the account (unless rejected)."""
        clean: dict[str, Any] = {}
        extra: dict[str, Any] = {}
        raws: dict[str, Any] = {}
        bad: list[tuple[Column, Any, str]] = []
        warn: list[tuple[Column | None, Any, str]] = []
        money_cur: tuple[Column, str] | None = None
        for col, raw in pairs:
            field = col.field
            if field is None:
                if not is_blank(raw) and not (type(raw) is float and raw != raw):
                    extra[col.header] = raw
                continue
            raws[field] = raw
            try:
                if col.kind == MONEY:
                    money = parse_money(raw)
                    if money is None:
                        continue
                    value: Any = money[0] * col.factor
                    if money[1] is not None:
                        money_cur = (col, money[1])
                else:
                    value = col.parse(raw)
            except BadValue as exc:
                bad.append((col, raw, str(exc)))
                continue
            if value is not None:
                clean[field] = value

        if not clean and not bad and not extra:
            return []  # a blank row
        account_id: str | None = clean.get("account_id")
        out: list[Account | RowError] = []

        def err(col_name: str, fld: str | None, raw: Any, reason: str, severity: str) -> None:
            out.append(
                RowError(
                    row=row_no,
                    account_id=account_id,
                    column=col_name,
                    field=fld,
                    value=shown(raw),
                    reason=reason,
                    severity="warning" if severity == "warning" else "error",
                )
            )

        for col, raw, reason in bad:
            err(col.header, col.field, raw, reason, "error")

        reject: str | None = None
        reject_field = "account_id"
        if account_id is None:
            reject = "account_id is missing; row skipped"
        elif (account_id, clean.get("snapshot_date")) in self._seen_ids:
            first = self._seen_ids[(account_id, clean.get("snapshot_date"))]
            where = f" (first in row {first})" if first is not None else ""
            reject = f"duplicate account_id{where}; row skipped"
        elif clean.get("account_name") is None:
            reject, reject_field = "account_name is missing; row skipped", "account_name"
        if reject is not None:
            header = self.columns.headers_for(reject_field)
            err(header, reject_field, raws.get(reject_field), reject, "error")
            return out
        assert account_id is not None
        self._seen_ids[(account_id, clean.get("snapshot_date"))] = row_no

        if money_cur is not None:
            col, cur = money_cur
            given = clean.get("currency")
            shared = SHARED_SYMBOLS.get(cur)
            if given is None:
                clean["currency"] = shared or cur
            elif shared is None and given != cur:
                warn.append(
                    (
                        col,
                        raws.get("arr"),
                        f"amount is marked {cur} but currency is {given}; currency column kept",
                    )
                )
        purchased, used = clean.get("seats_purchased"), clean.get("seats_used")
        if purchased and used is not None and used > _SEATS_ABSURD_FACTOR * purchased:
            warn.append(
                (
                    None,
                    used,
                    f"seats_used is more than {_SEATS_ABSURD_FACTOR}x "
                    f"seats_purchased ({purchased}); check the columns",
                )
            )
        for wcol, raw, reason in warn:
            if wcol is None:
                err(self.columns.headers_for("seats_used"), "seats_used", raw, reason, "warning")
            else:
                err(wcol.header, wcol.field, raw, reason, "warning")

        clean["row"] = row_no
        if extra:
            clean["extra"] = extra
        try:
            # Values are already clean; pydantic-core re-checks them faster than
            # model_construct would skip the check.
            out.append(Account.model_validate(clean))
        except ValidationError as exc:  # a parser bug, never a user error: still per row
            err(self.columns.headers_for("account_id"), None, None, f"internal: {exc}", "error")
        return out


def tabular_rows(
    parser: RowParser,
    cols: list[Column],
    rows: Iterator[tuple[int, Sequence[Any]]],
    pre: list[RowError],
) -> Iterator[Account | RowError]:
    """Rows of a CSV/XLSX body (row number, cell values) -> accounts and errors."""
    yield from pre
    ncols = len(cols)
    row_fn = parser.row
    for row_no, values in rows:
        if len(values) > ncols:
            overflow = values[ncols:]
            values = values[:ncols]
            if not all(is_blank(v) for v in overflow):
                yield RowError(
                    row=row_no,
                    severity="warning",
                    reason=f"{len(overflow)} value(s) beyond the last header column ignored",
                )
        yield from row_fn(row_no, zip(cols, values, strict=False))
