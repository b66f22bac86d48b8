"""Matter search at request time: a stdlib-only searcher over the index built at publish time
(functions/hall/index.py), for lay-language queries in characters, pinyin or initials."""
from __future__ import annotations

import heapq
import math
from dataclasses import dataclass

from functions.hall.text import bigrams, han_runs, is_han, parse_thesaurus

from .index import AUDIENCE_BITS, F_NAME, FIELD_WEIGHT, INDEX_VERSION, build_index
from .pinyin import Pinyin
from .query import Query, QueryReader

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
    __slots__ = ("scores", "name_hits", "matched", "ok", "strong", "weak", "corr", "pyg",
                 "explained")

    def __init__(self, n: int, ok: set[int]) -> None:
        self.scores = [0.0] * n
        self.name_hits = [0] * n                 # doc -> typed bigrams found in its name
        self.matched: list[str] = []             # query tokens the index holds
        self.ok = ok                             # matters that explain enough of the query
        self.strong: dict[int, int] = {}         # doc -> typed positions in name or aliases
        self.weak: dict[int, int] = {}           # ... found only in low-weight text
        self.corr: dict[int, int] = {}           # ... corrected positions in name or aliases
        self.pyg: dict[int, int] = {}            # ... pinyin pair positions in name or aliases
        self.explained: dict[int, int] = {}      # ... positions it explains in all


