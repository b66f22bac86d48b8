"""The one notification hook: an inbox item per person, written with the change it reports.
The push work delivers inbox items to phones; here they are the record."""
from __future__ import annotations

import uuid


def notification_put(table: str, *, account: str, kind: str, title: str, body: str,
                     at: str, link: str | None = None) -> dict:
    item = {"pk": {"S": f"ACCOUNT#{account}"}, "sk": {"S": f"INBOX#{at}#{uuid.uuid4().hex[:8]}"},
            "kind": {"S": kind}, "title": {"S": title}, "body": {"S": body},
            "at": {"S": at}, "read": {"BOOL": False}}
    if link:
        item["link"] = {"S": link}
    return {"Put": {"TableName": table, "Item": item}}
