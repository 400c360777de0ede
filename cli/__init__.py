"""The `playbook` command line: Typer commands and their Rich output."""

from playbook.cli.app import app

__all__ = ["app"]
