"""Download my data (PIPL Art. 45): GET /api/v1/me/data-export, for a person and for the
enterprise its legal representative acts for; refused to everyone else; audited; rate-limited;
the owner's own numbers in full in the JSON alone, never in the text summary or a log line."""
from __future__ import annotations

import json
import logging
import re
from datetime import timedelta

import pytest

from functions.core import aws, clock
from functions.core import store as core_store
from functions.identity.cli import create_staff
from functions.push import store as push_store
from tests import privacy
from tests.helpers import SPEC, ok
from tests.identity.conftest import bearer, login, new_client, person
from tests.intake.factories import CARD, CARD_FORM

# Two registry people no other test registers: 刘荣 represents 梅州市南口运输有限公司.
REP, STAFF = person("刘荣"), person("叶静婷")
USCC = "91441402MAFCL9Q85P"
TAX = "441402-SWJ-0004"         # 新办纳税人涉税事项套餐: an enterprise applies for it
PASSWORD = "Meizhou-2026!"
LICENCE = {"type": "business_licence", "holder_kind": "enterprise", "holder_id": USCC,
           "region": "441402",
           "fields": {"entity_type": "有限责任公司", "registered_capital": "50",
                      "address": "梅州市梅江区南口镇1号", "business_scope": "道路货物运输",
                      "established": "2015-06-01"}}


def account_of(settings, p: dict) -> dict:
    return create_staff(settings, kind="citizen", name=p["name"], id_number=p["id_number"],
                        phone=p["phone"], password=PASSWORD, roles=[])


def logged_in(client, phone: str) -> dict:
    return bearer(ok(login(client, phone, PASSWORD)))


def acting(client, headers: dict, uscc: str = USCC) -> dict:
    got = ok(client.post("/api/v1/auth/switch", headers=headers,
                         json={"act_as": {"kind": "enterprise", "id": uscc}}))
    return bearer(got["access_token"])


@pytest.fixture(scope="module")
def world(app, settings, token, tmp_path_factory):
    """刘荣 with his enterprise (registered, holding its business licence), an application of
    his own (whose ID number an officer revealed) and one of the enterprise's, a notice in his
    inbox, and 叶静婷 as the enterprise's preparer (granted and accepted)."""
    from functions.licences import service as licences

    client = new_client(app)
    rep, staff = account_of(settings, REP), account_of(settings, STAFF)
    rep_h = logged_in(client, REP["phone"])
    ok(client.post("/api/v1/enterprises", json={"uscc": USCC}, headers=rep_h), 201)
    seed = tmp_path_factory.mktemp("export") / "licences.json"
    seed.write_text(json.dumps({"licences": [LICENCE]}, ensure_ascii=False), encoding="utf-8")
    assert licences.seed(settings, seed, now=clock.now()) == 1
    mine = ok(client.post("/api/v1/applications", headers=rep_h,
                          json={"matter": CARD, "form": CARD_FORM}), 201)
    officer = token("officer", department="RSJ", region="441400", subject="rsj-export")
    ok(app.test_client().post(f"/api/v1/officer/applications/{mine['id']}/reveal",
                              headers=officer, json={"fields": ["id_number"]}))
    ent_h = acting(client, rep_h)
    theirs = ok(client.post("/api/v1/applications", headers=ent_h,
                            json={"matter": TAX, "form": {}}), 201)
    core_store.transact(settings, push_store.inbox_put(
        settings.table_name, account=rep["id"], kind="security", title="新设备登录",
        body="您的账户在新设备登录。", at=clock.iso()))
    expires = (clock.now().date() + timedelta(days=90)).isoformat()
    grant = ok(client.post("/api/v1/grants", headers=rep_h, json={
        "grantor": f"enterprise:{USCC}", "grantee_phone": STAFF["phone"], "role": "preparer",
        "expires": expires}), 201)
    staff_h = logged_in(client, STAFF["phone"])
    ok(client.post(f"/api/v1/grants/{grant['id']}/accept", headers=staff_h))
    return {"rep": rep, "staff": staff, "rep_h": rep_h, "ent_h": ent_h, "staff_h": staff_h,
            "mine": mine["id"], "theirs": theirs["id"], "grant": grant["id"]}


def export(client, headers, **params):
    return client.get("/api/v1/me/data-export", headers=headers, query_string=params)


def conforms(doc: dict) -> dict:
    """The document as openapi.yaml's DataExport describes it."""
    import jsonschema

    jsonschema.Draft202012Validator(
        {**SPEC, "$ref": "#/components/schemas/DataExport"}).validate(doc)
    return doc


