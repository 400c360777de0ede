"""Render the extract / draft / revise prompts from decided facts, guidance and notes.

The prompts carry the decided facts as JSON, the retrieved guidance chunks with
their ids, and the notes fenced as data (see :mod:`.safety`). The same builders
serve the graph and the ``--dry-run`` token estimate.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from playbook.agent.llm.safety import wrap_notes
from playbook.knowledge.guidance import Guidance
from playbook.prompts import load_prompt
from playbook.tools.models.assessment import Assessment
from playbook.tools.vocab import (
    COMMON_OBJECTIONS,
    MAX_READINESS,
    ConcernKind,
    GateName,
    SignalName,
    TriggerType,
)

JSONDict = dict[str, Any]
Messages = list[tuple[str, str]]
FACT_NAMES = ("usage_ratio", "nps", "renewal_date", "logins_per_month", "positive_feedback")
NOTE_GATES = tuple(g.value for g in GateName if g != GateName.QUARTER_END)
ALLOWED_NAMES: dict[str, tuple[str, ...]] = {
    "signal": tuple(s.value for s in SignalName),
    "gate": NOTE_GATES,
    "trigger": tuple(t.value for t in TriggerType),
    "concern": tuple(c.value for c in ConcernKind),
    "fact": FACT_NAMES,
}
_HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "dr", "prof", "mx", "sir", "madam"})


def first_name(contact: str | None) -> str | None:
    """Return the contact's first name, skipping honorifics."""
    for token in (contact or "").split():
        bare = token.strip(".,;:")
        if bare and bare.lower() not in _HONORIFICS:
            return bare
    return None


def _offer_view(facts: Assessment) -> JSONDict | None:
    offer = facts.offer
    if offer is None:
        return None
    return {
        "type": offer.type.value,
        "item": offer.item,
        "why": offer.why,
        "evidence": offer.evidence,
        "price": offer.price,
        "price_unit": offer.price_unit,
        "currency": offer.currency,
        "max_discount_pct": offer.max_discount_pct,
    }


def facts_view(facts: Assessment) -> JSONDict:
    """Return the decided facts the prose may use, as a compact JSON-able mapping."""
    return {
        "account_id": facts.account_id,
        "account_name": facts.account_name,
        "contact": {
            "name": facts.contact_name,
            "first_name": first_name(facts.contact_name),
            "role": facts.contact_role,
        },
        "plan": facts.plan,
        "arr": facts.arr,
        "currency": facts.currency,
        "as_of": facts.as_of.isoformat(),
        "readiness_score": f"{facts.readiness_score}/{MAX_READINESS}",
        "tier": facts.tier_label,
        "timing": facts.timing,
        "plan_kind": facts.plan_kind,
        "signals": [
            {"name": s.name.value, "points": s.points, "evidence": s.evidence}
            | ({"date": s.date.isoformat()} if s.date else {})
            for s in facts.signals
        ],
        "not_scored": [n.reason for n in facts.not_scored],
        "gates": [
            {
                "name": g.name.value,
                "evidence": g.evidence,
                "action": g.action,
                "blocking": g.blocking,
            }
            for g in facts.gates
        ],
        "offer": _offer_view(facts),
        "held_offer": (
            {"type": facts.held_offer.type.value, "item": facts.held_offer.item}
            if facts.held_offer
            else None
        ),
        "offer_note": facts.offer_note,
        "trigger": (
            {
                "type": facts.trigger.type.value,
                "evidence": facts.trigger.evidence,
                "date": facts.trigger.date.isoformat() if facts.trigger.date else None,
            }
            if facts.trigger
            else None
        ),
        "concerns": [{"kind": c.kind.value, "quote": c.quote} for c in facts.concerns],
        "opening_date": facts.opening_date.isoformat(),
        "calendar": [
            {"week": w.week, "start": w.start.isoformat(), "phase": w.phase}
            | ({"milestone_date": w.milestone_date.isoformat()} if w.milestone_date else {})
            for w in facts.calendar
        ],
        "assumptions": facts.assumptions,
    }


