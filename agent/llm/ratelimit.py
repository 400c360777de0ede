"""One process-wide pace for LLM calls: requests and tokens per minute, and 429 pauses.

`RateLimiter` holds two token buckets (requests/min and tokens/min) that every batch
worker of the process draws from before each call, plus a shared pause that a 429
response sets from its ``Retry-After``: every caller waits it out, not only the one
that was refused.

Who retries (decided once, here): the OpenAI SDK's ``max_retries`` retries a 429 or
5xx and honours ``retry-after-ms`` / ``retry-after`` itself (up to two minutes); the
graph adds no retry, and the limiter never retries either. The limiter only *paces*
new calls (``acquire`` before each call) and *learns* from 429s (``penalize``, called
from an HTTP response hook on the client, see `agent.llm.build_chat_model`), so a 429
costs one wait of Retry-After seconds and one retry, never a multiplied backoff.

Buckets reserve: an ``acquire`` that does not fit takes its share now (the bucket goes
into debt) and sleeps until the debt is repaid, so callers are served in arrival
order and a large request is never starved by small ones. Each bucket holds at most
``burst_s`` seconds' worth of its rate (default 10 s), so a fresh limiter does not
fire a whole minute's budget at once (providers enforce per-minute limits over
shorter windows).

One limiter paces a whole batch, whatever its processes: a multi-process LLM batch
hosts it in a manager process (`serve_limiter`) and every worker paces through a
`RemoteLimiter` proxy, so its RPM/TPM and 429 pauses hold across the processes.
Separate batches or machines sharing one API key should each get a share of the
organisation's limits.
"""

from __future__ import annotations

import contextlib
import math
import signal
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from multiprocessing.context import BaseContext
from multiprocessing.managers import BaseManager
from typing import Any, Protocol

__all__ = [
    "DEFAULT_PENALTY_S",
    "Pace",
    "RateLimiter",
    "RemoteLimiter",
    "retry_after_seconds",
    "serve_limiter",
    "shared_limiter",
]

DEFAULT_PENALTY_S = 1.0
"""The pause a 429 without a usable Retry-After header imposes on every caller."""
MAX_PENALTY_S = 120.0
"""The longest pause taken from a Retry-After header (the SDK retries up to this too)."""


class Pace(Protocol):
    """What LLM calls are paced by: a `RateLimiter` or a `RemoteLimiter` to one."""

    rpm: int | None
    tpm: int | None

    def acquire(self, tokens: int = 0) -> float:
        """Block until one request of ``tokens`` tokens may go; return the seconds waited."""
        ...

    def penalize(self, retry_after_s: float) -> None:
        """Pause every caller for ``retry_after_s`` seconds (a 429)."""
        ...

    def stats(self) -> dict[str, float | int | None]:
        """Return the limits and what the limiter did."""
        ...


@dataclass
class _Bucket:
    """One token bucket: ``level`` may go negative (reserved debt)."""

    per_minute: int
    capacity: float
    level: float
    updated: float

    @property
    def rate(self) -> float:
        """Refill per second."""
        return self.per_minute / 60.0

    def refill(self, now: float) -> None:
        """Add what the elapsed time earned, up to the capacity."""
        if now > self.updated:
            self.level = min(self.capacity, self.level + (now - self.updated) * self.rate)
            self.updated = now

    def take(self, amount: float) -> float:
        """Reserve ``amount``; return the seconds until the bucket is out of debt."""
        self.level -= amount
        return -self.level / self.rate if self.level < 0 else 0.0


