"""Shared vocabulary of the call-notes phrase tables: fragments, the `Rule` type, numbers.

A `Rule` names one finding (category, name), a regex of the phrasings a CSM
writes for it, lower-case word prefixes (`keys`) one of which must start a word
of the clause before the regex runs, and how the engine treats it: drop when
negated, drop when conditional / aspirational (`hypo`), dated as a planned
event (`event`), a value hook, companion findings (`also`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

_I = re.IGNORECASE
Extra = list[tuple[str, str, dict[str, Any]]]
HookResult = tuple[dict[str, Any], Extra] | None

# --- shared fragments -------------------------------------------------------

MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}
MON_CS = (
    r"(?:[Jj]an(?:uary)?|[Ff]eb(?:ruary)?|[Mm]ar(?:ch)?|[Aa]pr(?:il)?|May|[Jj]une?|[Jj]uly?"
    r"|[Aa]ug(?:ust)?|[Ss]ep(?:t(?:ember)?)?|[Oo]ct(?:ober)?|[Nn]ov(?:ember)?|[Dd]ec(?:ember)?"
    r"|JAN|FEB|MAR|APR|MAY|JUNE?|JULY?|AUG|SEPT?|OCT|NOV|DEC)"
)
NUMW = (
    r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty"
    r"|thirty|a couple(?: of)?|a few|several|a dozen|a handful of)"
)
WORD_NUMBERS: dict[str, float] = {
    "zero": 0, "no": 0, "none": 0, "one": 1, "once": 1, "a": 1, "an": 1, "single": 1,
    "two": 2, "twice": 2, "a couple": 2, "a couple of": 2, "couple": 2, "three": 3,
    "thrice": 3, "a few": 3, "few": 3, "several": 3, "a handful of": 4, "four": 4,
    "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11,
    "twelve": 12, "a dozen": 12, "fifteen": 15, "twenty": 20, "thirty": 30,
}
DEPT = (
    r"(?:marketing|sales|customer support|support|customer success|success|finance|accounting"
    r"|HR|people ops|legal|ops|operations|engineering|product|design|procurement|recruiting"
    r"|data|analytics|security|compliance|RevOps|rev ops|partnerships|treasury|risk|logistics"
    r"|dispatch|warehouse|the \w+ team|another team|a second team|a third team"
    r"|two more teams)"
)
EXEC = r"(?:CEO|CTO|CFO|CIO|COO|CRO|CMO|CISO|CPO|CDO|President|VP|SVP|EVP|GM)"
PROB = (
    r"(?:bugs?|issues?|incidents?|outages?|tickets?|problems?|defects?|errors?|escalations?"
    r"|failures?)"
)


@dataclass(frozen=True)
class Rule:
    """One phrase table entry: the regex and how the engine treats its matches.

    `keys` are lower-case word prefixes, one of which must start a word of the
    clause for the regex to run. A rule without `(?-i:...)` parts is compiled
    lower-cased without IGNORECASE and runs on the lower-cased clause (`cased`
    False); otherwise it runs case-insensitively on the original text.
    """

    category: str
    name: str
    rx: re.Pattern[str]
    keys: tuple[str, ...]
    cased: bool = False
    neg: bool = True
    hypo: int = 1
    event: bool = False
    hook: str | None = None
    also: tuple[tuple[str, str], ...] = ()
    values: tuple[tuple[str, Any], ...] = ()


def lower_pattern(pattern: str) -> str:
    """Lower-case a regex source, leaving escapes and group names alone."""
    out: list[str] = []
    i = 0
    while i < len(pattern):
        if pattern[i] == "\\":
            out.append(pattern[i : i + 2])
            i += 2
        elif pattern.startswith("(?P<", i):
            j = pattern.index(">", i) + 1
            out.append(pattern[i:j])
            i = j
        else:
            out.append(pattern[i].lower())
            i += 1
    return "".join(out)


def words(text: str) -> frozenset[str]:
    """Split `text` on whitespace into a set of words."""
    return frozenset(text.split())


def rule(category: str, name: str, keys: str, *patterns: str, **opts: Any) -> Rule:
    """Build a rule; `keys` is a `|`-separated list of lower-case word prefixes."""
    source = "|".join(f"(?:{p})" for p in patterns)
    cased = "(?-i:" in source
    rx = re.compile(source, _I) if cased else re.compile(lower_pattern(source))
    return Rule(category, name, rx, tuple(k for k in keys.split("|") if k), cased, **opts)


OUTCOME_ALSO = (("trigger", "success_moment"),)
TEAM_ALSO = (("trigger", "team_growth"),)
INIT_ALSO = (("trigger", "new_initiative"),)


def word_number(text: str) -> float | None:
    """Parse `12`, `1.5`, `twice`, `a couple of`, `3x`, `4 times` into a number."""
    t = re.sub(r"\s*(?:x|times)$", "", text.strip().lower()).strip()
    if t in WORD_NUMBERS:
        return WORD_NUMBERS[t]
    t = t.replace(",", "")
    return float(t) if re.fullmatch(r"\d+(?:\.\d+)?", t) else None
