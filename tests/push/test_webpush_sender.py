"""The Web Push sender against a push service on loopback that verifies VAPID and decrypts each
message with the subscriber's keys (real RFC 8291): what arrives, its headers, the outcomes
(delivered, gone and removed, retry with Retry-After, retry on timeout, rejected), and one
connection for many sends."""
from __future__ import annotations

import json
import subprocess
import sys
import time
from datetime import UTC, datetime

import pytest

from functions.push import subscriptions, subscriptions_store, webpush
from tests import privacy
from tests.helpers import ROOT, ok
from tests.push.inbox_factories import bearer, citizen

DEVICES = "/api/v1/me/push-subscriptions"


@pytest.fixture(autouse=True)
def _fresh_session():
    webpush.forget()
    yield
    webpush.forget()


def device(sub) -> dict:
    keys = sub.json["keys"]
    return {"endpoint": sub.endpoint, "p256dh": keys["p256dh"], "auth": keys["auth"]}


def test_the_push_service_decrypts_the_generic_payload_with_the_subscribers_keys(
        settings, client, svc):
    sub = svc.subscriber()
    payload = webpush.lock_screen_payload("bm90aWNlLTE")
    out = webpush.send(settings, device(sub), payload)
    assert out == webpush.Outcome("delivered", 201)
    [got] = svc.for_token(sub.token)
    assert got.error is None
    assert got.payload == payload == {"title": "梅州政务服务", "body": "您有一条新消息",
                                      "url": "#/inbox", "id": "bm90aWNlLTE"}
    # Nothing on the lock screen names the person or a number of theirs.
    assert privacy.personal_numbers(json.dumps(got.payload, ensure_ascii=False)) == []
    # VAPID: signed for this push service's origin by the key browsers subscribe with.
    assert got.claims["aud"] == svc.origin
    assert got.claims["sub"] == webpush.VAPID_SUBJECT
    assert time.time() < got.claims["exp"] <= time.time() + 24 * 3600
    served = ok(client.get("/api/v1/push/vapid-key"))["public_key"]
    assert got.vapid_key == served == webpush.vapid_public_key(settings)
    assert got.headers["content-encoding"] == "aes128gcm"
    assert (got.headers["ttl"], got.headers["urgency"], got.headers["topic"]) == (
        "86400", "normal", "inbox")


def test_a_code_is_short_lived_and_urgent_and_headers_can_be_chosen(settings, svc):
    sub = svc.subscriber()
    assert webpush.send(settings, device(sub), {"id": "c"}, kind="code").kind == "delivered"
    assert webpush.send(settings, device(sub), {"id": "d"}, ttl=60, urgency="very-low",
                        topic="tax-2026-12").kind == "delivered"
    first, second = svc.for_token(sub.token)
    assert (first.headers["ttl"], first.headers["urgency"], first.headers["topic"]) == (
        "300", "high", "code")
    assert (second.headers["ttl"], second.headers["urgency"], second.headers["topic"]) == (
        "60", "very-low", "tax-2026-12")
    with pytest.raises(ValueError):
        webpush.send(settings, device(sub), {"id": "e"}, topic="x" * 33)
    with pytest.raises(ValueError):
        webpush.send(settings, device(sub), {"id": "e"}, urgency="urgent")
    assert len(svc.for_token(sub.token)) == 2  # refused before anything was sent


def test_gone_410_removes_the_subscription(settings, client, token, svc):
    person = citizen(settings, "叶振东")
    headers = bearer(token, person)
    keep, gone = svc.subscriber(), svc.subscriber("410")
    for sub in (keep, gone):
        ok(client.post(DEVICES, json=sub.json, headers=headers), 201)
    devices = {d["endpoint"]: d for d in subscriptions.for_delivery(settings, person["id"])}
    assert set(devices) == {keep.endpoint, gone.endpoint}
    out = subscriptions.deliver(settings, person["id"], devices[gone.endpoint],
                                webpush.lock_screen_payload("n1"))
    assert (out.kind, out.status) == ("gone", 410)
    left = subscriptions_store.of_account(settings, person["id"])
    assert [d["id"] for d in left] == [devices[keep.endpoint]["id"]]
    assert subscriptions.deliver(settings, person["id"], devices[keep.endpoint],
                                 webpush.lock_screen_payload("n1")).kind == "delivered"
    assert len(ok(client.get(DEVICES, headers=headers))["items"]) == 1


def test_429_is_a_retry_after_the_services_delay_and_500_a_retry(settings, svc):
    busy = svc.subscriber("429")
    out = webpush.send(settings, device(busy), {"id": "x"})
    assert out == webpush.Outcome("retry", 429, 7.0, "push service busy")
    busy.retry_after = "Wed, 01 Dec 2100 00:00:00 GMT"  # a date: capped at a day
    assert webpush.send(settings, device(busy), {"id": "x"}).retry_after == \
        webpush.RETRY_AFTER_MAX
    broken = svc.subscriber("500")
    out = webpush.send(settings, device(broken), {"id": "x"})
    assert (out.kind, out.status, out.retry_after) == ("retry", 500, None)
    # The service got (and decrypted) each of them: the outcome is its answer, not ours.
    assert all(r.error is None for r in svc.for_token(busy.token) + svc.for_token(broken.token))


