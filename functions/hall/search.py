"""Matter search: a publish-time index and a stdlib-only searcher for lay-language queries."""
from __future__ import annotations

import bisect
import heapq
import itertools
import json
import math
from dataclasses import dataclass
from itertools import product
from pathlib import Path

INDEX_VERSION = 1
CITY_REGION = "441400"
AUDIENCE_BITS = {"person": 1, "enterprise": 2}

# Field codes in postings: lower code = stronger field.
F_NAME, F_ALIAS, F_META, F_GUIDE = 0, 1, 2, 3
FIELD_WEIGHT = (10.0, 8.0, 3.0, 1.5)
UNIGRAM_FACTOR = 0.3        # a single shared character counts far less than a shared bigram
PHRASE_BONUS = (10.0, 8.0)  # per character, whole phrase found in the name / an alias
EXACT_BONUS = 25.0          # the phrase is the whole name or a whole alias
COVERAGE_BONUS = 6.0        # scaled by the share of the name's bigrams the query hit
W_CORRECTED = 0.85          # a homophone-corrected reading of what was typed
W_EXPANSION = 0.9           # a thesaurus expansion
EXPANSION_PHRASE_CAP = 4    # characters of phrase bonus an expansion can earn at most
W_PINYIN_BIGRAM = 0.6       # a bigram guessed from typed pinyin
RELATIVE_FLOOR = 0.12       # drop hits scoring below this share of the best hit
# Absolute floor: what a matter must explain of the query to be returned at all.
WEAK_SHARE = 0.6            # share of the query's bigrams guide/theme/department text must hold
EXPANSION_SHARE = 0.6       # ... of a stale expansion's (idf-weighted) bigrams
COVERAGE_BASE = 0.35        # score multiplier for a matter explaining none of the query's bigrams
# Question words and fillers: bigrams holding one of FILLER_CHARS, or in FILLER_BIGRAMS, still
# score, but are not part of what a matter must explain ("开饭店要办什么证" is 开饭店 + 证).
FILLER_CHARS = frozenset("么什怎吗呢啊呀哪谁")
FILLER_BIGRAMS = frozenset(("我要", "我想", "想要", "要办", "需要", "如何", "可以", "请问", "一下",
                            "我的", "我们", "应该", "怎样"))
POPULARITY_BOOST = 0.05     # the most popular matter gains 5%: near-ties go to popularity

MAX_QUERY = 100
MAX_SEGMENTATIONS = 3
MAX_KEY_SYLLABLES = 8
DATA_DIR = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class Hit:
    code: str
    score: float
    highlights: list[tuple[int, int]]


# ---------------------------------------------------------------- shared text helpers

def _is_han(c: str) -> bool:
    return "\u4e00" <= c <= "\u9fff" or "\u3400" <= c <= "\u4dbf"


def _is_ascii_alnum(c: str) -> bool:
    return ("a" <= c <= "z") or ("0" <= c <= "9")


def _fold(c: str, t2s: dict[str, str]) -> str:
    """One character in, one character out: width, case and traditional folding."""
    o = ord(c)
    if 0xFF01 <= o <= 0xFF5E:
        c = chr(o - 0xFEE0)
    elif o == 0x3000:
        c = " "
    low = c.lower()
    if len(low) == 1:
        c = low
    return t2s.get(c, c)


def _normalise(text: str, t2s: dict[str, str]) -> str:
    return "".join(_fold(c, t2s) for c in text)


def _runs(text: str, keep) -> list[str]:
    """The maximal stretches of `text` whose characters all satisfy `keep`."""
    return ["".join(group) for kept, group in itertools.groupby(text, keep) if kept]


def _han_runs(text: str) -> list[str]:
    return _runs(text, _is_han)


def _ascii_words(text: str) -> list[str]:
    return _runs(text, _is_ascii_alnum)


def _bigrams(run: str) -> list[str]:
    return [run[i:i + 2] for i in range(len(run) - 1)]


def _is_filler(bigram: str) -> bool:
    return bigram in FILLER_BIGRAMS or bigram[0] in FILLER_CHARS or bigram[1] in FILLER_CHARS


