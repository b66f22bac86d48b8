"""The seed's indicators (附件3) as formulas (pure): what each counts, the targets of the city,
its departments and its counties, and one row per indicator and scope.

A row: {indicator, scope: {kind: city|department|county, code, name, name_en, region},
numerator, denominator, value, target, pass} — anyone can recompute `value` from the two
counts. `value` is None when the denominator is 0 or the month has no data; `pass` is None
where the seed sets no target (or there is no value).

Formulas (numerator ÷ denominator):
  full_online_rate         licensing matters whose online_depth is "full" ÷ licensing matters
                           (kind "licensing") of the catalogue in scope
  online_application_rate  applications first submitted online in the month ÷ all first
                           submitted in the month (online + at a counter)
  online_completion_rate   applications made online and completed (approved or refused) in the
                           month ÷ all applications completed in the month: both sides count
                           the month's completions, so the rate never passes 100%
  visits_at_most_one       matters of the catalogue in scope (every kind) whose `visits` field
                           is 0 or 1 ÷ all matters in scope ("≥85% of matters ≤1 visit": the
                           share of matters, from the guide's declared visits, not of people)
  visits_zero              matters whose `visits` is 0 ÷ all matters in scope
  elicence_rate            licence types issued electronically on approval in the month (an
                           approval in scope issued an e-licence of the type) ÷ licence types
                           that some catalogue matter in scope issues (the licence room's issue
                           list: licence_types.json `issued_by_matters`)
  enterprise_page_use      enterprises (no individual businesses) whose page was used in the
                           month ÷ enterprises in the base registry (pages' page use counters)
  citizen_page_use         people aged 20–49 whose page was used ÷ residents aged 20–49
  business_volume          counts, not a rate: `counts` {submitted, accepted, completed} of the
                           month; `value` is the submitted count, numerator/denominator None

Catalogue-based rows read the current catalogue (it has no monthly history).
"""
from __future__ import annotations

import re
from datetime import date

from ..core.errors import RuleError

CITY = "441400"
INDICATORS = ("full_online_rate", "online_application_rate", "online_completion_rate",
              "visits_at_most_one", "visits_zero", "elicence_rate", "enterprise_page_use",
              "citizen_page_use", "business_volume")
# The seed's targets: city-wide, city departments, counties (county departments too).
TARGETS: dict[str, dict[str, float | None]] = {
    "full_online_rate": {"city": 0.85, "department": 0.95, "county": 0.70},
    "online_application_rate": {"city": 0.80, "department": 0.90, "county": 0.70},
    "online_completion_rate": {"city": 0.80, "department": 0.90, "county": 0.65},
    "visits_at_most_one": {"city": 0.85, "department": 0.95, "county": 0.82},
    "visits_zero": {"city": 0.20, "department": 0.30, "county": 0.12},
    "elicence_rate": {"city": None, "department": 0.15, "county": 0.10},
    "enterprise_page_use": {"city": 0.10, "department": None, "county": None},
    "citizen_page_use": {"city": 0.08, "department": None, "county": None},
    "business_volume": {"city": None, "department": None, "county": None},
}
CHANNELS = ("online", "counter")
# Counter attributes whose presence means the month has data.
ACTIVITY = tuple(f"{k}_{c}" for k in ("submitted", "accepted", "completed") for c in CHANNELS)
ELICENCE = "elicence_"   # + licence type: e-licences of the type issued on approval
_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def month_of(text: str, *, today: date) -> str:
    """A YYYY-MM month no later than today's (Beijing time); else a 422."""
    if not isinstance(text, str) or not _MONTH.match(text) or text < "2000-01":
        raise RuleError("month", "The month must be YYYY-MM (2000-01 or later).",
                        "月份格式应为YYYY-MM")
    if text > today.strftime("%Y-%m"):
        raise RuleError("month", "That month has not begun yet.", "该月份尚未开始")
    return text


