"""The stream of one source's accounts and row problems, and the result it collects into."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from types import TracebackType

from pydantic import BaseModel, Field

from playbook.tools.loading.columns import ColumnPlan
from playbook.tools.loading.errors import RowError
from playbook.tools.models.account import Account

__all__ = ["AccountStream", "LoadResult"]


class LoadResult(BaseModel):
    """Everything loaded from one source: accounts, row errors and warnings, header mapping."""

    accounts: list[Account] = Field(default_factory=list)
    errors: list[RowError] = Field(default_factory=list)
    warnings: list[RowError] = Field(default_factory=list)
    unknown_columns: list[str] = Field(
        default_factory=list, description="source headers not mapped (kept in Account.extra)"
    )
    column_map: dict[str, str] = Field(
        default_factory=dict,
        description="source header -> canonical column, e.g. 'MRR' -> 'arr (x12)'",
    )


class AccountStream(Iterator[Account | RowError]):
    """An iterator of `Account`s and `RowError`s (errors and warnings) from one source.

    `column_map` and `unknown_columns` are known once the header has been read
    (for files: as soon as the stream exists). Closes its file when exhausted;
    use it as a context manager (or call `close`) when stopping early.
    """

    def __init__(
        self,
        columns: ColumnPlan,
        items: Iterator[Account | RowError],
        closer: Callable[[], None] | None = None,
    ) -> None:
        self._columns = columns
        self._items = items
        self._closer = closer

    @property
    def column_map(self) -> dict[str, str]:
        """Source header -> canonical column (e.g. 'MRR' -> 'arr (x12)')."""
        return self._columns.column_map

    @property
    def unknown_columns(self) -> list[str]:
        """Source headers that map to no canonical column (kept in `Account.extra`)."""
        return self._columns.unknown_columns

    def __iter__(self) -> AccountStream:
        """Return the stream itself."""
        return self

    def __next__(self) -> Account | RowError:
        """Return the next account or row error."""
        try:
            return next(self._items)
        except StopIteration:
            self.close()
            raise

    def close(self) -> None:
        """Release the underlying file (idempotent)."""
        closer, self._closer = self._closer, None
        if closer is not None:
            closer()

    def __del__(self) -> None:
        """Release the file if the stream is dropped unfinished."""
        if getattr(self, "_closer", None) is not None:
            self.close()

    def __enter__(self) -> AccountStream:
        """Context-manager entry."""
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Close on exit."""
        self.close()

    def collect(self) -> LoadResult:
        """Drain the stream into a `LoadResult`."""
        result = LoadResult()
        accounts, errors, warnings = result.accounts, result.errors, result.warnings
        with self:
            for item in self:
                if isinstance(item, Account):
                    accounts.append(item)
                elif item.severity == "warning":
                    warnings.append(item)
                else:
                    errors.append(item)
        result.column_map = dict(self.column_map)
        result.unknown_columns = list(self.unknown_columns)
        return result
