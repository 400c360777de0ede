"""Phrase tables for facts: usage ratio, NPS, logins per month, renewal date, praise."""

from __future__ import annotations

from playbook.tools.notes.lexicon import NUMW, Rule, rule

_NUMV = r"\d[\d,]*(?:\.\d+)?(?:\s*(?:[kmb]\b|million\b|billion\b|thousand\b))?"
_LIC = r"(?:li[sc]{1,2}en[cs]es?)"
_SEAT = rf"(?:(?:paid\s+|user\s+|named\s+|editor\s+|agent\s+|admin\s+)?(?:seats?|{_LIC}|users?))"
_VOL = (
    r"(?:records?|contacts?|rows?|API calls?|requests?|events?|credits?|GB|TB|emails?"
    r"|messages?|tasks?|transactions?|documents?|leads?|profiles?|MAUs?|queries|jobs?"
    r"|workflows?|invoices?|submissions?|orders?|SMS|texts?|minutes?)"
)
_USED = r"(?:(?:used|in use|active|taken|filled|assigned|consumed)\s+)?"
_CAPQ = (
    r"(?:(?:purchased|paid|available|licensed|allotted|contracted|allowed|included|total"
    r"|bought)\s+)?"
)
_TIMES = (
    r"(?:once|twice|thrice|\d+\s*(?:x|times)|(?:one|two|three|four|five|six|seven|eight|nine"
    r"|ten|a couple(?: of)?|a few|several)\s+times)"
)
_LOGN = (
    r"(?:\d+(?:\.\d+)?|zero|no|one|two|three|four|five|six|seven|eight|nine|ten|once|twice"
    r"|a couple(?: of)?|a few)"
)
_LOGIN = r"(?:log[- ]?ins?|sign[- ]?ins?|sessions?)"
_LOGV = r"(?:log(?:s|ged|ging)?[- ]?in|sign(?:s|ed|ing)?[- ]?in|(?:uses?|used|opens?|opened)\s+it)"

