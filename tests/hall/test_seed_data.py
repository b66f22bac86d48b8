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


# ---------------------------------------------------------------- English (infra/seed/en/*.tsv)
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")


def english(text, where):
    """Non-empty plain English: no Chinese characters or full-width punctuation, no stray spaces."""
    assert isinstance(text, str) and text.strip(), where
    assert not CJK.search(text), (where, text)
    assert text == text.strip() and "  " not in text, (where, text)
    return text


def parallel(zh, en, where):
    assert isinstance(en, list) and len(en) == len(zh), (where, zh, en)
    for i, text in enumerate(en):
        english(text, (where, zh[i]))


def test_reference_tables_in_english(themes, regions, departments):
    for row in [*themes, *regions, *departments]:
        english(row["name_en"], row["code"])
    for row in [*regions, *departments]:
        assert not english(row["name_en"], row["code"]).endswith("."), row["code"]


def test_matters_in_english(matters):
    for m in matters:
        c = m["code"]
        name = english(m["name_en"], c)
        assert not name.endswith(".") and not name[0].islower(), (c, name)  # sentence case
        aliases = m["aliases_en"]
        assert 2 <= len(aliases) <= 4, (c, aliases)
        for a in aliases:
            english(a, (c, "aliases_en"))
        assert len({a.lower() for a in aliases}) == len(aliases), (c, aliases)
        assert name.lower() not in {a.lower() for a in aliases}, (c, "an alias repeats the name")
        parallel(m["conditions"], m["conditions_en"], (c, "conditions_en"))
        parallel(m["process"], m["process_en"], (c, "process_en"))
        for mat in m["materials"]:
            english(mat["name_en"], (c, mat["name"]))
        for fee in m["fees"]:
            english(fee["name_en"], (c, fee["item"]))
            english(fee["amount_en"], (c, fee["amount"]))
        for f in m["form_fields"]:
            english(f["label_en"], (c, f["name"]))
            if "options" in f:
                parallel(f["options"], f["options_en"], (c, f["name"]))
                # a select must not show two options that read the same in English
                assert len(set(f["options_en"])) == len(f["options_en"]), (c, f["name"])
            else:
                assert "options_en" not in f, (c, f["name"])


def test_same_chinese_same_english(matters):
    """Each unique string is translated once, so a Chinese text reads the same everywhere."""
    seen = {}
    for m in matters:
        pairs = [("name", m["name"], m["name_en"])]
        pairs += [("material", x["name"], x["name_en"]) for x in m["materials"]]
        conditions = zip(m["conditions"], m["conditions_en"], strict=True)
        pairs += [("condition", zh, en) for zh, en in conditions]
        pairs += [("step", zh, en) for zh, en in zip(m["process"], m["process_en"], strict=True)]
        pairs += [("label", f["label"], f["label_en"]) for f in m["form_fields"]]
        pairs += [("fee", x["item"], x["name_en"]) for x in m["fees"]]
        pairs += [("amount", x["amount"], x["amount_en"]) for x in m["fees"]]
        for kind, zh, en in pairs:
            assert seen.setdefault((kind, zh), en) == en, (m["code"], kind, zh)


def test_scenarios_in_english(scenarios):
    for s in scenarios:
        c = s["code"]
        english(s["name_en"], c)
        english(s["description_en"], c)
        for q in s["questions"]:
            english(q["text_en"], (c, q["id"]))
            labels = [english(o["label_en"], (c, q["id"], o["value"])) for o in q["options"]]
            assert len(set(labels)) == len(labels), (c, q["id"], labels)


def test_service_points_in_english(points):
    for p in points:
        for key in ("name_en", "address_en", "hours_en"):
            english(p[key], (p["code"], key))
        assert not p["name_en"].endswith("."), p["code"]
    weekdays = "Monday to Friday, 8:30am to 12pm and 2:30pm to 5:30pm"
    assert weekdays in {p["hours_en"] for p in points}


def test_place_names_in_pinyin(points, regions):
    """County and district names keep their pinyin, wherever a point's English names them."""
    pinyin = {"梅江区": "Meijiang", "梅县区": "Meixian", "兴宁市": "Xingning", "平远县": "Pingyuan",
              "蕉岭县": "Jiaoling", "大埔县": "Dabu", "丰顺县": "Fengshun", "五华县": "Wuhua"}
    for p in points:
        for zh, en in pinyin.items():
            if zh in p["name"]:
                assert en in p["name_en"], (p["code"], p["name_en"])
            if zh in p["address"]:
                assert en in p["address_en"], (p["code"], p["address_en"])
    for r in regions:
        if r["name"] in pinyin:
            assert r["name_en"].startswith(pinyin[r["name"]]), r


def test_no_spam_in_translation_tables():
    for path in sorted((SEED / "en").glob("*.tsv")):
        text = path.read_text(encoding="utf-8").lower()
        for word in SPAM:
            assert word.lower() not in text, (path.name, word)


# ---------------------------------------------------------------- the generator
@pytest.fixture(scope="module")
def build_seed():
    import importlib.util
    spec = importlib.util.spec_from_file_location("build_seed", SEED / "build_seed.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_generator_reproduces_the_committed_json(build_seed):
    out = build_seed.build()
    assert {Path(p).name for p in out} == {p.name for p in DATA_FILES}
    for path, obj in out.items():
        assert load(path) == obj, Path(path).name


def test_generator_fails_loudly_on_a_missing_or_bad_translation(build_seed, tmp_path):
    (tmp_path / "names.tsv").write_text(
        "# comment\n"
        "出生登记（新生儿入户）\tRegister a birth\tregister a baby | Register a Baby\n"
        "生育登记\t生育登记\tbirth registration | pregnancy registration\n"
        "已删除事项\tA matter that is gone\tgone | removed\n", encoding="utf-8")
    en = build_seed.English(tables=("names",), directory=str(tmp_path))
    assert en("names", "出生登记（新生儿入户）") == "Register a birth"
    en.aliases("出生登记（新生儿入户）")
    en("names", "生育登记")
    assert en("names", "收养登记") == ""
    with pytest.raises(SystemExit) as err:
        en.check()
    message = str(err.value)
    assert "en/names.tsv lacks: 收养登记" in message
    assert "unused line 已删除事项" in message
    assert "Chinese characters in the English '生育登记'" in message
    assert "2-4 distinct aliases wanted" in message


def test_generator_accepts_complete_tables(build_seed, tmp_path):
    (tmp_path / "process.tsv").write_text("受理\tApplication accepted\n", encoding="utf-8")
    en = build_seed.English(tables=("process",), directory=str(tmp_path))
    assert en("process", "受理") == "Application accepted"
    en.check()


def test_no_matter_is_both_on_site_only_and_done_on_a_phone(matters):
    assert [m["code"] for m in matters if m["online_depth"] == "onsite" and m["mobile"]] == []


def test_a_guide_that_mentions_booking_says_where_to_book(matters):
    where = ("粤省事", "广东政务服务网", "小程序", "公众号", "电话", "窗口")
    vague = [m["code"] for m in matters if "预约" in m["guide"]
             and not any(w in m["guide"] for w in where)]
    assert vague == []
