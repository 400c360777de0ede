"""The brief graph's nodes: each takes the state and the injected dependencies."""

from __future__ import annotations

from playbook.agent.nodes.analyse import extract, retrieve, score
from playbook.agent.nodes.check import check, finish
from playbook.agent.nodes.draft import draft, fallback, revise
from playbook.agent.nodes.intake import ask_missing, intake

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
