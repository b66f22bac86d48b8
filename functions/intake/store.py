"""The only intake code that knows table keys: applications, their events, queues, holidays.

Keys (infra/README.md holds the table):
  pk=APP#<no>  sk=A                    the application (personal form values sealed), GSI1
                                       DEPT#<dept>#<region>#STATUS#<status>, sparse GSI2 PROVISIONAL
  pk=APP#<no>  sk=E#<time>#<rand>      one event of its timeline
  pk=ACCOUNT#<id> | ENTERPRISE#<uscc>  sk=APP#<created>#<no>   the owner's pointer
  pk=APPSEQ#<yyyy-mm-dd>  sk=N         the day's application numbers
  pk=IDEM#<owner>#<key>  sk=I          an idempotent create, ttl a day
  pk=HOLIDAYS  sk=Y#<year>             a loaded holiday schedule
  pk=APP#<no>  sk=SCAN#<upload>        the malware scan of one uploaded material
"""
from __future__ import annotations

import json
import re
import time
import uuid

from botocore.exceptions import ClientError

from ..core import aws
from ..core.errors import Conflict, NotFound
from ..core.store import audit_put, cancellation_reasons, owner_pk
from ..core.store import ddb as _ddb
from ..core.store import key as _key
from ..push.store import coalesce, inbox_put

# ASCII only: str.isalnum() and \d also take other scripts' letters and digits.
_APP_ID = re.compile(r"MZ[0-9]{14}")


def _app_item(app: dict) -> dict:
    due = (app.get("deadlines") or {}).get("current") or "9999-12-31"
    item = {**_key(f"APP#{app['id']}", "A"),
            "doc": {"S": json.dumps(app, ensure_ascii=False, sort_keys=True)},
            "status": {"S": app["status"]},
            "gsi1pk": {"S": f"DEPT#{app['department']}#{app['region']}#STATUS#{app['status']}"},
            "gsi1sk": {"S": f"{due}#{app['id']}"}}
    if (app.get("deadlines") or {}).get("provisional") and app["status"] not in (
            "approved", "refused", "withdrawn", "not_accepted"):
        item["gsi2pk"] = {"S": "PROVISIONAL"}
        item["gsi2sk"] = {"S": app["id"]}
    return item


def _pointer(app: dict) -> dict:
    # The next deadline rides on the pointer so the owner's page needs no read per application.
    due = ((app.get("correction") or {}).get("due") if app["status"] == "returned"
           else (app.get("deadlines") or {}).get("current"))
    return {"Put": {"TableName": None, "Item": {
        **_key(owner_pk(app["owner"]), f"APP#{app['created']}#{app['id']}"),
        "id": {"S": app["id"]}, "matter": {"S": app["matter"]},
        "name": {"S": app["matter_name"]}, "status": {"S": app["status"]},
        "updated": {"S": app["updated"]}, **({"due": {"S": due}} if due else {}),
        **({"code": {"S": app["query_code"]}} if app.get("query_code") else {})}}}


def _event(app_id: str, event: dict) -> dict:
    return {"Put": {"TableName": None, "Item": {
        **_key(f"APP#{app_id}", f"E#{event['at']}#{uuid.uuid4().hex[:6]}"),
        "doc": {"S": json.dumps(event, ensure_ascii=False, sort_keys=True)}}}}


def _with_table(items: list[dict], table: str) -> list[dict]:
    for item in items:
        for op in item.values():
            if op.get("TableName") is None:
                op["TableName"] = table
    return items


def next_number(settings, day: str) -> str:
    """MZ + date + a daily sequence: readable at a counter, unique by an atomic counter."""
    got = _ddb(settings).update_item(
        TableName=settings.table_name, Key=_key(f"APPSEQ#{day}", "N"),
        UpdateExpression="ADD n :one", ExpressionAttributeValues={":one": {"N": "1"}},
        ReturnValues="UPDATED_NEW")
    return f"MZ{day.replace('-', '')}{int(got['Attributes']['n']['N']):06d}"


