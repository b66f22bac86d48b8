"""Intake's part of the retention job: an application past its period loses its personal data
in one transaction (the application, its events and scans rewritten, the owner's pointer and
the rating's comment gone), then its materials leave S3. Keys as in intake/store.py."""
from __future__ import annotations

import json

from ..core import aws
from ..core.store import audit_put, key, owner_pk
from ..core.store import ddb as _ddb

RATING_KEEP = ("id", "application", "level", "tags", "state", "dept", "region", "department",
               "matter", "rated_at", "channel")


def partition(settings, app_id: str) -> list[dict]:
    """Every item of the application's partition (raw), one paged Query."""
    kwargs = {"TableName": settings.table_name, "KeyConditionExpression": "pk = :pk",
              "ExpressionAttributeValues": {":pk": {"S": f"APP#{app_id}"}}, "ConsistentRead": True}
    items = []
    while True:
        resp = _ddb(settings).query(**kwargs)
        items.extend(resp["Items"])
        if "LastEvaluatedKey" not in resp:
            return items
        kwargs["ExclusiveStartKey"] = resp["LastEvaluatedKey"]


def anonymise(settings, app: dict, items: list[dict], *, doc: dict, event_doc, audit: dict) -> None:
    """Rewrite the application as `doc` (conditional on the version read: a move in between
    wins and the next run looks again), each event through `event_doc`, drop scans, the
    owner's pointer and the rating's personal fields; audited in the same transaction."""
    table = settings.table_name
    events: list[dict] = []
    ops: list[dict] = []
    for item in items:
        sk = item["sk"]["S"]
        if sk == "A":
            new = {**item, "doc": {"S": json.dumps(doc, ensure_ascii=False, sort_keys=True)}}
            ops.append({"Put": {"TableName": table, "Item": new,
                                "ConditionExpression": "#d = :d",
                                "ExpressionAttributeNames": {"#d": "doc"},
                                "ExpressionAttributeValues": {":d": item["doc"]}}})
        elif sk.startswith("E#"):
            events.append({"Put": {"TableName": table, "Item": {
                **item, "doc": {"S": event_doc(item["doc"]["S"])}}}})
        elif sk.startswith("SCAN#"):
            ops.append({"Delete": {"TableName": table, "Key": key(item["pk"]["S"], sk)}})
    if app.get("owner") and app.get("created"):
        ops.append({"Delete": {"TableName": table, "Key": key(
            owner_pk(app["owner"]), f"APP#{app['created']}#{app['id']}")}})
    rating = _ddb(settings).get_item(TableName=table, Key=key(f"RATING#{app['id']}", "R"),
                                     ConsistentRead=True).get("Item")
    if rating:
        kept = {k: v for k, v in json.loads(rating["doc"]["S"]).items() if k in RATING_KEEP}
        ops.append({"Put": {"TableName": table, "Item": {
            **rating, "doc": {"S": json.dumps(kept, ensure_ascii=False, sort_keys=True)}}}})
    ops.append(audit_put(table, **audit))
    client = _ddb(settings)
    if len(events) + len(ops) > 100:
        # A timeline longer than one transaction: its events first (rewriting one twice is
        # harmless), the application last, so a failure leaves it to the next run.
        for i in range(0, len(events), 100):
            client.transact_write_items(TransactItems=events[i:i + 100])
        events = []
    client.transact_write_items(TransactItems=events + ops)


def delete_materials(settings, app: dict) -> int:
    """The application's uploads (uploads/<no>/ and every key its materials name)."""
    s3 = aws.client("s3", settings)
    bucket = settings.materials_bucket
    keys = {m.get("key") for m in (app.get("materials") or {}).values()
            if isinstance(m, dict) and m.get("key")}
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket,
                                                             Prefix=f"uploads/{app['id']}/"):
        keys.update(o["Key"] for o in page.get("Contents", []))
    keys.discard(None)
    keys = sorted(keys)
    for i in range(0, len(keys), 1000):
        s3.delete_objects(Bucket=bucket, Delete={
            "Objects": [{"Key": k} for k in keys[i:i + 1000]], "Quiet": True})
    return len(keys)
