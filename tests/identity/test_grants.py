"""Enterprises and delegation: registration by the legal rep, grants, acting for others."""
from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from functions.core import clock
from functions.identity import cn_ids, model
from tests.helpers import ok
from tests.identity.conftest import (
    USCC,
    ZHANG,
    assert_audited,
    audit_of,
    bearer,
    claims_of,
    new_client,
    person,
    register_citizen,
    table_items,
)

LICENSING, OTHER = "441400-GAJ-0002", "441400-WJJ-0001"
OTHER_USCC = "91441423MA8E6DD3X6"  # 温慧's company: in the registry, never registered here


def refused(resp, status: int, field: str | None = None) -> dict:
    err = ok(resp, status)["error"]
    assert err["code"] and err["message"] and err["request_id"]
    if field:
        assert field in err["details"]["fields"], err
    return err


def in_days(days: int) -> str:
    return (clock.now().date() + timedelta(days=days)).isoformat()


def grant_body(grantee: dict, **changes) -> dict:
    return {"grantor": f"enterprise:{USCC}", "grantee_phone": grantee["phone"],
            "role": "preparer", "expires": in_days(90), **changes}


def inbox(settings, account_id: str, pk: str = "ACCOUNT#") -> list[dict]:
    return [{k: v.get("S", v) for k, v in i.items()}
            for i in table_items(settings, f"{pk}{account_id}", "INBOX#")]


def enterprise_inbox(settings, uscc: str = USCC) -> list[dict]:
    """An enterprise's own inbox: its staff events land there, not in its representative's."""
    return inbox(settings, uscc, "ENTERPRISE#")


def switch(client, tokens, act_as):
    return client.post("/api/v1/auth/switch", json={"act_as": act_as}, headers=bearer(tokens))


def enterprise_party(uscc: str = USCC) -> dict:
    return {"kind": "enterprise", "id": uscc}


@pytest.fixture(scope="module")
def rep(app):
    """张三丰 (level 2) registered, with his enterprise registered by him."""
    client = new_client(app)
    tokens = register_citizen(client, ZHANG)
    assert tokens["account"]["level"] == 2
    enterprise = ok(client.post("/api/v1/enterprises", json={"uscc": USCC},
                                headers=bearer(tokens)), 201)
    return {"tokens": tokens, "id": tokens["account"]["id"], "enterprise": enterprise}


# ---- enterprises ---------------------------------------------------------------------------

def test_the_legal_rep_registers_the_enterprise_and_nobody_else_can(rep, app, settings):
    assert rep["enterprise"]["uscc"] == USCC and rep["enterprise"]["legal_rep"] == rep["id"]
    assert rep["enterprise"]["name"] == "梅州市示范科技有限公司"
    client = new_client(app)
    me = ok(client.get("/api/v1/me", headers=bearer(rep["tokens"])))
    assert me["enterprises"] == [{"uscc": USCC, "name": "梅州市示范科技有限公司",
                                  "role": "legal_rep"}]
    assert_audited(settings, rep["id"], "enterprise.register", target=USCC)
    refused(client.post("/api/v1/enterprises", json={"uscc": USCC},
                        headers=bearer(rep["tokens"])), 409)

    other = register_citizen(client, person("刘俊军"))
    assert other["account"]["level"] == 2
    refused(client.post("/api/v1/enterprises", json={"uscc": USCC}, headers=bearer(other)), 403)
    refused(client.post("/api/v1/enterprises", json={"uscc": OTHER_USCC},
                        headers=bearer(other)), 403)
    unknown = cn_ids.make_uscc("9", "1", "441402", 987_654)
    assert cn_ids.validate_uscc(unknown) == unknown
    refused(client.post("/api/v1/enterprises", json={"uscc": unknown},
                        headers=bearer(rep["tokens"])), 422, "uscc")
    err = refused(client.post("/api/v1/enterprises", json={"uscc": "91441402MA0MT2NFI4"},
                              headers=bearer(rep["tokens"])), 422, "uscc")
    assert "alphabet" in err["details"]["fields"]["uscc"][0]
    refused(client.post("/api/v1/enterprises", json={"uscc": USCC[:-1] + "5"},
                        headers=bearer(rep["tokens"])), 422, "uscc")  # check character off
    level_1 = register_citizen(new_client(app), person("邱嘉娇"), name="邱某")
    refused(client.post("/api/v1/enterprises", json={"uscc": USCC}, headers=bearer(level_1)),
            403)


# ---- delegation within an enterprise -----------------------------------------------------

