"""English search: an index of the English names and aliases built at publish time, and a
stdlib-only searcher that forgives typos (one edit in a word of 4+ letters, two from 8), takes
the last word as a prefix, and reads lay words through a small thesaurus, like the pinyin one."""
from __future__ import annotations

import bisect
import heapq
import math
import re
from dataclasses import dataclass

from .text import parse_thesaurus

INDEX_VERSION = 1
AUDIENCE_BITS = {"person": 1, "enterprise": 2}
CITY_REGION = "441400"
F_NAME, F_ALIAS, F_META = 0, 1, 2
FIELD_WEIGHT = (10.0, 8.0, 2.0)
W_PREFIX, W_TYPO, W_EXPANSION = 0.8, 0.7, 0.85
PHRASE_BONUS = 6.0           # per query word found in order in the name or an alias
EXACT_BONUS = 20.0           # the query is the whole name or a whole alias
COVERAGE_BASE = 0.3          # score multiplier for a matter explaining none of the query
MIN_COVERAGE = 0.6           # share of the query's words a matter must explain
RELATIVE_FLOOR = 0.15
POPULARITY_BOOST = 0.05
MAX_QUERY = 100

_STOP_TEXT = """a an the of for to in on at by my me i we our you your how do does
did have has having had can could what where when which who is are am be and or with from
about please help get getting got need needs want wants apply applying application
applications new"""
STOPWORDS = frozenset(_STOP_TEXT.split())
# British spelling is the catalogue's; folded both ways so either finds it.
SPELLING = {"license": "licence", "licenses": "licences", "center": "centre",
            "centers": "centres", "identity": "id", "organization": "organisation",
            "organizations": "organisations", "program": "programme", "labor": "labour",
            "enrollment": "enrolment", "enroll": "enrol", "catalog": "catalogue", "macau": "macao",
            "kindergarden": "kindergarten", "fiber": "fibre", "tire": "tyre"}
_WORD = re.compile(r"[a-z0-9]+")


def stem(word: str) -> str:
    """A light stemmer: plurals and the commonest endings, enough for "permits", "married"."""
    w = SPELLING.get(word, word)
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if len(w) > 4 and w.endswith(("sses", "xes", "ches", "shes")):
        return w[:-2]
    if len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    if len(w) > 5 and w.endswith("ing"):
        w = w[:-3]
    elif len(w) > 5 and w.endswith("ied"):
        w = w[:-3] + "y"
    elif len(w) > 5 and w.endswith("ed"):
        w = w[:-2]
    if len(w) > 4 and w.endswith("e"):  # retire / retiring, licence / licensing
        w = w[:-1]
    return w


def words(text: str) -> list[tuple[str, int, int]]:
    """(stem, start, end) of each word of `text`, stopwords dropped."""
    out = []
    for m in _WORD.finditer((text or "").lower()):
        w = m.group()
        if w not in STOPWORDS:
            out.append((stem(w), m.start(), m.end()))
    return out


def stems(text: str) -> list[str]:
    return [w for w, _, _ in words(text)]


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1:] for i in range(len(word))}


