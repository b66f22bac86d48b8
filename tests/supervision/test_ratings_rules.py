"""The 好差评 rules on their own: what may be rated, the tags of each level, the masked comment,
the rectification's due date and days left, the call-back / appeal / decision steps, and the
summaries (no ratings: no satisfaction rate, never a division by zero)."""
from __future__ import annotations

from datetime import date

import pytest

from functions.core.errors import Conflict
from functions.intake.calendar import WorkCalendar
from functions.supervision import ratings_model as model

CAL = WorkCalendar()
AT = "2026-09-29T10:00:00.000+08:00"
APP = {"id": "MZ20260929000001", "matter": "441400-RSJ-0015", "matter_name": "社会保障卡申领",
       "department": "RSJ", "region": "441400", "channel": "online", "owner": "person:p1",
       "status": "approved"}


def _rating(level: int) -> dict:
    due = model.rectify_due(CAL, AT) if level in model.BAD_LEVELS else None
    return model.new_rating(APP, level=level, tags=[], comment="", at=AT, by="p1",
                            rectify_due=due)


@pytest.mark.parametrize("status", ["draft", "submitted", "accepted", "in_process", "returned",
                                    "not_accepted", "withdrawn", "lapsed"])
def test_only_a_completed_application_is_rated(status):
    with pytest.raises(Conflict):
        model.rateable({**APP, "status": status})
    model.rateable({**APP, "status": "refused"})


def test_each_level_offers_its_own_tags():
    assert model.tags_fit(5, ["efficient", "one_visit"]) == []
    assert model.tags_fit(5, ["overdue"]) == ["overdue"]
    assert model.tags_fit(1, ["overdue", "materials_outside_guide", "efficient"]) == ["efficient"]
    assert set(model.TAG_ZH) == {t for tags in model.TAGS.values() for t in tags}
    assert model.TAGS[2][:3] == ("overdue", "materials_outside_guide", "conditions_outside_guide")


def test_the_comment_is_masked_of_numbers_and_the_applicants_names():
    text = "我是欧阳志明，代办人李明，身份证441402199001011234，电话13800138000。李明很满意"
    got = model.masked_comment(text, ["欧阳志明", "李明", "", "王"])
    assert got == "我是欧**明，代办人李*，身份证441402********1234，电话138****8000。李*很满意"


def test_a_bad_rating_opens_a_rectification_due_in_15_working_days():
    good, bad = _rating(3), _rating(2)
    assert (good["state"], good["rectification"]) == ("rated", None)
    # 2026-09-30, then the National Day holiday (10-01..10-08) counts nothing.
    assert bad["state"] == "rectifying" and bad["rectification"]["due"] == "2026-10-26"
    assert model.standing(bad, date(2026, 10, 26), CAL) == {"days_left": 0, "overdue": False}
    assert model.standing(bad, date(2026, 10, 27), CAL) == {"days_left": -1, "overdue": True}


def test_call_back_once_then_appeal_once_and_a_decision():
    bad = _rating(1)
    back = model.called_back(bad, text="已回访", rectified=False, by="o1", at=AT)
    assert back["state"] == "called_back" and back["callback"]["late"] is False
    with pytest.raises(Conflict):
        model.called_back(back, text="再次", rectified=True, by="o1", at=AT)
    appealed = model.appealed(back, reason="恶意", by="o1", at=AT)
    with pytest.raises(Conflict):
        model.appealed(appealed, reason="再次", by="o1", at=AT)
    rejected = model.decided(appealed, upheld=False, note="", by="s1", at=AT)
    assert rejected["state"] == "called_back" and rejected["appeal"]["decision"]["upheld"] is False
    with pytest.raises(Conflict):
        model.appealed(rejected, reason="第三次", by="o1", at=AT)
    upheld = model.decided(model.appealed(bad, reason="恶意", by="o1", at=AT), upheld=True,
                           note="查实", by="s1", at=AT)
    assert upheld["state"] == "upheld"
    with pytest.raises(Conflict):
        model.decided(upheld, upheld=False, note="", by="s1", at=AT)
    with pytest.raises(Conflict):
        model.appealed(_rating(4), reason="好评也申诉", by="o1", at=AT)


def test_a_late_call_back_is_marked_late():
    late = model.called_back(_rating(2), text="回访", rectified=True, by="o1",
                             at="2026-10-27T09:00:00.000+08:00")
    assert late["callback"]["late"] is True


def test_summaries_count_levels_and_say_none_without_ratings():
    assert model.summary({}) == {"count": 0, "by_level": {"5": 0, "4": 0, "3": 0, "2": 0,
                                                          "1": 0}, "satisfaction": None}
    got = model.month_summary("2026-11", [("RSJ", "441400", {5: 2, 1: 1}),
                                          ("RSJ", "441402", {3: 1}),
                                          ("SWJ", "441402", {2: 4})])
    assert (got["count"], got["satisfaction"]) == (8, 0.375)
    assert got["by_department"]["RSJ"]["count"] == 4
    assert got["by_department"]["RSJ"]["satisfaction"] == 0.75
    assert got["by_county"]["441402"]["by_level"]["2"] == 4
    assert model.month_summary("2026-12", [])["satisfaction"] is None


def test_views_hide_the_party_and_the_sealed_original():
    r = {**_rating(2), "sealed_comment": "x"}
    staff = model.for_staff(r, {"days_left": 3, "overdue": False})
    assert "owner" not in staff and "sealed_comment" not in staff and staff["party"] == "person"
    assert set(model.for_public(r)) == {"level", "tags", "comment", "rated_at", "matter",
                                        "matter_name", "department", "region"}
    assert model.for_applicant(r)["rectification_due"] == r["rectification"]["due"]
