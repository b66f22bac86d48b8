"""Tokens: forgeries refused, a JWKS-only verifier elsewhere, key rotation, sessions."""
from __future__ import annotations

import base64
import dataclasses
import hashlib
import hmac
import json
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
    b64url_decode,
    bearer,
    claims_of,
    header_of,
    login,
    login_staff,
    new_client,
    person,
    register_citizen,
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
    no_private = json.dumps(jwks)
    assert all(field not in no_private for field in ('"d"', "PRIVATE", "pem"))


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

def test_refresh_rotates_and_a_replayed_refresh_token_ends_the_family(client, settings):
    tokens = register_citizen(client, person("杨婷"))
    sub = claims_of(tokens["access_token"])["sub"]
    sid = claims_of(tokens["access_token"])["sid"]
    first = ok(client.post("/api/v1/auth/refresh",
                           json={"refresh_token": tokens["refresh_token"]}))
    assert first["refresh_token"] != tokens["refresh_token"]
    assert claims_of(first["access_token"])["sid"] == sid
    ok(client.get("/api/v1/me", headers=bearer(first)))
    assert_audited(settings, sub, "refresh", target=sid)

    # The spent token comes back (stolen, or replayed): the whole family is revoked.
    assert_refused(client.post("/api/v1/auth/refresh",
                               json={"refresh_token": tokens["refresh_token"]}))
    assert_refused(client.post("/api/v1/auth/refresh",
                               json={"refresh_token": first["refresh_token"]}))
    assert_refused(client.get("/api/v1/me", headers=bearer(first)))
    assert_refused(client.get("/api/v1/me", headers=bearer(tokens)))
    assert_audited(settings, sub, "refresh.reuse", "revoked", target=sid)
    # a fresh login starts a new, unrelated session
    again = ok(login(client, person("杨婷")["phone"]))
    assert claims_of(again["access_token"])["sid"] != sid
    ok(client.get("/api/v1/me", headers=bearer(again)))


def test_unknown_refresh_token_is_refused(client):
    assert_refused(client.post("/api/v1/auth/refresh", json={"refresh_token": "x" * 43}))


def test_logout_revokes_the_access_and_the_refresh_token(client, settings):
    tokens = register_citizen(client, person("古一"))
    claims = claims_of(tokens["access_token"])
    ok(client.get("/api/v1/me", headers=bearer(tokens)))
    resp = client.post("/api/v1/auth/logout", headers=bearer(tokens))
    assert resp.status_code == 204
    assert_refused(client.get("/api/v1/me", headers=bearer(tokens)))
    assert_refused(client.post("/api/v1/auth/refresh",
                               json={"refresh_token": tokens["refresh_token"]}))
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
    assert_refused(client.post("/api/v1/auth/refresh",
                               json={"refresh_token": tokens["refresh_token"]}))


def test_a_session_ends_after_its_absolute_lifetime_however_busy(short_app, travel):
    client = new_client(short_app)
    tokens = register_citizen(client, person("曾家晨"))
    for minutes in (8, 16, 24):  # refreshed every 8 minutes: never idle
        travel(timedelta(minutes=minutes))
        tokens = ok(client.post("/api/v1/auth/refresh",
                                json={"refresh_token": tokens["refresh_token"]}))
    travel(timedelta(minutes=29))
    ok(client.get("/api/v1/me", headers=bearer(tokens)))
    travel(timedelta(minutes=30, seconds=1))
    assert_refused(client.get("/api/v1/me", headers=bearer(tokens)))
    assert_refused(client.post("/api/v1/auth/refresh",
                               json={"refresh_token": tokens["refresh_token"]}))
