"""The search-miss report reads a closed day once per warm function: a 90-day report makes
two Queries (today and yesterday) once the days before are known."""
from __future__ import annotations

from datetime import date, datetime

from functions.core import clock
from functions.hall import service, store

# A far-away quarter of its own, so that no other test's misses are counted here.
TODAY = date(2031, 3, 31)


def _counting(monkeypatch) -> list[str]:
    days: list[str] = []
    real = store.misses_of_day

    def counted(settings, day):
        days.append(day)
        return real(settings, day)

    monkeypatch.setattr(store, "misses_of_day", counted)
    return days


def _record(settings, q: str, day: date) -> None:
    at = datetime(day.year, day.month, day.day, 10, tzinfo=clock.CHINA)
    store.record_miss(settings, q, day.isoformat(), clock.iso(at))


def test_a_ninety_day_report_reads_each_closed_day_once(settings, monkeypatch):
    _record(settings, "misses-bound-old", date(2031, 1, 5))
    _record(settings, "misses-bound-old", date(2031, 2, 5))
    _record(settings, "misses-bound-new", TODAY)
    days = _counting(monkeypatch)
    first = service.search_misses(settings, days=90, today=TODAY)
    assert len(days) == 90
    days.clear()
    again = service.search_misses(settings, days=90, today=TODAY)
    assert days == [TODAY.isoformat(), "2031-03-30"]
    assert again == first
    counts = {m["q"]: m["count"] for m in again}
    assert counts == {"misses-bound-old": 2, "misses-bound-new": 1}


def test_today_and_yesterday_are_read_afresh(settings):
    today = date(2031, 5, 20)
    service.search_misses(settings, days=7, today=today)  # every day known, all empty
    _record(settings, "misses-bound-fresh", today)
    _record(settings, "misses-bound-fresh", date(2031, 5, 19))
    got = service.search_misses(settings, days=7, today=today)
    assert [(m["q"], m["count"]) for m in got] == [("misses-bound-fresh", 2)]
    assert got[0]["last_seen"].startswith("2031-05-20T10:00")