def test_the_owner_gets_everything_with_their_own_numbers(client, world, settings):
    resp = export(client, world["rep_h"])
    doc = conforms(ok(resp))
    today = clock.now().date().isoformat()
    assert resp.headers["Content-Disposition"] == (
        f'attachment; filename="meizhou-hall-my-data-personal-{today}.json"')
    assert resp.headers["Cache-Control"] == "no-store"
    assert doc["subject"] == {"kind": "person", "id": world["rep"]["id"]}
    acc = doc["account"]
    # The explicit, audited request for a copy: the owner's own numbers in full, here only.
    assert (acc["phone"], acc["id_number"]) == (REP["phone"], REP["id_number"])
    assert acc["id_number_masked"] == REP["id_number"][:6] + "********" + REP["id_number"][-4:]
    assert not {"password", "id_hash", "phone_hash", "id_seal", "phone_seal"} & set(acc)
    assert [e["uscc"] for e in doc["enterprises"]] == [USCC]
    apps = {a["id"]: a for a in doc["applications"]}
    assert set(apps) == {world["mine"]}                    # the enterprise's is not his own
    assert apps[world["mine"]]["matter"] == CARD and apps[world["mine"]]["events"] is not None
    assert "sealed" not in apps[world["mine"]]
    form = json.dumps(apps[world["mine"]]["form"], ensure_ascii=False)
    assert REP["id_number"] not in form and REP["phone"] not in form   # masked there
    assert [m["title"] for m in doc["inbox"]] == ["新设备登录"]
    assert doc["sessions"] and all(set(s) == {"created", "last_used", "revoked"}
                                   for s in doc["sessions"])
    assert doc["licences"] == []                           # the licence is the enterprise's
    assert doc["grants"]["received"] == [] and doc["grants"]["given"] == []
    actions = {a["action"] for a in doc["audit"]}
    # By him (his registration of the enterprise, the grant he gave) and about him.
    assert {"data.export", "enterprise.register", "grant.create",
            "application.create"} <= actions
    # An officer's look at his application's numbers is about him: it is in his copy.
    seen = [a for a in doc["audit"] if a["action"] == "application.reveal"]
    assert [(a["actor"], a["target"], a["subject"]) for a in seen] == [
        ("rsj-export", world["mine"], f"person:{world['rep']['id']}")]
    this = [a for a in doc["audit"] if a["action"] == "data.export"][-1]
    assert this["request_id"] == resp.headers["X-Request-Id"]
    counts = doc["summary"]["counts"]
    assert (counts["applications"], counts["messages"], counts["enterprises"]) == (1, 1, 1)
    assert counts["audit_entries"] == len(doc["audit"])
    assert any("办件 1 件" in line for line in doc["summary"]["zh"])
    assert any("1 application(s)" in line for line in doc["summary"]["en"])


def test_the_legal_rep_exports_the_enterprise(client, world, settings):
    resp = export(client, world["ent_h"])
    doc = conforms(ok(resp))
    assert f"meizhou-hall-my-data-enterprise-{USCC}-" in resp.headers["Content-Disposition"]
    assert doc["subject"] == {"kind": "enterprise", "id": USCC}
    assert doc["requested_by"] == {"account": world["rep"]["id"], "role": "legal_rep"}
    assert "account" not in doc and "sessions" not in doc
    assert doc["enterprise"]["name"] == "梅州市南口运输有限公司"
    assert [a["id"] for a in doc["applications"]] == [world["theirs"]]
    assert [(lic["type"], lic["status"]) for lic in doc["licences"]] == [
        ("business_licence", "valid")]
    given = doc["grants"]["given"]
    assert [(g["id"], g["role"], g["status"]) for g in given] == [
        (world["grant"], "preparer", "active")]
    assert STAFF["phone"] not in json.dumps(given)         # the grantee's phone is masked
    assert {n["kind"] for n in doc["inbox"]} >= {"grant"}  # the enterprise's own inbox
    actions = [(a["action"], a.get("on_behalf")) for a in doc["audit"]]
    assert ("application.create", f"enterprise:{USCC}") in actions
    assert ("data.export", f"enterprise:{USCC}") in actions
    # About the enterprise though not done acting for it: its registration, its licence,
    # the grant its representative gave and its preparer accepted.
    by = {(a["action"], a["actor"]) for a in doc["audit"]}
    assert {("enterprise.register", world["rep"]["id"]), ("grant.create", world["rep"]["id"]),
            ("grant.accept", world["staff"]["id"]), ("licence.issue", "system")} <= by
    assert all(a["subject"] == f"enterprise:{USCC}" for a in doc["audit"])
    assert any(USCC in line for line in doc["summary"]["zh"])