def idempotent_hit(settings, owner: str, key: str) -> str | None:
    item = _ddb(settings).get_item(TableName=settings.table_name,
                                   Key=_key(f"IDEM#{owner}#{key}", "I"),
                                   ConsistentRead=True).get("Item")
    return item["app"]["S"] if item else None


def create(settings, app: dict, *, idem_key: str | None, event: dict, audit: dict) -> dict:
    """The application, its first event, the owner's pointer, the idempotency record and the
    audit record: one transaction. A concurrent twin with the same key loses and gets the
    winner's application."""
    table = settings.table_name
    items = [{"Put": {"TableName": table, "Item": _app_item(app),
                      "ConditionExpression": "attribute_not_exists(pk)"}},
             _event(app["id"], event), _pointer(app), audit_put(table, **audit)]
    if idem_key:
        items.append({"Put": {"TableName": table, "ConditionExpression": "attribute_not_exists(pk)",
                              "Item": {**_key(f"IDEM#{app['owner']}#{idem_key}", "I"),
                                       "app": {"S": app["id"]},
                                       "ttl": {"N": str(int(time.time()) + 86400)}}}})
    try:
        _ddb(settings).transact_write_items(TransactItems=_with_table(items, table))
    except ClientError as err:
        # A twin with the same key that won (its condition or a conflict with it cancelled
        # ours) has written the idempotency record: answer with its application.
        cancelled = err.response.get("Error", {}).get("Code") == "TransactionCanceledException"
        existing = idem_key and cancelled and idempotent_hit(settings, app["owner"], idem_key)
        if existing:
            return get(settings, existing)
        cancellation_reasons(err)
        raise
    return app


def get(settings, app_id: str) -> dict:
    item = None
    if _APP_ID.fullmatch(app_id):
        item = _ddb(settings).get_item(TableName=settings.table_name,
                                       Key=_key(f"APP#{app_id}", "A"),
                                       ConsistentRead=True).get("Item")
    if not item:
        raise NotFound("No such application.")
    return json.loads(item["doc"]["S"])


def owned(settings, app_id: str, owner: str) -> dict:
    """The application if `owner` (person:<id> or enterprise:<uscc>) owns it; anyone else's
    is as unknown as one that does not exist (404)."""
    app = get(settings, app_id)
    if app["owner"] != owner:
        raise NotFound("No such application.")
    return app


def handled(settings, app_id: str, department: str | None, region: str | None) -> dict:
    """The application if it belongs to this department and region's queue; else 404."""
    try:
        app = get(settings, app_id)
    except NotFound:
        app = None
    if not app or (department, region) != (app["department"], app["region"]):
        raise NotFound("No such application in your department's queue.")
    return app


def events(settings, app_id: str) -> list[dict]:
    resp = _ddb(settings).query(
        TableName=settings.table_name, KeyConditionExpression="pk = :pk AND begins_with(sk, :e)",
        ExpressionAttributeValues={":pk": {"S": f"APP#{app_id}"}, ":e": {"S": "E#"}})
    return [json.loads(i["doc"]["S"]) for i in resp["Items"]]


def save(settings, app: dict, *, expected: str, event: dict | None, audit: dict,
         notice: dict | None = None, extra: list[dict] | None = None) -> dict:
    """Write the new state of an application with everything that goes with it (event, the
    owner's pointer, audit record, notification, counters, licences) as one transaction,
    conditional on the state it was read in."""
    table = settings.table_name
    items = [{"Put": {"TableName": table, "Item": _app_item(app),
                      "ConditionExpression": "#s = :expected",
                      "ExpressionAttributeNames": {"#s": "status"},
                      "ExpressionAttributeValues": {":expected": {"S": expected}}}},
             _pointer(app), audit_put(table, **audit)]
    if event:
        items.append(_event(app["id"], event))
    if notice:
        items += inbox_put(table, **notice)
    items += extra or []
    try:
        # An approval's notice and its licences' notices may go to one inbox: one counter.
        _ddb(settings).transact_write_items(TransactItems=coalesce(_with_table(items, table)))
    except ClientError as err:
        if cancellation_reasons(err)[:1] == ["ConditionalCheckFailed"]:
            current = get(settings, app["id"])
            raise Conflict(f"The application is {current['status']} now.",
                           details={"status": current["status"]}) from err
        raise
    return app


