"""The only code that knows the delivery pipeline's keys (infra/README.md holds the table):

  pk=SENT#<campaign>#<party>#<account>  sk=M      the sent-marker of one recipient: state
                                                  (pending, deferred, done, cancelled), the
                                                  notice's owner and sk, code, channels,
                                                  defer_until, push/sms outcomes; ttl 90 days
  pk=SENT#<campaign>#<party>            sk=INBOX  an enterprise's inbox got this campaign
                                                  once, whichever of its staff came first
Triggered notices carry their "to dispatch" marker on the inbox item itself (store.inbox_put):
gsi1pk=DISPATCH#<shard>, gsi1sk=<due time>#<pk>#<sk>, removed when dispatched.

Each recipient's first write is one transaction: marker, inbox item and counter, ledger
entry, verify code, campaign counters. A second delivery of the record sees the marker."""
from __future__ import annotations

import time

from botocore.exceptions import ClientError

from ..core.store import cancellation_reasons, ddb, key
from . import delivery_model as rules

MARKER_SK = "M"
INBOX_SK = "INBOX"
DISPATCH = "DISPATCH#"


class Raced(Exception):
    """Another delivery of the same record wrote this recipient's marker first."""


def marker_key(campaign: str, r: dict) -> dict:
    return key(f"SENT#{campaign}#{rules.recipient_ref(r)}", MARKER_SK)


def party_inbox_key(campaign: str, party: str) -> dict:
    return key(f"SENT#{campaign}#{party}", INBOX_SK)


def _ttl(now_epoch: float) -> dict:
    return {"N": str(int(now_epoch) + rules.MARKER_DAYS * 86400)}


def _marker(item: dict) -> dict:
    return {"state": item["state"]["S"], "owner": item["owner"]["S"],
            "notice_sk": item["notice_sk"]["S"], "code": item["code"]["S"],
            "channels": list(item.get("channels", {}).get("SS", [])),
            "defer_until": item.get("defer_until", {}).get("S"),
            "ledger": item.get("ledger", {}).get("S"), "at": item.get("at", {}).get("S"),
            "push": item.get("push", {}).get("S"), "sms": item.get("sms", {}).get("S"),
            "was_deferred": item.get("was_deferred", {}).get("BOOL", False)}


def batch_get(settings, keys: list[dict]) -> dict[tuple[str, str], dict]:
    """Items by (pk, sk), 100 keys a call, unprocessed keys asked again (consistently)."""
    found: dict[tuple[str, str], dict] = {}
    todo = list({(k["pk"]["S"], k["sk"]["S"]): k for k in keys}.values())
    for i in range(0, len(todo), 100):
        ask = {settings.table_name: {"Keys": todo[i:i + 100], "ConsistentRead": True}}
        for attempt in range(5):
            resp = ddb(settings).batch_get_item(RequestItems=ask)
            for item in resp["Responses"].get(settings.table_name, []):
                found[(item["pk"]["S"], item["sk"]["S"])] = item
            ask = resp.get("UnprocessedKeys") or {}
            if not ask:
                break
            time.sleep(0.05 * 2 ** attempt)
        if ask:
            raise ClientError({"Error": {"Code": "ProvisionedThroughputExceededException",
                                         "Message": "unprocessed keys"}}, "BatchGetItem")
    return found


def markers(settings, campaign: str, recipients: list[dict]) -> tuple[dict, set]:
    """The recipients' markers ({ref: marker}) and the enterprises whose inbox already holds
    this campaign, in one BatchGetItem per 100 keys."""
    keys = [marker_key(campaign, r) for r in recipients]
    parties = sorted({r["party"] for r in recipients if r["party"].startswith("enterprise:")})
    keys += [party_inbox_key(campaign, p) for p in parties]
    got = batch_get(settings, keys)
    out = {}
    for r in recipients:
        k = marker_key(campaign, r)
        item = got.get((k["pk"]["S"], k["sk"]["S"]))
        if item:
            out[rules.recipient_ref(r)] = _marker(item)
    have = {p for p in parties
            if (party_inbox_key(campaign, p)["pk"]["S"], INBOX_SK) in got}
    return out, have


def marker_put(table: str, campaign: str, r: dict, marker: dict, now_epoch: float) -> dict:
    item = {**marker_key(campaign, r), "state": {"S": marker["state"]},
            "owner": {"S": marker["owner"]}, "notice_sk": {"S": marker["notice_sk"]},
            "code": {"S": marker["code"]}, "ttl": _ttl(now_epoch)}
    if marker["state"] == rules.DEFERRED:
        item["was_deferred"] = {"BOOL": True}
    if marker.get("channels"):
        item["channels"] = {"SS": sorted(marker["channels"])}
    for name in ("defer_until", "ledger", "at"):
        if marker.get(name):
            item[name] = {"S": marker[name]}
    return {"Put": {"TableName": table, "Item": item,
                    "ConditionExpression": "attribute_not_exists(pk)"}}


def party_inbox_put(table: str, campaign: str, party: str, now_epoch: float) -> dict:
    return {"Put": {"TableName": table,
                    "Item": {**party_inbox_key(campaign, party), "ttl": _ttl(now_epoch)},
                    "ConditionExpression": "attribute_not_exists(pk)"}}


