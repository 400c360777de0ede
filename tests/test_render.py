"""Markdown and JSON rendering of a brief."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta

from playbook.agent.drafter import draft_offline
from playbook.knowledge import Chunk, Guidance, load_chunks
from playbook.tools.models.account import Account, CatalogItem
from playbook.tools.models.brief import Brief
from playbook.tools.models.findings import NoteFinding, NoteFindings
from playbook.tools.output.render import cell, render_json, render_markdown
from playbook.tools.rules.assess import RuleConfig, assess

AS_OF = date(2026, 11, 3)
CATALOG = [
    CatalogItem(id="seats", name="Additional seats", type="capacity", price=480,
                price_unit="per seat / year", unit="seats"),
]
CHUNKS = load_chunks()
SECTIONS = ("## Decided facts", "### Timing gates", "### Readiness score", "## 2. Offer map",
            "## 3. Trigger log", "## 4. Opening script", "## 5. Objections",
            "## 6. 90-day calendar", "## Guidance used")


def first(kind: str, field: str, value: str) -> Chunk | None:
    return next((c for c in CHUNKS if c.kind == kind and value in getattr(c, field)), None)


def brief_for(**overrides: object) -> Brief:
    data: dict[str, object] = {
        "account_id": "R-1", "account_name": "Pipe | Works", "contact_name": "Dana Whitfield",
        "contact_role": "VP Operations", "plan": "Team", "arr": 48000,
        "relationship_status": "healthy", "seats_purchased": 50, "seats_used": 47,
        "last_contact_date": AS_OF - timedelta(days=10), "logins_per_month": 40,
        "positive_outcome": "Cut ticket time | by 40%",
        "positive_outcome_date": AS_OF - timedelta(days=14),
        "notes": "Finance said it is already expensive.",
    }
    data.update(overrides)
    facts = assess(Account(**data), RuleConfig(as_of=AS_OF, catalog=CATALOG),  # type: ignore[arg-type]
                   NoteFindings(findings=[NoteFinding(category="concern", name="price",
                                                      quote="it is already expensive")]))
    guidance = Guidance(
        offer=first("offer", "offer_types", "capacity"),
        trigger=first("trigger", "trigger_types", facts.trigger.type.value)
        if facts.trigger else None,
        gates={g.name.value: c for g in facts.gates
               if (c := first("gate", "gates", g.name.value)) is not None},
        objections={k: c for k in ("not_ready", "budget", "more_value", "happy")
                    if (c := first("objection", "objections", k)) is not None},
        concerns={"price": c} if (c := first("concern", "concerns", "price")) else {},
    )
    return draft_offline(facts, guidance, notes=str(data["notes"]))


def table_rows(md: str, header: str) -> list[list[str]]:
    lines = md.splitlines()
    start = lines.index(header)
    rows = []
    for line in lines[start + 2:]:
        if not line.startswith("|"):
            break
        rows.append([c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]])
    return rows


def test_markdown_has_every_section_and_the_facts():
    brief = brief_for()
    md = render_markdown(brief)
    for heading in SECTIONS:
        assert heading in md, heading
    assert "## 1. Ranked position" not in md
    f = brief.facts
    assert f"{f.readiness_score}/64" in md.splitlines()[0] and f.tier_label in md.splitlines()[0]
    assert "> Hi Dana," in md
    for week in brief.calendar:
        assert f"| {week.week} | {week.start.isoformat()} to {week.end.isoformat()} |" in md
    for note in brief.guidance:
        assert f"[kb:{note.chunk_id}]" in md
    for cited in brief.script.citations + brief.offer_map.citations:
        assert f"[kb:{cited}]" in md
    assert "Renewal date unknown" in md or "renewal date unknown" in md
    assert "Health score:" in md and "Opportunity score:" in md and "Forecast:" in md
    assert "_Mode: offline." in md
    for o in brief.objections:
        assert o.answer in md


def test_ranked_position_shown_when_known():
    md = render_markdown(brief_for(), rank=3, total=30)
    assert "## 1. Ranked position" in md and "Rank 3 of 30" in md


def test_table_pipes_are_escaped():
    md = render_markdown(brief_for())
    assert "Cut ticket time \\| by 40%" in md
    signal_rows = table_rows(md, "| Signal | Points | Evidence | Source | Date |")
    assert signal_rows and all(len(r) == 5 for r in signal_rows)
    trigger_rows = table_rows(md, "| Trigger | Date | Evidence |")
    assert trigger_rows and all(len(r) == 3 for r in trigger_rows)
    week_rows = table_rows(md, "| Week | Dates | Phase | Action | Milestone | Note |")
    assert len(week_rows) == 13 and all(len(r) == 6 for r in week_rows)
    assert cell("a|b\nc") == "a\\|b c"


def test_gated_brief_shows_what_to_do_first():
    brief = brief_for(open_tickets_high=2)
    md = render_markdown(brief)
    assert "**Gated: no expansion pitch.**" in md
    assert "> **What to do first:**" in md
    assert "**Held: no pitch now.**" in md
    gate_rows = table_rows(md, "| Gate | Evidence | Source | Date | Action |")
    assert [r[0] for r in gate_rows] == ["Open support problem"]


def test_json_has_the_contract_keys():
    brief = brief_for()
    data = json.loads(render_json(brief))
    for key in ("account_id", "readiness_score", "tier", "signals", "gates", "offer", "trigger",
                "sections", "summary", "guidance", "provenance", "mode"):
        assert key in data, key
    assert set(data["sections"]) == {"offer_map", "trigger_log", "script", "objections",
                                     "calendar"}
    assert data["offer"]["type"] == "capacity" and data["offer"]["item"] == "Additional seats"
    assert data["sections"]["script"]["text"] == brief.script.text
    assert len(data["sections"]["calendar"]) == 13
    assert data["sections"]["calendar"][0]["start"] == brief.calendar[0].start.isoformat()
    assert "calendar" not in data
    assert render_json(brief) == render_json(brief)
