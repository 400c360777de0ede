"""Deterministic extractor of facts, signals, gates, triggers and concerns from CSM call notes.

`extract_findings` reads free text (pasted call notes, the `notes` column) and
returns `NoteFindings`: every finding carries a quote that is an exact substring
of the input (the clause it rests on), a date when one is known and how it was
dated. The phrase tables live in `tools.notes_patterns`, the segmentation into
dated clauses in `tools.notes_segment`; this module applies the tables to each
clause, handles negation, hypotheticals, resolved problems, asides and injected
instructions, and deduplicates.

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

from playbook.tools.models.findings import NoteFinding, NoteFindings
from playbook.tools.notes import patterns as pt
from playbook.tools.notes.segment import Clause, split_clauses

__all__ = ["extract_findings", "redact"]

DatedBy = Literal["header", "explicit", "relative", "notes_date"]
When = tuple[date | None, DatedBy | None]

_I = re.IGNORECASE
_RESOLVED_HINTS = (
    "fix", "resol", "clos", "solved", "patched", "restored", "remediated", "sorted", "cleared",
    "back ", "working", "running", "no longer", "recovered",
)
_REL_HINTS = ("today", "tonight", "yesterday", "this ", "ago", "last ")
_FORWARD_HINTS = ("tomorrow", "next ", "in ")
_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_DIGIT = re.compile(r"\d")
_WORD = re.compile(r"[^\W\d_][\w'’-]*|\d\w*")
_NEG_WORDS = pt.words(
    "not no never nor none nothing zero without neither cannot denied denies stopped ruled "
    "instead rather nobody noone no-one"
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
_ASIDE_CUE = re.compile(
    r"\b(?:until|till|til|once|unless|pending|before)\s+(?=(?:\S+\s+){0,3}$)", _I
)
_ASIDE_END = re.compile(r"\b(?:is|are|was|were|gets?|got|has|have|been|be|will)\b|[,.;:()]", _I)
_GENERIC_PROBLEM = frozenset({"outag", "p0", "p1", "sev0", "sev1", "s0", "s1", "downt"})
_DATEISH = re.compile(r"\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./]\d{2,4}")


@dataclass
class _Raw:
    category: str
    name: str
    clause: Clause
    when: When
    values: dict[str, Any]
    dropped: bool = False
    at: int = 0


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
    clause: Clause
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

    def when(self, c: Clause, event: bool) -> When:
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

    def _when(self, c: Clause, event: bool) -> When:
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

    def emit(self, c: Clause, cat: str, name: str, values: dict[str, Any], event: bool) -> _Raw:
        raw = _Raw(cat, name, c, self.when(c, event), values)
        self.raws.append(raw)
        return raw

    def apply(self, rule: pt.Rule, c: Clause, low: str) -> list[_Raw]:
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
            m = pt.Hit(rm.start(), rm.end(), c.text[rm.start() : rm.end()], groups, c.sent)
            result: pt.HookResult = pt.HOOKS[rule.hook](m, c.text, base) if rule.hook else ({}, [])
            if result is None:
                continue
            values, extra = result
            out.append(self.emit(c, rule.category, rule.name, {**dict(rule.values), **values},
                                 rule.event))
            out[-1].at = rm.start()
            for cat, name in rule.also:
                self.emit(c, cat, name, {}, rule.event)
            for cat, name, vals in extra:
                self.emit(c, cat, name, vals, rule.event or name == "renewal_ahead")
        return out

    def _tainted(self, clauses: list[Clause]) -> set[int]:
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
        clauses = split_clauses(self.text, self.as_of, self.notes_date)
        tainted = self._tainted(clauses)
        problems: list[_Raw] = []
        events: list[_Event] = []
        for c in clauses:
            if c.para in tainted:
                continue
            low = (self.low[c.start : c.start + len(c.text)] if c.text is c.quote
                   else pt.lowered(c.text))
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
        if len(problems) > 1:
            self._drop_asides(problems)
        return NoteFindings(findings=self._dedupe())

    @staticmethod
    def _drop_asides(problems: list[_Raw]) -> None:
        """Drop problem mentions that only point back at a problem stated elsewhere.

        "(not to be raised until the outage is fixed)" names the outage the notes already
        describe: when another sentence states a problem, the aside adds no finding. An aside
        naming something no other problem sentence mentions ("until the P1 on SSO is closed")
        stays, and so does an aside when it is the only mention.
        """
        asides: list[tuple[_Raw, frozenset[str]]] = []
        stated: set[str] = set()
        for r in problems:
            text = r.clause.text
            cue = _ASIDE_CUE.search(text, 0, r.at)
            if cue is None:
                stated |= _tokens(text, set())
                continue
            rest = text[cue.end() :]
            stop = _ASIDE_END.search(rest)
            asides.append((r, _tokens(rest[: stop.start()] if stop else rest, set())))
        if len(asides) == len(problems):
            return
        for r, toks in asides:
            specific = toks - _GENERIC_PROBLEM
            if not specific or specific & stated:
                r.dropped = True

    @staticmethod
    def _resolve(problems: list[_Raw], events: list[_Event], clauses: list[Clause]) -> None:
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
            key = (raw.category, raw.name, raw.clause.quote)
            old = kept.get(key)
            if old is None:
                day, how = raw.when
                kept[key] = NoteFinding(
                    category=raw.category,  # type: ignore[arg-type]
                    name=raw.name, quote=raw.clause.quote, date=day,
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
