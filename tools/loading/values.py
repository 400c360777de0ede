"""Parse one cell value: numbers, amounts, counts, percentages, NPS, text, status, lists.

Each parser takes a cell as it comes from CSV text, an XLSX cell or JSON and
returns the typed value, or None when the cell is blank or holds a "no value"
token (n/a, -, null...). A value that cannot be used raises `BadValue` (a
ValueError) whose message is the reason shown to the user. Numbers accept
thousands separators, currency marks, k/M/bn multipliers and parentheses for
negatives; a decimal comma (1.234,56) is refused rather than guessed.
"""

from __future__ import annotations

import math
import numbers
import re
from datetime import date
from decimal import Decimal
from typing import Any

from playbook.tools.loading.errors import BadValue
from playbook.tools.loading.headers import normalize_header
from playbook.tools.vocab import RelationshipStatus

__all__ = [
    "SHARED_SYMBOLS",
    "is_blank",
    "is_missing",
    "parse_currency",
    "parse_int",
    "parse_list",
    "parse_money",
    "parse_nps",
    "parse_num",
    "parse_number",
    "parse_pct",
    "parse_status",
    "parse_text",
    "shown",
    "split_list",
]

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
SHARED_SYMBOLS: dict[str, str] = {"$": "USD", "¥": "JPY"}

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


def is_missing(s: str) -> bool:
    """Tell blank and the usual 'no value' tokens (n/a, -, null, none...); `s` is stripped."""
    return not s or (len(s) <= _MISSING_MAX_LEN and s.casefold() in _MISSING)


def _plain_digits(num: str) -> str:
    """Remove thousands separators, refusing anything but proper 3-digit groups."""
    intpart, dot, frac = num.partition(".")
    seps = {c for c in intpart if not c.isdigit()}
    if not seps:
        return num
    if len(seps) > 1:
        raise BadValue("not a number (mixed digit separators)")
    groups = intpart.split(seps.pop())
    if not (1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])):
        raise BadValue("not a number (a decimal comma? write 1234.56 or 1,234.56)")
    return "".join(groups) + dot + frac


def _number_text(s: str) -> tuple[float, str | None, bool]:
    """Parse a formatted number: (value, currency code or None, was a percentage)."""
    m = _NUMBER_RE.match(s)
    if m is None:
        if _EURO_FORMAT_RE.search(s):
            raise BadValue(
                "not a number (decimal comma format like 1.234,56 is not supported; "
                "write 1234.56 or 1,234.56)"
            )
        raise BadValue("not a number")
    if bool(m["open"]) != bool(m["close"]):
        raise BadValue("not a number (unbalanced parentheses)")
    if m["sign1"] and m["sign2"]:
        raise BadValue("not a number")
    if m["cur1"] and m["cur2"]:
        raise BadValue("not a number (two currencies)")
    value = float(_plain_digits(m["num"]))
    mult = m["mult"]
    if mult:
        value *= _MULTIPLIERS[mult.lower()]
    if m["open"] or "-" in (m["sign1"], m["sign2"]):
        value = -value
    cur = m["cur1"] or m["cur2"]
    code: str | None = None
    if cur:
        code = cur if cur in SHARED_SYMBOLS else _CURRENCY_SYMBOLS.get(cur.lower(), cur.upper())
    return value, code, m["pct"] is not None


def _number_any(raw: Any) -> tuple[float, str | None, bool] | None:
    """Any cell -> (value, currency, is_percentage) or None when missing."""
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise BadValue("expected a number, got true/false")
    if isinstance(raw, numbers.Real | Decimal):  # also numpy scalars
        v = float(raw)
        if v != v:
            return None
        if math.isinf(v):
            raise BadValue("not a finite number")
        return v, None, False
    if isinstance(raw, str):
        s = raw.strip()
        try:
            v = float(s)
        except ValueError:
            if is_missing(s):
                return None
            return _number_text(s)
        if v != v:
            return None
        if math.isinf(v):
            raise BadValue("not a finite number")
        return v, None, False
    raise BadValue(f"expected a number, got {type(raw).__name__}")


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
        raise BadValue("a percentage is not valid here")
    if cur is not None:
        raise BadValue("a currency amount is not valid here")
    return v


