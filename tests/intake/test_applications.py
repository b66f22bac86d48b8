"""Unified intake: apply, materials, submit, officer actions, deadlines, nothing half written."""
from __future__ import annotations

import itertools
import threading
import uuid
from datetime import date, datetime

import pytest
import requests

from functions.core import aws, clock
from tests.helpers import ok

CARD = "441400-RSJ-0015"        # 社会保障卡申领: public service, an id_card may replace a material
FOOD = "441400-SCJGJ-0018"      # 食品经营许可: licensing (real-name level 2)
CARD_FORM = {"applicant_name": "李明", "id_number": "441402199001011237", "phone": "13812345678",
             "bank_choice": "中国银行", "delivery": "免费邮寄"}
FOOD_FORM = {"applicant_name": "李明", "certificate_number": "92441402MA5XXXX", "phone":
             "13812345678", "premises_address": "梅江区江南路1号", "category": "预包装食品销售",
             "subject": "食品销售经营者"}


_seq = itertools.count(1)


@pytest.fixture
def citizen(token, settings):
    """A fresh applicant with a real account (licences are issued to it), level 2."""
    from functions.identity import cn_ids
    from functions.identity.cli import create_staff

    n = next(_seq)
    account = create_staff(settings, kind="citizen", name="李明",
                           id_number=cn_ids.make_id_number("441424", date(1985, 3, 3), 600 + n),
                           phone=f"1990088{n:04d}", password="Meizhou-2026!", roles=[])
    return token("citizen", subject=account["id"], kind="citizen", lvl=2)


@pytest.fixture
def rsj(token):
    return token("officer", department="RSJ", region="441400", subject="rsj-officer")


@pytest.fixture
def scj(token):
    return token("officer", department="SCJGJ", region="441400", subject="scj-officer")


def upload(client, headers, app_id, material, *, content=b"%PDF-1.4 test", ctype="application/pdf"):
    grant = ok(client.post(f"/api/v1/applications/{app_id}/materials/uploads", headers=headers,
                           json={"material": material, "content_type": ctype,
                                 "size": len(content)}), 201)
    resp = requests.post(grant["url"], data=grant["fields"], files={"file": ("f", content)},
                         timeout=10)
    assert resp.status_code in (200, 201, 204), resp.text
    return grant["key"]


def filled(client, headers, matter, form):
    app = ok(client.post("/api/v1/applications", headers=headers,
                         json={"matter": matter, "form": form}), 201)
    guide = ok(client.get(f"/api/v1/matters/{matter}"))
    for m in guide["materials"]:
        key = upload(client, headers, app["id"], m["name"])
        ok(client.post(f"/api/v1/applications/{app['id']}/materials", headers=headers,
                       json={"material": m["name"], "upload_key": key}))
    return app


def test_apply_submit_accept_approve_with_timeline_and_notices(client, citizen, rsj, settings):
    app = filled(client, citizen, CARD, CARD_FORM)
    assert app["status"] == "draft" and app["id"].startswith("MZ")
    sub = ok(client.post(f"/api/v1/applications/{app['id']}/submit", headers=citizen))
    assert sub["status"] == "submitted" and sub["deadlines"]["accept_by"]["due"]
    queue = ok(client.get("/api/v1/officer/applications?status=submitted&limit=100",
                          headers=rsj))
    assert app["id"] in [a["id"] for a in queue["items"]]
    acc = ok(client.post(f"/api/v1/officer/applications/{app['id']}/actions", headers=rsj,
                         json={"action": "accept"}))
    assert acc["status"] == "accepted"
    assert acc["deadlines"]["legal"]["due"] >= acc["deadlines"]["promised"]["due"]
    conflict = ok(client.post(f"/api/v1/officer/applications/{app['id']}/actions", headers=rsj,
                              json={"action": "accept"}), 409)
    assert conflict["error"]["details"]["status"] == "accepted"
    done = ok(client.post(f"/api/v1/officer/applications/{app['id']}/actions", headers=rsj,
                          json={"action": "approve"}))
    assert done["status"] == "approved" and done["completed"]
    mine = ok(client.get(f"/api/v1/applications/{app['id']}", headers=citizen))
    assert [e["action"] for e in mine["events"]] == ["create", "submit", "accept", "approve"]
    listed = ok(client.get("/api/v1/applications", headers=citizen))["items"]
    assert [(a["id"], a["status"]) for a in listed] == [(app["id"], "approved")]
    # Every step told the applicant through the one notification hook.
    owner = app["applicant"]
    inbox = aws.client("dynamodb", settings).query(
        TableName=settings.table_name, KeyConditionExpression="pk = :p AND begins_with(sk, :i)",
        ExpressionAttributeValues={":p": {"S": f"ACCOUNT#{owner}"}, ":i": {"S": "INBOX#"}})
    kinds = sorted(i["kind"]["S"] for i in inbox["Items"])
    assert kinds == ["application"] * 3 + ["licence"]  # submit, accept, approve; the licence


