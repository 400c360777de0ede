"""The product's shared vocabulary: every name the contract uses, and how people read it.

One place for the StrEnums of the contract (signals, tiers, gates, offer types,
trigger types, concerns, plan kinds, brief sections, the common objections) and
their labels. A label has a ``title`` (headings, tables, the UI) and a ``phrase``
(inside a sentence). Every other layer imports these; none defines its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

Source = Literal["data", "notes"]


@dataclass(frozen=True)
class Label:
    """How a vocabulary value reads: as a title, and inside a sentence."""

    title: str
    phrase: str


class SignalName(StrEnum):
    """The nine readiness signals (contract names)."""

    USAGE_80 = "usage_80"
    POSITIVE_OUTCOME_90D = "positive_outcome_90d"
    TEAM_GREW = "team_grew"
    ASKED_MISSING_FEATURES = "asked_missing_features"
    NPS_OR_PRAISE_60D = "nps_or_praise_60d"
    RENEWAL_60_120D = "renewal_60_120d"
    NEW_INITIATIVE = "new_initiative"
    SHARED_SINGLE_SEAT = "shared_single_seat"
    COMPANY_GREW = "company_grew"


SIGNAL_POINTS: dict[SignalName, int] = {
    SignalName.USAGE_80: 12,
    SignalName.POSITIVE_OUTCOME_90D: 10,
    SignalName.TEAM_GREW: 8,
    SignalName.ASKED_MISSING_FEATURES: 8,
    SignalName.NPS_OR_PRAISE_60D: 7,
    SignalName.RENEWAL_60_120D: 5,
    SignalName.NEW_INITIATIVE: 5,
    SignalName.SHARED_SINGLE_SEAT: 5,
    SignalName.COMPANY_GREW: 4,
}
MAX_READINESS = sum(SIGNAL_POINTS.values())

SIGNAL_LABELS: dict[SignalName, Label] = {
    SignalName.USAGE_80: Label("Usage at or above 80% of capacity", "usage near capacity"),
    SignalName.POSITIVE_OUTCOME_90D: Label(
        "Positive outcome in the last 90 days", "a recent positive outcome"
    ),
    SignalName.TEAM_GREW: Label("Using team grew", "a growing team"),
    SignalName.ASKED_MISSING_FEATURES: Label(
        "Asked for features they do not have", "requests for features outside their plan"
    ),
    SignalName.NPS_OR_PRAISE_60D: Label(
        "NPS 8+ or praise in the last 60 days", "recent praise or a high NPS"
    ),
    SignalName.RENEWAL_60_120D: Label("Renewal 60-120 days away", "a renewal 60 to 120 days out"),
    SignalName.NEW_INITIATIVE: Label(
        "New initiative that fits another offering", "a new initiative"
    ),
    SignalName.SHARED_SINGLE_SEAT: Label("Several people share one seat", "shared seats"),
    SignalName.COMPANY_GREW: Label("Company grew", "company growth"),
}


class Tier(StrEnum):
    """Readiness tiers (contract values)."""

    PRIORITY = "priority"
    READY = "ready"
    CANDIDATE = "candidate"
    NOT_YET = "not_yet"


TIER_LABELS: dict[Tier, str] = {
    Tier.PRIORITY: "Expansion Priority",
    Tier.READY: "Expansion Ready",
    Tier.CANDIDATE: "Expansion Candidate",
    Tier.NOT_YET: "Not yet",
}
TIER_TIMING: dict[Tier, str] = {
    Tier.PRIORITY: "talk this week",
    Tier.READY: "talk within 30 days",
    Tier.CANDIDATE: "plant seeds now, ask in 60-90 days",
    Tier.NOT_YET: "work on health and adoption first",
}


class GateName(StrEnum):
    """The five timing gates (contract names)."""

    OPEN_PROBLEM = "open_problem"
    GONE_QUIET = "gone_quiet"
    LOW_USAGE = "low_usage"
    QUARTER_END = "quarter_end"
    AT_RISK = "at_risk"


BLOCKING_GATES: frozenset[GateName] = frozenset(
    {GateName.OPEN_PROBLEM, GateName.GONE_QUIET, GateName.LOW_USAGE, GateName.AT_RISK}
)
GATE_LABELS: dict[GateName, Label] = {
    GateName.OPEN_PROBLEM: Label("Open support problem", "an open support problem"),
    GateName.GONE_QUIET: Label("Account has gone quiet", "no recent contact"),
    GateName.LOW_USAGE: Label("Low usage", "low usage"),
    GateName.QUARTER_END: Label(
        "Quarter end", "an opening moved to the next fiscal quarter"
    ),
    GateName.AT_RISK: Label("Relationship at risk", "an at-risk relationship"),
}
GATE_FIRST: dict[GateName, str] = {
    GateName.OPEN_PROBLEM: "fixing the open problem",
    GateName.GONE_QUIET: "re-establishing contact",
    GateName.LOW_USAGE: "adoption",
    GateName.QUARTER_END: "the moved opening",
    GateName.AT_RISK: "retention",
}


class OfferType(StrEnum):
    """Expansion offer types (contract values)."""

    CAPACITY = "capacity"
    TIER_UPGRADE = "tier_upgrade"
    CROSS_SELL = "cross_sell"
    PROFESSIONAL_SERVICES = "professional_services"
    MULTI_YEAR = "multi_year"


OFFER_LABELS: dict[OfferType, Label] = {
    OfferType.CAPACITY: Label("Capacity expansion", "capacity expansion"),
    OfferType.TIER_UPGRADE: Label("Tier upgrade", "tier upgrade"),
    OfferType.CROSS_SELL: Label("Cross-sell", "cross-sell"),
    OfferType.PROFESSIONAL_SERVICES: Label("Professional services", "professional services"),
    OfferType.MULTI_YEAR: Label("Multi-year renewal", "multi-year renewal"),
}


class TriggerType(StrEnum):
    """Why-now trigger types (contract values)."""

    SUCCESS_MOMENT = "success_moment"
    USAGE_CEILING = "usage_ceiling"
    TEAM_GROWTH = "team_growth"
    NEW_INITIATIVE = "new_initiative"
    RENEWAL_AHEAD = "renewal_ahead"
    ONBOARDING_COMPLETE = "onboarding_complete"
    CHAMPION_EVENT = "champion_event"
    ORG_CHANGE = "org_change"
    BUDGET_CYCLE = "budget_cycle"
    PRODUCT_LAUNCH = "product_launch"


TRIGGER_LABELS: dict[TriggerType, Label] = {
    TriggerType.SUCCESS_MOMENT: Label("Success moment", "a success moment"),
    TriggerType.USAGE_CEILING: Label("Usage ceiling", "a usage ceiling"),
    TriggerType.TEAM_GROWTH: Label("Team growth", "team growth"),
    TriggerType.NEW_INITIATIVE: Label("New initiative", "a new initiative"),
    TriggerType.RENEWAL_AHEAD: Label("Renewal ahead", "the renewal ahead"),
    TriggerType.ONBOARDING_COMPLETE: Label("Onboarding complete", "onboarding completed"),
    TriggerType.CHAMPION_EVENT: Label("Champion event", "a champion event"),
    TriggerType.ORG_CHANGE: Label("Organisational change", "an organisational change"),
    TriggerType.BUDGET_CYCLE: Label("Budget cycle", "their budget cycle"),
    TriggerType.PRODUCT_LAUNCH: Label(
        "Product launch", "a product launch that fits their need"
    ),
}


class ConcernKind(StrEnum):
    """Account-specific concerns found in notes (beyond the four common objections)."""

    PRICE = "price"
    COMPETITOR = "competitor"
    SECURITY = "security"
    BANDWIDTH = "bandwidth"
    INTEGRATION = "integration"
    VALUE_DOUBT = "value_doubt"


CONCERN_LABELS: dict[ConcernKind, Label] = {
    ConcernKind.PRICE: Label("Price", "price"),
    ConcernKind.COMPETITOR: Label("Competitor", "a competitor"),
    ConcernKind.SECURITY: Label("Security and compliance", "security and compliance"),
    ConcernKind.BANDWIDTH: Label("Team bandwidth", "their team's bandwidth"),
    ConcernKind.INTEGRATION: Label("Integration", "integration with their other systems"),
    ConcernKind.VALUE_DOUBT: Label("Doubts about value", "doubts about the value"),
}


class ObjectionKey(StrEnum):
    """The four common objections every brief prepares for."""

    NOT_READY = "not_ready"
    BUDGET = "budget"
    MORE_VALUE = "more_value"
    HAPPY = "happy"


COMMON_OBJECTIONS: dict[ObjectionKey, str] = {
    ObjectionKey.NOT_READY: "We're not ready to expand right now.",
    ObjectionKey.BUDGET: "We'd need to get budget approved.",
    ObjectionKey.MORE_VALUE: "We need to see more value from what we have first.",
    ObjectionKey.HAPPY: "We're happy with what we have.",
}
CONCERN_PREFIX = "concern:"
"""Objection keys for an account's own concerns are ``concern:<kind>``."""


