"""我要问 and 投诉: any citizen (in their own name) or enterprise asks a department; a
consultation is due in 5 working days, a complaint in 10; the department answers from the same
queue as 企业找政府 and the answer lands in the asker's inbox; nobody asks in a family
member's name; the asker's name is masked for the officer."""
from __future__ import annotations

from datetime import datetime

from functions.core import clock
from functions.supervision import service
from tests.helpers import ok
from tests.push.inbox_factories import bearer, citizen, family_member, principal
from tests.supervision.question_factories import QUESTIONS, QUEUE, TEXT, company, officer

COMPLAINT = "窗口要求我提供指南上没有的户口本复印件，跑了三趟。我的电话13912345678。"


def _ask(client, headers, status=201, **fields):
    body = {"department": "SCJGJ", "region": "441403", "text": TEXT, **fields}
    return ok(client.post(QUESTIONS, headers=headers, json=body), status)


def test_a_citizen_consults_and_complains_in_their_own_name(client, token, settings):
    someone = citizen(settings, "张伟明")
    own = bearer(token, someone)
    asked = _ask(client, own, kind="consultation", subject="食品经营许可")
    complained = _ask(client, own, kind="complaint", text=COMPLAINT)
    assert (asked["kind"], complained["kind"]) == ("consultation", "complaint")
    assert "13912345678" not in complained["text"] and "139****5678" in complained["text"]
    listed = ok(client.get(QUESTIONS, headers=own))["items"]
    assert [q["id"] for q in listed] == [complained["id"], asked["id"]]
    # The department of the chosen region (梅县区) answers them, in its one queue.
    scj = officer(token, "SCJGJ", "441403", subject="consult-scj")
    queue = {q["id"]: q for q in ok(client.get(QUEUE, headers=scj,
                                               query_string={"limit": 100}))["items"]}
    seen = queue[complained["id"]]
    assert seen["asker"]["kind"] == "person" and seen["asker"]["name"] == "张*明"
    assert "张伟明" not in str(seen)
    ok(client.post(f"{QUEUE}/{complained['id']}/answer", headers=scj,
                   json={"answer": "已核实，窗口人员已批评教育，户口本无需提供。"}))
    notice = ok(client.get("/api/v1/me/inbox", headers=own))["items"][0]
    assert notice["title"] == "您的投诉已有答复"
    assert notice["link"] == f"/#/questions/{complained['id']}"
    # Another county's department sees none of them.
    other = officer(token, "SCJGJ", "441402", subject="consult-scj2")
    ok(client.get(f"{QUEUE}/{asked['id']}", headers=other), 404)


def test_a_complaint_is_due_in_10_working_days_a_consultation_in_5(settings):
    who = principal(citizen(settings, "刘芳"))
    now = datetime(2026, 9, 29, 10, 0, tzinfo=clock.CHINA)  # before the National Day week

    def due(kind: str) -> str:
        return service.ask(settings, who, department="SWJ", matter=None, subject=None,
                           text=TEXT, idem_key=None, now=now, kind=kind)[0]["due"]

    # The National Day holiday counts no working day.
    assert due("consultation") == "2026-10-12"
    assert due("complaint") == "2026-10-19"


def test_an_enterprise_complains_too_and_a_family_member_is_no_asker(client, token,
                                                                     settings):
    f = company(settings, token)
    got = _ask(client, f["headers"], kind="complaint", department="SWJ", region=None)
    assert got["kind"] == "complaint"
    assert got["id"] in [q["id"] for q in ok(client.get(QUESTIONS, headers=f["headers"]))[
        "items"]]
    # The enterprise's county when no region is named.
    swj = officer(token, "SWJ", "441402", subject="consult-swj")
    assert ok(client.get(f"{QUEUE}/{got['id']}", headers=swj))["asker"]["kind"] == "enterprise"
    someone = citizen(settings, "王建华")
    member, act = family_member(settings, someone, "441400-RSJ-0015")
    ok(client.post(QUESTIONS, headers=bearer(token, member, act), json={
        "department": "SWJ", "kind": "consultation", "text": TEXT}), 403)
    # 企业找政府 stays an enterprise's.
    err = _ask(client, bearer(token, someone), 403)["error"]
    assert "enterprise" in err["message"]


def test_bad_kinds_and_regions_are_refused(client, token, settings):
    own = bearer(token, citizen(settings, "陈静"))
    for fields, name in (({"kind": "praise"}, "kind"), ({"region": "110000"}, "region")):
        err = _ask(client, own, 422, **{"kind": "consultation", **fields})["error"]
        assert list(err["details"]["fields"]) == [name]
