"""Default subscriptions in the topic index: a person follows their applications, licences and
deadlines (and the legally required notices) from the moment the account exists, and an
enterprise's staff member follows its topics by role from the moment they take the role,
without ever opening 消息设置. identity's account creation, enterprise registration and grant
acceptance put these items in their own transaction; `backfill` files the accounts made
before (`flask push backfill-defaults`, idempotent: anyone with preferences is left alone).
"""
from __future__ import annotations

import json
from datetime import datetime

from botocore.exceptions import ClientError

from ..core import clock
from ..core.store import cancellation_reasons, ddb
from . import preferences_store

# ID numbers keep the county code of the year they were issued: 梅县 (441421) is 梅县区 now.
CURRENT_COUNTY = {"441421": "441403"}


def person_facts(account: dict) -> dict:
    """The index row's facts of a person, from their account document (no read)."""
    birth, county = account.get("birth") or "", account.get("home_region") or account.get(
        "region")
    return {"county": CURRENT_COUNTY.get(county, county), "kind": "person",
            "birth": birth[:7] or None}


def enterprise_facts(org: dict) -> dict:
    return {"county": org.get("county"), "kind": "enterprise", "industry": org.get("industry"),
            "size": org.get("size"), "founded": org.get("founded")}


def account_items(settings, account: dict, *, at: str) -> list[dict]:
    """For the transaction creating `account` (citizen, staff or dev): their default
    preferences and topic index rows (conditional on none yet)."""
    return preferences_store.default_items(settings.table_name, account["id"], at=at,
                                           facts=person_facts(account))


def staff_items(settings, account_id: str, uscc: str, role: str, *, at: str,
                org: dict | None = None) -> list[dict]:
    """For the transaction giving `account_id` a role in enterprise `uscc` (its registration
    by the legal representative, or a grant accepted): that role's default topics of the
    enterprise, filed under the enterprise's facts. Empty when the person already has a
    section for this enterprise (a second grant: their choices stand)."""
    if preferences_store.stored(settings, account_id, uscc)[1]:
        return []
    if org is None:
        from ..identity.store import enterprises

        org = enterprises.registry_org(settings, uscc) or enterprises.get_enterprise(
            settings, uscc) or {}
    return preferences_store.default_items(settings.table_name, account_id, at=at,
                                           facts=enterprise_facts(org), enterprise=uscc,
                                           role=role)


# ---- the backfill -----------------------------------------------------------------------------

def _put_once(settings, items: list[dict]) -> bool:
    """One transaction of default items; False when the preferences existed already."""
    if not items:
        return False
    try:
        ddb(settings).transact_write_items(TransactItems=items)
    except ClientError as err:
        if "ConditionalCheckFailed" in cancellation_reasons(err):
            return False
        raise
    return True


def _scan(settings):
    """Account profiles, enterprise memberships and grants: one paged Scan of the table, run
    by an operator once after a deployment (never on a request's or a campaign's path)."""
    kwargs = {"TableName": settings.table_name,
              "FilterExpression": "(begins_with(pk, :a) AND (sk = :p OR begins_with(sk, :e)))"
                                  " OR (begins_with(pk, :g) AND sk = :gs)",
              "ExpressionAttributeValues": {":a": {"S": "ACCOUNT#"}, ":p": {"S": "PROFILE"},
                                            ":e": {"S": "ENTERPRISE#"}, ":g": {"S": "GRANT#"},
                                            ":gs": {"S": "G"}}}
    while True:
        resp = ddb(settings).scan(**kwargs)
        yield from resp["Items"]
        if not resp.get("LastEvaluatedKey"):
            return
        kwargs["ExclusiveStartKey"] = resp["LastEvaluatedKey"]


def backfill(settings, *, now: datetime | None = None) -> dict:
    """File every existing account under the default topics, and every enterprise role
    (legal representatives, active grants) under its role's defaults. Idempotent: a person
    (or section) with stored preferences is counted `kept` and not touched."""
    from ..identity import model as identity_model

    now = now or clock.now()
    at = clock.iso(now)
    tally = {"people": 0, "staff": 0, "kept": 0}
    orgs: dict[str, dict] = {}
    for item in _scan(settings):
        pk, sk = item["pk"]["S"], item["sk"]["S"]
        if sk == "PROFILE":
            account = json.loads(item["doc"]["S"])
            done = not preferences_store.stored(settings, account["id"])[1] and _put_once(
                settings, account_items(settings, account, at=at))  # a read, no transaction
            tally["people" if done else "kept"] += 1
            continue
        if sk.startswith("ENTERPRISE#"):
            account_id, uscc, role = pk.split("#", 1)[1], sk.split("#", 1)[1], (
                item.get("role", {}).get("S") or "legal_rep")
        else:
            grant = {**json.loads(item["doc"]["S"]), "status": item["status"]["S"]}
            if (grant.get("grantor_kind") != "enterprise"
                    or identity_model.grant_status(grant, now) != "active"):
                continue
            account_id, uscc, role = grant["grantee"], grant["grantor_id"], (
                grant.get("role") or "viewer")
        if uscc not in orgs:
            orgs[uscc] = _org(settings, uscc)
        done = _put_once(settings, staff_items(settings, account_id, uscc, role, at=at,
                                               org=orgs[uscc]))
        tally["staff" if done else "kept"] += 1
    return tally


def _org(settings, uscc: str) -> dict:
    from ..identity.store import enterprises

    return enterprises.registry_org(settings, uscc) or enterprises.get_enterprise(
        settings, uscc) or {}
