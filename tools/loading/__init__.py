"""Load customer accounts from CSV, XLSX or JSON into canonical `Account` rows.

Headers are matched case-, spacing- and punctuation-insensitively against the
contract's canonical column names and the aliases real CRM / CS exports use
(HubSpot, Salesforce, Gainsight). Every value is parsed by a small typed
function; a bad value is reported (row, column, value, reason) and only that
field is left unset. A row without an account id or name, or with an id seen
before, is rejected with an error; no row ever stops the others. Problems with
the file itself (unreadable, unsupported type, no header, no account-id
column) raise `LoadError`.

`iter_accounts` streams (one `Account` or `RowError` at a time), for books of
tens of thousands of rows; `load_accounts` collects the stream into a
`LoadResult`. `parse_records` / `iter_records` do the same for rows that come
from elsewhere (an upload, JSON already in memory).

Modules, lowest first: `aliases` (column names and alias tables), `errors`,
`headers` (header -> canonical column), `values` and `dates` (cell parsers),
`columns` (one source's column plan), `rows` (row -> `Account` or `RowError`),
`stream` (`AccountStream`, `LoadResult`), one reader per format
(`csv_reader`, `xlsx_reader`, `json_reader`) and `load` (the entry points).
`catalog` loads the offer catalog with the same value parsers.
"""

from __future__ import annotations

from playbook.tools.loading.dates import parse_date
from playbook.tools.loading.errors import LoadError, RowError
from playbook.tools.loading.headers import canonical_columns, map_header, normalize_header
from playbook.tools.loading.load import iter_accounts, iter_records, load_accounts, parse_records
from playbook.tools.loading.stream import AccountStream, LoadResult
from playbook.tools.loading.values import parse_number, split_list

__all__ = [
    "AccountStream",
    "LoadError",
    "LoadResult",
    "RowError",
    "canonical_columns",
    "iter_accounts",
    "iter_records",
    "load_accounts",
    "map_header",
    "normalize_header",
    "parse_date",
    "parse_number",
    "parse_records",
    "split_list",
]
