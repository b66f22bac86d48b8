"""Use cases of the pages room: the acting party's upcoming deadlines, and the administrator's
published filing calendar for a year."""
from __future__ import annotations

import json
import time
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

from ..core import clock
from ..core.errors import RuleError
from ..core.store import audit_record
from . import model, store

DEADLINES_FILE = Path(__file__).with_name("data") / "deadlines.json"
CALENDAR_SECONDS = 300
_published: dict = {}
JOBS: dict = {}


@lru_cache(maxsize=1)
def rules() -> tuple[model.Rule, ...]:
    """The calendar of recurring deadlines, read and validated once per process."""
    try:
        data = json.loads(DEADLINES_FILE.read_text(encoding="utf-8"))
    except ValueError as err:
        raise model.DeadlineFileError(f"{DEADLINES_FILE.name}: not JSON: {err}") from err
    try:
        return model.parse_rules(data)
    except model.DeadlineFileError as err:
        raise model.DeadlineFileError(f"{DEADLINES_FILE.name}: {err}") from err


def published(settings, *, fresh: bool = False) -> dict[int, dict[int, date]]:
    """The loaded filing calendars by year, read at most every five minutes."""
    hit = _published.get(settings.table_name)
    if hit and not fresh and time.monotonic() - hit[1] < CALENDAR_SECONDS:
        return hit[0]
    years = {int(doc["year"]): {int(m): date.fromisoformat(d) for m, d in doc["dates"].items()}
             for doc in store.filing_calendars(settings)}
    _published[settings.table_name] = (years, time.monotonic())
    return years


def forget() -> None:
    """Drop the cached calendars (tests, and the instance that loaded one)."""
    _published.clear()


def _workdays(settings):
    from ..intake import service as intake  # the working-day calendar with loaded holidays

    return intake.work_calendar(settings)


def _view(year: int, dates: dict[int, date], doc: dict | None) -> dict:
    return {"year": year, "published": doc is not None,
            "dates": [{"month": m, "date": dates[m].isoformat()} for m in sorted(dates)],
            "source": (doc or {}).get("source"), "loaded_at": (doc or {}).get("loaded_at")}


def year_of(text: str) -> int:
    """The year in a URL: four digits from 2000 to 2100, else a 422 naming `year`."""
    if not (len(text) == 4 and text.isdigit() and 2000 <= int(text) <= 2100):
        raise RuleError("year", "must be a year from 2000 to 2100", "年份须在 2000 至 2100 之间")
    return int(text)


def filing_calendar(settings, year: int) -> dict:
    """The year's filing deadlines: the published ones if loaded, else as the rule computes
    them (so an administrator compares before loading)."""
    docs = {int(d["year"]): d for d in store.filing_calendars(settings)}
    if year in docs:
        doc = docs[year]
        return _view(year, {int(m): date.fromisoformat(d) for m, d in doc["dates"].items()}, doc)
    cal = _workdays(settings)
    return _view(year, {m: model.tax_deadline(year, m, 15, cal) for m in range(1, 13)}, None)


def load_filing_calendar(settings, who, year: int, data: dict, *, now: datetime) -> dict:
    """Store the tax authority's published dates for a year, replacing the computed ones."""
    try:
        dates = model.parse_filing_calendar(year, data, _workdays(settings))
    except model.CalendarError as err:
        raise RuleError(err.field, err.message, err.zh) from err
    at = clock.iso(now)
    doc = {"year": year, "dates": {str(m): d.isoformat() for m, d in dates.items()},
           "source": data.get("source") or "", "loaded_at": at}
    store.put_filing_calendar(settings, doc, audit=audit_record(
        who, "deadline_calendar.load", f"deadline-calendar:{year}", at=at,
        detail={"dates": doc["dates"]}))
    forget()
    return _view(year, dates, doc)


# ---- the acting party's deadlines ---------------------------------------------------------

def _person_facts(settings, account_id: str, today: date) -> dict:
    from ..identity.store import accounts
    from ..licences import store as licences

    account = accounts.get_account(settings, account_id)
    wallet = [{**w["payload"], "revoked_at": w["revoked_at"]}
              for w in licences.wallet(settings, "person", account_id)]
    return {"age": model.age_on(account.get("birth"), today),
            "region": account.get("home_region") or account.get("region"),
            **model.licence_facts(wallet, today)}


def _enterprise_facts(settings, uscc: str, today: date) -> dict:
    from ..identity.store import enterprises
    from ..licences import store as licences

    org = enterprises.registry_org(settings, uscc) or {
        **(enterprises.get_enterprise(settings, uscc) or {}), "status": "active"}
    active = org.get("status") == "active"
    wallet = [{**w["payload"], "revoked_at": w["revoked_at"]}
              for w in licences.wallet(settings, "enterprise", uscc)]
    # Since 五证合一 (2016) the business licence is also the tax and social insurance
    # registration: an active registered enterprise has both.
    return {"status": org.get("status"), "individual_business": bool(
        org.get("individual_business")), "founded": org.get("founded"),
        "region": org.get("county"), "tax_registered": active,
        "social_insurance_registered": active, **model.licence_facts(wallet, today)}


def facts(settings, who, today: date) -> tuple[str, dict, frozenset | None]:
    """(audience, facts, matters allowed or None) of whoever the caller acts as."""
    act = who.act
    if act and act["kind"] == "enterprise":
        return "enterprise", _enterprise_facts(settings, act["id"], today), None
    if act and act["kind"] == "person":
        return ("person", _person_facts(settings, act["id"], today),
                frozenset(act.get("matters") or ()))
    return "person", _person_facts(settings, who.subject, today), None


def upcoming(settings, audience: str, known: dict, *, today: date, days: int,
             matters: frozenset | None = None) -> list[dict]:
    """The deadlines for facts the caller already read (the page reads them with its own
    round trips): warm, this makes no storage call (the calendars are cached)."""
    return model.upcoming(rules(), audience=audience, facts=known, today=today, days=days,
                          workdays=_workdays(settings), published=published(settings),
                          matters=matters)


def deadlines(settings, who, *, days: int, now: datetime) -> dict:
    """The acting party's upcoming deadlines in the next `days` days (the page's section)."""
    today = now.astimezone(clock.CHINA).date()
    audience, known, matters = facts(settings, who, today)
    items = upcoming(settings, audience, known, today=today, days=days, matters=matters)
    return {"as_of": today.isoformat(), "days": days, "party": who.acting_for.split(":")[0],
            "items": items}
