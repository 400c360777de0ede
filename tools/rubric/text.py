"""Text helpers of the brief rubric: prose fields, numbers, dates and phrases.

Everything here is pure and compiled once at import time, so a brief is checked in
well under two milliseconds. Numbers are compared as normalised `Decimal` values
(`$1,200` == `1200`, `1.8M` == `1800000`), dates as `datetime.date` values, and
written dates without a year as (month, day) pairs.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Literal, NamedTuple

from playbook.tools.models.brief import Brief

_MONTH_NAMES = (
    r"Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?"
)
MONTHS: dict[str, int] = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip

# One pass finds dates before plain numbers, so "Nov 2, 2026" is one date token and
# not the numbers 2 and 2026. Month names are case-sensitive (the modal "may").
TOKEN_RE = re.compile(
    rf"""
    (?=[0-9JFMASOND])  # cheap first-character filter: digits and month initials
    (?:
    (?<![\w.])(?P<iso>\d{{4}}-\d{{2}}-\d{{2}})(?!\w)
    | (?<!\w)(?P<mdy_mon>{_MONTH_NAMES})\.?\s+(?P<mdy_day>\d{{1,2}})(?:st|nd|rd|th)?
      (?:,?\s+(?P<mdy_year>\d{{4}}))?(?![\w/-])
    | (?<![\w.])(?P<dmy_day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<dmy_mon>{_MONTH_NAMES})\.?
      (?:,?\s+(?P<dmy_year>\d{{4}}))?(?!\w)
    | (?<![\w./])(?P<slash>\d{{1,2}}/\d{{1,2}}/\d{{4}})(?![\w/])
    | (?<![\w.])(?P<num>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?)
      (?P<suf>\s?%|\s?percent\b|\s?(?:thousand|million|billion)\b|[kKMB]\b|bn\b|mn\b
         |(?:st|nd|rd|th|x|h|hrs?|mins?)\b)?
      (?!\w)
    )
    """,
    re.VERBOSE,
)
_SCALES: dict[str, Decimal] = {
    "k": Decimal(1000),
    "thousand": Decimal(1000),
    "m": Decimal(1_000_000),
    "mn": Decimal(1_000_000),
    "million": Decimal(1_000_000),
    "b": Decimal(1_000_000_000),
    "bn": Decimal(1_000_000_000),
    "billion": Decimal(1_000_000_000),
}
NUMBER_WORDS: dict[str, Decimal] = {
    w: Decimal(i)
    for i, w in enumerate(
        (
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
            "twenty",
        )  # fmt: skip
    )
} | {"thirty": Decimal(30), "forty": Decimal(40), "fifty": Decimal(50), "hundred": Decimal(100)}
WORD_RE = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
SEGMENT_SPLIT_RE = re.compile(r"[;,()\[\]]")
STOPWORDS: frozenset[str] = frozenset(
    {
        "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "from", "has", "have",
        "i", "in", "is", "it", "its", "of", "on", "or", "our", "so", "that", "the", "their",
        "them", "they", "this", "to", "up", "was", "we", "were", "with", "you", "your",
    }
)  # fmt: skip

Kind = Literal["number", "date", "monthday", "baddate"]


class Token(NamedTuple):
    """One number or date found in text."""

    raw: str
    kind: Kind
    value: Decimal | dt.date | tuple[int, int] | None
    start: int
    end: int
    mantissa: Decimal | None = None
    scale: Decimal | None = None
    places: int = 0


# The last group a match closes tells which alternative of TOKEN_RE matched.
_ALT: dict[str, str] = {
    "iso": "iso",
    "mdy_day": "mdy",
    "mdy_year": "mdy",
    "dmy_mon": "dmy",
    "dmy_year": "dmy",
    "slash": "slash",
    "num": "num",
    "suf": "num",
}
DIGIT_RE = re.compile(r"\d")
ISO_ONLY_RE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")


def _month(name: str) -> int:
    return MONTHS[name[:3].lower()]


def _date_token(raw: str, year: str | None, month: int, day: int, span: tuple[int, int]) -> Token:
    if year is None:
        if 1 <= day <= 31:
            return Token(raw, "monthday", (month, day), *span)
        return Token(raw, "baddate", None, *span)
    try:
        return Token(raw, "date", dt.date(int(year), month, day), *span)
    except ValueError:
        return Token(raw, "baddate", None, *span)


def tokens(text: str) -> Iterator[Token]:
    """Every number and date in `text`, in order."""
    for m in TOKEN_RE.finditer(text):
        raw, span, kind = m.group(0), m.span(), _ALT[m.lastgroup or ""]
        if kind == "num":
            yield _number_token(m, raw, span)
        elif kind == "iso":
            day = _iso(raw)
            yield Token(raw, "date", day, *span) if day else Token(raw, "baddate", None, *span)
        elif kind == "mdy":
            yield _date_token(
                raw, m.group("mdy_year"), _month(m.group("mdy_mon")), int(m.group("mdy_day")), span
            )
        elif kind == "dmy":
            yield _date_token(
                raw, m.group("dmy_year"), _month(m.group("dmy_mon")), int(m.group("dmy_day")), span
            )
        else:
            a, b, y = (int(p) for p in raw.split("/"))
            # Ambiguous order: month/day first, day/month when that is the only valid one.
            tok = _date_token(raw, str(y), a, b, span)
            yield tok if tok.kind == "date" else _date_token(raw, str(y), b, a, span)


@lru_cache(maxsize=4096)
def _number(num: str, suf: str | None) -> tuple[Decimal, Decimal, Decimal | None, int]:
    """(value, mantissa, scale, decimal places) of a number and its suffix."""
    body = num.replace(",", "")
    mantissa = Decimal(body)
    places = len(body.split(".", 1)[1]) if "." in body else 0
    scale = _SCALES.get((suf or "").strip().lower())
    return (mantissa * scale if scale is not None else mantissa), mantissa, scale, places


@lru_cache(maxsize=4096)
def _iso(raw: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        return None


def _number_token(m: re.Match[str], raw: str, span: tuple[int, int]) -> Token:
    value, mantissa, scale, places = _number(m.group("num"), m.group("suf"))
    return Token(raw, "number", value, *span, mantissa=mantissa, scale=scale, places=places)


def to_decimal(value: float | int | str) -> Decimal | None:
    """Convert a JSON number (or numeric string) to a Decimal; None when it is not one."""
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


class Grounding:
    """The numbers and dates a brief's prose may use."""

    __slots__ = ("numbers", "dates", "monthdays", "_scaled")

    def __init__(self) -> None:
        """Start empty."""
        self.numbers: set[Decimal] = set()
        self.dates: set[dt.date] = set()
        self.monthdays: set[tuple[int, int]] = set()
        self._scaled: list[Decimal] | None = None

    def add_date(self, day: dt.date) -> None:
        """Allow a date (and its year as a number)."""
        if day in self.dates:
            return
        self.dates.add(day)
        self.monthdays.add((day.month, day.day))
        self.numbers.add(Decimal(day.year))

    def add_text(self, text: str) -> None:
        """Allow every number and date that appears in `text`."""
        for m in TOKEN_RE.finditer(text):  # fast paths for plain numbers and ISO dates
            kind = _ALT[m.lastgroup or ""]
            if kind == "num":
                self.numbers.add(_number(m.group("num"), m.group("suf"))[0])
                continue
            if kind == "iso":
                day = _iso(m.group(0))
                if day is not None:
                    self.add_date(day)
                continue
            tok = next(tokens(m.group(0)), None)  # a written or slashed date
            if tok is not None and isinstance(tok.value, dt.date):
                self.add_date(tok.value)

    def add_number(self, value: float | int) -> None:
        """Allow a JSON number; a fraction up to 1 is allowed as a percentage too."""
        dec = to_decimal(value)
        if dec is None or not dec.is_finite():
            return
        self.numbers.add(dec)
        if isinstance(value, float) and 0 < abs(value) <= 1:
            self.numbers.add(dec * 100)

    def add_json(self, data: object) -> None:
        """Allow every number and date in a JSON-like structure (strings are scanned)."""
        texts: set[str] = set()
        stack: list[object] = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, str):
                day = _iso(item) if ISO_ONLY_RE.match(item) else None
                if day is not None:
                    self.add_date(day)
                else:
                    texts.add(item)
            elif isinstance(item, bool) or item is None:
                continue
            elif isinstance(item, int | float):
                self.add_number(item)
            elif isinstance(item, dict):
                texts.update(str(k) for k in item)
                stack.extend(item.values())
            elif isinstance(item, list | tuple):
                stack.extend(item)
        self.add_text("\n".join(sorted(t for t in texts if DIGIT_RE.search(t))))

    def allows(self, tok: Token) -> bool:
        """Tell whether the token is a grounded number or a decided date."""
        if tok.kind == "date":
            return tok.value in self.dates
        if tok.kind == "monthday":
            return tok.value in self.monthdays
        if tok.kind != "number" or not isinstance(tok.value, Decimal):
            return False
        if tok.value in self.numbers:
            return True
        if tok.scale is None or tok.mantissa is None:
            return False
        # "1.8M" is grounded by 1,812,000: the abbreviation rounds at its own precision.
        if self._scaled is None:
            self._scaled = sorted(self.numbers)
        quantum = Decimal(1).scaleb(-tok.places)
        return any(
            (n / tok.scale).quantize(quantum) == tok.mantissa
            for n in self._scaled
            if n >= tok.scale / 10
        )


