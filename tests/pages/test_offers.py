"""免申即享: a registry person of 80+ with a social security card account is offered the
elderly allowance on the page (masked), one confirmation files and submits it with everything
filled by the server (the account sealed, revealed to the officer only through the audited
reveal), repeats and concurrent confirmations give one application, and whoever does not
qualify (79, no account, already granted, another county, an enterprise) gets a 409 that says
why; unknown codes 404; a family member within the grant may confirm; a busy store is 503."""
from __future__ import annotations

import itertools
import json
import threading
from datetime import date, timedelta

import jsonschema
import pytest

from functions.core import aws, clock
from functions.core.store import audit_query
from functions.identity import cn_ids
from functions.pages import offers_model, page
from tests.helpers import SPEC, ok
from tests.intake.factories import CARD
from tests.licences.factories import make_citizen, make_enterprise

PAGE = "/api/v1/me/page"
CODE = "441402-MZJ-0006"           # 高龄老人津贴申领, 梅江区's copy
ACCOUNT = "6228480000000000018"
MASKED = "6228***********0018"
_seq = itertools.count(1)


@pytest.fixture(autouse=True)
def _fresh_caches():
    page.forget()
    yield
    page.forget()


def _confirm(code: str = CODE) -> str:
    return f"/api/v1/me/offers/{code}/confirm"


def _years_ago(years: int, days: int = 0) -> date:
    today = clock.now().astimezone(clock.CHINA).date()
    return today.replace(year=today.year - years) + timedelta(days=days)


def elder(settings, token, *, birth: date | None = None, account: str | None = ACCOUNT,
          region: str = "441402", name: str = "黄秀英") -> tuple[dict, dict]:
    """A made-up person in the base registry (loaded through identity's use case, as the seed
    is) with an account of their own: (account, bearer header)."""
    from functions.identity.cli import create_staff
    from functions.identity.service import load_registry

    n = next(_seq)
    birth = birth or _years_ago(81)
    id_number = cn_ids.make_id_number(region, birth, 300 + 2 * n)
    person = {"id_number": id_number, "name": name, "birth": birth.isoformat(),
              "region": region, "phone": None, "sex": cn_ids.sex_of(id_number),
              "employment": None}
    if account:
        person["ssc_bank_account"] = account
    load_registry(settings, {"persons": [person], "organisations": []})
    acct = create_staff(settings, kind="citizen", name=name, id_number=id_number,
                        phone=f"1990091{n:04d}", password="Meizhou-2026!", roles=[])
    acct = {**acct, "id_number": id_number, "phone": f"1990091{n:04d}"}
    return acct, token("citizen", subject=acct["id"], kind="citizen", lvl=2)


def _officer(token):
    return token("officer", department="MZJ", region="441402", subject="offers-officer")


def _conforms(name: str, body: dict) -> None:
    """The body validates against the contract's schema `name`."""
    jsonschema.Draft202012Validator({**SPEC, "$ref": f"#/components/schemas/{name}"}).validate(
        body)


def _reasons(resp) -> list[str]:
    _conforms("OfferRefusal", resp.get_json())
    err = ok(resp, 409)["error"]
    assert err["details"]["reason"] and err["details"]["reason_en"]
    return [r["code"] for r in err["details"]["reasons"]]


def test_an_80_year_old_with_an_account_is_offered_the_allowance_masked(client, token,
                                                                          settings):
    me, headers = elder(settings, token)
    resp = client.get(PAGE, headers=headers)
    got = ok(resp)
    _conforms("Page", got)
    text = resp.get_data(as_text=True)
    assert ACCOUNT not in text and me["id_number"] not in text and me["phone"] not in text
    [offer] = got["offers"]
    assert offer["code"] == CODE and offer["name"] == "高龄老人津贴申领" and offer["name_en"]
    assert offer["reason"].startswith("因为您已年满80周岁")
    assert offer["reason_en"].startswith("Because you are 80 or older")
    assert offer["department"]["code"] == "MZJ" and offer["department"]["name"] == "梅江区民政局"
    fields = {f["name"]: f for f in offer["fields"]}
    assert fields["bank_account"]["value"] == MASKED
    assert fields["bank_account"]["source"] == "registry"
    assert fields["bank_account"]["label"] == "收款银行账号"
    assert fields["applicant_name"]["value"] == "黄秀英"
    assert "*" in fields["id_number"]["value"] and "*" in fields["phone"]["value"]
    assert {m["name"]: m["source"] for m in offer["materials"]} == {
        "居民身份证": "identity", "本人银行账户信息（社会保障卡金融账户或银行卡）": "registry"}
    # offered, so not also recommended
    assert CODE not in {r["code"] for r in got["recommendations"]}


