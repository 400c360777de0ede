"""Calibrating readiness on outcomes: a simulated history whose ground truth is known."""

from __future__ import annotations

import csv
import importlib.util
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from playbook.cli.app import app
from playbook.tools.book import catalog_items, score_book
from playbook.tools.calibrate.fit import (
    CalibrationError,
    Fitted,
    SnapshotSource,
    calibrate,
    load_history,
    precision_at_top,
)
from playbook.tools.calibrate.model import LikelihoodModel, ModelError
from playbook.tools.output.export import RANKED_COLUMNS, ranked_columns

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "examples" / "accounts.csv"


def _simulator() -> Any:
    spec = importlib.util.spec_from_file_location(
        "simulate_history", ROOT / "bench" / "simulate_history.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def history_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    sim = _simulator()
    rows, outcomes = sim.simulate(accounts=700, snapshots=6, seed=11)
    folder = tmp_path_factory.mktemp("history")
    sim.write(folder, rows, outcomes)
    return folder


@pytest.fixture(scope="module")
def fitted(history_dir: Path) -> Fitted:
    history = load_history(
        [SnapshotSource(history_dir / "snapshots.csv")],
        history_dir / "outcomes.csv",
        catalog=catalog_items(None),
    )
    return calibrate(history)


def test_the_calibrated_likelihood_beats_the_fixed_score_out_of_sample(fitted: Fitted) -> None:
    v = fitted.model.validation
    assert v.test_dates and max(v.train_dates) < min(v.test_dates)
    assert v.auc_model > v.auc_fixed + 0.08, v
    assert v.precision_top_decile_model > v.precision_top_decile_fixed, v
    assert v.test_rows + v.train_rows == fitted.model.fitted_rows


def test_the_model_recovers_the_factors_of_the_simulation(fitted: Fitted) -> None:
    weights = {f.name: f.weight for f in fitted.model.features}
    for factor in ("renewal_within_90d", "logins", "plan:growth", "tenure_years", "usage_ratio"):
        assert weights[factor] > 0, (factor, weights[factor])
    assert weights["open_tickets"] + weights["gate:open_problem"] < 0
    strongest = max(abs(w) for w in weights.values())
    for noise in ("signal:company_grew", "signal:new_initiative", "signal:asked_missing_features"):
        assert abs(weights[noise]) < strongest / 3, (noise, weights[noise])


def test_the_model_file_holds_no_account_data(
    fitted: Fitted, history_dir: Path, tmp_path: Path
) -> None:
    path = tmp_path / "model.json"
    fitted.model.save(path)
    text = path.read_text(encoding="utf-8")
    with (history_dir / "snapshots.csv").open(encoding="utf-8") as handle:
        first = next(csv.DictReader(handle))
    assert first["account_id"] not in text and first["account_name"] not in text
    again = LikelihoodModel.load(path)
    assert again == fitted.model


def test_applying_the_model_adds_likelihood_and_reasons_only(
    fitted: Fitted, tmp_path: Path
) -> None:
    plain = score_book(SAMPLE, as_of=date(2026, 11, 20))
    modelled = score_book(SAMPLE, as_of=date(2026, 11, 20), model=fitted.model)
    by_id = {a.account_id: a for a in plain.ranked}
    for facts in modelled.ranked:
        before = by_id[facts.account_id]
        assert facts.readiness_score == before.readiness_score and facts.tier == before.tier
        assert facts.offer == before.offer and facts.gates == before.gates
        assert facts.expansion_likelihood is not None and 0 < facts.expansion_likelihood < 1
        assert 1 <= len(facts.likelihood_reasons) <= 3
        assert all(r.text.endswith(("raises it", "lowers it")) for r in facts.likelihood_reasons)
    assert [a.account_id for a in modelled.ranked] == [a.account_id for a in plain.ranked]
    assert ranked_columns(plain.ranked) == RANKED_COLUMNS
    assert "expansion_likelihood" in ranked_columns(modelled.ranked)
    by_likelihood = score_book(
        SAMPLE, as_of=date(2026, 11, 20), model=fitted.model, rank_by="likelihood"
    )
    values = [a.expansion_likelihood or 0 for a in by_likelihood.ranked]
    assert values == sorted(values, reverse=True)


def test_too_few_positives_is_refused_with_a_reason(history_dir: Path, tmp_path: Path) -> None:
    outcomes = tmp_path / "outcomes.csv"
    with (history_dir / "outcomes.csv").open(encoding="utf-8") as src, outcomes.open("w") as dst:
        rows = list(csv.DictReader(src))
        kept = 0
        for row in rows:
            if row["expanded"] == "1":
                kept += 1
                row["expanded"] = "1" if kept <= 10 else "0"
        writer = csv.DictWriter(dst, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    history = load_history(
        [SnapshotSource(history_dir / "snapshots.csv")], outcomes, catalog=catalog_items(None)
    )
    with pytest.raises(CalibrationError, match="only 10 expansion"):
        calibrate(history)


def test_snapshot_dates_from_the_file_name_or_refused(tmp_path: Path) -> None:
    assert SnapshotSource.parse("q3.csv@2026-09-30") == SnapshotSource(
        Path("q3.csv"), date(2026, 9, 30)
    )
    assert SnapshotSource.parse("q3.csv").as_of is None
    with pytest.raises(CalibrationError, match="YYYY-MM-DD"):
        SnapshotSource.parse("q3.csv@30/09/2026")
    outcomes = tmp_path / "outcomes.csv"
    outcomes.write_text(
        "account_id,snapshot_date,expanded\nA-01,2026-09-30,1\nA-02,30/9/26,1\n"
        "A-03,2026-09-30,yes\n",
        encoding="utf-8",
    )
    history = load_history(
        [SnapshotSource(SAMPLE, date(2026, 9, 30))], outcomes, catalog=catalog_items(None)
    )
    assert history.labels == [1]
    assert any("row 3, snapshot_date '30/9/26'" in p for p in history.problems)
    assert any("row 4, expanded 'yes'" in p for p in history.problems)
    with pytest.raises(CalibrationError, match="no snapshot_date"):
        load_history([SnapshotSource(SAMPLE)], outcomes, catalog=catalog_items(None))


def test_precision_at_the_top_counts_ties_pro_rata() -> None:
    assert precision_at_top([3, 2, 1, 0], [1, 0, 0, 0], share=0.25) == 1.0
    assert precision_at_top([1, 1, 1, 1], [1, 0, 0, 0], share=0.5) == 0.25


def test_calibrate_and_score_with_the_model_from_the_cli(history_dir: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    model = tmp_path / "model.json"
    done = runner.invoke(
        app,
        [
            "calibrate",
            str(history_dir / "snapshots.csv"),
            "--outcomes",
            str(history_dir / "outcomes.csv"),
            "--out",
            str(model),
        ],
    )
    assert done.exit_code == 0, done.output
    assert "ROC AUC" in done.output and "precision in the top decile" in done.output
    assert "a renewal within 90 days" in done.output
    scored = runner.invoke(
        app,
        [
            "score",
            str(SAMPLE),
            "--as-of",
            "2026-11-20",
            "--model",
            str(model),
            "--rank-by",
            "likelihood",
            "--format",
            "json",
        ],
    )
    assert scored.exit_code == 0, scored.output
    data = json.loads(scored.stdout)
    likelihoods = [a["expansion_likelihood"] for a in data]
    assert likelihoods == sorted(likelihoods, reverse=True)
    assert all(len(a["likelihood_reasons"]) <= 3 for a in data)
    refused = runner.invoke(app, ["score", str(SAMPLE), "--rank-by", "likelihood"])
    assert refused.exit_code != 0 and "--model" in refused.output
    broken = tmp_path / "broken.json"
    broken.write_text("{}", encoding="utf-8")
    bad = runner.invoke(app, ["score", str(SAMPLE), "--model", str(broken)])
    assert bad.exit_code == 2


def test_a_model_of_another_version_is_refused(fitted: Fitted, tmp_path: Path) -> None:
    path = tmp_path / "old.json"
    path.write_text(
        fitted.model.model_copy(update={"version": 99}).model_dump_json(), encoding="utf-8"
    )
    with pytest.raises(ModelError, match="version 99"):
        LikelihoodModel.load(path)
