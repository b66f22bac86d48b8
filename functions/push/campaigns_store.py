"""The only code that knows the campaigns' keys: the campaign and its counters, the planner's
page markers, the schedule's due markers.

Keys (infra/README.md holds the table):
  pk=CAMPAIGN#<id>  sk=C            the campaign: name, topic, template, params, segment,
                                    urgent, legal, send_at, state, author, approver, department;
                                    counters c_<name> (atomic ADD: count()); GSI1
                                    gsi1pk=CAMPAIGNS#<dept> gsi1sk=<created>#<id>
  pk=CAMPAIGN#<id>  sk=PLAN#<n>     one planned page of the topic index: status pending|sent,
                                    recipients (put once: a re-run plans nothing twice)
  pk=CAMPAIGNDUE    sk=<send at>#<id>  an approved campaign waiting for the planner (put in
                                    the approval's transaction, deleted when planning ends);
                                    released_at (the schedule's last release)
"""
from __future__ import annotations

import json

from botocore.exceptions import ClientError

from ..core.store import audit_put, cancellation_reasons, ddb, key, transact
from . import campaigns_model as model

PK = "CAMPAIGN#"
SK = "C"
DUE = "CAMPAIGNDUE"
COUNTER = "c_"


def _key(cid: str, sk: str = SK) -> dict:
    return key(PK + cid, sk)


def count(table: str, campaign_id: str, **deltas: int) -> dict:
    """THE INTERFACE for the delivery worker: the TransactWriteItems entry that ADDs
    `deltas` (names from campaigns_model.COUNTERS: targeted, queued, delivered, deferred,
    failed, cancelled, inbox, push, sms, opened, clicked) to the campaign's counters. Put it
    in the transaction of the sent-marker, so a recipient counts once."""
    bad = sorted(set(deltas) - set(model.COUNTERS))
    if bad or not deltas:
        raise ValueError(f"campaign counters are {model.COUNTERS}, not {bad}")
    names = sorted(deltas)
    return {"Update": {
        "TableName": table, "Key": _key(campaign_id),
        "UpdateExpression": "ADD " + ", ".join(f"#c{i} :c{i}" for i in range(len(names))),
        "ExpressionAttributeNames": {f"#c{i}": COUNTER + n for i, n in enumerate(names)},
        "ExpressionAttributeValues": {f":c{i}": {"N": str(int(deltas[n]))}
                                      for i, n in enumerate(names)}}}


def _item(c: dict) -> dict:
    item = {**_key(c["id"]), "name": {"S": c["name"]}, "topic": {"S": c["topic"]},
            "template": {"S": c["template"]},
            "params": {"S": json.dumps(c["params"], ensure_ascii=False, sort_keys=True)},
            "segment": {"S": json.dumps(c["segment"], ensure_ascii=False, sort_keys=True)},
            "urgent": {"BOOL": c["urgent"]}, "legal": {"BOOL": c["legal"]},
            "state": {"S": c["state"]}, "author": {"S": c["author"]},
            "department": {"S": c["department"]}, "created": {"S": c["created"]},
            "gsi1pk": {"S": f"CAMPAIGNS#{c['department']}"},
            "gsi1sk": {"S": f"{c['created']}#{c['id']}"}}
    for opt in ("send_at", "approver", "approved_at", "rule"):
        if c.get(opt):
            item[opt] = {"S": c[opt]}
    return item


def _campaign(item: dict) -> dict:
    out = {"id": item["pk"]["S"][len(PK):]}
    for k in ("name", "topic", "template", "state", "author", "department", "created",
              "send_at", "approver", "approved_at", "cancelled_at", "done_at", "rule"):
        out[k] = item[k]["S"] if k in item else None
    out["params"] = json.loads(item["params"]["S"])
    out["segment"] = json.loads(item["segment"]["S"])
    out["urgent"], out["legal"] = item["urgent"]["BOOL"], item["legal"]["BOOL"]
    out["counters"] = {k[len(COUNTER):]: int(v["N"]) for k, v in item.items()
                       if k.startswith(COUNTER) and "N" in v}
    return out


