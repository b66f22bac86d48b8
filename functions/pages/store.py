"""The pages room's records: the only code that knows their keys.

  pk=DEADLINE_CAL  sk=Y#<year>   the tax authority's published filing dates for a year
"""
from __future__ import annotations

import json

from ..core.store import audit_put, ddb, key, transact

PK = "DEADLINE_CAL"


def put_filing_calendar(settings, doc: dict, *, audit: dict) -> None:
    """Replace a year's published dates, audited in the same transaction."""
    transact(settings, [
        {"Put": {"TableName": settings.table_name,
                 "Item": {**key(PK, f"Y#{doc['year']}"),
                          "doc": {"S": json.dumps(doc, ensure_ascii=False, sort_keys=True)}}}},
        audit_put(settings.table_name, **audit)])


def filing_calendars(settings) -> list[dict]:
    """Every loaded year (a few small items on one partition: one Query)."""
    resp = ddb(settings).query(TableName=settings.table_name,
                               KeyConditionExpression="pk = :pk",
                               ExpressionAttributeValues={":pk": {"S": PK}})
    return [json.loads(i["doc"]["S"]) for i in resp["Items"]]
