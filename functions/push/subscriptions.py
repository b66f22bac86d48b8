"""Use cases of Web Push subscriptions: a person's devices (subscribe, list, remove) and the
delivery of one push to one of them (a gone subscription is removed on the spot)."""
from __future__ import annotations

import json
import logging

from ..core import pii
from ..core.errors import Forbidden, NotFound, RuleError
from . import subscriptions_model as rules
from . import subscriptions_store as store
from . import webpush

log = logging.getLogger("hall.push")


def _account(who) -> str:
    """Devices are a person's own, whoever they act for: an enterprise's notices reach its
    staff's devices, and a family delegate's phone is theirs, not the represented person's."""
    if who.kind != "citizen":
        raise Forbidden("Push notifications are for citizens' and enterprise staff's devices.")
    return who.subject


def _context(account: str, sub_id: str) -> str:
    return f"push-sub:{account}:{sub_id}"


def _public(row: dict) -> dict:
    return {k: row[k] for k in ("id", "host", "created", "updated", "expires")}


def subscribe(settings, who, sub: dict, *, at: str) -> tuple[dict, bool]:
    """Store the browser's subscription for this person (several devices each); the same
    endpoint again refreshes its keys. Past the cap the device refreshed longest ago goes.
    (the device as listed, whether it is new)"""
    account = _account(who)
    try:
        host = rules.check_endpoint(sub["endpoint"], local=settings.local)
        rules.check_keys(sub["keys"]["p256dh"], sub["keys"]["auth"])
    except rules.Invalid as err:
        raise RuleError(err.field, f"The push subscription's {err.field} {err}.",
                        "推送订阅无效") from err
    sub_id = pii.keyed_hash(settings, "push-endpoint", sub["endpoint"])[:40]
    mine = store.of_account(settings, account)
    old = next((s for s in mine if s["id"] == sub_id), None)
    drop = [s["id"] for s in rules.oldest_beyond_cap(mine, sub_id)]
    secret = json.dumps({"endpoint": sub["endpoint"], "p256dh": sub["keys"]["p256dh"],
                         "auth": sub["keys"]["auth"]}, separators=(",", ":"))
    row = {"id": sub_id, "host": host, "created": old["created"] if old else at, "updated": at,
           "expires": sub.get("expirationTime"),
           "seal": pii.seal(settings, secret, _context(account, sub_id))}
    store.put(settings, account, row, drop=drop)
    log.info("push subscription stored", extra={"host": host, "new": old is None,
                                                "dropped": len(drop)})
    return _public(row), old is None


def devices(settings, who) -> list[dict]:
    """This person's subscribed devices, newest first: the push service's host and dates."""
    rows = store.of_account(settings, _account(who))
    return [_public(r) for r in sorted(rows, key=lambda r: r["updated"], reverse=True)]


def unsubscribe(settings, who, endpoint: str) -> None:
    """Forget the device with this endpoint (logout does this; unknown: nothing to do)."""
    if not isinstance(endpoint, str) or not endpoint:
        raise RuleError("endpoint", "Name the endpoint to remove.", "请提供推送地址")
    store.remove(settings, _account(who),
                 pii.keyed_hash(settings, "push-endpoint", endpoint)[:40])


def remove_device(settings, who, sub_id: str) -> None:
    """Remove one of this person's devices by its listed id (another person's: unknown)."""
    if not store.remove(settings, _account(who), sub_id):
        raise NotFound("No such device among your push subscriptions.")


# ---- delivery: what the delivery worker calls per message and device ---------------------------

def for_delivery(settings, account: str) -> list[dict]:
    """A person's devices with what a send needs: id, endpoint, p256dh, auth (unsealed), and
    expires (the browser's expirationTime in ms, or None), so a worker can skip a lapsed one."""
    out = []
    for row in store.of_account(settings, account):
        secret = json.loads(pii.unseal(settings, row["seal"], _context(account, row["id"])))
        out.append({"id": row["id"], **secret, "expires": row["expires"]})
    return out


def deliver(settings, account: str, device: dict, payload: dict, **options) -> webpush.Outcome:
    """Send one push to one device (as for_delivery lists it); a push service that says the
    subscription is gone (404/410) has it removed here, so it is never tried again."""
    out = webpush.send(settings, device, payload, **options)
    if out.kind == "gone":
        store.remove(settings, account, device["id"])
        log.info("push subscription gone", extra={"status": out.status})
    return out
