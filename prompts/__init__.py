"""Prompt templates: one Markdown file per LLM task, with named ``{placeholders}``.

A template has a system part and a user part, separated by a line ``=== user ===``.
Literal braces are written doubled (``{{`` and ``}}``). Formatting refuses missing
and unexpected placeholders, so a template and the code that fills it cannot drift
apart silently.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from functools import cache
from pathlib import Path

__all__ = ["PROMPTS_DIR", "USER_MARKER", "PromptError", "PromptTemplate", "load_prompt"]

PROMPTS_DIR = Path(__file__).parent
USER_MARKER = "=== user ==="


class PromptError(ValueError):
    """A prompt file is missing, malformed, or formatted with the wrong placeholders."""


@dataclass(frozen=True)
class PromptTemplate:
    """One task's prompt: its name, raw text and the placeholders it needs."""

    name: str
    text: str

    @property
    def placeholders(self) -> frozenset[str]:
        """The named placeholders of the template."""
        names: set[str] = set()
        for _, field, spec, conversion in string.Formatter().parse(self.text):
            if field is None:
                continue
            if not field.isidentifier() or spec or conversion:
                raise PromptError(
                    f"prompt {self.name!r}: placeholder {{{field}}} must be a plain name"
                )
            names.add(field)
        return frozenset(names)

    def format(self, **values: object) -> str:
        """Return the whole prompt with every placeholder filled (system, marker, user)."""
        needed = self.placeholders
        missing = sorted(needed - values.keys())
        extra = sorted(values.keys() - needed)
        if missing or extra:
            raise PromptError(
                f"prompt {self.name!r}: missing placeholders {missing}, unexpected {extra}"
            )
        return self.text.format(**values)

    def format_messages(self, **values: object) -> list[tuple[str, str]]:
        """Return the filled prompt as ``[("system", ...), ("user", ...)]`` messages."""
        system, user = _split(self.name, self.format(**values))
        return [("system", system), ("user", user)]


def _split(name: str, text: str) -> tuple[str, str]:
    """Split a filled prompt at the user marker."""
    head, sep, tail = text.partition("\n" + USER_MARKER + "\n")
    if not sep:
        raise PromptError(f"prompt {name!r} has no '{USER_MARKER}' line")
    return head.strip(), tail.strip()


@cache
def load_prompt(name: str) -> PromptTemplate:
    """Load ``prompts/<name>.md`` and check its layout and placeholders."""
    path = PROMPTS_DIR / f"{name}.md"
    if not name.isidentifier() or not path.is_file():
        raise PromptError(f"no prompt named {name!r} in {PROMPTS_DIR}")
    template = PromptTemplate(name=name, text=path.read_text(encoding="utf-8"))
    if f"\n{USER_MARKER}\n" not in template.text:
        raise PromptError(f"prompt {name!r} has no '{USER_MARKER}' line")
    _ = template.placeholders
    return template
