"""Tokens: forgeries refused, a JWKS-only verifier elsewhere, key rotation, sessions."""
from __future__ import annotations

import base64
import dataclasses
import hashlib
import hmac
import json
import re
import time
import uuid
from datetime import timedelta

import jwt
import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from functions.core import keys
from tests.helpers import ok
from tests.identity.conftest import (
    ADMIN,
    assert_audited,
    audit_of,
    b64url_decode,
    bearer,
    claims_of,
    header_of,
    login,
    login_staff,
    made_up_citizen,
    new_client,
    person,
    refresh,
    register_citizen,
    set_cookies,
    tokens_of,
)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _segment(obj: dict) -> str:
    return _b64(json.dumps(obj, separators=(",", ":")).encode())


def assert_refused(resp, status: int = 401) -> dict:
    """A refusal in the error envelope."""
    body = ok(resp, status)
    assert set(body) == {"error"}, body
    assert body["error"]["code"] == {401: "unauthorized", 403: "forbidden"}[status]
    assert body["error"]["message"] and body["error"]["request_id"]
    return body


# ---- a verifier in another department's system: the JWKS and `cryptography`, nothing else ----

class Rejected(Exception):
    pass


def jwks_verify(jwks: dict, token: str, *, issuer: str, audience: str,
                now: float | None = None) -> dict:
    """Verify one of our access tokens knowing only the published JWKS."""
    try:
        head_b64, body_b64, sig_b64 = token.split(".")
        header = json.loads(b64url_decode(head_b64))
        claims = json.loads(b64url_decode(body_b64))
        raw = b64url_decode(sig_b64)
    except ValueError as err:
        raise Rejected("malformed") from err
    if header.get("alg") != "ES256":
        raise Rejected(f"alg {header.get('alg')}")
    jwk = next((k for k in jwks["keys"] if k["kid"] == header.get("kid")), None)
    if jwk is None:
        raise Rejected("unknown kid")
    assert (jwk["kty"], jwk["crv"], jwk["alg"], jwk["use"]) == ("EC", "P-256", "ES256", "sig")
    public = ec.EllipticCurvePublicNumbers(
        int.from_bytes(b64url_decode(jwk["x"]), "big"), int.from_bytes(b64url_decode(jwk["y"]),
                                                                       "big"),
        ec.SECP256R1()).public_key()
    if len(raw) != 64:
        raise Rejected("signature length")
    der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
    try:
        public.verify(der, f"{head_b64}.{body_b64}".encode(), ec.ECDSA(hashes.SHA256()))
    except InvalidSignature as err:
        raise Rejected("signature") from err
    if any(claim not in claims for claim in ("sub", "iat", "jti")):
        raise Rejected("missing claims")
    now = time.time() if now is None else now
    if not isinstance(claims.get("exp"), int) or claims["exp"] <= now:
        raise Rejected("expired")
    if claims.get("nbf", 0) > now:
        raise Rejected("not yet valid")
    if claims.get("iss") != issuer:
        raise Rejected("issuer")
    if claims.get("aud") != audience:
        raise Rejected("audience")
    return claims


def fetch_jwks(client) -> dict:
    resp = client.get("/.well-known/jwks.json")
    assert "public" in resp.headers["Cache-Control"]
    return ok(resp)


def public_pem(jwk: dict) -> bytes:
    public = ec.EllipticCurvePublicNumbers(int.from_bytes(b64url_decode(jwk["x"]), "big"),
                                           int.from_bytes(b64url_decode(jwk["y"]), "big"),
                                           ec.SECP256R1()).public_key()
    return public.public_bytes(serialization.Encoding.PEM,
                               serialization.PublicFormat.SubjectPublicKeyInfo)


# ---- forgeries -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def user(app):
    """One registered citizen whose real session the forgeries imitate."""
    client = new_client(app)
    tokens = register_citizen(client, person("赖志杰"))
    return {"tokens": tokens, "claims": claims_of(tokens["access_token"])}


def _fresh(claims: dict, **changes) -> dict:
    now = int(time.time())
    out = {**claims, "iat": now, "nbf": now, "exp": now + 300, "jti": uuid.uuid4().hex}
    out.update(changes)
    return {k: v for k, v in out.items() if v is not None}


def _es256(settings, claims: dict, *, key=None, kid: str | None = None) -> str:
    real_kid, real_key = keys.keyring(settings).signing()
    return jwt.encode(claims, key or real_key, algorithm="ES256",
                      headers={"kid": kid or real_kid})


