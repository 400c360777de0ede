"""The `playbook` command line: score and brief, as a user runs them."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from playbook.cli.app import app

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
AS_OF = ["--as-of", "2026-11-23"]
runner = CliRunner()


def test_score_json_follows_the_contract() -> None:
    result = runner.invoke(app, ["score", str(EXAMPLES / "accounts.csv"), *AS_OF, "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert len(data) == 41
    scores = [a["readiness_score"] for a in data]
    assert scores == sorted(scores, reverse=True)
    first = data[0]
    for key in ("account_id", "readiness_score", "tier", "signals", "gates", "offer", "trigger"):
        assert key in first
    assert {a["tier"] for a in data} == {"priority", "ready", "candidate", "not_yet"}
    for account in data:
        assert account["readiness_score"] == sum(s["points"] for s in account["signals"])
        for signal in account["signals"]:
            assert signal["evidence"]


def test_score_defaults_to_the_sample_book_and_prints_a_table() -> None:
    result = runner.invoke(app, ["score", *AS_OF])
    assert result.exit_code == 0, result.output
    assert "Expansion-ready accounts as of 2026-11-23 (41 scored)" in result.stdout
    assert "Helix Payments" in result.stdout and "Priority" in result.stdout


def test_score_csv_is_ranked() -> None:
    result = runner.invoke(app, ["score", *AS_OF, "--format", "csv"])
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["rank"] for r in rows[:3]] == ["1", "2", "3"]
    assert rows[0]["readiness_score"] == "46"


def test_bad_rows_are_reported_and_good_rows_still_scored() -> None:
    path = str(EXAMPLES / "accounts_crm_export.csv")
    result = runner.invoke(app, ["score", path, *AS_OF, "--format", "json"])
    assert result.exit_code == 0
    assert "row 6, column NPS Score (nps), value '11'" in result.stderr
    assert "2027-02-30" in result.stderr
    assert len(json.loads(result.stdout)) == 8
    strict = runner.invoke(app, ["score", path, *AS_OF, "--strict", "--format", "csv"])
    assert strict.exit_code == 2


def test_bad_catalog_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "catalog.yaml"
    bad.write_text("items:\n  - id: x\n    name: X\n    type: nonsense\n")
    result = runner.invoke(app, ["score", *AS_OF, "--catalog", str(bad)])
    assert result.exit_code == 2
    assert "nonsense" in result.stderr


def test_brief_from_notes_file_markdown() -> None:
    notes = EXAMPLES / "notes" / "qbr_helix_payments.txt"
    result = runner.invoke(app, ["brief", str(notes), *AS_OF])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith("# Helix Payments: 37/64, Expansion Priority")
    for heading in ("## 2. Offer map", "## 3. Trigger log", "## 4. Opening script",
                    "## 5. Objections", "## 6. 90-day calendar"):
        assert heading in out
    assert "Hi Sofia," in out
    assert "mode=offline" in result.stderr


def test_brief_from_stdin_json_has_sections() -> None:
    notes = (EXAMPLES / "notes" / "p1_outage_quantapay.txt").read_text()
    result = runner.invoke(app, ["brief", "-", *AS_OF, "--format", "json"], input=notes)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data["sections"]) == {"offer_map", "trigger_log", "script", "objections", "calendar"}
    assert "open_problem" in {g["name"] for g in data["gates"]}
    assert data["offer"] is None and data["sections"]["offer_map"]["held"] is True
    assert data["check"]["passed"] is True and data["check"]["details"]["results"]


def test_brief_for_a_data_row_with_notes_combines_them() -> None:
    notes = EXAMPLES / "notes" / "champion_promotion_solvent_labs.txt"
    result = runner.invoke(app, ["brief", str(notes), "--account", "A-06", "--accounts",
                                 str(EXAMPLES / "accounts.csv"), *AS_OF, "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["account_id"] == "A-06" and data["account_name"] == "Solvent Labs"
    assert data["segment"] in {"top", "middle", "bottom"}


def test_brief_for_an_unknown_account_names_it() -> None:
    result = runner.invoke(app, ["brief", "--account", "A-99", "--accounts",
                                 str(EXAMPLES / "accounts.csv"), *AS_OF])
    assert result.exit_code == 2
    assert "'A-99' is not in" in result.stderr


def test_brief_needs_something_to_work_on() -> None:
    result = runner.invoke(app, ["brief", *AS_OF])
    assert result.exit_code != 0


def test_injected_instructions_in_notes_change_nothing(tmp_path: Path) -> None:
    notes = (EXAMPLES / "notes" / "adversarial_note_kestrel.txt").read_text()
    clean = "\n".join(line for line in notes.splitlines() if "nstruction" not in line)
    runs = []
    for text in (notes, clean):
        path = tmp_path / "n.txt"
        path.write_text(text)
        result = runner.invoke(app, ["brief", str(path), *AS_OF, "--format", "json"])
        assert result.exit_code == 0, result.output
        runs.append(json.loads(result.stdout))
    attacked, baseline = runs
    for key in ("readiness_score", "tier", "offer", "gates"):
        assert attacked[key] == baseline[key]
    text = json.dumps(attacked["sections"]).lower()
    assert "90% discount" not in text and "64/64" not in text


def test_score_command_does_not_import_the_heavy_stack() -> None:
    code = (
        "import sys; from typer.testing import CliRunner; from playbook.cli.app import app;"
        "r = CliRunner().invoke(app, ['score', '--as-of', '2026-11-23', '--format', 'csv']);"
        "assert r.exit_code == 0, r.output;"
        "heavy = [m for m in ('langgraph', 'langchain_core', 'chromadb', 'streamlit', 'onnxruntime')"
        " if m in sys.modules]; print(heavy); assert not heavy"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.parametrize("cmd", [["--help"], ["score", "--help"], ["brief", "--help"]])
def test_help(cmd: list[str]) -> None:
    assert runner.invoke(app, cmd).exit_code == 0
