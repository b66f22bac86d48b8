"""Delivery under faults, beyond test_delivery.py: the push service answering 404, 429 without
Retry-After, 429 until the tries run out, 500 and then 201, and stalling past the sender's
timeout (an urgent or legal notice then goes by SMS, recorded in the ledger); a triggered
notice meeting 429 and 410; and the queue handing records out twice and in reverse order
(campaign records, material scans, publish requests): nothing doubled, nothing lost."""
from __future__ import annotations

import json
import time
from datetime import timedelta

import pytest

from functions import workers
from functions.core import aws, clock
from functions.core import store as core_store
from functions.core.store import transact
from functions.hall import service as hall_service
from functions.hall import store as hall_store
from functions.identity.service.common import phone_hash
from functions.push import delivery, dispatch, preferences, webpush
from functions.push import delivery_model as rules
from functions.push import subscriptions_store as devices_store
from functions.push.store import inbox_put
from tests.helpers import drain_queue
from tests.push import delivery_helpers as h
from tests.push.inbox_factories import citizen, principal
from tests.push.test_delivery import DAY


@pytest.fixture(autouse=True)
def _fresh(settings, monkeypatch):
    monkeypatch.setattr(delivery.clock, "now", lambda: DAY)
    webpush.forget()
    drain_queue(settings)
    yield
    webpush.forget()


def deliver(settings, body, *, receive_count=1):
    return delivery.deliver(settings, {**body, "receive_count": receive_count}, now=DAY)


def texts(settings, acct) -> list[dict]:
    return core_store.outbox(settings, phone_hash(settings, acct["phone"]))


# ---- the push service's answers -----------------------------------------------------------

def test_404_removes_the_subscription_counts_it_once_and_never_tries_it_again(settings, svc):
    acct, [sub] = h.person_with_device(settings, svc, "404")
    cid = h.new_campaign()
    body = h.job(cid, [acct])
    assert deliver(settings, body)["done"] == 1  # no RetryLater: a gone device is no retry
    assert devices_store.of_account(settings, acct["id"]) == []
    assert deliver(settings, body)["skipped"] == 1  # SQS hands the record out again
    assert len(svc.for_token(sub.token)) == 1
    assert h.counters(settings, cid) == {"inbox": 1, "failed": 1}
    assert h.ledger(settings, acct)[0]["channels"]["push"] == "gone"


def test_429_without_retry_after_backs_off_then_sends_and_counts_once(settings, svc):
    acct, [sub] = h.person_with_device(settings, svc, "429")
    sub.retry_after = None
    cid = h.new_campaign()
    h.send(settings, h.job(cid, [acct]))
    [rec] = h.receive(settings)
    assert h.run(settings, [rec]) == [rec["messageId"]]  # failed: to be handed out again
    # No Retry-After: the backoff of the first try (10 s) set as the record's visibility.
    assert rules.backoff(1, None) == 10 and h.receive(settings) == []
    assert h.counters(settings, cid) == {"inbox": 1}  # neither failed nor dropped
    sub.answer = "201"
    h.sqs(settings).change_message_visibility(  # the 10 s passed
        QueueUrl=settings.queue_url, ReceiptHandle=rec["receiptHandle"], VisibilityTimeout=0)
    [again] = h.receive(settings, wait=2)
    assert again["attributes"]["ApproximateReceiveCount"] == "2"
    assert h.run(settings, [again]) == []
    assert h.counters(settings, cid) == {"inbox": 1, "push": 1, "delivered": 1}
    assert len(h.inbox_items(settings, acct)) == 1 and len(h.ledger(settings, acct)) == 1


def test_429_on_every_try_is_counted_failed_once_however_often_the_record_comes(settings,
                                                                                 svc):
    acct, [sub] = h.person_with_device(settings, svc, "429")
    sub.retry_after = None
    cid = h.new_campaign()
    body = h.job(cid, [acct])
    for n in range(1, rules.PUSH_TRIES):
        with pytest.raises(delivery.RetryLater) as err:
            deliver(settings, body, receive_count=n)
        assert err.value.seconds == rules.backoff(n, None) == 10 * 2 ** (n - 1)
    assert deliver(settings, body, receive_count=rules.PUSH_TRIES)["done"] == 1
    for n in (rules.PUSH_TRIES + 1, rules.PUSH_TRIES + 2):  # redelivered after the end
        assert deliver(settings, body, receive_count=n)["skipped"] == 1
    assert len(svc.for_token(sub.token)) == rules.PUSH_TRIES
    assert h.counters(settings, cid) == {"inbox": 1, "failed": 1}
    [entry] = h.ledger(settings, acct)
    assert entry["channels"]["push"] == "failed" and entry["status"] == "failed"