def test_a_staff_member_is_granted_a_role_accepts_acts_and_is_revoked(rep, app, settings):
    client = new_client(app)
    staff_p = person("罗文伟")
    staff = register_citizen(client, staff_p)
    staff_id = staff["account"]["id"]

    grant = ok(client.post("/api/v1/grants", json=grant_body(staff_p),
                           headers=bearer(rep["tokens"])), 201)
    gid = grant["id"]
    assert grant["status"] == "pending" and grant["direction"] == "given"
    assert grant["role"] == "preparer" and grant["grantor_id"] == USCC
    assert grant["grantee_phone"] == cn_ids.mask_phone(staff_p["phone"])
    assert_audited(settings, rep["id"], "grant.create", target=gid)
    assert any(i["kind"] == "grant" and i["title"] == "您收到一项授权"
               for i in inbox(settings, staff_id))
    assert any(i["kind"] == "grant" and i["title"] == "授权已发出"
               for i in enterprise_inbox(settings))
    assert not any(i["title"] == "授权已发出" for i in inbox(settings, rep["id"]))

    listed = ok(client.get("/api/v1/grants", headers=bearer(staff)))["items"]
    assert [(g["id"], g["status"], g["direction"]) for g in listed] == [
        (gid, "pending", "received")]
    refused(switch(client, staff, enterprise_party()), 403)  # not accepted yet

    accepted = ok(client.post(f"/api/v1/grants/{gid}/accept", headers=bearer(staff)))
    assert accepted["status"] == "active"
    assert_audited(settings, staff_id, "grant.accept", target=gid)
    assert any(i["title"] == "授权已被接受" for i in enterprise_inbox(settings))
    refused(client.post(f"/api/v1/grants/{gid}/accept", headers=bearer(staff)), 409)

    acting = ok(switch(client, staff, enterprise_party()))
    claims = claims_of(acting["access_token"])
    assert claims["sub"] == staff_id  # who acts ...
    assert claims["act"] == {"kind": "enterprise", "id": USCC, "grant": gid,
                             "role": "preparer"}  # ... and for whom
    assert acting["acting_as"] == claims["act"]
    assert claims["sid"] == claims_of(staff["access_token"])["sid"]
    row = assert_audited(settings, staff_id, "identity.switch", target=f"enterprise:{USCC}")
    assert row["actor"] == staff_id

    me = ok(client.get("/api/v1/me", query_string={"reveal": "phone"},
                       headers=bearer(acting)))
    assert me["id"] == staff_id and me["acting_as"] == claims["act"]
    assert [(r["kind"], r["id"], r["role"]) for r in me["representing"]] == [
        ("enterprise", USCC, "preparer")]
    reveal = assert_audited(settings, staff_id, "account.reveal")
    assert reveal["on_behalf"] == f"enterprise:{USCC}"  # the record names both

    revoked = ok(client.post(f"/api/v1/grants/{gid}/revoke", headers=bearer(rep["tokens"])))
    assert revoked["status"] == "revoked"
    assert_audited(settings, rep["id"], "grant.revoke", target=gid)
    assert any(i["title"] == "授权已撤销" for i in inbox(settings, staff_id))
    assert any(i["title"] == "授权已撤销" for i in enterprise_inbox(settings))
    refused(client.get("/api/v1/me", headers=bearer(acting)), 403)  # the very next request
    refused(switch(client, staff, enterprise_party()), 403)
    refused(client.post(f"/api/v1/grants/{gid}/accept", headers=bearer(staff)), 409)
    assert ok(client.get("/api/v1/me", headers=bearer(staff)))["acting_as"] is None
    refused(client.post(f"/api/v1/grants/{gid}/revoke", headers=bearer(rep["tokens"])), 409)


def test_the_legal_rep_acts_for_the_enterprise_and_back(rep, app):
    client = new_client(app)
    acting = ok(switch(client, rep["tokens"], enterprise_party()))
    assert acting["acting_as"] == {"kind": "enterprise", "id": USCC, "role": "legal_rep"}
    assert ok(client.get("/api/v1/me", headers=bearer(acting)))["acting_as"]["id"] == USCC
    back = ok(switch(client, acting, None))
    assert back["acting_as"] is None and "act" not in claims_of(back["access_token"])


def test_a_pending_grant_lapses_after_14_days(rep, long_app, settings, travel):
    client = new_client(long_app)
    grantee_p = person("刘娇欣")
    grantee = register_citizen(client, grantee_p)
    grant = ok(client.post("/api/v1/grants", json=grant_body(grantee_p, role="viewer"),
                           headers=bearer(rep["tokens"])), 201)
    accept_by = grant["accept_by"]
    assert accept_by.startswith(in_days(14))

    travel(model.ACCEPT_WITHIN + timedelta(minutes=1))
    err = refused(client.post(f"/api/v1/grants/{grant['id']}/accept", headers=bearer(grantee)),
                  409)
    assert err["details"]["status"] == "lapsed" and "lapsed" in err["message"]
    listed = ok(client.get("/api/v1/grants", headers=bearer(grantee)))["items"]
    assert {g["id"]: g["status"] for g in listed}[grant["id"]] == "lapsed"
    refused(switch(client, grantee, enterprise_party()), 403)
    assert not [r for r in audit_of(settings, grantee["account"]["id"])
                if r["action"] == "grant.accept"]


# ---- family ----------------------------------------------------------------------------

