"""An OpenAI-compatible stand-in for `/v1/chat/completions`, for load tests and benchmarks.

It answers the playbook's two LLM tasks (recognised by the prompt's ``Task: <name>``
line) with valid structured outputs that pass the rubric: the draft (and revise)
prose is written from the decided facts JSON in the prompt (greeting the contact,
naming the trigger or gate evidence, asking for 20 minutes, one answer per objection
key, citing the retrieved chunk ids); the extraction quotes seat ratios verbatim from
the notes. It honours the structured-output method of the request (``tools`` ->
tool call, ``response_format`` -> JSON content).

Injected trouble: a fixed latency, a fraction of 429s (with ``Retry-After`` and
``retry-after-ms``), a fraction of 500s, and "the next N requests get a 429" (for
exact tests). Counters (requests, statuses, calls per task and account, tokens) are
served at ``GET /stats``; ``POST /reset`` clears them and ``POST /control`` changes
the settings at run time.

Run::

    python bench/standin_server.py --port 8089 --latency-ms 200 --rate-429 0.1

From Python (tests, benchmarks): ``with serve(latency_ms=200) as server: ...`` starts
it in a subprocess on a free loopback port and always stops it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import random
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

HOST = "127.0.0.1"
STARTUP_TIMEOUT_S = 30.0
STOP_TIMEOUT_S = 10.0

COMMON_ANSWERS: dict[str, str] = {
    "not_ready": "That makes sense, and there is no rush on our side. "
    "What would need to be true for the timing to feel right?",
    "budget": "Understood, budgets take planning. Who else would weigh in when you look at it?",
    "more_value": "That is a fair bar. Which result would show you it is already paying off?",
    "happy": "Good to hear it is working for the team. "
    "Would it help to look at what the next few months could bring?",
}
CONCERN_ANSWERS: dict[str, str] = {
    "price": "I hear the concern about cost. What would the budget need to show for it to "
    "make sense?",
    "competitor": "It makes sense to compare alternatives. Which comparison would help you most?",
    "security": "Security and compliance come first, and we can share our documents. Which "
    "review would your team need?",
    "bandwidth": "I know the team's time is stretched right now. What would make this lighter "
    "for you?",
    "integration": "Fitting with your systems matters. Which integration would you want to see "
    "working first?",
    "value_doubt": "You want to see the value first, which is fair. Which result would show it "
    "is worth it?",
}
_TASK_RE = re.compile(r"^Task: (\w+)", re.MULTILINE)
_FACTS_RE = re.compile(r"FACTS \(decided by code, JSON\):\n(.+)")
_OBJECTIONS_RE = re.compile(r"OBJECTIONS \(key: what the customer says\):\n((?:- .*\n?)+)")
_GUIDANCE_ID_RE = re.compile(r"^\[([^\]\n]+)\] \(", re.MULTILINE)
_ACCOUNT_RE = re.compile(r"^Account: .*\(([^()]+)\)$", re.MULTILINE)
_SEATS_RE = re.compile(r"\d+ of \d+ seats")
_NOTES_RE = re.compile(r"<<<CUSTOMER_NOTES(.*?)CUSTOMER_NOTES>>>", re.DOTALL)


# --- answers ------------------------------------------------------------------------------


def prompt_task(messages: list[dict[str, Any]]) -> tuple[str, str]:
    """(task, account id) of a chat request: its ``Task:`` line and the account it names."""
    texts = [str(m.get("content") or "") for m in messages]
    joined = "\n".join(texts)
    task = _TASK_RE.search(joined)
    facts = _FACTS_RE.search(joined)
    account = "?"
    if facts:
        try:
            account = str(json.loads(facts.group(1))["account_id"])
        except (ValueError, KeyError):
            account = "?"
    else:
        named = _ACCOUNT_RE.search(joined)
        account = named.group(1) if named else "?"
    return (task.group(1) if task else "?", account)


def _first_sentence(text: str) -> str:
    return text.strip().rstrip(".")


def draft_output(user: str) -> dict[str, Any]:
    """DraftProseOut JSON written from the prompt's facts, objections and guidance ids."""
    facts_match = _FACTS_RE.search(user)
    if facts_match is None:
        raise ValueError("the draft prompt has no FACTS line")
    facts = json.loads(facts_match.group(1))
    objections = _OBJECTIONS_RE.search(user)
    keys = (
        [line[2:].split(": ", 1)[0] for line in objections.group(1).splitlines() if line]
        if objections
        else list(COMMON_ANSWERS)
    )
    ids = list(dict.fromkeys(_GUIDANCE_ID_RE.findall(user.split("GUIDANCE", 1)[-1])))
    first = (facts.get("contact") or {}).get("first_name")
    greeting = f"Hi {first}," if first else "Hi team,"
    offer = facts.get("offer")
    trigger = facts.get("trigger")
    blocking = [g for g in facts.get("gates", []) if g.get("blocking")]
    signals = sorted(facts.get("signals", []), key=lambda s: -int(s.get("points", 0)))
    if blocking:
        gate = blocking[0]
        script = (
            f"{greeting} I wanted to check in about this: {_first_sentence(gate['evidence'])}. "
            "Before anything else, I want to make sure that is sorted out for your team. "
            "Could we take 20 minutes this week to go through it together?"
        )
        rationale = f"Nothing to pitch yet. First: {_first_sentence(gate['action'])}."
        why_now = f"The {gate['name'].replace('_', ' ')} comes first: {gate['action']}"
    else:
        evidence = (
            trigger["evidence"]
            if trigger
            else (signals[0]["evidence"] if signals else "how the team is using the product")
        )
        if offer:
            script = (
                f"{greeting} I noticed {_first_sentence(evidence)}. {offer['item']} could help "
                "the team keep that momentum. Could we find 20 minutes next week to talk it "
                "through?"
            )
            rationale = f"{offer['item']} fits: {_first_sentence(offer['why'])}."
        else:
            script = (
                f"{greeting} I noticed {_first_sentence(evidence)}. I would love to hear how "
                "things are going. Could we find 20 minutes next week to catch up?"
            )
            rationale = "No offer fits yet: keep building on what works and listen for needs."
        why_now = (
            f"{_first_sentence(evidence)} is the freshest sign of need."
            if trigger or signals
            else "Nothing specific has happened yet, so this is a check-in."
        )
    answers = []
    for key in keys:
        if key.startswith("concern:"):
            text = CONCERN_ANSWERS.get(key.split(":", 1)[1], COMMON_ANSWERS["more_value"])
        else:
            text = COMMON_ANSWERS.get(key, COMMON_ANSWERS["not_ready"])
        answers.append({"key": key, "answer": text})
    return {
        "offer_rationale": rationale,
        "why_now": why_now,
        "script": script,
        "objection_answers": answers,
        "calendar_notes": [{"week": 1, "note": "Open with the evidence from the script."}],
        "citations": ids,
    }


