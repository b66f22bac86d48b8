"""The signing keyrings (tokens, licences) and the personal-data keys: SSM SecureStrings,
cached in memory. One keyring code for every ring; a ring names its algorithm, its parameter
and how long a retired key stays published."""
from __future__ import annotations

import base64
import json
import logging
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from botocore.exceptions import BotoCoreError, ClientError

from . import aws

log = logging.getLogger("hall.keys")
REFRESH_SECONDS = 300.0
# A retired token key stays published this long, so tokens it signed verify until they expire.
RETIRED_OVERLAP = timedelta(hours=1)

_lock = threading.Lock()
_cache: dict[str, tuple[object, float]] = {}


def b64url(raw: bytes) -> str:
    """base64url without padding, as JWKs and signatures are written."""
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


# ---- the algorithms: how a key is made, stored and published ----------------------------------

class _ES256:
    """P-256 ECDSA (tokens). Stored as a PKCS8 PEM."""

    @staticmethod
    def generate() -> dict:
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import ec

        key = ec.generate_private_key(ec.SECP256R1())
        return {"pem": key.private_bytes(serialization.Encoding.PEM,
                                         serialization.PrivateFormat.PKCS8,
                                         serialization.NoEncryption()).decode()}

    @staticmethod
    def private(entry: dict):
        from cryptography.hazmat.primitives.serialization import load_pem_private_key

        return load_pem_private_key(entry["pem"].encode(), None)

    @classmethod
    def public(cls, entry: dict):
        return cls.private(entry).public_key()

    @classmethod
    def jwk(cls, entry: dict) -> dict:
        numbers = cls.public(entry).public_numbers()
        return {"kty": "EC", "crv": "P-256", "alg": "ES256", "use": "sig", "kid": entry["kid"],
                "x": b64url(numbers.x.to_bytes(32, "big")),
                "y": b64url(numbers.y.to_bytes(32, "big"))}


class _EdDSA:
    """Ed25519 (licences). Stored raw, base64url: `d` private, `x` public (the JWK's x), the
    shape licence keys have always had, so keys that signed existing licences read as they are."""

    @staticmethod
    def generate() -> dict:
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
        from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

        key = Ed25519PrivateKey.generate()
        return {"d": b64url(key.private_bytes_raw()),
                "x": b64url(key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw))}

    @staticmethod
    def private(entry: dict):
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

        return Ed25519PrivateKey.from_private_bytes(unb64url(entry["d"]))

    @staticmethod
    def public(entry: dict):
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

        return Ed25519PublicKey.from_public_bytes(unb64url(entry["x"]))

    @staticmethod
    def jwk(entry: dict) -> dict:
        return {"kty": "OKP", "crv": "Ed25519", "alg": "EdDSA", "use": "sig", "kid": entry["kid"],
                "x": entry["x"]}


_ALGS = {"ES256": _ES256, "EdDSA": _EdDSA}


# ---- the rings ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Ring:
    """What differs between keyrings. `keep_retired`: how long a retired key stays published
    after it stopped signing; None keeps it for good."""

    name: str
    alg: str
    kid_prefix: str
    param: Callable = field(repr=False)
    keep_retired: timedelta | None


def _licence_param(settings) -> str:
    """/hall/<stage>/licence-keys, beside the token keys (the function role may read that path)."""
    explicit = getattr(settings, "licence_keys_param", None)
    return explicit or settings.jwt_keys_param.rsplit("/", 1)[0] + "/licence-keys"


TOKEN = Ring("token", "ES256", "", lambda s: s.jwt_keys_param, RETIRED_OVERLAP)
# A licence key must verify what it signed for as long as that licence is valid, and most
# licence types (a marriage certificate, a business licence...) never expire: "retired plus
# the longest validity of any type" is forever, so retired licence keys are kept for good.
# They are public keys only, one more per rotation: a few a year.
LICENCE = Ring("licence", "EdDSA", "lic-", _licence_param, None)
RINGS = (TOKEN, LICENCE)


@dataclass(frozen=True)
class Keyring:
    """keys: [{kid, state: signing | next | retired, created, retired?, <the alg's key fields>}]"""

    keys: tuple
    ring: Ring = TOKEN

    @property
    def _alg(self):
        return _ALGS[self.ring.alg]

    def signing(self):
        entry = next(k for k in self.keys if k["state"] == "signing")
        return entry["kid"], self._alg.private(entry)

    def public(self, kid: str):
        """The public key for `kid`, or None when it is not (or no longer) published."""
        entry = next((k for k in self.keys if k["kid"] == kid), None)
        return self._alg.public(entry) if entry else None

    def jwks(self, *, with_state: bool = False) -> dict:
        """The published keys as JWKs; with_state adds each key's state and creation time."""
        out = []
        for entry in self.keys:
            jwk = self._alg.jwk(entry)
            if with_state:
                jwk.update(status=entry["state"], created=entry["created"])
            out.append(jwk)
        return {"keys": out}


def new_key(state: str, now: datetime, ring: Ring = TOKEN) -> dict:
    return {"kid": f"{ring.kid_prefix}{now:%Y%m%d}-{secrets.token_hex(4)}", "state": state,
            "created": now.isoformat(timespec="seconds"), **_ALGS[ring.alg].generate()}


