"""The search index, built at publish time: its format, and `build_index` (pypinyin and zhconv
load here, inside the call, so that request-time imports stay light)."""
from __future__ import annotations

import array
import base64
import json
import sys
from pathlib import Path

from .text import (
    ascii_words,
    bigrams,
    han_runs,
    is_ascii_alnum,
    is_han,
    normalise,
    parse_thesaurus,
    reading_entries,
)

INDEX_VERSION = 2
AUDIENCE_BITS = {"person": 1, "enterprise": 2}
# Field codes in postings: lower code = stronger field; FIELD_WEIGHT is indexed by them.
F_NAME, F_ALIAS, F_META, F_GUIDE = 0, 1, 2, 3
FIELD_WEIGHT = (10.0, 8.0, 3.0, 1.5)
DATA_DIR = Path(__file__).resolve().parent / "data"


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


def _names_of(given, file: str) -> dict[str, str]:
    return _code_names(given if given is not None else _load_json(file))


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


def pack_postings(post: dict[str, list[list[int]]], n_units: int) -> dict:
    """Postings as one string per token: per field, the units' ids packed little-endian
    (2 bytes each below 65,536 units, else 4) in base64, fields joined by ",". A JSON parser
    reads a string at memory speed; the searcher unpacks a token's lists when first asked."""
    code = _int_code(n_units)
    return {"type": code, "lists": {tok: ",".join(pack_ints(code, units) for units in lists)
                                    for tok, lists in post.items()}}


def _int_code(bound: int) -> str:
    return "H" if bound < 1 << 16 else "I"


def pack_ints(code: str, ints: list[int]) -> str:
    """Little-endian unsigned ints (array typecode `code`) in base64."""
    a = array.array(code, ints)
    if sys.byteorder == "big":
        a.byteswap()
    return base64.b64encode(a.tobytes()).decode()


def _reading_entries(pys: list[list[str]]) -> dict:
    """The distinct name and alias readings, and who holds each (packed), for the searcher's
    pinyin blobs (functions/hall/pinyin.py)."""
    entries, refs = reading_entries(pys)
    code = _int_code(2 * len(pys))
    return {"py_entries": entries, "py_refs": [pack_ints(code, r) for r in refs],
            "py_refs_type": code}


def _by_field(per: dict[int, int]) -> list[list[int]]:
    """{doc: best field} -> one sorted doc list per field, trailing empty lists dropped."""
    lists: list[list[int]] = [[], [], [], []]
    for d, f in sorted(per.items()):
        lists[f].append(d)
    while lists and not lists[-1]:
        lists.pop()
    return lists


def _corpus_chars(active: list[dict], thesaurus_raw: dict[str, list[str]]) -> set[str]:
    texts = []
    for m in active:
        texts += [m.get("name", ""), *m.get("aliases", []), m.get("guide", "") or ""]
    for k, v in thesaurus_raw.items():
        texts += [k, *v]
    return {c for c in "".join(texts) if is_han(c)}


def _t2s_table(corpus_chars: set[str]) -> dict[str, str]:
    """Traditional -> simplified, restricted to simplified characters we actually hold."""
    from zhconv import zhconv as zc

    table: dict[str, str] = {}
    for loc in ("zh-hans", "zh-cn"):
        for k, v in zc.getdict(loc).items():
            if len(k) == 1 and len(v) == 1 and k != v and is_han(k):
                table.setdefault(k, v)
    t2s = {k: v for k, v in table.items() if v in corpus_chars and k not in corpus_chars}
    # Fold the catalogue itself too, in case an editor pasted a traditional character.
    for c in list(corpus_chars):
        if c in table and table[c] != c:
            t2s.setdefault(c, table[c])
    return t2s


def _normalised_thesaurus(raw: dict[str, list[str]], norm) -> dict[str, list[str]]:
    thesaurus: dict[str, list[str]] = {}
    for k, v in raw.items():
        nk = norm(k).strip()
        for e in v:
            ne = norm(e).strip()
            if ne and ne != nk and ne not in thesaurus.setdefault(nk, []):
                thesaurus[nk].append(ne)
    return thesaurus


