"""The page use counters: the only code that knows their keys.

  pk=ACCOUNT#<id> | ENTERPRISE#<uscc>  sk=SEEN#<YYYY-MM>          the party's page was opened
                                                                  that month (at; ttl 400 days)
  pk=PAGEUSE#<YYYY-MM>                 sk=<audience>#<county>     n: parties whose page was
                                                                  opened that month

The marker sits in the party's partition, so the page's one Query already tells whether this
is the month's first open; only then is the marker put (only if absent) and the counter added
to, in one transaction. The city's figure is the sum of its counties' at read time.
"""
from __future__ import annotations

from botocore.exceptions import ClientError

from ..core.store import cancellation_reasons, ddb, key, owner_pk

SEEN = "SEEN#"
TTL_DAYS = 400


def seen_months(items: list[dict]) -> set[str]:
    """The months whose marker is among the partition's items."""
    return {i["sk"]["S"][len(SEEN):] for i in items if i["sk"]["S"].startswith(SEEN)}


def _counter(month: str, audience: str, county: str) -> dict:
    return key(f"PAGEUSE#{month}", f"{audience}#{county}")


def count_open(settings, owner: str, month: str, audience: str, county: str, *, at: str,
               epoch: int) -> bool:
    """The month's first open of the party's page: marker and counter together (False: a
    concurrent open counted it already). Storage faults raise; nothing was written then."""
    table = settings.table_name
    try:
        ddb(settings).transact_write_items(TransactItems=[
            {"Put": {"TableName": table, "ConditionExpression": "attribute_not_exists(pk)",
                     "Item": {**key(owner_pk(owner), SEEN + month), "at": {"S": at},
                              "ttl": {"N": str(epoch + TTL_DAYS * 86400)}}}},
            {"Update": {"TableName": table, "Key": _counter(month, audience, county),
                        "UpdateExpression": "ADD n :one",
                        "ExpressionAttributeValues": {":one": {"N": "1"}}}}])
    except ClientError as err:
        if cancellation_reasons(err)[:1] == ["ConditionalCheckFailed"]:
            return False
        raise
    return True


def opens(settings, month: str) -> dict[tuple[str, str], int]:
    """(audience, county) -> parties whose page was opened in the month: one Query."""
    kwargs = {"TableName": settings.table_name, "KeyConditionExpression": "pk = :pk",
              "ExpressionAttributeValues": {":pk": {"S": f"PAGEUSE#{month}"}}}
    out: dict[tuple[str, str], int] = {}
    while True:
        resp = ddb(settings).query(**kwargs)
        for item in resp["Items"]:
            audience, _, county = item["sk"]["S"].partition("#")
            out[(audience, county)] = int(item["n"]["N"])
        if "LastEvaluatedKey" not in resp:
            return out
        kwargs["ExclusiveStartKey"] = resp["LastEvaluatedKey"]
