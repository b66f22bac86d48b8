"""The only core code that knows table keys: audit records, rate-limit windows, the dev outbox,
and the helpers every room's store shares (keys, parties' partitions, cancelled transactions).

Keys (infra/README.md holds the table):
  pk=AUDIT#<yyyy-mm-dd>  sk=<iso time>#<rand>   an audit record; GSI1 AUDIT_ACTOR#<actor>,
                                                GSI2 AUDIT_SUBJECT#<party> (whom it is about)
  pk=RATE#<name>#<key>   sk=<window start>      a fixed-window counter, ttl
  pk=DEVOUTBOX#<hmac(phone)>  sk=<iso time>     a text 'sent' in the local stage only
"""
from __future__ import annotations

import json
import uuid

from botocore.exceptions import ClientError

from . import aws, log
from .errors import TRANSIENT, Conflict, TooManyRequests, Unavailable

# The only stage with dev shortcuts (the SMS outbox, dev tokens): tests and `make run`.
LOCAL_STAGE = "local"


def ddb(settings):
    return aws.client("dynamodb", settings)


def key(pk: str, sk: str) -> dict:
    return {"pk": {"S": pk}, "sk": {"S": sk}}


def party_pk(kind: str, ident: str) -> str:
    """The partition of a party's own records: a person's account or an enterprise."""
    if kind not in ("person", "enterprise"):
        raise ValueError(f"unknown party kind {kind!r}")
    return f"{'ACCOUNT' if kind == 'person' else 'ENTERPRISE'}#{ident}"


def owner_pk(owner: str) -> str:
    """person:<account> -> ACCOUNT#<account>; enterprise:<uscc> -> ENTERPRISE#<uscc>."""
    kind, ident = owner.split(":", 1)
    return party_pk(kind, ident)


def cancellation_reasons(err: ClientError) -> list[str]:
    """The per-item reasons of a cancelled transaction, in the order of its items.
    Anything but a cancellation is raised again; a cancellation caused by a throttled or
    conflicting item (not by one of our conditions) is transient: 503, the client retries."""
    if err.response.get("Error", {}).get("Code") != "TransactionCanceledException":
        raise err
    reasons = [r.get("Code") or "None" for r in err.response.get("CancellationReasons") or []]
    if any(r in TRANSIENT for r in reasons):
        raise Unavailable("A storage service is busy; please retry.",
                          headers={"Retry-After": "2"}) from err
    return reasons


def transact(settings, items: list[dict], *, conflict: Conflict | None = None) -> None:
    """Write items as one transaction. With `conflict`, a failed condition on the first item
    (the record the write is about) raises it (callers that must tell other items apart use
    cancellation_reasons themselves)."""
    try:
        ddb(settings).transact_write_items(TransactItems=items)
    except ClientError as err:
        if conflict and cancellation_reasons(err)[:1] == ["ConditionalCheckFailed"]:
            raise conflict from err
        raise


# ---- audit -------------------------------------------------------------------------------

def audit_item(*, actor: str, action: str, target: str, result: str, request_id: str | None,
               at: str, detail: dict | None = None, on_behalf: str | None = None,
               subject: str | None = None) -> dict:
    """One audit record: pk per day, sk time-ordered and unique; GSI1 finds an actor's, GSI2
    the records about a party (`subject`, "person:<id>" or "enterprise:<uscc>": the data
    export reads them)."""
    item = {
        **key(f"AUDIT#{at[:10]}", f"{at}#{uuid.uuid4().hex[:12]}"),
        "actor": {"S": actor},
        "action": {"S": action},
        "target": {"S": target},
        "result": {"S": result},
        "request_id": {"S": request_id or "-"},
        "at": {"S": at},
        "gsi1pk": {"S": f"AUDIT_ACTOR#{actor}"}, "gsi1sk": {"S": at},
    }
    if on_behalf:
        item["on_behalf"] = {"S": on_behalf}
    if subject:
        item["subject"] = {"S": subject}
        item["gsi2pk"], item["gsi2sk"] = {"S": f"AUDIT_SUBJECT#{subject}"}, {"S": at}
    if detail:
        item["detail"] = {"S": json.dumps(detail, ensure_ascii=False, sort_keys=True)}
    return item


def audit_record(who, action: str, target: str, *, at: str, result: str = "ok",
                 detail: dict | None = None, actor: str | None = None,
                 subject: str | None = None) -> dict:
    """The fields of an audit record for `who` (a Principal, or None for the system): the
    actor, whom they acted for, the request being handled, and the party it is about: given
    (an officer's move names the application's owner), else whom the caller acted as, else
    the person who acted."""
    actor = actor or (who.subject if who else "system")
    if subject is None:
        subject = who.acting_for if who else (None if actor == "system" else f"person:{actor}")
    return {"actor": actor, "action": action, "target": target, "result": result,
            "request_id": log.request_id(), "at": at, "detail": detail,
            "on_behalf": who.acting_for if who and who.act else None, "subject": subject}


def audit_put(table: str, **record) -> dict:
    """The audit record as a TransactWriteItems Put, to land with the change it describes."""
    return {"Put": {"TableName": table, "Item": audit_item(**record),
                    "ConditionExpression": "attribute_not_exists(pk)"}}


def audit_only(settings, audit: dict) -> None:
    """An event with no other write to go with (a refused check, a reveal, a switch)."""
    transact(settings, [audit_put(settings.table_name, **audit)])


