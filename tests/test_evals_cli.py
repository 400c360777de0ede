"""`playbook eval` on the command line: exit codes, the failing gates listed, the files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from playbook.cli.app import app
from playbook.evals.cases import load_cases

CASES = ["sig-usage-80-exact", "gate-quarter-end-in", "con-price", "adv-injection-score"]
LLM_ENV = (
    "OPENAI_API_KEY", "AZURE_OPENAI_ENDPOINT", "AZURE_OPENAI_API_KEY", "PLAYBOOK_BASE_URL",
    "OPENAI_BASE_URL", "PLAYBOOK_MODE", "PLAYBOOK_API_KEY",
)  # fmt: skip


def subset_file(path: Path, *, wrong_offer: bool = False) -> Path:
    suite = load_cases().select(CASES)
    cases = [c.model_dump(mode="json", exclude_unset=True) for c in suite.cases]
    if wrong_offer:
        cases[0]["expect"]["offer_type"] = "multi_year"
    path.write_text(json.dumps({"version": suite.version, "cases": cases}), encoding="utf-8")
    return path


@pytest.fixture()
def runner() -> CliRunner:
    return CliRunner()


def test_eval_passes_and_writes_both_reports(runner: CliRunner, tmp_path: Path) -> None:
    cases = subset_file(tmp_path / "cases.json")
    result = runner.invoke(app, ["eval", "--cases", str(cases), "--out", str(tmp_path / "res")])
    assert result.exit_code == 0, result.output
    assert "PASS" in result.output and "numbers_grounded" in result.output
    md = list((tmp_path / "res").glob("eval-offline-*.md"))
    js = list((tmp_path / "res").glob("eval-offline-*.json"))
    assert len(md) == len(js) == 1
    data = json.loads(js[0].read_text())
    assert data["passed"] is True and len(data["cases"]) == len(CASES)
    assert {"criteria", "facts", "extraction", "timing", "gates"} <= set(data)
    assert "## Rubric pass rate per criterion" in md[0].read_text()


def test_eval_exits_1_and_lists_the_failing_gate(runner: CliRunner, tmp_path: Path) -> None:
    cases = subset_file(tmp_path / "cases.json", wrong_offer=True)
    result = runner.invoke(app, ["eval", "--cases", str(cases), "--out", str(tmp_path / "res")])
    assert result.exit_code == 1
    assert "facts/offer_type" in result.output
    assert "expected 'multi_year', got 'capacity'" in result.output


def test_eval_llm_mode_without_a_model_exits_2(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in LLM_ENV:
        monkeypatch.delenv(name, raising=False)
    cases = subset_file(tmp_path / "cases.json")
    result = runner.invoke(
        app, ["eval", "--mode", "llm", "--cases", str(cases), "--out", str(tmp_path / "r")]
    )
    assert result.exit_code == 2
    assert "llm mode needs a configured model" in result.output


def test_eval_judge_is_skipped_offline(runner: CliRunner, tmp_path: Path) -> None:
    cases = subset_file(tmp_path / "cases.json")
    result = runner.invoke(
        app, ["eval", "--judge", "--cases", str(cases), "--out", str(tmp_path / "r")]
    )
    assert result.exit_code == 0, result.output
    assert "judge runs in llm mode only" in result.output


def test_eval_reports_a_bad_cases_file(runner: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("version: 1\ncases: []\n", encoding="utf-8")
    result = runner.invoke(app, ["eval", "--cases", str(bad), "--out", str(tmp_path / "r")])
    assert result.exit_code == 2
    assert "bad.yaml" in result.output
