"""Extract findings from the notes, score the account, retrieve its guidance."""

from __future__ import annotations

from typing import Any

from playbook.agent.deps import Deps
from playbook.agent.llm.findings import merge_findings
from playbook.agent.llm.prompting import extraction_messages
from playbook.agent.llm.schemas import Extraction
from playbook.agent.nodes.common import Skipped, call_llm, catalog_of, facts_of, llm_on, remember
from playbook.agent.state import BriefState, guidance_to_dict
from playbook.tools.models.account import Account
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


def extract(state: BriefState, deps: Deps) -> dict[str, Any]:
    """Rules extraction always; in LLM modes one extraction call, merged if verbatim."""
    ctx = deps.context
    account = Account.model_validate(state.account)
    notes = account.notes or ""
    if not notes.strip():
        return {"findings": NoteFindings().model_dump(mode="json")}
    rules = deps.get_extractor()(notes, as_of=ctx.as_of, notes_date=account.notes_date)
    update: dict[str, Any] = {"findings": rules.model_dump(mode="json")}
    if not llm_on(state, deps):
        return update
    messages = extraction_messages(
        account_name=account.account_name,
        account_id=account.account_id,
        as_of=ctx.as_of.isoformat(),
        notes_date=account.notes_date.isoformat() if account.notes_date else None,
        notes=notes,
        redact=ctx.redact,
    )
    call = call_llm(state, deps, Extraction, messages, "extract")
    if isinstance(call, Skipped):
        return {
            **update,
            **call.notice(
                "token budget reached before extraction: rules extraction only",
                "LLM extraction skipped",
            ),
        }
    merged, dropped = merge_findings(rules, call.parsed, notes)
    notices = (
        [f"LLM extraction: {dropped} finding(s) dropped (not verbatim or duplicate)"]
        if (dropped)
        else []
    )
    return {"findings": merged.model_dump(mode="json"), "usage": [call.usage], "notices": notices}


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


def score(state: BriefState, deps: Deps) -> dict[str, Any]:
    """Every decided fact, by the rules (`tools.assess.assess`)."""
    ctx = deps.context
    account = Account.model_validate(state.account)
    config = RuleConfig(
        as_of=ctx.as_of,
        catalog=catalog_of(state),
        fiscal_start_month=ctx.fiscal_start_month,
        icp_given=state.icp_given,
        segments={account.account_id: state.segment} if state.segment else {},
    )
    facts = assess(account, config, NoteFindings.model_validate(state.findings))
    facts = _with_skip_assumptions(facts, state.skipped)
    return {"facts": remember(facts.model_dump(mode="json"), facts)}


def retrieve(state: BriefState, deps: Deps) -> dict[str, Any]:
    """Retrieve the guidance chunks for the account's situation."""
    return {"guidance": guidance_to_dict(deps.guidance_for(facts_of(state)))}
