"""Default subscriptions: a person registered (or a staff account created) is in the topic
index for their applications, licences and deadlines without ever opening 消息设置, so a
campaign on `deadline` plans them; an enterprise role accepted files the role's defaults; a
granted staff member without a section gets their grant's role's defaults (not a viewer's);
the backfill files accounts made before, once."""
from __future__ import annotations

import itertools
import json
import re
from datetime import date, timedelta

from functions.core import aws, clock
from functions.core.auth import Principal
from functions.identity import cn_ids
from functions.push import campaigns, planner, preferences_defaults, preferences_store
from tests.helpers import ok
from tests.licences.factories import make_enterprise, staff
from tests.push.campaign_factories import deliver_jobs, parties, take_jobs

PASSWORD = "Hakka-Tulou#2026"
_seq = itertools.count(1)
AUTHOR = staff("SWJ", subject="officer-defaults-a")
SECOND = staff("SWJ", subject="officer-defaults-b")


def _numbers(birth: date, county: str = "441426") -> tuple[str, str]:
    n = next(_seq)
    return (cn_ids.make_id_number(county, birth, 600 + n), f"1990260{n:04d}")


def _register(client, *, birth: date, county: str = "441426") -> str:
    """A citizen registered through the API (code from the dev outbox); their account id."""
    id_number, phone = _numbers(birth, county)
    ok(client.post("/api/v1/auth/codes", json={"phone": phone, "purpose": "register"}), 202)
    items = ok(client.get("/api/v1/dev/outbox", query_string={"phone": phone}))["items"]
    code = re.search(r"\d{6}", items[0]["text"]).group(0)
    resp = client.post("/api/v1/auth/register", json={
        "name": "温默认", "id_number": id_number, "phone": phone, "password": PASSWORD,
        "code": code})
    assert resp.status_code == 201, resp.get_json()
    me = ok(client.get("/api/v1/me", headers={
        "Authorization": f"Bearer {resp.get_json()['access_token']}"}))
    return me["id"]


def _rows(settings, account: str) -> dict[str, dict]:
    """The account's topic index rows by sk."""
    resp = aws.client("dynamodb", settings).query(
        TableName=settings.table_name, ConsistentRead=True,
        KeyConditionExpression="pk = :pk AND begins_with(sk, :s)",
        ExpressionAttributeValues={":pk": {"S": f"PREFS#{account}"}, ":s": {"S": "SUB#"}})
    return {i["sk"]["S"]: i for i in resp["Items"]}


def test_a_registered_person_is_planned_for_deadlines_without_opening_preferences(
        client, settings):
    me = _register(client, birth=date(1931, 2, 3))
    rows = _rows(settings, me)
    party = f"person:{me}"
    assert set(rows) == {f"SUB#{party}#{t}" for t in ("application", "licence", "deadline",
                                                      "legal")}
    assert rows[f"SUB#{party}#deadline"]["gsi2pk"]["S"] == "TOPIC#deadline#441426"
    assert rows[f"SUB#{party}#deadline"]["birth"]["S"] == "1931-02"
    made = campaigns.create(settings, AUTHOR, {
        "name": "申报期限提醒", "topic": "deadline", "template": "deadline_reminder",
        "params": {"item": "个人所得税经营所得申报", "date": "2031-03-31"}, "urgent": False,
        "send_at": None,
        "segment": {"audience": "person", "county": "441426", "age_band": [95, 95]}},
        now=clock.now())
    campaigns.approve(settings, SECOND, made["id"], now=clock.now())
    take_jobs(settings)
    got = planner.plan(settings, made["id"], now=clock.now(), budget=None)
    assert got["done"]
    assert party in parties(deliver_jobs(settings, made["id"]))
    # Their defaults are what 消息设置 shows them, and a first change is not a conflict.
    stored, rev = preferences_store.stored(settings, me)
    assert rev == 1 and stored["topics"]["deadline"]["subscribed"] is True
    assert stored["topics"]["hot_tax"]["subscribed"] is False


def test_a_staff_account_is_filed_under_the_defaults(settings):
    from functions.identity.cli import create_staff

    id_number, phone = _numbers(date(1975, 6, 1), "441402")
    account = create_staff(settings, kind="officer", name="李默认", id_number=id_number,
                           phone=phone, password=PASSWORD, roles=["officer"],
                           department="SWJ", region="441402")
    rows = _rows(settings, account["id"])
    assert f"SUB#person:{account['id']}#licence" in rows
    assert rows[f"SUB#person:{account['id']}#licence"]["gsi2pk"]["S"] == "TOPIC#licence#441402"


def _citizen(settings) -> dict:
    from functions.identity.cli import create_staff

    id_number, phone = _numbers(date(1985, 9, 9), "441481")
    return {**create_staff(settings, kind="citizen", name="钟默认", id_number=id_number,
                           phone=phone, password=PASSWORD, roles=[]), "phone": phone}


