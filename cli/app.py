"""The `playbook` command line: score, brief, batch, eval and ui."""

from __future__ import annotations

import sys
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from playbook.cli.calibrate import register_calibrate
from playbook.examples import SAMPLE_BOOK

if TYPE_CHECKING:
    from playbook.tools.calibrate.model import LikelihoodModel

app = typer.Typer(
    help="Account Expansion Playbook Agent: score a book of accounts and draft expansion briefs.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console(soft_wrap=True)
err = Console(stderr=True)


@app.callback()
def _root() -> None:
    """Account Expansion Playbook Agent: score a book of accounts and draft expansion briefs."""


register_calibrate(app)


class ScoreFormat(StrEnum):
    """Output formats of `playbook score`."""

    table = "table"
    json = "json"
    csv = "csv"


def parse_as_of(value: str | None) -> date:
    """Return the --as-of date (ISO), defaulting to today."""
    if value is None:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise typer.BadParameter(f"--as-of must be YYYY-MM-DD, got {value!r}") from exc


AsOf = Annotated[
    str | None, typer.Option("--as-of", help="Date every rule is computed from (YYYY-MM-DD).")
]
CatalogOpt = Annotated[
    Path | None,
    typer.Option("--catalog", help="The customer's offer catalog (YAML or CSV).", exists=True),
]
FiscalOpt = Annotated[
    int,
    typer.Option(
        "--fiscal-start-month", min=1, max=12, help="First month of the seller's fiscal year."
    ),
]
ModelOpt = Annotated[
    Path | None,
    typer.Option(
        "--model",
        exists=True,
        help="A likelihood model from `playbook calibrate`: adds expansion_likelihood.",
    ),
]


class RankBy(StrEnum):
    """What the ranked list is ordered by."""

    score = "score"
    likelihood = "likelihood"


RankByOpt = Annotated[
    RankBy,
    typer.Option("--rank-by", help="score (the method's) or likelihood (needs --model)."),
]
DayFirstOpt = Annotated[
    bool | None,
    typer.Option(
        "--dayfirst/--monthfirst",
        help="How to read ambiguous dates like 03/04/2026 (refused unless given).",
    ),
]


def sample_book() -> Path:
    """Return the bundled sample book of accounts."""
    return SAMPLE_BOOK


def load_model(path: Path | None, rank_by: RankBy) -> LikelihoodModel | None:
    """Read the --model file (exit 2 with the reason when it cannot be used)."""
    from playbook.tools.calibrate.model import LikelihoodModel, ModelError

    if path is None:
        if rank_by == RankBy.likelihood:
            raise typer.BadParameter("--rank-by likelihood needs --model MODEL.json")
        return None
    try:
        return LikelihoodModel.load(path)
    except ModelError as exc:
        err.print(f"[red]error[/red] {exc}", highlight=False)
        raise typer.Exit(2) from exc


def _report_row_errors(errors: list[object], warnings: list[object]) -> None:
    for problem in errors:
        err.print(f"[red]error[/red] {problem}", highlight=False)
    for problem in warnings:
        err.print(f"[yellow]warning[/yellow] {problem}", highlight=False)


@app.command()
def score(
    accounts: Annotated[
        Path | None,
        typer.Argument(
            help="Accounts file: CSV, XLSX or JSON (default: the sample book).", exists=True
        ),
    ] = None,
    as_of: AsOf = None,
    fmt: Annotated[ScoreFormat, typer.Option("--format", help="table, json or csv")] = (
        ScoreFormat.table
    ),
    catalog: CatalogOpt = None,
    fiscal_start_month: FiscalOpt = 1,
    dayfirst: DayFirstOpt = None,
    strict: Annotated[bool, typer.Option(help="Exit 2 when any row has an error.")] = False,
    model: ModelOpt = None,
    rank_by: RankByOpt = RankBy.score,
) -> None:
    """Score and rank every account (deterministic; no LLM, no network)."""
    from playbook.tools.book import score_book
    from playbook.tools.loading import LoadError
    from playbook.tools.loading.catalog import CatalogError
    from playbook.tools.output.export import ranked_columns, ranked_rows, score_json, to_csv

    day = parse_as_of(as_of)
    likelihood = load_model(model, rank_by)
    try:
        book = score_book(
            accounts or sample_book(),
            as_of=day,
            catalog_path=catalog,
            fiscal_start_month=fiscal_start_month,
            dayfirst=dayfirst,
            model=likelihood,
            rank_by=rank_by.value,
        )
    except (LoadError, CatalogError) as exc:
        err.print(f"[red]error[/red] {exc}", highlight=False)
        raise typer.Exit(2) from exc
    _report_row_errors(list(book.errors), list(book.warnings))
    if fmt == ScoreFormat.json:
        sys.stdout.write(score_json(book.ranked) + "\n")
    elif fmt == ScoreFormat.csv:
        sys.stdout.write(to_csv(ranked_rows(book.ranked), ranked_columns(book.ranked)))
    else:
        _print_table(book.ranked, day, len(book.errors))
    if strict and book.errors:
        raise typer.Exit(2)


class BriefFormat(StrEnum):
    """Output formats of `playbook brief`."""

    md = "md"
    json = "json"


@app.command()
def brief(
    notes_file: Annotated[
        str | None,
        typer.Argument(
            metavar="[NOTES_FILE|-]", help="Pasted call/account notes; '-' reads stdin."
        ),
    ] = None,
    account: Annotated[
        str | None, typer.Option("--account", help="Account id in --accounts.")
    ] = None,
    accounts: Annotated[
        Path | None,
        typer.Option("--accounts", help="Accounts file with the data row.", exists=True),
    ] = None,
    as_of: AsOf = None,
    fmt: Annotated[BriefFormat, typer.Option("--format", help="md or json")] = BriefFormat.md,
    notes_date: Annotated[
        str | None, typer.Option("--notes-date", help="Date of undated notes (the call date).")
    ] = None,
    catalog: CatalogOpt = None,
    fiscal_start_month: FiscalOpt = 1,
    dayfirst: DayFirstOpt = None,
    model: ModelOpt = None,
    ask: Annotated[
        bool, typer.Option("--ask/--no-ask", help="Ask on the terminal for missing inputs.")
    ] = False,
    output: Annotated[Path | None, typer.Option("--out", help="Write the brief to a file.")] = None,
) -> None:
    """One account's full brief (all six deliverables) from notes and/or a data row."""
    from playbook.cli.brief import BriefRequest, BriefRequestError, run_brief_command

    if notes_file is None and account is None:
        raise typer.BadParameter(
            "give NOTES_FILE (or - for stdin), --account with --accounts, or both"
        )
    if notes_file == "-":
        notes_text: str | None = sys.stdin.read()
    elif notes_file is not None:
        path = Path(notes_file)
        if not path.is_file():
            raise typer.BadParameter(f"notes file {notes_file!r} does not exist")
        notes_text = path.read_text(encoding="utf-8")
    else:
        notes_text = None
    load_model(model, RankBy.score)
    request = BriefRequest(
        notes=notes_text,
        account_id=account,
        accounts_path=accounts,
        as_of=parse_as_of(as_of),
        notes_date=parse_as_of(notes_date) if notes_date else None,
        catalog_path=catalog,
        model_path=model,
        fiscal_start_month=fiscal_start_month,
        dayfirst=dayfirst,
        interactive=ask and sys.stdin.isatty() and notes_file != "-",
    )
    try:
        text, mode_line, problems = run_brief_command(request, fmt.value, ask=_ask_terminal)
    except BriefRequestError as exc:
        err.print(f"[red]error[/red] {exc}", highlight=False)
        raise typer.Exit(2) from exc
    err.print(f"[dim]{mode_line}[/dim]", highlight=False)
    for problem in problems:
        err.print(f"[yellow]note[/yellow] {problem}", highlight=False)
    if output:
        from playbook.tools.output.export import write_atomic

        write_atomic(output, text)
        err.print(f"brief written to {output}")
    else:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")


def _ask_terminal(payload: dict) -> tuple[dict, list[str]]:  # type: ignore[type-arg]
    """Ask each missing input on the terminal; a blank answer skips it."""
    answers: dict[str, str] = {}
    skip: list[str] = []
    err.print(f"Missing inputs for {payload.get('account_name')}:")
    for item in payload.get("missing", []):
        err.print(f"- [bold]{item['label']}[/bold]: {item['why']}")
        given = False
        for field_name in item["fields"]:
            value = typer.prompt(f"  {field_name} (blank to skip)", default="", show_default=False)
            if value.strip():
                answers[field_name] = value.strip()
                given = True
        if not given:
            skip.append(item["input"])
    return answers, skip


@app.command()
def batch(
    accounts: Annotated[
        Path | None,
        typer.Argument(
            help="Accounts file: CSV, XLSX or JSON (default: the sample book).", exists=True
        ),
    ] = None,
    out_dir: Annotated[
        Path,
        typer.Option("--out", help="Folder for the briefs, portfolio files, errors.csv, run.json."),
    ] = Path("out"),
    as_of: AsOf = None,
    concurrency: Annotated[
        int | None,
        typer.Option(
            "--concurrency",
            min=1,
            help="Offline: parallel accounts (default: CPU cores). "
            "With an LLM: calls in flight (default 4).",
        ),
    ] = None,
    processes: Annotated[
        int | None,
        typer.Option(
            "--processes",
            min=1,
            help="Most worker processes to use (default: one per CPU core, as the book allows).",
        ),
    ] = None,
    catalog: CatalogOpt = None,
    fiscal_start_month: FiscalOpt = 1,
    dayfirst: DayFirstOpt = None,
    run_id: Annotated[
        str | None,
        typer.Option(
            "--run-id", help="Run id (default: derived from the input file, so a re-run resumes)."
        ),
    ] = None,
    fresh: Annotated[
        bool, typer.Option("--fresh", help="Ignore previous results: brief every account.")
    ] = False,
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", help="Print accounts, LLM calls, tokens and cost; call nothing."),
    ] = False,
    rpm: Annotated[
        int | None, typer.Option("--rpm", min=1, help="LLM requests per minute (limit).")
    ] = None,
    tpm: Annotated[
        int | None, typer.Option("--tpm", min=1, help="LLM tokens per minute (limit).")
    ] = None,
    export_openai_batch: Annotated[
        Path | None,
        typer.Option(
            "--export-openai-batch", help="Write OpenAI Batch API requests (JSONL); call nothing."
        ),
    ] = None,
    import_openai_batch: Annotated[
        Path | None,
        typer.Option(
            "--import-openai-batch", exists=True, help="Brief from a Batch API output file (JSONL)."
        ),
    ] = None,
) -> None:
    """Brief every account into --out (one brief each plus the portfolio files); resumable."""
    from playbook.agent.batch.run import BatchRequest
    from playbook.agent.context import AgentContext, ConfigError
    from playbook.cli.batch import run_batch_command
    from playbook.tools.loading import LoadError
    from playbook.tools.loading.catalog import CatalogError

    try:
        context = AgentContext.resolve(
            as_of=parse_as_of(as_of),
            fiscal_start_month=fiscal_start_month,
            catalog_path=catalog,
            interactive=False,
            rpm=rpm,
            tpm=tpm,
        )
        request = BatchRequest(
            accounts_path=accounts or sample_book(),
            out_dir=out_dir,
            context=context,
            concurrency=concurrency,
            processes=processes,
            run_id=run_id,
            fresh=fresh,
            dayfirst=dayfirst,
            import_results=import_openai_batch,
        )
        code = run_batch_command(
            request, out=out, err=err, dry=dry_run, export_to=export_openai_batch
        )
    except (LoadError, CatalogError, ConfigError) as exc:
        err.print(f"[red]error[/red] {exc}", highlight=False)
        raise typer.Exit(2) from exc
    if code:
        raise typer.Exit(code)


