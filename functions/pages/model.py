"""The rules of the pages room: the calendar of recurring deadlines (validated data), the tax
filing-deadline practice, the administrator's published calendar, and a party's upcoming
deadlines. Pure: the working-day calendar, the published dates and the day are passed in."""
from __future__ import annotations

import calendar as _months
import re
import string
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

KINDS = ("monthly", "quarterly", "window", "yearly", "relative")
SHIFTS = ("tax", "next_workday", "none")
AUDIENCES = ("person", "enterprise")
OPS = ("is", "in", "not", "min", "max", "exists")
PLACEHOLDERS = frozenset({"date", "opens", "fact_date"})
QUARTER_MONTHS = (1, 4, 7, 10)
MAX_HORIZON = 366
# 《税收征收管理法实施细则》第109条: a run of 3 or more rest days inside the filing period
# extends it by as many days (the tax authority counts them as working days after the 15th).
TAX_RUN = 3
_ID = re.compile(r"^[a-z0-9][a-z0-9-]{1,47}$")
_MMDD = re.compile(r"^(\d{2})-(\d{2})$")
_MATTER = re.compile(r"^\d{6}-[A-Z]{2,6}-\d{4}$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_RULE_KEYS = {"id", "audience", "kind", "name", "matter", "when", "reason", "day", "shift",
              "months", "start", "end", "date", "fact", "opens_before"}


class DeadlineFileError(ValueError):
    """The deadline calendar file is wrong: the message names the rule and the field."""


class CalendarError(ValueError):
    """An administrator's published filing calendar is invalid; `field` names what."""

    def __init__(self, field: str, message: str, zh: str):
        super().__init__(f"{field}: {message}")
        self.field, self.message, self.zh = field, message, zh


@dataclass(frozen=True)
class Rule:
    id: str
    audience: str
    kind: str
    name: dict
    matter: str
    reason: dict
    when: tuple = ()
    day: int = 15
    shift: str = "none"
    months: tuple = ()
    start: tuple = ()        # (month, day) of a window
    end: tuple = ()          # (month, day) of a window, or the yearly date
    fact: str = ""
    opens_before: tuple = (0, 0)  # (months, days)


# ---- the file ------------------------------------------------------------------------------

def _mmdd(value, where: str) -> tuple[int, int]:
    m = _MMDD.match(value) if isinstance(value, str) else None
    if not m:
        raise DeadlineFileError(f"{where}: must be 'MM-DD', got {value!r}")
    month, day = int(m[1]), int(m[2])
    try:
        date(2024, month, day)  # a leap year, so 02-29 is a real day
    except ValueError:
        raise DeadlineFileError(f"{where}: {value} is not a day of the year") from None
    return month, day


def _texts(value, where: str, placeholders: bool = False) -> dict:
    if not isinstance(value, Mapping) or set(value) != {"zh", "en"} or not all(
            isinstance(v, str) and v.strip() for v in value.values()):
        raise DeadlineFileError(f"{where}: must be {{'zh': ..., 'en': ...}}, both non-empty")
    for text in value.values():
        names = {f for _, f, _, _ in string.Formatter().parse(text) if f is not None}
        bad = names - (PLACEHOLDERS if placeholders else set())
        if bad:
            raise DeadlineFileError(f"{where}: unknown placeholder {{{sorted(bad)[0]}}} "
                                    f"(allowed: {', '.join(sorted(PLACEHOLDERS))})")
    return dict(value)


def _conditions(value, where: str) -> tuple:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise DeadlineFileError(f"{where}: must be a list of conditions")
    out = []
    for i, cond in enumerate(value):
        at = f"{where}[{i}]"
        if not isinstance(cond, Mapping) or not isinstance(cond.get("fact"), str):
            raise DeadlineFileError(f"{at}: must name a 'fact'")
        ops = set(cond) - {"fact"}
        if len(ops) != 1 or not ops <= set(OPS):
            raise DeadlineFileError(f"{at}: needs exactly one of {', '.join(OPS)}")
        op = ops.pop()
        arg = cond[op]
        if op in ("min", "max") and (isinstance(arg, bool) or not isinstance(arg, int | float)):
            raise DeadlineFileError(f"{at}: '{op}' takes a number")
        if op == "in" and not isinstance(arg, list):
            raise DeadlineFileError(f"{at}: 'in' takes a list")
        if op == "exists" and not isinstance(arg, bool):
            raise DeadlineFileError(f"{at}: 'exists' takes true or false")
        out.append((cond["fact"], op, tuple(arg) if op == "in" else arg))
    return tuple(out)


