"""Search benchmark: latency, index size, build and load time, hit rate and precision, against a
naive scan, in Chinese (characters, pinyin, initials) and in English (lang=en).

The labelled sets (tests/data/search_queries.json, tests/data/search_queries_en.json) hold
queries with expected matters, timed and scored for hit@1/hit@5 and their mean result count,
and queries with an empty "expected" list (nonsense for this catalogue): precision is the share
of those that return nothing. "api@5" scores the top 5 as the API answers a whole-city search
(one entry per matter: the county copies collapse into the best-ranked one).
"""
from __future__ import annotations

import copy
import gc
import json
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from functions.hall import model  # noqa: E402
from functions.hall.english import EnglishSearcher, build_english_index  # noqa: E402
from functions.hall.index import build_index  # noqa: E402
from functions.hall.search import Searcher  # noqa: E402

SEED = ROOT / "infra" / "seed" / "matters.json"
THESAURUS = ROOT / "functions" / "hall" / "data" / "thesaurus.tsv"
QUERIES = ROOT / "tests" / "data" / "search_queries.json"
QUERIES_EN = ROOT / "tests" / "data" / "search_queries_en.json"
THESAURUS_EN = ROOT / "functions" / "hall" / "data" / "thesaurus_en.tsv"
REGIONS = ["441400", "441402", "441403", "441481", "441426", "441427", "441422", "441423",
           "441424"]
MIN_SAMPLES = 2000
LOAD_REPEATS = 7


def generated_catalogue(seed_matters: list[dict], size: int, rng_seed: int = 20240601):
    """Recombine seed matters across regions with fresh codes (deterministic)."""
    rng = random.Random(rng_seed)
    active = [m for m in seed_matters if m.get("status", "active") == "active"]
    out = [copy.deepcopy(m) for m in seed_matters]
    used = {m["code"] for m in out}
    counters: dict[tuple[str, str], int] = {}
    while len(out) < size:
        base = rng.choice(active)
        region = rng.choice(REGIONS)
        key = (region, base["department"])
        n = counters.get(key, 5000) + 1
        counters[key] = n
        code = f"{region}-{base['department']}-{n:04d}"
        if code in used:
            continue
        used.add(code)
        m = copy.deepcopy(base)
        other = rng.choice(active)
        m.update(code=code, region=region, popularity=rng.randint(0, 1000), status="active",
                 aliases=list(dict.fromkeys(base.get("aliases", [])
                                            + other.get("aliases", [])[:1])))
        out.append(m)
    return out


def percentile(samples: list[float], p: float) -> float:
    s = sorted(samples)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))]


