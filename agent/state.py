"""The graph's typed input, state and output.

The state holds the models themselves (`Account`, `Assessment`, `Brief`...), not
their JSON: nodes read and return them as they are, and the checkpointer serialises
them (`agent.checkpoints` allows exactly these types). Per-run fields are reset by
`fresh_run`, which derives them from this schema. ``usage`` and ``notices``
accumulate across nodes; everything else is last-write-wins.
"""

from __future__ import annotations

import operator
from dataclasses import MISSING, dataclass, field, fields
from typing import Annotated, Any

from langgraph.types import Overwrite

from playbook.agent.context import Mode
from playbook.agent.llm.client import LLMUsage
from playbook.agent.llm.schemas import DraftProse
from playbook.knowledge.guidance import Guidance
from playbook.tools.models.account import Account, CatalogItem
from playbook.tools.models.assessment import Assessment
from playbook.tools.models.brief import Brief
from playbook.tools.models.findings import NoteFindings
from playbook.tools.rubric.report import RubricReport
from playbook.tools.vocab import Section


@dataclass
class BriefInput:
    """What a run starts from: the account (a data row or built from notes) and its notes."""

    account: Account
    notes: str | None = None
    segment: str | None = None


@dataclass
class RunResult:
    """What a finished run gives: the checked brief, its report, usage and notices."""

    brief: Brief
    report: RubricReport
    passed: bool
    mode: Mode
    usage: list[LLMUsage] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


@dataclass
class BriefOutput:
    """The graph's output: the result of the run."""

    result: RunResult | None = None


@dataclass
class BriefState:
    """One account's run through the graph."""

    account: Account
    notes: str | None = None
    segment: str | None = None
    catalog: list[CatalogItem] = field(default_factory=list)
    catalog_given: bool = False
    icp_given: bool = True
    mode: Mode = "offline"
    missing: list[str] = field(default_factory=list)
    answers: dict[str, Any] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)
    findings: NoteFindings = field(default_factory=NoteFindings)
    facts: Assessment | None = None
    guidance: Guidance | None = None
    offline_draft: Brief | None = None
    draft: Brief | None = None
    prose: DraftProse | None = None
    report: RubricReport | None = None
    passed: bool = False
    failing: list[Section] = field(default_factory=list)
    revisions: int = 0
    llm_drafted: bool = False
    budget_exhausted: bool = False
    usage: Annotated[list[LLMUsage], operator.add] = field(default_factory=list)
    notices: Annotated[list[str], operator.add] = field(default_factory=list)
    result: RunResult | None = None

    @property
    def tokens_used(self) -> int:
        """Prompt plus completion tokens of every LLM call so far."""
        return sum(u.prompt_tokens + u.completion_tokens for u in self.usage)

    def need_facts(self) -> Assessment:
        """Return the decided facts (the score node has run)."""
        if self.facts is None:
            raise RuntimeError("no facts in the state: the score node has not run")
        return self.facts

    def need_guidance(self) -> Guidance:
        """Return the retrieved guidance (the retrieve node has run)."""
        if self.guidance is None:
            raise RuntimeError("no guidance in the state: the retrieve node has not run")
        return self.guidance

    def need_draft(self) -> Brief:
        """Return the current draft (the draft node has run)."""
        if self.draft is None:
            raise RuntimeError("no draft in the state: the draft node has not run")
        return self.draft

    def need_offline_draft(self) -> Brief:
        """Return the offline drafter's brief (the draft node has run)."""
        if self.offline_draft is None:
            raise RuntimeError("no offline draft in the state: the draft node has not run")
        return self.offline_draft


_INPUT_FIELDS = frozenset(f.name for f in fields(BriefInput))
_ACCUMULATED = frozenset({"usage", "notices"})


def fresh_run() -> dict[str, Any]:
    """Return the update that starts a new run on a thread: every per-run field at its default.

    Derived from `BriefState` itself (every field but the inputs), so a field added to
    the state is reset too; the accumulated lists are overwritten, not appended to.
    """
    update: dict[str, Any] = {}
    for f in fields(BriefState):
        if f.name in _INPUT_FIELDS:
            continue
        if f.default_factory is not MISSING:
            value = f.default_factory()
        else:
            value = None if f.default is MISSING else f.default
        update[f.name] = Overwrite(value) if f.name in _ACCUMULATED else value
    return update


STATE_TYPES: tuple[type, ...] = (
    BriefInput,
    BriefState,
    BriefOutput,
    RunResult,
)
"""The dataclasses of this module (the checkpointer's serialiser allows them)."""
