"""The only identity code that knows table keys: accounts, codes, sessions, grants, registry."""
from __future__ import annotations

import json
import uuid

from botocore.exceptions import ClientError

from ..core import aws, clock, pii
from ..core.errors import Conflict, NotFound
from ..core.store import audit_put
from ..push.store import inbox_put


def _ddb(settings):
    return aws.client("dynamodb", settings)


def _cancelled(err: ClientError) -> list[str]:
    if err.response["Error"]["Code"] != "TransactionCanceledException":
        raise err
    return [r.get("Code", "None") for r in err.response.get("CancellationReasons") or []]


def _key(pk: str, sk: str) -> dict:
    return {"pk": {"S": pk}, "sk": {"S": sk}}


# ---- accounts -------------------------------------------------------------------------

MUTABLE = ("level", "failed", "locked_until", "status")


def _account(item: dict | None) -> dict | None:
    if not item:
        return None
    doc = json.loads(item["doc"]["S"])
    doc["level"] = int(item["level"]["N"])
    doc["failed"] = int(item.get("failed", {}).get("N", 0))
    doc["locked_until"] = item.get("locked_until", {}).get("S")
    doc["status"] = item.get("status", {}).get("S", "active")
    return doc


def get_account(settings, account_id: str) -> dict:
    item = _ddb(settings).get_item(TableName=settings.table_name,
                                   Key=_key(f"ACCOUNT#{account_id}", "PROFILE"),
                                   ConsistentRead=True).get("Item")
    found = _account(item)
    if not found:
        raise NotFound("No such account.")
    return found


def new_account(settings, *, kind: str, name: str, id_number: str, phone: str, password: str,
                roles: list[str], department: str | None = None, region: str | None = None,
                account_id: str | None = None, level: int | None = None) -> dict:
    """An account document: numbers sealed for their owner and keyed-hashed for lookups.
    Without a given level: 2 when name and ID number match the base registry, else 1."""
    from . import cn_ids, model

    aid = account_id or uuid.uuid4().hex
    id_hash = pii.keyed_hash(settings, "id", id_number)
    if level is None:
        person = registry_person(settings, id_hash)
        level = 2 if person and person["name"] == name else 1
    return {"id": aid, "kind": kind, "name": name, "level": level, "roles": roles,
            "department": department, "region": region, "created": clock.iso(),
            "id_hash": id_hash, "id_mask": cn_ids.mask_id(id_number),
            "id_seal": pii.seal(settings, id_number, aid),
            "phone_hash": pii.keyed_hash(settings, "phone", phone),
            "phone_mask": cn_ids.mask_phone(phone), "phone_seal": pii.seal(settings, phone, aid),
            "password": model.hash_password(password),
            "birth": cn_ids.birth_date(id_number).isoformat(),
            "home_region": cn_ids.region_of(id_number)}


def account_by_phone(settings, phone_hash: str) -> dict | None:
    link = _ddb(settings).get_item(TableName=settings.table_name,
                                   Key=_key(f"PHONE#{phone_hash}", "UNIQUE"),
                                   ConsistentRead=True).get("Item")
    return get_account(settings, link["account"]["S"]) if link else None


