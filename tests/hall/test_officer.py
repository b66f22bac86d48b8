"""Departments maintain the catalogue: validated, versioned, audited writes; publishing."""
from __future__ import annotations

import dataclasses
import json
from datetime import datetime

import pytest

from functions import workers
from functions.app import create_app
from functions.core import aws, clock
from functions.core.auth import Principal
from functions.hall import schemas, service, store
from tests.helpers import drain_queue, ok

MATTER = {
    "code": "441424-SWJ-0901",
    "name": "五华县测试涉税事项办理",
    "aliases": ["测试办税"],
    "audiences": ["enterprise"],
    "themes": ["E05"],
    "department": "SWJ",
    "level": "county",
    "region": "441424",
    "kind": "public_service",
    "online_depth": "full",
    "visits": 0,
    "legal_days": 10,
    "promised_days": 2,
    "fees": [],
    "materials": [{"name": "营业执照", "form": "electronic", "licence_type": "business_licence"}],
    "form_fields": [{"name": "company_name", "label": "企业名称", "type": "text"}],
    "hot_tags": ["tax"],
    "mobile": True,
    "conditions": ["已办理税务登记的纳税人"],
    "process": ["网上申请", "受理", "办结"],
    "guide": "纳税人在网上提交申请，税务机关即时办结。",
    "popularity": 5,
}


@pytest.fixture
def officer(token):
    return token("officer", department="SWJ", region="441424")


def audit_records(settings, target: str) -> list[dict]:
    ddb = aws.client("dynamodb", settings)
    items = []
    for page in ddb.get_paginator("scan").paginate(TableName=settings.table_name):
        items += [i for i in page["Items"] if i["pk"]["S"].startswith("AUDIT#")
                  and i["target"]["S"] == target]
    return items


def test_officer_routes_need_a_token_and_the_right_role(client, token):
    assert ok(client.post("/api/v1/officer/matters", json=MATTER), 401)["error"]["code"]
    bad = {"Authorization": "Bearer not.a.token"}
    ok(client.get("/api/v1/officer/catalogue", headers=bad), 401)
    ok(client.post("/api/v1/officer/matters", json=MATTER, headers=token("citizen")), 403)
    other_dept = token("officer", department="RSJ", region="441424")
    ok(client.post("/api/v1/officer/matters", json=MATTER, headers=other_dept), 403)
    ok(client.post("/api/v1/officer/catalogue/publish", headers=token("officer",
       department="SWJ", region="441424")), 403)


def test_create_update_withdraw_is_versioned_and_audited(client, officer, settings):
    created = ok(client.post("/api/v1/officer/matters", json=MATTER, headers=officer), 201)
    assert created["version"] == 1 and created["status"] == "active"
    # Sending the same matter again is a repeat, not a second matter; other content is a clash.
    assert ok(client.post("/api/v1/officer/matters", json=MATTER, headers=officer), 201) == created
    ok(client.post("/api/v1/officer/matters", json={**MATTER, "name": "另一个事项名称"},
                   headers=officer), 409)

    change = {k: v for k, v in MATTER.items() if k != "code"} | {"promised_days": 1}
    stale = ok(client.put(f"/api/v1/officer/matters/{MATTER['code']}", json=change,
                          headers={**officer, "If-Match": '"7"'}), 409)
    assert stale["error"]["details"]["current_version"] == 1
    updated = ok(client.put(f"/api/v1/officer/matters/{MATTER['code']}", json=change,
                            headers={**officer, "If-Match": '"1"'}))
    assert updated["version"] == 2 and updated["promised_days"] == 1

    withdrawn = ok(client.delete(f"/api/v1/officer/matters/{MATTER['code']}", headers=officer))
    assert withdrawn["version"] == 3 and withdrawn["status"] == "withdrawn"
    ok(client.delete(f"/api/v1/officer/matters/{MATTER['code']}", headers=officer), 409)

    draft = ok(client.get(f"/api/v1/officer/matters/{MATTER['code']}", headers=officer))
    assert [h["version"] for h in draft["history"]] == [1, 2, 3]
    actions = sorted(r["action"]["S"] for r in audit_records(settings, MATTER["code"]))
    assert actions == ["matter.create", "matter.update", "matter.withdraw"]
    assert all(r["actor"]["S"] == "officer-1" and r["request_id"]["S"] != "-"
               for r in audit_records(settings, MATTER["code"]))


@pytest.mark.parametrize("change,field", [
    ({"themes": ["P01"]}, "themes"),
    ({"themes": ["E99"]}, "themes"),
    ({"promised_days": 30}, "promised_days"),
    ({"visits": 5}, "visits"),
    ({"online_depth": "telepathy"}, "online_depth"),
    ({"department": "NOPE"}, "department"),
    ({"level": "city"}, "level"),
    ({"name": ""}, "name"),
    ({"materials": [{"name": "x", "form": "scroll"}]}, "materials"),
    ({"form_fields": [{"name": "Bad Name", "label": "x", "type": "text"}]}, "form_fields"),
    ({"form_fields": [{"name": "kind", "label": "类别", "type": "select"}]}, "form_fields"),
    ({"favourite_colour": "red"}, "favourite_colour"),
    ({"code": "12345"}, "code"),
])
def test_every_field_is_validated_and_nothing_is_written(client, officer, settings, change,
                                                         field):
    body = {**MATTER, "code": "441424-SWJ-0902", **change}
    err = ok(client.post("/api/v1/officer/matters", json=body, headers=officer), 422)["error"]
    assert field in err["details"]["fields"]
    ok(client.get("/api/v1/officer/matters/441424-SWJ-0902", headers=officer), 404)


