"""What the batch's fork server imports before it forks worker processes.

The heavy modules every worker needs are imported once, in the fork server, and the
objects they create are frozen out of the garbage collector's reach: children then
share those pages instead of copying them when a collection would touch them.
"""

from __future__ import annotations

import gc

import chromadb

from playbook.agent import drafter, graph
from playbook.agent.batch import worker
from playbook.tools import rubric

__all__ = ["chromadb", "drafter", "graph", "rubric", "worker"]

gc.freeze()
