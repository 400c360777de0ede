"""Guidance chunks: the ``## `` sections of the Markdown guides, with their front matter.

Each guide in ``knowledge/guides/`` is one topic. Its YAML front matter says what the
topic is about (kind, offer types, trigger types, gates, objections, concerns) and
every ``## `` section becomes one :class:`Chunk` carrying that metadata. Chunk ids
are ``<file-stem>#<section-slug>`` and stay stable while the file name and section
title do not change.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict

from playbook.tools.vocab import ConcernKind, GateName, ObjectionKey, OfferType, TriggerType

__all__ = [
    "CONCERNS",
    "GATES",
    "GUIDES_DIR",
    "KINDS",
    "OBJECTIONS",
    "OFFER_TYPES",
    "TRIGGER_TYPES",
    "Chunk",
    "GuideFormatError",
    "corpus_hash",
    "load_chunks",
    "parse_guide",
    "slugify",
]

GUIDES_DIR = Path(__file__).parent / "guides"

KINDS: tuple[str, ...] = (
    "offer",
    "trigger",
    "objection",
    "concern",
    "gate",
    "calendar",
    "reference",
)
OFFER_TYPES: tuple[str, ...] = tuple(v.value for v in OfferType)
TRIGGER_TYPES: tuple[str, ...] = tuple(v.value for v in TriggerType)
GATES: tuple[str, ...] = tuple(v.value for v in GateName)
OBJECTIONS: tuple[str, ...] = tuple(v.value for v in ObjectionKey)
CONCERNS: tuple[str, ...] = tuple(v.value for v in ConcernKind)

_LIST_FIELDS: dict[str, tuple[str, ...]] = {
    "offer_types": OFFER_TYPES,
    "trigger_types": TRIGGER_TYPES,
    "gates": GATES,
    "objections": OBJECTIONS,
    "concerns": CONCERNS,
}
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*\r?\n", re.DOTALL)
_SECTION = re.compile(r"^## +(.+?)\s*#*\s*$", re.MULTILINE)


class GuideFormatError(ValueError):
    """A guide file does not follow the expected front matter / section layout."""


class Chunk(BaseModel):
    """One retrievable section of a guide, with the guide's metadata."""

    model_config = ConfigDict(frozen=True)

    id: str
    topic: str
    kind: str
    title: str
    text: str
    offer_types: tuple[str, ...] = ()
    trigger_types: tuple[str, ...] = ()
    gates: tuple[str, ...] = ()
    objections: tuple[str, ...] = ()
    concerns: tuple[str, ...] = ()

    @property
    def guide(self) -> str:
        """The stem of the guide file this chunk comes from."""
        return self.id.split("#", 1)[0]

    @property
    def document(self) -> str:
        """The text that is embedded: topic and section title, then the section body."""
        return f"{self.topic}: {self.title}\n\n{self.text}"

    def metadata(self) -> dict[str, tuple[str, ...] | str]:
        """Return the chunk's classification fields as a plain mapping."""
        return {
            "topic": self.topic,
            "kind": self.kind,
            "offer_types": self.offer_types,
            "trigger_types": self.trigger_types,
            "gates": self.gates,
            "objections": self.objections,
            "concerns": self.concerns,
        }


def slugify(title: str) -> str:
    """Turn a section title into a lowercase, hyphenated id fragment."""
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
    if not slug:
        raise GuideFormatError(f"section title {title!r} has no usable characters")
    return slug


def _as_tuple(path: Path, key: str, value: Any, allowed: Sequence[str]) -> tuple[str, ...]:
    """Validate one list field of the front matter against its allowed values."""
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise GuideFormatError(f"{path.name}: '{key}' must be a list of strings")
    unknown = [v for v in value if v not in allowed]
    if unknown:
        raise GuideFormatError(f"{path.name}: '{key}' has unknown values {unknown}")
    if len(set(value)) != len(value):
        raise GuideFormatError(f"{path.name}: '{key}' repeats a value")
    return tuple(value)


def parse_guide(path: Path, text: str | None = None) -> list[Chunk]:
    """Parse one guide file into its chunks, in section order."""
    raw = path.read_text(encoding="utf-8") if text is None else text
    match = _FRONT_MATTER.match(raw)
    if match is None:
        raise GuideFormatError(f"{path.name}: missing YAML front matter")
    try:
        meta = yaml.safe_load(match.group(1))
    except yaml.YAMLError as exc:
        raise GuideFormatError(f"{path.name}: invalid YAML front matter: {exc}") from exc
    if not isinstance(meta, dict):
        raise GuideFormatError(f"{path.name}: front matter must be a mapping")
    unknown_keys = set(meta) - {"topic", "kind", *_LIST_FIELDS}
    if unknown_keys:
        raise GuideFormatError(f"{path.name}: unknown front matter keys {sorted(unknown_keys)}")
    topic = meta.get("topic")
    if not isinstance(topic, str) or not topic.strip():
        raise GuideFormatError(f"{path.name}: 'topic' must be a non-empty string")
    kind = meta.get("kind")
    if kind not in KINDS:
        raise GuideFormatError(f"{path.name}: 'kind' must be one of {KINDS}, got {kind!r}")
    lists = {
        key: _as_tuple(path, key, meta.get(key), allowed) for key, allowed in _LIST_FIELDS.items()
    }

    body = raw[match.end() :]
    headings = list(_SECTION.finditer(body))
    if not headings:
        raise GuideFormatError(f"{path.name}: no '## ' sections")
    preamble = re.sub(r"^# .*$", "", body[: headings[0].start()], flags=re.MULTILINE)
    if preamble.strip():
        raise GuideFormatError(f"{path.name}: text before the first '## ' section")

    chunks: list[Chunk] = []
    seen: set[str] = set()
    for index, heading in enumerate(headings):
        end = headings[index + 1].start() if index + 1 < len(headings) else len(body)
        title = heading.group(1).strip()
        section = body[heading.end() : end].strip()
        if not section:
            raise GuideFormatError(f"{path.name}: section {title!r} is empty")
        chunk_id = f"{path.stem}#{slugify(title)}"
        if chunk_id in seen:
            raise GuideFormatError(f"{path.name}: duplicate section {title!r}")
        seen.add(chunk_id)
        chunks.append(
            Chunk(
                id=chunk_id,
                topic=topic.strip(),
                kind=str(kind),
                title=title,
                text=section,
                **lists,
            )
        )
    return chunks


def load_chunks(root: Path | None = None) -> list[Chunk]:
    """Load every guide under ``root`` (default: the packaged guides), sorted by file name."""
    directory = GUIDES_DIR if root is None else Path(root)
    if not directory.is_dir():
        raise FileNotFoundError(f"guides directory not found: {directory}")
    chunks: list[Chunk] = []
    for path in sorted(directory.glob("*.md"), key=lambda p: p.name):
        chunks.extend(parse_guide(path))
    if not chunks:
        raise GuideFormatError(f"no guides found in {directory}")
    return chunks


def corpus_hash(chunks: Iterable[Chunk]) -> str:
    """Return a sha256 over every chunk's id, text and metadata, in order."""
    digest = hashlib.sha256()
    for chunk in chunks:
        record = {"id": chunk.id, "title": chunk.title, "text": chunk.text, **chunk.metadata()}
        digest.update(json.dumps(record, sort_keys=True, ensure_ascii=False).encode("utf-8"))
        digest.update(b"\n")
    return digest.hexdigest()