def _fuzzy(syl: str) -> str:
    """Collapse the sound distinctions Cantonese and Hakka speakers often blur when typing."""
    for a, b in (("zh", "z"), ("ch", "c"), ("sh", "s")):
        if syl.startswith(a):
            syl = b + syl[2:]
            break
    if syl.startswith("n"):
        syl = "l" + syl[1:]
    for a, b in (("ang", "an"), ("eng", "en"), ("ing", "in")):
        if syl.endswith(a):
            syl = syl[: -len(a)] + b
            break
    return syl


def _longest_matches(units: list[str], table: dict, max_len: int,
                     sep: str) -> list[tuple[int, str]]:
    """Greedy longest-match lookup of joined unit sequences in `table`: (start, key) pairs."""
    found, i = [], 0
    while i < len(units):
        for j in range(min(len(units), i + max_len), i, -1):
            key = sep.join(units[i:j])
            if key in table:
                found.append((i, key))
                i = j
                break
        else:
            i += 1
    return found


def parse_thesaurus(text: str) -> dict[str, list[str]]:
    """`lay word<TAB>expansion1,expansion2`; `#` starts a comment."""
    out: dict[str, list[str]] = {}
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line or "\t" not in line:
            continue
        key, rest = line.split("\t", 1)
        key = key.strip()
        exps = [e.strip() for e in rest.replace("，", ",").replace("、", ",").split(",")]
        exps = [e for e in exps if e and e != key]
        if key and exps:
            bucket = out.setdefault(key, [])
            bucket.extend(e for e in exps if e not in bucket)
    return out


# ---------------------------------------------------------------- publish time

def _load_json(name: str):
    path = DATA_DIR / name
    if not path.exists():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def _code_names(data) -> dict[str, str]:
    """Accept a list of {code, name} or a {code: name | {name}} mapping."""
    if not data:
        return {}
    if isinstance(data, dict):
        for key in ("themes", "departments", "regions", "items"):
            if isinstance(data.get(key), (list, dict)):
                return _code_names(data[key])
        return {str(k): (v.get("name", "") if isinstance(v, dict) else str(v))
                for k, v in data.items()}
    return {str(d["code"]): str(d.get("name", "")) for d in data
            if isinstance(d, dict) and "code" in d}


