"""Page use indicators: opens counted once per party per month as pages are opened, the bases
kept as the registry is loaded, rates per county and city-wide against 10% and 8%, individual
businesses and people outside 20–49 counted apart, a month without data, and the route's
roles and bad months. Counties 449901/449902 and the months of 2031 are this file's own."""
from __future__ import annotations

import itertools
from datetime import date, datetime

import jsonschema
import pytest

from functions.core import aws, clock
from functions.core.auth import Principal
from functions.identity import cn_ids
from functions.identity import store as identity
from functions.identity.cli import create_staff
from functions.identity.service import load_registry
from functions.pages import page
from functions.supervision import page_use
from functions.supervision import page_use_model as model
from tests.helpers import SPEC, ok
from tests.licences.factories import PASSWORD, make_citizen

URL = "/api/v1/supervision/page-use"
MONTH, EMPTY = "2031-05", "2031-06"
AT = datetime(2031, 5, 12, 10, 0, tzinfo=clock.CHINA)
C1, C2 = "449901", "449902"
_seq = itertools.count(1)


def _person(name: str, birth: date, region: str) -> dict:
    n = next(_seq)
    return {"name": name, "id_number": cn_ids.make_id_number("441402", birth, 600 + n),
            "phone": f"1990073{n:04d}", "birth": birth.isoformat(), "region": region,
            "sex": "F", "employment": "worker"}


def _org(rep: dict, county: str, *, individual: bool = False, status: str = "active") -> dict:
    n = next(_seq)
    return {"uscc": cn_ids.make_uscc("9", "2" if individual else "1", "441402", 880000 + n),
            "name": f"梅州市测试{n}号{'个体户' if individual else '有限公司'}",
            "legal_rep_id_number": rep["id_number"], "legal_rep_name": rep["name"],
            "county": county, "industry": "批发和零售业", "size": "micro",
            "founded": "2020-05-01", "individual_business": individual, "status": status}


def _account(settings, p: dict) -> Principal:
    account = create_staff(settings, kind="citizen", name=p["name"], id_number=p["id_number"],
                           phone=p["phone"], password=PASSWORD, roles=[])
    return Principal(subject=account["id"], kind="citizen", level=2)


def _register(settings, org: dict, rep: Principal) -> Principal:
    doc = {k: org[k] for k in ("uscc", "name", "county", "industry", "size", "founded",
                               "individual_business")}
    identity.create_enterprise(settings, {**doc, "legal_rep": rep.subject},
                               account_id=rep.subject, audit={
                                   "actor": rep.subject, "action": "enterprise.register",
                                   "target": org["uscc"], "result": "ok", "request_id": None,
                                   "at": clock.iso()})
    return Principal(subject=rep.subject, kind="citizen", level=2,
                     act={"kind": "enterprise", "id": org["uscc"], "role": "legal_rep"})


@pytest.fixture(scope="module")
def world(stack):
    """The registry of counties C1 and C2 (people on both sides of the band's edges), and the
    pages opened in May 2031."""
    settings = stack["settings"]
    before = page_use.page_use(settings, MONTH, now=AT)
    people = {
        "twenty": _person("甲二十", date(2011, 5, 1), C1),      # 20 on 2031-05-01
        "nineteen": _person("乙十九", date(2011, 5, 2), C1),    # 19 on the 1st
        "fifty": _person("丙五十", date(1981, 5, 1), C1),       # 50 on the 1st
        "fortynine": _person("丁四九", date(1981, 5, 2), C1),   # 49 on the 1st: never opens
        "mid": _person("戊三十", date(1995, 3, 10), C2),
        "old": _person("己七十", date(1960, 1, 1), C2),
    }
    rep = _person("庚老板", date(1980, 1, 20), C2)   # 51: outside the band, never opens
    orgs = {"opened": _org(rep, C1), "closed": _org(rep, C1),
            "inactive": _org(rep, C1, status="revoked"),
            "individual": _org(rep, C1, individual=True), "other": _org(rep, C2)}
    registry = {"persons": [*people.values(), rep], "organisations": list(orgs.values())}
    load_registry(settings, registry)
    load_registry(settings, registry)      # loaded again: the counts do not move
    boss = _account(settings, rep)
    opened = [_account(settings, people[k])
              for k in ("twenty", "nineteen", "fifty", "mid", "old")]
    opened += [_register(settings, orgs["opened"], boss),
               _register(settings, orgs["individual"], boss)]
    _register(settings, orgs["other"], boss)           # registered, never opened
    not_in_registry = make_citizen(settings, "辛外地")
    opened.append(Principal(subject=not_in_registry["id"], kind="citizen", level=1))
    for who in opened:
        page.page(settings, who, at=AT)
        page.page(settings, who, at=AT.replace(day=20))    # again the same month: once
    return {"before": before, "after": page_use.page_use(settings, MONTH, now=AT)}


