"""The evaluation cases: their schema, loading and validation (``evals/cases/*.yaml``).

A case file is YAML (or JSON) with a ``version``, a ``theme`` and a list of
``cases``; a top-level ``templates`` key may hold YAML anchors shared by the cases
of that file and is otherwise ignored. Every file of a suite carries the same
``version``.

Each case gives the ``as_of`` date, a data row (canonical contract columns) and/or
free ``notes`` (with ``notes_date`` when useful), the decided facts a careful
reader of docs/RULES.md expects (``expect``) and, when there are notes, the
``labels``: the ``{category, name}`` findings a careful human reads in them, named
as in ``tools.models.NoteFinding``. Labels say what the notes *mention*; whether a
mention scores (date windows, data-row precedence) is the rules' business and is
checked through ``expect``.

``known_issues`` marks expected facts the engine is known to get wrong (reported
to the owners): the disagreement stays in the report but is kept out of the
fact-accuracy gates until fixed; a known issue that no longer reproduces is
reported too, so the marker gets removed.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from playbook.tools.models.account import Account
from playbook.tools.models.findings import FindingCategory
from playbook.tools.vocab import (
    SIGNAL_POINTS,
    ConcernKind,
    GateName,
    OfferType,
    SignalName,
    Tier,
    TriggerType,
)

__all__ = [
    "CASES_DIR",
    "FACT_FIELDS",
    "LABEL_NAMES",
    "OPTIONAL_FIELDS",
    "CaseError",
    "CaseSet",
    "EvalCase",
    "Expected",
    "KnownIssue",
    "Label",
    "coverage",
    "load_cases",
    "tier_of",
]

CASES_DIR = Path(__file__).parent / "cases"
CASE_SUFFIXES = (".yaml", ".yml", ".json")
FACT_FIELDS = ("readiness_score", "tier", "signals", "gates", "offer_type", "trigger_type")
OPTIONAL_FIELDS = (
    "offer_item",
    "held_offer_type",
    "trigger_date",
    "plan_kind",
    "opening_date",
    "concerns",
)
NOTE_FACTS = ("usage_ratio", "nps", "renewal_date", "logins_per_month", "positive_feedback")
LABEL_NAMES: dict[str, frozenset[str]] = {
    "signal": frozenset(s.value for s in SignalName),
    "gate": frozenset(g.value for g in GateName if g != GateName.QUARTER_END),
    "trigger": frozenset(t.value for t in TriggerType),
    "concern": frozenset(c.value for c in ConcernKind),
    "fact": frozenset(NOTE_FACTS),
}
LIST_COLUMNS = ("feature_requests", "products_owned")
PLAN_KINDS = frozenset({"expansion", "fix_first", "re_engage", "adoption", "retention", "nurture"})


class CaseError(ValueError):
    """A case file is missing, malformed or inconsistent."""


def tier_of(score: int) -> Tier:
    """The tier a total earns per the method: 35+, 20-34, 10-19, below 10."""
    if score >= 35:
        return Tier.PRIORITY
    if score >= 20:
        return Tier.READY
    return Tier.CANDIDATE if score >= 10 else Tier.NOT_YET


class Label(BaseModel):
    """One finding a careful human reads in the notes."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    category: FindingCategory
    name: str

    @model_validator(mode="after")
    def _known_name(self) -> Label:
        if self.name not in LABEL_NAMES[self.category]:
            raise ValueError(
                f"{self.name!r} is not a {self.category} name; "
                f"use one of {sorted(LABEL_NAMES[self.category])}"
            )
        return self

    @property
    def key(self) -> str:
        """``category:name``, the unit precision and recall are counted on."""
        return f"{self.category}:{self.name}"


