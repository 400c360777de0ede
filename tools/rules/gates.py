"""Timing gates: the worst times to raise expansion, and what to do instead."""

from __future__ import annotations

from datetime import date

from playbook.tools.dates import (
    days_since,
    fiscal_quarter_bounds,
    in_quarter_end_window,
    next_quarter_start,
)
from playbook.tools.models.account import Account
from playbook.tools.models.assessment import Gate
from playbook.tools.models.evidence import (
    DateField,
    Evidence,
    NumberField,
    QuarterEnd,
    TextField,
)
from playbook.tools.models.findings import NoteFindings
from playbook.tools.rules.scoring import note_quote
from playbook.tools.vocab import (
    BLOCKING_GATES,
    PLAN_GATE,
    GateName,
    PlanKind,
    RelationshipStatus,
)

QUIET_AFTER_DAYS = 60
LOW_USAGE_LOGINS = 2
OPEN_PROBLEM_NOTE_WINDOW_DAYS = 30

GATE_ACTIONS: dict[GateName, str] = {
    GateName.OPEN_PROBLEM: (
        "Fix the open problem first; raise expansion on a later touch, never on the call "
        "where the problem is discussed."
    ),
    GateName.GONE_QUIET: "Re-establish the relationship first: a value-led check-in, no pitch.",
    GateName.LOW_USAGE: "Adoption first: get the product used regularly before any expansion talk.",
    GateName.QUARTER_END: (
        "Move the opening conversation to the first week of the next quarter so it does not "
        "read as quarter-end pressure."
    ),
    GateName.AT_RISK: "Retention, not expansion: run a save plan with the sponsor.",
}

PLAN_FOR_GATE: dict[GateName, PlanKind] = {gate: plan for plan, gate in PLAN_GATE.items()}
GATE_PRECEDENCE = (GateName.AT_RISK, GateName.OPEN_PROBLEM, GateName.GONE_QUIET, GateName.LOW_USAGE)


def _gate(name: GateName, detail: Evidence, day: date | None = None) -> Gate:
    return Gate(
        name=name,
        detail=detail,
        action=GATE_ACTIONS[name],
        blocking=name in BLOCKING_GATES,
        date=day,
    )


def _note_gate(
    findings: NoteFindings, name: GateName, as_of: date, window: int | None
) -> Gate | None:
    for finding in reversed(findings.of("gate", name)):
        if window is not None and finding.date is not None:
            age = days_since(finding.date, as_of)
            if age < 0 or age > window:
                continue
        return _gate(name, note_quote(finding), finding.date)
    return None


def evaluate_gates(
    account: Account,
    findings: NoteFindings,
    as_of: date,
    *,
    fiscal_start_month: int = 1,
    opening_date: date | None = None,
) -> list[Gate]:
    """Every gate that holds for the account, in a stable order."""
    gates: list[Gate] = []

    if account.open_tickets_high:
        tickets = NumberField(field="open_tickets_high", number=account.open_tickets_high)
        gates.append(_gate(GateName.OPEN_PROBLEM, tickets))
    else:
        note = _note_gate(findings, GateName.OPEN_PROBLEM, as_of, OPEN_PROBLEM_NOTE_WINDOW_DAYS)
        if note:
            gates.append(note)

    if account.last_contact_date is not None:
        quiet_days = days_since(account.last_contact_date, as_of)
        if quiet_days > QUIET_AFTER_DAYS:
            last = DateField(
                field="last_contact_date", day=account.last_contact_date, days=-quiet_days
            )
            gates.append(_gate(GateName.GONE_QUIET, last, account.last_contact_date))
    if not any(g.name == GateName.GONE_QUIET for g in gates):
        note = _note_gate(findings, GateName.GONE_QUIET, as_of, None)
        if note:
            gates.append(note)

    if account.logins_per_month is not None and account.logins_per_month <= LOW_USAGE_LOGINS:
        logins = NumberField(
            field="logins_per_month", number=account.logins_per_month, unit="logins"
        )
        gates.append(_gate(GateName.LOW_USAGE, logins))
    else:
        low = [
            f
            for f in findings.of("fact", "logins_per_month")
            if float(f.values.get("logins", LOW_USAGE_LOGINS + 1)) <= LOW_USAGE_LOGINS
        ]
        if low:
            gates.append(_gate(GateName.LOW_USAGE, note_quote(low[-1], dated=False)))
        else:
            note = _note_gate(findings, GateName.LOW_USAGE, as_of, None)
            if note:
                gates.append(note)

    opening = opening_date or as_of
    if in_quarter_end_window(opening, fiscal_start_month):
        _, end = fiscal_quarter_bounds(opening, fiscal_start_month)
        moved = next_quarter_start(opening, fiscal_start_month)
        moved_opening = QuarterEnd(opening=opening, quarter_end=end, moved_to=moved)
        gates.append(_gate(GateName.QUARTER_END, moved_opening, moved))

    if account.relationship_status == RelationshipStatus.AT_RISK:
        status = TextField(field="relationship_status", text=RelationshipStatus.AT_RISK.value)
        gates.append(_gate(GateName.AT_RISK, status))
    else:
        note = _note_gate(findings, GateName.AT_RISK, as_of, None)
        if note:
            gates.append(note)

    return gates


def blocking(gates: list[Gate]) -> list[Gate]:
    """Return the gates that block the pitch (all but quarter end)."""
    return [g for g in gates if g.blocking]


def plan_kind_for(gates: list[Gate]) -> PlanKind | None:
    """Return the replacement plan for the first blocking gate by precedence, or None."""
    names = {g.name for g in gates}
    for name in GATE_PRECEDENCE:
        if name in names:
            return PLAN_FOR_GATE[name]
    return None


def opening_date_for(as_of: date, gates: list[Gate], fiscal_start_month: int = 1) -> date:
    """Return the opening date: as_of, or the next quarter's first day when quarter end holds."""
    if any(g.name == GateName.QUARTER_END for g in gates):
        return next_quarter_start(as_of, fiscal_start_month)
    return as_of
