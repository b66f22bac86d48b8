"""English search: words, typos, prefixes, the thesaurus, filters, highlights, and the English
labelled set (tests/data/search_queries_en.json: an empty "expected" must return nothing)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from functions.hall import model
from functions.hall.english import EnglishSearcher, build_english_index, distance, stem, suggest

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "infra" / "seed" / "matters.json"
THESAURUS = ROOT / "functions" / "hall" / "data" / "thesaurus_en.tsv"
QUERIES = ROOT / "tests" / "data" / "search_queries_en.json"


def doc(code, name_en, aliases_en=(), audiences=("person",), region="441400", popularity=100,
        meta_en=()):
    return {"code": code, "name_en": name_en, "aliases_en": list(aliases_en),
            "audiences": list(audiences), "region": region, "popularity": popularity,
            "meta_en": list(meta_en)}


FIXTURE = [
    doc("441400-GJJ-0001", "Withdraw housing provident fund to buy a home",
        ["withdraw housing fund"], popularity=950),
    doc("441400-GJJ-0002", "Withdraw housing provident fund to pay rent", popularity=800),
    doc("441400-GAJ-0009", "Replace a lost ID card", ["lost ID card"], popularity=880),
    doc("441400-GAJ-0008", "Renew an ID card", ["expired ID card"], popularity=870),
    doc("441400-GAJ-0019", "Apply for a passport", ["passport"], popularity=600),
    doc("441400-SCJGJ-0021", "Register a company", ["set up a company", "start a business"],
        ("enterprise",), popularity=900),
    doc("441400-SCJGJ-0028", "Close a company", ["deregister a company"], ("enterprise",),
        popularity=300),
    doc("441403-MZJ-0001", "Marriage registration (mainland residents)", ["get married"],
        region="441403", popularity=500),
    doc("441481-MZJ-0001", "Marriage registration (mainland residents)", ["get married"],
        region="441481", popularity=450),
    doc("441400-JTYSJ-0007", "Ride-hailing taxi platform licence", popularity=50),
    doc("441400-SWJ-0012", "VAT and surcharges tax return", ["file taxes"], ("enterprise",),
        popularity=700, meta_en=["Taxation Bureau"]),
    doc("441400-WJJ-0001", "Get a medical birth certificate", ["birth certificate"],
        popularity=820),
    {"code": "441400-X-0001", "name_en": "", "audiences": ["person"], "region": "441400"},
]
FIXTURE_THESAURUS = "baby\tbirth\nmarry\tmarriage\nopen\tset up,register\n"


@pytest.fixture(scope="module")
def searcher() -> EnglishSearcher:
    index = build_english_index(FIXTURE, FIXTURE_THESAURUS)
    return EnglishSearcher(json.loads(json.dumps(index)))


def codes(hits) -> list[str]:
    return [h.code for h in hits]


def top(searcher, q, **kw) -> str:
    hits = searcher.search(q, **kw)
    assert hits, q
    return hits[0].code


@pytest.mark.parametrize("q,expected", [
    ("passport", "441400-GAJ-0019"),
    ("lost id card", "441400-GAJ-0009"),
    ("renew my ID card", "441400-GAJ-0008"),
    ("Housing fund rent", "441400-GJJ-0002"),
    ("register a company", "441400-SCJGJ-0021"),
    ("close company", "441400-SCJGJ-0028"),
])
def test_words(searcher, q, expected):
    assert top(searcher, q) == expected


@pytest.mark.parametrize("q,expected", [
    ("pasport", "441400-GAJ-0019"),          # one letter missing
    ("passprot", "441400-GAJ-0019"),         # two letters swapped
    ("regsitration marriage", "441403-MZJ-0001"),
    ("withdrawl housing fund", "441400-GJJ-0001"),
    ("certficate birth", "441400-WJJ-0001"),
])
def test_typos(searcher, q, expected):
    assert top(searcher, q) == expected


def test_short_words_are_not_corrected(searcher):
    # "ix" is not corrected to "id": with one word of two explained, nothing qualifies.
    assert searcher.search("ix card") == []


@pytest.mark.parametrize("q,expected", [
    ("passp", "441400-GAJ-0019"),
    ("birth cert", "441400-WJJ-0001"),
    ("marr", "441403-MZJ-0001"),
])
def test_the_last_word_is_a_prefix(searcher, q, expected):
    assert top(searcher, q) == expected


def test_a_whole_word_is_not_read_as_a_prefix(searcher):
    # "tax" is a word of the catalogue: the taxi platform licence is not a tax matter.
    assert "441400-JTYSJ-0007" not in codes(searcher.search("tax"))
    assert top(searcher, "tax") == "441400-SWJ-0012"


@pytest.mark.parametrize("q,expected", [
    ("baby", "441400-WJJ-0001"),
    ("marry", "441403-MZJ-0001"),
    ("open a company", "441400-SCJGJ-0021"),
])
def test_thesaurus(searcher, q, expected):
    assert top(searcher, q) == expected


def test_spelling_variants_fold(searcher):
    assert top(searcher, "ride hailing taxi platform license") == "441400-JTYSJ-0007"
    assert top(searcher, "identity card lost") == "441400-GAJ-0009"


def test_matters_without_english_are_not_indexed(searcher):
    assert "441400-X-0001" not in searcher.codes


def test_filters(searcher):
    assert codes(searcher.search("company", audience="person")) == []
    assert top(searcher, "company", audience="enterprise") == "441400-SCJGJ-0021"
    got = codes(searcher.search("marriage", region="441481"))
    assert got == ["441481-MZJ-0001"]
    assert searcher.search("marriage", audience="alien") == []


def test_most_of_the_query_must_be_explained(searcher):
    assert searcher.search("passport quantum") == []     # one word of two
    assert searcher.search("taxation bureau") == []      # department words alone are weak


def test_highlights_are_spans_of_the_english_name(searcher):
    hit = searcher.search("lost id card")[0]
    name = "Replace a lost ID card"
    assert [name[a:b] for a, b in hit.highlights] == ["lost ID card"]
    hit = searcher.search("pasport")[0]
    assert [("Apply for a passport")[a:b] for a, b in hit.highlights] == ["passport"]


def test_popularity_breaks_ties(searcher):
    assert codes(searcher.search("marriage registration"))[:2] == ["441403-MZJ-0001",
                                                                   "441481-MZJ-0001"]


@pytest.mark.parametrize("q", ["", "   ", "!!!", "the a of", "qqqqxxxx", "@#$%", "zz"])
def test_empty_or_garbage(searcher, q):
    assert searcher.search(q) == []


def test_helpers():
    assert stem("permits") == "permit" and stem("married") == stem("marry") == "marry"
    assert stem("licenses") == stem("licence") and stem("centers") == stem("centre")
    assert stem("retiring") == stem("retire")
    assert distance("passport", "pasport", 2) == 1 and distance("ab", "ba", 1) == 1
    assert distance("passport", "xyz", 2) == 3
    assert suggest(["passport", "permit", "pension"], "pasport") == ["passport"]


def test_import_loads_nothing_heavy():
    code = ("import sys, json; from functions.hall import english; "
            "s = english.EnglishSearcher(json.loads(sys.stdin.read())); s.search('pasport'); "
            "print(json.dumps([m for m in ('pypinyin', 'zhconv', 'difflib') if m in sys.modules]))")
    index = build_english_index(FIXTURE, FIXTURE_THESAURUS)
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         input=json.dumps(index), check=True)
    assert json.loads(out.stdout) == []


# ---------------------------------------------------------------- the seed, labelled

@pytest.fixture(scope="module")
def seed():
    matters = json.loads(SEED.read_text(encoding="utf-8"))
    index = build_english_index(model.english_docs(matters), THESAURUS.read_text("utf-8"))
    return EnglishSearcher(index), {m["code"]: m["name"] for m in matters}


def _collapsed(hits, names) -> list[str]:
    """As the API answers without a region: one entry per matter."""
    out, seen = [], set()
    for h in hits:
        if names[h.code] not in seen:
            seen.add(names[h.code])
            out.append(h.code)
    return out


def test_every_active_seed_matter_has_english_and_is_indexed(seed):
    searcher, names = seed
    active = [m for m in json.loads(SEED.read_text(encoding="utf-8")) if m["status"] == "active"]
    assert len(searcher.codes) == len(active)


def test_english_labelled_set_hit_rate(seed):
    searcher, names = seed
    items = [i for i in json.loads(QUERIES.read_text(encoding="utf-8")) if i["expected"]]
    assert len(items) >= 60
    misses = []
    for item in items:
        got = _collapsed(searcher.search(item["q"], audience=item.get("audience"),
                                         region=item.get("region")), names)[:5]
        if not set(got) & set(item["expected"]):
            misses.append((item["q"], got))
    rate = 1 - len(misses) / len(items)
    assert rate >= 0.9, f"hit rate@5 {rate:.2f}; misses: {misses}"


def test_english_nonsense_returns_nothing(seed):
    searcher, _ = seed
    negatives = [i["q"] for i in json.loads(QUERIES.read_text(encoding="utf-8"))
                 if not i["expected"]]
    assert len(negatives) >= 15
    assert {q: codes(searcher.search(q))[:3] for q in negatives
            if searcher.search(q)} == {}
