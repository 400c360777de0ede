"""`playbook batch`: every file written, resume, kill-and-resume, failures, bad rows, dry run."""

from __future__ import annotations

import csv
import datetime as dt
import importlib.util
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import vobject
from bench_modules import generate, standin
from typer.testing import CliRunner

from playbook.agent.batch.estimate import dry_run
from playbook.agent.batch.files import facts_from_document, safe_name
from playbook.agent.batch.run import BatchRequest, run_batch_to_dir
from playbook.agent.context import AgentContext
from playbook.agent.services import Services
from playbook.cli.app import app
from playbook.tools.models.assessment import Assessment

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
AS_OF = dt.date(2026, 11, 23)
AS_OF_ARGS = ["--as-of", AS_OF.isoformat()]
OFFLINE_ENV = {"PLAYBOOK_MODE": "offline"}
PORTFOLIO = ("ranked.csv", "offer_map.md", "trigger_log.csv", "calendar.csv", "calendar.ics",
             "index.md")  # fmt: skip
LINK_RE = re.compile(r"\]\(([^)]+)\)")
KILL_BOOK = 600
KILL_AFTER = 25
KILL_TIMEOUT_S = 180.0
RUN_TIMEOUT_S = 300.0
runner = CliRunner()



fakes = importlib.import_module("fakes")


def offline(**values: Any) -> AgentContext:
    return AgentContext(as_of=AS_OF, interactive=False, **values)


def write_book(path: Path, n: int, seed: int = 7) -> Path:
    rows = list(generate.generate_book(n, seed=seed, as_of=AS_OF))
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def briefs(out: Path) -> dict[str, list[Path]]:
    found: dict[str, list[Path]] = {}
    for path in sorted((out / "briefs").iterdir()):
        found.setdefault(path.suffix, []).append(path)
    return found


