"""企业找政府, the department's side: the queue by due date with days left, the answer landing
in the enterprise's inbox in the same transaction, audited, once; other departments see
nothing; a busy store is a 503 with nothing half done."""
from __future__ import annotations

from datetime import datetime

import pytest
from botocore.exceptions import ClientError

from functions.core import aws, clock
from functions.supervision import service
from tests.helpers import ok
from tests.licences.factories import assert_audited
from tests.push.inbox_factories import principal
from tests.supervision.question_factories import (
    QUESTIONS,
    QUEUE,
    TEXT,
    ask,
    company,
    officer,
    staff_headers,
)

ANSWER = "可以全程网上办理，需提供营业执照和近三个月的纳税申报表。咨询电话12366。"


def _answer(client, headers, qid: str, status: int = 200, text: str = ANSWER):
    return ok(client.post(f"{QUEUE}/{qid}/answer", headers=headers, json={"answer": text}),
              status)


def _unread(client, headers) -> dict:
    return ok(client.get("/api/v1/me/inbox/unread", headers=headers))


def test_the_answer_lands_in_the_enterprises_inbox_audited_and_only_once(client, token,
                                                                         settings):
    f = company(settings, token)
    preparer = staff_headers(settings, token, f, "preparer")
    viewer = staff_headers(settings, token, f, "viewer")
    q = ask(client, preparer, subject="一般纳税人登记")
    before = {who: _unread(client, h) for who, h in (("rep", f["headers"]),
                                                     ("viewer", viewer))}
    swj = officer(token, subject="swj-answerer")

    got = _answer(client, swj, q["id"])
    assert (got["status"], got["answer"], got["days_left"], got["overdue"]) == (
        "answered", ANSWER, None, False)
    # Every staff role reads the answer in the enterprise's inbox, and the badge went up by one.
    for who, headers in (("rep", f["headers"]), ("viewer", viewer)):
        after = _unread(client, headers)
        assert after["unread"] == before[who]["unread"] + 1
        assert after["by_kind"]["question"] == 1
    notice = ok(client.get("/api/v1/me/inbox", headers=preparer))["items"][0]
    assert notice["kind"] == "question" and notice["link"] == f"/#/questions/{q['id']}"
    assert notice["title"] == "您的咨询已有答复"
    assert notice["body"] == f"梅江区税务局答复了您的问题“一般纳税人登记”：{ANSWER}"
    mine = ok(client.get(f"{QUESTIONS}/{q['id']}", headers=f["headers"]))
    assert (mine["status"], mine["answer"]) == ("answered", ANSWER)
    # Audited: who, for whom, what, the result.
    row = assert_audited(settings, "swj-answerer", "question.answer", q["id"])
    assert (row["result"], row["subject"]) == ("ok", f["owner"])

    # One answer: a second is a 409 (audited as refused), and nothing more lands.
    err = _answer(client, swj, q["id"], 409, text="补充说明")["error"]
    assert err["details"] == {"status": "answered"}
    assert _unread(client, f["headers"])["unread"] == before["rep"]["unread"] + 1
    assert ok(client.get(f"{QUESTIONS}/{q['id']}", headers=f["headers"]))["answer"] == ANSWER


def test_the_queue_is_the_departments_and_regions_nearest_due_first(client, token, settings):
    f = company(settings, token)
    act = principal(f["rep"], f["act"])

    def asked(day: str, subject: str) -> dict:
        now = datetime.fromisoformat(f"{day}T09:30:00").replace(tzinfo=clock.CHINA)
        return service.ask(settings, act, department="STHJJ", matter=None, subject=subject,
                           text=TEXT, idem_key=None, now=now)[0]

    late, earlier, fresh = asked("2026-11-16", "逾期"), asked("2026-11-02", "更早"), ask(
        client, f["headers"], department="STHJJ", subject="新的")
    sthjj = officer(token, "STHJJ", "441402")
    items = ok(client.get(QUEUE, headers=sthjj))["items"]
    assert [q["id"] for q in items] == [earlier["id"], late["id"], fresh["id"]]
    assert [q["due"] for q in items] == ["2026-11-09", "2026-11-23", fresh["due"]]
    assert [q["overdue"] for q in items] == [True, True, False]
    assert items[0]["days_left"] < items[1]["days_left"] < 0 <= items[2]["days_left"]
    # Answering moves it to the answered listing; answered late stays marked overdue.
    _answer(client, sthjj, earlier["id"])
    assert [q["id"] for q in ok(client.get(QUEUE, headers=sthjj))["items"]] == [
        late["id"], fresh["id"]]
    done = ok(client.get(QUEUE, headers=sthjj, query_string={"status": "answered"}))["items"]
    assert [(q["id"], q["overdue"], q["days_left"]) for q in done] == [
        (earlier["id"], True, None)]
    first = ok(client.get(QUEUE, headers=sthjj, query_string={"limit": 1}))
    second = ok(client.get(QUEUE, headers=sthjj,
                           query_string={"limit": 1, "cursor": first["next_cursor"]}))
    assert [q["id"] for q in second["items"]] == [fresh["id"]]
    # A cursor of another queue is not a position in this one.
    err = ok(client.get(QUEUE, headers=sthjj, query_string={
        "status": "answered", "cursor": first["next_cursor"]}), 422)["error"]
    assert list(err["details"]["fields"]) == ["cursor"]
    ok(client.get(QUEUE, headers=sthjj, query_string={"status": "closed"}), 400)


