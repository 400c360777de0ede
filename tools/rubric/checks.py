"""Structural rubric criteria: deliverables, copied facts, script form, objections, calendar.

Each check takes the shared `Ctx` and returns one `CriterionResult`. Language checks
(numbers, offers, gates, pressure, discounts, injection) live in `rubric_prose`.
"""

from __future__ import annotations

import datetime as dt
import re
import string
from bisect import bisect_right
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from playbook.tools.models.account import CatalogItem
from playbook.tools.models.assessment import Assessment, Gate
from playbook.tools.models.brief import Brief
from playbook.tools.rubric.report import CRITERIA, CriterionResult
from playbook.tools.rubric.text import padded, phrase_in, words
from playbook.tools.rules.calendar import PLAN_DAYS, WEEKS
from playbook.tools.vocab import COMMON_OBJECTIONS, MAX_READINESS, GateName

JOIN = "\x00"
ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)
MAX_SCRIPT_WORDS = 160
SCORE_RE = re.compile(rf"(?<![\w.])(\d{{1,3}})\s*/\s*{MAX_READINESS}(?!\d)")
ASK_RE = re.compile(
    r"(?<![\w.])(?:20|25|30|twenty|twenty[- ]five|thirty)[- ]?(?:minutes?|mins?)\b", re.IGNORECASE
)
SCRIPT_WORD_RE = re.compile(r"\S*\w\S*")
SENTENCE_RE = re.compile(r"(?<=[.!?;])\s+|\n+")
HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "dame"})
TRAILING_CLOSERS = "\"'”’)]*_ \t\n"
CONCERN_WORDS: dict[str, re.Pattern[str]] = {
    kind: re.compile(pattern, re.IGNORECASE)
    for kind, pattern in {
        "price": r"\b(pric\w*|cost\w*|expensive|spend\w*|budget\w*)\b",
        "competitor": r"\b(competit\w*|alternativ\w*|compar\w*|other (?:tool|vendor)s?)\b",
        "security": r"\b(secur\w*|complian\w*|privacy|soc ?2|gdpr|data protection)\b",
        "bandwidth": r"\b(bandwidth|time|capacity|busy|stretched|workload)\b",
        "integration": r"\b(integrat\w*|connect\w*|api|systems?)\b",
        "value_doubt": r"\b(value|worth|results?|outcomes?|roi)\b",
    }.items()
}
ASSUMPTION_WORDS_RE = re.compile(
    r"\b(not scored|unknown|assum\w*|no date|undated|missing|not provided|not given|without|"
    r"incomplete|no (?:\w+ )?data|no recent|no expansion icp)\b",
    re.IGNORECASE,
)
NOT_SCORED_TOPICS: dict[str, str] = {
    "usage_80": "usage",
    "positive_outcome_90d": "outcome|win",
    "team_grew": "team",
    "asked_missing_features": "feature",
    "nps_or_praise_60d": "nps|praise",
    "renewal_60_120d": "renewal",
    "new_initiative": "initiative",
    "shared_single_seat": "seat",
    "company_grew": "company|headcount|revenue",
}
INPUT_TOPICS: dict[str, str] = {
    "customer": "customer record|plan|contact|relationship|arr",
    "offers": "catalog|offer",
    "usage": "usage",
    "interactions": "interaction|notes|nps|tickets",
    "contract": "contract|renewal",
    "icp": "icp|ideal customer",
}


