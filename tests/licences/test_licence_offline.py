"""Offline verification by anyone: the QR's signed token and the signed revocation list are
checked here with joserfc and the published JWKS alone, never with the code that signs."""
from __future__ import annotations

import json
import time
from datetime import datetime, timedelta

import pytest
from joserfc import jwt
from joserfc.errors import BadSignatureError, ExpiredTokenError
from joserfc.jwk import KeySet

from tests.helpers import ok
from tests.licences.factories import (
    MZJ_MEIJIANG,
    citizen_token,
    issue,
    make_citizen,
    make_enterprise,
    officer,
    staff,
)

# joserfc names the algorithm both ways (RFC 8037's EdDSA, RFC 9864's Ed25519).
ALGS = ["EdDSA", "Ed25519"]


@pytest.fixture(scope="module")
def holder(settings):
    return make_citizen(settings, "钟晓云")


def published_keys(client) -> KeySet:
    """The JWKS as any verifier gets it: GET /api/v1/licences/keys, nothing else."""
    return KeySet.import_key_set(ok(client.get("/api/v1/licences/keys")))


def token_of(qr_text: str) -> str:
    url, _, token = qr_text.partition("#")
    assert url.startswith("http") and token
    return token


def verified(token: str, keyset: KeySet) -> dict:
    """Verify as a counter would: signature by the key the header names, then iss and exp."""
    with _quiet():
        decoded = jwt.decode(token, keyset, algorithms=ALGS)
    jwt.JWTClaimsRegistry(iss={"essential": True, "value": "mz-hall"},
                          sub={"essential": True}).validate(decoded.claims)
    return {"header": decoded.header, "claims": decoded.claims}


class _quiet:
    """joserfc warns that EdDSA is a deprecated name; the published keys say EdDSA (RFC 8037)."""

    def __enter__(self):
        import warnings

        self._w = warnings.catch_warnings()
        self._w.__enter__()
        warnings.simplefilter("ignore")

    def __exit__(self, *exc):
        return self._w.__exit__(*exc)


def test_a_qr_token_verifies_with_joserfc_and_the_published_keys_only(client, token, holder):
    lic = issue(client, token, holder["id"])
    full = ok(client.get(f"/api/v1/wallet/{lic['id']}", headers=citizen_token(token, holder)))
    got = verified(token_of(full["qr_text"]), published_keys(client))
    assert got["header"]["alg"] == "EdDSA" and got["header"]["kid"] == full["kid"]
    claims = got["claims"]
    assert claims["sub"] == lic["id"] and claims["lt"] == "marriage_cert"
    assert claims["no"] == lic["number"] and claims["h"] == "钟*云"
    assert claims["by"] == "MZJ/441402" and "exp" not in claims  # a marriage does not lapse
    # what it licenses, as the public check shows it: no holder name, no holder ID number
    assert claims["f"] == {"spouse_name": "王*玲", "spouse_id_number": "441402********1234",
                           "registered_on": "2026-05-20"}
    text = json.dumps(claims, ensure_ascii=False)
    assert holder["id_number"] not in text and "钟晓云" not in text and holder["id"] not in text


def test_a_forged_or_foreign_token_fails_the_same_verifier(client, token, holder):
    import base64

    from joserfc.jwk import OKPKey

    lic = issue(client, token, holder["id"])
    full = ok(client.get(f"/api/v1/wallet/{lic['id']}", headers=citizen_token(token, holder)))
    head, body, sig = token_of(full["qr_text"]).split(".")
    keyset = published_keys(client)
    claims = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    claims["f"]["spouse_name"] = "赵*"  # one field changed, the signature kept
    forged = base64.urlsafe_b64encode(json.dumps(claims, ensure_ascii=False).encode()) \
        .decode().rstrip("=")
    with _quiet(), pytest.raises(BadSignatureError):
        jwt.decode(f"{head}.{forged}.{sig}", keyset, algorithms=ALGS)
    # signed by a key that is not ours, under our kid: refused as well
    stranger = _quiet_serialize(claims, full["kid"], OKPKey.generate_key("Ed25519"))
    with _quiet(), pytest.raises(BadSignatureError):
        jwt.decode(stranger, keyset, algorithms=ALGS)


def _quiet_serialize(claims: dict, kid: str, key) -> str:
    with _quiet():
        return jwt.encode({"alg": "EdDSA", "kid": kid}, claims, key, algorithms=ALGS)


def test_an_expiring_licence_s_token_expires_with_it(client, settings, holder):
    from functions.core import clock
    from functions.licences import service

    issued = datetime(2020, 3, 1, 10, 0, tzinfo=clock.CHINA)
    lic = service.issue_at_counter(settings, staff("GAJ"), {
        "type": "residence_permit", "holder_kind": "person", "holder_id": holder["id"],
        "fields": {"address": "梅州市梅江区江南路1号"}, "application": None},
        now=issued, base_url="http://localhost")
    token = token_of(lic["qr_text"])
    with _quiet():
        decoded = jwt.decode(token, published_keys(client), algorithms=ALGS)
    # valid to the end of its expiry day in Beijing (2021-03-01 24:00 +08:00)
    assert decoded.claims["exp"] == int(datetime(2021, 3, 2, tzinfo=clock.CHINA).timestamp())
    assert decoded.claims["f"] == {"address": "梅州市梅江区****"}  # signed masked
    with pytest.raises(ExpiredTokenError):
        jwt.JWTClaimsRegistry().validate(decoded.claims)


