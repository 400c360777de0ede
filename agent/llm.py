"""The chat client, built lazily from the context, and one structured-output call.

Retries live in one place: the OpenAI SDK's ``max_retries`` (with its backoff). The
graph adds no retry layer of its own; a call that still fails raises `LLMError`, and
the node that made it falls back to the offline drafter.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from pydantic import BaseModel, SecretStr, ValidationError

from .context import AgentContext, ConfigError, StructuredMethod
from .tokens import counter_for

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel
    from langchain_core.messages import AIMessage

M = TypeVar("M", bound=BaseModel)
COMPATIBLE_PLACEHOLDER_KEY = "not-needed"


class LLMError(RuntimeError):
    """An LLM call failed (after the SDK's retries) or returned unusable output."""


def build_chat_model(ctx: AgentContext, *, http_client: Any = None) -> BaseChatModel:
    """Build the langchain-openai client for the context's mode (chat completions API).

    ``http_client`` (an ``httpx.Client``) is passed through, e.g. for a proxy or a
    test transport; by default the SDK builds its own.
    """
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
            api_key=SecretStr(ctx.api_key or ""),
            model=ctx.model,
            **common,
        )
    if ctx.mode in ("openai", "compatible"):
        from langchain_openai import ChatOpenAI

        return ChatOpenAI(
            model=ctx.model,
            base_url=ctx.base_url,
            api_key=SecretStr(ctx.api_key or COMPATIBLE_PLACEHOLDER_KEY),
            use_responses_api=False,
            **common,
        )
    raise ConfigError("offline mode has no chat model")


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


@dataclass(frozen=True)
class CallResult(Generic[M]):
    """A parsed structured output and the call's token usage record."""

    parsed: M
    usage: dict[str, Any]


def structured_call(
    model: BaseChatModel,
    schema: type[M],
    messages: Sequence[tuple[str, str]],
    *,
    method: StructuredMethod,
    task: str,
    model_name: str,
) -> CallResult[M]:
    """One call with structured output; usage from the response, else counted with tiktoken."""
    from langchain_core.exceptions import OutputParserException
    from openai import APIError

    sent = list(messages)
    if method == "json_mode":
        sent.insert(1, _schema_message(schema))
    runnable = model.with_structured_output(schema, method=method, include_raw=True)
    try:
        out = runnable.invoke(sent)
    except (APIError, OutputParserException, ValidationError) as exc:
        raise LLMError(f"{task} call failed: {type(exc).__name__}: {exc}") from exc
    if not isinstance(out, dict):
        raise LLMError(f"{task} call returned {type(out).__name__}, expected a dict")
    raw, parsed = out.get("raw"), out.get("parsed")
    if not isinstance(parsed, schema):
        error = out.get("parsing_error")
        raise LLMError(f"{task} output did not match {schema.__name__}: {error}")
    usage = _usage(raw, sent, task=task, model_name=model_name)
    return CallResult(parsed=parsed, usage=usage)


def _usage(
    raw: Any, sent: Sequence[tuple[str, str]], *, task: str, model_name: str
) -> dict[str, Any]:
    """Token usage of one call: the provider's figures, else tiktoken's estimate."""
    meta = getattr(raw, "usage_metadata", None)
    if meta:
        return {
            "task": task,
            "model": model_name,
            "prompt_tokens": int(meta.get("input_tokens", 0)),
            "completion_tokens": int(meta.get("output_tokens", 0)),
            "source": "provider",
        }
    counter = counter_for(model_name)
    completion = _completion_text(raw) if raw is not None else ""
    return {
        "task": task,
        "model": model_name,
        "prompt_tokens": counter.count_messages(sent),
        "completion_tokens": counter.count(completion),
        "source": "tiktoken-approximate" if counter.approximate else "tiktoken",
    }