def documents(out: Path) -> dict[str, dict[str, Any]]:
    docs = {}
    for path in (out / "briefs").glob("*.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        docs[data["account_id"]] = data
    return docs


def run_json(out: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((out / "run.json").read_text(encoding="utf-8"))
    return data


def assert_complete(out: Path, accounts: int) -> None:
    """Every account has exactly one whole brief and the portfolio agrees with them."""
    files = briefs(out)
    assert set(files) <= {".md", ".json"}, set(files)
    assert len(files[".md"]) == len(files[".json"]) == accounts
    assert {p.stem for p in files[".md"]} == {p.stem for p in files[".json"]}
    assert not [p for p in (out / "briefs").iterdir() if p.name.startswith(".")]
    docs = documents(out)
    assert len(docs) == accounts
    for doc in docs.values():
        assert doc["batch"]["input_sha256"] and doc["sections"] and doc["check"]["details"]
    for name in PORTFOLIO:
        assert (out / name).is_file(), name
    ranked = list(csv.DictReader((out / "ranked.csv").open(encoding="utf-8")))
    assert [int(r["rank"]) for r in ranked] == list(range(1, accounts + 1))
    assert {r["account_id"] for r in ranked} == set(docs)
    for r in ranked:
        assert int(r["readiness_score"]) == docs[r["account_id"]]["readiness_score"]
    index = (out / "index.md").read_text(encoding="utf-8")
    links = LINK_RE.findall(index)
    assert len([link for link in links if link.startswith("briefs/")]) == accounts
    for link in links:
        assert (out / link).is_file(), link
    calendar_rows = list(csv.DictReader((out / "calendar.csv").open(encoding="utf-8")))
    events = vobject.readOne((out / "calendar.ics").read_text(encoding="utf-8")).contents.get(
        "vevent", []
    )
    assert len(events) == len(calendar_rows)
    assert len({e.uid.value for e in events}) == len(events)
    per_account: dict[str, int] = {}
    for row in calendar_rows:
        per_account[row["account_id"]] = per_account.get(row["account_id"], 0) + 1
    for account_id, weeks in per_account.items():
        assert weeks == len(docs[account_id]["sections"]["calendar"])
    assert run_json(out)["status"] == "complete"


# --- the sample book through the command ----------------------------------------------


def test_sample_book_writes_every_file(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = runner.invoke(app, ["batch", "--out", str(out), *AS_OF_ARGS], env=OFFLINE_ENV)
    assert result.exit_code == 0, result.output
    assert "mode=offline" in result.stderr
    assert "briefs written" in result.stdout and "41" in result.stdout
    assert_complete(out, 41)
    manifest = run_json(out)
    assert manifest["counts"]["accounts"] == manifest["counts"]["briefs_written"] == 41
    assert manifest["input"]["sha256"] and manifest["as_of"] == AS_OF.isoformat()
    assert manifest["mode"]["mode"] == "offline" and manifest["tokens"]["llm_calls"] == 0
    errors = list(csv.DictReader((out / "errors.csv").open(encoding="utf-8")))
    assert errors == []
    helix = documents(out)["A-01"]
    assert (out / "briefs" / "A-01.md").read_text(encoding="utf-8").startswith("# Helix Payments")
    assert helix["account_name"] == "Helix Payments" and helix["segment"] in {"top", "middle"}
    assert set(helix["sections"]) == {"offer_map", "trigger_log", "script", "objections",
                                      "calendar"}  # fmt: skip
    assert helix["batch"]["mode"] == "offline" and "provenance" in helix


def test_facts_read_back_from_a_brief_equal_the_decided_ones(tmp_path: Path) -> None:
    from playbook.agent.runner import BriefAgent, BriefResult
    from playbook.agent.services import Services
    from playbook.tools.loading import load_accounts

    account = load_accounts(EXAMPLES / "accounts.csv").accounts[3]
    out = tmp_path / "out"
    run_batch_to_dir(BatchRequest(EXAMPLES / "accounts.csv", out, offline()))
    doc = documents(out)[account.account_id]
    again = BriefAgent.scratch(Services(settings=offline())).run(
        account=account, segment=doc["segment"]
    )
    assert isinstance(again, BriefResult)
    assert facts_from_document(doc) == again.brief.facts
    assert isinstance(facts_from_document(doc), Assessment)


# --- resume ----------------------------------------------------------------------------


def test_rerun_skips_unchanged_accounts_and_redoes_a_changed_row(tmp_path: Path) -> None:
    book = tmp_path / "accounts.csv"
    shutil.copy(EXAMPLES / "accounts.csv", book)
    out = tmp_path / "out"
    request = BatchRequest(book, out, offline())
    first = run_batch_to_dir(request)
    assert (first.written, first.skipped) == (41, 0)
    ranked = (out / "ranked.csv").read_text(encoding="utf-8")
    offers = (out / "offer_map.md").read_text(encoding="utf-8")
    before = documents(out)

    again = run_batch_to_dir(request)
    assert (again.written, again.skipped, again.failed) == (0, 41, 0)
    assert (out / "ranked.csv").read_text(encoding="utf-8") == ranked
    assert (out / "offer_map.md").read_text(encoding="utf-8") == offers
    assert_complete(out, 41)

    text = book.read_text(encoding="utf-8")
    assert "Sofia Marchetti" in text
    book.write_text(text.replace("Sofia Marchetti", "Sofia Rossi"), encoding="utf-8")
    changed = run_batch_to_dir(request)
    assert (changed.written, changed.skipped) == (1, 40)
    after = documents(out)
    key = "input_sha256"
    redone = [i for i in after if after[i]["batch"][key] != before[i]["batch"][key]]
    assert redone == ["A-01"]
    assert after["A-01"]["contact_name"] == "Sofia Rossi"
    assert "Sofia" in after["A-01"]["sections"]["script"]["text"]

    fresh = run_batch_to_dir(BatchRequest(book, out, offline(), fresh=True))
    assert (fresh.written, fresh.skipped) == (41, 0)


def test_a_changed_setting_redoes_every_account(tmp_path: Path) -> None:
    out = tmp_path / "out"
    run_batch_to_dir(BatchRequest(EXAMPLES / "accounts.csv", out, offline()))
    later = offline().with_values(as_of=AS_OF + dt.timedelta(days=7))
    report = run_batch_to_dir(BatchRequest(EXAMPLES / "accounts.csv", out, later))
    assert (report.written, report.skipped) == (41, 0)
    assert {d["as_of"] for d in documents(out).values()} == {"2026-11-30"}


def test_kill_and_resume_loses_nothing_and_leaves_no_partial_file(tmp_path: Path) -> None:
    book = write_book(tmp_path / "book.csv", KILL_BOOK)
    out = tmp_path / "out"
    command = [sys.executable, "-m", "playbook.cli", "batch", str(book), "--out", str(out),
               *AS_OF_ARGS, "--concurrency", "2"]  # fmt: skip
    env = {**os.environ, **OFFLINE_ENV}
    proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)  # fmt: skip
    deadline = time.monotonic() + KILL_TIMEOUT_S
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            folder = out / "briefs"
            if folder.is_dir() and len(list(folder.glob("*.json"))) >= KILL_AFTER:
                break
            time.sleep(0.02)
        assert proc.poll() is None, "the batch finished before it could be killed"
        os.killpg(proc.pid, signal.SIGKILL)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    assert not (out / "run.json").exists()
    kept = documents(out)
    assert KILL_AFTER <= len(kept) < KILL_BOOK
    for path in (out / "briefs").glob("*.md"):
        assert path.read_text(encoding="utf-8").startswith("# ")

    done = subprocess.run(command, env=env, capture_output=True, text=True,
                          timeout=RUN_TIMEOUT_S)  # fmt: skip
    assert done.returncode == 0, done.stderr
    counts = run_json(out)["counts"]
    assert counts["skipped_unchanged"] == len(kept)
    assert counts["briefs_written"] == KILL_BOOK - len(kept)
    assert_complete(out, KILL_BOOK)
    resumed = documents(out)
    for account_id, doc in kept.items():
        assert resumed[account_id]["batch"]["written_at"] == doc["batch"]["written_at"]


# --- failures and bad input ------------------------------------------------------------


def test_a_failing_account_is_reported_and_the_others_are_written(tmp_path: Path) -> None:
    from playbook.agent.drafter import draft_offline

    def drafter(facts: Any, guidance: Any, *, notes: str | None = None, avoid: Any = ()) -> Any:
        if facts.account_id == "A-07":
            raise ValueError("drafter exploded for A-07")
        return draft_offline(facts, guidance, notes=notes, avoid=avoid)

    out = tmp_path / "out"
    services = Services(settings=offline(), drafter=drafter)
    request = BatchRequest(EXAMPLES / "accounts.csv", out, offline())
    report = run_batch_to_dir(request, services=services)
    assert (report.written, report.failed) == (40, 1)
    assert report.failures[0].account_id == "A-07"
    errors = list(csv.DictReader((out / "errors.csv").open(encoding="utf-8")))
    assert [(e["stage"], e["account_id"]) for e in errors] == [("brief", "A-07")]
    assert "drafter exploded" in errors[0]["reason"] and errors[0]["row"]
    assert not (out / "briefs" / "A-07.json").exists()
    ranked = list(csv.DictReader((out / "ranked.csv").open(encoding="utf-8")))
    assert len(ranked) == 40 and "A-07" not in {r["account_id"] for r in ranked}
    assert run_json(out)["counts"]["failed"] == 1

    healed = run_batch_to_dir(BatchRequest(EXAMPLES / "accounts.csv", out, offline()))
    assert (healed.written, healed.skipped, healed.failed) == (1, 40, 0)
    assert_complete(out, 41)


def test_bad_rows_are_listed_and_good_rows_briefed(tmp_path: Path) -> None:
    out = tmp_path / "out"
    book = EXAMPLES / "accounts_crm_export.csv"
    result = runner.invoke(app, ["batch", str(book), "--out", str(out), *AS_OF_ARGS],
                           env=OFFLINE_ENV)  # fmt: skip
    assert result.exit_code == 0, result.output
    errors = list(csv.DictReader((out / "errors.csv").open(encoding="utf-8")))
    nps = [e for e in errors if e["column"] == "NPS Score"]
    assert nps and nps[0]["row"] == "6" and nps[0]["value"] == "11" and nps[0]["reason"]
    assert any(e["value"] == "2027-02-30" for e in errors)
    assert {e["stage"] for e in errors} == {"load"}
    assert_complete(out, 8)
    assert run_json(out)["counts"]["row_errors"] == len(
        [e for e in errors if e["severity"] == "error"]
    )


def test_odd_account_ids_get_distinct_safe_file_names(tmp_path: Path) -> None:
    book = tmp_path / "odd.csv"
    ids = ["acme/1", "acme_1", "../escape", "ünï côde", "A-1"]
    book.write_text(
        "account_id,account_name\n" + "".join(f"{i},Company {n}\n" for n, i in enumerate(ids)),
        encoding="utf-8",
    )
    out = tmp_path / "out"
    report = run_batch_to_dir(BatchRequest(book, out, offline()))
    assert report.written == len(ids)
    names = {safe_name(i) for i in ids}
    assert len(names) == len(ids) and safe_name("A-1") == "A-1"
    assert all(re.fullmatch(r"[A-Za-z0-9._-]+", n) and not n.startswith(".") for n in names)
    assert_complete(out, len(ids))
    assert set(documents(out)) == set(ids)


def test_a_second_batch_on_the_same_out_dir_is_refused(tmp_path: Path) -> None:
    import fcntl

    from playbook.agent.batch.run import LOCK_FILE, BatchAborted

    out = tmp_path / "out"
    out.mkdir()
    with open(out / LOCK_FILE, "a+b") as held:
        fcntl.flock(held.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        with pytest.raises(BatchAborted, match="another batch"):
            run_batch_to_dir(BatchRequest(EXAMPLES / "accounts.csv", out, offline()))
    assert run_batch_to_dir(BatchRequest(EXAMPLES / "accounts.csv", out, offline())).written == 41


# --- LLM modes: dry run, checkpoints, Batch API ---------------------------------------


def llm_book(path: Path, n: int) -> Path:
    accounts = [fakes.make_account(f"L-{i}") for i in range(n)]
    rows = [a.model_dump(mode="json", exclude={"row", "extra"}) for a in accounts]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        for row in rows:
            writer.writerow({k: ";".join(v) if isinstance(v, list) else v for k, v in row.items()})
    return path


def test_dry_run_calls_nothing_and_prints_an_estimate(tmp_path: Path) -> None:
    book = llm_book(tmp_path / "book.csv", 3)
    out = tmp_path / "out"
    model = fakes.scripted(extract=[fakes.extraction()], draft=[fakes.prose()])
    services = fakes.fake_services("openai", model)
    estimate = dry_run(BatchRequest(book, out, services.settings), services=services)
    assert model.calls == [] and not out.exists()
    assert (estimate.accounts, estimate.to_do, estimate.calls) == (3, 3, 6)
    assert estimate.prompt_tokens > 0 and estimate.completion_tokens > 0
    assert estimate.cost_usd is not None and estimate.cost_usd > 0
    assert estimate.worst_case_cost_usd is not None
    assert estimate.worst_case_cost_usd > estimate.cost_usd

    env = {"OPENAI_API_KEY": "sk-test", "PLAYBOOK_BASE_URL": "http://127.0.0.1:9/v1"}
    result = runner.invoke(
        app, ["batch", str(EXAMPLES / "accounts.csv"), "--out", str(out), *AS_OF_ARGS,
              "--dry-run"], env=env,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "mode=compatible" in result.stderr
    for label in ("LLM calls", "prompt tokens", "completion tokens", "cost"):
        assert label in result.stdout
    assert not out.exists()


def test_llm_batch_checkpoints_counts_tokens_and_resumes(tmp_path: Path) -> None:
    book = llm_book(tmp_path / "book.csv", 3)
    out = tmp_path / "out"
    model = fakes.scripted(extract=[fakes.extraction()], draft=[fakes.prose()])
    services = fakes.fake_services("openai", model)
    request = BatchRequest(book, out, services.settings, concurrency=2)
    report = run_batch_to_dir(request, services=services)
    assert (report.written, report.failed, report.engine) == (3, 0, "threads")
    assert report.llm_calls == 6 and report.prompt_tokens > 0 and report.completion_tokens > 0
    assert (out / ".checkpoints.sqlite").is_file()
    manifest = run_json(out)
    assert manifest["tokens"]["llm_calls"] == 6 and manifest["cost_usd"] > 0
    assert all(d["batch"]["llm_calls"] == 2 for d in documents(out).values())

    again = run_batch_to_dir(request, services=services)
    assert (again.written, again.skipped, again.llm_calls) == (0, 3, 0)
    assert len(model.calls) == 6


def test_openai_batch_export_then_import_writes_the_briefs(tmp_path: Path) -> None:
    book = write_book(tmp_path / "book.csv", 6, seed=11)
    out = tmp_path / "out"
    requests = tmp_path / "requests.jsonl"
    base = ["batch", str(book), "--out", str(out), *AS_OF_ARGS]
    exported = runner.invoke(app, [*base, "--export-openai-batch", str(requests)],
                             env=OFFLINE_ENV)  # fmt: skip
    assert exported.exit_code == 0, exported.output
    lines = [json.loads(t) for t in requests.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == 6 and not (out / "briefs").exists()
    output = tmp_path / "output.jsonl"
    answers = [
        {"custom_id": line["custom_id"], "error": None,
         "response": {"status_code": 200, "body": standin.completion_body(line["body"])}}
        for line in lines
    ]  # fmt: skip
    output.write_text("".join(json.dumps(a) + "\n" for a in answers), encoding="utf-8")

    imported = runner.invoke(app, [*base, "--import-openai-batch", str(output)], env=OFFLINE_ENV)
    assert imported.exit_code == 0, imported.output
    assert_complete(out, 6)
    docs = documents(out)
    assert all(d["batch"]["llm_calls"] == 1 for d in docs.values())
    assert any("llm" in d["provenance"].values() for d in docs.values())
    # imported briefs carry the revenue segment, as briefs of a live run do
    assert all(d["segment"] in {"top", "middle", "bottom"} for d in docs.values())
    assert all(d["segment"] == d["batch"]["segment"] for d in docs.values())

    again = runner.invoke(app, base, env=OFFLINE_ENV)
    assert again.exit_code == 0
    assert run_json(out)["counts"]["skipped_unchanged"] == 6
    left = runner.invoke(app, [*base, "--export-openai-batch", str(requests)], env=OFFLINE_ENV)
    assert left.exit_code == 0 and "0 Batch API request(s)" in left.stdout


@pytest.mark.parametrize("flag", ["--help"])
def test_help(flag: str) -> None:
    result = runner.invoke(app, ["batch", flag])
    assert result.exit_code == 0
    for option in ("--out", "--concurrency", "--run-id", "--fresh", "--dry-run", "--rpm"):
        assert option in result.stdout
