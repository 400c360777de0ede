"""Portfolio files across accounts: ranked list, offer map, trigger log, merged calendar.

`PortfolioWriter` takes assessments one at a time (as a batch finishes them) and
keeps only compact rows in memory; calendar rows and iCalendar events stream to
temporary files. `finish()` writes every file atomically.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from icalendar import Calendar, Event, vDate, vDatetime, vText

from .assess import rank_key
from .export import RANKED_COLUMNS, ranked_row, write_atomic
from .formatting import fmt_money
from .models import Assessment, Tier

TRIGGER_COLUMNS = ("account_id", "account_name", "trigger_type", "trigger_date", "source",
                   "evidence")
CALENDAR_COLUMNS = ("account_id", "account_name", "plan", "week", "start", "end", "phase",
                    "action", "milestone", "milestone_date")
SCHEDULED_TIERS = (Tier.PRIORITY, Tier.READY)
PRODID = "-//Account Expansion Playbook Agent//playbook//EN"


def on_calendar(a: Assessment) -> bool:
    """Accounts whose weeks go on the merged calendar: expansion plans talked to within 30 days,
    and every gated plan (fix first, re-engage, adoption, retention).
    """
    if a.plan_kind == "expansion":
        return a.tier in SCHEDULED_TIERS
    return a.plan_kind != "nurture"


def ics_events(a: Assessment, stamp: datetime) -> Iterable[bytes]:
    """One VEVENT per calendar step (week) of the account's plan."""
    stamp_value = vDatetime(stamp)
    for step in a.calendar:
        event = Event()
        event["uid"] = vText(f"{a.account_id}-w{step.week:02d}-{a.opening_date.isoformat()}@playbook")
        event["dtstamp"] = stamp_value
        start = vDate(step.start)
        start.params["VALUE"] = "DATE"
        end = vDate(date.fromordinal(step.end.toordinal() + 1))
        end.params["VALUE"] = "DATE"
        event["dtstart"] = start
        event["dtend"] = end
        title = step.milestone or step.phase
        event["summary"] = vText(f"{a.account_name}: week {step.week} · {title}")
        event["description"] = vText(step.action)
        event["categories"] = vText(a.plan_kind)
        yield event.to_ical()


