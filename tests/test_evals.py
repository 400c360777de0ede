"""The evaluation suite as the CI gate, and proof that its gates catch regressions.

`test_offline_eval_passes_every_gate` runs every case of evals/cases through the
real agent (offline) and fails CI when any gate of evals/thresholds.yaml fails.
The mutation tests inject a broken drafter or extractor and check that the
matching gate fails and that `playbook eval` (via `run_command`) exits 1.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from playbook.agent.context import AgentContext
from playbook.agent.drafter import draft_offline
from playbook.agent.services import Services
from playbook.cli.evaluation import EXIT_GATES, EXIT_OK, run_command
from playbook.evals.cases import CaseError, CaseSet, EvalCase, Expected, coverage, load_cases
from playbook.evals.gates import load_thresholds
from playbook.evals.metrics import label_stats
from playbook.evals.results import EvalReport
from playbook.evals.runner import run_eval
from playbook.tools.models.brief import Brief
from playbook.tools.models.findings import NoteFindings
from playbook.tools.notes.extractor import extract_findings
from playbook.tools.rubric.report import RubricReport
from playbook.tools.vocab import ConcernKind, GateName, OfferType, SignalName, Tier, TriggerType

# Clean cases (no known issues, no extraction misses) used by the mutation tests.
SUBSET = [
    "sig-usage-80-exact",
    "tier-35-priority",
    "gate-open-ticket-data",
    "offer-cross-sell-trusted",
    "trig-team-growth-notes",
    "trig-same-day-tie",
    "con-price",
    "adv-injection-score",
]


@pytest.fixture(scope="module")
def suite() -> CaseSet:
    return load_cases()


@pytest.fixture(scope="module")
def offline_report(suite: CaseSet) -> EvalReport:
    return run_eval(suite, mode="offline")


@pytest.fixture(scope="module")
def base_services() -> Services:
    services = Services(settings=AgentContext(mode="offline", interactive=False))
    services.get_retriever()
    return services


def failed(report: EvalReport) -> dict[str, float | None]:
    return {f"{g.group}/{g.name}": g.value for g in report.failed_gates}


def quiet() -> Console:
    return Console(file=open("/dev/null", "w"), width=120)  # noqa: SIM115


def write_subset(suite: CaseSet, ids: list[str], path: Path) -> Path:
    subset = suite.select(ids)
    data = {
        "version": subset.version,
        "theme": "test subset",
        "cases": [c.model_dump(mode="json", exclude_unset=True) for c in subset.cases],
    }
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


# ---- the suite itself -----------------------------------------------------------------


def test_suite_is_versioned_and_covers_the_method(suite: CaseSet) -> None:
    assert suite.version >= 1
    assert len(suite.cases) >= 40
    assert len({c.id for c in suite.cases}) == len(suite.cases)
    cov = coverage(suite.cases)
    assert set(cov["signal"]) == {s.value for s in SignalName}
    assert set(cov["tier"]) == {t.value for t in Tier}
    assert set(cov["gate"]) == {g.value for g in GateName}
    assert set(cov["offer"]) == {o.value for o in OfferType}
    assert set(cov["trigger"]) == {t.value for t in TriggerType}
    concerns = {k.split(":", 1)[1] for k in cov["label"] if k.startswith("concern:")}
    assert concerns == {c.value for c in ConcernKind}
    tags = set(cov["tag"])
    for needed in ("typos", "non-english", "contradictions", "several-people", "partial-dates",
                   "injection", "fake-numbers", "discount-request", "missing:contract",
                   "missing:usage", "boundary", "negation"):  # fmt: skip
        assert needed in tags, needed
    assert all(c.labels is not None for c in suite.cases if c.notes)


def test_expectations_are_internally_consistent() -> None:
    with pytest.raises(ValueError, match="readiness_score"):
        Expected(readiness_score=10, tier="candidate", signals=["usage_80"], gates=[],
                 offer_type=None, trigger_type=None)  # fmt: skip
    with pytest.raises(ValueError, match="tier"):
        Expected(readiness_score=12, tier="ready", signals=["usage_80"], gates=[],
                 offer_type=None, trigger_type=None)  # fmt: skip


def test_case_loader_rejects_bad_files(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("version: 1\ncases:\n  - id: x\n    title: t\n    as_of: 2026-11-20\n")
    with pytest.raises(CaseError):
        load_cases(bad)
    labels = tmp_path / "labels.json"
    case = {"id": "x", "title": "t", "as_of": "2026-11-20", "notes": "hello",
            "expect": {"readiness_score": 0, "tier": "not_yet", "signals": [], "gates": [],
                       "offer_type": None, "trigger_type": None}}  # fmt: skip
    labels.write_text(json.dumps({"version": 1, "cases": [case]}))
    with pytest.raises(CaseError, match="labels"):
        load_cases(labels)


def test_label_stats_counts_per_case() -> None:
    stats = label_stats([({"a", "b"}, {"a", "c"}), ({"a"}, set()), (set(), {"c"})])
    assert (stats["a"].tp, stats["a"].fp, stats["a"].fn) == (1, 0, 1)
    assert stats["a"].recall == 0.5 and stats["a"].precision == 1.0
    assert stats["b"].recall == 0.0 and stats["b"].precision is None
    assert stats["c"].precision == 0.0 and stats["c"].recall is None


# ---- the CI gate ---------------------------------------------------------------------


def test_offline_eval_passes_every_gate(offline_report: EvalReport) -> None:
    assert not failed(offline_report), failed(offline_report)
    assert offline_report.passed
    assert all(c.findings_source in ("run", "none") for c in offline_report.cases)
    # the whole offline eval stays fast; the index warm-up (a build on a fresh machine) aside
    timing = offline_report.timing
    assert timing.total_s - timing.setup_s < 20, timing


def test_no_known_issue_is_silently_fixed(offline_report: EvalReport) -> None:
    # A known engine issue that no longer reproduces: remove its marker from the case.
    assert offline_report.fixed_known_issues == []


def test_every_hard_criterion_is_reported(offline_report: EvalReport) -> None:
    hard = [cid for cid, s in offline_report.criteria.items() if s.hard]
    assert len(hard) == 16
    assert all(offline_report.criteria[c].total == len(offline_report.cases) for c in hard)
    gated = {g.name for g in offline_report.gates if g.group == "rubric"}
    assert set(hard) <= gated


# ---- the gates catch regressions -------------------------------------------------------


def _drafter(mutate: Callable[[Brief], None]) -> Callable[..., Brief]:
    def draft(*args: Any, **kwargs: Any) -> Brief:
        brief = draft_offline(*args, **kwargs)
        mutate(brief)
        return brief

    return draft


def _change_number(brief: Brief) -> None:
    text = brief.script.text
    match = re.search(r"\d+", text)
    if match:  # e.g. "54 of 60 seats" -> "9154 of 60 seats"
        brief.script.text = text[: match.start()] + "91" + text[match.start() :]
    else:
        brief.script.text = text + " They have 9137 users."


def _drop_question_marks(brief: Brief) -> None:
    for answer in brief.objections:
        answer.answer = answer.answer.replace("?", ".")


@pytest.mark.parametrize(
    ("mutate", "criterion"),
    [(_change_number, "numbers_grounded"), (_drop_question_marks, "objections_end_with_question")],
)
def test_a_broken_drafter_fails_the_rubric_gate(
    suite: CaseSet,
    base_services: Services,
    tmp_path: Path,
    mutate: Callable[[Brief], None],
    criterion: str,
) -> None:
    services = dataclasses.replace(base_services, drafter=_drafter(mutate))
    report = run_eval(suite.select(SUBSET), services=services)
    gates = failed(report)
    assert gates[f"rubric/{criterion}"] == 0.0
    assert "rubric/briefs_passing" in gates
    broken = report.cases[0].failures
    assert any(f.id == criterion and f.detail for f in broken)  # the offending text is kept
    cases = write_subset(suite, SUBSET, tmp_path / "subset.json")
    code = run_command(cases_path=cases, out_dir=tmp_path / "out", services=services,
                       console=quiet(), err=quiet())  # fmt: skip
    assert code == EXIT_GATES


def test_the_same_subset_passes_with_the_real_drafter(
    suite: CaseSet, base_services: Services, tmp_path: Path
) -> None:
    cases = write_subset(suite, SUBSET, tmp_path / "subset.json")
    code = run_command(cases_path=cases, out_dir=tmp_path / "out", services=base_services,
                       console=quiet(), err=quiet())  # fmt: skip
    assert code == EXIT_OK
    assert len(list((tmp_path / "out").glob("eval-offline-*.md"))) == 1


def test_the_recheck_is_independent_of_the_agents_own_check(
    suite: CaseSet, base_services: Services
) -> None:
    services = dataclasses.replace(
        base_services,
        drafter=_drafter(_change_number),
        checker=lambda *a, **k: RubricReport(results=[]),
    )
    report = run_eval(suite.select(SUBSET[:3]), services=services)
    gates = failed(report)
    assert "rubric/numbers_grounded" in gates
    assert gates["rubric/agent_agrees"] == 0.0


def test_an_extractor_that_drops_a_signal_fails_its_recall_gate(
    suite: CaseSet, base_services: Services, tmp_path: Path
) -> None:
    def drops_team_growth(text: str, *, as_of: Any, notes_date: Any = None) -> NoteFindings:
        found = extract_findings(text, as_of=as_of, notes_date=notes_date)
        return NoteFindings(findings=[f for f in found.findings if f.name != "team_grew"])

    ids = [c.id for c in suite.cases if c.label_keys and "signal:team_grew" in c.label_keys]
    assert len(ids) >= load_thresholds().min_support
    services = dataclasses.replace(base_services, extractor=drops_team_growth)
    report = run_eval(suite.select(ids), services=services)
    gates = failed(report)
    assert gates["extraction/signal:team_grew recall"] == 0.0
    assert report.extraction["signal:team_grew"].tp == 0
    cases = write_subset(suite, ids, tmp_path / "team.json")
    code = run_command(cases_path=cases, out_dir=tmp_path / "out", services=services,
                       console=quiet(), err=quiet())  # fmt: skip
    assert code == EXIT_GATES


def test_a_wrong_expectation_is_reported_with_both_values(suite: CaseSet, base_services: Services) -> None:
    case = suite.select(["sig-usage-80-exact"]).cases[0]
    wrong = EvalCase.model_validate(
        case.model_dump(mode="json", exclude_unset=True)
        | {
            "expect": case.expect.model_dump(mode="json", exclude_unset=True)
            | {"offer_type": "tier_upgrade"}
        }  # fmt: skip
    )
    report = run_eval([wrong], services=base_services)
    check = next(f for f in report.cases[0].facts if f.field == "offer_type")
    assert (check.expected, check.got, check.ok) == ("tier_upgrade", "capacity", False)
    assert "facts/offer_type" in failed(report)
