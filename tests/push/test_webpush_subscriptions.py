"""A person's Web Push devices: subscribe (several, capped, re-POST refreshes), list, remove;
422s for keys and endpoints we will not use (off-curve points, wrong lengths, not base64url,
not https, hosts outside the push services' allow-list); sealed at rest, never logged."""
from __future__ import annotations

import base64
import logging

import pytest

from functions.core import aws
from functions.core.log import JsonFormatter
from functions.push import subscriptions, subscriptions_model
from functions.push.subscriptions_model import Invalid, check_endpoint, check_keys, on_curve
from tests.helpers import ok
from tests.push.inbox_factories import bearer, citizen

DEVICES = "/api/v1/me/push-subscriptions"


@pytest.fixture
def person(settings, token):
    account = citizen(settings, "温雅琴")
    return {"account": account, "headers": bearer(token, account)}


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _errors(resp) -> dict:
    body = ok(resp, 422)
    return body["error"]["details"]["fields"]


def test_subscribe_list_refresh_and_remove(settings, client, person, svc):
    sub = svc.subscriber()
    made = ok(client.post(DEVICES, json=sub.json, headers=person["headers"]), 201)
    assert made["host"] == "127.0.0.1" and made["expires"] is None
    assert made["created"] == made["updated"]
    assert ok(client.get(DEVICES, headers=person["headers"]))["items"] == [made]
    # The same endpoint again (the browser rotated its keys): one device, the new keys.
    fresh = svc.subscriber()
    again = {**fresh.json, "endpoint": sub.endpoint, "expirationTime": 1893456000000}
    same = ok(client.post(DEVICES, json=again, headers=person["headers"]), 200)
    assert (same["id"], same["created"], same["expires"]) == (made["id"], made["created"],
                                                              1893456000000)
    [dev] = subscriptions.for_delivery(settings, person["account"]["id"])
    assert dev == {"id": made["id"], "endpoint": sub.endpoint, **fresh.json["keys"],
                   "expires": 1893456000000}
    # Logout's DELETE by endpoint; repeating it (or an unknown endpoint) changes nothing.
    for _ in range(2):
        assert client.delete(DEVICES, json={"endpoint": sub.endpoint},
                             headers=person["headers"]).status_code == 204
    assert ok(client.get(DEVICES, headers=person["headers"]))["items"] == []


def test_several_devices_capped_the_oldest_goes(settings, client, person, svc):
    subs = [svc.subscriber() for _ in range(subscriptions_model.CAP + 1)]
    ids = [ok(client.post(DEVICES, json=s.json, headers=person["headers"]), 201)["id"]
           for s in subs]
    listed = ok(client.get(DEVICES, headers=person["headers"]))["items"]
    assert len(listed) == subscriptions_model.CAP
    assert {d["id"] for d in listed} == set(ids[1:])  # the first one made room
    # Refreshing a stored one at the cap drops nothing.
    ok(client.post(DEVICES, json=subs[5].json, headers=person["headers"]), 200)
    assert len(ok(client.get(DEVICES, headers=person["headers"]))["items"]) == \
        subscriptions_model.CAP


def test_remove_by_id_is_for_ones_own_devices(settings, client, token, person, svc):
    made = ok(client.post(DEVICES, json=svc.subscriber().json, headers=person["headers"]), 201)
    other = bearer(token, citizen(settings, "钟伟明"))
    ok(client.delete(f"{DEVICES}/{made['id']}", headers=other), 404)
    assert len(ok(client.get(DEVICES, headers=person["headers"]))["items"]) == 1
    assert client.delete(f"{DEVICES}/{made['id']}",
                         headers=person["headers"]).status_code == 204
    ok(client.delete(f"{DEVICES}/{made['id']}", headers=person["headers"]), 404)


def test_devices_are_the_persons_and_not_for_staff_accounts(client, token, svc):
    ok(client.get(DEVICES), 401)
    ok(client.post(DEVICES, json=svc.subscriber().json), 401)
    officer = token("officer", department="SCJGJ", region="441400", subject="officer-push")
    ok(client.post(DEVICES, json=svc.subscriber().json, headers=officer), 403)


def test_sealed_at_rest_and_never_logged(settings, client, person, svc):
    records: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record):
            records.append(JsonFormatter().format(record))

    handler = Keep()
    logging.getLogger("hall").addHandler(handler)
    try:
        sub = svc.subscriber()
        ok(client.post(DEVICES, json=sub.json, headers=person["headers"]), 201)
    finally:
        logging.getLogger("hall").removeHandler(handler)
    items = aws.client("dynamodb", settings).query(
        TableName=settings.table_name, KeyConditionExpression="pk = :p AND begins_with(sk, :s)",
        ExpressionAttributeValues={":p": {"S": f"ACCOUNT#{person['account']['id']}"},
                                   ":s": {"S": "PUSHSUB#"}})["Items"]
    assert len(items) == 1
    stored = repr(items)
    for secret in (sub.token, sub.json["keys"]["p256dh"], sub.json["keys"]["auth"]):
        assert secret not in stored
        assert not any(secret in line for line in records)
    assert any("push subscription stored" in line for line in records)


def test_the_vapid_key_is_public_and_a_p256_point(client):
    key = ok(client.get("/api/v1/push/vapid-key"))["public_key"]
    assert on_curve(_unb64(key))


