"""Matter search at request time: a stdlib-only searcher over the index built at publish time
(functions/hall/index.py), for lay-language queries in characters, pinyin or initials.

Scores are computed per search unit (the county copies of one matter: one unit), not per
matter, so a province's catalogue costs what its distinct matters cost; a unit's matters are
stored most popular first, and the top `limit` are merged from those runs. A query naming a
region (its name is a low-weight field of the region's matters) splits the units it touches
into one unit per such region ("cells", ids offset by the unit count)."""
from __future__ import annotations

import array
import binascii
import heapq
import math
import sys
from dataclasses import dataclass

from .index import (
    AUDIENCE_BITS,
    F_META,
    F_NAME,
    FIELD_WEIGHT,
    INDEX_VERSION,
    build_index,
    pack_postings,
)
from .pinyin import Pinyin
from .query import Query, QueryReader
from .text import bigrams, han_runs, is_han, parse_thesaurus

# build_index and parse_thesaurus are re-exported: callers know the search by this module.
__all__ = ["Hit", "Searcher", "build_index", "parse_thesaurus"]

CITY_REGION = "441400"
PHRASE_BONUS = (10.0, 8.0)  # per character, whole phrase found in the name / an alias
EXACT_BONUS = 25.0          # the phrase is the whole name or a whole alias
COVERAGE_BONUS = 6.0        # scaled by the share of the name's bigrams the query hit
EXPANSION_PHRASE_CAP = 4    # characters of phrase bonus an expansion can earn at most
RELATIVE_FLOOR = 0.12       # drop hits scoring below this share of the best hit
# Absolute floor: what a matter must explain of the query to be returned at all.
WEAK_SHARE = 0.6            # share of the query's bigrams guide/theme/department text must hold
EXPANSION_SHARE = 0.6       # ... of a stale expansion's (idf-weighted) bigrams
COVERAGE_BASE = 0.35        # score multiplier for a matter explaining none of the query's bigrams
POPULARITY_BOOST = 0.05     # the most popular matter gains 5%: near-ties go to popularity


@dataclass(frozen=True)
class Hit:
    code: str
    score: float
    highlights: list[tuple[int, int]]


class _Match:
    """Per-matter scores and what each matter explains of the query."""
    __slots__ = ("scores", "name_sets", "matched", "ok", "strong", "weak", "corr", "pyg",
                 "explained")

    def __init__(self, n: int, ok: set[int]) -> None:
        self.scores = [0.0] * n
        self.name_sets: list[set[int]] = []      # per bigram found in names: those units
        self.matched: list[str] = []             # query tokens the index holds
        self.ok = ok                             # matters that explain enough of the query
        # (typed positions, units holding them in the name, in an alias): read only for the
        # units that may rank, like name_sets.
        self.strong: list[tuple[int, set[int], set[int]]] = []
        self.weak: dict[int, int] = {}           # ... found only in low-weight text
        self.corr: dict[int, int] = {}           # ... corrected positions in name or aliases
        self.pyg: dict[int, int] = {}            # ... pinyin pair positions in name or aliases
        self.explained: dict[int, int] = {}      # ... explained by expansions, corrections


