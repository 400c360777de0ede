"""`python -m playbook.cli`."""

from playbook.cli.app import app

app()
