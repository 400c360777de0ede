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
"""

from __future__ import annotations

import codecs
import csv
import json
import math
import numbers
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from types import TracebackType
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError

from playbook.tools.models.account import Account
from playbook.tools.vocab import RelationshipStatus

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


# ---------------------------------------------------------------------------
# Public result types


class LoadError(Exception):
    """The file as a whole cannot be loaded (unreadable, unsupported, no header...)."""


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


# ---------------------------------------------------------------------------
# Header matching: a data table, not if-chains.

# kinds of canonical columns
_TEXT = "text"
_MONEY = "money"
_INT = "int"
_NUM = "num"
_PCT = "pct"
_NPS = "nps"
_DATE = "date"
_LIST = "list"
_STATUS = "status"
_CURRENCY = "currency"

_FIELD_KIND: dict[str, str] = {
    "account_id": _TEXT,
    "account_name": _TEXT,
    "contact_name": _TEXT,
    "contact_role": _TEXT,
    "plan": _TEXT,
    "arr": _MONEY,
    "currency": _CURRENCY,
    "relationship_status": _STATUS,
    "seats_purchased": _INT,
    "seats_used": _INT,
    "usage_limit": _NUM,
    "usage_current": _NUM,
    "active_users": _INT,
    "logins_per_month": _NUM,
    "team_size_at_purchase": _INT,
    "team_size_now": _INT,
    "departments_at_purchase": _INT,
    "departments_now": _INT,
    "company_employees_at_purchase": _INT,
    "company_employees_now": _INT,
    "company_revenue_growth_pct": _PCT,
    "positive_outcome": _TEXT,
    "positive_outcome_date": _DATE,
    "nps": _NPS,
    "nps_date": _DATE,
    "feature_requests": _LIST,
    "new_initiative": _TEXT,
    "renewal_date": _DATE,
    "open_tickets_high": _INT,
    "last_contact_date": _DATE,
    "products_owned": _LIST,
    "notes": _TEXT,
    "notes_date": _DATE,
}

# Aliases per canonical column, best first (earlier = preferred when two
# columns of one file map to the same field). The canonical name always matches.
# Deliberately NOT aliased: "Annual Revenue" (HubSpot/Salesforce: the company's
# own revenue, not what it pays us), "Amount" (an opportunity), "Company Size"
# (a range like 51-200), "Health Score" (often a 0-100 number), "Status".
_ALIASES: dict[str, tuple[str, ...]] = {
    "account_id": (
        "Account ID",
        "Record ID",
        "Salesforce ID",
        "SFDC ID",
        "Salesforce Account ID",
        "Company ID",
        "Customer ID",
        "Client ID",
        "GSID",
        "Company GSID",
        "HubSpot ID",
        "CRM ID",
        "Account Number",
        "Customer Number",
        "Id",
    ),
    "account_name": (
        "Account Name",
        "Company name",
        "Customer Name",
        "Client Name",
        "Organization Name",
        "Organisation Name",
        "Company",
        "Account",
        "Customer",
        "Client",
        "Organization",
        "Organisation",
        "Name",
    ),
    "contact_name": (
        "Primary Contact",
        "Primary Contact Name",
        "Champion",
        "Champion Name",
        "Contact Name",
        "Main Contact",
        "Key Contact",
        "Contact",
    ),
    "contact_role": (
        "Contact Title",
        "Contact Role",
        "Primary Contact Title",
        "Primary Contact Role",
        "Champion Title",
        "Champion Role",
        "Job Title",
        "Title",
        "Role",
    ),
    "plan": (
        "Plan",
        "Plan Name",
        "Current Plan",
        "Plan Tier",
        "Tier",
        "Product Tier",
        "Subscription Tier",
        "Edition",
        "Subscription",
        "Subscription Plan",
        "Package",
        "Pricing Plan",
    ),
    "arr": (
        "Annual Recurring Revenue",
        "ARR",
        "Current ARR",
        "Contract Value",
        "ACV",
        "Annual Contract Value",
        "Annual Value",
        "Annual Spend",
        "Spend",
    ),
    "currency": ("Currency", "Currency Code", "Account Currency", "CCY"),
    "relationship_status": (
        "Relationship",
        "Relationship Status",
        "Health",
        "Account Health",
        "Health Status",
        "Customer Health",
        "Overall Health",
        "Health Color",
        "Health Colour",
        "Sentiment",
    ),
    "seats_purchased": (
        "Licenses Purchased",
        "Licences Purchased",
        "Seats Purchased",
        "Purchased Seats",
        "Licensed Seats",
        "Seats",
        "Licenses",
        "Licences",
        "License Count",
        "Licence Count",
        "Contracted Seats",
        "Paid Seats",
        "Seat Count",
        "Licensed Users",
    ),
    "seats_used": (
        "Licenses Used",
        "Licences Used",
        "Seats Used",
        "Used Seats",
        "Assigned Licenses",
        "Assigned Licences",
        "Licenses Assigned",
        "Assigned Seats",
        "Seats Assigned",
        "Active Seats",
        "Occupied Seats",
    ),
    "usage_limit": (
        "Usage Limit",
        "Volume Limit",
        "Quota",
        "Usage Quota",
        "API Limit",
        "Plan Limit",
        "Capacity",
        "Entitlement",
    ),
    "usage_current": (
        "Current Usage",
        "Usage Current",
        "Volume Used",
        "Usage Volume",
        "API Calls",
        "Consumption",
    ),
    "active_users": (
        "Active Users",
        "Monthly Active Users",
        "MAU",
        "Unique Users",
        "Distinct Users",
        "Users Active",
    ),
    "logins_per_month": (
        "Monthly Logins",
        "Logins (30d)",
        "Logins Per Month",
        "Logins Last 30 Days",
        "Logins 30 Days",
        "Logins",
        "Sessions Per Month",
        "Monthly Sessions",
        "Sessions (30d)",
    ),
    "team_size_at_purchase": (
        "Team Size At Purchase",
        "Initial Team Size",
        "Team Size At Signing",
        "Starting Team Size",
        "Original Team Size",
    ),
    "team_size_now": ("Team Size Now", "Current Team Size", "Team Size"),
    "departments_at_purchase": (
        "Departments At Purchase",
        "Initial Departments",
        "Departments At Signing",
        "Original Departments",
    ),
    "departments_now": (
        "Departments Now",
        "Current Departments",
        "Departments",
        "Departments Using",
        "Number Of Departments",
    ),
    "company_employees_at_purchase": (
        "Employees At Purchase",
        "Employee Count At Purchase",
        "Employees At Signing",
        "Initial Employees",
        "Company Employees At Purchase",
    ),
    "company_employees_now": (
        "Employees",
        "Employee Count",
        "Number Of Employees",
        "Company Employees",
        "Employees Now",
        "Headcount",
        "Current Employees",
    ),
    "company_revenue_growth_pct": (
        "Revenue Growth",
        "Revenue Growth %",
        "Revenue Growth Pct",
        "Company Revenue Growth",
        "Company Growth",
        "Company Growth %",
    ),
    "positive_outcome": (
        "Positive Outcome",
        "Last Win",
        "Latest Win",
        "Recent Win",
        "Success Story",
        "ROI",
        "Outcome",
    ),
    "positive_outcome_date": (
        "Positive Outcome Date",
        "Last Win Date",
        "Win Date",
        "Outcome Date",
        "ROI Date",
    ),
    "nps": ("NPS Score", "NPS", "Latest NPS", "Last NPS", "NPS Rating", "Latest NPS Score"),
    "nps_date": (
        "NPS Date",
        "NPS Response Date",
        "NPS Survey Date",
        "Last NPS Date",
        "Latest NPS Date",
        "NPS Submitted",
    ),
    "feature_requests": (
        "Feature Requests",
        "Requested Features",
        "Features Requested",
        "Feature Asks",
        "Product Requests",
    ),
    "new_initiative": ("New Initiative", "Initiative", "New Project", "Upcoming Project"),
    "renewal_date": (
        "Renewal Date",
        "Contract End Date",
        "Next Renewal",
        "Next Renewal Date",
        "Contract End",
        "Contract Renewal Date",
        "Subscription End Date",
        "Renewal",
    ),
    "open_tickets_high": (
        "Open P1 Tickets",
        "Open High Priority Tickets",
        "Open Critical Tickets",
        "Open High Tickets",
        "Open High Severity Tickets",
        "Open P1/P2 Tickets",
        "High Priority Tickets",
        "Critical Tickets",
        "P1 Tickets",
        "Open Escalations",
    ),
    "last_contact_date": (
        "Last Activity Date",
        "Last Touch",
        "Last Touch Date",
        "Last Contact",
        "Last Contacted",
        "Last Contact Date",
        "Last Activity",
        "Last Engagement Date",
        "Last Meeting Date",
        "Last Call Date",
    ),
    "products_owned": (
        "Products Owned",
        "Products",
        "Owned Products",
        "Product",
        "Modules",
        "Product Lines",
    ),
    "notes": (
        "CSM Notes",
        "Call Notes",
        "Notes",
        "Account Notes",
        "Meeting Notes",
        "Comments",
    ),
    "notes_date": ("Notes Date", "Note Date", "Call Date"),
}

# Monthly amounts: mapped to arr and multiplied by 12 (ranked after any ARR column).
_MRR_ALIASES: tuple[str, ...] = (
    "MRR",
    "Monthly Recurring Revenue",
    "Current MRR",
    "Monthly Contract Value",
    "Monthly Spend",
)
_MRR_FACTOR = 12.0
_MRR_RANK = 500

# Qualifiers some exports put before every field ("Account: Renewal Date", "Company Plan").
_PREFIXES: tuple[str, ...] = ("account", "company", "customer", "client")

_NORM_RE = re.compile(r"[^0-9a-z]+")
_PAREN_RE = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_SF_CUSTOM_RE = re.compile(r"__c\s*$", re.IGNORECASE)


def normalize_header(header: str) -> str:
    """Header key: lower-case letters and digits only ("Logins (30d)" -> "logins30d")."""
    return _NORM_RE.sub("", header.casefold())


def _build_index() -> dict[str, tuple[str, int, float]]:
    """Build normalized alias -> (canonical field, rank, factor); refuse alias collisions."""
    index: dict[str, tuple[str, int, float]] = {}

    def add(alias: str, field: str, rank: int, factor: float) -> None:
        key = normalize_header(alias)
        old = index.get(key)
        if old is not None and old[0] != field:
            raise RuntimeError(f"alias {alias!r} maps to both {old[0]} and {field}")
        if old is None or rank < old[1]:
            index[key] = (field, rank, factor)

    for field in _FIELD_KIND:
        add(field, field, 0, 1.0)
    for field, aliases in _ALIASES.items():
        for rank, alias in enumerate(aliases, start=1):
            add(alias, field, rank, 1.0)
    for rank, alias in enumerate(_MRR_ALIASES, start=_MRR_RANK):
        add(alias, "arr", rank, _MRR_FACTOR)
    return index


_HEADER_INDEX = _build_index()


def canonical_columns() -> list[str]:
    """Return the canonical account columns, in contract order."""
    return list(_FIELD_KIND)


def map_header(header: str) -> tuple[str, float] | None:
    """Canonical field and multiplier for one source header, or None when unknown.

    >>> map_header("Monthly Recurring Revenue")
    ('arr', 12.0)
    """
    hit = _lookup_header(header)
    return None if hit is None else (hit[0], hit[2])


def _lookup_header(header: str) -> tuple[str, int, float] | None:
    """Find (field, rank, factor) for a header; a "%" header only maps to a percentage field."""
    hit = _lookup_header_key(header)
    if hit is not None and "%" in header and _FIELD_KIND[hit[0]] != _PCT:
        return None  # "Seats Used %" is a ratio, not seats_used
    return hit


def _lookup_header_key(header: str) -> tuple[str, int, float] | None:
    """Try the exact alias, then without (...)/[...]/__c, then without an account/company prefix."""
    hit = _HEADER_INDEX.get(normalize_header(header))
    if hit is not None:
        return hit
    key = normalize_header(_PAREN_RE.sub(" ", _SF_CUSTOM_RE.sub("", header)))
    hit = _HEADER_INDEX.get(key)
    if hit is not None:
        return hit[0], hit[1] + 100, hit[2]
    for prefix in _PREFIXES:
        if key.startswith(prefix) and len(key) > len(prefix):
            hit = _HEADER_INDEX.get(key[len(prefix) :])
            if hit is not None:
                return hit[0], hit[1] + 200, hit[2]
    return None


# ---------------------------------------------------------------------------
# Value parsing: small fast functions; `_Bad` carries the reason.


class _Bad(ValueError):
    """A value that cannot be used; the message is the reason shown to the user."""


_MISSING: frozenset[str] = frozenset(
    {
        "",
        "n/a",
        "na",
        "n.a.",
        "#n/a",
        "-",
        "--",
        "\u2014",
        "\u2013",
        "null",
        "none",
        "nil",
        "nan",
        "tbd",
        "unknown",
        "?",
    }
)

_CURRENCY_SYMBOLS: dict[str, str] = {
    "$": "USD",
    "us$": "USD",
    "€": "EUR",
    "£": "GBP",
    "¥": "JPY",
    "₹": "INR",
}
# Symbols several currencies share: they suggest a currency, never contradict one.
_SHARED_SYMBOLS: dict[str, str] = {"$": "USD", "¥": "JPY"}

_NUMBER_RE = re.compile(
    r"""^
    (?P<open>\()?\s*
    (?P<sign1>[-+])?\s*
    (?:(?P<cur1>US\$|us\$|[A-Za-z]{3}|[$€£¥₹])\s*)?
    (?P<sign2>[-+])?\s*
    (?P<num>[0-9](?:[0-9,'\u00a0\u202f ]*[0-9])?(?:\.[0-9]+)?|\.[0-9]+)
    \s*(?P<mult>[kKmMbB]|bn|BN|Bn|mm|MM|mn|MN)?
    \s*(?P<cur2>[A-Za-z]{3}|[$€£¥₹])?
    \s*(?P<pct>%)?
    \s*(?P<close>\))?
    $""",
    re.VERBOSE,
)
_EURO_FORMAT_RE = re.compile(r"\d{1,3}(?:\.\d{3})+,\d+|\d+,\d{1,2}$")
_MULTIPLIERS: dict[str, float] = {"k": 1e3, "m": 1e6, "mm": 1e6, "mn": 1e6, "b": 1e9, "bn": 1e9}


_MISSING_MAX_LEN = max(len(t) for t in _MISSING)


def _missing_str(s: str) -> bool:
    """Tell blank and the usual 'no value' tokens (n/a, -, null, none...); `s` is stripped."""
    return not s or (len(s) <= _MISSING_MAX_LEN and s.casefold() in _MISSING)


def _plain_digits(num: str) -> str:
    """Remove thousands separators, refusing anything but proper 3-digit groups."""
    intpart, dot, frac = num.partition(".")
    seps = {c for c in intpart if not c.isdigit()}
    if not seps:
        return num
    if len(seps) > 1:
        raise _Bad("not a number (mixed digit separators)")
    groups = intpart.split(seps.pop())
    if not (1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])):
        raise _Bad("not a number (a decimal comma? write 1234.56 or 1,234.56)")
    return "".join(groups) + dot + frac


def _number_text(s: str) -> tuple[float, str | None, bool]:
    """Parse a formatted number: (value, currency code or None, was a percentage)."""
    m = _NUMBER_RE.match(s)
    if m is None:
        if _EURO_FORMAT_RE.search(s):
            raise _Bad(
                "not a number (decimal comma format like 1.234,56 is not supported; "
                "write 1234.56 or 1,234.56)"
            )
        raise _Bad("not a number")
    if bool(m["open"]) != bool(m["close"]):
        raise _Bad("not a number (unbalanced parentheses)")
    if m["sign1"] and m["sign2"]:
        raise _Bad("not a number")
    if m["cur1"] and m["cur2"]:
        raise _Bad("not a number (two currencies)")
    value = float(_plain_digits(m["num"]))
    mult = m["mult"]
    if mult:
        value *= _MULTIPLIERS[mult.lower()]
    if m["open"] or "-" in (m["sign1"], m["sign2"]):
        value = -value
    cur = m["cur1"] or m["cur2"]
    code: str | None = None
    if cur:
        code = cur if cur in _SHARED_SYMBOLS else _CURRENCY_SYMBOLS.get(cur.lower(), cur.upper())
    return value, code, m["pct"] is not None


def _number_any(raw: Any) -> tuple[float, str | None, bool] | None:
    """Any cell -> (value, currency, is_percentage) or None when missing."""
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise _Bad("expected a number, got true/false")
    if isinstance(raw, numbers.Real | Decimal):  # also numpy scalars
        v = float(raw)
        if v != v:
            return None
        if math.isinf(v):
            raise _Bad("not a finite number")
        return v, None, False
    if isinstance(raw, str):
        s = raw.strip()
        try:
            v = float(s)
        except ValueError:
            if _missing_str(s):
                return None
            return _number_text(s)
        if v != v:
            return None
        if math.isinf(v):
            raise _Bad("not a finite number")
        return v, None, False
    raise _Bad(f"expected a number, got {type(raw).__name__}")


def parse_number(value: Any) -> float | None:
    """Parse a plain number from a cell ("$1,200,000", "120k", "1.2M", 30.0); None when blank.

    Raises ValueError (with the reason) for anything that is not a number.
    Percent signs and currency marks are accepted and dropped.
    """
    parsed = _number_any(value)
    return None if parsed is None else parsed[0]


def _plain(parsed: tuple[float, str | None, bool]) -> float:
    """Refuse percentages and currency marks on plain-number columns."""
    v, cur, pct = parsed
    if pct:
        raise _Bad("a percentage is not valid here")
    if cur is not None:
        raise _Bad("a currency amount is not valid here")
    return v


def _p_int(raw: Any) -> int | None:
    """Parse a whole, non-negative number (30 or "30" or 30.0 from Excel)."""
    kind = type(raw)
    if kind is str:
        try:
            n = int(raw)
        except ValueError:
            pass
        else:
            if n < 0:
                raise _Bad("must not be negative")
            return n
    elif kind is int:
        if raw < 0:
            raise _Bad("must not be negative")
        return int(raw)
    parsed = _number_any(raw)
    if parsed is None:
        return None
    v = _plain(parsed)
    if not v.is_integer():
        raise _Bad("must be a whole number")
    if v < 0:
        raise _Bad("must not be negative")
    return int(v)


def _p_num(raw: Any) -> float | None:
    """Parse a non-negative number."""
    if type(raw) is str:
        try:
            v = float(raw)
        except ValueError:
            pass
        else:
            if 0 <= v < math.inf:
                return v
    parsed = _number_any(raw)
    if parsed is None:
        return None
    v = _plain(parsed)
    if v < 0:
        raise _Bad("must not be negative")
    return v


def _p_pct(raw: Any) -> float | None:
    """Parse a percentage figure: "87%" -> 87.0, 87 -> 87.0 (may be negative)."""
    if type(raw) is str:
        try:
            v = float(raw.rstrip().removesuffix("%"))
        except ValueError:
            pass
        else:
            if -math.inf < v < math.inf:
                return v
    parsed = _number_any(raw)
    if parsed is None:
        return None
    v, cur, _pct = parsed
    if cur is not None:
        raise _Bad("a currency amount is not valid here")
    return v


def _p_nps(raw: Any) -> int | None:
    """NPS: a whole number 0-10 ("9/10" accepted)."""
    if isinstance(raw, str) and raw.strip().endswith("/10"):
        raw = raw.strip()[:-3]
    parsed = _number_any(raw)
    if parsed is None:
        return None
    v = _plain(parsed)
    if not v.is_integer() or not 0 <= v <= 10:
        raise _Bad("NPS must be a whole number 0-10")
    return int(v)


def _p_money(raw: Any) -> tuple[float, str | None] | None:
    """Parse a non-negative amount and its currency mark ("$1.2M" -> 1200000.0, "USD")."""
    parsed = _number_any(raw)
    if parsed is None:
        return None
    v, cur, pct = parsed
    if pct:
        raise _Bad("a percentage is not an amount")
    if v < 0:
        raise _Bad("must not be negative")
    return v, cur


def _p_text(raw: Any) -> str | None:
    """Trimmed text; numbers from spreadsheets become text (1001.0 -> "1001")."""
    if raw is None:
        return None
    if isinstance(raw, str):
        s = raw.strip()
        return None if _missing_str(s) else s
    if isinstance(raw, bool):
        return str(raw).lower()
    if isinstance(raw, numbers.Integral):
        return str(int(raw))
    if isinstance(raw, numbers.Real):
        f = float(raw)
        if f != f:
            return None
        return str(int(f)) if f.is_integer() else str(f)
    if isinstance(raw, Decimal):
        return str(raw)
    if isinstance(raw, date):  # also datetime
        return raw.isoformat()
    raise _Bad(f"expected text, got {type(raw).__name__}")


def _p_currency(raw: Any) -> str | None:
    """ISO 4217 code ("usd" -> "USD", "€" -> "EUR")."""
    s = _p_text(raw)
    if s is None:
        return None
    code = _CURRENCY_SYMBOLS.get(s.lower(), s.upper())
    if len(code) != 3 or not code.isascii() or not code.isalpha():
        raise _Bad("expected a 3-letter currency code like USD")
    return code


_STATUS_WORDS: dict[RelationshipStatus, tuple[str, ...]] = {
    RelationshipStatus.HEALTHY: (
        "healthy",
        "green",
        "good",
        "great",
        "strong",
        "positive",
        "happy",
        "excellent",
        "promoter",
    ),
    RelationshipStatus.NEUTRAL: (
        "neutral",
        "yellow",
        "amber",
        "orange",
        "ok",
        "okay",
        "fair",
        "average",
        "medium",
        "mixed",
        "stable",
        "passive",
    ),
    RelationshipStatus.AT_RISK: (
        "at-risk",
        "at risk",
        "at_risk",
        "risk",
        "red",
        "poor",
        "bad",
        "critical",
        "unhealthy",
        "churn risk",
        "detractor",
        "negative",
        "unhappy",
    ),
}
_STATUS_INDEX: dict[str, RelationshipStatus] = {
    key: status
    for status, words in _STATUS_WORDS.items()
    for word in words
    for key in (word, normalize_header(word))
}


def _p_status(raw: Any) -> RelationshipStatus | None:
    """Parse healthy / neutral / at-risk, with the usual colour and word aliases."""
    if isinstance(raw, RelationshipStatus):
        return raw
    s = _p_text(raw)
    if s is None:
        return None
    status = _STATUS_INDEX.get(s.casefold()) or _STATUS_INDEX.get(normalize_header(s))
    if status is None:
        raise _Bad("expected healthy, neutral or at-risk (or green / yellow / red)")
    return status


_SPLIT_RE = re.compile(r"\s*(?:;|\||\r?\n)\s*")


def split_list(value: Any) -> list[str]:
    """Split a list cell on `;`, `|` or newlines (a JSON list is taken as is); empties dropped.

    Raises ValueError for values that are neither text nor a list of scalars.
    """
    if value is None:
        return []
    if isinstance(value, list | tuple):
        out: list[str] = []
        for item in value:
            if isinstance(item, list | tuple | dict):
                raise _Bad("expected a list of texts")
            text = _p_text(item)
            if text is not None:
                out.append(text)
        return out
    text = _p_text(value)
    if text is None:
        return []
    return [p for p in _SPLIT_RE.split(text) if p and not _missing_str(p)]


def _p_list(raw: Any) -> list[str] | None:
    """Parse a list column; None when empty (the model's default applies)."""
    return split_list(raw) or None


_DMY_RE = re.compile(r"^(\d{1,2})([/.\-])(\d{1,2})\2(\d{4}|\d{2})(?:[ T].*)?$")
_YMD_RE = re.compile(r"^(\d{4})([/.\-])(\d{1,2})\2(\d{1,2})(?:[ T].*)?$")
_DEFAULT_A = datetime(2000, 1, 1)
_DEFAULT_B = datetime(2004, 2, 2)
_EXCEL_EPOCH = date(1899, 12, 30)
_EXCEL_SERIAL_MIN = 20000  # 1954-10-03
_EXCEL_SERIAL_MAX = 80000  # 2119-01-09


def _make_date(y: int, m: int, d: int) -> date:
    """date(y, m, d) or a _Bad naming the impossible date."""
    try:
        return date(y, m, d)
    except ValueError:
        raise _Bad("not a valid calendar date") from None


def _try_date(y: int, m: int, d: int) -> date | None:
    """date(y, m, d), or None when there is no such day."""
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _numeric_date(m: re.Match[str], dayfirst: bool | None) -> date:
    """dd/mm/yyyy or mm/dd/yyyy; refuses the ambiguous ones unless dayfirst is given."""
    a, b, ytxt = int(m[1]), int(m[3]), m[4]
    y = int(ytxt) + (2000 if len(ytxt) == 2 else 0)
    day_first = _try_date(y, b, a)
    month_first = _try_date(y, a, b)
    if month_first is None:
        if day_first is None:
            raise _Bad("not a valid calendar date")
        return day_first
    if day_first is None or day_first == month_first:
        return month_first
    if dayfirst is None:
        raise _Bad(
            f"ambiguous date: {day_first.isoformat()} (day first) or "
            f"{month_first.isoformat()} (month first); load with dayfirst=True or False, "
            "or write YYYY-MM-DD"
        )
    return day_first if dayfirst else month_first


def _date_text(s: str, dayfirst: bool | None) -> date:
    """Non-ISO date text: numeric d/m/y forms, y/m/d, then written-out months via dateutil."""
    m = _DMY_RE.match(s)
    if m is not None:
        return _numeric_date(m, dayfirst)
    m = _YMD_RE.match(s)
    if m is not None:
        return _make_date(int(m[1]), int(m[3]), int(m[4]))
    if s.isdigit() and len(s) == 8:
        try:
            return date.fromisoformat(s)
        except ValueError:
            raise _Bad("not a valid calendar date") from None
    if not any(c.isalpha() for c in s):
        raise _Bad("unrecognised date; use YYYY-MM-DD")
    from dateutil import parser as _du_parser  # only for written-out dates; keeps import light

    try:
        first = _du_parser.parse(s, default=_DEFAULT_A, dayfirst=bool(dayfirst))
        second = _du_parser.parse(s, default=_DEFAULT_B, dayfirst=bool(dayfirst))
    except (ValueError, OverflowError):
        raise _Bad("unrecognised date; use YYYY-MM-DD") from None
    if first.date() != second.date():
        raise _Bad("incomplete date (day, month or year missing)")
    return first.date()


def parse_date(value: Any, *, dayfirst: bool | None = None) -> date | None:
    """Parse a date from a cell: ISO first, date cells, Excel serials, "Nov 2, 2026"...

    Numeric day/month forms like 03/04/2026 are refused as ambiguous unless
    `dayfirst` is True or False (13/04/2026 is unambiguous). Raises ValueError
    with the reason; returns None for blank cells.
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        s = value.strip()
        n = len(s)
        if n >= 10 and s[4] == "-" and s[7] == "-" and s[:4].isdigit():
            if n == 10:
                try:
                    return date.fromisoformat(s)
                except ValueError:
                    raise _Bad("not a valid calendar date") from None
            if s[10] in "T ":
                try:
                    return datetime.fromisoformat(s).date()
                except ValueError:
                    try:
                        return date.fromisoformat(s[:10])
                    except ValueError:
                        raise _Bad("not a valid calendar date") from None
        if _missing_str(s):
            return None
        return _date_text(s, dayfirst)
    if isinstance(value, bool):
        raise _Bad("expected a date, got true/false")
    if isinstance(value, int | float):
        if value != value:
            return None
        if _EXCEL_SERIAL_MIN <= value <= _EXCEL_SERIAL_MAX:
            return _EXCEL_EPOCH + timedelta(days=int(value))
        raise _Bad("expected a date, got a number")
    raise _Bad(f"expected a date, got {type(value).__name__}")


_PARSERS: dict[str, Callable[[Any], Any]] = {
    _TEXT: _p_text,
    _INT: _p_int,
    _NUM: _p_num,
    _PCT: _p_pct,
    _NPS: _p_nps,
    _LIST: _p_list,
    _STATUS: _p_status,
    _CURRENCY: _p_currency,
}


# ---------------------------------------------------------------------------
# Row assembly


@dataclass(slots=True)
class _Col:
    """One source column: its header, target field (None = extra) and parser."""

    header: str
    field: str | None
    kind: str
    parse: Callable[[Any], Any]
    factor: float


def _shown(raw: Any) -> str | None:
    """Show a value as given, for error messages."""
    if raw is None:
        return None
    if isinstance(raw, str):
        return raw
    if isinstance(raw, date):
        return raw.isoformat()
    return str(raw)


def _is_blank(raw: Any) -> bool:
    """None or whitespace-only text."""
    return raw is None or (isinstance(raw, str) and not raw.strip())


_SEATS_ABSURD_FACTOR = 10


class _RowParser:
    """Maps headers once, then turns rows into `Account`s and `RowError`s."""

    def __init__(self, dayfirst: bool | None) -> None:
        self.dayfirst = dayfirst
        self.column_map: dict[str, str] = {}
        self.unknown_columns: list[str] = []
        self.key_cols: dict[str, _Col] = {}  # for mapping records
        self._claimed: dict[str, tuple[int, str]] = {}  # field -> (rank, header)
        self._seen_ids: dict[str, int | None] = {}

        def p_date(raw: Any) -> date | None:
            return parse_date(raw, dayfirst=dayfirst)

        self._date_parser = p_date

    # -- headers ---------------------------------------------------------
    def _extra_col(self, header: str, unique: bool = False) -> _Col:
        """Make a column kept in `Account.extra` (renamed "X (2)" when the header repeats)."""
        if unique and header in self.unknown_columns:
            n = 2
            while f"{header} ({n})" in self.unknown_columns:
                n += 1
            header = f"{header} ({n})"
        if header not in self.unknown_columns:
            self.unknown_columns.append(header)
        return _Col(header, None, "", _p_text, 1.0)

    def plan(self, headers: Sequence[str]) -> tuple[list[_Col], list[RowError]]:
        """Columns for a header row; the best-ranked source wins each field."""
        warnings: list[RowError] = []
        hits: list[tuple[str, int, float] | None] = []
        best: dict[str, tuple[int, int]] = {}  # field -> (rank, position)
        for pos, header in enumerate(headers):
            hit = _lookup_header(header) if header else None
            hits.append(hit)
            if hit is None:
                continue
            field, rank = hit[0], hit[1]
            claimed = self._claimed.get(field)
            if claimed is not None:
                continue  # an earlier batch (JSON keys) already owns the field
            if field not in best or rank < best[field][0]:
                best[field] = (rank, pos)
        cols: list[_Col] = []
        for pos, header in enumerate(headers):
            hit = hits[pos]
            if not header:
                cols.append(self._extra_col(f"column_{pos + 1}", unique=True))
                continue
            if hit is not None and best.get(hit[0], (0, -1))[1] == pos:
                field, rank, factor = hit
                self._claimed[field] = (rank, header)
                kind = _FIELD_KIND[field]
                parse = self._date_parser if kind == _DATE else _PARSERS.get(kind, _p_text)
                cols.append(_Col(header, field, kind, parse, factor))
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

    def key_col(self, key: str) -> tuple[_Col, list[RowError]]:
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

    # -- rows ------------------------------------------------------------
    def row(
        self, row_no: int | None, pairs: Iterable[tuple[_Col, Any]]
    ) -> list[Account | RowError]:
        """One row's output: its errors and warnings, then the account (unless rejected)."""
        clean: dict[str, Any] = {}
        extra: dict[str, Any] = {}
        raws: dict[str, Any] = {}
        bad: list[tuple[_Col, Any, str]] = []
        warn: list[tuple[_Col | None, Any, str]] = []
        money_cur: tuple[_Col, str] | None = None
        for col, raw in pairs:
            field = col.field
            if field is None:
                if not _is_blank(raw) and not (type(raw) is float and raw != raw):
                    extra[col.header] = raw
                continue
            raws[field] = raw
            try:
                if col.kind == _MONEY:
                    money = _p_money(raw)
                    if money is None:
                        continue
                    value: Any = money[0] * col.factor
                    if money[1] is not None:
                        money_cur = (col, money[1])
                else:
                    value = col.parse(raw)
            except _Bad as exc:
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
                    value=_shown(raw),
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
        elif account_id in self._seen_ids:
            first = self._seen_ids[account_id]
            where = f" (first in row {first})" if first is not None else ""
            reject = f"duplicate account_id{where}; row skipped"
        elif clean.get("account_name") is None:
            reject, reject_field = "account_name is missing; row skipped", "account_name"
        if reject is not None:
            header = self.headers_for(reject_field)
            err(header, reject_field, raws.get(reject_field), reject, "error")
            return out
        assert account_id is not None
        self._seen_ids[account_id] = row_no

        if money_cur is not None:
            col, cur = money_cur
            given = clean.get("currency")
            shared = _SHARED_SYMBOLS.get(cur)
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
                err(self.headers_for("seats_used"), "seats_used", raw, reason, "warning")
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
            err(self.headers_for("account_id"), None, None, f"internal: {exc}", "error")
        return out


# ---------------------------------------------------------------------------
# Streams


class AccountStream(Iterator[Account | RowError]):
    """An iterator of `Account`s and `RowError`s (errors and warnings) from one source.

    `column_map` and `unknown_columns` are known once the header has been read
    (for files: as soon as the stream exists). Closes its file when exhausted;
    use it as a context manager (or call `close`) when stopping early.
    """

    def __init__(
        self,
        parser: _RowParser,
        items: Iterator[Account | RowError],
        closer: Callable[[], None] | None = None,
    ) -> None:
        self._parser = parser
        self._items = items
        self._closer = closer

    @property
    def column_map(self) -> dict[str, str]:
        """Source header -> canonical column (e.g. 'MRR' -> 'arr (x12)')."""
        return self._parser.column_map

    @property
    def unknown_columns(self) -> list[str]:
        """Source headers that map to no canonical column (kept in `Account.extra`)."""
        return self._parser.unknown_columns

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


def _require_columns(parser: _RowParser, headers: Sequence[str], source: str) -> None:
    """LoadError unless an account-id and an account-name column were found."""
    shown = ", ".join(repr(h) for h in headers[:40] if h) or "none"
    if not parser.has_field("account_id"):
        raise LoadError(
            f"{source}: no account id column (looked for account_id, 'Account ID', "
            f"'Record ID', 'Salesforce ID', 'Id'...); columns found: {shown}"
        )
    if not parser.has_field("account_name"):
        raise LoadError(
            f"{source}: no account name column (looked for account_name, 'Account Name', "
            f"'Company name', 'Company'...); columns found: {shown}"
        )


def _tabular_rows(
    parser: _RowParser,
    cols: list[_Col],
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
            if not all(_is_blank(v) for v in overflow):
                yield RowError(
                    row=row_no,
                    severity="warning",
                    reason=f"{len(overflow)} value(s) beyond the last header column ignored",
                )
        yield from row_fn(row_no, zip(cols, values, strict=False))


# -- CSV ---------------------------------------------------------------------

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


def _iter_csv(path: Path, dayfirst: bool | None) -> AccountStream:
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
        parser = _RowParser(dayfirst)
        cols, warnings = parser.plan(header)
        _require_columns(parser, header, str(path))
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
            yield from _tabular_rows(parser, cols, rows(), pre + warnings)
        except _CsvBroken as exc:
            yield RowError(row=exc.row, reason=f"CSV cannot be read from here on: {exc.detail}")

    return AccountStream(parser, items(), fh.close)


class _CsvBroken(Exception):
    """The CSV reader gave up at a row."""

    def __init__(self, row: int, detail: str) -> None:
        super().__init__(detail)
        self.row = row
        self.detail = detail


# -- XLSX --------------------------------------------------------------------


def _iter_xlsx(path: Path, dayfirst: bool | None) -> AccountStream:
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
        parser = _RowParser(dayfirst)
        cols, warnings = parser.plan(header)
        _require_columns(parser, header, f"{path} [{ws.title}]")
    except LoadError:
        wb.close()
        raise

    pct_positions = [i for i, col in enumerate(cols) if col.kind == _PCT]
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
    items = _tabular_rows(parser, cols, body, warnings)
    return AccountStream(parser, items, wb.close)


_XLSX_HEADER_SCAN = 30


def _xlsx_header(rows: Iterator[Sequence[Any]]) -> tuple[list[str] | None, int]:
    """Find the header row and its number.

    The header is the first row naming an account-id column among the first
    rows (report exports put a title above it), else the first non-empty row.
    """
    first: tuple[list[str], int] | None = None
    for row_no, values in enumerate(rows, start=1):
        if all(_is_blank(v) for v in values):
            continue
        header = [(_shown(v) or "").strip() for v in values]
        if any((_lookup_header(h) or ("",))[0] == "account_id" for h in header if h):
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


# -- JSON / records ----------------------------------------------------------


def _records_stream(
    records: Iterable[Any],
    start_row: int,
    dayfirst: bool | None,
    source: str | None,
) -> AccountStream:
    """Stream mapping records; keys are mapped up front when all records are at hand."""
    parser = _RowParser(dayfirst)
    pre: list[RowError] = []
    if isinstance(records, Sequence) and records:
        keys: dict[str, None] = {}
        for rec in records:
            if isinstance(rec, Mapping):
                keys.update(dict.fromkeys(str(k) for k in rec))
        _cols, pre = parser.plan(list(keys))
        for key, col in zip(keys, _cols, strict=True):
            parser.key_cols[key] = col
        _require_columns(parser, list(keys), source or "records")

    def items() -> Iterator[Account | RowError]:
        yield from pre
        key_col = parser.key_col
        for row_no, rec in enumerate(records, start=start_row):
            if not isinstance(rec, Mapping):
                yield RowError(
                    row=row_no,
                    value=None if rec is None else str(rec)[:80],
                    reason="expected an object with account columns; row skipped",
                )
                continue
            pairs: list[tuple[_Col, Any]] = []
            for key, raw in rec.items():
                col, warnings = key_col(str(key))
                yield from warnings
                pairs.append((col, raw))
            yield from parser.row(row_no, pairs)

    return AccountStream(parser, items())


def _iter_json(path: Path, dayfirst: bool | None) -> AccountStream:
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
    return _records_stream(data, 1, dayfirst, str(path))


# ---------------------------------------------------------------------------
# Public entry points

_READERS: dict[str, Callable[[Path, bool | None], AccountStream]] = {
    ".csv": _iter_csv,
    ".tsv": _iter_csv,
    ".txt": _iter_csv,
    ".xlsx": _iter_xlsx,
    ".xlsm": _iter_xlsx,
    ".json": _iter_json,
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
    return _records_stream(records, start_row, dayfirst, None)


def parse_records(
    records: Iterable[Mapping[str, Any]],
    *,
    start_row: int = 1,
    dayfirst: bool | None = None,
) -> LoadResult:
    """Load accounts from in-memory rows (an upload, JSON already parsed); see `iter_records`."""
    return iter_records(records, start_row=start_row, dayfirst=dayfirst).collect()
