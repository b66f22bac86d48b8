"""E-licences: types, issue, the wallet, public verification and QR, offline signatures,
revocation, expiry, sharing with consent and the usage log."""
from __future__ import annotations

import io
import json
import re
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from tests.helpers import ok
from tests.licences.factories import (
    MZJ_MEIJIANG,
    assert_audited,
    b64url,
    citizen_token,
    inbox,
    issue,
    make_citizen,
    make_enterprise,
    officer,
    person,
    staff,
)

ROOT = Path(__file__).resolve().parents[2]
SEED_MATTERS = json.loads((ROOT / "infra" / "seed" / "matters.json").read_text(encoding="utf-8"))
BIRTH_MATTER = "441400-WJJ-0001"      # 出生医学证明首次签发: uses marriage_cert, asks id_number
PROPERTY_MATTER = "441400-BDCDJ-0003"  # 二手房转移登记: uses marriage_cert, no id_number field


@pytest.fixture(scope="module")
def zhang(settings):
    return make_citizen(settings, "张晓丰")


@pytest.fixture(scope="module")
def other(settings):
    return make_citizen(settings, "李四")


# ---- the types: issue list and use list ------------------------------------------------------

def test_types_name_real_departments_and_matters_and_cover_every_material():
    from functions.hall import model as hall_model
    from functions.licences import model

    types = model.licence_types()
    matters = {m["code"]: m for m in SEED_MATTERS}
    departments = hall_model.by_code("departments")
    assert len(types) >= 16
    assert len({t["short"] for t in types.values()}) == len(types)
    for t in types.values():
        assert t["issuer_department"] in departments, t["code"]
        assert t["holder"] in model.HOLDER_KINDS
        names = [f["name"] for f in t["fields"]]
        assert set(model.IDENTITY_FIELDS[t["holder"]]) <= set(names), t["code"]
        assert set(t["shareable_fields"]) <= set(names), t["code"]
        for code in t["issued_by_matters"]:
            assert code in matters, (t["code"], code)
            # a type is issued by the department that handles the matter
            assert matters[code]["department"] == t["issuer_department"], (t["code"], code)
        # a type nobody in the hall issues says who does
        assert t["issued_by_matters"] or t.get("note"), t["code"]

    uses = model.use_list(SEED_MATTERS)
    issues = model.issue_list()
    assert set(uses) <= set(types)  # every licence_type a material names exists
    assert uses["marriage_cert"] and issues["marriage_cert"] and issues["business_licence"]
    assert "441400-MZJ-0002" in issues["marriage_cert"]  # 结婚登记 issues the 结婚证
    assert "441400-SCJGJ-0018" in issues["food_licence"]  # 食品经营许可
    assert BIRTH_MATTER in uses["marriage_cert"]
    assert model.types_issued_by("441400-SCJGJ-0021") == ["business_licence"]


def test_the_types_endpoint_is_public_and_lists_both_lists(client):
    items = {t["code"]: t for t in ok(client.get("/api/v1/licences/types"))["items"]}
    assert BIRTH_MATTER in items["marriage_cert"]["used_by"]
    assert "441400-MZJ-0002" in items["marriage_cert"]["issued_by"]


# ---- issue, wallet, public verification, offline signature -----------------------------------

