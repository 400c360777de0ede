"""Everything decided about one account: the facts the prose must not change.

Each signal, gate, offer reason and trigger carries its evidence as structured data
(`tools.models.evidence`); the contract's ``evidence`` strings are computed from it
(`tools.evidence_text.contract_text`), so the JSON keeps its shape and nothing parses
them back.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import Field, computed_field

from playbook.tools.evidence_text import contract_text
from playbook.tools.models.base import Record
from playbook.tools.models.evidence import Evidence, NoteQuote
from playbook.tools.vocab import (
    ConcernKind,
    GateName,
    OfferType,
    PlanKind,
    SignalName,
    Source,
    Tier,
    TriggerType,
)


class _Evidenced(Record):
    """A decision resting on one piece of evidence (``detail``)."""

    detail: Evidence

    @computed_field  # type: ignore[prop-decorator]
    @property
    def evidence(self) -> str:
        """The contract's evidence string (field and value, or the notes quote)."""
        return contract_text(self.detail)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def source(self) -> Source:
        """Where the evidence comes from: the data row or the notes."""
        return self.detail.source

    @computed_field  # type: ignore[prop-decorator]
    @property
    def quote(self) -> str | None:
        """The verbatim notes quote, when the evidence is one."""
        return self.detail.quote if isinstance(self.detail, NoteQuote) else None


class Signal(_Evidenced):
    """A readiness signal that fired, with its points and evidence."""

    name: SignalName
    points: int
    date: dt.date | None = None


class NotScored(Record):
    """A signal that could not be evaluated, and the assumption the brief states."""

    name: SignalName
    reason: str


class Gate(_Evidenced):
    """A timing gate that holds."""

    name: GateName
    action: str
    blocking: bool
    date: dt.date | None = None


class Offer(Record):
    """The one offer chosen for an account."""

    type: OfferType
    item: str
    item_id: str
    why: str
    reasons: list[Evidence] = Field(default_factory=list)
    price: float | None = None
    price_unit: str | None = None
    currency: str = "USD"
    estimated_value: float | None = None
    max_discount_pct: float = 0.0

    @computed_field  # type: ignore[prop-decorator]
    @property
    def evidence(self) -> list[str]:
        """The contract's evidence strings, one per reason."""
        return [contract_text(r) for r in self.reasons]


class Trigger(_Evidenced):
    """The most recent why-now event."""

    type: TriggerType
    date: dt.date | None = None


class Concern(Record):
    """An account-specific concern found in the notes."""

    kind: ConcernKind
    quote: str
    date: dt.date | None = None


class CalendarStep(Record):
    """One week of the 90-day plan."""

    week: int
    start: dt.date
    end: dt.date
    phase: str
    action: str
    milestone: str | None = None
    milestone_date: dt.date | None = None


class HealthScore(Record):
    """Customer health score (0-100) with its weighted components."""

    score: int
    band: str
    components: dict[str, float]
    assumptions: list[str] = Field(default_factory=list)


class OpportunityScore(Record):
    """Opportunity score (1-10) over five dimensions."""

    score: float
    action: str
    dimensions: dict[str, int]


class RenewalTimeline(Record):
    """Where the account stands on the 120/90/60/30 renewal timeline."""

    renewal_date: dt.date | None
    days_to_renewal: int | None
    stage: str
    milestones: dict[str, dt.date] = Field(default_factory=dict)


class Forecast(Record):
    """Weighted expansion forecast for the chosen offer."""

    stage: str
    weight: float
    potential_value: float | None
    weighted_value: float | None


class LikelihoodReason(Record):
    """One of the features that move an account's expansion likelihood most."""

    feature: str
    text: str = Field(description="how it reads, e.g. 'a renewal within 90 days raises it'")
    effect: float = Field(description="its contribution on the logit scale (+ raises)")


class Assessment(Record):
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
    plan_kind: PlanKind
    opening_date: dt.date
    calendar: list[CalendarStep]
    missing_inputs: list[str] = Field(default_factory=list)
    assumptions: list[str] = Field(default_factory=list)
    expansion_likelihood: float | None = Field(
        default=None, description="calibrated 90-day expansion likelihood (with --model)"
    )
    likelihood_reasons: list[LikelihoodReason] = Field(default_factory=list)

    def contract_dict(self) -> dict[str, Any]:
        """Return the scoring object of the outside contract (plus extra fields)."""
        return self.model_dump(mode="json")
