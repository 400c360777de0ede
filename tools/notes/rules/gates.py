"""Phrase tables for the gates, and open problems with their resolution (engine-handled)."""

from __future__ import annotations

import re

from playbook.tools.notes.lexicon import PROB, Rule, rule, words

_I = re.IGNORECASE

GATE_RULES: tuple[Rule, ...] = (
    # ---- gates ------------------------------------------------------------------
    rule("gate", "gone_quiet",
         "hasn|haven|hadn|not|heard|dark|quiet|silent|cold|radio|mia|awol|ghost"
         "|unresponsive|responding|stopped|response|reply|replies|answer|contact|word"
         "|show|reach|hold|ahold|touch|pin|missed|skipped|cancel|declined|radar"
         "|unanswered",
         r"\b(?:has|have|had)(?:n'?t|\s+not)\s+(?:replied|responded|answered|returned|gotten back"
         r"|got back|called back|written back|engaged|been responsive|been in touch|heard back"
         r"|followed up|shown up|picked up)\b",
         r"\b(?:haven'?t|have not|hadn'?t|not)\s+heard\s+(?:back\s+)?(?:from|anything)\b",
         r"\b(?:gone|went|going|has gone)\s+(?:dark|quiet|silent|cold|radio silent|mia"
         r"|AWOL)\b|\bradio silence\b|\bghost(?:ing|ed|s)\b|\bunresponsive\b"
         r"|\bnot responding\b|\bstopped\s+(?:responding|replying|answering|engaging|returning)\b",
         r"\bno\s+(?:response|reply|replies|answer|responses|contact|word)\s+(?:to|from|since|in"
         r"|for)\b|\bwithout\s+a\s+(?:reply|response)\b",
         # a missed meeting, not the customer's own no-show metric ("cut no-shows by 18%")
         r"\bno[- ]showed\b|\b(?:was|were|is|are|been|be|a|another)\s+(?:(?:total|complete)\s+)?"
         r"no[- ]show\b(?![- ]rate|\s*(?:rates?|%|fees?|polic))|\bno[- ]shows?\s+(?:(?:on|at|for"
         r"|to)\s+(?:the|our|my|their|two|three|both|all|every|last|each|a|any)\b|again\b"
         r"|twice\b)|\b(?:two|three|four|several|multiple|repeated|consecutive|back-to-back"
         r"|\d+)\s+(?:(?:straight|consecutive|more)\s+)?no[- ]shows\b(?!\s+(?:a|per|each|every)"
         r"\s+(?:day|week|month))",
         r"\b(?:can'?t|cannot|couldn'?t|unable to)\s+(?:reach|get hold of|get ahold of|get in"
         r" touch with|get a response|get a reply|pin down|get time with)\b",
         r"\b(?:missed|skipped|cancell?ed|declined)\s+(?:the\s+)?(?:last\s+)?(?:\w+\s+)?(?:calls"
         r"|meetings|QBRs|check-ins|syncs)\b|\bdropped off (?:the )?(?:radar|map)\b"
         r"|\b(?:emails?|calls?|messages?|voicemails?)\s+(?:(?:have|has)\s+)?(?:gone|went)\s+"
         r"unanswered\b|\bunanswered\s+(?:emails?|calls?|messages?)\b",
         hypo=1),
    rule("gate", "gone_quiet", "mia", r"\b(?-i:MIA)\b", hypo=1),
    rule("gate", "low_usage",
         "barely|hardly|rarely|seldom|low|minimal|poor|weak|stalled|flat|down|dropping"
         "|declin|negligible|tiny|near|abysmal|falling|dropped|fell|fallen|tanked"
         "|cratered|plummet|plunge|collapse|dried|dipped|really|shelfware|nobody|no"
         "|hasn|haven|has|have|logged|stopped",
         r"\b(?:barely|hardly|rarely|seldom)\s+(?:ever\s+)?(?:using|uses|use|used|logs?|logging"
         r"|logged|touch(?:es|ed)?|open(?:s|ed)?|in)\b",
         r"\b(?:usage|adoption|engagement|activity|utili[sz]ation)\s+(?:is|was|has been|have been"
         r"|remains|stays|looks|seems|are)\s+(?:(?:still|really|very|super|pretty|quite)\s+)?"
         r"(?:low|minimal|poor|weak|stalled|flat|down|dropping|declining|negligible|tiny"
         r"|near zero|abysmal)\b",
         r"\b(?:low|minimal|poor|declining|dropping|falling|weak)\s+(?:usage|adoption|engagement"
         r"|utili[sz]ation|activity|logins?)\b",
         r"\b(?:usage|adoption|logins?|activity|engagement)\s+(?:(?:has|have)\s+)?(?:dropped"
         r"|declined|fell|fallen|tanked|cratered|plummeted|plunged|collapsed|dried up|dipped)\b",
         r"\b(?:not|n't)\s+really\s+us(?:ing|e)\b|\bshelfware\b|\b(?:nobody|no one|no-one)\s+"
         r"(?:(?:is|really)\s+)*(?:using|uses|logs? in|logging in)\b|\b(?:hasn'?t|haven'?t|has not"
         r"|have not)\s+logged\s+in\b|\bnot\s+logged\s+in\s+(?:since|for|in)\b"
         r"|\bstopped\s+using\b",
         hypo=1),
    rule("gate", "at_risk",
         "compet|alternativ|vendor|replac|other|switch|moving|migrat|leav|cancel|churn"
         "|dropping|renew|walk|terminat|downgrad|risk|unhappy|happy|dissatisf|upset"
         "|angry|annoyed|disappoint|fed|frustrat|notice|list|shortlist|consolidat"
         "|cutting",
         r"\b(?:evaluating|evalutaing|evaulating|trialing|trialling|piloting|demoing|vetting"
         r"|assessing|considering|testing|exploring|looking at|looking into)\s+(?:(?:other"
         r"|alternative|competing)\s+)?(?:competitors?|competiters?|competitiors?|competition"
         r"|alternatives?|other\s+(?:vendors|tools"
         r"|options|solutions|platforms|providers)|vendors|replacements?)\b",
         r"\b(?:considering|thinking (?:about|of)|talking about|looking (?:at|into)|exploring"
         r"|discussing|weighing|contemplating|open to)\s+(?:switching|moving (?:off|away)"
         r"|migrating (?:off|away)|replacing\s+(?:us|you|the product|the platform|\w+)|leaving"
         r"|cancell?ing|churning|dropping\s+(?:us|the product)|not renewing)\b",
         r"\b(?:might|may|could|will likely|likely to|going to|threatening to|threatened to"
         r"|threatens to|want to|wants to|planning to|plan to)\s+(?:churn|cancel|leave|walk"
         r"|switch|not renew|terminate|downgrade)\b",
         r"\b(?:churn|flight|renewal|cancellation)\s+risk\b|\bat[- ]risk\b|\brisk of (?:churn"
         r"|cancell?ation|losing)\b",
         r"\b(?:unhappy|not happy|dissatisfied|upset|angry|annoyed|disappointed|fed up)\s+"
         r"(?:with|about|by|over)\b|\bfrustrated\s+(?:with|by)\s+(?:us|you|the product|the"
         r" platform|the tool|our (?:product|service|support|team))\b",
         r"\b(?:won'?t|will not|not going to|not planning to|don'?t plan to|do not plan to)\s+"
         r"renew\b|\bnon-?renewal\b|\bnotice to (?:cancel|terminate)\b|\bcancell?ation"
         r" (?:request|notice)\b|\b(?:asked|want|wants|wanted|requesting)\s+to\s+(?:cancel"
         r"|terminate|get out of)\b",
         r"\bswitching\s+(?:over\s+)?to\s+(?:(?:a|an)\s+)?compet\w*|\bmoving\s+(?:off|away"
         r" from)\s+(?:us|you|the product)\b",
         r"\bon\s+(?:the|a)\s+(?:list|shortlist)\s+(?:of\s+[\w-]+\s+)?(?:to|for)\s+(?:be\s+)?"
         r"(?:consolidat\w*|cut|replace\w*|sunset\w*|retire\w*|drop\w*)\b|\bvendor\s+"
         r"consolidation\b|\b(?:consolidating|cutting)\s+(?:vendors|tools|tooling|software)\b",
         hypo=0, neg=True),
    rule("gate", "at_risk", "eval|trial|pilot|demo|vett|switch|moving",
         r"\b(?:evaluating|evalutaing|evaulating|trialing|trialling|piloting|demoing|vetting)\s+"
         r"(?-i:[A-Z])[\w.&'’-]+|\bswitching\s+(?:over\s+)?to\s+(?:(?:a|an)\s+)?"
         r"(?-i:[A-Z])[\w.]+|\bmoving\s+(?:off|away from)\s+(?-i:[A-Z])[\w.]+",
         hypo=0, hook="competitor"),
)

