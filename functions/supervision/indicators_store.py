"""The indicator counters: the only code that knows their keys.

  pk=IND#<YYYY-MM>     sk=DEPT#<dept>#<region>   counters of the month (ADD, in the transaction
                                                 of the event they count): submitted_<channel>,
                                                 accepted_<channel>, completed_<channel>,
                                                 elicence_<type>, offguide_requests
  pk=INDAPP#<YYYY-MM>  sk=APP#<no>               an application moved that month (dept,
                                                 region): what the reconciliation re-reads

Reading a month is one Query of its counter rows (a page holds every department and county).
"""
from __future__ import annotations

import json

from ..core.store import audit_put, ddb, key

DEPT = "DEPT#"


def counter_update(table: str, month: str, dept: str, region: str, **counts: int) -> dict:
    """Indicator counters, updated in the transaction of the event they count."""
    names = {f"#c{i}": k for i, k in enumerate(counts)}
    values = {f":c{i}": {"N": str(v)} for i, v in enumerate(counts.values())}
    return {"Update": {"TableName": table, "Key": key(f"IND#{month}", f"{DEPT}{dept}#{region}"),
                       "UpdateExpression": "ADD " + ", ".join(f"#c{i} :c{i}"
                                                            for i in range(len(counts))),
                       "ExpressionAttributeNames": names, "ExpressionAttributeValues": values}}


def moved_marker(table: str, month: str, app: dict) -> dict:
    """The application moved this month (an idempotent Put, no condition)."""
    return {"Put": {"TableName": table, "Item": {
        **key(f"INDAPP#{month}", f"APP#{app['id']}"),
        "department": {"S": app["department"]}, "region": {"S": app["region"]}}}}


def count(settings, month: str, dept: str, region: str, *, audit: dict, **counts: int) -> None:
    """Counters with the audit record of what they count, outside any application write."""
    ddb(settings).transact_write_items(TransactItems=[
        counter_update(settings.table_name, month, dept, region, **counts),
        audit_put(settings.table_name, **audit)])


def add(settings, month: str, dept: str, region: str, **counts: int) -> None:
    """Counters alone (the reconciliation's fix: the drift's deltas)."""
    update = counter_update(settings.table_name, month, dept, region, **counts)["Update"]
    ddb(settings).update_item(**update)


def _numbers(item: dict) -> dict[str, int]:
    return {k: int(v["N"]) for k, v in item.items() if "N" in v}


def indicators(settings, month: str, dept: str, region: str) -> dict[str, int]:
    """One department's counters in one region."""
    item = ddb(settings).get_item(TableName=settings.table_name,
                                  Key=key(f"IND#{month}", f"{DEPT}{dept}#{region}")).get("Item")
    return _numbers(item or {})


def month_counters(settings, month: str) -> dict[tuple[str, str], dict[str, int]]:
    """(dept, region) -> counters: the month's counter rows (one Query page in practice)."""
    kwargs = {"TableName": settings.table_name,
              "KeyConditionExpression": "pk = :pk AND begins_with(sk, :d)",
              "ExpressionAttributeValues": {":pk": {"S": f"IND#{month}"}, ":d": {"S": DEPT}}}
    out: dict[tuple[str, str], dict[str, int]] = {}
    while True:
        resp = ddb(settings).query(**kwargs)
        for item in resp["Items"]:
            dept, _, region = item["sk"]["S"][len(DEPT):].rpartition("#")
            out[(dept, region)] = _numbers(item)
        if "LastEvaluatedKey" not in resp:
            return out
        kwargs["ExclusiveStartKey"] = resp["LastEvaluatedKey"]


def moved_applications(settings, month: str):
    """The ids of the applications that moved in the month (for the reconciliation job)."""
    kwargs = {"TableName": settings.table_name, "KeyConditionExpression": "pk = :pk",
              "ExpressionAttributeValues": {":pk": {"S": f"INDAPP#{month}"}},
              "ProjectionExpression": "sk"}
    while True:
        resp = ddb(settings).query(**kwargs)
        for item in resp["Items"]:
            yield item["sk"]["S"][len("APP#"):]
        if "LastEvaluatedKey" not in resp:
            return
        kwargs["ExclusiveStartKey"] = resp["LastEvaluatedKey"]


def timeline(settings, app_id: str) -> tuple[dict | None, list[dict]]:
    """An application's document and its events in time order: one Query of its partition."""
    kwargs = {"TableName": settings.table_name, "KeyConditionExpression": "pk = :pk",
              "ExpressionAttributeValues": {":pk": {"S": f"APP#{app_id}"}}}
    doc, events = None, []
    while True:
        resp = ddb(settings).query(**kwargs)
        for item in resp["Items"]:
            sk = item["sk"]["S"]
            if sk == "A":
                doc = json.loads(item["doc"]["S"])
            elif sk.startswith("E#"):
                events.append(json.loads(item["doc"]["S"]))
        if "LastEvaluatedKey" not in resp:
            return doc, events
        kwargs["ExclusiveStartKey"] = resp["LastEvaluatedKey"]
