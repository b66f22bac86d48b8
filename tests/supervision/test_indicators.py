"""The seed's indicators: the formulas on a small synthetic catalogue and month, the counters
real moves add to (submitted, accepted once, completed, e-licences), the public route without a
token and its agreement with the public catalogue, a month without data, bad months, the
supervisors' drill-down and a head's own department, and a bounded number of storage calls
whatever the month's volume. Phones 1990210xxxx; the months of 2009 are this file's own."""
from __future__ import annotations

import itertools
import threading
from datetime import date, datetime

import jsonschema
import pytest

from functions.core import aws, clock
from functions.core.errors import RuleError
from functions.intake import service
from functions.supervision import indicators_model as model
from functions.supervision import indicators_service, indicators_store
from tests.helpers import SPEC, ok
from tests.intake.factories import CARD, CARD_FORM, drafted, officer, person

URL = "/api/v1/public/indicators"
_phones = itertools.count(1)


def _person(settings):
    return person(settings, phone=f"1990210{next(_phones):04d}")


def _schema(name: str) -> dict:
    return {**SPEC["components"]["schemas"][name], "components": SPEC["components"]}


def _by(rows, indicator, kind, code, region=None):
    return [r for r in rows if r["indicator"] == indicator and r["scope"]["kind"] == kind
            and r["scope"]["code"] == code
            and (region is None or r["scope"].get("region") == region)]


# ---- the formulas (pure) ---------------------------------------------------------------------

MATTERS = [
    {"code": "a", "kind": "licensing", "online_depth": "full", "visits": 0},
    {"code": "b", "kind": "licensing", "online_depth": "apply", "visits": 1},
    {"code": "c", "kind": "licensing", "online_depth": "full", "visits": 0},
    {"code": "d", "kind": "public_service", "online_depth": "onsite", "visits": 2},
]
CITY = {"kind": "city", "code": "441400", "name": "梅州市", "region": "441400"}
COUNTY = {"kind": "county", "code": "441402", "name": "梅江区", "region": "441402"}


def test_the_formulas_on_a_small_catalogue_and_month():
    counters = model.totals([
        {"submitted_online": 7, "submitted_counter": 3, "accepted_online": 6,
         "completed_online": 4, "completed_counter": 1, "elicence_food_licence": 2},
        {"submitted_online": 1, "offguide_requests": 5}])
    rows = model.scope_rows(CITY, catalogue=model.catalogue_counts(MATTERS),
                            should_issue={"food_licence", "business_licence"},
                            counters=counters, has_data=True,
                            page_use={"enterprise": (3, 20), "citizen": (1, 50)})
    got = {r["indicator"]: (r["numerator"], r["denominator"], r["value"], r["target"], r["pass"])
           for r in rows}
    assert got == {
        "full_online_rate": (2, 3, 0.6667, 0.85, False),
        "online_application_rate": (8, 11, 0.7273, 0.80, False),
        "online_completion_rate": (4, 5, 0.8, 0.80, True),
        "visits_at_most_one": (3, 4, 0.75, 0.85, False),
        "visits_zero": (2, 4, 0.5, 0.20, True),
        "elicence_rate": (1, 2, 0.5, None, None),      # the seed sets no city-wide target
        "enterprise_page_use": (3, 20, 0.15, 0.10, True),
        "citizen_page_use": (1, 50, 0.02, 0.08, False),
        "business_volume": (None, None, 8 + 3, None, None),
    }
    assert rows[-1]["counts"] == {"submitted": 11, "accepted": 6, "completed": 5}
    assert set(got) == set(model.INDICATORS)


def test_targets_by_scope_and_a_county_department_takes_the_county_target():
    assert model.target("online_completion_rate", "department", "441400") == 0.90
    assert model.target("online_completion_rate", "department", "441402") == 0.65
    assert model.target("online_completion_rate", "county") == 0.65
    assert model.target("elicence_rate", "department", "441400") == 0.15
    assert model.target("citizen_page_use", "county") is None


def test_nothing_is_divided_by_zero_and_a_month_without_data_has_no_values():
    empty = model.scope_rows(COUNTY, catalogue=model.catalogue_counts([]), should_issue=set(),
                             counters={}, has_data=True)
    assert all(r["value"] is None and r["pass"] is None for r in empty
               if r["indicator"] != "business_volume")
    none = model.scope_rows(COUNTY, catalogue=model.catalogue_counts(MATTERS),
                            should_issue={"x"}, counters={}, has_data=False,
                            page_use={"enterprise": (0, 9), "citizen": (0, 9)})
    assert [r["value"] for r in none] == [None] * len(model.INDICATORS)
    assert none[0]["denominator"] == 3      # the counts stay: anyone sees why


