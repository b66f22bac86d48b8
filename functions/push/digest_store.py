"""The only code that knows the daily digest's keys (infra/README.md):

  pk=DIGEST#<account>  sk=D#<due>               one person's digest of one day (due: the UTC
                                                time of their digest hour): state held|sent,
                                                tries, sent_at, ttl; while held on sparse GSI1
                                                gsi1pk=DIGESTDUE#<shard> gsi1sk=<due>#<account>
  pk=DIGEST#<account>  sk=D#<due>#M#<message>   one message it carries: the ledger entry's id
                                                and time, title, party, channels, kind
                                                (campaign: its id and recipient; notice), sent
Holding a message is two idempotent Puts in the transaction of its first write (a second
delivery of the record puts the same items). The schedule's sweep reads the due digests of a
shard with one Query, a digest's messages with one Query of its partition."""
from __future__ import annotations

import json
import zlib

from ..core.store import ddb, key

SHARDS = 4
DUE = "DIGESTDUE#"
TTL_DAYS = 30


def _pk(account: str) -> str:
    return f"DIGEST#{account}"


def _head_sk(due: str) -> str:
    return f"D#{due}"


def shard_of(account: str) -> int:
    return zlib.crc32(account.encode()) % SHARDS


def _ttl(due_epoch: float) -> dict:
    return {"N": str(int(due_epoch) + TTL_DAYS * 86400)}


def hold_items(table: str, account: str, *, due: str, due_epoch: float,
               message: dict) -> list[dict]:
    """Two Puts: the day's digest head (on the due index) and the message it carries.
    `message`: {id, at, title, party, channels, kind, campaign?, ref?, notice?}."""
    head = {**key(_pk(account), _head_sk(due)), "state": {"S": "held"},
            "account": {"S": account}, "due": {"S": due},
            "gsi1pk": {"S": f"{DUE}{shard_of(account)}"}, "gsi1sk": {"S": f"{due}#{account}"},
            "ttl": _ttl(due_epoch)}
    item = {**key(_pk(account), f"{_head_sk(due)}#M#{message['id']}"),
            "doc": {"S": json.dumps(message, ensure_ascii=False, sort_keys=True)},
            "ttl": _ttl(due_epoch)}
    return [{"Put": {"TableName": table, "Item": head}},
            {"Put": {"TableName": table, "Item": item}}]


def due_digests(settings, shard: int, *, until: str, limit: int = 100) -> list[dict]:
    """Held digests of one shard due by `until` (UTC, sortable): one Query of GSI1."""
    resp = ddb(settings).query(
        TableName=settings.table_name, IndexName="GSI1",
        KeyConditionExpression="gsi1pk = :p AND gsi1sk <= :u",
        ExpressionAttributeValues={":p": {"S": f"{DUE}{shard}"}, ":u": {"S": until + "~"}},
        Limit=limit)
    return [{"account": i["account"]["S"], "due": i["due"]["S"], "mark": i["gsi1sk"]["S"],
             "tries": int(i.get("tries", {}).get("N", 0))} for i in resp["Items"]]


def messages(settings, account: str, due: str) -> list[dict]:
    """The messages a digest carries that were not sent in it yet (one Query)."""
    out, kwargs = [], {
        "TableName": settings.table_name, "ConsistentRead": True,
        "KeyConditionExpression": "pk = :p AND begins_with(sk, :m)",
        "ExpressionAttributeValues": {":p": {"S": _pk(account)},
                                      ":m": {"S": f"{_head_sk(due)}#M#"}}}
    while True:
        resp = ddb(settings).query(**kwargs)
        out += [{**json.loads(i["doc"]["S"]), "_sk": i["sk"]["S"]} for i in resp["Items"]
                if not i.get("sent", {}).get("BOOL")]
        if not resp.get("LastEvaluatedKey"):
            return sorted(out, key=lambda m: (m["at"], m["id"]))
        kwargs["ExclusiveStartKey"] = resp["LastEvaluatedKey"]


def sent_items(table: str, account: str, digest: dict, carried: list[dict], *,
               at: str, push: str | None, sms: str | None) -> list[dict]:
    """The head's move to sent (off the due index; only if still the one read: a second
    sweep cannot send it twice) and each carried message marked sent."""
    values = {":s": {"S": "sent"}, ":at": {"S": at}, ":m": {"S": digest["mark"]},
              ":n": {"N": str(len(carried))}, ":o": {"S": json.dumps(
                  {"push": push, "sms": sms})}}
    head = {"Update": {"TableName": table, "Key": key(_pk(account), _head_sk(digest["due"])),
                       "UpdateExpression": "SET #s = :s, sent_at = :at, carried = :n, "
                                           "outcome = :o REMOVE gsi1pk, gsi1sk",
                       "ConditionExpression": "gsi1sk = :m",
                       "ExpressionAttributeNames": {"#s": "state"},
                       "ExpressionAttributeValues": values}}
    return [head, *({"Update": {"TableName": table, "Key": key(_pk(account), m["_sk"]),
                                "UpdateExpression": "SET sent = :t",
                                "ExpressionAttributeValues": {":t": {"BOOL": True}}}}
                    for m in carried)]


def retry_later(settings, account: str, digest: dict) -> None:
    """A push service asked to wait: the digest stays due, its tries counted."""
    ddb(settings).update_item(
        TableName=settings.table_name, Key=key(_pk(account), _head_sk(digest["due"])),
        UpdateExpression="ADD tries :one", ConditionExpression="gsi1sk = :m",
        ExpressionAttributeValues={":one": {"N": "1"}, ":m": {"S": digest["mark"]}})


def head(settings, account: str, due: str) -> dict | None:
    """A digest's head as stored (tests, operators)."""
    item = ddb(settings).get_item(TableName=settings.table_name,
                                  Key=key(_pk(account), _head_sk(due)),
                                  ConsistentRead=True).get("Item")
    if not item:
        return None
    return {"state": item["state"]["S"], "carried": int(item.get("carried", {}).get("N", 0)),
            "outcome": json.loads(item["outcome"]["S"]) if "outcome" in item else None,
            "held": "gsi1pk" in item}
