"""The chat client, built lazily from the context, and one structured-output call.

Retries live in one place: the OpenAI SDK's ``max_retries`` (with its backoff). The
graph adds no retry layer of its own; a call that still fails raises `LLMError`, and
the node that made it falls back to the offline drafter.

Rate limits (`agent.llm.ratelimit`): the `RateLimiter` of a `ChatClient` paces every
`ChatClient.call` (``acquire`` with the call's estimated tokens before it is sent) and
learns from 429s through a response hook on the HTTP client that `build_chat_client`
builds: the hook calls ``penalize(Retry-After)`` so every worker sharing the limiter
pauses, while the SDK itself waits the same Retry-After and retries once. Nothing
else retries, so one 429 costs one wait and one extra request.
"""

from __future__ import annotations

import functools
import json
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from pydantic import BaseModel, Field, SecretStr, ValidationError

from playbook.agent.context import AgentContext, ConfigError, StructuredMethod
from playbook.agent.llm.ratelimit import DEFAULT_PENALTY_S, Pace, retry_after_seconds
from playbook.agent.llm.tokens import EXPECTED_COMPLETION, counter_for

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel
    from langchain_core.messages import AIMessage

M = TypeVar("M", bound=BaseModel)
COMPATIBLE_PLACEHOLDER_KEY = "not-needed"
DEFAULT_MAX_CONNECTIONS = 256
"""HTTP connection pool size of the client `build_chat_model` builds (>= any sane concurrency)."""


class LLMError(RuntimeError):
    """An LLM call failed (after the SDK's retries) or returned unusable output."""


def httpx_module() -> Any:
    """Return the HTTP library the OpenAI SDK uses (``httpx2`` for SDK 3.x, else httpx)."""
    try:
        import httpx2
    except ImportError:
        import httpx

        return httpx
    return httpx2


def rate_limit_hook(limiter: Pace) -> Callable[[Any], None]:
    """Return an HTTP response hook: a 429 pauses every caller of ``limiter``."""

    def on_response(response: Any) -> None:
        if response.status_code == 429:
            wait = retry_after_seconds(response.headers)
            limiter.penalize(wait if wait is not None else DEFAULT_PENALTY_S)

    return on_response


def paced_http_client(
    limiter: Pace | None, *, max_connections: int = DEFAULT_MAX_CONNECTIONS
) -> Any:
    """Build the SDK's default HTTP client with a pool of ``max_connections`` (kept alive).

    With a limiter, a response hook reports every 429 (including ones the SDK then
    retries) to it.
    """
    from openai import DefaultHttpxClient

    limits = httpx_module().Limits(
        max_connections=max_connections, max_keepalive_connections=max_connections
    )
    hooks = {"response": [rate_limit_hook(limiter)]} if limiter is not None else {}
    return DefaultHttpxClient(limits=limits, event_hooks=hooks)


def build_chat_model(ctx: AgentContext, *, http_client: Any = None) -> BaseChatModel:
    """Build the langchain-openai chat model for the context's mode (chat completions API).

    ``http_client`` (an ``httpx.Client``) is passed through, e.g. for a proxy or a test
    transport; otherwise the SDK builds its own.
    """
    return _chat_model(ctx, http_client)


def build_chat_client(
    ctx: AgentContext,
    *,
    http_client: Any = None,
    limiter: Pace | None = None,
    max_connections: int = DEFAULT_MAX_CONNECTIONS,
) -> ChatClient:
    """Build the chat client for the context: the model, paced by ``limiter`` when given.

    With a limiter and no ``http_client``, the HTTP client is built here with a pool of
    ``max_connections`` and a hook that reports every 429 to the limiter.
    """
    hooked = False
    if http_client is None and limiter is not None:
        http_client = paced_http_client(limiter, max_connections=max_connections)
        hooked = True
    return ChatClient(_chat_model(ctx, http_client), limiter=limiter, hooked=hooked)


def _chat_model(ctx: AgentContext, http_client: Any) -> BaseChatModel:
    common: dict[str, Any] = {
        "http_client": http_client,
        "temperature": ctx.temperature,
        "timeout": ctx.timeout_s,
        "max_retries": ctx.max_retries,
        "max_tokens": ctx.max_completion_tokens,
    }
    if ctx.mode == "azure":
        from langchain_openai import AzureChatOpenAI

        return AzureChatOpenAI(
            azure_endpoint=ctx.azure_endpoint,
            azure_deployment=ctx.azure_deployment,
            api_version=ctx.azure_api_version,
            api_key=ctx.api_key or SecretStr(""),
            model=ctx.model,
            **common,
        )
    if ctx.mode in ("openai", "compatible"):
        from langchain_openai import ChatOpenAI

        return ChatOpenAI(
            model=ctx.model,
            base_url=ctx.base_url,
            api_key=ctx.api_key or SecretStr(COMPATIBLE_PLACEHOLDER_KEY),
            use_responses_api=False,
            **common,
        )
    raise ConfigError("offline mode has no chat model")


