"""The graph state: plain JSON-able data with explicit reducers.

Pydantic models (Account, Assessment, Brief...) travel as ``model_dump(mode="json")``
dicts so every checkpoint is plain data; nodes rebuild the models they need. Most
fields are last-write-wins; ``usage`` and ``notices`` accumulate across nodes.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass, field
from typing import Annotated, Any

from playbook.knowledge import Chunk, Guidance

JSONDict = dict[str, Any]


@dataclass
class BriefState:
    """One account's run through the graph."""

    account: JSONDict = field(default_factory=dict)
    notes: str | None = None
    segment: str | None = None
    catalog: list[JSONDict] = field(default_factory=list)
    catalog_given: bool = False
    icp_given: bool = True
    mode: str = "offline"
    missing: list[str] = field(default_factory=list)
    answers: JSONDict = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)
    findings: JSONDict = field(default_factory=dict)
    facts: JSONDict | None = None
    guidance: JSONDict | None = None
    offline_draft: JSONDict | None = None
    draft: JSONDict | None = None
    prose: JSONDict | None = None
    report: JSONDict | None = None
    passed: bool = False
    failing: list[str] = field(default_factory=list)
    revisions: int = 0
    llm_drafted: bool = False
    budget_exhausted: bool = False
    usage: Annotated[list[JSONDict], operator.add] = field(default_factory=list)
    notices: Annotated[list[str], operator.add] = field(default_factory=list)
    result: JSONDict | None = None

    @property
    def tokens_used(self) -> int:
        """Prompt plus completion tokens of every LLM call so far."""
        return sum(int(u["prompt_tokens"]) + int(u["completion_tokens"]) for u in self.usage)


def _chunk_dict(chunk: Chunk) -> JSONDict:
    return {
        "id": chunk.id,
        "topic": chunk.topic,
        "kind": chunk.kind,
        "title": chunk.title,
        "text": chunk.text,
        "offer_types": list(chunk.offer_types),
        "trigger_types": list(chunk.trigger_types),
        "gates": list(chunk.gates),
        "objections": list(chunk.objections),
        "concerns": list(chunk.concerns),
    }


def _chunk(data: JSONDict) -> Chunk:
    return Chunk(
        id=data["id"],
        topic=data["topic"],
        kind=data["kind"],
        title=data["title"],
        text=data["text"],
        offer_types=tuple(data.get("offer_types", ())),
        trigger_types=tuple(data.get("trigger_types", ())),
        gates=tuple(data.get("gates", ())),
        objections=tuple(data.get("objections", ())),
        concerns=tuple(data.get("concerns", ())),
    )


def guidance_to_dict(guidance: Guidance) -> JSONDict:
    """Return a `Guidance` as plain data: which chunk serves which part, and the chunks."""
    return {
        "parts": {
            "offer": guidance.offer.id if guidance.offer else None,
            "trigger": guidance.trigger.id if guidance.trigger else None,
            "gates": {k: c.id for k, c in guidance.gates.items()},
            "objections": {k: c.id for k, c in guidance.objections.items()},
            "concerns": {k: c.id for k, c in guidance.concerns.items()},
            "calendar": guidance.calendar.id if guidance.calendar else None,
        },
        "chunks": {c.id: _chunk_dict(c) for c in guidance.chunks()},
        "ids": list(guidance.all_ids()),
    }


def guidance_from_dict(data: JSONDict) -> Guidance:
    """Rebuild the `Guidance` stored by :func:`guidance_to_dict`."""
    chunks = {cid: _chunk(c) for cid, c in data["chunks"].items()}
    parts = data["parts"]

    def one(cid: str | None) -> Chunk | None:
        return chunks[cid] if cid is not None else None

    return Guidance(
        offer=one(parts["offer"]),
        trigger=one(parts["trigger"]),
        gates={k: chunks[v] for k, v in parts["gates"].items()},
        objections={k: chunks[v] for k, v in parts["objections"].items()},
        concerns={k: chunks[v] for k, v in parts["concerns"].items()},
        calendar=one(parts["calendar"]),
    )


def part_labels(data: JSONDict) -> dict[str, str]:
    """Chunk id -> the part(s) of the situation it serves (e.g. ``objection:budget``)."""
    labels: dict[str, list[str]] = {}
    parts = data["parts"]
    for single in ("offer", "trigger", "calendar"):
        if parts[single] is not None:
            labels.setdefault(parts[single], []).append(single)
    for group, singular in (
        ("gates", "gate"),
        ("objections", "objection"),
        ("concerns", "concern"),
    ):
        for key, cid in parts[group].items():
            labels.setdefault(cid, []).append(f"{singular}:{key}")
    return {cid: ", ".join(names) for cid, names in labels.items()}
