"""Fixed-window counters in the table: atomic ADD, expiring with the window."""
from __future__ import annotations

from . import aws
from .errors import HallError


class TooManyRequests(HallError):
    status, code = 429, "too_many_requests"


def hit(settings, name: str, key: str, *, limit: int, window: int, now_epoch: int) -> None:
    """Count one attempt; over the limit -> 429 with Retry-After until the window ends."""
    start = now_epoch // window * window
    got = aws.client("dynamodb", settings).update_item(
        TableName=settings.table_name,
        Key={"pk": {"S": f"RATE#{name}#{key}"}, "sk": {"S": str(start)}},
        UpdateExpression="ADD n :one SET #ttl = :ttl",
        ExpressionAttributeNames={"#ttl": "ttl"},
        ExpressionAttributeValues={":one": {"N": "1"}, ":ttl": {"N": str(start + window * 2)}},
        ReturnValues="UPDATED_NEW",
    )
    if int(got["Attributes"]["n"]["N"]) > limit:
        retry = max(1, start + window - now_epoch)
        raise TooManyRequests("Too many attempts; please wait and try again.",
                              details={"retry_after": retry},
                              headers={"Retry-After": str(retry)})
