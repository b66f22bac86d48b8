"""The only code that knows the ratings' keys (好差评).

Keys (infra/README.md holds the table):
  pk=RATING#<application>  sk=R        one rating per application (doc: JSON, its comment
                                       masked, the original sealed beside), `state`;
                                       GSI1 gsi1pk=RATINGS#<dept>#<region>, gsi1sk=<rated>#<id>:
                                       the department's, newest first; GSI2
                                       gsi2pk=RATINGSTATE#<state>, gsi2sk=<rated>#<id>: by state
  pk=RATINGIND#<yyyy-mm>  sk=DEPT#<dept>#<region>   counters n1..n5 of the month's ratings
  pk=RATINGSUM#matter#<code>  sk=ALL              counters n1..n5 of a matter, all time
  pk=RATINGSUM#department#<dept>  sk=R#<region>   counters n1..n5 of a department, all time
  pk=RATINGPUB#matter#<code> | RATINGPUB#department#<dept> | RATINGPUB#department#<dept>#<region>
     sk=<rated>#<id>                     the rating as the public reads it (masked comment)
An upheld appeal takes the rating out of every counter and public listing in its transaction.
"""
from __future__ import annotations

import json

from botocore.exceptions import ClientError

from ..core.errors import Conflict
from ..core.store import audit_put, cancellation_reasons, ddb, key
from ..push.store import inbox_put
from . import ratings_model as model

SK = "R"


def _item(r: dict) -> dict:
    return {**key(f"RATING#{r['application']}", SK),
            "doc": {"S": json.dumps(r, ensure_ascii=False, sort_keys=True)},
            "state": {"S": r["state"]}, "dept": {"S": r["department"]},
            "region": {"S": r["region"]},
            "gsi1pk": {"S": f"RATINGS#{r['department']}#{r['region']}"},
            "gsi1sk": {"S": f"{r['rated_at']}#{r['id']}"},
            "gsi2pk": {"S": f"RATINGSTATE#{r['state']}"},
            "gsi2sk": {"S": f"{r['rated_at']}#{r['id']}"}}


def _counter_keys(r: dict) -> list[dict]:
    return [key(f"RATINGIND#{r['month']}", f"DEPT#{r['department']}#{r['region']}"),
            key(f"RATINGSUM#matter#{r['matter']}", "ALL"),
            key(f"RATINGSUM#department#{r['department']}", f"R#{r['region']}")]


def _pointer_pks(r: dict) -> list[str]:
    return [f"RATINGPUB#matter#{r['matter']}", f"RATINGPUB#department#{r['department']}",
            f"RATINGPUB#department#{r['department']}#{r['region']}"]


def _counts(table: str, r: dict, delta: int) -> list[dict]:
    return [{"Update": {"TableName": table, "Key": k,
                        "UpdateExpression": "ADD #n :d",
                        "ExpressionAttributeNames": {"#n": f"n{r['level']}"},
                        "ExpressionAttributeValues": {":d": {"N": str(delta)}}}}
            for k in _counter_keys(r)]


def _pointers(table: str, r: dict) -> list[dict]:
    doc = json.dumps(model.for_public(r), ensure_ascii=False, sort_keys=True)
    return [{"Put": {"TableName": table, "Item": {
        **key(pk, f"{r['rated_at']}#{r['id']}"), "doc": {"S": doc}}}} for pk in _pointer_pks(r)]


def _write(settings, items: list[dict], conflict: Conflict) -> None:
    try:
        ddb(settings).transact_write_items(TransactItems=items)
    except ClientError as err:
        if cancellation_reasons(err)[:1] == ["ConditionalCheckFailed"]:
            raise conflict from err
        raise


def create(settings, r: dict, *, extra: list[dict], audit: dict | None) -> dict:
    """The rating, its counters, its public pointers (and `extra`: the process event): one
    transaction, conditional on the application having no rating yet (409)."""
    table = settings.table_name
    items = [{"Put": {"TableName": table, "Item": _item(r),
                      "ConditionExpression": "attribute_not_exists(pk)"}},
             *_counts(table, r, 1), *_pointers(table, r), *extra]
    if audit:
        items.append(audit_put(table, **audit))
    _write(settings, items, Conflict("This application has been rated already.",
                                     details={"rated": True}))
    return r


def get(settings, rid: str) -> dict | None:
    if not model.is_id(rid):
        return None
    item = ddb(settings).get_item(TableName=settings.table_name,
                                  Key=key(f"RATING#{model.app_of(rid)}", SK),
                                  ConsistentRead=True).get("Item")
    return json.loads(item["doc"]["S"]) if item else None


def update(settings, old: dict, new: dict, *, audit: dict, notice: dict | None = None) -> dict:
    """The rating's next state, conditional on the state it was read in (409 when someone
    moved it meanwhile); an upheld appeal also takes it out of its counters and listings; a
    call-back lands in the applicant's inbox. One transaction with the audit record."""
    table = settings.table_name
    items = [{"Put": {"TableName": table, "Item": _item(new),
                      "ConditionExpression": "#s = :was",
                      "ExpressionAttributeNames": {"#s": "state"},
                      "ExpressionAttributeValues": {":was": {"S": old["state"]}}}},
             audit_put(table, **audit)]
    if new["state"] == model.UPHELD:
        items += _counts(table, new, -1)
        items += [{"Delete": {"TableName": table,
                              "Key": key(pk, f"{new['rated_at']}#{new['id']}")}}
                  for pk in _pointer_pks(new)]
    if notice:
        items += inbox_put(table, owner=new["owner"], kind="rating", **notice)
    _write(settings, items, Conflict("The rating changed meanwhile; read it again.",
                                     details={"state": old["state"]}))
    return new


