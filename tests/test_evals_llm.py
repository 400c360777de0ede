"""The llm-mode eval and the LLM judge, offline, with a scripted chat model.

No eval cassettes exist (tests/cassettes holds the agent's chat and batch
scenarios), so the chat model is `tests/fakes.ScriptedChatModel` injected through
`Services(chat_model=...)`: it answers the agent's extract and draft calls and the
judge's calls from the prompts it is sent, with token usage like a provider's.
"""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path
from typing import Any

import pytest

from playbook.agent.context import AgentContext
from playbook.agent.services import Services
from playbook.evals.cases import load_cases
from playbook.evals.judge import JUDGES
from playbook.evals.report import markdown, write_report
from playbook.evals.results import EvalReport
from playbook.evals.runner import EvalConfigError, run_eval

CASES = ["messy-quantapay-p1", "sig-usage-80-exact", "con-price"]
CONCERN_WORDS = {
    "price": "the price",
    "competitor": "the alternatives you are comparing",
    "security": "security",
    "bandwidth": "your team's time",
    "integration": "the integration",
    "value_doubt": "the value",
}


fakes = importlib.import_module("fakes")


def draft_from_prompt(messages: list[Any]) -> dict[str, Any]:
    """A plausible DraftProseOut written from the decided facts in the draft prompt."""
    user = str(messages[-1].content)
    facts = json.loads(user.split("FACTS (decided by code, JSON):\n", 1)[1].split("\n", 1)[0])
    block = user.split("OBJECTIONS", 1)[1].split("GUIDANCE", 1)[0]
    keys = re.findall(r"^- ([\w:]+): ", block, re.MULTILINE)
    ids = re.findall(r"^\[([^\]]+)\]", user, re.MULTILINE)
    name = facts["contact"]["first_name"] or "team"
    offer = facts["offer"]
    if offer is None:
        evidence = facts["gates"][0]["evidence"] if facts["gates"] else "how your team works"
        script = (
            f"Hi {name}, I saw {evidence}. I would like to understand what would help most "
            "right now. Could we take 20 minutes next week to go through it together?"
        )
        rationale = "Nothing is pitched until what must come first is settled."
    else:
        evidence = facts["trigger"]["evidence"] if facts["trigger"] else offer["why"]
        script = (
            f"Hi {name}, I noticed {evidence}. {offer['item']} could keep the team moving "
            "without waiting. Could we take 20 minutes next week to look at it together?"
        )
        rationale = f"{offer['item']} fits the evidence: {evidence}."
    answers = []
    for key in keys:
        if key.startswith("concern:"):
            topic = CONCERN_WORDS.get(key.split(":", 1)[1], "that")
            text = f"Thank you for raising {topic}; it matters. What would settle it for you?"
        else:
            text = "That makes sense. What would need to be true for the timing to feel right?"
        answers.append({"key": key, "answer": text})
    return {
        "offer_rationale": rationale,
        "why_now": "It is the freshest sign of what the team needs.",
        "script": script,
        "objection_answers": answers,
        "calendar_notes": [],
        "citations": ids[:2],
    }


def judge_output(score: float) -> dict[str, Any]:
    return {"reasoning": "It names the account's own evidence and asks for a short call.",
            "score": score}  # fmt: skip


QUANTAPAY_TEAM = {
    "quote": "two analysts start in December",
    "date": "2026-11-19",
    "value": None,
}


def scripted_model(judge_scores: dict[str, Any] | None = None) -> Any:
    scripts: dict[str, list[Any]] = {
        "extract": [{"findings": []}],
        "extract:messy-quantapay-p1": [
            fakes.extraction(
                {"category": "signal", "name": "team_grew", **QUANTAPAY_TEAM},
                {"category": "trigger", "name": "team_growth", **QUANTAPAY_TEAM},
            )
        ],
        "draft": [draft_from_prompt],
        "revise": [draft_from_prompt],
    }
    for criterion in JUDGES:
        value = (judge_scores or {}).get(criterion, judge_output(0.8))
        scripts[f"judge_{criterion}"] = [value]
    return fakes.ScriptedChatModel(scripts=scripts)