def _rule(raw, i: int) -> Rule:
    where = f"rules[{i}]"
    if not isinstance(raw, Mapping):
        raise DeadlineFileError(f"{where}: must be an object")
    rid = raw.get("id")
    if not isinstance(rid, str) or not _ID.match(rid):
        raise DeadlineFileError(f"{where}: 'id' must be lower-case letters, digits and '-'")
    where = f"{where} ({rid})"
    unknown = set(raw) - _RULE_KEYS
    if unknown:
        raise DeadlineFileError(f"{where}: unknown field '{sorted(unknown)[0]}'")
    if raw.get("audience") not in AUDIENCES:
        raise DeadlineFileError(f"{where}: 'audience' must be one of {', '.join(AUDIENCES)}")
    kind = raw.get("kind")
    if kind not in KINDS:
        raise DeadlineFileError(f"{where}: 'kind' must be one of {', '.join(KINDS)}")
    if not isinstance(raw.get("matter"), str) or not _MATTER.match(raw["matter"]):
        raise DeadlineFileError(f"{where}: 'matter' must be a catalogue code like 441400-SWJ-0012")
    fields = {"id": rid, "audience": raw["audience"], "kind": kind, "matter": raw["matter"],
              "name": _texts(raw.get("name"), f"{where}.name"),
              "reason": _texts(raw.get("reason"), f"{where}.reason", placeholders=True),
              "when": _conditions(raw.get("when"), f"{where}.when")}
    shift = raw.get("shift", "none")
    if shift not in SHIFTS:
        raise DeadlineFileError(f"{where}: 'shift' must be one of {', '.join(SHIFTS)}")
    if kind in ("monthly", "quarterly"):
        day = raw.get("day")
        if isinstance(day, bool) or not isinstance(day, int) or not 1 <= day <= 28:
            raise DeadlineFileError(f"{where}: 'day' must be a day of the month from 1 to 28")
        months = raw.get("months", list(QUARTER_MONTHS) if kind == "quarterly" else
                         list(range(1, 13)))
        if not isinstance(months, list) or not months or any(
                isinstance(m, bool) or not isinstance(m, int) or not 1 <= m <= 12
                for m in months) or len(set(months)) != len(months):
            raise DeadlineFileError(f"{where}: 'months' must list distinct months 1-12")
        fields.update(day=day, shift=shift, months=tuple(sorted(months)))
    elif kind == "window":
        start, end = _mmdd(raw.get("start"), f"{where}.start"), _mmdd(raw.get("end"),
                                                                      f"{where}.end")
        if end < start:
            raise DeadlineFileError(f"{where}: the window must end after it starts, in one year")
        fields.update(start=start, end=end)
    elif kind == "yearly":
        fields.update(end=_mmdd(raw.get("date"), f"{where}.date"), shift=shift)
    else:
        fact = raw.get("fact")
        if not isinstance(fact, str) or not fact:
            raise DeadlineFileError(f"{where}: a relative deadline names its date 'fact'")
        before = raw.get("opens_before", {})
        if not isinstance(before, Mapping) or set(before) - {"months", "days"} or any(
                isinstance(v, bool) or not isinstance(v, int) or not 0 <= v <= 400
                for v in before.values()):
            raise DeadlineFileError(f"{where}: 'opens_before' takes 'months' and/or 'days'")
        fields.update(fact=fact, opens_before=(before.get("months", 0), before.get("days", 0)))
    return Rule(**fields)


