"""The consultation rules on their own: who asks, where a question goes, the days left."""
from __future__ import annotations

from datetime import date

import pytest

from functions.intake.calendar import WorkCalendar
from functions.supervision import model

CAL = WorkCalendar()  # 2026 as the chinesecalendar package knows it


@pytest.mark.parametrize(("act", "asking", "allowed"), [
    (None, False, False),
    ({"kind": "person", "id": "p1", "role": "family"}, False, False),
    ({"kind": "enterprise", "id": "U", "role": "legal_rep"}, True, True),
    ({"kind": "enterprise", "id": "U", "role": "preparer"}, True, True),
    ({"kind": "enterprise", "id": "U", "role": "approver"}, True, True),
    ({"kind": "enterprise", "id": "U", "role": "viewer"}, True, False),
    ({"kind": "enterprise", "id": "U", "role": "viewer"}, False, True),
    ({"kind": "enterprise", "id": "U", "role": "family"}, False, False),
])
def test_who_asks_and_who_reads(act, asking, allowed):
    if allowed:
        assert model.asker_party(act, asking=asking) == "enterprise:U"
    else:
        with pytest.raises(model.NotAllowed):
            model.asker_party(act, asking=asking)


def test_a_question_goes_to_its_matters_place_else_the_county():
    matter = {"code": "441400-SCJGJ-0018", "department": "SCJGJ", "region": "441400"}
    assert model.place("SCJGJ", "441402", matter) == model.Place("SCJGJ", "441400")
    assert model.place("SWJ", "441402", None) == model.Place("SWJ", "441402")
    assert model.place("SWJ", None, None) == model.Place("SWJ", "441400")


def _q(due: str, status: str = "open", answered: str | None = None) -> dict:
    return {"due": due, "status": status, "answered": answered}


@pytest.mark.parametrize(("today", "left", "overdue"), [
    ("2026-09-30", 5, False),   # asked that day: Oct 8, 9, 10 (调休), 12, 13
    ("2026-10-05", 5, False),   # inside the holiday: nothing counted yet
    ("2026-10-12", 1, False),
    ("2026-10-13", 0, False),   # the due day
    ("2026-10-14", -1, True),
    ("2026-10-19", -4, True),   # Wed..Mon: 14, 15, 16, 19
])
def test_days_left_count_working_days(today, left, overdue):
    got = model.standing(_q("2026-10-13"), date.fromisoformat(today), CAL)
    assert got == {"days_left": left, "overdue": overdue}


def test_an_answered_question_has_no_days_left_and_says_whether_it_was_late():
    on_time = _q("2026-10-13", "answered", "2026-10-13T17:59:00.000+08:00")
    late = _q("2026-10-13", "answered", "2026-10-14T08:30:00.000+08:00")
    assert model.standing(on_time, date(2026, 12, 1), CAL) == {"days_left": None,
                                                               "overdue": False}
    assert model.standing(late, date(2026, 12, 1), CAL) == {"days_left": None, "overdue": True}


def test_one_answer_only():
    q = {**_q("2026-10-13"), "answer": None, "answered_by": None}
    done = model.answered(q, text="好", officer="o1", at="2026-10-12T10:00:00.000+08:00")
    assert (done["status"], done["answer"], done["answered_by"]) == ("answered", "好", "o1")
    with pytest.raises(model.AlreadyAnswered):
        model.answered(done, text="再答", officer="o2", at="2026-10-12T11:00:00.000+08:00")


def test_ids_and_subjects():
    qid = model.new_id("2026-12-02", "0123456789abcdef")
    assert qid == "Q202612020123456789ab" and model.is_id(qid)
    assert not model.is_id("Q2026120２0123456789ab")  # a full-width digit
    assert model.subject_of("  ", "问" * 40) == "问" * 29 + "…"
    assert model.subject_of(None, "短问题") == "短问题"
    assert model.subject_of(" 发票 ", "x") == "发票"
