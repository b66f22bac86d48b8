"""Officers' campaigns through the API: create, dry run, a second officer's approval, cancel,
report; who may do what; bad input."""
from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from functions.core import clock
from tests.helpers import ok
from tests.licences.factories import assert_audited
from tests.push.campaign_factories import body, deliver_jobs, officers, parties, subscribe

BASE = "/api/v1/officer/campaigns"


def _industry() -> str:
    return "茶叶" + uuid.uuid4().hex[:6]  # a segment no other test's subscribers fall in


def _enterprise_segment(industry: str, **more) -> dict:
    return {"audience": "enterprise", "industry": industry, **more}


def test_create_dry_run_approve_by_a_second_officer_and_report(client, settings, token):
    author, second = officers(token)
    industry = _industry()
    firms = [subscribe(settings, "hot_tax", county=c, enterprise={
        "industry": industry, "size": "micro", "founded": "2021-03-01"})
        for c in ("441402", "441402", "441424")]
    subscribe(settings, "hot_business", enterprise={"industry": industry, "size": "micro",
                                                     "founded": "2021-03-01"})  # other topic
    made = ok(client.post(BASE, json=body(_enterprise_segment(industry)), headers=author), 201)
    assert made["state"] == "draft" and made["may_approve"] is False
    assert made["legal"] is False and made["params"] == {"title": "小微企业减税新政"}
    assert_audited(settings, "officer-camp-a", "campaign.create", f"campaign:{made['id']}")

    dry = ok(client.post(f"{BASE}/{made['id']}/dry-run", headers=author))
    assert dry["count"] == 3 and dry["by_county"] == {"441402": 2, "441424": 1}
    assert dry["nobody"] is False and len(dry["sample"]) == 3
    assert all("****" in s["party"] for s in dry["sample"])
    assert deliver_jobs(settings, made["id"]) == []  # a dry run sends nothing

    # The author may not approve; the second officer of the department does.
    refused = client.post(f"{BASE}/{made['id']}/approve", headers=author)
    assert refused.status_code == 403
    assert refused.get_json()["error"]["details"]["reason"] == "author"
    assert ok(client.get(f"{BASE}/{made['id']}", headers=second))["may_approve"] is True
    approved = ok(client.post(f"{BASE}/{made['id']}/approve", headers=second))
    assert approved["state"] == "approved" and approved["approver"] == "officer-camp-b"
    assert_audited(settings, "officer-camp-b", "campaign.approve", f"campaign:{made['id']}")
    again = client.post(f"{BASE}/{made['id']}/approve", headers=second)
    assert again.status_code == 409

    # The approval queued the plan job; the worker runs it (as the queue would).
    from functions import workers
    from tests.push.campaign_factories import aws_jobs

    for job in aws_jobs(settings, "campaign.plan"):
        workers.handle_job(settings, job)
    jobs = deliver_jobs(settings, made["id"])
    assert parties(jobs) == sorted(firms)
    msg = jobs[0]["message"]
    assert msg["topic"] == "hot_tax" and msg["template"] == "announcement"
    assert msg["why"]["campaign"] == made["id"] and industry in msg["why"]["rule"]

    report = ok(client.get(f"{BASE}/{made['id']}/report", headers=second))
    assert report["state"] == "done"
    assert report["targeted"] == 3 and report["queued"] == 3 and report["pending"] == 3
    assert report["delivered"] == {"recipients": 0, "inbox": 0, "push": 0, "sms": 0}
    assert report["reconciled"] is False  # nothing delivered yet

    listed = ok(client.get(BASE, headers=second))
    assert made["id"] in [c["id"] for c in listed["items"]]


def test_report_reconciles_with_the_workers_counters(client, settings, token):
    from functions.core.store import transact
    from functions.push import campaigns_store

    author, second = officers(token)
    industry = _industry()
    for _ in range(4):
        subscribe(settings, "hot_tax", enterprise={"industry": industry, "size": "small",
                                                   "founded": "2019-01-01"})
    made = ok(client.post(BASE, json=body(_enterprise_segment(industry)), headers=author), 201)
    ok(client.post(f"{BASE}/{made['id']}/approve", headers=second))
    from functions.push import planner

    assert planner.plan(settings, made["id"], now=clock.now())["done"] is True
    # What the delivery worker writes, one transaction item per recipient outcome.
    t = settings.table_name
    transact(settings, [campaigns_store.count(t, made["id"], delivered=2, inbox=2, push=2)])
    transact(settings, [campaigns_store.count(t, made["id"], deferred=1, inbox=1)])
    transact(settings, [campaigns_store.count(t, made["id"], failed=1, opened=1)])
    report = ok(client.get(f"{BASE}/{made['id']}/report", headers=author))
    assert report["targeted"] == 4 and report["pending"] == 0 and report["reconciled"] is True
    assert report["delivered"] == {"recipients": 2, "inbox": 3, "push": 2, "sms": 0}
    assert (report["delivered"]["recipients"] + report["deferred"] + report["failed"]
            + report["cancelled"]) == report["targeted"]
    deliver_jobs(settings, made["id"])


def test_a_segment_of_nobody_says_so(client, settings, token):
    author, _ = officers(token)
    made = ok(client.post(BASE, json=body(_enterprise_segment(_industry())), headers=author), 201)
    dry = ok(client.post(f"{BASE}/{made['id']}/dry-run", headers=author))
    assert dry["count"] == 0 and dry["nobody"] is True and dry["by_county"] == {}
    assert "没有匹配的对象" in dry["message_zh"] and "nobody" in dry["message"]


