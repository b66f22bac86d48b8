"""Needs predicted from facts: pure rules, each naming the registry or wallet fields it reads.

A rule looks at the facts the city already holds about a party (base registry, account, the
enterprise's registry record, the e-licence wallet) on a given day and returns suggestions:
which matter (by its catalogue name, resolved to the party's region later), and why, in
Chinese and English. Nothing here reads storage or the clock.

Facts (a flat dict; the caller fills only what it knows):
  kind                   "person" | "enterprise"
  registry.birth         ISO date (person; the ID number's birth date)
  registry.sex           "M" | "F" (person; GB 11643's 17th digit)
  registry.employment    "cadre" | "worker" | None (person; women's original retirement age)
  registry.region        county code where the person lives
  org.founded            ISO date (enterprise: the legal-person registry)
  org.individual_business bool
  org.county             county code
  wallet                 [{"type", "name", "name_en", "expires", "matters"}] unrevoked licences
  done                   matter names the party has completed (pension already claimed, ...)
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

# ---- the 2025 gradual retirement-age reform ---------------------------------------------------
# 全国人大常委会关于实施渐进式延迟法定退休年龄的决定 (2024-09-13, in force 2025-01-01), annex 1:
# from January 2025 the statutory age rises by one month for every 4 months of birth
# (men 60 -> 63, women cadres 55 -> 58) or every 2 months (women workers 50 -> 55). The first
# people affected are those who would have reached the old age in January 2025.
# (original age in years, first birth month affected, birth months per month of delay, cap)
REFORM = {
    "male": (60, (1965, 1), 4, 36),
    "female_cadre": (55, (1970, 1), 4, 36),
    "female_worker": (50, (1975, 1), 2, 60),
}


def retirement_track(sex: str, employment: str | None) -> str:
    """Men share one track; women retire as cadres (管理和专业技术岗位, 55) or workers (50).
    A woman whose post is unknown is counted a worker: the earlier age, so she hears in time."""
    if sex == "M":
        return "male"
    return "female_cadre" if employment == "cadre" else "female_worker"


def retirement_age_months(birth: date, track: str) -> int:
    """The statutory retirement age in months for someone born in `birth`'s month."""
    years, (y0, m0), step, cap = REFORM[track]
    since = (birth.year - y0) * 12 + (birth.month - m0)
    delay = 0 if since < 0 else min(cap, since // step + 1)
    return years * 12 + delay


def retirement_month(birth: date, track: str) -> date:
    """The first day of the month in which the person reaches the statutory age."""
    total = birth.year * 12 + (birth.month - 1) + retirement_age_months(birth, track)
    return date(total // 12, total % 12 + 1, 1)


def age_text(months: int) -> tuple[str, str]:
    years, rest = divmod(months, 12)
    zh = f"{years}周岁" + (f"{rest}个月" if rest else "")
    en = f"{years} years" + (f" {rest} month{'s' if rest > 1 else ''}" if rest else "")
    return zh, en


def plus_months(day: date, months: int) -> date:
    total = day.year * 12 + day.month - 1 + months
    return date(total // 12, total % 12 + 1, 1)


def birthday(birth: date, years: int) -> date:
    try:
        return birth.replace(year=birth.year + years)
    except ValueError:  # born 29 February
        return birth.replace(year=birth.year + years, day=28)


# ---- the rules ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Rule:
    name: str
    reads: tuple[str, ...]       # the registry / wallet fields the rule looks at
    audience: str                # person | enterprise
    weight: float                # its base score (history scores are below 1)


PENSION = Rule("retirement_pension", ("registry.birth", "registry.sex", "registry.employment",
                                      "done"), "person", 3.0)
ELDERLY = Rule("elderly_allowance", ("registry.birth", "done"), "person", 3.0)
NEW_ENTERPRISE = Rule("new_enterprise", ("org.founded", "org.individual_business", "done"),
                      "enterprise", 4.0)
RENEWAL = Rule("licence_renewal", ("wallet",), "both", 3.5)
RULES = (PENSION, ELDERLY, NEW_ENTERPRISE, RENEWAL)

PENSION_MATTER = "养老保险待遇申领（退休）"
ELDERLY_MATTER = "高龄老人津贴申领"
ELDERLY_AGE = 80
NEW_ENTERPRISE_DAYS = 30
NEW_ENTERPRISE_MATTERS = ("新办纳税人涉税事项套餐", "单位社会保险参保登记",
                          "住房公积金单位缴存登记")
# An individual business (个体工商户) registers for tax; the social insurance and housing fund
# accounts are an employer's.
INDIVIDUAL_MATTERS = NEW_ENTERPRISE_MATTERS[:1]
PENSION_BEFORE_MONTHS = 3     # the claim is prepared in the months before retirement
PENSION_AFTER_MONTHS = 12
ELDERLY_BEFORE_DAYS = 30
RENEW_WITHIN_DAYS = 90
LAPSED_KEPT_DAYS = 365        # a licence lapsed longer ago is no longer wanted, it seems


def _say(rule: Rule, matter: str, zh: str, en: str) -> dict:
    return {"rule": rule.name, "matter": matter, "reason": zh, "reason_en": en,
            "score": rule.weight, "reads": list(rule.reads)}


def pension(facts: dict, today: date) -> list[dict]:
    birth, sex = facts.get("registry.birth"), facts.get("registry.sex")
    if not birth or sex not in ("M", "F") or PENSION_MATTER in facts.get("done", ()):
        return []
    born = date.fromisoformat(birth)
    track = retirement_track(sex, facts.get("registry.employment"))
    month = retirement_month(born, track)
    if not plus_months(month, -PENSION_BEFORE_MONTHS) <= today < plus_months(
            month, PENSION_AFTER_MONTHS):
        return []
    zh_age, en_age = age_text(retirement_age_months(born, track))
    when = "达到" if month <= today else f"将于{month.year}年{month.month}月达到"
    when_en = "reached" if month <= today else f"will reach, in {month:%B %Y},"
    return [_say(PENSION, PENSION_MATTER,
                 f"因为您出生于{born.year}年{born.month}月，按渐进式延迟退休的规定，"
                 f"您的法定退休年龄是{zh_age}，您{when}这一年龄，可以申领养老金",
                 f"Because you were born in {born:%B %Y}, your statutory retirement age under "
                 f"the gradual reform is {en_age}, which you {when_en} so you can claim "
                 f"your pension")]


def elderly_allowance(facts: dict, today: date) -> list[dict]:
    birth = facts.get("registry.birth")
    if not birth or ELDERLY_MATTER in facts.get("done", ()):
        return []
    turns = birthday(date.fromisoformat(birth), ELDERLY_AGE)
    if today < turns - timedelta(days=ELDERLY_BEFORE_DAYS):
        return []
    if today >= turns:
        zh, en = "因为您已年满80周岁", "Because you are 80 or older"
    else:
        zh = f"因为您将于{turns.year}年{turns.month}月{turns.day}日年满80周岁"
        en = f"Because you turn 80 on {turns.isoformat()}"
    return [_say(ELDERLY, ELDERLY_MATTER, zh + "，可以按月领取高龄老人津贴",
                 en + ", you can receive the monthly allowance for people over 80")]


def new_enterprise(facts: dict, today: date) -> list[dict]:
    founded = facts.get("org.founded")
    if not founded:
        return []
    days = (today - date.fromisoformat(founded)).days
    if not 0 <= days < NEW_ENTERPRISE_DAYS:
        return []
    matters = INDIVIDUAL_MATTERS if facts.get("org.individual_business") else \
        NEW_ENTERPRISE_MATTERS
    done = set(facts.get("done", ()))
    zh = f"因为贵单位于{founded}成立（{days}天前），新办单位需要办理此事项"
    en = (f"Because your business was founded on {founded} ({days} days ago), and a new "
          f"business needs this")
    return [_say(NEW_ENTERPRISE, m, zh, en) for m in matters if m not in done]


def licence_renewal(facts: dict, today: date) -> list[dict]:
    latest: dict[str, dict] = {}   # a renewed licence stands for the ones it replaced
    for lic in facts.get("wallet", ()):
        if lic.get("expires") and lic["expires"] > latest.get(lic["type"], {}).get("expires", ""):
            latest[lic["type"]] = lic
    out = []
    for lic in latest.values():
        expires = date.fromisoformat(lic["expires"][:10])
        left = (expires - today).days
        if left > RENEW_WITHIN_DAYS or left < -LAPSED_KEPT_DAYS:
            continue
        if left >= 0:
            zh = f"因为您的{lic['name']}将于{expires.isoformat()}到期（还有{left}天）"
            en = (f"Because your {lic['name_en']} expires on {expires.isoformat()} "
                  f"({left} days left)")
        else:
            zh = f"因为您的{lic['name']}已于{expires.isoformat()}到期"
            en = f"Because your {lic['name_en']} expired on {expires.isoformat()}"
        for matter in lic.get("matters", ())[:1]:
            out.append({**_say(RENEWAL, matter, zh + "，请及时办理", en + ": renew it in time"),
                        "licence_type": lic["type"]})
    return out


CHECKS = {PENSION.name: pension, ELDERLY.name: elderly_allowance,
          NEW_ENTERPRISE.name: new_enterprise, RENEWAL.name: licence_renewal}


def suggest(facts: dict, today: date) -> list[dict]:
    """Every rule's suggestions for this party today, in rule order."""
    kind = facts.get("kind", "person")
    out = []
    for rule in RULES:
        if rule.audience in (kind, "both"):
            out += CHECKS[rule.name](facts, today)
    return out


def segment(facts: dict, today: date) -> str:
    """People like this one, for the dismissal counters: an enterprise by kind, a person by
    ten-year age band (an unknown birth is its own band)."""
    if facts.get("kind") == "enterprise":
        return "enterprise:individual" if facts.get("org.individual_business") else \
            "enterprise:company"
    birth = facts.get("registry.birth")
    if not birth:
        return "person:unknown"
    b = date.fromisoformat(birth)
    age = today.year - b.year - ((today.month, today.day) < (b.month, b.day))
    return f"person:{min(age // 10, 9) * 10}s"
