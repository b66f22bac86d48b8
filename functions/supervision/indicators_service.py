"""The month's indicators per scope (city-wide, city departments, counties; a drill-down to one
department or region), read from counters and the catalogue in memory: a bounded number of
storage calls whatever the month's volume (the counter rows, the page use counters and the
base registry's counts), never a Scan or Query of applications."""
from __future__ import annotations

from datetime import datetime

from ..core import clock
from ..core.errors import Forbidden
from . import indicators_model as model
from . import indicators_store as store
from . import page_use

CITY = model.CITY


def _names(kind: str, code: str, region: str | None = None) -> dict:
    from ..hall import model as hall_model

    ref = hall_model.by_code("departments" if kind == "department" else "regions").get(code, {})
    scope = {"kind": kind, "code": code, "name": ref.get("name", code),
             "name_en": ref.get("name_en", ref.get("name", code))}
    return {**scope, "region": region if kind == "department" else code}


def _scopes(cat, counters: dict, department: str | None, region: str | None):
    """(scope, the scope's matters, its counter rows, page use key) for each scope asked."""
    from ..hall import model as hall_model

    def dept_in(code: str, where: str):
        return (_names("department", code, where),
                [m for m in cat.ordered if m["department"] == code and m["region"] == where],
                [c for (d, r), c in counters.items() if d == code and r == where], None)

    pairs = {(m["department"], m["region"]) for m in cat.ordered} | set(counters)
    if department is None and region is None:
        yield (_names("city", CITY), cat.listing(cat.ordered), list(counters.values()), CITY)
        for code in sorted({d for d, r in pairs if r == CITY}):
            yield dept_in(code, CITY)
        for county in (r["code"] for r in hall_model.reference("regions")
                       if r.get("level") != "city"):
            yield (_names("county", county), [m for m in cat.ordered if m["region"] == county],
                   [c for (_, r), c in counters.items() if r == county], county)
        return
    if region and region != CITY and department is None:
        yield (_names("county", region), [m for m in cat.ordered if m["region"] == region],
               [c for (_, r), c in counters.items() if r == region], region)
    for code, where in sorted(pairs):
        if (department in (None, code)) and (region in (None, where)):
            yield dept_in(code, where)


def _page_use(use: dict, where: str | None) -> dict | None:
    if where is None:
        return None
    out = {}
    for audience in ("enterprise", "citizen"):
        part = use[audience]
        got = part["city"] if where == CITY else next(
            (r for r in part["counties"] if r["region"] == where), {"opened": 0, "base": 0})
        out[audience] = (got["opened"], got["base"])
    return out


def month_rows(settings, month: str | None, *, department: str | None = None,
               county: str | None = None, now: datetime | None = None) -> dict:
    """{"month", "has_data", "rows": [...]}: every indicator of every scope of the month
    (default: the current Beijing month; malformed or future: 422). `department` / `county`
    (a region code; the city's own 441400 for city departments) narrow to a drill-down."""
    from ..hall import store as hall_store
    from ..licences import model as licences_model

    now = now or clock.now()
    today = now.astimezone(clock.CHINA).date()
    month = model.month_of(month, today=today) if month is not None else today.strftime("%Y-%m")
    counters = store.month_counters(settings, month)
    use = page_use.page_use(settings, month, now=now)
    cat = hall_store.current_catalogue(settings)
    issue_list = licences_model.issue_list()
    has_data = model.has_activity(counters.values()) or bool(use["has_data"])
    rows = []
    for scope, matters, rows_of, use_key in _scopes(cat, counters, department, county):
        rows += model.scope_rows(
            scope, catalogue=model.catalogue_counts(matters),
            should_issue=model.issued_types((m["code"] for m in matters), issue_list),
            counters=model.totals(rows_of), has_data=has_data,
            page_use=_page_use(use, use_key))
    return {"month": month, "has_data": has_data, "rows": rows,
            "filters": {"department": department, "county": county}}


def supervision_rows(settings, who, month: str | None, *, department: str | None,
                     county: str | None, now: datetime) -> dict:
    """Supervisors and administrators see any drill-down; a department head their own
    department (in their region) only."""
    if not who.roles.intersection({"supervisor", "admin"}):
        if department not in (None, who.department) or county not in (None, who.region):
            raise Forbidden("A department head sees their own department only.")
        department, county = who.department, who.region or CITY
    return month_rows(settings, month, department=department, county=county, now=now)
