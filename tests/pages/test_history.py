"""The history ranking: what people did next, above a support threshold; the region's hot
services when there is no history; and the dismissal down-weighting."""
from __future__ import annotations

from functions.pages import history


def test_next_after_ranks_by_count_and_drops_what_lacks_support():
    counts = {"B": 10, "C": 10, "D": 4, "E": 2, "F": 30}
    got = history.next_after(counts, top=3)
    assert [c for c, _ in got] == ["F", "B", "C"]            # ties by code, stable
    assert got[0][1] == 30 / 56
    assert "E" not in [c for c, _ in history.next_after(counts, top=10)]  # 2 < MIN_SUPPORT
    assert history.next_after({}, top=5) == []
    assert [c for c, _ in history.next_after(counts, exclude={"F"}, top=2)] == ["B", "C"]


def test_a_small_share_is_noise_even_with_support():
    counts = {"A": 1000, "B": 3}
    assert [c for c, _ in history.next_after(counts)] == ["A"]


def test_predict_follows_the_last_matter_then_earlier_ones_then_the_hot_services():
    transitions = {"X": {"A": 9, "B": 6}, "Y": {"C": 5, "A": 5}}
    hot = {"H1": 50, "H2": 40, "A": 100, "X": 80}
    got = history.predict(["X", "Y"], transitions, hot, top=5)
    assert [c for c, _, _ in got] == ["A", "B", "C", "H1", "H2"]
    assert [p for _, _, p in got] == ["X", "X", "Y", None, None]
    # without any history: the region's hot services, minus what was dismissed
    cold = history.predict([], transitions, hot, exclude={"A"}, top=3)
    assert [(c, p) for c, _, p in cold] == [("X", None), ("H1", None), ("H2", None)]


def test_the_last_matter_itself_is_never_predicted():
    got = history.predict(["X"], {"X": {"X": 50, "A": 5}}, {"X": 10}, top=5)
    assert [c for c, _, _ in got] == ["A"]


def test_dismissals_halve_a_score_every_five():
    assert history.damped(1.0, 0) == 1.0
    assert history.damped(1.0, history.DISMISS_HALF) == 0.5
    assert history.damped(1.0, 2 * history.DISMISS_HALF) == 0.25
    assert history.damped(1.0, 1) < 1.0
