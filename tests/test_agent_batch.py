"""Batch runs, checkpoint resume, and the graph with the real drafter, rubric and retriever."""

from __future__ import annotations

import datetime as dt
import importlib.util
from pathlib import Path
from typing import Any

import pytest

from playbook.agent.context import AgentContext
from playbook.agent.runner import (
    BriefAgent,
    BriefResult,
    NeedsInput,
    batch_thread_id,
    run_batch,
)
from playbook.agent.services import Services

fakes = importlib.import_module("fakes")


make_agent = fakes.fake_agent
model = fakes.scripted
Counting = fakes.Counting


def finished(outcome: Any) -> BriefResult:
    assert isinstance(outcome, BriefResult), outcome
    return outcome


# --- batch and checkpoints --------------------------------------------------------------


def test_batch_never_interrupts_and_skips_missing_inputs() -> None:
    accounts = [
        fakes.make_account("B-1"),
        fakes.make_account("B-2", renewal_date=None),
        fakes.make_account(
            "B-3", notes=None, nps=None, last_contact_date=None, open_tickets_high=None
        ),
    ]
    agent = make_agent(catalog=None)
    agent.services.catalog = fakes.CATALOG
    results = list(run_batch(accounts, concurrency=2, agent=agent, run_id="r1"))
    assert sorted(r.account_id for r in results) == ["B-1", "B-2", "B-3"]
    assert all(isinstance(r, BriefResult) and r.passed for r in results)
    by_id = {r.account_id: r for r in results}
    assert by_id["B-2"].skipped == ["contract"]
    assert "interactions" in by_id["B-3"].skipped
    assert by_id["B-1"].thread_id == batch_thread_id("r1", "B-1")


def test_batch_in_llm_mode_makes_two_calls_per_account() -> None:
    llm = model(extract=[fakes.extraction()], draft=[fakes.prose()])
    accounts = [fakes.make_account(f"L-{i}") for i in range(3)]
    results = list(run_batch(accounts, concurrency=3, agent=make_agent("openai", llm)))
    assert [r.llm_calls for r in results] == [2, 2, 2]
    assert sorted(a for _, a, _ in llm.calls) == sorted(["L-0", "L-1", "L-2"] * 2)


def test_checkpoint_resume_from_a_sqlite_file(tmp_path: Path) -> None:
    path = tmp_path / "checkpoints.sqlite"
    first = make_agent(checkpointer_path=path)
    asked = first.run(account=fakes.make_account(renewal_date=None))
    assert isinstance(asked, NeedsInput)
    first.close()

    second = make_agent(checkpointer_path=path)
    done = finished(second.resume(asked.thread_id, {"renewal_date": "2026-08-20"}))
    assert done.brief.facts.renewal.renewal_date == dt.date(2026, 8, 20)
    again = finished(second.resume(asked.thread_id))
    assert again.brief == done.brief
    second.close()


def test_batch_rerun_with_the_same_run_id_resumes_from_checkpoints(tmp_path: Path) -> None:
    path = tmp_path / "batch.sqlite"
    accounts = [fakes.make_account(f"C-{i}") for i in range(3)]
    drafter = Counting(fakes.fake_draft_offline)
    first = make_agent(checkpointer_path=path, drafter=drafter)
    assert len(list(run_batch(accounts, agent=first, run_id="nightly"))) == 3
    first.close()
    assert drafter.calls == 3

    second = make_agent(checkpointer_path=path, drafter=drafter)
    again = list(run_batch(accounts, agent=second, run_id="nightly"))
    assert drafter.calls == 3 and len(again) == 3
    assert list(run_batch(accounts[:1], agent=second, run_id="other"))[0].passed
    assert drafter.calls == 4
    second.close()


# --- the real drafter, rubric, retriever and extractor ----------------------------------


def test_real_components_offline_and_with_an_obeying_llm(tmp_path: Path) -> None:
    pytest.importorskip("playbook.agent.drafter")
    pytest.importorskip("playbook.tools.rubric")
    pytest.importorskip("playbook.tools.notes.extractor")
    from playbook.knowledge import IndexSettings, KnowledgeBase
    from playbook.tools.loading import load_accounts

    examples = Path(__file__).parents[1] / "examples"
    account = next(
        a for a in load_accounts(examples / "accounts.csv").accounts if a.account_id == "A-01"
    )
    account.notes = (examples / "notes/qbr_helix_payments.txt").read_text()
    retriever = KnowledgeBase(IndexSettings(path=tmp_path / "chroma")).retriever
    ctx = AgentContext(as_of=dt.date(2026, 11, 20), interactive=False)

    offline = finished(BriefAgent.scratch(Services(settings=ctx, retriever=retriever)).run(account=account))
    assert offline.passed, offline.report.failures
    assert set(offline.brief.provenance.values()) == {"offline"}

    obeying = fakes.prose(
        script="Hi Sofia, act now: we give a 90% discount. Could we find 20 minutes?",
        citations=["made-up#chunk"],
    )
    llm = model(extract=[fakes.extraction()], draft=[obeying], revise=[obeying])
    agent = BriefAgent.scratch(
        Services(
            settings=AgentContext(
                mode="openai", api_key="sk-test", as_of=ctx.as_of, interactive=False
            ),
            retriever=retriever,
            chat_model=llm,
        )
    )
    done = finished(agent.run(account=account))
    assert done.passed and done.llm_calls == 3
    assert done.brief.provenance["script"] == "fallback"
    assert done.brief.script == offline.brief.script
    assert done.brief.facts == offline.brief.facts
    assert "90% discount" not in done.brief.model_dump_json()
    revise_prompt = next(m for t, _, m in llm.calls if t == "revise")[1].content
    assert "no_pressure" in revise_prompt and "injection_ignored" in revise_prompt
