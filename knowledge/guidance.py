"""Guidance for one account situation, retrieved once per distinct situation.

A situation is the decided offer type, trigger type, gates, the objections to prepare
for and the account's own concerns. Each part is fetched with a metadata-filtered
semantic query, so every paragraph a drafter writes can cite the chunk id it rests on.
Accounts in a batch share situations, so the retriever memoises them: the cost grows
with the number of distinct situations, not with the number of accounts.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from playbook.knowledge.chunks import CONCERNS, GATES, OBJECTIONS, OFFER_TYPES, TRIGGER_TYPES, Chunk
from playbook.knowledge.index import KnowledgeIndex

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

__all__ = [
    "DEFAULT_OBJECTIONS",
    "Guidance",
    "GuidanceRetriever",
    "Situation",
]

DEFAULT_OBJECTIONS: tuple[str, ...] = OBJECTIONS

_OFFER_QUERY = {
    "capacity": "more seats or more volume (capacity expansion)",
    "tier_upgrade": "an upgrade to a higher tier",
    "cross_sell": "a cross-sell of an adjacent product",
    "professional_services": "professional services and implementation help",
    "multi_year": "a multi-year renewal with expansion",
}
_TRIGGER_QUERY = {
    "success_moment": "the customer reported a win or a result (success moment)",
    "usage_ceiling": "usage reached its ceiling (usage ceiling)",
    "team_growth": "the customer's team grew (team growth)",
    "new_initiative": "the customer started a new initiative or project",
    "renewal_ahead": "the renewal is about 90 days away (renewal ahead)",
    "onboarding_complete": "onboarding just finished with a good outcome",
    "champion_event": "our champion was promoted or changed role (champion event)",
    "org_change": "a reorganisation, new executive or acquisition (org change)",
    "budget_cycle": "their budget cycle or planning season is starting",
    "product_launch": "we launched a product that matches their initiative",
}
_GATE_QUERY = {
    "open_problem": "the customer has an open support problem",
    "gone_quiet": "the account has gone quiet and the last contact was long ago",
    "low_usage": "usage is very low, only a few logins a month",
    "quarter_end": "the opening would fall in the last days of our fiscal quarter",
    "at_risk": "the relationship is at risk",
}
_OBJECTION_QUERY = {
    "not_ready": "we are not ready to expand right now",
    "budget": "we would need to get budget approved",
    "more_value": "we need to see more value from what we have first",
    "happy": "we are happy with what we have",
}
_CONCERN_QUERY = {
    "price": "price and cost",
    "competitor": "a competitor they are comparing us with",
    "security": "security, compliance and data protection",
    "bandwidth": "their team has no time or bandwidth",
    "integration": "integration with their other systems",
    "value_doubt": "doubts that the product delivers value",
}


@dataclass(frozen=True)
class Situation:
    """The normalised key of a guidance request."""

    offer_type: str | None
    trigger_type: str | None
    gates: tuple[str, ...]
    objections: tuple[str, ...]
    concerns: tuple[str, ...]


class Guidance(BaseModel):
    """The chunks that ground one account's brief, by part."""

    model_config = ConfigDict(frozen=True)

    offer: Chunk | None = None
    trigger: Chunk | None = None
    gates: dict[str, Chunk] = Field(default_factory=dict)
    objections: dict[str, Chunk] = Field(default_factory=dict)
    concerns: dict[str, Chunk] = Field(default_factory=dict)
    calendar: Chunk | None = None

    def part_labels(self) -> dict[str, str]:
        """Return chunk id -> the part(s) of the situation it serves (``objection:budget``)."""
        labels: dict[str, list[str]] = {}
        singles = (("offer", self.offer), ("trigger", self.trigger), ("calendar", self.calendar))
        for single, chunk in singles:
            if chunk is not None:
                labels.setdefault(chunk.id, []).append(single)
        for singular, group in (
            ("gate", self.gates),
            ("objection", self.objections),
            ("concern", self.concerns),
        ):
            for key, chunk in group.items():
                labels.setdefault(chunk.id, []).append(f"{singular}:{key}")
        return {cid: ", ".join(names) for cid, names in labels.items()}

    def all_ids(self) -> tuple[str, ...]:
        """Return every chunk id in this guidance, without repeats, in part order."""
        ordered: list[Chunk | None] = [self.offer, self.trigger]
        ordered += list(self.gates.values())
        ordered += list(self.objections.values())
        ordered += list(self.concerns.values())
        ordered.append(self.calendar)
        seen: dict[str, None] = {}
        for chunk in ordered:
            if chunk is not None:
                seen.setdefault(chunk.id, None)
        return tuple(seen)

    def chunks(self) -> tuple[Chunk, ...]:
        """Return every chunk in this guidance, without repeats, in part order."""
        by_id: dict[str, Chunk] = {}
        for chunk in (
            self.offer,
            self.trigger,
            *self.gates.values(),
            *self.objections.values(),
            *self.concerns.values(),
            self.calendar,
        ):
            if chunk is not None:
                by_id.setdefault(chunk.id, chunk)
        return tuple(by_id.values())


def _canonical(values: Iterable[str], allowed: tuple[str, ...], what: str) -> tuple[str, ...]:
    """Deduplicate ``values`` into the canonical order of ``allowed``, rejecting unknowns."""
    given = set(values)
    unknown = sorted(given - set(allowed))
    if unknown:
        raise ValueError(f"unknown {what}: {unknown}; expected some of {allowed}")
    return tuple(v for v in allowed if v in given)


def _single(value: str | None, allowed: tuple[str, ...], what: str) -> str | None:
    """Validate one optional value."""
    if value is not None and value not in allowed:
        raise ValueError(f"unknown {what} {value!r}; expected one of {allowed}")
    return value