def create_account(settings, account: dict, *, audit: dict, consume_code: str | None) -> dict:
    """One transaction: the account, its unique phone and ID number, the consumed code and
    the audit record. A phone or ID already registered cancels all of it."""
    table = settings.table_name
    doc = {k: v for k, v in account.items() if k not in MUTABLE}
    items = [
        {"Put": {"TableName": table, "ConditionExpression": "attribute_not_exists(pk)", "Item": {
            **_key(f"ACCOUNT#{account['id']}", "PROFILE"),
            "doc": {"S": json.dumps(doc, ensure_ascii=False, sort_keys=True)},
            "level": {"N": str(account["level"])}, "failed": {"N": "0"},
            "status": {"S": "active"}}}},
        {"Put": {"TableName": table, "ConditionExpression": "attribute_not_exists(pk)",
                 "Item": {**_key(f"PHONE#{account['phone_hash']}", "UNIQUE"),
                          "account": {"S": account["id"]}}}},
        {"Put": {"TableName": table, "ConditionExpression": "attribute_not_exists(pk)",
                 "Item": {**_key(f"IDNO#{account['id_hash']}", "UNIQUE"),
                          "account": {"S": account["id"]}}}},
        audit_put(table, **audit),
    ]
    if consume_code:
        items.append({"Delete": {"TableName": table, "Key": _key(*consume_code.split("|")),
                                 "ConditionExpression": "attribute_exists(pk)"}})
    try:
        _ddb(settings).transact_write_items(TransactItems=items)
    except ClientError as err:
        reasons = _cancelled(err)
        if reasons[1:2] == ["ConditionalCheckFailed"]:
            raise Conflict("This phone number is already registered.",
                           details={"fields": {"phone": ["already registered"]}}) from err
        if reasons[2:3] == ["ConditionalCheckFailed"]:
            raise Conflict("This ID number is already registered.",
                           details={"fields": {"id_number": ["already registered"]}}) from err
        if consume_code and reasons[-1:] == ["ConditionalCheckFailed"]:
            raise Conflict("The code was already used; request a new one.") from err
        raise
    return account


def record_login_failure(settings, account_id: str, *, lock_after: int, locked_until: str,
                         audit: dict) -> bool:
    """Count a failed login; returns True when this failure locks the account."""
    got = _ddb(settings).update_item(
        TableName=settings.table_name, Key=_key(f"ACCOUNT#{account_id}", "PROFILE"),
        UpdateExpression="ADD failed :one", ExpressionAttributeValues={":one": {"N": "1"}},
        ReturnValues="UPDATED_NEW")
    failed = int(got["Attributes"]["failed"]["N"])
    if failed < lock_after:
        _ddb(settings).transact_write_items(TransactItems=[audit_put(settings.table_name,
                                                                     **audit)])
        return False
    _ddb(settings).transact_write_items(TransactItems=[
        {"Update": {"TableName": settings.table_name,
                    "Key": _key(f"ACCOUNT#{account_id}", "PROFILE"),
                    "UpdateExpression": "SET locked_until = :u, failed = :zero",
                    "ExpressionAttributeValues": {":u": {"S": locked_until},
                                                  ":zero": {"N": "0"}}}},
        audit_put(settings.table_name, **{**audit, "action": "login.locked"}),
        inbox_put(settings.table_name, account=account_id, kind="security",
                         title="账户已临时锁定",
                         body="您的账户因多次登录失败已被临时锁定30分钟。如非本人操作，请尽快修改密码。",
                         at=audit["at"]),
    ])
    return True


def clear_login_failures(settings, account_id: str) -> None:
    _ddb(settings).update_item(
        TableName=settings.table_name, Key=_key(f"ACCOUNT#{account_id}", "PROFILE"),
        UpdateExpression="SET failed = :zero REMOVE locked_until",
        ExpressionAttributeValues={":zero": {"N": "0"}})


def set_level(settings, account_id: str, level: int, *, audit: dict,
              notify: dict | None = None) -> None:
    items = [
        {"Update": {"TableName": settings.table_name,
                    "Key": _key(f"ACCOUNT#{account_id}", "PROFILE"),
                    "UpdateExpression": "SET #l = :l",
                    "ConditionExpression": "attribute_exists(pk)",
                    "ExpressionAttributeNames": {"#l": "level"},
                    "ExpressionAttributeValues": {":l": {"N": str(level)}}}},
        audit_put(settings.table_name, **audit),
    ]
    if notify:
        items.append(inbox_put(settings.table_name, account=account_id, **notify))
    _ddb(settings).transact_write_items(TransactItems=items)


# ---- one-time codes ----------------------------------------------------------------------

def put_code(settings, pk: str, sk: str, *, digest: str, salt: str, expires: int,
             data: dict | None = None) -> None:
    item = {**_key(pk, sk), "digest": {"S": digest}, "salt": {"S": salt},
            "expires": {"N": str(expires)}, "attempts": {"N": "0"}, "ttl": {"N": str(expires)}}
    if data:
        item["data"] = {"S": json.dumps(data)}
    _ddb(settings).put_item(TableName=settings.table_name, Item=item)


