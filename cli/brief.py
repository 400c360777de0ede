"""The `playbook brief` command's work: build the account, run the agent, render."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from playbook.agent.context import AgentContext
from playbook.agent.runner import BriefAgent, BriefResult, NeedsInput
from playbook.agent.services import Services
from playbook.tools.models.account import Account
from playbook.tools.notes.header import account_from_notes

Ask = Callable[[dict[str, Any]], tuple[dict[str, Any], list[str]]]


class BriefRequestError(ValueError):
    """The request cannot be served (unknown account, unreadable file, bad settings)."""


@dataclass(frozen=True)
class BriefRequest:
    """What the user asked `playbook brief` for."""

    notes: str | None
    account_id: str | None
    accounts_path: Path | None
    as_of: dt.date
    notes_date: dt.date | None = None
    catalog_path: Path | None = None
    model_path: Path | None = None
    fiscal_start_month: int = 1
    dayfirst: bool | None = None
    interactive: bool = False


def _row(request: BriefRequest) -> tuple[Account | None, str | None, list[str]]:
    """Find the data row for --account (with its revenue segment) and its load problems."""
    if request.account_id is None:
        return None, None, []
    if request.accounts_path is None:
        raise BriefRequestError("--account needs --accounts FILE")
    from playbook.tools.loading import LoadError, load_accounts
    from playbook.tools.rules.pipeline import revenue_segments

    try:
        loaded = load_accounts(request.accounts_path, dayfirst=request.dayfirst)
    except LoadError as exc:
        raise BriefRequestError(str(exc)) from exc
    by_id = {a.account_id: a for a in loaded.accounts}
    problems = [str(e) for e in loaded.errors if e.account_id == request.account_id]
    if request.account_id not in by_id:
        close = sorted(i for i in by_id if request.account_id.lower() in i.lower())[:5]
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
        rejected = [str(e) for e in loaded.errors if e.account_id == request.account_id]
        why = f": {rejected[0]}" if rejected else ""
        raise BriefRequestError(
            f"account {request.account_id!r} is not in {request.accounts_path}{why}{hint}"
        )
    segments = revenue_segments({a.account_id: a.arr for a in loaded.accounts})
    return by_id[request.account_id], segments.get(request.account_id), problems


def _render(result: BriefResult, fmt: str) -> str:
    from playbook.tools.output.render import render_markdown

    if fmt == "json":
        data = result.brief.contract_dict()
        data["check"] = result.report.summary()
        data["llm_calls"] = result.llm_calls
        return json.dumps(data, indent=2, ensure_ascii=False)
    return render_markdown(result.brief)


def run_brief_command(
    request: BriefRequest, fmt: str, *, ask: Ask | None = None
) -> tuple[str, str, list[str]]:
    """Run the agent for one account; return the rendered brief, the mode line, notes."""
    from playbook.agent.context import ConfigError

    row, segment, problems = _row(request)
    account = row
    if account is None:
        account = account_from_notes(request.notes or "")
    if request.notes_date is not None:
        account = account.model_copy(update={"notes_date": request.notes_date})
    try:
        context = AgentContext.resolve(
            as_of=request.as_of,
            fiscal_start_month=request.fiscal_start_month,
            catalog_path=request.catalog_path,
            likelihood_model=request.model_path,
            interactive=request.interactive,
        )
    except ConfigError as exc:
        raise BriefRequestError(str(exc)) from exc
    with BriefAgent.open(Services(settings=context)) as agent:
        outcome = agent.run(request.notes, account=account, segment=segment)
        while isinstance(outcome, NeedsInput):
            if ask is None:
                outcome = agent.resume(outcome.thread_id, skip=outcome.missing)
                continue
            answers, skip = ask(outcome.payload)
            outcome = agent.resume(outcome.thread_id, answers, skip)
    problems.extend(outcome.notices)
    if not outcome.passed:
        failed = ", ".join(f.id for f in outcome.report.failures)
        problems.append(f"the brief failed rubric checks: {failed}")
    return _render(outcome, fmt), context.describe_line(), problems
