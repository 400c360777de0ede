"""Guidance knowledge base: Markdown guides, their Chroma index and situation retrieval.

Importing this package is light: chromadb, onnxruntime and the embedding model are
loaded only when an index is first used.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from playbook.knowledge.chunks import (
    CONCERNS,
    GATES,
    GUIDES_DIR,
    KINDS,
    OBJECTIONS,
    OFFER_TYPES,
    TRIGGER_TYPES,
    Chunk,
    GuideFormatError,
    corpus_hash,
    load_chunks,
)
from playbook.knowledge.guidance import DEFAULT_OBJECTIONS, Guidance, GuidanceRetriever
from playbook.knowledge.index import IndexSettings, KnowledgeIndex, Retrieved

if TYPE_CHECKING:
    from chromadb.api.types import Documents, EmbeddingFunction

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
    "Guidance",
    "GuidanceRetriever",
    "IndexSettings",
    "KnowledgeBase",
    "KnowledgeIndex",
    "Retrieved",
    "corpus_hash",
    "load_chunks",
]


class KnowledgeBase:
    """One object for the whole knowledge layer: the guides, their index and a retriever."""

    def __init__(
        self,
        settings: IndexSettings | None = None,
        *,
        embedder: EmbeddingFunction[Documents] | None = None,
        guides_dir: Path | None = None,
    ) -> None:
        """Configure the knowledge base; nothing is loaded until it is used."""
        chunks = load_chunks(guides_dir) if guides_dir is not None else None
        self.index = KnowledgeIndex(settings, embedder=embedder, chunks=chunks)
        self.retriever = GuidanceRetriever(self.index)

    @property
    def chunks(self) -> tuple[Chunk, ...]:
        """Every guidance chunk."""
        return self.index.chunks

    def ensure(self) -> bool:
        """Build or refresh the index when the guides changed; True when it was rebuilt."""
        return self.index.ensure()

    def search(
        self,
        query: str,
        k: int = 3,
        *,
        kind: str | None = None,
        offer_type: str | None = None,
        trigger_type: str | None = None,
        gate: str | None = None,
        objection: str | None = None,
        concern: str | None = None,
    ) -> list[Retrieved]:
        """Semantic search over the guidance, optionally filtered by metadata."""
        return self.index.search(
            query,
            k,
            kind=kind,
            offer_type=offer_type,
            trigger_type=trigger_type,
            gate=gate,
            objection=objection,
            concern=concern,
        )

    def guidance(
        self,
        offer_type: str | None,
        trigger_type: str | None,
        gates: tuple[str, ...] = (),
        objections: tuple[str, ...] = DEFAULT_OBJECTIONS,
        concerns: tuple[str, ...] = (),
    ) -> Guidance:
        """Return the (memoised) guidance for one account situation."""
        return self.retriever.for_situation(offer_type, trigger_type, gates, objections, concerns)

    def get(self, ids: Iterable[str]) -> list[Chunk]:
        """Return chunks by id, in the order asked."""
        return self.index.get(ids)
