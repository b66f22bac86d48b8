"""The delivery worker against the loopback push service (which verifies VAPID and decrypts):
one inbox item and one push for a record delivered twice, quiet hours and caps defer and
release, gone subscriptions removed, Retry-After honoured through the record's visibility, a
push given up after its tries, the DLQ after the queue's receives, partial batch responses,
the SMS fallback, a campaign reconciling to 100%, a throttled store writing nothing."""
from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest
from botocore.exceptions import ClientError

from functions.core import aws, clock
from functions.core import store as core_store
from functions.push import campaigns_store, delivery, delivery_store, preferences, webpush
from functions.push import delivery_model as rules
from functions.push import subscriptions_store as devices_store
from tests.helpers import drain_queue
from tests.push import delivery_helpers as h
from tests.push.inbox_factories import principal

DAY = datetime(2026, 12, 2, 10, 0, tzinfo=clock.CHINA)     # a Wednesday, 10:00 Beijing
NIGHT = datetime(2026, 12, 2, 22, 30, tzinfo=clock.CHINA)


@pytest.fixture(autouse=True)
def _fresh(settings, monkeypatch):
    # The worker's clock (when a record comes through the handler): a weekday morning,
    # outside the default quiet hours, whatever the time of the run.
    monkeypatch.setattr(delivery.clock, "now", lambda: DAY)
    webpush.forget()
    drain_queue(settings)
    yield
    webpush.forget()


def deliver(settings, body, *, now=DAY, receive_count=1):
    return delivery.deliver(settings, {**body, "receive_count": receive_count}, now=now)


def test_a_record_delivered_twice_gives_one_inbox_item_and_one_push(settings, svc):
    acct, subs = h.person_with_device(settings, svc)
    cid = h.new_campaign()
    body = h.job(cid, [acct])
    assert deliver(settings, body)["done"] == 1
    assert deliver(settings, body) == {"skipped": 1, "done": 0, "deferred": 0, "cancelled": 0}
    [item] = h.inbox_items(settings, acct)
    assert item["kind"]["S"] == "campaign" and "个人所得税汇算" in item["body"]["S"]
    assert "gsi1pk" not in item  # a campaign's notice is not dispatched again as triggered
    [got] = h.pushes(svc, subs)
    assert got.error is None  # VAPID verified and the body decrypted with the device's keys
    assert got.payload == webpush.lock_screen_payload(got.payload["id"])
    assert got.payload["body"] == "您有一条新消息"  # nothing personal on the lock screen
    [entry] = h.ledger(settings, acct)
    assert entry["channels"] == {"inbox": "delivered", "push": "delivered"}
    assert entry["status"] == "delivered" and entry["why"]["campaign"] == cid
    assert len(entry["code"]) == 8 and entry["code"] in item["body"]["S"]  # 核验码
    assert h.counters(settings, cid) == {"inbox": 1, "push": 1, "delivered": 1}


def test_two_copies_of_a_record_in_one_batch_push_once(settings, svc):
    acct, subs = h.person_with_device(settings, svc)
    body = h.job(h.new_campaign(), [acct])
    assert h.run(settings, [h.record(body), h.record(body)]) == []
    assert len(h.inbox_items(settings, acct)) == 1
    assert len(h.pushes(svc, subs)) == 1