def words(text: str) -> list[str]:
    """Lowercase words (letters, digits and in-word apostrophes)."""
    return WORD_RE.findall(text.lower().replace("’", "'"))


def phrase_in(phrase: Iterable[str], haystack_words: str) -> bool:
    """Tell whether the word sequence occurs in `haystack_words` (space-joined, padded)."""
    return f" {' '.join(phrase)} " in haystack_words


def padded(text: str) -> str:
    """Join the words of `text` by single spaces, padded for whole-word matching."""
    return f" {' '.join(words(text))} "


def evidence_phrases(text: str) -> list[tuple[str, ...]]:
    """Phrases a script may quote from one text of the evidence (a quote or a field value).

    The text is split into segments at punctuation; a segment of three or more words
    gives every run of three words that is not all stopwords, a shorter segment is
    taken whole (e.g. "at-risk" or "SSO").
    """
    phrases: list[tuple[str, ...]] = []
    for segment in SEGMENT_SPLIT_RE.split(text):
        ws = words(segment)
        if len(ws) >= 3:
            for i in range(len(ws) - 2):
                run = tuple(ws[i : i + 3])
                if any(w not in STOPWORDS and not w.isdigit() for w in run):
                    phrases.append(run)
        elif ws and any(len(w) >= 3 and w not in STOPWORDS and not w.isdigit() for w in ws):
            phrases.append(tuple(ws))
    return phrases