def mine(settings, owner: str, *, limit: int, start: dict | None) -> tuple[list[dict], dict]:
    kwargs = {"TableName": settings.table_name, "Limit": limit, "ScanIndexForward": False,
              "KeyConditionExpression": "pk = :pk AND begins_with(sk, :a)",
              "ExpressionAttributeValues": {":pk": {"S": owner_pk(owner)}, ":a": {"S": "APP#"}}}
    if start:
        kwargs["ExclusiveStartKey"] = start
    resp = _ddb(settings).query(**kwargs)
    return ([{"id": i["id"]["S"], "matter": i["matter"]["S"], "matter_name": i["name"]["S"],
              "status": i["status"]["S"], "updated": i["updated"]["S"],
              "query_code": i.get("code", {}).get("S")} for i in resp["Items"]],
            resp.get("LastEvaluatedKey"))


def queue(settings, dept: str, region: str, status: str, *, limit: int,
          start: dict | None) -> tuple[list[dict], dict]:
    """An officer's queue: one GSI1 Query, the nearest due date first."""
    kwargs = {"TableName": settings.table_name, "IndexName": "GSI1", "Limit": limit,
              "KeyConditionExpression": "gsi1pk = :k",
              "ExpressionAttributeValues": {":k": {"S": f"DEPT#{dept}#{region}#STATUS#{status}"}}}
    if start:
        kwargs["ExclusiveStartKey"] = start
    resp = _ddb(settings).query(**kwargs)
    return [json.loads(i["doc"]["S"]) for i in resp["Items"]], resp.get("LastEvaluatedKey")


def provisional(settings) -> list[dict]:
    items, start = [], None
    while True:
        kwargs = {"TableName": settings.table_name, "IndexName": "GSI2",
                  "KeyConditionExpression": "gsi2pk = :k",
                  "ExpressionAttributeValues": {":k": {"S": "PROVISIONAL"}}}
        if start:
            kwargs["ExclusiveStartKey"] = start
        resp = _ddb(settings).query(**kwargs)
        items += [json.loads(i["doc"]["S"]) for i in resp["Items"]]
        start = resp.get("LastEvaluatedKey")
        if not start:
            return items


# ---- holiday schedules loaded by administrators -----------------------------------------

def schedules(settings) -> list[dict]:
    resp = _ddb(settings).query(TableName=settings.table_name,
                                KeyConditionExpression="pk = :pk",
                                ExpressionAttributeValues={":pk": {"S": "HOLIDAYS"}})
    return [json.loads(i["doc"]["S"]) for i in resp["Items"]]


def put_schedule(settings, schedule: dict, *, audit: dict) -> None:
    _ddb(settings).transact_write_items(TransactItems=[
        {"Put": {"TableName": settings.table_name, "Item": {
            **_key("HOLIDAYS", f"Y#{schedule['year']}"),
            "doc": {"S": json.dumps(schedule, ensure_ascii=False, sort_keys=True)}}}},
        audit_put(settings.table_name, **audit)])


# ---- materials ----------------------------------------------------------------------

def presign_upload(settings, key: str, content_type: str, max_size: int) -> dict:
    return aws.client("s3", settings).generate_presigned_post(
        Bucket=settings.materials_bucket, Key=key,
        Fields={"Content-Type": content_type},
        Conditions=[{"Content-Type": content_type}, ["content-length-range", 1, max_size]],
        ExpiresIn=900)