def create(settings, campaign: dict, *, audit: dict | None) -> bool:
    """Put a new campaign (only if its id is new) with its audit record; False when it
    existed (a reminder built twice)."""
    items = [{"Put": {"TableName": settings.table_name, "Item": _item(campaign),
                      "ConditionExpression": "attribute_not_exists(pk)"}}]
    if campaign["state"] != "draft":
        items.append(_due_put(settings.table_name, campaign))
    if audit:
        items.append(audit_put(settings.table_name, **audit))
    try:
        ddb(settings).transact_write_items(TransactItems=items)
    except ClientError as err:
        if cancellation_reasons(err)[:1] == ["ConditionalCheckFailed"]:
            return False
        raise
    return True


def get(settings, campaign_id: str) -> dict | None:
    item = ddb(settings).get_item(TableName=settings.table_name, Key=_key(campaign_id),
                                  ConsistentRead=True).get("Item")
    return _campaign(item) if item and "name" in item else None


def state(settings, campaign_id: str) -> str | None:
    """The campaign's state (one strongly consistent GetItem of one attribute): the delivery
    worker checks it before each batch, so a cancelled campaign's queued batches stop."""
    item = ddb(settings).get_item(TableName=settings.table_name, Key=_key(campaign_id),
                                  ConsistentRead=True, ProjectionExpression="#s",
                                  ExpressionAttributeNames={"#s": "state"}).get("Item")
    return item["state"]["S"] if item and "state" in item else None


def of_department(settings, department: str, *, limit: int,
                  start: dict | None) -> tuple[list[dict], dict | None]:
    """A department's campaigns, newest first: one GSI1 Query."""
    kwargs = {"TableName": settings.table_name, "IndexName": "GSI1", "Limit": limit,
              "ScanIndexForward": False, "KeyConditionExpression": "gsi1pk = :d",
              "ExpressionAttributeValues": {":d": {"S": f"CAMPAIGNS#{department}"}}}
    if start:
        kwargs["ExclusiveStartKey"] = start
    resp = ddb(settings).query(**kwargs)
    return [_campaign(i) for i in resp["Items"]], resp.get("LastEvaluatedKey")


def _due_sk(c: dict) -> str:
    return f"{c.get('send_at') or c.get('approved_at') or c['created']}#{c['id']}"


def _due_put(table: str, c: dict) -> dict:
    return {"Put": {"TableName": table, "Item": {**key(DUE, _due_sk(c)), "id": {"S": c["id"]}}}}


def move(settings, campaign: dict, to: str, *, allowed: frozenset | set, at: str,
         audit: dict | None, fields: dict | None = None, due: str | None = None) -> bool:
    """Change the state when it is still one of `allowed` (in one transaction with the audit
    record and, on approval, the due marker put, on the end of planning, removed): False
    when someone else moved it first."""
    refs = {f":a{i}": {"S": s} for i, s in enumerate(sorted(allowed))}
    sets = {"state": to, **(fields or {})}
    names = {f"#f{i}": k for i, k in enumerate(sets)}
    values = {f":v{i}": {"S": v} for i, v in enumerate(sets.values())}
    table = settings.table_name
    items = [{"Update": {
        "TableName": table, "Key": _key(campaign["id"]),
        "UpdateExpression": "SET " + ", ".join(f"#f{i} = :v{i}" for i in range(len(sets))),
        "ConditionExpression": f"#f0 IN ({', '.join(refs)})",
        "ExpressionAttributeNames": names, "ExpressionAttributeValues": {**refs, **values}}}]
    if due == "put":
        items.append(_due_put(table, {**campaign, **(fields or {})}))
    elif due == "delete":
        items.append({"Delete": {"TableName": table, "Key": key(DUE, _due_sk(campaign))}})
    if audit:
        items.append(audit_put(table, **audit))
    try:
        ddb(settings).transact_write_items(TransactItems=items)
    except ClientError as err:
        if cancellation_reasons(err)[:1] == ["ConditionalCheckFailed"]:
            return False
        raise
    return True