def test_issue_wallet_verify_qr_and_an_offline_signature_check(client, token, settings, zhang):
    import segno
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    lic = issue(client, token, zhang["id"])
    assert re.fullmatch(r"[0-9a-f]{32}", lic["id"])
    assert re.fullmatch(r"MZ\d{4}JHZ\d{10}", lic["number"])
    assert lic["status"] == "valid" and lic["expires"] is None  # a marriage does not lapse
    assert lic["issuer"] == "梅江区民政局"
    rows = {r["name"]: r["value"] for r in lic["fields"]}
    assert rows["holder_name"] == "张晓丰"  # filled from the verified identity
    assert rows["id_number"] == zhang["id_number"][:6] + "********" + zhang["id_number"][-4:]
    assert rows["spouse_id_number"] == "441402********1234" and rows["spouse_name"] == "王*玲"
    assert zhang["id_number"] not in json.dumps(lic)

    # the holder's wallet and the full licence
    mine = citizen_token(token, zhang)
    listed = ok(client.get("/api/v1/wallet", headers=mine))
    assert listed["holder_kind"] == "person"
    assert [i["id"] for i in listed["items"]].count(lic["id"]) == 1
    full = ok(client.get(f"/api/v1/wallet/{lic['id']}", headers=mine))
    assert full["signed"] == lic["signed"] and full["alg"] == "EdDSA"
    assert full["verify_url"].endswith(f"/verify/{lic['id']}")

    # anyone, without a token: validity and a masked holder only
    resp = client.get(f"/api/v1/verify/{lic['id']}")
    public = ok(resp)
    assert resp.headers["Cache-Control"] == "no-cache"
    assert public["status"] == "valid" and public["signature_valid"] is True
    assert public["holder"] == "张*丰" and public["type_name"] == "结婚证"
    text = resp.get_data(as_text=True)
    for secret in ("张晓丰", zhang["id_number"], zhang["id_number"][-4:], "王美玲", zhang["id"]):
        assert secret not in text
    # what it licenses, the holder masked (name masked, their ID number left out)
    assert {r["name"]: r["value"] for r in public["fields"]} == {
        "holder_name": "张*丰", "spouse_name": "王*玲", "spouse_id_number": "441402********1234",
        "registered_on": "2026-05-20"}

    # the QR code is exactly segno's code of the verify URL and, after '#', the signed token
    # (tests/licences/test_licence_offline.py verifies that token with joserfc)
    assert full["qr_text"].startswith(f"http://localhost/verify/{lic['id']}#ey")
    resp = client.get(f"/api/v1/verify/{lic['id']}/qr.svg")
    assert resp.status_code == 200 and resp.mimetype == "image/svg+xml"
    assert resp.headers["Cache-Control"].startswith("public")
    expected = io.BytesIO()
    segno.make(full["qr_text"], error="m", mode="byte").save(
        expected, kind="svg", scale=4, border=4, xmldecl=False, title="扫码核验电子证照")
    assert resp.data == expected.getvalue() and resp.data.startswith(b"<svg")

    # a third party: the published key and `cryptography`, nothing of ours
    keys = ok(client.get("/api/v1/licences/keys"))["keys"]
    jwk = next(k for k in keys if k["kid"] == full["kid"])
    assert (jwk["kty"], jwk["crv"], jwk["alg"]) == ("OKP", "Ed25519", "EdDSA")
    public_key = Ed25519PublicKey.from_public_bytes(b64url(jwk["x"]))
    public_key.verify(b64url(full["signature"]), full["signed"].encode("utf-8"))
    payload = json.loads(full["signed"])
    assert payload["id"] == lic["id"] and payload["holder_mask"] == "张*丰"
    assert full["signed"] == json.dumps(payload, sort_keys=True, separators=(",", ":"),
                                        ensure_ascii=False)

    # tamper with one field: the signature no longer holds
    payload["fields"]["registered_on"] = "2020-01-01"
    forged = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    with pytest.raises(InvalidSignature):
        public_key.verify(b64url(full["signature"]), forged.encode("utf-8"))

    # the holder was told (the notice opens the licence inside the PWA's hash router), and
    # the issue is audited
    notes = [n for n in inbox(settings, zhang["id"]) if n["title"] == "电子证照已签发：结婚证"]
    assert f"/#/wallet/{lic['id']}" in [n["link"] for n in notes]
    assert_audited(settings, "officer-lic", "licence.issue", f"licence:{lic['id']}")


def test_a_tampered_stored_licence_verifies_as_invalid(client, token, settings, zhang):
    from functions.core import aws

    lic = issue(client, token, zhang["id"])
    payload = json.loads(lic["signed"])
    payload["fields"]["spouse_name"] = "赵*"
    forged = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    aws.client("dynamodb", settings).update_item(
        TableName=settings.table_name, Key={"pk": {"S": f"LICENCE#{lic['id']}"}, "sk": {"S": "L"}},
        UpdateExpression="SET signed = :s", ExpressionAttributeValues={":s": {"S": forged}})
    assert ok(client.get(f"/api/v1/verify/{lic['id']}"))["signature_valid"] is False