def uploaded(settings, key: str) -> dict | None:
    try:
        head = aws.client("s3", settings).head_object(Bucket=settings.materials_bucket, Key=key)
    except ClientError as err:
        if err.response["Error"]["Code"] in ("404", "NoSuchKey", "NotFound"):
            return None
        raise
    return {"size": head["ContentLength"], "content_type": head.get("ContentType", "")}


def discard_upload(settings, key: str) -> None:
    aws.client("s3", settings).delete_object(Bucket=settings.materials_bucket, Key=key)


# ---- malware scans of uploaded materials --------------------------------------------

def scan_put(table: str, app_id: str, upload: str, *, material: str, key: str, status: str,
             at: str, signature: str | None = None, only_if: tuple[str, ...] = ()) -> dict:
    """A scan record as a TransactWriteItems Put: pending when attached, then the verdict.
    `only_if`: the statuses it may replace (a verdict never goes back to pending, and a job
    delivered twice finds it decided); empty: only when there is none yet."""
    item = {**_key(f"APP#{app_id}", f"SCAN#{upload}"), "status": {"S": status},
            "material": {"S": material}, "key": {"S": key}, "at": {"S": at}}
    if signature:
        item["signature"] = {"S": signature}
    put: dict = {"TableName": table, "Item": item}
    if only_if:
        put["ConditionExpression"] = "#s IN (" + ", ".join(
            f":s{i}" for i in range(len(only_if))) + ")"
        put["ExpressionAttributeNames"] = {"#s": "status"}
        put["ExpressionAttributeValues"] = {f":s{i}": {"S": s} for i, s in enumerate(only_if)}
    else:
        put["ConditionExpression"] = "attribute_not_exists(pk)"
    return {"Put": put}


def _scan_row(item: dict) -> dict:
    return {k: item[k]["S"] for k in ("status", "material", "key", "at", "signature")
            if k in item}


def scans(settings, app_id: str) -> dict[str, dict]:
    """The application's scan records by upload id (the last part of the upload key)."""
    resp = _ddb(settings).query(
        TableName=settings.table_name, ConsistentRead=True,
        KeyConditionExpression="pk = :pk AND begins_with(sk, :s)",
        ExpressionAttributeValues={":pk": {"S": f"APP#{app_id}"}, ":s": {"S": "SCAN#"}})
    return {i["sk"]["S"].removeprefix("SCAN#"): _scan_row(i) for i in resp["Items"]}


def scan_of(settings, app_id: str, upload: str) -> dict | None:
    item = _ddb(settings).get_item(TableName=settings.table_name, ConsistentRead=True,
                                   Key=_key(f"APP#{app_id}", f"SCAN#{upload}")).get("Item")
    return _scan_row(item) if item else None


def record_scan(settings, put: dict, *, audit: dict) -> bool:
    """The verdict and its audit record; False when the record was decided meanwhile."""
    try:
        _ddb(settings).transact_write_items(TransactItems=[
            put, audit_put(settings.table_name, **audit)])
    except ClientError as err:
        if cancellation_reasons(err)[:1] == ["ConditionalCheckFailed"]:
            return False
        raise
    return True


def download(settings, key: str, path) -> bool:
    """The stored file into `path`; False when there is none under `key`."""
    try:
        aws.client("s3", settings).download_file(settings.materials_bucket, key, str(path))
    except ClientError as err:
        if err.response["Error"]["Code"] in ("404", "NoSuchKey", "NotFound"):
            return False
        raise
    return True


def presign_view(settings, key: str, content_type: str, seconds: int) -> str:
    """A short-lived GET that the browser shows inline, as the type it was checked as."""
    return aws.client("s3", settings).generate_presigned_url(
        "get_object", ExpiresIn=seconds, Params={
            "Bucket": settings.materials_bucket, "Key": key,
            "ResponseContentType": content_type, "ResponseContentDisposition": "inline"})


# ---- corrections waiting for the applicant -------------------------------------------------

def _correction_key(app_id: str, due: str) -> dict:
    return _key("CORRECTIONS", f"{due}#{app_id}")


