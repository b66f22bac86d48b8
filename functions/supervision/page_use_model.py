"""The page use indicators' rules (pure): who a page open counts for, the 20–49 age band of a
month, and the rates against the plan's targets (10% of enterprises, 8% of residents 20–49).

Counted once per party per month (its page opened by itself or by someone acting for it):
  enterprise           an enterprise's page, by its county (the enterprise rate)
  individual_business  an individual business's page, by its county: counted apart, left out
                       of the enterprise rate as the plan says
  citizen              a person of the base registry aged 20–49 on the month's first day, by
                       the registry's region (the citizen rate)
  citizen_other        anyone else's page (outside the band, or not in the base registry),
                       counted apart
"""
from __future__ import annotations

import re
from datetime import date

from ..core.errors import RuleError

TARGETS = {"enterprise": 0.10, "citizen": 0.08}
AGE_BAND = (20, 49)
RATED = ("enterprise", "citizen")
APART = ("individual_business", "citizen_other")
AUDIENCES = RATED + APART
UNKNOWN = "unknown"   # a county the records do not name
_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def month_of(text: str) -> str:
    """A YYYY-MM month; anything else is the caller's fault (422)."""
    if not isinstance(text, str) or not _MONTH.match(text) or text < "2000-01":
        raise RuleError("month", "The month must be YYYY-MM (2000-01 or later).",
                        "月份格式应为YYYY-MM")
    return text


def first_day(month: str) -> date:
    return date(int(month[:4]), int(month[5:]), 1)


def _age_on(birth: str, day: date) -> int:
    b = date.fromisoformat(birth)
    return day.year - b.year - ((day.month, day.day) < (b.month, b.day))


def enterprise_bucket(doc: dict) -> tuple[str, str]:
    audience = "individual_business" if doc.get("individual_business") else "enterprise"
    return audience, doc.get("county") or UNKNOWN


def person_bucket(registry: dict, account: dict, month: str) -> tuple[str, str]:
    """The registry's record decides (region, birth): age on the month's first day."""
    if registry and registry.get("birth") and registry.get("region"):
        lo, hi = AGE_BAND
        inside = lo <= _age_on(registry["birth"], first_day(month)) <= hi
        return ("citizen" if inside else "citizen_other"), registry["region"]
    return "citizen_other", account.get("home_region") or UNKNOWN


def _shift(month: str, years: int) -> str:
    return f"{int(month[:4]) + years:04d}{month[4:]}"


def band_births(month: str) -> tuple[str, str]:
    """The birth months (inclusive) of the people aged 20–49 on the month's first day D:
    born after D-50y and on or before D-20y."""
    return _shift(month, -(AGE_BAND[1] + 1)), _shift(month, -AGE_BAND[0])


def residents_in_band(born: dict[str, dict[str, tuple[int, int]]],
                      month: str) -> dict[str, int]:
    """Per county, residents aged 20–49 on the month's first day, from counts per birth month
    ((born that month, of them on its 1st)): of the oldest month only those born after its 1st
    are still 49; of the youngest only those born on its 1st are already 20."""
    oldest, youngest = band_births(month)
    out: dict[str, int] = {}
    for born_in, counties in born.items():
        if not oldest <= born_in <= youngest:
            continue
        for county, (n, on_first) in counties.items():
            part = n - on_first if born_in == oldest else on_first if born_in == youngest else n
            out[county] = out.get(county, 0) + part
    return out


def _row(region: dict, opened: int, base: int, target: float, has_data: bool) -> dict:
    rate = round(opened / base, 4) if has_data and base else None
    return {**region, "opened": opened, "base": base, "rate": rate, "target": target,
            "meets": None if rate is None else rate >= target}


def report(month: str, opened: dict[tuple[str, str], int], bases: dict[str, dict[str, int]],
           regions: list[dict]) -> dict:
    """Per county and city-wide, opened ÷ base against the target. `opened`: (audience,
    county) -> n; `bases`: audience -> county -> n; `regions`: the city and its counties
    (code, name, name_en, level). A month without a single open counted has no rates."""
    has_data = any(opened.values())
    city = next((r for r in regions if r.get("level") == "city"), {"code": "city"})
    named = {r["code"]: r for r in regions if r.get("level") != "city"}
    seen = {c for (_, c) in opened} | {c for b in bases.values() for c in b}
    codes = sorted(set(named) | seen)

    def region(code: str) -> dict:
        r = named.get(code, {"code": code, "name": code, "name_en": code})
        return {"region": code, "name": r["name"], "name_en": r.get("name_en", r["name"])}

    whole = {"region": city["code"], "name": city.get("name", city["code"]),
             "name_en": city.get("name_en", city.get("name", city["code"]))}
    out = {"month": month, "has_data": has_data, "age_on": first_day(month).isoformat(),
           "age_band": list(AGE_BAND)}
    for audience in RATED:
        target, base = TARGETS[audience], bases.get(audience, {})
        rows = [_row(region(c), opened.get((audience, c), 0), base.get(c, 0), target, has_data)
                for c in codes]
        total = _row(whole, sum(r["opened"] for r in rows), sum(r["base"] for r in rows),
                     target, has_data)
        out[audience] = {"target": target, "city": total, "counties": rows}
    out["counted_apart"] = {audience: {
        "city": sum(n for (a, _), n in opened.items() if a == audience),
        "counties": {c: n for (a, c), n in sorted(opened.items()) if a == audience and n}}
        for audience in APART}
    out["counted_apart"]["individual_business"]["base"] = sum(
        bases.get("individual_business", {}).values())
    return out