class OnceEach(Generic[K, V]):
    """A memo that computes each key's value once, even when threads ask together."""

    def __init__(self) -> None:
        """Start empty."""
        self._values: dict[K, V] = {}
        self._lock = threading.Lock()
        self._pending: dict[K, threading.Lock] = {}

    def get(self, key: K, compute: Callable[[], V]) -> tuple[V, bool]:
        """Return (the value of ``key``, whether this call computed it)."""
        with self._lock:
            if key in self._values:
                return self._values[key], False
            pending = self._pending.setdefault(key, threading.Lock())
        with pending:
            with self._lock:
                if key in self._values:
                    return self._values[key], False
            value = compute()
            with self._lock:
                self._values[key] = value
                self._pending.pop(key, None)
            return value, True

    def clear(self) -> None:
        """Forget every value."""
        with self._lock:
            self._values.clear()

    def __len__(self) -> int:
        """How many values are held."""
        return len(self._values)


class GuidanceRetriever:
    """Fetch and memoise the guidance chunks for account situations."""

    def __init__(self, index: KnowledgeIndex) -> None:
        """Use ``index`` for every query."""
        self.index = index
        self._situations: OnceEach[Situation, Guidance] = OnceEach()
        self._parts: OnceEach[tuple[str, tuple[tuple[str, str], ...]], Chunk | None] = OnceEach()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0
        self.queries = 0

    @staticmethod
    def situation(
        offer_type: str | None,
        trigger_type: str | None,
        gates: Iterable[str] = (),
        objections: Iterable[str] = DEFAULT_OBJECTIONS,
        concerns: Iterable[str] = (),
    ) -> Situation:
        """Validate and normalise a situation (order and repeats do not matter)."""
        return Situation(
            offer_type=_single(offer_type, OFFER_TYPES, "offer type"),
            trigger_type=_single(trigger_type, TRIGGER_TYPES, "trigger type"),
            gates=_canonical(gates, GATES, "gates"),
            objections=_canonical(objections, OBJECTIONS, "objections"),
            concerns=_canonical(concerns, CONCERNS, "concerns"),
        )

    def for_situation(
        self,
        offer_type: str | None,
        trigger_type: str | None,
        gates: tuple[str, ...] = (),
        objections: tuple[str, ...] = DEFAULT_OBJECTIONS,
        concerns: tuple[str, ...] = (),
    ) -> Guidance:
        """Return the guidance for this situation, computing it only the first time."""
        key = self.situation(offer_type, trigger_type, gates, objections, concerns)
        guidance, computed = self._situations.get(key, lambda: self._retrieve(key))
        with self._lock:
            if computed:
                self.misses += 1
            else:
                self.hits += 1
        return guidance

    @property
    def distinct_situations(self) -> int:
        """How many situations are memoised."""
        return len(self._situations)

    def clear(self) -> None:
        """Forget every memoised situation and reset the counters."""
        self._situations.clear()
        self._parts.clear()
        with self._lock:
            self.hits = 0
            self.misses = 0
            self.queries = 0

    def _top(self, query: str, **filters: str) -> Chunk | None:
        """Return the best chunk for ``query`` among those matching ``filters``.

        Memoised: a part's query depends only on its value (one offer type, one
        gate...), so a new situation mostly reuses parts already found, and a whole
        batch runs about 32 index queries, not several per new situation.
        """
        key = (query, tuple(sorted(filters.items())))

        def search() -> Chunk | None:
            found = self.index.search(query, k=1, **filters)
            return found[0].chunk if found else None

        chunk, computed = self._parts.get(key, search)
        if computed:
            with self._lock:
                self.queries += 1
        return chunk

    def _each(
        self,
        values: Iterable[str],
        template: str,
        labels: dict[str, str],
        *,
        kind: str,
        field: str,
    ) -> dict[str, Chunk]:
        """Return the best chunk per value (e.g. per gate), querying with its label."""
        found: dict[str, Chunk] = {}
        for value in values:
            chunk = self._top(template.format(labels[value]), kind=kind, **{field: value})
            if chunk is not None:
                found[value] = chunk
        return found

    def _retrieve(self, s: Situation) -> Guidance:
        """Run one filtered query per part of the situation."""
        offer = None
        if s.offer_type is not None:
            offer = self._top(
                f"how to position {_OFFER_QUERY[s.offer_type]} and the evidence to cite",
                kind="offer",
                offer_type=s.offer_type,
            )
        trigger = None
        if s.trigger_type is not None:
            trigger = self._top(
                f"how to open the conversation after {_TRIGGER_QUERY[s.trigger_type]}",
                kind="trigger",
                trigger_type=s.trigger_type,
            )
        gates = self._each(
            s.gates,
            "what to do first instead of an expansion pitch when {}",
            _GATE_QUERY,
            kind="gate",
            field="gate",
        )
        objections = self._each(
            s.objections,
            'how to answer when the customer says "{}"',
            _OBJECTION_QUERY,
            kind="objection",
            field="objection",
        )
        concerns = self._each(
            s.concerns,
            "how to answer the customer's concern about {}",
            _CONCERN_QUERY,
            kind="concern",
            field="concern",
        )
        if s.gates:
            calendar_query = (
                "plan for a gated account: fix first, re-engage, adoption or retention, "
                "and moving the opening past the quarter end"
            )
        else:
            calendar_query = "the 90-day expansion calendar at a glance, week by week to a close"
        calendar = self._top(calendar_query, kind="calendar")
        return Guidance(
            offer=offer,
            trigger=trigger,
            gates=gates,
            objections=objections,
            concerns=concerns,
            calendar=calendar,
        )
