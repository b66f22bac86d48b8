"""Needs predicted from history: pure ranking over the counters of which matter people did
next after a given one, the popularity fallback, and the dismissal down-weighting.

The counters are kept by recommend_store as applications complete; the bench
(bench/recommend.py) trains the very same functions on generated histories.
"""
from __future__ import annotations

TOP_N = 5
# A transition seen fewer times than this is noise, not a pattern: it is not suggested.
MIN_SUPPORT = 3
# ... nor one that is a small share of what people did after that matter.
MIN_SHARE = 0.02
# Each this many "not relevant" from people of the same segment halves a suggestion's score.
DISMISS_HALF = 5
HISTORY_WEIGHT = 2.0     # below the rules' (3 and up): a fact beats a habit
POPULAR_WEIGHT = 1.0


def next_after(counts: dict[str, int], *, exclude=(), top: int = TOP_N,
               support: int = MIN_SUPPORT, share: float = MIN_SHARE) -> list[tuple[str, float]]:
    """The matters most often done next after one matter: (code, share of what followed),
    best first, ties by code so the order is stable; below the support threshold left out."""
    total = sum(counts.values())
    if not total:
        return []
    ranked = sorted(((code, n) for code, n in counts.items()
                     if n >= support and n / total >= share and code not in exclude),
                    key=lambda cn: (-cn[1], cn[0]))
    return [(code, n / total) for code, n in ranked[:top]]


def popular(counts: dict[str, int], *, exclude=(), top: int = TOP_N) -> list[tuple[str, float]]:
    """The region's most completed matters (its hot services): (code, share), best first."""
    total = sum(counts.values()) or 1
    ranked = sorted(((c, n) for c, n in counts.items() if c not in exclude),
                    key=lambda cn: (-cn[1], cn[0]))
    return [(code, n / total) for code, n in ranked[:top]]


def predict(last: list[str], transitions: dict[str, dict[str, int]], region: dict[str, int],
            *, exclude=(), top: int = TOP_N) -> list[tuple[str, float, str | None]]:
    """Top `top` next matters for someone whose completed matters are `last` (most recent
    first): the transitions from the most recent matter first, then from earlier ones, then
    the region's hot services. (code, score, the matter it follows or None)."""
    seen = set(exclude) | set(last[:1])
    out: list[tuple[str, float, str | None]] = []
    for rank, prev in enumerate(last):
        for code, share in next_after(transitions.get(prev, {}), exclude=seen, top=top):
            out.append((code, HISTORY_WEIGHT * share / (rank + 1), prev))
            seen.add(code)
    out.sort(key=lambda s: -s[1])  # what people like this did next comes before what is hot
    for code, share in popular(region, exclude=seen, top=top):
        out.append((code, POPULAR_WEIGHT * share, None))
    return out[:top]


def damped(score: float, dismissals: int) -> float:
    """A suggestion's score after `dismissals` "not relevant" from people like this one."""
    return score * 0.5 ** (max(dismissals, 0) / DISMISS_HALF)
