"""Keep only the LLM's findings that quote the notes verbatim, then merge them.

An LLM finding survives when its name is allowed for its category, its quote is a
verbatim substring of the notes (whitespace may differ; the stored quote is the
notes' own text), it does not touch a sentence that tries to instruct the model,
and, for facts, its value parses. Findings the rules extractor already has (same
category and name, overlapping quote) are dropped as duplicates.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from playbook.agent.llm.prompting import ALLOWED_NAMES
from playbook.agent.llm.safety import touches_injection
from playbook.agent.llm.schemas import ExtractedSignal, Extraction
from playbook.tools.models.findings import NoteFinding, NoteFindings

_RATIO_RE = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s*(?:of|/|out of)\s*(\d[\d,]*(?:\.\d+)?)")
_PCT_RE = re.compile(r"(\d{1,3}(?:\.\d+)?)\s*%")
_NUM_RE = re.compile(r"\d+(?:\.\d+)?")
_ISO_RE = re.compile(r"\d{4}-\d{2}-\d{2}")


def verbatim_span(quote: str, notes: str) -> str | None:
    """Return the notes' own text for ``quote`` (exact, or up to whitespace), else None."""
    quote = quote.strip().strip('"').strip()
    if len(quote) < 3:
        return None
    if quote in notes:
        return quote
    words = quote.split()
    pattern = r"\s+".join(re.escape(w) for w in words)
    match = re.search(pattern, notes)
    return match.group(0) if match else None


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def _fact_values(name: str, value: str | None, quote: str, day: dt.date | None) -> dict[str, Any]:
    """Return the `values` a fact finding needs, or {} when they cannot be read."""
    text = value or quote
    if name == "usage_ratio":
        ratio = _RATIO_RE.search(text)
        if ratio and _number(ratio.group(2)) > 0:
            used, capacity = _number(ratio.group(1)), _number(ratio.group(2))
            return {"used": used, "capacity": capacity, "ratio": round(used / capacity, 4)}
        pct = _PCT_RE.search(text)
        return {"ratio": round(_number(pct.group(1)) / 100, 4)} if pct else {}
    if name == "nps":
        number = _NUM_RE.search(text)
        score = int(float(number.group(0))) if number else -1
        return {"nps": score} if 0 <= score <= 10 else {}
    if name == "logins_per_month":
        number = _NUM_RE.search(text)
        return {"logins": float(number.group(0))} if number else {}
    if name == "renewal_date":
        iso = _ISO_RE.search(value or "")
        if iso:
            try:
                return {"date": dt.date.fromisoformat(iso.group(0)).isoformat()}
            except ValueError:
                return {}
        return {"date": day.isoformat()} if day else {}
    if name == "positive_feedback":
        return {"text": quote}
    return {}


def to_finding(item: ExtractedSignal, notes: str) -> NoteFinding | None:
    """Return the `NoteFinding` for one LLM finding, or None when it must be dropped."""
    if item.name not in ALLOWED_NAMES.get(item.category, ()):
        return None
    quote = verbatim_span(item.quote, notes)
    if quote is None or touches_injection(quote, notes):
        return None
    values: dict[str, Any] = {}
    if item.category == "fact":
        values = _fact_values(item.name, item.value, quote, item.date)
        if not values:
            return None
    return NoteFinding(
        category=item.category,
        name=item.name,
        quote=quote,
        date=item.date,
        dated_by="explicit" if item.date else None,
        values=values,
        origin="llm",
    )


def _overlaps(a: str, b: str) -> bool:
    return a in b or b in a


def merge_findings(rules: NoteFindings, llm: Extraction, notes: str) -> tuple[NoteFindings, int]:
    """Rules findings plus the LLM's kept, non-duplicate ones; and how many were dropped."""
    merged = list(rules.findings)
    dropped = 0
    for item in llm.findings:
        finding = to_finding(item, notes)
        duplicate = finding is not None and any(
            f.category == finding.category
            and f.name == finding.name
            and _overlaps(f.quote, finding.quote)
            for f in merged
        )
        if finding is None or duplicate:
            dropped += 1
            continue
        merged.append(finding)
    return NoteFindings(findings=merged), dropped
