"""Phrase tables for the readiness signals (win, team growth, asks, initiative, ...)."""

from __future__ import annotations

from playbook.tools.notes.lexicon import DEPT, INIT_ALSO, NUMW, OUTCOME_ALSO, TEAM_ALSO, Rule, rule

_NEWCOMERS = (
    r"(?:(?:new|more|additional|extra)\s+)?(?:[\w-]+\s+)?(?:hires|analysts|reps|agents|engineers"
    r"|developers|people|staff|employees|team members|members|users|planners|dispatchers|nurses"
    r"|managers|designers|accountants|recruits|starters|joiners|contractors|specialists"
    r"|associates|coordinators|consultants|technicians|drivers|operators|clinicians|admins"
    r"|marketers|recruiters|interns|colleagues)"
)
_NOT_A_MEETING = (  # joined a meeting, or started to complain: not newcomers
    r"(?!\s+(?:the|a|an|our|this|that|their)\s+(?:call|meeting|zoom|demo|QBR|session|sync"
    r"|review|conversation|thread|chat|webinar|training|workshop)\b|\s+(?:to\s+)?(?:complain"
    r"|report|ask|see|get|hav|notic|escalat|churn|leav|push)\w*)"
)

# hypo levels: 0 = keep, 1 = drop after a conditional, 2 = drop after a conditional or an aim
SIGNAL_RULES: tuple[Rule, ...] = (
    # ---- signals --------------------------------------------------------------
    rule("signal", "positive_outcome_90d", "cut|reduc|lower|slash|decreas|shorten|drop|halv",
         r"\b(?:cut|cuts|reduced|reduces|reducing|cutting|lowered|slashed|decreased|shortened"
         r"|dropped|halved)\s+(?:(?:their|the|its|our)\s+)?[\w\s,'’-]{0,40}?\s*(?:by\s+)?"
         r"(?:(?:about|around|roughly|nearly|over|more than|almost)\s+|~\s*)?(?:\d+(?:\.\d+)?\s*"
         r"(?:%|percent|x\b|hours?|days?|minutes?|weeks?)|half|a third|in half)",
         hypo=2, hook="outcome_down", also=OUTCOME_ALSO),
    rule("signal", "positive_outcome_90d", "sav",
         r"\b(?:saved|saving|saves)\s+(?:(?:them|us|the team|their team)\s+)?(?:(?:about|over"
         r"|nearly|roughly|more than|almost)\s+|~\s*)?(?:[$€£¥]\s*\d[\d,.]*\s*(?:[kmb]\b|million"
         r"|thousand)?|\d[\d,.]*\s*(?:[km]\b|million|thousand)?\s*(?:hours?|hrs|days?|weeks?|FTEs?"
         r"|dollars|euros|USD|EUR|GBP|headcount)|\d[\d,.]*\s*(?:%|percent))",
         hypo=2, also=OUTCOME_ALSO),
    rule("signal", "positive_outcome_90d", "best|biggest|largest|strongest|record|highest",
         r"\b(?:closed|had|posted|hit|delivered|reported|booked|ran)\s+(?:their|its|a|the)\s+"
         r"(?:biggest|best|largest|strongest|record|record-breaking|highest)\s+(?:\w+\s+)?"
         r"(?:quarter|month|year|week|deal|season|launch|day)\b",
         r"\brecord\s+(?:quarter|month|year|week|sales|revenue|bookings)\b",
         hypo=2, also=OUTCOME_ALSO),
    rule("signal", "positive_outcome_90d", "goal|target|quota|number|okr|kpi|plan|forecast|mile",
         r"\b(?:hit|hitting|met|exceeded|exceeding|beat|beating|surpassed|smashed|crushed"
         r"|reached|achieved|blew past|blew through)\s+(?:(?:their|its|the|our|all|every|his"
         r"|her)\s+)?(?:(?!(?:api|usage|storage|seat|licen[cs]e|data|rate|record|contact|volume"
         r"|credit|user)\b)[\w-]+\s+){0,2}?(?:goals?|targets?|quotas?|numbers?|OKRs?|KPIs?|plan"
         r"|forecast|milestones?)\b"
         # a plan limit is a ceiling, not a result ("keeps hitting the plan limit")
         r"(?!['’]s\s|\s+(?:limits?|caps?|ceilings?|quotas?|thresholds?|max(?:imum)?s?"
         r"|allowances?|restrictions?)\b)",
         hypo=2, also=OUTCOME_ALSO),
    rule("signal", "positive_outcome_90d", "roi|return|paid|pays|automated",
         r"\b(?:\d+(?:\.\d+)?\s*(?:%|x)|great|strong|solid|positive|clear|huge|big|massive"
         r"|measurable|real|good|fantastic|excellent|proven|documented)\s+ROI\b",
         r"\bROI\s+(?:of|is|was|at)\s+(?:(?:about|over)\s+)?\d",
         r"\b(?:seeing|seen|saw|showed|shows|showing|delivered|delivering|got|getting|achieved"
         r"|proved|proven)\s+(?:(?:a|real|clear|strong)\s+)?(?:ROI|return)\b",
         r"\b(?:paid|pays)\s+for\s+itself\b|\b(?:is|are)\s+now\s+(?:fully\s+)?automated\b",
         hypo=2, also=OUTCOME_ALSO),
    rule("signal", "positive_outcome_90d", "live|took",
         r"\bwent live\s+(?:and|&)\s+[^.;!?]{3,}",
         r"\btook\s+(?:(?:only|just)\s+)?\d+(?:\.\d+)?\s+(?:(?:working|business)\s+)?(?:days?"
         r"|hours?|minutes?|weeks?)\b[^.;]{0,20}?\b(?:down from|instead of|vs\.?|versus"
         r"|compared to)\s+(?:the\s+)?(?:original\s+|usual\s+)?\d+",
         hypo=2, also=OUTCOME_ALSO),
    rule("signal", "positive_outcome_90d",
         "increas|grew|boost|improv|raised|doubled|tripled|quadrupled|lift",
         r"\b(?:increased|grew|boosted|improved|raised|doubled|tripled|lifted)\s+(?:(?:their|the"
         r"|its)\s+)?[\w\s-]{0,30}?\s*(?:by\s+)?(?:(?:about|around|over|nearly)\s+)?\d+"
         r"(?:\.\d+)?\s*(?:%|percent|x\b|points?)",
         r"\b(?:doubled|tripled|quadrupled)\s+(?:their|its|the)\s+(?:pipeline|conversion"
         r"|output|throughput|productivity|bookings|win rate|deals|leads)\b",
         hypo=2, hook="outcome_up", also=OUTCOME_ALSO),
    rule("signal", "positive_outcome_90d", "win|won|landed|signed|success",
         r"\b(?:big|huge|major|great)\s+win\b|\bsuccess story\b",
         r"\b(?:won|landed|signed)\s+(?:a|an|their|the)\s+(?:big|huge|major|large|key|new|\$?\d"
         r"[\w,.$]*)\s*(?:\w+\s+)?(?:deal|contract|client|customer|account|award)\b",
         hypo=2, also=OUTCOME_ALSO),
    rule("trigger", "success_moment",
         "milestone|celebrat|crossed|passed|surpassed|reached|award|won",
         r"\b(?:hit|reached|crossed|passed|celebrat\w*|achieved)\s+(?:(?:a|an|the|their|its)\s+)?"
         r"(?:[\w-]+\s+){0,3}?milestone\b|\bcelebrat(?:ed|ing)\b|\bwon\s+(?:an?|the)\s+"
         r"(?:\w+\s+)?award\b",
         r"\b(?:crossed|passed|surpassed|reached)\s+(?:the\s+)?\d[\d,.]*\s*(?:[km]\b|million"
         r"|thousand)?\s*(?:\w+\s+)?(?:users|customers|orders|transactions|deals|members"
         r"|downloads|signups|shipments|patients|students)\b",
         hypo=2),
    rule("signal", "team_grew", "hire|hiring|onboard|brought",
         rf"\b(?:hired|hiring|onboarded|onboarding|brought on)\s+(?:(?:about|around|over"
         rf"|another|roughly)\s+|~\s*)?(?P<n>{NUMW})\s+(?:(?:new|more|additional|extra)\s+)?"
         r"(?:[\w-]+\s+){0,2}?(?:[\w-]+s|staff|people|folks|personnel)\b",
         hypo=2, hook="team", also=TEAM_ALSO),
    rule("signal", "team_grew", "added",
         rf"\badded\s+(?:(?:about|around|over|another|roughly)\s+|~\s*)?(?P<n>{NUMW})\s+"
         r"(?:(?:new|more|additional|extra)\s+)?(?:[\w-]+\s+)?(?:users|people|reps|folks"
         r"|analysts|agents|engineers|team members|members|hires|colleagues)\b",
         hypo=2, hook="team", also=TEAM_ALSO),
    # hires stated as happening count, also when they start later ("two analysts start in
    # December"); planned or hoped-for hiring does not ("plan to", "expects", "may", "if")
    rule("signal", "team_grew", "start|join|begin|onboard|come",
         rf"\b(?P<n>{NUMW})\s+{_NEWCOMERS}\s+(?:(?:will|are set to|are due to|are scheduled to"
         r"|are about to|are)\s+)?(?:start|starts|starting|join|joins|joining|begin|begins"
         r"|beginning|come on board|onboard|onboarding)\b" + _NOT_A_MEETING,
         hypo=2, event=True, hook="team", also=TEAM_ALSO),
    rule("signal", "team_grew", "start|join|began|came|onboard",
         rf"\b(?P<n>{NUMW})\s+{_NEWCOMERS}\s+(?:(?:have|has|just|recently)\s+)*(?:started"
         r"|joined|began|came on board|were onboarded|got onboarded)\b" + _NOT_A_MEETING,
         hypo=2, hook="team", also=TEAM_ALSO),
    rule("signal", "team_grew", "team",
         r"\bteam\s+(?:(?:has|have|had)\s+)?(?:grew|grown|growing|expanded|expanding|doubled"
         r"|tripled)\b(?:\s+(?:from\s+(?P<from>\d+)\s+to\s+(?P<to>\d+)))?",
         r"\bteam\s+(?:(?:has|have)\s+)?(?:went|gone|jumped|increased|grew)\s+from\s+"
         r"(?P<from2>\d+)\s+to\s+(?P<to2>\d+)",
         hypo=2, hook="team", also=TEAM_ALSO),
    rule("signal", "team_grew",
         "office|location|site|branch|hub|hq|headquarters|depot|warehouse|store|plant"
         "|clinic",
         r"\b(?:new|opened|opening|open|opens)\s+(?:(?:a|an|their|the)\s+)?(?:(?:new|second"
         r"|third)\s+)?(?:office|location|site|branch|hub|HQ|headquarters|depot|warehouse"
         r"|store|plant|clinic)\b(?:\s+in\s+(?P<office>(?-i:[A-Z])[\w'’-]+(?:\s+(?-i:[A-Z])"
         r"[\w'’-]+)?))?",
         hypo=2, also=TEAM_ALSO),
    rule("signal", "team_grew",
         "now|also|too|started|starting|began|adopt|onboard|came|signed|picked",
         rf"\b(?P<dept>{DEPT})(?:\s+(?:team|teams|department|dept|org|group))?\s+"
         r"(?:(?:now|also|has|have|is|are|just|recently|too)\s+)*(?:uses?|using|started using"
         r"|starting to use|began using|adopted|onboarded|came on board|signed on|is on"
         r"|are on|got access|picked (?:it|us) up)\b",
         r"\b(?:is|are)\s+now\s+the\s+(?:second|third|fourth|fifth|\d+(?:st|nd|rd|th))\s+"
         r"(?:department|team|business unit)\b",
         hypo=2, hook="team", also=TEAM_ALSO),
    rule("signal", "team_grew", "it",
         r"\b(?P<dept>(?-i:IT))(?:\s+(?:team|department|dept|org|group))?\s+(?:(?:now|also|has"
         r"|have|is|are|just|recently|too)\s+)+(?:uses?|using|started using|starting to use"
         r"|began using|adopted|onboarded|signed on|got access)\b",
         hypo=2, hook="team", also=TEAM_ALSO),
    rule("signal", "team_grew",
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
         hypo=2, also=TEAM_ALSO),
    rule("signal", "team_grew", "more|additional|extra|hires|members|added|onboarded",
         r"\b(?:more|additional|extra)\s+(?:people|ppl|users|reps|folks|team members|analysts)"
         r"\s+(?:(?:are|now)\s+)*(?:using|on|want access|need access|asking for access"
         r"|requesting access)\b",
         rf"\b{NUMW}\s+new\s+(?:users|people|reps|analysts|members)\s+(?:were|have been|got)\s+"
         r"(?:added|onboarded)\b",
         r"\bnew hires\b|\bnew team members\b",
         hypo=2, also=TEAM_ALSO),
    rule("signal", "asked_missing_features",
         "ask|inquir|enquir|curious|want|would|like|love|need|request|way|possible|can"
         "|could|do|does|interested|wish|any",
         r"\b(?:asked|asking|asks|inquired|enquired|inquiring|curious)\s+(?:(?:us|me|again)\s+)?"
         r"(?:about|abuot|abotu|aobut|baout|abt|for|regarding|re:?|whether|if)\s+"
         r"(?P<feat>[^.;!?]{2,160})",
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
    rule("signal", "new_initiative",
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
         hypo=0, event=True, hook="initiative", also=INIT_ALSO),
    rule("signal", "new_initiative", "expan",
         r"\bexpan(?:ding|d|sion)\s+(?:in)?to\s+(?P<init5>(?:new\s+)?(?:markets?|regions?|EMEA"
         r"|APAC|LATAM|Europe|Asia|North America|the US|the UK|(?-i:[A-Z])[\w-]+)[^.;!?,]{0,30})",
         hypo=0, event=True, hook="initiative", also=INIT_ALSO),
    rule("signal", "new_initiative", "roll|plan|going|want|hoping|aim",
         r"\b(?:rolling|will roll|plans? to roll|planning to roll|going to roll|wants? to roll"
         r"|hoping to roll|aims? to roll)\s+(?:[\w'’-]+\s+){0,3}?out\s+to\s+"
         r"(?P<init4>[^.;!?,]{2,60})",
         r"\b(?:plan|plans|planning|going|want|wants|hoping|aim|aims)\s+to\s+(?P<init3>(?:launch"
         r"|start"
         r"|build|roll out|migrate|expand|open|automate|consolidate|centrali[sz]e|standardi[sz]e"
         r"|unify|digiti[sz]e|replace|moderni[sz]e|implement|introduce|create|set up)\s+"
         r"[^.;!?]{2,80})",
         hypo=0, event=True, hook="initiative", also=INIT_ALSO),
    rule("signal", "shared_single_seat",
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
    rule("signal", "company_grew",
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
    rule("signal", "company_grew", "acqui",
         r"\bacquired\s+(?!by\b)(?:a|an|two|three|their|its|another)\s+(?:\w+\s+){0,2}?"
         r"(?:competitor|company|companies|startup|rival|business|firm|agency|vendor)\b"
         r"|\bacquired\s+(?!by\b)(?-i:[A-Z])[\w&'’.-]+",
         r"\b(?:completed|closed|announced|finali[sz]ed)\s+(?:the|an|their|its)\s+acquisition\s+"
         r"of\b",
         hypo=2, also=(("trigger", "org_change"),)),
)
