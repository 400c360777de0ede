"""`playbook calibrate`: fit a likelihood model on past snapshots and print what it learned."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

if TYPE_CHECKING:
    from playbook.tools.calibrate.fit import Fitted

__all__ = ["register_calibrate"]

SHOWN_WEIGHTS = 15
out = Console(soft_wrap=True)
err = Console(stderr=True)


def _figures(fitted: Fitted) -> Table:
    v = fitted.model.validation
    title = "Held-out snapshots: fixed score vs calibrated likelihood"
    table = Table(title=title, header_style="bold")
    table.add_column("measure")
    table.add_column("fixed readiness score", justify="right")
    table.add_column("calibrated likelihood", justify="right")
    table.add_row("ROC AUC", f"{v.auc_fixed:.3f}", f"{v.auc_model:.3f}")
    table.add_row(
        "precision in the top decile",
        f"{v.precision_top_decile_fixed:.1%}",
        f"{v.precision_top_decile_model:.1%}",
    )
    table.add_row("base rate (all held-out rows)", f"{v.base_rate:.1%}", f"{v.base_rate:.1%}")
    return table


def _weights(fitted: Fitted) -> Table:
    table = Table(title="What moves the likelihood (standardised weights)", header_style="bold")
    table.add_column("feature")
    table.add_column("weight", justify="right")
    table.add_column("direction")
    ranked = sorted(fitted.model.features, key=lambda f: -abs(f.weight))
    for feature in ranked[:SHOWN_WEIGHTS]:
        direction = "raises" if feature.weight > 0 else "lowers"
        table.add_row(feature.label, f"{feature.weight:+.3f}", direction)
    return table


def calibrate_command(
    snapshots: Annotated[
        list[str],
        typer.Argument(
            help="Snapshot files (accounts with a snapshot_date column), or FILE@YYYY-MM-DD."
        ),
    ],
    outcomes: Annotated[
        Path,
        typer.Option(
            "--outcomes", exists=True, help="CSV of account_id, snapshot_date, expanded (0/1)."
        ),
    ],
    model_out: Annotated[Path, typer.Option("--out", help="Where to write MODEL.json.")],
    catalog: Annotated[
        Path | None, typer.Option("--catalog", exists=True, help="The offer catalog.")
    ] = None,
    fiscal_start_month: Annotated[
        int, typer.Option("--fiscal-start-month", min=1, max=12, help="Fiscal year start.")
    ] = 1,
    dayfirst: Annotated[
        bool | None, typer.Option("--dayfirst/--monthfirst", help="Ambiguous dates.")
    ] = None,
) -> None:
    """Learn from outcomes: fit a likelihood model on the book's own history."""
    from playbook.tools.book import catalog_items
    from playbook.tools.calibrate.fit import (
        CalibrationError,
        SnapshotSource,
        calibrate,
        load_history,
    )
    from playbook.tools.loading.catalog import CatalogError

    started = time.perf_counter()
    try:
        sources = [SnapshotSource.parse(s) for s in snapshots]
        for source in sources:
            if not source.path.is_file():
                raise CalibrationError(f"{source.path}: no such file")
        history = load_history(
            sources,
            outcomes,
            catalog=catalog_items(catalog),
            fiscal_start_month=fiscal_start_month,
            dayfirst=dayfirst,
        )
        fitted = calibrate(history)
    except (CalibrationError, CatalogError) as exc:
        err.print(f"[red]error[/red] {exc}", highlight=False)
        raise typer.Exit(2) from exc
    for problem in history.problems[:10]:
        err.print(f"[yellow]warning[/yellow] {problem}", highlight=False)
    if len(history.problems) > 10:
        err.print(f"... and {len(history.problems) - 10} more row problems", highlight=False)
    model, v = fitted.model, fitted.model.validation
    out.print(
        f"{model.fitted_rows:,} snapshot rows with an outcome ({model.fitted_positives:,} "
        f"expansions) over {len(model.fitted_dates)} dates; {history.unmatched_outcomes:,} "
        "outcome rows had no snapshot row.",
        highlight=False,
    )
    out.print(
        f"Trained on {v.train_rows:,} rows ({v.train_positives:,} expansions, "
        f"{v.train_dates[0]} to {v.train_dates[-1]}); tested on the later {v.test_rows:,} rows "
        f"({v.test_positives:,} expansions, {v.test_dates[0]} to {v.test_dates[-1]}).",
        highlight=False,
    )
    out.print(_figures(fitted))
    out.print(_weights(fitted))
    model.save(model_out)
    out.print(
        f"Model refitted on every date and written to {model_out} "
        f"(no account data; {time.perf_counter() - started:.1f} s). Use it with "
        "`playbook score --model` (and --rank-by likelihood).",
        highlight=False,
    )


def register_calibrate(app: typer.Typer) -> None:
    """Add the ``calibrate`` command to the ``playbook`` app."""
    app.command("calibrate")(calibrate_command)
