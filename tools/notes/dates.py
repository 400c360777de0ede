"""Date grammar of the call-notes extractor: explicit, relative and planned dates."""

from __future__ import annotations

import re
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from playbook.tools.notes.lexicon import MON_CS, MONTHS, NUMW, word_number

_I = re.IGNORECASE

DATE = re.compile(
    r"\b(?P<iy>\d{4})[-/](?P<im>\d{1,2})[-/](?P<id>\d{1,2})\b"
    r"|\b(?P<na>\d{1,2})[/.](?P<nb>\d{1,2})[/.](?P<ny>\d{4}|\d{2})\b"
    rf"|\b(?P<m1>{MON_CS})\.?\s+(?P<d1>[0-3]?\d)(?:st|nd|rd|th)?\b(?:,?\s+(?P<y1>\d{{4}})\b)?"
    rf"|\b(?P<d2>[0-3]?\d)(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m2>{MON_CS})\b\.?"
    r"(?:,?\s+(?P<y2>\d{4})\b)?"
    rf"|\b(?P<m3>{MON_CS})\.?,?\s+(?P<y3>\d{{4}})\b"
)
MONTH_ONLY = re.compile(
    r"\b(?i:in|by|around|early|mid|late|end of|until|through|before|from|starting|start of)\s+"
    rf"(?:-\s*)?(?P<m>{MON_CS})\b\.?(?:\s+(?P<y>\d{{4}}))?(?!\s*\d)"
)
QUARTER = re.compile(r"\b(?:in\s+|by\s+|for\s+)?Q(?P<q>[1-4])(?:\s+(?P<y>\d{4}))?\b")
REL = re.compile(
    r"\b(?:(?P<now>today|tonight|this (?:morning|afternoon|evening|week|month|quarter|year))"
    r"|(?P<yesterday>yesterday)|(?P<tomorrow>tomorrow)|(?P<ewk>earlier this week)"
    r"|(?P<emo>earlier this month)|(?P<lastweek>last week|a week ago)|(?P<nextweek>next week)"
    rf"|(?P<agon>{NUMW}|a)\s+(?P<agou>day|week|month|year)s?\s+ago"
    rf"|in\s+(?:(?:about|around|roughly)\s+|~\s*)?(?P<inn>{NUMW}|a)\s+(?P<inu>day|week|month"
    r"|year)s?|(?P<lastmonth>last month|a month ago)|(?P<nextmonth>next month)"
    r"|(?P<lastq>last quarter)|(?P<nextq>next quarter)|(?P<lasty>last year)|(?P<nexty>next year)"
    r"|last (?P<wd>monday|tuesday|wednesday|thursday|friday|saturday|sunday))\b"
)
_FORWARD_CUES = frozenset({"tomorrow", "nextweek", "inn", "nextmonth", "nextq", "nexty"})
_NOT_A_DATE = re.compile(
    r"\b(?:since|than|vs\.?|versus|compared to|from|over)(?:\s+(?:the|last|on|(?:mon|tues|wednes"
    r"|thurs|fri|satur|sun)day,?))*\s*$",
    _I,
)
_DEADLINE = re.compile(r"(?:by|until|till|before|due)\s*$", _I)
_FILLER = re.compile(
    r"^[\s:,()~*_\-–—]*(?:(?:['’]s|is|was|will|be|falls?|lands?|dates?|scheduled|set|due|comes?"
    r"|coming|up|on|in|for|around|at|by|the|of|end|early|mid|late|approx\.?|approximately"
    r"|roughly|about|should|expected|happens|happening|takes|place|our|their|its|contract"
    r"|agreement|subscription|next|this|renewal|renews?|ends?|expires?|until|through|runs"
    r"|out|effective|starting|as|currently|per|according|to|CRM|records?|order|form|MSA"
    r"|paperwork)[\s:,()~*_\-–—]*)*$",
    _I,
)