def _char_tokens(text: str) -> list[str]:
    """One pinyin token per character of `text` (already normalised); "_" where none."""
    from pypinyin import Style, lazy_pinyin

    out = []
    i = 0
    while i < len(text):
        c = text[i]
        if is_han(c):
            j = i
            while j < len(text) and is_han(text[j]):
                j += 1
            run = text[i:j]
            py = lazy_pinyin(run, style=Style.NORMAL)
            if len(py) != len(run) or not all(p.isascii() and p.isalpha() for p in py):
                py = [lazy_pinyin(ch, style=Style.NORMAL)[0] for ch in run]
                py = [p if p.isascii() and p.isalpha() else "_" for p in py]
            out += [p.lower() for p in py]
            i = j
        else:
            out.append(c if is_ascii_alnum(c) else "_")
            i += 1
    return out


class _Postings:
    """token -> {doc: best field}, and the catalogue's bigrams with their contextual reading."""

    def __init__(self):
        self.postings: dict[str, dict[int, int]] = {}
        self.vocab_bigrams: dict[str, str] = {}  # bigram -> contextual pinyin key

    def add(self, token: str, doc: int, field: int) -> None:
        per = self.postings.setdefault(token, {})
        if per.get(doc, 9) > field:
            per[doc] = field

    def learn_bigrams(self, text: str) -> None:
        toks = _char_tokens(text)
        for i in range(len(text) - 1):
            if is_han(text[i]) and is_han(text[i + 1]):
                self.vocab_bigrams.setdefault(text[i:i + 2], toks[i] + " " + toks[i + 1])

    def add_text(self, doc: int, field: int, text: str) -> None:
        """Bigrams of every field; single characters, ASCII words and readings of the strong
        fields (name and aliases) only."""
        for run in han_runs(text):
            for b in bigrams(run):
                self.add(b, doc, field)
            if field <= F_ALIAS:
                for c in run:
                    self.add(c, doc, field)
        if field <= F_ALIAS:
            for w in ascii_words(text):
                self.add(w, doc, field)
            self.learn_bigrams(text)


def _audience_bits(m: dict) -> int:
    aud = 0
    for a in m.get("audiences", []):
        aud |= AUDIENCE_BITS.get(a, 0)
    return aud


def _units(active: list[dict], norm) -> tuple[list[list[dict]], list[int]]:
    """County copies of one matter (the same name, aliases, guide, themes, department and
    audiences: only the region differs) are one search unit. Units in order of their first
    matter's code; returns the units and each matter's unit."""
    units: list[list[dict]] = []
    key_unit: dict[tuple, int] = {}
    unit_of = []
    for m in active:
        key = (norm(m["name"]), tuple(norm(a).strip() for a in m.get("aliases", [])),
               norm(m.get("guide", "") or ""), tuple(m.get("themes", [])),
               m.get("department", ""), _audience_bits(m))
        u = key_unit.setdefault(key, len(units))
        if u == len(units):
            units.append([])
        units[u].append(m)
        unit_of.append(u)
    return units, unit_of


def _doc_counts(post: _Postings, unit_of: list[int], doc_region: list[str],
                region_grams: dict[str, list[str]]) -> dict[str, int]:
    """Token -> matters holding it (idf counts matters, not units): a unit's matters, plus
    the matters of regions whose name holds it."""
    size = [0] * (max(unit_of, default=-1) + 1)
    for u in unit_of:
        size[u] += 1
    by_region: dict[str, list[int]] = {}
    for u, r in zip(unit_of, doc_region, strict=True):
        by_region.setdefault(r, []).append(u)
    gram_regions: dict[str, list[str]] = {}
    for r, grams in region_grams.items():
        for g in grams:
            gram_regions.setdefault(g, []).append(r)
    df = {}
    for tok, per in post.postings.items():
        n = sum(size[u] for u in per)
        for r in gram_regions.get(tok, ()):
            n += sum(1 for u in by_region.get(r, ()) if u not in per)
        df[tok] = n
    for tok, rs in gram_regions.items():
        if tok not in df:
            df[tok] = sum(len(by_region.get(r, ())) for r in rs)
    return df


def _readings(chars: set[str]) -> dict[str, list[str]]:
    """Every (heteronym-aware) reading of each character -> the characters read so."""
    from pypinyin import Style, pinyin

    readings: dict[str, list[str]] = {}
    for c in sorted(chars):
        for r in pinyin(c, style=Style.NORMAL, heteronym=True)[0]:
            r = r.lower()
            if r.isascii() and r.isalpha():
                readings.setdefault(r, []).append(c)
    return readings


