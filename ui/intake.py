"""Turn what a CSM pastes into an `Account`: call notes (with their header) or an account row.

Notes headers usually name the account and the contact ("Helix Payments: QBR recap",
"Account A-01 | Primary contact: Sofia Marchetti, Head of Finance Operations",
"With: Priya Raman (VP Data Platform)"). These are read with a few anchored
patterns; everything else in the notes is left to the notes extractor.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from playbook.tools.loading import LoadError, map_header, parse_records
from playbook.tools.models.account import Account

HEAD_LINES = 4
_NAME_LINE = re.compile(
    r"^\s*(?:account|customer|company)\s*(?:name)?\s*[:=]\s*(?P<name>[^\n|]{2,80})", re.I | re.M
)
_ACCOUNT_ID = re.compile(r"\baccount\s*(?:id)?\s*[:#]?\s*(?P<id>[A-Z]{1,6}-?\d{1,6})\b", re.I)
_TITLE = re.compile(r"^\s*(?P<name>[A-Z][\w&.,' ]{1,60}?)\s*(?:[-|–—:]\s|\|)")
_PAREN = re.compile(r"\(([^()]{3,60})\)")
_CONTACT = re.compile(
    r"(?i:primary\s+contact|main\s+contact|contact|with|present|attendees)\s*:\s*"
    r"(?P<name>(?:Dr\.?\s+)?[A-Z][\w'.-]+(?:\s+[A-Z][\w'.-]+){0,3})"
    r"\s*(?:,\s*(?P<role>[^|\n,;]{3,60}?)(?=\.\s|\.?$|[|\n,;])"
    r"|\((?:now\s+)?(?P<role2>[^()\n]{2,60})\))?",
)


def _head(notes: str) -> str:
    return "\n".join([line for line in notes.splitlines() if line.strip()][:HEAD_LINES])


def guess_account_name(notes: str) -> str:
    """Read the account name from the notes' header (an `Account:` line or the title line)."""
    head = _head(notes)
    if m := _NAME_LINE.search(head):
        return m["name"].strip()
    first = head.splitlines()[0] if head else ""
    if m := _TITLE.match(first):
        return m["name"].strip()
    if m := _PAREN.search(first):
        return m.group(1).strip().title()
    return "Pasted notes"


def guess_contact(notes: str) -> tuple[str | None, str | None]:
    """Read the contact (name, role) from the notes' header, if it names one."""
    m = _CONTACT.search(_head(notes))
    if not m:
        return None, None
    role = (m["role"] or m["role2"] or "").strip().rstrip(".") or None
    return m["name"].strip(), role


def match_book(notes: str, accounts: Sequence[Account]) -> Account | None:
    """Find the book's account the notes' header names (by account id, else by name)."""
    head = _head(notes)
    if m := _ACCOUNT_ID.search(head):
        wanted = m["id"].upper()
        for account in accounts:
            if account.account_id.upper() == wanted:
                return account
    lowered = head.lower()
    named = [a for a in accounts if len(a.account_name) >= 4 and a.account_name.lower() in lowered]
    return max(named, key=lambda a: len(a.account_name)) if named else None


def account_for_notes(notes: str, account: Account | None, notes_date: date | None) -> Account:
    """Build the account to brief: the data row plus the notes, or the notes alone."""
    notes = notes.strip()
    if account is not None:
        combined = "\n\n".join(x for x in (account.notes, notes) if x)
        return account.model_copy(
            update={"notes": combined or None, "notes_date": notes_date or account.notes_date}
        )
    name = guess_account_name(notes)
    contact, role = guess_contact(notes)
    m = _ACCOUNT_ID.search(_head(notes))
    if m:
        account_id = m["id"].upper()
    else:
        slug = re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-").upper()[:24] or "PASTED"
        account_id = f"NOTES-{slug}"
    return Account(
        account_id=account_id,
        account_name=name,
        contact_name=contact,
        contact_role=role,
        notes=notes or None,
        notes_date=notes_date,
    )


def _records(text: str) -> list[Mapping[str, Any]]:
    stripped = text.strip()
    if stripped.startswith("{"):
        try:
            value = json.loads(stripped)
        except json.JSONDecodeError:
            return []
        return [value] if isinstance(value, dict) else []
    lines = [line for line in stripped.splitlines() if line.strip()]
    if len(lines) == 2 and lines[0].count(",") >= 2:
        header, row = list(csv.reader(io.StringIO("\n".join(lines))))
        if map_header(header[0]) or any(map_header(h) for h in header):
            return [dict(zip(header, row, strict=False))]
        return []
    pairs = [re.match(r"^\s*([A-Za-z][\w .#/-]{1,40}?)\s*[:=]\s*(.+?)\s*$", line) for line in lines]
    found = {m[1].strip(): m[2] for m in pairs if m and map_header(m[1].strip())}
    if len(found) >= 3 and len(found) * 2 >= len(lines):
        return [found]
    return []


def parse_account_text(text: str) -> tuple[Account | None, list[str]]:
    """Parse an account row pasted into the chat (CSV header + row, JSON, or `field: value`).

    Returns the account (None when the text is not a row) and the row's problems.
    """
    records = _records(text)
    if not records:
        return None, []
    try:
        result = parse_records(records)
    except LoadError as exc:
        return None, [str(exc)]
    problems = [str(p) for p in (*result.errors, *result.warnings)]
    return (result.accounts[0] if result.accounts else None), problems
