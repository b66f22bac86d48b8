"""The token signing keyring and the personal-data keys: SSM SecureStrings, cached in memory."""
from __future__ import annotations

import base64
import json
import logging
import secrets
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from botocore.exceptions import BotoCoreError, ClientError

from . import aws

log = logging.getLogger("hall.keys")
REFRESH_SECONDS = 300.0
# A retired key stays published this long, so tokens it signed verify until they expire.
RETIRED_OVERLAP = timedelta(hours=1)

_lock = threading.Lock()
_cache: dict[str, tuple[object, float]] = {}


def _b64url(n: int, length: int = 32) -> str:
    return base64.urlsafe_b64encode(n.to_bytes(length, "big")).decode().rstrip("=")


@dataclass(frozen=True)
class Keyring:
    """keys: [{kid, pem (private PKCS8), state: signing | next | retired, created, retired}]"""

    keys: tuple

    def _load(self, pem: str):
        from cryptography.hazmat.primitives.serialization import load_pem_private_key

        return load_pem_private_key(pem.encode(), None)

    def signing(self):
        entry = next(k for k in self.keys if k["state"] == "signing")
        return entry["kid"], self._load(entry["pem"])

    def public(self, kid: str):
        """The public key for `kid`, or None when it is not (or no longer) published."""
        for entry in self.keys:
            if entry["kid"] == kid:
                return self._load(entry["pem"]).public_key()
        return None

    def jwks(self) -> dict:
        out = []
        for entry in self.keys:
            numbers = self._load(entry["pem"]).public_key().public_numbers()
            out.append({"kty": "EC", "crv": "P-256", "alg": "ES256", "use": "sig",
                        "kid": entry["kid"], "x": _b64url(numbers.x), "y": _b64url(numbers.y)})
        return {"keys": out}


def new_key(state: str, now: datetime) -> dict:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    key = ec.generate_private_key(ec.SECP256R1())
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption()).decode()
    return {"kid": f"{now:%Y%m%d}-{secrets.token_hex(4)}", "pem": pem, "state": state,
            "created": now.isoformat()}


def rotated(keys: list[dict], now: datetime) -> list[dict]:
    """One rotation step: next -> signing, signing -> retired, a fresh next; drop old retirees.
    Two keys always overlap: the next one is published before it signs anything."""
    out = []
    for k in keys:
        if k["state"] == "retired":
            if datetime.fromisoformat(k["retired"]) + RETIRED_OVERLAP > now:
                out.append(k)
        elif k["state"] == "signing":
            out.append({**k, "state": "retired", "retired": now.isoformat()})
        elif k["state"] == "next":
            out.append({**k, "state": "signing"})
    out.append(new_key("next", now))
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


def _put(settings, name: str, value: dict) -> None:
    aws.client("ssm", settings).put_parameter(Name=name, Value=json.dumps(value),
                                              Type="SecureString", Overwrite=True)
    _cache.pop(name, None)


# A forced reload (a token with an unknown kid) happens at most this often, so forged kids
# cannot turn into a flood of SSM reads.
FORCE_INTERVAL = 30.0


def _cached(settings, name: str, build, force: bool = False):
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
        if doc is None:
            raise RuntimeError(f"{name} is missing: run `flask identity init-keys`")
        value = build(doc)
        _cache[name] = (value, now)
        return value


def keyring(settings, *, force: bool = False) -> Keyring:
    return _cached(settings, settings.jwt_keys_param, lambda d: Keyring(tuple(d["keys"])), force)


def data_keys(settings) -> dict[str, bytes]:
    """{"enc": 32 bytes for AES-GCM, "hash": 32 bytes for keyed hashes}."""
    return _cached(settings, settings.data_keys_param,
                   lambda d: {k: base64.b64decode(v) for k, v in d.items()})


def init_keys(settings, now: datetime) -> bool:
    """Create the keyring (a signing and a next key) and the data keys if missing."""
    created = False
    if _get(settings, settings.jwt_keys_param) is None:
        _put(settings, settings.jwt_keys_param,
             {"keys": [new_key("signing", now), new_key("next", now + timedelta(seconds=1))]})
        created = True
    if _get(settings, settings.data_keys_param) is None:
        _put(settings, settings.data_keys_param,
             {"enc": base64.b64encode(secrets.token_bytes(32)).decode(),
              "hash": base64.b64encode(secrets.token_bytes(32)).decode()})
        created = True
    return created


def rotate(settings, now: datetime) -> Keyring:
    doc = _get(settings, settings.jwt_keys_param) or {"keys": []}
    _put(settings, settings.jwt_keys_param, {"keys": rotated(doc["keys"], now)})
    return keyring(settings, force=True)


def forget() -> None:
    _cache.clear()