def forge(kind: str, settings, client, claims: dict, valid: str) -> str:
    kid = keys.keyring(settings).signing()[0]
    now = int(time.time())
    if kind == "genuine":  # the same recipe, unforged: it must be accepted
        return _es256(settings, _fresh(claims))
    if kind == "alg_none":
        return f"{_segment({'alg': 'none', 'typ': 'JWT', 'kid': kid})}." \
               f"{_segment(_fresh(claims))}."
    if kind == "hs256_with_public_key":
        jwk = next(k for k in fetch_jwks(client)["keys"] if k["kid"] == kid)
        signing_input = f"{_segment({'alg': 'HS256', 'typ': 'JWT', 'kid': kid})}." \
                        f"{_segment(_fresh(claims))}"
        mac = hmac.new(public_pem(jwk), signing_input.encode(), hashlib.sha256).digest()
        return f"{signing_input}.{_b64(mac)}"
    if kind == "unknown_kid":
        return _es256(settings, _fresh(claims), key=ec.generate_private_key(ec.SECP256R1()),
                      kid="20200101-deadbeef")
    if kind == "unknown_kid_real_key":
        return _es256(settings, _fresh(claims), kid="20200101-0badf00d")
    if kind == "foreign_key_real_kid":
        return _es256(settings, _fresh(claims), key=ec.generate_private_key(ec.SECP256R1()))
    if kind == "no_kid":
        return jwt.encode(_fresh(claims), keys.keyring(settings).signing()[1], algorithm="ES256")
    if kind == "expired":
        return _es256(settings, _fresh(claims, iat=now - 900, nbf=now - 900, exp=now - 5))
    if kind == "not_yet_valid":
        return _es256(settings, _fresh(claims, nbf=now + 600))
    if kind == "wrong_aud":
        return _es256(settings, _fresh(claims, aud="another-system"))
    if kind == "wrong_iss":
        return _es256(settings, _fresh(claims, iss="https://evil.example.com"))
    if kind == "tampered":  # a real signature, over a different payload
        head, _, sig = valid.split(".")
        return f"{head}.{_segment({**claims_of(valid), 'lvl': 3, 'roles': ['admin']})}.{sig}"
    if kind == "missing_jti":
        return _es256(settings, _fresh(claims, jti=None))
    if kind == "missing_exp":
        return _es256(settings, _fresh(claims, exp=None))
    raise AssertionError(kind)


FORGERIES = ["alg_none", "hs256_with_public_key", "unknown_kid", "unknown_kid_real_key",
             "foreign_key_real_kid", "no_kid", "expired", "not_yet_valid", "wrong_aud",
             "wrong_iss", "tampered", "missing_jti", "missing_exp"]


def test_the_forging_recipe_itself_makes_acceptable_tokens(client, settings, user):
    token = forge("genuine", settings, client, user["claims"], user["tokens"]["access_token"])
    me = ok(client.get("/api/v1/me", headers=bearer(token)))
    assert me["id"] == user["claims"]["sub"]


@pytest.mark.parametrize("kind", FORGERIES)
def test_forged_tokens_are_refused(client, settings, user, kind):
    token = forge(kind, settings, client, user["claims"], user["tokens"]["access_token"])
    assert_refused(client.get("/api/v1/me", headers=bearer(token)))
    # ... also where no token is needed: a bad token is never quietly ignored
    assert_refused(client.get("/api/v1/themes", headers=bearer(token)))
    # ... and the other department's verifier agrees
    with pytest.raises(Rejected):
        jwks_verify(fetch_jwks(client), token, issuer=settings.jwt_issuer,
                    audience=settings.jwt_audience)


def test_no_token_and_a_malformed_token_are_refused(client):
    resp = client.get("/api/v1/me")
    assert_refused(resp)
    assert resp.headers["WWW-Authenticate"] == "Bearer"
    assert_refused(client.get("/api/v1/me", headers={"Authorization": "Bearer not.a.token"}))


# ---- the JWKS is enough to verify our tokens --------------------------------------------------

