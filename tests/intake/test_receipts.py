"""办件查询 and nothing asked twice: every application has a receipt (number + random query
code) that shows its progress to anyone, nothing personal, refused alike when wrong; the
fields the verified identity answers are filled by the server and cannot be altered."""
from __future__ import annotations

import json
import re

from functions.core import clock, pii
from functions.core.store import outbox
from functions.intake import model, service
from functions.intake.service import receipts
from tests.helpers import ok
from tests.intake.factories import CARD, CARD_FORM, FOOD, FOOD_FORM, filled, numbers, person

CODE = re.compile(model.QUERY_CODE)


def ask(client, number, code, ip="10.53.0.1"):
    return client.post("/api/v1/progress", json={"number": number, "code": code},
                       environ_base={"REMOTE_ADDR": ip})


def test_the_receipt_shows_the_progress_to_anyone_with_both_and_nothing_personal(
        client, citizen, rsj, someone):
    app = filled(client, citizen, CARD, CARD_FORM)
    url = f"/api/v1/applications/{app['id']}"
    sent = ok(client.post(f"{url}/submit", headers=citizen))
    receipt = sent["receipt"]
    assert receipt["number"] == app["id"] and CODE.match(receipt["query_code"])
    listed = ok(client.get("/api/v1/applications?limit=100", headers=citizen))["items"]
    assert next(a for a in listed if a["id"] == app["id"])["query_code"] == receipt["query_code"]
    ok(client.post(f"/api/v1/officer/applications/{app['id']}/actions", headers=rsj,
                   json={"action": "return", "items": ["近期免冠彩色证件照片"]}))
    got = ok(ask(client, app["id"], receipt["query_code"]))
    assert got["status"] == "returned" and got["due"] is None
    assert got["correction_due"] and [e["action"] for e in got["events"]] == [
        "create", "submit", "return"]
    text = json.dumps(got, ensure_ascii=False)
    id_no, phone = numbers(someone)
    for private in (id_no, phone, "李明", "近期免冠彩色证件照片", someone.subject, "form"):
        assert private not in text


def test_a_wrong_number_and_a_wrong_code_are_refused_alike(client, citizen):
    app = filled(client, citizen, CARD, CARD_FORM)
    code = ok(client.post(f"/api/v1/applications/{app['id']}/submit",
                          headers=citizen))["receipt"]["query_code"]
    other = "A" * 8 if code != "A" * 8 else "B" * 8
    unknown = f"MZ{int(app['id'][2:]) + 999_999:014d}"

    def refusal(resp):
        body = ok(resp, 404)["error"]
        body.pop("request_id")
        return body

    assert refusal(ask(client, app["id"], other)) == refusal(ask(client, unknown, code))


def test_a_draft_has_a_code_but_shows_nothing_until_submitted(client, citizen, settings,
                                                              someone):
    app = ok(client.post("/api/v1/applications", headers=citizen, json={"matter": CARD}), 201)
    assert CODE.match(app["query_code"])
    ok(ask(client, app["id"], app["query_code"]), 404)


def test_a_number_or_code_in_the_wrong_format_is_a_422(client):
    for number, code in (("MZ123", "K7PQ2XMA"), ("MZ20261201000001", "k7pq2xma"),
                         ("MZ20261201000001", "K7PQ2XM0"), ("MZ20261201000001", "K7PQ")):
        err = ok(ask(client, number, code), 422)["error"]
        assert set(err["details"]["fields"]) <= {"number", "code"}


def test_the_check_is_rate_limited_per_address(client):
    for _ in range(receipts.LIMIT):
        ok(ask(client, "MZ20260101999999", "K7PQ2XMA", ip="10.53.9.9"), 404)
    resp = ask(client, "MZ20260101999999", "K7PQ2XMA", ip="10.53.9.9")
    ok(resp, 429)
    assert int(resp.headers["Retry-After"]) >= 1
    ok(ask(client, "MZ20260101999999", "K7PQ2XMA", ip="10.53.9.10"), 404)  # another address


