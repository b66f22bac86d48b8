"""The only code that knows the consultations' keys.

Keys (infra/README.md holds the table):
  pk=QUESTION#<id>  sk=Q          one question (doc: JSON; its text with numbers masked, the
                                  original sealed beside when masking changed it), `status`;
                                  GSI1 gsi1pk=QUESTIONS#<dept>#<region>#<status>,
                                  gsi1sk=<due date>#<id>: the department's queue, nearest due
                                  first; GSI2 gsi2pk=QUESTIONS_OF#<party pk>, gsi2sk=<asked>#<id>:
                                  the asking party's, newest first
  pk=QUESTIONIDEM#<party>#<key>  sk=I   an idempotent ask (the question's id), ttl a day
"""
from __future__ import annotations

import json
import time

from botocore.exceptions import ClientError

from ..core.errors import Conflict, NotFound
from ..core.store import audit_put, cancellation_reasons, ddb, key, owner_pk
from ..push.store import inbox_put
from . import cards, model

SK = "Q"
IDEM_SECONDS = 86400


def _queue_pk(department: str, region: str, status: str) -> str:
    return f"QUESTIONS#{department}#{region}#{status}"


def _owner_index_pk(owner: str) -> str:
    return f"QUESTIONS_OF#{owner_pk(owner)}"


def _item(q: dict) -> dict:
    return {**key(f"QUESTION#{q['id']}", SK),
            "doc": {"S": json.dumps(q, ensure_ascii=False, sort_keys=True)},
            "status": {"S": q["status"]},
            "gsi1pk": {"S": _queue_pk(q["department"], q["region"], q["status"])},
            "gsi1sk": {"S": f"{q['due']}#{q['id']}"},
            "gsi2pk": {"S": _owner_index_pk(q["owner"])},
            "gsi2sk": {"S": f"{q['asked']}#{q['id']}"}}


def _idem_key(owner: str, idem: str) -> dict:
    return key(f"QUESTIONIDEM#{owner}#{idem}", "I")


def idempotent_hit(settings, owner: str, idem: str) -> dict | None:
    """The question an earlier ask with this key made, if any."""
    item = ddb(settings).get_item(TableName=settings.table_name, Key=_idem_key(owner, idem),
                                  ConsistentRead=True).get("Item")
    # moto never expires ttl items: a key older than a day is free again
    if not item or int(item["ttl"]["N"]) < time.time():
        return None
    return get(settings, item["question"]["S"])


def create(settings, q: dict, *, idem: str | None, audit: dict) -> dict:
    """The question, its audit record and the idempotency record: one transaction. A twin with
    the same key that won gets its question answered instead."""
    table = settings.table_name
    items = [{"Put": {"TableName": table, "Item": _item(q),
                      "ConditionExpression": "attribute_not_exists(pk)"}},
             audit_put(table, **audit), *cards.question_items(table, q)]
    if idem:
        items.append({"Put": {"TableName": table, "Item": {
            **_idem_key(q["owner"], idem), "question": {"S": q["id"]},
            "ttl": {"N": str(int(time.time()) + IDEM_SECONDS)}},
            "ConditionExpression": "attribute_not_exists(pk) OR #ttl < :now",
            "ExpressionAttributeNames": {"#ttl": "ttl"},
            "ExpressionAttributeValues": {":now": {"N": str(int(time.time()))}}}})
    try:
        ddb(settings).transact_write_items(TransactItems=items)
    except ClientError as err:
        reasons = cancellation_reasons(err)  # throttled: a 503 the client retries
        if idem and reasons[-1:] == ["ConditionalCheckFailed"]:
            existing = idempotent_hit(settings, q["owner"], idem)
            if existing:
                return existing
        raise
    return q


def get(settings, qid: str) -> dict | None:
    if not model.is_id(qid):
        return None
    item = ddb(settings).get_item(TableName=settings.table_name, Key=key(f"QUESTION#{qid}", SK),
                                  ConsistentRead=True).get("Item")
    return json.loads(item["doc"]["S"]) if item else None


def owned(settings, qid: str, owner: str) -> dict:
    """The question if `owner` asked it; anyone else's is as unknown as none (404)."""
    q = get(settings, qid)
    if not q or q["owner"] != owner:
        raise NotFound("No such question.")
    return q


def handled(settings, qid: str, department: str | None, region: str | None) -> dict:
    """The question if it is in this department and region's queue; else 404."""
    q = get(settings, qid)
    if not q or (department, region) != (q["department"], q["region"]):
        raise NotFound("No such question in your department's queue.")
    return q


def _page(settings, index: str, name: str, value: str, *, limit: int, start: dict | None,
          newest_first: bool) -> tuple[list[dict], dict | None]:
    kwargs = {"TableName": settings.table_name, "IndexName": index, "Limit": limit,
              "ScanIndexForward": not newest_first,
              "KeyConditionExpression": f"{name} = :k",
              "ExpressionAttributeValues": {":k": {"S": value}}}
    if start:
        kwargs["ExclusiveStartKey"] = start
    resp = ddb(settings).query(**kwargs)
    return [json.loads(i["doc"]["S"]) for i in resp["Items"]], resp.get("LastEvaluatedKey")


def _valid_start(start: dict, index_key: str, value: str) -> bool:
    """A cursor of this listing (a DynamoDB start key of another index or partition would be
    refused by DynamoDB itself, which must never reach the caller as a fault)."""
    sort_key = index_key.replace("pk", "sk")
    return (set(start) == {"pk", "sk", index_key, sort_key}
            and start[index_key]["S"] == value and start["sk"]["S"] == SK
            and start["pk"]["S"].startswith("QUESTION#"))


def of_owner(settings, owner: str, *, limit: int,
             start: dict | None) -> tuple[list[dict], dict | None] | None:
    """The party's questions, newest first (one GSI2 Query); None for a cursor not of this
    listing."""
    value = _owner_index_pk(owner)
    if start and not _valid_start(start, "gsi2pk", value):
        return None
    return _page(settings, "GSI2", "gsi2pk", value, limit=limit, start=start, newest_first=True)


def queue(settings, department: str, region: str, status: str, *, limit: int,
          start: dict | None) -> tuple[list[dict], dict | None] | None:
    """A department and region's questions in one state, nearest due first (one GSI1 Query);
    None for a cursor not of this listing."""
    value = _queue_pk(department, region, status)
    if start and not _valid_start(start, "gsi1pk", value):
        return None
    return _page(settings, "GSI1", "gsi1pk", value, limit=limit, start=start,
                 newest_first=False)


def answer(settings, q: dict, *, notice: dict, audit: dict) -> dict:
    """The answered question, the notice in the asker's inbox (with its unread counter) and
    the audit record: one transaction, conditional on the question being open still."""
    table = settings.table_name
    items = [{"Put": {"TableName": table, "Item": _item(q),
                      "ConditionExpression": "#s = :open",
                      "ExpressionAttributeNames": {"#s": "status"},
                      "ExpressionAttributeValues": {":open": {"S": model.OPEN}}}},
             *inbox_put(table, owner=q["owner"], kind="question", **notice),
             audit_put(table, **audit)]
    try:
        ddb(settings).transact_write_items(TransactItems=items)
    except ClientError as err:
        if cancellation_reasons(err)[:1] == ["ConditionalCheckFailed"]:
            raise Conflict("This question has been answered already.",
                           details={"status": model.ANSWERED}) from err
        raise
    return q
