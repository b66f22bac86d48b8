"""Grants (one party authorising a person to act for it): the only code that knows their keys.

  pk=GRANT#<id>  sk=G   the grant (doc JSON, status)
                        GSI1 gsi1pk=GRANTEE#<account>, GSI2 gsi2pk=GRANTOR#<kind>#<id>,
                        both sorted by creation time
"""
from __future__ import annotations

import json

from botocore.exceptions import ClientError

from ...core.errors import Conflict, NotFound
from ...core.store import audit_put, cancellation_reasons, ddb, key
from ...push.store import inbox_puts


def _key(gid: str) -> dict:
    return key(f"GRANT#{gid}", "G")


def _grantee(account_id: str) -> str:
    return f"GRANTEE#{account_id}"


def _grantor(kind: str, ident: str) -> str:
    return f"GRANTOR#{kind}#{ident}"


def _item(grant: dict) -> dict:
    return {**_key(grant["id"]),
            "doc": {"S": json.dumps(grant, ensure_ascii=False, sort_keys=True)},
            "status": {"S": grant["status"]},
            "gsi1pk": {"S": _grantee(grant["grantee"])}, "gsi1sk": {"S": grant["created"]},
            "gsi2pk": {"S": _grantor(grant["grantor_kind"], grant["grantor_id"])},
            "gsi2sk": {"S": grant["created"]}}


def _grant(item: dict | None) -> dict | None:
    if not item:
        return None
    return {**json.loads(item["doc"]["S"]), "status": item["status"]["S"]}


def get_grant(settings, gid: str) -> dict | None:
    return _grant(ddb(settings).get_item(TableName=settings.table_name, Key=_key(gid),
                                         ConsistentRead=True).get("Item"))


def create_grant(settings, grant: dict, *, audit: dict, notices: list[dict]) -> dict:
    ddb(settings).transact_write_items(TransactItems=[
        {"Put": {"TableName": settings.table_name, "Item": _item(grant),
                 "ConditionExpression": "attribute_not_exists(pk)"}},
        audit_put(settings.table_name, **audit),
        *inbox_puts(settings.table_name, notices),
    ])
    return grant


def change_grant(settings, gid: str, *, expected: str, status: str, audit: dict,
                 notices: list[dict], extra: dict | None = None,
                 also: list[dict] = ()) -> None:
    """Move a grant from `expected` to `status` with its audit record and the notices (and
    `also`: an accepted role's default notification topics, push's items)."""
    names, values, sets = {"#s": "status"}, {":new": {"S": status}, ":old": {"S": expected}}, []
    for i, (k, v) in enumerate((extra or {}).items()):
        names[f"#x{i}"] = k
        values[f":x{i}"] = {"S": v}
        sets.append(f"#x{i} = :x{i}")
    try:
        ddb(settings).transact_write_items(TransactItems=[
            {"Update": {"TableName": settings.table_name, "Key": _key(gid),
                        "UpdateExpression": "SET " + ", ".join(["#s = :new", *sets]),
                        "ConditionExpression": "#s = :old",
                        "ExpressionAttributeNames": names, "ExpressionAttributeValues": values}},
            audit_put(settings.table_name, **audit),
            *inbox_puts(settings.table_name, notices),
            *also,
        ])
    except ClientError as err:
        if cancellation_reasons(err)[:1] == ["ConditionalCheckFailed"]:
            current = get_grant(settings, gid)
            if current is None:  # gone meanwhile (expired and removed): not a 500
                raise NotFound("No such authorisation.") from err
            raise Conflict(f"The authorisation is {current['status']}.",
                           details={"status": current["status"]}) from err
        raise


def grants_received(settings, account_id: str) -> list[dict]:
    resp = ddb(settings).query(TableName=settings.table_name, IndexName="GSI1",
                               KeyConditionExpression="gsi1pk = :k",
                               ExpressionAttributeValues={":k": {"S": _grantee(account_id)}})
    return [_grant(i) for i in resp["Items"]]


def grants_given(settings, grantor_kind: str, grantor_id: str) -> list[dict]:
    resp = ddb(settings).query(
        TableName=settings.table_name, IndexName="GSI2", KeyConditionExpression="gsi2pk = :k",
        ExpressionAttributeValues={":k": {"S": _grantor(grantor_kind, grantor_id)}})
    return [_grant(i) for i in resp["Items"]]


def newest_grants(settings, *, grantee: str, grantors: list[tuple[str, str]],
                  before: tuple[str, str] | None, limit: int) -> list[dict]:
    """Up to limit + 1 grants received by `grantee` or given by any of `grantors`, newest
    first (by creation, then id), all older than `before` (a (created, id) position): one
    Query per party, each read only as far as the page needs."""
    sources = [("GSI1", "gsi1pk", "gsi1sk", _grantee(grantee))]
    sources += [("GSI2", "gsi2pk", "gsi2sk", _grantor(kind, ident)) for kind, ident in grantors]
    found: dict[str, dict] = {}
    for index, pk, sk, value in sources:
        for grant in _newest(settings, index, pk, sk, value, before, limit + 1):
            found[grant["id"]] = grant
    return sorted(found.values(), key=lambda g: (g["created"], g["id"]), reverse=True)[:limit + 1]


def _newest(settings, index, pk, sk, value, before, want: int) -> list[dict]:
    cond, values = f"{pk} = :k", {":k": {"S": value}}
    if before:
        cond, values[":c"] = f"{cond} AND {sk} <= :c", {"S": before[0]}
    args = {"TableName": settings.table_name, "IndexName": index, "ScanIndexForward": False,
            "KeyConditionExpression": cond, "ExpressionAttributeValues": values,
            "Limit": want + 1}
    out: list[dict] = []
    while True:
        resp = ddb(settings).query(**args)
        out += [g for g in map(_grant, resp["Items"])
                if not before or (g["created"], g["id"]) < before]
        # Read on while the page's last creation time may have more grants of the same time.
        full = len(out) > want and out[-1]["created"] < out[want - 1]["created"]
        if full or "LastEvaluatedKey" not in resp:
            return out
        args["ExclusiveStartKey"] = resp["LastEvaluatedKey"]
