"""Personal data at rest: AES-GCM where the value must be shown again, keyed hashes for matching."""
from __future__ import annotations

import base64
import hashlib
import hmac
import os

from . import keys


def keyed_hash(settings, kind: str, value: str) -> str:
    """HMAC-SHA256 under a secret key: lets us find an account by phone or ID number
    without storing either in the clear, and cannot be reversed by hashing every number."""
    key = keys.data_keys(settings)["hash"]
    return hmac.new(key, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()


def seal(settings, value: str, context: str) -> str:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    nonce = os.urandom(12)
    aead = AESGCM(keys.data_keys(settings)["enc"])
    sealed = aead.encrypt(nonce, value.encode(), context.encode())
    return base64.b64encode(nonce + sealed).decode()


def unseal(settings, token: str, context: str) -> str:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    raw = base64.b64decode(token)
    return AESGCM(keys.data_keys(settings)["enc"]).decrypt(raw[:12], raw[12:],
                                                          context.encode()).decode()
