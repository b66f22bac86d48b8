"""Plain factories and checks shared by the licence tests."""
from __future__ import annotations

import base64
import itertools
import json
from datetime import date
from pathlib import Path

from tests.helpers import ok

ROOT = Path(__file__).resolve().parents[2]
REGISTRY = json.loads((ROOT / "infra" / "seed" / "registry.json").read_text(encoding="utf-8"))
PASSWORD = "Hakka-Tulou#2026"
MZJ_MEIJIANG = {"department": "MZJ", "region": "441402"}
_seq = itertools.count(1)


def make_citizen(settings, name: str = "林晓丰") -> dict:
    """An account of our own (made-up numbers, so no other test's registration collides)."""
    from functions.identity import cn_ids
    from functions.identity.cli import create_staff

    n = next(_seq)
    id_number = cn_ids.make_id_number("441481", date(1988, 8, 8), 500 + n)
    assert id_number not in {p["id_number"] for p in REGISTRY["persons"]}
    account = create_staff(settings, kind="citizen", name=name, id_number=id_number,
                           phone=f"1990055{n:04d}", password=PASSWORD, roles=[])
    return {**account, "id_number": id_number, "phone": f"1990055{n:04d}"}


def make_enterprise(settings, rep: dict) -> dict:
    from functions.core import clock
    from functions.identity import cn_ids
    from functions.identity import store as identity

    uscc = cn_ids.make_uscc("9", "1", "441402", 770000 + next(_seq))
    enterprise = {"uscc": uscc, "name": f"梅州市客都茶业{next(_seq)}号有限公司",
                  "county": "441402", "industry": "农业", "size": "micro",
                  "founded": "2020-01-01", "individual_business": False, "legal_rep": rep["id"]}
    identity.create_enterprise(settings, enterprise, account_id=rep["id"], audit={
        "actor": rep["id"], "action": "enterprise.register", "target": uscc, "result": "ok",
        "request_id": None, "at": clock.iso()})
    return enterprise


def person(account: dict):
    """The principal of a citizen, for calling the services directly."""
    from functions.core.auth import Principal

    return Principal(subject=account["id"], kind="citizen", level=2)


def staff(department: str, region: str = "441400", subject: str = "officer-lic"):
    from functions.core.auth import Principal

    return Principal(subject=subject, kind="officer", roles=frozenset({"officer"}),
                     department=department, region=region, level=3)


def citizen_token(token, account: dict, **claims) -> dict:
    return token("citizen", subject=account["id"], kind="citizen", **claims)


def officer(token, department: str, region: str = "441400", subject: str = "officer-lic"):
    return token("officer", department=department, region=region, subject=subject)


def issue(client, token, holder: str, *, type_: str = "marriage_cert", by=None,
          holder_kind: str = "person", fields: dict | None = None, status: int = 201, **extra):
    fields = {"spouse_name": "王美玲", "spouse_id_number": "441402199001011234",
              "registered_on": "2026-05-20"} if fields is None else fields
    by = by or officer(token, **MZJ_MEIJIANG)
    resp = client.post("/api/v1/officer/licences", headers=by, json={
        "type": type_, "holder_kind": holder_kind, "holder_id": holder, "fields": fields,
        **extra})
    return ok(resp, status)


def b64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def inbox(settings, account_id: str) -> list[dict]:
    from functions.core import aws

    resp = aws.client("dynamodb", settings).query(
        TableName=settings.table_name, KeyConditionExpression="pk = :pk AND begins_with(sk, :i)",
        ExpressionAttributeValues={":pk": {"S": f"ACCOUNT#{account_id}"}, ":i": {"S": "INBOX#"}})
    return [{k: v.get("S", v) for k, v in i.items()} for i in resp["Items"]]


def assert_audited(settings, actor: str, action: str, target: str) -> dict:
    """Today's audit record of `actor` doing `action` on `target` (GSI1 Queries, paged: a
    shared actor such as "cli" may have hundreds of records today)."""
    from functions.core import clock
    from functions.core import store as core_store

    found, start = [], None
    while True:
        rows, start = core_store.audit_query(settings, day=clock.iso()[:10], actor=actor,
                                             action=action, limit=200, start=start)
        found += [r for r in rows if r["target"] == target]
        if start is None:
            break
    assert found, (actor, action, target)
    return found[-1]