def test_500_is_retried_and_a_later_201_delivers_once(settings, svc):
    acct, [sub] = h.person_with_device(settings, svc, "500")
    cid = h.new_campaign()
    body = h.job(cid, [acct])
    with pytest.raises(delivery.RetryLater):
        deliver(settings, body)
    sub.answer = "201"
    assert deliver(settings, body, receive_count=2)["done"] == 1
    assert deliver(settings, body, receive_count=3)["skipped"] == 1
    assert len(svc.for_token(sub.token)) == 2
    assert h.counters(settings, cid) == {"inbox": 1, "push": 1, "delivered": 1}
    assert h.ledger(settings, acct)[0]["status"] == "delivered"


@pytest.fixture
def short_timeout(monkeypatch):
    """The sender's read timeout, shortened (5 s in webpush.TIMEOUT) so the stalls are quick;
    the stand-in service answers only after 10 s."""
    from urllib3 import Timeout

    monkeypatch.setattr(webpush, "_timeout", lambda pair: Timeout(connect=pair[0], read=0.4))


@pytest.mark.parametrize("flag", ["urgent", "legal"])
def test_a_stalled_push_service_times_out_and_an_urgent_or_legal_notice_goes_by_sms(
        settings, svc, short_timeout, flag):
    acct, [sub] = h.person_with_device(settings, svc, "hang")
    cid = h.new_campaign()
    body = h.job(cid, [acct])
    body["message"][flag] = True
    for n in range(1, rules.PUSH_TRIES):
        started = time.monotonic()
        with pytest.raises(delivery.RetryLater):
            deliver(settings, body, receive_count=n)
        assert time.monotonic() - started < 5  # the sender's timeout, not the service's reply
        assert texts(settings, acct) == []  # push still has tries left
    assert deliver(settings, body, receive_count=rules.PUSH_TRIES)["done"] == 1
    assert deliver(settings, body, receive_count=rules.PUSH_TRIES + 1)["skipped"] == 1
    [text] = texts(settings, acct)  # one text, however often the record came
    [entry] = h.ledger(settings, acct)
    assert entry["channels"] == {"inbox": "delivered", "push": "failed", "sms": "sent"}
    assert entry["status"] == "fallback_sms" and entry["code"] in text["text"]
    assert h.counters(settings, cid) == {"inbox": 1, "sms": 1, "delivered": 1}
    assert len(svc.for_token(sub.token)) == rules.PUSH_TRIES


def test_a_stalled_push_service_fails_an_ordinary_notice_without_a_text(settings, svc,
                                                                         short_timeout):
    acct, _ = h.person_with_device(settings, svc, "hang")
    cid = h.new_campaign()
    body = h.job(cid, [acct])
    for n in range(1, rules.PUSH_TRIES):
        with pytest.raises(delivery.RetryLater):
            deliver(settings, body, receive_count=n)
    deliver(settings, body, receive_count=rules.PUSH_TRIES)
    assert texts(settings, acct) == []
    assert h.counters(settings, cid) == {"inbox": 1, "failed": 1}
    assert h.ledger(settings, acct)[0]["channels"] == {"inbox": "delivered", "push": "failed"}


# ---- triggered notices (the sweep) ----------------------------------------------------------

def _triggered(settings, acct) -> tuple[str, str]:
    """An application notice in the person's inbox, due to go out on their channels now."""
    preferences.update(settings, principal(acct), {"quiet_hours": None}, at=DAY)
    puts = inbox_put(settings.table_name, account=acct["id"], kind="application",
                     title="办件已受理", body="您申请的事项已受理。", at=clock.iso(DAY),
                     link="/#/applications")
    transact(settings, puts)
    return f"ACCOUNT#{acct['id']}", puts[0]["Put"]["Item"]["sk"]["S"]


def test_a_triggered_notice_meeting_429_waits_for_the_next_sweep_and_goes_once(settings,
                                                                               svc):
    acct, [sub] = h.person_with_device(settings, svc, "429")
    pk, sk = _triggered(settings, acct)
    shard, now = [rules.shard_of(pk)], DAY + timedelta(seconds=5)
    dispatch.sweep(settings, now=now, shards=shard)
    assert dispatch.pending(settings, pk, sk)  # not dropped
    assert [e for e in h.ledger(settings, acct) if e["topic"] == "application"] == []
    sub.answer = "201"
    dispatch.sweep(settings, now=now + timedelta(minutes=1), shards=shard)
    dispatch.sweep(settings, now=now + timedelta(minutes=2), shards=shard)
    assert not dispatch.pending(settings, pk, sk)
    assert [p.error for p in svc.for_token(sub.token)] == [None, None]  # refused, then taken
    [entry] = [e for e in h.ledger(settings, acct) if e["topic"] == "application"]
    assert entry["channels"] == {"inbox": "delivered", "push": "delivered"}


