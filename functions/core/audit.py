"""Append-only audit records, written in the same transaction as the change they describe."""
from __future__ import annotations

import json
import uuid


def audit_item(*, actor: str, action: str, target: str, result: str, request_id: str | None,
               at: str, detail: dict | None = None, on_behalf: str | None = None) -> dict:
    """One audit record: pk per day, sk time-ordered and unique; GSI1 finds an actor's."""
    item = {
        "pk": {"S": f"AUDIT#{at[:10]}"},
        "sk": {"S": f"{at}#{uuid.uuid4().hex[:12]}"},
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
    if detail:
        item["detail"] = {"S": json.dumps(detail, ensure_ascii=False, sort_keys=True)}
    return item


def audit_put(table: str, **record) -> dict:
    """The audit record as a TransactWriteItems Put, to land with the change it describes."""
    return {"Put": {"TableName": table, "Item": audit_item(**record),
                    "ConditionExpression": "attribute_not_exists(pk)"}}
