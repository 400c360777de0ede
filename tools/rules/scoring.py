"""Expansion Readiness Score: the nine signals, their evidence, and the tier."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from playbook.tools.dates import days_since, days_until, within_last
from playbook.tools.models.account import Account
from playbook.tools.models.assessment import NotScored, Signal
from playbook.tools.models.evidence import (
    Comparison,
    DateField,
    Evidence,
    ListField,
    NoteQuote,
    NumberField,
    QuotedDate,
    QuotedUsage,
    TextField,
)
from playbook.tools.models.findings import NoteFinding, NoteFindings
from playbook.tools.vocab import SIGNAL_POINTS, SignalName, Tier

USAGE_THRESHOLD = Fraction(4, 5)
OUTCOME_WINDOW_DAYS = 90
NPS_WINDOW_DAYS = 60
NPS_PROMOTER = 8
RENEWAL_MIN_DAYS = 60
RENEWAL_MAX_DAYS = 120


@dataclass(frozen=True)
class UsageReading:
    """One capacity reading: used of capacity, and the evidence it comes from."""

    used: float
    capacity: float
    evidence: Comparison | NoteQuote
    date: date | None = None

    @property
    def source(self) -> str:
        """Where the reading comes from: the data row or the notes."""
        return self.evidence.source

    @property
    def is_volume(self) -> bool:
        """True for a volume limit (API calls, records...), not seats."""
        return isinstance(self.evidence, Comparison) and self.evidence.unit == "volume"

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
        seats = Comparison(
            field="seats_used",
            value=account.seats_used,
            other_field="seats_purchased",
            other=account.seats_purchased,
            relation="of",
            unit="seats",
        )
        readings.append(UsageReading(account.seats_used, account.seats_purchased, seats))
    if account.usage_limit and account.usage_current is not None:
        volume = Comparison(
            field="usage_current",
            value=account.usage_current,
            other_field="usage_limit",
            other=account.usage_limit,
            relation="of",
            unit="volume",
        )
        readings.append(UsageReading(account.usage_current, account.usage_limit, volume))
    for finding in findings.of("fact", "usage_ratio"):
        used = finding.values.get("used")
        capacity = finding.values.get("capacity")
        ratio = finding.values.get("ratio")
        if used is not None and capacity:
            usage = QuotedUsage(used=float(used), capacity=float(capacity))
        elif ratio is not None:
            usage = QuotedUsage(used=float(ratio), capacity=1.0, ratio_only=True)
        else:
            continue
        quote = note_quote(finding, usage=usage)
        readings.append(UsageReading(usage.used, usage.capacity, quote, finding.date))
    return sorted(readings, key=lambda r: r.ratio, reverse=True)


def note_quote(
    finding: NoteFinding,
    *,
    usage: QuotedUsage | None = None,
    renewal: QuotedDate | None = None,
    dated: bool = True,
) -> NoteQuote:
    """Return a notes finding's evidence: its verbatim quote and (when ``dated``) its date."""
    day = finding.date if dated else None
    return NoteQuote(
        quote=finding.quote,
        date=day,
        dated_by=finding.dated_by if day else None,
        usage=usage,
        renewal=renewal,
    )


def _signal(name: SignalName, detail: Evidence, day: date | None = None) -> Signal:
    return Signal(name=name, points=SIGNAL_POINTS[name], detail=detail, date=day)


def _note_signal(name: SignalName, finding: NoteFinding) -> Signal:
    return _signal(name, note_quote(finding), finding.date)


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
        signals.append(_signal(SignalName.USAGE_80, top.evidence, top.date))
    elif not readings:
        not_scored.append(
            NotScored(
                name=SignalName.USAGE_80, reason="usage vs capacity unknown: usage not scored"
            )
        )

    found = [
        _outcome_signal(account, findings, as_of, not_scored),
        _team_signal(account, findings),
        _features_signal(account, findings, as_of),
        _nps_signal(account, findings, as_of, not_scored),
        _renewal_signal(account, findings, as_of, not_scored),
        _initiative_signal(account, findings, as_of),
        _shared_seat_signal(account, findings, as_of),
        _company_signal(account, findings, as_of),
    ]
    signals.extend(s for s in found if s is not None)
    return signals, not_scored


def _features_signal(account: Account, findings: NoteFindings, as_of: date) -> Signal | None:
    if account.feature_requests:
        detail = ListField(field="feature_requests", items=list(account.feature_requests))
        return _signal(SignalName.ASKED_MISSING_FEATURES, detail)
    note = _first_note(findings, "signal", (SignalName.ASKED_MISSING_FEATURES,), as_of, None)
    return _note_signal(SignalName.ASKED_MISSING_FEATURES, note) if note else None


def _initiative_signal(account: Account, findings: NoteFindings, as_of: date) -> Signal | None:
    if account.new_initiative:
        detail = TextField(field="new_initiative", text=account.new_initiative)
        return _signal(SignalName.NEW_INITIATIVE, detail)
    note = _first_note(findings, "signal", (SignalName.NEW_INITIATIVE,), as_of, None)
    return _note_signal(SignalName.NEW_INITIATIVE, note) if note else None


