"""The shared rate limiter: pacing, 429 pauses, its settings, and one real 429 round trip."""

from __future__ import annotations

import datetime as dt
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from bench_modules import standin

from playbook.agent.context import AgentContext, ConfigError
from playbook.agent.llm.client import ChatClient, LLMError, build_chat_client
from playbook.agent.llm.ratelimit import RateLimiter, retry_after_seconds, shared_limiter
from playbook.agent.llm.wire import DraftProseOut
from playbook.agent.services import Services

ROOT = Path(__file__).resolve().parents[1]



class FakeClock:
    """A clock that only moves when someone sleeps (thread-safe)."""

    def __init__(self) -> None:
        self.now = 100.0
        self.sleeps: list[float] = []
        self._lock = threading.Lock()

    def __call__(self) -> float:
        with self._lock:
            return self.now

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.sleeps.append(seconds)
            self.now += seconds


def limiter(
    rpm: int | None, tpm: int | None, clock: FakeClock, burst_s: float = 1.0
) -> RateLimiter:
    return RateLimiter(rpm, tpm, clock=clock, sleep=clock.sleep, burst_s=burst_s)


# --- the buckets --------------------------------------------------------------------------


def test_requests_per_minute_are_paced_in_arrival_order() -> None:
    clock = FakeClock()
    rl = limiter(60, None, clock)
    waits = [rl.acquire() for _ in range(4)]
    assert waits == pytest.approx([0.0, 1.0, 1.0, 1.0])
    assert clock.now == pytest.approx(103.0)
    assert rl.stats()["waits"] == 3


def test_the_burst_window_sets_how_many_go_at_once() -> None:
    clock = FakeClock()
    rl = limiter(600, None, clock, burst_s=1.0)
    assert [rl.acquire() for _ in range(10)] == [0.0] * 10
    assert rl.acquire() == pytest.approx(0.1)


def test_tokens_per_minute_are_paced_by_size() -> None:
    clock = FakeClock()
    rl = limiter(None, 6000, clock, burst_s=1.0)
    assert rl.acquire(100) == 0.0
    assert rl.acquire(200) == pytest.approx(2.0)
    assert rl.acquire(50) == pytest.approx(0.5)


def test_a_request_larger_than_the_bucket_waits_for_its_share_and_is_not_starved() -> None:
    clock = FakeClock()
    rl = limiter(None, 600, clock, burst_s=1.0)
    assert rl.acquire(40) == pytest.approx(3.0)
    assert rl.acquire(1) == pytest.approx(0.1)


def test_both_limits_apply_the_longer_wait() -> None:
    clock = FakeClock()
    rl = limiter(60, 60_000, clock)
    rl.acquire(1000)
    assert rl.acquire(1000) == pytest.approx(1.0)
    assert rl.acquire(3000) == pytest.approx(3.0)


def test_refill_after_idle_time_caps_at_the_burst() -> None:
    clock = FakeClock()
    rl = limiter(60, None, clock, burst_s=2.0)
    rl.acquire()
    rl.acquire()
    clock.sleep(60)
    assert [rl.acquire() for _ in range(2)] == [0.0, 0.0]
    assert rl.acquire() == pytest.approx(1.0)


def test_penalize_pauses_every_caller_and_does_not_stack() -> None:
    clock = FakeClock()
    rl = limiter(None, None, clock)
    assert not rl.limited
    assert rl.acquire(10_000) == 0.0
    rl.penalize(2.0)
    rl.penalize(1.5)
    assert rl.paused_for() == pytest.approx(2.0)
    assert rl.acquire() == pytest.approx(2.0)
    assert rl.acquire() == 0.0
    rl.penalize(float("nan"))
    assert rl.paused_for() == pytest.approx(1.0)
    assert rl.stats()["penalties"] == 3


def test_a_pause_set_while_waiting_is_honoured() -> None:
    clock = FakeClock()
    rl = limiter(60, None, clock)

    def sleep_and_penalize(seconds: float) -> None:
        clock.sleep(seconds)
        if len(clock.sleeps) == 1:
            rl.penalize(5.0)

    rl._sleep = sleep_and_penalize
    rl.acquire()
    assert rl.acquire() == pytest.approx(6.0)


def test_many_threads_never_exceed_the_rate() -> None:
    rl = RateLimiter(6000, None, burst_s=0.05)
    stamps: list[float] = []
    lock = threading.Lock()

    def worker() -> None:
        for _ in range(10):
            rl.acquire()
            with lock:
                stamps.append(time.monotonic())

    threads = [threading.Thread(target=worker) for _ in range(8)]
    start = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert len(stamps) == 80
    assert time.monotonic() - start >= (80 - 5) / 100 - 0.02


def test_invalid_limits_are_refused() -> None:
    with pytest.raises(ValueError):
        RateLimiter(0, None)
    with pytest.raises(ValueError):
        RateLimiter(None, -5)
    with pytest.raises(ValueError):
        RateLimiter(10, None).acquire(-1)


def test_retry_after_headers() -> None:
    assert retry_after_seconds({"Retry-After": "2"}) == 2.0
    assert retry_after_seconds({"retry-after-ms": "250", "retry-after": "1"}) == 0.25
    assert retry_after_seconds({"retry-after": "Wed, 21 Oct 2015 07:28:00 GMT"}) is None
    assert retry_after_seconds({}) is None


def test_shared_limiter_is_one_per_process_and_scope() -> None:
    a = shared_limiter(100, 1000, scope="test-scope")
    assert shared_limiter(100, 1000, scope="test-scope") is a
    assert shared_limiter(100, 1000, scope="other") is not a
    assert shared_limiter(50, 1000, scope="test-scope") is not a


