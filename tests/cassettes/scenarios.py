"""Cassette scenarios, shared by tests/test_llm_cassettes.py and author_cassettes.py."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from typing import Any


def _load_fakes() -> Any:
    name = "playbook_test_fakes"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, Path(__file__).parents[1] / "fakes.py")
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


fakes = _load_fakes()
AS_OF, CATALOG, Account = fakes.AS_OF, fakes.CATALOG, fakes.Account
FakeRetriever, FakeRubric, request_key = fakes.FakeRetriever, fakes.FakeRubric, fakes.request_key
fake_extract, fake_draft_offline = fakes.fake_extract, fakes.fake_draft_offline
make_account = fakes.make_account


CASSETTE_HEADERS_FILTERED = ["authorization", "api-key", "openai-organization", "openai-project"]
RESPONSE_HEADERS_DROPPED = ("openai-organization", "openai-project", "set-cookie", "cf-ray")


def cassette_accounts() -> list[Account]:
    """Three accounts: a capacity pitch, a tier upgrade, and a gated (open ticket) one."""
    return [
        make_account("A-1"),
        make_account(
            "A-2",
            contact_name="Lee Park",
            seats_used=20,
            active_users=20,
            feature_requests=["SSO"],
            notes="Call 2026-05-14: Lee asked about SSO for the auditors.",
        ),
        make_account(
            "A-3",
            contact_name="Sam Ortiz",
            open_tickets_high=1,
            notes="Call 2026-05-15: the export bug still blocks their month-end close.",
        ),
    ]


def cassette_context(api_key: str) -> Any:
    """The openai-mode context the cassettes were recorded with."""
    from playbook.agent.context import AgentContext

    return AgentContext(
        mode="openai",
        api_key=api_key,
        base_url="https://api.openai.com/v1",
        as_of=AS_OF,
        max_retries=0,
        temperature=0.0,
        structured_output="json_schema",
    )


def cassette_agent(context: Any, chat_model: Any) -> Any:
    """The agent of the cassette scenarios: real client, fake retriever/drafter/rubric."""
    from playbook.agent.runner import BriefAgent
    from playbook.agent.services import Services

    rubric = FakeRubric()
    return BriefAgent.scratch(
        Services(
            settings=context,
            retriever=FakeRetriever(),
            chat_model=chat_model,
            extractor=fake_extract,
            drafter=fake_draft_offline,
            checker=rubric.check,
            catalog=CATALOG,
        )
    )


_ANSWERS = [
    {"key": "not_ready", "answer": "Fair enough. What would make the timing right for you?"},
    {"key": "budget", "answer": "That is normal. Who else would weigh in on the decision?"},
    {"key": "more_value", "answer": "That bar is fair. Which result would show it is paying off?"},
    {"key": "happy", "answer": "Good to hear. Is the seat count on your radar for next quarter?"},
]
CASSETTE_OUTPUTS: dict[tuple[str, str], dict[str, Any]] = {
    ("extract", "A-1"): {
        "findings": [
            {
                "category": "fact",
                "name": "usage_ratio",
                "quote": "28 of 30 seats",
                "date": "2026-05-12",
                "value": "28 of 30",
            },
            {
                "category": "fact",
                "name": "positive_feedback",
                "quote": "loves the dashboards",
                "date": "2026-05-12",
                "value": None,
            },
        ]
    },
    ("draft", "A-1"): {
        "offer_rationale": "The team uses 28 of 30 seats, so Additional seats keep new people "
        "from waiting for a login.",
        "why_now": "Seats hit 93% of what they bought, the first time they are this close.",
        "script": "Hi Dana, I noticed the team is now on 28 of 30 seats. Additional seats would "
        "let the next hires start without sharing logins. Could we find 20 minutes next week "
        "to size what you need?",
        "objection_answers": _ANSWERS,
        "calendar_notes": [{"week": 1, "note": "Open with the seat count."}],
        "citations": ["offer-capacity#fit", "trigger-usage_ceiling#open"],
    },
    ("extract", "A-2"): {
        "findings": [
            {
                "category": "signal",
                "name": "asked_missing_features",
                "quote": "asked about SSO",
                "date": "2026-05-14",
                "value": None,
            },
        ]
    },
    ("draft", "A-2"): {
        "offer_rationale": "Lee asked about SSO, which the Enterprise plan includes.",
        "why_now": "The SSO question came up on the last call.",
        "script": "Hi Lee, you asked about SSO for the auditors. The Enterprise plan includes it. "
        "Could we take 20 minutes to walk through how it would work for your team?",
        "objection_answers": _ANSWERS,
        "calendar_notes": [],
        "citations": ["offer-tier_upgrade#fit"],
    },
    ("extract", "A-3"): {
        "findings": [
            {
                "category": "gate",
                "name": "open_problem",
                "quote": "the export bug still blocks their month-end close",
                "date": "2026-05-15",
                "value": None,
            },
        ]
    },
    ("draft", "A-3"): {
        "offer_rationale": "Nothing to pitch until the open ticket is fixed.",
        "why_now": "The open problem comes first.",
        "script": "Hi Sam, I saw the export bug is still blocking your month-end close. Could we "
        "take 20 minutes to review the fix plan with support?",
        "objection_answers": _ANSWERS,
        "calendar_notes": [],
        "citations": ["gate-open_problem#first"],
    },
}


def run_chat_scenario(chat_model: Any, api_key: str) -> Any:
    """One chat brief for A-1 (notes plus data row) through the given client."""
    agent = cassette_agent(cassette_context(api_key), chat_model)
    return agent.run(account=cassette_accounts()[0], thread_id="chat:cassette")


def run_batch_scenario(chat_model: Any, api_key: str) -> list[Any]:
    """The three-account batch through the given client."""
    from playbook.agent.runner import run_batch

    agent = cassette_agent(cassette_context(api_key), chat_model)
    results = list(run_batch(cassette_accounts(), concurrency=3, agent=agent, run_id="cassette"))
    return sorted(results, key=lambda r: r.account_id)


def body_messages(body: bytes | str | None) -> list[tuple[str, str]]:
    """The (role, content) messages of a chat.completions request body."""
    if not body:
        return []
    data = json.loads(body)
    return [(m["role"], str(m.get("content") or "")) for m in data.get("messages", [])]


def llm_task_matcher(r1: Any, r2: Any) -> None:
    """vcr matcher: the same task for the same account (prompt wording may change)."""
    k1, k2 = request_key(body_messages(r1.body)), request_key(body_messages(r2.body))
    assert k1 == k2, f"{k1} != {k2}"


def scrub_response(response: dict[str, Any]) -> dict[str, Any]:
    """Drop identifying response headers before a cassette is written."""
    headers = response.get("headers", {})
    for name in list(headers):
        if name.lower() in RESPONSE_HEADERS_DROPPED:
            headers.pop(name)
    return response