def test_a_counter_application_sends_its_receipt_by_sms(client, settings, token):
    at_counter = person(settings, phone="19900530002")
    counter = token("officer", department="RSJ", region="441400", subject="rsj-counter")
    app = ok(client.post("/api/v1/officer/applications", headers=counter, json={
        "matter": CARD, "applicant_phone": "19900530002", "form": CARD_FORM}), 201)
    texts = [m["text"] for m in outbox(settings, pii.keyed_hash(settings, "phone",
                                                               "19900530002"))]
    assert any(app["id"] in t and app["receipt"]["query_code"] in t for t in texts)
    assert app["form"]["applicant_name"] == "李明"
    assert ok(ask(client, app["id"], app["receipt"]["query_code"]))["status"] == "submitted"
    assert numbers(at_counter)[1] not in json.dumps(texts)


def test_the_form_shows_what_the_identity_answers_masked_and_read_only(client, citizen,
                                                                       someone):
    id_no, phone = numbers(someone)
    pre = ok(client.get(f"/api/v1/matters/{CARD}/prefill", headers=citizen))
    assert pre["fields"] == {"applicant_name": "李明", "id_number": id_no[:6] + "*" * 8 +
                             id_no[-4:], "phone": phone[:3] + "****" + phone[-4:]}
    app = ok(client.post("/api/v1/applications", headers=citizen,
                         json={"matter": CARD, "form": {"delivery": "免费邮寄"}}), 201)
    assert app["prefilled"] == ["applicant_name", "id_number", "phone"]
    assert {k: app["form"][k] for k in pre["fields"]} == pre["fields"]
    # The values as shown (masked) or as they are may come back; anything else may not.
    url = f"/api/v1/applications/{app['id']}/form"
    ok(client.put(url, headers=citizen, json={"form": {**app["form"], **CARD_FORM}}))
    ok(client.put(url, headers=citizen, json={"form": {**CARD_FORM, "phone": phone}}))
    err = ok(client.put(url, headers=citizen, json={"form": {**CARD_FORM,
                                                             "applicant_name": "张三"}}), 422)
    assert list(err["error"]["details"]["fields"]) == ["form.applicant_name"]
    err = ok(client.post("/api/v1/applications", headers=citizen, json={
        "matter": CARD, "form": {"id_number": "441402199001011237"}}), 422)
    assert list(err["error"]["details"]["fields"]) == ["form.id_number"]


def test_an_enterprise_application_is_filled_with_the_enterprise_and_its_agent(
        settings, someone):
    from functions.core.auth import Principal
    from tests.licences.factories import make_enterprise

    firm = make_enterprise(settings, {"id": someone.subject})
    acting = Principal(subject=someone.subject, kind="citizen", level=2,
                       act={"kind": "enterprise", "id": firm["uscc"], "role": "legal_rep"})
    app, _ = service.create(settings, acting, matter_code=FOOD, form=FOOD_FORM, idem_key=None,
                            now=clock.now())
    _, phone = numbers(someone)
    assert app["form"]["applicant_name"] == firm["name"]
    assert app["form"]["certificate_number"] == firm["uscc"]  # a credit code is not masked
    assert app["form"]["phone"] == phone[:3] + "****" + phone[-4:]
    assert app["owner"] == f"enterprise:{firm['uscc']}"


def test_identity_answers_for_an_enterprise_name_its_legal_representative():
    got = model.identity_answers(
        person=None, agent={"name": "王经办", "phone": "19900530003"},
        org={"name": "梅州市示范科技有限公司", "uscc": "91441402MA0MT2NFX4",
             "legal_rep_name": "张三丰", "legal_rep_id_number": "441402197005061355"})
    assert got == {"applicant_name": "梅州市示范科技有限公司", "phone": "19900530003",
                   "certificate_number": "91441402MA0MT2NFX4", "org_name": "梅州市示范科技有限公司",
                   "uscc": "91441402MA0MT2NFX4", "legal_rep_name": "张三丰",
                   "legal_rep_id_number": "441402197005061355", "contact_name": "王经办",
                   "contact_phone": "19900530003"}