TIER_STYLE = {"priority": "bold green", "ready": "green", "candidate": "yellow", "not_yet": "dim"}
TIER_SHORT = {
    "priority": "Priority",
    "ready": "Ready",
    "candidate": "Candidate",
    "not_yet": "Not yet",
}


def _print_table(ranked: list, as_of: date, n_errors: int) -> None:  # type: ignore[type-arg]
    from playbook.tools.output.export import ranked_rows

    console = out if out.is_terminal else Console(width=170, soft_wrap=False)
    table = Table(
        title=f"Expansion-ready accounts as of {as_of.isoformat()} ({len(ranked)} scored)",
        header_style="bold",
        expand=False,
    )
    table.add_column("#", justify="right")
    table.add_column("Account", max_width=28, overflow="fold")
    table.add_column("Score", justify="right", no_wrap=True)
    table.add_column("Tier", no_wrap=True)
    table.add_column("Gates", style="red", max_width=24)
    table.add_column("Offer", max_width=34, overflow="fold")
    table.add_column("Trigger", max_width=30)
    table.add_column("Open on", no_wrap=True)
    modelled = any(a.expansion_likelihood is not None for a in ranked)
    if modelled:
        table.add_column("Likelihood", justify="right", no_wrap=True)
        table.add_column("Why (model)", max_width=40, overflow="fold")
    for row in ranked_rows(ranked):
        trigger = row["trigger_type"].replace("_", " ") or "-"
        if row["trigger_date"]:
            trigger += f" ({row['trigger_date']})"
        gates = row["gates"].replace(";", ", ").replace("_", " ")
        cells = [
            str(row["rank"]),
            f"{row['account_name']} [dim]{row['account_id']}[/dim]",
            f"{row['readiness_score']}/64",
            f"[{TIER_STYLE[row['tier']]}]{TIER_SHORT[row['tier']]}[/]",
            gates,
            row["offer_item"] or ("[dim]held[/dim]" if gates else "-"),
            trigger,
            row["opening_date"],
        ]
        if modelled:
            cells.append(f"{row.get('expansion_likelihood', 0):.0%}")
            cells.append(str(row.get("likelihood_reasons", "")).split("; ")[0])
        table.add_row(*cells)
    console.print(table)
    if n_errors:
        err.print(f"{n_errors} row problem(s) reported above; the other rows were scored.")


