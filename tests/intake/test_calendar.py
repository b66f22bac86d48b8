"""The working-day clock: 2026 holidays as published, and a deadline crossing into 2027."""
from __future__ import annotations

from datetime import date, datetime, timedelta

import chinese_calendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from functions.intake.calendar import (
    Deadline,
    ScheduleError,
    WorkCalendar,
    YearSchedule,
    package_schedule,
    parse_schedule,
)

D = date.fromisoformat


def days(first: str, last: str) -> list[str]:
    a, b = D(first), D(last)
    return [(a + timedelta(i)).isoformat() for i in range((b - a).days + 1)]


# A plausible 2027 schedule, made up for the tests (not the State Council's notice):
# 元旦 Fri 1 Jan to Sun 3 Jan; 春节 (Sat 6 Feb 2027) from 除夕 Fri 5 Feb to Sat 13 Feb, with
# Sun 31 Jan and Sat 20 Feb as adjusted working days.
UPLOAD_2027 = {
    "year": 2027,
    "holidays": days("2027-01-01", "2027-01-03") + days("2027-02-05", "2027-02-13"),
    "workdays": ["2027-01-31", "2027-02-20"],
    "source": "国办发明电〔2026〕X号（测试）",
}


@pytest.fixture(scope="module")
def cal() -> WorkCalendar:
    return WorkCalendar()


@pytest.fixture(scope="module")
def cal27() -> WorkCalendar:
    return WorkCalendar({2027: parse_schedule(UPLOAD_2027)})


# --- 2026 as the package encodes the State Council's notice -------------------------------

def test_package_knows_2026_not_2027():
    s = package_schedule(2026)
    assert s is not None and s.year == 2026
    assert package_schedule(2027) is None
    assert package_schedule(2003) is None


def test_package_schedule_2026_national_day_and_spring_festival():
    s = package_schedule(2026)
    assert {D(x) for x in days("2026-10-01", "2026-10-07")} <= s.holidays
    assert {D(x) for x in days("2026-02-15", "2026-02-23")} <= s.holidays
    # Weekend days inside a holiday are listed (Sat 3 Oct), ordinary weekends are not.
    assert D("2026-10-03") in s.holidays and D("2026-10-17") not in s.holidays
    assert s.workdays == {D(x) for x in (
        "2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10",
    )}


def test_package_schedule_agrees_with_package_every_day():
    for year in (2024, 2025, 2026):
        cal = WorkCalendar()
        d = date(year, 1, 1)
        while d.year == year:
            assert cal.is_workday(d) == chinese_calendar.is_workday(d), d
            d += timedelta(1)


def test_national_day_2026(cal):
    for x in days("2026-10-01", "2026-10-07"):
        assert not cal.is_workday(D(x)), x
    assert cal.is_workday(D("2026-10-08"))
    # Wed 30 Sep + 1 lands after the holiday, on Thu 8 Oct.
    assert cal.add_workdays(D("2026-09-30"), 1) == Deadline(D("2026-10-08"), False, ())
    # ...and +3 is Sat 10 Oct, an adjusted working day (Oct 8, 9, 10).
    assert cal.add_workdays(D("2026-09-30"), 3).due == D("2026-10-10")
    assert cal.add_workdays(D("2026-09-30"), 4).due == D("2026-10-12")
    assert cal.workdays_between(D("2026-09-30"), D("2026-10-10")) == 3


def test_mid_autumn_2026_and_adjusted_sunday(cal):
    # Sun 20 Sep 2026 is worked; Fri 25 Sep is 中秋.
    assert cal.is_workday(D("2026-09-20"))
    assert cal.add_workdays(D("2026-09-18"), 1).due == D("2026-09-20")
    assert not cal.is_workday(D("2026-09-25"))
    assert cal.add_workdays(D("2026-09-24"), 1).due == D("2026-09-28")


def test_spring_festival_2026(cal):
    for x in days("2026-02-15", "2026-02-23"):
        assert not cal.is_workday(D(x)), x
    # Sat 14 Feb and Sat 28 Feb are adjusted working days and count.
    assert cal.is_workday(D("2026-02-14")) and cal.is_workday(D("2026-02-28"))
    assert cal.add_workdays(D("2026-02-13"), 1).due == D("2026-02-14")
    assert cal.add_workdays(D("2026-02-14"), 1).due == D("2026-02-24")
    assert cal.add_workdays(D("2026-02-13"), 6).due == D("2026-02-28")
    assert cal.workdays_between(D("2026-02-13"), D("2026-02-28")) == 6
    assert cal.next_workday(D("2026-02-14")) == D("2026-02-24")