def _page(settings, query: dict, *, limit: int, start: dict | None):
    kwargs = {"TableName": settings.table_name, "Limit": limit, "ScanIndexForward": False,
              **query}
    if start:
        kwargs["ExclusiveStartKey"] = start
    resp = ddb(settings).query(**kwargs)
    return [json.loads(i["doc"]["S"]) for i in resp["Items"]], resp.get("LastEvaluatedKey")


def _index_start_ok(start: dict, index: str, value: str) -> bool:
    pk, sk = f"{index}pk", f"{index}sk"
    return (set(start) == {"pk", "sk", pk, sk} and start[pk].get("S") == value
            and start["sk"].get("S") == SK and start["pk"].get("S", "").startswith("RATING#"))


def of_department(settings, department: str, region: str, *, limit: int,
                  start: dict | None):
    """The department and region's ratings, newest first; None for a foreign cursor."""
    value = f"RATINGS#{department}#{region}"
    if start and not _index_start_ok(start, "gsi1", value):
        return None
    return _page(settings, {"IndexName": "GSI1", "KeyConditionExpression": "gsi1pk = :k",
                            "ExpressionAttributeValues": {":k": {"S": value}}},
                 limit=limit, start=start)


def of_state(settings, state: str, *, department: str | None, region: str | None,
             limit: int, start: dict | None):
    """Ratings in one state, newest first, optionally of one department and/or region (a
    filter on the state's partition); None for a foreign cursor."""
    value = f"RATINGSTATE#{state}"
    if start and not _index_start_ok(start, "gsi2", value):
        return None
    query = {"IndexName": "GSI2", "KeyConditionExpression": "gsi2pk = :k",
             "ExpressionAttributeValues": {":k": {"S": value}}}
    filters = []
    for name, got in (("dept", department), ("region", region)):
        if got:
            filters.append(f"#{name} = :{name}")
            query.setdefault("ExpressionAttributeNames", {})[f"#{name}"] = name
            query["ExpressionAttributeValues"][f":{name}"] = {"S": got}
    if filters:
        query["FilterExpression"] = " AND ".join(filters)
    return _page(settings, query, limit=limit, start=start)


def _levels(item: dict) -> dict[int, int]:
    return {lv: int(item.get(f"n{lv}", {}).get("N", 0)) for lv in model.LEVELS}


def _all(settings, pk: str) -> list[dict]:
    """Every item of a small partition (a month's departments: bounded by the catalogue)."""
    out, start = [], None
    while True:
        kwargs = {"TableName": settings.table_name, "KeyConditionExpression": "pk = :p",
                  "ExpressionAttributeValues": {":p": {"S": pk}}}
        if start:
            kwargs["ExclusiveStartKey"] = start
        resp = ddb(settings).query(**kwargs)
        out += resp["Items"]
        start = resp.get("LastEvaluatedKey")
        if not start:
            return out


def month_rows(settings, month: str) -> list[tuple[str, str, dict[int, int]]]:
    """The month's counters: (department, region, counts per level) per department/region."""
    rows = []
    for item in _all(settings, f"RATINGIND#{month}"):
        _, dept, region = item["sk"]["S"].split("#", 2)
        rows.append((dept, region, _levels(item)))
    return rows


def public_counts(settings, kind: str, code: str, region: str | None) -> dict[int, int]:
    """All-time counts of a matter, or of a department (one region, or all of them)."""
    if kind == "matter":
        item = ddb(settings).get_item(TableName=settings.table_name,
                                      Key=key(f"RATINGSUM#matter#{code}", "ALL")).get("Item")
        return _levels(item or {})
    if region:
        item = ddb(settings).get_item(TableName=settings.table_name,
                                      Key=key(f"RATINGSUM#department#{code}",
                                              f"R#{region}")).get("Item")
        return _levels(item or {})
    return _sum(_levels(i) for i in _all(settings, f"RATINGSUM#department#{code}"))


def _sum(counts) -> dict[int, int]:
    total: dict[int, int] = {}
    for c in counts:
        model.add(total, c)
    return total


def public_pk(kind: str, code: str, region: str | None) -> str:
    return f"RATINGPUB#{kind}#{code}" + (f"#{region}" if kind == "department" and region
                                          else "")


def public_latest(settings, pk: str, *, limit: int, start: dict | None):
    """The latest public ratings of a matter or department, newest first; None for a cursor
    not of this listing."""
    if start and (set(start) != {"pk", "sk"} or start["pk"].get("S") != pk):
        return None
    return _page(settings, {"KeyConditionExpression": "pk = :k",
                            "ExpressionAttributeValues": {":k": {"S": pk}}},
                 limit=limit, start=start)
