"""Unified intake: apply, materials, submit, officer actions, deadlines, nothing half written."""
from __future__ import annotations

import json
import threading
import uuid
from datetime import datetime

import pytest

from functions import workers
from functions.core import aws, clock
from tests.helpers import ok
from tests.intake.factories import CARD, CARD_FORM, drafted, filled, officer


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
                         json={"matter": CARD, "form": {"bank_choice": "中国银行"}}), 201)
    err = ok(client.post(f"/api/v1/applications/{app['id']}/submit", headers=citizen), 422)
    assert list(err["error"]["details"]["fields"]) == ["form.delivery"]
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


def test_a_deadline_in_an_unannounced_year_is_provisional_until_the_schedule_arrives(
        client, someone, admin, settings):
    from functions.intake import service

    december = datetime(2026, 12, 21, 10, 0, tzinfo=clock.CHINA)
    app = drafted(settings, someone, CARD, CARD_FORM)
    service.submit(settings, someone, app["id"], now=december)
    acc = service.act(settings, officer("RSJ"), app["id"], action="accept", now=december)
    # 15 legal working days from 2026-12-21 run into 2027, whose holidays are not announced.
    assert acc["deadlines"]["provisional"] and acc["deadlines"]["unknown_years"] == [2027]
    weekends_only = acc["deadlines"]["legal"]["due"]
    loaded = ok(client.post("/api/v1/admin/holidays", headers=admin, json={
        "year": 2027, "holidays": ["2027-01-01"], "workdays": [], "source": "test"}), 201)
    assert loaded == {"year": 2027, "recomputation": "queued"}
    assert queued_jobs(settings, "intake.recompute_deadlines") == [{"year": 2027}]
    # Until the worker runs, the deadline stays as counted.
    assert service.get(settings, someone, app["id"])["deadlines"]["provisional"]
    done = workers.handle_job(settings, {"job": "intake.recompute_deadlines"})
    assert done["recomputed"] >= 1
    after = service.get(settings, someone, app["id"])
    assert not after["deadlines"]["provisional"]
    assert after["deadlines"]["legal"]["due"] > weekends_only  # New Year's Day now counts
    # SQS may deliver twice: the second run finds nothing to change and writes nothing.
    again = workers.handle_job(settings, {"job": "intake.recompute_deadlines"})
    assert again["recomputed"] == 0
    assert service.get(settings, someone, app["id"]) == after


def queued_jobs(settings, name: str) -> list[dict]:
    """The messages of job `name` on the jobs queue (taken off it), without their request
    ids; other tests' messages are made visible again."""
    sqs, found, others = aws.client("sqs", settings), [], []
    while got := sqs.receive_message(QueueUrl=settings.queue_url, MaxNumberOfMessages=10,
                                     WaitTimeSeconds=0, VisibilityTimeout=30).get("Messages"):
        for m in got:
            body = json.loads(m["Body"])
            if body["job"] != name:
                others.append(m["ReceiptHandle"])
                continue
            found.append({k: v for k, v in body.items() if k not in ("job", "request_id")})
            sqs.delete_message(QueueUrl=settings.queue_url, ReceiptHandle=m["ReceiptHandle"])
    for handle in others:
        sqs.change_message_visibility(QueueUrl=settings.queue_url, ReceiptHandle=handle,
                                      VisibilityTimeout=0)
    return found


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
    # The audit record's own condition failed: no store maps it, so it is a 409 ...
    ok(client.post(f"/api/v1/officer/applications/{app['id']}/actions", headers=rsj,
                   json={"action": "accept"}), 409)
    monkeypatch.undo()
    after = ok(client.get(f"/api/v1/applications/{app['id']}", headers=citizen))
    assert after["status"] == "submitted"  # ... and nothing of the move landed
    assert [e["action"] for e in after["events"]] == ["create", "submit"]
