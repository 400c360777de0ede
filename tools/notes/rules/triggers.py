"""Phrase tables for why-now triggers (onboarding, champion, org change, budget, launch)."""

from __future__ import annotations

from playbook.tools.notes.lexicon import EXEC, Rule, rule

TRIGGER_RULES: tuple[Rule, ...] = (
    # ---- triggers ---------------------------------------------------------------
    rule("trigger", "onboarding_complete",
         "finished|completed|wrapped|done|through|onboard|boarding|live|go"
         "|implementation|rollout|roll|deployment|fully",
         r"\b(?:finished|completed|wrapped up|done with|through)\s+(?:(?:their|the|its)\s+)?"
         r"(?:\w+\s+)?on[- ]?boarding\b|\bon[- ]?boarding\s+(?:(?:is|was|has been|got)\s+)?"
         r"(?:now\s+)?(?:done|complete|completed|finished|wrapped(?: up)?|over)\b",
         r"\bwent live\b|\b(?:are|is|now|been)\s+(?:now\s+)?(?:fully\s+)?live\b(?!\s+(?:demo"
         r"|call|session|event|stream))|\bgo-?live\s+(?:was|happened|is done|completed|went)\b",
         r"\bimplementation\s+(?:(?:is|was|has been)\s+)?(?:now\s+)?(?:complete|completed|done"
         r"|finished|wrapped up)\b|\b(?:completed|finished|wrapped up)\s+(?:(?:the|their)\s+)?"
         r"(?:implementation|rollout|roll-out|deployment|migration|setup|set-up)\b",
         r"\b(?:rollout|roll-out|deployment)\s+(?:(?:is|was)\s+)?(?:now\s+)?(?:complete|completed"
         r"|done|finished)\b|\bfully\s+(?:rolled out|deployed|implemented|onboarded)\b",
         hypo=2),
    rule("trigger", "champion_event", "promot",
         r"\b(?:was|were|got|has been|have been|had been|been|just|recently|is being|getting)\s+"
         r"(?:(?:just|recently)\s+)?promot+ed\b|\bpromot+(?:ed|ion)\s+to\b",
         hypo=1, values=(("kind", "promotion"),)),
    rule("trigger", "champion_event",
         "role|position|title|job|moved|moving|stepped|stepping|transition|took|now",
         r"\b(?:a|her|his|their|the)\s+new\s+(?:role|position|title|job)\b|\b(?:moved|moving"
         r"|stepped|stepping|transitioned|transitioning)\s+(?:into|up)\b|\btook over as\b",
         rf"\b(?:is|was)\s+now\s+(?:(?:the|our|their)\s+)?(?:{EXEC}|Head|Director|Chief"
         r"|Manager|Lead)\b",
         hypo=1, values=(("kind", "new_role"),)),
    rule("trigger", "champion_event", "leaving|departing|moving|left|champion|resigned|handed",
         r"\b(?:is|was)\s+(?:leaving|departing|moving on)\b|\bleft\s+(?:the\s+company|the\s+"
         r"business|for\s+(?:a|an|another)\b)|\b(?:our|the|their)\s+champion\s+(?:left"
         r"|is leaving|has left|quit"
         r"|resigned)\b|\bresigned\b|\bhanded in (?:her|his|their) notice\b",
         hypo=1, values=(("kind", "departure"),)),
    rule("trigger", "org_change",
         "reorg|org|restructur|acqui|merg|spun|spin|layoff|laid|leadership|management"
         "|executive|exec|ceo|cto|cfo|cio|coo|cro|cmo|ciso|cpo|cdo|president|vp|svp"
         "|evp|gm|head|director|boss",
         r"\bre-?org(?:ani[sz]ation|ani[sz]ing|ani[sz]ed|s)?\b|\breorgani[sz]\w+"
         r"|\brestructur\w+",
         rf"\bnew\s+(?:{EXEC}|head of [\w ]+?|director of [\w ]+?|leadership|execs?"
         r"|executives?|management|boss)\b",
         r"\b(?:acquired by|being acquired|got acquired|was acquired|merg(?:ed|ing) with|merger"
         r"|spun off|spin-off|layoffs?|laid off)\b",
         r"\bacquisition\b(?<!customer acquisition)(?<!user acquisition)(?<!talent acquisition)"
         r"(?<!lead acquisition)(?<!data acquisition)(?!\s+(?:costs?|channels?|funnel|strategy"
         r"|rate))",
         r"\b(?:leadership|management|executive|exec|org(?:ani[sz]ational)?)\s+(?:change|changes"
         r"|shake-?up|shuffle|turnover)\b",
         hypo=1),
    rule("trigger", "budget_cycle", "budget|fiscal|planning|fy",
         r"\bQ[1-4]\s+(?:budget\s+)?planning\b|\b(?:budget|budgeting|annual|yearly|fiscal"
         r"|FY\s?'?\d{2,4})\s+(?:planning|cycle|season|process|review|kickoff|kick-off)\b",
         r"\bplanning\s+(?:for\s+)?(?:next|the coming|the new)\s+(?:year|fiscal year|FY)\b"
         r"|\bbudget\s+(?:for|planning for)\s+(?:next|the coming|the new)\s+(?:year|fiscal|FY"
         r"|quarter)|\bnext\s+year'?s\s+budget\b",
         r"\bfiscal\s+year\s+(?:starts|begins|ends|kicks off|start|rolls over|turns over)\b"
         r"|\bnew\s+fiscal\s+year\b|\bFY\s?'?\d{2,4}\s+budget\b|\bFY\s+(?:starts|begins|ends"
         r"|kicks off)\b",
         r"\bbudget\s+(?:approval|approvals|is being set|gets set|is finali[sz]ed|opens|refresh"
         r"|decisions?|discussions?)\b|\b(?:setting|finali[sz]ing)\s+(?:(?:the|their|next"
         r" year'?s)\s+)?budgets?\b",
         hypo=0),
    rule("trigger", "product_launch", "we|our",
         r"\b(?:we|we've|we have|we're|we are|we'll|we will|our team|our product team)\s+"
         r"(?:(?:just|recently|finally|officially)\s+)?(?:released|launched|shipped|announced"
         r"|launching|releasing|shipping|rolled out|rolling out|going to launch|going to release"
         r"|will launch|will release|will ship|made generally available|GA'?d|went GA)\s+"
         r"(?P<product>[^.;!?,]{2,60})",
         r"\bour\s+(?:new|upcoming|latest)\s+(?P<product2>[^.;!?,]{2,40}?)\s+(?:launch|release"
         r"|launches|is launching|goes live|went live|is now live|is live|GA|went GA|is GA)\b",
         r"\bour\s+(?P<product3>(?-i:[A-Z])[\w-]+(?:\s+[\w-]+){0,2}?)\s+(?:went|goes|is|is now)"
         r"\s+(?:GA|generally available|live)\b",
         hypo=0, event=True, hook="product"),
)