class Searcher:
    """Holds one loaded index; `search` is pure Python over dicts and strings."""

    def __init__(self, index: dict):
        if index.get("v") == 1:
            index = _upgrade_v1(index)
        if index.get("v") != INDEX_VERSION:
            raise ValueError(f"unsupported search index version {index.get('v')!r}")
        units = index["units"]
        self.names = [u[0] for u in units]  # normalised at publish time, one per unit
        self.unit_audience = [u[1] for u in units]
        self.name_len = [u[2] for u in units]
        self.aliases = index["aliases"]
        self.py_readings = index["py"]  # name and alias readings, for "did you mean"
        self.post = _Lists(index["post"])  # token -> per field, the units holding it
        self.doc_df = index["df"]       # token -> the matters holding it (for idf)
        self.codes = index["codes"]
        self.popularity = index["pop"]
        top_pop = max([p for p in self.popularity if p > 0], default=1)
        self.pop_boost = [POPULARITY_BOOST * max(0, p) / top_pop for p in self.popularity]
        self.regions = index["regions"]
        self.doc_region = index["doc_region"]
        self.region_grams = {r: frozenset(g) for r, g in index["region_grams"].items()}
        self.gram_regions: dict[str, list[str]] = {}
        for r, grams in sorted(self.region_grams.items()):
            for g in grams:
                self.gram_regions.setdefault(g, []).append(r)
        self.members: list[list[int]] = []
        at = 0
        members = index["members"]
        for n in index["sizes"]:
            self.members.append(members[at:at + n])
            at += n
        self._by_region: dict[int, dict[str, list[int]]] = {}  # unit -> region -> members
        self._region_units: dict[str, list[int]] = {}
        self.n_units = len(units)
        self.n_docs = max(1, len(self.codes))
        self.py = Pinyin(index, self._df)
        self.reader = QueryReader(index, self.py)
        self._exp_docs: dict[str, frozenset[int]] = {}   # expansion -> units it qualifies

    def _df(self, token: str) -> int:
        return self.doc_df.get(token, 0)

    def search(self, q: str, *, audience: str | None = None, region: str | None = None,
               limit: int = 200) -> list[Hit]:
        if not q or limit <= 0 or (audience and audience not in AUDIENCE_BITS):
            return []
        query = self.reader.read(q)
        if query is None:
            return []
        weights = query.weights()
        cells = _Cells(self, sorted({r for t in weights for r in self.gram_regions.get(t, ())}))
        cells.fan_out(query.py_scores)
        cells.fan_out(query.py_marks)
        match = self._read_tokens(query, weights, cells)
        self._qualify(query, match, cells)
        self._score_tokens(query, weights, match, cells)
        self._score_phrases(query, match, cells)
        ranked = self._rank(query, match, audience, region, cells, limit)
        return self._hits(ranked, query, match.matched)

    # -------------------------------------------------------------- score each kind of match

    def _read_tokens(self, query: Query, weights: dict[str, float], cells: _Cells) -> _Match:
        """Which typed positions each unit holds, by field, and the units a word (or a lone
        character) qualifies."""
        match = _Match(cells.n, set(query.py_scores))
        one_char, words, typed_chars = query.one_char, query.words, query.typed_chars
        typed_bits, corr_bits, py_bits = query.typed_bits, query.corr_bits, query.py_bits
        strong, corr, pyg, weak, ok = match.strong, match.corr, match.pyg, match.weak, match.ok
        matched, lists_of, name_sets = match.matched, cells.lists, match.name_sets
        for tok in weights:
            lists = lists_of(tok)
            if not lists:
                continue
            matched.append(tok)
            typed = typed_bits.get(tok)
            if (typed or len(tok) == 2 and is_han(tok[0])) and lists[0]:
                in_names = set(lists[0])
                if len(tok) == 2 and is_han(tok[0]):
                    name_sets.append(in_names)
            else:
                in_names = set()
            strong_docs = lists[:2]
            if typed:
                strong.append((typed, in_names, set(lists[1]) if len(lists) > 1 else set()))
            for bits, acc, fields in ((corr_bits.get(tok), corr, strong_docs),
                                      (py_bits.get(tok), pyg, strong_docs),
                                      (typed, weak, lists[2:])):
                if bits:
                    for docs in fields:
                        for d in docs:
                            acc[d] = acc.get(d, 0) | bits
            if tok in words or (tok in typed_chars and one_char):
                for docs in strong_docs:
                    ok.update(docs)
        return match

    def _score_tokens(self, query: Query, weights: dict[str, float], match: _Match,
                      cells: _Cells) -> None:
        """tf-idf by field over the postings, for the qualified units only (no other is
        returned): per unit, the same sums in the same order as over every unit."""
        n, scores, ok, lists_of, df = self.n_docs, match.scores, match.ok, cells.lists, self._df
        for d, v in query.py_scores.items():
            scores[d] = v
        for tok, w in weights.items():
            lists = lists_of(tok)
            if not lists:
                continue
            tw = w * math.log(1.0 + n / df(tok))
            for f, docs in enumerate(lists):
                c = tw * FIELD_WEIGHT[f]
                for d in ok.intersection(docs):
                    scores[d] += c

    def _qualify(self, query: Query, match: _Match, cells: _Cells) -> None:
        """The absolute floor: a matter must explain part of the query on its own merits."""
        ok, explained, content = match.ok, match.explained, query.content
        for _, in_names, in_aliases in match.strong:
            ok.update(in_names)
            ok.update(in_aliases)
        for bits, e in query.targets:
            if bits >= 0:  # a key typed in characters
                bits &= content
                if not bits and not query.one_char:
                    continue  # the key is all filler (or one character): it explains nothing
            for d in cells.of(self._expansion_docs(e)):
                ok.add(d)
                if bits > 0:
                    explained[d] = explained.get(d, 0) | bits
        lone, py_lone = query.lone, query.py_lone
        for d, c in match.corr.items():
            # Homophones count when two neighbouring fixes agree, or fix a two-character run.
            if c & (c >> 1) or c & lone:
                ok.add(d)
                explained[d] = explained.get(d, 0) | (c & content)
        for d, c in match.pyg.items():
            if c & (c >> 1) or c & py_lone:
                ok.add(d)
        n_grams = content.bit_count()
        if n_grams:
            need = WEAK_SHARE * n_grams
            for d, c in match.weak.items():
                if d not in ok and (c | explained.get(d, 0)).bit_count() >= need:
                    ok.add(d)

    def _expansion_docs(self, e: str) -> frozenset[int]:
        """Matters whose name or an alias holds expansion `e` whole (memoised).

        Expansions are meant to be catalogue words; one no name or alias holds (the catalogue
        moved on) falls back to matters holding most of it, its bigrams weighted by rarity.
        """
        got = self._exp_docs.get(e)
        if got is None:
            units = {g for run in han_runs(e) for g in bigrams(run)}
            if not units:
                units = {c for c in e if is_han(c)}
            weights = {u: math.log(1.0 + self.n_docs / max(1, self._df(u))) for u in units}
            held: dict[int, float] = {}
            for u, w in weights.items():
                for docs in self.post.get(u, ())[:2]:
                    for d in docs:
                        held[d] = held.get(d, 0.0) + w
            total = sum(weights.values()) - 1e-9
            whole = frozenset(d for d, h in held.items() if h >= total and (
                e in self.names[d] or any(e in a for a in self.aliases[d])))
            got = whole or frozenset(d for d, h in held.items() if h >= EXPANSION_SHARE * total)
            self._exp_docs[e] = got
        return got

    def _score_phrases(self, query: Query, match: _Match, cells: _Cells) -> None:
        """A bonus for a whole phrase found in a name or an alias (more for the whole of it),
        for the qualified units (with no cells, the units are the qualified ids themselves)."""
        scores, ok = match.scores, None if cells.touched else match.ok
        for p, w in query.phrases.items():
            if len(p) < 2:
                continue
            # A long expansion is one concept, not many typed characters.
            size = len(p) if p in query.typed else min(len(p), EXPANSION_PHRASE_CAP)
            lists = [self.post.get(b) for b in bigrams(p)]
            if not all(lists):
                continue
            rare = min(lists, key=lambda x: len(x[0]) + (len(x[1]) if len(x) > 1 else 0))
            for f, docs in enumerate(rare[:2]):
                for d in (docs if ok is None else ok.intersection(docs)):
                    if f == F_NAME and p in self.names[d]:
                        bonus = PHRASE_BONUS[0] * size
                        if p == self.names[d]:
                            bonus += EXACT_BONUS
                    elif any(p in a for a in self.aliases[d]):
                        bonus = PHRASE_BONUS[1] * size
                        if p in self.aliases[d]:
                            bonus += EXACT_BONUS * 0.8
                    else:
                        continue
                    if ok is not None:
                        scores[d] += w * bonus
                    else:
                        for u in cells.units_of(d):
                            scores[u] += w * bonus

    # -------------------------------------------------------------- filter, rank, highlight

    def _rank(self, query: Query, match: _Match, audience: str | None, region: str | None,
              cells: _Cells, limit: int) -> list[tuple[int, float, int]]:
        """The top `limit` matters of the qualified units with a positive score, for this
        audience, done in this region; far weaker hits dropped, popular matters favoured
        slightly. Units are taken best raw score first and scaled (less for a unit explaining
        little of the query) only while one could still rank: scaling never raises a score and
        popularity adds at most POPULARITY_BOOST. (matter, score, unit)."""
        scores, explained, weak, strong = match.scores, match.explained, match.weak, match.strong
        name_sets, name_len = match.name_sets, self.name_len
        n_grams = query.content.bit_count()
        aud_bit = AUDIENCE_BITS[audience] if audience else 0
        c, unit_audience = self.n_units, self.unit_audience
        pop, pop_boost, codes, doc_region = self.popularity, self.pop_boost, self.codes, \
            self.doc_region
        order = sorted(match.ok, key=scores.__getitem__, reverse=True)
        bound = 1.0 + POPULARITY_BOOST
        heap: list[tuple] = []
        out: list[tuple[int, float, int]] = []
        i, best, floor = 0, 0.0, None
        while len(out) < limit:
            while i < len(order) and (not heap or (scores[order[i]] + COVERAGE_BONUS) * bound
                                      >= -heap[0][0]):
                u = order[i]
                i += 1
                if aud_bit and not unit_audience[u % c] & aud_bit:
                    continue
                s = scores[u]
                h = sum(1 for names in name_sets if u in names)
                if h:  # more for a name the query covers
                    s += COVERAGE_BONUS * min(1.0, h / name_len[u % c])
                if n_grams:
                    ex = explained.get(u, 0)
                    for bits, in_names, in_aliases in strong:
                        if u in in_names or u in in_aliases:
                            ex |= bits
                    share = (ex.bit_count() + 0.5 * (weak.get(u, 0) & ~ex).bit_count()) / n_grams
                    s *= COVERAGE_BASE + (1.0 - COVERAGE_BASE) * min(1.0, share)
                if s <= 0 or floor is not None and s < floor:
                    continue
                pushed = False
                for docs, skip in cells.runs(u, region):
                    j = _next(docs, 0, skip, doc_region)
                    if j < len(docs):
                        d = docs[j]
                        heapq.heappush(heap, (-(s * (1.0 + pop_boost[d])), -pop[d], codes[d], j,
                                              s, u, docs, skip))
                        pushed = True
                if pushed and s > best:
                    best = s
            if not heap:
                break
            if floor is None:  # every unit not taken yet scores below the best taken
                floor = best * RELATIVE_FLOOR
            neg, _, _, j, s, u, docs, skip = heap[0]
            if s < floor:
                heapq.heappop(heap)
                continue
            out.append((docs[j], round(-neg, 4), u))
            j = _next(docs, j + 1, skip, doc_region)
            if j < len(docs):
                d = docs[j]
                heapq.heapreplace(heap, (-(s * (1.0 + pop_boost[d])), -pop[d], codes[d], j, s,
                                         u, docs, skip))
            else:
                heapq.heappop(heap)
        return out

    def _hits(self, ranked: list[tuple[int, float, int]], query: Query,
              matched: list[str]) -> list[Hit]:
        tokens = [t for t in matched if len(t) >= 2 or t in query.typed_chars]
        cache: dict[tuple, list[tuple[int, int]]] = {}
        hits = []
        c = self.n_units
        for d, s, u in ranked:
            key = (self.names[u % c], query.py_marks.get(u))
            spans = cache.get(key)
            if spans is None:
                spans = cache[key] = _highlight(key[0], tokens, key[1])
            hits.append(Hit(self.codes[d], s, list(spans)))
        return hits

    # -------------------------------------------------------------- units and their matters

    def by_region(self, u: int) -> dict[str, list[int]]:
        """A unit's matters by region, each list in rank order (memoised)."""
        got = self._by_region.get(u)
        if got is None:
            got = self._by_region[u] = {}
            regions, doc_region = self.regions, self.doc_region
            for d in self.members[u]:
                got.setdefault(regions[doc_region[d]], []).append(d)
        return got

    def region_units(self, region: str) -> list[int]:
        """The units with matters in `region` (memoised)."""
        got = self._region_units.get(region)
        if got is None:
            got = self._region_units[region] = [u for u in range(self.n_units)
                                                if region in self.by_region(u)]
        return got