def test_quiet_hours_defer_by_the_queue_and_release_in_the_morning(settings, svc):
    acct, subs = h.person_with_device(settings, svc)
    cid = h.new_campaign()
    got = deliver(settings, h.job(cid, [acct]), now=NIGHT)
    assert got["deferred"] == 1
    assert len(h.inbox_items(settings, acct)) == 1  # the inbox has it at once
    assert h.pushes(svc, subs) == []                # the phone stays quiet
    assert h.counters(settings, cid) == {"inbox": 1, "deferred": 1}
    [entry] = h.ledger(settings, acct)
    assert entry["status"] == "deferred" and entry["channels"]["push"] == "deferred"
    # Back on the queue with the longest delay SQS allows (08:00 is 9.5 h away: chained).
    [rec] = h.receive(settings) or [None]
    assert rec is None  # delayed: not visible yet
    queued = aws.client("sqs", settings).get_queue_attributes(
        QueueUrl=settings.queue_url, AttributeNames=["ApproximateNumberOfMessagesDelayed"])
    assert queued["Attributes"]["ApproximateNumberOfMessagesDelayed"] == "1"
    drain_queue(settings)
    link = {**h.job(cid, [acct])}
    # A link of the chain seen before 08:00 goes back on the queue and sends nothing.
    assert deliver(settings, link, now=NIGHT + timedelta(hours=2))["deferred"] == 1
    assert h.pushes(svc, subs) == []
    morning = datetime(2026, 12, 3, 8, 0, 30, tzinfo=clock.CHINA)
    assert deliver(settings, link, now=morning)["done"] == 1
    [push] = h.pushes(svc, subs)
    assert push.error is None
    assert h.counters(settings, cid) == {"inbox": 1, "deferred": 0, "delivered": 1, "push": 1}
    assert h.ledger(settings, acct)[0]["status"] == "delivered"
    assert deliver(settings, link, now=morning)["skipped"] == 1  # the chain ends


def test_the_deferral_chain_is_one_message_with_delay_seconds(settings, svc, monkeypatch):
    acct, _ = h.person_with_device(settings, svc)
    sent = []
    real = aws.client("sqs", settings)

    class Spy:
        def send_message(self, **kw):
            sent.append(kw)
            return real.send_message(**kw)

    orig = aws.client
    monkeypatch.setattr(delivery.aws, "client", lambda name, s: Spy() if name == "sqs"
                        else orig(name, s))
    deliver(settings, h.job(h.new_campaign(), [acct]), now=NIGHT)
    [kw] = sent
    assert kw["DelaySeconds"] == rules.SQS_DELAY_MAX
    assert "receive_count" not in json.loads(kw["MessageBody"])
    monkeypatch.undo()
    drain_queue(settings)


def test_a_cap_defers_the_overflow_to_the_next_day(settings, svc):
    acct, subs = h.person_with_device(settings, svc)
    preferences.update(settings, principal(acct), {"caps": {"per_day": 2, "per_week": 20}},
                       at=DAY)
    cids = [h.new_campaign() for _ in range(3)]
    results = [deliver(settings, h.job(c, [acct])) for c in cids]
    assert [r["done"] for r in results] == [1, 1, 0] and results[2]["deferred"] == 1
    assert len(h.pushes(svc, subs)) == 2
    assert len(h.inbox_items(settings, acct)) == 3  # never dropped: the inbox has all three
    drain_queue(settings)
    # Still the same day: held. The next day (after the quiet hours end): sent.
    assert deliver(settings, h.job(cids[2], [acct]), now=DAY + timedelta(hours=3))[
        "deferred"] == 1
    assert deliver(settings, h.job(cids[2], [acct]), now=DAY + timedelta(hours=22))[
        "done"] == 1
    assert len(h.pushes(svc, subs)) == 3
    drain_queue(settings)


def test_a_gone_subscription_is_removed_and_never_tried_again(settings, svc):
    acct, [gone, live] = h.person_with_device(settings, svc, devices=2)
    gone.answer = "410"
    cid = h.new_campaign()
    deliver(settings, h.job(cid, [acct]))
    assert [r.token for r in h.pushes(svc, [live])] == [live.token]
    left = devices_store.of_account(settings, acct["id"])
    assert len(left) == 1
    deliver(settings, h.job(h.new_campaign(), [acct]))
    assert len(svc.for_token(gone.token)) == 1 and len(svc.for_token(live.token)) == 2
    only_gone, [sub] = h.person_with_device(settings, svc, "410")
    cid2 = h.new_campaign()
    deliver(settings, h.job(cid2, [only_gone]))
    assert devices_store.of_account(settings, only_gone["id"]) == []
    assert h.counters(settings, cid2) == {"inbox": 1, "failed": 1}
    assert h.ledger(settings, only_gone)[0]["channels"]["push"] == "gone"