def _county(report: dict, audience: str, code: str) -> dict:
    return next(r for r in report[audience]["counties"] if r["region"] == code)


def test_rates_per_county_from_the_opens_and_the_registry_bases(world):
    got = world["after"]
    assert got["month"] == MONTH and got["has_data"] and got["age_on"] == "2031-05-01"
    assert got["age_band"] == [20, 49]
    c1 = _county(got, "citizen", C1)
    # base: the 20-year-old (born on the 1st) and the 49-year-old; opened: the 20-year-old
    assert (c1["opened"], c1["base"], c1["rate"], c1["target"], c1["meets"]) == \
        (1, 2, 0.5, 0.08, True)
    c2 = _county(got, "citizen", C2)
    assert (c2["opened"], c2["base"], c2["rate"]) == (1, 1, 1.0)
    e1 = _county(got, "enterprise", C1)
    # active legal persons that are not individual businesses: 2 (the revoked one left out)
    assert (e1["opened"], e1["base"], e1["rate"], e1["target"], e1["meets"]) == \
        (1, 2, 0.5, 0.10, True)
    e2 = _county(got, "enterprise", C2)
    assert (e2["opened"], e2["base"], e2["rate"], e2["meets"]) == (0, 1, 0.0, False)


def test_individual_businesses_and_people_outside_the_band_are_counted_apart(world):
    apart = world["after"]["counted_apart"]
    assert apart["individual_business"]["counties"] == {C1: 1}
    # the 19- and 50-year-olds, the 70-year-old and the account not in the base registry
    # (counted by the region of its ID number)
    other = apart["citizen_other"]["counties"]
    assert other.get(C1) == 2 and other.get(C2) == 1 and apart["citizen_other"]["city"] == 4
    assert apart["individual_business"]["base"] == \
        world["before"]["counted_apart"]["individual_business"]["base"] + 1


def test_the_city_is_the_sum_of_its_counties(world):
    before, after = world["before"], world["after"]
    for audience, opened, base in (("citizen", 2, 3), ("enterprise", 1, 3)):
        city = after[audience]["city"]
        assert city["region"] == "441400" and city["name"] == "梅州市"
        assert city["opened"] == sum(r["opened"] for r in after[audience]["counties"])
        assert city["opened"] == before[audience]["city"]["opened"] + opened
        assert city["base"] == before[audience]["city"]["base"] + base
        assert city["rate"] == round(city["opened"] / city["base"], 4)
    # every county of the city is listed, with its name, even without an open
    names = {r["region"]: r["name"] for r in after["citizen"]["counties"]}
    assert names["441402"] == "梅江区" and names[C1] == C1


def test_a_month_without_data_says_so(world, settings):
    got = page_use.page_use(settings, EMPTY, now=AT)
    assert got["has_data"] is False
    for audience in ("citizen", "enterprise"):
        rows = [got[audience]["city"], *got[audience]["counties"]]
        assert all(r["opened"] == 0 and r["rate"] is None and r["meets"] is None for r in rows)
    assert _county(got, "citizen", C2)["base"] == 1   # 1995-03 is 36 in June 2031 too
    # opens where the registry holds no base: no rate, no division by zero
    lone = model.report(MONTH, {("citizen", "Z"): 3}, {}, [])
    assert lone["has_data"] and lone["citizen"]["counties"] == [
        {"region": "Z", "name": "Z", "name_en": "Z", "opened": 3, "base": 0, "rate": None,
         "target": 0.08, "meets": None}]


