"""Accounts, their unique phone and ID number, login failures and levels: the only code that
knows these keys.

  pk=ACCOUNT#<id>           sk=PROFILE   the account: doc (JSON), level, failed, stepup_until,
                                         status, password (the mutable fields live outside the
                                         doc; older items keep the password in the doc)
  pk=PHONE#<hmac(phone)>    sk=UNIQUE    -> account id
  pk=IDNO#<hmac(id number)> sk=UNIQUE    -> account id
"""
from __future__ import annotations

import json

from botocore.exceptions import ClientError

from ...core.errors import Conflict, NotFound
from ...core.store import audit_only, audit_put, cancellation_reasons, ddb, key, party_pk
from ...push.store import inbox_put
from . import codes

MUTABLE = ("level", "failed", "stepup_until", "status", "password")


def _profile(account_id: str) -> dict:
    return key(party_pk("person", account_id), "PROFILE")


def _unique(prefix: str, digest: str) -> dict:
    return key(f"{prefix}#{digest}", "UNIQUE")


def _account(item: dict | None) -> dict | None:
    if not item:
        return None
    doc = json.loads(item["doc"]["S"])
    doc["level"] = int(item["level"]["N"])
    doc["failed"] = int(item.get("failed", {}).get("N", 0))
    doc["stepup_until"] = int(item["stepup_until"]["N"]) if "stepup_until" in item else None
    doc["status"] = item.get("status", {}).get("S", "active")
    if "password" in item:
        doc["password"] = item["password"]["S"]
    return doc


def get_account(settings, account_id: str) -> dict:
    item = ddb(settings).get_item(TableName=settings.table_name, Key=_profile(account_id),
                                  ConsistentRead=True).get("Item")
    found = _account(item)
    if not found:
        raise NotFound("No such account.")
    return found


def account_by_phone(settings, phone_hash: str) -> dict | None:
    link = ddb(settings).get_item(TableName=settings.table_name, Key=_unique("PHONE", phone_hash),
                                  ConsistentRead=True).get("Item")
    return get_account(settings, link["account"]["S"]) if link else None


def create_account(settings, account: dict, *, audit: dict,
                   consume_code: codes.CodeRef | None, also: list[dict] = ()) -> dict:
    """One transaction: the account, its unique phone and ID number, the consumed code and
    the audit record (and `also`: its default notification topics, push's items). A phone or
    ID already registered cancels all of it."""
    table = settings.table_name
    doc = {k: v for k, v in account.items() if k not in MUTABLE}
    items = [
        {"Put": {"TableName": table, "ConditionExpression": "attribute_not_exists(pk)", "Item": {
            **_profile(account["id"]),
            "doc": {"S": json.dumps(doc, ensure_ascii=False, sort_keys=True)},
            "level": {"N": str(account["level"])}, "failed": {"N": "0"},
            "status": {"S": "active"}, "password": {"S": account["password"]}}}},
        {"Put": {"TableName": table, "ConditionExpression": "attribute_not_exists(pk)",
                 "Item": {**_unique("PHONE", account["phone_hash"]),
                          "account": {"S": account["id"]}}}},
        {"Put": {"TableName": table, "ConditionExpression": "attribute_not_exists(pk)",
                 "Item": {**_unique("IDNO", account["id_hash"]),
                          "account": {"S": account["id"]}}}},
        audit_put(table, **audit),
        *also,
    ]
    if consume_code:  # last: its cancellation reason is read from the end
        items.append(codes.consume_op(table, consume_code))
    try:
        ddb(settings).transact_write_items(TransactItems=items)
    except ClientError as err:
        reasons = cancellation_reasons(err)
        if reasons[1:2] == ["ConditionalCheckFailed"]:
            raise Conflict("This phone number is already registered.",
                           details={"fields": {"phone": ["already registered"]}}) from err
        if reasons[2:3] == ["ConditionalCheckFailed"]:
            raise Conflict("This ID number is already registered.",
                           details={"fields": {"id_number": ["already registered"]}}) from err
        if reasons[:1] == ["ConditionalCheckFailed"]:
            raise Conflict("This account already exists.") from err
        if consume_code and reasons[-1:] == ["ConditionalCheckFailed"]:
            raise Conflict("The code was already used; request a new one.") from err
        raise
    return account


