"""Value hooks (a rule match -> `NoteFinding.values`) and feature / initiative phrase cleaning."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from playbook.tools.notes.dates import planned_date
from playbook.tools.notes.lexicon import Extra, HookResult, word_number, words

_I = re.IGNORECASE

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
_ALREADY_HINT = re.compile(r"\balready\b|\bcurrently\b", _I)
_ALREADY = re.compile(
    r"\b(?:already|currently)\s+(?:have|has|had|own|owns|got|get|gets|use|uses|using|includes?"
    r"|pay for|pays for|paying for|are on|is on|licen[cs]e)\b|\b(?:is|are|'s|was|were)\s+"
    r"already\s+(?:included|available|enabled|on|in|part of|live|set up|turned on)\b", _I)
_OWNED_END = re.compile(
    r"[.;!?]|,\s*(?!and\b|or\b)|\s+(?:but|so|while|whereas|although|though|yet|because)\b"
    r"|\s+and\s+(?:they|we|he|she|it|want\w*|need\w*|ask\w*|would|also|still|is|are)\b", _I)
_REFERS_BACK = re.compile(r"\s*(?:it|them|that|this|those|these|both)\b", _I)
_RELATIVE = re.compile(
    r"\b(?:which|that)\s+(?:(?:they|we|he|she|it|the team|you)\s+)?$", _I)
_INTEG_OK = re.compile(r"\b(?:works?|working)\s+(?:great|well|fine)\b|\blove", _I)


@dataclass(frozen=True)
class Hit:
    """A rule match: its span in the clause, its named groups and the clause's sentence."""

    start: int
    end: int
    text: str
    groups: dict[str, str]
    sent: str = ""


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


def _same_feature(a: str, b: str) -> bool:
    wa, wb = set(a.lower().split()), set(b.lower().split())
    return wa <= wb or wb <= wa


def _owned(feats: list[str], m: Hit, text: str) -> set[str]:
    """Asked-for features the sentence says they already have ("... they already have SSO")."""
    sent = m.sent or text
    clause_at = sent.find(text)
    ask_at = (clause_at if clause_at >= 0 else 0) + m.start
    owned: set[str] = set()
    for a in _ALREADY.finditer(sent):
        rest = sent[a.end() :]
        cut = _OWNED_END.search(rest)
        phrase = rest[: cut.start()] if cut else rest
        if a.start() > ask_at and (_REFERS_BACK.match(phrase) or _RELATIVE.search(
                sent[max(ask_at, a.start() - 30) : a.start()])):
            return set(feats)  # "..., but they already have it" / "X, which they already have"
        have = feature_list(phrase)
        owned.update(f for f in feats if any(_same_feature(f, h) for h in have))
    return owned


def _hook_features(m: Hit, text: str, base: date) -> HookResult:
    raw = next((v for k, v in m.groups.items() if k.startswith("feat")), "")
    feats = feature_list(raw)
    if feats and _ALREADY_HINT.search(m.sent or text):
        owned = _owned(feats, m, text)
        feats = [f for f in feats if f not in owned]
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
