"""Draft (offline, or one LLM call merged onto the offline base), revise once, fall back."""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from playbook.agent.llm.merge import all_offline, apply_fallback, merge_prose, with_facts
from playbook.agent.llm.prompting import PromptInputs, draft_messages, revise_messages
from playbook.agent.llm.wire import DraftProseOut
from playbook.agent.nodes.check import failure_lines, run_check
from playbook.agent.nodes.common import Skipped, call_llm, llm_on
from playbook.agent.services import Services
from playbook.agent.state import BriefState
from playbook.tools.vocab import LLM_SECTIONS, SECTIONS


def _inputs(state: BriefState, services: Services) -> PromptInputs:
    return PromptInputs(
        facts=state.need_facts(),
        guidance=state.need_guidance(),
        notes=state.notes,
        redact=services.settings.redact,
    )


def draft(state: BriefState, runtime: Runtime[Services]) -> dict[str, Any]:
    """Draft offline; in LLM modes add one drafting call whose prose code merges in."""
    services = runtime.context
    settings = services.settings
    facts = state.need_facts()
    guidance = state.need_guidance()
    avoid = [item.name for item in state.catalog]
    offline = services.drafter(facts, guidance, notes=state.notes, avoid=avoid)
    base = with_facts(offline, facts).model_copy(
        update={"mode": settings.mode, "provenance": dict.fromkeys(SECTIONS, "offline")}
    )
    update: dict[str, Any] = {"offline_draft": base, "draft": base, "llm_drafted": False}
    if not llm_on(state, services, "draft"):
        if settings.llm_enabled:
            update["draft"] = all_offline(base, "fallback")
        return update
    messages = draft_messages(_inputs(state, services))
    call = call_llm(state, services, DraftProseOut, messages, "draft")
    if isinstance(call, Skipped):
        return {
            **update,
            "draft": all_offline(base, "fallback"),
            **call.notice(
                "token budget reached before drafting: the offline draft is used",
                "LLM drafting failed, the offline draft is used",
            ),
        }
    prose = call.parsed.to_prose()
    merged = merge_prose(base, prose, facts, guidance.all_ids(), mode=settings.mode)
    return {
        **update,
        "draft": merged,
        "prose": prose,
        "llm_drafted": True,
        "usage": [call.usage],
    }


def revise(state: BriefState, runtime: Runtime[Services]) -> dict[str, Any]:
    """One revision call with the failed checks listed; the check runs again after it."""
    services = runtime.context
    update: dict[str, Any] = {"revisions": state.revisions + 1}
    prose_out = DraftProseOut.from_prose(state.prose) if state.prose else None
    previous = prose_out.model_dump(mode="json") if prose_out else None
    messages = revise_messages(
        _inputs(state, services), failures=failure_lines(state.report), previous=previous
    )
    call = call_llm(state, services, DraftProseOut, messages, "revise")
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
        state.need_offline_draft(),
        prose,
        state.need_facts(),
        state.need_guidance().all_ids(),
        mode=services.settings.mode,
    )
    return {**update, "draft": merged, "prose": prose, "usage": [call.usage]}


def fallback(state: BriefState, runtime: Runtime[Services]) -> dict[str, Any]:
    """Replace each failing section with the offline drafter's version, then check again."""
    current = state.need_draft()
    sections = [s for s in state.failing if s in SECTIONS]
    if not sections:
        sections = [s for s in LLM_SECTIONS if current.provenance.get(s) == "llm"] or list(SECTIONS)
    patched = apply_fallback(current, state.need_offline_draft(), sections)
    report, passed, failing = run_check(patched, state, runtime.context)
    return {
        "draft": patched,
        "report": report,
        "passed": passed,
        "failing": failing,
        "notices": [f"sections drafted offline after the revision failed: {', '.join(sections)}"],
    }