def prose_fields(brief: Brief) -> dict[str, str]:
    """Every prose field of the brief, keyed by where it sits.

    Keys start with the section name: `summary`, `offer_map.rationale`,
    `offer_map.first_steps`, `trigger_log.why_now`, `script`,
    `objections[<key>]` (the answers), `calendar[<week>].action` and
    `calendar[<week>].note`. Copied facts (evidence strings, the objection text
    itself, which may quote the notes) are not prose.
    """
    out: dict[str, str] = {
        "summary": brief.summary,
        "offer_map.rationale": brief.offer_map.rationale,
    }
    if brief.offer_map.first_steps:
        out["offer_map.first_steps"] = brief.offer_map.first_steps
    out["trigger_log.why_now"] = brief.trigger_log.why_now
    out["script"] = brief.script.text
    for i, obj in enumerate(brief.objections):
        key = f"objections[{obj.key}]"
        out[key if key not in out else f"objections[{obj.key}#{i}]"] = obj.answer
    for week in brief.calendar:
        out[f"calendar[{week.week}].action"] = week.action
        if week.note:
            out[f"calendar[{week.week}].note"] = week.note
    return out


_SECTION_RE = re.compile(r"[a-z_]+")


def section_of(field: str) -> str:
    """Return the section of a prose field key (`objections[budget]` -> `objections`)."""
    m = _SECTION_RE.match(field)
    return m.group(0) if m else field


def snippet(text: str, start: int, end: int, width: int = 30) -> str:
    """Return a short excerpt around text[start:end]."""
    a, b = max(0, start - width), min(len(text), end + width)
    return ("…" if a else "") + text[a:b].replace("\n", " ") + ("…" if b < len(text) else "")