def distance(a: str, b: str, limit: int) -> int:
    """Damerau-Levenshtein (optimal string alignment) distance, or limit + 1 when above."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2, prev = [], list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]


def max_edits(word: str) -> int:
    return 0 if len(word) < 4 else 1 if len(word) < 8 else 2


# ---- publish time -------------------------------------------------------------------------

def build_english_index(docs: list[dict], thesaurus_text: str = "") -> dict:
    """docs: {code, name_en, aliases_en, meta_en (department, theme names), popularity,
    audiences, region}; those without an English name are left out. JSON-serialisable."""
    rows, aliases, post = [], [], {}

    def add(token: str, d: int, field: int) -> None:
        per = post.setdefault(token, {})
        if per.get(d, 9) > field:
            per[d] = field

    for doc in sorted(docs, key=lambda x: x["code"]):
        name = (doc.get("name_en") or "").strip()
        if not name:
            continue
        d = len(rows)
        aud = 0
        for a in doc.get("audiences", []):
            aud |= AUDIENCE_BITS.get(a, 0)
        als = [a.strip() for a in doc.get("aliases_en") or [] if a and a.strip()]
        rows.append([doc["code"], name, int(doc.get("popularity") or 0), aud,
                     str(doc.get("region", ""))])
        aliases.append([" ".join(stems(a)) for a in als])
        for field, texts in ((F_NAME, [name]), (F_ALIAS, als), (F_META, doc.get("meta_en", []))):
            for text in texts:
                for w in stems(text):
                    add(w, d, field)
    vocab = sorted(post)
    deletes: dict[str, list[str]] = {}
    for w in vocab:
        if max_edits(w):
            for v in _deletes(w):
                deletes.setdefault(v, []).append(w)
    thesaurus = {}
    for k, v in parse_thesaurus(thesaurus_text).items():
        key = " ".join(stems(k))
        exps = [" ".join(stems(e)) for e in v]
        if key and any(exps):
            thesaurus[key] = [e for e in exps if e]
    return {
        "v": INDEX_VERSION, "docs": rows, "aliases": aliases,
        "post": {t: [[d for d, f in sorted(per.items()) if f == fld] for fld in range(3)]
                 for t, per in sorted(post.items())},
        "deletes": deletes, "thesaurus": thesaurus,
    }


# ---- request time -------------------------------------------------------------------------

@dataclass(frozen=True)
class Hit:
    code: str
    score: float
    highlights: list[tuple[int, int]]


class EnglishSearcher:
    """One loaded English index; `search` is pure Python over dicts and strings."""

    def __init__(self, index: dict):
        if index.get("v") != INDEX_VERSION:
            raise ValueError(f"unsupported English index version {index.get('v')!r}")
        docs = index["docs"]
        self.codes = [d[0] for d in docs]
        self.names = [d[1] for d in docs]
        self.name_stems = [" ".join(stems(n)) for n in self.names]
        self.popularity = [d[2] for d in docs]
        top = max([p for p in self.popularity if p > 0], default=1)
        self.pop_boost = [POPULARITY_BOOST * max(0, p) / top for p in self.popularity]
        self.audience = [d[3] for d in docs]
        self.region = [d[4] for d in docs]
        self.aliases = index["aliases"]
        self.post = index["post"]
        self.vocab = sorted(self.post)
        self.deletes = index["deletes"]
        self.thesaurus = index["thesaurus"]
        self.n = max(1, len(docs))
        self.df = {t: sum(map(len, lists)) for t, lists in self.post.items()}
        self._name_words: dict[int, list[tuple[str, int, int]]] = {}  # memo for highlights

    def vocabulary(self) -> list[str]:
        return self.vocab

    # ---------------------------------------------------------------- reading the query

    def _prefixed(self, w: str) -> list[str]:
        i = bisect.bisect_left(self.vocab, w)
        out = []
        while i < len(self.vocab) and self.vocab[i].startswith(w) and len(out) < 20:
            if self.vocab[i] != w:
                out.append(self.vocab[i])
            i += 1
        return out

    def _typos(self, w: str) -> list[str]:
        limit = max_edits(w)
        if not limit:
            return []
        probes = {w} | _deletes(w)
        if limit > 1:
            probes |= {v for p in _deletes(w) for v in _deletes(p)}
        cands = {c for p in probes for c in self.deletes.get(p, ())}
        cands |= {p for p in probes if p in self.post}
        return sorted(c for c in cands if c != w and distance(w, c, limit) <= limit)

    def alternatives(self, w: str, last: bool) -> dict[str, float]:
        """Index words a typed word may mean, with how much each counts."""
        alts: dict[str, float] = {}
        if w in self.post:  # a whole word of the catalogue means itself ("tax" is not "taxi")
            return {w: 1.0}
        if last and len(w) >= 3:  # still being typed
            for p in self._prefixed(w):
                alts.setdefault(p, W_PREFIX)
        for t in self._typos(w):
            alts.setdefault(t, W_TYPO)
        return alts

    def read(self, q: str) -> list[dict[str, float]]:
        """One {index word: weight} per typed word (thesaurus expansions join their key's)."""
        typed = stems(q[:MAX_QUERY])
        slots = [self.alternatives(w, i == len(typed) - 1) for i, w in enumerate(typed)]
        for i, w in enumerate(typed):
            for key in (w, " ".join(typed[i:i + 2])):
                for e in self.thesaurus.get(key, ()):
                    for ew in e.split(" "):
                        if ew in self.post:
                            for j in range(i, i + len(key.split(" "))):
                                if slots[j].get(ew, 0) < W_EXPANSION:
                                    slots[j][ew] = W_EXPANSION
        return slots

    # ---------------------------------------------------------------- scoring

    def search(self, q: str, *, audience: str | None = None, region: str | None = None,
               limit: int = 200) -> list[Hit]:
        if not q or limit <= 0 or (audience and audience not in AUDIENCE_BITS):
            return []
        slots = self.read(q)
        live = [s for s in slots if s]
        if not slots or not live:
            return []
        scores: dict[int, float] = {}
        covered: dict[int, int] = {}
        strong: set[int] = set()
        for i, slot in enumerate(slots):
            best: dict[int, float] = {}
            for tok, w in slot.items():
                idf = math.log(1.0 + self.n / self.df[tok])
                for f, docs in enumerate(self.post[tok]):
                    c = w * idf * FIELD_WEIGHT[f]
                    for d in docs:
                        if best.get(d, 0.0) < c:
                            best[d] = c
                        if f < F_META:
                            strong.add(d)
            for d, c in best.items():
                scores[d] = scores.get(d, 0.0) + c
                covered[d] = covered.get(d, 0) | 1 << i
        n_slots = len(slots)
        self._phrases(slots, scores, [d for d, c in covered.items()
                                      if c.bit_count() == n_slots])
        aud_bit = AUDIENCE_BITS[audience] if audience else 0
        found = []
        for d, s in scores.items():
            share = covered[d].bit_count() / n_slots
            if d not in strong or share < MIN_COVERAGE:
                continue
            if aud_bit and not self.audience[d] & aud_bit:
                continue
            if region and self.region[d] not in (region, CITY_REGION):
                continue
            found.append((d, s * (COVERAGE_BASE + (1 - COVERAGE_BASE) * share)))
        if not found:
            return []
        floor = max(s for _, s in found) * RELATIVE_FLOOR
        ranked = [(d, s * (1 + self.pop_boost[d])) for d, s in found if s >= floor]
        ranked = heapq.nsmallest(limit, ranked, key=lambda ds: (-ds[1], -self.popularity[ds[0]],
                                                                 self.codes[ds[0]]))
        matched = {t for slot in slots for t in slot}
        return [Hit(self.codes[d], round(s, 4), self._highlight(d, matched)) for d, s in ranked]

    def _highlight(self, d: int, matched: set[str]) -> list[tuple[int, int]]:
        """Spans of the English name whose words the query matched."""
        name_words = self._name_words.get(d)
        if name_words is None:
            name_words = self._name_words[d] = words(self.names[d])
        spans: list[tuple[int, int]] = []
        for w, a, b in name_words:
            if w in matched:
                if spans and a - spans[-1][1] <= 1:
                    spans[-1] = (spans[-1][0], b)
                else:
                    spans.append((a, b))
        return spans

    def _phrases(self, slots: list[dict[str, float]], scores: dict[int, float],
                 whole: list[int]) -> None:
        """A bonus where the typed words appear in order in the name or an alias (only a
        matter holding every typed word can hold them in order)."""
        exact = [max(s, key=s.get) if s else "" for s in slots]
        phrase = " ".join(w for w in exact if w)
        if not phrase:
            return
        size = phrase.count(" ") + 1
        for d in whole:
            texts = (self.name_stems[d], *self.aliases[d])
            if any(phrase == t for t in texts):
                scores[d] += EXACT_BONUS + PHRASE_BONUS * size
            elif size > 1 and any(f" {phrase} " in f" {t} " for t in texts):
                scores[d] += PHRASE_BONUS * size


def suggest(vocab: list[str], typed: str, limit: int = 3) -> list[str]:
    """The index words closest to a typed word (for "did you mean")."""
    scored = []
    for w in vocab:
        d = distance(typed, w, 2)
        if d <= 2 and w != typed:
            scored.append((d, w))
    return [w for _, w in sorted(scored)[:limit]]
