"""Date arithmetic used by the rules: day counts and fiscal quarters."""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

from dateutil.relativedelta import relativedelta


def days_since(day: date, as_of: date) -> int:
    """Whole days from `day` to `as_of` (negative when `day` is in the future)."""
    return (as_of - day).days


def days_until(day: date, as_of: date) -> int:
    """Whole days from `as_of` to `day` (negative when `day` is in the past)."""
    return (day - as_of).days


def within_last(day: date | None, as_of: date, window_days: int) -> bool:
    """Return True when `day` is 0..window_days days before `as_of` (both ends included)."""
    if day is None:
        return False
    age = days_since(day, as_of)
    return 0 <= age <= window_days


@lru_cache(maxsize=1024)
def fiscal_quarter_bounds(day: date, fiscal_start_month: int = 1) -> tuple[date, date]:
    """First and last day of the seller's fiscal quarter that contains `day`."""
    if not 1 <= fiscal_start_month <= 12:
        raise ValueError(f"fiscal_start_month must be 1-12, got {fiscal_start_month}")
    offset = (day.month - fiscal_start_month) % 3
    start = date(day.year, day.month, 1) - relativedelta(months=offset)
    end = start + relativedelta(months=3) - timedelta(days=1)
    return start, end


def in_quarter_end_window(day: date, fiscal_start_month: int = 1, window_days: int = 10) -> bool:
    """Return True when `day` is within the last `window_days` days of its fiscal quarter."""
    _, end = fiscal_quarter_bounds(day, fiscal_start_month)
    return 0 <= (end - day).days < window_days


def next_quarter_start(day: date, fiscal_start_month: int = 1) -> date:
    """First day of the fiscal quarter after the one containing `day`."""
    _, end = fiscal_quarter_bounds(day, fiscal_start_month)
    return end + timedelta(days=1)
