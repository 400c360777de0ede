"""The brief rubric (docs/RUBRIC.md): code checks run on every brief before it is shown.

`check_brief` is pure and deterministic: it reads the brief (whose `facts` are the
decided ones), the catalog, the ids of the retrieved guidance chunks and, when
given, the account's notes. The agent's check node and the evaluation suite call
it; `failing_sections` tells the revise step which sections to redo, and
`prose_fields` lists the text each section contributes.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence

from playbook.tools.models.account import CatalogItem
from playbook.tools.models.brief import Brief
from playbook.tools.rubric.checks import (
    Ctx,
    assumptions_stated,
    calendar_complete,
    citations,
    concerns_answered,
    deliverables,
    facts_unchanged,
    objections_end_with_question,
    script_ask,
    script_contact,
    script_length,
)
from playbook.tools.rubric.prose import (
    gate_respected,
    injection_ignored,
    no_pressure,
    no_unallowed_discount,
    numbers_grounded,
    one_offer,
    script_evidence,
)
from playbook.tools.rubric.report import CRITERIA, CriterionResult, RubricReport, failing_sections
from playbook.tools.rubric.text import prose_fields
from playbook.tools.vocab import SECTIONS

__all__ = [
    "CHECKS",
    "CRITERIA",
    "SECTIONS",
    "CriterionResult",
    "RubricReport",
    "check_brief",
    "failing_sections",
    "prose_fields",
]

# In the order of docs/RUBRIC.md.
CHECKS: dict[str, Callable[[Ctx], CriterionResult]] = {
    "deliverables": deliverables,
    "facts_unchanged": facts_unchanged,
    "numbers_grounded": numbers_grounded,
    "one_offer": one_offer,
    "gate_respected": gate_respected,
    "script_contact": script_contact,
    "script_evidence": script_evidence,
    "script_ask": script_ask,
    "script_length": script_length,
    "no_pressure": no_pressure,
    "no_unallowed_discount": no_unallowed_discount,
    "objections_end_with_question": objections_end_with_question,
    "concerns_answered": concerns_answered,
    "calendar_complete": calendar_complete,
    "citations": citations,
    "injection_ignored": injection_ignored,
    "assumptions_stated": assumptions_stated,
}
assert CHECKS.keys() == CRITERIA.keys()


def check_brief(
    brief: Brief,
    *,
    catalog: Sequence[CatalogItem],
    retrieved_ids: Collection[str],
    notes: str | None = None,
) -> RubricReport:
    """Check one brief against every code criterion of docs/RUBRIC.md.

    `catalog` is the customer's offer catalog, `retrieved_ids` the guidance chunk
    ids retrieved for the brief, `notes` the account's own notes (numbers in them
    are grounded; instructions in them must not be repeated).
    """
    ctx = Ctx(
        brief=brief,
        catalog=catalog,
        retrieved=frozenset(retrieved_ids),
        notes=notes,
        prose=prose_fields(brief),
    )
    return RubricReport(results=[check(ctx) for check in CHECKS.values()])
