"""The Web Push sender: VAPID (RFC 8292), RFC 8291 aes128gcm through pywebpush, TTL, Urgency
and Topic, one keep-alive pool per push service, and a typed outcome the delivery worker acts on.

pywebpush (and aiohttp, which it imports) loads on the first send, never at cold start."""
from __future__ import annotations

import email.utils
import json
import logging
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal
from urllib.parse import urlsplit

from ..core import keys
from . import subscriptions_model as rules

log = logging.getLogger("hall.push")

# A lock screen shows only that there is a message: no name, no number, no matter. The
# details show once the app is open and the person is logged in.
LOCK_SCREEN = {"title": "梅州政务服务", "body": "您有一条新消息", "url": "#/inbox"}

# What kind of message -> (TTL seconds, Urgency, Topic). An ordinary notice may wait a day
# for a phone to come online; pending notices share a topic, so a phone that was off all
# night shows one notification, not twenty. A code is useless after its 5 minutes.
PRESETS = {
    "notice": (24 * 3600, "normal", "inbox"),
    "code": (300, "high", "code"),
}
URGENCIES = ("very-low", "low", "normal", "high")
TIMEOUT = (3.0, 5.0)            # connect, read (seconds)
RETRY_AFTER_MAX = 24 * 3600.0   # a push service asking for more is treated as this
VAPID_SUBJECT = "mailto:hall-push@meizhou.gov.cn"
VAPID_SECONDS = 12 * 3600       # RFC 8292 allows at most 24 h
POOL_SIZE = 16                  # connections kept per push service (the worker's threads)


@dataclass(frozen=True)
class Outcome:
    """delivered (201/202); gone (404/410: remove the subscription); retry (429/5xx or no
    answer: try again after `retry_after` seconds, None for the caller's own backoff);
    rejected (any other 4xx: this message will never be accepted, do not retry)."""
    kind: Literal["delivered", "gone", "retry", "rejected"]
    status: int | None = None
    retry_after: float | None = None
    reason: str = ""


def lock_screen_payload(notice_id: str) -> dict:
    """The one payload a push carries: generic text, the inbox route and the notice's id
    (the service worker's tag, so a repeated push replaces rather than stacks)."""
    return {**LOCK_SCREEN, "id": notice_id}


# ---- the VAPID key --------------------------------------------------------------------------

def _param(settings) -> str:
    """/hall/<stage>/vapid-key, beside the token keys (the function role reads that path)."""
    return getattr(settings, "vapid_key_param", None) \
        or settings.jwt_keys_param.rsplit("/", 1)[0] + "/vapid-key"


def _generate(now: datetime) -> dict:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    key = ec.generate_private_key(ec.SECP256R1())
    public = key.public_key().public_bytes(serialization.Encoding.X962,
                                           serialization.PublicFormat.UncompressedPoint)
    return {"d": keys.b64url(key.private_numbers().private_value.to_bytes(32, "big")),
            "x": keys.b64url(public), "created": now.isoformat(timespec="seconds")}


def init_vapid_key(settings, now: datetime) -> bool:
    """Create the VAPID key if it is missing (never replaces it: every browser subscription
    is bound to this public key, so a new one silences every device until it subscribes
    again). True when created."""
    if keys._get(settings, _param(settings)) is not None:
        return False
    return keys._put(settings, _param(settings), _generate(now), create=True)


def _vapid_doc(settings) -> dict:
    return keys._cached(settings, _param(settings), lambda d: d,
                        create=lambda s, now: init_vapid_key(s, now))


def vapid_public_key(settings) -> str:
    """The public key browsers subscribe with (PushManager.subscribe's applicationServerKey)."""
    return _vapid_doc(settings)["x"]


_lock = threading.Lock()
_signers: dict[str, object] = {}
_headers: dict[tuple[str, str], tuple[dict, float]] = {}


def _signer(settings):
    doc = _vapid_doc(settings)
    signer = _signers.get(doc["x"])
    if signer is None:
        with _lock:
            signer = _signers.get(doc["x"])
            if signer is None:
                from py_vapid import Vapid02

                signer = _signers[doc["x"]] = Vapid02.from_raw(doc["d"].encode())
    return doc["x"], signer


def _origin(endpoint: str) -> str:
    """The endpoint's origin as RFC 8292's aud: scheme, lower-case host, a port only when not
    the default."""
    url = urlsplit(endpoint)
    default = {"https": 443, "http": 80}.get(url.scheme)
    port = f":{url.port}" if url.port and url.port != default else ""
    return f"{url.scheme}://{url.hostname}{port}"


def vapid_headers(settings, endpoint: str, *, now: float | None = None) -> dict:
    """The Authorization header for the endpoint's push service: a JWT for its origin, signed
    once and reused for 11 of its 12 hours: one signature per push service, not one per
    message."""
    now = time.time() if now is None else now
    aud = _split(endpoint)[0]
    key_id, signer = _signer(settings)
    hit = _headers.get((key_id, aud))
    if hit and hit[1] - 3600 > now:
        return hit[0]
    exp = int(now) + VAPID_SECONDS
    headers = signer.sign({"aud": aud, "exp": exp, "sub": VAPID_SUBJECT})
    with _lock:
        _headers[(key_id, aud)] = (headers, exp)
    return headers


def forget() -> None:
    """Drop the cached signers, signatures, subscribers' keys and the pool (tests)."""
    with _lock:
        _signers.clear()
        _headers.clear()
        _pushers.clear()
        _pools.clear()


# ---- the HTTP pool and the subscribers' keys ----------------------------------------------------

_pools: dict[str, object] = {}
_pushers: dict[tuple[str, str, str], object] = {}
PUSHERS_MAX = 4096  # decoded subscriptions kept (a worker sees each device once a campaign)


