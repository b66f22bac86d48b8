"""The catalogue as readers get it: life-event scenarios and offices in search, suggestions for a
search that finds nothing, English fields and English search, and a consistent catalogue
(nothing both "window only" and "on a phone"; booking says where)."""
from __future__ import annotations

import jsonschema
import pytest

from functions.core import clock
from functions.hall import service
from tests.helpers import SPEC, ok


def valid(body: dict, ref: str) -> dict:
    jsonschema.Draft202012Validator({**SPEC, "$ref": f"#/components/schemas/{ref}"}).validate(
        body)
    return body


def search(client, q: str, **params) -> dict:
    extra = "".join(f"&{k}={v}" for k, v in params.items())
    return valid(ok(client.get(f"/api/v1/matters?q={q}{extra}")), "MatterPage")


# ---- scenarios and offices in search --------------------------------------------------

@pytest.mark.parametrize("q,code", [("生孩子", "S-P-BIRTH"), ("宝宝出生", "S-P-BIRTH"),
                                    ("结婚", "S-P-MARRY"), ("退休", "S-P-RETIRE")])
def test_life_event_words_find_their_scenario(client, q, code):
    body = search(client, q)
    assert code in [s["code"] for s in body["scenarios"]]
    assert body["items"], q  # the matters are still there


def test_scenarios_come_with_the_first_page_only_and_not_for_other_words(client):
    assert "scenarios" not in search(client, "生孩子", cursor="20")
    assert search(client, "营业执照")["scenarios"] == []


def test_english_life_event_words_find_their_scenario(client):
    body = search(client, "having a baby", lang="en")
    assert [s["code"] for s in body["scenarios"]][:1] == ["S-P-BIRTH"]
    assert body["scenarios"][0]["name_en"] == "Having a baby"


@pytest.mark.parametrize("q,department,words", [
    ("车管所", "GAJ", ("机动车", "驾驶")),
    ("社保局", "RSJ", ("社会保险", "社会保障", "社保", "养老", "失业", "工伤", "退休")),
    ("社保局在哪里", "RSJ", ("社会保险", "社会保障", "社保", "养老", "失业", "工伤", "退休")),
    ("派出所", "GAJ", ("户口", "户籍", "身份证", "居住证", "出生登记", "迁", "姓名")),
    ("税务局", "SWJ", ("",)),
])
def test_a_query_naming_an_office_finds_that_offices_matters(client, q, department, words):
    items = search(client, q, limit="100")["items"]
    assert len(items) >= 3, q
    assert all(m["department"]["code"] == department for m in items), q
    assert all(any(w in m["name"] for w in words) for m in items), q


def test_an_office_in_english(client):
    items = search(client, "vehicle office", lang="en")["items"]
    assert items and all(m["department"]["code"] == "GAJ" for m in items)


def test_an_office_with_other_words_puts_its_own_matters_first(client):
    items = search(client, "车管所驾驶证", limit="100")["items"]
    assert "驾驶证" in items[0]["name"] and items[0]["department"]["code"] == "GAJ"


# ---- a search that finds nothing ------------------------------------------------------

def test_a_search_without_result_suggests_and_is_logged(client, settings):
    body = search(client, "天体物理学")
    assert body["items"] == [] and body["total"] == 0
    sug = valid(body["suggestions"], "SearchSuggestions")
    assert sug["hotline"] == "12345"
    assert 1 <= len(sug["hot"]) <= 5 and all(m["code"] and m["name"] for m in sug["hot"])
    assert len({m["name"] for m in sug["hot"]}) == len(sug["hot"])
    assert sug["spellings"] == []          # nothing in the catalogue is spelled like it
    misses = service.search_misses(settings, days=1, today=clock.now().date())
    assert any(m["q"] == "天体物理学" for m in misses)


@pytest.mark.parametrize("q,lang,expected", [
    ("pasportt aplication form", "en", "passport application"),
    ("gongjijn", "zh", "公积金"),
])
def test_the_closest_spellings_are_suggested(client, q, lang, expected):
    body = search(client, q, lang=lang)
    assert body["items"] == []
    spellings = body["suggestions"]["spellings"]
    assert spellings and any(expected in s for s in spellings), spellings


def test_a_search_with_results_has_no_suggestions(client):
    assert "suggestions" not in search(client, "社保卡")


