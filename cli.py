"""The `playbook` command line: score, brief, batch, eval and ui."""

from __future__ import annotations

import sys
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

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


class ScoreFormat(StrEnum):
    """Output formats of `playbook score`."""

    table = "table"
    json = "json"
    csv = "csv"


def parse_as_of(value: str | None) -> date:
    """The --as-of date (ISO), defaulting to today."""
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
DayFirstOpt = Annotated[
    bool | None,
    typer.Option(
        "--dayfirst/--monthfirst",
        help="How to read ambiguous dates like 03/04/2026 (refused unless given).",
    ),
]


def sample_book() -> Path:
    """The bundled sample book of accounts."""
    return Path(__file__).parent / "examples" / "accounts.csv"


def _report_row_errors(errors: list[object], warnings: list[object]) -> None:
    for problem in errors:
        err.print(f"[red]error[/red] {problem}", highlight=False)
    for problem in warnings:
        err.print(f"[yellow]warning[/yellow] {problem}", highlight=False)


@app.command()
def score(
    accounts: Annotated[
        Path | None,
        typer.Argument(help="Accounts file: CSV, XLSX or JSON (default: the sample book).", exists=True),
    ] = None,
    as_of: AsOf = None,
    fmt: Annotated[ScoreFormat, typer.Option("--format", help="table, json or csv")] = (
        ScoreFormat.table
    ),
    catalog: CatalogOpt = None,
    fiscal_start_month: FiscalOpt = 1,
    dayfirst: DayFirstOpt = None,
    strict: Annotated[bool, typer.Option(help="Exit 2 when any row has an error.")] = False,
) -> None:
    """Score and rank every account (deterministic; no LLM, no network)."""
    from .tools.book import score_book
    from .tools.export import ranked_rows, score_json, to_csv
    from .tools.catalog import CatalogError
    from .tools.loader import LoadError

    day = parse_as_of(as_of)
    try:
        book = score_book(
            accounts or sample_book(), as_of=day, catalog_path=catalog, fiscal_start_month=fiscal_start_month,
            dayfirst=dayfirst,
        )
    except (LoadError, CatalogError) as exc:
        err.print(f"[red]error[/red] {exc}", highlight=False)
        raise typer.Exit(2) from exc
    _report_row_errors(list(book.errors), list(book.warnings))
    if fmt == ScoreFormat.json:
        sys.stdout.write(score_json(book.ranked) + "\n")
    elif fmt == ScoreFormat.csv:
        sys.stdout.write(to_csv(ranked_rows(book.ranked)))
    else:
        _print_table(book.ranked, day, len(book.errors))
    if strict and book.errors:
        raise typer.Exit(2)


TIER_STYLE = {"priority": "bold green", "ready": "green", "candidate": "yellow", "not_yet": "dim"}
TIER_SHORT = {"priority": "Priority", "ready": "Ready", "candidate": "Candidate", "not_yet": "Not yet"}


def _print_table(ranked: list, as_of: date, n_errors: int) -> None:  # type: ignore[type-arg]
    from .tools.export import ranked_rows

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
    for row in ranked_rows(ranked):
        trigger = row["trigger_type"].replace("_", " ") or "-"
        if row["trigger_date"]:
            trigger += f" ({row['trigger_date']})"
        gates = row["gates"].replace(";", ", ").replace("_", " ")
        table.add_row(
            str(row["rank"]),
            f"{row['account_name']} [dim]{row['account_id']}[/dim]",
            f"{row['readiness_score']}/64",
            f"[{TIER_STYLE[row['tier']]}]{TIER_SHORT[row['tier']]}[/]",
            gates,
            row["offer_item"] or ("[dim]held[/dim]" if gates else "-"),
            trigger,
            row["opening_date"],
        )
    console.print(table)
    if n_errors:
        err.print(f"{n_errors} row problem(s) reported above; the other rows were scored.")


def main() -> None:
    """Entry point for `python -m playbook.cli`."""
    app()


if __name__ == "__main__":
    main()
