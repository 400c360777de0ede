"""Match a source header to a canonical account column.

Headers are compared case-, spacing- and punctuation-insensitively against the
canonical names and the aliases in `aliases`; a header that does not match
as written is retried without a `(...)`/`[...]` suffix or a Salesforce `__c`,
then without an account/company/customer/client prefix.
"""

from __future__ import annotations

import re

from playbook.tools.loading.aliases import (
    ALIASES,
    FIELD_KIND,
    MRR_ALIASES,
    MRR_FACTOR,
    MRR_RANK,
    PCT,
    PREFIXES,
)

__all__ = ["canonical_columns", "lookup_header", "map_header", "normalize_header"]

_NORM_RE = re.compile(r"[^0-9a-z]+")
_PAREN_RE = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_SF_CUSTOM_RE = re.compile(r"__c\s*$", re.IGNORECASE)


def normalize_header(header: str) -> str:
    """Header key: lower-case letters and digits only ("Logins (30d)" -> "logins30d")."""
    return _NORM_RE.sub("", header.casefold())


def _build_index() -> dict[str, tuple[str, int, float]]:
    """Build normalized alias -> (canonical field, rank, factor); refuse alias collisions."""
    index: dict[str, tuple[str, int, float]] = {}

    def add(alias: str, field: str, rank: int, factor: float) -> None:
        key = normalize_header(alias)
        old = index.get(key)
        if old is not None and old[0] != field:
            raise RuntimeError(f"alias {alias!r} maps to both {old[0]} and {field}")
        if old is None or rank < old[1]:
            index[key] = (field, rank, factor)

    for field in FIELD_KIND:
        add(field, field, 0, 1.0)
    for field, aliases in ALIASES.items():
        for rank, alias in enumerate(aliases, start=1):
            add(alias, field, rank, 1.0)
    for rank, alias in enumerate(MRR_ALIASES, start=MRR_RANK):
        add(alias, "arr", rank, MRR_FACTOR)
    return index


_HEADER_INDEX = _build_index()


def canonical_columns() -> list[str]:
    """Return the canonical account columns, in contract order."""
    return list(FIELD_KIND)


def map_header(header: str) -> tuple[str, float] | None:
    """Canonical field and multiplier for one source header, or None when unknown.

    >>> map_header("Monthly Recurring Revenue")
    ('arr', 12.0)
    """
    hit = lookup_header(header)
    return None if hit is None else (hit[0], hit[2])


def lookup_header(header: str) -> tuple[str, int, float] | None:
    """Find (field, rank, factor) for a header; a "%" header only maps to a percentage field."""
    hit = _lookup_header_key(header)
    if hit is not None and "%" in header and FIELD_KIND[hit[0]] != PCT:
        return None  # "Seats Used %" is a ratio, not seats_used
    return hit


def _lookup_header_key(header: str) -> tuple[str, int, float] | None:
    """Try the exact alias, then without (...)/[...]/__c, then without an account/company prefix."""
    hit = _HEADER_INDEX.get(normalize_header(header))
    if hit is not None:
        return hit
    key = normalize_header(_PAREN_RE.sub(" ", _SF_CUSTOM_RE.sub("", header)))
    hit = _HEADER_INDEX.get(key)
    if hit is not None:
        return hit[0], hit[1] + 100, hit[2]
    for prefix in PREFIXES:
        if key.startswith(prefix) and len(key) > len(prefix):
            hit = _HEADER_INDEX.get(key[len(prefix) :])
            if hit is not None:
                return hit[0], hit[1] + 200, hit[2]
    return None