@pytest.mark.parametrize(("department", "region"), [
    ("RSJ", "441402"),   # another department of the same county
    ("NYNCJ", "441400"),  # the same department, of the city
    ("NYNCJ", "441403"),  # the same department, of another county
])
def test_another_departments_officer_sees_nothing_and_cannot_answer(
        client, token, settings, department, region):
    f = company(settings, token)
    q = ask(client, f["headers"], department="NYNCJ")
    other = officer(token, department, region)
    assert q["id"] not in [i["id"] for i in ok(client.get(QUEUE, headers=other))["items"]]
    ok(client.get(f"{QUEUE}/{q['id']}", headers=other), 404)
    _answer(client, other, q["id"], 404)
    assert ok(client.get(f"{QUESTIONS}/{q['id']}", headers=f["headers"]))["status"] == "open"
    # Its own department's officer does.
    own = officer(token, "NYNCJ", "441402")
    assert q["id"] in [i["id"] for i in ok(client.get(QUEUE, headers=own))["items"]]


def test_only_officers_use_the_queue(client, token, settings):
    f = company(settings, token)
    q = ask(client, f["headers"])
    ok(client.get(QUEUE, headers=f["headers"]), 403)
    _answer(client, f["headers"], q["id"], 403)
    ok(client.get(QUEUE, headers=token("supervisor", kind="supervisor", subject="sup-q")), 403)


@pytest.mark.parametrize(("text", "status"), [("   ", 422), ("答" * 2001, 422),
                                              ("答" * 2000, 200)])
def test_an_answer_has_a_length_limit(client, token, settings, text, status):
    f = company(settings, token)
    q = ask(client, f["headers"])
    got = _answer(client, officer(token), q["id"], status, text=text)
    if status == 422:
        assert list(got["error"]["details"]["fields"]) == ["answer"]


def test_the_queue_is_one_query_on_gsi1(client, token, settings, monkeypatch):
    ddb = aws.client("dynamodb", settings)
    calls = []
    for op in ("query", "scan"):
        real = getattr(ddb, op)

        def spy(real=real, op=op, **kwargs):
            calls.append((op, kwargs.get("IndexName")))
            return real(**kwargs)

        monkeypatch.setattr(ddb, op, spy)
    swj = officer(token, "SWJ", "441426")
    calls.clear()
    ok(client.get(QUEUE, headers=swj))
    assert calls == [("query", "GSI1")]


def _busy(monkeypatch, settings, operation: str, marker: str):
    ddb = aws.client("dynamodb", settings)
    real = getattr(ddb, operation)

    def busy(**kwargs):
        if marker in repr(kwargs):  # only the questions' calls: the token check goes through
            raise ClientError({"Error": {"Code": "ThrottlingException", "Message": "slow down"},
                               "ResponseMetadata": {"HTTPStatusCode": 400}}, operation)
        return real(**kwargs)

    monkeypatch.setattr(ddb, operation, busy)


def test_a_busy_store_is_a_503_with_nothing_half_done(client, token, settings, monkeypatch):
    f = company(settings, token)
    q = ask(client, f["headers"])
    swj = officer(token)
    before = _unread(client, f["headers"])["unread"]
    for operation, call in (
            ("transact_write_items", lambda: client.post(QUESTIONS, headers=f["headers"], json={
                "department": "SWJ", "text": TEXT})),
            ("transact_write_items", lambda: client.post(f"{QUEUE}/{q['id']}/answer",
                                                         headers=swj, json={"answer": "好"})),
            ("query", lambda: client.get(QUEUE, headers=swj)),
            ("query", lambda: client.get(QUESTIONS, headers=f["headers"])),
            ("get_item", lambda: client.get(f"{QUESTIONS}/{q['id']}", headers=f["headers"]))):
        _busy(monkeypatch, settings, operation, "QUESTION")
        resp = call()
        assert ok(resp, 503)["error"]["code"] == "unavailable"
        assert resp.headers["Retry-After"] == "2"
        monkeypatch.undo()
    assert [i["id"] for i in ok(client.get(QUESTIONS, headers=f["headers"]))["items"]] == [
        q["id"]]
    assert ok(client.get(f"{QUESTIONS}/{q['id']}", headers=f["headers"]))["status"] == "open"
    assert _unread(client, f["headers"])["unread"] == before