def test_keys_are_public_and_cacheable(client):
    resp = client.get("/api/v1/licences/keys")
    keys = ok(resp)["keys"]
    assert resp.headers["Cache-Control"] == "public, max-age=300"
    assert keys and all("d" not in k for k in keys)
    assert sum(k["status"] == "signing" for k in keys) == 1


def test_unknown_or_malformed_ids_are_404(client):
    for url in ("/api/v1/verify/" + "0" * 32, "/api/v1/verify/nothex",
                "/api/v1/verify/" + "0" * 32 + "/qr.svg"):
        assert client.get(url).status_code == 404


# ---- revocation --------------------------------------------------------------------------

def test_revoke_by_the_issuing_department_once(client, token, settings, zhang):
    lic = issue(client, token, zhang["id"])
    url = f"/api/v1/officer/licences/{lic['id']}/revoke"
    reason = {"reason": "登记时提供虚假材料，依法撤销"}
    # another department, and another county's office of the same department
    assert client.post(url, headers=officer(token, "GAJ"), json=reason).status_code == 403
    other_county = officer(token, "MZJ", "441403")
    assert client.post(url, headers=other_county, json=reason).status_code == 403
    assert client.post(url, headers=citizen_token(token, zhang), json=reason).status_code == 403

    done = ok(client.post(url, headers=officer(token, "MZJ", "441400", "mzj-city"), json=reason))
    assert done["status"] == "revoked"
    public = ok(client.get(f"/api/v1/verify/{lic['id']}"))
    assert public["status"] == "revoked" and public["revoked_at"] == done["revoked_at"]
    assert public["signature_valid"] is True  # genuine, but no longer in force
    wallet = ok(client.get("/api/v1/wallet", headers=citizen_token(token, zhang)))["items"]
    assert next(i for i in wallet if i["id"] == lic["id"])["status"] == "revoked"
    notes = [n for n in inbox(settings, zhang["id"]) if n["title"] == "电子证照已注销：结婚证"]
    assert notes and reason["reason"] in notes[-1]["body"]
    assert notes[-1]["link"] == f"/#/wallet/{lic['id']}"  # inside the PWA's hash router
    assert_audited(settings, "mzj-city", "licence.revoke", f"licence:{lic['id']}")

    again = client.post(url, headers=officer(token, **MZJ_MEIJIANG), json=reason)
    assert again.status_code == 409
    assert again.get_json()["error"]["details"]["status"] == "revoked"
    assert "revoked" in again.get_json()["error"]["message"]


# ---- only the holder ------------------------------------------------------------------------

def test_someone_elses_licence_is_not_found_on_every_wallet_route(client, token, zhang, other):
    lic = issue(client, token, zhang["id"])
    theirs = citizen_token(token, other)
    base = f"/api/v1/wallet/{lic['id']}"
    assert client.get(base, headers=theirs).status_code == 404
    assert client.get(f"{base}/usage", headers=theirs).status_code == 404
    resp = client.post(f"{base}/preview", headers=theirs, json={"matter": BIRTH_MATTER})
    assert resp.status_code == 404
    assert lic["id"] not in json.dumps(ok(client.get("/api/v1/wallet", headers=theirs)))
    assert client.get(base).status_code == 401
    # an officer is nobody's holder either
    assert client.get(base, headers=officer(token, "MZJ")).status_code == 404


# ---- consent: preview, share, usage ---------------------------------------------------------