class Searcher:
    """Holds one loaded index; `search` is pure Python over dicts and strings."""

    def __init__(self, index: dict):
        if index.get("v") != INDEX_VERSION:
            raise ValueError(f"unsupported search index version {index.get('v')!r}")
        docs = index["docs"]
        self.codes = [d[0] for d in docs]
        self.names = [d[1] for d in docs]  # normalised at publish time, same length
        self.popularity = [d[2] for d in docs]
        top_pop = max([p for p in self.popularity if p > 0], default=1)
        self.pop_boost = [POPULARITY_BOOST * max(0, p) / top_pop for p in self.popularity]
        self.audience = [d[3] for d in docs]
        self.region = [d[4] for d in docs]
        self.aliases = index["aliases"]
        self.py_readings = index["py"]  # name and alias readings, for "did you mean"
        self.name_len = [d[5] for d in docs]
        self.post = index["post"]
        self.n_docs = max(1, len(docs))
        self.py = Pinyin(index, self._df)
        self.reader = QueryReader(index, self.py)
        self._exp_docs: dict[str, frozenset[int]] = {}   # expansion -> docs it qualifies

    def _df(self, token: str) -> int:
        return sum(len(x) for x in self.post.get(token, ()))

    def search(self, q: str, *, audience: str | None = None, region: str | None = None,
               limit: int = 200) -> list[Hit]:
        if not q or limit <= 0 or (audience and audience not in AUDIENCE_BITS):
            return []
        query = self.reader.read(q)
        if query is None:
            return []
        match = self._score_tokens(query)
        self._qualify(query, match)
        self._score_phrases(query, match.scores)
        self._scale_by_coverage(query, match)
        found = self._filter(match, audience, region)
        return self._hits(self._rank(found, limit), query, match.matched)

    # -------------------------------------------------------------- score each kind of match

    def _score_tokens(self, query: Query) -> _Match:
        """tf-idf by field over the postings, and which typed positions each matter holds."""
        n = self.n_docs
        match = _Match(n, set(query.py_scores))
        scores, name_hits = match.scores, match.name_hits
        for d, v in query.py_scores.items():
            scores[d] = v
        one_char, words, typed_chars = query.one_char, query.words, query.typed_chars
        typed_bits, corr_bits, py_bits = query.typed_bits, query.corr_bits, query.py_bits
        strong, corr, pyg, weak, ok = match.strong, match.corr, match.pyg, match.weak, match.ok
        matched, post, df = match.matched, self.post, self._df
        for tok, w in query.weights().items():
            lists = post.get(tok)
            if not lists:
                continue
            matched.append(tok)
            tw = w * math.log(1.0 + n / df(tok))
            for f, docs in enumerate(lists):
                c = tw * FIELD_WEIGHT[f]
                for d in docs:
                    scores[d] += c
            if len(tok) == 2 and is_han(tok[0]):
                for d in lists[0]:
                    name_hits[d] += 1
            strong_docs = lists[:2]
            typed = typed_bits.get(tok)
            for bits, acc, fields in ((typed, strong, strong_docs),
                                      (corr_bits.get(tok), corr, strong_docs),
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

    def _qualify(self, query: Query, match: _Match) -> None:
        """The absolute floor: a matter must explain part of the query on its own merits."""
        ok, explained, content = match.ok, match.explained, query.content
        ok.update(match.strong)
        explained.update(match.strong)
        for bits, e in query.targets:
            if bits >= 0:  # a key typed in characters
                bits &= content
                if not bits and not query.one_char:
                    continue  # the key is all filler (or one character): it explains nothing
            for d in self._expansion_docs(e):
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

    def _score_phrases(self, query: Query, scores: list[float]) -> None:
        """A bonus for a whole phrase found in a name or an alias (more for the whole of it)."""
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
                for d in docs:
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
                    scores[d] += w * bonus

    def _scale_by_coverage(self, query: Query, match: _Match) -> None:
        """More for a name the query covers; less for a matter explaining little of it."""
        scores, name_len = match.scores, self.name_len
        for d, h in enumerate(match.name_hits):
            if h:
                scores[d] += COVERAGE_BONUS * min(1.0, h / name_len[d])
        n_grams = query.content.bit_count()
        if n_grams:
            explained, weak = match.explained, match.weak
            for d in match.ok:
                ex = explained.get(d, 0)
                share = (ex.bit_count() + 0.5 * (weak.get(d, 0) & ~ex).bit_count()) / n_grams
                scores[d] *= COVERAGE_BASE + (1.0 - COVERAGE_BASE) * min(1.0, share)

    # -------------------------------------------------------------- filter, rank, highlight

    def _filter(self, match: _Match, audience: str | None,
                region: str | None) -> list[tuple[int, float]]:
        """Qualified matters with a positive score, for this audience, done in this region."""
        aud_bit = AUDIENCE_BITS[audience] if audience else 0
        out = []
        scores = match.scores
        for d in match.ok:
            s = scores[d]
            if s <= 0:
                continue
            if aud_bit and not self.audience[d] & aud_bit:
                continue
            if region:
                r = self.region[d]
                if r != region and r != CITY_REGION:
                    continue
            out.append((d, s))
        return out

    def _rank(self, found: list[tuple[int, float]], limit: int) -> list[tuple[int, float]]:
        """Drop the far weaker hits, favour popular matters slightly, keep the top `limit`."""
        if not found:
            return []
        floor = max(s for _, s in found) * RELATIVE_FLOOR
        pop, pop_boost, codes = self.popularity, self.pop_boost, self.codes
        out = [(d, s * (1.0 + pop_boost[d])) for d, s in found if s >= floor]
        out = heapq.nsmallest(limit, out, key=lambda ds: (-ds[1], -pop[ds[0]], codes[ds[0]]))
        return [(d, round(s, 4)) for d, s in out]

    def _hits(self, ranked: list[tuple[int, float]], query: Query,
              matched: list[str]) -> list[Hit]:
        tokens = [t for t in matched if len(t) >= 2 or t in query.typed_chars]
        cache: dict[tuple, list[tuple[int, int]]] = {}
        hits = []
        for d, s in ranked:
            key = (self.names[d], query.py_marks.get(d))
            spans = cache.get(key)
            if spans is None:
                spans = cache[key] = _highlight(key[0], tokens, key[1])
            hits.append(Hit(self.codes[d], s, list(spans)))
        return hits


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