def test_the_daily_revocation_list_is_signed_and_names_a_revoked_licence(
        client, token, settings, holder):
    from functions import workers

    lic = issue(client, token, holder["id"])
    kept = issue(client, token, holder["id"])
    ok(client.post(f"/api/v1/officer/licences/{lic['id']}/revoke",
                   headers=officer(token, **MZJ_MEIJIANG), json={"reason": "换发新证"}))
    workers.configure(settings)
    before = int(time.time())
    job = workers.publish_revocations({"detail-type": "Scheduled Event"}, None)
    assert lic["id"] in job["revoked"]

    resp = client.get("/api/v1/licences/revocations")  # public: no token
    listed = ok(resp)
    assert resp.headers["Cache-Control"] == "public, max-age=3600"
    assert listed["token"] == job["token"]
    with _quiet():
        decoded = jwt.decode(listed["token"], published_keys(client), algorithms=ALGS)
    assert decoded.header["typ"] == "mz-revocations+jwt" and decoded.header["kid"]
    claims = decoded.claims
    jwt.JWTClaimsRegistry(iss={"essential": True, "value": "mz-hall"}).validate(claims)
    assert lic["id"] in claims["revoked"] and kept["id"] not in claims["revoked"]
    assert claims["revoked"] == sorted(claims["revoked"]) == listed["revoked"]
    assert before - 1 <= claims["iat"] <= int(time.time()) + 1
    assert claims["next_update"] - claims["iat"] == 86400  # refreshed daily
    assert claims["exp"] - claims["iat"] == 2 * 86400
    assert datetime.fromisoformat(listed["next_update"]) - datetime.fromisoformat(
        listed["issued"]) == timedelta(days=1)
    assert listed["count"] == len(claims["revoked"])

    # an offline verifier puts the two together: the revoked licence's QR is refused
    full = ok(client.get(f"/api/v1/wallet/{lic['id']}", headers=citizen_token(token, holder)))
    assert verified(token_of(full["qr_text"]), published_keys(client))["claims"]["sub"] \
        in claims["revoked"]


def test_a_missing_or_overdue_list_is_built_when_asked(client, settings):
    from functions.core import aws, clock
    from functions.licences import service, store

    aws.client("dynamodb", settings).delete_item(
        TableName=settings.table_name,
        Key={"pk": {"S": store.LIST_KEY[0]}, "sk": {"S": store.LIST_KEY[1]}})
    fresh = ok(client.get("/api/v1/licences/revocations"))
    assert store.get_revocations(settings)["token"] == fresh["token"]
    # the job ran two days ago and never since: the route does not hand out the stale list
    old = service.publish_revocations(settings, now=clock.now() - timedelta(days=2))
    assert ok(client.get("/api/v1/licences/revocations"))["token"] != old["token"]


# ---- small enough for a cheap phone ----------------------------------------------------------

LONG = {
    "business_licence": {"entity_type": "有限责任公司", "registered_capital": "500",
                         "address": "广东省梅州市梅江区江南街道江南路18号客都大厦8楼801室",
                         "business_scope": "软件开发；信息技术咨询服务；数据处理和存储支持服务",
                         "established": "2018-03-15"},
    "food_licence": {"operator_type": "餐饮服务经营者", "premises": "梅州市梅江区江南路18号首层",
                     "business_items": "热食类食品制售"},
}


@pytest.mark.parametrize("type_", sorted(LONG))
def test_the_qr_of_a_full_licence_stays_small(client, token, settings, type_):
    """Among the largest licences: byte mode at error level M stays at QR version 20 (97
    modules a side) with a real domain in the URL, whatever the values; a business scope,
    and fields past the budget, are left to the online check (`more`)."""
    import segno

    rep = make_citizen(settings, "罗晓东")
    ent = make_enterprise(settings, rep)
    lic = issue(client, token, ent["uscc"], type_=type_, holder_kind="enterprise",
                by=officer(token, "SCJGJ"), fields=LONG[type_])
    text = lic["qr_text"].replace("http://localhost", "https://ywtb.meizhou.gov.cn")
    code = segno.make(text, error="m", mode="byte")
    assert len(text.encode()) <= 666 and code.version <= 20, (len(text.encode()), code.version)
    with _quiet():
        claims = jwt.decode(token_of(text), published_keys(client), algorithms=ALGS).claims
    assert claims["f"]["uscc"] == ent["uscc"] and "business_scope" not in claims["f"]
    assert set(claims["f"]) <= set(LONG[type_]) | {"uscc", "legal_rep"}
    if type_ == "business_licence":  # the address did not fit: the online check has it
        assert claims["more"] == 1 and "address" not in claims["f"]
    # the public check shows everything the token left out
    public = {r["name"] for r in ok(client.get(f"/api/v1/verify/{lic['id']}"))["fields"]}
    assert public >= set(claims["f"]) | set(LONG[type_])


def test_even_values_at_the_length_limit_keep_the_qr_at_version_20(client, token, settings):
    import segno

    rep = make_citizen(settings, "罗晓南")
    ent = make_enterprise(settings, rep)
    lic = issue(client, token, ent["uscc"], type_="business_licence", holder_kind="enterprise",
                by=officer(token, "SCJGJ"), fields={
                    "entity_type": "有" * 500, "address": "梅" * 500, "legal_rep": "张" * 500})
    text = lic["qr_text"].replace("http://localhost", "https://ywtb.meizhou.gov.cn")
    assert segno.make(text, error="m", mode="byte").version <= 20
    with _quiet():
        claims = jwt.decode(token_of(text), published_keys(client), algorithms=ALGS).claims
    assert claims["more"] == 1 and claims["sub"] == lic["id"]