def test_preview_shows_exactly_what_a_matter_gets_and_usage_follows_a_share(
        client, token, settings, zhang):
    from functions.core import store as core_store
    from functions.hall import store as hall_store

    lic = issue(client, token, zhang["id"])
    mine = citizen_token(token, zhang)
    offered = ok(client.get("/api/v1/wallet", headers=mine,
                            query_string={"matter": BIRTH_MATTER}))["items"]
    assert lic["id"] in [i["id"] for i in offered]
    assert all(i["type"] == "marriage_cert" for i in offered)

    url = f"/api/v1/wallet/{lic['id']}/preview"
    shown = ok(client.post(url, headers=mine, json={"matter": BIRTH_MATTER}))
    rows = {r["name"]: r for r in shown["fields"]}
    # the birth certificate form asks for the ID number: it goes in full; the spouse's ID
    # number is not shareable at all; the spouse's name goes masked
    assert list(rows) == ["holder_name", "id_number", "spouse_name", "registered_on"]
    assert rows["id_number"]["disclosure"] == "full"
    assert rows["id_number"]["value"].count("*") == 8  # never echoed in full, even to its owner
    assert rows["spouse_name"] == {"name": "spouse_name", "label": "配偶姓名",
                                   "value": "王*玲", "disclosure": "masked"}
    assert shown["matter_name"] == "出生医学证明首次签发"

    # a matter whose form has no ID number gets it masked
    other = ok(client.post(url, headers=mine, json={"matter": PROPERTY_MATTER}))
    assert {r["name"]: r["disclosure"] for r in other["fields"]}["id_number"] == "masked"
    # a matter that does not use this type: 422
    assert client.post(url, headers=mine, json={"matter": "441400-GJJ-0005"}).status_code == 422
    assert client.post(url, headers=mine, json={"matter": "441400-XXX-9999"}).status_code == 404

    # nothing used yet; then the holder consents in an application and it is shared
    assert ok(client.get(f"/api/v1/wallet/{lic['id']}/usage", headers=mine))["items"] == []
    matter = hall_store.current_catalogue(settings).matters[BIRTH_MATTER]
    entry, items = share(settings, zhang, lic["id"], matter)
    assert entry == {"kind": "licence", "licence_id": lic["id"], "licence_type": "marriage_cert",
                     "shared_fields": ["holder_name", "id_number", "registered_on",
                                       "spouse_name"], "at": entry["at"]}
    core_store.transact(settings, items)
    used = ok(client.get(f"/api/v1/wallet/{lic['id']}/usage", headers=mine))["items"]
    assert len(used) == 1
    assert used[0]["user"] == zhang["id"] and used[0]["application"] == "APP-1"
    assert used[0]["matter"] == BIRTH_MATTER and used[0]["matter_name"] == "出生医学证明首次签发"
    assert used[0]["fields"] == ["holder_name", "id_number", "spouse_name", "registered_on"]
    assert_audited(settings, zhang["id"], "licence.use", f"licence:{lic['id']}")


def share(settings, holder: dict, licence_id: str, matter: dict, **changes):
    from functions.core import clock
    from functions.licences import service

    args = {"licence_id": licence_id, "owner": f"person:{holder['id']}", "matter": matter,
            "slot": {"licence_type": "marriage_cert"}, "application_id": "APP-1",
            "consent": True, "now": clock.now(), **changes}
    return service.share_for_application(settings, person(holder), **args)


def test_sharing_needs_consent_the_holder_the_slot_s_type_and_a_licence_in_force(
        client, token, settings, zhang, other):
    from functions.core.errors import Conflict, NotFound, Unprocessable
    from functions.hall import store as hall_store

    lic = issue(client, token, zhang["id"])
    matter = hall_store.current_catalogue(settings).matters[BIRTH_MATTER]
    with pytest.raises(Unprocessable) as refused:
        share(settings, zhang, lic["id"], matter, consent=False)
    assert (refused.value.status, list(refused.value.details["fields"])) == (422, ["consent"])
    with pytest.raises(NotFound):  # someone else's licence, into their own application
        share(settings, other, lic["id"], matter, owner=f"person:{other['id']}")
    with pytest.raises(NotFound):
        share(settings, zhang, "not-an-id", matter)
    with pytest.raises(Unprocessable) as refused:
        share(settings, zhang, lic["id"], matter, slot={"licence_type": "id_card"})
    assert (refused.value.status, list(refused.value.details["fields"])) == (422, ["licence_id"])
    ok(client.post(f"/api/v1/officer/licences/{lic['id']}/revoke",
                   headers=officer(token, **MZJ_MEIJIANG), json={"reason": "换发新证"}))
    with pytest.raises(Conflict, match="revoked") as refused:
        share(settings, zhang, lic["id"], matter)
    assert refused.value.status == 409 and refused.value.details == {"status": "revoked"}


