"""Offline `playbook batch` at scale: 1,000 vs 10,000 generated accounts, and brief latency.

Usage: python bench/bench_batch.py [--sizes 1000 10000] [--repeat N]

For each size, `playbook batch BOOK --out DIR` runs as a subprocess on a fresh out dir
after `sync` (wall time includes start-up; the best of N runs is kept), then once more on the same
out dir (a resume where every account is skipped). Figures come from the wall clock
and the run's run.json (briefing time, CPU and peak RSS of the parent and of the
worker processes, retrieval memo hits and misses). Wall time is modelled as fixed
start-up plus a marginal cost per brief from the two sizes (the cost per account
should not grow with the book). Also measured: the warm latency of one brief through
the graph (offline, in process) and the cold start of `playbook brief NOTES --as-of`.
Writes bench/results/batch.json and prints a table.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from generate import write_csv  # noqa: E402

AS_OF = dt.date(2026, 11, 23)
NOTES = ROOT / "examples" / "notes" / "qbr_helix_payments.txt"
ENV = {**os.environ, "PLAYBOOK_MODE": "offline"}


def _load() -> float:
    return os.getloadavg()[0]


def calibration_s() -> float:
    """Seconds for a fixed pure-Python loop: how fast this (shared) machine is right now."""
    t0 = time.perf_counter()
    total = 0
    for i in range(10_000_000):
        total += i % 7
    return round(time.perf_counter() - t0, 3)


def run_batch(book: Path, out: Path) -> dict[str, Any]:
    """Run the command once; return its wall time and run.json."""
    command = ["playbook", "batch", str(book), "--out", str(out), "--as-of", AS_OF.isoformat()]
    load = _load()
    calibration = calibration_s()
    t0 = time.perf_counter()
    subprocess.run(command, check=True, env=ENV, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)  # fmt: skip
    wall = time.perf_counter() - t0
    manifest: dict[str, Any] = json.loads((out / "run.json").read_text(encoding="utf-8"))
    return {"wall_s": wall, "load_before": load, "calibration_s": calibration, "run": manifest}


def batch_figures(n: int, tmp: Path, repeat: int) -> dict[str, Any]:
    """Best-of-``repeat`` fresh runs on ``n`` accounts, then one resume run."""
    book = tmp / f"book_{n}.csv"
    write_csv(book, n, seed=7, as_of=AS_OF)
    runs = []
    out = tmp / f"out_{n}"
    for _ in range(repeat):
        shutil.rmtree(out, ignore_errors=True)
        os.sync()
        runs.append(run_batch(book, out))
    best = min(runs, key=lambda r: r["wall_s"])
    os.sync()
    resume = run_batch(book, out)
    manifest = best["run"]
    timings = manifest["timings"]
    resources = manifest["resources"]
    cpu = resources["cpu_s"]["parent"] + resources["cpu_s"]["workers"]
    counts = manifest["counts"]
    assert counts["briefs_written"] == n and counts["failed"] == 0, counts
    assert resume["run"]["counts"]["skipped_unchanged"] == n
    return {
        "accounts": n,
        "wall_s": round(best["wall_s"], 2),
        "wall_runs_s": [round(r["wall_s"], 2) for r in runs],
        "load_before": [round(r["load_before"], 2) for r in runs],
        "calibration_s": [r["calibration_s"] for r in runs],
        "briefing_s": timings["briefs_s"],
        "briefs_per_s": round(n / best["wall_s"], 1),
        "ms_per_brief_wall": round(best["wall_s"] * 1000 / n, 2),
        "cpu_s": round(cpu, 2),
        "cpu_ms_per_brief": round(cpu * 1000 / n, 2),
        "cpu_parent_s": resources["cpu_s"]["parent"],
        "cpu_workers_s": resources["cpu_s"]["workers"],
        "peak_rss_parent_mb": resources["peak_rss_mb"]["parent"],
        "peak_rss_worker_mb": resources["peak_rss_mb"]["workers"],
        "engine": manifest["engine"],
        "retrieval_hits": manifest["retrieval"]["hits"],
        "retrieval_misses": manifest["retrieval"]["misses"],
        "rubric_failed": counts["rubric_failed"],
        "resume_wall_s": round(resume["wall_s"], 2),
    }


def warm_brief_ms(samples: int = 300) -> dict[str, float]:
    """Milliseconds per brief through the graph, warm, offline, in this process."""
    from playbook.agent.context import AgentContext
    from playbook.agent.deps import Deps
    from playbook.agent.runner import run_brief
    from playbook.tools.loading import load_accounts

    book = Path(tempfile.mkdtemp()) / "warm.csv"
    write_csv(book, samples + 100, seed=3, as_of=AS_OF)
    accounts = load_accounts(book).accounts
    deps = Deps(context=AgentContext(as_of=AS_OF, interactive=False))
    for account in accounts[:100]:
        run_brief(account=account, deps=deps)
    checkpointed = deps.get_graph()
    plain = checkpointed.copy({"checkpointer": False})
    figures: dict[str, float] = {}
    for name, graph in (("run_brief_ms", None), ("graph_without_checkpointer_ms", plain)):
        t0 = time.perf_counter()
        for account in accounts[100:]:
            if graph is None:
                run_brief(account=account, deps=deps)
            else:
                start = {"account": account.model_dump(mode="json"), "notes": None, "segment": None}
                graph.invoke(start, version="v2")
        figures[name] = round((time.perf_counter() - t0) * 1000 / samples, 2)
    return figures


def cold_brief_s(repeat: int = 3) -> float:
    """Median wall time of `playbook brief NOTES --as-of` (a fresh process each time)."""
    command = ["playbook", "brief", str(NOTES), "--as-of", AS_OF.isoformat()]
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        subprocess.run(command, check=True, env=ENV, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)  # fmt: skip
        runs.append(time.perf_counter() - t0)
    return round(statistics.median(runs), 2)


def main(argv: list[str] | None = None) -> dict[str, Any]:
    """Run the benchmark, write bench/results/batch.json and print a table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000])
    parser.add_argument("--repeat", type=int, default=2, help="fresh runs per size (best kept)")
    args = parser.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="bench_batch_"))
    try:
        sizes = {str(n): batch_figures(n, tmp, args.repeat) for n in args.sizes}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    result: dict[str, Any] = {
        "machine": {"cpus": os.cpu_count(), "processor": platform.processor() or platform.machine(),
                    "python": platform.python_version()},  # fmt: skip
        "as_of": AS_OF.isoformat(),
        "batch": sizes,
        "warm_brief": warm_brief_ms(),
        "cold_brief_s": cold_brief_s(),
    }
    if len(args.sizes) >= 2:
        small, large = sizes[str(min(args.sizes))], sizes[str(max(args.sizes))]
        scale = max(args.sizes) / min(args.sizes)
        marginal = (large["wall_s"] - small["wall_s"]) / (max(args.sizes) - min(args.sizes))
        result["scaling"] = {
            "accounts_ratio": scale,
            "marginal_ms_per_brief": round(marginal * 1000, 2),
            "fixed_s": round(small["wall_s"] - marginal * min(args.sizes), 2),
            "wall_ratio": round(large["wall_s"] / small["wall_s"], 2),
            "briefing_ratio": round(large["briefing_s"] / small["briefing_s"], 2),
            "cpu_ratio": round(large["cpu_s"] / small["cpu_s"], 2),
            "parent_rss_ratio": round(large["peak_rss_parent_mb"] / small["peak_rss_parent_mb"], 2),
            "worker_rss_ratio": round(large["peak_rss_worker_mb"] / small["peak_rss_worker_mb"], 2),
        }
    (HERE / "results").mkdir(exist_ok=True)
    (HERE / "results" / "batch.json").write_text(json.dumps(result, indent=2) + "\n")
    _print(result)
    return result