def objection_keys(facts: Assessment) -> list[tuple[str, str]]:
    """(key, objection text): the four common objections, then one per concern kind."""
    keys: list[tuple[str, str]] = [(k.value, text) for k, text in COMMON_OBJECTIONS.items()]
    seen: set[str] = set()
    for concern in facts.concerns:
        if concern.kind.value not in seen:
            seen.add(concern.kind.value)
            keys.append((f"concern:{concern.kind.value}", f'"{concern.quote}"'))
    return keys


def offer_rule(facts: Assessment) -> str:
    """Rule 2 of the draft prompt: the one offer, or why there is no pitch."""
    if facts.offer is not None:
        return (
            f'Pitch exactly one offer: "{facts.offer.item}" ({facts.offer.type.value}). '
            "Name no other product, plan, tier or catalog item."
        )
    reason = facts.offer_note or "no offer fits yet"
    held = (
        f' The offer rationale may name "{facts.held_offer.item}" as the offer for later.'
        if (facts.held_offer)
        else ""
    )
    return (
        f"There is no pitch for this account ({reason}). The script names no product, plan or "
        "catalog item and uses none of the words upgrade, add seats, expand, proposal, pricing, "
        f"price or discount; it opens the conversation on what must happen first.{held}"
    )


def contact_rule(facts: Assessment) -> str:
    """Return the script's greeting rule."""
    name = first_name(facts.contact_name)
    if name is None:
        return "No contact is known: greet the team without inventing a name."
    return f"Greet {name} by first name."


def guidance_block(guidance: Guidance) -> str:
    """Render the retrieved chunks, each with its id and the part it serves."""
    labels = guidance.part_labels()
    blocks = [
        f"[{chunk.id}] ({labels.get(chunk.id, 'reference')}) {chunk.title}\n{chunk.text}"
        for chunk in guidance.chunks()
    ]
    return "\n\n".join(blocks) if blocks else "(no guidance retrieved)"


def _json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


@dataclass(frozen=True)
class PromptInputs:
    """What the drafting prompts are rendered from."""

    facts: Assessment
    guidance: Guidance
    notes: str | None
    redact: bool


def _draft_values(inputs: PromptInputs) -> dict[str, str]:
    return {
        "facts_json": _json(facts_view(inputs.facts)),
        "offer_rule": offer_rule(inputs.facts),
        "contact_rule": contact_rule(inputs.facts),
        "objections": "\n".join(f"- {k}: {text}" for k, text in objection_keys(inputs.facts)),
        "guidance": guidance_block(inputs.guidance),
        "notes": wrap_notes(inputs.notes, redact_pii=inputs.redact),
    }


def extraction_messages(
    *,
    account_name: str,
    account_id: str,
    as_of: str,
    notes_date: str | None,
    notes: str,
    redact: bool,
) -> Messages:
    """Render the extraction prompt from the raw inputs the extract node has."""
    allowed = "\n".join(f"- {cat}: {', '.join(names)}" for cat, names in ALLOWED_NAMES.items())
    return load_prompt("extract").format_messages(
        allowed_names=allowed,
        account_label=f"{account_name} ({account_id})",
        as_of=as_of,
        notes_date=notes_date or "unknown",
        notes=wrap_notes(notes, redact_pii=redact),
    )


def extract_messages(inputs: PromptInputs) -> Messages:
    """Render the extraction prompt for the account behind ``inputs``."""
    return extraction_messages(
        account_name=inputs.facts.account_name,
        account_id=inputs.facts.account_id,
        as_of=inputs.facts.as_of.isoformat(),
        notes_date=None,
        notes=inputs.notes or "",
        redact=inputs.redact,
    )


def draft_messages(inputs: PromptInputs) -> Messages:
    """Render the drafting prompt."""
    return load_prompt("draft").format_messages(**_draft_values(inputs))


def revise_messages(
    inputs: PromptInputs, *, failures: Sequence[str], previous: JSONDict | None = None
) -> Messages:
    """Render the revision prompt: failed checks, previous draft, drafting inputs."""
    return load_prompt("revise").format_messages(
        failures="\n".join(f"- {f}" for f in failures) or "- (none listed)",
        previous=_json(previous or {}),
        **_draft_values(inputs),
    )