def get_code(settings, pk: str, sk: str) -> dict | None:
    item = _ddb(settings).get_item(TableName=settings.table_name, Key=_key(pk, sk),
                                   ConsistentRead=True).get("Item")
    if not item:
        return None
    return {"digest": item["digest"]["S"], "salt": item["salt"]["S"],
            "expires": int(item["expires"]["N"]), "attempts": int(item["attempts"]["N"]),
            "data": json.loads(item["data"]["S"]) if "data" in item else {}}


def count_code_attempt(settings, pk: str, sk: str) -> int:
    got = _ddb(settings).update_item(
        TableName=settings.table_name, Key=_key(pk, sk), UpdateExpression="ADD attempts :one",
        ConditionExpression="attribute_exists(pk)", ExpressionAttributeValues={
            ":one": {"N": "1"}}, ReturnValues="UPDATED_NEW")
    return int(got["Attributes"]["attempts"]["N"])


def delete_code(settings, pk: str, sk: str) -> None:
    _ddb(settings).delete_item(TableName=settings.table_name, Key=_key(pk, sk))


# ---- sessions and refresh tokens ---------------------------------------------------------

def create_session(settings, *, account_id: str, refresh_digest: str, at: str, ttl: int,
                   audit: dict) -> str:
    sid = uuid.uuid4().hex
    _ddb(settings).transact_write_items(TransactItems=[
        {"Put": {"TableName": settings.table_name, "Item": {
            **_key(f"SESSION#{sid}", "S"), "account": {"S": account_id}, "created": {"S": at},
            "last_used": {"S": at}, "revoked": {"BOOL": False}, "ttl": {"N": str(ttl)}}}},
        {"Put": {"TableName": settings.table_name, "Item": {
            **_key(f"REFRESH#{refresh_digest}", "R"), "session": {"S": sid},
            "used": {"BOOL": False}, "ttl": {"N": str(ttl)}}}},
        audit_put(settings.table_name, **audit),
    ])
    return sid


def get_session(settings, sid: str) -> dict | None:
    item = _ddb(settings).get_item(TableName=settings.table_name, Key=_key(f"SESSION#{sid}", "S"),
                                   ConsistentRead=True).get("Item")
    if not item:
        return None
    return {"id": sid, "account": item["account"]["S"], "created": item["created"]["S"],
            "last_used": item["last_used"]["S"], "revoked": item["revoked"]["BOOL"]}


def get_refresh(settings, digest: str) -> dict | None:
    item = _ddb(settings).get_item(TableName=settings.table_name,
                                   Key=_key(f"REFRESH#{digest}", "R"),
                                   ConsistentRead=True).get("Item")
    if not item:
        return None
    return {"session": item["session"]["S"], "used": item["used"]["BOOL"]}


def rotate_refresh(settings, *, old_digest: str, new_digest: str, sid: str, at: str,
                   ttl: int, audit: dict) -> bool:
    """Spend the old refresh token and issue the next one in its family, with its audit
    record. False when the old one was already spent (a replay: the caller revokes the
    family)."""
    try:
        _ddb(settings).transact_write_items(TransactItems=[
            {"Update": {"TableName": settings.table_name, "Key": _key(f"REFRESH#{old_digest}", "R"),
                        "UpdateExpression": "SET used = :t",
                        "ConditionExpression": "used = :f",
                        "ExpressionAttributeValues": {":t": {"BOOL": True},
                                                      ":f": {"BOOL": False}}}},
            {"Put": {"TableName": settings.table_name, "Item": {
                **_key(f"REFRESH#{new_digest}", "R"), "session": {"S": sid},
                "used": {"BOOL": False}, "ttl": {"N": str(ttl)}}}},
            {"Update": {"TableName": settings.table_name, "Key": _key(f"SESSION#{sid}", "S"),
                        "UpdateExpression": "SET last_used = :at",
                        "ConditionExpression": "revoked = :f",
                        "ExpressionAttributeValues": {":at": {"S": at}, ":f": {"BOOL": False}}}},
            audit_put(settings.table_name, **audit),
        ])
    except ClientError as err:
        _cancelled(err)
        return False
    return True


