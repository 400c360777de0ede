"""Expansion Readiness Score: the nine signals, their evidence, and the tier."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from playbook.tools.dates import days_since, days_until, within_last
from playbook.tools.formatting import fmt_date, fmt_num, fmt_pct
from playbook.tools.models import (
    SIGNAL_POINTS,
    Account,
    NoteFinding,
    NoteFindings,
    NotScored,
    Signal,
    SignalName,
    Tier,
)

USAGE_THRESHOLD = Fraction(4, 5)
OUTCOME_WINDOW_DAYS = 90
NPS_WINDOW_DAYS = 60
NPS_PROMOTER = 8
RENEWAL_MIN_DAYS = 60
RENEWAL_MAX_DAYS = 120


@dataclass(frozen=True)
class UsageReading:
    """One capacity reading: used of capacity, where it came from."""

    used: float
    capacity: float
    label: str
    source: str
    quote: str | None = None
    date: date | None = None

    @property
    def ratio(self) -> float:
        """Used over capacity."""
        return self.used / self.capacity

    @property
    def exact_ratio(self) -> Fraction:
        """The ratio as an exact fraction (threshold comparisons never round)."""
        if float(self.used).is_integer() and float(self.capacity).is_integer():
            return Fraction(int(self.used), int(self.capacity))
        return Fraction(str(self.used)) / Fraction(str(self.capacity))

    def at_least(self, threshold: Fraction) -> bool:
        """Whether used/capacity reaches `threshold`, compared exactly."""
        return self.exact_ratio >= threshold


def tier_for(score: int) -> Tier:
    """Tier by total: 35+ priority, 20-34 ready, 10-19 candidate, below 10 not yet."""
    if score >= 35:
        return Tier.PRIORITY
    if score >= 20:
        return Tier.READY
    if score >= 10:
        return Tier.CANDIDATE
    return Tier.NOT_YET


def usage_readings(account: Account, findings: NoteFindings) -> list[UsageReading]:
    """Every capacity reading from the data row and the notes, highest ratio first."""
    readings: list[UsageReading] = []
    if account.seats_purchased and account.seats_used is not None:
        readings.append(
            UsageReading(
                account.seats_used,
                account.seats_purchased,
                f"seats_used={account.seats_used} of seats_purchased={account.seats_purchased}",
                "data",
            )
        )
    if account.usage_limit and account.usage_current is not None:
        readings.append(
            UsageReading(
                account.usage_current,
                account.usage_limit,
                f"usage_current={fmt_num(account.usage_current)} of "
                f"usage_limit={fmt_num(account.usage_limit)}",
                "data",
            )
        )
    for finding in findings.of("fact", "usage_ratio"):
        used = finding.values.get("used")
        capacity = finding.values.get("capacity")
        ratio = finding.values.get("ratio")
        if used is None or not capacity:
            if ratio is None:
                continue
            used, capacity = float(ratio), 1.0
        readings.append(
            UsageReading(
                float(used),
                float(capacity),
                f'notes: "{finding.quote}"',
                "notes",
                finding.quote,
                finding.date,
            )
        )
    return sorted(readings, key=lambda r: r.ratio, reverse=True)


def _quote_evidence(finding: NoteFinding) -> str:
    when = f", {finding.date.isoformat()}" if finding.date else ", undated"
    how = f" ({finding.dated_by})" if finding.dated_by and finding.date else ""
    return f'notes: "{finding.quote}"{when}{how}'


def _signal(
    name: SignalName,
    evidence: str,
    source: str,
    day: date | None = None,
    quote: str | None = None,
) -> Signal:
    return Signal(
        name=name,
        points=SIGNAL_POINTS[name],
        evidence=evidence,
        source="notes" if source == "notes" else "data",
        date=day,
        quote=quote,
    )


def _first_note(
    findings: NoteFindings, category: str, names: tuple[str, ...], as_of: date, window: int | None
) -> NoteFinding | None:
    """Most recent matching finding inside the window (or any, when window is None)."""
    matches = [f for f in findings.findings if f.category == category and f.name in names]
    if window is not None:
        matches = [f for f in matches if within_last(f.date, as_of, window)]
    if not matches:
        return None
    return max(matches, key=lambda f: f.date or date.min)


def score_signals(
    account: Account, findings: NoteFindings, as_of: date
) -> tuple[list[Signal], list[NotScored]]:
    """Evaluate the nine signals from the data row and the notes findings."""
    signals: list[Signal] = []
    not_scored: list[NotScored] = []

    readings = usage_readings(account, findings)
    if readings and readings[0].exact_ratio >= USAGE_THRESHOLD:
        top = readings[0]
        signals.append(
            _signal(
                SignalName.USAGE_80,
                f"{top.label} ({fmt_pct(top.ratio, 0.8)})",
                top.source,
                top.date,
                top.quote,
            )
        )
    elif not readings:
        not_scored.append(
            NotScored(
                name=SignalName.USAGE_80, reason="usage vs capacity unknown: usage not scored"
            )
        )

    outcome = _outcome_signal(account, findings, as_of, not_scored)
    if outcome:
        signals.append(outcome)

    team = _team_signal(account, findings)
    if team:
        signals.append(team)

    if account.feature_requests:
        signals.append(
            _signal(
                SignalName.ASKED_MISSING_FEATURES,
                "feature_requests=" + "; ".join(account.feature_requests),
                "data",
            )
        )
    else:
        note = _first_note(findings, "signal", (SignalName.ASKED_MISSING_FEATURES,), as_of, None)
        if note:
            signals.append(
                _signal(
                    SignalName.ASKED_MISSING_FEATURES,
                    _quote_evidence(note),
                    "notes",
                    note.date,
                    note.quote,
                )
            )

    nps = _nps_signal(account, findings, as_of, not_scored)
    if nps:
        signals.append(nps)

    renewal = _renewal_signal(account, findings, as_of, not_scored)
    if renewal:
        signals.append(renewal)

    if account.new_initiative:
        signals.append(
            _signal(SignalName.NEW_INITIATIVE, f"new_initiative={account.new_initiative}", "data")
        )
    else:
        note = _first_note(findings, "signal", (SignalName.NEW_INITIATIVE,), as_of, None)
        if note:
            signals.append(
                _signal(
                    SignalName.NEW_INITIATIVE, _quote_evidence(note), "notes", note.date, note.quote
                )
            )

    shared = _shared_seat_signal(account, findings, as_of)
    if shared:
        signals.append(shared)

    company = _company_signal(account, findings, as_of)
    if company:
        signals.append(company)

    return signals, not_scored


def _outcome_signal(
    account: Account, findings: NoteFindings, as_of: date, not_scored: list[NotScored]
) -> Signal | None:
    if account.positive_outcome and within_last(
        account.positive_outcome_date, as_of, OUTCOME_WINDOW_DAYS
    ):
        age = days_since(account.positive_outcome_date, as_of)  # type: ignore[arg-type]
        return _signal(
            SignalName.POSITIVE_OUTCOME_90D,
            f"positive_outcome={account.positive_outcome} "
            f"(positive_outcome_date={fmt_date(account.positive_outcome_date)}, {age} days ago)",
            "data",
            account.positive_outcome_date,
        )
    note = _first_note(
        findings, "signal", (SignalName.POSITIVE_OUTCOME_90D,), as_of, OUTCOME_WINDOW_DAYS
    )
    if note:
        return _signal(
            SignalName.POSITIVE_OUTCOME_90D, _quote_evidence(note), "notes", note.date, note.quote
        )
    if account.positive_outcome and account.positive_outcome_date is None:
        not_scored.append(
            NotScored(
                name=SignalName.POSITIVE_OUTCOME_90D,
                reason=f'outcome "{account.positive_outcome}" has no date: the 90-day '
                "outcome signal was not scored",
            )
        )
    elif findings.of("signal", SignalName.POSITIVE_OUTCOME_90D) and not any(
        f.date for f in findings.of("signal", SignalName.POSITIVE_OUTCOME_90D)
    ):
        not_scored.append(
            NotScored(
                name=SignalName.POSITIVE_OUTCOME_90D,
                reason="a win is mentioned in the notes without a date: the 90-day outcome "
                "signal was not scored",
            )
        )
    return None


def _team_signal(account: Account, findings: NoteFindings) -> Signal | None:
    a, b = account.departments_at_purchase, account.departments_now
    if a is not None and b is not None and b > a:
        return _signal(
            SignalName.TEAM_GREW,
            f"departments_now={b} vs departments_at_purchase={a}",
            "data",
        )
    a, b = account.team_size_at_purchase, account.team_size_now
    if a is not None and b is not None and b > a:
        return _signal(
            SignalName.TEAM_GREW, f"team_size_now={b} vs team_size_at_purchase={a}", "data"
        )
    notes = findings.of("signal", SignalName.TEAM_GREW)
    if notes:
        note = max(notes, key=lambda f: f.date or date.min)
        return _signal(SignalName.TEAM_GREW, _quote_evidence(note), "notes", note.date, note.quote)
    return None


def _nps_signal(
    account: Account, findings: NoteFindings, as_of: date, not_scored: list[NotScored]
) -> Signal | None:
    if (
        account.nps is not None
        and account.nps >= NPS_PROMOTER
        and within_last(account.nps_date, as_of, NPS_WINDOW_DAYS)
    ):
        age = days_since(account.nps_date, as_of)  # type: ignore[arg-type]
        return _signal(
            SignalName.NPS_OR_PRAISE_60D,
            f"nps={account.nps} (nps_date={fmt_date(account.nps_date)}, {age} days ago)",
            "data",
            account.nps_date,
        )
    candidates = [
        f
        for f in findings.findings
        if (
            (f.category == "fact" and f.name == "nps" and int(f.values.get("nps", -1)) >= 8)
            or (f.category == "fact" and f.name == "positive_feedback")
        )
        and within_last(f.date, as_of, NPS_WINDOW_DAYS)
    ]
    if candidates:
        note = max(candidates, key=lambda f: f.date or date.min)
        return _signal(
            SignalName.NPS_OR_PRAISE_60D, _quote_evidence(note), "notes", note.date, note.quote
        )
    if account.nps is not None and account.nps >= NPS_PROMOTER and account.nps_date is None:
        not_scored.append(
            NotScored(
                name=SignalName.NPS_OR_PRAISE_60D,
                reason=f"nps={account.nps} has no date: the 60-day NPS signal was not scored",
            )
        )
    return None


def renewal_date_of(account: Account, findings: NoteFindings) -> tuple[date | None, str]:
    """Return the renewal date (data row first, else notes) and its evidence label."""
    if account.renewal_date:
        return account.renewal_date, "data"
    for finding in findings.of("fact", "renewal_date"):
        raw = finding.values.get("date")
        if isinstance(raw, date):
            return raw, f'notes: "{finding.quote}"'
        if isinstance(raw, str):
            try:
                return date.fromisoformat(raw), f'notes: "{finding.quote}"'
            except ValueError:
                continue
    return None, ""


def _renewal_signal(
    account: Account, findings: NoteFindings, as_of: date, not_scored: list[NotScored]
) -> Signal | None:
    renewal, origin = renewal_date_of(account, findings)
    if renewal is None:
        not_scored.append(
            NotScored(
                name=SignalName.RENEWAL_60_120D,
                reason="renewal date unknown: the renewal signal was not scored",
            )
        )
        return None
    ahead = days_until(renewal, as_of)
    if RENEWAL_MIN_DAYS <= ahead <= RENEWAL_MAX_DAYS:
        if origin == "data":
            return _signal(
                SignalName.RENEWAL_60_120D,
                f"renewal_date={renewal.isoformat()} ({ahead} days away)",
                "data",
                renewal,
            )
        return _signal(
            SignalName.RENEWAL_60_120D,
            f"{origin} renewal {renewal.isoformat()} ({ahead} days away)",
            "notes",
            renewal,
        )
    return None


def _shared_seat_signal(account: Account, findings: NoteFindings, as_of: date) -> Signal | None:
    if (
        account.active_users is not None
        and account.seats_purchased is not None
        and account.active_users > account.seats_purchased
    ):
        return _signal(
            SignalName.SHARED_SINGLE_SEAT,
            f"active_users={account.active_users} > seats_purchased={account.seats_purchased} "
            "(at least two people share a seat)",
            "data",
        )
    note = _first_note(findings, "signal", (SignalName.SHARED_SINGLE_SEAT,), as_of, None)
    if note:
        return _signal(
            SignalName.SHARED_SINGLE_SEAT, _quote_evidence(note), "notes", note.date, note.quote
        )
    return None


def _company_signal(account: Account, findings: NoteFindings, as_of: date) -> Signal | None:
    a, b = account.company_employees_at_purchase, account.company_employees_now
    if a is not None and b is not None and b > a:
        return _signal(
            SignalName.COMPANY_GREW,
            f"company_employees_now={fmt_num(b)} vs company_employees_at_purchase={fmt_num(a)}",
            "data",
        )
    growth = account.company_revenue_growth_pct
    if growth is not None and growth > 0:
        return _signal(
            SignalName.COMPANY_GREW, f"company_revenue_growth_pct={fmt_num(growth)}%", "data"
        )
    note = _first_note(findings, "signal", (SignalName.COMPANY_GREW,), as_of, None)
    if note:
        return _signal(
            SignalName.COMPANY_GREW, _quote_evidence(note), "notes", note.date, note.quote
        )
    return None