# --- settings and wiring ------------------------------------------------------------------


def test_rpm_tpm_from_env_and_explicit_arguments_win() -> None:
    env = {"PLAYBOOK_RPM": "500", "PLAYBOOK_TPM": "200000"}
    ctx = AgentContext.resolve(env=env)
    assert (ctx.rpm, ctx.tpm) == (500, 200_000)
    ctx = AgentContext.resolve(rpm=50, env=env)
    assert (ctx.rpm, ctx.tpm) == (50, 200_000)
    assert AgentContext.resolve(env={}).rpm is None
    with pytest.raises(ConfigError):
        AgentContext.resolve(env={"PLAYBOOK_RPM": "fast"})
    with pytest.raises(ConfigError):
        AgentContext(rpm=0)


def test_postgres_checkpoints_url_from_env_is_masked() -> None:
    url = "postgresql://app:s3cret@127.0.0.1:5432/playbook"
    ctx = AgentContext.resolve(env={"PLAYBOOK_CHECKPOINTS": url})
    assert ctx.checkpointer_url == url and ctx.checkpointer_path is None
    shown = ctx.describe()["checkpoints"]
    assert "s3cret" not in shown and "app:***@127.0.0.1:5432" in shown
    assert "s3cret" not in repr(ctx)
    path = AgentContext.resolve(env={"PLAYBOOK_CHECKPOINTS": "/tmp/c.sqlite"})
    assert path.checkpointer_url is None and path.checkpointer_path == Path("/tmp/c.sqlite")
    explicit = AgentContext.resolve(
        checkpointer_path="/tmp/x.sqlite", env={"PLAYBOOK_CHECKPOINTS": url}
    )
    assert explicit.checkpointer_url is None
    with pytest.raises(ConfigError):
        AgentContext(checkpointer_url="mysql://x")


def test_services_share_one_limiter_and_pace_the_chat_client_with_it() -> None:
    ctx = AgentContext(mode="compatible", base_url="http://127.0.0.1:9/v1", rpm=1234, tpm=99_999)
    one, two = Services(settings=ctx), Services(settings=ctx)
    assert one.get_limiter() is two.get_limiter()
    assert one.get_limiter() is not None and one.get_limiter().rpm == 1234
    chat = one.get_chat()
    assert chat.limiter is one.get_limiter() and chat.hooked
    assert Services(settings=AgentContext()).get_limiter() is None


# --- a real 429 against the stand-in server -----------------------------------------------


def draft_messages() -> list[tuple[str, str]]:
    facts = (
        '{"account_id":"R-1","contact":{"first_name":"Dana"},"offer":{"item":"Additional seats",'
        '"why":"28 of 30 seats are used"},"trigger":{"evidence":"28 of 30 seats are used"},'
        '"gates":[],"signals":[]}'
    )
    user = (
        f"FACTS (decided by code, JSON):\n{facts}\n\n"
        "OBJECTIONS (key: what the customer says):\n- budget: We need budget.\n\n"
        "GUIDANCE (playbook chunks, cite them by id):\n[offer-capacity#fit] (offer) Fit\ntext"
    )
    return [("system", "Task: draft\nWrite the prose."), ("user", user)]



def draft_call(chat: ChatClient, ctx: AgentContext) -> Any:
    """One strict json_schema drafting call on ``chat``."""
    return chat.call(
        DraftProseOut, draft_messages(), method="json_schema", task="draft", model_name=ctx.model,
    )  # fmt: skip

@pytest.mark.server
def test_one_429_with_retry_after_costs_one_wait_and_exactly_one_retry() -> None:
    with standin.serve(fail_next_429=1, retry_after_s=1.0) as server:
        ctx = AgentContext(
            mode="compatible", base_url=server.base_url, max_retries=2, as_of=dt.date(2026, 5, 20)
        )
        rl = RateLimiter(None, None)
        model = build_chat_client(ctx, limiter=rl)
        start = time.monotonic()
        call = draft_call(model, ctx)
        elapsed = time.monotonic() - start
        stats = server.stats()
    assert call.parsed.script.startswith("Hi Dana")
    assert stats["requests"] == 2
    assert stats["status"] == {"429": 1, "200": 1}
    assert 1.0 <= elapsed < 1.9, elapsed
    assert rl.stats()["penalties"] == 1


@pytest.mark.server
def test_a_429_pauses_the_other_workers_sharing_the_limiter() -> None:
    with standin.serve(latency_ms=50) as server:
        ctx = AgentContext(mode="compatible", base_url=server.base_url, max_retries=2)
        rl = RateLimiter(None, None)
        model = build_chat_client(ctx, limiter=rl)
        server.control(fail_next_429=1, retry_after_s=1.0)
        first = threading.Thread(target=draft_call, args=(model, ctx))
        first.start()
        deadline = time.monotonic() + 5
        while rl.paused_for() == 0 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert rl.paused_for() > 0.5
        start = time.monotonic()
        draft_call(model, ctx)
        waited = time.monotonic() - start
        first.join(timeout=10)
        stats = server.stats()
    assert waited >= 0.5
    assert stats["status"] == {"429": 1, "200": 2}


@pytest.mark.server
def test_a_429_that_outlasts_the_retries_is_an_llm_error_not_a_retry_storm() -> None:
    with standin.serve(fail_next_429=5, retry_after_s=0.1) as server:
        ctx = AgentContext(mode="compatible", base_url=server.base_url, max_retries=1)
        model = build_chat_client(ctx, limiter=RateLimiter(None, None))
        with pytest.raises(LLMError, match="RateLimitError"):
            draft_call(model, ctx)
        assert server.stats()["requests"] == 2
