"""A browser push service on loopback, for the tests and benchmarks: it checks each POST's VAPID
header (RFC 8292: the ES256 JWT's aud, exp and sub against the key it names), decrypts the body
with the subscriber's private key and auth secret (RFC 8291 aes128gcm, as a browser does) and
answers 201, 410, 429 (with Retry-After) or 500 on demand, or hangs (a timeout)."""
from __future__ import annotations

import base64
import json
import os
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class Subscriber:
    """A browser's side of one subscription: the keys it generated and what it got."""
    token: str
    endpoint: str
    private_key: object
    auth: bytes
    # "201" (default), "410", "429", "500" or "hang"
    answer: str = "201"
    retry_after: str | None = "7"  # None: a 429 without Retry-After

    @property
    def json(self) -> dict:
        """What PushSubscription.toJSON() gives the page."""
        from cryptography.hazmat.primitives import serialization

        point = self.private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
        return {"endpoint": self.endpoint, "expirationTime": None,
                "keys": {"p256dh": _b64(point), "auth": _b64(self.auth)}}


@dataclass
class Received:
    token: str
    headers: dict
    payload: dict | None
    claims: dict | None
    vapid_key: str | None
    error: str | None
    connection: int


@dataclass
class PushService:
    """Run with `with PushService() as svc:`; svc.subscriber() makes a browser's keys."""
    subject_prefixes: tuple = ("mailto:", "https:")
    received: list = field(default_factory=list)
    connections: int = 0
    subscribers: dict = field(default_factory=dict)
    decrypt: bool = True

    def __post_init__(self):
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.server.daemon_threads = True
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> PushService:
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self.server.shutdown()
        self.server.server_close()

    def subscriber(self, answer: str = "201") -> Subscriber:
        from cryptography.hazmat.primitives.asymmetric import ec

        token = secrets.token_urlsafe(24)
        sub = Subscriber(token, f"{self.origin}/push/{token}",
                         ec.generate_private_key(ec.SECP256R1()), os.urandom(16), answer)
        self.subscribers[token] = sub
        return sub

    def _connected(self) -> int:
        with self._lock:
            self.connections += 1
            return self.connections

    def _record(self, rec: Received) -> None:
        with self._lock:
            self.received.append(rec)

    def for_token(self, token: str) -> list[Received]:
        return [r for r in self.received if r.token == token]


def _verify_vapid(svc: PushService, header: str) -> tuple[dict, str]:
    """The JWT's claims and the key it names, or ValueError for a header a push service
    would refuse (RFC 8292: scheme vapid, t=<JWT>, k=<P-256 public key>)."""
    import jwt
    from cryptography.hazmat.primitives.asymmetric import ec

    scheme, _, params = header.partition(" ")
    if scheme.lower() != "vapid":
        raise ValueError("not a vapid Authorization")
    parts = dict(p.strip().split("=", 1) for p in params.split(","))
    key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), _unb64(parts["k"]))
    claims = jwt.decode(parts["t"], key, algorithms=["ES256"], audience=svc.origin,
                        options={"require": ["aud", "exp", "sub"]})
    if claims["exp"] > time.time() + 24 * 3600:
        raise ValueError("exp more than 24 hours ahead")
    if not claims["sub"].startswith(svc.subject_prefixes):
        raise ValueError("sub is not a mailto: or https: contact")
    return claims, parts["k"]


def _handler(svc: PushService):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive: one connection serves many pushes

        def setup(self):
            super().setup()
            self.conn_no = svc._connected()

        def log_message(self, *args):  # quiet
            pass

        def _answer(self, status: int, headers: dict | None = None) -> None:
            self.send_response(status)
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def do_POST(self):
            import http_ece

            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            token = self.path.rsplit("/", 1)[-1]
            sub = svc.subscribers.get(token)
            headers = {k.lower(): v for k, v in self.headers.items()}
            claims = key = error = payload = None
            try:
                claims, key = _verify_vapid(svc, headers.get("authorization", ""))
            except Exception as err:  # any fault is a refused header
                error = f"vapid: {type(err).__name__}: {err}"
            if sub is not None and error is None and svc.decrypt:
                try:
                    plain = http_ece.decrypt(body, private_key=sub.private_key,
                                             auth_secret=sub.auth, version="aes128gcm")
                    payload = json.loads(plain)
                except Exception as err:
                    error = f"decrypt: {type(err).__name__}: {err}"
            svc._record(Received(token, headers, payload, claims, key, error, self.conn_no))
            if sub is None:
                return self._answer(404)
            if error:
                return self._answer(401 if error.startswith("vapid") else 400)
            if sub.answer == "hang":
                svc._stop.wait(10)
                return self._answer(201)
            status = int(sub.answer)
            extra = {"Retry-After": sub.retry_after} if status == 429 and sub.retry_after else {}
            if status == 201:
                extra["Location"] = f"{svc.origin}/message/{secrets.token_hex(8)}"
            return self._answer(status, extra)

    return Handler
