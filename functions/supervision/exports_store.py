"""The only code that knows the export's keys, and its two sinks (the bucket, an endpoint).

Keys (infra/README.md holds the table):
  pk=EXPORT#<YYYY-MM-DDTHH (UTC)>  sk=<UTC time>Z#<event id>   one process event (doc: the
                                   JSON line), written in the transaction of what it reports;
                                   ttl RETENTION_DAYS (replays read it back)
  pk=EXPORTSTATE  sk=W             the watermark (`hour`: last hour exported whole; `hour_in`
                                   and `after`: the hour under way and its last exported sort
                                   key), the run lease (`lease`, `lease_until`), the last run
"""
from __future__ import annotations

import json
import urllib.request
from datetime import UTC, datetime, timedelta

from botocore.exceptions import ClientError

from ..core import aws
from ..core.store import ddb, key
from . import exports_model as model

STATE = key("EXPORTSTATE", "W")


def event_put(table: str, ev: dict) -> dict:
    """The transaction Put of one process event."""
    ttl = int((model.utc(ev["at"]) + timedelta(days=model.RETENTION_DAYS)).timestamp())
    return {"Put": {"TableName": table, "Item": {
        **key(f"EXPORT#{model.hour_of(ev['at'])}", model.sort_key(ev["at"], ev["id"])),
        "doc": {"S": json.dumps(ev, ensure_ascii=False, sort_keys=True)},
        "ttl": {"N": str(ttl)}},
        "ConditionExpression": "attribute_not_exists(pk)"}}


def hour_events(settings, hour: str, *, after: str | None = None, limit: int | None = None):
    """The events of an hour in order, after the sort key `after` (a generator of pages)."""
    kwargs = {"TableName": settings.table_name, "ConsistentRead": True,
              "KeyConditionExpression": "pk = :p" + (" AND sk > :a" if after else ""),
              "ExpressionAttributeValues": {":p": {"S": f"EXPORT#{hour}"},
                                            **({":a": {"S": after}} if after else {})}}
    if limit:
        kwargs["Limit"] = limit
    while True:
        resp = ddb(settings).query(**kwargs)
        for item in resp["Items"]:
            yield item["sk"]["S"], json.loads(item["doc"]["S"])
        if limit or "LastEvaluatedKey" not in resp:
            return
        kwargs["ExclusiveStartKey"] = resp["LastEvaluatedKey"]


def first_event(settings, hour: str, *, after: str | None = None) -> dict | None:
    for _sk, ev in hour_events(settings, hour, after=after, limit=1):
        return ev
    return None


def state(settings) -> dict:
    item = ddb(settings).get_item(TableName=settings.table_name, Key=STATE,
                                  ConsistentRead=True).get("Item") or {}
    return {name: item[name]["S"] for name in ("hour", "hour_in", "after", "lease",
                                                 "lease_until", "last_run")
            if name in item and "S" in item[name]}


def take_lease(settings, run_id: str, now: datetime) -> bool:
    """The run lease, unless another run holds an unexpired one (a conditional write)."""
    now = now.astimezone(UTC)  # compared as strings: one offset
    until = (now + timedelta(seconds=model.LEASE_SECONDS)).isoformat()
    try:
        ddb(settings).update_item(
            TableName=settings.table_name, Key=STATE,
            UpdateExpression="SET lease = :me, lease_until = :until",
            ConditionExpression="attribute_not_exists(lease_until) OR lease_until < :now",
            ExpressionAttributeValues={":me": {"S": run_id}, ":until": {"S": until},
                                       ":now": {"S": now.isoformat()}})
    except ClientError as err:
        if err.response["Error"]["Code"] == "ConditionalCheckFailedException":
            return False
        raise
    return True


def advance(settings, run_id: str, *, hour: str | None, hour_in: str | None,
            after: str | None) -> None:
    """Move the watermark, only while this run still holds the lease (a run whose lease ran
    out and was taken over must not move it back)."""
    sets, removes, values = [], [], {":me": {"S": run_id}}
    for name, value in (("hour", hour), ("hour_in", hour_in), ("after", after)):
        if value is None:
            removes.append(name)
        else:
            sets.append(f"#{name} = :{name}")
            values[f":{name}"] = {"S": value}
    expr = (f"SET {', '.join(sets)}" if sets else "") + (
        f" REMOVE {', '.join('#' + n for n in removes)}" if removes else "")
    ddb(settings).update_item(
        TableName=settings.table_name, Key=STATE, UpdateExpression=expr.strip(),
        ConditionExpression="lease = :me", ExpressionAttributeValues=values,
        ExpressionAttributeNames={f"#{n}": n for n in ("hour", "hour_in", "after")
                                  if f"#{n}" in expr})


def release(settings, run_id: str, *, last_run: dict) -> None:
    """Give the lease back and record the run (only the holder may)."""
    try:
        ddb(settings).update_item(
            TableName=settings.table_name, Key=STATE,
            UpdateExpression="SET last_run = :run REMOVE lease, lease_until",
            ConditionExpression="lease = :me",
            ExpressionAttributeValues={":me": {"S": run_id},
                                       ":run": {"S": json.dumps(last_run, sort_keys=True)}})
    except ClientError as err:
        if err.response["Error"]["Code"] != "ConditionalCheckFailedException":
            raise


def put_object(settings, name: str, body: bytes) -> None:
    aws.client("s3", settings).put_object(
        Bucket=settings.exports_bucket, Key=name, Body=body,
        ContentType="application/x-ndjson; charset=utf-8")


def post(settings, name: str, body: bytes) -> None:
    """POST a batch to the endpoint; its object name is the Idempotency-Key, so a batch sent
    again after a failure is recognised by the receiver. Anything but 2xx raises."""
    req = urllib.request.Request(settings.export_endpoint, data=body, method="POST", headers={
        "Content-Type": "application/x-ndjson; charset=utf-8", "Idempotency-Key": name})
    with urllib.request.urlopen(req, timeout=10) as resp:  # noqa: S310 (https, or loopback)
        if not 200 <= resp.status < 300:
            raise OSError(f"export endpoint answered {resp.status}")