def test_months_in_the_future_or_malformed_are_refused():
    today = date(2026, 12, 2)
    assert model.month_of("2026-12", today=today) == "2026-12"
    for bad in ("2027-01", "2026-13", "26-12", "1999-12", "2026-1"):
        with pytest.raises(RuleError):
            model.month_of(bad, today=today)


# ---- counters from real moves ---------------------------------------------------------------

def test_submit_accept_approve_counts_once_each_and_the_elicence_issued(settings):
    from functions.hall import store as hall_store

    who, scj = _person(settings), officer("RSJ")
    month = clock.iso()[:7]
    before = indicators_store.indicators(settings, month, "RSJ", "441400")
    app = drafted(settings, who, CARD, CARD_FORM)
    service.submit(settings, who, app["id"], now=clock.now())
    service.act(settings, scj, app["id"], action="accept", now=clock.now())
    # Returned for a correction and accepted again: still one acceptance.
    first = hall_store.current_catalogue(settings).matters[CARD]["materials"][0]["name"]
    service.act(settings, scj, app["id"], action="return", items=[first], now=clock.now())
    service.submit(settings, who, app["id"], now=clock.now())
    service.act(settings, scj, app["id"], action="accept", now=clock.now())
    done = service.act(settings, scj, app["id"], action="approve", now=clock.now())
    assert done["licences"]
    after = indicators_store.indicators(settings, month, "RSJ", "441400")
    delta = {k: after.get(k, 0) - before.get(k, 0) for k in after}
    assert {k: v for k, v in delta.items() if v} == {
        "submitted_online": 1, "accepted_online": 1, "completed_online": 1,
        "elicence_social_security_card": 1}
    moved = list(indicators_store.moved_applications(settings, month))
    assert app["id"] in moved


def test_a_counter_application_counts_on_the_counter_channel(settings):
    from tests.intake.factories import numbers

    who = _person(settings)
    _, phone = numbers(who)
    month = clock.iso()[:7]
    before = indicators_store.indicators(settings, month, "RSJ", "441400")
    service.counter_intake(settings, officer("RSJ"), matter_code=CARD, applicant_phone=phone,
                           form=CARD_FORM, now=clock.now())
    after = indicators_store.indicators(settings, month, "RSJ", "441400")
    assert after["submitted_counter"] == before.get("submitted_counter", 0) + 1
    assert after.get("submitted_online", 0) == before.get("submitted_online", 0)


# ---- the public route ------------------------------------------------------------------------

def _listed(client, **params) -> list[dict]:
    items, cursor = [], None
    while True:
        q = {**params, "limit": 100, **({"cursor": cursor} if cursor else {})}
        page = ok(client.get("/api/v1/matters", query_string=q))
        items += page["items"]
        cursor = page.get("next_cursor")
        if not cursor:
            return items


def test_public_without_a_token_and_the_catalogue_rows_agree_with_the_catalogue_api(client):
    got = ok(client.get(URL))
    jsonschema.validate(got, _schema("IndicatorMonth"))
    assert got["month"] == clock.now().strftime("%Y-%m")
    assert got["has_data"] is True           # this session's moves counted this month
    rows = got["rows"]
    kinds = {r["scope"]["kind"] for r in rows}
    assert kinds == {"city", "department", "county"}
    assert {r["scope"]["code"] for r in rows if r["scope"]["kind"] == "county"} == {
        "441402", "441403", "441481", "441426", "441427", "441422", "441423", "441424"}
    for scope, params, mine in (
            (("city", "441400", None), {}, lambda m: True),
            (("county", "441402", None), {"region": "441402"},
             lambda m: m["code"].startswith("441402-")),
            (("department", "RSJ", "441400"), {"department": "RSJ", "region": "441400"},
             lambda m: True)):
        listed = [m for m in _listed(client, **params) if mine(m)]
        licensing = [m for m in listed if m["kind"] == "licensing"]
        full = _by(rows, "full_online_rate", *scope)[0]
        assert (full["numerator"], full["denominator"]) == (
            sum(m["online_depth"] == "full" for m in licensing), len(licensing))
        one, zero = (_by(rows, i, *scope)[0] for i in ("visits_at_most_one", "visits_zero"))
        assert (one["numerator"], one["denominator"]) == (
            sum(m["visits"] <= 1 for m in listed), len(listed))
        assert zero["numerator"] == sum(m["visits"] == 0 for m in listed)
        assert full["value"] == round(full["numerator"] / full["denominator"], 4)
        assert full["pass"] == (full["value"] >= full["target"])


def test_a_month_without_data_says_so(client):
    got = ok(client.get(URL, query_string={"month": "2008-02"}))
    assert got["has_data"] is False
    assert {r["value"] for r in got["rows"]} == {None}
    assert {r["pass"] for r in got["rows"]} == {None}