def test_a_citizen_authorises_a_family_member_for_chosen_matters(app, settings):
    client = new_client(app)
    parent_p, child_p = person("杨英静"), person("廖婷怡")
    parent = register_citizen(client, parent_p)
    child = register_citizen(client, child_p)
    family = {"grantor": "self", "grantee_phone": child_p["phone"],
              "matters": [LICENSING, OTHER], "expires": in_days(30)}

    refused(client.post("/api/v1/grants", json={**family, "matters": []},
                        headers=bearer(parent)), 422, "matters")
    refused(client.post("/api/v1/grants", json={**family, "expires": in_days(400)},
                        headers=bearer(parent)), 422, "expires")
    refused(client.post("/api/v1/grants", json={**family, "expires": in_days(0)},
                        headers=bearer(parent)), 422, "expires")
    refused(client.post("/api/v1/grants", json={**family, "grantee_phone": parent_p["phone"]},
                        headers=bearer(parent)), 422, "grantee_phone")
    refused(client.post("/api/v1/grants", json={**family, "grantee_phone": "17700009999"},
                        headers=bearer(parent)), 422, "grantee_phone")
    refused(client.post("/api/v1/grants", json={**family, "matters": ["not-a-code"]},
                        headers=bearer(parent)), 422, "matters")

    grant = ok(client.post("/api/v1/grants", json=family, headers=bearer(parent)), 201)
    assert grant["grantor_kind"] == "person" and grant["matters"] == [LICENSING, OTHER]
    assert grant["role"] is None
    ok(client.post(f"/api/v1/grants/{grant['id']}/accept", headers=bearer(child)))
    parent_id = parent["account"]["id"]
    acting = ok(switch(client, child, {"kind": "person", "id": parent_id}))
    act = claims_of(acting["access_token"])["act"]
    assert act == {"kind": "person", "id": parent_id, "grant": grant["id"], "role": "family",
                   "matters": [LICENSING, OTHER]}
    me = ok(client.get("/api/v1/me", headers=bearer(acting)))
    assert me["id"] == child["account"]["id"] and me["acting_as"] == act
    assert_audited(settings, child["account"]["id"], "identity.switch",
                   target=f"person:{parent_id}")
    # the parent cannot act for the child: the grant runs one way
    refused(switch(client, parent, {"kind": "person", "id": child["account"]["id"]}), 403)


def test_nobody_switches_to_a_party_without_a_grant(rep, app):
    client = new_client(app)
    stranger = register_citizen(client, person("刘晓一"))
    refused(switch(client, stranger, enterprise_party()), 403)
    refused(switch(client, stranger, enterprise_party(OTHER_USCC)), 403)
    refused(switch(client, stranger, enterprise_party("91441402MA0MT2NFI4")), 422, "act_as")
    refused(switch(client, stranger, {"kind": "person", "id": rep["id"]}), 403)
    refused(switch(client, stranger, {"kind": "person", "id": uuid.uuid4().hex}), 403)
    refused(client.post("/api/v1/grants", json={**grant_body(person("刘晓一")),
                                                "grantee_phone": ZHANG["phone"]},
                        headers=bearer(stranger)), 403)


# ---- object-level checks --------------------------------------------------------------------

def test_nobody_accepts_or_revokes_a_grant_that_is_not_theirs(rep, app):
    client = new_client(app)
    grantee_p, third_p = person("邱梅涵"), person("罗芳")
    grantee = register_citizen(client, grantee_p)
    third = register_citizen(client, third_p)
    gid = ok(client.post("/api/v1/grants", json=grant_body(grantee_p),
                         headers=bearer(rep["tokens"])), 201)["id"]

    refused(client.post(f"/api/v1/grants/{gid}/accept", headers=bearer(third)), 404)
    refused(client.post(f"/api/v1/grants/{gid}/revoke", headers=bearer(third)), 404)
    refused(client.post(f"/api/v1/grants/{uuid.uuid4().hex}/accept",
                        headers=bearer(grantee)), 404)
    refused(client.post("/api/v1/grants/..%2F..%2Fx/revoke", headers=bearer(grantee)), 404)
    assert ok(client.get("/api/v1/grants", headers=bearer(third)))["items"] == []
    refused(client.post(f"/api/v1/grants/{gid}/accept", headers=bearer(rep["tokens"])), 403)

    ok(client.post(f"/api/v1/grants/{gid}/accept", headers=bearer(grantee)))
    refused(client.post(f"/api/v1/grants/{gid}/revoke", headers=bearer(third)), 404)
    acting = ok(switch(client, grantee, enterprise_party()))
    # acting for the company does not make one its legal representative
    refused(client.post("/api/v1/grants", json=grant_body(third_p), headers=bearer(acting)),
            403)
    # the grantee may give the role up
    assert ok(client.post(f"/api/v1/grants/{gid}/revoke",
                          headers=bearer(grantee)))["status"] == "revoked"
    refused(client.get("/api/v1/me", headers=bearer(acting)), 403)
