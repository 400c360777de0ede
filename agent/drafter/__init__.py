"""The built-in offline drafter: a full brief from decided facts and retrieved guidance.

No LLM and no network. `draft_offline` writes every prose field from the
`Assessment` and the `Guidance` chunks passed in, cites the chunk ids each
section rests on, and uses only numbers and dates that are already decided.
"""

from __future__ import annotations

from playbook.agent.drafter.compose import draft_offline

__all__ = ["draft_offline"]
