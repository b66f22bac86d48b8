"""Plain factories for the inbox tests: people, an enterprise, its staff by role, raw reads."""
from __future__ import annotations

import itertools
from datetime import timedelta

from functions.core import aws, clock
from functions.core.auth import Principal
from tests.licences.factories import make_citizen, make_enterprise

_seq = itertools.count(1)


def citizen(settings, name: str = "黄嘉欣") -> dict:
    return make_citizen(settings, name)


def principal(account: dict, act: dict | None = None) -> Principal:
    return Principal(subject=account["id"], kind="citizen", level=2, act=act)


def firm(settings, rep: dict, *, individual: bool = False) -> dict:
    """A registered enterprise with `rep` as its legal representative; `individual`: an
    individual business (个体工商户, credit code 92...)."""
    if not individual:
        return make_enterprise(settings, rep)
    from functions.identity import cn_ids
    from functions.identity import store as identity

    n = next(_seq)
    uscc = cn_ids.make_uscc("9", "2", "441403", 880000 + n)
    shop = {"uscc": uscc, "name": f"梅县区客家小吃店{n}号", "county": "441403",
            "industry": "餐饮", "size": "micro", "founded": "2023-05-01",
            "individual_business": True, "legal_rep": rep["id"]}
    identity.create_enterprise(settings, shop, account_id=rep["id"], audit={
        "actor": rep["id"], "action": "enterprise.register", "target": uscc, "result": "ok",
        "request_id": None, "at": clock.iso()})
    return shop


def staff_member(settings, rep: dict, uscc: str, role: str) -> tuple[dict, dict]:
    """A citizen the legal representative authorised with `role` in the enterprise, who
    accepted: (their account, the act claim their token carries when acting for it)."""
    from functions.identity.service import delegation

    member = citizen(settings, "罗志强")
    now = clock.now()
    grant = delegation.create_grant(settings, principal(rep), grantor=f"enterprise:{uscc}",
                                    grantee_phone=member["phone"], role=role, matters=[],
                                    expires=(now + timedelta(days=30)).date(), at=now)
    delegation.accept_grant(settings, principal(member), grant["id"], at=now)
    return member, {"kind": "enterprise", "id": uscc, "grant": grant["id"], "role": role}


def family_member(settings, grantor: dict, matter: str) -> tuple[dict, dict]:
    """A citizen `grantor` authorised for one matter (a family grant), who accepted."""
    from functions.identity.service import delegation

    member = citizen(settings, "曾丽华")
    now = clock.now()
    grant = delegation.create_grant(settings, principal(grantor), grantor="self",
                                    grantee_phone=member["phone"], matters=[matter],
                                    expires=(now + timedelta(days=30)).date(), at=now)
    delegation.accept_grant(settings, principal(member), grant["id"], at=now)
    return member, {"kind": "person", "id": grantor["id"], "grant": grant["id"],
                    "role": "family"}


def bearer(token, account: dict, act: dict | None = None) -> dict:
    claims = {"act": act} if act else {}
    return token("citizen", subject=account["id"], kind="citizen", lvl=2, **claims)


def stored(settings, pk: str) -> list[dict]:
    """The notices stored in a partition, as DynamoDB holds them (newest first)."""
    resp = aws.client("dynamodb", settings).query(
        TableName=settings.table_name, ConsistentRead=True, ScanIndexForward=False,
        KeyConditionExpression="pk = :pk AND begins_with(sk, :i)",
        ExpressionAttributeValues={":pk": {"S": pk}, ":i": {"S": "INBOX#"}})
    return [{"kind": i["kind"]["S"], "title": i["title"]["S"], "body": i["body"]["S"],
             "read": i["read"]["BOOL"]} for i in resp["Items"]]


def put_notices(settings, owner: str, kinds: list[str]) -> None:
    """Notices put straight through the push store, one transaction each, oldest first."""
    from functions.core.store import transact
    from functions.push.store import inbox_put

    base = clock.now()
    for n, kind in enumerate(kinds):
        at = clock.iso(base + timedelta(milliseconds=n))
        transact(settings, inbox_put(settings.table_name, owner=owner, kind=kind,
                                     title=f"通知{n}", body=f"第{n}条通知", at=at,
                                     link="/#/applications"))
