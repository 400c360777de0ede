"""Flat exports of assessments: ranked rows for tables and CSV, and JSON objects."""

from __future__ import annotations

import csv
import io
import os
import tempfile
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter

from playbook.tools.models.assessment import Assessment

RANKED_COLUMNS = (
    "rank", "account_id", "account_name", "readiness_score", "tier", "tier_label", "gates",
    "offer_type", "offer_item", "trigger_type", "trigger_date", "opening_date", "health_score",
    "health_band", "opportunity_score", "segment", "arr", "currency", "contact_name",
    "contact_role", "timing",
)


def ranked_row(rank: int, a: Assessment) -> dict[str, Any]:
    """One flat row of the ranked account list."""
    return {
        "rank": rank,
        "account_id": a.account_id,
        "account_name": a.account_name,
        "readiness_score": a.readiness_score,
        "tier": a.tier.value,
        "tier_label": a.tier_label,
        "gates": ";".join(g.name.value for g in a.gates),
        "offer_type": a.offer.type.value if a.offer else "",
        "offer_item": a.offer.item if a.offer else "",
        "trigger_type": a.trigger.type.value if a.trigger else "",
        "trigger_date": a.trigger.date.isoformat() if a.trigger and a.trigger.date else "",
        "opening_date": a.opening_date.isoformat(),
        "health_score": a.health.score,
        "health_band": a.health.band,
        "opportunity_score": a.opportunity.score,
        "segment": a.segment or "",
        "arr": "" if a.arr is None else a.arr,
        "currency": a.currency,
        "contact_name": a.contact_name or "",
        "contact_role": a.contact_role or "",
        "timing": a.timing,
    } | _likelihood(a)


LIKELIHOOD_COLUMNS = ("expansion_likelihood", "likelihood_reasons")


def _likelihood(a: Assessment) -> dict[str, Any]:
    """Return the likelihood columns of an account a model was applied to."""
    if a.expansion_likelihood is None:
        return {}
    reasons = "; ".join(r.text for r in a.likelihood_reasons)
    return {"expansion_likelihood": a.expansion_likelihood, "likelihood_reasons": reasons}


def ranked_columns(ranked: Sequence[Assessment]) -> tuple[str, ...]:
    """Return the ranked list's columns: the likelihood ones only when a model was applied."""
    if any(a.expansion_likelihood is not None for a in ranked):
        return (*RANKED_COLUMNS, *LIKELIHOOD_COLUMNS)
    return RANKED_COLUMNS


def ranked_rows(ranked: Sequence[Assessment]) -> list[dict[str, Any]]:
    """Rows for every assessment, in the given (ranked) order."""
    return [ranked_row(i, a) for i, a in enumerate(ranked, start=1)]


def to_csv(rows: Iterable[dict[str, Any]], columns: Sequence[str] = RANKED_COLUMNS) -> str:
    """CSV text for rows with the given columns."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(columns), extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()


@lru_cache(maxsize=1)
def _assessments_adapter() -> TypeAdapter[list[Assessment]]:
    return TypeAdapter(list[Assessment])


def score_json(ranked: Sequence[Assessment]) -> str:
    """Serialise the contract's JSON array (highest score first), without the calendar weeks."""
    data: bytes = _assessments_adapter().dump_json(
        list(ranked), indent=2, exclude={"__all__": {"calendar"}}
    )
    return data.decode("utf-8")


def write_atomic(path: Path, text: str | bytes) -> None:
    """Write a file atomically: temp file in the same folder, fsync, rename."""
    write_atomic_chunks(path, [text.encode("utf-8") if isinstance(text, str) else text])


def write_atomic_chunks(path: Path, chunks: Iterable[bytes]) -> None:
    """Write a file atomically from byte chunks, streamed (never all in memory at once)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            for chunk in chunks:
                handle.write(chunk)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