def _gb2312_level1() -> list[str]:
    chars = []
    for hi in range(0xB0, 0xD8):
        for lo in range(0xA1, 0xFF):
            if hi == 0xD7 and lo > 0xF9:
                break
            try:
                chars.append(bytes((hi, lo)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return chars


def _by_field(per: dict[int, int]) -> list[list[int]]:
    """{doc: best field} -> one sorted doc list per field, trailing empty lists dropped."""
    lists: list[list[int]] = [[], [], [], []]
    for d, f in sorted(per.items()):
        lists[f].append(d)
    while lists and not lists[-1]:
        lists.pop()
    return lists


def build_index(matters: list[dict], thesaurus_text: str, *, themes=None, departments=None,
                regions=None) -> dict:
    """Build the JSON-serialisable search index (publish time: pypinyin and zhconv load here).

    Only active matters are indexed. Theme, department and region names (low-weight fields)
    come from the arguments, or from functions/hall/data/*.json when those are None.
    """
    from pypinyin import Style, lazy_pinyin, pinyin
    from zhconv import zhconv as zc

    theme_names = _code_names(themes if themes is not None else _load_json("themes.json"))
    dept_names = _code_names(departments if departments is not None
                             else _load_json("departments.json"))
    region_names = _code_names(regions if regions is not None else _load_json("regions.json"))

    active = [m for m in matters if m.get("status", "active") == "active"]
    active.sort(key=lambda m: m["code"])
    thesaurus_raw = parse_thesaurus(thesaurus_text)

    # Traditional -> simplified, restricted to simplified characters we actually hold.
    corpus_text = []
    for m in active:
        corpus_text += [m.get("name", ""), *m.get("aliases", []), m.get("guide", "") or ""]
    for k, v in thesaurus_raw.items():
        corpus_text += [k, *v]
    corpus_chars = {c for c in "".join(corpus_text) if _is_han(c)}
    table: dict[str, str] = {}
    for loc in ("zh-hans", "zh-cn"):
        for k, v in zc.getdict(loc).items():
            if len(k) == 1 and len(v) == 1 and k != v and _is_han(k):
                table.setdefault(k, v)
    t2s = {k: v for k, v in table.items() if v in corpus_chars and k not in corpus_chars}
    # Fold the catalogue itself too, in case an editor pasted a traditional character.
    for c in list(corpus_chars):
        if c in table and table[c] != c:
            t2s.setdefault(c, table[c])

    def norm(s: str) -> str:
        return _normalise(s or "", t2s)

    thesaurus: dict[str, list[str]] = {}
    for k, v in thesaurus_raw.items():
        nk = norm(k).strip()
        for e in v:
            ne = norm(e).strip()
            if ne and ne != nk and ne not in thesaurus.setdefault(nk, []):
                thesaurus[nk].append(ne)

    def char_tokens(text: str) -> list[str]:
        """One pinyin token per character of `text` (already normalised)."""
        out = []
        i = 0
        while i < len(text):
            c = text[i]
            if _is_han(c):
                j = i
                while j < len(text) and _is_han(text[j]):
                    j += 1
                run = text[i:j]
                py = lazy_pinyin(run, style=Style.NORMAL)
                if len(py) != len(run) or not all(p.isascii() and p.isalpha() for p in py):
                    py = [lazy_pinyin(ch, style=Style.NORMAL)[0] for ch in run]
                    py = [p if p.isascii() and p.isalpha() else "_" for p in py]
                out += [p.lower() for p in py]
                i = j
            else:
                out.append(c if _is_ascii_alnum(c) else "_")
                i += 1
        return out

    docs, aliases, pys = [], [], []
    postings: dict[str, dict[int, int]] = {}
    vocab_bigrams: dict[str, str] = {}  # bigram -> contextual pinyin key

    def add(token: str, doc: int, field: int) -> None:
        per = postings.setdefault(token, {})
        if per.get(doc, 9) > field:
            per[doc] = field

    def learn_bigrams(text: str) -> None:
        toks = char_tokens(text)
        for i in range(len(text) - 1):
            if _is_han(text[i]) and _is_han(text[i + 1]):
                vocab_bigrams.setdefault(text[i:i + 2], toks[i] + " " + toks[i + 1])

    for d, m in enumerate(active):
        name = norm(m["name"])
        als = [a for a in (norm(a).strip() for a in m.get("aliases", [])) if a]
        aud = 0
        for a in m.get("audiences", []):
            aud |= AUDIENCE_BITS.get(a, 0)
        docs.append([m["code"], name, int(m.get("popularity", 0) or 0), aud,
                     str(m.get("region", "")), max(1, sum(map(_is_han, name)) - 1)])
        aliases.append(als)
        pys.append([" ".join(char_tokens(t)) for t in [name, *als]])
        meta = [theme_names.get(t, "") for t in m.get("themes", [])]
        dept = dept_names.get(m.get("department", ""), "")
        meta += [dept, region_names.get(str(m.get("region", "")), "")]
        for field, texts in ((F_NAME, [name]), (F_ALIAS, als), (F_META, [norm(x) for x in meta]),
                             (F_GUIDE, [norm(m.get("guide", "") or "")])):
            for text in texts:
                for run in _han_runs(text):
                    for b in _bigrams(run):
                        add(b, d, field)
                    if field <= F_ALIAS:
                        for c in run:
                            add(c, d, field)
                if field <= F_ALIAS:
                    for w in _ascii_words(text):
                        add(w, d, field)
                    learn_bigrams(text)
    for k, v in thesaurus.items():
        for t in [k, *v]:
            learn_bigrams(t)

    # Character readings (heteronym-aware) for the common characters and everything we hold.
    chars = set(_gb2312_level1()) | corpus_chars | set(t2s.values())
    for k, v in thesaurus.items():
        chars |= {c for c in k + "".join(v) if _is_han(c)}
    readings: dict[str, list[str]] = {}
    for c in sorted(chars):
        for r in pinyin(c, style=Style.NORMAL, heteronym=True)[0]:
            r = r.lower()
            if r.isascii() and r.isalpha():
                readings.setdefault(r, []).append(c)

    bigram_keys: dict[str, list[str]] = {}
    for b, key in sorted(vocab_bigrams.items()):
        if "_" not in key:
            bigram_keys.setdefault(key, []).append(b)

    thesaurus_py = {k: " ".join(char_tokens(k)) for k in thesaurus}

    return {
        "v": INDEX_VERSION,
        "docs": docs,
        "aliases": aliases,
        "py": pys,
        "post": {t: _by_field(per) for t, per in sorted(postings.items())},
        "t2s": "".join(k + v for k, v in sorted(t2s.items())),
        "readings": {r: "".join(cs) for r, cs in sorted(readings.items())},
        "bigrams": {k: "".join(v) for k, v in bigram_keys.items()},
        "thesaurus": thesaurus,
        "thesaurus_py": thesaurus_py,
    }


# ---------------------------------------------------------------- request time

class Searcher:
    """Holds one loaded index; `search` is pure Python over dicts and strings."""

    def __init__(self, index: dict):
        if index.get("v") != INDEX_VERSION:
            raise ValueError(f"unsupported search index version {index.get('v')!r}")
        t2s_s = index["t2s"]
        self.t2s = {t2s_s[i]: t2s_s[i + 1] for i in range(0, len(t2s_s), 2)}
        docs = index["docs"]
        self.codes = [d[0] for d in docs]
        self.names = [d[1] for d in docs]  # normalised at publish time, same length
        self.popularity = [d[2] for d in docs]
        top_pop = max([p for p in self.popularity if p > 0], default=1)
        self.pop_boost = [POPULARITY_BOOST * max(0, p) / top_pop for p in self.popularity]
        self.audience = [d[3] for d in docs]
        self.region = [d[4] for d in docs]
        self.aliases = index["aliases"]
        self.name_len = [d[5] for d in docs]
        self.post = index["post"]
        self.n_docs = max(1, len(docs))
        self.thesaurus = index["thesaurus"]
        self.max_key = max((len(k) for k in self.thesaurus), default=0)

        self.char_readings: dict[str, list[str]] = {}
        for r, cs in index["readings"].items():
            for c in cs:
                self.char_readings.setdefault(c, []).append(r)
        self.syllables = {r for r in index["readings"] if any(v in r for v in "aeiouv")}
        self.syllables |= {"lue", "nue"}
        self.prefixes = {s[:i] for s in self.syllables for i in range(1, len(s))}

        self.bigram_keys: dict[str, list[str]] = {}
        self.fuzzy_keys: dict[str, list[str]] = {}
        self.vocab: set[str] = set()
        for key, bs in index["bigrams"].items():
            lst = [bs[i:i + 2] for i in range(0, len(bs), 2)]
            self.bigram_keys[key] = lst
            self.vocab.update(lst)
            a, _, b = key.partition(" ")
            self.fuzzy_keys.setdefault(_fuzzy(a) + " " + _fuzzy(b), []).extend(lst)

        self._exp_docs: dict[str, frozenset[int]] = {}   # expansion -> docs it qualifies
        # Bigrams that begin a word of the catalogue (a name, an alias, a run after punctuation,
        # a thesaurus word): the only corrections trusted for a two-character query, so that
        # 签证 does not become the 遣证 of 劳务派遣证.
        self.heads: set[str] = set()
        words = [w for k, v in self.thesaurus.items() for w in (k, *v)]
        for text in [*self.names, *(a for als in self.aliases for a in als), *words]:
            for run in _han_runs(text):
                if len(run) > 1:
                    self.heads.add(run[:2])
        self.th_full: dict[str, list[str]] = {}
        self.th_initials: dict[str, list[str]] = {}
        for k, py in index["thesaurus_py"].items():
            toks = py.split(" ")
            if "_" in toks:
                continue
            self.th_full.setdefault(py, []).append(k)
            self.th_initials.setdefault("".join(t[0] for t in toks), []).append(k)

        # Pinyin blobs: one entry per distinct name/alias reading; "\n" separates entries.
        entry_of: dict[str, int] = {}
        self.entry_refs: list[list[tuple[int, int]]] = []   # (doc, field) per entry
        self.entry_len: list[int] = []
        full_parts, ini_parts = [], []
        self.full_starts, self.ini_starts = [], []
        fpos = ipos = 0
        for d, entries in enumerate(index["py"]):
            for j, py in enumerate(entries):
                e = entry_of.get(py)
                if e is None:
                    e = entry_of[py] = len(self.entry_refs)
                    toks = py.split(" ")
                    ftxt = "\n " + py
                    itxt = "\n" + "".join(t[0] for t in toks)
                    self.full_starts.append(fpos + 1)
                    self.ini_starts.append(ipos + 1)
                    full_parts.append(ftxt)
                    ini_parts.append(itxt)
                    fpos += len(ftxt)
                    ipos += len(itxt)
                    self.entry_refs.append([])
                    self.entry_len.append(len(toks))
                self.entry_refs[e].append((d, F_NAME if j == 0 else F_ALIAS))
        self.full_blob = "".join(full_parts) + "\n"
        self.ini_blob = "".join(ini_parts) + "\n"

    # -------------------------------------------------------------- query analysis

    def _fold_query(self, q: str) -> str:
        return _normalise(q[:MAX_QUERY], self.t2s)

    @staticmethod
    def _split(q: str) -> tuple[list[str], list[str]]:
        """Han runs and ASCII runs (ASCII runs keep single inner spaces)."""
        han: list[str] = []
        asc: list[str] = []
        cur: list[str] = []
        kind = None

        def flush() -> None:
            text = "".join(cur)
            if kind == "h":
                han.append(text)
            elif kind == "a" and text.strip():
                asc.append(" ".join(text.split()))
            cur.clear()

        for c in q:
            if _is_han(c) or _is_ascii_alnum(c):
                k = "h" if _is_han(c) else "a"
                if k != kind:
                    flush()
                    kind = k
                cur.append(c)
            elif c in " '" and kind == "a":
                cur.append(" ")
            else:
                flush()
                kind = None
        flush()
        return han, asc

    def _correct(self, run: str) -> str:
        """Replace bigrams we do not hold with a held bigram that sounds the same."""
        chars = list(run)
        # A character inside a bigram we hold is taken as typed correctly.
        anchored = [False] * len(chars)
        for i in range(len(chars) - 1):
            if run[i:i + 2] in self.vocab:
                anchored[i] = anchored[i + 1] = True
        for i in range(len(chars) - 1):
            if chars[i] + chars[i + 1] in self.vocab or _is_filler(run[i:i + 2]):
                continue
            ra = self.char_readings.get(chars[i])
            rb = self.char_readings.get(chars[i + 1])
            if not ra or not rb:
                continue
            cands: list[str] = []
            for table, f in ((self.bigram_keys, None), (self.fuzzy_keys, _fuzzy)):
                for x, y in product(ra, rb):
                    key = (f(x) + " " + f(y)) if f else (x + " " + y)
                    cands += table.get(key, ())
                cands = [c for c in cands if (not anchored[i] or c[0] == chars[i])
                         and (not anchored[i + 1] or c[1] == chars[i + 1])]
                if cands:
                    break
            if not cands:
                continue
            best = max(cands, key=lambda c: (self._df(c), c))
            chars[i], chars[i + 1] = best[0], best[1]
            anchored[i] = anchored[i + 1] = True
        return "".join(chars)

    def _df(self, token: str) -> int:
        return sum(len(x) for x in self.post.get(token, ()))

    def _thesaurus_keys(self, run: str) -> list[tuple[int, str]]:
        """(start, key) of thesaurus keys in `run`, longest match first, left to right."""
        return _longest_matches(list(run), self.thesaurus, self.max_key, "")

    def _segment(self, ascii_run: str) -> list[list[str]]:
        """Pinyin segmentations with the fewest syllables; the last may be a prefix."""
        chunks = [c for c in ascii_run.split(" ") if c]
        if not chunks or not all(c.isalpha() for c in chunks):
            return []
        combos: list[list[str]] = [[]]
        for n, chunk in enumerate(chunks):
            segs = self._segment_chunk(chunk, allow_partial=(n == len(chunks) - 1))
            if not segs:
                return []
            combos = [a + b for a in combos for b in segs][:MAX_SEGMENTATIONS]
        return combos

    def _segment_chunk(self, s: str, allow_partial: bool) -> list[list[str]]:
        memo: dict[int, list[tuple[float, list[str]]]] = {}

        def go(i: int) -> list[tuple[float, list[str]]]:
            if i == len(s):
                return [(0.0, [])]
            if i in memo:
                return memo[i]
            res: list[tuple[float, list[str]]] = []
            for ln in range(min(6, len(s) - i), 0, -1):
                piece = s[i:i + ln]
                if piece in self.syllables:
                    res += [(c + 1, [piece, *rest]) for c, rest in go(i + ln)]
                elif allow_partial and i + ln == len(s) and piece in self.prefixes:
                    res.append((1.5, [piece]))
            res.sort(key=lambda x: x[0])
            if res:
                res = [r for r in res if r[0] == res[0][0]][:MAX_SEGMENTATIONS]
            memo[i] = res
            return res

        out = []
        for _, seg in go(0):
            out.append(["lve" if p == "lue" else "nve" if p == "nue" else p for p in seg])
        return out

    # -------------------------------------------------------------- scoring

    def search(self, q: str, *, audience: str | None = None, region: str | None = None,
               limit: int = 200) -> list[Hit]:
        if not q or limit <= 0:
            return []
        han_runs, ascii_runs = self._split(self._fold_query(q))
        if not han_runs and not ascii_runs:
            return []

        phrases: dict[str, float] = {}   # han phrase -> weight
        extra: dict[str, float] = {}     # loose tokens (pinyin-guessed bigrams, ascii words)
        typed_chars: set[str] = set()
        typed: set[str] = set()         # phrases the user typed (or typed with a typo fixed)

        # What a matter explains of the query is tracked as bits: one bit per bigram of what
        # was typed (with a gap bit between runs, so runs are never adjacent).
        typed_bits: dict[str, int] = {}  # typed bigram -> its positions
        corr_bits: dict[str, int] = {}   # homophone-corrected bigram -> the positions it fixes
        targets: list[tuple[int, str]] = []  # (positions of the thesaurus key, expansion)
        lone = 0                         # positions of runs that are exactly one bigram
        content = 0                      # positions that are not fillers
        py_bits: dict[str, int] = {}     # pinyin-guessed bigram -> its syllable-pair positions
        py_lone = 0

        def add_phrase(p: str, w: float, was_typed: bool = False) -> None:
            for run in _han_runs(p):
                if phrases.get(run, 0.0) < w:
                    phrases[run] = w
                if was_typed:
                    typed.add(run)

        def add_expansions(keys: list[tuple[int, str]], w_key: float, base: int) -> None:
            """base < 0: keys read from pinyin, explaining no typed bigram."""
            for start, k in keys:
                add_phrase(k, w_key)
                bits = ((1 << (len(k) - 1)) - 1) << (base + start) if base >= 0 else -1
                for e in self.thesaurus[k]:
                    add_phrase(e, W_EXPANSION)
                    targets.append((bits, e))

        base = 0
        for run in han_runs:
            add_phrase(run, 1.0, True)
            if len(run) == 1:  # a lone character is highlighted; stray ones are not
                typed_chars.add(run)
            elif len(run) == 2:
                lone |= 1 << base
            grams = _bigrams(run)
            for i, b in enumerate(grams):
                if not _is_filler(b):
                    typed_bits[b] = typed_bits.get(b, 0) | 1 << (base + i)
                    content |= 1 << (base + i)
            add_expansions(self._thesaurus_keys(run), 1.0, base)
            fixed = self._correct(run) if len(run) > 1 else run
            if fixed != run and (len(run) > 2 or fixed in self.heads):
                add_phrase(fixed, W_CORRECTED, True)
                for i, (b, t) in enumerate(zip(_bigrams(fixed), grams, strict=True)):
                    if b != t:
                        corr_bits[b] = corr_bits.get(b, 0) | 1 << (base + i)
                add_expansions(self._thesaurus_keys(fixed), W_CORRECTED, base)
            base += len(run)
        n_grams = content.bit_count()
        one_char = all(len(r) == 1 for r in han_runs)

        py_scores: dict[int, float] = {}
        py_marks: dict[int, tuple[int, int]] = {}
        ascii_words: set[str] = set()
        pbase = 0
        for arun in ascii_runs:
            for w in arun.split(" "):
                extra[w] = max(extra.get(w, 0.0), 1.0)
                ascii_words.add(w)
            joined = arun.replace(" ", "")
            if joined in self.post:
                extra[joined] = 1.0
                ascii_words.add(joined)
            for seg in self._segment(arun):
                self._match_full(seg, py_scores, py_marks)
                th = _longest_matches(seg, self.th_full, MAX_KEY_SYLLABLES, " ")
                add_expansions([(0, k) for _, py in th for k in self.th_full[py]],
                               W_EXPANSION, -1)
                if len(seg) == 2:
                    py_lone |= 1 << pbase
                for i, (a, b) in enumerate(zip(seg, seg[1:], strict=False)):
                    bs = self.bigram_keys.get(a + " " + b) or \
                        self.fuzzy_keys.get(_fuzzy(a) + " " + _fuzzy(b), [])
                    for bg in bs:
                        extra[bg] = max(extra.get(bg, 0.0), W_PINYIN_BIGRAM)
                        py_bits[bg] = py_bits.get(bg, 0) | 1 << (pbase + i)
                pbase += len(seg)
            # Initials ("sfz") only when the letters are not a run of whole syllables ("ban").
            if (" " not in arun and joined.isalpha() and len(joined) >= 2
                    and not self._segment_chunk(joined, allow_partial=False)):
                self._match_initials(joined, py_scores, py_marks)
                add_expansions([(0, k) for k in self.th_initials.get(joined, [])],
                               W_EXPANSION * 0.9, -1)

        # Token weights from phrases.
        qw: dict[str, float] = dict(extra)
        for p, w in phrases.items():
            for b in _bigrams(p):
                qw[b] = max(qw.get(b, 0.0), w)
            for c in p:
                cw = w * UNIGRAM_FACTOR
                if qw.get(c, 0.0) < cw:
                    qw[c] = cw

        n = self.n_docs
        scores = [0.0] * n
        for d, v in py_scores.items():
            scores[d] = v
        name_hits = [0] * n
        matched: list[str] = []
        ok: set[int] = set(py_scores)    # matters that explain enough of the query
        strong: dict[int, int] = {}      # doc -> typed positions found in its name or aliases
        weak: dict[int, int] = {}        # doc -> typed positions found only in low-weight text
        corr: dict[int, int] = {}        # doc -> corrected positions found in name or aliases
        pyg: dict[int, int] = {}         # doc -> pinyin pair positions found in name or aliases
        for tok, w in qw.items():
            lists = self.post.get(tok)
            if not lists:
                continue
            matched.append(tok)
            tw = w * math.log(1.0 + n / self._df(tok))
            for f, docs in enumerate(lists):
                c = tw * FIELD_WEIGHT[f]
                for d in docs:
                    scores[d] += c
            if len(tok) == 2 and _is_han(tok[0]):
                for d in lists[0]:
                    name_hits[d] += 1
            strong_docs = lists[:2]
            for bits, acc, fields in ((typed_bits.get(tok), strong, strong_docs),
                                      (corr_bits.get(tok), corr, strong_docs),
                                      (py_bits.get(tok), pyg, strong_docs),
                                      (typed_bits.get(tok), weak, lists[2:])):
                if bits:
                    for docs in fields:
                        for d in docs:
                            acc[d] = acc.get(d, 0) | bits
            if tok in ascii_words or (tok in typed_chars and one_char):
                for docs in strong_docs:
                    ok.update(docs)

        # The absolute floor: a matter must explain part of the query on its own merits.
        ok.update(strong)
        explained = dict(strong)
        for bits, e in targets:
            if bits >= 0:  # a key typed in characters
                bits &= content
                if not bits and not one_char:
                    continue  # the key is all filler (or one character): it explains nothing
            for d in self._expansion_docs(e):
                ok.add(d)
                if bits > 0:
                    explained[d] = explained.get(d, 0) | bits
        for d, c in corr.items():
            # Homophones count when two neighbouring fixes agree, or fix a two-character run.
            if c & (c >> 1) or c & lone:
                ok.add(d)
                explained[d] = explained.get(d, 0) | (c & content)
        for d, c in pyg.items():
            if c & (c >> 1) or c & py_lone:
                ok.add(d)
        if n_grams:
            need = WEAK_SHARE * n_grams
            for d, c in weak.items():
                if d not in ok and (c | explained.get(d, 0)).bit_count() >= need:
                    ok.add(d)

        for p, w in phrases.items():
            if len(p) < 2:
                continue
            # A long expansion is one concept, not many typed characters.
            size = len(p) if p in typed else min(len(p), EXPANSION_PHRASE_CAP)
            lists = [self.post.get(b) for b in _bigrams(p)]
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

        name_len = self.name_len
        for d, h in enumerate(name_hits):
            if h:
                scores[d] += COVERAGE_BONUS * min(1.0, h / name_len[d])
        if n_grams:  # the share of the typed query a matter explains scales its score
            for d in ok:
                ex = explained.get(d, 0)
                share = (ex.bit_count() + 0.5 * (weak.get(d, 0) & ~ex).bit_count()) / n_grams
                scores[d] *= COVERAGE_BASE + (1.0 - COVERAGE_BASE) * min(1.0, share)

        # Filters.
        aud_bit = AUDIENCE_BITS.get(audience, 0) if audience else 0
        if audience and not aud_bit:
            return []
        out = []
        for d in ok:
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
        if not out:
            return []
        top = max(s for _, s in out)
        floor = top * RELATIVE_FLOOR
        pop, pop_boost, codes = self.popularity, self.pop_boost, self.codes
        out = [(d, s * (1.0 + pop_boost[d])) for d, s in out if s >= floor]
        out = heapq.nsmallest(limit, out, key=lambda ds: (-ds[1], -pop[ds[0]], codes[ds[0]]))
        out = [(d, round(s, 4)) for d, s in out]

        hl_tokens = [t for t in matched if len(t) >= 2 or t in typed_chars]
        cache: dict[tuple, list[tuple[int, int]]] = {}
        hits = []
        for d, s in out:
            key = (self.names[d], py_marks.get(d))
            spans = cache.get(key)
            if spans is None:
                spans = cache[key] = self._highlight(key[0], hl_tokens, key[1])
            hits.append(Hit(self.codes[d], s, list(spans)))
        return hits

    def _match_full(self, seg: list[str], scores: dict[int, float],
                    marks: dict[int, tuple[int, int]]) -> None:
        """Syllables anywhere in a name or alias; a lone syllable only where one starts
        (the start of the name, or after punctuation: "ban" is not every 办)."""
        needle = " " + " ".join(seg)
        k = len(seg)
        blob, starts = self.full_blob, self.full_starts
        pos = blob.find(needle)
        while pos >= 0:
            if k == 1 and blob[pos - 1] not in "\n_":
                pos = blob.find(needle, pos + 1)
                continue
            e = bisect.bisect_right(starts, pos) - 1
            idx = blob.count(" ", starts[e], pos)
            complete = blob[pos + len(needle)] in " \n"
            # "shen" may be the start of "sheng", but is first of all 身 or 申.
            s = (k * 2.5 + 4.0 * k / self.entry_len[e]) * (
                1.0 if complete else 0.6 if k == 1 else 0.85)
            if idx == 0:
                s *= 1.1
            self._keep(e, s, (idx, idx + k), scores, marks)
            nxt = starts[e + 1] if e + 1 < len(starts) else len(blob)
            pos = blob.find(needle, max(pos + 1, nxt - 1))

    def _expansion_docs(self, e: str) -> frozenset[int]:
        """Matters whose name or an alias holds expansion `e` whole (memoised).

        Expansions are meant to be catalogue words; one no name or alias holds (the catalogue
        moved on) falls back to matters holding most of it, its bigrams weighted by rarity.
        """
        got = self._exp_docs.get(e)
        if got is None:
            units = {g for run in _han_runs(e) for g in _bigrams(run)}
            if not units:
                units = {c for c in e if _is_han(c)}
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

    def _match_initials(self, letters: str, scores: dict[int, float],
                        marks: dict[int, tuple[int, int]]) -> None:
        k = len(letters)
        blob, starts = self.ini_blob, self.ini_starts
        pos = blob.find(letters)
        while pos >= 0:
            e = bisect.bisect_right(starts, pos) - 1
            idx = pos - starts[e]
            s = k * 1.5 + 3.0 * k / self.entry_len[e]
            if idx == 0:
                s *= 1.1
            self._keep(e, s, (idx, idx + k), scores, marks)
            nxt = starts[e + 1] if e + 1 < len(starts) else len(blob)
            pos = blob.find(letters, max(pos + 1, nxt))

    def _keep(self, e: int, s: float, span: tuple[int, int], scores: dict[int, float],
              marks: dict[int, tuple[int, int]]) -> None:
        """Credit every (doc, field) holding entry `e`; remember where a name matched."""
        for d, f in self.entry_refs[e]:
            v = s * FIELD_WEIGHT[f]
            if v > scores.get(d, 0.0):
                scores[d] = v
            if f == F_NAME and d not in marks:
                marks[d] = span

    @staticmethod
    def _highlight(name: str, tokens: list[str],
                   mark: tuple[int, int] | None) -> list[tuple[int, int]]:
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
