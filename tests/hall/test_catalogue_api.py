"""The public catalogue reads: themes, matters, guides, scenarios, service points, bad input."""
from __future__ import annotations

import json

import pytest

from tests.helpers import ok


def error(resp, status: int) -> dict:
    body = ok(resp, status)
    assert set(body) == {"error"}, body
    assert body["error"]["code"] and body["error"]["message"] and body["error"]["request_id"]
    return body["error"]


@pytest.mark.parametrize("audience,count,first,last", [
    ("person", 31, "生育收养", "其他(含个体工商户)"),
    ("enterprise", 34, "设立变更", "其他"),
])
def test_themes_in_taxonomy_order_with_counts(client, audience, count, first, last):
    body = ok(client.get(f"/api/v1/themes?audience={audience}"))
    items = body["items"]
    assert body["audience"] == audience and len(items) == count
    assert items[0]["name"] == first and items[-1]["name"] == last
    assert all(t["count"] > 0 and t["name_en"] for t in items)
    prefix = "P" if audience == "person" else "E"
    assert [t["code"] for t in items] == [f"{prefix}{i:02d}" for i in range(1, count + 1)]


def test_theme_count_matches_the_listing_walked_by_cursor(client):
    theme = ok(client.get("/api/v1/themes?audience=person"))["items"][14]
    seen, cursor = [], None
    while True:
        url = f"/api/v1/matters?theme={theme['code']}&limit=3"
        url += f"&cursor={cursor}" if cursor else ""
        page = ok(client.get(url))
        assert len(page["items"]) <= 3 and page["total"] == theme["count"]
        seen += [m["code"] for m in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert len(seen) == len(set(seen)) == theme["count"]
    assert all(theme["code"] in m["themes"] for m in ok(
        client.get(f"/api/v1/matters?theme={theme['code']}&limit=100"))["items"])


def test_filters_by_department_region_and_hot_tag(client):
    items = ok(client.get("/api/v1/matters?region=441403&limit=100"))["items"]
    assert items and {m["region"]["code"] for m in items} <= {"441403", "441400"}
    assert "441403" in {m["region"]["code"] for m in items}
    gjj = ok(client.get("/api/v1/matters?hot=housing_fund&limit=100"))["items"]
    assert gjj and all("housing_fund" in m["hot_tags"] for m in gjj)
    dept = gjj[0]["department"]["code"]
    by_dept = ok(client.get(f"/api/v1/matters?department={dept}&limit=100"))["items"]
    assert by_dept and all(m["department"]["code"] == dept for m in by_dept)


def test_a_matters_guide_lists_everything_needed_and_where_to_go(client):
    code = ok(client.get("/api/v1/matters?q=公积金提取"))["items"][0]["code"]
    guide = ok(client.get(f"/api/v1/matters/{code}?near=24.29,116.12"))
    for key in ("materials", "visits", "legal_days", "promised_days", "fees", "conditions",
                "process", "guide", "form_fields", "online_depth"):
        assert key in guide
    assert guide["materials"] and guide["service_points"]
    distances = [p["distance_km"] for p in guide["service_points"]]
    assert distances == sorted(distances)
    assert guide["department"]["name"].endswith(("局", "中心", "队", "会", "所", "处", "委员会",
                                                 "支队", "关"))


def test_search_understands_initials_and_highlights(client):
    items = ok(client.get("/api/v1/matters?q=gjj"))["items"]
    assert items and all("公积金" in m["name"] for m in items[:3])
    first = items[0]
    s, e = first["highlights"][0]
    assert first["name"][s:e]


def test_search_filters_by_audience(client):
    items = ok(client.get("/api/v1/matters?q=注销&audience=enterprise&limit=50"))["items"]
    assert items and all("enterprise" in m["audiences"] for m in items)


def test_hot_services_are_the_plans_five(client):
    items = ok(client.get("/api/v1/hot-services?audience=enterprise"))["items"]
    assert [g["tag"] for g in items] == ["business", "tax", "quality", "housing_fund",
                                        "social_security"]
    assert all(g["matters"] for g in items)
    local = ok(client.get("/api/v1/hot-services?region=441426"))["items"]
    for group in local:
        names = [m["name"] for m in group["matters"]]
        assert len(names) == len(set(names))
        assert {m["region"]["code"] for m in group["matters"]} <= {"441426", "441400"}


def test_scenarios_guide_to_the_right_matters(client):
    for audience in ("person", "enterprise"):
        assert len(ok(client.get(f"/api/v1/scenarios?audience={audience}"))["items"]) >= 6
    brief = ok(client.get("/api/v1/scenarios?audience=person"))["items"][0]
    scenario = ok(client.get(f"/api/v1/scenarios/{brief['code']}"))
    assert scenario["questions"]
    base = ok(client.post(f"/api/v1/scenarios/{brief['code']}/resolve", json={"answers": {}}))
    assert [m["code"] for m in base["items"]][:len(scenario["base_matters"])] == \
        scenario["base_matters"]
    # Answering every question with its first option adds matters to the base set.
    answers = {q["id"]: q["options"][0]["value"] for q in scenario["questions"]}
    more = ok(client.post(f"/api/v1/scenarios/{brief['code']}/resolve",
                          json={"answers": answers}))
    assert set(scenario["base_matters"]) <= {m["code"] for m in more["items"]}


def test_service_points_reach_towns_and_villages(client):
    kinds = {p["type"] for p in ok(client.get("/api/v1/service-points?limit=100"))["items"]}
    assert kinds == {"city_hall", "county_hall", "town_station", "village_point"}
    page = ok(client.get("/api/v1/service-points?region=441481&limit=100"))
    assert page["items"] and all(p["region"] == "441481" for p in page["items"])


@pytest.mark.parametrize("url,status", [
    ("/api/v1/themes?audience=alien", 400),
    ("/api/v1/themes?colour=red", 400),
    ("/api/v1/matters?q=" + "办" * 101, 400),
    ("/api/v1/matters?theme=P99", 400),
    ("/api/v1/matters?audience=robot", 400),
    ("/api/v1/matters?region=110000", 400),
    ("/api/v1/matters?limit=0", 400),
    ("/api/v1/matters?limit=101", 400),
    ("/api/v1/matters?limit=ten", 400),
    ("/api/v1/matters?cursor=%%%%", 400),
    ("/api/v1/matters?cursor=-1", 400),
    ("/api/v1/matters?cursor=eyJvIjotMX0", 400),
    ("/api/v1/matters?near=95,116", 400),
    ("/api/v1/matters/441400-XX-9999", 404),
    ("/api/v1/matters/not-a-code", 404),
    ("/api/v1/matters/441400-GJJ-0001?near=north", 400),
    ("/api/v1/scenarios/NOPE", 404),
    ("/api/v1/service-points?type=palace", 400),
    ("/api/v1/nowhere", 404),
])
def test_bad_input_gets_a_clear_error_in_the_envelope(client, url, status):
    error(client.get(url), status)


def test_bad_scenario_bodies(client):
    code = ok(client.get("/api/v1/scenarios"))["items"][0]["code"]
    url = f"/api/v1/scenarios/{code}/resolve"
    error(client.post(url, data="{not json", content_type="application/json"), 400)
    error(client.post(url, json=[1, 2]), 400)
    assert "answers" in error(client.post(url, json={}), 422)["details"]["fields"]
    assert "colour" in error(client.post(url, json={"answers": {}, "colour": 1}),
                             422)["details"]["fields"]
    fields = error(client.post(url, json={"answers": {"no-such-question": "x"}}),
                   422)["details"]["fields"]
    assert list(fields) == ["answers.no-such-question"]
    error(client.post(url, data=json.dumps({"answers": {"a" * 10: "b" * 2_000_000}}),
                      content_type="application/json"), 413)


def test_theme_counts_per_region_match_the_regions_listing(client):
    themes = ok(client.get("/api/v1/themes?audience=person&region=441481"))["items"]
    city = {t["code"]: t["count"] for t in ok(client.get("/api/v1/themes"))["items"]}
    for theme in themes[:8]:
        page = ok(client.get(f"/api/v1/matters?theme={theme['code']}&region=441481&limit=1"))
        assert page["total"] == theme["count"]
        whole = ok(client.get(f"/api/v1/matters?theme={theme['code']}&limit=100"))
        assert whole["total"] == city[theme["code"]] == len(whole["items"])


def test_browsing_a_theme_for_the_whole_city_shows_each_matter_once_with_where(client):
    theme = next(t for t in ok(client.get("/api/v1/themes"))["items"] if t["code"] == "P01")
    items = ok(client.get("/api/v1/matters?theme=P01&limit=100"))["items"]
    names = [m["name"] for m in items]
    assert len(names) == len(set(names)) == theme["count"]
    birth = next(m for m in items if m["name"] == "出生医学证明首次签发")
    assert birth["region"]["code"] == "441400"          # the city's copy stands for the rest
    where = [r["code"] for r in birth["available_in"]]
    assert where[0] == "441400" and len(where) == 9 and where == sorted(where)
    county = ok(client.get("/api/v1/matters?theme=P01&region=441481&limit=100"))["items"]
    assert {m["region"]["code"] for m in county} == {"441400", "441481"}
    assert len(county) > len([m for m in county if m["region"]["code"] == "441400"])


def test_search_without_a_region_shows_each_matter_once(client):
    items = ok(client.get("/api/v1/matters?q=社保卡&limit=100"))["items"]
    names = [m["name"] for m in items]
    assert names and len(names) == len(set(names))
    local = ok(client.get("/api/v1/matters?q=社保卡&region=441424&limit=100"))["items"]
    assert {m["region"]["code"] for m in local} <= {"441424", "441400"}


BIRTH = "S-P-BIRTH"  # questions insured and hk_macao, each yes or no


def test_an_answer_to_a_question_the_scenario_lacks_is_a_422_naming_it(client):
    url = f"/api/v1/scenarios/{BIRTH}/resolve"
    fields = error(client.post(url, json={"answers": {"insured": "yes", "pets": "yes"}}),
                   422)["details"]["fields"]
    assert list(fields) == ["answers.pets"]


def test_a_value_not_among_the_options_is_a_422_naming_the_question(client):
    url = f"/api/v1/scenarios/{BIRTH}/resolve"
    fields = error(client.post(url, json={"answers": {"insured": "maybe"}}),
                   422)["details"]["fields"]
    assert list(fields) == ["answers.insured"]
    assert "yes" in fields["answers.insured"][0] and "no" in fields["answers.insured"][0]
    both = error(client.post(url, json={"answers": {"insured": "maybe", "pets": "cat"}}), 422)
    assert set(both["details"]["fields"]) == {"answers.insured", "answers.pets"}


def test_the_spec_declares_the_answers_the_schema_cannot_check(client):
    """A body the schema accepts may still name no question of the scenario: the operation
    says so (x-rules-beyond-schema, which the fuzzer reads); and the answers' keys are held
    to the same length in the spec as in the code."""
    import jsonschema

    from tests.helpers import SPEC

    op = SPEC["paths"]["/api/v1/scenarios/{code}/resolve"]["post"]
    assert "answers.<question id>" in op["x-rules-beyond-schema"] and "422" in op["responses"]
    answers_schema = {**SPEC, "$ref": "#/components/schemas/ScenarioAnswers"}
    check = jsonschema.Draft202012Validator(answers_schema)
    url = f"/api/v1/scenarios/{BIRTH}/resolve"
    for answers in ({"": "yes"}, {"q" * 41: "yes"}):
        assert not check.is_valid({"answers": answers})
        error(client.post(url, json={"answers": answers}), 422)
    assert check.is_valid({"answers": {"pets": "yes"}})
    ok(client.post(url, json={"answers": {"insured": "yes", "hk_macao": "no"}}))
