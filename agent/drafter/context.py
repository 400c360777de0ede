"""What every part of the offline drafter needs, derived once per brief."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from playbook.agent.drafter.phrases import phrase
from playbook.agent.drafter.text import first_name, variant
from playbook.knowledge.chunks import Chunk
from playbook.knowledge.guidance import Guidance
from playbook.tools.models.assessment import Assessment, Gate, Offer, Signal
from playbook.tools.models.evidence import Evidence
from playbook.tools.vocab import PLAN_GATE, GateName

__all__ = ["DraftContext", "build_context"]


@dataclass(frozen=True)
class DraftContext:
    """Decided facts plus the phrases derived from them, shared by every section."""

    facts: Assessment
    guidance: Guidance
    notes: str | None
    allowed_dates: frozenset[str]
    first: str | None
    greeting: str
    offer: Offer | None
    item: str | None
    plan_kind: str
    blocking: tuple[Gate, ...]
    primary_gate: Gate | None
    shifted: bool
    trigger_ev: str
    trigger_on: str
    top_ev: str
    offer_ev: tuple[str, ...]
    offer_customer_ev: tuple[str, ...]
    avoid: tuple[str, ...] = ()

    @property
    def gated(self) -> bool:
        """True when a blocking gate holds (the plan replaces the pitch)."""
        return bool(self.blocking)

    @property
    def held(self) -> bool:
        """True when no offer is raised now (a blocking gate or the tier holds it)."""
        return self.offer is None

    @property
    def who(self) -> str:
        """How prose for the CSM names the contact."""
        return self.first or "the contact"

    def pick(self, salt: str, options: tuple[str, ...]) -> str:
        """One of `options`, stable for this account and purpose."""
        return variant(self.facts.account_id, salt, options)

    def ev(self, evidence: Evidence | None, *, strict: bool = False) -> str:
        """Return a readable, safe phrase for one piece of evidence ("" when none is safe)."""
        return without_names(
            phrase(evidence, notes=self.notes, allowed_dates=self.allowed_dates, strict=strict),
            self.avoid,
        )

    @property
    def customer_ev(self) -> str:
        """The best evidence to say to the customer: the offer's, else trigger or signal."""
        return next(iter(self.offer_customer_ev), "") or self.trigger_ev or self.top_ev

    def cite(self, *chunks: Chunk | None) -> list[str]:
        """Ids of the given chunks; the first retrieved chunk when none of them exists."""
        ids = list(dict.fromkeys(c.id for c in chunks if c is not None))
        if ids:
            return ids
        fallback = self.guidance.chunks()
        return [fallback[0].id] if fallback else []

    @property
    def gate_chunk(self) -> Chunk | None:
        """The guidance chunk of the gate that decides the plan."""
        if self.primary_gate is None:
            return None
        return self.guidance.gates.get(self.primary_gate.name.value)


def _decided_dates(facts: Assessment) -> frozenset[str]:
    """Return the dates prose may name: opening, calendar, trigger and renewal dates."""
    days = {facts.opening_date}
    for step in facts.calendar:
        days.update({step.start, step.end})
        if step.milestone_date is not None:
            days.add(step.milestone_date)
    if facts.trigger is not None and facts.trigger.date is not None:
        days.add(facts.trigger.date)
    if facts.renewal.renewal_date is not None:
        days.add(facts.renewal.renewal_date)
    days.update(facts.renewal.milestones.values())
    return frozenset(d.isoformat() for d in days)


def _top_signal(signals: list[Signal]) -> Signal | None:
    """Return the signal with the most points (the first one on ties)."""
    best: Signal | None = None
    for signal in signals:
        if best is None or signal.points > best.points:
            best = signal
    return best


def without_names(text: str, names: tuple[str, ...]) -> str:
    """Return `text`, or "" when it names one of `names` (other catalog items)."""
    low = text.lower()
    return "" if any(n in low for n in names) else text


def build_context(
    facts: Assessment, guidance: Guidance, notes: str | None, avoid: Sequence[str] = ()
) -> DraftContext:
    """Derive the shared context of one brief.

    `avoid` names catalog items other than the decided offer: a quote that names one
    is not used, so the prose never points at a second offer.
    """
    chosen = {o.item.lower() for o in (facts.offer, facts.held_offer) if o is not None}
    avoided = tuple(sorted({n.lower() for n in avoid if n and n.lower() not in chosen}))
    allowed = _decided_dates(facts)
    norm_notes = " ".join(notes.split()).lower() if notes else None
    first = first_name(facts.contact_name)
    blocking = tuple(g for g in facts.gates if g.blocking)
    gate_name = PLAN_GATE.get(facts.plan_kind)
    primary = next((g for g in blocking if g.name == gate_name), blocking[0] if blocking else None)
    offer = facts.offer

    def ev(evidence: Evidence | None, strict: bool = False) -> str:
        return without_names(
            phrase(evidence, notes=norm_notes, allowed_dates=allowed, strict=strict), avoided
        )

    trigger = facts.trigger
    trigger_ev = ev(trigger.detail, True) if trigger else ""
    trigger_on = f" on {trigger.date.isoformat()}" if trigger and trigger.date else ""
    if trigger_on and trigger_on[4:] in trigger_ev:
        trigger_on = ""
    top = _top_signal(facts.signals)
    source = offer or facts.held_offer
    evidence = source.reasons if source else []
    offer_ev = tuple(p for p in (ev(e) for e in evidence) if p)
    customer_ev = tuple(p for p in (ev(e, True) for e in evidence) if p)
    return DraftContext(
        facts=facts,
        guidance=guidance,
        notes=norm_notes,
        allowed_dates=allowed,
        first=first,
        greeting=f"Hi {first}," if first else "Hi there,",
        offer=offer,
        item=offer.item if offer else None,
        plan_kind=facts.plan_kind,
        blocking=blocking,
        primary_gate=primary,
        shifted=any(g.name == GateName.QUARTER_END for g in facts.gates),
        trigger_ev=trigger_ev,
        trigger_on=trigger_on,
        top_ev=ev(top.detail, True) if top else "",
        offer_ev=offer_ev,
        offer_customer_ev=customer_ev,
        avoid=avoided,
    )
