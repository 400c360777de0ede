"""Draft a book through the OpenAI Batch API: export the draft requests, import the results.

One request per account, the drafting call only (``custom_id`` = ``draft:<account_id>``):
the notes are read by the deterministic extractor, then scoring and retrieval run as
usual, and the request body is exactly the one the live draft call sends (model,
messages, ``response_format`` or ``tools`` for the structured-output method,
temperature, max tokens). It is captured from the real chat client: the graph runs
up to the draft call with a client whose HTTP transport records the request and
declines it.

Importing runs the same graph again (same extraction, scoring and retrieval, so the
same prompt) with a client whose transport answers the draft call with the Batch
API's response for that account; the graph's own merge, rubric check and fallback
then decide the brief. There is no revision round (it would need a live call): a
draft that fails the check has its failing sections drafted offline. A missing or
errored line, or (when the exported requests are given) a prompt that changed since
the export, falls back to the offline draft with provenance ``fallback``.

The Batch API bills half the list price; `BriefResult.cost_usd` shows list price.
"""

from __future__ import annotations

import dataclasses
import json
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playbook.agent.context import OPENAI_BASE_URL, AgentContext
from playbook.agent.llm.client import build_chat_model, httpx_module
from playbook.agent.llm.ratelimit import RateLimiter
from playbook.agent.runner import AgentError, BatchFailure, BriefAgent, BriefResult
from playbook.agent.services import Services
from playbook.tools.models.account import Account

__all__ = [
    "BATCH_ENDPOINT",
    "BatchLine",
    "custom_id",
    "export_requests",
    "import_results",
    "read_output",
]

BATCH_ENDPOINT = "/v1/chat/completions"
AZURE_BATCH_ENDPOINT = "/chat/completions"
PLACEHOLDER_KEY = "batch-export-no-key-needed"
_DECLINED = 400


def custom_id(account_id: str) -> str:
    """Return the Batch API ``custom_id`` of an account's draft request."""
    return f"draft:{account_id}"


@dataclass(frozen=True)
class BatchLine:
    """One line of a Batch API output (or error) file."""

    custom_id: str
    status_code: int | None
    body: dict[str, Any] | None
    error: str | None

    @property
    def ok(self) -> bool:
        """True for a 200 response with a body."""
        return self.status_code == 200 and self.body is not None and self.error is None


def _line(data: Mapping[str, Any]) -> BatchLine:
    response = data.get("response") or {}
    error = data.get("error")
    body = response.get("body") if isinstance(response, Mapping) else None
    status = response.get("status_code") if isinstance(response, Mapping) else None
    message: str | None = None
    if error:
        message = str(error.get("message") or error) if isinstance(error, Mapping) else str(error)
    elif status != 200:
        detail = body.get("error") if isinstance(body, Mapping) else None
        shown = detail.get("message") if isinstance(detail, Mapping) else body
        message = f"status {status}: {shown}"
    return BatchLine(
        custom_id=str(data.get("custom_id", "")),
        status_code=int(status) if isinstance(status, int) else None,
        body=dict(body) if isinstance(body, Mapping) else None,
        error=message,
    )


def read_output(path: Path) -> dict[str, BatchLine]:
    """Read a Batch API output (or error) JSONL file: ``custom_id`` -> its line.

    A later line for the same ``custom_id`` wins unless the earlier one succeeded.
    """
    lines: dict[str, BatchLine] = {}
    with path.open(encoding="utf-8") as handle:
        for number, text in enumerate(handle, start=1):
            if not text.strip():
                continue
            try:
                data = json.loads(text)
            except ValueError as exc:
                raise ValueError(f"{path}:{number}: not JSON: {exc}") from exc
            if not isinstance(data, dict):
                raise ValueError(f"{path}:{number}: expected a JSON object")
            line = _line(data)
            if line.custom_id not in lines or not lines[line.custom_id].ok:
                lines[line.custom_id] = line
    return lines


def _read_requests(path: Path) -> dict[str, dict[str, Any]]:
    """Read an exported requests JSONL file: ``custom_id`` -> request body."""
    found: dict[str, dict[str, Any]] = {}
    with path.open(encoding="utf-8") as handle:
        for text in handle:
            if text.strip():
                data = json.loads(text)
                found[str(data["custom_id"])] = dict(data["body"])
    return found


def _llm_context(ctx: AgentContext) -> AgentContext:
    """Return the context requests are built for: the configured LLM mode, else OpenAI."""
    changes: dict[str, object] = {"interactive": False, "max_retries": 0}
    if not ctx.llm_enabled:
        changes.update(mode="openai", api_key=PLACEHOLDER_KEY, base_url=OPENAI_BASE_URL)
    return ctx.with_values(**changes)


@dataclass
class _Transport:
    """The chat client's HTTP transport: records each request, answers from a script."""

    answer: Callable[[dict[str, Any]], tuple[int, dict[str, Any]]]
    seen: list[dict[str, Any]] = field(default_factory=list)

    def __call__(self, request: Any) -> Any:
        body: dict[str, Any] = json.loads(request.content)
        self.seen.append(body)
        status, payload = self.answer(body)
        return httpx_module().Response(status, json=payload)


