"""Parse a date cell: ISO first, date cells, Excel serials, then written-out dates.

A numeric day/month form such as 03/04/2026 is refused as ambiguous unless the
caller says `dayfirst=True` or `False`; 13/04/2026 reads one way only. Written
dates ("Nov 2, 2026", "2 November 2026") go through dateutil, and one missing
its day, month or year is refused rather than completed.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any

from playbook.tools.loading.errors import BadValue
from playbook.tools.loading.values import is_missing

__all__ = ["parse_date"]

_DMY_RE = re.compile(r"^(\d{1,2})([/.\-])(\d{1,2})\2(\d{4}|\d{2})(?:[ T].*)?$")
_YMD_RE = re.compile(r"^(\d{4})([/.\-])(\d{1,2})\2(\d{1,2})(?:[ T].*)?$")
_DEFAULT_A = datetime(2000, 1, 1)
_DEFAULT_B = datetime(2004, 2, 2)
_EXCEL_EPOCH = date(1899, 12, 30)
_EXCEL_SERIAL_MIN = 20000  # 1954-10-03
_EXCEL_SERIAL_MAX = 80000  # 2119-01-09


def _make_date(y: int, m: int, d: int) -> date:
    """date(y, m, d) or a BadValue naming the impossible date."""
    try:
        return date(y, m, d)
    except ValueError:
        raise BadValue("not a valid calendar date") from None


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
            raise BadValue("not a valid calendar date")
        return day_first
    if day_first is None or day_first == month_first:
        return month_first
    if dayfirst is None:
        raise BadValue(
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
            raise BadValue("not a valid calendar date") from None
    if not any(c.isalpha() for c in s):
        raise BadValue("unrecognised date; use YYYY-MM-DD")
    from dateutil import parser as _du_parser  # only for written-out dates; keeps import light

    try:
        first = _du_parser.parse(s, default=_DEFAULT_A, dayfirst=bool(dayfirst))
        second = _du_parser.parse(s, default=_DEFAULT_B, dayfirst=bool(dayfirst))
    except (ValueError, OverflowError):
        raise BadValue("unrecognised date; use YYYY-MM-DD") from None
    if first.date() != second.date():
        raise BadValue("incomplete date (day, month or year missing)")
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
                    raise BadValue("not a valid calendar date") from None
            if s[10] in "T ":
                try:
                    return datetime.fromisoformat(s).date()
                except ValueError:
                    try:
                        return date.fromisoformat(s[:10])
                    except ValueError:
                        raise BadValue("not a valid calendar date") from None
        if is_missing(s):
            return None
        return _date_text(s, dayfirst)
    if isinstance(value, bool):
        raise BadValue("expected a date, got true/false")
    if isinstance(value, int | float):
        if value != value:
            return None
        if _EXCEL_SERIAL_MIN <= value <= _EXCEL_SERIAL_MAX:
            return _EXCEL_EPOCH + timedelta(days=int(value))
        raise BadValue("expected a date, got a number")
    raise BadValue(f"expected a date, got {type(value).__name__}")
