"""Phrase tables of the call-notes extractor (`tools.notes`), compiled once at import.

Each `Rule` names one finding (category, name), a regex of the phrasings a CSM
writes for it, lower-case word prefixes (`keys`) one of which must start a word
of the clause before the regex runs, and how the engine treats it: drop when
negated, drop when conditional / aspirational (`hypo`), dated as a planned
event (`event`), a value hook, companion findings (`also`).

The module also holds the date grammar (explicit, relative and planned dates),
the value hooks that turn a match into `NoteFinding.values`, the resolution
and injection patterns, and the feature / initiative phrase cleaning.
Nothing here decides scores: the rules in `tools.scoring` / `tools.gates` do.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from dateutil.relativedelta import relativedelta

_I = re.IGNORECASE
Extra = list[tuple[str, str, dict[str, Any]]]
HookResult = tuple[dict[str, Any], Extra] | None

# --- shared fragments -------------------------------------------------------

MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}
MON_CS = (
    r"(?:[Jj]an(?:uary)?|[Ff]eb(?:ruary)?|[Mm]ar(?:ch)?|[Aa]pr(?:il)?|May|[Jj]une?|[Jj]uly?"
    r"|[Aa]ug(?:ust)?|[Ss]ep(?:t(?:ember)?)?|[Oo]ct(?:ober)?|[Nn]ov(?:ember)?|[Dd]ec(?:ember)?"
    r"|JAN|FEB|MAR|APR|MAY|JUNE?|JULY?|AUG|SEPT?|OCT|NOV|DEC)"
)
NUMW = (
    r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty"
    r"|thirty|a couple(?: of)?|a few|several|a dozen|a handful of)"
)
WORD_NUMBERS: dict[str, float] = {
    "zero": 0, "no": 0, "none": 0, "one": 1, "once": 1, "a": 1, "an": 1, "single": 1,
    "two": 2, "twice": 2, "a couple": 2, "a couple of": 2, "couple": 2, "three": 3,
    "thrice": 3, "a few": 3, "few": 3, "several": 3, "a handful of": 4, "four": 4,
    "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11,
    "twelve": 12, "a dozen": 12, "fifteen": 15, "twenty": 20, "thirty": 30,
}
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
DEPT = (
    r"(?:marketing|sales|customer support|support|customer success|success|finance|accounting"
    r"|HR|people ops|legal|ops|operations|engineering|product|design|procurement|recruiting"
    r"|data|analytics|security|compliance|RevOps|rev ops|partnerships|treasury|risk|logistics"
    r"|dispatch|warehouse|the \w+ team|another team|a second team|a third team"
    r"|two more teams)"
)
_EXEC = r"(?:CEO|CTO|CFO|CIO|COO|CRO|CMO|CISO|CPO|CDO|President|VP|SVP|EVP|GM)"
_PROB = (
    r"(?:bugs?|issues?|incidents?|outages?|tickets?|problems?|defects?|errors?|escalations?"
    r"|failures?)"
)


@dataclass(frozen=True)
class Rule:
    """One phrase table entry: the regex and how the engine treats its matches.

    `keys` are lower-case word prefixes, one of which must start a word of the
    clause for the regex to run. A rule without `(?-i:...)` parts is compiled
    lower-cased without IGNORECASE and runs on the lower-cased clause (`cased`
    False); otherwise it runs case-insensitively on the original text.
    """

    category: str
    name: str
    rx: re.Pattern[str]
    keys: tuple[str, ...]
    cased: bool = False
    neg: bool = True
    hypo: int = 1
    event: bool = False
    hook: str | None = None
    also: tuple[tuple[str, str], ...] = ()
    values: tuple[tuple[str, Any], ...] = ()


def lower_pattern(pattern: str) -> str:
    """Lower-case a regex source, leaving escapes and group names alone."""
    out: list[str] = []
    i = 0
    while i < len(pattern):
        if pattern[i] == "\\":
            out.append(pattern[i : i + 2])
            i += 2
        elif pattern.startswith("(?P<", i):
            j = pattern.index(">", i) + 1
            out.append(pattern[i:j])
            i = j
        else:
            out.append(pattern[i].lower())
            i += 1
    return "".join(out)


def words(text: str) -> frozenset[str]:
    """Split `text` on whitespace into a set of words."""
    return frozenset(text.split())


def _rule(category: str, name: str, keys: str, *patterns: str, **opts: Any) -> Rule:
    """Build a rule; `keys` is a `|`-separated list of lower-case word prefixes."""
    source = "|".join(f"(?:{p})" for p in patterns)
    cased = "(?-i:" in source
    rx = re.compile(source, _I) if cased else re.compile(lower_pattern(source))
    return Rule(category, name, rx, tuple(k for k in keys.split("|") if k), cased, **opts)


_OUTCOME_ALSO = (("trigger", "success_moment"),)
_TEAM_ALSO = (("trigger", "team_growth"),)
_INIT_ALSO = (("trigger", "new_initiative"),)

# hypo levels: 0 = keep, 1 = drop after a conditional, 2 = drop after a conditional or an aim
RULES: tuple[Rule, ...] = (
    # ---- facts: usage ratio ------------------------------------------------
    _rule("fact", "usage_ratio", "0|1|2|3|4|5|6|7|8|9",
          rf"(?P<used>{_NUMV})\s*(?:{_SEAT}\s+|{_VOL}\s+)?{_USED}(?:of|out of|/)\s*"
          rf"(?:(?:their|the|its|our|all|a total of)\s+)?(?P<cap>{_NUMV})\s*{_CAPQ}"
          rf"(?P<unit>{_SEAT}|{_VOL})\b", hook="usage"),
    _rule("fact", "usage_ratio", "0|1|2|3|4|5|6|7|8|9",
          rf"(?P<used>{_NUMV})\s*(?P<unit>{_SEAT}|{_VOL})\s+{_USED}(?:of|out of)\s+"
          rf"(?:(?:their|the|its|a total of)\s+)?(?P<cap>{_NUMV})"
          r"(?:\s+(?:purchased|paid|available|licensed|total|bought|contracted|allowed))?"
          r"(?!\s*[%\w])", hook="usage"),
    _rule("fact", "usage_ratio",
          "seat|licen|lisen|liscen|user|record|contact|api|credit|volume|usage",
          r"\b(?P<unit>seats?|li[sc]{1,2}en[cs]es?|users?|records|contacts|api calls|credits"
          r"|volume|usage)\s*(?:used|usage|utili[sz]ation|in use)?\s*[:=]\s*"
          rf"(?P<used>{_NUMV})\s*(?:/|of|out of)\s*(?P<cap>{_NUMV})\b", hook="usage"),
    _rule("fact", "usage_ratio", "%|percent",
          r"(?P<pct>\d{1,3}(?:\.\d+)?)\s*(?:%|percent)\s+(?:of\s+)?(?:(?:their|the|its|our|total"
          rf"|plan|purchased|contracted|paid|seat|{_LIC}|license|API|usage|monthly|annual|volume"
          r"|storage|record|contact|call|data|account|user)\s+){0,3}(?P<unit>capacity|limits?|cap"
          rf"|allowance|allotment|seats|{_LIC}|utili[sz]ation|entitlement|ceiling|threshold"
          r"|(?:API|usage|storage|call|data|monthly|record|volume)\s+quota)\b", hook="usage"),
    _rule("fact", "usage_ratio", "%|percent",
          rf"\b(?P<unit>seat|{_LIC}|capacity|usage|utili[sz]ation|volume|API|quota)\s+"
          r"(?:utili[sz]ation\s+|usage\s+|use\s+)?(?:(?:is|was|at|now|currently|sits|sitting|hit"
          r"|reached|running|=|:)\s*)+(?:(?:about|around|nearly|almost|roughly|over)\s+|~\s*)?"
          r"(?P<pct>\d{1,3}(?:\.\d+)?)\s*(?:%|percent)", hook="usage"),
    _rule("fact", "usage_ratio", "max",
          r"\bmax(?:ed|xed)?[- ]?out\s+(?:on\s+)?(?:all\s+(?:of\s+)?)?(?:(?:their|the|its|our"
          rf"|all|his|her)\s+)?(?:\w+\s+)?(?P<unit>seats|{_LIC}|users|capacity|limits?|plan"
          r"|API calls|credits|volume|storage|quota)\b",
          rf"\b(?P<unit2>seats|{_LIC}|plan|limits?|capacity|credits|quota)\s+(?:are|is|were|was"
          r"|got|have been|has been)\s+(?:fully\s+|all\s+|completely\s+)?maxed(?:\s+out)?\b",
          hook="usage", values=(("ratio", 1.0),)),
    _rule("fact", "usage_ratio", "ran|run",
          rf"\b(?:ran|run|running|runs)\s+out\s+of\s+(?:\w+\s+)?(?P<unit>seats|{_LIC}|credits"
          r"|capacity|API calls|storage|quota|volume|records|contacts)\b",
          hook="usage", values=(("ratio", 1.0),)),
    _rule("fact", "usage_ratio", "left|available|remaining|free",
          rf"\bno\s+(?:(?:more|free|spare|open)\s+)?(?P<unit>seats|{_LIC})\s+(?:left|available"
          r"|remaining|free)\b", neg=False, hook="usage", values=(("ratio", 1.0),)),
    _rule("fact", "usage_ratio", "every|all",
          rf"\b(?:every|all)\s+(?:\w+\s+)?(?P<unit>seats?|{_LIC})\s+(?:(?:are|is|were|have been)"
          r"\s+)?(?:now\s+)?(?:taken|used|in use|filled|assigned|occupied)\b",
          hook="usage", values=(("ratio", 1.0),)),
    _rule("fact", "usage_ratio", "limit|cap|ceiling|quota",
          r"\bhit\s+(?:their|the|its|our)\s+(?:\w+\s+)?(?P<unit>seat|license|licence|API|usage"
          r"|plan|volume|storage|record|contact|user)?\s*(?:limit|cap|ceiling|quota)\b",
          hook="usage", values=(("ratio", 1.0),)),
    _rule("trigger", "usage_ceiling", "limit|cap|ceiling|quota",
          r"\b(?:close to|near|nearing|approaching|bumping (?:up )?against|up against|pushing)"
          r"\s+(?:(?:their|the|its|our)\s+)?(?:\w+\s+){0,2}?(?:limit|cap|ceiling|quota)\b"),
    # ---- facts: NPS --------------------------------------------------------
    _rule("fact", "nps", "nps",
          r"\bNPS\b[*_]*(?:\s+(?:score|rating|response|result|survey|number))?[*_]*"
          r"(?:\s*(?:[:=]|-|—|of|is|was|came (?:back|in)(?: at| as)?|at)[*_\s]*)?"
          r"(?:(?:an?|a solid|a perfect|solid)\s+)?\s*"
          r"(?P<nps>\d{1,2})(?!\d)(?:\s*/\s*10|\s+out of\s+10)?(?!\s*%|[.,]\d|\s*/\s*(?!10)\d)",
          hook="nps"),
    _rule("fact", "nps", "gave|give|rated|rates|scored|scores",
          r"\b(?:gave|give[sn]?|rated|rates|scored|scores)\s+us\s+(?:(?:an?|a solid|a perfect)"
          r"\s+)?(?P<nps>\d{1,2})(?!\d)(?:\s*/\s*10|\s+out of\s+10)?(?=\s*(?:on|in|during|at"
          r"|last|this|for|when|which|and|but|after|again)\b|\s*[.,;:!?)\]]|\s*$|\s+[—–-]\s)",
          hook="nps"),
    _rule("fact", "nps", "nps",
          r"\b(?P<nps>\d{1,2})(?!\d)(?:\s*/\s*10|\s+out of\s+10)?\s+(?:on|in|for)\s+(?:(?:the"
          r"|their|our|an?)\s+)?(?:(?:latest|last|recent|quarterly)\s+)?NPS\b",
          hook="nps"),
    _rule("fact", "nps", "survey|nps",
          r"\b(?:put|gave|give|scored|rated|answered|marked|picked)\s+(?:us\s+)?(?:an?\s+)?"
          r"(?P<nps>\d{1,2})(?!\d)\s+(?:on|in)\s+(?:the|their|our)\s+(?:NPS\s+)?survey\b",
          r"\bNPS\s+survey\b[^.;]{0,30}?\bwith\s+(?:an?\s+)?(?P<nps2>\d{1,2})(?!\d)(?!\s*%)",
          hook="nps"),
    # ---- facts: logins per month --------------------------------------------
    _rule("fact", "logins_per_month", "month",
          rf"\b(?P<logins>{_LOGN})\s+(?:total\s+)?{_LOGIN}\s+(?:a|per|/|each|every|this|last"
          r"|in the last|over the last|in the past|during the last)\s+month\b",
          rf"\b{_LOGV}(?:\s+(?:to|for)\s+[\w-]+)?,?\s+(?:(?:only|about|roughly|maybe|just"
          r"|around|perhaps)"
          rf"\s+)?(?P<times>{_TIMES})\s+(?:a|per|each|every|this|last|in the last)\s+month\b",
          hook="logins"),
    _rule("fact", "logins_per_month", "month",
          rf"\b(?:{_LOGIN}|usage)\s+(?:have\s+|has\s+)?(?:dropped|fallen|fell|declined|gone down"
          r"|went down|are down|is down|down|slipped)\s+to\s+(?:(?:only|just|about|around)\s+)?"
          rf"(?P<times>{_TIMES}|{_LOGN}(?:\s+{_LOGIN})?)\s+(?:a|per|each|every|/)\s+month\b",
          rf"\b{_LOGIN}\s*(?:per|/|a)\s*month\s*(?:[:=]|is|are|was|were|of|at|averag\w+)?\s*"
          r"(?:(?:only|just|about)\s+|~\s*)?(?P<logins>\d+(?:\.\d+)?)\b(?!\s*%)",
          hook="logins"),
    _rule("fact", "logins_per_month", "month",
          rf"\b{_LOGIN}\s+(?:are|is|were|was)\s+(?:(?:steady|stable|flat|holding)\s+)?(?:at\s+)?"
          r"(?:(?:around|about|roughly)\s+|~\s*)?(?P<logins>\d+(?:\.\d+)?)\s+(?:a|per)\s+month\b",
          hook="logins"),
    _rule("fact", "logins_per_month", "week",
          rf"\b{_LOGV},?\s+(?:(?:only|about|just|roughly)\s+)?(?P<weekly>{_TIMES})\s+"
          r"(?:a|per|each|every)\s+week\b", hook="logins"),
    # ---- facts: renewal date --------------------------------------------------
    _rule("fact", "renewal_date",
          "renew|renwal|contract|subscription|agreement|term|licen|lisen|liscen|plan",
          r"\b(?:renew(?:al|l|el)?s?|renwal|renewing)\b(?!\s+(?:rates?|price|pricing|paperwork))",
          r"\b(?:contract|subscription|agreement|term|licen[cs]e|plan)\s+(?:\w+\s+)?(?:ends?"
          r"|ending|expires?|expiring|expiry|is up|runs out|runs through|runs until|end date"
          r"|end-date|renews?)\b",
          hook="renewal", hypo=0, event=True),
    _rule("trigger", "renewal_ahead", "renew",
          r"\brenew(?:al|l)s?\s+(?:(?:is|conversation is|date is)\s+)?(?:coming up|approaching"
          r"|around the corner|ahead|upcoming|soon|looming|due soon)\b",
          rf"\b(?:renew(?:al|l)s?|renews)\s+(?:is\s+)?in\s+(?:(?:about|roughly|around)\s+|~\s*)?"
          rf"{NUMW}\s+(?:days|weeks|months)\b",
          r"\bupcoming\s+renew(?:al|l)\b|\bup\s+for\s+renewal\b|\bahead\s+of\s+(?:the|their|our)"
          r"\s+renewal\b|\brenewal\s+(?:conversation|discussion|talks?|prep|planning)\b",
          hypo=0, event=True),
    # ---- facts: unprompted praise -------------------------------------------
    _rule("fact", "positive_feedback",
          "lov|ador|rav|prais|fan|game|without|best|happy|pleased|satisf|impress|thrill"
          "|delight|blown|ecstatic|recommend|referred|work|amazing|fantastic|excellent"
          "|awesome|incredible|brilliant|feedback",
          r"\b(?:love|loves|loved|loving|adore|adores)\s+(?:(?:the|your|our)\s+)?(?:product"
          r"|platform|tool|app|it|using|working with|the new|dashboards?|reports?)\b",
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
    _rule("fact", "positive_feedback", "lov|ador",
          r"\b(?:love|loves|loved|loving|adore|adores)\s+(?:(?:the|your|our)\s+)?(?-i:[A-Z])\w+"),
    # ---- signals --------------------------------------------------------------
    _rule("signal", "positive_outcome_90d", "cut|reduc|lower|slash|decreas|shorten|drop|halv",
          r"\b(?:cut|cuts|reduced|reduces|reducing|cutting|lowered|slashed|decreased|shortened"
          r"|dropped|halved)\s+(?:(?:their|the|its|our)\s+)?[\w\s,'’-]{0,40}?\s*(?:by\s+)?"
          r"(?:(?:about|around|roughly|nearly|over|more than|almost)\s+|~\s*)?(?:\d+(?:\.\d+)?\s*"
          r"(?:%|percent|x\b|hours?|days?|minutes?|weeks?)|half|a third|in half)",
          hypo=2, hook="outcome_down", also=_OUTCOME_ALSO),
    _rule("signal", "positive_outcome_90d", "sav",
          r"\b(?:saved|saving|saves)\s+(?:(?:them|us|the team|their team)\s+)?(?:(?:about|over"
          r"|nearly|roughly|more than|almost)\s+|~\s*)?(?:[$€£¥]\s*\d[\d,.]*\s*(?:[kmb]\b|million"
          r"|thousand)?|\d[\d,.]*\s*(?:[km]\b|million|thousand)?\s*(?:hours?|hrs|days?|weeks?|FTEs?"
          r"|dollars|euros|USD|EUR|GBP|headcount)|\d[\d,.]*\s*(?:%|percent))",
          hypo=2, also=_OUTCOME_ALSO),
    _rule("signal", "positive_outcome_90d", "best|biggest|largest|strongest|record|highest",
          r"\b(?:closed|had|posted|hit|delivered|reported|booked|ran)\s+(?:their|its|a|the)\s+"
          r"(?:biggest|best|largest|strongest|record|record-breaking|highest)\s+(?:\w+\s+)?"
          r"(?:quarter|month|year|week|deal|season|launch|day)\b",
          r"\brecord\s+(?:quarter|month|year|week|sales|revenue|bookings)\b",
          hypo=2, also=_OUTCOME_ALSO),
    _rule("signal", "positive_outcome_90d", "goal|target|quota|number|okr|kpi|plan|forecast|mile",
          r"\b(?:hit|hitting|met|exceeded|exceeding|beat|beating|surpassed|smashed|crushed"
          r"|reached|achieved|blew past|blew through)\s+(?:(?:their|its|the|our|all|every|his"
          r"|her)\s+)?(?:[\w-]+\s+){0,2}?(?:goals?|targets?|quotas?|numbers?|OKRs?|KPIs?|plan"
          r"|forecast|milestones?)\b",
          hypo=2, also=_OUTCOME_ALSO),
    _rule("signal", "positive_outcome_90d", "roi|return|paid|pays|automated",
          r"\b(?:\d+(?:\.\d+)?\s*(?:%|x)|great|strong|solid|positive|clear|huge|big|massive"
          r"|measurable|real|good|fantastic|excellent|proven|documented)\s+ROI\b",
          r"\bROI\s+(?:of|is|was|at)\s+(?:(?:about|over)\s+)?\d",
          r"\b(?:seeing|seen|saw|showed|shows|showing|delivered|delivering|got|getting|achieved"
          r"|proved|proven)\s+(?:(?:a|real|clear|strong)\s+)?(?:ROI|return)\b",
          r"\b(?:paid|pays)\s+for\s+itself\b|\b(?:is|are)\s+now\s+(?:fully\s+)?automated\b",
          hypo=2, also=_OUTCOME_ALSO),
    _rule("signal", "positive_outcome_90d", "live|took",
          r"\bwent live\s+(?:and|&)\s+[^.;!?]{3,}",
          r"\btook\s+(?:(?:only|just)\s+)?\d+(?:\.\d+)?\s+(?:(?:working|business)\s+)?(?:days?"
          r"|hours?|minutes?|weeks?)\b[^.;]{0,20}?\b(?:down from|instead of|vs\.?|versus"
          r"|compared to)\s+(?:the\s+)?(?:original\s+|usual\s+)?\d+",
          hypo=2, also=_OUTCOME_ALSO),
    _rule("signal", "positive_outcome_90d",
          "increas|grew|boost|improv|raised|doubled|tripled|quadrupled|lift",
          r"\b(?:increased|grew|boosted|improved|raised|doubled|tripled|lifted)\s+(?:(?:their|the"
          r"|its)\s+)?[\w\s-]{0,30}?\s*(?:by\s+)?(?:(?:about|around|over|nearly)\s+)?\d+"
          r"(?:\.\d+)?\s*(?:%|percent|x\b|points?)",
          r"\b(?:doubled|tripled|quadrupled)\s+(?:their|its|the)\s+(?:pipeline|conversion"
          r"|output|throughput|productivity|bookings|win rate|deals|leads)\b",
          hypo=2, hook="outcome_up", also=_OUTCOME_ALSO),
    _rule("signal", "positive_outcome_90d", "win|won|landed|signed|success",
          r"\b(?:big|huge|major|great)\s+win\b|\bsuccess story\b",
          r"\b(?:won|landed|signed)\s+(?:a|an|their|the)\s+(?:big|huge|major|large|key|new|\$?\d"
          r"[\w,.$]*)\s*(?:\w+\s+)?(?:deal|contract|client|customer|account|award)\b",
          hypo=2, also=_OUTCOME_ALSO),
    _rule("trigger", "success_moment",
          "milestone|celebrat|crossed|passed|surpassed|reached|award|won",
          r"\b(?:hit|reached|crossed|passed|celebrat\w*|achieved)\s+(?:(?:a|an|the|their|its)\s+)?"
          r"(?:[\w-]+\s+){0,3}?milestone\b|\bcelebrat(?:ed|ing)\b|\bwon\s+(?:an?|the)\s+"
          r"(?:\w+\s+)?award\b",
          r"\b(?:crossed|passed|surpassed|reached)\s+(?:the\s+)?\d[\d,.]*\s*(?:[km]\b|million"
          r"|thousand)?\s*(?:\w+\s+)?(?:users|customers|orders|transactions|deals|members"
          r"|downloads|signups|shipments|patients|students)\b",
          hypo=2),
    _rule("signal", "team_grew", "hire|hiring|onboard|brought",
          rf"\b(?:hired|hiring|onboarded|onboarding|brought on)\s+(?:(?:about|around|over"
          rf"|another|roughly)\s+|~\s*)?(?P<n>{NUMW})\s+(?:(?:new|more|additional|extra)\s+)?"
          r"(?:[\w-]+\s+){0,2}?(?:[\w-]+s|staff|people|folks|personnel)\b",
          hypo=2, hook="team", also=_TEAM_ALSO),
    _rule("signal", "team_grew", "added",
          rf"\badded\s+(?:(?:about|around|over|another|roughly)\s+|~\s*)?(?P<n>{NUMW})\s+"
          r"(?:(?:new|more|additional|extra)\s+)?(?:[\w-]+\s+)?(?:users|people|reps|folks"
          r"|analysts|agents|engineers|team members|members|hires|colleagues)\b",
          hypo=2, hook="team", also=_TEAM_ALSO),
    _rule("signal", "team_grew", "team",
          r"\bteam\s+(?:(?:has|have|had)\s+)?(?:grew|grown|growing|expanded|expanding|doubled"
          r"|tripled)\b(?:\s+(?:from\s+(?P<from>\d+)\s+to\s+(?P<to>\d+)))?",
          r"\bteam\s+(?:(?:has|have)\s+)?(?:went|gone|jumped|increased|grew)\s+from\s+"
          r"(?P<from2>\d+)\s+to\s+(?P<to2>\d+)",
          hypo=2, hook="team", also=_TEAM_ALSO),
    _rule("signal", "team_grew",
          "office|location|site|branch|hub|hq|headquarters|depot|warehouse|store|plant"
          "|clinic",
          r"\b(?:new|opened|opening|open|opens)\s+(?:(?:a|an|their|the)\s+)?(?:(?:new|second"
          r"|third)\s+)?(?:office|location|site|branch|hub|HQ|headquarters|depot|warehouse"
          r"|store|plant|clinic)\b(?:\s+in\s+(?P<office>(?-i:[A-Z])[\w'’-]+(?:\s+(?-i:[A-Z])"
          r"[\w'’-]+)?))?",
          hypo=2, also=_TEAM_ALSO),
    _rule("signal", "team_grew",
          "now|also|too|started|starting|began|adopt|onboard|came|signed|picked",
          rf"\b(?P<dept>{DEPT})(?:\s+(?:team|teams|department|dept|org|group))?\s+"
          r"(?:(?:now|also|has|have|is|are|just|recently|too)\s+)*(?:uses?|using|started using"
          r"|starting to use|began using|adopted|onboarded|came on board|signed on|is on"
          r"|are on|got access|picked (?:it|us) up)\b",
          r"\b(?:is|are)\s+now\s+the\s+(?:second|third|fourth|fifth|\d+(?:st|nd|rd|th))\s+"
          r"(?:department|team|business unit)\b",
          hypo=2, hook="team", also=_TEAM_ALSO),
    _rule("signal", "team_grew", "it",
          r"\b(?P<dept>(?-i:IT))(?:\s+(?:team|department|dept|org|group))?\s+(?:(?:now|also|has"
          r"|have|is|are|just|recently|too)\s+)+(?:uses?|using|started using|starting to use"
          r"|began using|adopted|onboarded|signed on|got access)\b",
          hypo=2, hook="team", also=_TEAM_ALSO),
    _rule("signal", "team_grew",
          "added|team|department|division|unit|group|rolled|expanded|extended|opened",
          r"\badded\s+(?:(?:a|another|their)\s+)?(?:second|third|fourth|new|another|\d+"
          r"(?:\s+more)?|two|three|four)\s+(?:\w+\s+)?(?:teams?|departments?|business units?"
          r"|BUs?|groups?|regions?)\b",
          r"\b(?:second|another|new|third)\s+team\s+(?:(?:is|has)\s+)?(?:now\s+)?(?:using"
          r"|onboard|onboarded|live|started|joined)\b",
          r"\b(?:opened|created|formed|launched|set up|stood up|spun up)\s+(?:a|an)\s+(?:new\s+)?"
          r"[\w-]+(?:\s+[\w-]+)?\s+(?:department|team|division|unit|group)\b",
          rf"\b(?:rolled|expanded|extended|opened)\s+(?:[\w-]+\s+){{0,3}}?(?:out\s+)?to\s+"
          rf"(?:(?:the|their|its)\s+)?(?:{DEPT}|\w+\s+team|\d+ more (?:teams|departments"
          r"|people|users))\b",
          hypo=2, also=_TEAM_ALSO),
    _rule("signal", "team_grew", "more|additional|extra|hires|members|added|onboarded",
          r"\b(?:more|additional|extra)\s+(?:people|ppl|users|reps|folks|team members|analysts)"
          r"\s+(?:(?:are|now)\s+)*(?:using|on|want access|need access|asking for access"
          r"|requesting access)\b",
          rf"\b{NUMW}\s+new\s+(?:users|people|reps|analysts|members)\s+(?:were|have been|got)\s+"
          r"(?:added|onboarded)\b",
          r"\bnew hires\b|\bnew team members\b",
          hypo=2, also=_TEAM_ALSO),
    _rule("signal", "asked_missing_features",
          "ask|inquir|enquir|curious|want|would|like|love|need|request|way|possible|can"
          "|could|do|does|interested|wish|any",
          r"\b(?:asked|asking|asks|inquired|enquired|inquiring|curious)\s+(?:(?:us|me|again)\s+)?"
          r"(?:about|for|regarding|re:?|whether|if)\s+(?P<feat>[^.;!?]{2,160})",
          r"\b(?:want|wants|wanted|would like|'d like|would love|'d love|need|needs|needed)\s+"
          r"(?:to (?:add|get|buy|enable|turn on|have|try|use)\s+)?(?:access to\s+)?(?!to\b)"
          r"(?P<feat2>[^.;!?]{2,120})",
          r"\brequest(?:ed|ing|s)?\s+(?:for\s+)?(?P<feat3>[^.;!?]{2,120})",
          r"\b(?:is there a way|any way|is it possible|can we|can they|could we|could they|do you"
          r"|does it|do we)\s+(?:to\s+)?(?:get|have|add|do|export|set up|support|offer"
          r"|integrate with|connect to|enable|turn on)\s+(?P<feat4>[^.;!?]{2,120})",
          r"\binterested in\s+(?P<feat5>[^.;!?]{2,120})",
          r"\bwish(?:es|ed)?\s+(?:it|we|they|the product|you)\s+(?:had|has|supported|could do)\s+"
          r"(?P<feat6>[^.;!?]{2,120})",
          neg=True, hypo=0, hook="features"),
    _rule("signal", "new_initiative",
          "launch|start|kick|spin|stand|build|embark|invest|scop|design|plan|pilot"
          "|initiative|project|program",
          r"\b(?:launching|starting|kicking off|kicked off|spinning up|standing up|building"
          r"|embarking on|investing in|scoping|designing|planning|piloting)\s+(?:(?:a|an|the"
          r"|their|its)\s+)?(?P<init>(?:(?:new|big|major|large|huge|company-wide|global|\d{4})\s+)?"
          r"(?:[\w'’/&-]+\s+){0,7}(?:project|initiative|program|programme|expansion|migration"
          r"|rollout|roll-out|transformation|overhaul|moderni[sz]ation|consolidation"
          r"|implementation|effort|push|pilot|portal|platform|practice|strategy|campaign"
          r"|redesign|rebuild|warehouse|lake|pipeline|marketplace|hub|centre|center|app"
          r"|service|product line))\b",
          r"\b(?P<init2>new\s+(?:(?:strategic|company-wide|big|major)\s+)?(?:initiative|project"
          r"|program|programme)(?:\s+(?:to|for|around|on|called)\s+[^.;!?,]{2,60})?)",
          hypo=0, event=True, hook="initiative", also=_INIT_ALSO),
    _rule("signal", "new_initiative", "expan",
          r"\bexpan(?:ding|d|sion)\s+(?:in)?to\s+(?P<init5>(?:new\s+)?(?:markets?|regions?|EMEA"
          r"|APAC|LATAM|Europe|Asia|North America|the US|the UK|(?-i:[A-Z])[\w-]+)[^.;!?,]{0,30})",
          hypo=0, event=True, hook="initiative", also=_INIT_ALSO),
    _rule("signal", "new_initiative", "roll|plan|going|want|hoping|aim",
          r"\b(?:rolling|will roll|plan to roll|planning to roll|going to roll)\s+"
          r"(?:(?:it|this|us|the product)\s+)?out\s+to\s+(?P<init4>[^.;!?,]{2,60})",
          r"\b(?:plan|plans|planning|going|want|wants|hoping|aim|aims)\s+to\s+(?P<init3>(?:launch"
          r"|start"
          r"|build|roll out|migrate|expand|open|automate|consolidate|centrali[sz]e|standardi[sz]e"
          r"|unify|digiti[sz]e|replace|moderni[sz]e|implement|introduce|create|set up)\s+"
          r"[^.;!?]{2,80})",
          hypo=0, event=True, hook="initiative", also=_INIT_ALSO),
    _rule("signal", "shared_single_seat",
          "shar|pass|single|same|one|1",
          rf"\b{NUMW}\s+(?:people|users|folks|reps|agents|team members|of them|analysts"
          r"|colleagues|staff|leads)\s+(?:(?:on|in|from)\s+(?:the|their)\s+[\w-]+(?:\s+[\w-]+)?"
          r"\s+)?(?:(?:are|all|have|started)\s+)*(?:share|sharing|shared|use|using|on)\s+(?:one"
          r"|a|a single|the same|1|just one|only one)\s+(?:login|log-in|seat|licen[cs]e|account"
          r"|user|credential|password)s?\b",
          r"\bshar(?:e|es|ed|ing)\s+(?:(?:a|one|a single|the same|1|their|his|her|an|our)\s+)?"
          r"(?:(?:admin|user|paid|single)\s+)?(?:logins?|log-ins?|seats?|licen[cs]es?|accounts?"
          r"|credentials|passwords?)\b",
          r"\bshared\s+(?:logins?|seats?|credentials|accounts?|licen[cs]es?|passwords?)\b",
          r"\bpass(?:ing|es|ed)?\s+(?:the|a|one|their)\s+(?:login|seat|licen[cs]e|account"
          r"|credentials|password)s?\s+around\b",
          r"\b(?:one|a single|1)\s+(?:login|seat|licen[cs]e|account)\s+(?:for|between|across"
          r"|shared by)\s+(?:the whole team|\d+|two|three|four|five|several|multiple|the team"
          r"|everyone)\b|\busing the same login\b",
          hypo=1),
    _rule("signal", "company_grew",
          "raised|series|funding|round|seed|headcount|workforce|employ|staff|revenue"
          "|arr|sales|company|public|ipo|hypergrowth|growing|growth|people|fte",
          r"\braised\s+(?:(?:a|an|their|its)\s+)?(?:[$€£]\s*)?\d[\d.,]*\s*(?:[mbk]\b|million"
          r"|billion)?|\braised\s+(?:(?:a|an|their|its)\s+)?(?:Series\s+[A-H]|seed|funding"
          r"|round|growth round)\b",
          r"\b(?:closed|announced|completed)\s+(?:(?:a|an|their|its)\s+)?(?:[$€£]?\d[\d.,]*\s*"
          r"[mb]\s+)?(?:Series\s+[A-H]|funding round|growth round|seed round)\b"
          r"|\bSeries\s+[A-H]\s+(?:round|funding|raise)\b",
          r"\b(?:doubled|tripled|quadrupled|grew|increased|expanded)\s+(?:(?:their|its|the"
          r"|company)\s+)?(?:headcount|workforce|employee count|employees|staff|revenue|ARR)\b",
          r"\b(?:headcount|workforce|employee count|revenue|ARR|sales|company)\s+(?:(?:is|was|are"
          r"|were|has|have)\s+)?(?:up|grew|grown|growing|increased|doubled|tripled|jumped|rose)\b"
          r"(?:\s+(?:by\s+)?(?P<pct>\d+(?:\.\d+)?)\s*%)?",
          r"\b(?:went|going)\s+public\b|\bIPO(?:'d|ed)?\b|\bhypergrowth\b|\bgrowing\s+(?:fast"
          r"|rapidly|like crazy|quickly)\b|\b(?:record|explosive|rapid)\s+growth\b",
          r"\b(?:grew|growing|expanded)\s+to\s+\d[\d,]*\s*\+?\s*(?:employees|people|staff|FTEs)\b"
          r"|\b(?:passed|crossed|hit|reached|topped|surpassed)\s+\d[\d,]*\s*\+?\s*(?:employees"
          r"|staff|people|FTEs)\b|\badding\s+(?:(?:roughly|about|around|over)\s+|~\s*)?\d[\d,]*\s+"
          r"(?:staff|employees|people|FTEs)\b",
          hypo=2, hook="company"),
    _rule("signal", "company_grew", "acqui",
          r"\bacquired\s+(?!by\b)(?:a|an|two|three|their|its|another)\s+(?:\w+\s+){0,2}?"
          r"(?:competitor|company|companies|startup|rival|business|firm|agency|vendor)\b"
          r"|\bacquired\s+(?!by\b)(?-i:[A-Z])[\w&'’.-]+",
          r"\b(?:completed|closed|announced|finali[sz]ed)\s+(?:the|an|their|its)\s+acquisition\s+"
          r"of\b",
          hypo=2, also=(("trigger", "org_change"),)),
    # ---- triggers ---------------------------------------------------------------
    _rule("trigger", "onboarding_complete",
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
    _rule("trigger", "champion_event", "promot",
          r"\b(?:was|were|got|has been|have been|had been|been|just|recently|is being|getting)\s+"
          r"(?:(?:just|recently)\s+)?promot+ed\b|\bpromot+(?:ed|ion)\s+to\b",
          hypo=1, values=(("kind", "promotion"),)),
    _rule("trigger", "champion_event",
          "role|position|title|job|moved|moving|stepped|stepping|transition|took|now",
          r"\b(?:a|her|his|their|the)\s+new\s+(?:role|position|title|job)\b|\b(?:moved|moving"
          r"|stepped|stepping|transitioned|transitioning)\s+(?:into|up)\b|\btook over as\b",
          rf"\b(?:is|was)\s+now\s+(?:(?:the|our|their)\s+)?(?:{_EXEC}|Head|Director|Chief"
          r"|Manager|Lead)\b",
          hypo=1, values=(("kind", "new_role"),)),
    _rule("trigger", "champion_event", "leaving|departing|moving|left|champion|resigned|handed",
          r"\b(?:is|was)\s+(?:leaving|departing|moving on)\b|\bleft\s+(?:the\s+company|the\s+"
          r"business|for\s+(?:a|an|another)\b)|\b(?:our|the|their)\s+champion\s+(?:left"
          r"|is leaving|has left|quit"
          r"|resigned)\b|\bresigned\b|\bhanded in (?:her|his|their) notice\b",
          hypo=1, values=(("kind", "departure"),)),
    _rule("trigger", "org_change",
          "reorg|org|restructur|acqui|merg|spun|spin|layoff|laid|leadership|management"
          "|executive|exec|ceo|cto|cfo|cio|coo|cro|cmo|ciso|cpo|cdo|president|vp|svp"
          "|evp|gm|head|director|boss",
          r"\bre-?org(?:ani[sz]ation|ani[sz]ing|ani[sz]ed|s)?\b|\breorgani[sz]\w+"
          r"|\brestructur\w+",
          rf"\bnew\s+(?:{_EXEC}|head of [\w ]+?|director of [\w ]+?|leadership|execs?"
          r"|executives?|management|boss)\b",
          r"\b(?:acquired by|being acquired|got acquired|was acquired|merg(?:ed|ing) with|merger"
          r"|spun off|spin-off|layoffs?|laid off)\b",
          r"\bacquisition\b(?<!customer acquisition)(?<!user acquisition)(?<!talent acquisition)"
          r"(?<!lead acquisition)(?<!data acquisition)(?!\s+(?:costs?|channels?|funnel|strategy"
          r"|rate))",
          r"\b(?:leadership|management|executive|exec|org(?:ani[sz]ational)?)\s+(?:change|changes"
          r"|shake-?up|shuffle|turnover)\b",
          hypo=1),
    _rule("trigger", "budget_cycle", "budget|fiscal|planning|fy",
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
    _rule("trigger", "product_launch", "we|our",
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
    # ---- gates ------------------------------------------------------------------
    _rule("gate", "gone_quiet",
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
          r"|for)\b|\bno[- ]show(?:ed|s)?\b|\bwithout\s+a\s+(?:reply|response)\b",
          r"\b(?:can'?t|cannot|couldn'?t|unable to)\s+(?:reach|get hold of|get ahold of|get in"
          r" touch with|get a response|get a reply|pin down|get time with)\b",
          r"\b(?:missed|skipped|cancell?ed|declined)\s+(?:the\s+)?(?:last\s+)?(?:\w+\s+)?(?:calls"
          r"|meetings|QBRs|check-ins|syncs)\b|\bdropped off (?:the )?(?:radar|map)\b"
          r"|\b(?:emails?|calls?|messages?|voicemails?)\s+(?:(?:have|has)\s+)?(?:gone|went)\s+"
          r"unanswered\b|\bunanswered\s+(?:emails?|calls?|messages?)\b",
          hypo=1),
    _rule("gate", "gone_quiet", "mia", r"\b(?-i:MIA)\b", hypo=1),
    _rule("gate", "low_usage",
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
    _rule("gate", "at_risk",
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
    _rule("gate", "at_risk", "eval|trial|pilot|demo|vett|switch|moving",
          r"\b(?:evaluating|evalutaing|evaulating|trialing|trialling|piloting|demoing|vetting)\s+"
          r"(?-i:[A-Z])[\w.&'’-]+|\bswitching\s+(?:over\s+)?to\s+(?:(?:a|an)\s+)?"
          r"(?-i:[A-Z])[\w.]+|\bmoving\s+(?:off|away from)\s+(?-i:[A-Z])[\w.]+",
          hypo=0, hook="competitor"),
    # ---- concerns ---------------------------------------------------------------
    _rule("concern", "price",
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
    _rule("concern", "competitor",
          "look|eval|consider|trial|pilot|demo|talk|speak|compar|switch|got|pitched|courted",
          r"\b(?:looking at|evaluating|considering|trialing|trialling|piloting|demoing|talking to"
          r"|speaking with|in talks with|comparing (?:us|you|it)?\s*(?:with|to|against)"
          r"|switching to|got a quote from|demo with|pitched by|courted by)\s+"
          r"(?P<comp>(?-i:[A-Z])[\w.&'’-]*(?:\s+(?:and\s+)?(?-i:[A-Z])[\w.&'’-]*){0,3})",
          hypo=0, hook="competitor"),
    _rule("concern", "competitor", "compet|rival|vendor|alternativ",
          r"\b(?:competitors?|competiters?|competitiors?|competition|competing (?:product|tool"
          r"|vendor|solution|offer)s?|rivals?|other vendors)\b",
          r"\b(?:cheaper|other|competing|several|some|a few)\s+alternatives?\b|\balternatives?\s+"
          r"(?:to\s+(?:us|you|the product|the platform)|like|such as)\b|\b(?:evaluating|looking"
          r" at|considering|exploring|researching)\s+alternatives?\b",
          hypo=0, hook="competitor"),
    _rule("concern", "security",
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
    _rule("concern", "security", "ciso|dpa", r"\b(?-i:CISO|DPA)\b", hypo=0, hook="security"),
    _rule("concern", "bandwidth",
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
    _rule("concern", "integration",
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
    _rule("concern", "integration", "sync|synch|integrat",
          r"\b(?P<system>(?-i:[A-Z])[\w.]+)\s+(?:sync|synch|integration)\b",
          hypo=0, hook="integration"),
    _rule("concern", "value_doubt",
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

# ---- open problems and their resolution (handled by the engine) ---------------

OPEN_PROBLEM = _rule(
    "gate", "open_problem",
    "p0|p1|sev|s0|s1|critical|urgent|high|major|serious|severe|block"
          "|showstop|show|out|downtime|down|broke|broken|failing|crash|error|timing|escal"
          "|unresolved|un|still|data|can|cannot|couldn|unable|not|keep|investigat"
          "|priority",
    r"\b(?:P0|P1|Sev(?:erity)?[- ]?[01]|S[01])s?\b",
    rf"\b(?:critical|urgent|high[- ]sev(?:erity)?|high[- ]priority|major|serious|severe"
    rf"|blocking|showstopper|show-stopper)\s+(?:[\w-]+\s+){{0,2}}?{_PROB}\b"
    rf"|\b{_PROB}\s*\(?(?:severity|priority|sev)[:\s]+(?:high|critical|urgent)\b",
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

# ---- feature / initiative phrase cleaning ------------------------------------

FEATURE_WORDS = re.compile(
    r"\b(?:modules?|add-?ons?|features?|integrations?|connectors?|API|SSO|SAML|SCIM|LDAP|MFA"
    r"|2FA|reporting|reports?|dashboards?|analytics|audit|logs?|exports?|permissions?|roles?"
    r"|workflows?|automations?|tiers?|plans?|editions?|sandbox(?:es)?|premium|webhooks?|mobile"
    r"|app|access|custom|advanced|enterprise|pro|plugins?|extensions?|templates?|AI|forecasting"
    r"|scheduling|alerts?|notifications?|backups?|encryption|sync|import|bulk|multi-\w+"
    r"|white-?label\w*|branding|storage|portal|chatbot|copilot|insights|scoring|routing"
    r"|approvals?|e-?signatures?|provisioning|governance|versioning|history|retention"
    r"|residency|embedding|embedded|BI|SQL|tracking)\b"
    r"|\b(?-i:[A-Z]{2,}[A-Za-z]*)\b", _I)
FEATURE_DENY = re.compile(
    r"\b(?:pric\w*|cost|costs|discount\w*|renewal|contract|invoice\w*|billing|refund|quote"
    r"|proposal|call|meeting|time|timeline|roadmap|update|updates|status|help|outage|bug|issue"
    r"|seats?|licen[cs]es?|paperwork|case stud\w*|reference|intro|introduction|meeting|NPS"
    r"|score|tier change|headcount|budget|VP|(?-i:C[A-Z]O)|BAA|DPA|MSA|NDA|SOW|PO|SOC|HIPAA"
    r"|GDPR|ISO|QBR|EBR|CSM|ROI|KPI|SLA|RFP)\b", _I)
PHRASE_CUT = re.compile(
    r"\s+(?:for|because|since|so|but|which|that|to|in|on|next|when|if|as|from|by|this|last"
    r"|again|before|after|until|while|instead|during|at|within|with|asap|ahead|is|are|was"
    r"|were|can|could|would|will|should|they|we|he|she|it)\b|\s+w/|\s+[-–—(]|[,:;)]|\?",
    _I,
)
FEATURE_SPLIT = re.compile(r"\s*,\s*(?:and\s+|or\s+)?|\s+and\s+|\s+or\s+|\s*&\s*|\s+plus\s+", _I)
LEAD_STRIP = re.compile(
    r"^(?:(?:upgrading to|an upgrade to|upgrade to|moving to|a way to|how to|an option for"
    r"|options for|support for|access to|a demo of|demo of"
    r"|info on|details on|information about|a quote for|there'?s|there is|there are|turn on"
    r"|set up|about|for|regarding|re:?|whether|if|the|a|an|some|their|our|your|its|more|any"
    r"|we|they|you|can|could|have|has|had|offer|support|supports|do|does|get|got|add|enable"
    r"|use|having|getting|new|adding)\s+)+",
    _I,
)
NAME_STOP = words(
    """I We They The Our Their He She It This That Q1 Q2 Q3 Q4 Monday Tuesday Wednesday Thursday
    Friday Saturday Sunday January February March April May June July August September October
    November December Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec SSO API Next Last Both
    All"""
)
SYNC_STOP = words(
    """weekly quick monthly daily team our the internal biweekly bi-weekly next last this status
    regular first second short brief kickoff a new great good call standup stand-up morning
    afternoon quarterly annual friday monday tuesday wednesday thursday saturday sunday"""
)


def word_number(text: str) -> float | None:
    """Parse `12`, `1.5`, `twice`, `a couple of`, `3x`, `4 times` into a number."""
    t = re.sub(r"\s*(?:x|times)$", "", text.strip().lower()).strip()
    if t in WORD_NUMBERS:
        return WORD_NUMBERS[t]
    t = t.replace(",", "")
    return float(t) if re.fullmatch(r"\d+(?:\.\d+)?", t) else None


def clean_phrase(raw: str, max_words: int = 6) -> str:
    """Trim a captured noun phrase: leading fillers off, cut at the first clause word."""
    text = LEAD_STRIP.sub("", raw.strip())
    cut = PHRASE_CUT.search(text)
    if cut:
        text = text[: cut.start()]
    words = text.strip(" \t\n'\"’“”").split()
    return " ".join(words[:max_words])


def feature_list(raw: str) -> list[str]:
    """Split a captured request into the features it names (non-features dropped)."""
    out: list[str] = []
    for part in FEATURE_SPLIT.split(raw):
        feat = clean_phrase(part)
        known = feat.lower() in (f.lower() for f in out)
        if feat and FEATURE_WORDS.search(feat) and not FEATURE_DENY.search(feat) and not known:
            out.append(feat)
    return out


# ---- dates ----------------------------------------------------------------------

DATE = re.compile(
    r"\b(?P<iy>\d{4})[-/](?P<im>\d{1,2})[-/](?P<id>\d{1,2})\b"
    r"|\b(?P<na>\d{1,2})[/.](?P<nb>\d{1,2})[/.](?P<ny>\d{4}|\d{2})\b"
    rf"|\b(?P<m1>{MON_CS})\.?\s+(?P<d1>[0-3]?\d)(?:st|nd|rd|th)?\b(?:,?\s+(?P<y1>\d{{4}})\b)?"
    rf"|\b(?P<d2>[0-3]?\d)(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m2>{MON_CS})\b\.?"
    r"(?:,?\s+(?P<y2>\d{4})\b)?"
    rf"|\b(?P<m3>{MON_CS})\.?,?\s+(?P<y3>\d{{4}})\b"
)
MONTH_ONLY = re.compile(
    r"\b(?i:in|by|around|early|mid|late|end of|until|through|before|from|starting|start of)\s+"
    rf"(?:-\s*)?(?P<m>{MON_CS})\b\.?(?:\s+(?P<y>\d{{4}}))?(?!\s*\d)"
)
QUARTER = re.compile(r"\b(?:in\s+|by\s+|for\s+)?Q(?P<q>[1-4])(?:\s+(?P<y>\d{4}))?\b")
REL = re.compile(
    r"\b(?:(?P<now>today|tonight|this (?:morning|afternoon|evening|week|month|quarter|year))"
    r"|(?P<yesterday>yesterday)|(?P<tomorrow>tomorrow)|(?P<ewk>earlier this week)"
    r"|(?P<emo>earlier this month)|(?P<lastweek>last week|a week ago)|(?P<nextweek>next week)"
    rf"|(?P<agon>{NUMW}|a)\s+(?P<agou>day|week|month|year)s?\s+ago"
    rf"|in\s+(?:(?:about|around|roughly)\s+|~\s*)?(?P<inn>{NUMW}|a)\s+(?P<inu>day|week|month"
    r"|year)s?|(?P<lastmonth>last month|a month ago)|(?P<nextmonth>next month)"
    r"|(?P<lastq>last quarter)|(?P<nextq>next quarter)|(?P<lasty>last year)|(?P<nexty>next year)"
    r"|last (?P<wd>monday|tuesday|wednesday|thursday|friday|saturday|sunday))\b"
)
_FORWARD_CUES = frozenset({"tomorrow", "nextweek", "inn", "nextmonth", "nextq", "nexty"})
_NOT_A_DATE = re.compile(
    r"\b(?:since|than|vs\.?|versus|compared to|from|over)(?:\s+(?:the|last|on|(?:mon|tues|wednes"
    r"|thurs|fri|satur|sun)day,?))*\s*$",
    _I,
)
_DEADLINE = re.compile(r"(?:by|until|till|before|due)\s*$", _I)
_FILLER = re.compile(
    r"^[\s:,()~*_\-–—]*(?:(?:['’]s|is|was|will|be|falls?|lands?|dates?|scheduled|set|due|comes?"
    r"|coming|up|on|in|for|around|at|by|the|of|end|early|mid|late|approx\.?|approximately"
    r"|roughly|about|should|expected|happens|happening|takes|place|our|their|its|contract"
    r"|agreement|subscription|next|this|renewal|renews?|ends?|expires?|until|through|runs"
    r"|out|effective|starting|as|currently)[\s:,()~*_\-–—]*)*$",
    _I,
)


def _mk(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _infer(month: int, day: int, ref: date, forward: bool) -> date | None:
    """Yearless day: latest not after `ref`, or (forward) the next on/after `ref`."""
    years = (ref.year, ref.year + 1, ref.year + 2) if forward else (ref.year, ref.year - 1)
    for y in years:
        d = _mk(y, month, day)
        if d is not None and (d >= ref if forward else d <= ref):
            return d
    return None


def _month(name: str) -> int:
    return MONTHS[name[:3].lower()]


def parse_date(m: re.Match[str], ref: date, forward: bool) -> tuple[date | None, bool]:
    """Read a `DATE` match as (date, ambiguous)."""
    g = m.groupdict()
    if g["iy"]:
        return _mk(int(g["iy"]), int(g["im"]), int(g["id"])), False
    if g.get("na"):
        a, b, y = int(g["na"]), int(g["nb"]), int(g["ny"])
        y = y + 2000 if y < 100 else y
        if (a > 12) == (b > 12):  # both could be a month (or neither): ambiguous
            return None, True
        return (_mk(y, b, a) if a > 12 else _mk(y, a, b)), False
    if "m3" not in g:
        return None, False
    if g["m3"]:
        return _mk(int(g["y3"]), _month(g["m3"]), 1), False
    mon, day, year = (g["m1"], g["d1"], g["y1"]) if g["m1"] else (g["m2"], g["d2"], g["y2"])
    if year:
        return _mk(int(year), _month(mon), int(day)), False
    return _infer(_month(mon), int(day), ref, forward), False


def explicit_date(text: str, ref: date, event: bool) -> date | None:
    """First explicit date in `text` (yearless: before `ref`, or after it for an event)."""
    for m in date_matches(text):
        pre = text[max(0, m.start() - 30) : m.start()]
        if _NOT_A_DATE.search(pre) or (not event and _DEADLINE.search(pre)):
            continue
        d, _ = parse_date(m, ref, event)
        if d is not None:
            return d
    return None


_FIRST_DIGIT = re.compile(r"\d")
_NUMERIC_DATE = re.compile(
    r"\b(?P<iy>\d{4})[-/](?P<im>\d{1,2})[-/](?P<id>\d{1,2})\b"
    r"|\b(?P<na>\d{1,2})[/.](?P<nb>\d{1,2})[/.](?P<ny>\d{4}|\d{2})\b"
)
_MONTH_KEYS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def date_matches(text: str) -> list[re.Match[str]]:
    """Every `DATE` match in `text` (a cheaper numeric-only scan when no month is named)."""
    digit = _FIRST_DIGIT.search(text)
    if digit is None:
        return []
    low = text.lower()
    rx = DATE if any(k in low for k in _MONTH_KEYS) else _NUMERIC_DATE
    return list(rx.finditer(text, max(0, digit.start() - 12)))
_STEPS: dict[str, relativedelta] = {
    "yesterday": relativedelta(days=-1), "tomorrow": relativedelta(days=1),
    "lastweek": relativedelta(weeks=-1), "nextweek": relativedelta(weeks=1),
    "lastmonth": relativedelta(months=-1), "nextmonth": relativedelta(months=1),
    "lastq": relativedelta(months=-3), "nextq": relativedelta(months=3),
    "lasty": relativedelta(years=-1), "nexty": relativedelta(years=1),
}


def shift_date(m: re.Match[str], base: date) -> date | None:
    """Resolve a relative cue to a date, counted from `base`."""
    g = {k: v for k, v in m.groupdict().items() if v}
    if "now" in g:
        return base
    for key, step in _STEPS.items():
        if key in g:
            return base + step
    if "ewk" in g:
        return base - timedelta(days=base.weekday())
    if "emo" in g:
        return base.replace(day=1)
    if "wd" in g:
        target = ("mon", "tue", "wed", "thu", "fri", "sat", "sun").index(g["wd"][:3].lower())
        return base - timedelta(days=(base.weekday() - target - 1) % 7 + 1)
    count, unit, sign = (g.get("agon"), g.get("agou"), -1) if "agon" in g else (
        g.get("inn"), g.get("inu"), 1)
    n = 1.0 if (count or "").lower() == "a" else word_number(count or "")
    if n is None or unit is None:
        return None
    k = int(n) * sign
    u = unit.lower()
    return base + (relativedelta(days=k) if u == "day" else relativedelta(weeks=k) if u == "week"
                   else relativedelta(months=k) if u == "month" else relativedelta(years=k))


def lowered(text: str) -> str:
    """Lower-case `text` without changing its length (so offsets stay valid)."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in text)


