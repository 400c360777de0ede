"""OpenAI Batch API: export the draft requests, synthesise the output file, import it."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from bench_modules import generate, standin

from playbook.agent.batch.openai_api import export_requests, import_results, read_output
from playbook.agent.context import AgentContext
from playbook.agent.runner import BriefResult
from playbook.agent.services import Services
from playbook.tools.loading import load_accounts
from playbook.tools.models.account import Account
from playbook.tools.rubric import check_brief

ROOT = Path(__file__).resolve().parents[1]
AS_OF = dt.date(2026, 11, 23)
LLM_SECTIONS = ("offer_map", "trigger_log", "script", "objections", "calendar")





@pytest.fixture(scope="module")
def accounts(tmp_path_factory: pytest.TempPathFactory) -> list[Account]:
    rows = list(generate.generate_book(40, seed=11, as_of=AS_OF))
    path = tmp_path_factory.mktemp("book") / "book.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    loaded = load_accounts(path).accounts
    with_notes = next(a for a in loaded if a.notes)
    others = [a for a in loaded if a is not with_notes]
    return [with_notes, *others[:2]]


def synthesise_output(requests: Path, out: Path, *, skip: set[str] = frozenset()) -> None:
    """Answer every request line as the Batch API would (one output line each)."""
    lines = []
    for i, text in enumerate(requests.read_text(encoding="utf-8").splitlines()):
        request = json.loads(text)
        if request["custom_id"] in skip:
            continue
        body = standin.completion_body(request["body"], request_id=f"{i}")
        lines.append(
            {
                "id": f"batch_req_{i}",
                "custom_id": request["custom_id"],
                "response": {"status_code": 200, "request_id": f"req_{i}", "body": body},
                "error": None,
            }
        )
    out.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")


def rubric_passes(result: BriefResult, services: Services, notes: str | None) -> bool:
    retrieved = [g.chunk_id for g in result.brief.guidance]
    report = check_brief(
        result.brief, catalog=services.get_catalog(), retrieved_ids=retrieved, notes=notes
    )
    return bool(report.passed)


@pytest.mark.parametrize("method", ["json_schema", "function_calling", "json_mode"])
def test_round_trip_three_accounts(accounts: list[Account], tmp_path: Path, method: str) -> None:
    services = Services(settings=AgentContext(as_of=AS_OF, structured_output=method))
    requests = tmp_path / "requests.jsonl"
    assert export_requests(accounts, requests, services=services) == 3
    lines = [json.loads(t) for t in requests.read_text(encoding="utf-8").splitlines()]
    assert [line["custom_id"] for line in lines] == [f"draft:{a.account_id}" for a in accounts]
    for line in lines:
        assert line["method"] == "POST" and line["url"] == "/v1/chat/completions"
        body: dict[str, Any] = line["body"]
        assert body["model"] == "gpt-4o-mini"
        assert body["messages"][0]["content"].startswith("Task: draft")
        if method == "function_calling":
            assert body["tools"][0]["function"]["name"] == "DraftProseOut"
        elif method == "json_schema":
            assert body["response_format"]["type"] == "json_schema"
            assert body["response_format"]["json_schema"]["strict"] is True
        else:
            assert body["response_format"] == {"type": "json_object"}

    output = tmp_path / "output.jsonl"
    synthesise_output(requests, output)
    assert set(read_output(output)) == {line["custom_id"] for line in lines}
    results = list(import_results(output, accounts, services=services, requests=requests))
    assert [r.account_id for r in results] == [a.account_id for a in accounts]
    notes = {a.account_id: a.notes for a in accounts}
    for result in results:
        assert isinstance(result, BriefResult)
        assert result.passed, result.report
        assert rubric_passes(result, services, notes[result.account_id])
        assert all(result.brief.provenance[s] == "llm" for s in ("offer_map", "script")), (
            result.brief.provenance
        )
        assert result.llm_calls == 1 and result.usage[0].source == "provider"
        assert result.usage[0].task == "draft"
        assert result.mode == "openai"


def test_missing_errored_and_stale_lines_fall_back_offline(
    accounts: list[Account], tmp_path: Path
) -> None:
    services = Services(settings=AgentContext(as_of=AS_OF))
    requests = tmp_path / "requests.jsonl"
    export_requests(accounts, requests, services=services)
    output = tmp_path / "output.jsonl"
    first, second, third = (f"draft:{a.account_id}" for a in accounts)
    synthesise_output(requests, output, skip={first})
    errored = {
        "id": "batch_req_x",
        "custom_id": second,
        "response": None,
        "error": {"code": "server_error", "message": "the batch request failed"},
    }
    with output.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(errored) + "\n")
    lines = read_output(output)
    assert lines[second].ok, "a successful line is not replaced by a later error"

    tampered = tmp_path / "tampered.jsonl"
    rows = [json.loads(t) for t in requests.read_text(encoding="utf-8").splitlines()]
    rows[2]["body"]["messages"][1]["content"] += " (edited)"
    tampered.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")

    results = {
        r.account_id: r for r in import_results(output, accounts, services=services, requests=tampered)
    }
    missing = results[first[6:]]
    assert isinstance(missing, BriefResult)
    assert set(missing.brief.provenance.values()) == {"fallback"}
    assert any("no Batch API result" in n for n in missing.notices)
    assert missing.passed and missing.llm_calls == 0
    stale = results[third[6:]]
    assert isinstance(stale, BriefResult)
    assert all(stale.brief.provenance[s] == "fallback" for s in LLM_SECTIONS)
    assert any("changed since the export" in n for n in stale.notices)
    kept = results[second[6:]]
    assert isinstance(kept, BriefResult) and kept.brief.provenance["script"] == "llm"


def test_an_error_only_output_file_falls_back(accounts: list[Account], tmp_path: Path) -> None:
    services = Services(settings=AgentContext(as_of=AS_OF))
    output = tmp_path / "errors.jsonl"
    line = {
        "id": "batch_req_1",
        "custom_id": f"draft:{accounts[0].account_id}",
        "response": {
            "status_code": 400,
            "request_id": "r",
            "body": {"error": {"message": "bad request", "type": "invalid_request_error"}},
        },
        "error": None,
    }
    output.write_text(json.dumps(line) + "\n", encoding="utf-8")
    (result,) = import_results(output, accounts[:1], services=services)
    assert isinstance(result, BriefResult)
    assert set(result.brief.provenance.values()) == {"fallback"}
    assert any("status 400: bad request" in n for n in result.notices)
