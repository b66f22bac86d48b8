"""Checks on the seed catalogue data (format: infra/seed/README.md)."""
import json
import re
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "functions" / "hall" / "data"
SEED = ROOT / "infra" / "seed"

DATA_FILES = [
    DATA / "themes.json", DATA / "regions.json", DATA / "departments.json",
    SEED / "matters.json", SEED / "service_points.json", SEED / "scenarios.json",
]

CITY = "441400"
COUNTIES = {"441402": "梅江区", "441403": "梅县区", "441481": "兴宁市", "441426": "平远县",
            "441427": "蕉岭县", "441422": "大埔县", "441423": "丰顺县", "441424": "五华县"}
HOT_TAGS = {"business", "tax", "quality", "housing_fund", "social_security"}
LICENCE_TYPES = {"id_card", "household_register", "marriage_cert", "divorce_cert",
                 "business_licence", "birth_cert", "property_cert", "driving_licence",
                 "vehicle_licence", "degree_cert",
                 "social_security_card", "disability_cert", "veteran_cert", "death_cert",
                 "residence_permit", "food_licence"}
FIELD_TYPES = {"text", "id_number", "phone", "date", "number", "select", "textarea"}
SPAM = ["亚博网址链接", "亚博", "yabo88", "yabo", "亚搏app下载安装", "亚搏"]


def load(path):
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


@pytest.fixture(scope="module")
def themes():
    return load(DATA / "themes.json")


@pytest.fixture(scope="module")
def regions():
    return load(DATA / "regions.json")


@pytest.fixture(scope="module")
def departments():
    return load(DATA / "departments.json")


@pytest.fixture(scope="module")
def matters():
    return load(SEED / "matters.json")


@pytest.fixture(scope="module")
def points():
    return load(SEED / "service_points.json")


@pytest.fixture(scope="module")
def scenarios():
    return load(SEED / "scenarios.json")


@pytest.fixture(scope="module")
def by_code(matters):
    return {m["code"]: m for m in matters}


# ---------------------------------------------------------------- themes, regions, departments
def test_themes_in_seed_order(themes):
    person = [t for t in themes if t["audience"] == "person"]
    enterprise = [t for t in themes if t["audience"] == "enterprise"]
    assert len(themes) == 65
    assert [t["code"] for t in person] == [f"P{i:02d}" for i in range(1, 32)]
    assert [t["code"] for t in enterprise] == [f"E{i:02d}" for i in range(1, 35)]
    assert themes[:31] == person and themes[31:] == enterprise
    assert person[0]["name"] == "生育收养"
    assert person[-1]["name"] == "其他(含个体工商户)"
    assert person[15]["name"] == "社会保障(社会保险、社会救助)"
    assert enterprise[0]["name"] == "设立变更"
    assert enterprise[-1]["name"] == "其他"
    assert enterprise[31]["name"] == "法人注销"
    assert len({t["code"] for t in themes}) == 65
    for t in themes:
        assert t["name"] and t["name_en"]


def test_regions(regions):
    by_code = {r["code"]: r for r in regions}
    assert by_code[CITY]["name"] == "梅州市" and by_code[CITY]["level"] == "city"
    for code, name in COUNTIES.items():
        assert by_code[code]["name"] == name
        assert by_code[code]["level"] == "county"
    assert len(regions) == 9
    assert all(r["name_en"] for r in regions)


def test_departments(departments):
    codes = [d["code"] for d in departments]
    assert len(codes) == len(set(codes)) >= 25
    for d in departments:
        assert re.fullmatch(r"[A-Z]{2,6}", d["code"])
        assert d["name"] and d["name_en"]
        prefixes = ("梅州", "梅江", "梅县", "兴宁", "平远", "蕉岭", "大埔", "丰顺", "五华")
        assert not d["name"].startswith(prefixes)
    for code in ("RSJ", "SWJ", "SCJGJ", "GJJ", "GAJ", "MZJ", "YBJ"):
        assert code in codes


# ---------------------------------------------------------------- matters
def test_matter_count_and_codes(matters, departments):
    assert len(matters) >= 400
    codes = [m["code"] for m in matters]
    assert len(codes) == len(set(codes))
    depts = {d["code"] for d in departments}
    regions = {CITY, *COUNTIES}
    for m in matters:
        mo = re.fullmatch(r"(\d{6})-([A-Z]+)-(\d{4})", m["code"])
        assert mo, m["code"]
        assert mo.group(1) == m["region"] and mo.group(2) == m["department"]
        assert m["region"] in regions and m["department"] in depts


