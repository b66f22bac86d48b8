"""The sender's hot path for a campaign's fan-out: a keep-alive pool per push service origin,
a subscription's keys decoded once, but a fresh ephemeral key and salt for every message
(RFC 8291), and what a connection failure says."""
from __future__ import annotations

import pytest

from functions.push import webpush
from tests.push.push_service import PushService


@pytest.fixture(autouse=True)
def _fresh():
    webpush.forget()
    yield
    webpush.forget()


def device(sub) -> dict:
    keys = sub.json["keys"]
    return {"endpoint": sub.endpoint, "p256dh": keys["p256dh"], "auth": keys["auth"]}


def _header(body: bytes) -> tuple[bytes, bytes]:
    """(salt, the sender's ephemeral public key) of an aes128gcm body (RFC 8188 section 2.1:
    salt 16, record size 4, key id length 1, key id)."""
    idlen = body[20]
    return body[:16], body[21:21 + idlen]


def test_every_message_has_its_own_ephemeral_key_and_salt(settings):
    with PushService() as svc:
        sub = svc.subscriber()
        d = device(sub)
        pusher = webpush._pusher(d)
        assert webpush._pusher(d) is pusher  # the subscription's keys decoded once
        bodies = [pusher.encode(b'{"id":"x"}', "aes128gcm")["body"] for _ in range(3)]
        salts, keys = zip(*map(_header, bodies), strict=True)
        assert len(set(salts)) == 3 and len(set(keys)) == 3
        assert all(len(k) == 65 and k[0] == 4 for k in keys)  # uncompressed P-256 points
        # And what is sent decrypts with the subscriber's keys each time.
        for i in range(3):
            assert webpush.send(settings, d, {"id": f"n{i}"}).kind == "delivered"
        assert [r.payload["id"] for r in svc.for_token(sub.token)] == ["n0", "n1", "n2"]
        assert all(r.error is None for r in svc.for_token(sub.token))


def test_one_pool_per_push_service_origin_each_kept_alive(settings):
    with PushService() as one, PushService() as two:
        subs = [one.subscriber(), two.subscriber(), one.subscriber(), two.subscriber()]
        for i in range(8):
            assert webpush.send(settings, device(subs[i % 4]), {"id": str(i)}).kind == \
                "delivered"
        assert sorted(webpush._pools) == sorted([one.origin, two.origin])
        assert one.connections == 1 and two.connections == 1
        # The JWT is per origin: each service saw one Authorization header.
        for svc in (one, two):
            got = [r for s in subs for r in svc.for_token(s.token)]
            assert len(got) == 4 and len({r.headers["authorization"] for r in got}) == 1
            assert {r.claims["aud"] for r in got} == {svc.origin}


@pytest.mark.parametrize(("endpoint", "origin", "path"), [
    ("https://FCM.googleapis.com:443/fcm/send/x?y=1", "https://fcm.googleapis.com",
     "/fcm/send/x?y=1"),
    ("https://web.push.apple.com/QGiB", "https://web.push.apple.com", "/QGiB"),
    ("http://127.0.0.1:8123/push/t", "http://127.0.0.1:8123", "/push/t"),
    ("https://updates.push.services.mozilla.com", "https://updates.push.services.mozilla.com",
     "/"),
])
def test_an_endpoint_splits_into_its_pools_origin_and_the_request_target(endpoint, origin, path):
    assert webpush._split(endpoint) == (origin, path)


def test_keys_the_library_cannot_use_are_rejected_not_sent(settings):
    with PushService() as svc:
        sub = svc.subscriber()
        bad = {**device(sub), "p256dh": "AAAA"}
        out = webpush.send(settings, bad, {"id": "x"})
        assert out.kind == "rejected" and out.reason.startswith("not sendable")
        assert svc.for_token(sub.token) == []