def _print(result: dict[str, Any]) -> None:
    rows = [
        ("wall_s", "wall time incl. start-up (s)"),
        ("briefs_per_s", "briefs/s (wall)"),
        ("ms_per_brief_wall", "ms per brief (wall)"),
        ("cpu_ms_per_brief", "CPU ms per brief (all processes)"),
        ("briefing_s", "briefing phase (s)"),
        ("peak_rss_parent_mb", "peak RSS parent (MB)"),
        ("peak_rss_worker_mb", "peak RSS worker (MB)"),
        ("retrieval_misses", "retrieval misses"),
        ("retrieval_hits", "retrieval hits"),
        ("resume_wall_s", "resume, all skipped (s)"),
    ]
    sizes = list(result["batch"])
    print(f"{'':36s}" + "".join(f"{n:>12s}" for n in sizes))
    for key, label in rows:
        print(f"{label:36s}" + "".join(f"{result['batch'][n][key]:>12}" for n in sizes))
    for key, value in result.get("scaling", {}).items():
        print(f"{key:36s}{value:>12}")
    for key, value in result["warm_brief"].items():
        print(f"{'warm ' + key:36s}{value:>12}")
    print(f"{'playbook brief cold start (s)':36s}{result['cold_brief_s']:>12}")


if __name__ == "__main__":
    main()