def extract_output(user: str) -> dict[str, Any]:
    """Extraction JSON: seat ratios quoted verbatim from the notes block."""
    notes = _NOTES_RE.search(user)
    text = notes.group(1) if notes else ""
    return {
        "findings": [
            {
                "category": "fact",
                "name": "usage_ratio",
                "quote": m.group(0),
                "date": None,
                "value": m.group(0).removesuffix(" seats"),
            }
            for m in _SEATS_RE.finditer(text)
        ]
    }


def structured_answer(messages: list[dict[str, Any]]) -> tuple[str, str, dict[str, Any]]:
    """(task, account, structured output) for a chat request's messages."""
    task, account = prompt_task(messages)
    user = "\n".join(str(m.get("content") or "") for m in messages if m.get("role") == "user")
    if task in ("draft", "revise"):
        return task, account, draft_output(user)
    if task == "extract":
        return task, account, extract_output(user)
    raise ValueError(f"unknown task {task!r}")


def _count_tokens(model: str, messages: list[dict[str, Any]], completion: str) -> tuple[int, int]:
    from playbook.agent.llm.tokens import counter_for

    counter = counter_for(model)
    pairs = [(str(m.get("role", "")), str(m.get("content") or "")) for m in messages]
    return counter.count_messages(pairs), counter.count(completion)