def pool(origin: str):
    """The keep-alive connection pool of one push service's origin, one per process (TLS set
    up once per connection, not per message): no retries of its own (the worker's backoff
    decides), no proxy or .netrc lookups from the environment, the URL parsed once. requests
    spent half of a send's CPU merging settings and headers; this is urllib3's same pool
    without them."""
    got = _pools.get(origin)
    if got is None:
        with _lock:
            got = _pools.get(origin)
            if got is None:
                import urllib3

                got = _pools[origin] = urllib3.connection_from_url(
                    origin, maxsize=POOL_SIZE, block=False, retries=False)
    return got


def _pusher(subscription: dict):
    """pywebpush's WebPusher for one subscription, made once: the p256dh and auth decoded
    and checked once, not per message. Its encode() still draws a fresh ephemeral ECDH key
    and salt for every message (RFC 8291)."""
    from pywebpush import WebPusher

    key = (subscription["endpoint"], subscription["p256dh"], subscription["auth"])
    pusher = _pushers.get(key)
    if pusher is None:
        pusher = WebPusher({"endpoint": key[0], "keys": {"p256dh": key[1], "auth": key[2]}})
        with _lock:
            if len(_pushers) >= PUSHERS_MAX:
                _pushers.clear()
            _pushers[key] = pusher
    return pusher


# ---- sending ----------------------------------------------------------------------------------

def retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Retry-After as seconds: delta-seconds or an HTTP-date (RFC 9110 10.2.3); None when
    absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return min(float(value), RETRY_AFTER_MAX)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    now = now or datetime.now(UTC)
    return min(max((when - now).total_seconds(), 0.0), RETRY_AFTER_MAX)


def outcome_of(status: int, headers) -> Outcome:
    """What a push service's answer means for this message and subscription."""
    if 200 <= status < 300:
        return Outcome("delivered", status)
    if status in (404, 410):
        return Outcome("gone", status, reason="subscription expired or unsubscribed")
    if status == 429 or status >= 500:
        return Outcome("retry", status, retry_after(headers.get("Retry-After")),
                       reason="push service busy")
    return Outcome("rejected", status, reason="push service refused the message")


def _ref(endpoint: str) -> str:
    """How logs name an endpoint: its host only (the path is a capability)."""
    return urlsplit(endpoint).hostname or "?"


def send(settings, subscription: dict, payload: dict, *, kind: str = "notice",
         ttl: int | None = None, urgency: str | None = None, topic: str | None = None,
         timeout: tuple[float, float] = TIMEOUT) -> Outcome:
    """Encrypt `payload` for one subscription ({endpoint, p256dh, auth}) and POST it.
    TTL, Urgency and Topic come from the preset of `kind` unless given. Never raises for
    what the push service or the network does: that is the Outcome."""
    from pywebpush import WebPushException  # lazy: crypto and aiohttp imports
    from urllib3.exceptions import HTTPError

    preset_ttl, preset_urgency, preset_topic = PRESETS[kind]
    urgency = urgency or preset_urgency
    if urgency not in URGENCIES:
        raise ValueError(f"Urgency is one of {URGENCIES}, not {urgency!r}")
    endpoint = subscription["endpoint"]
    origin, path = _split(endpoint)
    headers = {**vapid_headers(settings, endpoint), "Urgency": urgency,
               "TTL": str(preset_ttl if ttl is None else ttl),
               "Content-Encoding": "aes128gcm"}
    topic = rules.check_topic(topic if topic is not None else preset_topic)
    if topic:
        headers["Topic"] = topic
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
    try:
        data = _pusher(subscription).encode(body, "aes128gcm")["body"]
    except (WebPushException, ValueError) as err:  # keys the library cannot use
        return Outcome("rejected", None, reason=f"not sendable: {type(err).__name__}")
    headers["Content-Length"] = str(len(data))
    try:
        resp = pool(origin).urlopen("POST", path, body=data, headers=headers, redirect=False,
                                    timeout=_timeout(timeout), preload_content=True)
    except HTTPError as err:  # refused, reset, timed out: try again later
        reason = _failure(err)
        log.info("push not answered", extra={"host": _ref(endpoint), "error": reason})
        return Outcome("retry", None, None, reason=reason)
    out = outcome_of(resp.status, resp.headers)
    # One line per message is a campaign's worth of log lines: only what needs action.
    (log.debug if out.kind == "delivered" else log.info)(
        "push sent", extra={"host": _ref(endpoint), "status": resp.status,
                            "outcome": out.kind})
    return out


_timeouts: dict = {}
_splits: dict[str, str] = {}


def _split(endpoint: str) -> tuple[str, str]:
    """(origin, path and query) of an endpoint: the pool's key and the request target."""
    cut = endpoint.find("/", endpoint.find("//") + 2)
    head, path = (endpoint, "/") if cut < 0 else (endpoint[:cut], endpoint[cut:])
    origin = _splits.get(head)
    if origin is None:
        if len(_splits) >= 256:
            _splits.clear()
        origin = _splits[head] = _origin(head)
    return origin, path


def _timeout(pair: tuple[float, float]):
    got = _timeouts.get(pair)
    if got is None:
        from urllib3 import Timeout

        got = _timeouts[pair] = Timeout(connect=pair[0], read=pair[1])
    return got


def _failure(err: Exception) -> str:
    """What went wrong, in a word: ReadTimeout, ConnectTimeout or the error's class."""
    from urllib3.exceptions import ConnectTimeoutError, ReadTimeoutError

    if isinstance(err, ReadTimeoutError):
        return "ReadTimeout"
    if isinstance(err, ConnectTimeoutError):
        return "ConnectTimeout"
    return type(getattr(err, "reason", None) or err).__name__
