"""The one keyring code: rotation next -> signing -> retired for both rings, how long each ring
keeps its retirees, creation only through init (or the local stage), and licence rings in the
shape they were written before this keyring."""
from __future__ import annotations

import dataclasses
import json
import secrets
from datetime import timedelta

import pytest

from functions.core import aws, clock, keys


@pytest.fixture
def fresh(settings):
    """Settings whose rings and data keys live under a path of their own (nothing made yet),
    so rotating them cannot disturb the suite's keys."""
    base = f"/hall/keytest-{secrets.token_hex(4)}"
    return dataclasses.replace(settings, jwt_keys_param=f"{base}/jwt-keys",
                               data_keys_param=f"{base}/data-keys")


def _stored(settings, name: str) -> dict | None:
    try:
        got = aws.client("ssm", settings).get_parameter(Name=name, WithDecryption=True)
    except aws.client("ssm", settings).exceptions.ParameterNotFound:
        return None
    return json.loads(got["Parameter"]["Value"])


def _states(ring: keys.Keyring) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for k in ring.keys:
        out.setdefault(k["state"], []).append(k["kid"])
    return out


# ---- rotation, the same for both rings -------------------------------------------------------

@pytest.mark.parametrize("ring", [keys.TOKEN, keys.LICENCE], ids=lambda r: r.name)
def test_the_next_key_is_published_before_it_signs(fresh, ring):
    now = clock.now()
    assert keys.init_keys(fresh, now) is True
    before = keys.keyring(fresh, ring=ring)
    assert set(_states(before)) == {"signing", "next"}
    next_kid = _states(before)["next"][0]
    assert next_kid in {k["kid"] for k in before.jwks()["keys"]}

    after = keys.rotate(fresh, now + timedelta(minutes=5), ring)
    states = _states(after)
    assert after.signing()[0] == next_kid  # the key verifiers already had
    assert states["retired"] == _states(before)["signing"]
    assert len(states["next"]) == 1 and states["next"][0] not in {k["kid"] for k in before.keys}
    assert {k["alg"] for k in after.jwks()["keys"]} == {ring.alg}


def test_token_retirees_drop_after_an_hour_but_licence_retirees_stay(fresh):
    now = clock.now()
    keys.init_keys(fresh, now)
    first = {r.name: keys.keyring(fresh, ring=r).signing()[0] for r in keys.RINGS}
    for ring in keys.RINGS:
        keys.rotate(fresh, now, ring)
    # a second rotation within the hour: the token retiree is still published
    token = keys.rotate(fresh, now + keys.RETIRED_OVERLAP / 2, keys.TOKEN)
    assert token.public(first["token"]) is not None
    # past the hour: gone; a licence retiree is still there thirty years on
    token = keys.rotate(fresh, now + keys.RETIRED_OVERLAP + timedelta(minutes=1), keys.TOKEN)
    assert token.public(first["token"]) is None
    licence = keys.rotate(fresh, now + timedelta(days=365 * 30), keys.LICENCE)
    assert licence.public(first["licence"]) is not None
    assert first["licence"] in {k["kid"] for k in licence.jwks()["keys"]}


def test_rotated_is_pure_and_keeps_one_signing_key():
    now = clock.now()
    ring = [keys.new_key("signing", now, keys.LICENCE), keys.new_key("next", now, keys.LICENCE)]
    for step in range(5):
        ring = keys.rotated(ring, now + timedelta(days=step), keys.LICENCE)
        assert [k["state"] for k in ring].count("signing") == 1
        assert [k["state"] for k in ring].count("next") == 1
    assert len(ring) == 7  # five retirees, all kept


# ---- creation: through init only, except in the local stage ----------------------------------

def test_a_missing_ring_is_refused_outside_the_local_stage(fresh):
    deployed = dataclasses.replace(fresh, stage="dev")
    for ring in keys.RINGS:
        with pytest.raises(RuntimeError, match="init-keys"):
            keys.keyring(deployed, ring=ring)
        assert _stored(deployed, ring.param(deployed)) is None  # nothing made silently
        with pytest.raises(RuntimeError, match="init-keys"):
            keys.rotate(deployed, clock.now(), ring)
    with pytest.raises(RuntimeError, match="init-keys"):
        keys.data_keys(deployed)
    assert keys.init_keys(deployed, clock.now()) is True  # the CLI's way
    assert keys.keyring(deployed, ring=keys.LICENCE).signing()[0].startswith("lic-")


def test_the_local_stage_makes_a_missing_ring_on_first_use(fresh):
    assert fresh.local
    kid = keys.keyring(fresh, ring=keys.LICENCE).signing()[0]
    assert _stored(fresh, keys.LICENCE.param(fresh))["keys"][0]["kid"] == kid


def test_init_never_replaces_a_key(fresh):
    now = clock.now()
    assert keys.init_keys(fresh, now) is True
    stored = {r.name: _stored(fresh, r.param(fresh)) for r in keys.RINGS}
    assert keys.init_keys(fresh, now) is False
    assert {r.name: _stored(fresh, r.param(fresh)) for r in keys.RINGS} == stored
    assert keys.LICENCE.param(fresh) == fresh.jwt_keys_param.rsplit("/", 1)[0] + "/licence-keys"


# ---- licence rings written before this keyring -----------------------------------------------

def test_a_licence_ring_of_the_old_shape_still_verifies_and_gets_a_next_key(fresh):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    # the old licences store wrote {kid, state: signing, d, x, created} and no next key
    old = Ed25519PrivateKey.generate()
    entry = {"kid": "lic-20260101-0a1b2c3d", "state": "signing",
             "d": keys.b64url(old.private_bytes_raw()),
             "x": keys.b64url(old.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)),
             "created": "2026-01-01T09:00:00+08:00"}
    aws.client("ssm", fresh).put_parameter(Name=keys.LICENCE.param(fresh), Type="SecureString",
                                           Value=json.dumps({"keys": [entry]}))
    signature = old.sign(b"a licence")
    ring = keys.keyring(fresh, ring=keys.LICENCE)
    ring.public(entry["kid"]).verify(signature, b"a licence")
    assert ring.jwks(with_state=True)["keys"] == [{
        "kty": "OKP", "crv": "Ed25519", "alg": "EdDSA", "use": "sig", "kid": entry["kid"],
        "x": entry["x"], "status": "signing", "created": entry["created"]}]

    assert keys.init_ring(fresh, keys.LICENCE, clock.now()) is True  # publishes a next key
    published = keys.keyring(fresh, ring=keys.LICENCE)
    assert sorted(k["state"] for k in published.keys) == ["next", "signing"]
    rotated = keys.rotate(fresh, clock.now(), keys.LICENCE)
    assert rotated.signing()[0] == _states(published)["next"][0]
    rotated.public(entry["kid"]).verify(signature, b"a licence")  # retired, still verifies


def test_rotating_an_old_ring_without_init_still_leaves_a_signing_and_a_next_key():
    now = clock.now()
    legacy = [{**keys.new_key("signing", now, keys.LICENCE)}]
    ring = keys.rotated(legacy, now, keys.LICENCE)
    assert sorted(k["state"] for k in ring) == ["next", "retired", "signing"]
