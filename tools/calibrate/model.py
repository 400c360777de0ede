"""A fitted likelihood model: standardised logistic weights, applied to an account.

The model file holds the feature names, their scaling and weights, the plan
categories and what the fit saw and measured; no account data. Applying it is pure
arithmetic (no scikit-learn at scoring time): the expansion likelihood (0-1) and the
three features that move it most for this account, each with its direction.
"""

from __future__ import annotations

import datetime as dt
import math
from functools import cached_property
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from playbook.tools.calibrate.features import FeatureDef, base_features, feature_row
from playbook.tools.models.account import Account
from playbook.tools.models.assessment import Assessment, LikelihoodReason

__all__ = ["MODEL_VERSION", "FeatureWeight", "LikelihoodModel", "ModelError", "Validation"]

MODEL_VERSION = 1
TOP_REASONS = 3


class ModelError(ValueError):
    """A model file cannot be read or does not fit this version of the product."""


class FeatureWeight(BaseModel):
    """One feature's scaling and weight (on the standardised value)."""

    name: str
    label: str
    mean: float
    scale: float = Field(gt=0)
    weight: float


class Validation(BaseModel):
    """How the model and the fixed score ranked the held-out (later) snapshots."""

    train_dates: list[dt.date]
    test_dates: list[dt.date]
    train_rows: int
    test_rows: int
    train_positives: int
    test_positives: int
    auc_fixed: float
    auc_model: float
    precision_top_decile_fixed: float
    precision_top_decile_model: float
    base_rate: float
    regularisation_c: float


class LikelihoodModel(BaseModel):
    """A calibrated, interpretable model of 90-day expansion."""

    version: int = MODEL_VERSION
    kind: Literal["logistic"] = "logistic"
    intercept: float
    features: list[FeatureWeight]
    plans: list[str] = Field(description="plan features, e.g. plan:growth (plan:other last)")
    fitted_rows: int
    fitted_positives: int
    fitted_dates: list[dt.date]
    validation: Validation

    @cached_property
    def _defs(self) -> list[FeatureDef]:
        known = {f.name: f for f in base_features()}
        plans = set(self.plans)
        missing = [f.name for f in self.features if f.name not in known and f.name not in plans]
        if missing:
            raise ModelError(f"the model uses features this version does not know: {missing}")
        return [known[f.name] for f in self.features if f.name in known]

    def _contributions(self, account: Account, facts: Assessment) -> list[tuple[float, str]]:
        values = feature_row(account, facts, self._defs, self.plans)
        out = []
        for weight, value in zip(self.features, values, strict=True):
            out.append((weight.weight * (value - weight.mean) / weight.scale, weight.name))
        return out

    def likelihood(
        self, account: Account, facts: Assessment
    ) -> tuple[float, list[LikelihoodReason]]:
        """Return the expansion likelihood and the top three reasons for this account."""
        parts = self._contributions(account, facts)
        logit = self.intercept + sum(c for c, _ in parts)
        probability = 1.0 / (1.0 + math.exp(-logit))
        labels = {f.name: f.label for f in self.features}
        top = sorted(parts, key=lambda p: abs(p[0]), reverse=True)[:TOP_REASONS]
        reasons = [
            LikelihoodReason(
                feature=name,
                text=f"{labels[name]} {'raises' if effect > 0 else 'lowers'} it",
                effect=round(effect, 3),
            )
            for effect, name in top
            if abs(effect) >= 0.01
        ]
        return round(probability, 4), reasons

    def apply(self, account: Account, facts: Assessment) -> Assessment:
        """Return the facts with the likelihood and its reasons filled in."""
        probability, reasons = self.likelihood(account, facts)
        return facts.model_copy(
            update={"expansion_likelihood": probability, "likelihood_reasons": reasons}
        )

    def save(self, path: Path) -> None:
        """Write the model as JSON."""
        path.write_text(self.model_dump_json(indent=2) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> LikelihoodModel:
        """Read a model file.

        Raises:
            ModelError: the file is missing, unreadable or from another model version.
        """
        from pydantic import ValidationError

        try:
            model = cls.model_validate_json(path.read_bytes())
        except OSError as exc:
            raise ModelError(f"{path}: cannot read the model file ({exc.strerror})") from exc
        except ValidationError as exc:
            why = exc.errors()[0]["msg"]
            raise ModelError(f"{path}: not a likelihood model file ({why})") from exc
        if model.version != MODEL_VERSION:
            raise ModelError(f"{path}: model version {model.version}, expected {MODEL_VERSION}")
        _ = model._defs
        return model
