"""The cards' pure rules: the 80% moment on the working-day calendar (holidays and 调休
counted), what a clock owes on a given day, the lifecycle's refusals, the month's summary."""
from __future__ import annotations

from datetime import date

import pytest

from functions.intake.calendar import WorkCalendar, YearSchedule
from functions.supervision import cards_model as m

# A 国庆 like 2026's: Oct 1-8 off, Saturday Oct 10 an adjusted working day (调休).
CAL = WorkCalendar({2026: YearSchedule(
    year=2026, holidays=frozenset(date(2026, 10, d) for d in range(1, 9)),
    workdays=frozenset({date(2026, 10, 10)}))})


def _app(status="submitted", **deadlines):
    return {"status": status, "limits": {"promised_days": 20, "legal_days": 20},
            "deadlines": {k: {"due": v} for k, v in deadlines.items()}}


def test_the_80_percent_moment_counts_working_days_back_from_the_due_date():
    # 5 days: one working day left. Due Fri Oct 9: the working day before is Tue Sep 30.
    assert m.warn_day(date(2026, 10, 9), 5, CAL) == date(2026, 9, 30)
    # 20 days: four left before the due date; Sat Oct 10 is an adjusted working day.
    assert m.warn_day(date(2026, 10, 14), 20, CAL) == date(2026, 10, 9)
    # 1 or 2 days: 80% leaves no whole day, so the due day itself.
    assert m.warn_day(date(2026, 10, 12), 2, CAL) == date(2026, 10, 12)


def test_acting_within_the_limit_earns_no_card_and_a_same_day_promise_no_yellow():
    app = _app("accepted", promised="2026-10-09")
    # approved on the due day, past 80%: in time, so the move raises nothing; the day after: red
    assert m.late_kind(app, "promised", date(2026, 10, 9), CAL) is None
    assert m.late_kind(app, "promised", date(2026, 10, 10), CAL) == "promised_overdue"
    # 即办 (promised 0 days): no yellow on the due day, red once it has passed
    same_day = {**app, "limits": {"promised_days": 0, "legal_days": 20}}
    assert m.stage(same_day, "promised", date(2026, 10, 9), CAL) == (None, date(2026, 10, 10))
    assert m.stage(same_day, "promised", date(2026, 10, 10), CAL)[0] == "promised_overdue"


def test_what_a_running_clock_owes_each_day():
    app = _app(accept_by="2026-10-09")
    assert m.stage(app, "accept_by", date(2026, 9, 29), CAL) == (None, date(2026, 9, 30))
    assert m.stage(app, "accept_by", date(2026, 9, 30), CAL) == ("accept_80", date(2026, 10, 10))
    assert m.stage(app, "accept_by", date(2026, 10, 9), CAL)[0] == "accept_80"
    assert m.stage(app, "accept_by", date(2026, 10, 10), CAL) == ("accept_overdue", None)
    # Stopped, suspended or closed clocks owe nothing.
    assert m.stage({**app, "accepted": "2026-09-29T10:00"}, "accept_by", date(2026, 10, 10),
                   CAL) == (None, None)
    assert m.stage(_app("returned", accept_by="2026-10-09"), "accept_by", date(2026, 10, 10),
                   CAL) == (None, None)
    assert m.stage(_app("withdrawn", promised="2026-10-09"), "promised", date(2026, 10, 10),
                   CAL) == (None, None)
    susp = {"status": "accepted", "limits": {"promised_days": 5},
            "deadlines": {"promised": {"due": None, "suspended": True}}}
    assert m.stage(susp, "promised", date(2026, 10, 10), CAL) == (None, None)


def test_the_new_expected_date_after_a_broken_promise():
    app = {**_app("accepted", promised="2026-10-09", legal="2026-10-20")}
    assert m.new_expected(app, "promised", date(2026, 10, 12), CAL) == date(2026, 10, 20)
    # The legal limit passed as well (or acceptance): three working days from today.
    assert m.new_expected(app, "promised", date(2026, 10, 21), CAL) == date(2026, 10, 26)
    # Oct 9, the adjusted Saturday Oct 10, then Monday Oct 12.
    assert m.new_expected(app, "accept_by", date(2026, 9, 30), CAL) == date(2026, 10, 12)


def test_lifecycle_refusals():
    card = m.new_card(kind="promised_overdue", subject={"application": "MZ20261012000001"},
                      department="DAJ", region="441400", officer="o1", at="2026-10-12T10:00")
    assert card["id"] == "MZ20261012000001.promised_overdue" and m.is_id(card["id"])
    assert not m.is_id("MZ20261012000001.nonsense")
    with pytest.raises(m.NotAllowed):
        m.closed(card, note="x", by="o1", at="2026-10-13T10:00")
    done = m.explained(card, text="t", rectified=True, by="o1", at="2026-10-13T10:00")
    with pytest.raises(m.WrongState):
        m.explained(done, text="t", rectified=True, by="o1", at="2026-10-13T10:00")
    shut = m.closed(done, note="ok", by="sup", at="2026-10-14T10:00")
    with pytest.raises(m.WrongState):
        m.closed(shut, note="ok", by="sup", at="2026-10-14T10:00")
    assert m.age_days(card, date(2026, 10, 19)) == 7
    assert m.may_explain(card, subject="head1", is_head=True, department="DAJ", region="441400")
    assert not m.may_explain(card, subject="head1", is_head=True, department="DAJ",
                             region="441402")
    assert not m.may_explain(card, subject="o2", is_head=False, department="DAJ",
                             region="441400")


def test_the_month_summary_adds_departments_and_counties():
    rows = [{"department": "DAJ", "region": "441400", "yellow": 2, "red": 1, "closed": 1},
            {"department": "DAJ", "region": "441402", "yellow": 1, "red": 0, "closed": 0},
            {"department": "SWJ", "region": "441402", "yellow": 0, "red": 3, "closed": 2}]
    got = m.summary(rows)
    assert got["raised"] == {"yellow": 3, "red": 4} and got["closed"] == 3
    assert got["by_department"]["DAJ"] == {"yellow": 3, "red": 1, "closed": 1}
    assert got["by_county"]["441402"] == {"yellow": 1, "red": 3, "closed": 2}
    assert m.summary([]) == {"raised": {"yellow": 0, "red": 0}, "closed": 0,
                             "by_department": {}, "by_county": {}}