@dataclass
class PortfolioWriter:
    """Collects assessments and writes the portfolio files into `out_dir`."""

    out_dir: Path
    brief_links: dict[str, str] = field(default_factory=dict)
    _ranked: list[tuple[tuple[Any, ...], dict[str, Any]]] = field(default_factory=list)
    _offers: list[tuple[tuple[Any, ...], str]] = field(default_factory=list)
    _triggers: list[dict[str, Any]] = field(default_factory=list)
    _cal_rows: io.StringIO = field(default_factory=io.StringIO)
    _ics: io.BytesIO = field(default_factory=io.BytesIO)
    _stamp: datetime = field(default_factory=lambda: datetime.now(UTC).replace(microsecond=0))
    _count: int = 0

    def __post_init__(self) -> None:
        self._cal_writer = csv.DictWriter(self._cal_rows, fieldnames=list(CALENDAR_COLUMNS))

    def add(self, a: Assessment, brief_path: str | None = None) -> None:
        """Record one account."""
        self._count += 1
        key = rank_key(a)
        self._ranked.append((key, ranked_row(0, a)))
        if brief_path:
            self.brief_links[a.account_id] = brief_path
        if a.offer is not None:
            self._offers.append((key, _offer_line(a, brief_path)))
        t = a.trigger
        self._triggers.append({
            "account_id": a.account_id,
            "account_name": a.account_name,
            "trigger_type": t.type.value if t else "",
            "trigger_date": t.date.isoformat() if t and t.date else "",
            "source": t.source if t else "",
            "evidence": t.evidence if t else "no trigger found",
        })
        if on_calendar(a):
            for step in a.calendar:
                self._cal_writer.writerow({
                    "account_id": a.account_id,
                    "account_name": a.account_name,
                    "plan": a.plan_kind,
                    "week": step.week,
                    "start": step.start.isoformat(),
                    "end": step.end.isoformat(),
                    "phase": step.phase,
                    "action": step.action,
                    "milestone": step.milestone or "",
                    "milestone_date": step.milestone_date.isoformat() if step.milestone_date else "",
                })
            for chunk in ics_events(a, self._stamp):
                self._ics.write(chunk)

    def finish(self) -> dict[str, Path]:
        """Write every portfolio file atomically; returns their paths by name."""
        out = self.out_dir
        self._ranked.sort(key=lambda kv: kv[0])
        rows = []
        for i, (_, row) in enumerate(self._ranked, start=1):
            row["rank"] = i
            rows.append(row)
        files = {
            "ranked": out / "ranked.csv",
            "offer_map": out / "offer_map.md",
            "trigger_log": out / "trigger_log.csv",
            "calendar_csv": out / "calendar.csv",
            "calendar_ics": out / "calendar.ics",
            "index": out / "index.md",
        }
        write_atomic(files["ranked"], _csv(rows, RANKED_COLUMNS))
        self._offers.sort(key=lambda kv: kv[0])
        write_atomic(files["offer_map"], _offer_map_md([line for _, line in self._offers]))
        self._triggers.sort(key=lambda r: r["trigger_date"], reverse=True)
        write_atomic(files["trigger_log"], _csv(self._triggers, TRIGGER_COLUMNS))
        header = io.StringIO()
        csv.DictWriter(header, fieldnames=list(CALENDAR_COLUMNS)).writeheader()
        write_atomic(files["calendar_csv"], header.getvalue() + self._cal_rows.getvalue())
        write_atomic(files["calendar_ics"], _wrap_ics(self._ics.getvalue()))
        write_atomic(files["index"], self._index_md(rows))
        return files

    def _index_md(self, rows: list[dict[str, Any]]) -> str:
        lines = [
            "# Expansion playbook: portfolio",
            "",
            f"{self._count} accounts. Files: [ranked list](ranked.csv) · [offer map](offer_map.md) · "
            "[trigger log](trigger_log.csv) · [calendar (CSV)](calendar.csv) · "
            "[calendar (.ics)](calendar.ics)",
            "",
            "| # | account | score | tier | gates | offer | brief |",
            "|---|---|---|---|---|---|---|",
        ]
        for row in rows:
            link = self.brief_links.get(row["account_id"])
            brief = f"[brief]({link})" if link else ""
            lines.append(
                f"| {row['rank']} | {_cell(row['account_name'])} ({row['account_id']}) | "
                f"{row['readiness_score']}/64 | {row['tier_label']} | {row['gates'] or '-'} | "
                f"{_cell(row['offer_item']) or '-'} | {brief} |"
            )
        return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _csv(rows: Iterable[dict[str, Any]], columns: Iterable[str]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(columns), extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()


def _offer_line(a: Assessment, brief_path: str | None) -> str:
    offer = a.offer
    assert offer is not None
    value = (
        f" Estimated value {fmt_money(offer.estimated_value, offer.currency)}."
        if offer.estimated_value
        else ""
    )
    link = f" [brief]({brief_path})" if brief_path else ""
    return (
        f"### {_cell(a.account_name)} ({a.account_id}): {a.readiness_score}/64, {a.tier_label}\n\n"
        f"**{_cell(offer.item)}** ({offer.type.value.replace('_', ' ')}). {_cell(offer.why)}"
        f"{value}{link}\n"
    )


def _offer_map_md(lines: list[str]) -> str:
    head = "# Offer map\n\nOne offer per account with an open expansion path, ranked.\n\n"
    return head + ("\n".join(lines) if lines else "No account has an offer to make yet.\n")


def _wrap_ics(events: bytes) -> bytes:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "Expansion playbook")
    head: bytes = cal.to_ical()
    end_marker = b"END:VCALENDAR\r\n"
    assert head.endswith(end_marker)
    return head[: -len(end_marker)] + events + end_marker


def write_portfolio(out_dir: Path, assessments: Iterable[Assessment]) -> dict[str, Path]:
    """Convenience: write the portfolio files for finished assessments."""
    writer = PortfolioWriter(out_dir)
    for a in assessments:
        writer.add(a)
    os.makedirs(out_dir, exist_ok=True)
    return writer.finish()