def test_concurrent_identical_creates_make_one_application(app, citizen):
    key = uuid.uuid4().hex
    results: list = []

    def post():
        resp = app.test_client().post("/api/v1/applications", json={"matter": CARD},
                                      headers={**citizen, "Idempotency-Key": key})
        results.append((resp.status_code, resp.get_json().get("id")))

    threads = [threading.Thread(target=post) for _ in range(50)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert {status for status, _ in results} == {201}
    assert len({app_id for _, app_id in results}) == 1
    listed = ok(app.test_client().get("/api/v1/applications?limit=100", headers=citizen))
    assert len(listed["items"]) == 1


@pytest.mark.parametrize("form,field", [
    ({"favourite_colour": "red"}, "form.favourite_colour"),
    ({"phone": "12345"}, "form.phone"),
    ({"id_number": "441402199001011238"}, "form.id_number"),
    ({"delivery": "飞鸽传书"}, "form.delivery"),
])
def test_forms_are_checked_against_the_matters_fields(client, citizen, form, field):
    err = ok(client.post("/api/v1/applications", headers=citizen,
                         json={"matter": CARD, "form": form}), 422)["error"]
    assert field in err["details"]["fields"]


def test_submit_needs_every_required_field_and_material(client, citizen):
    app = ok(client.post("/api/v1/applications", headers=citizen,
                         json={"matter": CARD, "form": {"applicant_name": "李明"}}), 201)
    err = ok(client.post(f"/api/v1/applications/{app['id']}/submit", headers=citizen), 422)
    assert "form.id_number" in err["error"]["details"]["fields"]
    ok(client.put(f"/api/v1/applications/{app['id']}/form", headers=citizen,
                  json={"form": CARD_FORM}))
    err = ok(client.post(f"/api/v1/applications/{app['id']}/submit", headers=citizen), 422)
    assert "materials" in err["error"]["details"]["fields"]


def test_uploads_are_limited_in_size_and_type(client, citizen):
    app = ok(client.post("/api/v1/applications", headers=citizen, json={"matter": CARD}), 201)
    url = f"/api/v1/applications/{app['id']}/materials/uploads"
    big = {"material": "居民身份证", "content_type": "application/pdf", "size": 11 * 2 ** 20}
    ok(client.post(url, headers=citizen, json=big), 413)
    exe = {"material": "居民身份证", "content_type": "application/x-msdownload", "size": 10}
    ok(client.post(url, headers=citizen, json=exe), 415)
    ok(client.post(url, headers=citizen, json={**big, "material": "不存在的材料"}), 422)


def test_officers_act_only_on_their_departments_applications(client, citizen, scj, rsj):
    app = filled(client, citizen, CARD, CARD_FORM)
    ok(client.post(f"/api/v1/applications/{app['id']}/submit", headers=citizen))
    ok(client.get(f"/api/v1/officer/applications/{app['id']}", headers=scj), 404)
    ok(client.post(f"/api/v1/officer/applications/{app['id']}/actions", headers=scj,
                   json={"action": "accept"}), 404)
    ok(client.get(f"/api/v1/officer/applications/{app['id']}", headers=rsj))


def test_someone_elses_application_is_not_found(client, citizen, token):
    app = ok(client.post("/api/v1/applications", headers=citizen, json={"matter": CARD}), 201)
    other = token("citizen", subject=uuid.uuid4().hex, kind="citizen", lvl=2)
    for method, url in (("get", ""), ("post", "/submit"), ("post", "/withdraw")):
        ok(getattr(client, method)(f"/api/v1/applications/{app['id']}{url}", headers=other), 404)


def test_guide_conformance_refuses_and_counts_asks_outside_the_guide(client, citizen, rsj,
                                                                      settings):
    from functions.intake import store

    app = filled(client, citizen, CARD, CARD_FORM)
    ok(client.post(f"/api/v1/applications/{app['id']}/submit", headers=citizen))
    month = clock.iso()[:7]
    before = store.indicators(settings, month, "RSJ", "441400").get("offguide_requests", 0)
    err = ok(client.post(f"/api/v1/officer/applications/{app['id']}/actions", headers=rsj,
                         json={"action": "return", "items": ["无犯罪记录证明"]}), 422)
    assert "items" in err["error"]["details"]["fields"]
    assert store.indicators(settings, month, "RSJ", "441400")["offguide_requests"] == before + 1
    back = ok(client.post(f"/api/v1/officer/applications/{app['id']}/actions", headers=rsj,
                          json={"action": "return", "items": ["近期免冠彩色证件照片"]}))
    assert back["status"] == "returned" and back["return_items"] == ["近期免冠彩色证件照片"]
    again = ok(client.post(f"/api/v1/applications/{app['id']}/submit", headers=citizen))
    assert again["status"] == "submitted"


def test_reasons_are_required_and_wrong_moves_name_the_state(client, citizen, rsj):
    app = filled(client, citizen, CARD, CARD_FORM)
    url = f"/api/v1/officer/applications/{app['id']}/actions"
    assert ok(client.post(url, headers=rsj, json={"action": "approve"}),
              409)["error"]["details"]["status"] == "draft"
    ok(client.post(f"/api/v1/applications/{app['id']}/submit", headers=citizen))
    ok(client.post(url, headers=rsj, json={"action": "reject"}), 422)
    done = ok(client.post(url, headers=rsj,
                          json={"action": "reject", "reason": "不属于本部门职权"}))
    assert done["status"] == "not_accepted" and done["reason"] == "不属于本部门职权"
    ok(client.post(f"/api/v1/applications/{app['id']}/withdraw", headers=citizen), 409)


def test_licensing_matters_need_a_verified_identity(client, token):
    level1 = token("citizen", subject=uuid.uuid4().hex, kind="citizen", lvl=1)
    err = ok(client.post("/api/v1/applications", headers=level1, json={"matter": FOOD}), 403)
    assert err["error"]["details"]["required_level"] == 2


def test_a_deadline_in_an_unannounced_year_is_provisional_until_the_schedule_arrives(
        client, citizen, rsj, token, monkeypatch):
    december = datetime(2026, 12, 21, 10, 0, tzinfo=clock.CHINA)
    monkeypatch.setattr(clock, "now", lambda: december)
    app = filled(client, citizen, CARD, CARD_FORM)
    ok(client.post(f"/api/v1/applications/{app['id']}/submit", headers=citizen))
    acc = ok(client.post(f"/api/v1/officer/applications/{app['id']}/actions", headers=rsj,
                         json={"action": "accept"}))
    # 15 legal working days from 2026-12-21 run into 2027, whose holidays are not announced.
    assert acc["deadlines"]["provisional"] and acc["deadlines"]["unknown_years"] == [2027]
    weekends_only = acc["deadlines"]["legal"]["due"]
    admin = token("admin", subject="admin-1", kind="admin")
    loaded = ok(client.post("/api/v1/admin/holidays", headers=admin, json={
        "year": 2027, "holidays": ["2027-01-01"], "workdays": [], "source": "test"}), 201)
    assert loaded["recomputed"] >= 1
    after = ok(client.get(f"/api/v1/applications/{app['id']}", headers=citizen))
    assert not after["deadlines"]["provisional"]
    assert after["deadlines"]["legal"]["due"] > weekends_only  # New Year's Day now counts


def test_a_transition_whose_audit_cannot_land_changes_nothing(client, citizen, rsj,
                                                              monkeypatch):
    from functions.intake import store

    app = filled(client, citizen, CARD, CARD_FORM)
    ok(client.post(f"/api/v1/applications/{app['id']}/submit", headers=citizen))
    real = store.audit_put

    def broken(table, **kwargs):
        put = real(table, **kwargs)
        put["Put"]["ConditionExpression"] = "attribute_exists(pk)"
        return put

    monkeypatch.setattr(store, "audit_put", broken)
    resp = client.post(f"/api/v1/officer/applications/{app['id']}/actions", headers=rsj,
                       json={"action": "accept"})
    assert resp.status_code >= 400
    monkeypatch.undo()
    after = ok(client.get(f"/api/v1/applications/{app['id']}", headers=citizen))
    assert after["status"] == "submitted"
    assert [e["action"] for e in after["events"]] == ["create", "submit"]
