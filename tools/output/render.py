"""Render a brief for people (Markdown) and for programs (the contract's JSON)."""

from __future__ import annotations

import json
from collections.abc import Iterable

from playbook.tools.evidence_text import plain_text
from playbook.tools.formatting import fmt_money, fmt_num
from playbook.tools.models.assessment import Assessment
from playbook.tools.models.brief import Brief
from playbook.tools.vocab import (
    GATE_LABELS,
    OFFER_LABELS,
    SIGNAL_LABELS,
    TRIGGER_LABELS,
    OfferType,
    PlanKind,
)

__all__ = ["cell", "render_json", "render_markdown"]

EXCERPT_CHARS = 320


def cell(text: object) -> str:
    """Make a value safe for one Markdown table cell: pipes escaped, one line."""
    if text is None:
        return ""
    raw = str(text).replace("\\", "\\\\").replace("|", "\\|")
    return " ".join(raw.split())


def _inline(text: str) -> str:
    """Collapse user text to one line so it cannot open a heading or a list."""
    return " ".join(text.split())


def _cites(ids: Iterable[str]) -> str:
    """Footnote-like citations: `[kb:<id>]`."""
    return " ".join(f"[kb:{i}]" for i in ids)


def _plan(kind: PlanKind) -> str:
    """Spell a plan kind as words (`re_engage` -> `re-engage`)."""
    return kind.value.replace("re_engage", "re-engage").replace("_", " ")


def _header(brief: Brief, rank: int | None, total: int | None) -> list[str]:
    f = brief.facts
    lines = [f"# {_inline(f.account_name)}: {f.readiness_score}/64, {f.tier_label}", ""]
    who = _inline(f.contact_name) if f.contact_name else "no contact on file"
    if f.contact_role:
        who += f" ({_inline(f.contact_role)})"
    meta = [f"Account `{cell(f.account_id)}`", f"as of {f.as_of.isoformat()}", f"contact: {who}"]
    if f.plan:
        meta.append(f"plan: {_inline(f.plan)}")
    if f.arr is not None:
        meta.append(f"ARR: {fmt_money(f.arr, f.currency)}")
    if rank is not None:
        meta.append(f"rank {rank}" + (f" of {total}" if total else ""))
    lines += [" · ".join(meta), "", _inline(brief.summary), ""]
    return lines


def _gates(brief: Brief) -> list[str]:
    f = brief.facts
    blocking = [g for g in f.gates if g.blocking]
    lines = ["### Timing gates", ""]
    if not f.gates:
        return [*lines, "No timing gate holds.", ""]
    if blocking:
        first = brief.offer_map.first_steps or blocking[0].action
        plan = _plan(f.plan_kind)
        lines += [
            f"> **Gated: no expansion pitch.** Plan: {plan}.",
            ">",
            f"> **What to do first:** {_inline(first)}",
            "",
        ]
    lines += ["| Gate | Evidence | Source | Date | Action |", "|---|---|---|---|---|"]
    for g in f.gates:
        day = g.date.isoformat() if g.date else ""
        lines.append(
            f"| {cell(GATE_LABELS[g.name].title)} | {cell(plain_text(g.detail))} | {g.source} "
            f"| {day} | {cell(g.action)} |"
        )
    return [*lines, ""]


def _score(f: Assessment) -> list[str]:
    lines = [
        f"### Readiness score: {f.readiness_score}/64 ({f.tier_label})",
        "",
        f"Timing: {_inline(f.timing).rstrip('.')}.",
        "",
        "| Signal | Points | Evidence | Source | Date |",
        "|---|---:|---|---|---|",
    ]
    for s in f.signals:
        day = s.date.isoformat() if s.date else ""
        lines.append(
            f"| {cell(SIGNAL_LABELS[s.name].title)} | {s.points} | {cell(plain_text(s.detail))} "
            f"| {s.source} "
            f"| {day} |"
        )
    lines += [f"| **Total** | **{f.readiness_score}** | | | |", ""]
    if f.expansion_likelihood is not None:
        why = "; ".join(r.text for r in f.likelihood_reasons) or "no single feature stands out"
        lines += [
            f"Expansion likelihood (calibrated on past outcomes): "
            f"{round(f.expansion_likelihood * 100)}% within 90 days ({_inline(why)}). The score, "
            "tier, gates and offer above are the method's.",
            "",
        ]
    if f.not_scored:
        lines += ["Not scored (stated assumptions):", ""]
        lines += [f"- {_inline(n.reason)}" for n in f.not_scored]
        lines.append("")
    return lines


def _standing(f: Assessment) -> list[str]:
    r = f.renewal
    renewal = r.stage
    if r.renewal_date is not None:
        renewal += f" (renewal {r.renewal_date.isoformat()}, {r.days_to_renewal} days away)"
    fc = f.forecast
    forecast = f"{fc.stage} ({round(fc.weight * 100)}%)"
    if fc.potential_value is not None:
        forecast += f": potential {fmt_money(fc.potential_value, f.currency)}"
        if fc.weighted_value is not None:
            forecast += f", weighted {fmt_money(fc.weighted_value, f.currency)}"
    lines = [
        "### Health, opportunity, renewal, forecast",
        "",
        f"- Health score: {f.health.score}/100 ({f.health.band})",
        f"- Opportunity score: {fmt_num(f.opportunity.score)}/10 ({f.opportunity.action})",
        f"- Renewal stage: {renewal}",
        f"- Forecast: {forecast}",
    ]
    if f.segment:
        lines.append(f"- Revenue segment: {f.segment}")
    if f.missing_inputs:
        lines.append("- Missing inputs: " + ", ".join(f.missing_inputs))
    others = [a for a in f.assumptions if a not in {n.reason for n in f.not_scored}]
    lines += [f"- Assumed: {_inline(a)}" for a in others]
    return [*lines, ""]


