"""The daily digest: a person who chose it gets the day's non-urgent messages grouped in ONE
push (or one SMS, when they chose SMS for them or have no device) at their digest hour.

Each message still lands in the inbox at once (and in the ledger, "deferred"); the delivery
worker and the triggered-notice sweep hold it in the person's digest of that day instead of
sending it (`hold_items`, in the message's first write). Urgent, legally required and
security messages never wait for it (preferences_model.decide). At the hour the schedule's
`sweep` sends the digest once: one push listing the messages' ids (the lock screen says
only how many), then one transaction marks the digest sent, puts its own ledger entry (which
messages it carried) and verify code, moves every carried message's ledger entry (and a
campaign's sent-marker and counters) to delivered. A sweep that dies between the push and
that write pushes again with the same digest id: the service worker's tag replaces it."""
from __future__ import annotations

import hashlib
import logging
from datetime import UTC, datetime

from ..core import clock
from ..core.store import ddb
from . import delivery_model as rules
from . import delivery_ports as ports
from . import delivery_store
from . import digest_store as store

log = logging.getLogger("hall.push.digest")
TITLE = "今日消息汇总"
SMS_TEMPLATE = "daily_digest"
PER_WRITE = 20  # carried messages a transaction (4 items each, ≤ 100 with the digest's own)
MAX_TRIES = 3


def _due(decision) -> tuple[str, float]:
    at = decision.defer_until.astimezone(UTC)
    return at.strftime("%Y-%m-%dT%H:%M:%SZ"), at.timestamp()


def hold_items(table: str, account: str, decision, *, message: dict) -> list[dict]:
    """The Puts holding one message in `account`'s digest at `decision.defer_until`
    (decision.digest). `message`: {id, at, title, party, channels, kind, campaign?, ref?,
    extra?}."""
    due, epoch = _due(decision)
    return store.hold_items(table, account, due=due, due_epoch=epoch, message=message)


def digest_id(account: str, due: str) -> str:
    return "d-" + hashlib.sha256(f"{account}#{due}".encode()).hexdigest()[:20]


def payload(account: str, due: str, carried: list[dict]) -> dict:
    """The push: generic words for the lock screen, the inbox route, the digest's id (the
    notification's tag) and the ids of the messages it carries (no titles, no names)."""
    from . import webpush

    return {**webpush.lock_screen_payload(digest_id(account, due)),
            "body": f"您有{len(carried)}条新消息", "digest": {
                "count": len(carried), "messages": [m["id"] for m in carried]}}


def _push(settings, account: str, body: dict):
    from . import subscriptions

    now_ms = clock.now().timestamp() * 1000
    devices = [d for d in subscriptions.for_delivery(settings, account)
               if not d.get("expires") or d["expires"] > now_ms]
    return rules.combine([subscriptions.deliver(settings, account, d, body, urgency="normal")
                          for d in devices])


def _sms(settings, account: str, did: str, count: int, code: str, now: datetime) -> str:
    from ..core import pii
    from . import sms_retry

    acct = ports.account(settings, account)
    if not acct or not acct.get("phone_seal"):
        return "absent"
    phone = pii.unseal(settings, acct["phone_seal"], acct["id"])
    got = sms_retry.send(settings, phone=phone, phone_hash=acct["phone_hash"],
                         template=SMS_TEMPLATE, params={"count": str(count), "check": code},
                         at=clock.iso(now), key=sms_retry.key("digest", did))
    return "sent" if got["status"] == "sent" else "failed"


def _carried_items(table: str, account: str, m: dict, *, push: str | None,
                   sms: str | None) -> list[dict]:
    """A carried message's ledger entry (and a campaign's marker and counters) moved on."""
    channels = {"inbox": "delivered", **({"push": "digest"} if push == "delivered" else
                                         {"push": push} if push else {}),
                **({"sms": "digest"} if sms == "sent" else {"sms": sms} if sms else {})}
    final = rules.final_state(m.get("channels") or [], push, sms)
    items = [ports.ledger_update(table, account, at=m["at"], message_id=m["id"],
                                 channels=channels,
                                 status=rules.ledger_status(final, push, sms))]
    if m.get("kind") == "campaign":
        items.append(_marker_move(table, m, account, rules.DONE, push, sms))
        deltas = rules.counts_for(final, push=push, sms=sms, was_deferred=True,
                                  extra=bool(m.get("extra")))
        if deltas:
            items.append(ports.count(table, m["campaign"], **deltas))
    return items


