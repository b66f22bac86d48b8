"""One-time codes texted to a phone and the second step of a login: the only code that knows
their keys. Callers hold a CodeRef and never see a key.

  pk=CODE#<hmac(phone)>  sk=<purpose>   digest, salt, expires, attempts, ttl
  pk=CHALLENGE#<id>      sk=C           the same, with data {"account": <id>}
"""
from __future__ import annotations

import json
from dataclasses import dataclass

from botocore.exceptions import ClientError

from ...core.store import ddb, key


@dataclass(frozen=True)
class CodeRef:
    pk: str
    sk: str

    @property
    def key(self) -> dict:
        return key(self.pk, self.sk)


def for_phone(phone_hash: str, purpose: str) -> CodeRef:
    return CodeRef(f"CODE#{phone_hash}", purpose)


def for_challenge(challenge: str) -> CodeRef:
    return CodeRef(f"CHALLENGE#{challenge}", "C")


def put_code(settings, ref: CodeRef, *, digest: str, salt: str, expires: int,
             data: dict | None = None) -> None:
    """A new code replaces the last one for the same phone and purpose."""
    item = {**ref.key, "digest": {"S": digest}, "salt": {"S": salt},
            "expires": {"N": str(expires)}, "attempts": {"N": "0"}, "ttl": {"N": str(expires)}}
    if data:
        item["data"] = {"S": json.dumps(data)}
    ddb(settings).put_item(TableName=settings.table_name, Item=item)


def get_code(settings, ref: CodeRef) -> dict | None:
    item = ddb(settings).get_item(TableName=settings.table_name, Key=ref.key,
                                  ConsistentRead=True).get("Item")
    if not item:
        return None
    return {"digest": item["digest"]["S"], "salt": item["salt"]["S"],
            "expires": int(item["expires"]["N"]), "attempts": int(item["attempts"]["N"]),
            "data": json.loads(item["data"]["S"]) if "data" in item else {}}


def count_attempt(settings, ref: CodeRef) -> int | None:
    """Count one try; None when the code is gone meanwhile (spent, or killed)."""
    try:
        got = ddb(settings).update_item(
            TableName=settings.table_name, Key=ref.key, UpdateExpression="ADD attempts :one",
            ConditionExpression="attribute_exists(pk)",
            ExpressionAttributeValues={":one": {"N": "1"}}, ReturnValues="UPDATED_NEW")
    except ClientError as err:
        if err.response["Error"]["Code"] == "ConditionalCheckFailedException":
            return None
        raise
    return int(got["Attributes"]["attempts"]["N"])


def delete_code(settings, ref: CodeRef) -> None:
    ddb(settings).delete_item(TableName=settings.table_name, Key=ref.key)


def consume(settings, ref: CodeRef) -> bool:
    """Spend a code: True for exactly one of any number of concurrent callers."""
    try:
        ddb(settings).delete_item(TableName=settings.table_name, Key=ref.key,
                                  ConditionExpression="attribute_exists(pk)")
    except ClientError as err:
        if err.response["Error"]["Code"] == "ConditionalCheckFailedException":
            return False
        raise
    return True


def consume_op(table: str, ref: CodeRef) -> dict:
    """Spending the code as an item of another transaction (it fails if already spent)."""
    return {"Delete": {"TableName": table, "Key": ref.key,
                       "ConditionExpression": "attribute_exists(pk)"}}
