"""Province-scale search: the searcher over search units (county copies of a matter scored once)
answers exactly what the searcher before units answered (bench/search_v1/, kept verbatim), on
the seed and on a generated catalogue where copies differ in their aliases, with filters and
with queries naming a region; an index published before units still loads; units hold their
matters in rank order; the index grows with distinct matters, not with copies."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.search import generated_catalogue
from bench.search_v1.index import build_index as build_index_v1
from bench.search_v1.search import Searcher as SearcherV1
from functions.hall.index import build_index
from functions.hall.search import Searcher

ROOT = Path(__file__).resolve().parents[2]
SEED = json.loads((ROOT / "infra" / "seed" / "matters.json").read_text(encoding="utf-8"))
THESAURUS = (ROOT / "functions" / "hall" / "data" / "thesaurus.tsv").read_text(encoding="utf-8")
LABELLED = json.loads((ROOT / "tests" / "data" / "search_queries.json").read_text(encoding="utf-8"))
# Queries naming a region (its name is a low-weight field of its matters), and one-character ones.
REGIONAL = ["梅江区社保", "兴宁 结婚", "梅县区", "蕉岭县身份证", "平远县公积金", "大埔",
            "梅州市社保卡", "五华县 开公司", "区", "县", "证"]


def _json(index: dict) -> dict:
    return json.loads(json.dumps(index, ensure_ascii=False))


def _answers(searcher, items: list[dict]) -> list[list[tuple]]:
    return [[(h.code, h.score, h.highlights) for h in searcher.search(
        i["q"], audience=i.get("audience"), region=i.get("region"))] for i in items]


def _items() -> list[dict]:
    items = [*LABELLED, *({"q": q} for q in REGIONAL)]
    items += [{"q": q, "region": r} for q in REGIONAL for r in ("441402", "441400")]
    items += [dict(i, region="441481") for i in LABELLED[::3]]
    items += [dict(i, audience="enterprise") for i in LABELLED[1::4]]
    return items


@pytest.fixture(scope="module")
def indexes() -> tuple[dict, dict]:
    """The seed and 250 recombined copies (units of one to a dozen matters, copies whose aliases
    differ), indexed by the searcher and by the baseline."""
    matters = generated_catalogue(SEED, len(SEED) + 250)
    return _json(build_index(matters, THESAURUS)), _json(build_index_v1(matters, THESAURUS))


def test_answers_are_the_baseline_answers(indexes):
    new, old = Searcher(indexes[0]), SearcherV1(indexes[1])
    assert new.n_units < 0.6 * len(new.codes)  # county copies are scored once
    items = _items()
    got, want = _answers(new, items), _answers(old, items)
    assert sum(map(len, want)) > 2000  # the comparison covers many hits
    assert got == want


def test_an_index_published_before_units_loads_and_answers_the_same(indexes):
    items = _items()[:80]
    assert _answers(Searcher(indexes[1]), items) == _answers(SearcherV1(indexes[1]), items)


def test_units_hold_their_matters_in_rank_order(indexes):
    searcher = Searcher(indexes[0])
    pop, codes = searcher.popularity, searcher.codes
    sizes = [len(m) for m in searcher.members]
    assert sum(sizes) == len(codes) and max(sizes) > 1
    for members in searcher.members:
        assert members == sorted(members, key=lambda d: (-pop[d], codes[d]))


def test_county_copies_add_matters_not_postings():
    few = [m for m in SEED if m["region"] == "441400"][:12]
    copies = [dict(m, code=f"{m['code']}-{r}", region=r, popularity=i)
              for i, r in enumerate(("441402", "441403", "441481", "441424")) for m in few]
    small, big = build_index(few, THESAURUS), build_index(few + copies, THESAURUS)
    assert len(big["codes"]) == 5 * len(small["codes"])
    assert big["units"] == small["units"] and big["post"] == small["post"]
    searcher = Searcher(_json(big))
    hits = searcher.search(few[0]["name"], region="441403")
    assert {h.code[:6] for h in hits} <= {"441400", "441403"}
    assert f"{few[0]['code']}-441403" in [h.code for h in hits]
