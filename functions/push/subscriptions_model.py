"""Web Push subscription rules: which endpoints we send to, what a valid key is, the cap."""
from __future__ import annotations

import base64
import binascii
import ipaddress
import re
from urllib.parse import urlsplit

# Devices per person. A new device past the cap replaces the one refreshed longest ago:
# people change phones and rarely tidy up, and a 409 would leave the new phone silent.
CAP = 10

# The browsers' push services. Anything else is refused outside the local stage: a
# subscription names a URL our workers POST to, so an open endpoint would let anyone make
# them call into the VPC or any host on the internet (request forgery).
EXACT_HOSTS = frozenset({
    "fcm.googleapis.com",                   # Chrome, Edge on Android, most Chromium browsers
    "updates.push.services.mozilla.com",    # Firefox
})
SUFFIX_HOSTS = (
    ".push.apple.com",                      # Safari: web.push.apple.com and its regions
    ".notify.windows.com",                  # Edge on Windows (WNS)
)
# The local stage also sends to the loopback push service of the tests and `make run`.
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})

ENDPOINT_MAX = 1024
_B64URL = re.compile(r"^[A-Za-z0-9_-]+={0,2}$")
_TOPIC = re.compile(r"^[A-Za-z0-9_-]{1,32}$")

# P-256 (SEC 2, secp256r1): y^2 = x^3 - 3x + b over GF(p).
_P = 0xFFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFF
_B = 0x5AC635D8AA3A93E7B3EBBD55769886BC651D06B0CC53B0F63BCE3C3E27D2604B


class Invalid(ValueError):
    """A subscription we will not store; `field` names the part at fault."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def b64url_bytes(text: str, field: str) -> bytes:
    if not isinstance(text, str) or not _B64URL.match(text):
        raise Invalid(field, "not base64url")
    try:
        return base64.urlsafe_b64decode(text.rstrip("=") + "=" * (-len(text.rstrip("=")) % 4))
    except (binascii.Error, ValueError) as err:
        raise Invalid(field, "not base64url") from err


def on_curve(point: bytes) -> bool:
    """Is `point` an uncompressed P-256 public key (0x04 || x || y) on the curve? A point off
    the curve would make the sender's ECDH fail for every message (or worse, leak bits of an
    ephemeral key in an invalid-curve attack), so it is refused when subscribing."""
    if len(point) != 65 or point[0] != 0x04:
        return False
    x, y = int.from_bytes(point[1:33], "big"), int.from_bytes(point[33:], "big")
    if x >= _P or y >= _P:
        return False
    return (y * y - (x * x * x - 3 * x + _B)) % _P == 0


def check_keys(p256dh: str, auth: str) -> None:
    point = b64url_bytes(p256dh, "keys.p256dh")
    if len(point) != 65 or point[0] != 0x04:
        raise Invalid("keys.p256dh", "must be a 65-byte uncompressed P-256 point (0x04...)")
    if not on_curve(point):
        raise Invalid("keys.p256dh", "is not a point on the P-256 curve")
    if len(b64url_bytes(auth, "keys.auth")) != 16:
        raise Invalid("keys.auth", "must be 16 bytes")


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def allowed_host(host: str) -> bool:
    return host in EXACT_HOSTS or any(
        host.endswith(s) and len(host) > len(s) for s in SUFFIX_HOSTS)


def check_endpoint(endpoint: str, *, local: bool) -> str:
    """The endpoint's host when we may POST to it. Outside the local stage: https on port
    443 to a push service of the allow-list, no user info, no IP literal. The local stage
    adds the loopback push service (http or https, any port)."""
    if not isinstance(endpoint, str) or not endpoint or len(endpoint) > ENDPOINT_MAX \
            or any(c.isspace() or ord(c) < 0x21 or ord(c) > 0x7E for c in endpoint):
        raise Invalid("endpoint", f"must be a URL of at most {ENDPOINT_MAX} printable ASCII "
                                  "characters")
    try:
        url = urlsplit(endpoint)
        port = url.port
    except ValueError as err:
        raise Invalid("endpoint", "is not a URL") from err
    host = (url.hostname or "").lower()
    if url.username is not None or url.password is not None or "@" in url.netloc:
        raise Invalid("endpoint", "must not carry user info")
    if url.fragment or not host:
        raise Invalid("endpoint", "must be an absolute URL without a fragment")
    if local and host in LOOPBACK_HOSTS and url.scheme in ("http", "https"):
        return host
    if url.scheme != "https":
        raise Invalid("endpoint", "must be https")
    if port not in (None, 443):
        raise Invalid("endpoint", "must use the default https port")
    if _is_ip(host) or not allowed_host(host):
        raise Invalid("endpoint", "is not a browser push service we send to")
    return host


def check_topic(topic: str | None) -> str | None:
    """A Topic header (RFC 8030 5.4): at most 32 base64url characters."""
    if topic is not None and not _TOPIC.match(topic):
        raise ValueError(f"a push topic is 1-32 base64url characters, not {topic!r}")
    return topic


def oldest_beyond_cap(subs: list[dict], adding: str) -> list[dict]:
    """Which stored subscriptions (each with id and updated) make room for `adding`: none
    when it is already stored (a refresh) or the cap is not reached."""
    if any(s["id"] == adding for s in subs) or len(subs) < CAP:
        return []
    by_age = sorted(subs, key=lambda s: (s["updated"], s["id"]))
    return by_age[:len(subs) - CAP + 1]