def parse_rules(data) -> tuple[Rule, ...]:
    """The rules of the deadline calendar file, or DeadlineFileError naming what is wrong."""
    if not isinstance(data, Mapping) or not isinstance(data.get("rules"), list):
        raise DeadlineFileError("the file must be an object with a 'rules' list")
    rules = tuple(_rule(raw, i) for i, raw in enumerate(data["rules"]))
    seen: set[str] = set()
    for rule in rules:
        if rule.id in seen:
            raise DeadlineFileError(f"rule id '{rule.id}' is used twice")
        seen.add(rule.id)
    return rules


# ---- the published filing calendar -------------------------------------------------------

def parse_filing_calendar(year: int, data: Mapping, workdays) -> dict[int, date]:
    """The tax authority's filing dates for `year` ({month: date}): all 12 months once, each
    date in its month, on or after the 15th, and a working day of `workdays` (a calendar with
    is_workday: weekends only unless an adjusted working day, never a statutory holiday)."""
    if isinstance(year, bool) or not isinstance(year, int) or not 2000 <= year <= 2100:
        raise CalendarError("year", "must be a year from 2000 to 2100",
                            "年份须在 2000 至 2100 之间")
    dates = data.get("dates")
    if not isinstance(dates, list) or len(dates) != 12:
        raise CalendarError("dates", "must list the 12 months of the year", "须列出全年 12 个月")
    out: dict[int, date] = {}
    for item in dates:
        month, text = item.get("month"), item.get("date")
        if isinstance(month, bool) or not isinstance(month, int) or not 1 <= month <= 12:
            raise CalendarError("dates", f"{month!r} is not a month", f"{month!r} 不是月份")
        if month in out:
            raise CalendarError("dates", f"month {month} is listed twice", f"{month} 月重复出现")
        if not isinstance(text, str) or not _ISO_DATE.match(text):
            raise CalendarError("dates", f"{text!r} is not a YYYY-MM-DD date",
                                f"{text!r} 不是 YYYY-MM-DD 格式的日期")
        try:
            d = date.fromisoformat(text)
        except ValueError:
            raise CalendarError("dates", f"{text} is not a calendar date",
                                f"{text} 不是有效日期") from None
        if (d.year, d.month) != (year, month):
            raise CalendarError("dates", f"{text} is not in {year}-{month:02d}",
                                f"{text} 不在 {year} 年 {month} 月内")
        if d.day < 15:
            raise CalendarError("dates", f"{text} is before the statutory 15th",
                                f"{text} 早于法定的 15 日")
        if not workdays.is_workday(d):
            raise CalendarError("dates", f"{text} is not a working day",
                                f"{text} 不是工作日（周末且非调休上班日，或法定节假日）")
        out[month] = d
    return out


# ---- dates ---------------------------------------------------------------------------------

def tax_deadline(year: int, month: int, day: int, workdays) -> date:
    """The filing practice: each run of 3+ rest days inside days 1..`day` of the month extends
    the deadline by its length in working days after `day`; with none, a deadline on a rest
    day moves to the next working day (2024: 23 Feb, 24 Oct; 2025: 20 Feb, 27 Oct)."""
    extra, run = 0, 0
    for n in range(1, day + 1):
        if workdays.is_workday(date(year, month, n)):
            extra += run if run >= TAX_RUN else 0
            run = 0
        else:
            run += 1
    extra += run if run >= TAX_RUN else 0
    due = date(year, month, day)
    if not extra and workdays.is_workday(due):
        return due
    for _ in range(max(extra, 1)):
        due += timedelta(days=1)
        while not workdays.is_workday(due):
            due += timedelta(days=1)
    return due


def _shifted(nominal: date, shift: str, workdays) -> date:
    if shift == "tax":
        return tax_deadline(nominal.year, nominal.month, nominal.day, workdays)
    if shift == "next_workday":
        while not workdays.is_workday(nominal):
            nominal += timedelta(days=1)
    return nominal


def _minus(d: date, months: int, days: int) -> date:
    y, m = divmod(d.year * 12 + d.month - 1 - months, 12)
    return date(y, m + 1, min(d.day, _months.monthrange(y, m + 1)[1])) - timedelta(days=days)


