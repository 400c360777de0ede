"""Deterministic extractor of facts, signals, gates, triggers and concerns from CSM call notes.

`extract_findings` reads free text (pasted call notes, the `notes` column) and
returns `NoteFindings`: every finding carries a quote that is an exact substring
of the input (the clause it rests on), a date when one is known and how it was
dated. The phrase tables live in `tools.notes_patterns`; this module splits the
text into dated clauses, applies the tables, handles negation, hypotheticals,
resolved problems and injected instructions, and deduplicates.

Dating, per clause: an explicit date in the clause (or its sentence) ->
"explicit"; a relative cue ("last week", "two weeks ago") relative to the
header date, else `notes_date`, else `as_of` -> "relative"; the date of the
last header line ("2026-11-02 call with Dana:") -> "header"; `notes_date` ->
"notes_date"; else no date. Yearless dates take the latest year not after the
reference date, except for planned events (renewal, initiative, our launch),
which take the next occurrence. Dates after `as_of` are kept: the rules decide.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from . import notes_patterns as pt
from .models import NoteFinding, NoteFindings

__all__ = ["extract_findings", "redact"]

DatedBy = Literal["header", "explicit", "relative", "notes_date"]
When = tuple[date | None, DatedBy | None]

_I = re.IGNORECASE
_HDR_KW = re.compile(
    r"\b(?:calls?|notes?|meeting|mtg|QBR|EBR|sync|check-?in|touch ?point|touch ?base|update"
    r"|e-?mail|visit|demo|review|session|catch-?up|chat|convo|conversation|1:1|1-1|kick-?off"
    r"|log|entry|stand-?up|follow-?up|onsite|on-site|workshop|debrief|recap|summary|zoom"
    r"|phone)\b",
    _I,
)
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
_RESOLVED_HINTS = (
    "fix", "resol", "clos", "solved", "patched", "restored", "remediated", "sorted", "cleared",
    "back ", "working", "running", "no longer", "recovered",
)
_REL_HINTS = ("today", "tonight", "yesterday", "this ", "ago", "last ")
_FORWARD_HINTS = ("tomorrow", "next ", "in ")
_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_CONTINUES = pt.words(
    "a an the to of for with and or but in on at by from into via every each their our your "
    "its his her is are was were be has have had that which who than as about over under"
)
_ABBR = pt.words(
    "e.g i.e etc vs mr mrs ms dr inc ltd co corp st jr sr approx dept jan feb mar apr jun jul "
    "aug sep sept oct nov dec u.s a.m p.m fig est re cf al resp abt w no"
)
_WORD = re.compile(r"[^\W\d_][\w'’-]*|\d\w*")
_NEG_WORDS = pt.words(
    "not no never nor none nothing zero without neither cannot denied denies stopped ruled "
    "instead rather"
)
_COND_WORDS = pt.words("if unless whether would could should might")
_ASPIRE_WORDS = pt.words(
    "hope hopes hoping want wants wanted wish plan plans planning goal goals aim aims aiming "
    "target targets trying try expect expects expecting projected forecast need needs will "
    "going potential potentially intend intends"
)
_EMAIL = re.compile(r"[\w.+%-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(
    r"(?<![\w/.-])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{1,4}\)[\s.-]?)?\d{1,4}(?:[\s.-]?\d{2,4}){1,4}"
    r"(?![\w/%-]|\.\d)"
)
_DATEISH = re.compile(r"\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./]\d{2,4}")


@dataclass(frozen=True)
class _Clause:
    start: int
    text: str
    sent: str
    para: int
    hdate: date | None


@dataclass
class _Raw:
    category: str
    name: str
    clause: _Clause
    when: When
    values: dict[str, Any]
    dropped: bool = False


# ---- segmentation -------------------------------------------------------------


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
    if not found:
        return None
    m = found[0]
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
          and len(pt.DATE.sub(" ", core).split()) <= 8):
        return day, None
    else:
        return None
    stripped = rest.lstrip(" \t-–—|:,)")
    if not _HAS_WORD.search(stripped):
        return day, None
    return day, lead + len(core) - len(stripped)


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


def _clauses(text: str, as_of: date, notes_date: date | None) -> list[_Clause]:
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
    out: list[_Clause] = []
    for s, e, p, hd in units:
        for ss, sent in _split_sentences(text[s:e], s):
            pos = 0
            cuts = [*_CLAUSE_SPLIT.finditer(sent)] if _may_split(sent) else []
            for piece in [*cuts, None]:
                chunk_end = piece.start() if piece else len(sent)
                lead, clause = _trim(sent[pos:chunk_end])
                if _HAS_WORD.search(clause):
                    out.append(_Clause(ss + pos + lead, clause, sent.strip(), p, hd))
                pos = piece.end() if piece else pos
    return out


# ---- rule selection ---------------------------------------------------------------

_ALL_RULES: tuple[pt.Rule, ...] = (*pt.RULES, pt.OPEN_PROBLEM)
_OPEN_PROBLEM_ID = len(pt.RULES)
_KEY_INDEX: dict[str, set[int]] = {}
for _i, _r in enumerate(_ALL_RULES):
    for _k in _r.keys:
        _KEY_INDEX.setdefault(_k, set()).add(_i)
_ALWAYS = frozenset(i for i, r in enumerate(_ALL_RULES) if not r.keys)
_MAXKEY = max(len(k) for k in _KEY_INDEX)
_TOKEN = re.compile(r"[a-z0-9]+|[%/:=]")


_TOKEN_RULES: dict[str, frozenset[int]] = {}


def _token_rules(tok: str) -> frozenset[int]:
    """Rules keyed by a prefix of `tok` (memoised: the mapping never changes)."""
    hit = _TOKEN_RULES.get(tok)
    if hit is None:
        found: set[int] = set()
        for n in range(1, min(len(tok), _MAXKEY) + 1):
            found |= _KEY_INDEX.get(tok[:n], set())
        if len(_TOKEN_RULES) > 50_000:
            _TOKEN_RULES.clear()
        hit = _TOKEN_RULES[tok] = frozenset(found)
    return hit


def _candidates(low: str) -> list[int]:
    """Rules whose key prefixes start a word of the (lower-cased) clause, in table order."""
    found: set[int] = set(_ALWAYS)
    for tok in set(_TOKEN.findall(low)):
        found |= _token_rules(tok)
    return sorted(found)


# ---- extraction -----------------------------------------------------------------


def _overlapping(rx: re.Pattern[str], text: str) -> list[re.Match[str]]:
    """Every match, also those starting inside an earlier one (e.g. two asks in one clause)."""
    out: list[re.Match[str]] = []
    m = rx.search(text)
    while m is not None:
        out.append(m)
        m = rx.search(text, m.start() + 1)
    return out


def _last_words(text: str, pos: int, n: int) -> str:
    return " ".join(_WORD.findall(text[max(0, pos - 80) : pos])[-n:])


def _blocked(rule: pt.Rule, text: str, pos: int) -> bool:
    """Check for a negation (4 words back) or a conditional / aim (5 back) before a match."""
    if not (rule.neg or rule.hypo):
        return False
    words = _WORD.findall(text[max(0, pos - 60) : pos])
    if rule.neg and any(w.lower() in _NEG_WORDS or w.lower().endswith(("n't", "n’t"))
                        for w in words[-4:]):
        return True
    if rule.hypo:
        for w in words[-5:]:
            low = w.lower()
            if low in _COND_WORDS or w == "may" or low.endswith(("'d", "’d")):
                return True
            if rule.hypo > 1 and low in _ASPIRE_WORDS:
                return True
    return False


def _resolution_blocked(text: str, pos: int) -> bool:
    """Check whether a resolution word is negated, hoped for or conditional."""
    return bool(pt.RESOLVED_BLOCK.search(_last_words(text, pos, 4)))


def _stem(word: str) -> str:
    for suffix in ("ing", "ed", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    return word[:5]


def _tokens(text: str, proper: set[str]) -> frozenset[str]:
    """Content words that name a problem (to match a later resolution to it)."""
    out: set[str] = set()
    for i, m in enumerate(_WORD.finditer(text)):
        w = m.group()
        low = w.lower()
        if w[0].isupper() and not w.isupper() and (i > 0 or low in proper):
            continue
        if (len(low) < 3 and not re.fullmatch(r"p\d", low)) or low in pt.PROBLEM_STOP:
            continue
        weekday = low.endswith("day") and low[:3] in _WEEKDAYS
        if low.startswith(pt.PROBLEM_STOP_PREFIX) or low[:3] in pt.MONTHS or weekday:
            continue
        out.add(_stem(low))
    return frozenset(out)


@dataclass(frozen=True)
class _Event:
    pos: int
    day: date | None
    clause: _Clause
    everything: bool


def _earlier(p_pos: int, p_day: date | None, e: _Event) -> bool:
    if p_day is not None and e.day is not None and p_day != e.day:
        return p_day < e.day
    return p_pos < e.pos


class _Extractor:
    """One pass over one text."""

    def __init__(self, text: str, as_of: date, notes_date: date | None) -> None:
        self.text, self.as_of, self.notes_date = text, as_of, notes_date
        self.low = pt.lowered(text)
        self.raws: list[_Raw] = []
        self.cache: dict[tuple[int, bool], When] = {}
        self.scopes: dict[tuple[str, date, bool], When] = {}

    def when(self, c: _Clause, event: bool) -> When:
        key = (c.start, event)
        if key not in self.cache:
            self.cache[key] = self._when(c, event)
        return self.cache[key]

    def _scope_date(self, scope: str, base: date, event: bool) -> When:
        key = (scope, base, event)
        hit = self.scopes.get(key)
        if hit is None:
            day: date | None = None
            how: DatedBy | None = None
            if _DIGIT.search(scope):
                day = pt.explicit_date(scope, base, event)
                how = "explicit" if day else None
            low = scope.lower()
            cue = any(k in low for k in _REL_HINTS) or (
                event and any(k in low for k in _FORWARD_HINTS))
            if day is None and cue:
                day = pt.relative_date(scope, base, event)
                how = "relative" if day else None
            hit = self.scopes[key] = (day, how)
        return hit

    def _when(self, c: _Clause, event: bool) -> When:
        base = c.hdate or self.notes_date or self.as_of
        for scope in (c.text, c.sent) if c.sent != c.text else (c.text,):
            found = self._scope_date(scope, base, event)
            day = found[0]
            if day is not None and (event or scope is c.text or day <= base):
                return found
        if c.hdate is not None:
            return c.hdate, "header"
        if self.notes_date is not None:
            return self.notes_date, "notes_date"
        return None, None

    def emit(self, c: _Clause, cat: str, name: str, values: dict[str, Any], event: bool) -> _Raw:
        raw = _Raw(cat, name, c, self.when(c, event), values)
        self.raws.append(raw)
        return raw

    def apply(self, rule: pt.Rule, c: _Clause, low: str) -> list[_Raw]:
        out: list[_Raw] = []
        base = c.hdate or self.notes_date or self.as_of
        subject = c.text if rule.cased else low
        found = rule.rx.finditer(subject) if rule.hook != "features" else _overlapping(
            rule.rx, subject)
        for rm in found:
            if _blocked(rule, c.text, rm.start()):
                continue
            groups = {k: c.text[rm.start(k) : rm.end(k)]
                      for k, v in rm.groupdict().items() if v is not None}
            m = pt.Hit(rm.start(), rm.end(), c.text[rm.start() : rm.end()], groups)
            result: pt.HookResult = pt.HOOKS[rule.hook](m, c.text, base) if rule.hook else ({}, [])
            if result is None:
                continue
            values, extra = result
            out.append(self.emit(c, rule.category, rule.name, {**dict(rule.values), **values},
                                 rule.event))
            for cat, name in rule.also:
                self.emit(c, cat, name, {}, rule.event)
            for cat, name, vals in extra:
                self.emit(c, cat, name, vals, rule.event or name == "renewal_ahead")
        return out

    def _tainted(self, clauses: list[_Clause]) -> set[int]:
        """Paragraphs that carry injected instructions."""
        paragraphs: dict[int, list[str]] = {}
        for c in clauses:
            sents = paragraphs.setdefault(c.para, [])
            if not sents or sents[-1] != c.sent:
                sents.append(c.sent)
        tainted = set()
        for para, sents in paragraphs.items():
            low = pt.lowered("\n".join(sents))
            if any(k in low for k in pt.INJECTION_HINTS) and pt.INJECTION.search(low):
                tainted.add(para)
        return tainted

    def run(self) -> NoteFindings:
        clauses = _clauses(self.text, self.as_of, self.notes_date)
        tainted = self._tainted(clauses)
        problems: list[_Raw] = []
        events: list[_Event] = []
        for c in clauses:
            if c.para in tainted:
                continue
            low = self.low[c.start : c.start + len(c.text)]
            ids = _candidates(low)
            for i in ids:
                if i != _OPEN_PROBLEM_ID:
                    self.apply(_ALL_RULES[i], c, low)
            resolved = any(k in low for k in _RESOLVED_HINTS)
            if resolved and any(not _resolution_blocked(c.text, r.start())
                                for r in pt.RESOLVED.finditer(c.text)):
                events.append(_Event(c.start, self.when(c, False)[0], c,
                                     bool(pt.RESOLVE_ALL.search(c.text))))
            elif _OPEN_PROBLEM_ID in ids and not pt.LOW_SEVERITY.search(c.text):
                problems.extend(self.apply(pt.OPEN_PROBLEM, c, low))
        if problems and events:
            self._resolve(problems, events, clauses)
        return NoteFindings(findings=self._dedupe())

    @staticmethod
    def _resolve(problems: list[_Raw], events: list[_Event], clauses: list[_Clause]) -> None:
        proper = {m.group().lower() for c in clauses for i, m in enumerate(_WORD.finditer(c.text))
                  if i > 0 and m.group()[0].isupper() and not m.group().isupper()}
        ptoks = [_tokens(r.clause.text, proper) for r in problems]
        for e in events:
            etoks = _tokens(e.clause.text, proper)
            before = [(r, t) for r, t in zip(problems, ptoks, strict=True)
                      if _earlier(r.clause.start, r.when[0], e)]
            if e.everything:
                hits = before
            elif etoks:
                hits = [(r, t) for r, t in before if t & etoks]
            else:
                prior = [(r, t) for r, t in before if r.clause.start < e.pos] or before
                last = prior[-1][0].clause.start if prior else -1
                hits = [(r, t) for r, t in prior if r.clause.start == last]
            for r, _ in hits:
                r.dropped = True

    def _dedupe(self) -> list[NoteFinding]:
        kept: dict[tuple[str, str, str], NoteFinding] = {}
        for raw in self.raws:
            if raw.dropped:
                continue
            key = (raw.category, raw.name, raw.clause.text)
            old = kept.get(key)
            if old is None:
                day, how = raw.when
                kept[key] = NoteFinding(
                    category=raw.category,  # type: ignore[arg-type]
                    name=raw.name, quote=raw.clause.text, date=day,
                    dated_by=how if day else None, values=raw.values)
            elif raw.name == "usage_ratio" and raw.values["ratio"] > old.values["ratio"]:
                old.values = raw.values
            elif "features" in raw.values:
                feats = old.values.setdefault("features", [])
                feats.extend(f for f in raw.values["features"] if f not in feats)
            elif not old.values and raw.values:
                old.values = raw.values
        return list(kept.values())


def extract_findings(text: str, *, as_of: date, notes_date: date | None = None) -> NoteFindings:
    """Every finding in free call notes, in document order, each with its exact quote.

    `as_of` anchors relative cues when there is no header date and no `notes_date`;
    `notes_date` dates sentences that no header, explicit date or cue dates.
    Paragraphs that carry injected instructions produce no findings at all.
    """
    if not text or not text.strip():
        return NoteFindings()
    return _Extractor(text, as_of, notes_date).run()


def _phone(m: re.Match[str]) -> str:
    s = m.group()
    digits = sum(ch.isdigit() for ch in s)
    if not 7 <= digits <= 15 or _DATEISH.fullmatch(s.strip()):
        return s
    groups = re.findall(r"\d+", s)
    phone_like = (s.startswith("+") or "(" in s or bool(re.fullmatch(r"\d{3}[-.]\d{4}", s))
                  or (len(groups) >= 3 and max(len(g) for g in groups) >= 3))
    return "[phone]" if phone_like else s


def redact(text: str) -> str:
    """Replace email addresses with `[email]` and phone numbers with `[phone]`."""
    return _PHONE.sub(_phone, _EMAIL.sub("[email]", text))
