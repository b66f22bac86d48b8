"""The retention job's storage: its watermarks, deleting a date-keyed partition, and (local
stage only) the expired-`ttl` sweep the emulator needs because it never expires items.

Keys: pk=RETENTION  sk=<kind>   the last partition (day, hour, month) the job finished.
The partitions themselves belong to their owners (audit: core; SEARCHMISS: hall; EXPORT:
supervision; DEVOUTBOX: core): this module deletes whole partitions past their period and
knows nothing else of them."""
from __future__ import annotations

from .store import ddb, key

_STATE = "RETENTION"


def watermark(settings, kind: str) -> str | None:
    item = ddb(settings).get_item(TableName=settings.table_name, Key=key(_STATE, kind),
                                  ConsistentRead=True).get("Item")
    return item["done"]["S"] if item else None


def set_watermark(settings, kind: str, done: str, at: str) -> None:
    """Only forward: two runs at once (or a run given an earlier start) never move it back."""
    from botocore.exceptions import ClientError

    try:
        ddb(settings).put_item(TableName=settings.table_name, Item={
            **key(_STATE, kind), "done": {"S": done}, "at": {"S": at}},
            ConditionExpression="attribute_not_exists(pk) OR done < :d",
            ExpressionAttributeValues={":d": {"S": done}})
    except ClientError as err:
        if err.response["Error"]["Code"] != "ConditionalCheckFailedException":
            raise


def _delete(settings, keys: list[dict]) -> None:
    client = ddb(settings)
    for i in range(0, len(keys), 25):
        request = {settings.table_name: [{"DeleteRequest": {"Key": k}} for k in keys[i:i + 25]]}
        while request:
            request = client.batch_write_item(RequestItems=request).get("UnprocessedItems")


def delete_partition(settings, pk: str) -> int:
    """Delete every item of partition `pk` (paged Query of the keys); how many went."""
    kwargs = {"TableName": settings.table_name, "KeyConditionExpression": "pk = :pk",
              "ExpressionAttributeValues": {":pk": {"S": pk}}, "ProjectionExpression": "pk, sk"}
    gone = 0
    while True:
        resp = ddb(settings).query(**kwargs)
        _delete(settings, resp["Items"])
        gone += len(resp["Items"])
        if "LastEvaluatedKey" not in resp:
            return gone
        kwargs["ExclusiveStartKey"] = resp["LastEvaluatedKey"]


def sweep_expired(settings, before_epoch: int, prefixes: tuple[str, ...]) -> dict[str, int]:
    """LOCAL STAGE ONLY (the caller checks): delete items whose `ttl` is before `before_epoch`
    and whose pk starts with one of `prefixes`, by a filtered paged Scan. In AWS, DynamoDB's
    TTL does this and no Scan runs."""
    kwargs = {"TableName": settings.table_name, "ProjectionExpression": "pk, sk",
              "FilterExpression": "#t < :t", "ExpressionAttributeNames": {"#t": "ttl"},
              "ExpressionAttributeValues": {":t": {"N": str(before_epoch)}}}
    gone: dict[str, int] = {}
    while True:
        resp = ddb(settings).scan(**kwargs)
        doomed = [i for i in resp["Items"] if i["pk"]["S"].startswith(prefixes)]
        _delete(settings, doomed)
        for item in doomed:
            prefix = item["pk"]["S"].split("#", 1)[0] + "#"
            gone[prefix] = gone.get(prefix, 0) + 1
        if "LastEvaluatedKey" not in resp:
            return gone
        kwargs["ExclusiveStartKey"] = resp["LastEvaluatedKey"]


def dev_outbox_before(settings, before: str) -> int:
    """LOCAL STAGE ONLY: delete dev outbox texts older than `before` (ISO): a filtered Scan of
    DEVOUTBOX# (the local table is small; no deployed stage has the records)."""
    kwargs = {"TableName": settings.table_name, "ProjectionExpression": "pk, sk",
              "FilterExpression": "begins_with(pk, :p) AND sk < :b",
              "ExpressionAttributeValues": {":p": {"S": "DEVOUTBOX#"}, ":b": {"S": before}}}
    gone = 0
    while True:
        resp = ddb(settings).scan(**kwargs)
        _delete(settings, resp["Items"])
        gone += len(resp["Items"])
        if "LastEvaluatedKey" not in resp:
            return gone
        kwargs["ExclusiveStartKey"] = resp["LastEvaluatedKey"]
