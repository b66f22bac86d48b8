"""The search index, built at publish time: its format, and `build_index` (pypinyin and zhconv
load here, inside the call, so that request-time imports stay light)."""
from __future__ import annotations

import json
from pathlib import Path

from functions.hall.text import (
    ascii_words,
    bigrams,
    han_runs,
    is_ascii_alnum,
    is_han,
    normalise,
    parse_thesaurus,
)

INDEX_VERSION = 1
AUDIENCE_BITS = {"person": 1, "enterprise": 2}
# Field codes in postings: lower code = stronger field; FIELD_WEIGHT is indexed by them.
F_NAME, F_ALIAS, F_META, F_GUIDE = 0, 1, 2, 3
FIELD_WEIGHT = (10.0, 8.0, 3.0, 1.5)
DATA_DIR = Path(__file__).resolve().parents[2] / "functions" / "hall" / "data"


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


def _doc_row(m: dict, name: str) -> list:
    """[code, normalised name, popularity, audience bits, region, bigram count of the name]."""
    aud = 0
    for a in m.get("audiences", []):
        aud |= AUDIENCE_BITS.get(a, 0)
    return [m["code"], name, int(m.get("popularity", 0) or 0), aud,
            str(m.get("region", "")), max(1, sum(map(is_han, name)) - 1)]


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

    docs, aliases, pys = [], [], []
    post = _Postings()
    for d, m in enumerate(active):
        name = norm(m["name"])
        als = [a for a in (norm(a).strip() for a in m.get("aliases", [])) if a]
        docs.append(_doc_row(m, name))
        aliases.append(als)
        pys.append([" ".join(_char_tokens(t)) for t in [name, *als]])
        meta = [theme_names.get(t, "") for t in m.get("themes", [])]
        meta += [dept_names.get(m.get("department", ""), ""),
                 region_names.get(str(m.get("region", "")), "")]
        for field, texts in ((F_NAME, [name]), (F_ALIAS, als), (F_META, [norm(x) for x in meta]),
                             (F_GUIDE, [norm(m.get("guide", "") or "")])):
            for text in texts:
                post.add_text(d, field, text)
    for k, v in thesaurus.items():
        for t in [k, *v]:
            post.learn_bigrams(t)

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
        "docs": docs,
        "aliases": aliases,
        "py": pys,
        "post": {t: _by_field(per) for t, per in sorted(post.postings.items())},
        "t2s": "".join(k + v for k, v in sorted(t2s.items())),
        "readings": {r: "".join(cs) for r, cs in sorted(readings.items())},
        "bigrams": {k: "".join(v) for k, v in bigram_keys.items()},
        "thesaurus": thesaurus,
        "thesaurus_py": {k: " ".join(_char_tokens(k)) for k in thesaurus},
    }