def test_the_age_band_by_birth_month_matches_the_age_on_the_first_day():
    born = {"1981-05": {"X": (3, 1)}, "1981-06": {"X": (2, 0)}, "2011-05": {"X": (4, 1)},
            "2011-06": {"X": (5, 2)}, "1981-04": {"X": (7, 7)}}
    # of 1981-05 only the two born after the 1st are 49; of 2011-05 only the one born on the
    # 1st is already 20; 1981-04 (50) and 2011-06 (19) are outside
    assert model.residents_in_band(born, MONTH) == {"X": 2 + 2 + 1}
    assert model.band_births(MONTH) == ("1981-05", "2011-05")
    assert model.person_bucket({"birth": "2011-05-01", "region": C1}, {}, MONTH) == \
        ("citizen", C1)
    assert model.person_bucket({"birth": "1981-05-01", "region": C1}, {}, MONTH) == \
        ("citizen_other", C1)
    assert model.person_bucket({}, {"home_region": "441481"}, MONTH) == \
        ("citizen_other", "441481")


def test_supervisors_and_admins_read_it_others_are_refused(client, token, world):
    spec = jsonschema.Draft202012Validator({**SPEC, "$ref": "#/components/schemas/PageUse"})
    for role in ("supervisor", "admin"):
        got = ok(client.get(f"{URL}?month={MONTH}", headers=token(role, kind=role)))
        assert _county(got, "citizen", C1)["rate"] == 0.5
        spec.validate(got)
    spec.validate(ok(client.get(f"{URL}?month={EMPTY}", headers=token("admin", kind="admin"))))
    current = ok(client.get(URL, headers=token("supervisor", kind="supervisor")))
    assert current["month"] == clock.now().strftime("%Y-%m")
    citizen = token("citizen", subject="page-use-citizen", kind="citizen")
    assert client.get(f"{URL}?month={MONTH}", headers=citizen).status_code == 403
    officer = token("officer", department="SWJ", region="441400")
    assert client.get(f"{URL}?month={MONTH}", headers=officer).status_code == 403
    assert client.get(f"{URL}?month={MONTH}").status_code == 401
    boss = token("supervisor", kind="supervisor")
    for bad in ("2031-13", "2031-5", "May", "1999-12", "2031-05-01"):
        resp = client.get(f"{URL}?month={bad}", headers=boss)
        assert resp.status_code == 422, bad
        assert resp.get_json()["error"]["details"]["fields"]["month"]
    assert client.get(f"{URL}?month={MONTH}&x=1", headers=boss).status_code == 400


def test_the_counts_kept_as_loaded_equal_a_recount_of_the_registry(world, settings):
    """Everything loaded in this session (the seed, this file's counties, other tests'
    partial loads), counted as it was loaded, equals the operator's full recount; so does the
    report."""
    from functions.identity.service import admin
    from functions.identity.store import enterprises

    band = model.band_births(MONTH)
    kept = enterprises.registry_counts(settings, born_from="1900-01", born_to="2100-12")
    report = page_use.page_use(settings, MONTH, now=AT)
    # a load interrupted midway left a count wrong and one behind: the recount repairs both
    ddb = aws.client("dynamodb", settings)
    ddb.update_item(TableName=settings.table_name, Key={"pk": {"S": "REGISTRY#COUNTS"},
                                                       "sk": {"S": "O"}},
                    UpdateExpression="ADD #e :five", ExpressionAttributeNames={"#e": f"e_{C1}"},
                    ExpressionAttributeValues={":five": {"N": "5"}})
    ddb.put_item(TableName=settings.table_name, Item={"pk": {"S": "REGISTRY#COUNTS"},
                                                      "sk": {"S": "P#1901-01"},
                                                      "n_441402": {"N": "3"}})
    damaged = enterprises.registry_counts(settings, born_from="1900-01", born_to="2100-12")
    assert damaged["enterprises"][C1] == kept["enterprises"][C1] + 5 and "1901-01" in \
        damaged["born"]
    got = admin.recount_registry(settings)
    assert got["records"] >= 300 + 120 + 7 + 5
    assert enterprises.registry_counts(settings, born_from="1900-01", born_to="2100-12") == kept
    assert page_use.page_use(settings, MONTH, now=AT) == report
    assert kept["born"] and band[0] < band[1]
