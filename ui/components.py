"""Brief rendering shared by every page: score, gates, offer, script, objections, calendar.

User and model text is never rendered as raw HTML: it is escaped before it goes
into `st.markdown`, or shown with `st.code` / `st.text` / dataframes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd
import streamlit as st

from playbook.tools.evidence_text import plain_text
from playbook.tools.formatting import fmt_money
from playbook.tools.models.assessment import Assessment
from playbook.tools.models.brief import Brief
from playbook.tools.vocab import GATE_LABELS, SIGNAL_LABELS, TRIGGER_LABELS

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=^])")


def esc(text: object, *, lines: bool = False) -> str:
    """Escape text so `st.markdown` shows it literally (no links, HTML, LaTeX or emphasis).

    Line breaks collapse to spaces unless `lines` is true (then they are kept).
    """
    raw = str(text)
    if not lines:
        raw = " ".join(raw.split())
    escaped = _MD_SPECIAL.sub(r"\\\1", raw)
    return escaped.replace("\n", "  \n") if lines else escaped


def label(value: str | None) -> str:
    """`tier_upgrade` -> `tier upgrade`."""
    return (value or "").replace("_", " ")


def signal_rows(facts: Assessment) -> pd.DataFrame:
    """Build the score breakdown: one row per signal that fired."""
    rows = [
        {
            "signal": SIGNAL_LABELS[s.name].title,
            "points": s.points,
            "evidence": plain_text(s.detail),
            "source": s.source,
            "date": s.date.isoformat() if s.date else "",
        }
        for s in facts.signals
    ]
    return pd.DataFrame(rows, columns=["signal", "points", "evidence", "source", "date"])


def calendar_rows(brief: Brief) -> pd.DataFrame:
    """Build the 13-week calendar as a week-by-week table."""
    rows = [
        {
            "week": w.week,
            "from": w.start.isoformat(),
            "to": w.end.isoformat(),
            "phase": w.phase,
            "action": w.action,
            "milestone": w.milestone or "",
            "milestone date": w.milestone_date.isoformat() if w.milestone_date else "",
            "note": w.note or "",
        }
        for w in brief.calendar
    ]
    return pd.DataFrame(rows)


def render_header(facts: Assessment) -> None:
    """Account name and the headline numbers."""
    st.subheader(esc(facts.account_name), anchor=False)
    who = ", ".join(x for x in (facts.contact_name, facts.contact_role) if x)
    arr = f"ARR {fmt_money(facts.arr, facts.currency)}" if facts.arr is not None else "ARR unknown"
    bits = [facts.account_id, facts.plan or "plan unknown", arr]
    if who:
        bits.append(who)
    st.caption(esc(" · ".join(bits)))
    c1, c2, c3, c4 = st.columns([1, 1.7, 1, 1.2])
    c1.metric("Readiness", f"{facts.readiness_score}/64", help="Expansion Readiness Score")
    c2.metric("Tier", facts.tier_label)
    c3.metric("Health", f"{facts.health.score}/100", help=facts.health.band)
    c4.metric("Open on", facts.opening_date.isoformat())
    st.markdown(f"**When:** {esc(facts.timing)}")


def render_gates(brief: Brief) -> None:
    """Gates, prominently: what holds and what to do first."""
    facts = brief.facts
    for gate in facts.gates:
        title = GATE_LABELS[gate.name].title
        said = plain_text(gate.detail)
        body = f"{esc(said)}  \n**Do first:** {esc(gate.action)}"
        if gate.blocking:
            st.error(body, icon=":material/block:", title=f"Gate: {title}, no expansion pitch")
        else:
            st.warning(body, icon=":material/event_busy:", title=f"Gate: {title}")
    if brief.offer_map.held and brief.offer_map.first_steps and not facts.gates:
        st.warning(f"**First:** {esc(brief.offer_map.first_steps)}", icon=":material/pause:")


def render_offer(brief: Brief) -> None:
    """Show the one offer and why it fits (or what is held back)."""
    entry = brief.offer_map
    facts = brief.facts
    st.markdown("#### The offer")
    if entry.item and not entry.held:
        price = ""
        offer = facts.offer
        if offer and offer.price is not None:
            price = f" · {fmt_money(offer.price, offer.currency)} {offer.price_unit or ''}".rstrip()
        st.success(
            f"**{esc(entry.item)}** ({esc(label(entry.offer_type))}){esc(price)}",
            icon=":material/redeem:",
        )
    else:
        held = facts.held_offer
        later = f"Fits later: {held.item} ({label(held.type.value)})." if held else ""
        st.info(f"No pitch now. {esc(later)}", icon=":material/pause_circle:")
        if entry.first_steps:
            st.markdown(f"**What to do first:** {esc(entry.first_steps)}")
    st.markdown(f"**Why:** {esc(entry.rationale)}")
    offer = facts.offer or facts.held_offer
    for reason in offer.reasons if offer is not None else []:
        st.markdown(f"- {esc(plain_text(reason))}")
    _cites(entry.citations)


def render_trigger(brief: Brief) -> None:
    """Why now: the trigger, its evidence and date."""
    log = brief.trigger_log
    trigger = brief.facts.trigger
    st.markdown("#### Why now")
    if trigger is not None:
        when = trigger.date.isoformat() if trigger.date else "date unknown"
        title = TRIGGER_LABELS[trigger.type].title
        st.markdown(f"**{esc(title)}** · {esc(when)}: {esc(plain_text(trigger.detail))}")
    st.markdown(esc(log.why_now))


def render_script(brief: Brief, key: str = "") -> None:
    """Show the opening script in a copyable code block."""
    script = brief.script
    words = len(script.text.split())
    st.markdown("#### Opening script")
    st.caption(f"Opens on: {esc(label(script.kind))} · {words} words · copy with the button")
    st.code(script.text, language=None, wrap_lines=True)
    _cites(script.citations)


def render_objections(brief: Brief) -> None:
    """Each objection with its answer."""
    for answer in brief.objections:
        tag = " (from the notes)" if answer.key.startswith("concern:") else ""
        st.markdown(f"**“{esc(answer.objection)}”**{tag}")
        if answer.source_quote:
            st.caption(f"Notes: “{esc(answer.source_quote)}”")
        st.markdown(esc(answer.answer))
        _cites(answer.citations)


def render_calendar(brief: Brief) -> None:
    """Show the 13-week calendar table."""
    st.table(calendar_rows(brief), hide_index=True)


def render_score(facts: Assessment) -> None:
    """Score breakdown table and what could not be scored."""
    st.table(signal_rows(facts), hide_index=True)
    total = sum(s.points for s in facts.signals)
    st.caption(f"Total {total}/64 → {facts.tier_label}.")
    for missing in facts.not_scored:
        title = SIGNAL_LABELS[missing.name].title
        st.caption(f"Not scored · {esc(title)}: {esc(missing.reason)}")


def render_guidance(brief: Brief) -> None:
    """Show the assumptions the brief states and the playbook paragraphs it cites."""
    st.markdown("**Assumptions**")
    assumptions = list(dict.fromkeys(brief.facts.assumptions))
    if not assumptions:
        st.caption("None: every input was provided.")
    for item in assumptions:
        st.markdown(f"- {esc(item)}")
    st.markdown("**Guidance cited**")
    for note in brief.guidance:
        with st.expander(esc(f"{note.title} · {note.chunk_id}")):
            st.markdown(esc(note.text, lines=True))


def render_report(report: Any) -> None:
    """Show the rubric check result (failing hard criteria as an error)."""
    if report is None:
        return
    rows = rubric_rows(report)
    failed = [r for r in rows if not r["passed"] and r["hard"]]
    if failed:
        names = ", ".join(r["criterion"] for r in failed)
        st.error(f"Rubric: {len(failed)} hard check(s) failed: {esc(names)}")
    elif rows:
        st.caption(f"Rubric: all {sum(1 for r in rows if r['hard'])} hard checks pass.")


def rubric_rows(report: Any) -> list[dict[str, Any]]:
    """Flatten a rubric report into rows of criterion, hard, passed, detail."""
    items: Iterable[Any]
    if isinstance(report, Mapping):
        items = report.get("results") or report.get("criteria") or []
    else:
        items = getattr(report, "results", None) or getattr(report, "criteria", None) or []
    if isinstance(items, Mapping):
        items = list(items.values())
    rows = []
    for item in items:
        get = item.get if isinstance(item, Mapping) else lambda k, d=None, i=item: getattr(i, k, d)
        rows.append({
            "criterion": str(get("id", None) or get("name", "")),
            "hard": bool(get("hard", True)),
            "passed": bool(get("passed", get("ok", True))),
            "detail": str(get("detail", "") or ""),
        })
    return rows


def render_brief(
    brief: Brief,
    *,
    report: Any = None,
    seconds: float | None = None,
    key: str = "brief",
    markdown: str | None = None,
    json_text: str | None = None,
) -> None:
    """Show the whole brief: headline, gates, offer, script, then the details in tabs."""
    facts = brief.facts
    render_header(facts)
    if seconds is not None:
        st.caption(f"Drafted in {seconds * 1000:.0f} ms · {esc(brief.mode)} drafter · as of "
                   f"{facts.as_of.isoformat()}")
    fallback = [k.replace("_", " ") for k, v in brief.provenance.items() if v == "fallback"]
    if fallback:
        st.warning(
            "The LLM draft was not usable (unreachable, over budget or failing the checks), so "
            f"the offline drafter wrote: {esc(', '.join(fallback))}. The facts are unchanged.",
            icon=":material/warning:",
        )
    _downloads(facts.account_id, key, markdown, json_text)
    render_gates(brief)
    st.markdown(esc(brief.summary))
    left, right = st.columns([1, 1], gap="large")
    with left:
        render_offer(brief)
        render_trigger(brief)
    with right:
        render_script(brief, key=key)
    score, objections, calendar, guidance = st.tabs(
        ["Score breakdown", "Objections", "90-day calendar", "Guidance & assumptions"]
    )
    with score:
        render_score(facts)
    with objections:
        render_objections(brief)
    with calendar:
        render_calendar(brief)
    with guidance:
        render_guidance(brief)
    render_report(report)


def _downloads(account_id: str, key: str, markdown: str | None, json_text: str | None) -> None:
    if markdown is None and json_text is None:
        return
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", account_id).strip("-") or "brief"
    with st.container(horizontal=True):
        if markdown is not None:
            st.download_button(
                "Download Markdown", markdown, file_name=f"{stem}.md", mime="text/markdown",
                key=f"{key}-md", on_click="ignore", icon=":material/download:",
            )
        if json_text is not None:
            st.download_button(
                "Download JSON", json_text, file_name=f"{stem}.json", mime="application/json",
                key=f"{key}-json", on_click="ignore", icon=":material/data_object:",
            )


def _cites(ids: Iterable[str]) -> None:
    ids = list(ids)
    if ids:
        st.caption("Cites: " + ", ".join(esc(i) for i in ids))
