"""Objection answers: the four common ones adapted to the account, plus its own concerns.

Answers follow the playbook's strategy (ask what "ready" looks like; ask who is
involved and offer the business case; accept the bar, ask for the result, commit,
revisit; affirm, flag one gap, ask if it is on their radar) and always end with a
question. Gated plans answer about the fix or the re-engagement, never the offer.
"""

from __future__ import annotations

from playbook.agent.drafter.context import DraftContext, without_names
from playbook.agent.drafter.text import is_clean, quote
from playbook.tools.models.assessment import Concern
from playbook.tools.models.brief import ObjectionAnswer
from playbook.tools.vocab import COMMON_OBJECTIONS

__all__ = ["draft_objections"]

EXPANSION: dict[str, tuple[str, ...]] = {
    "not_ready": (
        "That is fair, and there is no rush on {item} from my side.{why} What would \"ready\" "
        "look like for you: a result you want to reach first, your next budget cycle, or a "
        "change inside the team, so I come back at the right moment?",
        "Understood; the timing should be yours, not mine.{why} What would need to be in place "
        "for this to feel like the right time: a result, a budget cycle or a change on the team?",
    ),
    "budget": (
        "That is a normal step for a change like {item}. Who is involved in approving "
        "it{role}, and when is the next decision point? I am happy to build the business case "
        "with you, starting from {basis}; would that help?",
        "Of course; most teams need that for {item}. Who else would weigh in{role}? I can draft "
        "the business case for them from {basis}, in the format your finance team uses; would "
        "that be useful?",
    ),
    "more_value": (
        "That is a fair bar, and I would rather earn it than argue it. What result would show "
        "you the value, and by when? I will commit to helping you reach it, and we can revisit "
        "{item} once it is in; could we agree to look at it again on {revisit}?",
        "Agreed, the current investment should prove itself first. Which result would tell you "
        "it is paying off? I will put our effort behind reaching it; once it is there, shall we "
        "look at {item} again on {revisit}?",
    ),
    "happy": (
        "Glad to hear it; that is the best feedback we can get. One thing you may not have "
        "spotted: {gap}. Is that on your radar?",
        "That is great to hear, and I want to keep it that way. One thing I noticed while "
        "preparing: {gap}. Is that something you are already planning for?",
    ),
}
GAP: dict[str, tuple[str, str]] = {
    "capacity": (
        "{ev}, so new people may soon wait for access",
        "how close the team is to the limit of what you have today",
    ),
    "tier_upgrade": (
        "{ev}, which the current plan does not cover",
        "the workarounds the team runs around the current plan",
    ),
    "multi_year": (
        "{ev}, and a multi-year term would lock in what works with rate certainty",
        "a multi-year term would lock in what works with rate certainty",
    ),
    "cross_sell": (
        "{ev}, which what you have today does not cover",
        "a need your team named that what you have today does not cover",
    ),
    "professional_services": (
        "{ev}, so part of what you bought is not working for you yet",
        "part of what you bought is not working for you yet",
    ),
}
GATED: dict[str, dict[str, str]] = {
    "fix_first": {
        "not_ready": "Completely understood: nothing else is on the table until the open issue "
        "is resolved. What would \"resolved\" look like for your team, so we both know when it "
        "is behind us?",
        "budget": "There is nothing to approve right now; the only priority is the open issue. "
        "Who on your side should hear from us as the fix progresses?",
        "more_value": "Agreed, and that is exactly where my attention is. What result in the "
        "coming weeks would show you the product is back on track for your team?",
        "happy": "Good to hear the rest is working well. I still want to be sure about {gate}: "
        "is that fully behind you, or is something still getting in the way?",
    },
    "re_engage": {
        "not_ready": "That is fine; I am not bringing anything to decide. What is on your "
        "team's plate right now, so I know when a conversation would actually help?",
        "budget": "Nothing needs budget; I would simply like to stay useful to you. Who else on "
        "your side relies on the product today, so I can keep them in the loop?",
        "more_value": "That is a fair bar. What result would you most like to see from the "
        "product over the next few months, and how can I help you get there?",
        "happy": "Glad to hear it. One thing I noticed: {gate}, so I may have missed changes on "
        "your side. Is there anything new on your radar I should know about?",
    },
    "adoption": {
        "not_ready": "Understood; the only goal right now is making the product part of your "
        "team's routine. What would a good week of use look like for your team?",
        "budget": "This is not about budget; it is about getting value from what you already "
        "have. Who on the team would benefit most from a first working session?",
        "more_value": "Agreed, and that is exactly the focus. What result would show you the "
        "product is earning its place, and by when?",
        "happy": "Glad it works for the people using it. One thing I noticed: {gate}. Is wider "
        "use across the team something you are already thinking about?",
    },
    "retention": {
        "not_ready": "Understood, and nothing else is on the table until we fix what is not "
        "working. What would need to change for you to feel confident in us again?",
        "budget": "There is nothing to approve; this is about getting things right for you. "
        "Who else on your side should be part of the recovery plan?",
        "more_value": "That is fair, and it is exactly what I want to fix first. What result "
        "would show you we are back on track, and by when?",
        "happy": "I am glad parts of it work well. I still want to understand {gate} properly. "
        "What is the one thing that would make the biggest difference for your team right now?",
    },
    "nurture": {
        "not_ready": "Understood; my focus is on helping the team get the most from what you "
        "have. What would \"ready\" look like for you later on: a result, a budget cycle or a "
        "change in the team?",
        "budget": "Nothing needs approval right now. When the time comes, who would be "
        "involved, and would it help if I prepared the business case for them?",
        "more_value": "That is a fair bar, and I agree with it. What result would show you the "
        "value, and by when? I will help you get there; could we look at it together again "
        "on {revisit}?",
        "happy": "Good to hear. One thing worth a look: {gap}. Is that on your radar?",
    },
}
GATE_FALLBACK: dict[str, str] = {
    "fix_first": "the issue your team raised",
    "re_engage": "it has been a while since we last spoke",
    "adoption": "the product is not used much lately",
    "retention": "what has not been working for you",
    "nurture": "how the team could get more from what you have today",
}
CONCERN_LABELS: dict[str, str] = {
    "price": "price and cost",
    "competitor": "a competitor",
    "security": "security and compliance",
    "bandwidth": "the team's bandwidth",
    "integration": "integration with other systems",
    "value_doubt": "the value delivered so far",
}
# kind -> (answer when an offer is raised, answer when it is held)
CONCERNS: dict[str, tuple[str, str]] = {
    "price": (
        "You mentioned {q}, and that is fair to raise. I would rather show what the current "
        "spend has returned and size {item} against the problem it solves, using your own "
        "numbers. If the total is the issue, would a smaller first step for just the team that "
        "is short today fit better?",
        "You mentioned {q}, and that is fair to raise. Nothing new is on the table now; I want "
        "to make sure what you already have is paying off. Which result would make the current "
        "spend feel clearly worth it?",
    ),
    "competitor": (
        "You mentioned {q}. Comparing is sensible, and I would like to understand what draws "
        "you to the alternative before saying anything more about {item}. What matters most in "
        "that comparison for your team?",
        "You mentioned {q}. Comparing is sensible, and I would rather understand what is "
        "missing for you than argue. What matters most in that comparison for your team?",
    ),
    "security": (
        "You raised {q}, and it deserves a proper answer before anything moves. I can bring our "
        "security documentation and set up a session with our security team. Who on your side "
        "should be part of it?",
        "You raised {q}, and it deserves a proper answer. I can bring our security "
        "documentation and set up a session with our security team. Who on your side should be "
        "part of it?",
    ),
    "bandwidth": (
        "You mentioned {q}, and I do not want to add to the load on your team's time. {item} "
        "only makes sense if it takes work off the team rather than adding to it. Which part "
        "of the work would it help most to take off your plate?",
        "You mentioned {q}, and I do not want to add to the load on your team's time. We can "
        "keep the steps small and do the heavy lifting on our side. Which part of the work "
        "would it help most to take off your plate?",
    ),
    "integration": (
        "You raised {q}. Before {item} goes further, I would like to map exactly which systems "
        "need to connect and bring someone who has done it before. Which system matters most to "
        "get right first?",
        "You raised {q}. I would like to map exactly which systems need to connect and bring "
        "someone who has done it before. Which system matters most to get right first?",
    ),
    "value_doubt": (
        "You mentioned {q}, and I take that seriously. Rather than argue it, I would like to "
        "agree one measurable result and work toward it together before we talk about {item}. "
        "What result would show you the product is paying off?",
        "You mentioned {q}, and I take that seriously. Rather than argue it, I would like to "
        "agree one measurable result and work toward it together. What result would show you "
        "the product is paying off?",
    ),
}