def target(indicator: str, kind: str, region: str | None = None) -> float | None:
    """A department outside the city proper is a county department: the county's target."""
    if kind == "department" and region and region != CITY:
        kind = "county"
    return TARGETS[indicator][kind]


def rate(numerator: int, denominator: int) -> float | None:
    return round(numerator / denominator, 4) if denominator else None


def row(indicator: str, scope: dict, numerator, denominator, *, has_data: bool,
        value=None, **extra) -> dict:
    goal = target(indicator, scope["kind"], scope.get("region"))
    if value is None and has_data and numerator is not None:
        value = rate(numerator, denominator)
    if not has_data:
        value = None
    passed = None if goal is None or value is None else value >= goal
    return {"indicator": indicator, "scope": scope, "numerator": numerator,
            "denominator": denominator, "value": value, "target": goal, "pass": passed, **extra}


# ---- what the catalogue says ---------------------------------------------------------------

def catalogue_counts(matters) -> dict[str, int]:
    """The catalogue-based counts of a list of matters (as the public catalogue lists them)."""
    out = {"licensing": 0, "licensing_full": 0, "matters": 0, "visits_le1": 0, "visits_0": 0}
    for m in matters:
        out["matters"] += 1
        out["visits_le1"] += m["visits"] <= 1
        out["visits_0"] += m["visits"] == 0
        if m["kind"] == "licensing":
            out["licensing"] += 1
            out["licensing_full"] += m["online_depth"] == "full"
    return out


def issued_types(matter_codes, issue_list: dict[str, list[str]]) -> set[str]:
    """The licence types an approval of one of these matters issues."""
    codes = set(matter_codes)
    return {t for t, by in issue_list.items() if codes.intersection(by)}


# ---- what the counters say -----------------------------------------------------------------

def totals(counters: list[dict]) -> dict[str, int]:
    """The sum of counter rows (each {attribute: n})."""
    out: dict[str, int] = {}
    for c in counters:
        for k, v in c.items():
            out[k] = out.get(k, 0) + v
    return out


def has_activity(counters) -> bool:
    return any(c.get(k) for c in counters for k in ACTIVITY)


def volume(t: dict[str, int]) -> dict[str, int]:
    return {k: sum(t.get(f"{k}_{c}", 0) for c in CHANNELS)
            for k in ("submitted", "accepted", "completed")}


def scope_rows(scope: dict, *, catalogue: dict[str, int], should_issue: set[str],
               counters: dict[str, int], has_data: bool,
               page_use: dict[str, tuple[int, int]] | None = None) -> list[dict]:
    """Every indicator of one scope. `catalogue`: catalogue_counts of its matters;
    `should_issue`: the licence types its matters issue; `counters`: the totals of its counter
    rows; `page_use`: audience -> (used, base), for the city and counties only."""
    t, vol = counters, volume(counters)
    issued = {k[len(ELICENCE):] for k, v in t.items() if k.startswith(ELICENCE) and v}
    rows = [
        row("full_online_rate", scope, catalogue["licensing_full"], catalogue["licensing"],
            has_data=has_data),
        row("online_application_rate", scope, t.get("submitted_online", 0), vol["submitted"],
            has_data=has_data),
        row("online_completion_rate", scope, t.get("completed_online", 0), vol["completed"],
            has_data=has_data),
        row("visits_at_most_one", scope, catalogue["visits_le1"], catalogue["matters"],
            has_data=has_data),
        row("visits_zero", scope, catalogue["visits_0"], catalogue["matters"],
            has_data=has_data),
        row("elicence_rate", scope, len(issued & should_issue), len(should_issue),
            has_data=has_data),
    ]
    if page_use is not None:
        for audience in ("enterprise", "citizen"):
            used, base = page_use.get(audience, (0, 0))
            rows.append(row(f"{audience}_page_use", scope, used, base, has_data=has_data))
    rows.append(row("business_volume", scope, None, None, has_data=has_data,
                    value=vol["submitted"] if has_data else None, counts=vol))
    return rows