# ---- open problems and their resolution (handled by the engine) ---------------

OPEN_PROBLEM = rule(
    "gate", "open_problem",
    "p0|p1|sev|s0|s1|critical|urgent|high|major|serious|severe|block"
          "|showstop|show|out|downtime|down|broke|broken|failing|crash|error|timing|escal"
          "|unresolved|un|still|data|can|cannot|couldn|unable|not|keep|investigat"
          "|priority|dropping|duplicat|corrupt|skipping|mangl|overwrit|losing|disconnect"
          "|freez|hanging|stalling|erroring|logging",
    r"\b(?:P0|P1|Sev(?:erity)?[- ]?[01]|S[01])s?\b",
    rf"\b(?:critical|urgent|high[- ]sev(?:erity)?|high[- ]priority|major|serious|severe"
    rf"|blocking|showstopper|show-stopper)\s+(?:[\w-]+\s+){{0,2}}?{PROB}\b"
    rf"|\b{PROB}\s*\(?(?:severity|priority|sev)[:\s]+(?:high|critical|urgent)\b",
    r"\bblocker\b|\bblocking\s+(?:them|their|the|all|our|invoic\w*|billing|payments?|payroll"
    r"|launch|go-live|rollout|work|sales|orders?|shipping|reporting)\b|\bout+ages?\b"
    r"|\bdowntime\b",
    r"\b(?:system|platform|app|site|service|API|integration|sync|dashboard|instance|server"
    r"|product|SSO|login|portal|tool)s?\s+(?:is|are|was|were|has been|have been|went|keeps"
    r" going|goes)\s+down\b(?!\s+(?:to|by|\d))",
    r"\b(?:is|are|was|were|has been|have been|been|still|keeps?|got|went|totally|completely)\s+"
    r"(?:(?:completely|totally)\s+)?(?:broken|failing|crashing|erroring|timing out|blocked)\b"
    r"|\bbroke\b(?!\s+(?:even|ground|records?|the record|through|down the))|\bbroken\s+"
    r"(?:for|since)\b",
    r"\bescal(?:at|t)(?:ed|ion|ing)\b|\bun-?resolved\b|\bstill\s+(?:open|broken|down|failing"
    r"|not working|not fixed|unresolved|waiting on a fix|waiting for a fix|an issue|a problem"
    r"|happening|erroring)\b|\bdata\s+(?:loss|corruption)\b",
    r"\b(?:been|went|is|are|was|were)\s+down\s+(?:since|for|all|again|twice)\b"
    r"|\bstill\s+waiting\s+(?:on|for)\s+(?:engineering|a fix|the fix|the patch|support|R&D)\b"
    r"|\b(?:can'?t|cannot|couldn'?t|unable to)\s+(?:log\s?in|access|export|sync|send|load|use"
    r"|run|process|submit)\b|\bnot\s+working\b|\bkeeps?\s+(?:crashing|failing|timing out"
    r"|breaking|erroring)\b|\b(?:engineering|dev|devs|our team|support|R&D)\s+(?:is|are)\s+"
    r"(?:still\s+)?investigating\b",
    # an ongoing malfunction: "the HubSpot integration keeps dropping records"
    r"\b(?:keeps?|kept|is|are|has been|have been|still)\s+(?:dropping|duplicating|corrupting"
    r"|skipping|mangling|overwriting)\s+(?:(?:the|their|our|some|all|new|incoming)\s+)?"
    r"(?:[\w-]+\s+)?(?:records?|data|rows?|contacts?|leads?|deals?|fields?|events?|orders?"
    r"|emails?|messages?|files?|entries|updates?|changes?|calls?|syncs?|tickets?|invoices?"
    r"|payments?|transactions?)\b|\bkeeps?\s+(?:losing\s+(?:(?:the|their|our|some|all)\s+)?"
    r"(?:data|records?|rows?|fields?|entries|changes?|updates?|connection|sync)|disconnecting"
    r"|freezing|hanging|stalling|erroring out|logging\s+(?:us|them|people|users|everyone)\s+"
    r"out)\b",
    hypo=1,
)
LOW_SEVERITY = re.compile(
    r"\b(?:minor|small|cosmetic|low[- ](?:priority|severity|sev)|P[234]|Sev[- ]?[34]|trivial"
    r"|nice[- ]to[- ]have)\b", _I)
