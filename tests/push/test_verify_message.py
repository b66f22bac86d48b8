"""POST /api/v1/verify-message (public): a code a message carried is genuine, with nothing
personal in the answer; unknown, malformed-but-plausible and expired codes are not; the
address is rate-limited (429); a busy store is a 503."""
from __future__ import annotations

from datetime import timedelta

import pytest

from functions.core import aws, clock
from functions.core.store import transact
from functions.push import verify_model, verify_store
from tests.helpers import ok

VERIFY = "/api/v1/verify-message"


def _issue(settings, *, at=None, title="梅州市税务局：本月申报期即将截止") -> str:
    code = verify_model.new_code()
    transact(settings, [verify_store.verify_item(settings.table_name, code, {
        "sent_at": clock.iso(at or clock.now()), "channel": "push", "title": title,
        "sender": "梅州市税务局 · 月度申报提醒"})])
    return code


@pytest.fixture
def fresh_address(client):
    """Each test its own client address: the rate limit counts per address."""
    import secrets
    addr = f"10.{secrets.randbelow(250)}.{secrets.randbelow(250)}.{secrets.randbelow(250)}"
    return {"environ_base": {"REMOTE_ADDR": addr}}


def test_a_genuine_code_and_its_forgiving_forms(client, settings, fresh_address):
    code = _issue(settings)
    for typed in (code, code.lower(), verify_model.shown(code), f" {code[:4]} {code[4:]} "):
        got = ok(client.post(VERIFY, json={"code": typed}, **fresh_address))
        assert got["genuine"] is True, typed
        assert got["channel"] == "push" and got["sender"].startswith("梅州市税务局")
        assert set(got) == {"genuine", "sent_at", "channel", "title", "sender", "sender_en"}


def test_unknown_expired_and_nonsense_codes_are_not_genuine(client, settings, fresh_address):
    old = _issue(settings, at=clock.now() - timedelta(days=verify_model.KEEP_DAYS + 1))
    for typed in (old, "ZZZZZZZZ", "hello", "0000-000", "x" * 32):
        assert ok(client.post(VERIFY, json={"code": typed}, **fresh_address)) == {
            "genuine": False}, typed
    ok(client.post(VERIFY, json={"code": "x" * 33}, **fresh_address), 422)
    ok(client.post(VERIFY, json={}, **fresh_address), 422)
    ok(client.post(VERIFY, json={"code": "ABCD1234", "phone": "1"}, **fresh_address), 422)


def test_no_personal_data_in_the_answer(client, settings, fresh_address):
    code = _issue(settings, title="您的申请 441402199001011234 已办结，联系13800138000")
    got = ok(client.post(VERIFY, json={"code": code}, **fresh_address))
    assert not any(ch.isdigit() for ch in got["title"]) and "*" not in got["title"]


def test_alphabet_is_unambiguous():
    assert not set("ILOU") & set(verify_model.ALPHABET) and len(verify_model.ALPHABET) == 32
    codes = {verify_model.new_code() for _ in range(1000)}
    assert len(codes) == 1000 and all(verify_model.read(c) == c for c in codes)
    assert verify_model.read("ABCU1234") is None  # U is never in a code
    assert verify_model.read("1O1L-ILOO") == "10111100"  # read as the digits they look like


def test_the_address_is_rate_limited(client, settings, fresh_address):
    from functions.push import preferences

    most, _ = preferences.VERIFY_LIMIT
    limit = most * settings.rate_limit_scale
    for _ in range(limit):
        ok(client.post(VERIFY, json={"code": "ZZZZZZZZ"}, **fresh_address))
    resp = client.post(VERIFY, json={"code": "ZZZZZZZZ"}, **fresh_address)
    assert ok(resp, 429)["error"]["code"] and int(resp.headers["Retry-After"]) > 0


def test_a_busy_store_is_a_503(client, settings, fresh_address, monkeypatch):
    from botocore.exceptions import ClientError

    code = _issue(settings)
    ddb = aws.client("dynamodb", settings)
    real = ddb.get_item

    def busy(**kw):
        if "VERIFY#" in repr(kw):
            raise ClientError({"Error": {"Code": "ThrottlingException", "Message": "slow"},
                               "ResponseMetadata": {"HTTPStatusCode": 400}}, "GetItem")
        return real(**kw)
    monkeypatch.setattr(ddb, "get_item", busy)
    resp = client.post(VERIFY, json={"code": code}, **fresh_address)
    assert ok(resp, 503)["error"]["code"] == "unavailable"