def build_index(matters: list[dict], thesaurus_text: str, *, themes=None, departments=None,
                regions=None) -> dict:
    """Build the JSON-serialisable search index (publish time: pypinyin and zhconv load here).

    Only active matters are indexed. Theme, department and region names (low-weight fields)
    come from the arguments, or from functions/hall/data/*.json when those are None.
    """
    theme_names = _names_of(themes, "themes.json")
    dept_names = _names_of(departments, "departments.json")
    region_names = _names_of(regions, "regions.json")

    active = [m for m in matters if m.get("status", "active") == "active"]
    active.sort(key=lambda m: m["code"])
    thesaurus_raw = parse_thesaurus(thesaurus_text)
    corpus_chars = _corpus_chars(active, thesaurus_raw)
    t2s = _t2s_table(corpus_chars)

    def norm(s: str) -> str:
        return normalise(s or "", t2s)

    thesaurus = _normalised_thesaurus(thesaurus_raw, norm)

    units, unit_of = _units(active, norm)
    docs, aliases, pys = [], [], []
    post = _Postings()
    for u, copies in enumerate(units):
        m = copies[0]
        name = norm(m["name"])
        als = [a for a in (norm(a).strip() for a in m.get("aliases", [])) if a]
        docs.append([name, _audience_bits(m), max(1, sum(map(is_han, name)) - 1)])
        aliases.append(als)
        pys.append([" ".join(_char_tokens(t)) for t in [name, *als]])
        meta = [theme_names.get(t, "") for t in m.get("themes", [])]
        meta.append(dept_names.get(m.get("department", ""), ""))
        for field, texts in ((F_NAME, [name]), (F_ALIAS, als), (F_META, [norm(x) for x in meta]),
                             (F_GUIDE, [norm(m.get("guide", "") or "")])):
            for text in texts:
                post.add_text(u, field, text)
    for k, v in thesaurus.items():
        for t in [k, *v]:
            post.learn_bigrams(t)
    doc_region = [str(m.get("region", "")) for m in active]
    # A region's name is a low-weight field of its matters: read per region at request time.
    region_grams = {r: sorted({g for run in han_runs(norm(region_names.get(r, "")))
                               for g in bigrams(run)}) for r in sorted(set(doc_region))}
    region_grams = {r: g for r, g in region_grams.items() if g}
    # Each unit's matters, the most popular first (then by code): the order they rank in.
    pop = [int(m.get("popularity", 0) or 0) for m in active]
    members: list[list[int]] = [[] for _ in units]
    for d, u in enumerate(unit_of):
        members[u].append(d)
    order = [d for ms in members for d in sorted(ms, key=lambda d: (-pop[d], active[d]["code"]))]
    regions = sorted(set(doc_region))
    region_ix = {r: i for i, r in enumerate(regions)}

    # Character readings for the common characters and everything we hold.
    chars = set(_gb2312_level1()) | corpus_chars | set(t2s.values())
    for k, v in thesaurus.items():
        chars |= {c for c in k + "".join(v) if is_han(c)}
    readings = _readings(chars)

    bigram_keys: dict[str, list[str]] = {}
    for b, key in sorted(post.vocab_bigrams.items()):
        if "_" not in key:
            bigram_keys.setdefault(key, []).append(b)

    return {
        "v": INDEX_VERSION,
        "units": docs,
        "aliases": aliases,
        "py": pys,
        **_reading_entries(pys),
        "post": pack_postings({t: _by_field(per) for t, per in sorted(post.postings.items())},
                              len(units)),
        "df": _doc_counts(post, unit_of, doc_region, region_grams),
        # Matters: code order; "members" lists them unit by unit in rank order ("sizes").
        "codes": [m["code"] for m in active],
        "pop": pop,
        "regions": regions,
        "doc_region": [region_ix[r] for r in doc_region],
        "region_grams": region_grams,
        "members": order,
        "sizes": [len(ms) for ms in members],
        "t2s": "".join(k + v for k, v in sorted(t2s.items())),
        "readings": {r: "".join(cs) for r, cs in sorted(readings.items())},
        "bigrams": {k: "".join(v) for k, v in bigram_keys.items()},
        "thesaurus": thesaurus,
        "thesaurus_py": {k: " ".join(_char_tokens(k)) for k in thesaurus},
    }
