"""Evidence phrasing, safety checks and stable variation for the offline drafter.

Evidence strings in an `Assessment` are machine-shaped (`seats_used=47 of
seats_purchased=50 (94%)`, `notes: "..."`). The helpers here turn them into
readable phrases that keep every number exactly as decided and add none. Text
that comes from the account (notes quotes, free-text columns) is untrusted: it is
used only when it passes `is_clean` (no pressure, discount or instruction-like
wording) and, for notes quotes, only when it occurs verbatim in the notes.
All patterns are compiled once, at import.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable, Collection, Sequence

__all__ = [
    "GATE_FIRST",
    "GATE_LABELS",
    "OFFER_LABELS",
    "TRIGGER_LABELS",
    "chunk_sentences",
    "first_name",
    "has_pitch",
    "is_clean",
    "phrase",
    "quote",
    "sentence_case",
    "variant",
    "word_count",
]

MAX_QUOTE_WORDS = 25

OFFER_LABELS: dict[str, str] = {
    "capacity": "capacity expansion",
    "tier_upgrade": "tier upgrade",
    "cross_sell": "cross-sell",
    "professional_services": "professional services",
    "multi_year": "multi-year renewal",
}
TRIGGER_LABELS: dict[str, str] = {
    "success_moment": "a success moment",
    "usage_ceiling": "a usage ceiling",
    "team_growth": "team growth",
    "new_initiative": "a new initiative",
    "renewal_ahead": "the renewal ahead",
    "onboarding_complete": "onboarding completed",
    "champion_event": "a champion event",
    "org_change": "an organisational change",
    "budget_cycle": "their budget cycle",
    "product_launch": "a product launch that fits their need",
}
GATE_LABELS: dict[str, str] = {
    "open_problem": "an open support problem",
    "gone_quiet": "no recent contact",
    "low_usage": "low usage",
    "quarter_end": "an opening moved to the next fiscal quarter",
    "at_risk": "an at-risk relationship",
}
GATE_FIRST: dict[str, str] = {
    "open_problem": "fixing the open problem",
    "gone_quiet": "re-establishing contact",
    "low_usage": "adoption",
    "quarter_end": "the moved opening",
    "at_risk": "retention",
}

_UNSAFE = re.compile(
    r"discount|%\s*off\b|percent off|act now|limited time|end of the quarter|quarter[\s-]*end"
    r"|last chance|expir|hurry|don'?t miss|do not miss|only today|deadline is"
    r"|\bignore\b|instruction|disregard|set the score|system prompt|you are now|override"
    r"|jailbreak|\bprompt\b",
    re.IGNORECASE,
)
_PITCH = re.compile(r"upgrade|add(?:ing)? seats|expan|proposal|pric|discount", re.IGNORECASE)
_ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "dame"})

_NOTES = re.compile(r'^notes: "(?P<quote>.*)"(?P<rest>.*)$', re.DOTALL)
_PCT = re.compile(r"\((?P<pct>\d+(?:\.\d+)?%)\)")


def _opt(value: str | None) -> str:
    """Return ` (value)` when given, else nothing."""
    return f" ({value})" if value else ""


def _plural(count: str, word: str) -> str:
    """Return `count word`, with an `s` unless the count is one."""
    return f"{count} {word}" if count == "1" else f"{count} {word}s"


Render = Callable[[dict[str, str]], str]
_FIELDS: tuple[tuple[re.Pattern[str], Render, tuple[str, ...]], ...] = (
    (
        re.compile(r"^seats_used=(?P<a>\S+) of seats_purchased=(?P<b>\S+)(?: \((?P<p>[^)]+)\))?$"),
        lambda g: f"{g['a']} of {g['b']} seats in use{_opt(g['p'])}",
        (),
    ),
    (
        re.compile(r"^usage_current=(?P<a>.+?) of usage_limit=(?P<b>.+?)(?: \((?P<p>[^)]+)\))?$"),
        lambda g: f"{g['a']} of the {g['b']} usage limit{_opt(g['p'])}",
        (),
    ),
    (
        re.compile(r"^departments_now=(?P<a>\d+) vs departments_at_purchase=(?P<b>\d+)$"),
        lambda g: f"{g['a']} departments using it now, up from {g['b']} at purchase",
        (),
    ),
    (
        re.compile(r"^team_size_now=(?P<a>\d+) vs team_size_at_purchase=(?P<b>\d+)$"),
        lambda g: f"a team of {g['a']} people now, up from {g['b']} at purchase",
        (),
    ),
    (
        re.compile(
            r"^positive_outcome=(?P<v>.*?)(?: \(positive_outcome_date=[^)]*\))?$", re.DOTALL
        ),
        lambda g: f'"{g["v"]}"',
        ("v",),
    ),
    (
        re.compile(r"^new_initiative=(?P<v>.*)$", re.DOTALL),
        lambda g: f'"{g["v"]}"',
        ("v",),
    ),
    (
        re.compile(r"^feature_requests=(?P<v>.*)$", re.DOTALL),
        lambda g: f"requests for {g['v']}",
        ("v",),
    ),
    (
        re.compile(r"^feature requests: (?P<v>.*)$", re.DOTALL),
        lambda g: f"requests for {g['v']}",
        ("v",),
    ),
    (
        re.compile(r"^nps=(?P<n>\d+) \(nps_date=[^)]*\)$"),
        lambda g: f"an NPS of {g['n']}",
        (),
    ),
    (
        re.compile(r"^renewal_date=(?P<d>\S+) \((?P<n>-?\d+) days away\)$"),
        lambda g: f"the renewal on {g['d']}, {g['n']} days away",
        (),
    ),
    (
        re.compile(r"^renewal in (?P<n>-?\d+) days$"),
        lambda g: f"the renewal in {g['n']} days",
        (),
    ),
    (
        re.compile(r"^active_users=(?P<a>\d+) > seats_purchased=(?P<b>\d+).*$"),
        lambda g: f"{g['a']} active users on {g['b']} paid seats",
        (),
    ),
    (
        re.compile(r"^active_users=(?P<a>\d+) of seats_purchased=(?P<b>\d+) \((?P<p>[^)]+)\)$"),
        lambda g: f"{g['a']} active users on {g['b']} seats ({g['p']})",
        (),
    ),
    (
        re.compile(
            r"^company_employees_now=(?P<a>.+?) vs company_employees_at_purchase=(?P<b>.+)$"
        ),
        lambda g: f"{g['a']} employees now, up from {g['b']} at purchase",
        (),
    ),
    (
        re.compile(r"^company_revenue_growth_pct=(?P<v>.+)$"),
        lambda g: f"company revenue up {g['v']} since purchase",
        (),
    ),
    (
        re.compile(r"^open_tickets_high=(?P<n>\d+)$"),
        lambda g: _plural(g["n"], "open high-severity ticket"),
        (),
    ),
    (
        re.compile(r"^last_contact_date=\S+ \((?P<n>\d+) days ago\)$"),
        lambda g: f"{g['n']} days since the last contact",
        (),
    ),
    (
        re.compile(r"^logins_per_month=(?P<n>\S+)$"),
        lambda g: f"{g['n']} logins a month",
        (),
    ),
    (
        re.compile(r"^relationship_status=(?P<v>\S+)$"),
        lambda g: f"a relationship marked {g['v']}",
        (),
    ),
)


def is_clean(text: str, allowed_dates: Collection[str] = ()) -> bool:
    """Tell whether `text` carries no pressure, discount or instruction-like wording.

    ISO dates in it must be among `allowed_dates` (the decided dates).
    """
    if _UNSAFE.search(text):
        return False
    return all(d in allowed_dates for d in _ISO_DATE.findall(text))


def has_pitch(text: str) -> bool:
    """Tell whether `text` contains a pitch word (upgrade, seats, proposal, price...)."""
    return _PITCH.search(text) is not None


_CLAUSE_BREAK = re.compile(r",\s+|\s+(?:and|but|so)\s+")


def before_pitch(text: str, min_words: int = 4) -> str:
    """Return the part of a quoted phrase before its first pitch word, cut at a clause break.

    "" when no such part of at least `min_words` words exists. The result keeps the
    opening quote mark and gets a closing one, so it still reads as a quote.
    """
    match = _PITCH.search(text)
    if match is None:
        return text
    head = text[: match.start()]
    breaks = list(_CLAUSE_BREAK.finditer(head))
    if breaks:
        head = head[: breaks[-1].start()]
    head = head.rstrip(" ,;:-")
    body = head.lstrip('"')
    if len(body.split()) < min_words:
        return ""
    return f'"{body}"' if text.startswith('"') else body


def _trim(text: str, max_words: int) -> str:
    """Collapse whitespace, keep at most `max_words` words, drop trailing punctuation."""
    parts = text.split()
    return " ".join(parts[:max_words]).rstrip(".,;: ")


def quote(
    text: str | None,
    *,
    notes: str | None,
    allowed_dates: Collection[str],
    max_words: int = MAX_QUOTE_WORDS,
) -> str:
    """Return a notes quote in double quotes, or "" when it is unsafe or not verbatim in the notes.

    `notes` is the account's notes, whitespace-collapsed and lowercased (None when
    the notes were not given: the quote is then trusted as decided).
    """
    if not text:
        return ""
    body = _trim(text, max_words)
    if not body or '"' in body or not is_clean(body, allowed_dates):
        return ""
    if notes is not None and body.lower() not in notes:
        return ""
    return f'"{body}"'


def phrase(
    evidence: str | None,
    *,
    notes: str | None,
    allowed_dates: Collection[str],
    strict: bool = False,
) -> str:
    """Return a readable, safe phrase for one evidence string; "" when nothing safe can be said.

    Numbers are copied as written in the evidence; dates are kept only when decided.
    With `strict`, evidence of an unknown shape gives "" instead of its own text (for
    prose addressed to the customer).
    """
    if not evidence:
        return ""
    m = _NOTES.match(evidence)
    if m is not None:
        body = quote(m.group("quote"), notes=notes, allowed_dates=allowed_dates)
        if not body:
            return ""
        pct = _PCT.search(m.group("rest"))
        return body + (f" ({pct.group('pct')})" if pct else "")
    for pattern, render, free in _FIELDS:
        fm = pattern.match(evidence)
        if fm is None:
            continue
        groups = {k: (v or "") for k, v in fm.groupdict().items()}
        for key in free:
            groups[key] = _trim(groups[key], MAX_QUOTE_WORDS)
            if not groups[key] or '"' in groups[key]:
                return ""
        text = render(groups)
        return text if is_clean(text, allowed_dates) else ""
    if strict:
        return ""
    text = _trim(evidence, 40)
    return text if is_clean(text, allowed_dates) else ""


def first_name(contact: str | None) -> str | None:
    """Return the contact's first name (skipping honorifics; `Last, First` is understood)."""
    if not contact:
        return None
    name = contact.strip()
    if "," in name:
        last, _, rest = name.partition(",")
        name = rest.strip() or last.strip()
    for token in name.split():
        bare = token.strip(".,;:")
        if bare and bare.lower() not in _HONORIFICS:
            return bare if is_clean(bare) else None
    return None


def variant(account_id: str, salt: str, options: Sequence[str]) -> str:
    """Pick one of `options`, stable for an account and a purpose (crc32, not `hash`)."""
    return options[zlib.crc32(f"{salt}|{account_id}".encode()) % len(options)]


def sentence_case(text: str) -> str:
    """Upper-case the first letter, end with a full stop."""
    text = text.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".?!" else text + "."


def chunk_sentences(text: str, limit: int, *, skip_pitch: bool = False) -> list[str]:
    """Up to `limit` plain sentences of a guidance chunk (no quotes, nothing unsafe)."""
    out: list[str] = []
    for raw in _SENTENCE_END.split(" ".join(text.split())):
        sentence = raw.strip()
        if (
            len(sentence) < 20
            or '"' in sentence
            or sentence.startswith(("#", "-", "*", "|"))
            or _UNSAFE.search(sentence)
            or (skip_pitch and _PITCH.search(sentence))
        ):
            continue
        out.append(sentence)
        if len(out) == limit:
            break
    return out


def word_count(text: str) -> int:
    """Words as the rubric counts them (whitespace-separated tokens)."""
    return len(text.split())