# ---- expiry ---------------------------------------------------------------------------------

def test_a_licence_past_its_expiry_shows_expired(client, token, settings, zhang):
    from functions.core import clock
    from functions.core.errors import Conflict
    from functions.licences import service

    issued = datetime(2020, 3, 1, 10, 0, tzinfo=clock.CHINA)
    licence = service.issue_at_counter(settings, staff("GAJ"), {
        "type": "residence_permit", "holder_kind": "person", "holder_id": zhang["id"],
        "fields": {"address": "梅州市梅江区江南路1号"}, "application": None},
        now=issued, base_url="http://localhost")
    assert licence["expires"] == "2021-03-01" and licence["status"] == "valid"
    lid = licence["id"]
    public = ok(client.get(f"/api/v1/verify/{lid}"))
    assert public["status"] == "expired" and public["signature_valid"] is True
    mine = citizen_token(token, zhang)
    listed = ok(client.get("/api/v1/wallet", headers=mine))["items"]
    assert next(i for i in listed if i["id"] == lid)["status"] == "expired"
    offered = ok(client.get("/api/v1/wallet", headers=mine,
                            query_string={"matter": "441400-JYJ-0001"}))["items"]
    assert lid not in [i["id"] for i in offered]  # an expired licence is not offered
    matter = {"code": "441400-JYJ-0001", "form_fields": [],
              "materials": [{"licence_type": "residence_permit"}]}
    with pytest.raises(Conflict, match="expired"):
        share(settings, zhang, lid, matter, slot={"licence_type": "residence_permit"},
              application_id=None)


# ---- enterprises ----------------------------------------------------------------------------

def test_an_enterprise_licence_is_in_the_enterprise_wallet(client, token, settings, other):
    ent = make_enterprise(settings, other)
    fields = {"legal_rep": "李四", "entity_type": "有限责任公司",
              "address": "梅州市梅江区彬芳大道1号"}
    lic = issue(client, token, ent["uscc"], type_="business_licence", holder_kind="enterprise",
                by=officer(token, "SCJGJ"), fields=fields)
    assert lic["holder_name"] == ent["name"]
    public = ok(client.get(f"/api/v1/verify/{lic['id']}"))
    assert public["holder"] == ent["name"]  # a company's name is public
    acting = citizen_token(token, other, act={"kind": "enterprise", "id": ent["uscc"],
                                              "role": "legal_rep"})
    items = ok(client.get("/api/v1/wallet", headers=acting))
    assert items["holder_kind"] == "enterprise" and lic["id"] in [i["id"] for i in items["items"]]
    ok(client.get(f"/api/v1/wallet/{lic['id']}", headers=acting))
    personal = ok(client.get("/api/v1/wallet", headers=citizen_token(token, other)))
    assert lic["id"] not in [i["id"] for i in personal["items"]]
    # The enterprise's own inbox hears of it (its staff read it by role), not the person's.
    told = ok(client.get("/api/v1/me/inbox", headers=acting))["items"]
    assert any(n["title"] == "电子证照已签发：营业执照" for n in told)
    assert not any(n["title"] == "电子证照已签发：营业执照" for n in inbox(settings, other["id"]))


# ---- bad input --------------------------------------------------------------------------------

def test_bad_issues_are_refused_with_the_field_named(client, token, zhang):
    def fields_of(resp):
        assert resp.status_code == 422, resp.get_data(as_text=True)
        return resp.get_json()["error"]["details"]["fields"]

    assert "type" in fields_of(client.post("/api/v1/officer/licences",
                                           headers=officer(token, "MZJ"), json={
        "type": "unicorn_permit", "holder_kind": "person", "holder_id": zhang["id"]}))
    resp = issue(client, token, zhang["id"], by=officer(token, "GAJ"), status=403)
    assert "MZJ" in resp["error"]["message"]
    citizen = citizen_token(token, zhang)
    assert issue(client, token, zhang["id"], by=citizen, status=403)
    assert "holder_kind" in fields_of(client.post(
        "/api/v1/officer/licences", headers=officer(token, "MZJ"), json={
            "type": "marriage_cert", "holder_kind": "enterprise", "holder_id": "9" * 18}))
    assert "holder_id" in issue(client, token, "e" * 32, status=422)["error"]["details"]["fields"]
    assert "fields" in issue(client, token, zhang["id"], fields={"colour": "red"},
                             status=422)["error"]["details"]["fields"]
    assert "fields" in issue(client, token, zhang["id"], fields={"id_number": "1"},
                             status=422)["error"]["details"]["fields"]


