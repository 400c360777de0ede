"""Test doubles for the agent: a scripted chat model, a retriever, a drafter, a rubric.

Loaded by the agent tests with `load_fakes()` (tests/ is not a package). Everything
here is deterministic and offline.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Sequence
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from langchain_core.runnables import Runnable, RunnableLambda
from pydantic import BaseModel, Field

from playbook.agent.context import AgentContext
from playbook.agent.llm.safety import INJECTION_RE
from playbook.agent.runner import BriefAgent
from playbook.agent.services import Services
from playbook.knowledge import Chunk, Guidance
from playbook.tools.models.account import Account, CatalogItem
from playbook.tools.models.assessment import Assessment
from playbook.tools.models.brief import (
    Brief,
    CalendarWeek,
    GuidanceNote,
    ObjectionAnswer,
    OfferMapEntry,
    Script,
    TriggerLogEntry,
)
from playbook.tools.models.findings import NoteFinding, NoteFindings
from playbook.tools.rubric.report import CriterionResult, RubricReport
from playbook.tools.vocab import COMMON_OBJECTIONS, OfferType, RelationshipStatus

AS_OF = dt.date(2026, 5, 20)
# fmt: off
CATALOG = [
    CatalogItem(id="seats", name="Additional seats", type=OfferType.CAPACITY, price=300,
                price_unit="per seat / year", unit="seats"),
    CatalogItem(id="enterprise", name="Enterprise plan", type=OfferType.TIER_UPGRADE,
                target_plan="Enterprise", features=["SSO", "audit log"]),
    CatalogItem(id="multi", name="Two-year renewal", type=OfferType.MULTI_YEAR),
]


def make_account(account_id: str = "A-1", **changes: Any) -> Account:
    """A healthy account near its seat limit (capacity offer, usage-ceiling trigger)."""
    data: dict[str, Any] = dict(
        account_id=account_id, account_name=f"Acme {account_id}", contact_name="Dana Reyes",
        contact_role="VP Operations", plan="Team", arr=24000,
        relationship_status=RelationshipStatus.HEALTHY, seats_purchased=30, seats_used=28,
        active_users=28, logins_per_month=40, renewal_date=dt.date(2026, 9, 1), nps=9,
        nps_date=dt.date(2026, 5, 1), last_contact_date=dt.date(2026, 5, 10), open_tickets_high=0,
        notes="Call 2026-05-12: Dana said the team hit 28 of 30 seats and loves the dashboards.",
    )
    return Account(**(data | changes))


def fake_extract(text: str, *, as_of: dt.date, notes_date: dt.date | None = None) -> NoteFindings:
    """A tiny deterministic extractor: seat ratios and feature asks."""
    found = [
        NoteFinding(category="fact", name="usage_ratio", quote=m.group(0),
                    values={"used": int(m.group(1)), "capacity": int(m.group(2)),
                            "ratio": int(m.group(1)) / int(m.group(2))})
        for m in re.finditer(r"(\d+) of (\d+) seats", text)
    ] + [
        NoteFinding(category="signal", name="asked_missing_features", quote=m.group(0),
                    values={"features": [m.group(1).strip()]})
        for m in re.finditer(r"asked about ([A-Za-z ]+)", text)
    ]
    return NoteFindings(findings=found)
# fmt: on


def _chunk(cid: str, kind: str, title: str, text: str) -> Chunk:
    return Chunk(id=cid, topic=cid.split("#")[0], kind=kind, title=title, text=text)


class FakeRetriever:
    """Deterministic guidance: one chunk per part of the situation."""

    def __init__(self) -> None:
        self.calls: list[tuple[Any, ...]] = []

    def for_situation(
        self,
        offer_type: str | None,
        trigger_type: str | None,
        gates: tuple[str, ...] = (),
        objections: tuple[str, ...] = tuple(COMMON_OBJECTIONS),
        concerns: tuple[str, ...] = (),
    ) -> Guidance:
        self.calls.append((offer_type, trigger_type, gates, objections, concerns))
        # fmt: off
        return Guidance(
            offer=_chunk(f"offer-{offer_type}#fit", "offer", "Why it fits",
                         "Tie the offer to the customer's evidence.") if offer_type else None,
            trigger=_chunk(f"trigger-{trigger_type}#open", "trigger", "How to open",
                           "Open on what you noticed, then ask.") if trigger_type else None,
            gates={g: _chunk(f"gate-{g}#first", "gate", "First", "Fix this first.") for g in gates},
            objections={o: _chunk(f"objection-{o}#answer", "objection", "Answer",
                                  "Ask what would help.") for o in objections},
            concerns={c: _chunk(f"concern-{c}#answer", "concern", "Answer", "Acknowledge it.")
                      for c in concerns},
            calendar=_chunk("calendar#plan", "calendar", "Plan", "Week by week to a close."),
        )
        # fmt: on


def fake_draft_offline(
    facts: Assessment, guidance: Guidance, *, notes: str | None = None, avoid: Any = ()
) -> Brief:
    """A valid offline brief for any facts (passes `FakeRubric`)."""
    ids = list(guidance.all_ids())
    first = (facts.contact_name or "there").split()[0]
    offer = facts.offer or facts.held_offer
    gated = facts.offer is None
    evidence = (
        facts.trigger.evidence
        if facts.trigger
        else (facts.gates[0].evidence if facts.gates else "your recent results")
    )
    if gated:
        script = f"Hi {first}, I wanted to check in on {evidence}. Could we take 20 minutes?"
    else:
        script = (
            f"Hi {first}, I noticed {evidence}. {offer.item if offer else ''} could keep "
            "the team moving. Could we find 20 minutes next week?"
        )
    concerns: dict[str, str] = {}
    for c in facts.concerns:
        concerns.setdefault(c.kind.value, c.quote)
    # fmt: off
    objections = [
        ObjectionAnswer(key=k, objection=text, citations=ids[:1],
                        answer="Understood. What would make it the right time for you?")
        for k, text in COMMON_OBJECTIONS.items()
    ] + [
        ObjectionAnswer(key=f"concern:{kind}", objection=quote, source_quote=quote,
                        answer=f'You said "{quote}". What would settle it?', citations=ids[:1])
        for kind, quote in concerns.items()
    ]
    # fmt: on
    return Brief(
        facts=facts,
        summary=f"{facts.account_name}: {facts.readiness_score}/64, {facts.tier_label}.",
        offer_map=OfferMapEntry(
            offer_type=facts.offer.type.value if facts.offer else None,
            item=facts.offer.item if facts.offer else None,
            rationale=facts.offer.why if facts.offer else (facts.offer_note or "Nothing to pitch."),
            evidence=facts.offer.evidence if facts.offer else [],
            held=gated,
            first_steps=facts.offer_note if gated else None,
            citations=ids[:1],
        ),
        trigger_log=TriggerLogEntry(
            trigger_type=facts.trigger.type.value if facts.trigger else None,
            date=facts.trigger.date if facts.trigger else None,
            evidence=facts.trigger.evidence if facts.trigger else None,
            why_now="It is the freshest sign of need.",
        ),
        script=Script(
            kind=facts.trigger.type.value if facts.trigger else facts.plan_kind,
            text=script,
            citations=ids[:2],
        ),
        objections=objections,
        calendar=[CalendarWeek(**s.model_dump()) for s in facts.calendar],
        guidance=[
            GuidanceNote(chunk_id=c.id, title=c.title, text=c.text) for c in guidance.chunks()
        ],
        provenance={},
        mode="offline",
    )


_NUM = re.compile(r"\d+(?:\.\d+)?")


class FakeRubric:
    """A small rubric: grounded numbers, one offer, discounts, injection, citations."""

    def __init__(self) -> None:
        self.calls = 0

    def check(
        self,
        brief: Brief,
        *,
        catalog: Sequence[CatalogItem],
        retrieved_ids: Sequence[str],
        notes: str | None = None,
    ) -> RubricReport:
        self.calls += 1
        facts = brief.facts
        allowed_text = json.dumps(facts.model_dump(mode="json")) + (notes or "") + " 20 30 64"
        allowed = set(_NUM.findall(allowed_text))
        prose = {
            "offer_map": brief.offer_map.rationale,
            "trigger_log": brief.trigger_log.why_now,
            "script": brief.script.text,
            "objections": " ".join(o.answer for o in brief.objections),
            "calendar": " ".join(w.note or "" for w in brief.calendar),
            "summary": brief.summary,
        }
        out: list[CriterionResult] = []
        for section, text in prose.items():
            stray = [n for n in _NUM.findall(text) if n not in allowed]
            if stray:
                out.append(
                    failure("numbers_grounded", f"{section}: {stray}", section)
                )
            if INJECTION_RE.search(text):
                out.append(failure("injection_ignored", section, section))
            if re.search(r"\d+\s?% (?:discount|off)", text):
                out.append(
                    failure("no_unallowed_discount", section, section)
                )
            chosen = facts.offer or facts.held_offer
            others = [c.name for c in catalog if not chosen or c.name != chosen.item]
            if any(name in text for name in others):
                out.append(failure("one_offer", section, section))
        if f"{facts.readiness_score}/64" not in brief.summary:
            out.append(failure("facts_unchanged", "summary", "summary"))
        cited = [*brief.script.citations, *brief.offer_map.citations]
        if any(c not in retrieved_ids for c in cited):
            out.append(failure("citations", "unknown id", "script"))
        return RubricReport(results=out)


def failure(criterion: str, detail: str, section: str) -> CriterionResult:
    """One failed hard criterion, naming the section to redo."""
    return CriterionResult(id=criterion, hard=True, passed=False, detail=detail, sections=[section])


def request_key(messages: Sequence[tuple[str, str]] | Sequence[BaseMessage]) -> tuple[str, str]:
    """(task, account id) of a prompt: its `Task:` line and the account in the user part."""
    texts = [m[1] if isinstance(m, tuple) else str(m.content) for m in messages]
    joined = "\n".join(texts)
    task = re.search(r"^Task: (\w+)", texts[0], re.MULTILINE)
    account = re.search(r'"account_id":"([^"]+)"', joined) or re.search(
        r"^Account: .*\(([^()]+)\)$", joined, re.MULTILINE
    )
    return (task.group(1) if task else "?", account.group(1) if account else "?")


Scripted = dict[str, Any] | Callable[[list[BaseMessage]], dict[str, Any]]


class ScriptedChatModel(BaseChatModel):
    """Returns scripted structured outputs per task (``draft``, ``draft:A-1``...), in order."""

    scripts: dict[str, list[Any]] = Field(default_factory=dict)
    with_usage: bool = True
    calls: list[tuple[str, str, list[BaseMessage]]] = Field(default_factory=list)

    @property
    def _llm_type(self) -> str:
        return "scripted-fake"

    def _next(self, messages: list[BaseMessage]) -> dict[str, Any]:
        task, account = request_key(messages)
        self.calls.append((task, account, messages))
        queue = self.scripts.get(f"{task}:{account}") or self.scripts.get(task)
        if not queue:
            raise AssertionError(f"no scripted output for {task}:{account}")
        item = queue.pop(0) if len(queue) > 1 else queue[0]
        return item(messages) if callable(item) else item

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        content = json.dumps(self._next(messages))
        usage = None
        if self.with_usage:
            prompt = sum(len(str(m.content)) for m in messages) // 4
            usage = {
                "input_tokens": prompt,
                "output_tokens": len(content) // 4,
                "total_tokens": prompt + len(content) // 4,
            }
        message = AIMessage(content=content, usage_metadata=usage)
        return ChatResult(generations=[ChatGeneration(message=message)])

    def with_structured_output(  # type: ignore[override]
        self, schema: type[BaseModel], *, include_raw: bool = False, **kwargs: Any
    ) -> Runnable[Any, Any]:
        def run(messages: Any) -> Any:
            raw = self.invoke(messages)
            parsed = schema.model_validate_json(str(raw.content))
            return {"raw": raw, "parsed": parsed, "parsing_error": None} if include_raw else parsed

        return RunnableLambda(run)


def prose(
    script: str = "Hi Dana, your team is at 28 of 30 seats. Additional seats keep everyone in. "
    "Could we find 20 minutes next week?",
    **changes: Any,
) -> dict[str, Any]:
    """A scripted DraftProseOut that passes `FakeRubric` for `make_account()`."""
    out: dict[str, Any] = {
        "offer_rationale": "They use 28 of 30 seats, so Additional seats fit.",
        "why_now": "Seats are nearly full.",
        "script": script,
        "objection_answers": [
            {"key": k, "answer": "That makes sense. What would need to be true first?"}
            for k in COMMON_OBJECTIONS
        ],
        "calendar_notes": [{"week": 1, "note": "Open with the seat numbers."}],
        "citations": ["offer-capacity#fit", "trigger-usage_ceiling#open"],
    }
    out.update(changes)
    return out


def extraction(*findings: dict[str, Any]) -> dict[str, Any]:
    """A scripted Extraction output."""
    return {
        "findings": [
            {
                "category": "signal",
                "name": "asked_missing_features",
                "quote": "",
                "date": None,
                "value": None,
            }
            | f
            for f in findings
        ]
    }


# --- graph test helpers -----------------------------------------------------------------


class Counting:
    """Wrap a callable and count its calls."""

    def __init__(self, fn: Any) -> None:
        self.fn, self.calls = fn, 0

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self.calls += 1
        return self.fn(*args, **kwargs)


def fake_services(
    mode: str = "offline", model: Any = None, *, catalog: Any = "default", drafter: Any = None,
    **ctx: Any,
) -> Services:
    """Services with every part faked (scripted model in LLM modes); ``ctx`` sets settings."""
    rubric = FakeRubric()
    settings = AgentContext(
        mode=mode, api_key="sk-test" if mode == "openai" else None, as_of=AS_OF, **ctx
    )
    return Services(
        settings=settings, retriever=FakeRetriever(), chat_model=model, extractor=fake_extract,
        drafter=drafter or fake_draft_offline, checker=rubric.check,
        catalog=CATALOG if catalog == "default" else catalog,
    )


def fake_agent(*args: Any, **kwargs: Any) -> BriefAgent:
    """A `BriefAgent` on `fake_services`, checkpointed as the settings say (memory by default)."""
    return BriefAgent.open(fake_services(*args, **kwargs))


def scripted(**scripts: list[Any]) -> ScriptedChatModel:
    """A scripted model answering each task with its list of outputs, in order."""
    return ScriptedChatModel(scripts=dict(scripts))
