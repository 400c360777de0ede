"""LLM-mode batch throughput, overhead, 429 resilience and prompt cost, against the stand-in.

Usage: python bench/bench_llm.py [N] [--concurrency 16] [--latency-ms 200] [--large 10000]

Scenarios run `playbook batch`'s own engine (`agent.batch.run_batch_to_dir`: worker
processes, threads, the shared rate limiter, brief files and portfolio) on N generated
accounts against `bench/standin_server.py` (its own process, the real OpenAI client):

* ``batch_draft_only``: notes removed, 1 call per account; ideal = concurrency / latency.
* ``batch_notes``: a note on every account, 1 extract + 1 draft call; ideal is half that.
* ``batch_draft_only_429``: as draft_only with 10% of requests answered 429 (Retry-After
  0.2 s): every account must come back (none lost).
* ``batch_draft_only_<L>`` (with ``--large L``): draft_only on L accounts, where the
  start-up is amortised as in a real QBR-season run.
* ``one_process_threads``: the in-process API (`agent.runner.run_batch`, a thread per
  call in flight, one process) for comparison: the GIL, not the network, bounds it.
* ``overhead``: latency 0 with one worker: the product's own CPU per account.

Throughput is given end to end (start-up included) and steady (from the 10th
percentile outcome to the last), with the seconds to the first outcome.

Also the naive baseline (one call per account with the whole knowledge base, the
account row and the notes in the prompt) against our extract + draft prompts, in
tiktoken prompt tokens per account and list-price cost per 1,000 accounts.
Writes bench/results/llm.json.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_batch import calibration_s  # noqa: E402
from generate import generate_book, write_csv  # noqa: E402
from standin_server import serve  # noqa: E402

from playbook.agent.batch.run import BatchRequest, run_batch_to_dir  # noqa: E402
from playbook.agent.context import AgentContext  # noqa: E402
from playbook.agent.deps import Deps  # noqa: E402
from playbook.agent.llm.tokens import EXPECTED_COMPLETION, cost_usd, counter_for  # noqa: E402
from playbook.agent.runner import BatchFailure, BriefResult, run_batch  # noqa: E402
from playbook.knowledge import load_chunks  # noqa: E402
from playbook.tools.loading import load_accounts  # noqa: E402
from playbook.tools.models.account import Account  # noqa: E402

AS_OF = dt.date(2026, 11, 23)
MODEL = "gpt-4o-mini"
NOTE = (
    "Call 2026-11-10 with the ops lead: the team is at 28 of 30 seats, two analysts start "
    "in January, and they asked whether reporting could cover the finance team too."
)
RESULTS = HERE / "results" / "llm.json"


def book_csv(n: int, tmp: Path, note: str | None) -> Path:
    """Write a generated book whose notes are all ``note`` (or empty)."""
    path = tmp / f"book_{n}_{'notes' if note else 'plain'}.csv"
    write_csv(path, n, seed=7, as_of=AS_OF, notes=note or "")
    return path


def command_scenario(
    name: str,
    book_path: Path,
    *,
    concurrency: int,
    latency_ms: float,
    calls_per_account: int,
    tmp: Path,
    rate_429: float = 0.0,
) -> dict[str, Any]:
    """One `playbook batch` run (its engine, in this process) against a fresh stand-in."""
    with serve(latency_ms=latency_ms, rate_429=rate_429, retry_after_s=0.2, seed=3) as server:
        ctx = AgentContext(mode="compatible", base_url=server.base_url, as_of=AS_OF, model=MODEL)
        request = BatchRequest(book_path, tmp / f"out_{name}", ctx, concurrency=concurrency)
        stamps: list[float] = []
        cpu0, t0 = time.process_time(), time.perf_counter()
        report = run_batch_to_dir(request, on_outcome=lambda _: stamps.append(time.perf_counter()))
        wall, parent_cpu = time.perf_counter() - t0, time.process_time() - cpu0
        stats = server.stats()
    ideal = concurrency / (latency_ms / 1000 * calls_per_account)
    k = len(stamps) // 10
    steady = (len(stamps) - 1 - k) / (stamps[-1] - stamps[k]) if len(stamps) > k + 1 else 0.0
    end_to_end = report.accounts / wall
    worker_cpu = report.worker_usage[0] if report.worker_usage else None
    return {
        "name": name,
        "engine": report.engine,
        "processes": report.workers,
        "concurrency": concurrency,
        "latency_ms": latency_ms,
        "calls_per_account": calls_per_account,
        "accounts": report.accounts,
        "written": report.written,
        "failed": report.failed,
        "lost": report.accounts - report.written - report.failed,
        "rubric_failed": report.rubric_failed,
        "llm_calls": report.llm_calls,
        "wall_s": round(wall, 3),
        "first_outcome_s": round(stamps[0] - t0, 3) if stamps else None,
        "ideal_accounts_per_s": round(ideal, 2),
        "accounts_per_s_end_to_end": round(end_to_end, 2),
        "accounts_per_s_steady": round(steady, 2),
        "pct_of_ideal_end_to_end": round(100 * end_to_end / ideal, 1),
        "pct_of_ideal_steady": round(100 * steady / ideal, 1),
        "parent_cpu_ms_per_account": round(1000 * parent_cpu / report.accounts, 2),
        "worker_cpu_ms_per_account": (
            round(1000 * worker_cpu / report.accounts, 2) if worker_cpu is not None else None
        ),
        "limiter": report.limiter,
        "server": {
            "requests": stats["requests"],
            "status": stats["status"],
            "max_in_flight": stats["max_in_flight"],
        },
    }


def book(n: int, tmp: Path) -> list[Account]:
    rows = list(generate_book(n, seed=7, as_of=AS_OF))
    path = tmp / "book.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return load_accounts(path).accounts


def with_notes(accounts: list[Account], note: str | None) -> list[Account]:
    return [a.model_copy(update={"notes": note}) for a in accounts]


def run(
    accounts: list[Account],
    base_url: str,
    *,
    concurrency: int,
    checkpoints: Path | None,
    run_id: str,
    max_retries: int = 2,
) -> dict[str, Any]:
    """One batch run; returns counts, wall time and client CPU time."""
    ctx = AgentContext(
        mode="compatible",
        base_url=base_url,
        as_of=AS_OF,
        model=MODEL,
        max_retries=max_retries,
        checkpointer_path=checkpoints,
    )
    deps = Deps(context=ctx)
    deps.get_retriever()
    results: list[BriefResult] = []
    failures: list[BatchFailure] = []
    cpu0, t0 = time.process_time(), time.perf_counter()
    for outcome in run_batch(accounts, concurrency=concurrency, deps=deps, run_id=run_id):
        if isinstance(outcome, BriefResult):
            results.append(outcome)
        else:
            failures.append(outcome)
    wall, cpu = time.perf_counter() - t0, time.process_time() - cpu0
    limiter = deps.get_limiter()
    deps.close()
    llm_sections = ("offer_map", "trigger_log", "script", "objections", "calendar")
    fallback = sum(
        any(r.brief.provenance.get(s) == "fallback" for s in llm_sections) for r in results
    )
    return {
        "accounts": len(accounts),
        "results": len(results),
        "failures": len(failures),
        "lost": len(accounts) - len(results) - len(failures),
        "passed": sum(r.passed for r in results),
        "with_fallback_sections": fallback,
        "llm_calls": sum(r.llm_calls for r in results),
        "prompt_tokens": sum(r.prompt_tokens for r in results),
        "completion_tokens": sum(r.completion_tokens for r in results),
        "wall_s": round(wall, 3),
        "client_cpu_s": round(cpu, 3),
        "limiter": limiter.stats() if limiter else None,
        "_results": results,
    }


def scenario(
    name: str,
    accounts: list[Account],
    *,
    concurrency: int,
    latency_ms: float,
    calls_per_account: int,
    tmp: Path,
    rate_429: float = 0.0,
    checkpoints: bool = True,
) -> dict[str, Any]:
    with serve(latency_ms=latency_ms, rate_429=rate_429, retry_after_s=0.2, seed=3) as server:
        warm = accounts[: max(concurrency, 16)]
        run(warm, server.base_url, concurrency=concurrency, checkpoints=None, run_id="warm")
        server.reset()
        db = tmp / f"{name}.sqlite" if checkpoints else None
        out = run(accounts, server.base_url, concurrency=concurrency, checkpoints=db, run_id=name)
        stats = server.stats()
    out.pop("_results")
    ideal = concurrency / (latency_ms / 1000 * calls_per_account) if latency_ms else None
    rate = out["results"] / out["wall_s"]
    out.update(
        name=name,
        concurrency=concurrency,
        latency_ms=latency_ms,
        calls_per_account=calls_per_account,
        checkpoints="sqlite" if checkpoints else "memory",
        accounts_per_s=round(rate, 2),
        ideal_accounts_per_s=round(ideal, 2) if ideal else None,
        pct_of_ideal=round(100 * rate / ideal, 1) if ideal else None,
        client_cpu_ms_per_account=round(1000 * out["client_cpu_s"] / out["accounts"], 2),
        server={
            "requests": stats["requests"],
            "status": stats["status"],
            "max_in_flight": stats["max_in_flight"],
        },
    )
    return out


def overhead(accounts: list[Account], tmp: Path) -> dict[str, Any]:
    """Latency 0, one call in flight: what the product itself costs per account, warm.

    The same accounts run once before (another run id, the same dependencies), so
    their situations' guidance is in the memo: the figure is the steady per-account
    cost; the first retrieval of each new situation is measured by the batch runs.
    """
    with serve(latency_ms=0) as server:
        ctx = AgentContext(
            mode="compatible",
            base_url=server.base_url,
            as_of=AS_OF,
            model=MODEL,
            checkpointer_path=tmp / "o.sqlite",
        )
        deps = Deps(context=ctx)
        list(run_batch(accounts, concurrency=1, deps=deps, run_id="warm"))
        cpu0, t0 = time.process_time(), time.perf_counter()
        done = list(run_batch(accounts, concurrency=1, deps=deps, run_id="o"))
        wall, cpu = time.perf_counter() - t0, time.process_time() - cpu0
        deps.close()
    assert all(isinstance(r, BriefResult) for r in done)
    return {
        "accounts": len(accounts),
        "wall_ms_per_account": round(1000 * wall / len(accounts), 2),
        "client_cpu_ms_per_account": round(1000 * cpu / len(accounts), 2),
    }


def naive_prompt(account: Account, knowledge: str) -> list[tuple[str, str]]:
    row = account.model_dump(mode="json", exclude={"row", "extra", "notes"})
    system = (
        "You are an account expansion assistant. Using the playbook below, score this "
        "account, decide the offer, the trigger and the 90-day calendar, and write the "
        "brief (offer map, trigger log, script, objection answers, calendar).\n\n"
        f"PLAYBOOK:\n{knowledge}"
    )
    user = f"ACCOUNT:\n{json.dumps(row)}\n\nNOTES:\n{account.notes or '(none)'}"
    return [("system", system), ("user", user)]


def cost_figures(accounts: list[Account], ours: dict[str, Any]) -> dict[str, Any]:
    """Prompt tokens per account and list-price cost per 1,000 accounts: naive vs ours."""
    counter = counter_for(MODEL)
    knowledge = "\n\n".join(f"## {c.title}\n{c.text}" for c in load_chunks())
    naive = [counter.count_messages(naive_prompt(a, knowledge)) for a in accounts]
    results: list[BriefResult] = ours["_results"]
    prompt = [r.prompt_tokens for r in results]
    completion_ours = [r.completion_tokens for r in results]
    n = len(results)
    expected_completion = EXPECTED_COMPLETION["extract"] + EXPECTED_COMPLETION["draft"]
    naive_mean = statistics.mean(naive)
    ours_mean = statistics.mean(prompt)

    def per_1k(prompt_tokens: float, completion_tokens: float) -> float | None:
        cost = cost_usd(MODEL, round(prompt_tokens * 1000), round(completion_tokens * 1000))
        return round(cost, 2) if cost is not None else None

    return {
        "model": MODEL,
        "accounts": n,
        "approximate_tokenizer": counter.approximate,
        "naive_prompt_tokens_per_account": round(naive_mean, 1),
        "ours_prompt_tokens_per_account": round(ours_mean, 1),
        "ours_calls_per_account": round(sum(r.llm_calls for r in results) / n, 2),
        "prompt_token_ratio_naive_over_ours": round(naive_mean / ours_mean, 2),
        "completion_tokens_assumed_per_account": expected_completion,
        "stand_in_completion_tokens_per_account": round(statistics.mean(completion_ours), 1),
        "cost_per_1k_accounts_usd": {
            "naive": per_1k(naive_mean, expected_completion),
            "ours": per_1k(ours_mean, expected_completion),
            "ours_via_batch_api": round((per_1k(ours_mean, expected_completion) or 0) / 2, 2),
        },
        "note": "completion tokens: agent/tokens.py EXPECTED_COMPLETION for extract + draft, "
        "the same for both (the naive call writes the whole brief, so this favours it)",
    }


def main() -> dict[str, Any]:
    parser = argparse.ArgumentParser()
    parser.add_argument("n", nargs="?", type=int, default=1200)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--latency-ms", type=float, default=200.0)
    parser.add_argument(
        "--large", type=int, default=0, help="also a draft-only run on this many accounts"
    )
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-llm-"))
    c, lat = args.concurrency, args.latency_ms
    calibration = calibration_s()
    plain_csv, noted_csv = book_csv(args.n, tmp, None), book_csv(args.n, tmp, NOTE)
    commands = [
        command_scenario(
            "batch_draft_only", plain_csv, concurrency=c, latency_ms=lat, calls_per_account=1,
            tmp=tmp,
        ),
        command_scenario(
            "batch_notes", noted_csv, concurrency=c, latency_ms=lat, calls_per_account=2, tmp=tmp
        ),
        command_scenario(
            "batch_draft_only_429", plain_csv, concurrency=c, latency_ms=lat,
            calls_per_account=1, tmp=tmp, rate_429=0.10,
        ),
    ]  # fmt: skip
    if args.large:
        commands.append(
            command_scenario(
                f"batch_draft_only_{args.large}", book_csv(args.large, tmp, None),
                concurrency=c, latency_ms=lat, calls_per_account=1, tmp=tmp,
            )
        )  # fmt: skip
    accounts = book(min(args.n, 400), tmp)
    plain, noted = with_notes(accounts, None), with_notes(accounts, NOTE)
    in_process = scenario(
        "one_process_threads", plain, concurrency=c, latency_ms=lat, calls_per_account=1, tmp=tmp
    )
    with serve(latency_ms=0) as server:
        ours = run(noted, server.base_url, concurrency=4, checkpoints=None, run_id="cost")
    report = {
        "date": dt.date.today().isoformat(),
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": __import__("os").cpu_count(),
            "calibration_s": calibration,
        },
        "scenarios": {s["name"]: s for s in commands},
        "one_process_threads": in_process,
        "overhead": overhead(plain[:200], tmp),
        "cost": cost_figures(noted, ours),
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(
        f"{'scenario':24} {'engine':14} {'acc/s e2e':>9} {'steady':>7} {'ideal':>6} "
        f"{'% e2e':>6} {'% st':>6} {'1st s':>6} {'lost':>5} {'429s':>5}"
    )
    for s in commands:
        print(
            f"{s['name']:24} {s['engine']:14} {s['accounts_per_s_end_to_end']:9.1f} "
            f"{s['accounts_per_s_steady']:7.1f} {s['ideal_accounts_per_s']:6.1f} "
            f"{s['pct_of_ideal_end_to_end']:6.1f} {s['pct_of_ideal_steady']:6.1f} "
            f"{s['first_outcome_s']:6.2f} {s['lost']:5d} {s['server']['status'].get('429', 0):5d}"
        )
    print(
        f"one process, {c} threads: {in_process['accounts_per_s']} acc/s "
        f"({in_process['pct_of_ideal']}% of ideal), {in_process['client_cpu_ms_per_account']} "
        "ms CPU/account"
    )
    print("overhead:", report["overhead"])
    print("cost:", json.dumps(report["cost"], indent=2))
    return report


if __name__ == "__main__":
    main()