@dataclass
class Ctx:
    """What every check needs, computed once per brief."""

    brief: Brief
    catalog: Sequence[CatalogItem]
    retrieved: Collection[str]
    notes: str | None
    prose: dict[str, str]
    facts: Assessment = field(init=False)
    blocking: list[Gate] = field(init=False)
    quarter_end: Gate | None = field(init=False)
    joined: str = field(init=False, repr=False)
    folded: str = field(init=False, repr=False)
    _starts: list[int] = field(init=False, repr=False)
    _keys: list[str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        """Derive the decided facts the checks share, and join the prose for one-pass scans."""
        # NUL separates fields: no pattern here matches it (not \w, not \s), so a match in
        # the joined text is exactly a match inside one field.
        self._keys = list(self.prose)
        self._starts, pos = [], 0
        for text in self.prose.values():
            self._starts.append(pos)
            pos += len(text) + 1
        self.joined = JOIN.join(self.prose.values())
        self.folded = fold(self.joined)
        self.facts = self.brief.facts
        self.blocking = [g for g in self.facts.gates if g.blocking]
        self.quarter_end = next(
            (g for g in self.facts.gates if g.name == GateName.QUARTER_END), None
        )

    @property
    def chosen_item(self) -> str | None:
        """The catalog item the brief is about: the offer, or the held offer."""
        offer = self.facts.offer or self.facts.held_offer
        return offer.item if offer else None

    @property
    def held(self) -> bool:
        """True when a blocking gate or the tier holds the pitch."""
        return bool(self.blocking) or (
            self.facts.offer is None and self.facts.held_offer is not None
        )

    def locate(self, pos: int) -> tuple[str, int]:
        """Return the prose field a position of `joined` falls in, and that field's offset."""
        i = bisect_right(self._starts, pos) - 1
        return self._keys[i], self._starts[i]

    def find(self, pattern: re.Pattern[str], keywords: Sequence[str] = ()) -> Iterator[Hit]:
        """Yield matches of a lowercase `pattern` in the ASCII-folded prose, located per field.

        With `keywords`, the scan is skipped unless one of them occurs in the folded
        text (a cheap substring test that spares most clean briefs the regex).
        """
        if keywords and not any(k in self.folded for k in keywords):
            return
        for m in pattern.finditer(self.folded):
            key, offset = self.locate(m.start())
            yield Hit(key, m.start() - offset, m.end() - offset, self.joined[m.start() : m.end()])


class Hit(NamedTuple):
    """One match in a prose field: positions are within the field, `raw` its original text."""

    key: str
    start: int
    end: int
    raw: str


def fold(text: str) -> str:
    """ASCII letters lowercased; the length (and every position) is unchanged."""
    return text.translate(ASCII_LOWER)


def result(cid: str, problems: Sequence[tuple[str, str]], ok: str = "") -> CriterionResult:
    """Build a result from (message, section) problems: passed when there are none."""
    if not problems:
        return CriterionResult(id=cid, hard=CRITERIA[cid], passed=True, detail=ok)
    shown = "; ".join(msg for msg, _ in problems[:3])
    more = f" (+{len(problems) - 3} more)" if len(problems) > 3 else ""
    sections = sorted({s for _, s in problems if s})
    return CriterionResult(
        id=cid, hard=CRITERIA[cid], passed=False, detail=shown + more, sections=sections
    )


def _show(values: tuple[object, ...]) -> str:
    return "(" + ", ".join("-" if v is None else str(v) for v in values) + ")"


def deliverables(ctx: Ctx) -> CriterionResult:
    """All six deliverables present and non-empty."""
    b, problems = ctx.brief, []
    if not b.summary.strip():
        problems.append(("summary is empty", "summary"))
    if not b.offer_map.rationale.strip():
        problems.append(("offer map rationale is empty", "offer_map"))
    if not b.trigger_log.why_now.strip():
        problems.append(("trigger log why-now is empty", "trigger_log"))
    if not b.script.text.strip():
        problems.append(("script is empty", "script"))
    answered = {o.key for o in b.objections if o.answer.strip() and o.objection.strip()}
    missing = [k for k in COMMON_OBJECTIONS if k not in answered]
    if missing:
        problems.append(("objections missing: " + ", ".join(missing), "objections"))
    if len(b.calendar) != WEEKS or any(not w.action.strip() for w in b.calendar):
        problems.append((f"calendar has {len(b.calendar)} weeks (or an empty week)", "calendar"))
    return result("deliverables", problems)


def facts_unchanged(ctx: Ctx) -> CriterionResult:
    """Check the copied facts equal the decided ones and the summary states N/64 and tier."""
    b, f, problems = ctx.brief, ctx.facts, []
    got = (b.offer_map.offer_type, b.offer_map.item)
    allowed: set[tuple[str | None, str | None]]
    if f.offer is not None:
        allowed = {(f.offer.type.value, f.offer.item)}
    elif f.held_offer is not None:
        allowed = {(f.held_offer.type.value, f.held_offer.item), (None, None)}
    else:
        allowed = {(None, None)}
    if got not in allowed:
        want = sorted(allowed, key=str)[-1]
        problems.append((f"offer map says {_show(got)}, decided {_show(want)}", "offer_map"))
    trig = f.trigger
    want_t = (trig.type.value if trig else None, trig.date if trig else None)
    got_t = (b.trigger_log.trigger_type, b.trigger_log.date)
    if got_t != want_t:
        msg = f"trigger log says {_show(got_t)}, decided {_show(want_t)}"
        problems.append((msg, "trigger_log"))
    kinds = (
        {f.plan_kind, *(g.name.value for g in ctx.blocking)}
        if ctx.blocking
        else ({trig.type.value, f.plan_kind} if trig else set())
    )
    if kinds and b.script.kind not in kinds:
        msg = f"script kind {b.script.kind!r}, decided one of {sorted(kinds)}"
        problems.append((msg, "script"))
    for mine, decided in zip(b.calendar, f.calendar, strict=False):
        a = (mine.week, mine.start, mine.end, mine.milestone_date)
        d = (decided.week, decided.start, decided.end, decided.milestone_date)
        if a != d:
            msg = f"calendar week {mine.week} dates {_show(a[1:])} differ from {_show(d[1:])}"
            problems.append((msg, "calendar"))
            break
    if len(b.calendar) != len(f.calendar):
        msg = f"calendar has {len(b.calendar)} weeks, decided {len(f.calendar)}"
        problems.append((msg, "calendar"))
    scores = [int(s) for s in SCORE_RE.findall(b.summary)]
    score = f"{f.readiness_score}/{MAX_READINESS}"
    if not scores:
        problems.append((f"summary does not state the score as {score}", "summary"))
    elif any(s != f.readiness_score for s in scores):
        problems.append((f"summary states {scores[0]}/{MAX_READINESS}, decided {score}", "summary"))
    if f.tier_label.lower() not in b.summary.lower():
        problems.append((f"summary lacks the tier label {f.tier_label!r}", "summary"))
    return result("facts_unchanged", problems)


def first_name(contact: str) -> str | None:
    """Return the contact's first name: the first token that is not an honorific.

    A "Last, First" contact is read as First Last.
    """
    if contact.count(",") == 1:
        last, first = contact.split(",")
        contact = f"{first} {last}"
    for token in contact.split():
        bare = token.strip(".,;:")
        if bare and bare.lower() not in HONORIFICS:
            return bare
    return None


def script_contact(ctx: Ctx) -> CriterionResult:
    """Check the script greets the contact by first name (within its first twelve words)."""
    name = first_name(ctx.facts.contact_name or "")
    if name is None:
        return result("script_contact", [], "no contact known")
    head = " ".join(ctx.brief.script.text.split()[:12])
    if re.search(rf"(?<!\w){re.escape(name)}(?!\w)", head, re.IGNORECASE):
        return result("script_contact", [])
    return result("script_contact", [(f"script does not greet {name!r}: {head[:60]!r}", "script")])


def script_ask(ctx: Ctx) -> CriterionResult:
    """Check the script asks for a 20, 25 or 30 minute conversation, with a question mark."""
    text, problems = ctx.brief.script.text, []
    if not ASK_RE.search(text):
        problems.append(("script asks for no 20/25/30-minute conversation", "script"))
    if "?" not in text:
        problems.append(("script has no question mark", "script"))
    return result("script_ask", problems)


def script_length(ctx: Ctx) -> CriterionResult:
    """At most 160 words."""
    n = len(SCRIPT_WORD_RE.findall(ctx.brief.script.text))
    problems = [] if n <= MAX_SCRIPT_WORDS else [(f"script has {n} words (max 160)", "script")]
    return result("script_length", problems, f"{n} words")


def objections_end_with_question(ctx: Ctx) -> CriterionResult:
    """Every objection answer's last sentence ends with a question mark."""
    problems = []
    for o in ctx.brief.objections:
        tail = o.answer.rstrip(TRAILING_CLOSERS)
        if not tail.endswith("?"):
            problems.append((f"answer to {o.key} ends {tail[-40:]!r}", "objections"))
    return result("objections_end_with_question", problems)


def concerns_answered(ctx: Ctx) -> CriterionResult:
    """Every concern from the notes has a `concern:<kind>` answer that refers to it."""
    problems = []
    for concern in ctx.facts.concerns:
        kind = concern.kind.value
        answers = [o for o in ctx.brief.objections if o.key == f"concern:{kind}"]
        if not answers:
            problems.append((f"no answer keyed concern:{kind}", "objections"))
            continue
        quote = padded(concern.quote)
        qwords = words(concern.quote)
        runs = [qwords[i : i + 3] for i in range(max(0, len(qwords) - 2))] or [qwords]
        if not any(
            (quote.strip() and quote in padded(f"{o.source_quote or ''} | {o.objection}"))
            or any(run and phrase_in(run, padded(o.answer)) for run in runs)
            or CONCERN_WORDS[kind].search(o.answer)
            for o in answers
        ):
            msg = f"concern:{kind} answer does not refer to {concern.quote!r}"
            problems.append((msg, "objections"))
    return result("concerns_answered", problems)


def calendar_complete(ctx: Ctx) -> CriterionResult:
    """13 contiguous weeks from the opening date to day 90, ending on a dated decision."""
    cal, opening, problems = ctx.brief.calendar, ctx.facts.opening_date, []
    day90 = opening + dt.timedelta(days=PLAN_DAYS - 1)
    if [w.week for w in cal] != list(range(1, WEEKS + 1)):
        problems.append((f"weeks are {[w.week for w in cal]}, expected 1-{WEEKS}", "calendar"))
    if cal and cal[0].start != opening:
        problems.append((f"week 1 starts {cal[0].start}, opening is {opening}", "calendar"))
    for prev, week in zip(cal, cal[1:], strict=False):
        if week.start != prev.end + dt.timedelta(days=1):
            problems.append((f"week {week.week} starts {week.start} after {prev.end}", "calendar"))
            break
    for week in cal:
        if not 0 <= (week.end - week.start).days <= 6:
            problems.append((f"week {week.week} runs {week.start} to {week.end}", "calendar"))
            break
    if cal:
        last = cal[-1]
        if last.end != day90:
            problems.append((f"last week ends {last.end}, day 90 is {day90}", "calendar"))
        if not (last.milestone or "").strip() or last.milestone_date != day90:
            problems.append(
                (f"last step has no close/decision milestone dated {day90}", "calendar")
            )
    return result("calendar_complete", problems)


def citations(ctx: Ctx) -> CriterionResult:
    """Guidance, script, offer map and every answer cite chunks, all of them retrieved."""
    b, problems = ctx.brief, []
    cited: list[tuple[str, str]] = []
    for note in b.guidance:
        if not note.chunk_id.strip():
            problems.append((f"guidance note {note.title!r} has no chunk id", ""))
        else:
            cited.append((note.chunk_id, ""))
    for label, ids, section in (
        ("script", b.script.citations, "script"),
        ("offer map", b.offer_map.citations, "offer_map"),
        *((f"answer to {o.key}", o.citations, "objections") for o in b.objections),
    ):
        if not ids:
            problems.append((f"{label} cites no chunk", section))
        cited.extend((cid, section) for cid in ids)
    for cid, section in cited:
        if cid not in ctx.retrieved:
            problems.append((f"cited id {cid!r} was not retrieved", section))
    return result("citations", problems)


def assumptions_stated(ctx: Ctx) -> CriterionResult:
    """Soft: every not-scored signal and missing input is stated in the brief.

    Stated means the reason itself appears, or one sentence names the topic (e.g.
    "renewal") together with an assumption word ("unknown", "not scored", ...).
    """
    if not ctx.facts.not_scored and not ctx.facts.missing_inputs:
        return result("assumptions_stated", [], "nothing assumed")
    low = ctx.joined.replace(JOIN, "\n").lower()
    stated = [s for s in SENTENCE_RE.split(low) if ASSUMPTION_WORDS_RE.search(s)]

    def said(topic: str) -> bool:
        pattern = re.compile(rf"\b(?:{topic})")
        return any(pattern.search(s) for s in stated)

    problems = []
    for ns in ctx.facts.not_scored:
        topic = NOT_SCORED_TOPICS.get(ns.name.value, re.escape(ns.name.value))
        if ns.reason.lower() not in low and not said(topic):
            problems.append((f"not-scored {ns.name.value} not stated", "summary"))
    for key in ctx.facts.missing_inputs:
        if not said(INPUT_TOPICS.get(key, re.escape(key))):
            problems.append((f"missing input {key} not stated", "summary"))
    return result("assumptions_stated", problems)