def _with_keys(sub: dict, **keys) -> dict:
    return {**sub, "keys": {**sub["keys"], **keys}}


def test_bad_keys_are_422_naming_the_field(client, person, svc):
    good = svc.subscriber().json
    point = _unb64(good["keys"]["p256dh"])
    off_curve = point[:64] + bytes([point[64] ^ 1])
    cases = {
        "keys.p256dh": [_b64(point[:64]), _b64(b"\x02" + point[1:]), _b64(off_curve),
                        good["keys"]["p256dh"].replace("-", "+").replace("_", "/") + "+/",
                        "not base64!"],
        "keys.auth": [_b64(b"\x00" * 15), _b64(b"\x00" * 17), "a*b"],
    }
    for field, values in cases.items():
        for value in values:
            body = _with_keys(good, **{field.split(".")[1]: value})
            assert field in _errors(client.post(DEVICES, json=body,
                                                headers=person["headers"])), value
    # Missing or mistyped members are the schema's 422.
    assert "keys" in _errors(client.post(DEVICES, json={"endpoint": good["endpoint"]},
                                         headers=person["headers"]))
    assert "endpoint" in _errors(client.post(DEVICES, json={**good, "endpoint": 5},
                                             headers=person["headers"]))
    assert ok(client.get(DEVICES, headers=person["headers"]))["items"] == []


@pytest.mark.parametrize("endpoint", [
    "http://fcm.googleapis.com/fcm/send/abc",           # not https, even locally
    "https://user:pw@127.0.0.1:8080/push/x",            # user info
    "ftp://127.0.0.1/push/x",
    "https://169.254.169.254/latest/meta-data",          # an IP literal: not a push service
    "https://push.example.cn/abc",
    "/relative/path",
    "https://fcm.googleapis.com/fcm send/x",
])
def test_endpoints_refused_even_in_the_local_stage(client, person, svc, endpoint):
    body = {**svc.subscriber().json, "endpoint": endpoint}
    assert "endpoint" in _errors(client.post(DEVICES, json=body, headers=person["headers"]))


@pytest.mark.parametrize(("endpoint", "host"), [
    ("https://fcm.googleapis.com/fcm/send/dXNlcjE:APA91b", "fcm.googleapis.com"),
    ("https://updates.push.services.mozilla.com/wpush/v2/gAAAAAB",
     "updates.push.services.mozilla.com"),
    ("https://web.push.apple.com/QGiBMw", "web.push.apple.com"),
    ("https://wns2-par02p.notify.windows.com/w/?token=BQYAAAD", "wns2-par02p.notify.windows.com"),
    ("https://FCM.googleapis.com:443/fcm/send/x", "fcm.googleapis.com"),
])
def test_the_push_services_hosts_are_accepted_outside_the_local_stage(endpoint, host):
    assert check_endpoint(endpoint, local=False) == host


@pytest.mark.parametrize("endpoint", [
    "http://127.0.0.1:8123/push/x",                      # the loopback service: local only
    "https://localhost/push/x",
    "https://[::1]/push/x",
    "https://142.250.1.95/fcm/send/x",                   # an IP, whatever it serves
    "https://fcm.googleapis.com:8443/fcm/send/x",        # another port
    "https://fcm.googleapis.com.evil.cn/fcm/send/x",     # the name as a prefix
    "https://evilfcm.googleapis.com/x",
    "https://push.apple.com/x",                          # the bare suffix is no host of theirs
    "https://evil.cn\\@fcm.googleapis.com/x",
    "https://fcm.googleapis.com@evil.cn/x",
    "http://updates.push.services.mozilla.com/wpush/v2/x",
    "https://fcm.googleapis.com/x#frag",
])
def test_anything_else_is_refused_outside_the_local_stage(endpoint):
    with pytest.raises(Invalid) as err:
        check_endpoint(endpoint, local=False)
    assert err.value.field == "endpoint"


def test_the_loopback_service_is_the_local_stages_only():
    assert check_endpoint("http://127.0.0.1:8123/push/x", local=True) == "127.0.0.1"
    with pytest.raises(Invalid):
        check_endpoint("http://127.0.0.1:8123/push/x", local=False)


def test_key_checks_on_known_points():
    # The P-256 generator is on the curve; the point at x=0 is not.
    g = bytes.fromhex(
        "04" "6B17D1F2E12C4247F8BCE6E563A440F277037D812DEB33A0F4A13945D898C296"
        "4FE342E2FE1A7F9B8EE7EB4A7C0F9E162BCE33576B315ECECBB6406837BF51F5")
    assert on_curve(g)
    assert not on_curve(b"\x04" + bytes(64))
    check_keys(_b64(g), _b64(bytes(16)))
    with pytest.raises(Invalid):
        check_keys(_b64(g[:33]), _b64(bytes(16)))


def test_outside_the_local_stage_the_loopback_service_is_a_422(settings, svc):
    import dataclasses

    from functions.core.errors import Unprocessable
    from tests.push.inbox_factories import principal

    dev = dataclasses.replace(settings, stage="dev")
    person = citizen(settings, "古志坚")
    with pytest.raises(Unprocessable) as err:
        subscriptions.subscribe(dev, principal(person), svc.subscriber().json,
                                at="2026-12-01T08:00:00+08:00")
    assert err.value.status == 422 and "endpoint" in err.value.details["fields"]
    assert subscriptions.devices(dev, principal(person)) == []
