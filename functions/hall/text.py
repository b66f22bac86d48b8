"""Text helpers shared by the index build and the searcher: folding, runs, bigrams, fillers,
fuzzy syllables, thesaurus parsing. Standard library only (the searcher runs at request time)."""
from __future__ import annotations

import itertools

# Question words and fillers: bigrams holding one of FILLER_CHARS, or in FILLER_BIGRAMS, still
# score, but are not part of what a matter must explain ("开饭店要办什么证" is 开饭店 + 证).
FILLER_CHARS = frozenset("么什怎吗呢啊呀哪谁")
FILLER_BIGRAMS = frozenset(("我要", "我想", "想要", "要办", "需要", "如何", "可以", "请问", "一下",
                            "我的", "我们", "应该", "怎样"))


def is_han(c: str) -> bool:
    return "\u4e00" <= c <= "\u9fff" or "\u3400" <= c <= "\u4dbf"


def is_ascii_alnum(c: str) -> bool:
    return ("a" <= c <= "z") or ("0" <= c <= "9")


def fold(c: str, t2s: dict[str, str]) -> str:
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


def normalise(text: str, t2s: dict[str, str]) -> str:
    return "".join(fold(c, t2s) for c in text)


def runs(text: str, keep) -> list[str]:
    """The maximal stretches of `text` whose characters all satisfy `keep`."""
    return ["".join(group) for kept, group in itertools.groupby(text, keep) if kept]


def han_runs(text: str) -> list[str]:
    return runs(text, is_han)


def ascii_words(text: str) -> list[str]:
    return runs(text, is_ascii_alnum)


def bigrams(run: str) -> list[str]:
    return [run[i:i + 2] for i in range(len(run) - 1)]


def is_filler(bigram: str) -> bool:
    return bigram in FILLER_BIGRAMS or bigram[0] in FILLER_CHARS or bigram[1] in FILLER_CHARS


def split_query(q: str) -> tuple[list[str], list[str]]:
    """Han runs and ASCII runs of a folded query (ASCII runs keep single inner spaces, and an
    apostrophe separates syllables like a space: "xi'an")."""
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
        if is_han(c) or is_ascii_alnum(c):
            k = "h" if is_han(c) else "a"
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


def fuzzy(syl: str) -> str:
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


def longest_matches(units: list[str], table: dict, max_len: int,
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


def reading_entries(readings: list[list[str]]) -> tuple[list[str], list[list[int]]]:
    """Each unit's name and alias readings -> the distinct readings, and per reading who holds
    it: 2 * unit for a name, 2 * unit + 1 for an alias."""
    entry_of: dict[str, int] = {}
    entries: list[str] = []
    refs: list[list[int]] = []
    for u, rs in enumerate(readings):
        for j, py in enumerate(rs):
            e = entry_of.setdefault(py, len(entries))
            if e == len(entries):
                entries.append(py)
                refs.append([])
            refs[e].append(2 * u + (j > 0))
    return entries, refs