# ---- the schedule's due markers -----------------------------------------------------------

def due(settings, *, until: str) -> list[dict]:
    """The campaigns waiting for the planner whose time came (one Query, oldest first)."""
    out, start = [], None
    while True:
        kwargs = {"TableName": settings.table_name,
                  "KeyConditionExpression": "pk = :p AND sk <= :u",
                  "ExpressionAttributeValues": {":p": {"S": DUE}, ":u": {"S": until + "~"}}}
        if start:
            kwargs["ExclusiveStartKey"] = start
        resp = ddb(settings).query(**kwargs)
        out += [{"id": i["id"]["S"], "sk": i["sk"]["S"],
                 "released_at": i.get("released_at", {}).get("S")} for i in resp["Items"]]
        start = resp.get("LastEvaluatedKey")
        if not start:
            return out


def mark_released(settings, marker: dict, *, at: str, before: str) -> bool:
    """Claim a due marker for one release (not released since `before`): True when this
    caller should hand the campaign to the planner."""
    try:
        ddb(settings).update_item(
            TableName=settings.table_name, Key=key(DUE, marker["sk"]),
            UpdateExpression="SET released_at = :at",
            ConditionExpression="attribute_exists(pk) AND "
                                "(attribute_not_exists(released_at) OR released_at < :b)",
            ExpressionAttributeValues={":at": {"S": at}, ":b": {"S": before}})
    except ClientError as err:
        if err.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException":
            return False
        raise
    return True


# ---- the planner's page markers -----------------------------------------------------------

def _plan_sk(page: int) -> str:
    return f"PLAN#{page:06d}"


def planned(settings, campaign_id: str, page: int) -> str | None:
    """The status of a planned page: None (not planned), pending (counted, maybe not all
    queued), sent."""
    item = ddb(settings).get_item(TableName=settings.table_name,
                                  Key=_key(campaign_id, _plan_sk(page)),
                                  ConsistentRead=True).get("Item")
    return item["status"]["S"] if item else None


def plan_page(settings, campaign_id: str, page: int, recipients: int) -> bool:
    """Count a page's recipients as targeted, once: the marker's conditional put and the
    counter in one transaction. False when the page was planned before."""
    table = settings.table_name
    items = [{"Put": {"TableName": table, "ConditionExpression": "attribute_not_exists(pk)",
                      "Item": {**_key(campaign_id, _plan_sk(page)), "status": {"S": "pending"},
                               "n": {"N": str(recipients)}}}}]
    if recipients:
        items.append(count(table, campaign_id, targeted=recipients))
    try:
        transact(settings, items)
    except ClientError as err:
        if cancellation_reasons(err)[:1] == ["ConditionalCheckFailed"]:
            return False
        raise
    return True


def page_sent(settings, campaign_id: str, page: int, recipients: int) -> None:
    """The page's batches are on the queue: mark it sent and count them queued, once."""
    table = settings.table_name
    items = [{"Update": {"TableName": table, "Key": _key(campaign_id, _plan_sk(page)),
                         "UpdateExpression": "SET #s = :sent",
                         "ConditionExpression": "#s = :pending",
                         "ExpressionAttributeNames": {"#s": "status"},
                         "ExpressionAttributeValues": {":sent": {"S": "sent"},
                                                       ":pending": {"S": "pending"}}}}]
    if recipients:
        items.append(count(table, campaign_id, queued=recipients))
    try:
        transact(settings, items)
    except ClientError as err:
        if cancellation_reasons(err)[:1] != ["ConditionalCheckFailed"]:
            raise