def _invoke_structured(
    client: ChatClient, schema: type[BaseModel], method: str, sent: list[tuple[str, str]]
) -> tuple[Any, Any, BaseException | None]:
    """Send the call and parse it: (raw message, parsed output or None, parsing error).

    The model's own ``llm | parser`` sequence is run step by step (the raw message is
    kept for its usage), which spares langchain's ``include_raw`` wrapper a thread pool
    per call; any other runnable goes through ``include_raw=True``.
    """
    from langchain_core.exceptions import OutputParserException
    from langchain_core.runnables import RunnableSequence

    model = client.model
    if method == "json_schema" and _is_openai_client(model):
        return _invoke_json_schema(client, schema, sent)
    runnable = client.runnable(
        (schema, method), lambda: model.with_structured_output(schema, method=method)
    )
    if not isinstance(runnable, RunnableSequence) or runnable.middle:
        out = model.with_structured_output(schema, method=method, include_raw=True).invoke(sent)
        if not isinstance(out, dict):
            return None, out, None
        return out.get("raw"), out.get("parsed"), out.get("parsing_error")
    raw = runnable.first.invoke(sent)
    try:
        return raw, runnable.last.invoke(raw), None
    except (
        OutputParserException,
        ValidationError,
        ValueError,
        TypeError,
        KeyError,
        IndexError,
        _refusal_error(),
    ) as exc:
        return raw, None, exc


def _is_openai_client(model: Any) -> bool:
    """Return True for langchain-openai's chat clients (OpenAI, compatible, Azure)."""
    from langchain_openai.chat_models.base import BaseChatOpenAI

    return isinstance(model, BaseChatOpenAI)


@functools.cache
def strict_response_format(schema: type[BaseModel]) -> dict[str, Any]:
    """Return the ``response_format`` of a strict json_schema call for ``schema``.

    The same dict the OpenAI SDK derives from a pydantic class on every ``parse``
    call; derived once here instead.
    """
    from openai.lib._parsing._completions import type_to_response_format_param

    return dict(type_to_response_format_param(schema))  # type: ignore[arg-type]


def _invoke_json_schema(
    client: ChatClient, schema: type[BaseModel], sent: list[tuple[str, str]]
) -> tuple[Any, Any, BaseException | None]:
    """Make a strict json_schema call with the precomputed format; parse the reply with pydantic.

    The format goes in ``extra_body``, so the SDK sends it as it is rather than
    re-deriving the schema from the class and walking it on every call (~2.4 ms of
    CPU a call, measured by bench/bench_llm.py); the request body is the same.
    """
    model: Any = client.model

    def bound() -> Any:
        extra = {**(model.extra_body or {}), "response_format": strict_response_format(schema)}
        return model.bind(extra_body=extra)

    raw = client.runnable((schema, "json_schema:precomputed"), bound).invoke(sent)
    refusal = raw.additional_kwargs.get("refusal")
    if refusal:
        return raw, None, LLMError(f"the model refused: {refusal}")
    content = raw.content if isinstance(raw.content, str) else json.dumps(raw.content)
    try:
        return raw, schema.model_validate_json(content), None
    except ValidationError as exc:
        return raw, None, exc


def _refusal_error() -> type[Exception]:
    """Return langchain-openai's refusal error (raised when the model refuses to answer)."""
    try:
        from langchain_openai.chat_models.base import OpenAIRefusalError
    except ImportError:
        return LLMError
    return OpenAIRefusalError


def estimate_call_tokens(
    model: Any,
    messages: Sequence[tuple[str, str]],
    *,
    task: str,
    model_name: str,
    prompt_tokens: int | None = None,
) -> int:
    """Tokens a call counts against a TPM limit: the prompt plus the completion allowance.

    Providers count ``max_tokens`` when it is set, so it is used; else the task's
    typical completion (`agent.tokens.EXPECTED_COMPLETION`). ``prompt_tokens``, when
    the caller has counted them already, spares counting again.
    """
    prompt = (
        prompt_tokens
        if prompt_tokens is not None
        else counter_for(model_name).count_messages(messages)
    )
    allowance = getattr(model, "max_tokens", None)
    if not isinstance(allowance, int) or allowance <= 0:
        allowance = EXPECTED_COMPLETION.get(task, EXPECTED_COMPLETION["draft"])
    return prompt + allowance


