"""The base registry, enterprises and who represents them: the only code that knows their keys.

  pk=REGISTRY#P#<hmac(id number)>  sk=R                a person in the base registry
  pk=REGISTRY#O#<uscc>             sk=R                a legal person in the registry
  pk=ENTERPRISE#<uscc>             sk=PROFILE          a registered enterprise
  pk=ACCOUNT#<id>                  sk=ENTERPRISE#<uscc> the person's role in it (legal_rep)
"""
from __future__ import annotations

import json

from botocore.exceptions import ClientError

from ...core.errors import Conflict
from ...core.store import audit_put, cancellation_reasons, ddb, key, party_pk

MEMBER = "ENTERPRISE#"


def _registry(kind: str, ident: str) -> dict:
    return key(f"REGISTRY#{kind}#{ident}", "R")


def _profile(uscc: str) -> dict:
    return key(party_pk("enterprise", uscc), "PROFILE")


def _member(account_id: str, uscc: str) -> dict:
    return key(party_pk("person", account_id), f"{MEMBER}{uscc}")


def _doc(item: dict | None) -> dict | None:
    return json.loads(item["doc"]["S"]) if item else None


def registry_person(settings, id_hash: str) -> dict | None:
    return _doc(ddb(settings).get_item(TableName=settings.table_name,
                                       Key=_registry("P", id_hash)).get("Item"))


def registry_org(settings, uscc: str) -> dict | None:
    return _doc(ddb(settings).get_item(TableName=settings.table_name,
                                       Key=_registry("O", uscc)).get("Item"))


def put_registry(settings, persons: list[dict], orgs: list[dict]) -> None:
    from ...hall.store import with_batches

    items = [{**_registry("P", p["id_hash"]), "doc": {"S": json.dumps(p, ensure_ascii=False)}}
             for p in persons]
    items += [{**_registry("O", o["uscc"]), "doc": {"S": json.dumps(o, ensure_ascii=False)}}
              for o in orgs]
    with_batches(settings, items)


def create_enterprise(settings, enterprise: dict, *, account_id: str, audit: dict) -> dict:
    table = settings.table_name
    try:
        ddb(settings).transact_write_items(TransactItems=[
            {"Put": {"TableName": table, "ConditionExpression": "attribute_not_exists(pk)",
                     "Item": {**_profile(enterprise["uscc"]),
                              "doc": {"S": json.dumps(enterprise, ensure_ascii=False)}}}},
            {"Put": {"TableName": table, "Item": {
                **_member(account_id, enterprise["uscc"]),
                "role": {"S": "legal_rep"}, "name": {"S": enterprise["name"]}}}},
            audit_put(table, **audit),
        ])
    except ClientError as err:
        if cancellation_reasons(err)[:1] == ["ConditionalCheckFailed"]:
            raise Conflict("This enterprise is already registered.") from err
        raise
    return enterprise


def get_enterprise(settings, uscc: str) -> dict | None:
    return _doc(ddb(settings).get_item(TableName=settings.table_name,
                                       Key=_profile(uscc)).get("Item"))


def my_enterprises(settings, account_id: str) -> list[dict]:
    resp = ddb(settings).query(
        TableName=settings.table_name, KeyConditionExpression="pk = :pk AND begins_with(sk, :e)",
        ExpressionAttributeValues={":pk": {"S": party_pk("person", account_id)},
                                   ":e": {"S": MEMBER}})
    return [{"uscc": i["sk"]["S"][len(MEMBER):], "name": i["name"]["S"],
             "role": i["role"]["S"]} for i in resp["Items"]]


def is_legal_rep(settings, account_id: str, uscc: str) -> bool:
    item = ddb(settings).get_item(TableName=settings.table_name, Key=_member(account_id, uscc),
                                  ConsistentRead=True).get("Item")
    return bool(item) and item["role"]["S"] == "legal_rep"
