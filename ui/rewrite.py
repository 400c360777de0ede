"""Deterministic edits of a finished brief that leave every decided fact unchanged."""

from __future__ import annotations

import re
from typing import Any

from playbook.tools.models.brief import Brief

_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“'‘(])")
_EVIDENCE = re.compile(r"\d|[\"“”‘’]")


def sentences(text: str) -> list[str]:
    """Split prose into sentences (keeps the punctuation)."""
    return [s.strip() for s in _SENTENCE.split(text.strip()) if s.strip()]


def shorter_script(brief: Brief) -> str:
    """Shorten the opening to greeting, evidence sentence, offer sentence and the ask.

    Sentences that carry neither the evidence (a number, a date, a quote), nor
    the offer's name, nor the question are dropped. Returns the text unchanged
    when nothing can go without losing one of those.
    """
    parts = sentences(brief.script.text)
    if len(parts) <= 2:
        return brief.script.text
    first, middle, last = parts[0], parts[1:-1], parts[-1]
    facts = brief.facts
    item = facts.offer.item.lower() if facts.offer else None
    kept: list[str] = []
    have_evidence = bool(_EVIDENCE.search(first))
    have_offer = item is None or item in first.lower()
    for sentence in middle:
        lowered = sentence.lower()
        if not have_offer and item and item in lowered:
            kept.append(sentence)
            have_offer = True
            have_evidence = have_evidence or bool(_EVIDENCE.search(sentence))
        elif not have_evidence and _EVIDENCE.search(sentence):
            kept.append(sentence)
            have_evidence = True
        elif "?" in sentence:
            kept.append(sentence)
    return " ".join([first, *kept, last])


def with_script(brief: Brief, text: str) -> Brief:
    """Copy the brief with only the script text replaced."""
    script = brief.script.model_copy(update={"text": text})
    return brief.model_copy(update={"script": script})


def fact_changes(before: Any, after: Any) -> list[dict[str, str]]:
    """List what changed between two assessments: score, tier, gates, offer, dates."""

    def offer(a: Any) -> str:
        if a.offer is not None:
            return f"{a.offer.item} ({a.offer.type.value.replace('_', ' ')})"
        if a.held_offer is not None:
            return f"held: {a.held_offer.item}"
        return "none"

    def trigger(a: Any) -> str:
        if a.trigger is None:
            return "none"
        when = a.trigger.date.isoformat() if a.trigger.date else "undated"
        return f"{a.trigger.type.value.replace('_', ' ')} ({when})"

    def renewal(a: Any) -> str:
        r = a.renewal
        if r.renewal_date is None:
            return "unknown"
        return f"{r.renewal_date.isoformat()} ({r.days_to_renewal} days, {r.stage})"

    rows = [
        ("score", f"{before.readiness_score}/64", f"{after.readiness_score}/64"),
        ("tier", before.tier_label, after.tier_label),
        ("offer", offer(before), offer(after)),
        ("gates", ", ".join(g.name.value for g in before.gates) or "none",
         ", ".join(g.name.value for g in after.gates) or "none"),
        ("trigger", trigger(before), trigger(after)),
        ("renewal", renewal(before), renewal(after)),
        ("signals", ", ".join(s.name.value for s in before.signals) or "none",
         ", ".join(s.name.value for s in after.signals) or "none"),
        ("opening", before.opening_date.isoformat(), after.opening_date.isoformat()),
        ("as of", before.as_of.isoformat(), after.as_of.isoformat()),
    ]
    return [
        {"fact": name, "before": old, "after": new, "changed": "yes" if old != new else ""}
        for name, old, new in rows
    ]
