"""The opening script: one per trigger type, or a no-pitch conversation for gated plans."""

from __future__ import annotations

from playbook.agent.drafter.context import DraftContext
from playbook.agent.drafter.text import before_pitch, has_pitch, word_count
from playbook.tools.models.assessment import Offer
from playbook.tools.models.brief import Script

__all__ = ["MAX_WORDS", "draft_script"]

MAX_WORDS = 160

NOTICE: dict[str, tuple[str, ...]] = {
    "success_moment": (
        "Congratulations on the result your team reported{on}: {ev}.",
        "I saw the win you shared{on}: {ev}. Well done to you and the team.",
        "Well done on the result{on}: {ev}.",
    ),
    "usage_ceiling": (
        "A quick heads-up from someone watching your account: {ev}.",
        "While preparing our next check-in I noticed where usage stands: {ev}.",
        "I wanted to flag something early, before it gets in your way: {ev}.",
    ),
    "team_growth": (
        "Congratulations on the growth on your side{on}: {ev}.",
        "I noticed your team has grown{on}: {ev}.",
        "It is great to see the team growing{on}: {ev}.",
    ),
    "new_initiative": (
        "You mentioned a new initiative{on}: {ev}.",
        "I have been thinking about the project you shared{on}: {ev}.",
        "The initiative you told us about{on} caught my attention: {ev}.",
    ),
    "renewal_ahead": (
        "Your renewal is coming up ({ev}), and I would rather use it to look back at the year "
        "with you than send a notice.",
        "Ahead of your renewal ({ev}), I would like to take stock of what your team achieved "
        "this year.",
    ),
    "onboarding_complete": (
        "Congratulations on finishing onboarding{on}: {ev}.",
        "Your team is live{on}, and it shows: {ev}.",
    ),
    "champion_event": (
        "Congratulations on the news{on}: {ev}.",
        "I heard the news{on} and wanted to congratulate you: {ev}.",
    ),
    "org_change": (
        "I heard about the change on your side{on}: {ev}.",
        "Thank you for telling us about the change{on}: {ev}.",
    ),
    "budget_cycle": (
        "I understand planning is starting on your side{on}: {ev}.",
        "You mentioned your budget planning{on}: {ev}.",
    ),
    "product_launch": (
        "You told us{on}: {ev}.",
        "I remembered what you shared with us{on}: {ev}.",
    ),
    "check_in": (
        "I was looking at how your team uses the product and noticed {ev}.",
        "While preparing our next check-in I noticed {ev}.",
    ),
}
NEUTRAL: dict[str, str] = {
    "success_moment": "Congratulations on the result your team reported{on}.",
    "usage_ceiling": "A quick heads-up from someone watching your account: usage is close to "
    "what you have today.",
    "team_growth": "Congratulations on the growth of your team{on}.",
    "new_initiative": "You mentioned a new initiative{on}, and it caught my attention.",
    "renewal_ahead": "Your renewal is coming up{on}, and I would like to look back at the year "
    "with you first.",
    "onboarding_complete": "Congratulations on finishing onboarding{on}.",
    "champion_event": "Congratulations on the news you shared{on}.",
    "org_change": "I heard about the change on your side{on}.",
    "budget_cycle": "I understand planning is starting on your side{on}.",
    "product_launch": "I remembered the need you shared with us{on}.",
    "check_in": "I wanted to check in on how things are going on your side.",
}
COLOR: dict[str, str] = {
    "success_moment": "That is a result worth sharing with your leadership.",
    "usage_ceiling": "At the limit, work starts to queue or people share logins, and I would "
    "rather you never hit that point.",
    "team_growth": "New people ramp fastest when access and onboarding are ready from the start.",
    "new_initiative": "Projects like this go better when the tooling questions are settled early.",
    "renewal_ahead": "Your team has put real work into this, and it deserves a proper review.",
    "onboarding_complete": "Thank you to everyone on your side who made the rollout work.",
    "champion_event": "You played a big part in making the product work for your team.",
    "org_change": "I would like to hear how it affects you and the team.",
    "budget_cycle": "I would like to help you plan, not sell.",
    "product_launch": "Something we released recently answers exactly that need.",
    "check_in": "It made me think about what your team will need next.",
}
PURPOSE: dict[str, str] = {
    "success_moment": "to look at where this could go next",
    "usage_ceiling": "to look at your growth plans and size it together, rather than me "
    "sending a quote",
    "team_growth": "to hear how the new people will work and what they will need",
    "new_initiative": "to understand the project's requirements before I suggest anything",
    "renewal_ahead": "to look back at the year and plan the next one",
    "onboarding_complete": "to review the first results and plan the next phase",
    "champion_event": "to hear your priorities in the new scope",
    "org_change": "to understand the new structure and how we can support it",
    "budget_cycle": "so you have figures you can drop straight into the budget request",
    "product_launch": "for a short preview on your own use case",
    "check_in": "to compare notes on where your team is heading",
}
BENEFIT: dict[str, tuple[str, ...]] = {
    "capacity": (
        "{item} would give the team headroom, so growth on your side does not turn into "
        "waiting for access.",
        "Sizing {item} ahead of the limit would keep new people working from the first day "
        "instead of sharing logins.",
    ),
    "tier_upgrade": (
        "{item} is built for that next step, so the team could stop working around the "
        "current plan.",
        "The features in {item} would let the team do this without workarounds.",
    ),
    "multi_year": (
        "A multi-year agreement through {item} would lock in what is working and give you "
        "rate certainty.",
        "{item} would keep this going without a renewal decision every year, with rates you "
        "can plan on.",
    ),
    "cross_sell": (
        "{item} is designed for exactly that kind of need, and it builds on what already "
        "works for your team.",
        "{item} could take that on, with the same team and support you already know.",
    ),
    "professional_services": (
        "{item} could help your team get there faster, with our specialists taking on the "
        "heavy lifting.",
        "With {item}, our team could take the setup work off your plate so the project keeps "
        "its pace.",
    ),
}
ASK: tuple[str, ...] = (
    "Could we take {m} minutes {when} {purpose}?",
    "Would {m} minutes {when} work {purpose}?",
    "Do you have {m} minutes {when} {purpose}?",
)
WHEN: tuple[str, ...] = ("next week", "in the coming days", "this week or next")