class _Cells:
    """The units one query scores: the units, and when the query holds words of region names,
    one cell per (unit, such region) after them: cell k of unit u is u + k * units."""

    def __init__(self, searcher: Searcher, touched: list[str]):
        self.s = searcher
        self.touched = touched
        self.c = searcher.n_units
        self.offsets = [k * self.c for k in range(len(touched) + 1)]
        self.n = self.c * len(self.offsets)
        self.skip = frozenset(searcher.regions.index(r) for r in touched)
        self._lists: dict[str, list | None] = {}

    def fan_out(self, per_unit: dict) -> None:
        if self.touched:
            for u, v in list(per_unit.items()):
                for off in self.offsets[1:]:
                    per_unit[u + off] = v

    def units_of(self, u: int) -> list[int]:
        return [u + off for off in self.offsets]

    def of(self, units) -> list[int]:
        return [u + off for off in self.offsets for u in units] if self.touched else units

    def lists(self, tok: str) -> list | None:
        """Per field, the units (and cells) holding `tok`: in a region's cells, the region's
        name counts as a low-weight field."""
        base = self.s.post.get(tok)
        if not self.touched:
            return base
        got = self._lists.get(tok, 0)
        if got != 0:
            return got
        out: list[list[int]] = [[], [], [], []]
        for f, us in enumerate(base or ()):
            out[f].extend(us)
        field_of = None
        for off, r in zip(self.offsets[1:], self.touched, strict=True):
            if tok in self.s.region_grams[r]:
                if field_of is None:
                    field_of = {u: f for f, us in enumerate(base or ()) for u in us}
                for u in self.s.region_units(r):
                    out[min(field_of.get(u, F_META), F_META)].append(u + off)
            else:
                for f, us in enumerate(base or ()):
                    out[f].extend(u + off for u in us)
        while out and not out[-1]:
            out.pop()
        got = self._lists[tok] = out or None
        return got

    def runs(self, u: int, region: str | None) -> list[tuple[list[int], frozenset]]:
        """The runs of matters unit (or cell) `u` stands for, done in `region` (or the city),
        each with the region indexes to skip."""
        k, base = divmod(u, self.c)
        if k:
            r = self.touched[k - 1]
            if region and r not in (region, CITY_REGION):
                return []
            docs = self.s.by_region(base).get(r)
            return [(docs, frozenset())] if docs else []
        if not region:
            if self.touched and all(r in self.touched for r in self.s.by_region(base)):
                return []
            return [(self.s.members[base], self.skip)]
        rr = self.s.by_region(base)
        return [(rr[r], frozenset()) for r in sorted({region, CITY_REGION})
                if r in rr and r not in self.touched]