@pytest.mark.parametrize("month", ["2999-01", "2026-13", "june", "2026-6"])
def test_a_future_or_malformed_month_is_422(client, month):
    resp = client.get(URL, query_string={"month": month})
    assert resp.status_code == 422
    assert resp.get_json()["error"]["code"]


def test_an_unknown_parameter_is_400(client):
    assert client.get(URL, query_string={"county": "441402"}).status_code == 400


# ---- the supervisors' drill-down ------------------------------------------------------------

SUP = "/api/v1/supervision/indicators"


def test_supervisors_drill_down_by_department_and_county(client, token):
    sup = token("supervisor", subject="sup-ind-1", kind="supervisor")
    rsj = ok(client.get(SUP, headers=sup, query_string={"department": "RSJ"}))["rows"]
    assert {(r["scope"]["kind"], r["scope"]["code"]) for r in rsj} == {("department", "RSJ")}
    assert {r["scope"]["region"] for r in rsj} >= {"441400", "441402"}
    county = ok(client.get(SUP, headers=sup, query_string={"county": "441402"}))["rows"]
    assert {r["scope"]["kind"] for r in county} == {"county", "department"}
    assert {r["scope"]["region"] for r in county} == {"441402"}
    one = ok(client.get(SUP, headers=sup, query_string={"department": "RSJ",
                                                         "county": "441402"}))["rows"]
    assert len(one) == len(model.INDICATORS) - 2        # no page use rows for a department
    assert _by(one, "online_completion_rate", "department", "RSJ")[0]["target"] == 0.65


def test_a_head_sees_their_own_department_only_and_others_are_refused(client, token):
    head = token("head", subject="head-ind-1", department="RSJ", region="441400")
    got = ok(client.get(SUP, headers=head))
    assert got["filters"] == {"department": "RSJ", "county": "441400"}
    assert {(r["scope"]["code"], r["scope"]["region"]) for r in got["rows"]} == {
        ("RSJ", "441400")}
    volume = _by(got["rows"], "business_volume", "department", "RSJ")[0]
    assert volume["counts"]["completed"] >= 1
    assert client.get(SUP, headers=head, query_string={"department": "SCJGJ"}).status_code == 403
    citizen = token("citizen", subject="cit-ind-1", kind="citizen")
    assert client.get(SUP, headers=citizen).status_code == 403
    assert client.get(SUP).status_code == 401


# ---- a bounded number of storage calls -------------------------------------------------------

def _calls(settings, month: str, now: datetime) -> tuple[list[str], dict]:
    calls: list[str] = []
    mine = threading.get_ident()   # the reads run in this thread; another test's pool may not

    def hook(model, params, **_):
        if (threading.get_ident() == mine
                and params.get("Key", {}).get("pk", {}).get("S") != "CATALOGUE"):
            calls.append(model.name)

    client = aws.client("dynamodb", settings)
    client.meta.events.register("before-call.dynamodb.*", hook)
    try:
        got = indicators_service.month_rows(settings, month, now=now)
    finally:
        client.meta.events.unregister("before-call.dynamodb.*", hook)
    return calls, got


def test_reading_a_month_costs_the_same_calls_for_3_or_30_applications(settings):
    who = _person(settings)
    for month, n in (("2009-03", 3), ("2009-04", 30)):
        at = datetime(2009, int(month[5:]), 10, 10, 0, tzinfo=clock.CHINA)
        for _ in range(n):
            app, _ = service.create(settings, who, matter_code=CARD, form=CARD_FORM,
                                    idem_key=None, now=at)
            app = drafted_at(settings, who, app, at)
            service.submit(settings, who, app["id"], now=at)
    now = datetime(2026, 12, 1, tzinfo=clock.CHINA)
    # each measured right after a warm read: a cache running out between the two (the
    # catalogue, the regions) would count a read that has nothing to do with the volume
    # (the shorter of two: a cache with a time to live may still run out inside one of them)
    measured = []
    for month in ("2009-03", "2009-04"):
        indicators_service.month_rows(settings, month, now=now)
        measured.append(min((_calls(settings, month, now) for _ in range(2)),
                            key=lambda m: len(m[0])))
    (few, small), (many, large) = measured
    assert few == many and len(few) <= 5
    assert "Scan" not in few
    for got, n in ((small, 3), (large, 30)):
        volume = _by(got["rows"], "business_volume", "department", "RSJ", "441400")[0]
        assert volume["counts"]["submitted"] == n


def drafted_at(settings, who, app: dict, at: datetime) -> dict:
    from functions.hall import store as hall_store
    from tests.intake.factories import put_upload

    for m in hall_store.current_catalogue(settings).matters[CARD]["materials"]:
        app = service.attach_material(settings, who, app["id"], material=m["name"],
                                      upload_key=put_upload(settings, app["id"]), now=at)
    return app
