"""Triggered notices on the person's channels (an application's status change reaches the
loopback push service through the sweep, once), an enterprise's campaign message in its inbox
once with its staff's pushes, opened and clicked counted on the campaign, and a throttled
store failing the record with nothing half written."""
from __future__ import annotations

from datetime import timedelta

import pytest
from botocore.exceptions import ClientError

from functions.core import aws, clock
from functions.push import delivery, delivery_store, dispatch, preferences, subscriptions, webpush
from functions.push import delivery_model as rules
from tests.helpers import drain_queue, ok
from tests.intake.factories import CARD, CARD_FORM, filled
from tests.intake.factories import person as intake_person
from tests.push import delivery_helpers as h
from tests.push.inbox_factories import bearer, firm, principal, staff_member
from tests.push.test_delivery import DAY


@pytest.fixture(autouse=True)
def _fresh(settings, monkeypatch):
    monkeypatch.setattr(delivery.clock, "now", lambda: DAY)
    webpush.forget()
    drain_queue(settings)
    yield
    webpush.forget()


def _inbox(settings, pk: str) -> list[dict]:
    return aws.client("dynamodb", settings).query(
        TableName=settings.table_name, ConsistentRead=True,
        KeyConditionExpression="pk = :p AND begins_with(sk, :i)",
        ExpressionAttributeValues={":p": {"S": pk}, ":i": {"S": "INBOX#"}})["Items"]


def test_an_application_status_change_reaches_the_push_service_once(
        settings, client, token, svc, monkeypatch):
    who = intake_person(settings)
    acct = {"id": who.subject}
    sub = svc.subscriber()
    subscriptions.subscribe(settings, principal(acct), sub.json, at=clock.iso())
    # Quiet hours off: the test runs at any hour of the real clock the notices are stamped
    # with.
    preferences.update(settings, principal(acct), {"quiet_hours": None}, at=clock.now())
    headers = token("citizen", subject=who.subject, kind="citizen", lvl=2)
    app = filled(client, headers, CARD, CARD_FORM)
    ok(client.post(f"/api/v1/applications/{app['id']}/submit", headers=headers))
    pk = f"ACCOUNT#{who.subject}"
    [notice] = [i for i in _inbox(settings, pk) if i["kind"]["S"] == "application"]
    assert notice["gsi1pk"]["S"] == f"DISPATCH#{rules.shard_of(pk)}"  # with the change
    later = clock.now() + timedelta(seconds=5)
    monkeypatch.setattr(delivery.clock, "now", lambda: later)
    got = dispatch.sweep(settings, now=later, shards=[rules.shard_of(pk)])
    assert got.get("sent", 0) >= 1
    [push] = svc.for_token(sub.token)
    assert push.error is None and push.payload["url"] == "#/inbox"
    assert not dispatch.pending(settings, pk, notice["sk"]["S"])
    [entry] = [e for e in h.ledger(settings, acct) if e["topic"] == "application"]
    assert entry["why"] == {"trigger": "application_status"}
    assert entry["channels"] == {"inbox": "delivered", "push": "delivered"}
    # A second sweep finds nothing of it: one push.
    dispatch.sweep(settings, now=later, shards=[rules.shard_of(pk)])
    assert len(svc.for_token(sub.token)) == 1


def test_a_triggered_notice_in_quiet_hours_waits_on_the_index(settings, svc):
    acct, [sub] = h.person_with_device(settings, svc)
    from functions.push.store import inbox_put

    night = DAY.replace(hour=23)
    ops = inbox_put(settings.table_name, account=acct["id"], kind="licence", title="证照将到期",
                    body="您的证照将于30天后到期", at=clock.iso(night - timedelta(minutes=1)))
    aws.client("dynamodb", settings).transact_write_items(TransactItems=ops)
    pk, sk = f"ACCOUNT#{acct['id']}", ops[0]["Put"]["Item"]["sk"]["S"]
    shard = [rules.shard_of(pk)]
    # (the shard may hold other tests' pending notices too: this one is among the held)
    assert dispatch.sweep(settings, now=night, shards=shard).get("held", 0) >= 1
    assert svc.for_token(sub.token) == [] and dispatch.pending(settings, pk, sk)
    # 07:00: not due yet (held until 08:00); 08:01: sent. (Other tests' notices in the shard
    # may be due at 07:00: this one's device and index entry tell.)
    dispatch.sweep(settings, now=night + timedelta(hours=8), shards=shard)
    assert svc.for_token(sub.token) == [] and dispatch.pending(settings, pk, sk)
    dispatch.sweep(settings, now=night + timedelta(hours=9, minutes=1), shards=shard)
    assert len(svc.for_token(sub.token)) == 1 and not dispatch.pending(settings, pk, sk)