def _offer_map(brief: Brief) -> list[str]:
    om = brief.offer_map
    lines = ["## 2. Offer map", ""]
    if om.held:
        lines += ["**Held: no pitch now.**", "", _inline(om.rationale), ""]
        if om.first_steps:
            lines += [f"**What to do first:** {_inline(om.first_steps)}", ""]
    else:
        label = OFFER_LABELS[OfferType(om.offer_type)].phrase if om.offer_type else ""
        lines += [f"**Offer:** {_inline(om.item or '')} ({label})", "", _inline(om.rationale), ""]
    offer = brief.facts.offer or brief.facts.held_offer
    reasons = [plain_text(r) for r in offer.reasons] if offer is not None else list(om.evidence)
    if reasons:
        lines += ["Evidence:", ""] + [f"- {_inline(e)}" for e in reasons] + [""]
    if om.citations:
        lines += [f"Sources: {_cites(om.citations)}", ""]
    return lines


def _trigger_log(brief: Brief) -> list[str]:
    t = brief.trigger_log
    day = t.date.isoformat() if t.date else ""
    trigger = brief.facts.trigger
    kind = TRIGGER_LABELS[trigger.type].title if trigger is not None else "None found"
    evidence = plain_text(trigger.detail) if trigger is not None else (t.evidence or "")
    return [
        "## 3. Trigger log",
        "",
        "| Trigger | Date | Evidence |",
        "|---|---|---|",
        f"| {cell(kind)} | {day} | {cell(evidence)} |",
        "",
        f"**Why now:** {_inline(t.why_now)}",
        "",
    ]


def _script(brief: Brief) -> list[str]:
    s = brief.script
    lines = ["## 4. Opening script", "", f"Kind: {s.kind.replace('_', ' ')}", ""]
    lines += [f"> {line}" if line.strip() else ">" for line in s.text.splitlines()]
    lines.append("")
    if s.citations:
        lines += [f"Sources: {_cites(s.citations)}", ""]
    return lines


def _objections(brief: Brief) -> list[str]:
    lines = ["## 5. Objections", ""]
    for o in brief.objections:
        title = o.objection if not o.key.startswith("concern:") else f"{o.objection} ({o.key})"
        lines += [f"**\u201c{_inline(title)}\u201d**", "", _inline(o.answer), ""]
        if o.source_quote:
            lines += [f"_Their words:_ \u201c{_inline(o.source_quote)}\u201d", ""]
        if o.citations:
            lines += [f"Sources: {_cites(o.citations)}", ""]
    return lines


def _calendar(brief: Brief) -> list[str]:
    lines = [
        "## 6. 90-day calendar",
        "",
        "| Week | Dates | Phase | Action | Milestone | Note |",
        "|---:|---|---|---|---|---|",
    ]
    for w in brief.calendar:
        milestone = ""
        if w.milestone:
            when = f" ({w.milestone_date.isoformat()})" if w.milestone_date else ""
            milestone = w.milestone + when
        lines.append(
            f"| {w.week} | {w.start.isoformat()} to {w.end.isoformat()} | {cell(w.phase)} "
            f"| {cell(w.action)} | {cell(milestone)} | {cell(w.note)} |"
        )
    return [*lines, ""]


def _guidance(brief: Brief) -> list[str]:
    if not brief.guidance:
        return []
    lines = ["## Guidance used", ""]
    for g in brief.guidance:
        text = _inline(g.text)
        if len(text) > EXCERPT_CHARS:
            text = text[:EXCERPT_CHARS].rsplit(" ", 1)[0] + "\u2026"
        lines.append(f"- [kb:{g.chunk_id}] **{_inline(g.title)}**: {text}")
    return [*lines, ""]


def render_markdown(brief: Brief, *, rank: int | None = None, total: int | None = None) -> str:
    """Render a CSM-friendly Markdown brief: decided facts, the six deliverables, sources.

    `rank` (and `total`) is the account's place in the ranked list; deliverable 1
    is shown only when it is known.
    """
    f = brief.facts
    lines = _header(brief, rank, total)
    lines += ["## Decided facts", ""]
    lines += _gates(brief) + _score(f) + _standing(f)
    if rank is not None:
        of = f" of {total}" if total else ""
        lines += [
            "## 1. Ranked position",
            "",
            f"Rank {rank}{of} by readiness score ({f.readiness_score}/64, {f.tier_label}).",
            "",
        ]
    lines += _offer_map(brief) + _trigger_log(brief) + _script(brief)
    lines += _objections(brief) + _calendar(brief) + _guidance(brief)
    sections = ", ".join(f"{k} {v}" for k, v in brief.provenance.items())
    lines.append(f"_Mode: {brief.mode}. Provenance: {sections or 'not recorded'}._")
    return "\n".join(lines) + "\n"


def render_json(brief: Brief) -> str:
    """Render the contract's brief JSON (the scoring object plus `sections`)."""
    return json.dumps(brief.contract_dict(), indent=2, ensure_ascii=False)