def _declined(message: str) -> tuple[int, dict[str, Any]]:
    return _DECLINED, {
        "error": {"message": message, "type": "invalid_request_error", "param": None, "code": None}
    }


def _work_agent(services: Services, transport: _Transport) -> tuple[BriefAgent, Services]:
    """An agent for offline-only work: a scripted client, memory checkpoints, no pacing.

    The notes are read by the rules only (no extraction call); the draft call goes to
    ``transport``.
    """
    services.get_catalog()
    services.get_retriever()
    settings = _llm_context(services.settings)
    client = httpx_module().Client(transport=httpx_module().MockTransport(transport))
    work = dataclasses.replace(
        services.with_settings(settings),
        chat_model=build_chat_model(settings, http_client=client),
        limiter=RateLimiter(None, None),
        llm_tasks=frozenset({"draft", "revise"}),
    )
    return BriefAgent.scratch(work), work


def _run_to_result(
    agent: BriefAgent, account: Account, thread_id: str, segment: str | None
) -> BriefResult:
    """Run the graph for one account with rules-only extraction; return its result."""
    outcome = agent.run(account=account, thread_id=thread_id, segment=segment)
    if not isinstance(outcome, BriefResult):
        raise AgentError(f"thread {thread_id} asked for input, which an import never does")
    return outcome


def export_requests(
    accounts: Iterable[Account],
    path: Path,
    *,
    services: Services,
    segments: Mapping[str, str | None] | None = None,
) -> int:
    """Write one Batch API request line per account to ``path``; return the line count.

    Each line is ``{"custom_id": "draft:<id>", "method": "POST", "url":
    "/v1/chat/completions", "body": {...}}`` with the exact body of the live draft call
    for the context's model and structured-output method (an offline context exports
    for OpenAI with its configured model). An account whose draft prompt would exceed
    the token budget gets no line (importing then keeps its offline draft). No request
    is sent anywhere; no API key is needed. ``segments`` (account id to revenue
    segment, as the live batch has them) is read as each account comes.
    """
    transport = _Transport(lambda body: _declined("captured for the Batch API export"))
    agent, work = _work_agent(services, transport)
    url = AZURE_BATCH_ENDPOINT if work.settings.mode == "azure" else BATCH_ENDPOINT
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=path.name, suffix=".tmp", dir=path.parent)
    written = 0
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            for i, account in enumerate(accounts):
                transport.seen.clear()
                thread = f"openai-batch-export:{i}:{account.account_id}"
                _run_to_result(agent, account, thread, (segments or {}).get(account.account_id))
                for body in transport.seen[:1]:
                    line = {
                        "custom_id": custom_id(account.account_id),
                        "method": "POST",
                        "url": url,
                        "body": body,
                    }
                    handle.write(json.dumps(line, ensure_ascii=False, separators=(",", ":")))
                    handle.write("\n")
                    written += 1
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return written


@dataclass
class _Replay:
    """Answers each account's first (draft) call with its Batch API response."""

    lines: dict[str, BatchLine]
    requests: dict[str, dict[str, Any]] | None
    current: str = ""
    calls: int = 0

    def start(self, account_id: str) -> None:
        self.current, self.calls = custom_id(account_id), 0

    def __call__(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        self.calls += 1
        if self.calls > 1:
            return _declined("no revision round for Batch API results")
        line = self.lines.get(self.current)
        if line is None:
            return _declined(f"no Batch API result for {self.current}")
        if not line.ok or line.body is None:
            return _declined(f"the Batch API request {self.current} failed: {line.error}")
        if self.requests is not None:
            exported = self.requests.get(self.current)
            if exported is None or exported.get("messages") != body.get("messages"):
                return _declined(
                    f"the prompt for {self.current} changed since the export "
                    "(facts, guidance or settings differ)"
                )
        return 200, line.body


def import_results(
    path: Path,
    accounts: Iterable[Account],
    *,
    services: Services,
    requests: Path | None = None,
    segments: Mapping[str, str | None] | None = None,
) -> Iterator[BriefResult | BatchFailure]:
    """Yield one result per account (in order) from a Batch API output file at ``path``.

    Each account's draft is the imported prose merged onto the offline base, checked
    with the rubric, its failing sections drafted offline (no revision call). Accounts
    without a successful line get the offline draft with provenance ``fallback``. With
    ``requests`` (the exported JSONL), a prompt that changed since the export is not
    merged either. Usage comes from the response bodies. ``segments`` as for
    `export_requests` (the prompts must match the export's).
    """
    replay = _Replay(read_output(path), _read_requests(requests) if requests else None)
    agent, _ = _work_agent(services, _Transport(replay))
    for i, account in enumerate(accounts):
        thread = f"openai-batch-import:{i}:{account.account_id}"
        replay.start(account.account_id)
        try:
            segment = (segments or {}).get(account.account_id)
            result = _run_to_result(agent, account, thread, segment)
        except AgentError as exc:
            yield BatchFailure(thread, account.account_id, str(exc))
            continue
        yield result