def timed_runs(fn, queries: list[dict]) -> list[float]:
    """Microseconds per call, cycling the queries until MIN_SAMPLES calls."""
    repeats = max(1, -(-MIN_SAMPLES // len(queries)))
    samples = []
    clock = time.perf_counter_ns
    gc.collect()
    for _ in range(repeats):
        for item in queries:
            t = clock()
            fn(item)
            samples.append((clock() - t) / 1000)
    return samples


def _engine_zh(matters: list[dict], thesaurus: str):
    return build_index(matters, thesaurus), Searcher


def _engine_en(matters: list[dict], thesaurus: str):
    return build_english_index(model.english_docs(matters), thesaurus), EnglishSearcher


def _collapsed(codes: list[str], names: dict[str, str]) -> list[str]:
    out, seen = [], set()
    for c in codes:
        if names[c] not in seen:
            seen.add(names[c])
            out.append(c)
    return out


def measure(label: str, matters: list[dict], thesaurus: str, queries: list[dict],
            with_quality: bool, negatives: list[dict] = (), engine_of=_engine_zh,
            name_key: str = "name") -> dict:
    t = time.perf_counter()
    index, searcher_class = engine_of(matters, thesaurus)
    build_s = time.perf_counter() - t
    text = json.dumps(index, ensure_ascii=False, separators=(",", ":"))
    loads = []
    for _ in range(LOAD_REPEATS):
        t = time.perf_counter()
        searcher = searcher_class(json.loads(text))
        loads.append(time.perf_counter() - t)

    def engine(item):
        return searcher.search(item["q"], audience=item.get("audience"),
                               region=item.get("region"))

    active = [m for m in matters if m.get("status", "active") == "active"]

    def naive(item):
        q = item["q"]
        return [m for m in active if q in m.get(name_key, "")]

    # Interleave to share the same machine noise, then warm up once.
    for item in queries:
        engine(item)
        naive(item)
    eng = timed_runs(engine, queries)
    base = timed_runs(naive, queries)
    row = {
        "catalogue": label, "matters": len(active), "index_bytes": len(text.encode()),
        "build_s": build_s, "load_ms": statistics.median(loads) * 1000,
        "p50_us": percentile(eng, 50), "p99_us": percentile(eng, 99),
        "naive_p50_us": percentile(base, 50), "naive_p99_us": percentile(base, 99),
        "samples": len(eng),
    }
    if with_quality:
        at1 = at5 = api5 = 0
        names = {m["code"]: m["name"] for m in active}
        for item in queries:
            hits = searcher.search(item["q"], audience=item.get("audience"),
                                   region=item.get("region"))
            got = [h.code for h in hits[:5]]
            expected = set(item["expected"])
            at1 += bool(got[:1] and got[0] in expected)
            at5 += bool(set(got) & expected)
            api5 += bool(set(_collapsed([h.code for h in hits], names)[:5]) & expected)
        row["hit@1"] = at1 / len(queries)
        row["hit@5"] = at5 / len(queries)
        row["api@5"] = api5 / len(queries)
        row["mean_hits"] = statistics.mean(len(engine(item)) for item in queries)
        if negatives:
            row["neg_empty"] = sum(not engine(item) for item in negatives) / len(negatives)
    return row


def main() -> int:
    if not SEED.exists() or not QUERIES.exists() or not QUERIES_EN.exists():
        print("needs infra/seed/matters.json and tests/data/search_queries*.json",
              file=sys.stderr)
        return 1
    seed = json.loads(SEED.read_text(encoding="utf-8"))
    thesaurus = THESAURUS.read_text(encoding="utf-8")
    thesaurus_en = THESAURUS_EN.read_text(encoding="utf-8")
    items = json.loads(QUERIES.read_text(encoding="utf-8"))
    queries = [i for i in items if i["expected"]]
    negatives = [i for i in items if not i["expected"]]
    items_en = json.loads(QUERIES_EN.read_text(encoding="utf-8"))
    queries_en = [i for i in items_en if i["expected"]]
    negatives_en = [i for i in items_en if not i["expected"]]
    generated = generated_catalogue(seed, 5000)
    en = {"engine_of": _engine_en, "name_key": "name_en"}
    rows = [measure("seed", seed, thesaurus, queries, True, negatives),
            measure("generated", generated, thesaurus, queries, False),
            measure("seed en", seed, thesaurus_en, queries_en, True, negatives_en, **en),
            measure("gen. en", generated, thesaurus_en, queries_en, False, **en)]

    head = (f"{'catalogue':<10} {'matters':>7} {'index KB':>9} {'build s':>8} {'load ms':>8} "
            f"{'p50 us':>8} {'p99 us':>8} {'naive p50':>9} {'naive p99':>9} {'p50 x':>6} "
            f"{'p99 x':>6} {'hit@1':>6} {'hit@5':>6} {'api@5':>6} {'hits':>5} {'neg 0':>5}")
    print(f"queries: {len(queries)} labelled, {len(negatives)} nonsense in Chinese; "
          f"{len(queries_en)} labelled, {len(negatives_en)} nonsense in English; "
          f">= {MIN_SAMPLES} timed searches per catalogue; python {sys.version.split()[0]}")
    print(head)
    print("-" * len(head))
    for r in rows:
        h1 = f"{r['hit@1']:.2f}" if "hit@1" in r else "-"
        h5 = f"{r['hit@5']:.2f}" if "hit@5" in r else "-"
        a5 = f"{r['api@5']:.2f}" if "api@5" in r else "-"
        mh = f"{r['mean_hits']:.1f}" if "mean_hits" in r else "-"
        ne = f"{r['neg_empty']:.2f}" if "neg_empty" in r else "-"
        print(f"{r['catalogue']:<10} {r['matters']:>7} {r['index_bytes'] / 1024:>9.0f} "
              f"{r['build_s']:>8.2f} {r['load_ms']:>8.1f} {r['p50_us']:>8.0f} "
              f"{r['p99_us']:>8.0f} {r['naive_p50_us']:>9.0f} {r['naive_p99_us']:>9.0f} "
              f"{r['p50_us'] / r['naive_p50_us']:>6.1f} {r['p99_us'] / r['naive_p99_us']:>6.1f} "
              f"{h1:>6} {h5:>6} {a5:>6} {mh:>5} {ne:>5}")
    print("p50 x / p99 x: engine latency divided by the naive substring scan in the same run.")
    print("hits: mean result count of the labelled queries (limit 200); neg 0: share of the "
          "nonsense queries returning nothing.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
