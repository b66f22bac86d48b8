"""The page's read of a party's own partition, and the pins: the only code that knows the pins'
keys. Every other record read here belongs to its room's store; this module reads them in one
Query and hands the items to that room's item->model code.

  pk=ACCOUNT#<id> | ENTERPRISE#<uscc>  sk=PIN#<matter>   a pinned matter (at)
                                       sk=PINS           how many are pinned (n), kept in the
                                                         pin's and unpin's transaction (the cap)
"""
from __future__ import annotations

import json

from botocore.exceptions import ClientError

from ..core.store import cancellation_reasons, ddb, key, owner_pk
from ..push import store as push_store
from ..supervision import page_use_store
from . import recommend_store

PIN = "PIN#"
PINS = "PINS"
INBOX = push_store.PREFIX


def party_items(settings, owner: str) -> list[dict]:
    """Every record of the party's partition except its inbox notices (one Query: they are
    read by the key range but not sent; the newest few come from the inbox's own Query)."""
    kwargs = {"TableName": settings.table_name, "KeyConditionExpression": "pk = :pk",
              "FilterExpression": "NOT begins_with(sk, :inbox)",
              "ExpressionAttributeValues": {":pk": {"S": owner_pk(owner)},
                                            ":inbox": {"S": INBOX}}}
    items: list[dict] = []
    while True:
        resp = ddb(settings).query(**kwargs)
        items += resp["Items"]
        if "LastEvaluatedKey" not in resp:
            return items
        kwargs["ExclusiveStartKey"] = resp["LastEvaluatedKey"]


def _pointer(item: dict) -> dict:
    """An application pointer as intake's `mine` lists it, with its next deadline."""
    return {"id": item["id"]["S"], "matter": item["matter"]["S"],
            "matter_name": item["name"]["S"], "status": item["status"]["S"],
            "updated": item["updated"]["S"], "due": item.get("due", {}).get("S")}


def parse(kind: str, items: list[dict]) -> dict:
    """The partition's items by section, each through its owner's item->model code."""
    from ..identity.store import accounts, enterprises

    out: dict = {"profile": None, "applications": [], "wallet": [], "pins": [],
                 "unread": {}, "history": recommend_store.history_of_items(items),
                 "enterprises": [], "seen": page_use_store.seen_months(items)}
    for item in items:
        sk = item["sk"]["S"]
        if sk == "PROFILE":
            out["profile"] = (accounts._account(item) if kind == "person"
                              else enterprises._doc(item))
        elif sk.startswith("APP#"):
            out["applications"].append(_pointer(item))
        elif sk.startswith("LIC#"):
            out["wallet"].append({"payload": json.loads(item["doc"]["S"]),
                                  "revoked_at": item.get("revoked_at", {}).get("S")})
        elif sk.startswith(PIN):
            out["pins"].append({"code": sk[len(PIN):], "at": item["at"]["S"]})
        elif sk == push_store.COUNTER_SK:
            p = push_store.COUNT_PREFIX
            out["unread"] = {k[len(p):]: int(v["N"]) for k, v in item.items()
                             if k.startswith(p) and "N" in v}
        elif sk.startswith(enterprises.MEMBER):
            out["enterprises"].append({"uscc": sk[len(enterprises.MEMBER):],
                                       "name": item["name"]["S"], "role": item["role"]["S"]})
    out["wallet"].sort(key=lambda w: w["payload"]["issued"], reverse=True)
    out["pins"].sort(key=lambda p: p["at"], reverse=True)
    return out


# ---- pins ---------------------------------------------------------------------------------------

def pin(settings, owner: str, code: str, *, at: str, cap: int) -> str:
    """Pin a matter: 'pinned', 'already' (nothing changed) or 'full' (the cap is reached).
    One transaction: the pin (only if absent) and the count (only while under the cap)."""
    pk, table = owner_pk(owner), settings.table_name
    try:
        ddb(settings).transact_write_items(TransactItems=[
            {"Put": {"TableName": table, "Item": {**key(pk, PIN + code), "at": {"S": at}},
                     "ConditionExpression": "attribute_not_exists(pk)"}},
            {"Update": {"TableName": table, "Key": key(pk, PINS),
                        "UpdateExpression": "ADD n :one",
                        "ConditionExpression": "attribute_not_exists(n) OR n < :cap",
                        "ExpressionAttributeValues": {":one": {"N": "1"},
                                                      ":cap": {"N": str(cap)}}}}])
    except ClientError as err:
        reasons = cancellation_reasons(err)
        if reasons[:1] == ["ConditionalCheckFailed"]:
            return "already"
        if reasons[1:2] == ["ConditionalCheckFailed"]:
            return "full"
        raise
    return "pinned"


def unpin(settings, owner: str, code: str) -> bool:
    """Unpin a matter (False: it was not pinned), the count lowered in the same transaction."""
    pk, table = owner_pk(owner), settings.table_name
    try:
        ddb(settings).transact_write_items(TransactItems=[
            {"Delete": {"TableName": table, "Key": key(pk, PIN + code),
                        "ConditionExpression": "attribute_exists(pk)"}},
            {"Update": {"TableName": table, "Key": key(pk, PINS),
                        "UpdateExpression": "ADD n :minus",
                        "ExpressionAttributeValues": {":minus": {"N": "-1"}}}}])
    except ClientError as err:
        if cancellation_reasons(err)[:1] == ["ConditionalCheckFailed"]:
            return False
        raise
    return True