def test_no_answer_within_the_read_timeout_is_a_retry(settings, svc):
    assert webpush.TIMEOUT == (3.0, 5.0)
    hung = svc.subscriber("hang")
    started = time.monotonic()
    out = webpush.send(settings, device(hung), {"id": "x"}, timeout=(3.0, 0.5))
    assert (out.kind, out.status, out.reason) == ("retry", None, "ReadTimeout")
    assert time.monotonic() - started < 2.5


def test_a_refused_connection_is_a_retry(settings, svc):
    sub = svc.subscriber()
    closed = {**device(sub), "endpoint": "http://127.0.0.1:9/push/" + sub.token}
    out = webpush.send(settings, closed, {"id": "x"})
    assert (out.kind, out.status) == ("retry", None)


def test_other_4xx_is_rejected_and_not_retried(settings, svc):
    big = svc.subscriber("413")
    assert webpush.send(settings, device(big), {"id": "x"}) == webpush.Outcome(
        "rejected", 413, None, "push service refused the message")


def test_one_connection_serves_many_sends(settings, svc):
    subs = [svc.subscriber() for _ in range(3)]
    for i in range(6):
        assert webpush.send(settings, device(subs[i % 3]), {"id": str(i)}).kind == "delivered"
    got = [r for s in subs for r in svc.for_token(s.token)]
    assert len(got) == 6 and all(r.error is None for r in got)
    assert len({r.connection for r in got}) == 1
    # The JWT is signed once per push service, not once per message.
    assert len({r.headers["authorization"] for r in got}) == 1


@pytest.mark.parametrize(("value", "seconds"), [
    ("120", 120.0), (" 0 ", 0.0), ("", None), (None, None), ("soon", None), ("-5", None),
    ("Tue, 01 Dec 2026 12:00:30 GMT", 30.0), ("Tue, 01 Dec 2026 11:00:00 GMT", 0.0),
    ("99999999", webpush.RETRY_AFTER_MAX),
])
def test_retry_after_reads_seconds_and_http_dates(value, seconds):
    now = datetime(2026, 12, 1, 12, 0, 0, tzinfo=UTC)
    assert webpush.retry_after(value, now=now) == seconds


@pytest.mark.parametrize(("status", "kind"), [
    (201, "delivered"), (202, "delivered"), (404, "gone"), (410, "gone"), (429, "retry"),
    (500, "retry"), (503, "retry"), (400, "rejected"), (401, "rejected"), (403, "rejected"),
    (413, "rejected"),
])
def test_outcome_of_each_status(status, kind):
    assert webpush.outcome_of(status, {}).kind == kind


def test_pywebpush_is_not_imported_at_cold_start():
    code = ("import sys; from functions.app import create_app; "
            "print(sorted(m for m in ('pywebpush', 'aiohttp', 'http_ece', 'py_vapid') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                         text=True, check=True, env={"PATH": "/usr/bin:/bin"})
    assert out.stdout.strip() == "[]"


def test_a_deployed_stage_never_makes_its_vapid_key_on_a_request(settings, app):
    import dataclasses

    from functions.core import clock

    dev = dataclasses.replace(settings, stage="dev", jwt_keys_param="/hall/pushtest/jwt-keys")
    with pytest.raises(RuntimeError, match="missing"):
        webpush.vapid_public_key(dev)
    assert webpush.init_vapid_key(dev, clock.now()) is True
    first = webpush.vapid_public_key(dev)
    assert webpush.init_vapid_key(dev, clock.now()) is False  # never replaced
    assert webpush.vapid_public_key(dev) == first
    # The command does the same for the app's own stage (created on first use locally).
    webpush.vapid_public_key(settings)
    result = app.test_cli_runner().invoke(args=["push", "init-vapid-key"])
    assert result.exit_code == 0 and result.output.strip() == "already present"


def test_the_vapid_audience_is_the_push_services_origin(settings):
    import jwt

    def aud(endpoint: str) -> str:
        header = webpush.vapid_headers(settings, endpoint)["Authorization"]
        token = dict(p.split("=", 1) for p in header.split(" ", 1)[1].split(","))["t"]
        return jwt.decode(token, options={"verify_signature": False})["aud"]

    assert aud("https://FCM.googleapis.com:443/fcm/send/x") == "https://fcm.googleapis.com"
    assert aud("https://web.push.apple.com/QGiB") == "https://web.push.apple.com"
    assert aud("http://127.0.0.1:8123/push/x") == "http://127.0.0.1:8123"
