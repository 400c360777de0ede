"""Scoring throughput on a generated book and cold start of `playbook score`.

Usage: python bench/bench_score.py [N] (default 10000). Prints a table and writes
bench/results/score.json.
"""

from __future__ import annotations

import csv
import json
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate_book  # noqa: E402

from playbook.tools.book import assess_accounts, catalog_items  # noqa: E402
from playbook.tools.loading import load_accounts  # noqa: E402

AS_OF = date(2026, 11, 23)


def _time(fn, repeat: int = 3) -> float:  # type: ignore[no-untyped-def]
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t0)
    return statistics.median(runs)


def _cmd(args: list[str], repeat: int = 3) -> float:
    def run() -> None:
        subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    return _time(run, repeat)


def main(n: int = 10_000) -> dict[str, float]:
    """Run the benchmark and return the figures."""
    tmp = Path(tempfile.mkdtemp())
    book = tmp / "book.csv"
    rows = list(generate_book(n, seed=7, as_of=AS_OF))
    with book.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)

    def read_only() -> None:
        with book.open(newline="", encoding="utf-8") as handle:
            for _ in csv.DictReader(handle):
                pass

    loaded = load_accounts(book)
    catalog = catalog_items(None)
    figures = {
        "accounts": float(len(loaded.accounts)),
        "read_csv_s": _time(read_only),
        "load_s": _time(lambda: load_accounts(book)),
        "assess_s": _time(
            lambda: assess_accounts(
                loaded.accounts, as_of=AS_OF, catalog=catalog, with_calendar=False
            )
        ),
        "assess_with_calendar_s": _time(
            lambda: assess_accounts(loaded.accounts, as_of=AS_OF, catalog=catalog)
        ),
        "cli_score_csv_s": _cmd(
            ["playbook", "score", str(book), "--as-of", AS_OF.isoformat(), "--format", "csv"]
        ),
        "cli_score_json_s": _cmd(
            ["playbook", "score", str(book), "--as-of", AS_OF.isoformat(), "--format", "json"]
        ),
        "cli_help_s": _cmd(["playbook", "--help"]),
        "python_startup_s": _cmd([sys.executable, "-c", "pass"]),
    }
    figures["accounts_per_s_assess"] = figures["accounts"] / figures["assess_s"]
    figures["cli_vs_read_ratio"] = figures["cli_score_csv_s"] / figures["read_csv_s"]
    figures["ms_per_account_end_to_end"] = figures["cli_score_csv_s"] * 1000 / figures["accounts"]
    out = {"machine": platform.processor() or platform.machine(), "n": n, **figures}
    (HERE / "results").mkdir(exist_ok=True)
    (HERE / "results" / "score.json").write_text(json.dumps(out, indent=2) + "\n")
    for key, value in figures.items():
        print(f"{key:32s} {value:12.3f}")
    return figures


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