def relative_date(text: str, base: date, event: bool) -> date | None:
    """First relative cue in `text` resolved from `base` (forward cues only for events)."""
    for m in REL.finditer(lowered(text)):
        kind = m.lastgroup or ""
        if kind in {"agou", "inu"}:
            kind = "agon" if m.group("agon") else "inn"
        if kind in _FORWARD_CUES and not event:
            continue
        if _NOT_A_DATE.search(text[max(0, m.start() - 14) : m.start()]):
            continue
        d = shift_date(m, base)
        if d is not None:
            return d
    return None


def planned_date(
    text: str, pos: int, end: int, base: date, after: bool
) -> tuple[date, bool] | None:
    """Find the planned date just after (or before) a keyword: (date, approximate)."""
    found: list[tuple[int, int, date, bool]] = []
    for m in date_matches(text):
        d, _ = parse_date(m, base, True)
        if d is not None:
            g = m.groupdict()
            day_level = bool(g.get("iy") or g.get("na") or g.get("d1") or g.get("d2"))
            found.append((m.start(), m.end(), d, not day_level))
    for m in MONTH_ONLY.finditer(text):
        mon = _month(m.group("m"))
        y = int(m.group("y")) if m.group("y") else None
        d2 = date(y, mon, 1) if y else _infer(mon, 1, base.replace(day=1), True)
        if d2 is not None:
            found.append((m.start(), m.end(), d2, True))
    for m in QUARTER.finditer(text):
        q0 = date(int(m.group("y")) if m.group("y") else base.year, 3 * int(m.group("q")) - 2, 1)
        if not m.group("y") and q0 + relativedelta(months=3) <= base:
            q0 = q0.replace(year=q0.year + 1)
        found.append((m.start(), m.end(), q0, True))
    for m in REL.finditer(lowered(text)):
        d3 = shift_date(m, base)
        if d3 is not None and d3 > base:
            found.append((m.start(), m.end(), d3, True))
    if after:
        cands = sorted(f for f in found if f[0] >= end and _FILLER.match(text[end : f[0]]))
        return (cands[0][2], cands[0][3]) if cands else None
    cands = sorted((f for f in found if f[1] <= pos and _FILLER.match(text[f[1] : pos])),
                   reverse=True)
    return (cands[0][2], cands[0][3]) if cands else None