class EvalMode(StrEnum):
    """Modes of `playbook eval`."""

    offline = "offline"
    llm = "llm"


@app.command("eval")
def eval_command(
    mode: Annotated[
        EvalMode,
        typer.Option("--mode", help="offline (no LLM calls) or llm (the configured model)."),
    ] = EvalMode.offline,
    cases: Annotated[
        Path | None,
        typer.Option("--cases", help="A case file or folder (default: evals/cases).", exists=True),
    ] = None,
    out_dir: Annotated[
        Path, typer.Option("--out", help="Folder for eval-<mode>-<timestamp>.md and .json.")
    ] = Path("eval-results"),
    judge: Annotated[
        bool, typer.Option("--judge/--no-judge", help="Add the LLM-as-judge scores (llm mode).")
    ] = False,
    thresholds: Annotated[
        Path | None,
        typer.Option(
            "--thresholds", help="Gate thresholds (default: evals/thresholds.yaml).", exists=True
        ),
    ] = None,
) -> None:
    """Run the evaluation suite against the rubric; exit 1 when a gate is below its threshold."""
    from playbook.cli.evaluation import run_command

    code = run_command(
        mode=mode.value,
        cases_path=cases,
        out_dir=out_dir,
        judge=judge,
        thresholds_path=thresholds,
        console=out,
        err=err,
    )
    if code:
        raise typer.Exit(code)


UPLOAD_LIMIT_MB = 25


@app.command()
def ui(
    port: Annotated[int, typer.Option(help="Port to serve the app on.")] = 8501,
    host: Annotated[str, typer.Option(help="Address to bind (127.0.0.1 = this machine only).")] = (
        "127.0.0.1"
    ),
) -> None:
    """Start the Streamlit app (headless when there is no display: open the printed URL)."""
    import os

    root = Path(__file__).resolve().parent.parent
    has_display = sys.platform in ("darwin", "win32") or bool(
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    )
    args = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(root / "ui" / "app.py"),
        "--server.headless",
        "false" if has_display else "true",
        "--server.port",
        str(port),
        "--server.address",
        host,
        "--server.maxUploadSize",
        str(UPLOAD_LIMIT_MB),
        "--browser.gatherUsageStats",
        "false",
    ]
    out.print(f"Playbook UI on http://{host}:{port} (Ctrl+C to stop)", highlight=False)
    sys.stdout.flush()
    os.chdir(root)  # so .streamlit/config.toml (theme, limits) applies
    os.execv(sys.executable, args)


def main() -> None:
    """Entry point for `python -m playbook.cli.app`."""
    app()


if __name__ == "__main__":
    main()