def test_429_with_retry_after_sets_the_records_visibility_and_a_later_try_sends(settings, svc):
    acct, [sub] = h.person_with_device(settings, svc, "429")
    sub.retry_after = "7"
    cid = h.new_campaign()
    h.send(settings, h.job(cid, [acct]))
    [rec] = h.receive(settings)
    assert h.run(settings, [rec]) == [rec["messageId"]]  # failed: SQS hands it out again
    assert h.receive(settings) == []  # ... after the 7 seconds Retry-After asked for
    assert len(h.inbox_items(settings, acct)) == 1
    assert h.counters(settings, cid) == {"inbox": 1}  # not yet counted as anything else
    sub.answer = "201"
    [again] = h.receive(settings, wait=10)
    assert again["attributes"]["ApproximateReceiveCount"] == "2"
    assert h.run(settings, [again]) == []
    assert [r.payload is not None for r in h.pushes(svc, [sub])] == [True, True]
    assert h.counters(settings, cid) == {"inbox": 1, "push": 1, "delivered": 1}
    assert len(h.inbox_items(settings, acct)) == 1


def test_500_three_times_gives_the_push_up_and_counts_it_failed(settings, svc):
    acct, [sub] = h.person_with_device(settings, svc, "500")
    cid = h.new_campaign()
    body = h.job(cid, [acct])
    for n in (1, 2):
        with pytest.raises(delivery.RetryLater) as err:
            deliver(settings, body, receive_count=n)
        assert err.value.seconds == rules.backoff(n, None)
    assert deliver(settings, body, receive_count=3)["done"] == 1
    assert len(h.pushes(svc, [sub])) == 3
    assert h.counters(settings, cid) == {"inbox": 1, "failed": 1}
    assert h.ledger(settings, acct)[0]["channels"]["push"] == "failed"


def test_a_record_that_keeps_failing_goes_to_the_dlq_after_the_queues_receives(
        settings, svc, monkeypatch):
    acct, _ = h.person_with_device(settings, svc)
    sqs = h.sqs(settings)
    policy = json.loads(sqs.get_queue_attributes(
        QueueUrl=settings.queue_url, AttributeNames=["RedrivePolicy"])["Attributes"][
        "RedrivePolicy"])
    dlq_url = sqs.get_queue_url(QueueName=policy["deadLetterTargetArn"].rsplit(":", 1)[1])[
        "QueueUrl"]
    broken = ClientError({"Error": {"Code": "InternalServerError", "Message": "down"}},
                         "BatchGetItem")
    monkeypatch.setattr(delivery_store, "batch_get",
                        lambda *a, **k: (_ for _ in ()).throw(broken))
    h.send(settings, h.job(h.new_campaign(), [acct]))
    for n in range(int(policy["maxReceiveCount"])):
        [rec] = h.receive(settings, wait=2)
        assert rec["attributes"]["ApproximateReceiveCount"] == str(n + 1)
        assert h.run(settings, [rec]) == [rec["messageId"]]
        sqs.change_message_visibility(QueueUrl=settings.queue_url,
                                      ReceiptHandle=rec["receiptHandle"], VisibilityTimeout=0)
    assert h.receive(settings) == []
    moved = sqs.receive_message(QueueUrl=dlq_url, WaitTimeSeconds=1).get("Messages", [])
    assert len(moved) == 1 and json.loads(moved[0]["Body"])["job"] == "deliver"
    sqs.delete_message(QueueUrl=dlq_url, ReceiptHandle=moved[0]["ReceiptHandle"])