def test_one_confirmation_files_and_submits_it_with_the_account_sealed(client, token,
                                                                         settings):
    me, headers = elder(settings, token)
    resp = client.post(_confirm(), headers=headers)
    app = ok(resp, 201)
    _conforms("Application", app)
    assert ACCOUNT not in resp.get_data(as_text=True)
    assert app["status"] == "submitted" and app["auto_filled"] is True
    assert app["owner"] == f"person:{me['id']}" and app["matter"] == CODE
    assert app["form"]["bank_account"] == MASKED and app["form"]["applicant_name"] == "黄秀英"
    assert "*" in app["form"]["id_number"] and "*" in app["form"]["phone"]
    assert app["materials"]["居民身份证"]["kind"] == "identity"
    assert app["materials"]["本人银行账户信息（社会保障卡金融账户或银行卡）"]["kind"] == "registry"
    assert sorted(e["action"] for e in app["events"]) == ["create", "submit"]
    # sealed at rest: the stored application holds no account, ID number or phone in clear
    item = aws.client("dynamodb", settings).get_item(
        TableName=settings.table_name, Key={"pk": {"S": f"APP#{app['id']}"},
                                            "sk": {"S": "A"}})["Item"]
    stored = json.dumps(item, ensure_ascii=False)
    assert ACCOUNT not in stored and me["id_number"] not in stored and me["phone"] not in stored
    # the notice lands in the inbox as any submission's
    inbox = ok(client.get("/api/v1/me/inbox", headers=headers))["items"]
    assert any(n["link"] == f"/#/applications/{app['id']}" for n in inbox)
    # the department's queue has it, marked; the officer sees the account only by a reveal
    officer = _officer(token)
    queue = ok(client.get("/api/v1/officer/applications?status=submitted&limit=50",
                          headers=officer))["items"]
    mine = next(a for a in queue if a["id"] == app["id"])
    assert mine["auto_filled"] is True and mine["form"]["bank_account"] == MASKED
    shown = ok(client.post(f"/api/v1/officer/applications/{app['id']}/reveal",
                           json={"fields": ["bank_account"]}, headers=officer))
    assert shown["fields"] == {"bank_account": ACCOUNT}
    day = clock.now().date().isoformat()
    audited = audit_query(settings, day=day, actor="offers-officer",
                          action="application.reveal", limit=50, start=None)[0]
    assert any(r["target"] == app["id"] for r in audited)
    # a second confirmation: the same application, nothing filed twice
    again = ok(client.post(_confirm(), headers=headers), 200)
    assert again["id"] == app["id"] and again["status"] == "submitted"
    got = ok(client.get(PAGE, headers=headers))
    assert got["offers"] == [] and app["id"] in {a["id"] for a in got["applications"]}
    # once accepted, still the same one
    ok(client.post(f"/api/v1/officer/applications/{app['id']}/actions",
                   json={"action": "accept"}, headers=officer))
    assert ok(client.post(_confirm(), headers=headers), 200)["status"] == "accepted"


def test_an_id_card_e_licence_in_the_wallet_is_shared_in_place_of_the_identity(client, token,
                                                                              settings):
    from functions.licences import service as licences
    from tests.licences.factories import staff

    me, headers = elder(settings, token, name="古月娥")
    card = licences.issue_at_counter(settings, staff("GAJ", subject="offers-gaj"), {
        "type": "id_card", "holder_kind": "person", "holder_id": me["id"], "fields": {},
        "application": None}, now=clock.now(), base_url="http://hall.test")
    [offer] = ok(client.get(PAGE, headers=headers))["offers"]
    shown = {m["name"]: m for m in offer["materials"]}
    assert shown["居民身份证"]["source"] == "wallet"
    assert shown["居民身份证"]["licence_id"] == card["id"]
    app = ok(client.post(_confirm(), headers=headers), 201)
    used = app["materials"]["居民身份证"]
    assert used["kind"] == "licence" and used["licence_id"] == card["id"]
    assert app["status"] == "submitted"
    # the wallet tells the holder who used the card, when and for what
    uses = ok(client.get(f"/api/v1/wallet/{card['id']}/usage", headers=headers))["items"]
    assert [u["application"] for u in uses] == [app["id"]]