def _holds(facts: Mapping, cond: tuple) -> bool:
    fact, op, arg = cond
    present = fact in facts and facts[fact] is not None
    value = facts.get(fact)
    if op == "exists":
        return present == arg
    if op == "not":
        return not present or value != arg
    if not present:
        return False
    if op == "is":
        return value == arg
    if op == "in":
        return value in arg
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return value >= arg if op == "min" else value <= arg


def applies(rule: Rule, audience: str, facts: Mapping) -> bool:
    return rule.audience == audience and all(_holds(facts, c) for c in rule.when)


def _occurrences(rule: Rule, today: date, end: date, facts: Mapping, workdays,
                 published: Mapping[int, Mapping[int, date]]):
    """(date, opens, source, nominal, fact_date) for each occurrence that may fall in range."""
    if rule.kind in ("monthly", "quarterly"):
        y, m = today.year, today.month
        while date(y, m, 1) <= end:
            if m in rule.months:
                nominal = date(y, m, rule.day)
                if rule.shift == "tax" and m in published.get(y, {}):
                    due, source = published[y][m], "published"
                else:
                    due = _shifted(nominal, rule.shift, workdays)
                    source = "rule" if rule.shift == "none" or workdays.known(y) \
                        else "provisional"
                yield due, date(y, m, 1), source, nominal, None
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    elif rule.kind in ("window", "yearly"):
        for y in range(today.year, end.year + 1):
            nominal = date(y, *rule.end)
            due = _shifted(nominal, rule.shift, workdays)
            opens = date(y, *rule.start) if rule.kind == "window" else None
            source = "rule" if rule.shift == "none" or workdays.known(y) else "provisional"
            yield due, opens, source, nominal, None
    else:
        raw = facts.get(rule.fact)
        if isinstance(raw, str) and _ISO_DATE.match(raw):
            due = date.fromisoformat(raw)
            yield due, _minus(due, *rule.opens_before), "fact", due, due


def upcoming(rules, *, audience: str, facts: Mapping, today: date, days: int, workdays,
             published: Mapping[int, Mapping[int, date]] | None = None,
             matters: frozenset | None = None) -> list[dict]:
    """The party's deadlines whose date is today or later and whose action starts (its window
    opens, or the date itself) within `days`: an open window is shown until it closes.
    Sorted by date, then rule id. `matters` limits them to those matters (a family member
    acting for someone sees only the matters they were authorised for)."""
    if not 0 <= days <= MAX_HORIZON:
        raise ValueError(f"days must be 0..{MAX_HORIZON}")
    end, out = today + timedelta(days=days), []
    for rule in rules:
        if not applies(rule, audience, facts) or (matters is not None
                                                   and rule.matter not in matters):
            continue
        for due, opens, source, nominal, fact_date in _occurrences(
                rule, today, end, facts, workdays, published or {}):
            if due < today or min(opens or due, due) > end:
                continue
            values = {"date": due.isoformat(), "opens": (opens or due).isoformat(),
                      "fact_date": fact_date.isoformat() if fact_date else ""}
            out.append({
                "id": rule.id, "date": due.isoformat(), "days_left": (due - today).days,
                "opens": opens.isoformat() if opens else None,
                "open": opens is None or opens <= today,
                "name": rule.name["zh"], "name_en": rule.name["en"], "matter": rule.matter,
                "reason": rule.reason["zh"].format_map(values),
                "reason_en": rule.reason["en"].format_map(values),
                "source": source, "moved_from": nominal.isoformat() if nominal != due else None,
            })
    return sorted(out, key=lambda d: (d["date"], d["id"]))


def age_on(birth: str | None, today: date) -> int | None:
    if not birth:
        return None
    b = date.fromisoformat(birth)
    return today.year - b.year - ((today.month, today.day) < (b.month, b.day))


def licence_facts(licences: list[dict], today: date) -> dict:
    """licence.<type>.expires: the latest expiry among the holder's unrevoked licences of
    each type (the one in force, or the last that lapsed)."""
    out: dict[str, str] = {}
    for lic in licences:
        if lic.get("revoked_at") or not lic.get("expires"):
            continue
        name = f"licence.{lic['type']}.expires"
        out[name] = max(out.get(name, ""), lic["expires"])
    return out
