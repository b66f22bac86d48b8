"""Reading a query at request time: what was typed (characters, pinyin, initials), its
homophone corrections and thesaurus expansions, and which typed positions each part covers."""
from __future__ import annotations

from .pinyin import Pinyin
from .text import bigrams, han_runs, is_filler, longest_matches, normalise, split_query

MAX_QUERY = 100
MAX_KEY_SYLLABLES = 8
UNIGRAM_FACTOR = 0.3        # a single shared character counts far less than a shared bigram
W_CORRECTED = 0.85          # a homophone-corrected reading of what was typed
W_EXPANSION = 0.9           # a thesaurus expansion
W_PINYIN_BIGRAM = 0.6       # a bigram guessed from typed pinyin


class Query:
    """What a query asks for. What a matter explains of it is tracked as bits: one bit per
    bigram of what was typed (with a gap bit between runs, so runs are never adjacent)."""
    # A plain class with literal defaults: built once per search, cheaper than a dataclass.
    __slots__ = ("phrases", "extra", "typed_chars", "typed", "typed_bits", "corr_bits",
                 "targets", "lone", "content", "one_char", "py_bits", "py_lone", "py_scores",
                 "py_marks", "words")

    def __init__(self) -> None:
        self.phrases: dict[str, float] = {}      # han phrase -> weight
        self.extra: dict[str, float] = {}        # pinyin-guessed bigrams, ASCII words
        self.typed_chars: set[str] = set()       # lone characters typed
        self.typed: set[str] = set()             # phrases typed (or typed with a typo fixed)
        self.typed_bits: dict[str, int] = {}     # typed bigram -> its positions
        self.corr_bits: dict[str, int] = {}      # corrected bigram -> the positions it fixes
        self.targets: list[tuple[int, str]] = []  # (positions of the thesaurus key, expansion)
        self.lone = 0                            # positions of runs that are exactly one bigram
        self.content = 0                         # positions that are not fillers
        self.one_char = True                     # every typed han run is a single character
        self.py_bits: dict[str, int] = {}        # pinyin-guessed bigram -> syllable pairs
        self.py_lone = 0
        self.py_scores: dict[int, float] = {}    # doc -> pinyin match score
        self.py_marks: dict[int, tuple[int, int]] = {}  # doc -> span of the name matched
        self.words: set[str] = set()             # ASCII words typed

    def add_phrase(self, p: str, w: float, was_typed: bool = False) -> None:
        for run in han_runs(p):
            if self.phrases.get(run, 0.0) < w:
                self.phrases[run] = w
            if was_typed:
                self.typed.add(run)

    def weights(self) -> dict[str, float]:
        """Token -> weight: loose tokens, then each phrase's bigrams and (less) characters."""
        qw: dict[str, float] = dict(self.extra)
        for p, w in self.phrases.items():
            for b in bigrams(p):
                qw[b] = max(qw.get(b, 0.0), w)
            for c in p:
                cw = w * UNIGRAM_FACTOR
                if qw.get(c, 0.0) < cw:
                    qw[c] = cw
        return qw


