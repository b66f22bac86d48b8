"""Request-time sounds: typed pinyin (whole syllables or initials) matched against the names'
readings, and homophone correction of typed characters. Standard library only: the readings
were computed at publish time (functions/hall/index.py)."""
from __future__ import annotations

import array
import binascii
import bisect
import sys
from itertools import product

from .index import F_ALIAS, F_NAME, FIELD_WEIGHT
from .text import fuzzy, is_filler, reading_entries

MAX_SEGMENTATIONS = 3


class Pinyin:
    """The readings part of one loaded index. `df(token)` counts the matters holding a token
    (a correction prefers the more common of the candidates that sound alike)."""

    def __init__(self, index: dict, df):
        self.df = df
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
            self.fuzzy_keys.setdefault(fuzzy(a) + " " + fuzzy(b), []).extend(lst)

        self.th_full: dict[str, list[str]] = {}      # thesaurus key by its reading
        self.th_initials: dict[str, list[str]] = {}  # ... and by the initials of its reading
        for k, py in index["thesaurus_py"].items():
            toks = py.split(" ")
            if "_" in toks:
                continue
            self.th_full.setdefault(py, []).append(k)
            self.th_initials.setdefault("".join(t[0] for t in toks), []).append(k)
        self._load_blobs(index)

    def _load_blobs(self, index: dict) -> None:
        """One entry per distinct name/alias reading, "\n" between entries: a typed run of
        syllables (or initials) is one str.find over all names at once. The entries and who
        holds each (packed) come from publish time; older indexes list readings per unit."""
        self._refs: dict[int, list[tuple[int, int]]] = {}
        if "py_entries" in index:
            entries, self._packed_refs = index["py_entries"], index["py_refs"]
            self._refs_code = index["py_refs_type"]
        else:
            entries, refs = reading_entries(index["py"])
            self._packed_refs, self._refs_code = None, ""
            for e, rs in enumerate(refs):
                self._refs[e] = [(r >> 1, F_ALIAS if r & 1 else F_NAME) for r in rs]
        self.entry_len: list[int] = []
        full_parts, ini_parts = [], []
        self.full_starts, self.ini_starts = [], []
        fpos = ipos = 0
        for py in entries:
            toks = py.split(" ")
            ftxt = "\n " + py
            itxt = "\n" + "".join(t[0] for t in toks)
            self.full_starts.append(fpos + 1)
            self.ini_starts.append(ipos + 1)
            full_parts.append(ftxt)
            ini_parts.append(itxt)
            fpos += len(ftxt)
            ipos += len(itxt)
            self.entry_len.append(len(toks))
        self.full_blob = "".join(full_parts) + "\n"
        self.ini_blob = "".join(ini_parts) + "\n"

    def entry_refs(self, e: int) -> list[tuple[int, int]]:
        """(unit, field) of every name or alias read as entry `e` (unpacked when first asked)."""
        got = self._refs.get(e)
        if got is None:
            a = array.array(self._refs_code, binascii.a2b_base64(self._packed_refs[e]))
            if sys.byteorder == "big":
                a.byteswap()
            got = self._refs[e] = [(r >> 1, F_ALIAS if r & 1 else F_NAME) for r in a]
        return got

    # -------------------------------------------------------------- typed characters

    def correct(self, run: str) -> str:
        """Replace bigrams we do not hold with a held bigram that sounds the same."""
        chars = list(run)
        vocab = self.vocab
        # A character inside a bigram we hold is taken as typed correctly.
        anchored = [False] * len(chars)
        for i in range(len(chars) - 1):
            if run[i:i + 2] in vocab:
                anchored[i] = anchored[i + 1] = True
        for i in range(len(chars) - 1):
            if chars[i] + chars[i + 1] in vocab or is_filler(run[i:i + 2]):
                continue
            ra = self.char_readings.get(chars[i])
            rb = self.char_readings.get(chars[i + 1])
            if not ra or not rb:
                continue
            cands: list[str] = []
            for table, f in ((self.bigram_keys, None), (self.fuzzy_keys, fuzzy)):
                for x, y in product(ra, rb):
                    key = (f(x) + " " + f(y)) if f else (x + " " + y)
                    cands += table.get(key, ())
                cands = [c for c in cands if (not anchored[i] or c[0] == chars[i])
                         and (not anchored[i + 1] or c[1] == chars[i + 1])]
                if cands:
                    break
            if not cands:
                continue
            best = max(cands, key=lambda c: (self.df(c), c))
            chars[i], chars[i + 1] = best[0], best[1]
            anchored[i] = anchored[i + 1] = True
        return "".join(chars)

    # -------------------------------------------------------------- typed letters

    def bigrams_sounding(self, a: str, b: str) -> list[str]:
        """The catalogue's bigrams read `a b` (or, failing that, read so by a fuzzy ear)."""
        exact = self.bigram_keys.get(a + " " + b)
        return exact or self.fuzzy_keys.get(fuzzy(a) + " " + fuzzy(b), [])

    def segment(self, ascii_run: str) -> list[list[str]]:
        """Pinyin segmentations with the fewest syllables; the last may be a prefix."""
        chunks = [c for c in ascii_run.split(" ") if c]
        if not chunks or not all(c.isalpha() for c in chunks):
            return []
        combos: list[list[str]] = [[]]
        for n, chunk in enumerate(chunks):
            segs = self.segment_chunk(chunk, allow_partial=(n == len(chunks) - 1))
            if not segs:
                return []
            combos = [a + b for a in combos for b in segs][:MAX_SEGMENTATIONS]
        return combos

    def segment_chunk(self, s: str, allow_partial: bool) -> list[list[str]]:
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

    def match_full(self, seg: list[str], scores: dict[int, float],
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

    def match_initials(self, letters: str, scores: dict[int, float],
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
        for d, f in self.entry_refs(e):
            v = s * FIELD_WEIGHT[f]
            if v > scores.get(d, 0.0):
                scores[d] = v
            if f == F_NAME and d not in marks:
                marks[d] = span
