"""The dated 13-week plan: the five-phase expansion calendar, or a gated plan instead."""

from __future__ import annotations

from datetime import date, timedelta

from playbook.tools.models.assessment import CalendarStep
from playbook.tools.vocab import PlanKind

PLAN_DAYS = 90
WEEKS = 13
EXPANSION_PHASES: tuple[tuple[int, int, str], ...] = (
    (1, 7, "Opening"),
    (8, 21, "Supporting material"),
    (22, 45, "Proposal"),
    (46, 75, "Navigate"),
    (76, 90, "Close"),
)
FOLLOW_UP_AFTER_DAYS = 5

# week -> (action, milestone, milestone day); {item} is the offer's catalog item.
EXPANSION_WEEKS: dict[int, tuple[str, str | None, int | None]] = {
    1: ("Opening conversation (the script): gauge interest and confirm {item} is the right fit.",
        "Opening conversation", 1),
    2: ("If there is interest, send the supporting material: ROI snapshot, {item} overview and a "
        "case study of a similar company; follow up once on day 13 if there is no reply.",
        "Send supporting material", 8),
    3: ("Answer questions on the material; confirm who else should see the proposal.", None, None),
    4: ("Send the proposal for {item}.", "Proposal sent", 22),
    5: ("If budget or approval is needed, learn the internal process and who signs.", None, None),
    6: ("Offer to build the business case with the champion.", None, None),
    7: ("Walk the decision-maker through the proposal; agree the approval path.",
        "Internal process check-in with the champion", 46),
    8: ("Navigate the internal process; stay close to the champion.", None, None),
    9: ("Answer objections as they come; keep the business case current.", None, None),
    10: ("Confirm the approval steps and dates left.", None, None),
    11: ("Prepare the close: order form or agreed change.", "Closing conversation", 76),
    12: ("Close, or agree a specific future date: no open-ended maybe.", None, None),
    13: ("Decision day: signed, or a dated next decision, or a clear 'not this cycle'.",
         "Decision: close or dated next step", 90),
}

