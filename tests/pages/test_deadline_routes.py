"""The deadline routes: the administrators' published filing calendar (roles, validation,
audit) and GET /api/v1/me/deadlines for a citizen and for enterprises."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from functions.core import clock
from functions.intake.calendar import WorkCalendar
from functions.pages import model
from tests.helpers import ok
from tests.licences.factories import make_citizen, make_enterprise, staff

URL = "/api/v1/admin/deadline-calendar/{}"
DEMO_USCC = "91441402MA0MT2NFX4"      # the README's 梅州市示范科技有限公司


def _dates(year: int, **changed: str) -> list[dict]:
    """The year's computed dates (valid by construction), some months changed (m2="...")."""
    cal = WorkCalendar()
    out = {m: model.tax_deadline(year, m, 15, cal).isoformat() for m in range(1, 13)}
    out.update({int(k[1:]): v for k, v in changed.items()})
    return [{"month": m, "date": d} for m, d in sorted(out.items())]


@pytest.fixture
def admin(token):
    return token("admin", subject="pages-admin", kind="admin")


def test_only_administrators_and_catalogue_administrators_load_a_calendar(client, token, admin):
    body = {"dates": _dates(2026, m2="2026-02-28"), "source": "国家税务总局 2026 年申报纳税日历"}
    assert client.put(URL.format(2026), json=body).status_code == 401
    for refused in (token("officer", department="SWJ", region="441400"),
                    token("supervisor", subject="pages-sup", kind="supervisor"),
                    token("citizen", subject="pages-citizen", kind="citizen")):
        assert client.put(URL.format(2026), json=body, headers=refused).status_code == 403
        assert client.get(URL.format(2026), headers=refused).status_code == 403
    # 28 February 2026 is a Saturday worked (调休): a published date may fall on it
    got = ok(client.put(URL.format(2026), json=body, headers=admin))
    assert got["published"] and got["source"] == body["source"]
    assert got["dates"][1] == {"month": 2, "date": "2026-02-28"} and len(got["dates"]) == 12
    assert ok(client.get(URL.format(2026), headers=admin))["dates"] == got["dates"]
    cat = token("catalogue_admin", subject="pages-catalogue", kind="admin")
    again = ok(client.put(URL.format(2026), json={"dates": _dates(2026)}, headers=cat))
    assert again["dates"][1]["date"] == "2026-02-24" and again["source"] == ""


def test_a_load_is_audited(client, admin, settings):
    from functions.core.store import audit_query

    ok(client.put(URL.format(2026), json={"dates": _dates(2026)}, headers=admin))
    rows, _ = audit_query(settings, day=clock.iso()[:10], actor="pages-admin",
                          action="deadline_calendar.load", limit=50, start=None)
    assert rows and rows[-1]["target"] == "deadline-calendar:2026"
    assert rows[-1]["detail"]["dates"]["2"] == "2026-02-24" and rows[-1]["result"] == "ok"


def test_a_year_not_loaded_shows_the_computed_dates(client, admin):
    got = ok(client.get(URL.format(2025), headers=admin))
    assert not got["published"] and got["source"] is None
    assert [d["date"] for d in got["dates"]][9] == "2025-10-27"


@pytest.mark.parametrize("dates,field,says", [
    (_dates(2026)[:11], "dates", "12"),
    (_dates(2026, m3="2026-04-15"), "dates", "not in 2026-03"),
    (_dates(2026, m3="2026-03-21"), "dates", "not a working day"),      # a Saturday
    (_dates(2026, m2="2026-02-16"), "dates", "not a working day"),      # Spring Festival
    (_dates(2026, m5="2026-05-14"), "dates", "before the statutory 15th"),
    (_dates(2026, m5="2026-05-32"), "dates", "not a calendar date"),
    (_dates(2026, m5="2026-5-18"), "dates", "YYYY-MM-DD"),
    (_dates(2026)[:11] + [{"month": 1, "date": "2026-01-20"}], "dates", "listed twice"),
    (_dates(2026)[:11] + [{"month": 13, "date": "2026-12-15"}], "dates", "month"),
])
def test_an_invalid_calendar_is_a_422_naming_the_field(client, admin, dates, field, says):
    resp = client.put(URL.format(2026), json={"dates": dates}, headers=admin)
    err = ok(resp, 422)["error"]
    assert field in err["details"]["fields"] and says in str(err["details"]["fields"])


@pytest.mark.parametrize("year", ["1999", "20x6", "02026"])
def test_a_year_out_of_range_is_a_422(client, admin, year):
    assert "year" in ok(client.get(URL.format(year), headers=admin), 422)["error"]["details"][
        "fields"]
    resp = client.put(URL.format(year), json={"dates": _dates(2026)}, headers=admin)
    assert resp.status_code == 422


def test_unknown_fields_are_refused(client, admin):
    resp = client.put(URL.format(2026), json={"dates": _dates(2026), "year": 2026},
                      headers=admin)
    assert "year" in ok(resp, 422)["error"]["details"]["fields"]


# ---- /me/deadlines ------------------------------------------------------------------------