def test_one_application_issues_one_licence(client, token, zhang):
    first = issue(client, token, zhang["id"], application="MZ-APP-0001")
    again = issue(client, token, zhang["id"], application="MZ-APP-0001", status=409)
    assert again["error"]["code"] == "conflict"
    assert issue(client, token, zhang["id"], application="MZ-APP-0002")["id"] != first["id"]


# ---- the contract ---------------------------------------------------------------------------

def test_the_contract_lists_the_types_and_names_the_endpoints(app):
    from functions.core.auth import public_endpoints
    from functions.licences import model
    from tests.helpers import SPEC as spec

    assert spec["components"]["schemas"]["LicenceTypeCode"]["enum"] == list(model.licence_types())
    ours = {rule.endpoint.split(".")[-1]: rule.endpoint for rule in app.url_map.iter_rules()
            if rule.endpoint.startswith("licences.")}
    frag_ops = {op["operationId"]: op for path, item in spec["paths"].items()
                for method, op in item.items() if method in ("get", "post", "put", "delete")
                and op.get("tags", [None])[0] == "licences"}
    assert set(frag_ops) == set(ours)
    public = {ours[name] for name, op in frag_ops.items() if not op.get("security")}
    assert public == {e for e in public_endpoints(app) if e.startswith("licences.")}


def test_licence_responses_validate_against_the_contract(client, token, settings, zhang):
    import jsonschema

    from tests.helpers import SPEC as spec

    def check(ref: str, data) -> None:
        jsonschema.Draft202012Validator({**spec, "$ref": f"#/components/schemas/{ref}"}) \
            .validate(data)

    lic = issue(client, token, zhang["id"])
    check("Licence", lic)
    mine = citizen_token(token, zhang)
    check("Wallet", ok(client.get("/api/v1/wallet", headers=mine)))
    check("Licence", ok(client.get(f"/api/v1/wallet/{lic['id']}", headers=mine)))
    check("LicenceUsage", ok(client.get(f"/api/v1/wallet/{lic['id']}/usage", headers=mine)))
    check("SharePreview", ok(client.post(f"/api/v1/wallet/{lic['id']}/preview", headers=mine,
                                         json={"matter": BIRTH_MATTER})))
    check("LicenceVerification", ok(client.get(f"/api/v1/verify/{lic['id']}")))
    check("LicenceKeys", ok(client.get("/api/v1/licences/keys")))
    check("LicenceTypeList", ok(client.get("/api/v1/licences/types")))
    check("LicenceRevoked", ok(client.post(f"/api/v1/officer/licences/{lic['id']}/revoke",
                                           headers=officer(token, **MZJ_MEIJIANG),
                                           json={"reason": "换发新证"})))


# ---- issue in sync with an approval ----------------------------------------------------------

