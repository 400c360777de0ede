"""Extract findings from the notes, score the account, retrieve its guidance."""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from playbook.agent.llm.findings import merge_findings
from playbook.agent.llm.prompting import extraction_messages
from playbook.agent.llm.schemas import Extraction
from playbook.agent.nodes.common import Skipped, call_llm, llm_on
from playbook.agent.services import Services
from playbook.agent.state import BriefState
from playbook.tools.models.assessment import Assessment
from playbook.tools.models.findings import NoteFindings
from playbook.tools.rules.assess import INPUTS, RuleConfig, assess

SKIP_ASSUMPTIONS: dict[str, str] = {
    "customer": "Customer record skipped: the fit and the greeting rest only on what was given",
    "offers": "Offer catalog not provided: the built-in default catalog was used",
    "usage": "Usage data skipped: usage signals and the low-usage gate were not scored from data",
    "interactions": "Recent interactions skipped: outcome, NPS and ticket signals were not scored",
    "contract": "Renewal date unknown: the renewal signal was not scored",
    "icp": "Expansion ICP not provided: the method's default expansion profile was assumed",
}
_COVERS: dict[str, tuple[str, ...]] = {
    "customer": ("customer record",),
    "usage": ("usage data",),
    "interactions": ("recent interactions",),
    "contract": ("renewal", "contract"),
    "icp": ("icp", "ideal customer"),
    "offers": ("default catalog",),
}


def extract(state: BriefState, runtime: Runtime[Services]) -> dict[str, Any]:
    """Rules extraction always; in LLM modes one extraction call, merged if verbatim."""
    services = runtime.context
    settings = services.settings
    account = state.account
    notes = account.notes or ""
    if not notes.strip():
        return {"findings": NoteFindings()}
    rules = services.extractor(notes, as_of=settings.as_of, notes_date=account.notes_date)
    if not llm_on(state, services, "extract"):
        return {"findings": rules}
    messages = extraction_messages(
        account_name=account.account_name,
        account_id=account.account_id,
        as_of=settings.as_of.isoformat(),
        notes_date=account.notes_date.isoformat() if account.notes_date else None,
        notes=notes,
        redact=settings.redact,
    )
    call = call_llm(state, services, Extraction, messages, "extract")
    if isinstance(call, Skipped):
        return {
            "findings": rules,
            **call.notice(
                "token budget reached before extraction: rules extraction only",
                "LLM extraction skipped",
            ),
        }
    merged, dropped = merge_findings(rules, call.parsed, notes)
    notices = (
        [f"LLM extraction: {dropped} finding(s) dropped (not verbatim or duplicate)"]
        if dropped
        else []
    )
    return {"findings": merged, "usage": [call.usage], "notices": notices}


def _with_skip_assumptions(facts: Assessment, skipped: list[str]) -> Assessment:
    """Add one stated assumption for every skipped input not yet covered."""
    stated = [a.lower() for a in facts.assumptions]
    added = []
    for key in skipped:
        covers = (INPUTS[key].lower(), *_COVERS.get(key, ()))
        if not any(c in a for a in stated for c in covers):
            added.append(SKIP_ASSUMPTIONS[key])
    if not added:
        return facts
    return facts.model_copy(
        update={"assumptions": list(dict.fromkeys([*facts.assumptions, *added]))}
    )


def score(state: BriefState, runtime: Runtime[Services]) -> dict[str, Any]:
    """Every decided fact, by the rules (`tools.rules.assess.assess`)."""
    settings = runtime.context.settings
    account = state.account
    config = RuleConfig(
        as_of=settings.as_of,
        catalog=state.catalog,
        fiscal_start_month=settings.fiscal_start_month,
        icp_given=state.icp_given,
        segments={account.account_id: state.segment} if state.segment else {},
    )
    facts = _with_skip_assumptions(assess(account, config, state.findings), state.skipped)
    model = runtime.context.get_likelihood_model()
    return {"facts": model.apply(account, facts) if model is not None else facts}


def retrieve(state: BriefState, runtime: Runtime[Services]) -> dict[str, Any]:
    """Retrieve the guidance chunks for the account's situation."""
    return {"guidance": runtime.context.guidance_for(state.need_facts())}
