"""A notice's SMS through the domestic provider (the loopback stand-in of Aliyun's API): a
provider answering 500 is retried with backoff and the text goes out once; one failing every
try is recorded failed in the ledger (and the campaign); a first try that times out after
the provider took the text is not sent again (the message's idempotency key, OutId, found by
QuerySendDetails)."""
from __future__ import annotations

import dataclasses
import itertools
import json
from datetime import date

import pytest

from functions.core import aws, clock, sms_aliyun
from functions.identity import cn_ids
from functions.push import delivery, preferences, sms_retry
from tests.core.sms_provider import ACCESS_KEY_ID, ACCESS_KEY_SECRET, Provider
from tests.helpers import drain_queue
from tests.push import delivery_helpers as h
from tests.push.inbox_factories import principal

KEYS_PARAM = "/hall/local/sms-keys-retry"
_seq = itertools.count(1)


@pytest.fixture(scope="module")
def provider():
    stand_in = Provider()
    yield stand_in
    stand_in.stop()


@pytest.fixture
def china(settings, provider, monkeypatch):
    aws.client("ssm", settings).put_parameter(
        Name=KEYS_PARAM, Type="SecureString", Overwrite=True,
        Value=json.dumps({"access_key_id": ACCESS_KEY_ID, "access_key_secret": ACCESS_KEY_SECRET}))
    sms_aliyun.forget()
    provider.mode, provider.script = "ok", []
    waits: list[float] = []
    monkeypatch.setattr(sms_retry.time, "sleep", waits.append)  # the backoff, recorded
    monkeypatch.setattr(sms_retry, "BACKOFF", (1.0, 2.0))
    drain_queue(settings)
    yield dataclasses.replace(settings, sms_provider="aliyun", sms_endpoint=provider.url,
                              sms_keys_param=KEYS_PARAM), waits
    provider.mode, provider.script = "ok", []
    sms_aliyun.forget()


def _texted_person(settings) -> dict:
    """A citizen (phone 19902602xxx) who takes deadlines by SMS, at any hour."""
    from functions.identity.cli import create_staff

    n = next(_seq)
    phone = f"19902602{n:03d}"
    acct = create_staff(settings, kind="citizen", name="邱短信", phone=phone, roles=[],
                        id_number=cn_ids.make_id_number("441422", date(1983, 3, 3), 800 + n),
                        password="Hakka-Tulou#2026")
    preferences.update(settings, principal(acct), {
        "topics": {"deadline": {"channels": ["sms"]}}, "quiet_hours": None}, at=clock.now())
    return {**acct, "phone": phone}


def _ours(provider, phone: str) -> list[dict]:
    return [r for r in provider.requests if r["PhoneNumbers"] == phone]


def test_a_provider_error_is_retried_with_backoff_and_sent_once(china, provider):
    settings, waits = china
    acct = _texted_person(settings)
    provider.script = ["error_500", "error_500"]
    cid = h.new_campaign()
    assert delivery.deliver(settings, h.job(cid, [acct]))["done"] == 1
    tries = _ours(provider, acct["phone"])
    assert len(tries) == 3 and waits == [1.0, 2.0]
    assert len({t["OutId"] for t in tries}) == 1  # one idempotency key for the message
    assert [s for s in provider.sent if s["phone"] == acct["phone"]] == [
        {"phone": acct["phone"], "out_id": tries[0]["OutId"], "date": clock.iso()[:10],
         "template": tries[0]["TemplateCode"]}]
    [entry] = h.ledger(settings, acct)
    assert entry["channels"]["sms"] == "sent" and entry["status"] == "delivered"
    assert h.counters(settings, cid) == {"inbox": 1, "sms": 1, "delivered": 1}


def test_a_provider_failing_every_try_is_recorded_failed(china, provider):
    settings, waits = china
    acct = _texted_person(settings)
    provider.mode = "error_500"
    cid = h.new_campaign()
    assert delivery.deliver(settings, h.job(cid, [acct]))["done"] == 1  # not retried by SQS
    assert len(_ours(provider, acct["phone"])) == sms_retry.TRIES and waits == [1.0, 2.0]
    assert not [s for s in provider.sent if s["phone"] == acct["phone"]]
    [entry] = h.ledger(settings, acct)
    assert entry["channels"] == {"inbox": "delivered", "sms": "failed"}
    assert entry["status"] == "failed"
    assert h.counters(settings, cid) == {"inbox": 1, "failed": 1}


def test_a_throttle_waits_its_capped_retry_after(china, provider):
    settings, waits = china
    acct = _texted_person(settings)
    provider.script = ["throttled"]  # isv.BUSINESS_LIMIT_CONTROL: 60 s asked
    assert delivery.deliver(settings, h.job(h.new_campaign(), [acct]))["done"] == 1
    assert waits == [sms_retry.MAX_WAIT] and len(_ours(provider, acct["phone"])) == 2
    assert h.ledger(settings, acct)[0]["channels"]["sms"] == "sent"


def test_a_timeout_after_the_provider_took_it_is_not_sent_twice(china, provider,
                                                                 monkeypatch):
    settings, waits = china
    acct = _texted_person(settings)
    monkeypatch.setattr(sms_aliyun, "READ_TIMEOUT", 0.3)
    monkeypatch.setattr(sms_aliyun, "_pool", None)  # a pool with the short read timeout
    provider.script, provider.hang = ["sent_then_hang"], 1.0
    cid = h.new_campaign()
    assert delivery.deliver(settings, h.job(cid, [acct]))["done"] == 1
    assert len(_ours(provider, acct["phone"])) == 1  # asked, not sent again
    assert len([s for s in provider.sent if s["phone"] == acct["phone"]]) == 1
    [entry] = h.ledger(settings, acct)
    assert entry["channels"]["sms"] == "sent" and entry["status"] == "delivered"
    assert h.counters(settings, cid) == {"inbox": 1, "sms": 1, "delivered": 1}
    monkeypatch.setattr(sms_aliyun, "_pool", None)
