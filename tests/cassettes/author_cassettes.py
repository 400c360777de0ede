"""Author the cassettes offline: the real ChatOpenAI client, a scripted OpenAI server.

Run `python tests/cassettes/author_cassettes.py`. The client sends exactly the
requests it sends in production; an httpx MockTransport answers each in the
chat.completions wire format (``choices[0].message.content`` holding the
structured-output JSON of `tests/cassettes/scenarios.CASSETTE_OUTPUTS`, plus ``usage``), and
vcrpy records both into tests/cassettes/test_llm_cassettes/*.yaml. To record
against the real API instead, see README.md in this folder.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import httpx
import vcr

HERE = Path(__file__).parent
spec = importlib.util.spec_from_file_location("playbook_cassette_scenarios", HERE / "scenarios.py")
assert spec and spec.loader
fakes = importlib.util.module_from_spec(spec)
sys.modules["playbook_cassette_scenarios"] = fakes
spec.loader.exec_module(fakes)

from playbook.agent.llm.client import build_chat_model  # noqa: E402
from playbook.agent.llm.tokens import counter_for  # noqa: E402

DUMMY_KEY = "sk-test-dummy"
CASSETTES = HERE / "test_llm_cassettes"


def respond(request: httpx.Request) -> httpx.Response:
    """Answer one chat.completions request with the scripted structured output."""
    body = json.loads(request.content)
    messages = fakes.body_messages(request.content)
    task, account = fakes.request_key(messages)
    content = json.dumps(fakes.CASSETTE_OUTPUTS[(task, account)], separators=(",", ":"))
    counter = counter_for(body["model"])
    prompt, completion = counter.count_messages(messages), counter.count(content)
    payload = {
        "id": f"chatcmpl-playbook-{task}-{account}",
        "object": "chat.completion",
        "created": 1779235200,
        "model": "gpt-4o-mini-2024-07-18",
        "choices": [
            {
                "index": 0,
                "message": {
                    "role": "assistant",
                    "content": content,
                    "refusal": None,
                    "annotations": [],
                },
                "logprobs": None,
                "finish_reason": "stop",
            }
        ],
        "usage": {
            "prompt_tokens": prompt,
            "completion_tokens": completion,
            "total_tokens": prompt + completion,
            "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0},
            "completion_tokens_details": {"reasoning_tokens": 0, "audio_tokens": 0},
        },
        "service_tier": "default",
        "system_fingerprint": "fp_playbook",
    }
    return httpx.Response(
        200,
        json=payload,
        headers={"content-type": "application/json", "openai-processing-ms": "812"},
    )


def recorder() -> vcr.VCR:
    """A VCR configured like the tests (same matcher, filtered headers)."""
    v = vcr.VCR(
        cassette_library_dir=str(CASSETTES),
        record_mode="all",
        match_on=["method", "scheme", "host", "path", "llm_task"],
        filter_headers=fakes.CASSETTE_HEADERS_FILTERED,
        before_record_response=fakes.scrub_response,
        decode_compressed_response=True,
    )
    v.register_matcher("llm_task", fakes.llm_task_matcher)
    return v


def main() -> None:
    """Record both cassettes."""
    CASSETTES.mkdir(parents=True, exist_ok=True)
    ctx = fakes.cassette_context(DUMMY_KEY)
    v = recorder()
    for name, scenario in (
        ("chat_brief_openai.yaml", fakes.run_chat_scenario),
        ("batch_three_accounts_openai.yaml", fakes.run_batch_scenario),
    ):
        path = CASSETTES / name
        path.unlink(missing_ok=True)
        client = httpx.Client(transport=httpx.MockTransport(respond))
        with v.use_cassette(name):
            outcome = scenario(build_chat_model(ctx, http_client=client), DUMMY_KEY)
        print(name, "->", outcome if isinstance(outcome, list) else [outcome])


if __name__ == "__main__":
    main()
