"""Portfolio files across accounts: ranked list, offer map, trigger log, merged calendar.

`PortfolioWriter` takes assessments one at a time (as a batch finishes them) and
keeps only compact rows in memory; calendar rows and iCalendar events stream to
temporary files. `finish()` writes every file atomically.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from itertools import chain
from pathlib import Path
from typing import Any, BinaryIO

from icalendar import Calendar, Event, vCategory, vDatetime

from playbook.tools.formatting import fmt_money
from playbook.tools.models.assessment import Assessment
from playbook.tools.output.export import RANKED_COLUMNS, ranked_row, write_atomic_chunks
from playbook.tools.rules.assess import rank_key
from playbook.tools.vocab import Tier

TRIGGER_COLUMNS = (
    "account_id",
    "account_name",
    "trigger_type",
    "trigger_date",
    "source",
    "evidence",
)
CALENDAR_COLUMNS = (
    "account_id",
    "account_name",
    "plan",
    "week",
    "start",
    "end",
    "phase",
    "action",
    "milestone",
    "milestone_date",
)
SCHEDULED_TIERS = (Tier.PRIORITY, Tier.READY)
PRODID = "-//Account Expansion Playbook Agent//playbook//EN"


def on_calendar(a: Assessment) -> bool:
    """Say whether an account's weeks go on the merged calendar.

    Expansion plans talked to within 30 days do, and every gated plan (fix first,
    re-engage, adoption, retention).
    """
    if a.plan_kind == "expansion":
        return a.tier in SCHEDULED_TIERS
    return a.plan_kind != "nurture"


def ics_events(a: Assessment, stamp: datetime) -> Iterator[bytes]:
    """Yield one VEVENT per calendar step (week) of the account's plan, serialised by icalendar.

    All-day events; the UID is stable per account, week and opening date.
    """
    dtstamp = vDatetime(stamp)
    category = vCategory([a.plan_kind])
    opening = a.opening_date.isoformat()
    for step in a.calendar:
        event = Event()
        event.add("summary", f"{a.account_name}: week {step.week} · {step.milestone or step.phase}")
        event.add("dtstart", step.start)
        event.add("dtend", step.end + timedelta(days=1))
        event["dtstamp"] = dtstamp
        event.add("uid", f"{a.account_id}-w{step.week:02d}-{opening}@playbook")
        event["categories"] = category
        event.add("description", step.action)
        yield event.to_ical()


SPOOL_CHUNK = 1 << 20


def _spool_bytes() -> BinaryIO:
    """Open an anonymous temp file for iCalendar events."""
    return tempfile.TemporaryFile("w+b")


@dataclass
class _TextSpool:
    """CSV text going to an anonymous temp file: rows leave memory as they are added."""

    raw: BinaryIO = field(default_factory=_spool_bytes)

    def __post_init__(self) -> None:
        self.text = io.TextIOWrapper(self.raw, encoding="utf-8", newline="")

    def write(self, data: str) -> int:
        """Write CSV text (the csv module's target)."""
        return self.text.write(data)

    def read_back(self) -> Iterator[bytes]:
        """Yield everything written so far, UTF-8 encoded, in chunks."""
        self.text.flush()
        return _read_back(self.raw)


def _read_back(spool: BinaryIO) -> Iterator[bytes]:
    """Yield everything written to a spool file so far, in chunks."""
    spool.seek(0)
    while chunk := spool.read(SPOOL_CHUNK):
        yield chunk


class _RecordSpool:
    """JSON records in an anonymous temp file, read back by (offset, length)."""

    def __init__(self) -> None:
        self.raw = _spool_bytes()
        self.size = 0

    def append(self, record: Any) -> tuple[int, int]:
        """Store ``record``; return where it is."""
        data = json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        self.raw.seek(0, os.SEEK_END)
        self.raw.write(data)
        where = (self.size, len(data))
        self.size += len(data)
        return where

    def read(self, where: tuple[int, int]) -> Any:
        """Return the record stored at ``where``."""
        self.raw.seek(where[0])
        return json.loads(self.raw.read(where[1]))


Where = tuple[int, int]


@dataclass
class PortfolioWriter:
    """Collects assessments and writes the portfolio files into `out_dir`.

    Memory stays flat with the book: each account's rows go to temp files as it is
    added; only its sort key and where its rows are stay in memory (~100 bytes).
    """

    out_dir: Path
    _ranked: list[tuple[tuple[Any, ...], Where]] = field(default_factory=list)
    _offers: list[tuple[tuple[Any, ...], Where]] = field(default_factory=list)
    _triggers: list[tuple[str, Where]] = field(default_factory=list)
    _records: _RecordSpool = field(default_factory=_RecordSpool)
    _cal_rows: _TextSpool = field(default_factory=_TextSpool)
    _ics: BinaryIO = field(default_factory=_spool_bytes)
    _stamp: datetime = field(default_factory=lambda: datetime.now(UTC).replace(microsecond=0))
    _count: int = 0

    def __post_init__(self) -> None:
        self._cal_writer = csv.DictWriter(self._cal_rows, fieldnames=list(CALENDAR_COLUMNS))

    def add(self, a: Assessment, brief_path: str | None = None) -> None:
        """Record one account."""
        self._count += 1
        key = rank_key(a)
        row = ranked_row(0, a)
        self._ranked.append((key, self._records.append([row, brief_path])))
        if a.offer is not None:
            self._offers.append((key, self._records.append(_offer_line(a, brief_path))))
        t = a.trigger
        trigger = {
            "account_id": a.account_id,
            "account_name": a.account_name,
            "trigger_type": t.type.value if t else "",
            "trigger_date": t.date.isoformat() if t and t.date else "",
            "source": t.source if t else "",
            "evidence": t.evidence if t else "no trigger found",
        }
        self._triggers.append((trigger["trigger_date"], self._records.append(trigger)))
        if on_calendar(a):
            for step in a.calendar:
                self._cal_writer.writerow(
                    {
                        "account_id": a.account_id,
                        "account_name": a.account_name,
                        "plan": a.plan_kind,
                        "week": step.week,
                        "start": step.start.isoformat(),
                        "end": step.end.isoformat(),
                        "phase": step.phase,
                        "action": step.action,
                        "milestone": step.milestone or "",
                        "milestone_date": step.milestone_date.isoformat()
                        if step.milestone_date
                        else "",
                    }
                )
            for chunk in ics_events(a, self._stamp):
                self._ics.write(chunk)

    def finish(self) -> dict[str, Path]:
        """Write every portfolio file atomically (streamed); returns their paths by name."""
        out = self.out_dir
        self._ranked.sort(key=lambda kv: kv[0])
        self._offers.sort(key=lambda kv: kv[0])
        self._triggers.sort(key=lambda kv: kv[0], reverse=True)
        files = {
            "ranked": out / "ranked.csv",
            "offer_map": out / "offer_map.md",
            "trigger_log": out / "trigger_log.csv",
            "calendar_csv": out / "calendar.csv",
            "calendar_ics": out / "calendar.ics",
            "index": out / "index.md",
        }
        write_atomic_chunks(files["ranked"], _csv_chunks((r for r, _ in self._ranked_rows()),
                                                         RANKED_COLUMNS))  # fmt: skip
        write_atomic_chunks(files["offer_map"], self._offer_map_chunks())
        triggers = (self._records.read(where) for _, where in self._triggers)
        write_atomic_chunks(files["trigger_log"], _csv_chunks(triggers, TRIGGER_COLUMNS))
        header = io.StringIO()
        csv.DictWriter(header, fieldnames=list(CALENDAR_COLUMNS)).writeheader()
        write_atomic_chunks(
            files["calendar_csv"],
            chain([header.getvalue().encode("utf-8")], self._cal_rows.read_back()),
        )
        head, end = _ics_frame()
        write_atomic_chunks(files["calendar_ics"], chain([head], _read_back(self._ics), [end]))
        write_atomic_chunks(files["index"], self._index_chunks())
        return files

    def _ranked_rows(self) -> Iterator[tuple[dict[str, Any], str | None]]:
        """Yield (ranked row with its rank, brief link), best first."""
        for rank, (_, where) in enumerate(self._ranked, start=1):
            row, link = self._records.read(where)
            row["rank"] = rank
            yield row, link

    def _offer_map_chunks(self) -> Iterator[bytes]:
        yield OFFER_MAP_HEAD.encode("utf-8")
        if not self._offers:
            yield NO_OFFERS.encode("utf-8")
        for i, (_, where) in enumerate(self._offers):
            yield (("\n" if i else "") + self._records.read(where)).encode("utf-8")

    def _index_chunks(self) -> Iterator[bytes]:
        lines = [
            "# Expansion playbook: portfolio",
            "",
            f"{self._count} accounts. Files: [ranked list](ranked.csv) · "
            "[offer map](offer_map.md) · "
            "[trigger log](trigger_log.csv) · [calendar (CSV)](calendar.csv) · "
            "[calendar (.ics)](calendar.ics)",
            "",
            "| # | account | score | tier | gates | offer | brief |",
            "|---|---|---|---|---|---|---|",
        ]
        yield ("\n".join(lines) + "\n").encode("utf-8")
        for row, link in self._ranked_rows():
            brief = f"[brief]({link})" if link else ""
            yield (
                f"| {row['rank']} | {_cell(row['account_name'])} ({row['account_id']}) | "
                f"{row['readiness_score']}/64 | {row['tier_label']} | {row['gates'] or '-'} | "
                f"{_cell(row['offer_item']) or '-'} | {brief} |\n"
            ).encode()


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _csv_chunks(rows: Iterable[dict[str, Any]], columns: Iterable[str]) -> Iterator[bytes]:
    """Yield a CSV file (header, then the rows) in chunks of about `SPOOL_CHUNK` bytes."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(columns), extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
        if buf.tell() >= SPOOL_CHUNK:
            yield buf.getvalue().encode("utf-8")
            buf.seek(0)
            buf.truncate()
    yield buf.getvalue().encode("utf-8")


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


OFFER_MAP_HEAD = "# Offer map\n\nOne offer per account with an open expansion path, ranked.\n\n"
NO_OFFERS = "No account has an offer to make yet.\n"


def _ics_frame() -> tuple[bytes, bytes]:
    """Return the calendar's lines before its events, and its closing line."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "Expansion playbook")
    head: bytes = cal.to_ical()
    end_marker = b"END:VCALENDAR\r\n"
    assert head.endswith(end_marker)
    return head[: -len(end_marker)], end_marker


def write_portfolio(out_dir: Path, assessments: Iterable[Assessment]) -> dict[str, Path]:
    """Write the portfolio files for finished assessments (a convenience)."""
    writer = PortfolioWriter(out_dir)
    for a in assessments:
        writer.add(a)
    os.makedirs(out_dir, exist_ok=True)
    return writer.finish()