# Gated plans: (notice from data, notice from notes, neutral notice, follow-up, ask).
GATED: dict[str, tuple[str, str, str, str, tuple[str, ...]]] = {
    "fix_first": (
        "I saw {ev} on your account, and I want to make sure the problem is fixed properly "
        "before anything else.",
        "You mentioned {ev}, and I want to make sure the problem is fixed properly before "
        "anything else.",
        "I know there is an open issue on your side, and I want to make sure it gets fixed "
        "properly before anything else.",
        "I would like to confirm who owns the fix on our side and when you should see it "
        "resolved.",
        (
            "Could we take 20 minutes this week to go through where it stands and what you "
            "need from us?",
            "Would 20 minutes in the next few days work to walk through the fix and what you "
            "need from us?",
        ),
    ),
    "re_engage": (
        "It has been a while since we last spoke ({ev}), and I would rather hear how things "
        "are going than guess.",
        "You mentioned {ev}, and I would like to reconnect properly.",
        "It has been a while since we last spoke, and I would rather hear how things are "
        "going than guess.",
        "I can also share what similar teams have been doing with the product lately, in case "
        "some of it is useful.",
        (
            "Would 20 minutes in the next couple of weeks work to catch up on your goals and "
            "what has changed on your side?",
            "Could we find 20 minutes soon to catch up on your goals and what has changed on "
            "your side?",
        ),
    ),
    "adoption": (
        "I noticed the account shows about {ev}, which usually means something is getting "
        "in the way.",
        "You mentioned {ev}, which usually means something is getting in the way.",
        "I noticed the product is not being used much lately, which usually means something "
        "is getting in the way.",
        "I would like to help make it part of your team's routine, with training or setup "
        "where it helps.",
        (
            "Could we take 30 minutes to look at what your team needs day to day and remove "
            "whatever blocks regular use?",
            "Would 30 minutes next week work to look at your team's daily work and what "
            "blocks regular use?",
        ),
    ),
    "retention": (
        "Our account review shows {ev}, and I would rather hear directly from you what is "
        "not working than guess.",
        "You mentioned {ev}, and I take that seriously.",
        "I have the sense we have not been getting everything right for you lately, and I "
        "would rather hear it directly than guess.",
        "My only goal right now is to get things right for you.",
        (
            "Could we take 30 minutes this week to go through what is not working and agree "
            "what we fix first?",
            "Would 30 minutes in the next few days work to talk through what is not working "
            "and what we fix first?",
        ),
    ),
    "nurture": (
        "",
        "",
        "I wanted to check in on how things are going on your side.",
        "I would like to make sure your team gets the most out of what you already have.",
        (
            "Could we take 20 minutes to check in on your goals and how the team uses the "
            "product?",
            "Would 20 minutes next week work to talk about your goals and how the team uses "
            "the product?",
        ),
    ),
}