# ---- English -------------------------------------------------------------------------

def test_english_search_reads_english_names_with_typos(client):
    for q in ("passport", "pasport", "passp"):
        items = search(client, q, lang="en")["items"]
        assert items and items[0]["name"] == "普通护照签发", q
        s, e = items[0]["highlights_en"][0]
        assert items[0]["name_en"][s:e].lower() == "passport" and "highlights" not in items[0]


def test_english_ui_still_finds_chinese_and_pinyin(client):
    first = search(client, "护照", lang="en")["items"][0]
    assert first["name"] == "普通护照签发" and first["highlights"] == [[2, 4]]
    assert "公积金" in search(client, "gjj", lang="en")["items"][0]["name"]


def test_lang_is_checked(client):
    body = client.get("/api/v1/matters?q=passport&lang=fr")
    assert body.status_code == 400


def test_the_guide_carries_its_english(client):
    code = search(client, "出生医学证明")["items"][0]["code"]
    guide = valid(ok(client.get(f"/api/v1/matters/{code}")), "Matter")
    assert guide["name_en"] and guide["aliases_en"]
    assert len(guide["conditions_en"]) == len(guide["conditions"])
    assert len(guide["process_en"]) == len(guide["process"])
    assert all(m["name_en"] for m in guide["materials"])
    assert all(f["label_en"] for f in guide["form_fields"])
    select = [f for f in guide["form_fields"] if f.get("options")]
    assert select and all(len(f["options_en"]) == len(f["options"]) for f in select)
    assert guide["department"]["name_en"].endswith("Bureau")
    assert all(p["name_en"] and p["address_en"] and p["hours_en"]
               for p in guide["service_points"])


def test_scenarios_carry_their_english(client):
    brief = ok(client.get("/api/v1/scenarios"))["items"]
    assert all(s["name_en"] and s["description_en"] for s in brief)
    full = valid(ok(client.get("/api/v1/scenarios/S-P-BIRTH")), "Scenario")
    assert all(q["text_en"] for q in full["questions"])
    assert all(o["label_en"] for q in full["questions"] for o in q["options"])
    assert all("adds" not in o for q in full["questions"] for o in q["options"])


def test_regions_and_themes_carry_their_english(client):
    items = ok(client.get("/api/v1/matters?limit=5"))["items"]
    assert all(m["region"]["name_en"] and m["department"]["name_en"] for m in items)
    assert all(r["name_en"] for m in items for r in m["available_in"])


# ---- read models -----------------------------------------------------------------------

def test_lists_are_the_read_models_the_snapshot_prepared(settings):
    cat = service.catalogue(settings)
    page = service.matters(settings, theme="P01", offset=0, limit=5, at=clock.now())
    assert all(item is cat.summaries[item["code"]] for item in page.items)
    hot = service.hot_services(settings)
    assert all(m is cat.summaries[m["code"]] for g in hot for m in g["matters"])


def test_hot_services_show_each_matter_once(client):
    for group in ok(client.get("/api/v1/hot-services"))["items"]:
        names = [m["name"] for m in group["matters"]]
        assert len(names) == len(set(names))


# ---- a consistent catalogue --------------------------------------------------------------

@pytest.fixture(scope="module")
def guides(settings):
    cat = service.catalogue(settings)
    return [cat.guides[c] for c in cat.matters]


def test_no_matter_is_both_window_only_and_done_on_a_phone(guides):
    both = [g["code"] for g in guides if g["online_depth"] == "onsite" and g["mobile"]]
    assert both == []
    assert any(g["mobile"] for g in guides)


def test_every_guide_that_mentions_booking_says_where(guides):
    booking = [g for g in guides if "预约" in g["guide"] + "".join(g["process"])]
    assert booking
    for g in booking:
        assert g["booking"]["places"] and len(g["booking"]["places_en"]) == len(
            g["booking"]["places"]), g["code"]
    assert not any("booking" in g for g in guides if g not in booking)


def test_booking_names_what_the_guide_names(client):
    code = search(client, "出生医学证明")["items"][0]["code"]
    guide = ok(client.get(f"/api/v1/matters/{code}"))
    assert set(guide["booking"]["places"]) == {"粤省事", "广东政务服务网"}