def completion_body(request: dict[str, Any], *, request_id: str = "standin") -> dict[str, Any]:
    """The chat.completion response body for a request body (content or a tool call)."""
    messages = request.get("messages", [])
    _, _, output = structured_answer(messages)
    content = json.dumps(output, separators=(",", ":"))
    model = str(request.get("model", "gpt-4o-mini"))
    prompt_tokens, completion_tokens = _count_tokens(model, messages, content)
    tools = request.get("tools") or []
    message: dict[str, Any]
    if tools:
        name = tools[0]["function"]["name"]
        call = {
            "id": f"call_{request_id}",
            "type": "function",
            "function": {"name": name, "arguments": content},
        }
        message = {"role": "assistant", "content": None, "tool_calls": [call], "refusal": None}
        finish = "tool_calls"
    else:
        message = {"role": "assistant", "content": content, "refusal": None}
        finish = "stop"
    return {
        "id": f"chatcmpl-{request_id}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [{"index": 0, "message": message, "logprobs": None, "finish_reason": finish}],
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        },
        "system_fingerprint": "fp_standin",
    }


# --- server -------------------------------------------------------------------------------


@dataclass
class Settings:
    """What the server injects; changeable at run time with ``POST /control``."""

    latency_ms: float = 0.0
    rate_429: float = 0.0
    rate_5xx: float = 0.0
    retry_after_s: float = 1.0
    fail_next_429: int = 0
    seed: int = 7


@dataclass
class Stats:
    """Counters since start (or the last reset)."""

    requests: int = 0
    status: Counter[str] = field(default_factory=Counter)
    calls: Counter[str] = field(default_factory=Counter)
    answered: Counter[str] = field(default_factory=Counter)
    prompt_tokens: int = 0
    completion_tokens: int = 0
    in_flight: int = 0
    max_in_flight: int = 0
    first_at: float | None = None
    last_at: float | None = None

    def as_dict(self) -> dict[str, Any]:
        """JSON-able counters; ``calls`` and ``answered`` are keyed ``task:account``."""
        data = asdict(self)
        for name in ("status", "calls", "answered"):
            data[name] = dict(getattr(self, name))
        return data


def make_app(settings: Settings) -> Any:
    """Build the Starlette app serving the stand-in."""
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    state = {"stats": Stats(), "rng": random.Random(settings.seed)}

    def error(status: int, message: str, kind: str, headers: dict[str, str] | None = None) -> Any:
        body = {"error": {"message": message, "type": kind, "param": None, "code": kind}}
        return JSONResponse(body, status_code=status, headers=headers)

    async def completions(request: Request) -> Any:
        stats: Stats = state["stats"]
        rng: random.Random = state["rng"]
        stats.requests += 1
        number = stats.requests
        now = time.monotonic()
        stats.first_at = stats.first_at if stats.first_at is not None else now
        stats.in_flight += 1
        stats.max_in_flight = max(stats.max_in_flight, stats.in_flight)
        try:
            body = await request.json()
            task, account = prompt_task(body.get("messages", []))
            stats.calls[f"{task}:{account}"] += 1
            if settings.latency_ms > 0:
                await asyncio.sleep(settings.latency_ms / 1000)
            if settings.fail_next_429 > 0 or rng.random() < settings.rate_429:
                settings.fail_next_429 = max(0, settings.fail_next_429 - 1)
                wait = settings.retry_after_s
                headers = {
                    "retry-after": str(max(1, math.ceil(wait))),
                    "retry-after-ms": str(int(wait * 1000)),
                }
                stats.status["429"] += 1
                return error(429, "Rate limit reached (stand-in)", "rate_limit_exceeded", headers)
            if rng.random() < settings.rate_5xx:
                stats.status["500"] += 1
                return error(500, "The server had an error (stand-in)", "server_error")
            try:
                out = completion_body(body, request_id=f"{number}")
            except (ValueError, KeyError) as exc:
                stats.status["400"] += 1
                return error(400, str(exc), "invalid_request_error")
            stats.status["200"] += 1
            stats.answered[f"{task}:{account}"] += 1
            stats.prompt_tokens += out["usage"]["prompt_tokens"]
            stats.completion_tokens += out["usage"]["completion_tokens"]
            return JSONResponse(out)
        finally:
            stats.in_flight -= 1
            stats.last_at = time.monotonic()

    async def get_stats(request: Request) -> Any:
        return JSONResponse({**state["stats"].as_dict(), "settings": asdict(settings)})

    async def reset(request: Request) -> Any:
        state["stats"] = Stats()
        return JSONResponse({"ok": True})

    async def control(request: Request) -> Any:
        changes = await request.json()
        for key, value in changes.items():
            if not hasattr(settings, key):
                return error(400, f"unknown setting {key!r}", "invalid_request_error")
            setattr(settings, key, type(getattr(settings, key))(value))
        if "seed" in changes:
            state["rng"] = random.Random(settings.seed)
        return JSONResponse(asdict(settings))

    async def health(request: Request) -> Any:
        return JSONResponse({"ok": True})

    return Starlette(
        routes=[
            Route("/v1/chat/completions", completions, methods=["POST"]),
            Route("/chat/completions", completions, methods=["POST"]),
            Route(
                "/openai/deployments/{deployment}/chat/completions", completions, methods=["POST"]
            ),
            Route("/stats", get_stats),
            Route("/reset", reset, methods=["POST"]),
            Route("/control", control, methods=["POST"]),
            Route("/health", health),
        ]
    )