def reset_password(settings, account_id: str, *, password: str, consume_code: codes.CodeRef,
                   end_sessions: list, audit: dict, notice: dict) -> None:
    """One transaction: the new password hash (the run of failed logins and any step-up end
    with it), the spent code, the ended sessions (core.store items from the sessions store),
    the audit record and the owner's notice. A code spent meanwhile cancels all of it."""
    table = settings.table_name
    items = [
        {"Update": {"TableName": table, "Key": _profile(account_id),
                    "UpdateExpression": "SET password = :p, failed = :zero REMOVE stepup_until",
                    "ConditionExpression": "attribute_exists(pk)",
                    "ExpressionAttributeValues": {":p": {"S": password}, ":zero": {"N": "0"}}}},
        codes.consume_op(table, consume_code),
        audit_put(table, **audit),
        *inbox_put(table, account=account_id, **notice),
        *end_sessions,
    ]
    try:
        ddb(settings).transact_write_items(TransactItems=items)
    except ClientError as err:
        if cancellation_reasons(err)[1:2] == ["ConditionalCheckFailed"]:
            raise Conflict("The code was already used; request a new one.") from err
        raise


# ---- failed logins and the step-up they start ----------------------------------------------

def count_login_failure(settings, account_id: str) -> tuple[int, int | None]:
    """Count one failed login: (consecutive failures now, the step-up's end or None)."""
    got = ddb(settings).update_item(
        TableName=settings.table_name, Key=_profile(account_id),
        UpdateExpression="ADD failed :one", ConditionExpression="attribute_exists(pk)",
        ExpressionAttributeValues={":one": {"N": "1"}}, ReturnValues="ALL_NEW")["Attributes"]
    until = got.get("stepup_until")
    return int(got["failed"]["N"]), int(until["N"]) if until else None


def start_step_up(settings, account_id: str, *, until: int, now: int, audit: dict,
                  notice: dict) -> bool:
    """Begin a step-up (logins need a texted code until `until`) with its audit record and
    the owner's notice; the failure count starts again. False when a step-up is already
    running (a concurrent failure began it): then only one notice goes out."""
    try:
        ddb(settings).transact_write_items(TransactItems=[
            {"Update": {"TableName": settings.table_name, "Key": _profile(account_id),
                        "UpdateExpression": "SET stepup_until = :u, failed = :zero",
                        "ConditionExpression":
                            "attribute_not_exists(stepup_until) OR stepup_until <= :now",
                        "ExpressionAttributeValues": {":u": {"N": str(until)},
                                                      ":now": {"N": str(now)},
                                                      ":zero": {"N": "0"}}}},
            audit_put(settings.table_name, **audit),
            *inbox_put(settings.table_name, account=account_id, **notice),
        ])
    except ClientError as err:
        if cancellation_reasons(err)[:1] == ["ConditionalCheckFailed"]:
            return False
        raise
    return True


def extend_step_up(settings, account_id: str, *, until: int, audit: dict) -> None:
    """A failure while stepped up keeps the step-up running `until` (never shortens it)."""
    try:
        ddb(settings).transact_write_items(TransactItems=[
            {"Update": {"TableName": settings.table_name, "Key": _profile(account_id),
                        "UpdateExpression": "SET stepup_until = :u",
                        "ConditionExpression": "stepup_until < :u",
                        "ExpressionAttributeValues": {":u": {"N": str(until)}}}},
            audit_put(settings.table_name, **audit),
        ])
    except ClientError as err:
        if cancellation_reasons(err)[:1] != ["ConditionalCheckFailed"]:
            raise
        audit_only(settings, audit)  # a later failure already pushed it further


def clear_login_failures(settings, account_id: str) -> None:
    """A completed login ends the run of failures (a running step-up lapses on its own)."""
    ddb(settings).update_item(
        TableName=settings.table_name, Key=_profile(account_id),
        UpdateExpression="SET failed = :zero", ConditionExpression="attribute_exists(pk)",
        ExpressionAttributeValues={":zero": {"N": "0"}})


def set_level(settings, account_id: str, level: int, *, audit: dict,
              notice: dict | None = None) -> None:
    items = [
        {"Update": {"TableName": settings.table_name, "Key": _profile(account_id),
                    "UpdateExpression": "SET #l = :l",
                    "ConditionExpression": "attribute_exists(pk)",
                    "ExpressionAttributeNames": {"#l": "level"},
                    "ExpressionAttributeValues": {":l": {"N": str(level)}}}},
        audit_put(settings.table_name, **audit),
    ]
    if notice:
        items += inbox_put(settings.table_name, account=account_id, **notice)
    ddb(settings).transact_write_items(TransactItems=items)
