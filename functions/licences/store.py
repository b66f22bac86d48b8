"""The only licence code that knows table keys: licences, wallet entries, usage records.

Keys (infra/README.md holds the table):
  pk=LICENCE#<id>  sk=L                    the licence: signed bytes, signature, kid, sealed
                                           full values of masked fields, revocation
  pk=LICENCE#<id>  sk=USE#<time>#<rand>    who used it, when, for what
  pk=ACCOUNT#<id> | ENTERPRISE#<uscc>  sk=LIC#<id>   the holder's wallet entry (a summary)
  pk=LICREVOKED     sk=<revoked at>#<id>    one per revocation: what the revocation list lists
  pk=LICREVLIST     sk=CURRENT              the signed revocation list last published
The signing keys are core.keys' LICENCE ring; audit records are core's, notices the push room's.
"""
from __future__ import annotations

import base64
import json
import uuid

from ..core.errors import Conflict
from ..core.store import audit_put, ddb, key, party_pk, transact
from ..push.store import inbox_put
from . import model

REVOKED_PK = "LICREVOKED"
LIST_KEY = ("LICREVLIST", "CURRENT")


def _wallet_doc(payload: dict) -> str:
    keep = ("id", "type", "number", "issued", "expires", "issuer")
    return json.dumps({k: payload[k] for k in keep}, ensure_ascii=False, sort_keys=True)


# ---- issuing --------------------------------------------------------------------------------

def issue_items(settings, licence: dict, *, audit: dict, notice: dict | None) -> list[dict]:
    """TransactWriteItems entries that issue `licence`: the licence, the holder's wallet
    entry, the audit record (core.store.audit_record) and the notice (inbox_put's arguments).
    The licence Put comes first and is conditional, so a repeat cancels the transaction."""
    table, p = settings.table_name, licence["payload"]
    items = [
        {"Put": {"TableName": table, "ConditionExpression": "attribute_not_exists(pk)", "Item": {
            **key(f"LICENCE#{p['id']}", "L"), "signed": {"S": licence["signed"]},
            "signature": {"S": licence["signature"]}, "kid": {"S": licence["kid"]},
            "alg": {"S": licence["alg"]}, "holder": {"S": f"{p['holder_kind']}#{p['holder_id']}"},
            "sealed": {"S": json.dumps(licence["sealed"])}}}},
        {"Put": {"TableName": table, "Item": {
            **key(party_pk(p["holder_kind"], p["holder_id"]), f"LIC#{p['id']}"),
            "doc": {"S": _wallet_doc(p)}}}},
        audit_put(table, **audit),
    ]
    if notice:
        items += inbox_put(table, **notice)
    return items


def issue(settings, items: list[dict]) -> None:
    """Issue on its own (at the counter): issue_items in one transaction."""
    transact(settings, items, conflict=Conflict(
        "This licence was already issued for this application.", details={"status": "issued"}))


# ---- reading --------------------------------------------------------------------------------

def _licence(item: dict) -> dict:
    return model.record(json.loads(item["signed"]["S"]), signed=item["signed"]["S"],
                        signature=item["signature"]["S"], kid=item["kid"]["S"],
                        alg=item["alg"]["S"], sealed=json.loads(item["sealed"]["S"]),
                        revoked_at=item.get("revoked_at", {}).get("S"),
                        revoked_reason=item.get("revoked_reason", {}).get("S"))


def get_licence(settings, lid: str) -> dict | None:
    item = ddb(settings).get_item(TableName=settings.table_name, Key=key(f"LICENCE#{lid}", "L"),
                                  ConsistentRead=True).get("Item")
    return _licence(item) if item else None


def _query_all(settings, **kwargs) -> list[dict]:
    items = []
    while True:
        resp = ddb(settings).query(TableName=settings.table_name, **kwargs)
        items += resp["Items"]
        if "LastEvaluatedKey" not in resp:
            return items
        kwargs["ExclusiveStartKey"] = resp["LastEvaluatedKey"]


