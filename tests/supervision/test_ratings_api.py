"""好差评 through the API: the applicant rates a completed application once; someone else's is
unknown; an unfinished one cannot be rated; a bad rating opens a rectification due in 15
working days; the department calls back (the applicant is told) or appeals with a reason; a
supervisor decides; everything the staff do is audited."""
from __future__ import annotations

import pytest

from functions.supervision import ratings_store
from tests.helpers import ok
from tests.licences.factories import assert_audited
from tests.supervision.rating_factories import (
    OFFICER,
    RATE,
    SUPERVISION,
    applicant,
    completed,
    headers,
    submitted,
)


def _rate(client, h, app_id, status=201, **fields):
    body = {"level": 5, "tags": ["efficient"], "comment": "很快就办好了", **fields}
    return ok(client.post(RATE.format(app_id), headers=h, json=body), status)


@pytest.fixture
def rsj(token):
    return token("officer", department="RSJ", region="441400", subject="rating-rsj")


@pytest.fixture
def sup(token):
    return token("supervisor", kind="supervisor", subject="rating-sup")


def test_a_completed_application_is_rated_once(client, token, settings):
    who = applicant(settings)
    app = completed(settings, who)
    h = headers(token, who)
    got = _rate(client, h, app["id"], level=4, tags=["courteous", "one_visit"])
    assert (got["level"], got["tags"], got["state"]) == (4, ["courteous", "one_visit"], "rated")
    assert ok(client.get(RATE.format(app["id"]), headers=h))["id"] == got["id"]
    # Twice: 409, and the first stands.
    err = _rate(client, h, app["id"], 409, level=1, tags=["overdue"])["error"]
    assert err["details"] == {"rated": True}
    assert ok(client.get(RATE.format(app["id"]), headers=h))["level"] == 4


def test_someone_elses_application_is_unknown_and_an_open_one_cannot_be_rated(
        client, token, settings):
    owner, other = applicant(settings), applicant(settings)
    app = completed(settings, owner)
    _rate(client, headers(token, other), app["id"], 404)
    _rate(client, headers(token, owner), "MZ20990101999999", 404)
    pending = submitted(settings, owner)
    err = _rate(client, headers(token, owner), pending["id"], 409)["error"]
    assert err["details"] == {"status": "submitted"}
    assert ratings_store.get(settings, f"R{app['id']}") is None


@pytest.mark.parametrize(("fields", "bad"), [
    ({"level": 6}, "level"), ({"level": 0}, "level"), ({"level": "5"}, "level"),
    ({"tags": ["nonsense"]}, "tags"), ({"level": 5, "tags": ["overdue"]}, "tags"),
    ({"comment": "差" * 501}, "comment"),
])
def test_bad_input_is_refused_by_field(client, token, settings, fields, bad):
    who = applicant(settings)
    app = completed(settings, who)
    err = _rate(client, headers(token, who), app["id"], 422, **fields)["error"]
    assert bad in err["details"]["fields"]


def test_a_bad_rating_is_rectified_called_back_and_the_applicant_told(
        client, token, settings, rsj, sup):
    who = applicant(settings)
    app = completed(settings, who, action="refuse")
    h = headers(token, who)
    comment = "让我补了指南上没有的材料，电话13812345678打不通"
    got = _rate(client, h, app["id"], level=1, tags=["materials_outside_guide", "overdue"],
                comment=comment)
    assert got["state"] == "rectifying" and "13812345678" not in got["comment"]
    listed = ok(client.get(OFFICER, headers=rsj, query_string={"limit": 100}))["items"]
    mine = next(r for r in listed if r["id"] == got["id"])
    assert mine["rectification"]["days"] == 15 and mine["days_left"] >= 14
    assert "owner" not in mine and "sealed_comment" not in mine
    open_ = ok(client.get(SUPERVISION, headers=sup, query_string={
        "state": "rectifying", "department": "RSJ", "county": "441400", "limit": 100}))
    assert got["id"] in [r["id"] for r in open_["items"]]

    done = ok(client.post(f"{OFFICER}/{got['id']}/callback", headers=rsj,
                          json={"text": "已电话回访，材料清单已按指南更正", "rectified": True}))
    assert done["state"] == "called_back" and done["callback"]["rectified"] is True
    row = assert_audited(settings, "rating-rsj", "rating.callback", got["id"])
    assert row["result"] == "ok"
    ok(client.post(f"{OFFICER}/{got['id']}/callback", headers=rsj,
                   json={"text": "再次回访", "rectified": True}), 409)
    notice = ok(client.get("/api/v1/me/inbox", headers=h))["items"][0]
    assert notice["title"] == "您的评价已有回访"
    assert notice["link"] == f"/#/applications/{app['id']}"
    assert ok(client.get(RATE.format(app["id"]), headers=h))["callback"]["rectified"] is True


def test_an_appeal_needs_a_reason_and_a_supervisor_decides(client, token, settings, rsj, sup):
    who = applicant(settings)
    app = completed(settings, who)
    got = _rate(client, headers(token, who), app["id"], level=2, tags=["attitude"],
                comment="乱评")
    url = f"{OFFICER}/{got['id']}/appeal"
    for body in ({}, {"reason": "   "}):
        err = ok(client.post(url, headers=rsj, json=body), 422)["error"]
        assert list(err["details"]["fields"]) == ["reason"]
    # Another department's officer does not see it.
    other = token("officer", department="SCJGJ", region="441400", subject="rating-scj")
    ok(client.post(url, headers=other, json={"reason": "恶意差评"}), 404)
    appealed = ok(client.post(url, headers=rsj, json={"reason": "申请人未提出异议，系恶意差评"}))
    assert appealed["state"] == "appealed"
    ok(client.post(url, headers=rsj, json={"reason": "再次申诉"}), 409)
    assert_audited(settings, "rating-rsj", "rating.appeal", got["id"])
    # Only supervisors decide.
    decide = f"{SUPERVISION}/{got['id']}/appeal-decision"
    ok(client.post(decide, headers=rsj, json={"upheld": True}), 403)
    ok(client.post(decide, headers=sup, json={"upheld": "yes"}), 422)
    ruled = ok(client.post(decide, headers=sup, json={"upheld": False, "note": "证据不足"}))
    assert ruled["state"] == "rectifying" and ruled["appeal"]["decision"]["upheld"] is False
    ok(client.post(decide, headers=sup, json={"upheld": True}), 409)
    assert_audited(settings, "rating-sup", "rating.appeal_decision", got["id"])
    # A rejected appeal cannot be lodged again.
    ok(client.post(url, headers=rsj, json={"reason": "再次申诉"}), 409)


def test_a_good_rating_cannot_be_called_back_or_appealed(client, token, settings, rsj):
    who = applicant(settings)
    app = completed(settings, who)
    got = _rate(client, headers(token, who), app["id"])
    ok(client.post(f"{OFFICER}/{got['id']}/appeal", headers=rsj, json={"reason": "无"}), 409)
    ok(client.post(f"{OFFICER}/{got['id']}/callback", headers=rsj,
                   json={"text": "回访", "rectified": False}), 409)
    row = assert_audited(settings, "rating-rsj", "rating.callback", got["id"])
    assert row["result"] == "refused"