def test_a_write_whose_audit_cannot_land_leaves_nothing(client, officer, settings, monkeypatch):
    """The matter, its history and its audit record are one transaction."""
    from functions.core.store import audit_put as real


    def broken(table, **kwargs):
        put = real(table, **kwargs)
        put["Put"]["ConditionExpression"] = "attribute_exists(pk)"  # can never hold
        return put

    monkeypatch.setattr(store, "audit_put", broken)
    body = {**MATTER, "code": "441424-SWJ-0903"}
    # A failed condition no store turned into the domain's answer is a 409 (core.errors).
    ok(client.post("/api/v1/officer/matters", json=body, headers=officer), 409)
    monkeypatch.undo()
    ok(client.get("/api/v1/officer/matters/441424-SWJ-0903", headers=officer), 404)


def test_publish_is_queued_and_running_instances_pick_it_up(client, settings, token, stack):
    admin = token("catalogue_admin", subject="editor-1")
    fresh = create_app(dataclasses.replace(settings, catalogue_refresh_seconds=0)).test_client()
    before = ok(fresh.get("/api/v1/health"))["catalogue_version"]
    body = {**MATTER, "code": "441424-SWJ-0904", "name": "五华县新上线的测试事项"}
    ok(client.post("/api/v1/officer/matters", json=body, headers=admin), 201)
    codes = [m["code"] for m in ok(fresh.get("/api/v1/matters?q=新上线的测试事项"))["items"]]
    assert "441424-SWJ-0904" not in codes  # drafts are not public until published

    drain_queue(settings)
    ok(client.post("/api/v1/officer/catalogue/publish", headers=admin), 202)
    sqs = aws.client("sqs", settings)
    got = sqs.receive_message(QueueUrl=settings.queue_url, MaxNumberOfMessages=10,
                              WaitTimeSeconds=1)["Messages"]
    event = {"Records": [{"messageId": m["MessageId"], "body": m["Body"],
                          "eventSource": "aws:sqs"} for m in got]}
    assert workers.handle_queue(event) == {"batchItemFailures": []}
    assert json.loads(got[0]["Body"])["actor"] == "editor-1"

    assert ok(fresh.get("/api/v1/health"))["catalogue_version"] == before + 1
    found = ok(fresh.get("/api/v1/matters?q=新上线的测试事项"))["items"]
    assert found and found[0]["code"] == "441424-SWJ-0904"
    status = ok(client.get("/api/v1/officer/catalogue", headers=admin))
    assert status["version"] == before + 1 and status["published_rev"] == status["draft_rev"]
    assert workers.republish_if_dirty({}) == {"published": False, "version": before + 1}


def test_search_misses_are_listed_for_editors(client, token):
    q = "量子力学"
    assert ok(client.get(f"/api/v1/matters?q={q}"))["items"] == []
    ok(client.get(f"/api/v1/matters?q={q}"))
    misses = ok(client.get("/api/v1/officer/search-misses",
                           headers=token("officer", department="SWJ", region="441424")))
    assert [m["count"] for m in misses["items"] if m["q"] == q] == [2]


def test_a_retried_create_that_already_landed_is_not_a_conflict(settings):
    """The SDK resends a transaction whose answer was lost; the write must count once."""
    who = Principal("officer-1", "officer", frozenset({"officer"}), department="SWJ",
                    region="441424")
    # As the route hands it over: loaded, with the schema's defaults (a raw doc would be a
    # draft no import could reproduce, and the catalogue's export/import round trip fails).
    doc = schemas.MatterInput().load({**MATTER, "code": "441424-SWJ-0905"})
    at = datetime(2026, 11, 26, 10, tzinfo=clock.CHINA)
    for _ in range(2):
        assert service.create_matter(settings, who, doc, at=at) == {
            **doc, "version": 1, "status": "active"}
    assert len(audit_records(settings, doc["code"])) == 1


ENGLISH = {
    "name_en": "Test tax matter in Wuhua", "aliases_en": ["test tax"],
    "conditions_en": ["Registered taxpayers"], "process_en": ["Apply online", "Accepted", "Done"],
    "fees": [{"item": "工本费", "amount": "10元", "name_en": "Cost", "amount_en": "CNY 10"}],
    "materials": [{"name": "营业执照", "name_en": "Business licence", "form": "electronic"}],
    "form_fields": [{"name": "size", "label": "规模", "label_en": "Size", "type": "select",
                     "options": ["大", "小"], "options_en": ["Large", "Small"]}],
}


def test_a_matter_takes_its_english(client, token):
    admin = token("catalogue_admin")
    doc = {**MATTER, **ENGLISH, "code": "441424-SWJ-0951"}
    saved = ok(client.post("/api/v1/officer/matters", headers=admin, json=doc), 201)
    got = ok(client.get(f"/api/v1/officer/matters/{doc['code']}", headers=admin))
    assert saved["version"] == 1 and got["name_en"] == "Test tax matter in Wuhua"
    assert got["form_fields"][0]["options_en"] == ["Large", "Small"]
    assert got["fees"][0]["amount_en"] == "CNY 10"


@pytest.mark.parametrize("change,field", [
    ({"conditions_en": ["One", "Two"]}, "conditions_en"),
    ({"process_en": ["Apply online"]}, "process_en"),
    ({"form_fields": [{"name": "size", "label": "规模", "type": "select", "options": ["大", "小"],
                       "options_en": ["Large"]}]}, "form_fields"),
])
def test_english_lists_run_parallel_to_the_chinese(client, token, change, field):
    admin = token("catalogue_admin")
    doc = {**MATTER, **ENGLISH, **change, "code": "441424-SWJ-0952"}
    body = ok(client.post("/api/v1/officer/matters", headers=admin, json=doc), 422)
    assert field in body["error"]["details"]["fields"], body
    ok(client.get(f"/api/v1/officer/matters/{doc['code']}", headers=admin), 404)  # nothing written
