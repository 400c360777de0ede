"""Small, shared formatting of numbers, money and percentages for evidence strings."""

from __future__ import annotations

from datetime import date

CURRENCY_SIGNS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "INR": "₹"}


def fmt_num(value: float | int) -> str:
    """Integral values without decimals, others with up to two."""
    if float(value).is_integer():
        return f"{int(value):,}" if abs(value) >= 10_000 else str(int(value))
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def fmt_pct(ratio: float, threshold: float | None = None) -> str:
    """Format a ratio as a percentage; one decimal when rounding would cross `threshold`."""
    pct = ratio * 100
    if threshold is not None:
        limit = threshold * 100
        if round(pct) >= limit > pct or round(pct) < limit <= pct:
            return f"{pct:.1f}%"
    return f"{round(pct)}%"


def fmt_money(amount: float | None, currency: str = "USD") -> str:
    """Money with the currency sign when known, else the ISO code."""
    if amount is None:
        return "unknown"
    sign = CURRENCY_SIGNS.get(currency.upper())
    body = f"{amount:,.0f}" if float(amount).is_integer() or amount >= 1000 else f"{amount:,.2f}"
    return f"{sign}{body}" if sign else f"{body} {currency.upper()}"


def fmt_date(day: date | None) -> str:
    """ISO date, or 'date unknown'."""
    return day.isoformat() if day else "date unknown"


def fmt_day(day: date) -> str:
    """Format a date as people write it: ``6 Feb 2027``."""
    return f"{day.day} {day:%b %Y}"