def test_a_preparer_and_everyone_else_get_only_their_own(client, world, settings):
    # 叶静婷 acting for the enterprise as its preparer: the whole enterprise is not hers.
    staff_ent = acting(client, world["staff_h"])
    err = ok(export(client, staff_ent), 403)["error"]
    assert err["code"] and err["request_id"]
    refused = [a for a in core_store.audit_about(settings, f"enterprise:{USCC}")
               if a["action"] == "data.export" and a["result"] == "refused"]
    assert refused and refused[-1]["actor"] == world["staff"]["id"]
    # As herself she gets her own data, none of his.
    doc = ok(export(client, world["staff_h"]))
    assert doc["subject"] == {"kind": "person", "id": world["staff"]["id"]}
    text = json.dumps(doc, ensure_ascii=False)
    assert world["mine"] not in text and world["theirs"] not in text
    assert REP["id_number"] not in text and REP["phone"] not in text
    assert [g["id"] for g in doc["grants"]["received"]] == [world["grant"]]
    assert doc["account"]["phone"] == STAFF["phone"]


def test_the_text_summary_is_readable_in_both_languages_and_masked(client, world):
    resp = export(client, world["rep_h"], format="text")
    assert resp.status_code == 200 and resp.mimetype == "text/plain"
    assert resp.headers["Content-Disposition"].endswith('.txt"')
    assert resp.headers["Cache-Control"] == "no-store"
    text = resp.get_data(as_text=True)
    assert "个人信息保护法" in text and "PIPL Art. 45" in text
    assert "办件 1 件" in text and "1 application(s)" in text and world["mine"] in text
    assert REP["id_number"] not in text and REP["phone"] not in text
    assert REP["id_number"][-4:] in text                   # the masked number says whose
    assert not privacy.personal_numbers(text)


def test_a_format_it_does_not_know_is_a_400(client, world):
    assert ok(export(client, world["rep_h"], format="xml"), 400)["error"]


def test_nothing_of_the_export_is_logged(client, world, hall_caplog):
    caplog = hall_caplog
    with caplog.at_level(logging.DEBUG, logger="hall"):
        ok(export(client, world["rep_h"]))
    lines = "\n".join(r.getMessage() + json.dumps(getattr(r, "__dict__", {}), default=str)
                      for r in caplog.records)
    assert REP["id_number"] not in lines and REP["phone"] not in lines
    assert re.search(r"data-export", lines)                # the request itself is logged


def made_up(settings, n: int) -> dict:
    """A citizen with made-up numbers (valid, in no registry), so nobody else has them."""
    from datetime import date

    from functions.identity import cn_ids

    p = {"name": "罗导出", "phone": f"1990061{n:04d}",
         "id_number": cn_ids.make_id_number("441426", date(1979, 5, 5), 300 + n)}
    account_of(settings, p)
    return p


def counted(settings, client, headers) -> int:
    """How many DynamoDB calls one export makes, the request's token checks included. The
    catalogue's once-a-minute pointer check (hall/store.py) is the catalogue's, not the
    export's: it is left out, or the count would depend on when the test runs."""
    ddb, calls = aws.client("dynamodb", settings), []

    def count(params, **kwargs):
        if params.get("Key", {}).get("pk", {}).get("S") != "CATALOGUE":
            calls.append((kwargs["event_name"].rsplit(".", 1)[-1],
                          json.dumps(params.get("Key") or params.get(
                              "ExpressionAttributeValues"), ensure_ascii=False)[:90]))

    ddb.meta.events.register("before-parameter-build.dynamodb", count)
    try:
        ok(export(client, headers))
    finally:
        ddb.meta.events.unregister("before-parameter-build.dynamodb", count)
    return calls


def test_storage_round_trips_are_counted(app, client, world, settings):
    """A person: 12 + one per application; an enterprise: 9 + one per application; each plus
    the request's own checks (the session and, acting for an enterprise, its representation:
    one batch read)."""
    p = made_up(settings, 1)
    headers = logged_in(client, p["phone"])
    for _ in range(3):
        ok(client.post("/api/v1/applications", headers=headers,
                       json={"matter": CARD, "form": CARD_FORM}), 201)
    calls = counted(settings, client, headers)
    assert len(calls) == 1 + 12 + 3, calls
    calls = counted(settings, client, world["ent_h"])
    assert len(calls) == 1 + 9 + 1, calls


def test_a_few_exports_an_hour(app, settings):
    """The limit counts per caller account; past it, 429 with Retry-After."""
    p = person("赖文国")
    account_of(settings, p)
    client = new_client(app)
    headers = logged_in(client, p["phone"])
    most = 5 * settings.rate_limit_scale
    for _ in range(most):
        ok(export(client, headers))
    resp = export(client, headers)
    assert resp.status_code == 429 and int(resp.headers["Retry-After"]) > 0