def revoke_session(settings, sid: str, *, audit: dict) -> None:
    _ddb(settings).transact_write_items(TransactItems=[
        {"Update": {"TableName": settings.table_name, "Key": _key(f"SESSION#{sid}", "S"),
                    "UpdateExpression": "SET revoked = :t",
                    "ExpressionAttributeValues": {":t": {"BOOL": True}}}},
        audit_put(settings.table_name, **audit),
    ])


# ---- enterprises and the base registry ------------------------------------------------

def registry_person(settings, id_hash: str) -> dict | None:
    item = _ddb(settings).get_item(TableName=settings.table_name,
                                   Key=_key(f"REGISTRY#P#{id_hash}", "R")).get("Item")
    return json.loads(item["doc"]["S"]) if item else None


def registry_org(settings, uscc: str) -> dict | None:
    item = _ddb(settings).get_item(TableName=settings.table_name,
                                   Key=_key(f"REGISTRY#O#{uscc}", "R")).get("Item")
    return json.loads(item["doc"]["S"]) if item else None


def put_registry(settings, persons: list[dict], orgs: list[dict]) -> None:
    from ..hall.store import with_batches

    items = [{**_key(f"REGISTRY#P#{p['id_hash']}", "R"),
              "doc": {"S": json.dumps(p, ensure_ascii=False)}} for p in persons]
    items += [{**_key(f"REGISTRY#O#{o['uscc']}", "R"),
               "doc": {"S": json.dumps(o, ensure_ascii=False)}} for o in orgs]
    with_batches(settings, items)


def create_enterprise(settings, enterprise: dict, *, account_id: str, audit: dict) -> dict:
    table = settings.table_name
    try:
        _ddb(settings).transact_write_items(TransactItems=[
            {"Put": {"TableName": table, "ConditionExpression": "attribute_not_exists(pk)",
                     "Item": {**_key(f"ENTERPRISE#{enterprise['uscc']}", "PROFILE"),
                              "doc": {"S": json.dumps(enterprise, ensure_ascii=False)}}}},
            {"Put": {"TableName": table, "Item": {
                **_key(f"ACCOUNT#{account_id}", f"ENTERPRISE#{enterprise['uscc']}"),
                "role": {"S": "legal_rep"}, "name": {"S": enterprise["name"]}}}},
            audit_put(table, **audit),
        ])
    except ClientError as err:
        if _cancelled(err)[:1] == ["ConditionalCheckFailed"]:
            raise Conflict("This enterprise is already registered.") from err
        raise
    return enterprise


def get_enterprise(settings, uscc: str) -> dict | None:
    item = _ddb(settings).get_item(TableName=settings.table_name,
                                   Key=_key(f"ENTERPRISE#{uscc}", "PROFILE")).get("Item")
    return json.loads(item["doc"]["S"]) if item else None


def my_enterprises(settings, account_id: str) -> list[dict]:
    resp = _ddb(settings).query(
        TableName=settings.table_name, KeyConditionExpression="pk = :pk AND begins_with(sk, :e)",
        ExpressionAttributeValues={":pk": {"S": f"ACCOUNT#{account_id}"},
                                   ":e": {"S": "ENTERPRISE#"}})
    return [{"uscc": i["sk"]["S"].split("#", 1)[1], "name": i["name"]["S"],
             "role": i["role"]["S"]} for i in resp["Items"]]


def is_legal_rep(settings, account_id: str, uscc: str) -> bool:
    item = _ddb(settings).get_item(TableName=settings.table_name,
                                   Key=_key(f"ACCOUNT#{account_id}", f"ENTERPRISE#{uscc}"),
                                   ConsistentRead=True).get("Item")
    return bool(item) and item["role"]["S"] == "legal_rep"


# ---- grants ------------------------------------------------------------------------------