def marker_update(table: str, campaign: str, r: dict, *, token: str, state: str,
                  push: str | None = None, sms: str | None = None) -> dict:
    """Move a claimed marker on, only while this worker holds the claim (a concurrent
    delivery of the same record cannot count the recipient twice)."""
    sets, values = ["#s = :s"], {":s": {"S": state}, ":e": {"S": rules.SENDING},
                                 ":t": {"S": token}}
    for name, value in (("push", push), ("sms", sms)):
        if value is not None:
            sets.append(f"{name} = :{name}")
            values[f":{name}"] = {"S": value}
    return {"Update": {"TableName": table, "Key": marker_key(campaign, r),
                       "UpdateExpression": "SET " + ", ".join(sets) + " REMOVE claim, lease",
                       "ConditionExpression": "#s = :e AND claim = :t",
                       "ExpressionAttributeNames": {"#s": "state"},
                       "ExpressionAttributeValues": values}}


def claim(settings, campaign: str, r: dict, *, token: str, now_epoch: float) -> bool:
    """Take a recipient for sending: from pending or deferred, or from a sender whose lease
    ran out (it died mid-send). Two deliveries of one record never both send."""
    try:
        ddb(settings).update_item(
            TableName=settings.table_name, Key=marker_key(campaign, r),
            UpdateExpression="SET #s = :sending, claim = :t, lease = :l",
            ConditionExpression="#s IN (:p, :d) OR (#s = :sending AND lease < :now)",
            ExpressionAttributeNames={"#s": "state"},
            ExpressionAttributeValues={
                ":sending": {"S": rules.SENDING}, ":t": {"S": token},
                ":l": {"N": str(int(now_epoch) + rules.LEASE_SECONDS)},
                ":now": {"N": str(int(now_epoch))}, ":p": {"S": rules.PENDING},
                ":d": {"S": rules.DEFERRED}})
    except ClientError as err:
        if err.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException":
            return False
        raise
    return True


def release(settings, campaign: str, r: dict, *, token: str, back_to: str) -> None:
    """Give a claimed recipient back (the push service asked to wait: the record retries)."""
    try:
        ddb(settings).update_item(
            TableName=settings.table_name, Key=marker_key(campaign, r),
            UpdateExpression="SET #s = :b REMOVE claim, lease",
            ConditionExpression="#s = :sending AND claim = :t",
            ExpressionAttributeNames={"#s": "state"},
            ExpressionAttributeValues={":b": {"S": back_to}, ":t": {"S": token},
                                       ":sending": {"S": rules.SENDING}})
    except ClientError as err:
        if err.response.get("Error", {}).get("Code") != "ConditionalCheckFailedException":
            raise


def write(settings, items: list[dict], *, guarded: int = 1) -> None:
    """One transaction; Raced when one of its first `guarded` items' conditions failed (the
    marker or the party's inbox marker: another delivery was first). Throttling and
    conflicts are a 503-like Unavailable (the record is retried, nothing half written)."""
    try:
        ddb(settings).transact_write_items(TransactItems=items)
    except ClientError as err:
        reasons = cancellation_reasons(err)
        if "ConditionalCheckFailed" in reasons[:guarded]:
            raise Raced(reasons) from err
        raise


# ---- triggered notices: the "to dispatch" marker on inbox items ------------------------------

def due_notices(settings, shard: int, *, until: str, limit: int = 100) -> list[dict]:
    """Inbox items of one shard waiting to go out on their owner's channels, due by `until`
    (one Query on the sparse GSI1 partition DISPATCH#<shard>)."""
    resp = ddb(settings).query(
        TableName=settings.table_name, IndexName="GSI1",
        KeyConditionExpression="gsi1pk = :p AND gsi1sk <= :u",
        ExpressionAttributeValues={":p": {"S": f"{DISPATCH}{shard}"}, ":u": {"S": until + "~"}},
        Limit=limit)
    return [{"pk": i["pk"]["S"], "sk": i["sk"]["S"], "kind": i["kind"]["S"],
             "title": i["title"]["S"], "at": i["at"]["S"], "due": i["gsi1sk"]["S"],
             "shard": shard, "tries": int(i.get("dispatch_tries", {}).get("N", 0)),
             "sent_to": list(i.get("dispatch_sent", {}).get("SS", []))}
            for i in resp["Items"]]


def dispatched(table: str, notice: dict) -> dict:
    """Clear a notice's dispatch marker, only if it is still the one read."""
    return {"Update": {"TableName": table, "Key": key(notice["pk"], notice["sk"]),
                       "UpdateExpression": "REMOVE gsi1pk, gsi1sk",
                       "ConditionExpression": "gsi1sk = :d",
                       "ExpressionAttributeValues": {":d": {"S": notice["due"]}}}}


def redue(table: str, notice: dict, due: str, *, sent_to: list[str],
          retried: bool) -> dict:
    """Hold a triggered notice until `due` (quiet hours, caps, a push service asking to
    wait): it stays on the index; the accounts it already reached are kept (an enterprise's
    staff), and a retry is counted."""
    tail = notice["due"].split("#", 1)[1]
    expr, values = "SET gsi1sk = :n", {":d": {"S": notice["due"]}, ":n": {"S": f"{due}#{tail}"}}
    adds = []
    if sent_to:
        adds.append("dispatch_sent :s")
        values[":s"] = {"SS": sorted(set(sent_to))}
    if retried:
        adds.append("dispatch_tries :one")
        values[":one"] = {"N": "1"}
    if adds:
        expr += " ADD " + ", ".join(adds)
    return {"Update": {"TableName": table, "Key": key(notice["pk"], notice["sk"]),
                       "UpdateExpression": expr, "ConditionExpression": "gsi1sk = :d",
                       "ExpressionAttributeValues": values}}