def test_another_department_verifies_our_tokens_with_the_jwks_alone(client, settings, user):
    access = user["tokens"]["access_token"]
    jwks = fetch_jwks(client)
    claims = jwks_verify(jwks, access, issuer=settings.jwt_issuer,
                         audience=settings.jwt_audience)
    assert claims["sub"] == user["claims"]["sub"] and claims["lvl"] == 2
    assert header_of(access)["kid"] in {k["kid"] for k in jwks["keys"]}
    # the verifier is not a rubber stamp: its own checks refuse what they should
    with pytest.raises(Rejected, match="expired"):
        jwks_verify(jwks, access, issuer=settings.jwt_issuer, audience=settings.jwt_audience,
                    now=claims["exp"] + 1)
    with pytest.raises(Rejected, match="audience"):
        jwks_verify(jwks, access, issuer=settings.jwt_issuer, audience="someone-else")
    with pytest.raises(Rejected, match="issuer"):
        jwks_verify(jwks, access, issuer="https://other.example", audience=settings.jwt_audience)
    # public members only (a substring check of the JSON would trip on a random "x" or kid)
    for key in jwks["keys"]:
        assert set(key) <= {"kty", "crv", "x", "y", "kid", "use", "alg"}, sorted(key)
        assert "PRIVATE" not in json.dumps(key)


def test_key_rotation_keeps_old_tokens_valid_until_the_retired_key_drops_out(
        app, long_app, settings, travel):
    client, later = new_client(app), new_client(long_app)
    citizen = register_citizen(client, person("钟慧"))
    old = citizen["access_token"]
    old_kid = header_of(old)["kid"]
    before = {k["kid"] for k in fetch_jwks(client)["keys"]}
    assert old_kid in before and len(before) >= 2  # the next key is published ahead of use

    admin = login_staff(client, ADMIN)
    assert_refused(client.post("/api/v1/admin/keys/rotate", headers=bearer(citizen)), 403)
    rotated = ok(client.post("/api/v1/admin/keys/rotate", headers=bearer(admin)))
    after = {k["kid"] for k in fetch_jwks(client)["keys"]}
    assert after == {k["kid"] for k in rotated["keys"]}
    assert old_kid in after  # retired, still published: tokens it signed still verify
    ok(client.get("/api/v1/me", headers=bearer(old)))
    jwks_verify(fetch_jwks(client), old, issuer=settings.jwt_issuer,
                audience=settings.jwt_audience)

    fresh = ok(login(client, person("钟慧")["phone"]))["access_token"]
    new_kid = header_of(fresh)["kid"]
    assert new_kid != old_kid and new_kid in before and new_kid in after
    assert {old_kid, new_kid} <= after
    jwks_verify(fetch_jwks(client), fresh, issuer=settings.jwt_issuer,
                audience=settings.jwt_audience)
    admin_id = claims_of(admin["access_token"])["sub"]
    assert_audited(settings, admin_id, "keys.rotate", target=new_kid)

    # Two more rotations, the last past the overlap of the first retiree (but not the second's)
    admin = login_staff(later, ADMIN)  # signed with the new key
    travel(keys.RETIRED_OVERLAP / 3)
    ok(later.post("/api/v1/admin/keys/rotate", headers=bearer(admin)))
    travel(keys.RETIRED_OVERLAP + timedelta(minutes=10))
    final = {k["kid"] for k in ok(later.post("/api/v1/admin/keys/rotate",
                                             headers=bearer(admin)))["keys"]}
    assert old_kid not in final and new_kid in final and len(final) == 4
    assert final == {k["kid"] for k in fetch_jwks(later)["keys"]}
    assert_refused(later.get("/api/v1/me", headers=bearer(old)))  # its key is gone
    with pytest.raises(Rejected, match="unknown kid"):
        jwks_verify(fetch_jwks(later), old, issuer=settings.jwt_issuer,
                    audience=settings.jwt_audience)
    ok(later.get("/api/v1/me", headers=bearer(fresh)))  # its key is retired, not gone

    # Tokens minted now (as every other test does) carry the current signing key.
    current = keys.keyring(settings).signing()[0]
    assert current in final
    relogged = ok(login(later, person("钟慧")["phone"]))["access_token"]
    assert header_of(relogged)["kid"] == current


# ---- sessions ---------------------------------------------------------------------------------