class RateLimiter:
    """Thread-safe token buckets for requests/min and tokens/min, and a shared 429 pause.

    ``rpm`` / ``tpm`` of None leave that dimension unlimited; with both None the
    limiter only spreads 429 pauses. ``clock`` and ``sleep`` are injectable for tests.
    """

    def __init__(
        self,
        rpm: int | None,
        tpm: int | None,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        burst_s: float = 10.0,
    ) -> None:
        """Create full buckets holding ``burst_s`` seconds of each rate."""
        for name, value in (("rpm", rpm), ("tpm", tpm)):
            if value is not None and value < 1:
                raise ValueError(f"{name} must be at least 1 or None, got {value}")
        if burst_s <= 0:
            raise ValueError(f"burst_s must be > 0, got {burst_s}")
        self.rpm, self.tpm, self.burst_s = rpm, tpm, burst_s
        self._clock, self._sleep = clock, sleep
        self._lock = threading.Lock()
        now = clock()
        self._requests = self._bucket(rpm, now, minimum=1.0)
        self._tokens = self._bucket(tpm, now, minimum=1.0)
        self._paused_until = now
        self.waits = 0
        self.waited_s = 0.0
        self.penalties = 0

    def _bucket(self, per_minute: int | None, now: float, *, minimum: float) -> _Bucket | None:
        if per_minute is None:
            return None
        capacity = max(minimum, per_minute / 60.0 * self.burst_s)
        return _Bucket(per_minute=per_minute, capacity=capacity, level=capacity, updated=now)

    @property
    def limited(self) -> bool:
        """True when requests or tokens per minute are limited."""
        return self._requests is not None or self._tokens is not None

    def acquire(self, tokens: int = 0) -> float:
        """Block until one request of ``tokens`` tokens may go; return the seconds waited."""
        if tokens < 0:
            raise ValueError(f"tokens must be >= 0, got {tokens}")
        with self._lock:
            start = now = self._clock()
            wait = self._paused_until - now
            for bucket, amount in ((self._requests, 1), (self._tokens, tokens)):
                if bucket is not None:
                    bucket.refill(now)
                    wait = max(wait, bucket.take(amount))
        while wait > 0:
            self._sleep(wait)
            with self._lock:
                now = self._clock()
                wait = self._paused_until - now
        waited = max(0.0, now - start)
        if waited > 0:
            with self._lock:
                self.waits += 1
                self.waited_s += waited
        return waited

    def penalize(self, retry_after_s: float) -> None:
        """Pause every caller sharing this limiter for ``retry_after_s`` seconds (a 429)."""
        if not math.isfinite(retry_after_s) or retry_after_s <= 0:
            retry_after_s = DEFAULT_PENALTY_S
        retry_after_s = min(retry_after_s, MAX_PENALTY_S)
        with self._lock:
            self._paused_until = max(self._paused_until, self._clock() + retry_after_s)
            self.penalties += 1

    def paused_for(self) -> float:
        """Seconds left of the current 429 pause (0 when not paused)."""
        with self._lock:
            return max(0.0, self._paused_until - self._clock())

    def stats(self) -> dict[str, float | int | None]:
        """Return the limits and what the limiter did (waits, seconds waited, 429 pauses)."""
        with self._lock:
            return {
                "rpm": self.rpm,
                "tpm": self.tpm,
                "waits": self.waits,
                "waited_s": round(self.waited_s, 3),
                "penalties": self.penalties,
            }

    def __repr__(self) -> str:
        """Show the limits."""
        return f"RateLimiter(rpm={self.rpm}, tpm={self.tpm})"


def retry_after_seconds(headers: Mapping[str, str]) -> float | None:
    """Seconds a 429 asks to wait: ``retry-after-ms``, else a numeric ``retry-after``.

    Header names are matched case-insensitively; an HTTP-date ``retry-after`` or a
    malformed value gives None (the caller then uses `DEFAULT_PENALTY_S`).
    """
    lowered = {k.lower(): v for k, v in headers.items()}
    for name, divisor in (("retry-after-ms", 1000.0), ("retry-after", 1.0)):
        raw = lowered.get(name)
        if raw is None:
            continue
        try:
            value = float(raw) / divisor
        except ValueError:
            continue
        if math.isfinite(value) and value >= 0:
            return value
    return None


_SHARED: dict[tuple[int | None, int | None, str], RateLimiter] = {}
_SHARED_LOCK = threading.Lock()


def shared_limiter(rpm: int | None, tpm: int | None, *, scope: str = "") -> RateLimiter:
    """Return this process's limiter for ``(rpm, tpm, scope)``, creating it on first use.

    Every `Deps` of the process with the same limits and scope (e.g. the endpoint and
    model) shares one limiter, so concurrent batches and chats pace together.
    """
    key = (rpm, tpm, scope)
    with _SHARED_LOCK:
        found = _SHARED.get(key)
        if found is None:
            found = _SHARED[key] = RateLimiter(rpm, tpm)
        return found


class _LimiterManager(BaseManager):
    """A manager process that hosts one `RateLimiter` for several worker processes."""


_LimiterManager.register(
    "RateLimiter", RateLimiter, exposed=("acquire", "penalize", "stats", "paused_for")
)


class RemoteLimiter:
    """A `Pace` whose buckets live in another process (see `serve_limiter`); picklable.

    Each call is one round trip to the manager (~0.1 ms on loopback); ``acquire``
    blocks there, in the manager's thread for this caller's connection.
    """

    def __init__(self, proxy: Any, rpm: int | None, tpm: int | None) -> None:
        """Wrap the manager's ``proxy`` of a limiter with these limits."""
        self.proxy, self.rpm, self.tpm = proxy, rpm, tpm

    def acquire(self, tokens: int = 0) -> float:
        """Block until one request of ``tokens`` tokens may go; return the seconds waited."""
        return float(self.proxy.acquire(tokens))

    def penalize(self, retry_after_s: float) -> None:
        """Pause every caller in every process for ``retry_after_s`` seconds (a 429)."""
        self.proxy.penalize(retry_after_s)

    def stats(self) -> dict[str, float | int | None]:
        """Return the shared limiter's limits and what it did."""
        return dict(self.proxy.stats())

    def __repr__(self) -> str:
        """Show the limits."""
        return f"RemoteLimiter(rpm={self.rpm}, tpm={self.tpm})"


@contextlib.contextmanager
def serve_limiter(
    rpm: int | None, tpm: int | None, *, context: BaseContext | None = None
) -> Iterator[RemoteLimiter]:
    """Host one `RateLimiter` in a manager process for the duration; yield its proxy."""
    manager = _LimiterManager(ctx=context)
    manager.start(signal.signal, (signal.SIGINT, signal.SIG_IGN))  # Ctrl-C is the batch's
    try:
        proxy = manager.RateLimiter(rpm, tpm)  # type: ignore[attr-defined]
        yield RemoteLimiter(proxy, rpm, tpm)
    finally:
        manager.shutdown()
