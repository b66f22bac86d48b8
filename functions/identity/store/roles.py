"""A staff account's roles changed after it was made (an administrator makes an officer their
department's head): the account's document rewritten, conditional on the one read."""
from __future__ import annotations

import json

from botocore.exceptions import ClientError

from ...core.errors import Conflict, NotFound
from ...core.store import cancellation_reasons, ddb, key, party_pk


def _profile(account_id: str) -> dict:
    return key(party_pk("person", account_id), "PROFILE")


def with_role(settings, account_id: str) -> tuple[dict, str]:
    """The account's stored document and its JSON as stored (the condition of the write)."""
    item = ddb(settings).get_item(TableName=settings.table_name, Key=_profile(account_id),
                                  ConsistentRead=True).get("Item")
    if not item:
        raise NotFound("No such account.")
    return json.loads(item["doc"]["S"]), item["doc"]["S"]


def add_role(settings, account_id: str, role: str, *, doc: dict, raw: str,
             extra: list[dict]) -> None:
    """`role` added to the account's roles with `extra` (audit, index, notice): one
    transaction, refused (409) when the account changed since it was read."""
    new = {**doc, "roles": sorted(set(doc.get("roles", [])) | {role})}
    items = [{"Update": {"TableName": settings.table_name, "Key": _profile(account_id),
                         "UpdateExpression": "SET doc = :new",
                         "ConditionExpression": "doc = :old",
                         "ExpressionAttributeValues": {
                             ":new": {"S": json.dumps(new, ensure_ascii=False, sort_keys=True)},
                             ":old": {"S": raw}}}}, *extra]
    try:
        ddb(settings).transact_write_items(TransactItems=items)
    except ClientError as err:
        if "ConditionalCheckFailed" in cancellation_reasons(err):
            raise Conflict("The account changed meanwhile, or is a head already.") from err
        raise
