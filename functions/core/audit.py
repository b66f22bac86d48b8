"""Append-only audit records, written in the same transaction as the change they describe."""
from __future__ import annotations

import json
import uuid


def audit_put(table: str, *, actor: str, action: str, target: str, result: str,
              request_id: str | None, at: str, detail: dict | None = None) -> dict:
    """A TransactWriteItems Put for one audit record (pk per day, sk time-ordered and unique)."""
    item = {
        "pk": {"S": f"AUDIT#{at[:10]}"},
        "sk": {"S": f"{at}#{uuid.uuid4().hex[:12]}"},
        "actor": {"S": actor},
        "action": {"S": action},
        "target": {"S": target},
        "result": {"S": result},
        "request_id": {"S": request_id or "-"},
        "at": {"S": at},
    }
    if detail:
        item["detail"] = {"S": json.dumps(detail, ensure_ascii=False, sort_keys=True)}
    return {"Put": {"TableName": table, "Item": item,
                    "ConditionExpression": "attribute_not_exists(pk)"}}