def _issue(settings, type_: str, holder_kind: str, holder_id: str, department: str,
           fields: dict, *, expires_in: int, years: int) -> None:
    """A licence issued at the counter long enough ago that it expires in `expires_in` days."""
    from functions.licences import service as licences

    issued = clock.now() - timedelta(days=round(365.25 * years) - expires_in)
    licences.issue_at_counter(settings, staff(department, subject="pages-issuer"), {
        "type": type_, "holder_kind": holder_kind, "holder_id": holder_id, "fields": fields,
        "application": None}, now=issued, base_url="http://hall.test")


def test_a_citizen_sees_the_residence_permit_endorsement_and_the_resident_insurance(
        client, token, settings):
    me = make_citizen(settings, "邓晓梅")
    _issue(settings, "residence_permit", "person", me["id"], "GAJ",
           {"address": "梅州市梅江区金燕大道1号"}, expires_in=20, years=1)
    headers = token("citizen", subject=me["id"], kind="citizen", lvl=2)
    got = ok(client.get("/api/v1/me/deadlines?days=30", headers=headers))
    today = clock.now().date()
    assert got["party"] == "person" and got["as_of"] == today.isoformat()
    permit = next(i for i in got["items"] if i["id"] == "residence-permit-endorsement")
    expires = date.fromisoformat(permit["date"])
    assert 18 <= permit["days_left"] <= 22 and permit["matter"] == "441400-GAJ-0011"
    assert permit["open"] and permit["source"] == "fact" and permit["date"] in permit["reason"]
    assert date.fromisoformat(permit["opens"]) < expires
    assert [i["date"] for i in got["items"]] == sorted(i["date"] for i in got["items"])
    # the defaults: 60 days; a horizon past a year is refused
    assert ok(client.get("/api/v1/me/deadlines", headers=headers))["days"] == 60
    assert client.get("/api/v1/me/deadlines?days=400", headers=headers).status_code == 400
    assert client.get("/api/v1/me/deadlines").status_code == 401


def test_an_enterprise_sees_its_filings_and_its_licence_renewal(client, token, settings):
    rep = make_citizen(settings, "温志强")
    firm = make_enterprise(settings, rep)
    _issue(settings, "food_licence", "enterprise", firm["uscc"], "SCJGJ",
           {"operator_type": "食品销售经营者", "premises": "梅州市梅江区彬芳大道2号",
            "business_items": "预包装食品销售"}, expires_in=40, years=5)
    act = {"kind": "enterprise", "id": firm["uscc"], "role": "legal_rep"}
    headers = token("citizen", subject=rep["id"], kind="citizen", lvl=2, act=act)
    got = ok(client.get("/api/v1/me/deadlines?days=60", headers=headers))
    by_id = {i["id"]: i for i in got["items"]}
    assert got["party"] == "enterprise"
    assert by_id["food-licence-renewal"]["matter"] == "441400-SCJGJ-0018"
    assert by_id["vat-monthly"]["matter"] == "441400-SWJ-0012"
    assert not {"residence-permit-endorsement", "resident-medical-insurance"} & set(by_id)
    # acting for an enterprise one does not represent is refused
    other = make_citizen(settings, "温志远")
    stranger = token("citizen", subject=other["id"], kind="citizen", lvl=2, act=act)
    assert client.get("/api/v1/me/deadlines", headers=stranger).status_code == 403


def test_the_demo_company_gets_its_deadlines_and_a_published_date_wins(client, admin, settings):
    from functions.core.auth import Principal
    from functions.pages import service

    who = Principal(subject="pages-demo-rep", kind="citizen", level=2,
                    act={"kind": "enterprise", "id": DEMO_USCC, "role": "legal_rep"})
    now = clock.now()
    got = service.deadlines(settings, who, days=366, now=now)
    ids = {i["id"] for i in got["items"]}
    # an active limited company (the registry): tax, annual report, base declarations
    assert {"vat-monthly", "cit-quarterly", "annual-report", "social-security-base",
            "housing-fund-adjustment"} <= ids
    assert not {"individual-business-tax", "individual-business-report"} & ids
    year = now.year + 1
    january = next(i for i in got["items"] if i["id"] == "vat-monthly"
                   and i["date"].startswith(f"{year}-01"))
    # a published calendar for next year replaces the computed January date
    wanted = next(d for d in (date(year, 1, n) for n in range(16, 31)) if d.weekday() < 5
                  and d.isoformat() != january["date"])
    dates = [{"month": m, "date": next(
        d for d in (date(year, m, n) for n in range(16, 29)) if d.weekday() < 5).isoformat()}
        for m in range(1, 13)]
    dates[0]["date"] = wanted.isoformat()
    ok(client.put(URL.format(year), json={"dates": dates}, headers=admin))
    again = service.deadlines(settings, who, days=366, now=now)
    january = next(i for i in again["items"] if i["id"] == "vat-monthly"
                   and i["date"].startswith(f"{year}-01"))
    assert (january["date"], january["source"]) == (wanted.isoformat(), "published")
