"""Helpers shared by the tests: status assertions and the loaded contract."""
from __future__ import annotations

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SPEC_PATH = ROOT / "openapi.yaml"
SPEC = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))


def ok(resp, status: int = 200):
    """Assert the status and return the JSON body, showing the body when it differs."""
    assert resp.status_code == status, (resp.status_code, resp.get_data(as_text=True)[:2000])
    return resp.get_json()


def drain_queue(settings) -> int:
    """Delete every job waiting on the work queue (other rooms' tests leave scans and
    recomputations there); returns how many there were."""
    from functions.core import aws

    sqs, n = aws.client("sqs", settings), 0
    while got := sqs.receive_message(QueueUrl=settings.queue_url, MaxNumberOfMessages=10,
                                     WaitTimeSeconds=0).get("Messages"):
        for message in got:
            sqs.delete_message(QueueUrl=settings.queue_url, ReceiptHandle=message["ReceiptHandle"])
            n += 1
    return n


def audit_rows(settings, *, actor: str, action: str | None = None,
               day: str | None = None) -> list[dict]:
    """Every audit record of `actor` (doing `action`) on `day` (today by default), paged: a
    shared actor such as "system" or a shared officer has hundreds a day in one session."""
    from functions.core import clock
    from functions.core.store import audit_query

    rows, start = [], None
    while True:
        page, start = audit_query(settings, day=day or clock.iso()[:10], actor=actor,
                                  action=action, limit=500, start=start)
        rows += page
        if start is None:
            return rows