class QueryReader:
    """Reads queries against one loaded index: its folding table, thesaurus, readings, and
    the words of its names and aliases."""

    def __init__(self, index: dict, py: Pinyin):
        t2s_s = index["t2s"]
        self.t2s = {t2s_s[i]: t2s_s[i + 1] for i in range(0, len(t2s_s), 2)}
        # A joined ASCII run is a word when the index holds it.
        self.tokens = index["post"]["lists"]
        self.thesaurus = index["thesaurus"]
        self.max_key = max((len(k) for k in self.thesaurus), default=0)
        self.py = py
        # Bigrams that begin a word of the catalogue (a name, an alias, a run after punctuation,
        # a thesaurus word): the only corrections trusted for a two-character query, so that
        # 签证 does not become the 遣证 of 劳务派遣证.
        self.heads: set[str] = set()
        words = [w for k, v in self.thesaurus.items() for w in (k, *v)]
        texts = {u[0] for u in index["units"]}
        texts.update(a for als in index["aliases"] for a in als)
        texts.update(words)
        for text in texts:
            for run in han_runs(text):
                if len(run) > 1:
                    self.heads.add(run[:2])

    def read(self, q: str) -> Query | None:
        """The query's parts, or None when it holds nothing searchable."""
        han, ascii_runs = split_query(normalise(q[:MAX_QUERY], self.t2s))
        if not han and not ascii_runs:
            return None
        query = Query()
        base = 0
        for run in han:
            self._read_han(query, run, base)
            base += len(run)
        query.one_char = all(len(r) == 1 for r in han)
        pbase = 0
        for arun in ascii_runs:
            pbase = self._read_letters(query, arun, pbase)
        return query

    def _read_han(self, query: Query, run: str, base: int) -> None:
        """A run of characters: its phrase, its bigrams' positions, its thesaurus expansions,
        and the same for its homophone-corrected reading when that differs."""
        query.add_phrase(run, 1.0, True)
        if len(run) == 1:  # a lone character is highlighted; stray ones are not
            query.typed_chars.add(run)
        elif len(run) == 2:
            query.lone |= 1 << base
        grams = bigrams(run)
        for i, b in enumerate(grams):
            if not is_filler(b):
                query.typed_bits[b] = query.typed_bits.get(b, 0) | 1 << (base + i)
                query.content |= 1 << (base + i)
        self._expand(query, self._thesaurus_keys(run), 1.0, base)
        fixed = self.py.correct(run) if len(run) > 1 else run
        if fixed != run and (len(run) > 2 or fixed in self.heads):
            query.add_phrase(fixed, W_CORRECTED, True)
            for i, (b, t) in enumerate(zip(bigrams(fixed), grams, strict=True)):
                if b != t:
                    query.corr_bits[b] = query.corr_bits.get(b, 0) | 1 << (base + i)
            self._expand(query, self._thesaurus_keys(fixed), W_CORRECTED, base)

    def _read_letters(self, query: Query, arun: str, pbase: int) -> int:
        """A run of letters and digits: words, pinyin syllables (matched against the names'
        readings, and guessing bigrams), or initials. Returns the next syllable position."""
        for w in arun.split(" "):
            query.extra[w] = max(query.extra.get(w, 0.0), 1.0)
            query.words.add(w)
        joined = arun.replace(" ", "")
        if joined in self.tokens:
            query.extra[joined] = 1.0
            query.words.add(joined)
        py = self.py
        for seg in py.segment(arun):
            py.match_full(seg, query.py_scores, query.py_marks)
            th = longest_matches(seg, py.th_full, MAX_KEY_SYLLABLES, " ")
            self._expand(query, [(0, k) for _, r in th for k in py.th_full[r]], W_EXPANSION, -1)
            if len(seg) == 2:
                query.py_lone |= 1 << pbase
            for i, (a, b) in enumerate(zip(seg, seg[1:], strict=False)):
                for bg in py.bigrams_sounding(a, b):
                    query.extra[bg] = max(query.extra.get(bg, 0.0), W_PINYIN_BIGRAM)
                    query.py_bits[bg] = query.py_bits.get(bg, 0) | 1 << (pbase + i)
            pbase += len(seg)
        # Initials ("sfz") only when the letters are not a run of whole syllables ("ban").
        if (" " not in arun and joined.isalpha() and len(joined) >= 2
                and not py.segment_chunk(joined, allow_partial=False)):
            py.match_initials(joined, query.py_scores, query.py_marks)
            self._expand(query, [(0, k) for k in py.th_initials.get(joined, [])],
                         W_EXPANSION * 0.9, -1)
        return pbase

    def _thesaurus_keys(self, run: str) -> list[tuple[int, str]]:
        """(start, key) of thesaurus keys in `run`, longest match first, left to right."""
        return longest_matches(list(run), self.thesaurus, self.max_key, "")

    def _expand(self, query: Query, keys: list[tuple[int, str]], w_key: float,
                base: int) -> None:
        """Add thesaurus keys and their expansions. base < 0: keys read from pinyin, which
        explain no typed bigram."""
        for start, k in keys:
            query.add_phrase(k, w_key)
            bits = ((1 << (len(k) - 1)) - 1) << (base + start) if base >= 0 else -1
            for e in self.thesaurus[k]:
                query.add_phrase(e, W_EXPANSION)
                query.targets.append((bits, e))