def test_refresh_rotates_and_a_replayed_refresh_token_ends_the_family(long_app, settings,
                                                                       travel):
    client = new_client(long_app)
    tokens = register_citizen(client, person("杨婷"))
    sub = claims_of(tokens["access_token"])["sub"]
    sid = claims_of(tokens["access_token"])["sid"]
    first = tokens_of(refresh(client, tokens["refresh_token"]))
    assert first["refresh_token"] and first["refresh_token"] != tokens["refresh_token"]
    assert claims_of(first["access_token"])["sid"] == sid
    ok(client.get("/api/v1/me", headers=bearer(first)))
    assert_audited(settings, sub, "refresh", target=sid)

    # The spent token comes back after the grace of two tabs (stolen, or replayed): the
    # whole family is revoked.
    travel(timedelta(seconds=11))
    assert_refused(refresh(client, tokens["refresh_token"]))
    assert_refused(refresh(client, first["refresh_token"]))
    assert_refused(client.get("/api/v1/me", headers=bearer(first)))
    assert_refused(client.get("/api/v1/me", headers=bearer(tokens)))
    assert_audited(settings, sub, "refresh.reuse", "revoked", target=sid)
    # a fresh login starts a new, unrelated session
    again = ok(login(client, person("杨婷")["phone"]))
    assert claims_of(again["access_token"])["sid"] != sid
    ok(client.get("/api/v1/me", headers=bearer(again)))


def test_two_tabs_refreshing_at_once_are_no_replay(long_app, settings, travel):
    """Both tabs send the cookie they share; the second arrives after the first rotated it.
    Within the grace it gets an access token and no cookie (the jar keeps the successor)."""
    client = new_client(long_app)
    tokens = register_citizen(client, made_up_citizen(0))
    sid, sub = (claims_of(tokens["access_token"])[k] for k in ("sid", "sub"))
    tab_a = tokens_of(refresh(client, tokens["refresh_token"]))
    travel(timedelta(seconds=9))
    late = refresh(client, tokens["refresh_token"])
    tab_b = tokens_of(late)
    assert tab_b["refresh_token"] is None and not set_cookies(late)
    assert claims_of(tab_b["access_token"])["sid"] == sid
    ok(client.get("/api/v1/me", headers=bearer(tab_b)))
    assert_audited(settings, sub, "refresh.grace", target=sid)
    # The successor the first tab set goes on rotating for both.
    nxt = tokens_of(refresh(client, tab_a["refresh_token"]))
    assert nxt["refresh_token"] not in (None, tab_a["refresh_token"])
    ok(client.get("/api/v1/me", headers=bearer(nxt)))
    assert not [r for r in audit_of(settings, sub) if r["action"] == "refresh.reuse"]


def test_the_refresh_token_travels_in_a_strict_http_only_cookie(client):
    resp = client.post("/api/v1/auth/register", json=_fresh_registration(client, 1))
    cookies = set_cookies(resp)
    value, attrs = cookies["__Secure-hall_rt"]
    assert len(value) >= 40 and "refresh_token" not in resp.get_json()
    assert {"httponly", "secure", "samesite=strict", "path=/api/v1/auth"} <= set(attrs)
    assert not [a for a in attrs if a.startswith(("max-age", "expires", "domain"))]
    # The marker tells the scripts of any tab that a session may be there; no secret in it.
    marker, marker_attrs = cookies["__Secure-hall_in"]
    assert marker == "1" and "httponly" not in marker_attrs
    assert {"secure", "samesite=strict", "path=/"} <= set(marker_attrs)
    # No cookie, no refresh.
    assert_refused(client.post("/api/v1/auth/refresh"))


def _fresh_registration(client, n: int) -> dict:
    from tests.identity.conftest import registration, send_code

    p = made_up_citizen(n)
    return registration(p, send_code(client, p["phone"]))


def test_unknown_refresh_token_is_refused(client):
    assert_refused(refresh(client, "x" * 43))


def test_logout_revokes_the_access_and_the_refresh_token(client, settings):
    tokens = register_citizen(client, person("古一"))
    claims = claims_of(tokens["access_token"])
    ok(client.get("/api/v1/me", headers=bearer(tokens)))
    resp = client.post("/api/v1/auth/logout", headers=bearer(tokens))
    assert resp.status_code == 204
    # Logging out clears both cookies.
    cleared = set_cookies(resp)
    for name, path in (("__Secure-hall_rt", "path=/api/v1/auth"), ("__Secure-hall_in", "path=/")):
        value, attrs = cleared[name]
        assert value in ("", '""') and path in attrs
        assert any(a == "max-age=0" or a.startswith("expires=thu, 01 jan 1970") for a in attrs)
    assert_refused(client.get("/api/v1/me", headers=bearer(tokens)))
    assert_refused(refresh(client, tokens["refresh_token"]))
    assert_audited(settings, claims["sub"], "logout", target=claims["sid"])


