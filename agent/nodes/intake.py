"""Intake and ask_missing: build the account, then ask for (or skip) missing inputs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from langgraph.runtime import Runtime
from langgraph.types import interrupt
from pydantic import ValidationError

from playbook.agent.services import Services
from playbook.agent.state import BriefState, fresh_run
from playbook.tools.models.account import Account, CatalogItem
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


def intake(state: BriefState, runtime: Runtime[Services]) -> dict[str, Any]:
    """Build the account (data row and/or pasted notes) and the catalog; start a fresh run."""
    services = runtime.context
    account = state.account
    if state.notes and state.notes.strip():
        pasted = state.notes.strip()
        notes = f"{account.notes.strip()}\n\n{pasted}" if account.notes else pasted
        account = account.model_copy(update={"notes": notes})
    return {
        **fresh_run(),
        "account": account,
        "notes": account.notes,
        "catalog": services.get_catalog(),
        "catalog_given": services.catalog_given,
        "icp_given": services.settings.icp_given,
        "mode": services.settings.mode,
    }


def _missing(
    account: Account,
    catalog: list[CatalogItem],
    catalog_given: bool,
    icp_given: bool,
    services: Services,
) -> list[str]:
    config = RuleConfig(
        as_of=services.settings.as_of,
        catalog=catalog if catalog_given else [],
        icp_given=icp_given,
    )
    return missing_inputs(account, config)


def interrupt_payload(account: Account, missing: list[str]) -> dict[str, Any]:
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


def _apply_answers(state: BriefState, answers: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """State updates from the user's answers, and notices for answers that could not be used."""
    updates: dict[str, Any] = {}
    notices: list[str] = []
    account = state.account.model_dump()
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
            f"{account['notes']}\n\n{notes.strip()}" if account.get("notes") else notes.strip()
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
            updates["catalog"] = list(items)
            updates["catalog_given"] = True
    if answers.get("icp"):
        updates["icp_given"] = True
    updates["account"] = Account.model_validate(account)
    return updates, notices


def ask_missing(state: BriefState, runtime: Runtime[Services]) -> dict[str, Any]:
    """Ask for the missing inputs (interactive) or skip them all (batch)."""
    services = runtime.context
    account = state.account
    missing = _missing(account, state.catalog, state.catalog_given, state.icp_given, services)
    if not missing:
        return {"missing": []}
    if not services.settings.interactive:
        return {"missing": missing, "skipped": missing}
    reply = interrupt(interrupt_payload(account, missing))
    answers = dict(reply.get("answers") or {}) if isinstance(reply, dict) else {}
    skip = [s for s in (reply.get("skip") or []) if s in INPUTS] if isinstance(reply, dict) else []
    updates, notices = _apply_answers(state, answers)
    still = _missing(
        updates["account"],
        updates.get("catalog", state.catalog),
        bool(updates.get("catalog_given", state.catalog_given)),
        bool(updates.get("icp_given", state.icp_given)),
        services,
    )
    skipped = list(dict.fromkeys([*skip, *still]))
    return {
        **updates,
        "missing": missing,
        "answers": answers,
        "skipped": [s for s in skipped if s in missing],
        "notices": notices,
    }
