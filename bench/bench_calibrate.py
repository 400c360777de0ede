"""The cost of calibrating: 50,000 simulated snapshot rows scored, joined and fitted.

Also reports, on the held-out (later) dates, how the calibrated likelihood ranks real
expansions against the fixed readiness score. Results: ``bench/results/calibrate.json``.

    python bench/bench_calibrate.py [--accounts 6250] [--snapshots 8]
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from simulate_history import simulate, write  # noqa: E402

from playbook.tools.book import catalog_items  # noqa: E402
from playbook.tools.calibrate.fit import SnapshotSource, calibrate, load_history  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--accounts", type=int, default=6250)
    parser.add_argument("--snapshots", type=int, default=8)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        t0 = time.perf_counter()
        rows, outcomes = simulate(args.accounts, args.snapshots, seed=7)
        write(folder, rows, outcomes)
        t1 = time.perf_counter()
        history = load_history(
            [SnapshotSource(folder / "snapshots.csv")], folder / "outcomes.csv",
            catalog=catalog_items(None),
        )  # fmt: skip
        t2 = time.perf_counter()
        fitted = calibrate(history)
        t3 = time.perf_counter()
    v = fitted.model.validation
    result = {
        "rows": len(history.labels),
        "positives": sum(history.labels),
        "simulate_s": round(t1 - t0, 2),
        "load_and_score_s": round(t2 - t1, 2),
        "fit_s": round(t3 - t2, 2),
        "total_s": round(t3 - t1, 2),
        "rows_per_s": round(len(history.labels) / (t3 - t1)),
        "ms_per_row": round((t3 - t1) * 1000 / len(history.labels), 3),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "held_out": {
            "auc_fixed": v.auc_fixed, "auc_model": v.auc_model,
            "precision_top_decile_fixed": v.precision_top_decile_fixed,
            "precision_top_decile_model": v.precision_top_decile_model,
            "base_rate": v.base_rate, "test_rows": v.test_rows,
        },
    }  # fmt: skip
    out = HERE / "results" / "calibrate.json"
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
