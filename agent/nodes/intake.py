"""Intake and ask_missing: build the account, then ask for (or skip) missing inputs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from langgraph.types import Overwrite, interrupt
from pydantic import ValidationError

from playbook.agent.deps import Deps
from playbook.agent.nodes.common import catalog_of
from playbook.agent.state import BriefState, JSONDict
from playbook.tools.models.account import Account
from playbook.tools.rules.assess import INPUTS, RuleConfig, missing_inputs

WHY: dict[str, str] = {
    "customer": "plan, spend, relationship status and the contact decide the at-risk gate, "
    "the offer's fit and whom the script greets",
    "offers": "the one offer must name a real catalog item; without a catalog the built-in "
    "default catalog is used",
    "usage": "usage against capacity drives the 12-point usage signal, the capacity offer "
    "and the low-usage gate",
    "interactions": "notes, NPS, outcomes and tickets feed five signals, the open-problem and "
    "gone-quiet gates and the why-now trigger",
    "contract": "the renewal date scores the renewal signal (60-120 days out) and decides "
    "whether a multi-year renewal fits",
    "icp": "the ICP says what an account that typically expands looks like; without it the "
    "method's default profile is assumed",
}
ANSWER_FIELDS: dict[str, tuple[str, ...]] = {
    "customer": ("plan", "arr", "currency", "relationship_status", "contact_name", "contact_role"),
    "offers": ("catalog",),
    "usage": (
        "seats_purchased", "seats_used", "usage_limit", "usage_current", "active_users",
        "logins_per_month",
    ),
    "interactions": (
        "notes", "nps", "nps_date", "positive_outcome", "positive_outcome_date",
        "open_tickets_high", "last_contact_date",
    ),
    "contract": ("renewal_date", "arr"),
    "icp": ("icp",),
}  # fmt: skip
SPECIAL_ANSWERS = frozenset({"notes", "catalog", "icp"})
RUN_RESET: JSONDict = {
    "missing": [],
    "answers": {},
    "skipped": [],
    "findings": {},
    "facts": None,
    "guidance": None,
    "offline_draft": None,
    "draft": None,
    "prose": None,
    "report": None,
    "passed": False,
    "failing": [],
    "revisions": 0,
    "llm_drafted": False,
    "budget_exhausted": False,
    "result": None,
}
"""Per-run fields a new run on an existing thread starts from (e.g. a chat re-run)."""


def intake(state: BriefState, deps: Deps) -> dict[str, Any]:
    """Build the account (data row and/or pasted notes) and the catalog; reset per-run fields."""
    account = Account.model_validate(state.account)
    if state.notes and state.notes.strip():
        pasted = state.notes.strip()
        account.notes = f"{account.notes.strip()}\n\n{pasted}" if account.notes else pasted
    return {
        **RUN_RESET,
        "usage": Overwrite([]),
        "notices": Overwrite([]),
        "account": account.model_dump(mode="json"),
        "notes": account.notes,
        "catalog": deps.catalog_dump(),
        "catalog_given": deps.catalog_given,
        "icp_given": deps.context.icp_given,
        "mode": deps.context.mode,
    }


def _missing(account: Account, state: BriefState, deps: Deps, catalog_given: bool) -> list[str]:
    catalog = catalog_of(state) if catalog_given else []
    config = RuleConfig(as_of=deps.context.as_of, catalog=catalog, icp_given=state.icp_given)
    return missing_inputs(account, config)


def interrupt_payload(account: Account, missing: list[str]) -> JSONDict:
    """Build what the chat shows: each missing input, why it matters, what to answer."""
    return {
        "account_id": account.account_id,
        "account_name": account.account_name,
        "missing": [
            {
                "input": key,
                "label": INPUTS[key],
                "why": WHY[key],
                "fields": list(ANSWER_FIELDS[key]),
            }
            for key in missing
        ],
        "resume_with": {"answers": {"<field>": "<value>"}, "skip": ["<input key>"]},
    }


def _apply_answers(state: BriefState, deps: Deps, answers: JSONDict) -> tuple[JSONDict, list[str]]:
    """State updates from the user's answers, and notices for answers that could not be used."""
    updates: JSONDict = {}
    notices: list[str] = []
    account = dict(state.account)
    fields = {k: v for k, v in answers.items() if k not in SPECIAL_ANSWERS}
    unknown = sorted(k for k in fields if k not in Account.model_fields or k in ("row", "extra"))
    for key in unknown:
        notices.append(f"answer {key!r} is not an account field: ignored")
        fields.pop(key)
    for key, value in fields.items():
        try:
            Account.model_validate({**account, key: value})
        except ValidationError as exc:
            notices.append(f"answer {key}={value!r} could not be used: {exc.errors()[0]['msg']}")
            continue
        account[key] = value
    notes = answers.get("notes")
    if isinstance(notes, str) and notes.strip():
        account["notes"] = (
            f"{account['notes']}\n\n{notes.strip()}" if account.get("notes") else (notes.strip())
        )
        updates["notes"] = account["notes"]
    catalog = answers.get("catalog")
    if isinstance(catalog, str) and catalog.strip():
        from playbook.tools.loading.catalog import CatalogError, load_catalog

        try:
            items = load_catalog(Path(catalog.strip()).expanduser()).items
        except (CatalogError, OSError) as exc:
            notices.append(f"catalog {catalog!r} could not be loaded: {exc}")
        else:
            updates["catalog"] = [item.model_dump(mode="json") for item in items]
            updates["catalog_given"] = True
    if answers.get("icp"):
        updates["icp_given"] = True
    updates["account"] = Account.model_validate(account).model_dump(mode="json")
    return updates, notices


def ask_missing(state: BriefState, deps: Deps) -> dict[str, Any]:
    """Ask for the missing inputs (interactive) or skip them all (batch)."""
    account = Account.model_validate(state.account)
    missing = _missing(account, state, deps, state.catalog_given)
    if not missing:
        return {"missing": []}
    if not deps.context.interactive:
        return {"missing": missing, "skipped": missing}
    reply = interrupt(interrupt_payload(account, missing))
    answers = dict(reply.get("answers") or {}) if isinstance(reply, dict) else {}
    skip = [s for s in (reply.get("skip") or []) if s in INPUTS] if isinstance(reply, dict) else []
    updates, notices = _apply_answers(state, deps, answers)
    after = BriefState(
        account=updates["account"],
        catalog=updates.get("catalog", state.catalog),
        icp_given=updates.get("icp_given", state.icp_given),
    )
    still = _missing(
        Account.model_validate(updates["account"]),
        after,
        deps,
        bool(updates.get("catalog_given", state.catalog_given)),
    )
    skipped = list(dict.fromkeys([*skip, *still]))
    return {
        **updates,
        "missing": missing,
        "answers": answers,
        "skipped": [s for s in skipped if s in missing],
        "notices": notices,
    }
