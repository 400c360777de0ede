"""Typed data shared by every tool: accounts, evidence, decisions and the assessment."""

from __future__ import annotations

import copy
import datetime as dt
from enum import Enum, StrEnum
from typing import Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field
from pydantic_core import PydanticUndefined


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


class OfferType(StrEnum):
    """Expansion offer types (contract values)."""

    CAPACITY = "capacity"
    TIER_UPGRADE = "tier_upgrade"
    CROSS_SELL = "cross_sell"
    PROFESSIONAL_SERVICES = "professional_services"
    MULTI_YEAR = "multi_year"


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


class ConcernKind(StrEnum):
    """Account-specific concerns found in notes (beyond the four common objections)."""

    PRICE = "price"
    COMPETITOR = "competitor"
    SECURITY = "security"
    BANDWIDTH = "bandwidth"
    INTEGRATION = "integration"
    VALUE_DOUBT = "value_doubt"


class RelationshipStatus(StrEnum):
    """Relationship status of the account."""

    HEALTHY = "healthy"
    NEUTRAL = "neutral"
    AT_RISK = "at-risk"


Source = Literal["data", "notes"]


_IMMUTABLE: frozenset[type] = frozenset(
    {str, int, float, bool, type(None), bytes, dt.date, dt.datetime, dt.time, dt.timedelta}
)


def _deep(value: Any, memo: dict[int, Any]) -> Any:
    """`copy.deepcopy` for the plain data models hold; immutable values are shared."""
    cls = type(value)
    if cls in _IMMUTABLE or isinstance(value, Enum):
        return value
    found = memo.get(id(value))
    if found is not None:
        return found
    if cls is list:
        items: list[Any] = []
        memo[id(value)] = items
        items.extend(_deep(v, memo) for v in value)
        return items
    if cls is dict:
        mapping: dict[Any, Any] = {}
        memo[id(value)] = mapping
        for key, item in value.items():
            mapping[_deep(key, memo)] = _deep(item, memo)
        return mapping
    if isinstance(value, BaseModel):
        return value.__deepcopy__(memo)
    return copy.deepcopy(value, memo)


class _Record(BaseModel):
    """A model whose deep copies skip `copy.deepcopy`'s generic machinery (same result)."""

    def __deepcopy__(self, memo: dict[int, Any] | None = None) -> Self:
        """Return a deep copy: fields, extra and fields-set copied as pydantic does."""
        if memo is None:
            memo = {}
        cls = type(self)
        out = cls.__new__(cls)
        memo[id(self)] = out
        setattr_ = object.__setattr__
        setattr_(out, "__dict__", {k: _deep(v, memo) for k, v in self.__dict__.items()})
        extra = self.__pydantic_extra__
        setattr_(out, "__pydantic_extra__", None if extra is None else _deep(extra, memo))
        setattr_(out, "__pydantic_fields_set__", set(self.__pydantic_fields_set__))
        private = getattr(self, "__pydantic_private__", None)
        if private is not None:
            private = _deep({k: v for k, v in private.items() if v is not PydanticUndefined}, memo)
        setattr_(out, "__pydantic_private__", private)
        return out


class Account(_Record):
    """One customer account, canonical columns of the contract."""

    model_config = ConfigDict(extra="ignore", frozen=False)

    account_id: str
    account_name: str
    row: int | None = Field(default=None, description="1-based data row in the source file")
    contact_name: str | None = None
    contact_role: str | None = None
    plan: str | None = None
    arr: float | None = None
    currency: str = "USD"
    relationship_status: RelationshipStatus | None = None
    seats_purchased: int | None = None
    seats_used: int | None = None
    usage_limit: float | None = None
    usage_current: float | None = None
    active_users: int | None = None
    logins_per_month: float | None = None
    team_size_at_purchase: int | None = None
    team_size_now: int | None = None
    departments_at_purchase: int | None = None
    departments_now: int | None = None
    company_employees_at_purchase: int | None = None
    company_employees_now: int | None = None
    company_revenue_growth_pct: float | None = None
    positive_outcome: str | None = None
    positive_outcome_date: dt.date | None = None
    nps: int | None = None
    nps_date: dt.date | None = None
    feature_requests: list[str] = Field(default_factory=list)
    new_initiative: str | None = None
    renewal_date: dt.date | None = None
    open_tickets_high: int | None = None
    last_contact_date: dt.date | None = None
    products_owned: list[str] = Field(default_factory=list)
    notes: str | None = None
    notes_date: dt.date | None = Field(
        default=None, description="date of undated notes (e.g. the call date of pasted notes)"
    )
    extra: dict[str, Any] = Field(default_factory=dict, description="unknown columns, kept")


class Evidence(_Record):
    """One piece of evidence behind a decision."""

    source: Source
    text: str = Field(description="field=value, or the exact quote from the notes")
    date: dt.date | None = None
    field: str | None = None


class Signal(_Record):
    """A readiness signal that fired, with its points and evidence."""

    name: SignalName
    points: int
    evidence: str
    source: Source
    date: dt.date | None = None
    quote: str | None = None