def correction_marks(table: str, before: dict, after: dict) -> list[dict]:
    """The items a move adds for the correction schedule: a return puts the application's
    mark under its deadline; leaving 'returned' removes it (a lapse only while it is there,
    so a schedule that read it before a resubmission changes nothing)."""
    items: list[dict] = []
    old = before.get("correction") or {}
    if before["status"] == "returned" and old.get("due"):
        delete = {"TableName": table, "Key": _correction_key(before["id"], old["due"])}
        if after["status"] == "lapsed":
            delete["ConditionExpression"] = "attribute_exists(pk)"
        items.append({"Delete": delete})
    if after["status"] == "returned":
        items.append({"Put": {"TableName": table, "Item": {
            **_correction_key(after["id"], after["correction"]["due"]),
            "app": {"S": after["id"]}, "account": {"S": after["applicant"]}}}})
    return items


def corrections_due(settings, until: str) -> list[dict]:
    """The waiting corrections whose deadline is on or before `until` (YYYY-MM-DD)."""
    items, start = [], None
    while True:
        kwargs = {"TableName": settings.table_name, "ConsistentRead": True,
                  "KeyConditionExpression": "pk = :pk AND sk < :until",
                  "ExpressionAttributeValues": {":pk": {"S": "CORRECTIONS"},
                                                ":until": {"S": f"{until}#~"}}}
        if start:
            kwargs["ExclusiveStartKey"] = start
        resp = _ddb(settings).query(**kwargs)
        items += [{"app": i["app"]["S"], "due": i["sk"]["S"].split("#")[0],
                   "reminded": "reminded" in i} for i in resp["Items"]]
        start = resp.get("LastEvaluatedKey")
        if not start:
            return items


def remind_correction(settings, app_id: str, due: str, *, notice: dict, audit: dict) -> bool:
    """Mark the reminder sent and put it in the inbox, once: False when it was sent already
    or the correction is no longer waiting."""
    table = settings.table_name
    try:
        _ddb(settings).transact_write_items(TransactItems=[
            {"Update": {"TableName": table, "Key": _correction_key(app_id, due),
                        "UpdateExpression": "SET reminded = :at",
                        "ConditionExpression": "attribute_exists(pk) AND "
                                               "attribute_not_exists(reminded)",
                        "ExpressionAttributeValues": {":at": {"S": notice["at"]}}}},
            *inbox_put(table, **notice), audit_put(table, **audit)])
    except ClientError as err:
        if cancellation_reasons(err)[:1] == ["ConditionalCheckFailed"]:
            return False
        raise
    return True


def drop_correction_mark(settings, app_id: str, due: str) -> None:
    """A stale mark (its application moved on by other means): nothing to lapse."""
    _ddb(settings).delete_item(TableName=settings.table_name, Key=_correction_key(app_id, due))


def dossier(settings, app_id: str) -> tuple[dict, list[dict], dict[str, dict]]:
    """An application, its timeline and its scans from one paginated Query of its partition
    (the owner's data export reads every application so, one round trip each)."""
    kwargs = {"TableName": settings.table_name, "KeyConditionExpression": "pk = :pk",
              "ExpressionAttributeValues": {":pk": {"S": f"APP#{app_id}"}}}
    app, events_, scans_ = None, [], {}
    while True:
        resp = _ddb(settings).query(**kwargs)
        for item in resp["Items"]:
            sk = item["sk"]["S"]
            if sk == "A":
                app = json.loads(item["doc"]["S"])
            elif sk.startswith("E#"):
                events_.append(json.loads(item["doc"]["S"]))
            elif sk.startswith("SCAN#"):
                scans_[sk.removeprefix("SCAN#")] = _scan_row(item)
        if "LastEvaluatedKey" not in resp:
            break
        kwargs["ExclusiveStartKey"] = resp["LastEvaluatedKey"]
    if app is None:
        raise NotFound("No such application.")
    return app, events_, scans_