def llm_services(model: Any) -> Services:
    ctx = AgentContext(
        mode="openai",
        api_key="sk-test-dummy",
        base_url="https://api.openai.com/v1",
        interactive=False,
        max_retries=0,
    )
    return Services(settings=ctx, chat_model=model)


@pytest.fixture(scope="module")
def llm_report() -> EvalReport:
    suite = load_cases().select(CASES)
    return run_eval(suite, mode="llm", services=llm_services(scripted_model()), judge=True)


def test_llm_mode_runs_the_agent_with_the_model_and_counts_tokens(llm_report: EvalReport) -> None:
    assert llm_report.mode == "llm" and llm_report.agent_mode == "openai"
    assert llm_report.model == "gpt-4o-mini"
    tokens = llm_report.tokens
    assert tokens is not None
    # two cases with notes make an extract call; every case makes a draft call
    assert tokens.llm_calls >= 5
    assert tokens.prompt_tokens > 0 and tokens.completion_tokens > 0
    assert tokens.cost_usd is not None and tokens.cost_usd > 0
    assert all(c.llm_calls >= 1 and c.error is None for c in llm_report.cases)


def test_llm_findings_are_scored_and_can_move_facts(llm_report: EvalReport) -> None:
    case = next(c for c in llm_report.cases if c.id == "messy-quantapay-p1")
    assert "signal:team_grew" in case.found and case.missed == []
    assert case.facts_ok
    assert llm_report.extraction["signal:team_grew"].recall == 1.0


def test_llm_mode_briefs_are_rechecked_and_gated(llm_report: EvalReport) -> None:
    assert llm_report.briefs_passing.rate == 1.0
    assert llm_report.agent_agrees.rate == 1.0
    hard = [cid for cid, s in llm_report.criteria.items() if s.hard]
    assert all(llm_report.criteria[c].rate == 1.0 for c in hard)
    # Only the soft assumptions_stated gate may fail on this 3-case sample: the notes-only
    # QuantaPay brief says "No usage data", which the rubric's word list does not accept.
    failed = {(g.group, g.name) for g in llm_report.failed_gates}
    assert failed <= {("rubric", "assumptions_stated")}, failed


def test_the_judge_is_reported_apart_from_the_rubric(
    llm_report: EvalReport, tmp_path: Path
) -> None:
    assert set(llm_report.judge) == set(JUDGES)
    for stats in llm_report.judge.values():
        assert stats.n == len(CASES) and stats.mean == pytest.approx(0.8)
    assert "tone" not in llm_report.criteria  # the deterministic rubric has no judge rows
    assert {g.name for g in llm_report.gates if g.group == "judge"} == set(JUDGES)
    assert llm_report.tokens is not None and llm_report.tokens.judge_calls == 3 * len(CASES)
    md_path, json_path = write_report(llm_report, tmp_path)
    assert md_path.name.startswith("eval-llm-") and "## LLM judge" in md_path.read_text()
    data = json.loads(json_path.read_text())
    assert data["tokens"]["judge_calls"] == 3 * len(CASES)
    assert data["judge"]["tone"]["scores"] == [0.8] * len(CASES)


def test_a_low_or_broken_judgement_fails_only_the_judge_gate() -> None:
    model = scripted_model({"tone": judge_output(0.2), "grounding": {"score": "high"}})
    suite = load_cases().select(["sig-usage-80-exact"])
    report = run_eval(suite, mode="llm", services=llm_services(model), judge=True)
    failed = {(g.group, g.name) for g in report.failed_gates}
    assert failed == {("judge", "tone")}
    assert report.judge["grounding"].errors == 1 and report.judge["grounding"].n == 0
    assert "judge" in markdown(report).lower()


def test_llm_mode_needs_a_model_and_the_judge_needs_llm_mode() -> None:
    suite = load_cases().select(["sig-usage-80-exact"])
    offline = Services(settings=AgentContext(mode="offline", interactive=False))
    with pytest.raises(EvalConfigError, match="llm mode needs"):
        run_eval(suite, mode="llm", services=offline)
    with pytest.raises(EvalConfigError, match="judge"):
        run_eval(suite, mode="offline", judge=True)
