"""The Chroma index of guidance chunks: build when the corpus changes, filter, search.

Chroma metadata values are scalars, so each chunk's list fields are stored as one
boolean flag per value (``offer_capacity``, ``trigger_usage_ceiling``, ``gate_at_risk``,
``objection_budget``, ``concern_price``) next to ``kind``; a ``where`` filter on a flag
selects the chunks tagged with that value. The lists are also kept as comma-joined
strings so a chunk can be rebuilt from the index alone.

chromadb is imported only when a client is first needed.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from playbook.knowledge.chunks import (
    CONCERNS,
    GATES,
    KINDS,
    OBJECTIONS,
    OFFER_TYPES,
    TRIGGER_TYPES,
    Chunk,
    corpus_hash,
    load_chunks,
)

if TYPE_CHECKING:
    from chromadb.api import ClientAPI
    from chromadb.api.models.Collection import Collection
    from chromadb.api.types import Documents, Embeddable, EmbeddingFunction

__all__ = [
    "DEFAULT_COLLECTION",
    "IndexSettings",
    "KnowledgeIndex",
    "Retrieved",
    "build_where",
    "flag_name",
]

DEFAULT_COLLECTION = "playbook_guidance"
_QUERY_CACHE_SIZE = 512

_FLAG_PREFIX: dict[str, tuple[str, tuple[str, ...]]] = {
    "offer_types": ("offer", OFFER_TYPES),
    "trigger_types": ("trigger", TRIGGER_TYPES),
    "gates": ("gate", GATES),
    "objections": ("objection", OBJECTIONS),
    "concerns": ("concern", CONCERNS),
}


def flag_name(field: str, value: str) -> str:
    """Return the boolean metadata key for ``value`` of list field ``field``.

    >>> flag_name("offer_types", "capacity")
    'offer_capacity'
    """
    prefix, allowed = _FLAG_PREFIX[field]
    if value not in allowed:
        raise ValueError(f"unknown {field} value {value!r}; expected one of {allowed}")
    return f"{prefix}_{value}"


@dataclass(frozen=True)
class IndexSettings:
    """Where the index lives: a local directory, or a Chroma server when ``host`` is set."""

    path: Path | None
    host: str | None = None
    port: int = 8000
    collection: str = DEFAULT_COLLECTION

    def __post_init__(self) -> None:
        """Validate the settings."""
        if len(self.collection) < 3:
            raise ValueError("collection name must be at least 3 characters")
        if self.host is None and self.path is None:
            raise ValueError("IndexSettings needs a path or a host")
        if not 0 < self.port < 65536:
            raise ValueError(f"invalid port {self.port}")

    @classmethod
    def default(cls) -> IndexSettings:
        """Return local settings under ``$PLAYBOOK_HOME`` (default ``~/.playbook``)/chroma."""
        home = Path(os.environ.get("PLAYBOOK_HOME", "~/.playbook")).expanduser()
        return cls(path=home / "chroma")

    @property
    def is_server(self) -> bool:
        """Whether the index is reached over HTTP."""
        return self.host is not None


@dataclass(frozen=True)
class Retrieved:
    """A chunk returned by a search, with its cosine distance to the query (lower is closer)."""

    chunk: Chunk
    distance: float

    @property
    def similarity(self) -> float:
        """Cosine similarity (``1 - distance``)."""
        return 1.0 - self.distance


def build_where(
    *,
    kind: str | None = None,
    offer_type: str | None = None,
    trigger_type: str | None = None,
    gate: str | None = None,
    objection: str | None = None,
    concern: str | None = None,
) -> dict[str, Any] | None:
    """Build a Chroma ``where`` filter from the given metadata constraints (all must hold)."""
    clauses: list[dict[str, Any]] = []
    if kind is not None:
        if kind not in KINDS:
            raise ValueError(f"unknown kind {kind!r}; expected one of {KINDS}")
        clauses.append({"kind": kind})
    for field, value in (
        ("offer_types", offer_type),
        ("trigger_types", trigger_type),
        ("gates", gate),
        ("objections", objection),
        ("concerns", concern),
    ):
        if value is not None:
            clauses.append({flag_name(field, value): True})
    if not clauses:
        return None
    if len(clauses) == 1:
        return clauses[0]
    return {"$and": clauses}


def _chunk_metadata(chunk: Chunk) -> dict[str, str | bool]:
    """Flatten a chunk into Chroma scalar metadata."""
    meta: dict[str, str | bool] = {
        "kind": chunk.kind,
        "topic": chunk.topic,
        "title": chunk.title,
        "text": chunk.text,
    }
    for field in _FLAG_PREFIX:
        values: tuple[str, ...] = getattr(chunk, field)
        meta[field] = ",".join(values)
        for value in values:
            meta[flag_name(field, value)] = True
    return meta


def _chunk_from_record(chunk_id: str, meta: Any) -> Chunk:
    """Rebuild a chunk from the metadata stored by :func:`_chunk_metadata`."""

    def split(key: str) -> tuple[str, ...]:
        raw = str(meta.get(key) or "")
        return tuple(v for v in raw.split(",") if v)

    return Chunk(
        id=chunk_id,
        topic=str(meta.get("topic", "")),
        kind=str(meta.get("kind", "")),
        title=str(meta.get("title", "")),
        text=str(meta.get("text", "")),
        offer_types=split("offer_types"),
        trigger_types=split("trigger_types"),
        gates=split("gates"),
        objections=split("objections"),
        concerns=split("concerns"),
    )


class KnowledgeIndex:
    """The guidance chunks in a Chroma collection, rebuilt only when they change.

    The client, the embedder's model and the collection are all created on first use.
    """

    def __init__(
        self,
        settings: IndexSettings | None = None,
        embedder: EmbeddingFunction[Documents] | None = None,
        chunks: Sequence[Chunk] | None = None,
    ) -> None:
        """Hold the settings; nothing is loaded or connected yet."""
        self.settings = settings if settings is not None else IndexSettings.default()
        self._embedder = embedder
        self._chunks: tuple[Chunk, ...] | None = tuple(chunks) if chunks is not None else None
        self._by_id: dict[str, Chunk] | None = None
        self._client: ClientAPI | None = None
        self._collection: Collection | None = None
        self._lock = threading.RLock()
        self._query_cache: OrderedDict[str, list[float]] = OrderedDict()
        self.queries = 0
        self.query_cache_hits = 0

    @property
    def embedder(self) -> EmbeddingFunction[Documents]:
        """The embedding function (MiniLM by default)."""
        if self._embedder is None:
            from playbook.knowledge.embedder import MiniLMEmbedder

            self._embedder = MiniLMEmbedder()
        return self._embedder

    def _chroma_embedder(self) -> EmbeddingFunction[Embeddable]:
        """Return the embedder typed as Chroma's collection APIs expect it."""
        return cast("EmbeddingFunction[Embeddable]", self.embedder)

    @property
    def chunks(self) -> tuple[Chunk, ...]:
        """The chunks this index holds (the packaged guides by default)."""
        if self._chunks is None:
            self._chunks = tuple(load_chunks())
        return self._chunks

    def _chunk_map(self) -> dict[str, Chunk]:
        """Chunks by id."""
        if self._by_id is None:
            self._by_id = {c.id: c for c in self.chunks}
            if len(self._by_id) != len(self.chunks):
                raise ValueError("duplicate chunk ids in the corpus")
        return self._by_id

    @property
    def fingerprint(self) -> str:
        """Hash of the corpus and the embedder configuration; a change forces a rebuild."""
        embedder = self.embedder
        config = embedder.get_config() if hasattr(embedder, "get_config") else {}
        payload = json.dumps(
            {"corpus": corpus_hash(self.chunks), "embedder": embedder.name(), "config": config},
            sort_keys=True,
            default=str,
        )
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()

    @property
    def client(self) -> ClientAPI:
        """The Chroma client (persistent directory or HTTP), created on first access."""
        with self._lock:
            if self._client is None:
                import chromadb
                from chromadb.config import Settings

                chroma_settings = Settings(anonymized_telemetry=False)
                if self.settings.host is not None:
                    self._client = chromadb.HttpClient(
                        host=self.settings.host,
                        port=self.settings.port,
                        settings=chroma_settings,
                    )
                else:
                    assert self.settings.path is not None
                    path = Path(self.settings.path).expanduser()
                    path.mkdir(parents=True, exist_ok=True)
                    self._client = chromadb.PersistentClient(
                        path=str(path), settings=chroma_settings
                    )
            return self._client

    def _existing(self) -> tuple[Collection | None, bool]:
        """Return ``(collection, exists)``; the collection is None when it is absent or unusable.

        A collection persisted with another embedding function exists but cannot be
        opened with this one: it is reported as existing so that it gets rebuilt.
        """
        from chromadb.errors import NotFoundError

        try:
            collection = self.client.get_collection(
                self.settings.collection, embedding_function=self._chroma_embedder()
            )
        except NotFoundError:
            return None, False
        except ValueError:
            return None, True
        return collection, True

    def ensure(self) -> bool:
        """Make the collection match the corpus; return True when it was (re)built."""
        with self._lock:
            fingerprint = self.fingerprint
            existing, exists = self._existing()
            if existing is not None:
                meta = existing.metadata or {}
                if meta.get("corpus_hash") == fingerprint and existing.count() == len(self.chunks):
                    self._collection = existing
                    return False
            self._collection = self._rebuild(fingerprint, exists)
            return True

    def _rebuild(self, fingerprint: str, exists: bool) -> Collection:
        """Drop the collection and fill it again from the chunks."""
        from chromadb.errors import NotFoundError

        client = self.client
        if exists:
            with contextlib.suppress(NotFoundError):
                client.delete_collection(self.settings.collection)
        self._chunk_map()
        collection = client.get_or_create_collection(
            self.settings.collection,
            embedding_function=self._chroma_embedder(),
            configuration={"hnsw": {"space": "cosine"}},
            metadata={
                "corpus_hash": fingerprint,
                "embedder": self.embedder.name(),
                "chunks": len(self.chunks),
            },
        )
        chunks = list(self.chunks)
        batch = max(1, min(client.get_max_batch_size(), 256))
        for start in range(0, len(chunks), batch):
            part = chunks[start : start + batch]
            collection.upsert(
                ids=[c.id for c in part],
                documents=[c.document for c in part],
                metadatas=[_chunk_metadata(c) for c in part],
            )
        return collection

    @property
    def collection(self) -> Collection:
        """The ready collection (calls :meth:`ensure` on first access)."""
        with self._lock:
            if self._collection is None:
                self.ensure()
            assert self._collection is not None
            return self._collection

    def _embed_query(self, query: str) -> list[float]:
        """Embed a query, reusing the vector of a query seen recently."""
        with self._lock:
            self.queries += 1
            cached = self._query_cache.get(query)
            if cached is not None:
                self._query_cache.move_to_end(query)
                self.query_cache_hits += 1
                return cached
        vector = [float(x) for x in self.embedder.embed_query([query])[0]]
        with self._lock:
            self._query_cache[query] = vector
            if len(self._query_cache) > _QUERY_CACHE_SIZE:
                self._query_cache.popitem(last=False)
        return vector

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
        """Return up to ``k`` chunks closest to ``query`` among those matching every filter."""
        if k < 1:
            raise ValueError("k must be at least 1")
        if not query.strip():
            raise ValueError("query must not be empty")
        where = build_where(
            kind=kind,
            offer_type=offer_type,
            trigger_type=trigger_type,
            gate=gate,
            objection=objection,
            concern=concern,
        )
        collection = self.collection
        vectors: list[Sequence[float]] = [self._embed_query(query)]
        result = collection.query(
            query_embeddings=vectors,
            n_results=min(k, len(self.chunks)),
            where=where,
            include=["metadatas", "distances"],
        )
        ids = result["ids"][0]
        distances = (result.get("distances") or [[]])[0]
        metadatas = (result.get("metadatas") or [[]])[0]
        known = self._chunk_map()
        found: list[Retrieved] = []
        for chunk_id, distance, meta in zip(ids, distances, metadatas, strict=True):
            chunk = known.get(chunk_id) or _chunk_from_record(chunk_id, meta)
            found.append(Retrieved(chunk=chunk, distance=float(distance)))
        return found

    def get(self, ids: Iterable[str]) -> list[Chunk]:
        """Return the chunks with these ids, in the order asked.

        Raises:
            KeyError: when an id is in neither the corpus nor the index.
        """
        wanted = list(ids)
        known = self._chunk_map()
        missing = [i for i in wanted if i not in known]
        fetched: dict[str, Chunk] = {}
        if missing:
            result = self.collection.get(ids=missing, include=["metadatas"])
            for chunk_id, meta in zip(result["ids"], result["metadatas"] or [], strict=True):
                fetched[chunk_id] = _chunk_from_record(chunk_id, meta)
        unknown = [i for i in missing if i not in fetched]
        if unknown:
            raise KeyError(f"unknown chunk ids: {unknown}")
        return [known[i] if i in known else fetched[i] for i in wanted]

    def close(self) -> None:
        """Forget the client and collection (the next use reconnects)."""
        with self._lock:
            self._collection = None
            self._client = None