RESOLVED = re.compile(
    r"\b(?:resolved|fixed|solved|patched|restored|remediated|hot-?fixed|sorted(?: out)?"
    r"|cleared up|back (?:up|online|to normal)|working (?:again|fine|normally)|up and running"
    r"|no longer (?:an issue|a problem|broken|down|failing|happening)|recovered)\b"
    r"|\b(?:closed|closing)\s+(?:out\s+)?(?:(?:the|that|this|our|their|its|all)\s+)?(?:\w+\s+)?"
    r"(?:tickets?|cases?|issues?|bugs?|incidents?|escalations?|P[0-4]s?)\b"
    r"|\b(?:tickets?|cases?|issues?|bugs?|incidents?|escalations?|P[0-4]s?)\s+(?:(?:is|are|was"
    r"|were|has been|have been|got|now)\s+)?closed\b|\bfix\s+(?:(?:is|was|has been)\s+)?"
    r"(?:deployed|shipped|released|live|rolled out|in place)\b", _I)
RESOLVED_BLOCK = re.compile(
    r"\b(?:not|no|never|yet|waiting|until|till|once|when|if|will|should|hope|hoping|expect"
    r"|expected|expecting|needs?|promised|eta|pending|scheduled|before|unless|whether)\b"
    r"|n't\b|n’t\b", _I)
RESOLVE_ALL = re.compile(
    r"\b(?:all|both)\s+(?:(?:of\s+)?the\s+|open\s+|[\w-]+\s+)?(?:issues|problems|bugs|tickets"
    r"|incidents|outages|escalations|of them|P[0-4]s)\b|\beverything\b|\ball\s+(?:fixed|resolved"
    r"|sorted|good|clear)\b",
    _I,
)
PROBLEM_STOP = words(
    """the and but for with from this that these those they them their there then than have has
    had was were been being are its our ours your you she her his him who which what when where
    while still now yet also just really very open opened high major issue problem bug ticket
    incident case week day month today yesterday last ago since said say says told note call
    email team customer client help work working again back fine normal sort sorted clear
    cleared everything all both every about after before over under into onto some any one two
    three finally live place down not with without more less new old main topic topics point
    points other update news notes"""
)
PROBLEM_STOP_PREFIX = (
    "escal", "resolv", "unresolv", "fix", "solv", "patch", "restor", "clos", "broke", "block",
    "recover", "remedia", "hotfix", "deploy", "critical", "urgent", "sever", "seriou", "priorit",
    "confirm", "mention", "report", "engineer", "investigat", "support", "fail", "crash",
)
