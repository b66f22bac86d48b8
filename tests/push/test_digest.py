"""The daily digest: a person who chose it gets the day's non-urgent messages (campaigns and
triggered notices) in ONE push at their digest hour, decrypted by the loopback push service
as a browser would, listing every message; the inbox keeps them individual; the ledger
records the digest and what it carried, and each message as delivered by it; the campaign
counters reconcile; an urgent message does not wait; a second sweep sends nothing; SMS
chosen: one text for all."""
from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta

import pytest

from functions.core import clock
from functions.identity import cn_ids
from functions.push import (
    delivery,
    digest,
    digest_store,
    dispatch,
    preferences,
    subscriptions,
    webpush,
)
from functions.push import delivery_model as rules
from functions.push.store import inbox_put
from tests.helpers import drain_queue
from tests.push import delivery_helpers as h
from tests.push.inbox_factories import principal

DAY = datetime(2026, 12, 2, 10, 0, tzinfo=clock.CHINA)        # a Wednesday, 10:00 Beijing
AT_HOUR = datetime(2026, 12, 2, 19, 0, 20, tzinfo=clock.CHINA)  # the digest hour (19:00)
DUE = "2026-12-02T11:00:00Z"
_seq = itertools.count(1)


@pytest.fixture(autouse=True)
def _fresh(settings, monkeypatch):
    monkeypatch.setattr(delivery.clock, "now", lambda: DAY)
    webpush.forget()
    drain_queue(settings)
    yield
    webpush.forget()


def _person(settings, *, sms: bool = False) -> dict:
    """A citizen of our own (phone 19902601xxx) who chose the daily digest at 19:00."""
    from functions.identity.cli import create_staff

    n = next(_seq)
    phone = f"19902601{n:03d}"
    acct = create_staff(settings, kind="citizen", name="叶汇总", phone=phone, roles=[],
                        id_number=cn_ids.make_id_number("441427", date(1979, 4, 4), 700 + n),
                        password="Hakka-Tulou#2026")
    change = {"digest": {"enabled": True, "at": "19:00"}}
    if sms:
        change["topics"] = {t: {"channels": ["sms"]} for t in ("deadline", "application")}
    preferences.update(settings, principal(acct), change, at=DAY)
    return {**acct, "phone": phone}


def _with_device(settings, svc) -> tuple[dict, object]:
    acct = _person(settings)
    sub = svc.subscriber("201")
    subscriptions.subscribe(settings, principal(acct), sub.json, at=clock.iso())
    return acct, sub


def _deliver(settings, body, *, now=DAY):
    return delivery.deliver(settings, {**body, "receive_count": 1}, now=now)


def _notice(settings, acct: dict) -> str:
    """A triggered notice (an application's status) for `acct`, dispatched at DAY."""
    from functions.core import store as core_store

    ops = inbox_put(settings.table_name, account=acct["id"], kind="application",
                    title="申请已受理", body="您的申请已受理。", at=clock.iso(DAY))
    core_store.transact(settings, ops)
    pk = ops[0]["Put"]["Item"]["pk"]["S"]
    assert dispatch.sweep(settings, now=DAY, shards=[rules.shard_of(pk)]).get("sent", 0) >= 1
    return pk


