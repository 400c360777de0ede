"""LLM-as-judge (llm mode, ``--judge``): tone, helpfulness and grounding of a brief.

Reported apart from the deterministic rubric: one structured-output call per
criterion, each with its own pydantic schema whose field descriptions are the
instructions, ``reasoning`` before ``score`` so the model argues before it grades.
The prompt is ``prompts/judge.md``; the notes go in fenced and redacted like
every other prompt's.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from pydantic import BaseModel, Field

from playbook.agent.llm.client import LLMError
from playbook.agent.llm.prompting import facts_view
from playbook.agent.llm.safety import wrap_notes
from playbook.prompts import load_prompt

if TYPE_CHECKING:
    from playbook.agent.services import Services
    from playbook.tools.models.brief import Brief

__all__ = ["JUDGES", "JudgeScore", "JudgeStats", "judge_brief"]


class ToneJudgement(BaseModel):
    """Tone: a trusted advisor noticing something, not a sales call."""

    reasoning: str = Field(
        description="Write this first. In 2-4 sentences, judge the tone of the script, the "
        "offer rationale and the objection answers: quote the words that read as a trusted "
        "advisor (noticing, curious, specific, respectful of the customer's time) and any that "
        "read as a sales pitch (hype, flattery, urgency, pushing the product, pressure)."
    )
    score: float = Field(
        description="Write this after the reasoning: a number from 0.0 to 1.0. 1.0 = reads "
        "entirely as a trusted advisor; 0.7 = advisor-like with a salesy phrase or two; 0.4 = "
        "noticeably salesy; 0.0 = a hard sales pitch or pressure."
    )


class HelpfulnessJudgement(BaseModel):
    """Helpfulness: specific and actionable for the customer success manager."""

    reasoning: str = Field(
        description="Write this first. In 2-4 sentences, judge whether a customer success "
        "manager could act on this brief tomorrow: a clear next step, a named person to talk "
        "to, a concrete ask, answers they could say out loud, a dated plan. Quote what is "
        "specific and what is generic filler."
    )
    score: float = Field(
        description="Write this after the reasoning: a number from 0.0 to 1.0. 1.0 = specific "
        "and immediately actionable throughout; 0.5 = usable but partly generic; 0.0 = generic "
        "advice that fits any account."
    )


class GroundingJudgement(BaseModel):
    """Grounding: the prose rests on this account's own evidence."""

    reasoning: str = Field(
        description="Write this first. In 2-4 sentences, compare the brief with the DECIDED "
        "FACTS and the ACCOUNT NOTES: quote the account-specific evidence it uses (numbers, "
        "dates, quotes, names) and anything it states that neither source supports."
    )
    score: float = Field(
        description="Write this after the reasoning: a number from 0.0 to 1.0. 1.0 = every "
        "claim rests on the account's facts or notes and the key evidence is used; 0.5 = "
        "grounded but thin, or one unsupported claim; 0.0 = invented or contradicting the facts."
    )


JUDGES: dict[str, tuple[str, type[BaseModel]]] = {
    "tone": ("tone: a trusted advisor, not salesy", ToneJudgement),
    "helpfulness": ("helpfulness: specific and actionable", HelpfulnessJudgement),
    "grounding": ("grounding: uses the account's own evidence", GroundingJudgement),
}


class JudgeScore(BaseModel):
    """One criterion's judgement of one brief."""

    criterion: str
    score: float | None
    reasoning: str = ""
    error: str | None = None
    prompt_tokens: int = 0
    completion_tokens: int = 0


class JudgeStats(BaseModel):
    """One criterion's judgements over the suite."""

    criterion: str
    scores: list[float] = Field(default_factory=list)
    errors: int = 0

    @property
    def n(self) -> int:
        """How many briefs were scored."""
        return len(self.scores)

    @property
    def mean(self) -> float | None:
        """The mean score (None when nothing was scored)."""
        return sum(self.scores) / len(self.scores) if self.scores else None


def brief_text(brief: Brief) -> str:
    """The prose of a brief as the judge reads it."""
    parts = [
        f"SUMMARY: {brief.summary}",
        f"OFFER MAP ({brief.offer_map.item or 'held'}): {brief.offer_map.rationale}",
    ]
    if brief.offer_map.first_steps:
        parts.append(f"FIRST STEPS: {brief.offer_map.first_steps}")
    parts.append(f"WHY NOW: {brief.trigger_log.why_now}")
    parts.append(f"OPENING SCRIPT:\n{brief.script.text}")
    parts.append("OBJECTION ANSWERS:")
    parts += [f"- {o.objection} -> {o.answer}" for o in brief.objections]
    notes = [f"- week {w.week}: {w.note}" for w in brief.calendar if w.note]
    if notes:
        parts += ["CALENDAR NOTES:", *notes]
    return "\n".join(parts)


def judge_brief(brief: Brief, notes: str | None, services: Services) -> list[JudgeScore]:
    """Score one brief on every judge criterion (one LLM call each)."""
    ctx = services.settings
    template = load_prompt("judge")
    chat = services.get_chat()
    facts = json.dumps(facts_view(brief.facts), ensure_ascii=False, separators=(",", ":"))
    text = brief_text(brief)
    fenced = wrap_notes(notes, redact_pii=ctx.redact)
    out = []
    for criterion, (label, schema) in JUDGES.items():
        messages = template.format_messages(
            criterion=criterion, criterion_label=label, facts_json=facts, notes=fenced, brief=text
        )
        try:
            call = chat.call(
                schema,
                messages,
                method=ctx.structured_output,
                task=f"judge_{criterion}",
                model_name=ctx.model_label,
            )
        except LLMError as exc:
            out.append(JudgeScore(criterion=criterion, score=None, error=str(exc)))
            continue
        parsed = call.parsed
        score = min(1.0, max(0.0, float(getattr(parsed, "score", 0.0))))
        out.append(
            JudgeScore(
                criterion=criterion,
                score=score,
                reasoning=str(getattr(parsed, "reasoning", "")),
                prompt_tokens=call.usage.prompt_tokens,
                completion_tokens=call.usage.completion_tokens,
            )
        )
    return out