class Expected(BaseModel):
    """The decided facts a careful reader of docs/RULES.md expects for a case."""

    model_config = ConfigDict(extra="forbid")

    readiness_score: int = Field(ge=0, le=64)
    tier: Tier
    signals: list[SignalName]
    gates: list[GateName]
    offer_type: OfferType | None
    trigger_type: TriggerType | None
    offer_item: str | None = None
    held_offer_type: OfferType | None = None
    trigger_date: dt.date | None = None
    plan_kind: str | None = None
    opening_date: dt.date | None = None
    concerns: list[ConcernKind] | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Expected:
        total = sum(SIGNAL_POINTS[s] for s in self.signals)
        if total != self.readiness_score:
            raise ValueError(
                f"readiness_score {self.readiness_score} != {total}, the points of {self.signals}"
            )
        if tier_of(total) != self.tier:
            raise ValueError(f"tier {self.tier.value} does not match score {total}")
        if len(set(self.signals)) != len(self.signals) or len(set(self.gates)) != len(self.gates):
            raise ValueError("signals and gates must not repeat")
        if self.plan_kind is not None and self.plan_kind not in PLAN_KINDS:
            raise ValueError(f"plan_kind must be one of {sorted(PLAN_KINDS)}")
        return self

    def checked_fields(self) -> list[str]:
        """The always-checked fields plus the optional ones this case states."""
        return [*FACT_FIELDS, *(f for f in OPTIONAL_FIELDS if f in self.model_fields_set)]

    def value(self, name: str) -> Any:
        """The expected value of one field, normalised like the report's (sets sorted)."""
        return normalise(name, getattr(self, name))


def normalise(name: str, value: Any) -> Any:
    """Return a comparable, JSON-able form of a fact value (lists become sorted lists)."""
    if value is None:
        return None
    if isinstance(value, list | tuple | set | frozenset):
        return sorted(str(getattr(v, "value", v)) for v in value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return getattr(value, "value", value)


class KnownIssue(BaseModel):
    """Expected facts the engine is known to get wrong, reported to the owners."""

    model_config = ConfigDict(extra="forbid")

    fields: list[str] = Field(min_length=1)
    note: str = Field(min_length=10, description="what the engine does, and the RULES.md line")

    @field_validator("fields")
    @classmethod
    def _known_fields(cls, value: list[str]) -> list[str]:
        unknown = sorted(set(value) - set(FACT_FIELDS) - set(OPTIONAL_FIELDS))
        if unknown:
            raise ValueError(f"unknown fact fields {unknown}")
        return value


class EvalCase(BaseModel):
    """One evaluation case: inputs, expected facts and the labelled findings of its notes."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str
    covers: list[str] = Field(default_factory=list, description="tags, e.g. boundary, messy")
    as_of: dt.date
    fiscal_start_month: int = Field(default=1, ge=1, le=12)
    account: dict[str, Any] | None = None
    notes: str | None = None
    notes_date: dt.date | None = None
    expect: Expected
    labels: list[Label] | None = None
    known_issues: list[KnownIssue] = Field(default_factory=list)

    @model_validator(mode="after")
    def _inputs(self) -> EvalCase:
        if self.account is None and not (self.notes and self.notes.strip()):
            raise ValueError("a case needs an account row, notes, or both")
        if self.account and "notes" in self.account:
            raise ValueError("put the notes in the case's `notes`, not in the account row")
        has_notes = bool(self.notes and self.notes.strip())
        if has_notes and self.labels is None:
            raise ValueError("a case with notes needs `labels` (an empty list when none)")
        if not has_notes and self.labels:
            raise ValueError("labels without notes")
        self.build_account()
        return self

    def build_account(self) -> Account:
        """The case's data row as an `Account` (id defaults to the case id)."""
        data = dict(self.account or {})
        data.setdefault("account_id", self.id)
        data.setdefault("account_name", f"Account {self.id}")
        for column in LIST_COLUMNS:
            if isinstance(data.get(column), str):
                data[column] = [p.strip() for p in data[column].split(";") if p.strip()]
        if self.notes_date is not None:
            data["notes_date"] = self.notes_date
        return Account.model_validate(data)

    @property
    def label_keys(self) -> set[str] | None:
        """The labelled ``category:name`` keys, or None when the case has no notes."""
        return None if self.labels is None else {label.key for label in self.labels}

    def known_fields(self) -> dict[str, str]:
        """Fact field -> the known-issue note that covers it."""
        return {f: issue.note for issue in self.known_issues for f in issue.fields}


class CaseFile(BaseModel):
    """The content of one case file."""

    model_config = ConfigDict(extra="forbid")

    version: int = Field(ge=1)
    theme: str = ""
    templates: Any = None
    cases: list[EvalCase] = Field(min_length=1)


class CaseSet(BaseModel):
    """A loaded, versioned suite of cases."""

    version: int
    cases: list[EvalCase]
    sources: dict[str, str] = Field(default_factory=dict, description="case id -> file name")

    def select(self, ids: Iterable[str]) -> CaseSet:
        """Return the suite restricted to some case ids (in the suite's order)."""
        wanted = set(ids)
        missing = sorted(wanted - {c.id for c in self.cases})
        if missing:
            raise CaseError(f"unknown case ids {missing}")
        cases = [c for c in self.cases if c.id in wanted]
        return CaseSet(
            version=self.version,
            cases=cases,
            sources={c.id: self.sources.get(c.id, "") for c in cases},
        )


def _read(path: Path) -> Any:
    text = path.read_text(encoding="utf-8")
    try:
        return json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        raise CaseError(f"{path.name}: not valid {path.suffix[1:].upper()}: {exc}") from exc


def _files(path: Path) -> list[Path]:
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix in CASE_SUFFIXES and p.is_file())
        if not files:
            raise CaseError(f"no case files (*.yaml, *.json) in {path}")
        return files
    if path.is_file():
        return [path]
    raise CaseError(f"no cases at {path}")