def test_new_year_2026_adjusted_sunday(cal):
    assert cal.add_workdays(D("2025-12-31"), 1).due == D("2026-01-04")


def test_zero_days(cal):
    assert cal.add_workdays(D("2026-10-08"), 0).due == D("2026-10-08")  # working day
    assert cal.add_workdays(D("2026-10-01"), 0).due == D("2026-10-08")  # holiday
    assert cal.add_workdays(D("2026-10-10"), 0).due == D("2026-10-10")  # adjusted Saturday
    assert cal.add_workdays(D("2026-10-11"), 0).due == D("2026-10-12")  # ordinary Sunday
    assert cal.add_workdays(D("2027-01-01"), 0) == Deadline(D("2027-01-01"), True, (2027,))
    assert cal.add_workdays(D("2026-12-31"), 0) == Deadline(D("2026-12-31"), False, ())


def test_bad_arguments(cal):
    with pytest.raises(ValueError):
        cal.add_workdays(D("2026-10-08"), -1)
    with pytest.raises(TypeError):
        cal.add_workdays(datetime(2026, 10, 8, 9), 1)
    assert cal.workdays_between(D("2026-10-08"), D("2026-10-08")) == 0
    assert cal.workdays_between(D("2026-10-09"), D("2026-10-08")) == 0


# --- a deadline that crosses into the unannounced 2027 ------------------------------------

def test_deadline_into_unknown_year_is_provisional(cal):
    assert cal.known(2026) and not cal.known(2027)
    # Sun 20 Dec 2026: 9 working days to 31 Dec, then Fri 1 Jan 2027 (weekdays only) is the
    # 10th, and 4-8, 11-15 Jan the 11th-20th.
    deadline = cal.add_workdays(D("2026-12-20"), 20)
    assert deadline == Deadline(D("2027-01-15"), True, (2027,))
    assert deadline.to_dict() == {"due": "2027-01-15", "provisional": True,
                                  "unknown_years": [2027]}
    assert cal.workdays_between(D("2026-12-20"), D("2027-01-15")) == 20
    assert cal.unknown_years_between(D("2026-12-20"), D("2027-01-15")) == (2027,)
    assert cal.unknown_years_between(D("2026-12-20"), D("2026-12-31")) == ()
    assert cal.add_workdays(D("2026-12-31"), 1) == Deadline(D("2027-01-01"), True, (2027,))
    # Ending on 31 Dec touches no 2027 day: firm.
    assert cal.add_workdays(D("2026-12-20"), 9) == Deadline(D("2026-12-31"), False, ())


def test_loading_2027_moves_the_deadline_and_clears_provisional(cal27):
    assert cal27.known(2027)
    # 元旦 is off: 4-8 Jan are the 10th-14th, 11-15 Jan the 15th-19th, Mon 18 Jan the 20th.
    assert cal27.add_workdays(D("2026-12-20"), 20) == Deadline(D("2027-01-18"), False, ())
    assert cal27.add_workdays(D("2026-12-31"), 1).due == D("2027-01-04")
    # The 2027 Spring Festival: Sun 31 Jan is worked, 5-13 Feb off, Sat 20 Feb worked.
    assert cal27.add_workdays(D("2027-01-29"), 1).due == D("2027-01-31")
    assert cal27.add_workdays(D("2027-02-04"), 1).due == D("2027-02-15")
    assert cal27.is_workday(D("2027-02-20"))
    # 2028 is unknown to both: crossing it is provisional again.
    assert cal27.add_workdays(D("2027-12-30"), 2) == Deadline(D("2028-01-03"), True, (2028,))


def test_loaded_schedule_overrides_package_for_known_year():
    base = package_schedule(2026)
    corrected = YearSchedule(2026, base.holidays | {D("2026-12-31")}, base.workdays)
    cal = WorkCalendar({2026: corrected})
    assert not cal.is_workday(D("2026-12-31"))
    assert cal.add_workdays(D("2026-12-30"), 1) == Deadline(D("2027-01-01"), True, (2027,))
    assert WorkCalendar().is_workday(D("2026-12-31"))


def test_loaded_under_wrong_year_rejected():
    with pytest.raises(ValueError):
        WorkCalendar({2028: parse_schedule(UPLOAD_2027)})


def test_stored_schedule_with_decimal_year_and_extra_keys():
    from decimal import Decimal

    stored = {**parse_schedule(UPLOAD_2027).to_dict(), "source": "x", "pk": "schedule#2027"}
    stored["year"] = Decimal(2027)
    cal = WorkCalendar({stored["year"]: YearSchedule.from_dict(stored)})
    assert cal.known(2027) and cal.add_workdays(D("2026-12-20"), 20).due == D("2027-01-18")