def _outcome_signal(
    account: Account, findings: NoteFindings, as_of: date, not_scored: list[NotScored]
) -> Signal | None:
    day = account.positive_outcome_date
    if (
        account.positive_outcome
        and day is not None
        and within_last(day, as_of, OUTCOME_WINDOW_DAYS)
    ):
        detail = TextField(
            field="positive_outcome",
            text=account.positive_outcome,
            date_field="positive_outcome_date",
            day=day,
            days_ago=days_since(day, as_of),
        )
        return _signal(SignalName.POSITIVE_OUTCOME_90D, detail, day)
    note = _first_note(
        findings, "signal", (SignalName.POSITIVE_OUTCOME_90D,), as_of, OUTCOME_WINDOW_DAYS
    )
    if note:
        return _note_signal(SignalName.POSITIVE_OUTCOME_90D, note)
    if account.positive_outcome and day is None:
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
        detail = Comparison(
            field="departments_now",
            value=b,
            other_field="departments_at_purchase",
            other=a,
            relation="vs",
            unit="departments",
        )
        return _signal(SignalName.TEAM_GREW, detail)
    a, b = account.team_size_at_purchase, account.team_size_now
    if a is not None and b is not None and b > a:
        detail = Comparison(
            field="team_size_now",
            value=b,
            other_field="team_size_at_purchase",
            other=a,
            relation="vs",
            unit="people",
        )
        return _signal(SignalName.TEAM_GREW, detail)
    notes = findings.of("signal", SignalName.TEAM_GREW)
    if notes:
        return _note_signal(SignalName.TEAM_GREW, max(notes, key=lambda f: f.date or date.min))
    return None


def _nps_signal(
    account: Account, findings: NoteFindings, as_of: date, not_scored: list[NotScored]
) -> Signal | None:
    day = account.nps_date
    if (
        account.nps is not None
        and account.nps >= NPS_PROMOTER
        and day is not None
        and within_last(day, as_of, NPS_WINDOW_DAYS)
    ):
        detail = NumberField(
            field="nps",
            number=account.nps,
            unit="score",
            date_field="nps_date",
            day=day,
            days_ago=days_since(day, as_of),
        )
        return _signal(SignalName.NPS_OR_PRAISE_60D, detail, day)
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
        return _note_signal(SignalName.NPS_OR_PRAISE_60D, note)
    if account.nps is not None and account.nps >= NPS_PROMOTER and day is None:
        not_scored.append(
            NotScored(
                name=SignalName.NPS_OR_PRAISE_60D,
                reason=f"nps={account.nps} has no date: the 60-day NPS signal was not scored",
            )
        )
    return None


def renewal_date_of(
    account: Account, findings: NoteFindings
) -> tuple[date | None, NoteFinding | None]:
    """Return the renewal date (data row first, else notes) and the notes finding it came from."""
    if account.renewal_date:
        return account.renewal_date, None
    for finding in findings.of("fact", "renewal_date"):
        raw = finding.values.get("date")
        if isinstance(raw, date):
            return raw, finding
        if isinstance(raw, str):
            try:
                return date.fromisoformat(raw), finding
            except ValueError:
                continue
    return None, None


def renewal_evidence(
    account: Account, findings: NoteFindings, as_of: date
) -> DateField | NoteQuote | None:
    """Return the renewal date's evidence: the data row's date, or the notes quote giving it."""
    renewal, finding = renewal_date_of(account, findings)
    if renewal is None:
        return None
    ahead = days_until(renewal, as_of)
    if finding is None:
        return DateField(field="renewal_date", day=renewal, days=ahead)
    quote = NoteQuote(quote=finding.quote, renewal=QuotedDate(day=renewal, days=ahead))
    return quote


def _renewal_signal(
    account: Account, findings: NoteFindings, as_of: date, not_scored: list[NotScored]
) -> Signal | None:
    evidence = renewal_evidence(account, findings, as_of)
    if evidence is None:
        not_scored.append(
            NotScored(
                name=SignalName.RENEWAL_60_120D,
                reason="renewal date unknown: the renewal signal was not scored",
            )
        )
        return None
    renewal, ahead = (
        (evidence.day, evidence.days)
        if isinstance(evidence, DateField)
        else (evidence.renewal.day, evidence.renewal.days)  # type: ignore[union-attr]
    )
    if RENEWAL_MIN_DAYS <= ahead <= RENEWAL_MAX_DAYS:
        return _signal(SignalName.RENEWAL_60_120D, evidence, renewal)
    return None


def _shared_seat_signal(account: Account, findings: NoteFindings, as_of: date) -> Signal | None:
    if (
        account.active_users is not None
        and account.seats_purchased is not None
        and account.active_users > account.seats_purchased
    ):
        detail = Comparison(
            field="active_users",
            value=account.active_users,
            other_field="seats_purchased",
            other=account.seats_purchased,
            relation="over",
            unit="users",
        )
        return _signal(SignalName.SHARED_SINGLE_SEAT, detail)
    note = _first_note(findings, "signal", (SignalName.SHARED_SINGLE_SEAT,), as_of, None)
    return _note_signal(SignalName.SHARED_SINGLE_SEAT, note) if note else None


def _company_signal(account: Account, findings: NoteFindings, as_of: date) -> Signal | None:
    a, b = account.company_employees_at_purchase, account.company_employees_now
    if a is not None and b is not None and b > a:
        detail: Evidence = Comparison(
            field="company_employees_now",
            value=b,
            other_field="company_employees_at_purchase",
            other=a,
            relation="vs",
            unit="employees",
        )
        return _signal(SignalName.COMPANY_GREW, detail)
    growth = account.company_revenue_growth_pct
    if growth is not None and growth > 0:
        detail = NumberField(field="company_revenue_growth_pct", number=growth, unit="percent")
        return _signal(SignalName.COMPANY_GREW, detail)
    note = _first_note(findings, "signal", (SignalName.COMPANY_GREW,), as_of, None)
    return _note_signal(SignalName.COMPANY_GREW, note) if note else None
