"""The LLM path through the REAL ChatOpenAI client, replayed from cassettes (no network).

Re-record against the API (see tests/cassettes/README.md)::

    PLAYBOOK_RECORD=1 OPENAI_API_KEY=sk-... pytest tests/test_llm_cassettes.py --record-mode=rewrite
"""

from __future__ import annotations

import importlib.util
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from playbook.agent.llm.client import build_chat_model
from playbook.agent.runner import BriefResult

fakes = importlib.import_module("fakes")


scenarios = importlib.import_module("scenarios")
RECORDING = os.environ.get("PLAYBOOK_RECORD") == "1"
API_KEY = os.environ.get("OPENAI_API_KEY", "") if RECORDING else "sk-test-dummy"
SENT: list[bytes] = []


class _MatcherPlugin:
    """Registers the task matcher on every VCR pytest-recording builds."""

    def pytest_recording_configure(self, config: Any, vcr: Any) -> None:
        vcr.register_matcher("llm_task", scenarios.llm_task_matcher)


@pytest.fixture(scope="module", autouse=True)
def _llm_task_matcher(pytestconfig: pytest.Config) -> Iterator[None]:
    plugin = _MatcherPlugin()
    pytestconfig.pluginmanager.register(plugin, "playbook-llm-task-matcher")
    yield
    pytestconfig.pluginmanager.unregister(plugin)


def _capture(request: Any) -> Any:
    body = request.body if isinstance(request.body, bytes) else str(request.body or "").encode()
    if body not in SENT:
        SENT.append(body)
    return request


@pytest.fixture(scope="module")
def vcr_config() -> dict[str, Any]:
    return {
        "match_on": ["method", "scheme", "host", "path", "llm_task"],
        "filter_headers": scenarios.CASSETTE_HEADERS_FILTERED,
        "before_record_request": _capture,
        "before_record_response": scenarios.scrub_response,
        "decode_compressed_response": True,
    }


@pytest.fixture
def vcr_cassette_dir() -> str:
    return str(Path(__file__).parent / "cassettes" / "test_llm_cassettes")


@pytest.fixture
def default_cassette_name(request: pytest.FixtureRequest) -> str:
    return request.node.name.removeprefix("test_")


@pytest.fixture(autouse=True)
def _sent() -> Iterator[None]:
    SENT.clear()
    yield


def sent_prompts(task: str) -> dict[str, str]:
    """Account id -> the full prompt text of every live request for ``task``."""
    out: dict[str, str] = {}
    for body in SENT:
        messages = scenarios.body_messages(body)
        got, account = fakes.request_key(messages)
        if got == task:
            out[account] = "\n".join(text for _, text in messages)
    return out


def real_client() -> Any:
    client = build_chat_model(scenarios.cassette_context(API_KEY))
    assert type(client).__name__ == "ChatOpenAI"
    return client


def assert_prompt_carries_facts(result: BriefResult, prompt: str) -> None:
    facts = result.brief.facts
    assert f'"readiness_score":"{facts.readiness_score}/64"' in prompt
    item = facts.offer.item if facts.offer else None
    if item:
        assert f'"item":"{item}"' in prompt
    for chunk_id in result.brief.offer_map.citations + result.brief.script.citations:
        assert f"[{chunk_id}]" in prompt


@pytest.mark.vcr
def test_chat_brief_openai(vcr: Any) -> None:
    result = scenarios.run_chat_scenario(real_client(), API_KEY)
    assert isinstance(result, BriefResult) and result.passed
    assert result.mode == "openai" and result.llm_calls >= 2
    assert result.brief.provenance["script"] == "llm"
    assert result.usage[0].source == "provider" and result.prompt_tokens > 500

    drafts = sent_prompts("draft")
    assert list(drafts) == ["A-1"]
    assert_prompt_carries_facts(result, drafts["A-1"])
    assert '"item":"Additional seats"' in drafts["A-1"]
    assert "28 of 30 seats" in sent_prompts("extract")["A-1"]
    body = json.loads(next(b for b in SENT if b"Task: draft" in b))
    assert body["response_format"]["type"] == "json_schema"
    assert body["response_format"]["json_schema"]["strict"] is True
    if not RECORDING:
        assert vcr.all_played
        assert "Dana" in result.brief.script.text and "28 of 30" in result.brief.script.text
        assert result.brief.facts.signals[0].name.value == "usage_80"


@pytest.mark.vcr
def test_batch_three_accounts_openai(vcr: Any) -> None:
    results = scenarios.run_batch_scenario(real_client(), API_KEY)
    assert [r.account_id for r in results] == ["A-1", "A-2", "A-3"]
    assert all(isinstance(r, BriefResult) and r.passed for r in results)

    drafts = sent_prompts("draft")
    assert sorted(drafts) == ["A-1", "A-2", "A-3"]
    for result in results:
        assert_prompt_carries_facts(result, drafts[result.account_id])
    by_id = {r.account_id: r for r in results}
    assert by_id["A-1"].brief.facts.offer.item == "Additional seats"
    assert by_id["A-2"].brief.facts.offer.item == "Enterprise plan"
    assert '"item":"Enterprise plan"' in drafts["A-2"]
    gated = by_id["A-3"].brief
    assert gated.facts.offer is None and "open_problem" in [g.name.value for g in gated.facts.gates]
    assert "There is no pitch for this account" in drafts["A-3"]
    if not RECORDING:
        assert vcr.all_played and len(vcr.requests) == 6
        assert all(r.llm_calls == 2 for r in results)