def _assemble(greeting: str, required: list[str], optional: list[str], ask: str) -> str:
    """Greeting, sentences and the ask; optional sentences go first when over length."""
    opening, rest = required[0], required[1:]
    extras = list(optional)
    while True:
        text = greeting + "\n\n" + " ".join([opening, *extras, *rest, ask])
        if word_count(text) <= MAX_WORDS or not extras:
            return text
        extras.pop()


def _trigger_notice(ctx: DraftContext, kind: str) -> str:
    """Write the sentence that names the trigger's evidence (or the top signal for a check-in)."""
    ev = ctx.top_ev if kind == "check_in" else ctx.trigger_ev
    if ev:
        template = ctx.pick(f"notice:{kind}", NOTICE[kind])
        return template.format(ev=ev, on=ctx.trigger_on)
    return NEUTRAL[kind].format(on=ctx.trigger_on)


def _expansion(ctx: DraftContext, offer: Offer) -> tuple[str, str]:
    """Write an opening that names the evidence, connects it to the offer and asks for time."""
    trigger = ctx.facts.trigger
    kind = trigger.type.value if trigger else "check_in"
    benefit = ctx.pick("benefit", BENEFIT[offer.type.value]).format(item=offer.item)
    minutes = "30" if kind == "renewal_ahead" else ctx.pick("minutes", ("20", "25"))
    when = (
        f"in the week of {ctx.facts.opening_date.isoformat()}"
        if ctx.shifted
        else ctx.pick("when", WHEN)
    )
    ask = ctx.pick("ask", ASK).format(m=minutes, when=when, purpose=PURPOSE[kind])
    notice = _trigger_notice(ctx, kind)
    text = _assemble(ctx.greeting, [notice, benefit], [COLOR[kind]], ask)
    return text, kind


def _gated_notice(ctx: DraftContext, neutral: bool, trimmed: bool = False) -> str:
    """Write the sentence naming the gate's evidence (nurture: the trigger or top signal).

    `trimmed` keeps only the part of the evidence before a pitch word (e.g. "price").
    """
    data_form, notes_form, neutral_form, _, _ = GATED[ctx.plan_kind]
    if ctx.plan_kind == "nurture":
        trigger = ctx.facts.trigger
        if trigger is not None:
            kind = trigger.type.value
            if neutral or not ctx.trigger_ev:
                return NEUTRAL[kind].format(on=ctx.trigger_on)
            return _trigger_notice(ctx, kind)
        return _trigger_notice(ctx, "check_in") if ctx.top_ev and not neutral else neutral_form
    gate = ctx.primary_gate
    ev = "" if neutral or gate is None else ctx.ev(gate.detail)
    if ev and trimmed:
        ev = before_pitch(ev)
    if not ev:
        return neutral_form
    return (notes_form if gate is not None and gate.source == "notes" else data_form).format(ev=ev)


def _gated(ctx: DraftContext) -> tuple[str, str]:
    """Write a no-pitch conversation for the replacement plan."""
    _, _, _, follow, asks = GATED[ctx.plan_kind]
    ask = ctx.pick("gated-ask", asks)
    text = ""
    for neutral, trimmed in ((False, False), (False, True), (True, False)):
        text = _assemble(ctx.greeting, [_gated_notice(ctx, neutral, trimmed)], [follow], ask)
        if not has_pitch(text):
            break
    return text, ctx.plan_kind


def draft_script(ctx: DraftContext) -> Script:
    """Draft the opening for the decided trigger, or the gated plan's first conversation."""
    if ctx.plan_kind == "expansion" and ctx.offer is not None:
        text, kind = _expansion(ctx, ctx.offer)
        shift = ctx.guidance.gates.get("quarter_end") if ctx.shifted else None
        citations = ctx.cite(ctx.guidance.trigger, shift)
    else:
        text, kind = _gated(ctx)
        citations = ctx.cite(ctx.guidance.trigger, ctx.gate_chunk)
    return Script(kind=kind, text=text, citations=citations)