def test_a_triggered_notice_meeting_410_removes_the_device_and_is_done(settings, svc):
    acct, [sub] = h.person_with_device(settings, svc, "410")
    pk, sk = _triggered(settings, acct)
    shard, now = [rules.shard_of(pk)], DAY + timedelta(seconds=5)
    dispatch.sweep(settings, now=now, shards=shard)
    dispatch.sweep(settings, now=now + timedelta(minutes=1), shards=shard)
    assert not dispatch.pending(settings, pk, sk)
    assert devices_store.of_account(settings, acct["id"]) == []
    assert len(svc.for_token(sub.token)) == 1
    [entry] = [e for e in h.ledger(settings, acct) if e["topic"] == "application"]
    assert entry["channels"]["push"] == "gone"


# ---- the queue: twice, and in reverse order -------------------------------------------------

def test_campaign_records_twice_and_in_reverse_order_reach_each_person_once(settings, svc):
    people = [h.person_with_device(settings, svc) for _ in range(3)]
    bare = citizen(settings)  # no device: an urgent message goes by text
    cid = h.new_campaign()
    first = h.job(cid, [a for a, _ in people[:2]], urgent=True)
    second = h.job(cid, [people[2][0], bare], urgent=True)
    r1, r2 = h.record(first), h.record(second)
    assert h.run(settings, [r2, r1, h.record(second)]) == []
    assert h.run(settings, [h.record(first, receive_count=2)]) == []
    for acct, subs in people:
        assert len(h.inbox_items(settings, acct)) == 1
        assert len(h.pushes(svc, subs)) == 1 and len(h.ledger(settings, acct)) == 1
        assert texts(settings, acct) == []
    assert len(h.inbox_items(settings, bare)) == 1 and len(texts(settings, bare)) == 1
    c = h.counters(settings, cid)
    assert c == {"inbox": 4, "push": 3, "sms": 1, "delivered": 4}
    assert rules.reconciles({**c, "targeted": 4})


def _scan_jobs(settings, app_id: str) -> list[dict]:
    """This application's scan jobs, taken off the queue as SQS records."""
    sqs, out = aws.client("sqs", settings), []
    for _ in range(20):
        got = sqs.receive_message(QueueUrl=settings.queue_url, MaxNumberOfMessages=10,
                                  WaitTimeSeconds=0, AttributeNames=["All"]).get("Messages", [])
        if not got:
            break
        for m in got:
            sqs.delete_message(QueueUrl=settings.queue_url, ReceiptHandle=m["ReceiptHandle"])
            if json.loads(m["Body"]).get("app_id") == app_id:
                out.append(h.record(json.loads(m["Body"])))
    return out


def test_scan_jobs_twice_and_in_reverse_order_decide_each_upload_once(settings):
    from functions.intake import service as intake
    from functions.intake import store as intake_store
    from tests.intake.factories import CARD, CARD_FORM, drafted, put_upload
    from tests.intake.factories import person as intake_person

    who = intake_person(settings)
    app = drafted(settings, who, CARD, CARD_FORM)
    name = next(iter(intake_store.get(settings, app["id"])["materials"]))
    first = intake_store.get(settings, app["id"])["materials"][name]["key"]
    intake.attach_material(settings, who, app["id"], material=name,
                           upload_key=put_upload(settings, app["id"]), now=clock.now())
    second = intake_store.get(settings, app["id"])["materials"][name]["key"]
    jobs = [json.loads(r["body"]) for r in _scan_jobs(settings, app["id"])]
    assert {first, second} <= {j["key"] for j in jobs} and first != second
    # The replacement's job first, then the replaced one's, then both again: each upload's
    # verdict is recorded (with its audit record, in one transaction) once.
    results = [workers.handle_job(settings, j) for j in list(reversed(jobs)) + jobs]
    assert [r["changed"] for r in results] == [True] * len(jobs) + [False] * len(jobs)
    rows = intake_store.scans(settings, app["id"])
    assert len(rows) == len(jobs) and {r["status"] for r in rows.values()} == {"clean"}
    assert [workers.handle_job(settings, j) for j in jobs] == [
        {"status": "clean", "changed": False}] * len(jobs)
    assert intake_store.scans(settings, app["id"]) == rows  # no verdict written again


def test_a_publish_request_delivered_twice_and_after_a_later_one_publishes_once(settings):
    from functions.core.auth import Principal

    admin = Principal("editor-faults", "officer", frozenset({"catalogue_admin"}))
    before = hall_store.pointer(settings)["version"]
    hall_service.request_publish(settings, admin)
    hall_service.request_publish(settings, admin)
    jobs = [m for m in h.receive(settings, wait=1)
            if json.loads(m["body"])["job"] == hall_service.PUBLISH_JOB]
    assert len(jobs) == 2
    later, earlier = sorted(jobs, key=lambda m: json.loads(m["body"])["requested_at"],
                            reverse=True)
    assert h.run(settings, [later, earlier, later]) == []
    assert hall_store.pointer(settings)["version"] == before + 1