@pytest.fixture(scope="module")
def short_app(settings):
    """Sessions that idle out after 10 minutes and end after 30."""
    from functions.app import create_app

    app = create_app(dataclasses.replace(settings, idle_seconds=600, session_seconds=1800))
    app.config["TESTING"] = True
    return app


def test_an_idle_session_is_refused(short_app, travel):
    client = new_client(short_app)
    tokens = register_citizen(client, person("陈荣荣"))
    travel(timedelta(seconds=540))
    ok(client.get("/api/v1/me", headers=bearer(tokens)))
    travel(timedelta(seconds=601))
    assert_refused(client.get("/api/v1/me", headers=bearer(tokens)))
    assert_refused(refresh(client, tokens["refresh_token"]))


def test_a_session_ends_after_its_absolute_lifetime_however_busy(short_app, travel):
    client = new_client(short_app)
    tokens = register_citizen(client, person("曾家晨"))
    for minutes in (8, 16, 24):  # refreshed every 8 minutes: never idle
        travel(timedelta(minutes=minutes))
        tokens = tokens_of(refresh(client, tokens["refresh_token"]))
    travel(timedelta(minutes=29))
    ok(client.get("/api/v1/me", headers=bearer(tokens)))
    travel(timedelta(minutes=30, seconds=1))
    assert_refused(client.get("/api/v1/me", headers=bearer(tokens)))
    assert_refused(refresh(client, tokens["refresh_token"]))


# ---- refresh: a replay is not a busy store, and a vanished session is not a crash -------------

def _refresh(client, token: str):
    return refresh(client, token)


def _fail_refresh_writes_once(monkeypatch, settings, error) -> list:
    """Make the next refresh rotation's transaction fail with `error` (a botocore ClientError
    as boto3 raises it), as a throttled DynamoDB would; every other call goes through."""
    from functions.core import aws

    ddb = aws.client("dynamodb", settings)
    real, hits = ddb.transact_write_items, []

    def flaky(**kwargs):
        rotating = any(op.get("Update", {}).get("Key", {}).get("pk", {}).get("S", "")
                       .startswith("REFRESH#") for op in kwargs["TransactItems"])
        if rotating and not hits:
            hits.append(kwargs)
            raise error
        return real(**kwargs)

    monkeypatch.setattr(ddb, "transact_write_items", flaky)
    return hits


def _client_error(code: str, reasons: list[str] | None = None, status: int = 400):
    from botocore.exceptions import ClientError

    response = {"Error": {"Code": code, "Message": code},
                "ResponseMetadata": {"HTTPStatusCode": status}}
    if reasons is not None:
        response["CancellationReasons"] = [{"Code": r} for r in reasons]
    return ClientError(response, "TransactWriteItems")


@pytest.mark.parametrize(("name", "code", "reasons"), [
    ("刘丽萍", "ThrottlingException", None),
    ("罗浩贵", "ProvisionedThroughputExceededException", None),
    ("曾欣", "TransactionCanceledException", ["ThrottlingError", "None", "None", "None"]),
    ("黄思永", "TransactionCanceledException", ["None", "None", "TransactionConflict", "None"]),
], ids=["throttled", "throughput", "cancelled-throttled", "cancelled-conflict"])
def test_a_throttled_refresh_is_a_503_that_ends_nothing(app, settings, monkeypatch, name, code,
                                                        reasons):
    """Rotation used to take any failed transaction for a replay, and end the session."""
    client = new_client(app)
    tokens = register_citizen(client, person(name))
    hits = _fail_refresh_writes_once(monkeypatch, settings, _client_error(code, reasons))
    resp = _refresh(client, tokens["refresh_token"])
    assert ok(resp, 503)["error"]["code"] == "unavailable" and hits
    assert int(resp.headers["Retry-After"]) >= 1
    ok(client.get("/api/v1/me", headers=bearer(tokens)))  # the session lives on
    again = ok(_refresh(client, tokens["refresh_token"]))  # and the same token still works
    assert claims_of(again["access_token"])["sid"] == claims_of(tokens["access_token"])["sid"]
    sub = claims_of(tokens["access_token"])["sub"]
    assert not [r for r in audit_of(settings, sub) if r["action"] == "refresh.reuse"]


