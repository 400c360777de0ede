"""Deterministic parsing of chat follow-ups, so the chat works offline.

Understood intents:

* ``shorter``: "make the script shorter", "shorten it", "more concise";
* ``renewal``: "renewal is 2027-06-15", "what if the renewal is in June?",
  "renewal moved to 15 June 2027";
* ``as_of``: "as of 2026-12-01";
* ``help``: "help", "what can you do?";
* ``new_brief``: anything that looks like call notes or an account row.

Everything else is ``unknown`` and gets a reply listing what can be asked.
"""

from __future__ import annotations

import calendar as _cal
import re
from dataclasses import dataclass
from datetime import date

MONTHS = {name.lower(): i for i, name in enumerate(_cal.month_name) if name}
MONTHS.update({name.lower(): i for i, name in enumerate(_cal.month_abbr) if name})
MONTHS["sept"] = 9
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_ISO = re.compile(r"\b(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})\b")
_DAY_MONTH = re.compile(rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}"
                        rf"(?:,?\s+(?P<year>\d{{4}}))?\b", re.I)
_MONTH_DAY = re.compile(rf"\b{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\b"
                        rf"(?:,?\s+(?P<year>\d{{4}}))?", re.I)
_MONTH_ONLY = re.compile(rf"\b(?:in|to|on|for|is|be|at)?\s*(?:early\s+|mid[- ]|late\s+)?{_MONTH}"
                         rf"(?:\s+(?P<year>\d{{4}}))?\b", re.I)
_RENEWAL = re.compile(r"\b(renew(al|als|s|ing)?|contract end|term end)\b", re.I)
_AS_OF = re.compile(r"\bas[- ]of\b", re.I)
_SHORTER = re.compile(
    r"\b(short(er|en)?|concise|tighter|trim|brief(er)?|fewer words|cut (it|the script) down"
    r"|less (wordy|long))\b",
    re.I,
)
_HELP = re.compile(r"^\s*(help|\?|what can (you|i) (do|ask)\b.*|commands?)\s*[?!.]*\s*$", re.I)
_NOTES_HINT = re.compile(
    r"(\n.*\n)|\b(account|call|notes?|met with|spoke|seats?|renewal|nps|customer|contact)\b",
    re.I,
)

HELP_TEXT = (
    "Here is what I can do in this conversation:\n\n"
    "- **Paste call notes or an account row** to get a full brief (I ask for what is missing).\n"
    "- **\"make the script shorter\"**: re-drafts only the script; the facts stay the same.\n"
    "- **\"renewal is 2027-06-15\"** or **\"what if the renewal is in June?\"**: re-decides "
    "the facts with that renewal date and shows what changed.\n"
    "- **\"as of 2026-12-01\"**: re-decides everything as of another date.\n"
    "- **\"new\"**: start a new conversation (or use the sidebar)."
)


@dataclass(frozen=True)
class FollowUp:
    """What a chat message asks for."""

    intent: str
    day: date | None = None
    note: str = ""


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _next_occurrence(month: int, day: int | None, after: date) -> tuple[int, int]:
    """Year and day for a month (and day) given without a year: the next one after `after`."""
    d = day or 1
    last = _cal.monthrange(after.year, month)[1]
    candidate = date(after.year, month, min(d, last))
    year = after.year if candidate > after else after.year + 1
    return year, min(d, _cal.monthrange(year, month)[1])


def find_date(text: str, *, after: date, keep_day: int | None = None) -> tuple[date, str] | None:
    """Find the first date in `text`, resolving month-only and year-less forms after `after`.

    Returns the date and a note on how a partial date was read ("" when the
    text gave a full date). A month alone keeps `keep_day` (the current
    renewal's day of month) when given, else the 1st.
    """
    if m := _ISO.search(text):
        day = _safe_date(int(m["y"]), int(m["m"]), int(m["d"]))
        return (day, "") if day else None
    for pattern in (_DAY_MONTH, _MONTH_DAY):
        if m := pattern.search(text):
            month = MONTHS[m["month"].lower()]
            if m["year"]:
                day = _safe_date(int(m["year"]), month, int(m["day"]))
                return (day, "") if day else None
            year, d = _next_occurrence(month, int(m["day"]), after)
            day = _safe_date(year, month, d)
            return (day, f"read as {day.isoformat()} (the next one)") if day else None
    if m := _MONTH_ONLY.search(text):
        month = MONTHS[m["month"].lower()]
        if m["year"]:
            year = int(m["year"])
            d = min(keep_day or 1, _cal.monthrange(year, month)[1])
        else:
            year, d = _next_occurrence(month, keep_day, after)
        day = date(year, month, d)
        how = "keeping the current day of the month" if keep_day else "taking the 1st"
        return day, f"read as {day.isoformat()} ({how})"
    return None


def parse_followup(
    text: str, *, as_of: date, renewal: date | None = None, has_brief: bool = True
) -> FollowUp:
    """Classify one chat message deterministically (see the module docstring)."""
    stripped = text.strip()
    if not stripped or _HELP.match(stripped):
        return FollowUp("help")
    if stripped.lower() in {"new", "new chat", "start over", "reset"}:
        return FollowUp("new")
    short_message = len(stripped) <= 160 and "\n" not in stripped
    if has_brief and short_message:
        if _RENEWAL.search(stripped):
            found = find_date(stripped, after=as_of, keep_day=renewal.day if renewal else None)
            if found:
                return FollowUp("renewal", found[0], found[1])
        if _AS_OF.search(stripped) and (m := _ISO.search(stripped)):
            day = _safe_date(int(m["y"]), int(m["m"]), int(m["d"]))
            if day:
                return FollowUp("as_of", day)
        if _SHORTER.search(stripped) and ("script" in stripped.lower() or len(stripped) <= 40):
            return FollowUp("shorter")
        if len(stripped) >= 60 and _NOTES_HINT.search(stripped):
            return FollowUp("new_brief")
        return FollowUp("unknown")
    if len(stripped) >= 40 or _NOTES_HINT.search(stripped) and len(stripped) >= 20:
        return FollowUp("new_brief")
    return FollowUp("unknown")