def _schema_message(schema: type[BaseModel]) -> tuple[str, str]:
    """Return the extra system message json_mode needs: the reply's JSON schema."""
    text = json.dumps(schema.model_json_schema(), separators=(",", ":"))
    return ("system", f"Reply with one JSON object that matches this JSON schema:\n{text}")


def _completion_text(raw: AIMessage) -> str:
    """Return the text the model produced (content, or tool-call arguments)."""
    if raw.tool_calls:
        return json.dumps([c["args"] for c in raw.tool_calls])
    content = raw.content
    return content if isinstance(content, str) else json.dumps(content)


class LLMUsage(BaseModel):
    """The token usage of one LLM call."""

    task: str
    model: str
    prompt_tokens: int
    completion_tokens: int
    source: str = Field(description="provider, tiktoken or tiktoken-approximate")


@dataclass(frozen=True)
class CallResult(Generic[M]):
    """A parsed structured output and the call's token usage."""

    parsed: M
    usage: LLMUsage


@dataclass
class ChatClient:
    """A chat model, the limiter that paces its calls, and its structured runnables.

    ``hooked`` says the model's HTTP client already reports 429s to the limiter (see
    `paced_http_client`); otherwise `call` reports the 429 that ends a call.
    """

    model: BaseChatModel
    limiter: Pace | None = None
    hooked: bool = False
    _runnables: dict[tuple[type[BaseModel], str], Any] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def runnable(self, key: tuple[type[BaseModel], str], build: Callable[[], Any]) -> Any:
        """Return the runnable for ``key`` (a schema and method), built once."""
        with self._lock:
            found = self._runnables.get(key)
        if found is None:
            found = build()
            with self._lock:
                self._runnables.setdefault(key, found)
        return found

    def call(
        self,
        schema: type[M],
        messages: Sequence[tuple[str, str]],
        *,
        method: StructuredMethod,
        task: str,
        model_name: str,
        prompt_tokens: int | None = None,
    ) -> CallResult[M]:
        """One call with structured output; usage from the response, else counted.

        The call is paced by the limiter with its estimated tokens (``prompt_tokens``:
        the prompt's count when the caller has it); a 429 that still ends the call
        (after the SDK's retries) pauses the limiter when the client has no 429 hook.

        Raises:
            LLMError: the call failed or its output does not match ``schema``.
        """
        from langchain_core.exceptions import OutputParserException
        from openai import APIError, RateLimitError

        limiter = self.limiter
        sent = list(messages)
        if method == "json_mode":
            sent.insert(1, _schema_message(schema))
        if limiter is not None:
            tokens = (
                estimate_call_tokens(
                    self.model,
                    sent,
                    task=task,
                    model_name=model_name,
                    prompt_tokens=prompt_tokens if method != "json_mode" else None,
                )
                if limiter.tpm is not None
                else 0
            )
            limiter.acquire(tokens)
        try:
            raw, parsed, error = _invoke_structured(self, schema, method, sent)
        except RateLimitError as exc:
            if limiter is not None and not self.hooked:
                wait = retry_after_seconds(exc.response.headers)
                limiter.penalize(wait if wait is not None else DEFAULT_PENALTY_S)
            raise LLMError(f"{task} call failed: {type(exc).__name__}: {exc}") from exc
        except (APIError, OutputParserException, ValidationError) as exc:
            raise LLMError(f"{task} call failed: {type(exc).__name__}: {exc}") from exc
        if not isinstance(parsed, schema):
            raise LLMError(f"{task} output did not match {schema.__name__}: {error}")
        return CallResult(parsed=parsed, usage=_usage(raw, sent, task=task, model_name=model_name))


def _usage(raw: Any, sent: Sequence[tuple[str, str]], *, task: str, model_name: str) -> LLMUsage:
    """Token usage of one call: the provider's figures, else tiktoken's estimate."""
    meta = getattr(raw, "usage_metadata", None)
    if meta:
        return LLMUsage(
            task=task,
            model=model_name,
            prompt_tokens=int(meta.get("input_tokens", 0)),
            completion_tokens=int(meta.get("output_tokens", 0)),
            source="provider",
        )
    counter = counter_for(model_name)
    completion = _completion_text(raw) if raw is not None else ""
    return LLMUsage(
        task=task,
        model=model_name,
        prompt_tokens=counter.count_messages(sent),
        completion_tokens=counter.count(completion),
        source="tiktoken-approximate" if counter.approximate else "tiktoken",
    )