def _revisit(ctx: DraftContext) -> str:
    """Return the decided date to look at it again: the plan's last milestone."""
    last = ctx.facts.calendar[-1] if ctx.facts.calendar else None
    if last is not None and last.milestone_date is not None:
        return last.milestone_date.isoformat()
    return ctx.facts.opening_date.isoformat()


def _role(ctx: DraftContext) -> str:
    """` besides you as <role>` when the contact's role is known and clean."""
    role = ctx.facts.contact_role
    if role and is_clean(role) and len(role.split()) <= 6:
        return f" besides you as {role}"
    return " besides you"


def _common(ctx: DraftContext, key: str) -> str:
    """One of the four common answers, adapted to the account."""
    revisit = _revisit(ctx)
    if ctx.plan_kind != "expansion" or ctx.offer is None:
        plan = ctx.plan_kind if ctx.plan_kind in GATED else "nurture"
        gate = ctx.ev(ctx.primary_gate.detail, strict=True) if ctx.primary_gate else ""
        gap = ctx.customer_ev if plan == "nurture" else ""
        return GATED[plan][key].format(
            gate=gate or GATE_FALLBACK[plan],
            gap=gap or GATE_FALLBACK["nurture"],
            revisit=revisit,
        )
    ev = ctx.customer_ev
    with_ev, without_ev = GAP[ctx.offer.type.value]
    return ctx.pick(f"objection:{key}", EXPANSION[key]).format(
        item=ctx.offer.item,
        why=f" I raised it because of {ev}, but the timing should be yours." if ev else "",
        role=_role(ctx),
        basis=f"{ev} and the results so far" if ev else "the results so far",
        revisit=revisit,
        gap=with_ev.format(ev=ev) if ev else without_ev,
    )


