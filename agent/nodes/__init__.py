"""The brief graph's nodes: each takes the state and the injected dependencies."""

from __future__ import annotations

from .analyse import extract, retrieve, score
from .check import check, finish
from .draft import draft, fallback, revise
from .intake import ask_missing, intake

__all__ = [
    "ask_missing",
    "check",
    "draft",
    "extract",
    "fallback",
    "finish",
    "intake",
    "retrieve",
    "revise",
    "score",
]