def main(argv: list[str] | None = None) -> None:
    """Serve until interrupted."""
    import uvicorn

    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--host", default=HOST)
    parser.add_argument("--port", type=int, default=8089)
    parser.add_argument("--latency-ms", type=float, default=0.0)
    parser.add_argument("--rate-429", type=float, default=0.0)
    parser.add_argument("--rate-5xx", type=float, default=0.0)
    parser.add_argument("--retry-after-s", type=float, default=1.0)
    parser.add_argument("--fail-next-429", type=int, default=0)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    settings = Settings(
        latency_ms=args.latency_ms,
        rate_429=args.rate_429,
        rate_5xx=args.rate_5xx,
        retry_after_s=args.retry_after_s,
        fail_next_429=args.fail_next_429,
        seed=args.seed,
    )
    uvicorn.run(
        make_app(settings),
        host=args.host,
        port=args.port,
        log_level="warning",
        access_log=False,
        backlog=2048,
        timeout_keep_alive=30,
    )


# --- harness ------------------------------------------------------------------------------


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


@dataclass
class Standin:
    """A running stand-in server: its URL, its counters, and run-time control."""

    port: int
    process: subprocess.Popen[bytes]

    @property
    def base_url(self) -> str:
        """The OpenAI base URL (``.../v1``)."""
        return f"http://{HOST}:{self.port}/v1"

    def _call(self, path: str, payload: dict[str, Any] | None = None) -> dict[str, Any]:
        data = json.dumps(payload).encode() if payload is not None else None
        req = urllib.request.Request(
            f"http://{HOST}:{self.port}{path}",
            data=data,
            headers={"content-type": "application/json"},
            method="POST" if data is not None else "GET",
        )
        with urllib.request.urlopen(req, timeout=10) as resp:
            result: dict[str, Any] = json.loads(resp.read())
            return result

    def stats(self) -> dict[str, Any]:
        """The counters (see `Stats`)."""
        return self._call("/stats")

    def reset(self) -> None:
        """Clear the counters."""
        self._call("/reset", {})

    def control(self, **settings: Any) -> dict[str, Any]:
        """Change settings (``latency_ms``, ``rate_429``, ``fail_next_429``...)."""
        return self._call("/control", settings)


def _healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://{HOST}:{port}/health", timeout=1) as resp:
            return bool(resp.status == 200)
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return False


@contextmanager
def serve(
    *,
    latency_ms: float = 0.0,
    rate_429: float = 0.0,
    rate_5xx: float = 0.0,
    retry_after_s: float = 1.0,
    fail_next_429: int = 0,
    seed: int = 7,
    log: Path | None = None,
) -> Iterator[Standin]:
    """Run the stand-in in a subprocess on a free loopback port; always stop it."""
    port = free_port()
    args = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--port", str(port),
        "--latency-ms", str(latency_ms),
        "--rate-429", str(rate_429),
        "--rate-5xx", str(rate_5xx),
        "--retry-after-s", str(retry_after_s),
        "--fail-next-429", str(fail_next_429),
        "--seed", str(seed),
    ]  # fmt: skip
    out = open(log, "wb") if log is not None else subprocess.DEVNULL  # noqa: SIM115
    proc = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while not _healthy(port):
            if proc.poll() is not None:
                raise RuntimeError(f"the stand-in server exited with {proc.returncode}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"the stand-in server did not start in {STARTUP_TIMEOUT_S}s")
            time.sleep(0.1)
        yield Standin(port=port, process=proc)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=STOP_TIMEOUT_S)
        if log is not None and hasattr(out, "close"):
            out.close()


if __name__ == "__main__":
    main()