def _audit_row(item: dict) -> dict:
    row = {k: v.get("S") for k, v in item.items()
           if "S" in v and k not in ("pk", "sk", "gsi1pk", "gsi1sk", "gsi2pk", "gsi2sk")}
    if "detail" in row:
        row["detail"] = json.loads(row["detail"])
    return row


def audit_query(settings, *, day: str, actor: str | None, action: str | None, limit: int,
                start: dict | None) -> tuple[list[dict], dict | None]:
    """A day's audit records, or one actor's on that day (GSI1, so the page limit counts only
    their records); an action filter applies within the page read."""
    if actor:
        kwargs = {"IndexName": "GSI1",
                  "KeyConditionExpression": "gsi1pk = :k AND begins_with(gsi1sk, :d)",
                  "ExpressionAttributeValues": {":k": {"S": f"AUDIT_ACTOR#{actor}"},
                                                ":d": {"S": day}}}
    else:
        kwargs = {"KeyConditionExpression": "pk = :k",
                  "ExpressionAttributeValues": {":k": {"S": f"AUDIT#{day}"}}}
    if action:
        kwargs["FilterExpression"] = "#a = :a"
        kwargs["ExpressionAttributeNames"] = {"#a": "action"}
        kwargs["ExpressionAttributeValues"][":a"] = {"S": action}
    if start:
        kwargs["ExclusiveStartKey"] = start
    resp = ddb(settings).query(TableName=settings.table_name, Limit=limit, **kwargs)
    return [_audit_row(i) for i in resp["Items"]], resp.get("LastEvaluatedKey")


def audit_about(settings, subject: str, *, actor: str | None = None) -> list[dict]:
    """Every audit record about a party (GSI2 AUDIT_SUBJECT#) and, for a person, every one
    they made as actor (GSI1, acting for others included), oldest first, each once: one
    paginated Query per index. Records written before the subject key carry none: only the
    actor's side finds those."""
    queries = [("GSI2", "gsi2pk", f"AUDIT_SUBJECT#{subject}")]
    if actor:
        queries.append(("GSI1", "gsi1pk", f"AUDIT_ACTOR#{actor}"))
    found: dict[str, dict] = {}
    for index, name, value in queries:
        kwargs = {"TableName": settings.table_name, "IndexName": index,
                  "KeyConditionExpression": f"{name} = :k",
                  "ExpressionAttributeValues": {":k": {"S": value}}}
        while True:
            resp = ddb(settings).query(**kwargs)
            for item in resp["Items"]:
                found[item["sk"]["S"]] = _audit_row(item)
            if "LastEvaluatedKey" not in resp:
                break
            kwargs["ExclusiveStartKey"] = resp["LastEvaluatedKey"]
    return [found[k] for k in sorted(found)]


# ---- the jobs queue -------------------------------------------------------------------------

def enqueue(settings, job: str, **fields) -> None:
    """One message on the jobs queue, for the worker's table of jobs (workers.JOBS)."""
    body = {"job": job, "request_id": log.request_id(), **fields}
    aws.client("sqs", settings).send_message(QueueUrl=settings.queue_url,
                                             MessageBody=json.dumps(body, ensure_ascii=False))


# ---- rate limits -------------------------------------------------------------------------

def rate_hit(settings, name: str, who: str, *, limit: int, window: int, now_epoch: int) -> None:
    """Count one attempt in a fixed window; over the limit -> 429 with Retry-After."""
    start = now_epoch // window * window
    got = ddb(settings).update_item(
        TableName=settings.table_name, Key=key(f"RATE#{name}#{who}", str(start)),
        UpdateExpression="ADD n :one SET #ttl = :ttl",
        ExpressionAttributeNames={"#ttl": "ttl"},
        ExpressionAttributeValues={":one": {"N": "1"}, ":ttl": {"N": str(start + window * 2)}},
        ReturnValues="UPDATED_NEW",
    )
    if int(got["Attributes"]["n"]["N"]) > limit * settings.rate_limit_scale:
        retry = max(1, start + window - now_epoch)
        raise TooManyRequests("Too many attempts; please wait and try again.",
                              details={"retry_after": retry},
                              headers={"Retry-After": str(retry)})


# ---- the dev outbox: the local stage only ---------------------------------------------------

def outbox_put(settings, phone_hash: str, phone_mask: str, text: str, at: str) -> None:
    if settings.stage != LOCAL_STAGE:
        raise RuntimeError("the dev outbox exists only in the local stage")
    ddb(settings).put_item(TableName=settings.table_name, Item={
        **key(f"DEVOUTBOX#{phone_hash}", at), "phone": {"S": phone_mask}, "text": {"S": text}})


def outbox(settings, phone_hash: str) -> list[dict]:
    if settings.stage != LOCAL_STAGE:
        raise RuntimeError("the dev outbox exists only in the local stage")
    resp = ddb(settings).query(TableName=settings.table_name, KeyConditionExpression="pk = :k",
                               ExpressionAttributeValues={":k": {"S": f"DEVOUTBOX#{phone_hash}"}},
                               ScanIndexForward=False, Limit=20)
    return [{"at": i["sk"]["S"], "phone": i["phone"]["S"], "text": i["text"]["S"]}
            for i in resp["Items"]]