# ---- value hooks ----------------------------------------------------------------

_OURS = re.compile(r"\b(?:we|we're|we've|we'll|our|us)\b", _I)
_CHANGE = re.compile(
    r"\b(?:now|also|too|as well|started|starting|began|adopted|onboarded|joined|came on board"
    r"|signed on|picked)\b",
    _I,
)
_PAST_RENEWAL = re.compile(
    r"\b(?:signed|completed|processed|went through|finali[sz]ed|renewed)\b", _I
)
_SEATISH = re.compile(r"seat|li[sc]{1,2}en|user|login", _I)
_AMBIG_UNIT = re.compile(
    r"^(?:capacity|limits?|cap|ceiling|threshold|utili[sz]ation|entitlement|usage|plan|quota"
    r"|allowance|allotment|)$",
    _I,
)
_OUTCOME_DOWN_DENY = re.compile(
    r"\b(?:headcount|staff|employees|team|budget|seats?|licen\w*|usage|contract|logins?"
    r"|adoption|spend with us)\b",
    _I,
)
_OUTCOME_UP_DENY = re.compile(
    r"\b(?:revenue|headcount|employees|staff|prices?|costs?|churn|tickets?|errors?|complaints?"
    r"|spend|bugs?|outages?|downtime|latency|wait|response time|budget|usage|seats?|licen\w*)\b",
    _I,
)
_ACQ_PRE = re.compile(r"\b(?:acquir\w*|bought|acquisition|merg\w*|purchas\w*)\b", _I)
_SEC_PRE = re.compile(r"\b(?:passed|cleared|completed|approved|signed off|finished)\b", _I)
_INTEG_OK = re.compile(r"\b(?:works?|working)\s+(?:great|well|fine)\b|\blove", _I)


