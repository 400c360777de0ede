"""The bundled sample data: a book of 41 accounts, the default offer catalog, notes."""

from __future__ import annotations

from pathlib import Path

EXAMPLES_DIR = Path(__file__).resolve().parent
SAMPLE_BOOK = EXAMPLES_DIR / "accounts.csv"
DEFAULT_CATALOG = EXAMPLES_DIR / "offer_catalog.yaml"
NOTES_DIR = EXAMPLES_DIR / "notes"