def test_an_approval_issues_in_its_own_transaction_once(client, token, settings, zhang):
    from botocore.exceptions import ClientError

    from functions.core import aws, clock
    from functions.core import store as core_store
    from functions.licences import model, service

    assert model.types_issued_by("441402-MZJ-0001") == ["marriage_cert"]
    form = {"applicant_name": "假名字", "id_number": "441402199001011234", "partner_name": "王美玲",
            "registered_on": "2026-06-01", "phone": "19900550001"}
    app = {"id": "MZ20260601000001", "owner": f"person:{zhang['id']}",
           "matter": "441402-MZJ-0001", "region": "441402", "form": form}
    items, ids = service.issue_for_approval(settings, staff("MZJ", "441402"), app,
                                            now=clock.now())
    assert len(ids) == 1
    licence = core_store.ddb(settings).get_item(TableName=settings.table_name, Key={
        "pk": {"S": f"LICENCE#{ids[0]}"}, "sk": {"S": "L"}}).get("Item")
    assert licence is None  # nothing is written until the approval's transaction is
    approval = {"Put": {"TableName": settings.table_name, "Item": {
        "pk": {"S": "TEST#approval"}, "sk": {"S": ids[0]}}}}
    ddb = aws.client("dynamodb", settings)
    ddb.transact_write_items(TransactItems=[approval, *items])
    mine = citizen_token(token, zhang)
    full = ok(client.get(f"/api/v1/wallet/{ids[0]}", headers=mine))
    rows = {r["name"]: r["value"] for r in full["fields"]}
    # identity fields come from the verified holder, never from the form; the form's fields
    # fill the type's (partner_name -> spouse_name), the registration day is the approval's
    assert rows["holder_name"] == "张晓丰"
    assert rows["id_number"].endswith(zhang["id_number"][-4:])
    assert rows["spouse_name"] == "王*玲"
    assert rows["registered_on"] == clock.now().date().isoformat()
    assert set(rows) == {"holder_name", "id_number", "spouse_name", "registered_on"}
    assert full["issuer"] == "梅江区民政局" and full["application"] == app["id"]
    notes = [n for n in inbox(settings, zhang["id"]) if n["title"] == "电子证照已签发：结婚证"]
    assert notes[-1]["link"] == f"/#/wallet/{ids[0]}"
    assert_audited(settings, "officer-lic", "licence.issue", f"licence:{ids[0]}")
    # the same approval again (a retry) cannot issue a second licence
    again, again_ids = service.issue_for_approval(settings, staff("MZJ", "441402"), app,
                                                  now=clock.now())
    assert again_ids == ids
    with pytest.raises(ClientError, match="TransactionCanceled"):
        ddb.transact_write_items(TransactItems=again)


def test_an_approval_for_a_holder_who_is_not_there_is_a_rule_error(settings):
    from functions.core import clock
    from functions.core.errors import RuleError
    from functions.licences import service

    app = {"id": "MZ20260601000002", "owner": "person:" + "e" * 32,
           "matter": "441402-MZJ-0001", "region": "441402", "form": {}}
    with pytest.raises(RuleError) as refused:
        service.issue_for_approval(settings, staff("MZJ", "441402"), app, now=clock.now())
    assert refused.value.status == 422 and list(refused.value.details["fields"]) == ["holder_id"]


def test_acting_for_a_family_member_shows_only_what_a_granted_matter_uses(
        client, token, settings, zhang, other):
    lic = issue(client, token, zhang["id"])
    grant = ok(client.post("/api/v1/grants", headers=citizen_token(token, zhang), json={
        "grantor": "self", "grantee_phone": other["phone"], "matters": [BIRTH_MATTER],
        "expires": (date.today() + timedelta(days=30)).isoformat()}), 201)
    ok(client.post(f"/api/v1/grants/{grant['id']}/accept", headers=citizen_token(token, other)))
    helper = citizen_token(token, other, act={"kind": "person", "id": zhang["id"],
                                              "matters": [BIRTH_MATTER], "role": "family"})
    assert client.get("/api/v1/wallet", headers=helper).status_code == 403
    assert client.get(f"/api/v1/wallet/{lic['id']}", headers=helper).status_code == 403
    assert client.get(f"/api/v1/wallet/{lic['id']}/usage", headers=helper).status_code == 403
    offered = ok(client.get("/api/v1/wallet", headers=helper,
                            query_string={"matter": BIRTH_MATTER}))["items"]
    assert lic["id"] in [i["id"] for i in offered]
    ok(client.post(f"/api/v1/wallet/{lic['id']}/preview", headers=helper,
                   json={"matter": BIRTH_MATTER}))
    resp = client.post(f"/api/v1/wallet/{lic['id']}/preview", headers=helper,
                       json={"matter": PROPERTY_MATTER})
    assert resp.status_code == 403