@dataclass(frozen=True)
class Hit:
    """A rule match: its span in the clause and its named groups (original casing)."""

    start: int
    end: int
    text: str
    groups: dict[str, str]


def _num(text: str) -> float | None:
    t = text.strip().lower().replace(",", "")
    mult = 1.0
    for suffix, k in (("thousand", 1e3), ("million", 1e6), ("billion", 1e9), ("k", 1e3),
                      ("m", 1e6), ("b", 1e9)):
        if t.endswith(suffix):
            t, mult = t[: -len(suffix)].strip(), k
            break
    return float(t) * mult if re.fullmatch(r"\d+(?:\.\d+)?", t) else None


def _intish(x: float) -> float | int:
    return int(x) if float(x).is_integer() else round(x, 4)


def _hook_usage(m: Hit, text: str, base: date) -> HookResult:
    g = m.groups
    unit_text = (g.get("unit") or g.get("unit2") or "").strip()
    used: float | None = None
    cap: float | None = None
    if "pct" in g:
        pct = float(g["pct"])
        if not 1 <= pct <= 200:
            return None
        ratio = pct / 100
    elif "used" in g and "cap" in g:
        used, cap = _num(g["used"]), _num(g["cap"])
        if used is None or not cap or used / cap > 2:
            return None
        ratio = used / cap
    else:
        ratio = 1.0
    seats = bool(_SEATISH.search(unit_text)) or (
        bool(_AMBIG_UNIT.match(unit_text)) and bool(re.search(r"\bseats?\b|licen", text, _I)))
    values: dict[str, Any] = {
        "used": None if used is None else _intish(used),
        "capacity": None if cap is None else _intish(cap),
        "ratio": round(ratio, 4),
        "unit": "seats" if seats else "volume",
    }
    extra: Extra = []
    if ratio >= 0.85:
        extra.append(("trigger", "usage_ceiling", {"ratio": values["ratio"]}))
    return values, extra


