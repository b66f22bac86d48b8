"""企业找政府, the asking side: who may ask and read, the limits, the deadline in working days,
idempotent creates, the enterprise's listing."""
from __future__ import annotations

import json
from datetime import date, datetime

import pytest

from functions.core import aws, clock, pii
from functions.intake.service import work_calendar
from functions.supervision import service
from tests.helpers import ok
from tests.push.inbox_factories import bearer, citizen, family_member, principal
from tests.supervision.question_factories import (
    QUESTIONS,
    TEXT,
    ask,
    company,
    officer,
    staff_headers,
)


def _at(day: str, hour: int = 10) -> datetime:
    return datetime.fromisoformat(f"{day}T{hour:02d}:00:00").replace(tzinfo=clock.CHINA)


@pytest.mark.parametrize(("asked", "due", "days_counted"), [
    # Friday: the weekend does not count, due the Friday after.
    ("2026-12-04", "2026-12-11", "Mon-Fri"),
    # The eve of National Day: 1-7 October are holidays, Saturday 10 October is a 调休 working
    # day: Thu 8, Fri 9, Sat 10, Mon 12, Tue 13.
    ("2026-09-30", "2026-10-13", "across the holiday"),
    # Asked on a Sunday: counted from Monday.
    ("2026-12-06", "2026-12-11", "from Monday"),
])
def test_the_answer_is_due_five_working_days_after_the_day_it_was_asked(
        settings, asked, due, days_counted):
    firm_ = company_principal(settings)
    got, replayed = service.ask(settings, firm_, department="SWJ", matter=None, subject="问",
                                text=TEXT, idem_key=None, now=_at(asked))
    assert (got["due"], got["provisional"], replayed) == (due, False, False), days_counted
    assert got["status"] == "open" and got["asked"].startswith(asked)


def test_a_deadline_into_an_unannounced_year_is_provisional(settings):
    # A year no test loads a holiday schedule for (the session's table is shared: intake's
    # tests load 2027): its weekdays count, New Year's Day included, and the due date says so.
    got, _ = service.ask(settings, company_principal(settings), department="SWJ", matter=None,
                         subject=None, text=TEXT, idem_key=None, now=_at("2035-12-28"))
    assert got["due"] == "2036-01-04" and got["provisional"] is True


def company_principal(settings):
    from tests.push.inbox_factories import firm

    rep = citizen(settings, "黄志明")
    ent = firm(settings, rep)
    return principal(rep, {"kind": "enterprise", "id": ent["uscc"], "role": "legal_rep"})


def test_asked_through_the_api_the_question_goes_to_the_county_department(client, token,
                                                                           settings):
    f = company(settings, token)
    q = ask(client, f["headers"], subject="  ")
    # No subject: the start of the text names it; the enterprise is in 梅江区 (441402).
    assert q["subject"] == TEXT[:29] + "…"
    assert q["department"] == {"code": "SWJ", "name": "梅江区税务局",
                               "name_en": "Meijiang District Taxation Bureau"}
    today = clock.now().date()
    assert q["days_left"] == work_calendar(settings).workdays_between(
        today, date.fromisoformat(q["due"])) == 5
    assert q["overdue"] is False and q["answer"] is None
    mine = ok(client.get(f"{QUESTIONS}/{q['id']}", headers=f["headers"]))
    assert mine == q
    seen = ok(client.get(f"/api/v1/officer/questions/{q['id']}", headers=officer(token)))
    assert seen["region"] == "441402"
    assert seen["asker"] == {"kind": "enterprise", "id": f["uscc"], "name": f["ent"]["name"],
                             "role": "legal_rep"}


def test_a_question_about_a_city_matter_goes_to_the_citys_department(client, token, settings):
    f = company(settings, token)
    q = ask(client, f["headers"], department="SCJGJ", matter="441400-SCJGJ-0018")
    assert (q["matter"], q["matter_name"], q["matter_name_en"]) == (
        "441400-SCJGJ-0018", "食品经营许可", "Food business licence")
    assert q["department"]["name"] == "梅州市市场监督管理局"
    ok(client.get(f"/api/v1/officer/questions/{q['id']}",
                  headers=officer(token, "SCJGJ", "441400")))
    ok(client.get(f"/api/v1/officer/questions/{q['id']}",
                  headers=officer(token, "SCJGJ", "441402")), 404)


@pytest.mark.parametrize(("body", "field"), [
    ({"text": TEXT}, "department"),
    ({"department": None, "text": TEXT}, "department"),
    ({"department": "NOPE", "text": TEXT}, "department"),
    ({"department": "SWJ"}, "text"),
    ({"department": "SWJ", "text": "   "}, "text"),
    ({"department": "SWJ", "text": "问" * 1001}, "text"),
    ({"department": "SWJ", "text": TEXT, "subject": "题" * 61}, "subject"),
    ({"department": "SWJ", "text": TEXT, "matter": "441400-XX-9999"}, "matter"),
    ({"department": "SWJ", "text": TEXT, "matter": "441400-SCJGJ-0018"}, "matter"),
    ({"department": "SWJ", "text": TEXT, "colour": "red"}, "colour"),
])
def test_bad_questions_are_a_422_naming_the_field(client, token, settings, body, field):
    f = company(settings, token)
    err = ok(client.post(QUESTIONS, headers=f["headers"], json=body), 422)["error"]
    assert list(err["details"]["fields"]) == [field]
    assert ok(client.get(QUESTIONS, headers=f["headers"]))["items"] == []


