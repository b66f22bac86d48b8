"""Plain factories for the campaign tests: topic index subscribers (written by the preferences
store's own transaction items), officers, campaign bodies, the queued deliver jobs."""
from __future__ import annotations

import json
import uuid

from functions.core import aws, clock
from functions.core import store as core_store

DEPT = "SWJ"


def subscribe(settings, *topics: str, county: str = "441402", birth: str | None = "1980-05",
              enterprise: dict | None = None) -> str:
    """A subscriber of `topics` in the topic index: a person (county, birth month) or, with
    `enterprise` ({industry, size, founded}), an enterprise whose staff member chose them.
    Returns the party."""
    from functions.push import preferences_model as pm
    from functions.push import preferences_store as ps

    account = "t" + uuid.uuid4().hex[:15]
    if enterprise is None:
        doc = pm.defaults()
        facts = {"county": county, "birth": birth, "kind": "person"}
        uscc, party = None, f"person:{account}"
    else:
        doc = pm.defaults("legal_rep")
        # "MA" as in a real code: ten random hex digits alone can pass an ID number's check
        uscc = "91441402MA" + uuid.uuid4().hex[:8].upper()
        facts = {"county": county, "kind": "enterprise", **enterprise}
        party = f"enterprise:{uscc}"
    for t in doc["topics"]:
        if t not in pm.FIXED_TOPICS:
            doc["topics"][t]["subscribed"] = t in topics
    items = ps.save_items(settings.table_name, account, doc=doc, rev=0, at=clock.iso(),
                          facts=facts, enterprise=uscc, role="legal_rep" if uscc else None)
    core_store.transact(settings, items)
    return party


def officers(token, subject: str = "officer-camp-a", other: str = "officer-camp-b",
             department: str = DEPT) -> tuple[dict, dict]:
    """Two officers of one department: the author and a second officer who approves."""
    return (token("officer", department=department, region="441400", subject=subject),
            token("officer", department=department, region="441400", subject=other))


def body(segment: dict, **over) -> dict:
    return {"name": "税务新政宣传", "topic": "hot_tax", "template": "announcement",
            "params": {"title": "小微企业减税新政"}, "segment": segment, **over}


def take_jobs(settings) -> list[dict]:
    """Take every job off the queue (other tests' leftovers too) and return them."""
    sqs, found = aws.client("sqs", settings), []
    while got := sqs.receive_message(QueueUrl=settings.queue_url, MaxNumberOfMessages=10,
                                     WaitTimeSeconds=0).get("Messages"):
        for m in got:
            found.append(json.loads(m["Body"]))
            sqs.delete_message(QueueUrl=settings.queue_url, ReceiptHandle=m["ReceiptHandle"])
    return found


def aws_jobs(settings, name: str) -> list[dict]:
    """The queued jobs named `name` (every job is taken off the queue)."""
    return [j for j in take_jobs(settings) if j.get("job") == name]


def deliver_jobs(settings, campaign_id: str | None = None) -> list[dict]:
    """The queued deliver jobs (of one campaign, when given); every job is taken off."""
    return [j for j in aws_jobs(settings, "deliver")
            if campaign_id in (None, j.get("campaign"))]


def parties(jobs: list[dict]) -> list[str]:
    return sorted(r["party"] for j in jobs for r in j["recipients"])


def count_calls(settings):
    """A list that collects the DynamoDB operation names called from now on, and its undo."""
    ddb, calls = aws.client("dynamodb", settings), []

    def count(event_name, **_):
        calls.append(event_name.rsplit(".", 1)[-1])

    ddb.meta.events.register("before-call.dynamodb", count)
    return calls, lambda: ddb.meta.events.unregister("before-call.dynamodb", count)