def _hook_nps(m: Hit, text: str, base: date) -> HookResult:
    raw = m.groups.get("nps") or m.groups.get("nps2") or ""
    n = int(raw) if raw.isdigit() else -1
    return ({"nps": n}, []) if 0 <= n <= 10 else None


def _hook_logins(m: Hit, text: str, base: date) -> HookResult:
    g = m.groups
    values: dict[str, Any] = {}
    if "weekly" in g:
        n = word_number(g["weekly"])
        if n is None:
            return None
        n, values["approximate"] = n * 4, True
    else:
        n = word_number(g.get("logins") or g.get("times") or "")
        if n is None:
            return None
    values["logins"] = _intish(n)
    return values, ([("gate", "low_usage", {"logins": values["logins"]})] if n <= 2 else [])


def _hook_renewal(m: Hit, text: str, base: date) -> HookResult:
    if _PAST_RENEWAL.search(text):
        return None
    found = planned_date(text, m.start, m.end, base, True) or planned_date(
        text, m.start, m.end, base, False)
    if found is None:
        return None
    day, approx = found
    extra: Extra = []
    days = (day - base).days
    if 0 <= days <= 120:
        extra.append(("trigger", "renewal_ahead", {"date": day.isoformat(), "days": days}))
    return {"date": day.isoformat(), "approximate": approx}, extra


