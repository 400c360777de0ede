"""Choose exactly one offer from the customer's own catalog, with the reason it fits."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from playbook.tools.evidence_text import contract_text
from playbook.tools.models.account import Account, CatalogItem
from playbook.tools.models.assessment import Offer, Signal
from playbook.tools.models.evidence import Comparison, Evidence, Observation, Topic
from playbook.tools.models.findings import NoteFindings
from playbook.tools.rules.scoring import UsageReading
from playbook.tools.vocab import ConcernKind, OfferType, RelationshipStatus, SignalName

TYPE_PRECEDENCE = (
    OfferType.CAPACITY,
    OfferType.TIER_UPGRADE,
    OfferType.MULTI_YEAR,
    OfferType.CROSS_SELL,
    OfferType.PROFESSIONAL_SERVICES,
)
CEILING_RE = re.compile(
    r"\b(workaround|work around|hit (?:the|their|our) (?:plan )?(?:limit|ceiling)|plan limit|"
    r"ceiling|capped|outgrown|maxed out the plan)\b",
    re.IGNORECASE,
)
PACE_RE = re.compile(
    r"\b(too slow|go faster|move faster|speed up|stalled|behind schedule|internal pace|"
    r"no one to (?:set up|configure)|lack(?:s|ing)? (?:the )?expertise|"
    r"need help (?:rolling|setting))\b",
    re.IGNORECASE,
)
LOW_ADOPTION_RATIO = 0.5


@dataclass
class Fit:
    """The fit of one offer type: points and the evidence behind them."""

    type: OfferType
    points: int = 0
    evidence: list[Evidence] = field(default_factory=list)
    eligible: bool = False
    blocked_reason: str | None = None

    def add(self, points: int, evidence: Evidence) -> None:
        """Count evidence toward this type."""
        self.points += points
        self.evidence.append(evidence)


_NON_WORD = re.compile(r"[^a-z0-9]+")


@lru_cache(maxsize=8192)
def _norm(text: str) -> str:
    return _NON_WORD.sub(" ", text.lower()).strip()


@lru_cache(maxsize=4096)
def _word_pattern(needle: str) -> re.Pattern[str] | None:
    n = _norm(needle)
    return re.compile(rf"\b{re.escape(n)}\b") if n else None


def _mentions(haystack: str, needle: str) -> bool:
    pattern = _word_pattern(needle)
    return pattern is not None and pattern.search(haystack) is not None


@lru_cache(maxsize=1024)
def _plans(for_plans: tuple[str, ...]) -> frozenset[str]:
    return frozenset(_norm(p) for p in for_plans)


def _plan_ok(item: CatalogItem, plan: str | None) -> bool:
    if not item.for_plans or plan is None:
        return True
    return _norm(plan) in _plans(tuple(item.for_plans))


def _owned(item: CatalogItem, owned: frozenset[str]) -> bool:
    return bool(owned) and (_norm(item.name) in owned or _norm(item.id) in owned)


def _feature_overlap(item: CatalogItem, requests: Sequence[str]) -> list[str]:
    hits = []
    for feature in item.features:
        nf = _norm(feature)
        for req in requests:
            nr = _norm(req)
            if nf and nr and (nf in nr or nr in nf):
                hits.append(req)
                break
    return hits


@lru_cache(maxsize=1024)
def _answers_pattern(answers: tuple[str, ...]) -> re.Pattern[str] | None:
    words = sorted({n for n in (_norm(a) for a in answers) if n}, key=len, reverse=True)
    if not words:
        return None
    return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b")


def _answer_hits(item: CatalogItem, text: str) -> list[str]:
    pattern = _answers_pattern(tuple(item.answers))
    if pattern is None or not text or pattern.search(text) is None:
        return []
    return [a for a in item.answers if _mentions(text, a)]


def has_earned_trust(account: Account, signals: Sequence[Signal]) -> bool:
    """Healthy relationship plus a recent positive outcome or good NPS/praise."""
    names = {s.name for s in signals}
    return account.relationship_status == RelationshipStatus.HEALTHY and bool(
        names & {SignalName.POSITIVE_OUTCOME_90D, SignalName.NPS_OR_PRAISE_60D}
    )


def _feature_requests(account: Account, findings: NoteFindings) -> list[str]:
    requests = list(account.feature_requests)
    for finding in findings.of("signal", SignalName.ASKED_MISSING_FEATURES):
        features = finding.values.get("features") or []
        requests.extend(str(f) for f in features)
    return requests


def choose_offer(
    account: Account,
    signals: Sequence[Signal],
    findings: NoteFindings,
    catalog: Sequence[CatalogItem],
    usage: Sequence[UsageReading],
    renewal_days: int | None,
) -> tuple[Offer | None, str | None]:
    """Choose the one best-fitting offer and, when none fits, the reason."""
    by_name = {s.name: s for s in signals}
    notes_text = _norm(account.notes or "")
    context = _norm(
        " ".join([account.new_initiative or "", account.notes or "", *account.feature_requests])
    )
    requests = _feature_requests(account, findings)
    fits = {t: Fit(t) for t in TYPE_PRECEDENCE}
    items_by_type: dict[OfferType, list[CatalogItem]] = {t: [] for t in TYPE_PRECEDENCE}
    owned = frozenset(_norm(p) for p in account.products_owned)
    for item in catalog:
        if _plan_ok(item, account.plan) and not _owned(item, owned):
            items_by_type[item.type].append(item)
    chosen_item: dict[OfferType, CatalogItem] = {}

    cap = fits[OfferType.CAPACITY]
    if SignalName.USAGE_80 in by_name:
        cap.add(12, by_name[SignalName.USAGE_80].detail)
    if SignalName.SHARED_SINGLE_SEAT in by_name:
        cap.add(5, by_name[SignalName.SHARED_SINGLE_SEAT].detail)
    cap.eligible = bool(cap.points)
    top_ratio = usage[0].ratio if usage else None
    if cap.eligible and SignalName.TEAM_GREW in by_name and (top_ratio is None or top_ratio >= 0.6):
        cap.add(8, by_name[SignalName.TEAM_GREW].detail)
    if cap.eligible:
        wants_volume = bool(usage) and usage[0].is_volume
        pool = items_by_type[OfferType.CAPACITY]
        preferred = [i for i in pool if (i.unit == "volume") == wants_volume]
        if preferred or pool:
            chosen_item[OfferType.CAPACITY] = (preferred or pool)[0]

    up = fits[OfferType.TIER_UPGRADE]
    if requests:
        up.add(8, Observation(topic=Topic.FEATURES_ASKED, items=requests))
    if CEILING_RE.search(account.notes or ""):
        up.add(5, Observation(source="notes", topic=Topic.PLAN_CEILING))
    up.eligible = bool(up.points)
    if up.eligible and items_by_type[OfferType.TIER_UPGRADE]:
        ranked = sorted(
            items_by_type[OfferType.TIER_UPGRADE],
            key=lambda i: len(_feature_overlap(i, requests)),
            reverse=True,
        )
        best = ranked[0]
        overlap = _feature_overlap(best, requests)
        if overlap:
            up.add(4, Observation(topic=Topic.ITEM_HAS_FEATURES, item=best.name, items=overlap))
        chosen_item[OfferType.TIER_UPGRADE] = best

    multi = fits[OfferType.MULTI_YEAR]
    happy = [
        n for n in (SignalName.NPS_OR_PRAISE_60D, SignalName.POSITIVE_OUTCOME_90D) if n in by_name
    ]
    if (
        renewal_days is not None
        and 0 <= renewal_days <= 120
        and account.relationship_status == RelationshipStatus.HEALTHY
        and happy
    ):
        multi.eligible = True
        if SignalName.RENEWAL_60_120D in by_name:
            multi.add(5, by_name[SignalName.RENEWAL_60_120D].detail)
        else:
            multi.add(3, Observation(topic=Topic.RENEWAL_IN, days=renewal_days))
        for name in happy:
            multi.add(7 if name == SignalName.NPS_OR_PRAISE_60D else 10, by_name[name].detail)
        if items_by_type[OfferType.MULTI_YEAR]:
            chosen_item[OfferType.MULTI_YEAR] = items_by_type[OfferType.MULTI_YEAR][0]

    cross = fits[OfferType.CROSS_SELL]
    matches = [
        (len(_answer_hits(i, context)), i) for i in items_by_type[OfferType.CROSS_SELL]
    ]
    matches = [m for m in matches if m[0] > 0]
    if matches:
        hits, item = max(matches, key=lambda m: m[0])
        named = _answer_hits(item, context)
        cross.add(5, Observation(topic=Topic.ITEM_ANSWERS_NEED, item=item.name, items=named))
        if findings.of("concern", ConcernKind.COMPETITOR) or any(
            _mentions(notes_text, a) for a in item.answers
        ):
            cross.add(5, Observation(source="notes", topic=Topic.NEED_IN_NOTES))
        if has_earned_trust(account, signals):
            cross.eligible = True
            chosen_item[OfferType.CROSS_SELL] = item
        else:
            cross.blocked_reason = (
                f"{item.name} would answer their need, but cross-sell needs earned trust "
                "(a healthy relationship and a recent win or good NPS): build trust first"
            )

    svc = fits[OfferType.PROFESSIONAL_SERVICES]
    if account.seats_purchased and account.active_users is not None:
        adoption = account.active_users / account.seats_purchased
        if adoption < LOW_ADOPTION_RATIO:
            adopted = Comparison(
                field="active_users",
                value=account.active_users,
                other_field="seats_purchased",
                other=account.seats_purchased,
                relation="adoption",
                unit="users",
            )
            svc.add(6, adopted)
    if PACE_RE.search(account.notes or ""):
        svc.add(4, Observation(source="notes", topic=Topic.INTERNAL_PACE))
    initiative = SignalName.NEW_INITIATIVE in by_name
    if initiative and (svc.points or not matches):
        svc.add(5, by_name[SignalName.NEW_INITIATIVE].detail)
    svc.eligible = bool(svc.points) and (initiative or svc.points >= 4)
    if svc.eligible and items_by_type[OfferType.PROFESSIONAL_SERVICES]:
        pool = items_by_type[OfferType.PROFESSIONAL_SERVICES]
        chosen_item[OfferType.PROFESSIONAL_SERVICES] = max(
            pool, key=lambda i: (len(_answer_hits(i, context)), -pool.index(i))
        )

    candidates = [f for f in fits.values() if f.eligible and f.type in chosen_item]
    if not candidates:
        reason = cross.blocked_reason or "no catalog offer fits the evidence yet"
        return None, reason
    best_fit = max(candidates, key=lambda f: (f.points, -TYPE_PRECEDENCE.index(f.type)))
    item = chosen_item[best_fit.type]
    return _offer(best_fit, item, account), cross.blocked_reason


WHY_LEAD = {
    OfferType.CAPACITY: "They are running out of room on what they already use",
    OfferType.TIER_UPGRADE: "They are asking for what the next plan unlocks",
    OfferType.MULTI_YEAR: "Renewal is close and the relationship is strong",
    OfferType.CROSS_SELL: "A named adjacent need that another product answers, with trust earned",
    OfferType.PROFESSIONAL_SERVICES: "Intent is there but adoption or pace lags",
}


def _estimated_value(item: CatalogItem, account: Account) -> float | None:
    if item.price is None:
        return None
    unit = (item.price_unit or "").lower()
    if "seat" in unit and account.seats_purchased:
        extra = max(
            (account.active_users or 0) - account.seats_purchased,
            (account.seats_used or 0) - account.seats_purchased,
            math.ceil(account.seats_purchased * 0.2),
            1,
        )
        return round(item.price * extra, 2)
    return item.price


def _offer(fit: Fit, item: CatalogItem, account: Account) -> Offer:
    why = f"{WHY_LEAD[fit.type]}: " + "; ".join(contract_text(e) for e in fit.evidence) + "."
    return Offer(
        type=fit.type,
        item=item.name,
        item_id=item.id,
        why=why,
        reasons=list(fit.evidence),
        price=item.price,
        price_unit=item.price_unit,
        currency=item.currency,
        estimated_value=_estimated_value(item, account),
        max_discount_pct=item.max_discount_pct,
    )