def _mk(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _infer(month: int, day: int, ref: date, forward: bool) -> date | None:
    """Yearless day: latest not after `ref`, or (forward) the next on/after `ref`."""
    years = (ref.year, ref.year + 1, ref.year + 2) if forward else (ref.year, ref.year - 1)
    for y in years:
        d = _mk(y, month, day)
        if d is not None and (d >= ref if forward else d <= ref):
            return d
    return None


def _month(name: str) -> int:
    return MONTHS[name[:3].lower()]


def parse_date(m: re.Match[str], ref: date, forward: bool) -> tuple[date | None, bool]:
    """Read a `DATE` (or `YEARLESS`) match as (date, ambiguous)."""
    g = m.groupdict()
    if "ya" in g:  # day/month without a year: the latest not after `ref` (next, forward)
        a, b = int(g["ya"]), int(g["yb"])
        if (a > 12) == (b > 12):
            return None, True
        dd, mm = (a, b) if a > 12 else (b, a)
        return _infer(mm, dd, ref, forward), False
    if g["iy"]:
        return _mk(int(g["iy"]), int(g["im"]), int(g["id"])), False
    if g.get("na"):
        a, b, y = int(g["na"]), int(g["nb"]), int(g["ny"])
        y = y + 2000 if y < 100 else y
        if (a > 12) == (b > 12):  # both could be a month (or neither): ambiguous
            return None, True
        return (_mk(y, b, a) if a > 12 else _mk(y, a, b)), False
    if "m3" not in g:
        return None, False
    if g["m3"]:
        return _mk(int(g["y3"]), _month(g["m3"]), 1), False
    mon, day, year = (g["m1"], g["d1"], g["y1"]) if g["m1"] else (g["m2"], g["d2"], g["y2"])
    if year:
        return _mk(int(year), _month(mon), int(day)), False
    return _infer(_month(mon), int(day), ref, forward), False


def explicit_date(text: str, ref: date, event: bool) -> date | None:
    """First explicit date in `text` (yearless: before `ref`, or after it for an event)."""
    for m in date_matches(text):
        pre = text[max(0, m.start() - 30) : m.start()]
        if _NOT_A_DATE.search(pre) or (not event and _DEADLINE.search(pre)):
            continue
        d, _ = parse_date(m, ref, event)
        if d is not None:
            return d
    return None


_FIRST_DIGIT = re.compile(r"\d")
# "18/11", "11.18": read only next to a header keyword ("call 18/11"), never in sentences
YEARLESS = re.compile(
    r"(?<![\w/.,:-])(?P<ya>[0-3]?\d)[/.](?P<yb>[0-3]?\d)(?![\w%]|[/.,:-]\d)"
)
_NUMERIC_DATE = re.compile(
    r"\b(?P<iy>\d{4})[-/](?P<im>\d{1,2})[-/](?P<id>\d{1,2})\b"
    r"|\b(?P<na>\d{1,2})[/.](?P<nb>\d{1,2})[/.](?P<ny>\d{4}|\d{2})\b"
)
_MONTH_KEYS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def date_matches(text: str) -> list[re.Match[str]]:
    """Every `DATE` match in `text` (a cheaper numeric-only scan when no month is named)."""
    digit = _FIRST_DIGIT.search(text)
    if digit is None:
        return []
    low = text.lower()
    rx = DATE if any(k in low for k in _MONTH_KEYS) else _NUMERIC_DATE
    return list(rx.finditer(text, max(0, digit.start() - 12)))
_STEPS: dict[str, relativedelta] = {
    "yesterday": relativedelta(days=-1), "tomorrow": relativedelta(days=1),
    "lastweek": relativedelta(weeks=-1), "nextweek": relativedelta(weeks=1),
    "lastmonth": relativedelta(months=-1), "nextmonth": relativedelta(months=1),
    "lastq": relativedelta(months=-3), "nextq": relativedelta(months=3),
    "lasty": relativedelta(years=-1), "nexty": relativedelta(years=1),
}


def shift_date(m: re.Match[str], base: date) -> date | None:
    """Resolve a relative cue to a date, counted from `base`."""
    g = {k: v for k, v in m.groupdict().items() if v}
    if "now" in g:
        return base
    for key, step in _STEPS.items():
        if key in g:
            return base + step
    if "ewk" in g:
        return base - timedelta(days=base.weekday())
    if "emo" in g:
        return base.replace(day=1)
    if "wd" in g:
        target = ("mon", "tue", "wed", "thu", "fri", "sat", "sun").index(g["wd"][:3].lower())
        return base - timedelta(days=(base.weekday() - target - 1) % 7 + 1)
    count, unit, sign = (g.get("agon"), g.get("agou"), -1) if "agon" in g else (
        g.get("inn"), g.get("inu"), 1)
    n = 1.0 if (count or "").lower() == "a" else word_number(count or "")
    if n is None or unit is None:
        return None
    k = int(n) * sign
    u = unit.lower()
    return base + (relativedelta(days=k) if u == "day" else relativedelta(weeks=k) if u == "week"
                   else relativedelta(months=k) if u == "month" else relativedelta(years=k))


def lowered(text: str) -> str:
    """Lower-case `text` without changing its length (so offsets stay valid)."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in text)


def relative_date(text: str, base: date, event: bool) -> date | None:
    """First relative cue in `text` resolved from `base` (forward cues only for events)."""
    for m in REL.finditer(lowered(text)):
        kind = m.lastgroup or ""
        if kind in {"agou", "inu"}:
            kind = "agon" if m.group("agon") else "inn"
        if kind in _FORWARD_CUES and not event:
            continue
        if _NOT_A_DATE.search(text[max(0, m.start() - 14) : m.start()]):
            continue
        d = shift_date(m, base)
        if d is not None:
            return d
    return None


def planned_date(
    text: str, pos: int, end: int, base: date, after: bool
) -> tuple[date, bool] | None:
    """Find the planned date just after (or before) a keyword: (date, approximate)."""
    found: list[tuple[int, int, date, bool]] = []
    for m in date_matches(text):
        d, _ = parse_date(m, base, True)
        if d is not None:
            g = m.groupdict()
            day_level = bool(g.get("iy") or g.get("na") or g.get("d1") or g.get("d2"))
            found.append((m.start(), m.end(), d, not day_level))
    for m in MONTH_ONLY.finditer(text):
        mon = _month(m.group("m"))
        y = int(m.group("y")) if m.group("y") else None
        d2 = date(y, mon, 1) if y else _infer(mon, 1, base.replace(day=1), True)
        if d2 is not None:
            found.append((m.start(), m.end(), d2, True))
    for m in QUARTER.finditer(text):
        q0 = date(int(m.group("y")) if m.group("y") else base.year, 3 * int(m.group("q")) - 2, 1)
        if not m.group("y") and q0 + relativedelta(months=3) <= base:
            q0 = q0.replace(year=q0.year + 1)
        found.append((m.start(), m.end(), q0, True))
    for m in REL.finditer(lowered(text)):
        d3 = shift_date(m, base)
        if d3 is not None and d3 > base:
            found.append((m.start(), m.end(), d3, True))
    if after:
        cands = sorted(f for f in found if f[0] >= end and _FILLER.match(text[end : f[0]]))
        return (cands[0][2], cands[0][3]) if cands else None
    cands = sorted((f for f in found if f[1] <= pos and _FILLER.match(text[f[1] : pos])),
                   reverse=True)
    return (cands[0][2], cands[0][3]) if cands else None
