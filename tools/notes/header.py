"""Identify the account a block of pasted notes is about (name, id, primary contact)."""

from __future__ import annotations

import re

from playbook.tools.models.account import Account

_LABELLED = {
    "account_name": re.compile(
        r"^\s*(?:account|customer|company|client)(?: name)?\s*[:=]\s*(.+?)\s*$", re.I | re.M
    ),
    "account_id": re.compile(r"\b(?:account|customer) (?:id\s*[:#]?\s*)?([A-Z]{1,4}-\d{1,6})\b"),
    "contact": re.compile(
        r"(?:primary contact|main contact|champion|contact)\s*[:=]\s*([^,|\n]+?)"
        r"(?:\s*[,(]\s*([^|\n)]+?)\)?)?\s*(?:\||$)",
        re.I | re.M,
    ),
}
_TITLE = re.compile(r"^\s*([A-Z][\w&.,' -]{1,60}?)\s*[:\-–|]\s+\S", re.M)
_ATTENDEE = re.compile(
    r"^\s*(?:with|present|attendees|participants)\s*:\s*([^,(\n]+?)\s*(?:\(([^)\n]+)\))?\s*(?:,|$)",
    re.I | re.M,
)
_NOT_NAMES = {"notes", "call notes", "call", "qbr", "meeting", "summary", "update", "recap"}


def _clean(value: str) -> str:
    return value.strip().strip("*#_ ").strip()


def account_from_notes(text: str, *, default_id: str = "notes") -> Account:
    """Build a minimal account for pasted notes: the name, id and contact the notes state."""
    fields: dict[str, str] = {}
    if match := _LABELLED["account_name"].search(text):
        fields["account_name"] = _clean(match.group(1))
    else:
        first = next((line for line in text.splitlines() if line.strip()), "")
        if (title := _TITLE.match(first)) and _clean(title.group(1)).lower() not in _NOT_NAMES:
            candidate = _clean(title.group(1))
            if not re.match(r"^\d{4}-\d{2}-\d{2}", candidate):
                fields["account_name"] = candidate
    if match := _LABELLED["account_id"].search(text):
        fields["account_id"] = match.group(1)
    if match := _LABELLED["contact"].search(text):
        fields["contact_name"] = _clean(match.group(1))
        if match.group(2):
            fields["contact_role"] = _clean(match.group(2))
    elif (match := _ATTENDEE.search(text)) and "csm" not in (match.group(2) or "").lower():
        fields["contact_name"] = _clean(match.group(1))
        if match.group(2):
            role = re.sub(r"^now\s+", "", _clean(match.group(2)), flags=re.I)
            fields["contact_role"] = role
    return Account(
        account_id=fields.get("account_id", default_id),
        account_name=fields.get("account_name", "Account from notes"),
        contact_name=fields.get("contact_name"),
        contact_role=fields.get("contact_role"),
    )
