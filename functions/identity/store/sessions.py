"""Sessions and their refresh tokens: the only code that knows their keys.

  pk=SESSION#<sid>        sk=S   account, created, last_used, revoked, ttl
                                 (GSI1 gsi1pk=SESSIONS#<account> gsi1sk=<created>: an account's
                                 sessions, which a password reset ends)
  pk=REFRESH#<sha256>     sk=R   session, used, used_at, ttl (a token is stored only as its digest)
"""
from __future__ import annotations

import uuid

from botocore.exceptions import ClientError

from ...core.store import audit_put, cancellation_reasons, ddb, key

FAILED = "ConditionalCheckFailed"


def _session(sid: str) -> dict:
    return key(f"SESSION#{sid}", "S")


def _refresh(digest: str) -> dict:
    return key(f"REFRESH#{digest}", "R")


def _refresh_put(table: str, digest: str, sid: str, ttl: int) -> dict:
    return {"Put": {"TableName": table, "Item": {
        **_refresh(digest), "session": {"S": sid}, "used": {"BOOL": False},
        "ttl": {"N": str(ttl)}}}}


def create_session(settings, *, account_id: str, refresh_digest: str, at: str, ttl: int,
                   audit: dict) -> str:
    sid = uuid.uuid4().hex
    table = settings.table_name
    ddb(settings).transact_write_items(TransactItems=[
        {"Put": {"TableName": table, "Item": {
            **_session(sid), "account": {"S": account_id}, "created": {"S": at},
            "last_used": {"S": at}, "revoked": {"BOOL": False}, "ttl": {"N": str(ttl)},
            "gsi1pk": {"S": f"SESSIONS#{account_id}"}, "gsi1sk": {"S": at}}}},
        _refresh_put(table, refresh_digest, sid, ttl),
        audit_put(table, **audit),
    ])
    return sid


def get_session(settings, sid: str) -> dict | None:
    return session_of(sid, ddb(settings).get_item(TableName=settings.table_name,
                                                  Key=_session(sid),
                                                  ConsistentRead=True).get("Item"))


def session_of(sid: str, item: dict | None) -> dict | None:
    """A session item as get_session returns it (None: no such session)."""
    if not item:
        return None
    return {"id": sid, "account": item["account"]["S"], "created": item["created"]["S"],
            "last_used": item["last_used"]["S"], "revoked": item["revoked"]["BOOL"]}


def get_refresh(settings, digest: str) -> dict | None:
    item = ddb(settings).get_item(TableName=settings.table_name, Key=_refresh(digest),
                                  ConsistentRead=True).get("Item")
    if not item:
        return None
    return {"session": item["session"]["S"], "used": item["used"]["BOOL"],
            "used_at": item.get("used_at", {}).get("S")}


def rotate_refresh(settings, *, old_digest: str, new_digest: str, sid: str, at: str,
                   ttl: int, audit: dict) -> str:
    """Spend the old refresh token and issue the next one of its session, with the audit
    record, all or nothing. Returns "rotated"; "replayed" when the old token was already
    spent (the caller ends the session); "ended" when the session is revoked or gone.
    A throttled or conflicting write raises (503): nothing was spent, so the same token
    works on a retry and the session lives on."""
    table = settings.table_name
    try:
        ddb(settings).transact_write_items(TransactItems=[
            {"Update": {"TableName": table, "Key": _refresh(old_digest),
                        "UpdateExpression": "SET used = :t, used_at = :at",
                        "ConditionExpression": "used = :f",
                        "ExpressionAttributeValues": {":t": {"BOOL": True}, ":at": {"S": at},
                                                      ":f": {"BOOL": False}}}},
            _refresh_put(table, new_digest, sid, ttl),
            {"Update": {"TableName": table, "Key": _session(sid),
                        "UpdateExpression": "SET last_used = :at",
                        "ConditionExpression": "revoked = :f",  # false on a missing item too
                        "ExpressionAttributeValues": {":at": {"S": at}, ":f": {"BOOL": False}}}},
            audit_put(table, **audit),
        ])
    except ClientError as err:
        reasons = cancellation_reasons(err)  # raises on anything transient
        if reasons[:1] == [FAILED]:
            return "replayed"
        if reasons[2:3] == [FAILED]:
            return "ended"
        raise
    return "rotated"


def revoke_session(settings, sid: str, *, audit: dict) -> None:
    """End a session with its audit record; a session already gone needs no ending."""
    try:
        ddb(settings).transact_write_items(TransactItems=[
            {"Update": {"TableName": settings.table_name, "Key": _session(sid),
                        "UpdateExpression": "SET revoked = :t",
                        "ConditionExpression": "attribute_exists(pk)",
                        "ExpressionAttributeValues": {":t": {"BOOL": True}}}},
            audit_put(settings.table_name, **audit),
        ])
    except ClientError as err:
        if cancellation_reasons(err)[:1] != [FAILED]:
            raise


def live_sessions(settings, account_id: str, *, since: str) -> list[str]:
    """The ids of an account's sessions begun after `since` and not revoked (older ones have
    ended by their lifetime, whatever their item says: moto never expires TTL items)."""
    ids, start = [], None
    while True:
        kwargs = {"TableName": settings.table_name, "IndexName": "GSI1",
                  "KeyConditionExpression": "gsi1pk = :k AND gsi1sk > :since",
                  "ExpressionAttributeValues": {":k": {"S": f"SESSIONS#{account_id}"},
                                                ":since": {"S": since}}}
        if start:
            kwargs["ExclusiveStartKey"] = start
        resp = ddb(settings).query(**kwargs)
        ids += [i["pk"]["S"].split("#", 1)[1] for i in resp["Items"]
                if not i.get("revoked", {}).get("BOOL")]
        start = resp.get("LastEvaluatedKey")
        if not start:
            return ids


def revoke_op(table: str, sid: str) -> dict:
    """Ending a session as an item of another transaction (a session already gone is fine)."""
    return {"Update": {"TableName": table, "Key": _session(sid),
                       "UpdateExpression": "SET revoked = :t",
                       "ExpressionAttributeValues": {":t": {"BOOL": True}}}}


def sessions_of(settings, account_id: str) -> list[dict]:
    """Every session item an account still has (the data export): when each began, was last
    used and whether it was ended; never a token. One paginated GSI1 Query."""
    rows, kwargs = [], {"TableName": settings.table_name, "IndexName": "GSI1",
                        "KeyConditionExpression": "gsi1pk = :k",
                        "ExpressionAttributeValues": {":k": {"S": f"SESSIONS#{account_id}"}}}
    while True:
        resp = ddb(settings).query(**kwargs)
        rows += [{"created": i["created"]["S"], "last_used": i["last_used"]["S"],
                  "revoked": i.get("revoked", {}).get("BOOL", False)} for i in resp["Items"]]
        if "LastEvaluatedKey" not in resp:
            return rows
        kwargs["ExclusiveStartKey"] = resp["LastEvaluatedKey"]