def test_matter_enums_and_fields(matters):
    for m in matters:
        c = m["code"]
        assert m["name"] and m["guide"] and m["conditions"] and m["process"], c
        assert set(m["audiences"]) <= {"person", "enterprise"} and m["audiences"], c
        assert len(m["audiences"]) == len(set(m["audiences"])), c
        assert m["level"] in {"city", "county", "town", "village"}, c
        assert (m["level"] == "city") == (m["region"] == CITY), c
        assert m["kind"] in {"licensing", "public_service", "other"}, c
        assert m["online_depth"] in {"full", "apply", "onsite"}, c
        assert m["visits"] in {0, 1, 2}, c
        assert isinstance(m["legal_days"], int) and isinstance(m["promised_days"], int), c
        assert m["legal_days"] >= m["promised_days"] >= 0, c
        assert 1 <= m["popularity"] <= 1000, c
        assert m["version"] == 1 and m["status"] in {"active", "withdrawn"}, c
        assert isinstance(m["mobile"], bool), c
        assert set(m["hot_tags"]) <= HOT_TAGS, c
        assert isinstance(m["aliases"], list), c
        for fee in m["fees"]:
            assert fee["item"] and fee["amount"], c
        assert m["materials"], c
        for mat in m["materials"]:
            assert mat["name"], c
            assert mat["form"] in {"original", "copy", "electronic", "original_and_copy"}, c
            assert isinstance(mat["copies"], int) and mat["copies"] >= 1, c
            assert mat.get("licence_type") is None or mat["licence_type"] in LICENCE_TYPES, c
            assert isinstance(mat["required"], bool), c
        names = [f["name"] for f in m["form_fields"]]
        assert names and len(names) == len(set(names)), c
        for f in m["form_fields"]:
            assert re.fullmatch(r"[a-z][a-z0-9_]*", f["name"]), (c, f["name"])
            assert f["label"] and f["type"] in FIELD_TYPES, c
            if f["type"] == "select":
                opts = f["options"]
                assert opts and all(isinstance(o, str) and o for o in opts), c
                assert len(opts) == len(set(opts)), c


def test_themes_match_audiences(matters, themes):
    codes = {t["code"] for t in themes}
    for m in matters:
        assert m["themes"] and set(m["themes"]) <= codes, m["code"]
        prefixes = {t[0] for t in m["themes"]}
        expected = {"person": "P", "enterprise": "E"}
        assert prefixes == {expected[a] for a in m["audiences"]}, m["code"]


def test_every_theme_has_matters(matters, themes):
    count = Counter(t for m in matters for t in m["themes"])
    for t in themes:
        assert count[t["code"]] >= 3, t["code"]


def test_levels_and_regions_covered(matters):
    regions = Counter(m["region"] for m in matters)
    assert regions[CITY] > 0
    for county in COUNTIES:
        assert regions[county] > 0, county
        levels = {m["level"] for m in matters if m["region"] == county}
        assert {"county", "town", "village"} <= levels, county


def test_hot_tags_present(matters):
    count = Counter(tag for m in matters for tag in m["hot_tags"])
    for tag in HOT_TAGS:
        assert count[tag] >= 5, tag


def test_visit_and_online_shares(matters):
    n = len(matters)
    assert sum(m["visits"] <= 1 for m in matters) / n >= 0.85
    assert sum(m["visits"] == 0 for m in matters) / n >= 0.20
    licensing = [m for m in matters if m["kind"] == "licensing"]
    assert licensing
    assert sum(m["online_depth"] == "full" for m in licensing) / len(licensing) >= 0.85


# ---------------------------------------------------------------- service points and scenarios
def test_service_points(points, by_code):
    codes = [p["code"] for p in points]
    assert len(codes) == len(set(codes))
    types = Counter(p["type"] for p in points)
    assert types["city_hall"] == 1 and types["county_hall"] == 8
    for county in COUNTIES:
        here = Counter(p["type"] for p in points if p["region"] == county)
        assert here["county_hall"] == 1, county
        assert here["town_station"] >= 2 and here["village_point"] >= 1, county
    for p in points:
        assert p["type"] in {"city_hall", "county_hall", "town_station", "village_point"}
        assert p["region"] == CITY or p["region"] in COUNTIES
        assert p["name"] and p["address"] and p["hours"]
        assert re.fullmatch(r"0753-\d{7}", p["phone"]), p["code"]
        assert 23.3 <= p["lat"] <= 25.0 and 115.3 <= p["lng"] <= 117.0, p["code"]
        assert p["matters"], p["code"]
        for code in p["matters"]:
            assert code in by_code, (p["code"], code)
            if p["type"] != "city_hall":
                assert by_code[code]["region"] == p["region"], (p["code"], code)


def test_scenarios(scenarios, by_code):
    assert len(scenarios) >= 12
    count = Counter(s["audience"] for s in scenarios)
    assert count["person"] >= 6 and count["enterprise"] >= 6
    assert len({s["code"] for s in scenarios}) == len(scenarios)
    for s in scenarios:
        assert s["name"] and s["name_en"] and s["description"] and s["base_matters"]
        assert 2 <= len(s["questions"]) <= 3, s["code"]
        refs = list(s["base_matters"])
        for q in s["questions"]:
            assert q["id"] and q["text"] and len(q["options"]) >= 2
            for o in q["options"]:
                assert o["value"] and o["label"]
                refs += o["adds"]
        for code in refs:
            assert code in by_code, (s["code"], code)
            assert s["audience"] in by_code[code]["audiences"], (s["code"], code)


def test_no_spam_words():
    for path in DATA_FILES:
        text = path.read_text(encoding="utf-8").lower()
        for word in SPAM:
            assert word.lower() not in text, (path.name, word)
