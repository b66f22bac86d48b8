"""The only code that knows the Web Push subscriptions' keys (infra/README.md holds the table):

  pk=ACCOUNT#<id>  sk=PUSHSUB#<id>   one browser's subscription, <id> the keyed hash of its
                                     endpoint: host (the push service), created, updated,
                                     expires (the browser's expirationTime, ms, or absent),
                                     seal (AES-GCM of {endpoint, p256dh, auth}, bound to
                                     the account and the id)

A person's devices sit in their own partition: the device list, the cap and the delivery
worker's read are one Query each. Subscriptions belong to the person, never to an enterprise:
an enterprise's notices reach the devices of its staff.
"""
from __future__ import annotations

from botocore.exceptions import ClientError

from ..core.store import ddb, key, party_pk
from ..core.store import transact as _transact

PREFIX = "PUSHSUB#"


def _pk(account: str) -> str:
    return party_pk("person", account)


def _row(item: dict) -> dict:
    row = {"id": item["sk"]["S"][len(PREFIX):], "host": item["host"]["S"],
           "created": item["created"]["S"], "updated": item["updated"]["S"],
           "expires": int(item["expires"]["N"]) if "expires" in item else None}
    if "seal" in item:
        row["seal"] = item["seal"]["S"]
    return row


def of_account(settings, account: str) -> list[dict]:
    """Every subscription of a person (at most the cap, plus a race's one): one Query."""
    items, start = [], None
    while True:
        kwargs = {"ExclusiveStartKey": start} if start else {}
        resp = ddb(settings).query(
            TableName=settings.table_name, ConsistentRead=True,
            KeyConditionExpression="pk = :p AND begins_with(sk, :s)",
            ExpressionAttributeValues={":p": {"S": _pk(account)}, ":s": {"S": PREFIX}},
            **kwargs)
        items += resp["Items"]
        start = resp.get("LastEvaluatedKey")
        if not start:
            return [_row(i) for i in items]


def put(settings, account: str, sub: dict, *, drop: list[str]) -> None:
    """Store (or refresh) one subscription, and remove `drop` (the oldest beyond the cap) in
    the same transaction. sub: id, host, created, updated, expires (or None), seal."""
    table = settings.table_name
    item = {**key(_pk(account), PREFIX + sub["id"]), "host": {"S": sub["host"]},
            "created": {"S": sub["created"]}, "updated": {"S": sub["updated"]},
            "seal": {"S": sub["seal"]}}
    if sub.get("expires") is not None:
        item["expires"] = {"N": str(int(sub["expires"]))}
    ops = [{"Put": {"TableName": table, "Item": item}}]
    ops += [{"Delete": {"TableName": table, "Key": key(_pk(account), PREFIX + old)}}
            for old in drop]
    if len(ops) == 1:
        ddb(settings).put_item(TableName=table, Item=item)
    else:
        _transact(settings, ops)


def remove(settings, account: str, sub_id: str) -> bool:
    """Remove one subscription; False when it was not there (removing again changes
    nothing). The delivery worker calls this when a push service answers 404 or 410."""
    try:
        ddb(settings).delete_item(TableName=settings.table_name,
                                  Key=key(_pk(account), PREFIX + sub_id),
                                  ConditionExpression="attribute_exists(pk)")
    except ClientError as err:
        if err.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException":
            return False
        raise
    return True
