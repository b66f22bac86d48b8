"""SSM (the keyrings) and SNS (text messages) under faults: a cold instance that cannot read
its keys answers 503 with Retry-After, a warm one keeps verifying with the keys it holds; a
text the provider cannot take now is the retryable SmsFailure (503), never a 500."""
from __future__ import annotations

import pytest

from functions.core import keys, sms
from tests.faults.inject import Fault, transient_for


def _ssm_only(n):
    def choose(call):
        return transient_for(call, n) if call.service == "ssm" else None
    return choose


def test_a_cold_keyring_behind_a_fault_is_a_503_then_recovers(client, injector):
    for n in range(3):   # SSM's throttling, 5xx and a refused connection in turn
        keys.forget()
        injector.arm(1, _ssm_only(n))
        try:
            resp = client.get("/.well-known/jwks.json")
        finally:
            injector.disarm()
        assert injector.injected and injector.injected[1].service == "ssm"
        assert resp.status_code == 503, resp.get_json()
        assert resp.headers["Retry-After"] and resp.get_json()["error"]["code"] == "unavailable"
    assert client.get("/.well-known/jwks.json").status_code == 200


def test_a_warm_keyring_keeps_verifying_when_ssm_fails(client, injector, settings, token,
                                                       monkeypatch):
    headers = token("citizen", subject="flt-1990310-keys", kind="citizen", lvl=1)
    held = keys.keyring(settings)                            # loaded
    monkeypatch.setattr(keys, "FORCE_INTERVAL", 0.0)          # the next forced read goes out
    injector.arm(1, lambda call: Fault("ssm", "ThrottlingException", 400)
                 if call.service == "ssm" else None)
    try:
        again = keys.keyring(settings, force=True)           # ... and meets the fault
    finally:
        injector.disarm()
    assert injector.injected is not None and again == held
    # A token signed with the held keys is still accepted.
    assert client.get("/api/v1/me/inbox", headers=headers).status_code == 200


@pytest.mark.parametrize("n", range(3))   # SNS throttled, its 5xx, a read timeout
def test_a_text_the_provider_cannot_take_now_is_retryable(settings, injector, n):
    injector.arm(1, lambda call: transient_for(call, n) if call.service == "sns" else None)
    try:
        with pytest.raises(sms.SmsFailure) as err:
            sms.send(settings, phone="19903109999", phone_hash="flt-1990310-sms",
                     template="account_code", params={"code": "123456", "minutes": "5"},
                     at="2031-03-03T09:00:00.000+08:00")
    finally:
        injector.disarm()
    assert injector.injected and injector.injected[1].service == "sns"
    assert err.value.status == 503 and err.value.headers.get("Retry-After")