def test_an_enterprise_message_lands_in_its_inbox_once_and_on_its_staff_devices(
        settings, svc):
    rep, [rep_sub] = h.person_with_device(settings, svc)
    org = firm(settings, rep)
    member, _ = staff_member(settings, rep, org["uscc"], "preparer")
    cid = h.new_campaign()
    body = h.job(cid, [])
    party = f"enterprise:{org['uscc']}"
    member_sub = svc.subscriber()
    subscriptions.subscribe(settings, principal(member), member_sub.json, at=clock.iso())
    # The planner names the enterprise once (with whichever staff row it met first).
    body["recipients"] = [{"party": party, "account": member["id"]}]
    delivery.deliver(settings, body, now=DAY)
    delivery.deliver(settings, {**body, "recipients": [{"party": party, "account": rep["id"]}]},
                     now=DAY)
    items = [i for i in _inbox(settings, f"ENTERPRISE#{org['uscc']}")
             if i.get("campaign", {}).get("S") == cid]
    assert len(items) == 1  # the enterprise's inbox holds it once, whoever came first
    assert len(svc.for_token(rep_sub.token)) == 1  # the legal representative's device
    # The preparer gets what their own choice for this enterprise says (its role's
    # defaults, part of preferences), never twice.
    assert len(svc.for_token(member_sub.token)) <= 1
    assert h.ledger(settings, rep)[0]["party"] == party
    assert h.ledger(settings, member)[0]["campaign"] == cid  # each staff member's ledger
    # The enterprise is one targeted party: one inbox, one outcome; the staff's pushes count
    # on the channel.
    c = h.counters(settings, cid)
    assert (c["inbox"], c["delivered"]) == (1, 1) and c["push"] >= 1
    assert "failed" not in c and "deferred" not in c


def test_opening_a_campaign_notice_from_the_push_counts_opened_and_clicked(
        settings, client, token, svc):
    acct, _ = h.person_with_device(settings, svc)
    other, _ = h.person_with_device(settings, svc)
    cid = h.new_campaign()
    delivery.deliver(settings, h.job(cid, [acct, other]), now=DAY)
    mine = ok(client.get("/api/v1/me/inbox", headers=bearer(token, acct)))["items"]
    [notice] = [n for n in mine if n["kind"] == "campaign"]
    url = f"/api/v1/me/inbox/{notice['id']}/read"
    ok(client.post(url + "?via=push", headers=bearer(token, acct)))
    ok(client.post(url + "?via=push", headers=bearer(token, acct)))  # once only
    ok(client.post(url + "?via=mail", headers=bearer(token, acct)), 422)
    theirs = ok(client.get("/api/v1/me/inbox", headers=bearer(token, other)))["items"]
    ok(client.post(f"/api/v1/me/inbox/{theirs[0]['id']}/read", headers=bearer(token, other)))
    c = h.counters(settings, cid)
    assert (c["opened"], c["clicked"]) == (2, 1)


def test_a_throttled_store_fails_the_record_and_writes_nothing(settings, svc, monkeypatch):
    acct, [sub] = h.person_with_device(settings, svc)
    cid = h.new_campaign()
    body = h.job(cid, [acct])
    real = delivery_store.ddb

    class Throttled:
        def __init__(self, client):
            self.client = client

        def transact_write_items(self, **kw):
            raise ClientError({"Error": {"Code": "TransactionCanceledException",
                                         "Message": "throttled"},
                               "CancellationReasons": [{"Code": "ThrottlingError"}] +
                               [{"Code": "None"}] * (len(kw["TransactItems"]) - 1)},
                              "TransactWriteItems")

        def __getattr__(self, name):
            return getattr(self.client, name)

    monkeypatch.setattr(delivery_store, "ddb", lambda s: Throttled(real(s)))
    rec = h.record(body)
    assert h.run(settings, [rec], delete=False) == [rec["messageId"]]
    assert h.inbox_items(settings, acct) == [] and h.ledger(settings, acct) == []
    assert delivery_store.markers(settings, cid, body["recipients"])[0] == {}
    assert h.counters(settings, cid) == {} and svc.for_token(sub.token) == []
    monkeypatch.undo()
    monkeypatch.setattr(delivery.clock, "now", lambda: DAY)
    assert h.run(settings, [h.record(body)], delete=False) == []  # the retry: all of it
    assert len(h.inbox_items(settings, acct)) == 1 and len(svc.for_token(sub.token)) == 1
    assert h.counters(settings, cid) == {"inbox": 1, "push": 1, "delivered": 1}


def test_recipients_are_checked(settings):
    with pytest.raises(ValueError):
        rules.check_recipients([{"party": "person:a", "account": "b"}])
    with pytest.raises(ValueError):
        rules.check_recipients([{"party": "robot:a", "account": "a"}])
    assert rules.check_recipients([{"party": "person:a", "account": "a", "x": 1}]) == [
        {"party": "person:a", "account": "a"}]
