"""Command-line interface."""

import typer

app = typer.Typer()


@app.command()
def score() -> None:
    """Placeholder."""
