"""Helpers of the delivery tests: people with devices on the loopback push service, deliver
jobs, the queue pumped as Lambda would (records with their receive counts), raw reads."""
from __future__ import annotations

import json
import uuid

from functions import workers
from functions.core import aws, clock
from functions.push import campaigns_store, subscriptions
from tests.push.inbox_factories import citizen, principal


def person_with_device(settings, svc, answer: str = "201", devices: int = 1):
    """A citizen and their subscribed devices (the push service answers `answer`)."""
    acct = citizen(settings)
    subs = []
    for _ in range(devices):
        sub = svc.subscriber(answer)
        subscriptions.subscribe(settings, principal(acct), sub.json, at=clock.iso())
        subs.append(sub)
    return acct, subs


def job(campaign: str, accounts: list[dict], *, topic: str = "deadline",
        template: str = "deadline_reminder", urgent: bool = False,
        params: dict | None = None) -> dict:
    return {"job": "deliver", "campaign": campaign,
            "message": {"topic": topic, "template": template,
                        "params": params or {"item": "个人所得税汇算", "date": "2026-12-15"},
                        "urgent": urgent, "legal": False,
                        "why": {"campaign": campaign, "name": "汇算提醒", "rule": "全市"}},
            "recipients": [{"party": f"person:{a['id']}", "account": a["id"]}
                           for a in accounts]}


def new_campaign() -> str:
    return "t" + uuid.uuid4().hex[:12]


def record(body: dict, *, receive_count: int = 1, message_id: str | None = None) -> dict:
    return {"messageId": message_id or uuid.uuid4().hex, "receiptHandle": "rh-" + uuid.uuid4().hex,
            "body": json.dumps(body, ensure_ascii=False),
            "attributes": {"ApproximateReceiveCount": str(receive_count)},
            "eventSource": "aws:sqs"}


def sqs(settings):
    return aws.client("sqs", settings)


def receive(settings, *, wait: int = 0) -> list[dict]:
    """Messages on the jobs queue, as Lambda's event records."""
    got = sqs(settings).receive_message(QueueUrl=settings.queue_url, MaxNumberOfMessages=10,
                                        WaitTimeSeconds=wait, AttributeNames=["All"])
    return [{"messageId": m["MessageId"], "receiptHandle": m["ReceiptHandle"],
             "body": m["Body"], "attributes": m.get("Attributes", {}), "eventSource": "aws:sqs"}
            for m in got.get("Messages", [])]


def run(settings, records: list[dict], *, delete: bool = True) -> list[str]:
    """The worker's handler on these records; deletes the ones that succeeded (as the event
    source mapping does) and returns the failed message ids."""
    workers.configure(settings)
    failed = [f["itemIdentifier"] for f in
              workers.handle_queue({"Records": records})["batchItemFailures"]]
    if delete:
        for r in records:
            if r["messageId"] not in failed and not r["receiptHandle"].startswith("rh-"):
                sqs(settings).delete_message(QueueUrl=settings.queue_url,
                                             ReceiptHandle=r["receiptHandle"])
    return failed


def send(settings, body: dict) -> None:
    sqs(settings).send_message(QueueUrl=settings.queue_url,
                               MessageBody=json.dumps(body, ensure_ascii=False))


def counters(settings, campaign: str) -> dict:
    item = aws.client("dynamodb", settings).get_item(
        TableName=settings.table_name, Key=campaigns_store._key(campaign),
        ConsistentRead=True).get("Item") or {}
    return {k[len(campaigns_store.COUNTER):]: int(v["N"]) for k, v in item.items()
            if k.startswith(campaigns_store.COUNTER)}


def inbox_items(settings, account: dict) -> list[dict]:
    resp = aws.client("dynamodb", settings).query(
        TableName=settings.table_name, ConsistentRead=True,
        KeyConditionExpression="pk = :p AND begins_with(sk, :i)",
        ExpressionAttributeValues={":p": {"S": f"ACCOUNT#{account['id']}"},
                                   ":i": {"S": "INBOX#"}})
    return resp["Items"]


def ledger(settings, account: dict) -> list[dict]:
    from functions.push import ledger_store

    return ledger_store.page(settings, account["id"], limit=50, start=None)[0]


def pushes(svc, subs) -> list:
    return [r for s in subs for r in svc.for_token(s.token)]