def _grant_item(grant: dict) -> dict:
    item = {**_key(f"GRANT#{grant['id']}", "G"),
            "doc": {"S": json.dumps(grant, ensure_ascii=False, sort_keys=True)},
            "status": {"S": grant["status"]},
            "gsi1pk": {"S": f"GRANTEE#{grant['grantee']}"}, "gsi1sk": {"S": grant["created"]},
            "gsi2pk": {"S": f"GRANTOR#{grant['grantor_kind']}#{grant['grantor_id']}"},
            "gsi2sk": {"S": grant["created"]}}
    return item


def _grant(item: dict | None) -> dict | None:
    if not item:
        return None
    return {**json.loads(item["doc"]["S"]), "status": item["status"]["S"]}


def get_grant(settings, gid: str) -> dict | None:
    return _grant(_ddb(settings).get_item(TableName=settings.table_name,
                                          Key=_key(f"GRANT#{gid}", "G"),
                                          ConsistentRead=True).get("Item"))


def create_grant(settings, grant: dict, *, audit: dict, notices: list[dict]) -> dict:
    _ddb(settings).transact_write_items(TransactItems=[
        {"Put": {"TableName": settings.table_name, "Item": _grant_item(grant),
                 "ConditionExpression": "attribute_not_exists(pk)"}},
        audit_put(settings.table_name, **audit),
        *[inbox_put(settings.table_name, **n) for n in notices],
    ])
    return grant


def change_grant(settings, gid: str, *, expected: str, status: str, audit: dict,
                 notices: list[dict], extra: dict | None = None) -> None:
    """Move a grant from `expected` to `status` with its audit record and both notices."""
    names, values, sets = {"#s": "status"}, {":new": {"S": status}, ":old": {"S": expected}}, []
    for i, (k, v) in enumerate((extra or {}).items()):
        names[f"#x{i}"] = k
        values[f":x{i}"] = {"S": v}
        sets.append(f"#x{i} = :x{i}")
    try:
        _ddb(settings).transact_write_items(TransactItems=[
            {"Update": {"TableName": settings.table_name, "Key": _key(f"GRANT#{gid}", "G"),
                        "UpdateExpression": "SET " + ", ".join(["#s = :new", *sets]),
                        "ConditionExpression": "#s = :old",
                        "ExpressionAttributeNames": names, "ExpressionAttributeValues": values}},
            audit_put(settings.table_name, **audit),
            *[inbox_put(settings.table_name, **n) for n in notices],
        ])
    except ClientError as err:
        if _cancelled(err)[:1] == ["ConditionalCheckFailed"]:
            current = get_grant(settings, gid)
            raise Conflict(f"The authorisation is {current['status']}.",
                           details={"status": current["status"]}) from err
        raise


def grants_received(settings, account_id: str) -> list[dict]:
    resp = _ddb(settings).query(TableName=settings.table_name, IndexName="GSI1",
                                KeyConditionExpression="gsi1pk = :k",
                                ExpressionAttributeValues={":k": {"S": f"GRANTEE#{account_id}"}})
    return [_grant(i) for i in resp["Items"]]


def grants_given(settings, grantor_kind: str, grantor_id: str) -> list[dict]:
    resp = _ddb(settings).query(
        TableName=settings.table_name, IndexName="GSI2", KeyConditionExpression="gsi2pk = :k",
        ExpressionAttributeValues={":k": {"S": f"GRANTOR#{grantor_kind}#{grantor_id}"}})
    return [_grant(i) for i in resp["Items"]]


# ---- the audit log for supervisors -------------------------------------------------------

def audit_day(settings, day: str, *, limit: int, start: dict | None) -> tuple[list[dict], dict]:
    kwargs = {"TableName": settings.table_name, "KeyConditionExpression": "pk = :k",
              "ExpressionAttributeValues": {":k": {"S": f"AUDIT#{day}"}}, "Limit": limit}
    if start:
        kwargs["ExclusiveStartKey"] = start
    resp = _ddb(settings).query(**kwargs)
    rows = [{k: (v.get("S") if "S" in v else v) for k, v in i.items() if k not in ("pk", "sk")}
            for i in resp["Items"]]
    for row in rows:
        if "detail" in row:
            row["detail"] = json.loads(row["detail"])
    return rows, resp.get("LastEvaluatedKey")