def test_cancel_stops_planning_and_is_audited(client, settings, token):
    from functions.push import campaigns_store, planner

    author, second = officers(token)
    industry = _industry()
    subscribe(settings, "hot_tax", enterprise={"industry": industry, "size": "micro",
                                               "founded": "2022-01-01"})
    made = ok(client.post(BASE, json=body(_enterprise_segment(industry)), headers=author), 201)
    ok(client.post(f"{BASE}/{made['id']}/approve", headers=second))
    cancelled = ok(client.post(f"{BASE}/{made['id']}/cancel", headers=author))
    assert cancelled["state"] == "cancelled"
    assert campaigns_store.state(settings, made["id"]) == "cancelled"
    assert_audited(settings, "officer-camp-a", "campaign.cancel", f"campaign:{made['id']}")
    assert planner.plan(settings, made["id"], now=clock.now())["pages"] == 0
    assert deliver_jobs(settings, made["id"]) == []
    assert client.post(f"{BASE}/{made['id']}/cancel", headers=author).status_code == 409
    assert client.post(f"{BASE}/{made['id']}/approve", headers=second).status_code == 409


def test_citizens_are_refused_and_other_departments_see_nothing(client, settings, token):
    author, _ = officers(token)
    made = ok(client.post(BASE, json=body({"audience": "person"}), headers=author), 201)
    citizen = token("citizen", subject="citizen-camp", kind="citizen")
    assert client.get(BASE, headers=citizen).status_code == 403
    assert client.post(BASE, json=body({"audience": "person"}), headers=citizen).status_code == 403
    assert client.post(f"{BASE}/{made['id']}/approve", headers=citizen).status_code == 403
    assert client.get(BASE).status_code == 401
    other = token("officer", department="GAJ", region="441400", subject="officer-gaj")
    for path in ("", "/report"):
        assert client.get(f"{BASE}/{made['id']}{path}", headers=other).status_code == 404
    for action in ("dry-run", "approve", "cancel"):
        assert client.post(f"{BASE}/{made['id']}/{action}", headers=other).status_code == 404
    assert made["id"] not in [c["id"] for c in ok(client.get(BASE, headers=other))["items"]]
    assert client.get(f"{BASE}/nope!", headers=author).status_code == 404


@pytest.mark.parametrize("change, field", [
    ({"text": "点击领取补贴 http://x.cn"}, "text"),                # free text: no such field
    ({"template": "free_text"}, "template"),                      # not an approved template
    ({"template": "login_code", "params": {"code": "1", "minutes": "5"}}, "template"),
    ({"template": "licence_expiry"}, "template"),                 # not for this topic
    ({"params": {"title": "见 www.example.com"}}, "title"),        # a link in a parameter
    ({"params": {"title": "x", "check": "AAAA1111"}}, "params.check"),
    ({"params": {}}, "title"),
    ({"topic": "security"}, "topic"),
    ({"segment": {"audience": "robots"}}, "segment.audience"),
    ({"segment": {"audience": "person", "size": "micro"}}, "segment.size"),
    ({"segment": {"audience": "person", "age_band": [60, 20]}}, "segment.age_band"),
    ({"segment": {"audience": "enterprise", "county": "110101"}}, "segment.county"),
    ({"segment": {"audience": "enterprise", "size": "huge"}}, "segment.size"),
    ({"segment": {"audience": "person", "applied_for": "x"}}, "segment.applied_for"),
    ({"send_at": "2020-01-01T09:00:00+08:00"}, "send_at"),
    ({"send_at": "tomorrow"}, "send_at"),
    ({"name": ""}, "name"),
])
def test_bad_input_is_a_422_naming_the_field(client, token, change, field):
    author, _ = officers(token)
    resp = client.post(BASE, json={**body({"audience": "person"}), **change}, headers=author)
    assert resp.status_code == 422, resp.get_json()
    assert field in resp.get_json()["error"]["details"]["fields"], resp.get_json()


def test_a_scheduled_campaign_waits_for_its_time(client, settings, token):
    from functions.push import campaigns

    author, second = officers(token)
    industry = _industry()
    firm = subscribe(settings, "hot_tax", enterprise={"industry": industry, "size": "micro",
                                                      "founded": "2020-06-01"})
    at = (clock.now() + timedelta(hours=2)).isoformat(timespec="seconds")
    made = ok(client.post(BASE, json=body(_enterprise_segment(industry), send_at=at),
                          headers=author), 201)
    assert ok(client.post(f"{BASE}/{made['id']}/approve", headers=second))["state"] == "scheduled"
    from tests.push.campaign_factories import aws_jobs

    assert not [j for j in aws_jobs(settings, "campaign.plan") if j["campaign"] == made["id"]]
    assert campaigns.release_due(settings, now=clock.now())["released"] >= 0
    assert not [j for j in aws_jobs(settings, "campaign.plan") if j["campaign"] == made["id"]]
    later = clock.now() + timedelta(hours=2, minutes=1)
    campaigns.release_due(settings, now=later)
    plan_jobs = [j for j in aws_jobs(settings, "campaign.plan") if j["campaign"] == made["id"]]
    assert len(plan_jobs) == 1
    # Released once: the next run within 15 minutes hands it on again never.
    campaigns.release_due(settings, now=later + timedelta(minutes=5))
    assert not [j for j in aws_jobs(settings, "campaign.plan") if j["campaign"] == made["id"]]
    from functions.push import planner

    assert planner.plan(settings, made["id"], now=later)["done"] is True
    assert parties(deliver_jobs(settings, made["id"])) == [firm]
    assert ok(client.get(f"{BASE}/{made['id']}", headers=author))["state"] == "done"
    # Done: the due marker went with it, so no later run hands it on.
    campaigns.release_due(settings, now=later + timedelta(hours=1))
    assert not [j for j in aws_jobs(settings, "campaign.plan") if j["campaign"] == made["id"]]
