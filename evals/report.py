"""Show and save an eval report: Rich tables on the terminal, Markdown and JSON files.

`write_report` writes ``eval-<mode>-<timestamp>.md`` and ``.json`` into the results
folder (default ``eval-results/``); `render` prints the same content as tables.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path

from playbook.evals.gates import GateResult
from playbook.evals.results import CaseResult, EvalReport

__all__ = ["DEFAULT_OUT", "markdown", "write_report"]

DEFAULT_OUT = Path("eval-results")
MAX_DETAIL = 240


def pct(value: float | None) -> str:
    """A rate as a percentage (``n/a`` when undefined)."""
    return "n/a" if value is None else f"{value * 100:.1f}%"


def num(value: float | None) -> str:
    """A ratio with two decimals (``n/a`` when undefined)."""
    return "n/a" if value is None else f"{value:.2f}"


def _clip(text: str, limit: int = MAX_DETAIL) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _gate_value(g: GateResult) -> str:
    if g.group in ("errors",):
        return str(int(g.value or 0))
    return pct(g.value) if g.group in ("rubric", "facts") else num(g.value)


def _gate_threshold(g: GateResult) -> str:
    if g.kind == "max":
        return f"<= {int(g.threshold)}"
    return f">= {pct(g.threshold) if g.group in ('rubric', 'facts') else num(g.threshold)}"


def summary_line(report: EvalReport) -> str:
    """One line: mode, cases, verdict."""
    failed = len(report.failed_gates)
    verdict = "PASS" if report.passed else f"FAIL ({failed} gate(s) below threshold)"
    model = f" model={report.model}" if report.model else ""
    return (
        f"eval mode={report.mode} agent={report.agent_mode}{model} suite v{report.suite_version}: "
        f"{len(report.cases)} cases in {report.timing.total_s:.1f}s — {verdict}"
    )


# ---- rows shared by the terminal and Markdown views ----------------------------------


def criteria_rows(report: EvalReport) -> list[list[str]]:
    """Criterion, hard/soft, passed/total, rate."""
    return [
        [cid, "hard" if s.hard else "soft", f"{s.passed}/{s.total}", pct(s.rate)]
        for cid, s in report.criteria.items()
    ]


def fact_rows(report: EvalReport) -> list[list[str]]:
    """Field, correct/total (known issues excluded), accuracy, accuracy with known issues."""
    rows = []
    for name, stats in report.facts_raw.items():
        gated = report.facts.get(name)
        rows.append(
            [
                name,
                f"{gated.passed}/{gated.total}" if gated else "0/0",
                pct(gated.rate if gated else None),
                pct(stats.rate),
            ]
        )
    return rows


def extraction_rows(report: EvalReport) -> list[list[str]]:
    """Key, tp, fp, fn, precision, recall, F1."""
    return [
        [k, str(s.tp), str(s.fp), str(s.fn), num(s.precision), num(s.recall), num(s.f1)]
        for k, s in report.extraction.items()
    ]


def gate_rows(gates: Iterable[GateResult]) -> list[list[str]]:
    """Status, group, gate, value, threshold, detail."""
    return [
        [
            "ok" if g.passed else "FAIL",
            g.group,
            g.name,
            _gate_value(g),
            _gate_threshold(g),
            _clip(g.detail, 80),
        ]  # fmt: skip
        for g in gates
    ]


def failure_rows(cases: Sequence[CaseResult]) -> list[list[str]]:
    """Case, what failed, the offending text (rubric criteria, facts, errors)."""
    rows = []
    for case in cases:
        if case.error:
            rows.append([case.id, "error", _clip(case.error)])
        for f in case.failures:
            rows.append([case.id, f"rubric:{f.id}{'' if f.hard else ' (soft)'}", _clip(f.detail)])
        for fc in case.facts:
            if not fc.ok:
                tag = " (known issue)" if fc.known_issue else ""
                rows.append(
                    [case.id, f"fact:{fc.field}{tag}", f"expected {fc.expected!r}, got {fc.got!r}"]
                )
        if case.labels is not None and (case.missed or case.unlabelled):
            rows.append(
                [
                    case.id,
                    "extraction",
                    f"missed {case.missed or '-'}; unlabelled {case.unlabelled or '-'}",
                ]
            )
    return rows


def judge_rows(report: EvalReport) -> list[list[str]]:
    """Criterion, n, mean, errors."""
    return [[c, str(s.n), num(s.mean), str(s.errors)] for c, s in report.judge.items()]


def timing_rows(report: EvalReport) -> list[list[str]]:
    """Timing and (llm mode) token usage as label/value rows."""
    t = report.timing
    rows = [
        ["total (of which setup: index load)", f"{t.total_s:.2f} s ({t.setup_s:.2f} s)"],
        ["per case (mean / median / p95 / max)",
         f"{t.mean_ms:.0f} / {t.median_ms:.0f} / {t.p95_ms:.0f} / {t.max_ms:.0f} ms"],
        ["slowest case", t.slowest],
        ["rubric re-check (mean)", f"{t.check_mean_ms:.1f} ms"],
    ]  # fmt: skip
    if report.tokens is not None:
        k = report.tokens
        cost = "unknown price" if k.cost_usd is None else f"${k.cost_usd:.4f}"
        rows += [
            ["agent LLM calls", str(k.llm_calls)],
            ["agent tokens (prompt / completion)", f"{k.prompt_tokens} / {k.completion_tokens}"],
            ["agent cost (list price)", cost],
            ["judge calls", str(k.judge_calls)],
            ["judge tokens (prompt / completion)",
             f"{k.judge_prompt_tokens} / {k.judge_completion_tokens}"],
        ]  # fmt: skip
    return rows


# ---- files ------------------------------------------------------------------------------


def _md_table(headers: Sequence[str], rows: list[list[str]]) -> str:
    def cell(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def markdown(report: EvalReport) -> str:
    """The report as a Markdown document."""
    parts = [
        f"# Eval report ({report.mode})",
        "",
        summary_line(report),
        "",
        f"Started {report.started.isoformat(timespec='seconds')}; cases: "
        f"`{report.cases_path or 'evals/cases'}`.",
        "",
        "## Gates",
        _md_table(["", "group", "gate", "value", "threshold", "detail"], gate_rows(report.gates)),
        "",
        "## Rubric pass rate per criterion",
        _md_table(["criterion", "kind", "passed", "rate"], criteria_rows(report)),
        "",
        "## Decided facts vs expectations",
        _md_table(["field", "correct", "accuracy", "incl. known issues"], fact_rows(report)),
        "",
        "## Extraction precision / recall per key",
        _md_table(["key", "tp", "fp", "fn", "precision", "recall", "F1"], extraction_rows(report)),
        "",
    ]
    if report.judge:
        parts += [
            "## LLM judge (reported apart from the rubric)",
            _md_table(["criterion", "n", "mean", "errors"], judge_rows(report)),
            "",
        ]
    parts += ["## Timing and usage", _md_table(["", "value"], timing_rows(report)), ""]
    rows = failure_rows(report.cases)
    parts += ["## Failures and disagreements"]
    parts += [_md_table(["case", "what", "detail"], rows) if rows else "None.", ""]
    known = [(c.id, f) for c in report.cases for f in c.facts if f.known_issue and not f.ok]
    if known:
        parts += ["## Known engine issues (excluded from the fact gates)"]
        notes = {(cid, f.known_issue) for cid, f in known}
        parts += [f"- **{cid}**: {_clip(note or '', 600)}" for cid, note in sorted(notes)]
        parts.append("")
    return "\n".join(parts)


def write_report(report: EvalReport, out_dir: Path | str = DEFAULT_OUT) -> tuple[Path, Path]:
    """Write ``eval-<mode>-<timestamp>.md`` and ``.json``; return their paths."""
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = report.started.strftime("%Y%m%dT%H%M%SZ")
    base = folder / f"eval-{report.mode}-{stamp}"
    md_path, json_path = base.with_suffix(".md"), base.with_suffix(".json")
    md_path.write_text(markdown(report), encoding="utf-8")
    data = report.model_dump(mode="json")
    data["passed"] = report.passed
    data["failed_gates"] = [g.model_dump(mode="json") for g in report.failed_gates]
    json_path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return md_path, json_path
