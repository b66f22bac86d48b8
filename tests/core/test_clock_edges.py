"""Clock edges, as pure tests: month ends, statutory holidays and 调休 working days, the day of a
deadline and the day after, the year change, the quiet-hours boundary, and Beijing time (UTC+8,
no DST) against UTC. No storage: fast."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

import pytest

from functions.core import clock
from functions.intake.calendar import WorkCalendar

BJ = clock.CHINA
CAL = WorkCalendar()


def bj(*args) -> datetime:
    return datetime(*args, tzinfo=BJ)


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


# ---- Beijing time has no DST and is UTC+8 all year -----------------------------------------

def test_beijing_is_utc_plus_8_all_year_without_dst():
    for month in range(1, 13):
        at = utc(2026, month, 15, 12, 0)
        assert at.astimezone(BJ).utcoffset() == timedelta(hours=8)
        assert at.astimezone(BJ).dst() is None


# ---- working days: National Day week and the 调休 weekend days (chinesecalendar) --------------

def test_national_day_week_and_its_adjusted_working_days():
    # 2025: 1-8 October off; Sunday 28 September and Saturday 11 October are working days.
    assert CAL.is_workday(date(2025, 9, 28)) and CAL.is_workday(date(2025, 10, 11))
    assert not any(CAL.is_workday(date(2025, 10, d)) for d in range(1, 9))
    assert CAL.add_workdays(date(2025, 9, 26), 1).due == date(2025, 9, 28)   # Fri -> the 调休 Sun
    assert CAL.add_workdays(date(2025, 9, 30), 1).due == date(2025, 10, 9)   # over the week
    assert CAL.add_workdays(date(2025, 9, 30), 3).due == date(2025, 10, 11)  # the 调休 Sat
    assert CAL.add_workdays(date(2025, 10, 1), 5).due == date(2025, 10, 14)  # 9,10,11,13,14
    assert CAL.workdays_between(date(2025, 9, 27), date(2025, 10, 12)) == 6  # 28-30, 9-11


def test_the_year_change_for_working_day_limits():
    # 2026: 1-3 January off, Sunday 4 January a working day.
    assert not CAL.is_workday(date(2026, 1, 1)) and CAL.is_workday(date(2026, 1, 4))
    assert CAL.add_workdays(date(2025, 12, 31), 1).due == date(2026, 1, 4)
    got = CAL.add_workdays(date(2025, 12, 30), 5)
    assert got.due == date(2026, 1, 7) and not got.provisional


def test_a_year_nobody_has_announced_is_provisional():
    last = max(y for y in range(2020, 2101) if CAL.known(y))
    got = CAL.add_workdays(date(last, 12, 30), 5)
    assert got.provisional and got.unknown_years == (last + 1,)


# ---- the day of a deadline is still on time; the day after is late ----------------------------

def test_acting_on_the_due_day_is_on_time_and_the_day_after_is_late():
    from functions.supervision import cards_model

    app = {"status": "in_process", "accepted": "2025-09-26T10:00:00+08:00",
           "limits": {"promised_days": 5},
           "deadlines": {"promised": {"due": "2025-10-10"}}}
    assert cards_model.late_kind(app, "promised", date(2025, 10, 10), CAL) is None
    assert cards_model.late_kind(app, "promised", date(2025, 10, 11), CAL) == "promised_overdue"
    # The 80% warning falls on a working day before the due date, never inside the holiday.
    warn = cards_model.warn_day(date(2025, 10, 10), 5, CAL)
    assert warn == date(2025, 10, 9) and CAL.is_workday(warn)


def test_a_correction_deadline_across_the_holiday():
    # 15 working days after Monday 29 September: 30 Sep, 9, 10, 11 (调休), 13-17, 20-24, 27 Oct.
    assert CAL.add_workdays(date(2025, 9, 29), 15).due == date(2025, 10, 27)


# ---- month ends -----------------------------------------------------------------------------

def test_month_ends():
    from functions.pages import model as pages_model
    from functions.pages import rules

    assert rules.plus_months(date(2026, 1, 31), 1) == date(2026, 2, 1)   # months of age: 1st
    assert rules.plus_months(date(2025, 12, 31), 1) == date(2026, 1, 1)  # over the year
    assert pages_model._minus(date(2026, 3, 31), 1, 0) == date(2026, 2, 28)
    assert pages_model._minus(date(2028, 3, 31), 1, 0) == date(2028, 2, 29)  # leap year
    assert pages_model._minus(date(2026, 1, 31), 1, 0) == date(2025, 12, 31)
    assert rules.birthday(date(2000, 2, 29), 60) == date(2060, 2, 29)
    assert rules.birthday(date(2000, 2, 29), 61) == date(2061, 2, 28)


def test_a_licence_issued_on_29_february_expires_on_28_february():
    from functions.licences import model as licences_model

    ltype = {"code": "t", "name": "测试证", "name_en": "test licence", "holder": "person",
             "validity_years": 5, "fields": []}
    payload, _ = licences_model.new_licence(
        ltype, lid="L1", number="N1", holder_kind="person", holder_id="a", holder_name="x",
        fields={}, issued=bj(2028, 2, 29, 9), issuer={"department": "MZJ"}, application=None)
    assert payload["expires"] == "2033-02-28"


def test_the_tax_filing_deadline_over_the_year_change():
    from functions.pages import model as pages_model

    # January 2026: 1-3 January is a run of 3 rest days before the 15th: 3 more working days.
    assert pages_model.tax_deadline(2026, 1, 15, CAL) == date(2026, 1, 20)
    # October 2025: the National Day week extends the 15th by its 8 days off.
    assert pages_model.tax_deadline(2025, 10, 15, CAL) == date(2025, 10, 27)
    # December 2025: no long holiday; the 15th is a Monday.
    assert pages_model.tax_deadline(2025, 12, 15, CAL) == date(2025, 12, 15)


# ---- quiet hours at exactly 21:00 and 08:00 Beijing, given in UTC --------------------------------

QUIET = {"start": "21:00", "end": "08:00"}


def test_the_quiet_hours_boundaries():
    from functions.push import preferences_model as pm

    assert pm.in_quiet(QUIET, bj(2026, 1, 31, 21, 0))            # start: inclusive
    assert not pm.in_quiet(QUIET, bj(2026, 1, 31, 20, 59))
    assert pm.in_quiet(QUIET, bj(2026, 2, 1, 7, 59))
    assert not pm.in_quiet(QUIET, bj(2026, 2, 1, 8, 0))          # end: exclusive
    assert pm.in_quiet(QUIET, bj(2026, 12, 31, 23, 59))          # over the year change


def _prefs():
    from functions.push import preferences_model as pm

    prefs = pm.normalise(None)
    topic = next(t for t, v in prefs["topics"].items() if v.get("subscribed")
                 and t not in ("legal", "security"))
    prefs["quiet_hours"] = dict(QUIET)
    return prefs, {"topic": topic}


def test_a_message_at_21_beijing_given_as_13_utc_waits_until_08():
    from functions.push import preferences_model as pm

    prefs, message = _prefs()
    d = pm.decide(prefs, message, now=utc(2026, 12, 31, 13, 0), sent_today=0, sent_week=0)
    assert d.reason == "quiet_hours"
    assert d.defer_until == utc(2027, 1, 1, 0, 0)               # 08:00 Beijing, 1 January
    d = pm.decide(prefs, message, now=utc(2026, 12, 31, 12, 59), sent_today=0, sent_week=0)
    assert d.defer_until is None
    d = pm.decide(prefs, message, now=utc(2027, 1, 1, 0, 0), sent_today=0, sent_week=0)
    assert d.defer_until is None                                 # 08:00 sharp: sent


def test_daily_caps_count_beijing_days_and_weeks():
    from functions.push import preferences_model as pm

    assert pm.day_key(utc(2026, 1, 31, 15, 59)) == "2026-01-31"
    assert pm.day_key(utc(2026, 1, 31, 16, 30)) == "2026-02-01"  # 00:30 Beijing
    assert pm.day_key(utc(2026, 12, 31, 16, 0)) == "2027-01-01"
    # Sunday 16:30 UTC is Monday in Beijing: the next week's cap.
    assert pm.week_key(utc(2026, 11, 29, 16, 30)) == "2026-W49"
    assert pm.week_key(utc(2026, 11, 29, 15, 59)) == "2026-W48"
    prefs, message = _prefs()
    prefs["quiet_hours"] = None
    caps = prefs.get("caps") or pm.DEFAULT_CAPS
    d = pm.decide(prefs, message, now=utc(2026, 1, 31, 15, 0), sent_today=caps["per_day"],
                  sent_week=0)
    assert d.reason == "cap_day" and d.defer_until == utc(2026, 1, 31, 16, 0)  # Beijing midnight


def test_a_digest_hour_is_a_beijing_hour():
    from functions.push import preferences_model as pm

    prefs, message = _prefs()
    prefs["quiet_hours"] = None
    prefs["digest"] = {"enabled": True, "at": "19:00"}
    d = pm.decide(prefs, message, now=utc(2026, 1, 31, 11, 30), sent_today=0, sent_week=0)
    assert d.digest and d.defer_until == utc(2026, 1, 31, 11, 0) + timedelta(days=1)  # 19:30 BJ
    d = pm.decide(prefs, message, now=utc(2026, 1, 31, 10, 59), sent_today=0, sent_week=0)
    assert d.defer_until == utc(2026, 1, 31, 11, 0)


# ---- indicator months and days: Beijing's, whatever offset a time is written in ---------------

def test_an_event_at_16_30_utc_counts_in_the_next_beijing_month():
    from functions.supervision import indicators
    from functions.supervision.page_use import month_at

    assert month_at(utc(2026, 1, 31, 16, 30)) == "2026-02"
    assert month_at(utc(2026, 12, 31, 16, 30)) == "2027-01"
    assert month_at(utc(2026, 12, 31, 15, 59)) == "2026-12"
    before = {"id": "MZ20260131000001", "department": "RSJ", "region": "441400",
              "status": "submitted", "channel": "online", "matter": "441400-RSJ-0015"}
    after = {**before, "status": "accepted", "accepted": "x"}
    settings = SimpleNamespace(table_name="t")
    for at in ("2026-02-01T00:30:00.000+08:00", "2026-01-31T16:30:00.000+00:00",
               "2026-01-31T16:30:00Z"):
        items = indicators.move_items(settings, before, after, at=at)
        marker = items[0]["Put"]["Item"] if "Put" in items[0] else items[0]
        assert marker["pk"]["S"] == "INDAPP#2026-02", at


def test_grants_expire_at_the_end_of_the_beijing_day():
    from functions.identity import model as identity_model

    grant = {"status": "active", "expires": "2026-01-31",
             "accept_by": "2026-01-20T00:00:00+08:00"}
    assert identity_model.grant_status(grant, bj(2026, 1, 31, 23, 59)) == "active"
    assert identity_model.grant_status(grant, bj(2026, 2, 1, 0, 0)) == "expired"
    assert identity_model.grant_status(grant, utc(2026, 1, 31, 16, 0)) == "expired"  # 00:00 BJ
    assert identity_model.grant_status(grant, utc(2026, 1, 31, 15, 59)) == "active"


@pytest.mark.parametrize("at, day", [("2026-12-31T16:30:00+00:00", "2027-01-01"),
                                     ("2026-12-31T23:59:59.999+08:00", "2026-12-31")])
def test_the_beijing_day_of_a_time(at, day):
    assert clock.beijing_day(at) == day