def load_cases(path: Path | str | None = None) -> CaseSet:
    """Load a case file, or every case file of a folder (default: ``evals/cases``)."""
    files = _files(Path(path) if path is not None else CASES_DIR)
    versions: set[int] = set()
    cases: list[EvalCase] = []
    sources: dict[str, str] = {}
    for file in files:
        try:
            content = CaseFile.model_validate(_read(file))
        except ValidationError as exc:
            raise CaseError(f"{file.name}: {exc}") from exc
        versions.add(content.version)
        for case in content.cases:
            if case.id in sources:
                raise CaseError(f"case id {case.id!r} repeats ({sources[case.id]}, {file.name})")
            sources[case.id] = file.name
            cases.append(case)
    if len(versions) != 1:
        raise CaseError(f"case files disagree on the suite version: {sorted(versions)}")
    return CaseSet(version=versions.pop(), cases=cases, sources=sources)


def coverage(cases: Sequence[EvalCase]) -> dict[str, dict[str, int]]:
    """How many cases exercise each signal, tier, gate, offer, trigger, concern and tag."""
    out: dict[str, dict[str, int]] = {
        k: {} for k in ("signal", "tier", "gate", "offer", "trigger", "concern", "label", "tag")
    }

    def bump(group: str, key: str) -> None:
        out[group][key] = out[group].get(key, 0) + 1

    for case in cases:
        exp = case.expect
        for s in exp.signals:
            bump("signal", s.value)
        bump("tier", exp.tier.value)
        for g in exp.gates:
            bump("gate", g.value)
        offer = exp.offer_type or exp.held_offer_type
        if offer is not None:
            bump("offer", offer.value)
        if exp.trigger_type is not None:
            bump("trigger", exp.trigger_type.value)
        for c in set(exp.concerns or []):
            bump("concern", c.value)
        for key in sorted(case.label_keys or ()):
            bump("label", key)
        for tag in case.covers:
            bump("tag", tag)
    return {k: dict(sorted(v.items())) for k, v in out.items()}
