"""Pure scoring helpers of the evaluation: fact comparison and precision / recall.

Extraction is scored per ``category:name`` key at case level: in each case with
notes, a key the run found and a human labelled is a true positive, found but not
labelled a false positive, labelled but not found a false negative.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel, computed_field

from playbook.evals.cases import Expected, normalise
from playbook.tools.models.assessment import Assessment

__all__ = [
    "CriterionStats",
    "FieldCheck",
    "LabelStats",
    "RateStats",
    "compare_facts",
    "fact_values",
    "label_stats",
]


class FieldCheck(BaseModel):
    """One expected fact of one case against the value the run decided."""

    field: str
    expected: Any
    got: Any
    ok: bool
    known_issue: str | None = None


class RateStats(BaseModel):
    """A pass rate: how many of how many."""

    passed: int = 0
    total: int = 0

    @computed_field  # type: ignore[prop-decorator]
    @property
    def rate(self) -> float | None:
        """passed / total (None when nothing was counted)."""
        return self.passed / self.total if self.total else None

    def add(self, ok: bool) -> None:
        """Count one outcome."""
        self.total += 1
        self.passed += int(ok)


class CriterionStats(RateStats):
    """A rubric criterion's pass rate over the briefs."""

    hard: bool


class LabelStats(BaseModel):
    """Precision, recall and F1 of one finding key over the cases with notes."""

    key: str
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @computed_field  # type: ignore[prop-decorator]
    @property
    def support(self) -> int:
        """How many cases a human labelled with this key."""
        return self.tp + self.fn

    @computed_field  # type: ignore[prop-decorator]
    @property
    def predicted(self) -> int:
        """How many cases the run found this key in."""
        return self.tp + self.fp

    @computed_field  # type: ignore[prop-decorator]
    @property
    def precision(self) -> float | None:
        """tp / (tp + fp), None when the key was never found."""
        return self.tp / self.predicted if self.predicted else None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def recall(self) -> float | None:
        """tp / (tp + fn), None when the key was never labelled."""
        return self.tp / self.support if self.support else None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def f1(self) -> float | None:
        """Harmonic mean of precision and recall (None when either is undefined or both 0)."""
        p, r = self.precision, self.recall
        if p is None or r is None or p + r == 0:
            return None
        return 2 * p * r / (p + r)


def fact_values(facts: Assessment) -> dict[str, Any]:
    """The run's decided facts in the comparable form of `Expected`."""
    return {
        "readiness_score": facts.readiness_score,
        "tier": facts.tier.value,
        "signals": normalise("signals", [s.name for s in facts.signals]),
        "gates": normalise("gates", [g.name for g in facts.gates]),
        "offer_type": facts.offer.type.value if facts.offer else None,
        "trigger_type": facts.trigger.type.value if facts.trigger else None,
        "offer_item": facts.offer.item if facts.offer else None,
        "held_offer_type": facts.held_offer.type.value if facts.held_offer else None,
        "trigger_date": normalise("trigger_date", facts.trigger.date if facts.trigger else None),
        "plan_kind": facts.plan_kind,
        "opening_date": facts.opening_date.isoformat(),
        "concerns": normalise("concerns", {c.kind for c in facts.concerns}),
    }


def compare_facts(
    expected: Expected, facts: Assessment, known: dict[str, str] | None = None
) -> list[FieldCheck]:
    """Compare every field the case states with the run's decided facts."""
    got = fact_values(facts)
    known = known or {}
    checks = []
    for name in expected.checked_fields():
        want = expected.value(name)
        if name == "concerns" and want is not None:
            want = sorted(set(want))
        checks.append(
            FieldCheck(
                field=name,
                expected=want,
                got=got[name],
                ok=want == got[name],
                known_issue=known.get(name),
            )
        )
    return checks


def label_stats(pairs: Iterable[tuple[set[str], set[str]]]) -> dict[str, LabelStats]:
    """Per-key counts over (labelled keys, found keys) pairs, one pair per case with notes."""
    stats: dict[str, LabelStats] = {}
    for labelled, found in pairs:
        for key in labelled | found:
            s = stats.setdefault(key, LabelStats(key=key))
            if key in labelled and key in found:
                s.tp += 1
            elif key in found:
                s.fp += 1
            else:
                s.fn += 1
    return dict(sorted(stats.items()))