def wallet(settings, holder_kind: str, holder_id: str) -> list[dict]:
    """The holder's licences (payload summaries and revocation), one Query, newest first."""
    items = _query_all(settings, KeyConditionExpression="pk = :pk AND begins_with(sk, :lic)",
                       ExpressionAttributeValues={
                           ":pk": {"S": party_pk(holder_kind, holder_id)}, ":lic": {"S": "LIC#"}})
    out = [{"payload": json.loads(i["doc"]["S"]), "revoked_at": i.get("revoked_at", {}).get("S")}
           for i in items]
    return sorted(out, key=lambda w: w["payload"]["issued"], reverse=True)


# ---- revoking -------------------------------------------------------------------------------

def revoke(settings, licence: dict, *, reason: str, at: str, by: str, audit: dict,
           notice: dict | None) -> None:
    """Revoke once: the licence and the wallet entry, the audit record and the holder's notice
    in one transaction. A second revocation is a 409 naming the state."""
    table, p = settings.table_name, licence["payload"]
    items = [
        {"Update": {"TableName": table, "Key": key(f"LICENCE#{p['id']}", "L"),
                    "UpdateExpression": "SET revoked_at = :at, revoked_reason = :r, "
                                        "revoked_by = :by",
                    "ConditionExpression": "attribute_exists(pk) AND "
                                           "attribute_not_exists(revoked_at)",
                    "ExpressionAttributeValues": {":at": {"S": at}, ":r": {"S": reason},
                                                  ":by": {"S": by}}}},
        {"Update": {"TableName": table,
                    "Key": key(party_pk(p["holder_kind"], p["holder_id"]), f"LIC#{p['id']}"),
                    "UpdateExpression": "SET revoked_at = :at",
                    "ExpressionAttributeValues": {":at": {"S": at}}}},
        {"Put": {"TableName": table, "Item": {
            **key(REVOKED_PK, f"{at}#{p['id']}"), "id": {"S": p["id"]}}}},
        audit_put(table, **audit),
    ]
    if notice:
        items += inbox_put(table, **notice)
    transact(settings, items, conflict=Conflict("The licence is revoked already.",
                                                details={"status": "revoked"}))


# ---- using, with the holder's consent ----------------------------------------------------

def use_items(settings, licence_id: str, use: dict, *, audit: dict) -> list[dict]:
    """TransactWriteItems entries that log one use of a licence (`use`: at, user, application,
    matter, fields) with its audit record: put them with the application's write."""
    return [
        {"Put": {"TableName": settings.table_name,
                 "ConditionExpression": "attribute_not_exists(pk)", "Item": {
                     **key(f"LICENCE#{licence_id}", f"USE#{use['at']}#{uuid.uuid4().hex[:8]}"),
                     "doc": {"S": json.dumps(use, ensure_ascii=False, sort_keys=True)}}}},
        audit_put(settings.table_name, **audit),
    ]


def usage(settings, licence_id: str) -> list[dict]:
    """Every use of a licence, newest first: one Query on the licence's partition."""
    items = _query_all(settings, ScanIndexForward=False,
                       KeyConditionExpression="pk = :pk AND begins_with(sk, :u)",
                       ExpressionAttributeValues={":pk": {"S": f"LICENCE#{licence_id}"},
                                                  ":u": {"S": "USE#"}})
    return [json.loads(i["doc"]["S"]) for i in items]


# ---- the revocation list for offline verifiers ------------------------------------------------

def revoked_ids(settings) -> list[str]:
    """Every revoked licence id: one Query on the revocation partition (a few a day)."""
    items = _query_all(settings, KeyConditionExpression="pk = :pk",
                       ExpressionAttributeValues={":pk": {"S": REVOKED_PK}},
                       ProjectionExpression="id")
    return [i["id"]["S"] for i in items]


def put_revocations(settings, token: str) -> None:
    """The list just signed replaces the one published (a rebuild is the same list again).
    Only the token is kept (its claims are its payload): about 45 bytes a revoked licence,
    so one item holds some 8,000 revocations."""
    ddb(settings).put_item(TableName=settings.table_name,
                           Item={**key(*LIST_KEY), "token": {"S": token}})


def get_revocations(settings) -> dict | None:
    """The published list: the token and its claims, read from the token we signed."""
    item = ddb(settings).get_item(TableName=settings.table_name, Key=key(*LIST_KEY)).get("Item")
    if not item:
        return None
    token = item["token"]["S"]
    body = token.split(".")[1]
    claims = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    return {"token": token, "claims": claims}