class _Lists:
    """The packed postings (index.pack_postings): a token's lists unpacked when first asked
    (and kept: a warm function holds the lists of the words people search for)."""

    def __init__(self, post: dict):
        self.code, self.packed = post["type"], post["lists"]
        self.lists: dict[str, list] = {}

    def __contains__(self, tok: str) -> bool:
        return tok in self.packed

    def get(self, tok: str, default=None):
        got = self.lists.get(tok)
        if got is None:
            packed = self.packed.get(tok)
            if packed is None:
                return default
            got = self.lists[tok] = [_unpack(self.code, f) for f in packed.split(",")]
        return got


def _unpack(code: str, field: str) -> list[int]:
    a = array.array(code, binascii.a2b_base64(field))
    if sys.byteorder == "big":
        a.byteswap()
    return a.tolist()  # a list iterates faster than the array: ints are made once


def _next(docs: list[int], i: int, skip: frozenset, doc_region: list[int]) -> int:
    """The first position from `i` whose matter's region is not skipped."""
    if skip:
        while i < len(docs) and doc_region[docs[i]] in skip:
            i += 1
    return i


def _upgrade_v1(index: dict) -> dict:
    """A snapshot published before units (one document per matter, the region's name folded
    into each matter's postings): each matter is its own unit."""
    docs = index["docs"]
    regions = sorted({d[4] for d in docs})
    ix = {r: i for i, r in enumerate(regions)}
    return {**index, "v": INDEX_VERSION, "units": [[d[1], d[3], d[5]] for d in docs],
            "post": pack_postings(index["post"], len(docs)),
            "df": {t: sum(map(len, lists)) for t, lists in index["post"].items()},
            "codes": [d[0] for d in docs], "pop": [d[2] for d in docs], "regions": regions,
            "doc_region": [ix[d[4]] for d in docs], "region_grams": {},
            "members": list(range(len(docs))), "sizes": [1] * len(docs)}


def _highlight(name: str, tokens: list[str], mark: tuple[int, int] | None) -> list[tuple[int, int]]:
    """Spans of the name to highlight: where each matched token occurs (and the pinyin match),
    merged where they touch or overlap."""
    spans = [mark] if mark else []
    for t in tokens:
        i = name.find(t)
        while i >= 0:
            spans.append((i, i + len(t)))
            i = name.find(t, i + 1)
    if not spans:
        return []
    spans.sort()
    merged = [list(spans[0])]
    for a, b in spans[1:]:
        if a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    return [(a, b) for a, b in merged]