def test_a_refresh_whose_session_item_is_gone_is_a_401(client, settings):
    """moto never expires TTL items: delete the session as the TTL sweep would. It was a 500."""
    from functions.core import aws

    tokens = register_citizen(client, person("谢福"))
    sid = claims_of(tokens["access_token"])["sid"]
    aws.client("dynamodb", settings).delete_item(
        TableName=settings.table_name, Key={"pk": {"S": f"SESSION#{sid}"}, "sk": {"S": "S"}})
    assert_refused(_refresh(client, tokens["refresh_token"]))
    assert_refused(client.get("/api/v1/me", headers=bearer(tokens)))


def test_a_refresh_of_a_revoked_session_is_a_401(client, settings):
    tokens = register_citizen(client, person("叶晨一"))
    assert client.post("/api/v1/auth/logout", headers=bearer(tokens)).status_code == 204
    assert_refused(_refresh(client, tokens["refresh_token"]))


# ---- sessions are never skipped -------------------------------------------------------------

def test_a_token_without_a_session_is_refused(client, settings, user):
    from functions.core.auth import sign

    claims = {k: v for k, v in user["claims"].items()
              if k in ("sub", "kind", "lvl", "roles")}  # everything but the sid
    assert_refused(client.get("/api/v1/me", headers=bearer(sign(settings, claims))))
    assert_refused(client.get("/api/v1/me", headers=bearer(sign(settings, {**claims, "sid": ""}))))


def _every_route(app):
    """(method, url) of every route, path parameters filled with something plausible."""
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        url = rule.rule
        for name in rule.arguments:
            url = url.replace(f"<{name}>", "x").replace(f"<string:{name}>", "x")
        url = re.sub(r"<[^>]+>", "x", url)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield method, url


def test_a_revoked_session_is_refused_on_every_route(app, settings, token):
    """Public reads, personal data, officer and admin routes of every room: the session is
    checked on each, however the token was made."""
    from functions.identity.store import sessions

    client = new_client(app)
    headers = token("admin", "officer", "supervisor", "catalogue_admin", "window",
                    subject="revoked-everywhere", department="SCJGJ", region="441400")
    ok(client.get("/api/v1/audit", headers=headers,
                  query_string={"day": "2026-01-01", "limit": 1}))  # live: it works
    sid = claims_of(headers["Authorization"][7:])["sid"]
    sessions.revoke_session(settings, sid, audit={
        "actor": "test", "action": "logout", "target": sid, "result": "ok",
        "request_id": None, "at": "2026-01-01T00:00:00+08:00"})
    routes = list(_every_route(app))
    assert len(routes) > 50
    for method, url in routes:
        resp = client.open(url, method=method, headers=headers, json={})
        assert resp.status_code == 401, (method, url, resp.status_code)


def test_acting_for_someone_whose_grant_was_revoked_is_refused_everywhere(app):
    """The grant is checked on every request that acts for someone, in every room."""
    from tests.identity.test_grants import in_days, switch

    client = new_client(app)
    rep = register_citizen(client, person("钟英家"))
    helper_p = person("廖娟")  # authorised by 钟英家 (family) for one matter
    helper = register_citizen(client, helper_p)
    family = {"grantor": "self", "grantee_phone": helper_p["phone"],
              "matters": ["441400-WJJ-0001"], "expires": in_days(30)}
    gid = ok(client.post("/api/v1/grants", json=family, headers=bearer(rep)), 201)["id"]
    ok(client.post(f"/api/v1/grants/{gid}/accept", headers=bearer(helper)))
    acting = ok(switch(client, helper, {"kind": "person", "id": rep["account"]["id"]}))
    for url in ("/api/v1/me", "/api/v1/grants", "/api/v1/applications", "/api/v1/themes"):
        assert client.get(url, headers=bearer(acting)).status_code == 200, url
    ok(client.post(f"/api/v1/grants/{gid}/revoke", headers=bearer(rep)))
    for method, url in [("GET", "/api/v1/me"), ("GET", "/api/v1/grants"),
                        ("GET", "/api/v1/applications"), ("GET", "/api/v1/wallet"),
                        ("GET", "/api/v1/matters/441400-WJJ-0001/eligibility"),
                        ("POST", "/api/v1/applications"), ("GET", "/api/v1/themes"),
                        ("POST", "/api/v1/auth/switch")]:
        resp = client.open(url, method=method, headers=bearer(acting), json={})
        assert_refused(resp, 403)
