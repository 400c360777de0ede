"""Find the most recent why-now trigger for an account."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from playbook.tools.dates import days_since
from playbook.tools.models.account import Account
from playbook.tools.models.assessment import Signal, Trigger
from playbook.tools.models.evidence import TextField
from playbook.tools.models.findings import NoteFindings
from playbook.tools.rules.scoring import UsageReading, note_quote, renewal_evidence
from playbook.tools.vocab import SignalName, TriggerType

RECENT_DAYS = 90
CEILING_RATIO = 0.85
RENEWAL_AHEAD_DAYS = (75, 105)
SAME_DAY_ORDER = (
    TriggerType.SUCCESS_MOMENT,
    TriggerType.USAGE_CEILING,
    TriggerType.TEAM_GROWTH,
    TriggerType.NEW_INITIATIVE,
    TriggerType.CHAMPION_EVENT,
    TriggerType.ORG_CHANGE,
    TriggerType.ONBOARDING_COMPLETE,
    TriggerType.PRODUCT_LAUNCH,
    TriggerType.BUDGET_CYCLE,
    TriggerType.RENEWAL_AHEAD,
)
CURRENT_STATE_ORDER = (
    TriggerType.USAGE_CEILING,
    TriggerType.RENEWAL_AHEAD,
    TriggerType.TEAM_GROWTH,
    TriggerType.NEW_INITIATIVE,
)
SIGNAL_TO_TRIGGER = {
    SignalName.POSITIVE_OUTCOME_90D: TriggerType.SUCCESS_MOMENT,
    SignalName.TEAM_GREW: TriggerType.TEAM_GROWTH,
    SignalName.NEW_INITIATIVE: TriggerType.NEW_INITIATIVE,
}

SIGNAL_BY_VALUE = {name.value: trigger for name, trigger in SIGNAL_TO_TRIGGER.items()}
TRIGGER_VALUES = frozenset(t.value for t in TriggerType)


@dataclass(frozen=True)
class Candidate:
    """A possible trigger; `dated` ones are events, the others describe the current state."""

    trigger: Trigger
    dated: bool


def _candidates(
    account: Account,
    findings: NoteFindings,
    signals: Sequence[Signal],
    usage: Sequence[UsageReading],
    renewal: date | None,
    as_of: date,
) -> list[Candidate]:
    out: list[Candidate] = []
    if account.positive_outcome and account.positive_outcome_date:
        out.append(
            Candidate(
                Trigger(
                    type=TriggerType.SUCCESS_MOMENT,
                    detail=TextField(field="positive_outcome", text=account.positive_outcome),
                    date=account.positive_outcome_date,
                ),
                True,
            )
        )
    if usage and usage[0].ratio >= CEILING_RATIO:
        top = usage[0]
        out.append(
            Candidate(
                Trigger(type=TriggerType.USAGE_CEILING, detail=top.evidence, date=top.date),
                top.date is not None,
            )
        )
    renewal_ev = renewal_evidence(account, findings, as_of) if renewal is not None else None
    if renewal is not None and renewal_ev is not None:
        ahead = (renewal - as_of).days
        if RENEWAL_AHEAD_DAYS[0] <= ahead <= RENEWAL_AHEAD_DAYS[1]:
            ahead_trigger = Trigger(type=TriggerType.RENEWAL_AHEAD, detail=renewal_ev, date=renewal)
            out.append(Candidate(ahead_trigger, False))
    for signal in signals:
        kind = SIGNAL_TO_TRIGGER.get(signal.name)
        if kind is None or signal.source != "data":
            continue
        if kind == TriggerType.SUCCESS_MOMENT:
            continue
        out.append(
            Candidate(
                Trigger(type=kind, detail=signal.detail, date=signal.date),
                signal.date is not None,
            )
        )
    seen_quotes: set[tuple[str, str]] = set()
    note_events = list(findings.of("trigger"))
    for finding in findings.of("signal"):
        kind = SIGNAL_BY_VALUE.get(finding.name)
        if kind is not None:
            update = {"category": "trigger", "name": kind.value}
            note_events.append(finding.model_copy(update=update))
    for finding in note_events:
        if finding.name not in TRIGGER_VALUES:
            continue
        key = (finding.name, finding.quote)
        if key in seen_quotes:
            continue
        seen_quotes.add(key)
        day = finding.date
        if day is not None and day > as_of and finding.name != TriggerType.RENEWAL_AHEAD:
            day = None
        out.append(
            Candidate(
                Trigger(
                    type=TriggerType(finding.name),
                    detail=note_quote(finding, dated=False),
                    date=day,
                ),
                day is not None and finding.name != TriggerType.RENEWAL_AHEAD,
            )
        )
    return out


def find_trigger(
    account: Account,
    findings: NoteFindings,
    signals: Sequence[Signal],
    usage: Sequence[UsageReading],
    renewal: date | None,
    as_of: date,
) -> Trigger | None:
    """Pick the opening trigger: recent dated event, else current state, else older event."""
    candidates = _candidates(account, findings, signals, usage, renewal, as_of)

    def same_day_rank(c: Candidate) -> int:
        return SAME_DAY_ORDER.index(c.trigger.type)

    dated = [c for c in candidates if c.dated and c.trigger.date is not None]
    recent = [c for c in dated if 0 <= days_since(c.trigger.date, as_of) <= RECENT_DAYS]  # type: ignore[arg-type]
    if recent:
        return min(recent, key=lambda c: (-c.trigger.date.toordinal(), same_day_rank(c))).trigger  # type: ignore[union-attr]
    current = [c for c in candidates if not c.dated and c.trigger.type in CURRENT_STATE_ORDER]
    if current:
        return min(current, key=lambda c: CURRENT_STATE_ORDER.index(c.trigger.type)).trigger
    undated_events = [c for c in candidates if not c.dated]
    older = [c for c in dated if days_since(c.trigger.date, as_of) > RECENT_DAYS]  # type: ignore[arg-type]
    if older:
        return min(older, key=lambda c: (-c.trigger.date.toordinal(), same_day_rank(c))).trigger  # type: ignore[union-attr]
    if undated_events:
        return min(undated_events, key=same_day_rank).trigger
    return None
