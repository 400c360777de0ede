"""Draft (offline, or one LLM call merged onto the offline base), revise once, fall back."""

from __future__ import annotations

from typing import Any

from playbook.agent.deps import Deps
from playbook.agent.llm.merge import (
    all_offline,
    apply_fallback,
    merge_prose,
    with_facts,
)
from playbook.agent.llm.prompting import PromptInputs, draft_messages, revise_messages
from playbook.agent.llm.schemas import DraftProse
from playbook.agent.llm.wire import DraftProseOut
from playbook.agent.nodes.check import failure_lines, run_check
from playbook.agent.nodes.common import Skipped, call_llm, facts_of, llm_on, remember
from playbook.agent.state import BriefState, guidance_from_dict
from playbook.tools.models.brief import Brief
from playbook.tools.vocab import LLM_SECTIONS, SECTIONS


def _inputs(state: BriefState, deps: Deps) -> PromptInputs:
    if state.guidance is None:
        raise RuntimeError("no guidance in the state: the retrieve node has not run")
    return PromptInputs(
        facts=facts_of(state),
        guidance=state.guidance,
        notes=state.notes,
        redact=deps.context.redact,
    )


def _offline_base(state: BriefState) -> Brief:
    if state.offline_draft is None:
        raise RuntimeError("no offline draft in the state: the draft node has not run")
    return Brief.model_validate(state.offline_draft)


def draft(state: BriefState, deps: Deps) -> dict[str, Any]:
    """Draft offline; in LLM modes add one drafting call whose prose code merges in."""
    ctx = deps.context
    facts = facts_of(state)
    if state.guidance is None:
        raise RuntimeError("no guidance in the state: the retrieve node has not run")
    avoid = [str(item["name"]) for item in state.catalog]
    offline = deps.get_drafter()(
        facts, guidance_from_dict(state.guidance), notes=state.notes, avoid=avoid
    )
    base = with_facts(offline, facts)
    base.provenance = {**base.provenance, **dict.fromkeys(SECTIONS, "offline")}
    base.mode = ctx.mode
    dumped = remember(base.model_dump(mode="json"), base)
    update: dict[str, Any] = {"offline_draft": dumped, "draft": dumped, "llm_drafted": False}
    if not llm_on(state, deps):
        if ctx.llm_enabled:
            update["draft"] = all_offline(base, "fallback").model_dump(mode="json")
        return update
    messages = draft_messages(_inputs(state, deps))
    call = call_llm(state, deps, DraftProseOut, messages, "draft")
    if isinstance(call, Skipped):
        return {
            **update,
            "draft": all_offline(base, "fallback").model_dump(mode="json"),
            **call.notice(
                "token budget reached before drafting: the offline draft is used",
                "LLM drafting failed, the offline draft is used",
            ),
        }
    prose = call.parsed.to_prose()
    merged = merge_prose(base, prose, facts, state.guidance["ids"], mode=ctx.mode)
    return {
        **update,
        "draft": merged.model_dump(mode="json"),
        "prose": prose.model_dump(mode="json"),
        "llm_drafted": True,
        "usage": [call.usage],
    }


def revise(state: BriefState, deps: Deps) -> dict[str, Any]:
    """One revision call with the failed checks listed; the check runs again after it."""
    ctx = deps.context
    update: dict[str, Any] = {"revisions": state.revisions + 1}
    previous = DraftProse.model_validate(state.prose) if state.prose else None
    messages = revise_messages(
        _inputs(state, deps),
        failures=failure_lines(state.report),
        previous=DraftProseOut.from_prose(previous).model_dump(mode="json") if previous else None,
    )
    call = call_llm(state, deps, DraftProseOut, messages, "revise")
    if isinstance(call, Skipped):
        return {
            **update,
            **call.notice(
                "token budget reached before revising: failing sections fall back",
                "LLM revision failed",
            ),
        }
    prose = call.parsed.to_prose()
    merged = merge_prose(
        _offline_base(state),
        prose,
        facts_of(state),
        state.guidance["ids"] if state.guidance else (),
        mode=ctx.mode,
    )
    return {
        **update,
        "draft": merged.model_dump(mode="json"),
        "prose": prose.model_dump(mode="json"),
        "usage": [call.usage],
    }


def fallback(state: BriefState, deps: Deps) -> dict[str, Any]:
    """Replace each failing section with the offline drafter's version, then check again."""
    if state.draft is None:
        raise RuntimeError("no draft in the state: the draft node has not run")
    current = Brief.model_validate(state.draft)
    sections = [s for s in state.failing if s in SECTIONS]
    if not sections:
        sections = [s for s in LLM_SECTIONS if current.provenance.get(s) == "llm"] or list(SECTIONS)
    patched = apply_fallback(current, _offline_base(state), sections)
    report, passed, failing = run_check(patched, state, deps)
    return {
        "draft": patched.model_dump(mode="json"),
        "report": report,
        "passed": passed,
        "failing": failing,
        "notices": [f"sections drafted offline after the revision failed: {', '.join(sections)}"],
    }
