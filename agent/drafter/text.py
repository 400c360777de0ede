"""Text safety checks, quoting and stable variation for the offline drafter.

Text that comes from the account (notes quotes, free-text columns) is untrusted: it
is used only when it passes `is_clean` (no pressure, discount or instruction-like
wording) and, for notes quotes, only when it occurs verbatim in the notes. All
patterns are compiled once, at import.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Collection, Sequence

__all__ = [
    "MAX_QUOTE_WORDS",
    "chunk_sentences",
    "first_name",
    "has_pitch",
    "is_clean",
    "quote",
    "sentence_case",
    "trim",
    "variant",
    "word_count",
]

MAX_QUOTE_WORDS = 25

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


def trim(text: str, max_words: int) -> str:
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
    body = trim(text, max_words)
    if not body or '"' in body or not is_clean(body, allowed_dates):
        return ""
    if notes is not None and body.lower() not in notes:
        return ""
    return f'"{body}"'


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