def test_concurrent_confirmations_file_one_application(client, token, settings, app):
    _, headers = elder(settings, token, name="温桂英")
    results: list = []

    def post():
        with app.test_client() as own:
            resp = own.post(_confirm(), headers=headers)
            results.append((resp.status_code, resp.get_json()))

    threads = [threading.Thread(target=post) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(s for s, _ in results).count(201) == 1, results
    assert {s for s, _ in results} <= {200, 201}
    assert len({body["id"] for _, body in results}) == 1
    assert {body["status"] for _, body in results} == {"submitted"}
    mine = ok(client.get("/api/v1/applications", headers=headers))["items"]
    assert [a["matter"] for a in mine].count(CODE) == 1


def test_79_is_not_offered_and_is_told_when_they_turn_80(client, token, settings):
    _, headers = elder(settings, token, birth=_years_ago(80, days=10), name="罗伟")
    assert ok(client.get(PAGE, headers=headers))["offers"] == []
    resp = client.post(_confirm(), headers=headers)
    assert _reasons(resp) == ["under_age"]
    assert resp.get_json()["error"]["details"]["reasons"][0]["turns_80"] == (
        _years_ago(80, days=10).replace(year=_years_ago(80, days=10).year + 80).isoformat())


def test_without_an_account_on_record_nothing_is_offered(client, token, settings):
    _, headers = elder(settings, token, account=None, name="李娟")
    assert ok(client.get(PAGE, headers=headers))["offers"] == []
    assert _reasons(client.post(_confirm(), headers=headers)) == ["no_bank_account"]


def test_already_granted_at_the_counter_is_not_offered_again(client, token, settings):
    me, headers = elder(settings, token, name="钟玉兰")
    officer = _officer(token)
    filed = ok(client.post("/api/v1/officer/applications", headers=officer, json={
        "matter": CODE, "applicant_phone": me["phone"],
        "form": {"bank_account": "6217000000000000123"}}), 201)
    for action in ("accept", "approve"):
        ok(client.post(f"/api/v1/officer/applications/{filed['id']}/actions",
                       json={"action": action}, headers=officer))
    assert ok(client.get(PAGE, headers=headers))["offers"] == []
    resp = client.post(_confirm(), headers=headers)
    assert _reasons(resp) == ["already_granted"]
    assert resp.get_json()["error"]["details"]["reasons"][0]["application"] == filed["id"]


def test_another_countys_copy_and_unknown_codes(client, token, settings):
    _, headers = elder(settings, token, name="曾凤英")
    resp = client.post(_confirm("441403-MZJ-0006"), headers=headers)   # 梅县区's copy
    assert _reasons(resp) == ["another_county"]
    assert resp.get_json()["error"]["details"]["reasons"][0]["offer_code"] == CODE
    assert ok(client.post(_confirm("441402-XXX-9999"), headers=headers), 404)
    assert ok(client.post(_confirm(CARD), headers=headers), 404)     # a matter, not an offer
    assert client.post(_confirm()).status_code == 401
    assert client.post(_confirm(), headers=_officer(token)).status_code == 403


def test_acting_for_an_enterprise_is_not_a_person(client, token, settings):
    rep = make_citizen(settings, "温志坚")
    firm = make_enterprise(settings, rep)
    act = {"kind": "enterprise", "id": firm["uscc"], "role": "legal_rep"}
    headers = token("citizen", subject=rep["id"], kind="citizen", lvl=2, act=act)
    assert ok(client.get(PAGE, headers=headers))["offers"] == []
    assert _reasons(client.post(_confirm(), headers=headers)) == ["not_a_person"]


def _family(client, token, settings, parent: dict, parent_headers: dict,
            matters: list[str]) -> dict:
    """A grown child the parent authorises for `matters`, acting for the parent."""
    child = make_citizen(settings, "黄小燕")
    child_headers = token("citizen", subject=child["id"], kind="citizen", lvl=2)
    grant = ok(client.post("/api/v1/grants", headers=parent_headers, json={
        "grantor": "self", "grantee_phone": child["phone"], "matters": matters,
        "expires": (clock.now().date() + timedelta(days=30)).isoformat()}), 201)
    ok(client.post(f"/api/v1/grants/{grant['id']}/accept", headers=child_headers))
    return {"child": child, "headers": token(
        "citizen", subject=child["id"], kind="citizen", lvl=2,
        act={"kind": "person", "id": parent["id"], "grant": grant["id"], "role": "family",
             "matters": matters})}


def test_a_family_member_within_the_grant_confirms_for_the_parent(client, token, settings):
    parent, parent_headers = elder(settings, token, name="黄德英")
    kin = _family(client, token, settings, parent, parent_headers, [CODE])
    [offer] = ok(client.get(PAGE, headers=kin["headers"]))["offers"]
    assert offer["code"] == CODE and offer["fields"][0]["value"] == "黄德英"
    app = ok(client.post(_confirm(), headers=kin["headers"]), 201)
    assert app["owner"] == f"person:{parent['id']}" and app["applicant"] == kin["child"]["id"]
    assert app["status"] == "submitted" and app["form"]["bank_account"] == MASKED
    # the parent's own confirmation finds the same application
    assert ok(client.post(_confirm(), headers=parent_headers), 200)["id"] == app["id"]


def test_a_family_member_outside_the_grant_is_refused(client, token, settings):
    parent, parent_headers = elder(settings, token, name="黄德珍")
    kin = _family(client, token, settings, parent, parent_headers, [CARD])
    assert ok(client.get(PAGE, headers=kin["headers"]))["offers"] == []
    assert ok(client.post(_confirm(), headers=kin["headers"]), 403)["error"]


def test_a_busy_store_is_a_503_and_nothing_is_filed(client, token, settings, monkeypatch):
    from botocore.exceptions import ClientError

    _, headers = elder(settings, token, name="廖秀珍")
    ddb = aws.client("dynamodb", settings)
    real = ddb.get_item

    def busy(**kwargs):
        if "REGISTRY#" in repr(kwargs):   # the fresh registry read; the token check goes on
            raise ClientError({"Error": {"Code": "ThrottlingException", "Message": "slow down"},
                               "ResponseMetadata": {"HTTPStatusCode": 400}}, "GetItem")
        return real(**kwargs)

    monkeypatch.setattr(ddb, "get_item", busy)
    resp = client.post(_confirm(), headers=headers)
    assert ok(resp, 503)["error"]["code"] == "unavailable" and resp.headers["Retry-After"]
    monkeypatch.undo()
    assert ok(client.get("/api/v1/applications", headers=headers))["items"] == []


# ---- the model: only where every field and material is answered -------------------------------

def _matter(settings) -> dict:
    from functions.hall import store as hall_store

    return hall_store.current_catalogue(settings).matters[CODE]


FACTS = {"kind": "person", "level": 2, "registry": True, "registry.birth": "1940-01-01",
         "registry.region": "441402", "registry.ssc_bank": True, "wallet": {},
         "applications": [], "done": set()}
TODAY = date(2026, 12, 1)


def test_a_matter_with_one_unanswered_field_or_material_is_never_offered(settings):
    matter = _matter(settings)
    assert offers_model.judge(offers_model.ELDERLY, matter, FACTS, TODAY) == []
    more = {**matter, "form_fields": [*matter["form_fields"], {
        "name": "address", "label": "住址", "type": "text", "required": False}]}
    [why] = offers_model.judge(offers_model.ELDERLY, more, FACTS, TODAY)
    assert why["code"] == "not_answered" and why["missing"] == ["form.address"]
    photo = {**matter, "materials": [*matter["materials"], {
        "name": "近期免冠照片", "licence_type": None, "required": True}]}
    assert offers_model.judge(offers_model.ELDERLY, photo, FACTS, TODAY)[0]["missing"] == [
        "materials.近期免冠照片"]
    # the ID card from the wallet when there is one; unverified identities are not offered
    with_card = {**FACTS, "wallet": {"id_card": "L1"}}
    assert offers_model.answered(matter, offers_model.held_sources(with_card))[1][
        "居民身份证"] == "wallet.id_card"
    assert [r["code"] for r in offers_model.judge(
        offers_model.ELDERLY, matter, {**FACTS, "level": 1}, TODAY)] == ["not_verified"]
    # a withdrawn application does not stand in the way; an open one does
    app = {"id": "MZ1", "matter": CODE, "matter_name": matter["name"]}
    assert offers_model.judge(offers_model.ELDERLY, matter, {
        **FACTS, "applications": [{**app, "status": "withdrawn"}]}, TODAY) == []
    assert [r["code"] for r in offers_model.judge(offers_model.ELDERLY, matter, {
        **FACTS, "applications": [{**app, "status": "returned"}]}, TODAY)] == ["already_applied"]
    assert [r["code"] for r in offers_model.judge(
        offers_model.ELDERLY, matter, {**FACTS, "registry.region": "440100"}, TODAY)] == [
        "not_local"]


def test_the_identity_fields_of_the_table_are_those_intake_fills_for_a_person():
    from functions.intake import model as intake_model

    person = intake_model.identity_answers(
        person={"name": "n", "id_number": "i", "phone": "p"}, org=None, agent=None)
    identity = {k for k, v in offers_model.FIELD_SOURCES.items() if v == offers_model.IDENTITY}
    assert identity <= set(person)
