"""Score a whole book: load, segment by ARR, assess every account, rank."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from playbook.tools.calibrate.model import LikelihoodModel
from playbook.tools.loading import RowError, load_accounts
from playbook.tools.loading.catalog import default_catalog, load_catalog
from playbook.tools.models.account import Account, CatalogItem
from playbook.tools.models.assessment import Assessment
from playbook.tools.rules.assess import RankBy, RuleConfig, assess, rank
from playbook.tools.rules.pipeline import revenue_segments


@dataclass
class Book:
    """A scored book: ranked assessments plus the row problems met while loading."""

    ranked: list[Assessment]
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)


def catalog_items(catalog_path: Path | None) -> list[CatalogItem]:
    """Return the customer's catalog when given, else the built-in default."""
    catalog = load_catalog(catalog_path) if catalog_path else default_catalog()
    return list(catalog.items)


def assess_accounts(
    accounts: Sequence[Account],
    *,
    as_of: date,
    catalog: Sequence[CatalogItem],
    fiscal_start_month: int = 1,
    with_calendar: bool = True,
    model: LikelihoodModel | None = None,
    rank_by: RankBy = "score",
) -> list[Assessment]:
    """Assess accounts with book-level revenue segments (and a likelihood model), ranked."""
    segments = revenue_segments({a.account_id: a.arr for a in accounts})
    config = RuleConfig(
        as_of=as_of,
        catalog=catalog,
        fiscal_start_month=fiscal_start_month,
        segments=segments,
        with_calendar=with_calendar,
    )
    assessed = (assess(a, config) for a in accounts)
    if model is not None:
        assessed = (model.apply(a, facts) for a, facts in zip(accounts, assessed, strict=True))
    return rank(assessed, by=rank_by)


def score_book(
    path: Path,
    *,
    as_of: date,
    catalog_path: Path | None = None,
    fiscal_start_month: int = 1,
    dayfirst: bool | None = None,
    model: LikelihoodModel | None = None,
    rank_by: RankBy = "score",
) -> Book:
    """Load a book from a file and score it (the weekly calendars are left out)."""
    loaded = load_accounts(path, dayfirst=dayfirst)
    ranked = assess_accounts(
        loaded.accounts,
        as_of=as_of,
        catalog=catalog_items(catalog_path),
        fiscal_start_month=fiscal_start_month,
        with_calendar=False,
        model=model,
        rank_by=rank_by,
    )
    return Book(ranked=ranked, errors=list(loaded.errors), warnings=list(loaded.warnings))