class RelationshipStatus(StrEnum):
    """Relationship status of the account."""

    HEALTHY = "healthy"
    NEUTRAL = "neutral"
    AT_RISK = "at-risk"


class PlanKind(StrEnum):
    """Which 90-day plan an account gets: the expansion sequence or a gated replacement."""

    EXPANSION = "expansion"
    FIX_FIRST = "fix_first"
    RE_ENGAGE = "re_engage"
    ADOPTION = "adoption"
    RETENTION = "retention"
    NURTURE = "nurture"


PLAN_GATE: dict[PlanKind, GateName] = {
    PlanKind.RETENTION: GateName.AT_RISK,
    PlanKind.FIX_FIRST: GateName.OPEN_PROBLEM,
    PlanKind.RE_ENGAGE: GateName.GONE_QUIET,
    PlanKind.ADOPTION: GateName.LOW_USAGE,
}
"""The gate each replacement plan answers."""


class Section(StrEnum):
    """The sections of a brief a drafter writes (the rubric names them when a check fails)."""

    OFFER_MAP = "offer_map"
    TRIGGER_LOG = "trigger_log"
    SCRIPT = "script"
    OBJECTIONS = "objections"
    CALENDAR = "calendar"
    SUMMARY = "summary"


SECTIONS: tuple[Section, ...] = tuple(Section)
LLM_SECTIONS: tuple[Section, ...] = (
    Section.OFFER_MAP,
    Section.TRIGGER_LOG,
    Section.SCRIPT,
    Section.OBJECTIONS,
    Section.CALENDAR,
)
"""The sections an LLM draft may replace (the summary is always the drafter's)."""
SECTION_TITLES: dict[Section, str] = {
    Section.OFFER_MAP: "Offer map",
    Section.TRIGGER_LOG: "Trigger log",
    Section.SCRIPT: "Opening script",
    Section.OBJECTIONS: "Objection responses",
    Section.CALENDAR: "90-day calendar",
    Section.SUMMARY: "Summary",
}
