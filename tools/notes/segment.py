"""Segmentation of call notes: dated header lines, wrapped lines, sentences, clauses.

`split_clauses` cuts notes into `Clause`s: a header line ("2026-11-02 call with Dana:",
"call 18/11") dates the lines below it until the next header; hard-wrapped lines are
joined back into their sentence; sentences split at ";", "but", dashes. A clause keeps
its exact input text (`quote`) and a matching text with soft line breaks folded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from playbook.tools.notes import patterns as pt

__all__ = ["Clause", "split_clauses"]

_I = re.IGNORECASE
_HDR_KW = re.compile(
    r"\b(?:calls?|notes?|meeting|mtg|QBR|EBR|sync|check-?in|touch ?point|touch ?base|update"
    r"|e-?mail|visit|demo|review|session|catch-?up|chat|convo|conversation|1:1|1-1|kick-?off"
    r"|log|entry|stand-?up|follow-?up|onsite|on-site|workshop|debrief|recap|summary|zoom"
    r"|phone)\b",
    _I,
)
_KW_BEFORE = re.compile(rf"(?:{_HDR_KW.pattern})[\s:,|(–—-]*$", _I)
_KW_AFTER = re.compile(rf"[\s:,|)–—-]*(?:{_HDR_KW.pattern})", _I)
_HDR_BLOCK = re.compile(
    r"\b(?:next|upcoming|scheduled|planned|due|renewal|renews|deadline|expires|ends|until)\b", _I
)
_DIGIT = re.compile(r"\d")
_HAS_WORD = re.compile(r"\w")
_MD_LEAD = re.compile(r"^[\s#>*_•·\-–—]*")
_WEEKDAY = re.compile(r"^(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+", _I)
_BULLET = re.compile(r"^\s*(?:[-*•·–—>]+|\d{1,2}[.)]|[a-z][.)])\s+")
_SENT_END = re.compile(r"[.!?]+[\"'’”)\]]*(?=\s|$)")
_CLAUSE_SPLIT = re.compile(
    r";|,?\s+(?:but|however|although|though|whereas)\b,?|,\s+yet\b|\s[—–]\s|\s--?\s"
)
_CONTINUES = pt.words(
    "a an the to of for with and or but in on at by from into via every each their our your "
    "its his her is are was were be has have had that which who than as about over under"
)
_ABBR = pt.words(
    "e.g i.e etc vs mr mrs ms dr inc ltd co corp st jr sr approx dept jan feb mar apr jun jul "
    "aug sep sept oct nov dec u.s a.m p.m fig est re cf al resp abt w no"
)
_SOFT_BREAK = re.compile(r"[ \t]*(?:\r\n?|\n)[ \t]*")


@dataclass(frozen=True)
class Clause:
    """A clause: `quote` is the exact input text, `text` and `sent` (its sentence) what matches.

    `text` and `sent` fold soft line breaks into spaces (see `_soft`).
    """

    start: int
    text: str
    sent: str
    para: int
    hdate: date | None
    quote: str


def _header(line: str, ref: date) -> tuple[date | None, int | None] | None:
    """(date, content offset in the line) when the line is a dated header, else None."""
    if not _DIGIT.search(line):
        return None
    lead = len(_MD_LEAD.match(line).group())  # type: ignore[union-attr]
    core = line[lead:].rstrip().rstrip("*_ ")
    if not core:
        return None
    wd = _WEEKDAY.match(core)
    off = wd.end() if wd else 0
    found = pt.date_matches(core[:120])
    m = found[0] if found else _yearless(core[:120])
    if m is None:
        return None
    day, _ = pt.parse_date(m, ref, False)
    colon = next((c.start() for c in re.finditer(":", core)
                  if not (core[c.start() - 1 : c.start()].isdigit()
                          and core[c.start() + 1 : c.start() + 2].isdigit())), -1)
    pre = core[:colon] if colon >= 0 else core
    prefix_header = (
        colon >= 0 and m.end() <= colon and len(pre.split()) <= 10
        and not _HDR_BLOCK.search(pre) and (m.start() <= off or _HDR_KW.search(pre))
    )
    if prefix_header:
        rest = core[colon + 1 :]
    elif m.start() == off and not _HDR_BLOCK.search(core[: m.end() + 12]):
        rest = core[m.end() :]
    elif (_HDR_KW.search(core) and not core.endswith(".") and not _HDR_BLOCK.search(core)
          and len((pt.DATE.sub(" ", core) if found else core[: m.start()] + " " + core[m.end() :])
                  .split()) <= 8):
        return day, None
    else:
        return None
    stripped = rest.lstrip(" \t-–—|:,)")
    if not _HAS_WORD.search(stripped):
        return day, None
    return day, lead + len(core) - len(stripped)


def _yearless(core: str) -> re.Match[str] | None:
    """Find a day/month without a year right next to a header keyword ("call 18/11")."""
    if "/" not in core and "." not in core:
        return None
    for m in pt.YEARLESS.finditer(core):
        if _KW_BEFORE.search(core, 0, m.start()) or _KW_AFTER.match(core, m.end()):
            return m
    return None


def _joins(prev: str, line: str) -> bool:
    """Whether `line` continues the hard-wrapped sentence of `prev`."""
    p, nxt = prev.rstrip(), line.lstrip()
    if not p or not nxt or len(p.strip()) < 40 or p[-1] in ".!?:;" or _BULLET.match(line):
        return False
    if not nxt[0].isupper():
        return True
    last = p.rsplit(None, 1)[-1].lower()
    return p[-1] in ",(&/-" or last in _CONTINUES


def _may_split(s: str) -> bool:
    """Cheap pre-check for `_CLAUSE_SPLIT` (plain substring tests beat a regex scan)."""
    return (";" in s or " but" in s or "however" in s or "though" in s or "whereas" in s
            or ", yet" in s or " —" in s or " –" in s or " -" in s)


def _split_sentences(text: str, start: int) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    pos = 0
    for m in _SENT_END.finditer(text):
        if m.group()[0] == ".":
            tail = text[max(pos, m.start() - 12) : m.start()].rsplit(None, 1)
            word = tail[-1].lower().lstrip("(\"'") if tail else ""
            if word in _ABBR or (len(word) == 1 and word.isalpha()):
                continue
        out.append((start + pos, text[pos : m.end()]))
        pos = m.end()
    if text[pos:].strip():
        out.append((start + pos, text[pos:]))
    return out


def _soft(text: str) -> str:
    """Fold the line breaks of a hard-wrapped clause into single spaces (same object if none).

    Only rule matching sees the folded text; quotes stay exact substrings of the input.
    """
    return _SOFT_BREAK.sub(" ", text) if "\n" in text or "\r" in text else text


def _trim(chunk: str) -> tuple[int, str]:
    """Strip whitespace, bullets, unbalanced brackets and quotes; keep the offset."""
    lead = len(chunk) - len(chunk.lstrip(" \t\r\n*•-"))
    text = chunk.strip(" \t\r\n*•-").rstrip(",;:")
    for o, c in (("(", ")"), ("\"", "\""), ("“", "”"), ("'", "'")):
        if text.startswith(o) and c not in text[1:]:
            text, lead = text[1:].lstrip(), lead + 1 + len(text[1:]) - len(text[1:].lstrip())
        if text.endswith(c) and o not in text[:-1]:
            text = text[:-1].rstrip(",;: ")
    return lead, text


def split_clauses(text: str, as_of: date, notes_date: date | None) -> list[Clause]:
    """Every clause of `text` in document order, with its paragraph and header date."""
    units: list[tuple[int, int, int, date | None]] = []
    para, hdate = 0, None
    cur: list[int] | None = None
    prev = ""
    offset = 0
    for line in text.splitlines(keepends=True):
        lo, offset = offset, offset + len(line)
        body = line.rstrip("\r\n")
        if not body.strip():
            cur, prev, para = None, "", para + 1
            continue
        h = _header(body, notes_date or as_of)
        if h is not None:
            para, hdate, prev = para + 1, h[0], body
            cur = None
            if h[1] is not None:
                cur = [lo + h[1], lo + len(body.rstrip()), para]
                units.append((cur[0], cur[1], para, hdate))
            continue
        if cur is not None and _joins(prev, body):
            cur[1] = lo + len(body.rstrip())
            units[-1] = (cur[0], cur[1], para, hdate)
        else:
            b = _BULLET.match(body)
            s = lo + (b.end() if b else len(body) - len(body.lstrip()))
            cur = [s, lo + len(body.rstrip()), para]
            units.append((s, cur[1], para, hdate))
        prev = body
    out: list[Clause] = []
    for s, e, p, hd in units:
        for ss, sent in _split_sentences(text[s:e], s):
            pos = 0
            cuts = [*_CLAUSE_SPLIT.finditer(sent)] if _may_split(sent) else []
            for piece in [*cuts, None]:
                chunk_end = piece.start() if piece else len(sent)
                lead, clause = _trim(sent[pos:chunk_end])
                if _HAS_WORD.search(clause):
                    out.append(Clause(ss + pos + lead, _soft(clause), _soft(sent.strip()), p, hd,
                                       clause))
                pos = piece.end() if piece else pos
    return out
