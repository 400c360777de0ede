"""Phrase tables for the concerns a brief answers (price, competitor, security, ...)."""

from __future__ import annotations

from playbook.tools.notes.lexicon import Rule, rule

CONCERN_RULES: tuple[Rule, ...] = (
    # ---- concerns ---------------------------------------------------------------
    rule("concern", "price",
         "expensive|pricey|costly|price|pricing|cost|rate|fee|spend|bill|invoice|uplift"
         "|sticker|budget|afford|cheaper",
         r"\btoo\s+(?:expensive|pricey|costly|much money)\b|\bexpensive\b|\bpricey\b",
         r"\b(?:price|pricing|cost|costs|rate|fees?|spend)\s+(?:(?:is|are|was|were|has been"
         r"|remains|seems|feels)\s+)?(?:(?:a|an)\s+)?(?:(?:big|major|real)\s+)?(?:concern|issue"
         r"|problem|sticking point|blocker|objection|worry|too high|high|steep)\b",
         r"\b(?:concerns?|concerned|worried|worries|pushback|push back|pushed back|complain"
         r"(?:ed|ing|ts?)?|grumbl\w+)\s+(?:about|on|over|regarding|with|re:?)\s+(?:(?:the|our"
         r"|your)\s+)?(?:price|pricing|cost|costs|fees|spend|bill|invoice|price increase"
         r"|renewal price|renewal pricing|uplift)\b",
         r"\bsticker shock\b|\bover\s+budget\b|\bcan'?t\s+afford\b|\bcheaper\b|\bbudgets?\s+"
         r"(?:is|are)\s+(?:tight|limited|frozen|cut|slashed)\b|\b(?:tight|limited|frozen"
         r"|reduced|shrinking)\s+budgets?\b|\bbudget\s+(?:freeze|cuts?)\b|\bcost[- ](?:cutting"
         r"|reduction)\b|\bprice[- ]sensitiv\w+\b|\bat (?:the|this|that) (?:(?:current|new"
         r"|proposed)\s+)?(?:price|pricing|rate)\b",
         hypo=0),
    rule("concern", "competitor",
         "look|eval|consider|trial|pilot|demo|talk|speak|compar|switch|got|pitched|courted",
         r"\b(?:looking at|evaluating|considering|trialing|trialling|piloting|demoing|talking to"
         r"|speaking with|in talks with|comparing (?:us|you|it)?\s*(?:with|to|against)"
         r"|switching to|got a quote from|demo with|pitched by|courted by)\s+"
         r"(?P<comp>(?-i:[A-Z])[\w.&'’-]*(?:\s+(?:and\s+)?(?-i:[A-Z])[\w.&'’-]*){0,3})",
         hypo=0, hook="competitor"),
    # a named alternative compared on price ("the price is too high compared to Sigma")
    rule("concern", "competitor", "compar|than|vs|versus|next|relative",
         r"\b(?:(?:too\s+high|higher|too\s+expensive|more\s+expensive|pricier|costlier|cheaper"
         r"|lower|overpriced|expensive|(?:costs?|priced)\s+(?:more|less))\s+(?:compared\s+(?:to"
         r"|with)|than|vs\.?|versus|next\s+to|relative\s+to)|(?:price|pricing|cost|costs|quote)"
         r"\s+(?:compared\s+(?:to|with)|vs\.?|versus))\s+(?:what\s+)?"
         r"(?P<comp>(?-i:[A-Z])[\w.&'’-]*(?:\s+(?:and\s+)?(?-i:[A-Z])[\w.&'’-]*){0,3})\b"
         r"(?!\s+(?:expected|thought|hoped|budgeted|planned|wanted|said|assumed|anticipated"
         r"|quoted|estimated|charges?|charged|offers?|offered))",
         hypo=0, hook="competitor"),
    rule("concern", "competitor", "compet|rival|vendor|alternativ",
         r"\b(?:competitors?|competiters?|competitiors?|competition|competing (?:product|tool"
         r"|vendor|solution|offer)s?|rivals?|other vendors)\b",
         r"\b(?:cheaper|other|competing|several|some|a few)\s+alternatives?\b|\balternatives?\s+"
         r"(?:to\s+(?:us|you|the product|the platform)|like|such as)\b|\b(?:evaluating|looking"
         r" at|considering|exploring|researching)\s+alternatives?\b",
         hypo=0, hook="competitor"),
    rule("concern", "security",
         "secur|soc|iso|gdpr|hipaa|ccpa|fedramp|pci|pen|data|infosec|ciso|dpa|complian"
         "|vendor|encrypt",
         r"\bsecurity\s+(?:review|questionnaire|assessment|audit|concerns?|requirements?"
         r"|sign-?off|approval|check|vetting|issues?|worries|team)\b|\bSOC\s?-?\s?[12]\b"
         r"|\bISO\s?-?\s?27001\b|\bGDPR\b|\bHIPAA\b|\bCCPA\b|\bFedRAMP\b|\bPCI(?:[- ]DSS)?\b",
         r"\bpen(?:etration)?[- ]?test(?:s|ing)?\b|\bdata\s+(?:residency|privacy|protection"
         r"|sovereignty)\b|\binfosec\b|\bcompliance\s+(?:review"
         r"|requirements?|concerns?|sign-?off|audit)\b|\bvendor\s+(?:risk|security)\s+"
         r"(?:review|assessment)\b|\bencryption\b",
         hypo=0, hook="security"),
    rule("concern", "security", "ciso|dpa", r"\b(?-i:CISO|DPA)\b", hypo=0, hook="security"),
    rule("concern", "bandwidth",
         "stretch|swamp|slam|underwater|overload|overwhelm|maxed|capacity|drown|heads"
         "|buried|bandwidth|time|resource|headcount|busy|staffed|short|understaffed",
         r"\b(?:team|they|she|he|we|everyone|staff|people|folks)\s+(?:is|are|'re|'s|was|were)\s+"
         r"(?:(?:really|very|super|pretty|so|totally|completely)\s+)?(?:stretched(?: thin)?"
         r"|swamped|slammed|underwater|overloaded|overwhelmed|maxed out|at capacity|drowning"
         r"|heads-down|heads down|buried)\b",
         r"\bstretched thin\b|\b(?:no|zero|little|limited|low|not much|not enough|lack of)\s+"
         r"(?:bandwidth|capacity to|time|resources|headcount)\b|\b(?:don'?t|doesn'?t|do not"
         r"|does not|didn'?t)\s+have\s+(?:(?:the|much|enough|any)\s+)?(?:bandwidth|time"
         r"|resources|capacity)\b",
         r"\btoo\s+busy\b|\bshort[- ]?staffed\b|\bunderstaffed\b|\bresource[- ]constrained\b"
         r"|\bresource constraints?\b|\bbandwidth\s+(?:is\s+)?(?:(?:an?)\s+)?(?:issue|concern"
         r"|problem|constraint|tight|limited)\b|\bswamped\b|\bslammed\b",
         hypo=0),
    rule("concern", "integration",
         "integrat|connect|sync|synch|talk|work|play|api",
         r"\b(?:doesn'?t|does not|don'?t|do not|won'?t|can'?t|cannot|didn'?t|isn'?t)\s+"
         r"(?:(?:natively|really|yet)\s+)?(?:integrate|connect|sync|talk|work|play nicely"
         r"|play well)\s+(?:with|to|into)\b",
         r"\bintegrations?\s+(?:with\s+\S+\s+)?(?:(?:is|are|was|were|has been|keeps?)\s+)?"
         r"(?:broken|failing|an issue|a problem|a blocker|missing|a gap|a concern|limited|flaky"
         r"|unreliable|issues?|problems?|gaps?|concerns?|errors?)\b|\b(?:no|lack of|missing"
         r"|limited|poor|weak|broken|flaky)\s+(?:\w+\s+)?integrations?\b",
         r"\bsynch?\s+(?:issues?|errors?|problems?|failures?|is broken|broken|failing|keeps"
         r" failing|has been broken|has been failing|is failing|delays?)\b|\bAPI\s+(?:limitations?"
         r"|issues?|errors?|problems?)\b",
         hypo=0, hook="integration"),
    rule("concern", "integration", "sync|synch|integrat",
         r"\b(?P<system>(?-i:[A-Z])[\w.]+)\s+(?:sync|synch|integration)\b",
         hypo=0, hook="integration"),
    rule("concern", "value_doubt",
         "worth|value|roi|result|return|impact|outcome|justify|prove|show|demonstrat"
         "|paying|getting|shelfware|benefit",
         r"\bnot\s+(?:sure|convinced|certain|clear)\s+(?:it'?s|it is|this is|that it'?s|the"
         r" product is|we'?re|they'?re|if|whether)\b[^.;]{0,40}?\bworth\b|\b(?:is|was)\s+(?:it"
         r"|this)\s+(?:really\s+)?worth\b|\bworth\s+(?:it|the\s+(?:money|cost|price|spend"
         r"|investment))\s*\?",
         r"\b(?:need|needs|want|wants|have|has|got)\s+to\s+see\s+(?:(?:more|real|some|the|clear"
         r"|better)\s+)?(?:value|ROI|results|return|impact|outcomes?)\b|\b(?:question|questioning"
         r"|questioned|doubt|doubting|doubts about|skeptical (?:about|of)|sceptical (?:about"
         r"|of))\s+(?:the\s+)?(?:value|ROI|worth|investment|spend)\b",
         r"\b(?:not|aren'?t|isn'?t|haven'?t been|hasn'?t been|weren'?t|wasn'?t|haven'?t|hasn'?t)"
         r"\s+(?:(?:really|yet)\s+)?(?:seeing|seen|getting|gotten|reali[sz]ing|reali[sz]ed)\s+"
         r"(?:(?:the|much|any|enough|real)\s+)?(?:value|ROI|results|return|benefit|impact)\b"
         r"|\bno\s+(?:(?:clear|real|measurable)\s+)?(?:ROI|value)\s+(?:yet|so far)\b",
         r"\bhard\s+to\s+justify\b|\bjustify\s+(?:the\s+)?(?:cost|spend|price|renewal"
         r"|investment|budget)\b|\b(?:prove|show|demonstrate)\s+(?:the\s+)?(?:value|ROI)\b"
         r"|\bwhat\s+(?:are\s+)?(?:we|they)\s+(?:are\s+)?(?:paying|getting)\s+for\b"
         r"|\bshelfware\b",
         hypo=0, neg=False),
)