def _hook_features(m: Hit, text: str, base: date) -> HookResult:
    raw = next((v for k, v in m.groups.items() if k.startswith("feat")), "")
    feats = feature_list(raw)
    return ({"features": feats}, []) if feats else None


def _hook_initiative(m: Hit, text: str, base: date) -> HookResult:
    if _OURS.search(" ".join(text[: m.start].split()[-2:])):
        return None
    g = m.groups
    head = m.text.lower()
    if "init4" in g:
        phrase = "roll out to " + clean_phrase(g["init4"], 8)
    elif "init5" in g:
        phrase = "expansion into " + clean_phrase(g["init5"], 8)
    elif "init2" in g:
        rest = text[m.end :].lstrip()
        phrase = clean_phrase(rest[1:], 10) if rest.startswith(":") else g["init2"].strip()
    else:
        phrase = clean_phrase(g.get("init") or g.get("init3") or "", 8)
    del head
    return {"initiative": phrase or text}, []


def _hook_team(m: Hit, text: str, base: date) -> HookResult:
    g = m.groups
    values: dict[str, Any] = {}
    lo, hi = g.get("from") or g.get("from2"), g.get("to") or g.get("to2")
    if lo and hi:
        if int(hi) <= int(lo):
            return None
        values = {"from": int(lo), "to": int(hi)}
    if "dept" in g and not _CHANGE.search(text):
        return None
    n = word_number(g["n"]) if "n" in g else None
    if n is not None:
        values["count"] = _intish(n)
    return values, []