GATED_WEEKS: dict[PlanKind, dict[int, tuple[str, str | None, int | None]]] = {
    PlanKind.FIX_FIRST: {
        1: ("Own the open problem: confirm severity, owner and fix date with support. No expansion "
            "talk on this call.", "Problem review with the customer", 1),
        2: ("Send a short written update on the fix and the next checkpoint.", None, None),
        3: ("Confirm the fix with the contact; make sure they agree it is solved.",
            "Fix confirmed", 15),
        4: ("Health check: how is the team working now? Listen, no pitch.", None, None),
        5: ("Share one usage win or tip that rebuilds confidence.", None, None),
        6: ("Review open tickets again; nothing high or critical left open.", None, None),
        7: ("Re-score readiness now that the problem is closed.", "Readiness re-score", 43),
        8: ("If the fix holds, plan the expansion opening for a later, separate touch.",
            None, None),
        9: ("Value review: outcomes since the fix.", None, None),
        10: ("Keep regular contact; watch for a success moment to open on.", None, None),
        11: ("Prepare the opening for the next cycle if readiness allows.", None, None),
        12: ("Confirm the relationship is back to healthy.", None, None),
        13: ("Dated re-assessment: expansion plan or another fix-first cycle.",
             "Re-assessment", 90),
    },
    PlanKind.RE_ENGAGE: {
        1: ("Re-establish contact with a value-led note: what they achieved, one useful insight. "
            "No pitch.", "Re-engagement outreach", 1),
        2: ("Second touch through another channel or a second contact.", None, None),
        3: ("Book a short check-in on their current goals.", "Check-in call", 15),
        4: ("Map who is involved now; confirm the primary contact still owns the tool.",
            None, None),
        5: ("Share a relevant best practice or benchmark.", None, None),
        6: ("Agree a regular cadence of contact.", None, None),
        7: ("Re-score readiness on fresh information.", "Readiness re-score", 43),
        8: ("Keep the cadence; gather goals and upcoming initiatives.", None, None),
        9: ("Value review with the contact.", None, None),
        10: ("Watch for a trigger to open on.", None, None),
        11: ("Prepare an opening if readiness allows.", None, None),
        12: ("Confirm the relationship is active again.", None, None),
        13: ("Dated re-assessment: expansion plan or continued re-engagement.",
             "Re-assessment", 90),
    },
    PlanKind.ADOPTION: {
        1: ("Adoption review: who uses it, for what, and what blocks regular use. No pitch.",
            "Adoption review", 1),
        2: ("Agree two or three adoption goals and a usage target.", None, None),
        3: ("Run a training session or office hours for the team.", "Training session", 15),
        4: ("Set up the workflows they need day to day.", None, None),
        5: ("Check usage against the target; remove blockers.", None, None),
        6: ("Share quick wins with the sponsor.", None, None),
        7: ("Usage checkpoint and readiness re-score.", "Usage checkpoint", 43),
        8: ("Second training round for new or light users.", None, None),
        9: ("Document results from the adoption work.", None, None),
        10: ("Review usage trend with the sponsor.", None, None),
        11: ("Plan the next step if usage is regular.", None, None),
        12: ("Confirm regular usage is sustained.", None, None),
        13: ("Dated re-assessment: expansion plan or another adoption cycle.",
             "Re-assessment", 90),
    },
    PlanKind.RETENTION: {
        1: ("Save plan: meet the sponsor, understand what is at risk and why. No expansion.",
            "Risk review with the sponsor", 1),
        2: ("Agree a written recovery plan with owners and dates.", None, None),
        3: ("Executive alignment: bring in your leadership if needed.", "Executive alignment", 15),
        4: ("Deliver the first fix or win of the recovery plan.", None, None),
        5: ("Weekly check on the recovery plan.", None, None),
        6: ("Show measurable progress to the sponsor.", None, None),
        7: ("Mid-point review of the recovery plan.", "Recovery review", 43),
        8: ("Address remaining concerns one by one.", None, None),
        9: ("Value review: outcomes delivered since the plan started.", None, None),
        10: ("Confirm the relationship status has improved.", None, None),
        11: ("Prepare the renewal conversation if it is near.", None, None),
        12: ("Agree the status with the sponsor.", None, None),
        13: ("Dated re-assessment: back to healthy, or escalate.", "Re-assessment", 90),
    },
    PlanKind.NURTURE: {
        1: ("Health and adoption check: confirm goals and current use.", "Goals check-in", 1),
        2: ("Share one tip tied to their goals.", None, None),
        3: ("Offer training for light users.", None, None),
        4: ("Review usage and outcomes.", "Usage review", 22),
        5: ("Capture any win to build on.", None, None),
        6: ("Keep regular contact.", None, None),
        7: ("Re-score readiness.", "Readiness re-score", 43),
        8: ("Plant seeds: mention where similar customers went next.", None, None),
        9: ("Gather upcoming initiatives and team changes.", None, None),
        10: ("Value review with the contact.", None, None),
        11: ("Prepare an opening if readiness has grown.", None, None),
        12: ("Confirm the next steps with the contact.", None, None),
        13: ("Dated re-assessment: expansion plan or continued nurture.", "Re-assessment", 90),
    },
}


def phase_for_day(day: int) -> str:
    """Return the expansion phase a plan day (1-90) belongs to."""
    for first, last, name in EXPANSION_PHASES:
        if first <= day <= last:
            return name
    raise ValueError(f"day {day} is outside the 90-day plan")


def plan_day(start: date, day: int) -> date:
    """Return the date of plan day `day` (day 1 is the start date)."""
    return start + timedelta(days=day - 1)


def build_calendar(start: date, plan_kind: PlanKind, item: str | None = None) -> list[CalendarStep]:
    """Thirteen dated weeks from `start`; the last one ends on day 90."""
    if plan_kind == PlanKind.EXPANSION:
        weeks = EXPANSION_WEEKS
    elif plan_kind in GATED_WEEKS:
        weeks = GATED_WEEKS[plan_kind]
    else:
        raise ValueError(f"unknown plan kind {plan_kind!r}")
    label = item or "the offer"
    steps = []
    for week in range(1, WEEKS + 1):
        first_day = 7 * (week - 1) + 1
        last_day = min(first_day + 6, PLAN_DAYS)
        action, milestone, mday = weeks[week]
        if plan_kind == PlanKind.EXPANSION:
            phase = phase_for_day(first_day)
            action = action.format(item=label).replace(
                "day 13", plan_day(start, 8 + FOLLOW_UP_AFTER_DAYS).isoformat()
            )
        else:
            phase = plan_kind.replace("_", " ").capitalize()
        steps.append(
            CalendarStep.model_construct(
                week=week,
                start=plan_day(start, first_day),
                end=plan_day(start, last_day),
                phase=phase,
                action=action,
                milestone=milestone,
                milestone_date=plan_day(start, mday) if mday else None,
            )
        )
    return steps