def _grant(settings, rep: dict, uscc: str, member: dict, role: str) -> dict:
    from functions.identity.service import delegation

    now = clock.now()
    grant = delegation.create_grant(
        settings, Principal(subject=rep["id"], kind="citizen", level=2),
        grantor=f"enterprise:{uscc}", grantee_phone=member["phone"], role=role, matters=[],
        expires=(now + timedelta(days=30)).date(), at=now)
    delegation.accept_grant(settings, Principal(subject=member["id"], kind="citizen",
                                                level=2), grant["id"], at=now)
    return grant


def test_an_accepted_role_files_its_defaults_and_a_viewer_follows_nothing(settings):
    rep = _citizen(settings)
    firm = make_enterprise(settings, rep)
    uscc = firm["uscc"]
    preparer, viewer = _citizen(settings), _citizen(settings)
    _grant(settings, rep, uscc, preparer, "preparer")
    _grant(settings, rep, uscc, viewer, "viewer")
    party = f"enterprise:{uscc}"
    rows = _rows(settings, preparer["id"])
    assert f"SUB#{party}#application" in rows and f"SUB#{party}#deadline" in rows
    assert rows[f"SUB#{party}#application"]["gsi2pk"]["S"] == "TOPIC#application#441402"
    assert rows[f"SUB#{party}#application"]["industry"]["S"] == "农业"
    assert f"SUB#{party}#application" not in _rows(settings, viewer["id"])
    section, rev = preferences_store.stored(settings, preparer["id"], uscc)
    assert rev == 1 and section["topics"]["licence"]["subscribed"] is True


def test_a_granted_member_without_a_section_gets_the_grants_roles_defaults(settings):
    rep = _citizen(settings)
    uscc = make_enterprise(settings, rep)["uscc"]
    member = _citizen(settings)
    _grant(settings, rep, uscc, member, "approver")
    # Accepted before default topics existed: no section, no membership item.
    aws.client("dynamodb", settings).delete_item(
        TableName=settings.table_name, Key={"pk": {"S": f"PREFS#{member['id']}"},
                                            "sk": {"S": f"E#{uscc}"}})
    got = preferences_store.prefs_of_many(settings, [(member["id"], uscc)])
    assert got[(member["id"], uscc)]["topics"]["application"]["subscribed"] is True
    # A person with no grant from it at all is a viewer: only what the law requires.
    stranger = _citizen(settings)
    other = preferences_store.prefs_of_many(settings, [(stranger["id"], uscc)])
    assert other[(stranger["id"], uscc)]["topics"]["application"]["subscribed"] is False
    assert other[(stranger["id"], uscc)]["topics"]["legal"]["subscribed"] is True


def test_the_backfill_files_older_accounts_once(settings):
    from functions.identity.service.accounts import new_account
    from functions.identity.store import accounts

    id_number, phone = _numbers(date(1960, 12, 12), "441423")
    old = new_account(settings, kind="citizen", name="古旧号", id_number=id_number,
                      phone=phone, password=PASSWORD, roles=[], at=clock.now())
    accounts.create_account(settings, old, consume_code=None, audit={
        "actor": old["id"], "action": "account.register", "target": old["id"],
        "result": "ok", "request_id": None, "at": clock.iso()})  # as before: no defaults
    assert _rows(settings, old["id"]) == {}
    first = preferences_defaults.backfill(settings)
    assert first["people"] >= 1
    rows = _rows(settings, old["id"])
    assert rows[f"SUB#person:{old['id']}#deadline"]["gsi2pk"]["S"] == "TOPIC#deadline#441423"
    before = preferences_store.stored(settings, old["id"])
    again = preferences_defaults.backfill(settings)
    assert again["people"] == 0 or _rows(settings, old["id"]) == rows
    assert preferences_store.stored(settings, old["id"]) == before  # kept, not rewritten
    assert json.dumps(before[0], sort_keys=True) == json.dumps(
        preferences_store.stored(settings, old["id"])[0], sort_keys=True)


def test_the_legal_representative_follows_the_enterprise_they_register(settings, monkeypatch):
    from functions.identity.service import delegation

    rep = _citizen(settings)
    uscc = cn_ids.make_uscc("9", "1", "441427", 260000 + next(_seq))
    org = {"uscc": uscc, "name": "平远县默认订阅测试有限公司", "county": "441427",
           "industry": "制造业", "size": "small", "founded": "2019-09-09",
           "individual_business": False, "status": "active", "legal_rep_id_hash": rep["id_hash"]}
    # The registry's answer for this made-up company (its counts stay the seed's).
    monkeypatch.setattr(delegation.enterprises, "registry_org",
                        lambda _s, code: org if code == uscc else None)
    delegation.register_enterprise(settings, Principal(subject=rep["id"], kind="citizen",
                                                       level=2), uscc=uscc, at=clock.now())
    party = f"enterprise:{uscc}"
    rows = _rows(settings, rep["id"])
    assert {f"SUB#{party}#{t}" for t in ("application", "licence", "deadline")} <= set(rows)
    assert rows[f"SUB#{party}#licence"]["gsi2pk"]["S"] == "TOPIC#licence#441427"
    assert rows[f"SUB#{party}#licence"]["industry"]["S"] == "制造业"
    section, rev = preferences_store.stored(settings, rep["id"], uscc)
    assert rev == 1 and section["topics"]["deadline"]["subscribed"] is True