def parse_int(raw: Any) -> int | None:
    """Parse a whole, non-negative number (30 or "30" or 30.0 from Excel)."""
    kind = type(raw)
    if kind is str:
        try:
            n = int(raw)
        except ValueError:
            pass
        else:
            if n < 0:
                raise BadValue("must not be negative")
            return n
    elif kind is int:
        if raw < 0:
            raise BadValue("must not be negative")
        return int(raw)
    parsed = _number_any(raw)
    if parsed is None:
        return None
    v = _plain(parsed)
    if not v.is_integer():
        raise BadValue("must be a whole number")
    if v < 0:
        raise BadValue("must not be negative")
    return int(v)


def parse_num(raw: Any) -> float | None:
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
        raise BadValue("must not be negative")
    return v


def parse_pct(raw: Any) -> float | None:
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
        raise BadValue("a currency amount is not valid here")
    return v


def parse_nps(raw: Any) -> int | None:
    """NPS: a whole number 0-10 ("9/10" accepted)."""
    if isinstance(raw, str) and raw.strip().endswith("/10"):
        raw = raw.strip()[:-3]
    parsed = _number_any(raw)
    if parsed is None:
        return None
    v = _plain(parsed)
    if not v.is_integer() or not 0 <= v <= 10:
        raise BadValue("NPS must be a whole number 0-10")
    return int(v)


def parse_money(raw: Any) -> tuple[float, str | None] | None:
    """Parse a non-negative amount and its currency mark ("$1.2M" -> 1200000.0, "USD")."""
    parsed = _number_any(raw)
    if parsed is None:
        return None
    v, cur, pct = parsed
    if pct:
        raise BadValue("a percentage is not an amount")
    if v < 0:
        raise BadValue("must not be negative")
    return v, cur


def parse_text(raw: Any) -> str | None:
    """Trimmed text; numbers from spreadsheets become text (1001.0 -> "1001")."""
    if raw is None:
        return None
    if isinstance(raw, str):
        s = raw.strip()
        return None if is_missing(s) else s
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
    raise BadValue(f"expected text, got {type(raw).__name__}")


def parse_currency(raw: Any) -> str | None:
    """ISO 4217 code ("usd" -> "USD", "€" -> "EUR")."""
    s = parse_text(raw)
    if s is None:
        return None
    code = _CURRENCY_SYMBOLS.get(s.lower(), s.upper())
    if len(code) != 3 or not code.isascii() or not code.isalpha():
        raise BadValue("expected a 3-letter currency code like USD")
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


def parse_status(raw: Any) -> RelationshipStatus | None:
    """Parse healthy / neutral / at-risk, with the usual colour and word aliases."""
    if isinstance(raw, RelationshipStatus):
        return raw
    s = parse_text(raw)
    if s is None:
        return None
    status = _STATUS_INDEX.get(s.casefold()) or _STATUS_INDEX.get(normalize_header(s))
    if status is None:
        raise BadValue("expected healthy, neutral or at-risk (or green / yellow / red)")
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
                raise BadValue("expected a list of texts")
            text = parse_text(item)
            if text is not None:
                out.append(text)
        return out
    text = parse_text(value)
    if text is None:
        return []
    return [p for p in _SPLIT_RE.split(text) if p and not is_missing(p)]


def parse_list(raw: Any) -> list[str] | None:
    """Parse a list column; None when empty (the model's default applies)."""
    return split_list(raw) or None


def shown(raw: Any) -> str | None:
    """Show a value as given, for error messages."""
    if raw is None:
        return None
    if isinstance(raw, str):
        return raw
    if isinstance(raw, date):
        return raw.isoformat()
    return str(raw)


def is_blank(raw: Any) -> bool:
    """None or whitespace-only text."""
    return raw is None or (isinstance(raw, str) and not raw.strip())