def rotated(keys: list[dict], now: datetime, ring: Ring = TOKEN) -> list[dict]:
    """One rotation step: next -> signing, signing -> retired, a fresh next; retirees older
    than the ring keeps them drop out. The next key is published a rotation before it signs,
    so verifiers that cached the keys already know it."""
    out = []
    for k in keys:
        if k["state"] == "retired":
            if ring.keep_retired is None \
                    or datetime.fromisoformat(k["retired"]) + ring.keep_retired > now:
                out.append(k)
        elif k["state"] == "signing":
            out.append({**k, "state": "retired", "retired": now.isoformat(timespec="seconds")})
        elif k["state"] == "next":
            out.append({**k, "state": "signing"})
    if not any(k["state"] == "signing" for k in out):
        # A ring written before it had a next key (licence rings from before this keyring):
        # this once, the new signing key is one nobody has seen yet.
        out.append(new_key("signing", now, ring))
    out.append(new_key("next", now + timedelta(seconds=1), ring))
    return out


# ---- storage ------------------------------------------------------------------------

def _get(settings, name: str) -> dict | None:
    try:
        got = aws.client("ssm", settings).get_parameter(Name=name, WithDecryption=True)
    except ClientError as err:
        if err.response["Error"]["Code"] == "ParameterNotFound":
            return None
        raise
    return json.loads(got["Parameter"]["Value"])


def _put(settings, name: str, value: dict, *, create: bool = False) -> bool:
    """Write a parameter. With create, only when it does not exist yet (False if it did), so
    two processes initialising at once cannot each publish a different key."""
    try:
        aws.client("ssm", settings).put_parameter(Name=name, Value=json.dumps(value),
                                                  Type="SecureString", Overwrite=not create)
    except ClientError as err:
        if create and err.response["Error"]["Code"] == "ParameterAlreadyExists":
            return False
        raise
    finally:
        _cache.pop(name, None)
    return True


# A forced reload (a token with an unknown kid) happens at most this often, so forged kids
# cannot turn into a flood of SSM reads.
FORCE_INTERVAL = 30.0


def _cached(settings, name: str, build, force: bool = False, *, create=None):
    """The built value of parameter `name`, from memory while fresh. A missing parameter is
    created by `create(settings, now)` in the local stage only; anywhere else it is an error:
    keys are made by `flask identity init-keys`, never by a request."""
    now = time.monotonic()
    hit = _cache.get(name)
    if hit and now - hit[1] < (FORCE_INTERVAL if force else REFRESH_SECONDS):
        return hit[0]
    with _lock:
        try:
            doc = _get(settings, name)
        except (ClientError, BotoCoreError):
            if hit:  # keep verifying with what we have while SSM is unreachable
                log.warning("key refresh failed; using the cached keys", extra={"param": name})
                return hit[0]
            raise
        if doc is None and create and getattr(settings, "local", False):
            from . import clock

            create(settings, clock.now())
            doc = _get(settings, name)
        if doc is None:
            raise RuntimeError(f"{name} is missing: run `flask identity init-keys`")
        value = build(doc)
        _cache[name] = (value, now)
        return value


def keyring(settings, *, force: bool = False, ring: Ring = TOKEN) -> Keyring:
    return _cached(settings, ring.param(settings), lambda d: Keyring(tuple(d["keys"]), ring),
                   force, create=lambda s, now: init_ring(s, ring, now))


def data_keys(settings) -> dict[str, bytes]:
    """{"enc": 32 bytes for AES-GCM, "hash": 32 bytes for keyed hashes}."""
    return _cached(settings, settings.data_keys_param,
                   lambda d: {k: base64.b64decode(v) for k, v in d.items()},
                   create=_init_data_keys)


def init_ring(settings, ring: Ring, now: datetime) -> bool:
    """Create the ring (a signing and a next key) if missing; give a ring without a next key
    (written before rings had one) its next key, published ahead of the next rotation."""
    name = ring.param(settings)
    doc = _get(settings, name)
    if doc is None:
        return _put(settings, name, {"keys": [new_key("signing", now, ring),
                                              new_key("next", now + timedelta(seconds=1), ring)]},
                    create=True)
    if not any(k["state"] == "next" for k in doc["keys"]):
        _put(settings, name, {"keys": [*doc["keys"], new_key("next", now, ring)]})
        return True
    return False


def _init_data_keys(settings, now: datetime) -> bool:
    return _put(settings, settings.data_keys_param,
                {"enc": base64.b64encode(secrets.token_bytes(32)).decode(),
                 "hash": base64.b64encode(secrets.token_bytes(32)).decode()}, create=True)


def init_keys(settings, now: datetime, rings: tuple[Ring, ...] = RINGS) -> bool:
    """Create what is missing: the token and licence keyrings and the data keys. Never
    replaces a key. True when anything was created."""
    created = [init_ring(settings, ring, now) for ring in rings]
    if _get(settings, settings.data_keys_param) is None:
        created.append(_init_data_keys(settings, now))
    return any(created)


def rotate(settings, now: datetime, ring: Ring = TOKEN) -> Keyring:
    """One rotation step of `ring` (see rotated); the ring must exist (init_keys makes it)."""
    name = ring.param(settings)
    doc = _get(settings, name)
    if doc is None:
        raise RuntimeError(f"{name} is missing: run `flask identity init-keys`")
    _put(settings, name, {"keys": rotated(doc["keys"], now, ring)})
    return keyring(settings, force=True, ring=ring)


def forget() -> None:
    _cache.clear()
