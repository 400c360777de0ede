"""Phrase tables of the call-notes extractor (`tools.notes`), compiled once at import.

The tables are split by theme; this module assembles them for the engine and
holds the untrusted-text (injection) patterns:

* `notes_lexicon`: shared fragments, the `Rule` type and its builder, numbers;
* `notes_rules_facts`, `notes_rules_signals`, `notes_rules_triggers`,
  `notes_rules_gates` (with open problems and their resolution),
  `notes_rules_concerns`: one phrase table per finding category;
* `notes_dates`: the date grammar (explicit, relative and planned dates);
* `notes_hooks`: the value hooks that turn a match into `NoteFinding.values`,
  and the feature / initiative phrase cleaning.

Nothing here decides scores: the rules in `tools.scoring` / `tools.gates` do.
"""

from __future__ import annotations

import re

from playbook.tools.notes.dates import (
    DATE,
    YEARLESS,
    date_matches,
    explicit_date,
    lowered,
    parse_date,
    relative_date,
)
from playbook.tools.notes.hooks import HOOKS, Hit
from playbook.tools.notes.lexicon import MONTHS, HookResult, Rule, lower_pattern, words
from playbook.tools.notes.rules.concerns import CONCERN_RULES
from playbook.tools.notes.rules.facts import FACT_RULES
from playbook.tools.notes.rules.gates import (
    GATE_RULES,
    LOW_SEVERITY,
    OPEN_PROBLEM,
    PROBLEM_STOP,
    PROBLEM_STOP_PREFIX,
    RESOLVE_ALL,
    RESOLVED,
    RESOLVED_BLOCK,
)
from playbook.tools.notes.rules.signals import SIGNAL_RULES
from playbook.tools.notes.rules.triggers import TRIGGER_RULES

__all__ = [
    "DATE", "HOOKS", "INJECTION", "INJECTION_HINTS", "LOW_SEVERITY", "MONTHS", "OPEN_PROBLEM",
    "PROBLEM_STOP", "PROBLEM_STOP_PREFIX", "RESOLVED", "RESOLVED_BLOCK", "RESOLVE_ALL", "RULES",
    "YEARLESS",
    "Hit", "HookResult", "Rule", "date_matches", "explicit_date", "lowered", "parse_date",
    "relative_date", "words",
]

# Table order is output order within a clause: facts, signals, triggers, gates, concerns.
RULES: tuple[Rule, ...] = (
    *FACT_RULES, *SIGNAL_RULES, *TRIGGER_RULES, *GATE_RULES, *CONCERN_RULES
)

# ---- untrusted text -----------------------------------------------------------

INJECTION_HINTS = (
    "ignore", "disregard", "forget", "override", "instruction", "prompt", "system", "assistant",
    "developer", "you are", "as an ai", "note to", "notes to", "note for", "notes for",
    "message to", "message for", "dear ", "jailbreak", "anything now", "print your", "pretend",
    "should be", "must be", "readiness", "% discount", "%discount", "% off", "give this",
    "give the", "give their", "assign", "grant", "award", "score this", "score the", "rate this",
    "rate the", "rank this", "rank the", "mark this", "mark the", "<", "[",
    *(f"{noun}{link}" for noun in ("score", "tier", "nps", "rating", "priority")
      for link in (" to", " =", "=", " at", " as")),
)
INJECTION = re.compile(
    lower_pattern(
        r"\b(?:ignore|disregard|forget|override)\s+(?:(?:all|any|the|your|my|these|those|every)\s+)*"
        r"(?:previous|prior|above|earlier|preceding|other|system)?\s*(?:instructions?|prompts?"
        r"|rules?|directions?|guidelines?|context)\b"
        r"|\b(?:ignore|disregard)\s+(?:all\s+|everything\s+)?(?:the\s+)?(?:above|previous|prior"
        r"|earlier)\b|\b(?:should|must)\s+be\s+(?:scored|rated|ranked|marked|given|tiered)\b"
        r"|\b(?:score|rate|rank|mark)\s+(?:this|the)\s+(?:account|customer|client)\b"
        r"|\byou\s+are\s+(?:now\s+)?(?:an?\s+)?(?:AI|assistant|language model|LLM|chatbot|GPT)\b"
        r"|\bas an AI\b|\bsystem\s+prompt\b|\bnew\s+instructions?\b|^\s*(?:system|assistant"
        r"|developer)\s*[:\]]|\[\s*(?:system|INST)\s*\]|<\|?im_start\|?>|<\s*/?\s*system\s*>"
        r"|\b(?:note|message|instruction)s?\s+(?:to|for)\s+(?:the\s+)?(?:AI|LLM|bot|model"
        r"|assistant|agent)\b|\bdear\s+(?:AI|assistant|model|LLM)\b"
        r"|\b(?:set|change|override|force|make)\s+(?:the\s+|this\s+|their\s+)?(?:readiness\s+)?"
        r"(?:score|tier|NPS|rating|readiness|priority)\s+(?:to|=|at|as)\b"
        r"|\b(?:give|assign|grant|award)\s+(?:this|the|their)\s+(?:account|customer|client)\s+"
        r"(?:a\s+)?(?:score|tier|rating|discount|priority)\b"
        r"|\b(?:offer|give|apply|grant)\s+(?:(?:them|the customer|this account|a|an)\s+)*"
        r"\d{2,3}\s*%\s*(?:discount|off)\b|\bjailbreak\b|\bdo anything now\b"
        r"|\bprint\s+your\s+(?:instructions|prompt)\b|\bpretend\s+(?:to be|you are)\b"
    ),
    re.M,
)