def test_the_partial_batch_response_lists_only_the_failed_records(settings, svc):
    ok1, _ = h.person_with_device(settings, svc)
    busy, _ = h.person_with_device(settings, svc, "429")
    ok2, _ = h.person_with_device(settings, svc)
    recs = [h.record(h.job(h.new_campaign(), [a])) for a in (ok1, busy, ok2)]
    recs.append(h.record({"job": "deliver", "campaign": "x", "message": {},
                          "recipients": [{"party": "nobody"}]}))
    assert h.run(settings, recs, delete=False) == [recs[1]["messageId"], recs[3]["messageId"]]


def test_sms_for_an_urgent_notice_without_push(settings, svc):
    from tests.push.inbox_factories import citizen

    acct = citizen(settings)
    cid = h.new_campaign()
    deliver(settings, h.job(cid, [acct], urgent=True))
    [entry] = h.ledger(settings, acct)
    assert entry["channels"] == {"inbox": "delivered", "push": "absent", "sms": "sent"}
    assert entry["status"] == "fallback_sms"
    assert h.counters(settings, cid) == {"inbox": 1, "sms": 1, "delivered": 1}
    from functions.identity.service.common import phone_hash

    [text] = core_store.outbox(settings, phone_hash(settings, acct["phone"]))
    assert "个人所得税汇算" in text["text"] and entry["code"] in text["text"]
    # Not urgent, no device: the inbox carries it, no text.
    quiet = citizen(settings)
    deliver(settings, h.job(h.new_campaign(), [quiet]))
    assert h.ledger(settings, quiet)[0]["status"] == "inbox_only"
    assert core_store.outbox(settings, phone_hash(settings, quiet["phone"])) == []


def test_a_campaign_of_thirty_three_reconciles_to_all_of_its_targeted(settings, svc):
    from tests.push.inbox_factories import citizen

    cid = h.new_campaign()
    live = [h.person_with_device(settings, svc)[0] for _ in range(17)]
    gone = [h.person_with_device(settings, svc, "410")[0] for _ in range(3)]
    bare = [citizen(settings) for _ in range(5)]
    night_pairs = [h.person_with_device(settings, svc) for _ in range(5)]
    night = [a for a, _ in night_pairs]
    late = [citizen(settings) for _ in range(3)]
    batches = [live[:10], live[10:] + gone, bare]
    for b in batches:
        assert h.run(settings, [h.record(h.job(cid, b))]) == []
    deliver(settings, h.job(cid, night), now=NIGHT)
    drain_queue(settings)
    aws.client("dynamodb", settings).update_item(
        TableName=settings.table_name, Key=campaigns_store._key(cid),
        UpdateExpression="SET #s = :c", ExpressionAttributeNames={"#s": "state"},
        ExpressionAttributeValues={":c": {"S": "cancelled"}})
    assert deliver(settings, h.job(cid, late))["cancelled"] == 3
    assert deliver(settings, h.job(cid, late))["skipped"] == 3  # counted once
    c = h.counters(settings, cid)
    targeted = 33
    report = {**c, "targeted": targeted}
    assert rules.reconciles(report), report
    assert (c["delivered"], c["deferred"], c["failed"], c["cancelled"]) == (22, 5, 3, 3)
    assert (c["inbox"], c["push"]) == (30, 17)
    # The night's deferred ones, released after the cancellation: cancelled, never pushed.
    morning = NIGHT + timedelta(hours=10)
    assert deliver(settings, h.job(cid, night), now=morning)["cancelled"] == 5
    c = h.counters(settings, cid)
    assert (c["delivered"], c["deferred"], c["failed"], c["cancelled"]) == (22, 0, 3, 8)
    assert rules.reconciles({**c, "targeted": targeted})
    assert h.ledger(settings, night[0])[0]["status"] == "cancelled"
    assert h.pushes(svc, [s for _, subs in night_pairs for s in subs]) == []