def _concern(ctx: DraftContext, concern: Concern) -> ObjectionAnswer:
    """Write a tailored answer to one concern found in the notes."""
    kind = concern.kind.value
    said = without_names(
        quote(concern.quote, notes=ctx.notes, allowed_dates=ctx.allowed_dates), ctx.avoid
    )
    q = said or f"a concern about {CONCERN_LABELS[kind]}"
    offered, held = CONCERNS[kind]
    if ctx.plan_kind == "expansion" and ctx.offer is not None:
        answer = offered.format(q=q, item=ctx.offer.item)
    else:
        answer = held.format(q=q)
    return ObjectionAnswer(
        key=f"concern:{kind}",
        objection=said.strip('"') if said else f"Concern about {CONCERN_LABELS[kind]}.",
        answer=answer,
        source_quote=concern.quote,
        citations=ctx.cite(ctx.guidance.concerns.get(kind)),
    )


def draft_objections(ctx: DraftContext) -> list[ObjectionAnswer]:
    """Answer the four common objections, then one answer per concern found in the notes."""
    answers = [
        ObjectionAnswer(
            key=key,
            objection=text,
            answer=_common(ctx, key),
            citations=ctx.cite(ctx.guidance.objections.get(key)),
        )
        for key, text in COMMON_OBJECTIONS.items()
    ]
    seen: set[tuple[str, str]] = set()
    for concern in ctx.facts.concerns:
        key = (concern.kind.value, concern.quote)
        if key not in seen:
            seen.add(key)
            answers.append(_concern(ctx, concern))
    return answers