def test_the_limits_are_inclusive(client, token, settings):
    f = company(settings, token)
    q = ask(client, f["headers"], subject="题" * 60, text="问" * 1000)
    assert len(q["subject"]) == 60 and len(q["text"]) == 1000


def test_only_someone_acting_for_an_enterprise_may_ask(client, token, settings):
    someone = citizen(settings, "李秀英")
    own = bearer(token, someone)
    err = ok(client.post(QUESTIONS, headers=own, json={"department": "SWJ", "text": TEXT}),
             403)["error"]
    assert "enterprise" in err["message"]
    # A person's own listing holds their consultations and complaints: none here.
    assert ok(client.get(QUESTIONS, headers=own))["items"] == []
    # Acting for a family member is not acting for an enterprise either.
    member, act = family_member(settings, someone, "441400-RSJ-0015")
    ok(client.post(QUESTIONS, headers=bearer(token, member, act),
                   json={"department": "SWJ", "text": TEXT}), 403)


def test_staff_roles_ask_and_a_viewer_only_reads(client, token, settings):
    f = company(settings, token)
    asked = [ask(client, staff_headers(settings, token, f, role))["id"]
             for role in ("preparer", "approver")]
    viewer = staff_headers(settings, token, f, "viewer")
    err = ok(client.post(QUESTIONS, headers=viewer, json={"department": "SWJ", "text": TEXT}),
             403)["error"]
    assert "viewer" in err["message"]
    listed = ok(client.get(QUESTIONS, headers=viewer))["items"]
    assert [q["id"] for q in listed] == asked[::-1]  # newest first
    ok(client.get(f"{QUESTIONS}/{asked[0]}", headers=viewer))


def test_another_partys_question_is_unknown(client, token, settings):
    f, other = company(settings, token), company(settings, token)
    q = ask(client, f["headers"])
    for qid in (q["id"], "Q20261201" + "0" * 12, "not-an-id"):
        ok(client.get(f"{QUESTIONS}/{qid}", headers=other["headers"]), 404)
    assert ok(client.get(QUESTIONS, headers=other["headers"]))["items"] == []


def test_an_idempotency_key_makes_one_question(client, token, settings):
    f = company(settings, token)
    key = {**f["headers"], "Idempotency-Key": "ask-once-2026-12"}
    body = {"department": "SWJ", "subject": "发票", "text": TEXT}
    first = client.post(QUESTIONS, headers=key, json=body)
    again = client.post(QUESTIONS, headers=key, json=body)
    assert ok(first, 201)["id"] == ok(again, 201)["id"]
    assert "Idempotent-Replayed" not in first.headers
    assert again.headers["Idempotent-Replayed"] == "true"
    assert len(ok(client.get(QUESTIONS, headers=f["headers"]))["items"]) == 1
    # The key is the enterprise's: another enterprise's same key is another question.
    other = company(settings, token)
    theirs = ok(client.post(QUESTIONS, headers={**other["headers"],
                                                "Idempotency-Key": "ask-once-2026-12"},
                            json=body), 201)
    assert theirs["id"] != first.get_json()["id"]
    bad = client.post(QUESTIONS, headers={**f["headers"], "Idempotency-Key": "x"}, json=body)
    assert list(ok(bad, 422)["error"]["details"]["fields"]) == ["Idempotency-Key"]


def test_the_listing_pages_newest_first(client, token, settings):
    f = company(settings, token)
    ids = [ask(client, f["headers"], subject=f"问题{n}")["id"] for n in range(3)]
    first = ok(client.get(QUESTIONS, headers=f["headers"], query_string={"limit": 2}))
    assert [q["id"] for q in first["items"]] == ids[:0:-1]
    rest = ok(client.get(QUESTIONS, headers=f["headers"],
                         query_string={"limit": 2, "cursor": first["next_cursor"]}))
    assert [q["id"] for q in rest["items"]] == ids[:1] and rest["next_cursor"] is None
    # Another enterprise's cursor is not a position in this listing.
    other = company(settings, token)
    err = ok(client.get(QUESTIONS, headers=other["headers"],
                        query_string={"cursor": first["next_cursor"]}), 422)["error"]
    assert list(err["details"]["fields"]) == ["cursor"]
    ok(client.get(QUESTIONS, headers=f["headers"], query_string={"cursor": "bm90LWEta2V5"}),
       400)


def test_numbers_in_a_question_are_masked_and_kept_sealed(client, token, settings):
    f = company(settings, token)
    phone, idno = "13926001234", "441402199001011234"
    q = ask(client, f["headers"], text=f"联系人电话{phone}，法人身份证{idno}，请回电。")
    assert "139****1234" in q["text"] and "441402********1234" in q["text"]
    item = aws.client("dynamodb", settings).get_item(
        TableName=settings.table_name, Key={"pk": {"S": f"QUESTION#{q['id']}"},
                                            "sk": {"S": "Q"}})["Item"]
    assert phone not in item["doc"]["S"] and idno not in item["doc"]["S"]
    sealed = json.loads(item["doc"]["S"])["sealed_text"]
    assert phone in pii.unseal(settings, sealed, f"question:{q['id']}:text")