def _live(settings, account: str, carried: list[dict]) -> tuple[list[dict], list[dict]]:
    """The carried messages still to send (a campaign's only while its marker is deferred),
    and the items taking a cancelled campaign's messages off (deferred -1, cancelled +1,
    ledger cancelled, marker cancelled)."""
    camp = [m for m in carried if m.get("kind") == "campaign"]
    if not camp:
        return carried, []
    keys = [delivery_store.marker_key(m["campaign"], {"party": m["party"], "account": account})
            for m in camp]
    got = delivery_store.batch_get(settings, keys)
    cancelled = {c for c in {m["campaign"] for m in camp} if ports.campaign_cancelled(settings, c)}
    table, keep, off = settings.table_name, [], []
    for m in carried:
        if m.get("kind") != "campaign":
            keep.append(m)
            continue
        k = delivery_store.marker_key(m["campaign"], {"party": m["party"], "account": account})
        item = got.get((k["pk"]["S"], k["sk"]["S"]))
        if not item or item["state"]["S"] != rules.DEFERRED:
            continue  # sent another way, or cancelled already
        if m["campaign"] not in cancelled:
            keep.append(m)
            continue
        off += [_marker_move(table, m, account, rules.CANCELLED),
                ports.ledger_update(table, account, at=m["at"], message_id=m["id"],
                                    channels={"inbox": "delivered"}, status="cancelled"),
                *([] if m.get("extra") else
                  [ports.count(table, m["campaign"], cancelled=1, deferred=-1)])]
    return keep, off


def _marker_move(table: str, m: dict, account: str, state: str, push: str | None = None,
                 sms: str | None = None) -> dict:
    """A held campaign recipient's marker: from deferred to `state` (only from deferred)."""
    sets, values = ["#s = :new"], {":new": {"S": state}, ":d": {"S": rules.DEFERRED}}
    for name, value in (("push", push), ("sms", sms)):
        if value:
            sets.append(f"{name} = :{name}")
            values[f":{name}"] = {"S": value}
    return {"Update": {"TableName": table, "Key": delivery_store.marker_key(
        m["campaign"], {"party": m["party"], "account": account}),
        "UpdateExpression": "SET " + ", ".join(sets), "ConditionExpression": "#s = :d",
        "ExpressionAttributeNames": {"#s": "state"}, "ExpressionAttributeValues": values}}


def send_one(settings, digest: dict, *, now: datetime) -> str:
    """One due digest: sent (one push or SMS for all its messages), retry, or empty."""
    account = digest["account"]
    carried = store.messages(settings, account, digest["due"])
    table, at = settings.table_name, clock.iso(now)
    if not carried:
        ddb(settings).transact_write_items(TransactItems=store.sent_items(
            table, account, digest, [], at=at, push=None, sms=None))
        return "empty"
    carried, off = _live(settings, account, carried)
    if off:  # a cancelled campaign's messages: off the channels, counted cancelled
        delivery_store.write(settings, off, guarded=0)
    if not carried:
        ddb(settings).transact_write_items(TransactItems=store.sent_items(
            table, account, digest, [], at=at, push=None, sms=None))
        return "empty"
    wants = {c for m in carried for c in (m.get("channels") or [])}
    push = None
    if "push" in wants:
        res = _push(settings, account, payload(account, digest["due"], carried))
        if res.kind == "retry" and digest["tries"] + 1 < MAX_TRIES:
            store.retry_later(settings, account, digest)
            return "retry"
        push = "failed" if res.kind == "retry" else res.kind
    code = rules.new_code()
    sms = None
    if "sms" in wants:
        sms = _sms(settings, account, digest_id(account, digest["due"]), len(carried), code,
                   now)
    ids = [m["id"] for m in carried]
    did = digest_id(account, digest["due"])
    own = [ports.ledger_put(table, account, {
        "id": did, "at": at, "party": f"person:{account}", "topic": "digest", "title": TITLE,
        "channels": {**({"push": push} if push else {}), **({"sms": sms} if sms else {})},
        "status": "delivered" if push == "delivered" or sms == "sent" else "inbox_only",
        "why": {"trigger": "daily_digest", "carried": ids}, "code": code}),
        ports.verify_item(table, code, {"sent_at": at, "channel": "push" if push else "sms",
                                        "title": TITLE, "sender": "梅州网上办事大厅"})]
    if push == "delivered" or sms == "sent":
        own += ports.count_sent(table, account, now)
    first = True
    for i in range(0, len(carried), PER_WRITE):
        chunk = carried[i:i + PER_WRITE]
        items = [*(own if first else []), *store.sent_items(
            table, account, digest, chunk, at=at, push=push, sms=sms)[0 if first else 1:]]
        for m in chunk:
            items += _carried_items(table, account, m, push=push, sms=sms)
        try:
            delivery_store.write(settings, items, guarded=len(own) + 1 if first else 0)
        except delivery_store.Raced:
            return "raced"  # another sweep sent it
        first = False
    log.info("digest sent", extra={"messages": len(carried), "push": push, "sms": sms})
    return "sent"


def sweep(settings, *, now: datetime | None = None, limit: int = 100) -> dict:
    """Every due digest of every shard: the schedule's handler (with the dispatch sweep)."""
    now = now or clock.now()
    until = now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    tally: dict[str, int] = {}
    for shard in range(store.SHARDS):
        for digest in store.due_digests(settings, shard, until=until, limit=limit):
            got = send_one(settings, digest, now=now)
            tally[got] = tally.get(got, 0) + 1
    return tally
