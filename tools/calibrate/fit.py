"""Fit a likelihood model on the book's own history, validated forward in time.

Every snapshot row is scored as of its own date by the method's rules; its features
(`tools.calibrate.features`) are joined to the outcome of the 90 days after it. The
earlier snapshot dates train an L2-regularised logistic regression (scikit-learn),
the later ones test it against the fixed readiness score (ROC AUC, precision in the
top decile). The model saved is refitted on every date with the regularisation the
validation chose, so it uses all the history; its figures are the held-out ones.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from playbook.tools.calibrate.features import (
    OTHER_PLAN,
    PLAN_PREFIX,
    base_features,
    feature_row,
    plan_feature,
)
from playbook.tools.calibrate.model import FeatureWeight, LikelihoodModel, Validation
from playbook.tools.loading import LoadError, RowError, iter_accounts
from playbook.tools.models.account import CatalogItem
from playbook.tools.rules.assess import RuleConfig, assess

if TYPE_CHECKING:
    import numpy as np

__all__ = [
    "MIN_POSITIVES",
    "CalibrationError",
    "Fitted",
    "History",
    "SnapshotSource",
    "calibrate",
    "load_history",
    "precision_at_top",
]

MIN_POSITIVES = 30
MIN_SPLIT_POSITIVES = 5
TEST_SHARE = 0.25
C_GRID = (0.01, 0.03, 0.1, 0.3, 1.0, 3.0)
MAX_PLANS = 12
MIN_PLAN_SHARE = 0.01


class CalibrationError(ValueError):
    """The history cannot train a model (too few positives, one date, bad files)."""


@dataclass(frozen=True)
class SnapshotSource:
    """One snapshot file, and its date when the file has no ``snapshot_date`` column."""

    path: Path
    as_of: dt.date | None = None

    @classmethod
    def parse(cls, text: str) -> SnapshotSource:
        """Read ``FILE`` or ``FILE@YYYY-MM-DD``."""
        name, sep, day = text.rpartition("@")
        if not sep:
            return cls(Path(text))
        try:
            return cls(Path(name), dt.date.fromisoformat(day))
        except ValueError as exc:
            raise CalibrationError(f"{text}: the date after @ must be YYYY-MM-DD") from exc


@dataclass
class History:
    """The examples: features, the fixed score and the outcome of each snapshot row."""

    rows: list[list[float]] = field(default_factory=list)
    fixed: list[int] = field(default_factory=list)
    labels: list[int] = field(default_factory=list)
    dates: list[dt.date] = field(default_factory=list)
    plans: list[str] = field(default_factory=list)
    unmatched_snapshots: int = 0
    unmatched_outcomes: int = 0
    problems: list[str] = field(default_factory=list)


def _outcomes(path: Path) -> tuple[dict[tuple[str, dt.date], int], list[str]]:
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            missing = {"account_id", "snapshot_date", "expanded"} - set(reader.fieldnames or [])
            if missing:
                raise CalibrationError(f"{path}: missing column(s) {', '.join(sorted(missing))}")
            out: dict[tuple[str, dt.date], int] = {}
            problems = []
            for row_no, row in enumerate(reader, start=2):
                day_text = (row["snapshot_date"] or "").strip()
                flag = (row["expanded"] or "").strip()
                try:
                    day = dt.date.fromisoformat(day_text)
                except ValueError:
                    problems.append(
                        f"{path.name} row {row_no}, snapshot_date {day_text!r}: not YYYY-MM-DD"
                    )
                    continue
                if flag not in ("0", "1"):
                    problems.append(f"{path.name} row {row_no}, expanded {flag!r}: must be 0 or 1")
                    continue
                out[((row["account_id"] or "").strip(), day)] = int(flag)
            return out, problems
    except OSError as exc:
        raise CalibrationError(f"{path}: cannot read the outcomes ({exc.strerror})") from exc


def _choose_plans(plans: Sequence[str | None]) -> list[str]:
    counts: dict[str, int] = {}
    for plan in plans:
        name = f"{PLAN_PREFIX}{(plan or '').strip().lower()}"
        if name != PLAN_PREFIX:
            counts[name] = counts.get(name, 0) + 1
    floor = max(1, math.ceil(MIN_PLAN_SHARE * len(plans)))
    kept = sorted((n for n, c in counts.items() if c >= floor), key=lambda n: (-counts[n], n))
    return [*sorted(kept[:MAX_PLANS]), OTHER_PLAN]


def load_history(
    sources: Sequence[SnapshotSource],
    outcomes_path: Path,
    *,
    catalog: Sequence[CatalogItem],
    fiscal_start_month: int = 1,
    dayfirst: bool | None = None,
) -> History:
    """Score every snapshot row as of its date and join it to its outcome.

    Raises:
        CalibrationError: a file cannot be read, or a row has no snapshot date.
    """
    outcomes, problems = _outcomes(outcomes_path)
    history = History(problems=problems)
    features = base_features()
    plans: list[str | None] = []
    seen: set[tuple[str, dt.date]] = set()
    for source in sources:
        try:
            stream = iter_accounts(source.path, dayfirst=dayfirst)
        except LoadError as exc:
            raise CalibrationError(str(exc)) from exc
        with stream:
            for item in stream:
                if isinstance(item, RowError):
                    problems.append(str(item))
                    continue
                day = source.as_of or item.snapshot_date
                if day is None:
                    raise CalibrationError(
                        f"{source.path} row {item.row}: no snapshot_date (add the column or "
                        "give the file as FILE@YYYY-MM-DD)"
                    )
                key = (item.account_id, day)
                if key not in outcomes:
                    continue
                seen.add(key)
                config = RuleConfig(
                    as_of=day, catalog=catalog, fiscal_start_month=fiscal_start_month,
                    with_calendar=False,
                )  # fmt: skip
                facts = assess(item, config)
                history.rows.append(feature_row(item, facts, features, ()))
                plans.append(item.plan)
                history.fixed.append(facts.readiness_score)
                history.labels.append(outcomes[key])
                history.dates.append(day)
    history.unmatched_outcomes = len(outcomes) - len(seen)
    history.plans = _choose_plans(plans)
    for row, plan in zip(history.rows, plans, strict=True):
        chosen = plan_feature(plan, history.plans)
        row.extend(float(p == chosen) for p in history.plans)
    return history


def precision_at_top(scores: Sequence[float], labels: Sequence[int], share: float = 0.1) -> float:
    """Share of positives among the top ``share`` by score; ties at the cut count pro rata."""
    k = max(1, math.ceil(share * len(scores)))
    ranked = sorted(zip(scores, labels, strict=True), key=lambda p: -p[0])
    cut = ranked[k - 1][0]
    above = [lab for s, lab in ranked if s > cut]
    tied = [lab for s, lab in ranked if s == cut]
    take = k - len(above)
    return (sum(above) + take * (sum(tied) / len(tied))) / k


@dataclass(frozen=True)
class Fitted:
    """A fitted model and the figures to print."""

    model: LikelihoodModel
    history: History


def _fit(x: np.ndarray, y: np.ndarray, c: float) -> tuple[Any, np.ndarray, np.ndarray]:
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-9] = 1.0
    fit = LogisticRegression(C=c, max_iter=2000).fit((x - mean) / scale, y)
    return fit, np.asarray(mean), np.asarray(scale)


def _score(fit: Any, mean: np.ndarray, scale: np.ndarray, x: np.ndarray) -> np.ndarray:
    probabilities: np.ndarray = fit.predict_proba((x - mean) / scale)[:, 1]
    return probabilities


def _choose_c(x: np.ndarray, y: np.ndarray, dates: list[dt.date]) -> float:
    """Return the regularisation ranking the last training date best, fitted on earlier ones."""
    from sklearn.metrics import roc_auc_score

    last = max(dates)
    inner = [d != last for d in dates]
    outer = [d == last for d in dates]
    if len(set(y[outer])) < 2 or len(set(y[inner])) < 2:
        return 1.0
    best, best_auc = 1.0, -1.0
    for c in C_GRID:
        fit, mean, scale = _fit(x[inner], y[inner], c)
        auc = float(roc_auc_score(y[outer], _score(fit, mean, scale, x[outer])))
        if auc > best_auc + 1e-9:
            best, best_auc = c, auc
    return best


def calibrate(history: History) -> Fitted:
    """Validate forward in time, then fit the model on every date.

    Raises:
        CalibrationError: fewer than two snapshot dates, or too few positives to learn.
    """
    import numpy as np
    from sklearn.metrics import roc_auc_score

    positives = sum(history.labels)
    if positives < MIN_POSITIVES:
        raise CalibrationError(
            f"only {positives} expansion(s) among {len(history.labels)} snapshot rows: at least "
            f"{MIN_POSITIVES} are needed to learn from (add more snapshots or a longer history)"
        )
    dates = sorted(set(history.dates))
    if len(dates) < 2:
        raise CalibrationError("one snapshot date only: validation needs earlier and later dates")
    test_dates = dates[-max(1, round(TEST_SHARE * len(dates))) :]
    train_dates = [d for d in dates if d not in test_dates]
    x, y = np.asarray(history.rows, dtype=float), np.asarray(history.labels)
    train = np.asarray([d in train_dates for d in history.dates])
    test = ~train
    for part, name in ((train, "training"), (test, "held-out")):
        if int(y[part].sum()) < MIN_SPLIT_POSITIVES or int(y[part].sum()) == int(part.sum()):
            raise CalibrationError(
                f"the {name} dates hold {int(y[part].sum())} expansion(s) of {int(part.sum())} "
                f"rows: at least {MIN_SPLIT_POSITIVES} expansions and some non-expansions needed"
            )
    train_days = [d for d in history.dates if d in train_dates]
    c = _choose_c(x[train], y[train], train_days)
    fit, mean, scale = _fit(x[train], y[train], c)
    model_scores = _score(fit, mean, scale, x[test])
    fixed = np.asarray(history.fixed, dtype=float)[test]
    validation = Validation(
        train_dates=train_dates,
        test_dates=test_dates,
        train_rows=int(train.sum()),
        test_rows=int(test.sum()),
        train_positives=int(y[train].sum()),
        test_positives=int(y[test].sum()),
        auc_fixed=round(float(roc_auc_score(y[test], fixed)), 4),
        auc_model=round(float(roc_auc_score(y[test], model_scores)), 4),
        precision_top_decile_fixed=round(precision_at_top(list(fixed), list(y[test])), 4),
        precision_top_decile_model=round(precision_at_top(list(model_scores), list(y[test])), 4),
        base_rate=round(float(y[test].mean()), 4),
        regularisation_c=c,
    )
    final, mean, scale = _fit(x, y, c)
    names = [(f.name, f.label) for f in base_features()]
    names += [
        (p, "a plan the model does not know" if p == OTHER_PLAN else
         f"the {p.removeprefix(PLAN_PREFIX)} plan")
        for p in history.plans
    ]  # fmt: skip
    weights = [
        FeatureWeight(name=n, label=label, mean=float(m), scale=float(s), weight=float(w))
        for (n, label), m, s, w in zip(names, mean, scale, final.coef_[0], strict=True)
    ]
    model = LikelihoodModel(
        intercept=float(final.intercept_[0]),
        features=weights,
        plans=history.plans,
        fitted_rows=len(history.labels),
        fitted_positives=positives,
        fitted_dates=dates,
        validation=validation,
    )
    return Fitted(model=model, history=history)
