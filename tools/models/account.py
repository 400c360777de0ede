"""What the user brings: one customer account (canonical columns) and one catalog item."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import ConfigDict, Field

from playbook.tools.models.base import Record
from playbook.tools.vocab import OfferType, RelationshipStatus


class Account(Record):
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
    customer_since: dt.date | None = Field(
        default=None, description="when the account became a customer (tenure)"
    )
    snapshot_date: dt.date | None = Field(
        default=None, description="the date a history snapshot of the account was taken"
    )
    extra: dict[str, Any] = Field(default_factory=dict, description="unknown columns, kept")


class CatalogItem(Record):
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
