"""What the batch's fork server imports before it forks worker processes.

The heavy modules every worker needs are imported once, in the fork server, and the
objects they create are frozen out of the garbage collector's reach: children then
share those pages instead of copying them when a collection would touch them.
"""

from __future__ import annotations

import gc

import chromadb
from playbook.agent import batch_worker, drafter, graph
from playbook.evals import rubric

__all__ = ["batch_worker", "chromadb", "drafter", "graph", "rubric"]

gc.freeze()
