"""The recommendations' records: the only code that knows their keys.

  pk=REC#NEXT#<matter>        sk=<next matter>    n   completions of <next> right after <matter>
  pk=REC#HOT#<region>         sk=<matter>         n   completions in a region (its hot services)
  pk=REC#SEG#<segment>        sk=<matter>         n   "not relevant" from people of a segment
  pk=ACCOUNT#|ENTERPRISE#...  sk=REC#LAST             the party's last completed matters
                              sk=REC#DONE#<matter>    a matter the party has completed
                              sk=REC#DISMISS#<matter> a suggestion the party dismissed

The counters are ADDed in the transaction that completes an application (intake's move), so
a completion counts once: that transaction is conditional on the state it was read in, and a
repeated completion step fails it as a whole.
"""
from __future__ import annotations

import json

from botocore.exceptions import ClientError

from ..core.store import cancellation_reasons, ddb, key, owner_pk

REC = "REC#"
LAST_KEPT = 3
CITY = "441400"


def _add(table: str, pk: str, sk: str, n: int = 1) -> dict:
    return {"Update": {"TableName": table, "Key": key(pk, sk), "UpdateExpression": "ADD n :n",
                       "ExpressionAttributeValues": {":n": {"N": str(n)}}}}


def last_completed(settings, owner: str) -> list[str]:
    """The party's last completed matters, most recent first (one GetItem)."""
    item = ddb(settings).get_item(TableName=settings.table_name,
                                  Key=key(owner_pk(owner), f"{REC}LAST")).get("Item")
    return json.loads(item["doc"]["S"]) if item else []


def completion_items(table: str, *, owner: str, matter: str, region: str, at: str,
                     previous: list[str]) -> list[dict]:
    """The transaction items recording that `owner` completed `matter`: the transition from
    the matter they completed before, the region's count, their last and done records."""
    # A county's own count, and the city-wide one a party outside any county counted reads.
    items = [_add(table, f"{REC}HOT#{r}", matter) for r in dict.fromkeys((region, CITY))]
    if previous and previous[0] != matter:
        items.append(_add(table, f"{REC}NEXT#{previous[0]}", matter))
    last = [matter] + [m for m in previous if m != matter][:LAST_KEPT - 1]
    pk = owner_pk(owner)
    items.append({"Put": {"TableName": table, "Item": {
        **key(pk, f"{REC}LAST"), "doc": {"S": json.dumps(last)}, "at": {"S": at}}}})
    items.append({"Put": {"TableName": table, "Item": {
        **key(pk, f"{REC}DONE#{matter}"), "at": {"S": at}}}})
    return items


def party_history(settings, owner: str) -> dict:
    """The party's own records (one Query on its partition): last, done and dismissed."""
    resp = ddb(settings).query(
        TableName=settings.table_name, KeyConditionExpression="pk = :pk AND begins_with(sk, :r)",
        ExpressionAttributeValues={":pk": {"S": owner_pk(owner)}, ":r": {"S": REC}})
    return history_of_items(resp["Items"])


def history_of_items(items: list[dict]) -> dict:
    """last, done and dismissed from the party's REC# items (the page reads them in its own
    Query of the partition and hands them here); other items are ignored."""
    out: dict = {"last": [], "done": set(), "dismissed": set()}
    for item in items:
        if not item["sk"]["S"].startswith(REC):
            continue
        sk = item["sk"]["S"][len(REC):]
        if sk == "LAST":
            out["last"] = json.loads(item["doc"]["S"])
        elif sk.startswith("DONE#"):
            out["done"].add(sk[5:])
        elif sk.startswith("DISMISS#"):
            out["dismissed"].add(sk[8:])
    return out


def _counts(settings, pk: str) -> dict[str, int]:
    resp = ddb(settings).query(TableName=settings.table_name,
                               KeyConditionExpression="pk = :pk",
                               ExpressionAttributeValues={":pk": {"S": pk}})
    return {i["sk"]["S"]: int(i["n"]["N"]) for i in resp["Items"]}


def transitions(settings, matter: str) -> dict[str, int]:
    """What people completed right after `matter`, with how often (one Query)."""
    return _counts(settings, f"{REC}NEXT#{matter}")


def hot(settings, region: str) -> dict[str, int]:
    return _counts(settings, f"{REC}HOT#{region}")


def segment_dismissals(settings, segment: str) -> dict[str, int]:
    return _counts(settings, f"{REC}SEG#{segment}")


def dismiss(settings, owner: str, matter: str, *, segment: str, at: str) -> bool:
    """Remember the party's "not relevant" and count it for its segment, once: a second
    dismissal of the same matter changes nothing (False)."""
    table = settings.table_name
    try:
        ddb(settings).transact_write_items(TransactItems=[
            {"Put": {"TableName": table, "ConditionExpression": "attribute_not_exists(pk)",
                     "Item": {**key(owner_pk(owner), f"{REC}DISMISS#{matter}"),
                              "segment": {"S": segment}, "at": {"S": at}}}},
            _add(table, f"{REC}SEG#{segment}", matter)])
    except ClientError as err:
        if cancellation_reasons(err)[:1] == ["ConditionalCheckFailed"]:
            return False
        raise
    return True