class NotScored(_Record):
    """A signal that could not be evaluated, and the assumption the brief states."""

    name: SignalName
    reason: str


class Gate(_Record):
    """A timing gate that holds."""

    name: GateName
    evidence: str
    source: Source
    action: str
    blocking: bool
    date: dt.date | None = None


class CatalogItem(_Record):
    """One item of the customer's offer catalog."""

    id: str
    name: str
    type: OfferType
    price: float | None = None
    price_unit: str | None = Field(
        default=None, description="e.g. per seat / year, per year, one-off"
    )
    currency: str = "USD"
    for_plans: list[str] = Field(
        default_factory=list, description="plans it can be sold to; empty = any"
    )
    target_plan: str | None = Field(default=None, description="plan reached by a tier upgrade")
    unit: str | None = Field(default=None, description="capacity unit: seats or volume")
    features: list[str] = Field(default_factory=list)
    answers: list[str] = Field(default_factory=list, description="needs / pains it answers")
    max_discount_pct: float = 0.0
    description: str | None = None


class Offer(_Record):
    """The one offer chosen for an account."""

    type: OfferType
    item: str
    item_id: str
    why: str
    evidence: list[str] = Field(default_factory=list)
    price: float | None = None
    price_unit: str | None = None
    currency: str = "USD"
    estimated_value: float | None = None
    max_discount_pct: float = 0.0


class Trigger(_Record):
    """The most recent why-now event."""

    type: TriggerType
    evidence: str
    date: dt.date | None = None
    source: Source
    quote: str | None = None


class Concern(_Record):
    """An account-specific concern found in the notes."""

    kind: ConcernKind
    quote: str
    date: dt.date | None = None


class CalendarStep(_Record):
    """One week of the 90-day plan."""

    week: int
    start: dt.date
    end: dt.date
    phase: str
    action: str
    milestone: str | None = None
    milestone_date: dt.date | None = None


class HealthScore(_Record):
    """Customer health score (0-100) with its weighted components."""

    score: int
    band: str
    components: dict[str, float]
    assumptions: list[str] = Field(default_factory=list)


class OpportunityScore(_Record):
    """Opportunity score (1-10) over five dimensions."""

    score: float
    action: str
    dimensions: dict[str, int]


class RenewalTimeline(_Record):
    """Where the account stands on the 120/90/60/30 renewal timeline."""

    renewal_date: dt.date | None
    days_to_renewal: int | None
    stage: str
    milestones: dict[str, dt.date] = Field(default_factory=dict)


class Forecast(_Record):
    """Weighted expansion forecast for the chosen offer."""

    stage: str
    weight: float
    potential_value: float | None
    weighted_value: float | None


class Assessment(_Record):
    """Everything decided about one account: the facts the prose must not change."""

    account_id: str
    account_name: str
    contact_name: str | None = None
    contact_role: str | None = None
    plan: str | None = None
    arr: float | None = None
    currency: str = "USD"
    as_of: dt.date
    readiness_score: int
    tier: Tier
    tier_label: str
    timing: str
    signals: list[Signal]
    not_scored: list[NotScored] = Field(default_factory=list)
    gates: list[Gate]
    offer: Offer | None
    held_offer: Offer | None = Field(
        default=None, description="the offer that fits but is held back by a gate or the tier"
    )
    offer_note: str | None = None
    trigger: Trigger | None
    concerns: list[Concern] = Field(default_factory=list)
    health: HealthScore
    opportunity: OpportunityScore
    renewal: RenewalTimeline
    forecast: Forecast
    segment: str | None = None
    plan_kind: Literal["expansion", "fix_first", "re_engage", "adoption", "retention", "nurture"]
    opening_date: dt.date
    calendar: list[CalendarStep]
    missing_inputs: list[str] = Field(default_factory=list)
    assumptions: list[str] = Field(default_factory=list)

    def contract_dict(self) -> dict[str, Any]:
        """Return the scoring object of the outside contract (plus extra fields)."""
        return self.model_dump(mode="json")


FindingCategory = Literal["signal", "gate", "trigger", "concern", "fact"]


class NoteFinding(_Record):
    """One thing found in free notes, always with the verbatim quote it rests on.

    `name` is a SignalName, GateName, TriggerType or ConcernKind value, or for
    category "fact" one of: usage_ratio (values: used, capacity, ratio),
    nps (values: nps), renewal_date (values: dt.date), logins_per_month
    (values: logins), positive_feedback.
    """

    category: FindingCategory
    name: str
    quote: str = Field(description="exact substring of the notes")
    date: dt.date | None = None
    dated_by: Literal["header", "explicit", "relative", "notes_date"] | None = None
    values: dict[str, Any] = Field(default_factory=dict)
    origin: Literal["rules", "llm"] = "rules"


class NoteFindings(_Record):
    """Everything the notes say, as findings."""

    findings: list[NoteFinding] = Field(default_factory=list)

    def of(self, category: FindingCategory, name: str | None = None) -> list[NoteFinding]:
        """Return the findings of one category (and name)."""
        return [
            f for f in self.findings if f.category == category and (name is None or f.name == name)
        ]