def _hook_competitor(m: Hit, text: str, base: date) -> HookResult:
    if _ACQ_PRE.search(" ".join(text[: m.start].split()[-3:])):
        return None
    comp = m.groups.get("comp", "").strip()
    if not comp:
        return {}, []
    names = [n for n in re.split(r"\s+and\s+", comp) if n and n.split()[0] not in NAME_STOP]
    return ({"competitor": " and ".join(names)}, []) if names else None


def _hook_security(m: Hit, text: str, base: date) -> HookResult:
    return None if _SEC_PRE.search(" ".join(text[: m.start].split()[-4:])) else ({}, [])


def _hook_integration(m: Hit, text: str, base: date) -> HookResult:
    system = m.groups.get("system", "")
    if system.lower() in SYNC_STOP or _INTEG_OK.search(text):
        return None
    return ({"system": system} if system else {}), []


def _hook_outcome_down(m: Hit, text: str, base: date) -> HookResult:
    return None if _OUTCOME_DOWN_DENY.search(m.text) else ({}, [])


def _hook_outcome_up(m: Hit, text: str, base: date) -> HookResult:
    return None if _OUTCOME_UP_DENY.search(m.text) else ({}, [])


def _hook_company(m: Hit, text: str, base: date) -> HookResult:
    pct = m.groups.get("pct")
    return ({"growth_pct": float(pct)} if pct else {}), []


def _hook_product(m: Hit, text: str, base: date) -> HookResult:
    raw = next((v for k, v in m.groups.items() if k.startswith("product")), "")
    return {"product": clean_phrase(raw, 6) or raw.strip()}, []


HOOKS: dict[str, Callable[[Hit, str, date], HookResult]] = {
    "usage": _hook_usage, "nps": _hook_nps, "logins": _hook_logins, "renewal": _hook_renewal,
    "features": _hook_features, "initiative": _hook_initiative, "team": _hook_team,
    "competitor": _hook_competitor, "security": _hook_security,
    "integration": _hook_integration, "outcome_down": _hook_outcome_down,
    "outcome_up": _hook_outcome_up, "product": _hook_product, "company": _hook_company,
}