def test_the_days_messages_go_out_in_one_push_at_the_digest_hour(settings, svc):
    acct, sub = _with_device(settings, svc)
    camps = [h.new_campaign() for _ in range(3)]
    for cid in camps:
        assert _deliver(settings, h.job(cid, [acct]))["deferred"] == 1
    _notice(settings, acct)
    assert svc.for_token(sub.token) == []  # nothing pushed on its own
    assert len(h.inbox_items(settings, acct)) == 4  # the inbox keeps them individual
    held = {e["id"]: e for e in h.ledger(settings, acct)}
    assert len(held) == 4 and {e["status"] for e in held.values()} == {"deferred"}
    # An urgent message does not wait for the digest.
    urgent = h.new_campaign()
    assert _deliver(settings, h.job(urgent, [acct], urgent=True))["done"] == 1
    assert len(svc.for_token(sub.token)) == 1
    # Before the hour nothing is due; at the hour one push carries all four.
    assert digest_store.head(settings, acct["id"], DUE)["held"]
    digest.sweep(settings, now=AT_HOUR - timedelta(minutes=5))
    assert len(svc.for_token(sub.token)) == 1
    got = digest.sweep(settings, now=AT_HOUR)
    assert got.get("sent", 0) >= 1
    pushes = svc.for_token(sub.token)
    assert len(pushes) == 2
    push = pushes[1]
    assert push.error is None  # VAPID checked, decrypted with the device's keys (RFC 8291)
    assert push.payload["digest"]["count"] == 4
    assert sorted(push.payload["digest"]["messages"]) == sorted(held)
    assert push.payload["body"] == "您有4条新消息" and push.payload["url"] == "#/inbox"
    assert push.payload["id"] == digest.digest_id(acct["id"], DUE)
    # The ledger: each message delivered by the digest, and the digest with what it carried.
    entries = {e["id"]: e for e in h.ledger(settings, acct)}
    for mid in held:
        assert entries[mid]["status"] == "delivered"
        assert entries[mid]["channels"] == {"inbox": "delivered", "push": "digest"}
    own = entries[digest.digest_id(acct["id"], DUE)]
    assert own["topic"] == "digest" and own["channels"] == {"push": "delivered"}
    assert sorted(own["why"]["carried"]) == sorted(held) and len(own["code"]) == 8
    # Each campaign reconciles: delivered once, no longer deferred.
    for cid in camps:
        c = h.counters(settings, cid)
        assert c["delivered"] == 1 and c["push"] == 1 and c.get("deferred", 0) == 0
        assert rules.reconciles({"targeted": 1, **c})
    head = digest_store.head(settings, acct["id"], DUE)
    assert head["state"] == "sent" and head["carried"] == 4 and not head["held"]
    # A second sweep (or a second copy of a record) sends nothing more.
    digest.sweep(settings, now=AT_HOUR + timedelta(minutes=1))
    _deliver(settings, h.job(camps[0], [acct]))
    assert len(svc.for_token(sub.token)) == 2


def test_sms_chosen_means_one_text_for_the_whole_digest(settings, client):
    from tests.helpers import ok

    acct = _person(settings, sms=True)
    for cid in (h.new_campaign(), h.new_campaign()):
        assert _deliver(settings, h.job(cid, [acct]))["deferred"] == 1
    _notice(settings, acct)
    digest.sweep(settings, now=AT_HOUR)
    texts = ok(client.get("/api/v1/dev/outbox", query_string={"phone": acct["phone"]}))["items"]
    assert [t["text"] for t in texts if "条政务消息" in t["text"]] == [
        next(t["text"] for t in texts if "您今日有3条政务消息" in t["text"])]
    entries = {e["id"]: e for e in h.ledger(settings, acct)}
    own = entries[digest.digest_id(acct["id"], DUE)]
    assert own["channels"] == {"sms": "sent"} and len(own["why"]["carried"]) == 3
    assert own["code"] in texts[0]["text"].replace("-", "")


def test_a_cancelled_campaigns_held_message_is_taken_off(settings, svc):
    from functions.core import aws
    from functions.push import campaigns_store

    acct, sub = _with_device(settings, svc)
    cid = h.new_campaign()
    assert _deliver(settings, h.job(cid, [acct]))["deferred"] == 1

    aws.client("dynamodb", settings).update_item(  # cancelled after it was held
        TableName=settings.table_name, Key=campaigns_store._key(cid),
        UpdateExpression="SET #s = :c", ExpressionAttributeNames={"#s": "state"},
        ExpressionAttributeValues={":c": {"S": "cancelled"}})
    digest.sweep(settings, now=AT_HOUR)
    assert svc.for_token(sub.token) == []
    c = h.counters(settings, cid)
    assert c.get("cancelled") == 1 and c.get("deferred", 0) == 0
    [entry] = [e for e in h.ledger(settings, acct) if e.get("campaign") == cid]
    assert entry["status"] == "cancelled"