FACT_RULES: tuple[Rule, ...] = (
    # ---- facts: usage ratio ------------------------------------------------
    rule("fact", "usage_ratio", "0|1|2|3|4|5|6|7|8|9",
         rf"(?P<used>{_NUMV})\s*(?:{_SEAT}\s+|{_VOL}\s+)?{_USED}(?:of|out of|/)\s*"
         rf"(?:(?:their|the|its|our|all|a total of)\s+)?(?P<cap>{_NUMV})\s*{_CAPQ}"
         rf"(?P<unit>{_SEAT}|{_VOL})\b", hook="usage"),
    rule("fact", "usage_ratio", "0|1|2|3|4|5|6|7|8|9",
         rf"(?P<used>{_NUMV})\s*(?P<unit>{_SEAT}|{_VOL})\s+{_USED}(?:of|out of)\s+"
         rf"(?:(?:their|the|its|a total of)\s+)?(?P<cap>{_NUMV})"
         r"(?:\s+(?:purchased|paid|available|licensed|total|bought|contracted|allowed))?"
         r"(?!\s*[%\w])", hook="usage"),
    rule("fact", "usage_ratio",
         "seat|licen|lisen|liscen|user|record|contact|api|credit|volume|usage",
         r"\b(?P<unit>seats?|li[sc]{1,2}en[cs]es?|users?|records|contacts|api calls|credits"
         r"|volume|usage)\s*(?:used|usage|utili[sz]ation|in use)?\s*[:=]\s*"
         rf"(?P<used>{_NUMV})\s*(?:/|of|out of)\s*(?P<cap>{_NUMV})\b", hook="usage"),
    rule("fact", "usage_ratio", "%|percent",
         r"(?P<pct>\d{1,3}(?:\.\d+)?)\s*(?:%|percent)\s+(?:of\s+)?(?:(?:their|the|its|our|total"
         rf"|plan|purchased|contracted|paid|seat|{_LIC}|license|API|usage|monthly|annual|volume"
         r"|storage|record|contact|call|data|account|user)\s+){0,3}(?P<unit>capacity|limits?|cap"
         rf"|allowance|allotment|seats|{_LIC}|utili[sz]ation|entitlement|ceiling|threshold"
         r"|(?:API|usage|storage|call|data|monthly|record|volume)\s+quota)\b", hook="usage"),
    rule("fact", "usage_ratio", "%|percent",
         rf"\b(?P<unit>seat|{_LIC}|capacity|usage|utili[sz]ation|volume|API|quota)\s+"
         r"(?:utili[sz]ation\s+|usage\s+|use\s+)?(?:(?:is|was|at|now|currently|sits|sitting|hit"
         r"|reached|running|=|:)\s*)+(?:(?:about|around|nearly|almost|roughly|over)\s+|~\s*)?"
         r"(?P<pct>\d{1,3}(?:\.\d+)?)\s*(?:%|percent)", hook="usage"),
    rule("fact", "usage_ratio", "max",
         r"\bmax(?:ed|xed)?[- ]?out\s+(?:on\s+)?(?:all\s+(?:of\s+)?)?(?:(?:their|the|its|our"
         rf"|all|his|her)\s+)?(?:\w+\s+)?(?P<unit>seats|{_LIC}|users|capacity|limits?|plan"
         r"|API calls|credits|volume|storage|quota)\b",
         rf"\b(?P<unit2>seats|{_LIC}|plan|limits?|capacity|credits|quota)\s+(?:are|is|were|was"
         r"|got|have been|has been)\s+(?:fully\s+|all\s+|completely\s+)?maxed(?:\s+out)?\b",
         hook="usage", values=(("ratio", 1.0),)),
    rule("fact", "usage_ratio", "ran|run",
         rf"\b(?:ran|run|running|runs)\s+out\s+of\s+(?:\w+\s+)?(?P<unit>seats|{_LIC}|credits"
         r"|capacity|API calls|storage|quota|volume|records|contacts)\b",
         hook="usage", values=(("ratio", 1.0),)),
    rule("fact", "usage_ratio", "left|available|remaining|free",
         rf"\bno\s+(?:(?:more|free|spare|open)\s+)?(?P<unit>seats|{_LIC})\s+(?:left|available"
         r"|remaining|free)\b", neg=False, hook="usage", values=(("ratio", 1.0),)),
    rule("fact", "usage_ratio", "every|all",
         rf"\b(?:every|all)\s+(?:\w+\s+)?(?P<unit>seats?|{_LIC})\s+(?:(?:are|is|were|have been)"
         r"\s+)?(?:now\s+)?(?:taken|used|in use|filled|assigned|occupied)\b",
         hook="usage", values=(("ratio", 1.0),)),
    rule("fact", "usage_ratio", "limit|cap|ceiling|quota",
         r"\bhit\s+(?:their|the|its|our)\s+(?:\w+\s+)?(?P<unit>seat|license|licence|API|usage"
         r"|plan|volume|storage|record|contact|user)?\s*(?:limit|cap|ceiling|quota)\b",
         hook="usage", values=(("ratio", 1.0),)),
    rule("trigger", "usage_ceiling", "limit|cap|ceiling|quota",
         r"\b(?:close to|near|nearing|approaching|bumping (?:up )?against|up against|pushing)"
         r"\s+(?:(?:their|the|its|our)\s+)?(?:\w+\s+){0,2}?(?:limit|cap|ceiling|quota)\b"),
    # ---- facts: NPS --------------------------------------------------------
    rule("fact", "nps", "nps",
         r"\bNPS\b[*_]*(?:\s+(?:score|rating|response|result|survey|number))?[*_]*"
         r"(?:\s*(?:[:=]|-|—|of|is|was|came (?:back|in)(?: at| as)?|at)[*_\s]*)?"
         r"(?:(?:an?|a solid|a perfect|solid)\s+)?\s*"
         r"(?P<nps>\d{1,2})(?!\d)(?:\s*/\s*10|\s+out of\s+10)?(?!\s*%|[.,]\d|\s*/\s*(?!10)\d)",
         hook="nps"),
    rule("fact", "nps", "gave|give|rated|rates|scored|scores",
         r"\b(?:gave|give[sn]?|rated|rates|scored|scores)\s+us\s+(?:(?:an?|a solid|a perfect)"
         r"\s+)?(?P<nps>\d{1,2})(?!\d)(?:\s*/\s*10|\s+out of\s+10)?(?=\s*(?:on|in|during|at"
         r"|last|this|for|when|which|and|but|after|again)\b|\s*[.,;:!?)\]]|\s*$|\s+[—–-]\s)",
         hook="nps"),
    rule("fact", "nps", "nps",
         r"\b(?P<nps>\d{1,2})(?!\d)(?:\s*/\s*10|\s+out of\s+10)?\s+(?:on|in|for)\s+(?:(?:the"
         r"|their|our|an?)\s+)?(?:(?:latest|last|recent|quarterly)\s+)?NPS\b",
         hook="nps"),
    rule("fact", "nps", "survey|nps",
         r"\b(?:put|gave|give|scored|rated|answered|marked|picked)\s+(?:us\s+)?(?:an?\s+)?"
         r"(?P<nps>\d{1,2})(?!\d)\s+(?:on|in)\s+(?:the|their|our)\s+(?:NPS\s+)?survey\b",
         r"\bNPS\s+survey\b[^.;]{0,30}?\bwith\s+(?:an?\s+)?(?P<nps2>\d{1,2})(?!\d)(?!\s*%)",
         hook="nps"),
    # ---- facts: logins per month --------------------------------------------
    rule("fact", "logins_per_month", "month",
         rf"\b(?P<logins>{_LOGN})\s+(?:total\s+)?{_LOGIN}\s+(?:a|per|/|each|every|this|last"
         r"|in the last|over the last|in the past|during the last)\s+month\b",
         rf"\b{_LOGV}(?:\s+(?:to|for)\s+[\w-]+)?,?\s+(?:(?:only|about|roughly|maybe|just"
         r"|around|perhaps)"
         rf"\s+)?(?P<times>{_TIMES})\s+(?:a|per|each|every|this|last|in the last)\s+month\b",
         hook="logins"),
    rule("fact", "logins_per_month", "month",
         rf"\b(?:{_LOGIN}|usage)\s+(?:have\s+|has\s+)?(?:dropped|fallen|fell|declined|gone down"
         r"|went down|are down|is down|down|slipped)\s+to\s+(?:(?:only|just|about|around)\s+)?"
         rf"(?P<times>{_TIMES}|{_LOGN}(?:\s+{_LOGIN})?)\s+(?:a|per|each|every|/)\s+month\b",
         rf"\b{_LOGIN}\s*(?:per|/|a)\s*month\s*(?:[:=]|is|are|was|were|of|at|averag\w+)?\s*"
         r"(?:(?:only|just|about)\s+|~\s*)?(?P<logins>\d+(?:\.\d+)?)\b(?!\s*%)",
         hook="logins"),
    rule("fact", "logins_per_month", "month",
         rf"\b{_LOGIN}\s+(?:are|is|were|was)\s+(?:(?:steady|stable|flat|holding)\s+)?(?:at\s+)?"
         r"(?:(?:around|about|roughly)\s+|~\s*)?(?P<logins>\d+(?:\.\d+)?)\s+(?:a|per)\s+month\b",
         hook="logins"),
    rule("fact", "logins_per_month", "week",
         rf"\b{_LOGV},?\s+(?:(?:only|about|just|roughly)\s+)?(?P<weekly>{_TIMES})\s+"
         r"(?:a|per|each|every)\s+week\b", hook="logins"),
    # ---- facts: renewal date --------------------------------------------------
    rule("fact", "renewal_date",
         "renew|renwal|contract|subscription|agreement|term|licen|lisen|liscen|plan",
         r"\b(?:renew(?:al|l|el)?s?|renwal|renewing)\b(?!\s+(?:rates?|price|pricing|paperwork))",
         r"\b(?:contract|subscription|agreement|term|licen[cs]e|plan)\s+(?:\w+\s+)?(?:ends?"
         r"|ending|expires?|expiring|expiry|is up|runs out|runs through|runs until|end date"
         r"|end-date|renews?)\b",
         hook="renewal", hypo=0, neg=False, event=True),
    rule("trigger", "renewal_ahead", "renew",
         r"\brenew(?:al|l)s?\s+(?:(?:is|conversation is|date is)\s+)?(?:coming up|approaching"
         r"|around the corner|ahead|upcoming|soon|looming|due soon)\b",
         rf"\b(?:renew(?:al|l)s?|renews)\s+(?:is\s+)?in\s+(?:(?:about|roughly|around)\s+|~\s*)?"
         rf"{NUMW}\s+(?:days|weeks|months)\b",
         r"\bupcoming\s+renew(?:al|l)\b|\bup\s+for\s+renewal\b|\bahead\s+of\s+(?:the|their|our)"
         r"\s+renewal\b|\brenewal\s+(?:conversation|discussion|talks?|prep|planning)\b",
         hypo=0, event=True),
    # ---- facts: unprompted praise -------------------------------------------
    rule("fact", "positive_feedback",
         "lov|ador|rav|prais|fan|game|without|best|happy|pleased|satisf|impress|thrill"
         "|delight|blown|ecstatic|recommend|referred|work|amazing|fantastic|excellent"
         "|awesome|incredible|brilliant|feedback",
         r"\b(?:love|loves|loved|loving|adore|adores)\s+(?:(?:the|your|our)\s+)?(?:product"
         r"|platform|tool|app|it|using|working with|the new|dashboards?|reports?)\b",
         r"\b(?:love|loves|loved|loving|adore|adores)\s+(?:the|your|our|their)\s+(?:new\s+)?"
         r"(?:[\w-]+\s+){0,2}?(?:boards?|dashboards?|reports?|reporting|tool|app|platform"
         r"|product|module|features?|workflows?|automations?|integration|interface|portal"
         r"|scheduler|views?|alerts|templates|editor|planner)\b",
         r"\brav(?:e|es|ed|ing)\s+about\b|\bsinging\s+(?:your|our)\s+praises\b|\bpraised\b",
         r"\b(?:big|huge|biggest|number one|#1)\s+fans?\b|\bgame[- ]?changer\b",
         r"\b(?:can'?t|cannot|couldn'?t)\s+(?:live|do|work|imagine working)\s+without\b",
         r"\bbest\s+(?:tool|product|platform|software|vendor|investment|purchase|decision|app"
         r"|solution|partner|thing)\b",
         r"\b(?:very|really|super|so|extremely|incredibly|genuinely)\s+(?:happy|pleased|satisfied"
         r"|impressed|thrilled|delighted)\s+(?:with|by)\b",
         r"\b(?:thrilled|delighted|impressed|blown away|ecstatic)\s+(?:with|by)\b",
         r"\bwould\s+(?:definitely\s+|happily\s+)?recommend\b|\b(?:recommended|referred)\s+us\b",
         r"\bworks?\s+(?:great|beautifully|perfectly|like a charm)\b",
         r"\b(?:amazing|fantastic|excellent|awesome|incredible|brilliant)\s+(?:product|tool"
         r"|platform|support|experience|service)\b",
         r"\bhappy with (?:the|your) (?:product|platform|tool|results|service|support)\b"
         r"|\b(?:great|glowing|very positive|really positive|excellent|amazing)\s+feedback\b"),
    rule("fact", "positive_feedback", "lov|ador",
         r"\b(?:love|loves|loved|loving|adore|adores)\s+(?:(?:the|your|our)\s+)?(?-i:[A-Z])\w+"),
)