def test_schedule_round_trip():
    s = parse_schedule(UPLOAD_2027)
    data = s.to_dict()
    assert data["holidays"][0] == "2027-01-01" and data["holidays"] == sorted(data["holidays"])
    assert data["workdays"] == ["2027-01-31", "2027-02-20"]
    assert YearSchedule.from_dict(data) == s
    assert YearSchedule.from_dict(package_schedule(2026).to_dict()) == package_schedule(2026)


# --- parse_schedule rejections -------------------------------------------------------------

def upload(**changes) -> dict:
    return {**UPLOAD_2027, **changes}


@pytest.mark.parametrize(("data", "field"), [
    (upload(year=1999), "year"),
    (upload(year=2101), "year"),
    (upload(year="2027"), "year"),
    (upload(year=True), "year"),
    ({k: v for k, v in UPLOAD_2027.items() if k != "year"}, "year"),
    (upload(holidays=["2026-12-31"]), "holidays"),  # outside the year
    (upload(workdays=["2028-01-01"]), "workdays"),  # outside the year
    (upload(holidays=["2027-02-30"]), "holidays"),  # not a date
    (upload(holidays=["20270101"]), "holidays"),  # not YYYY-MM-DD
    (upload(holidays="2027-01-01"), "holidays"),  # not a list
    (upload(holidays=[]), "holidays"),
    (upload(holidays=["2027-01-01", "2027-01-01"]), "holidays"),
    (upload(holidays=days("2027-01-01", "2027-02-10")), "holidays"),  # 41 > 40
    (upload(workdays=["2027-02-08"]), "workdays"),  # a Monday
    (upload(workdays=["2027-01-02"]), "workdays"),  # Saturday, also a holiday: overlap
    (upload(workdays=[f"2027-{m:02d}-{d:02d}" for m, d in (  # 16 Saturdays > 15
        (3, 6), (3, 13), (3, 20), (3, 27), (4, 3), (4, 10), (4, 17), (4, 24),
        (5, 1), (5, 8), (5, 15), (5, 22), (5, 29), (6, 5), (6, 12), (6, 19))]), "workdays"),
    (upload(holiday=["2027-01-01"]), "holiday"),  # misspelt key
    (upload(source=12), "source"),
    ([], "schedule"),
])
def test_parse_schedule_rejects(data, field):
    with pytest.raises(ScheduleError) as err:
        parse_schedule(data)
    assert err.value.field == field
    assert err.value.zh and str(err.value).startswith(f"{field}: ")


def test_parse_schedule_allows_weekend_holidays():
    s = parse_schedule(upload(holidays=["2027-01-02", "2027-01-03"], workdays=[]))
    assert s.holidays == {D("2027-01-02"), D("2027-01-03")} and s.workdays == frozenset()


# --- properties -----------------------------------------------------------------------------

dates = st.dates(min_value=date(2024, 1, 1), max_value=date(2028, 12, 31))
counts = st.integers(min_value=0, max_value=400)
calendars = st.sampled_from([WorkCalendar(), WorkCalendar({2027: parse_schedule(UPLOAD_2027)})])


@settings(max_examples=300, deadline=None)
@given(calendars, dates, counts, counts)
def test_monotonic_in_n(cal, d, n, m):
    n, m = sorted((n, m))
    assert cal.add_workdays(d, n).due <= cal.add_workdays(d, m).due


@settings(max_examples=300, deadline=None)
@given(calendars, dates, dates, counts)
def test_monotonic_in_start(cal, d, e, n):
    d, e = sorted((d, e))
    assert cal.add_workdays(d, n).due <= cal.add_workdays(e, n).due


@settings(max_examples=300, deadline=None)
@given(calendars, dates, st.integers(min_value=1, max_value=400))
def test_between_inverts_add(cal, d, n):
    deadline = cal.add_workdays(d, n)
    assert cal.workdays_between(d, deadline.due) == n
    assert cal.is_workday(deadline.due)
    assert deadline.provisional == bool(deadline.unknown_years)
    assert deadline.unknown_years == cal.unknown_years_between(d, deadline.due)


@settings(max_examples=100, deadline=None)
@given(calendars, dates, st.integers(min_value=0, max_value=60))
def test_between_matches_day_by_day_count(cal, d, k):
    e = d + timedelta(k)
    expected = sum(cal.is_workday(d + timedelta(i)) for i in range(1, k + 1))
    assert cal.workdays_between(d, e) == expected

