"""验证码登录 and 忘记密码: codes texted to citizens only, one use, a few tries, rate-limited like a
login; a reset ends every session and answers an unknown phone exactly like a known one.

Everyone here is made up (phones 1990052xxxx, see made_up_citizen): nobody else registers them.
"""
from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest

from functions.core import clock
from functions.identity import service
from functions.identity.service import recovery
from tests.helpers import ok
from tests.identity.conftest import (
    PASSWORD,
    RECOVERY_PHONES,
    assert_audited,
    bearer,
    claims_of,
    codes_for,
    login,
    made_up_citizen,
    new_client,
    refresh,
    register_citizen,
    set_cookies,
    table_items,
    tokens_of,
)

NEW_PASSWORD = "Kejia-Weilongwu#7"
WRONG_CODE = "000000"


def _texts(client, phone: str) -> list[str]:
    return [i["text"] for i in ok(client.get("/api/v1/dev/outbox",
                                             query_string={"phone": phone}))["items"]]


def _ask_code(client, phone: str, purpose: str) -> dict:
    return ok(client.post("/api/v1/auth/codes", json={"phone": phone, "purpose": purpose}), 202)


def _code_login(client, phone: str, code: str):
    return client.post("/api/v1/auth/login/code", json={"phone": phone, "code": code})


def _reset(client, phone: str, code: str, password: str = NEW_PASSWORD):
    return client.post("/api/v1/auth/password/reset",
                       json={"phone": phone, "code": code, "password": password})


def _error(resp, status: int, field: str | None = None) -> dict:
    """The envelope without its request id (which differs on every request)."""
    err = ok(resp, status)["error"]
    assert err.pop("request_id")
    if field:
        assert field in err["details"]["fields"], err
    return err


def _staff(settings, n: int) -> dict:
    p = made_up_citizen(n)
    return service.new_staff(settings, None, kind="officer", name="温工作", password=PASSWORD,
                             id_number=p["id_number"], phone=p["phone"], roles=["officer"],
                             department="SCJGJ", region="441400", at=clock.now(), actor="test")


@pytest.fixture
def later(app, travel):
    """Move the clock past the one-code-a-minute limit of a phone, as often as needed."""
    moved = [0]

    def later() -> None:
        moved[0] += 61
        travel(timedelta(seconds=moved[0]))

    return later


# ---- 验证码登录 -------------------------------------------------------------------------------

def test_a_citizen_logs_in_with_a_texted_code_once(app, settings, later):
    client = new_client(app)
    p = made_up_citizen(10)
    aid = register_citizen(client, p)["account"]["id"]
    later()
    assert _ask_code(client, p["phone"], "login")["expires_in"] == 300
    code = codes_for(client, p["phone"])[0]
    assert "登录验证码" in _texts(client, p["phone"])[0]
    tokens = tokens_of(_code_login(client, p["phone"], code))
    assert tokens["account"]["id"] == aid and tokens["refresh_token"]
    assert claims_of(tokens["access_token"])["sub"] == aid
    ok(client.get("/api/v1/me", headers=bearer(tokens)))
    ok(refresh(client, tokens["refresh_token"]))
    assert_audited(settings, aid, "login.ok.sms")
    # Single use: the same code again is a wrong code, and the refusal is audited.
    _error(_code_login(client, p["phone"], code), 422, "code")
    assert_audited(settings, aid, "login.fail", "refused")


def test_a_login_code_lasts_five_minutes_and_five_tries(app, settings, later, travel):
    client = new_client(app)
    p = made_up_citizen(11)
    register_citizen(client, p)
    later()
    _ask_code(client, p["phone"], "login")
    code = codes_for(client, p["phone"])[0]
    wrong = WRONG_CODE if code != WRONG_CODE else "111111"
    for _ in range(5):
        _error(_code_login(client, p["phone"], wrong), 422, "code")
    _error(_code_login(client, p["phone"], code), 422, "code")  # tries used up: code gone
    later()
    _ask_code(client, p["phone"], "login")
    code = codes_for(client, p["phone"])[0]
    travel(timedelta(seconds=61 * 2 + 301))  # past its five minutes
    _error(_code_login(client, p["phone"], code), 422, "code")


def test_staff_and_unknown_numbers_get_no_login_code_and_the_same_answer(app, settings):
    client = new_client(app)
    _staff(settings, 12)
    unknown = RECOVERY_PHONES[13]
    assert _ask_code(client, RECOVERY_PHONES[12], "login") == _ask_code(client, unknown, "login")
    assert _texts(client, RECOVERY_PHONES[12]) == [] and _texts(client, unknown) == []
    # Staff keep two factors: no code opens their account alone, answered as for nobody.
    assert _error(_code_login(client, RECOVERY_PHONES[12], WRONG_CODE), 422, "code") \
        == _error(_code_login(client, unknown, WRONG_CODE), 422, "code")
    first = ok(login(client, RECOVERY_PHONES[12], PASSWORD))
    assert first["mfa_required"] is True  # the password login still asks for the code


def test_code_logins_are_rate_limited_like_logins(app):
    client = new_client(app)
    phone = RECOVERY_PHONES[14]
    for _ in range(10):
        _error(_code_login(client, phone, WRONG_CODE), 422, "code")
    resp = _code_login(client, phone, WRONG_CODE)
    assert _error(resp, 429)["code"] == "too_many_requests" and int(resp.headers["Retry-After"]) > 0
    # per account and address: the same number from another address is not held up
    _error(_code_login(new_client(app), phone, WRONG_CODE), 422, "code")


# ---- 忘记密码 ---------------------------------------------------------------------------------

def test_a_reset_sets_the_password_and_ends_every_other_session(app, settings, later):
    client = new_client(app)
    p = made_up_citizen(20)
    first = register_citizen(client, p)
    second = tokens_of(login(client, p["phone"]))
    aid = first["account"]["id"]
    later()
    _ask_code(client, p["phone"], "reset")
    assert "重置密码" in _texts(client, p["phone"])[0]
    resp = _reset(client, p["phone"], codes_for(client, p["phone"])[0])
    tokens = tokens_of(resp)
    assert tokens["account"]["id"] == aid and set_cookies(resp)["__Secure-hall_rt"][0]
    ok(client.get("/api/v1/me", headers=bearer(tokens)))  # logged in afresh
    # Both earlier sessions are over, their access and refresh tokens alike.
    for old in (first, second):
        assert client.get("/api/v1/me", headers=bearer(old)).status_code == 401
        assert refresh(client, old["refresh_token"]).status_code == 401
    # The old password is gone; the new one works.
    assert login(client, p["phone"]).status_code == 401
    ok(login(client, p["phone"], NEW_PASSWORD))
    row = assert_audited(settings, aid, "password.reset")
    assert '"sessions_ended": 2' in row["detail"]
    notices = [i for i in table_items(settings, f"ACCOUNT#{aid}", "INBOX#")
               if i["title"]["S"] == "密码已重置"]
    assert len(notices) == 1
    assert "密码已重置" in _texts(client, p["phone"])[0]  # and the phone is told


def test_a_reset_for_an_unknown_phone_answers_exactly_like_a_known_one(app, settings,
                                                                        later):
    client = new_client(app)
    p = made_up_citizen(21)
    register_citizen(client, p)
    later()
    unknown = RECOVERY_PHONES[22]
    assert _ask_code(client, p["phone"], "reset") == _ask_code(client, unknown, "reset")
    assert _texts(client, unknown) == []  # nobody to tell
    known_resp, unknown_resp = (_reset(client, n, WRONG_CODE) for n in (p["phone"], unknown))
    assert known_resp.status_code == unknown_resp.status_code == 422
    assert _error(known_resp, 422, "code") == _error(unknown_resp, 422, "code")
    assert set(known_resp.headers.keys()) == set(unknown_resp.headers.keys())
    # A weak password is refused before anything about the account: the same answer too.
    weak = [_error(_reset(client, n, WRONG_CODE, "short"), 422, "password")
            for n in (p["phone"], unknown)]
    assert weak[0] == weak[1]
    assert_audited(settings, "anonymous", "password.reset", "refused")


def test_a_password_with_personal_numbers_is_refused_only_after_the_code(app, later):
    client = new_client(app)
    p = made_up_citizen(23)
    register_citizen(client, p)
    later()
    _ask_code(client, p["phone"], "reset")
    code = codes_for(client, p["phone"])[0]
    personal = f"Aa#{p['phone']}"
    # With a wrong code the personal check never runs (it would tell the number exists).
    _error(_reset(client, p["phone"], WRONG_CODE if code != WRONG_CODE else "111111",
                  personal), 422, "code")
    _error(_reset(client, p["phone"], code, personal), 422, "password")
    ok(_reset(client, p["phone"], code))  # the code still works for a good password
    _error(_reset(client, p["phone"], code), 422, "code")  # and is spent now


def test_staff_passwords_are_not_reset_by_text(app, settings):
    client = new_client(app)
    _staff(settings, 24)
    phone = RECOVERY_PHONES[24]
    _ask_code(client, phone, "reset")
    texts = _texts(client, phone)
    assert len(texts) == 1 and "管理员" in texts[0] and not codes_for(client, phone)
    _error(_reset(client, phone, WRONG_CODE), 422, "code")
    assert ok(login(client, phone, PASSWORD))["mfa_required"] is True  # unchanged


def test_resets_are_rate_limited_per_account_and_address(app):
    client = new_client(app)
    phone = RECOVERY_PHONES[25]
    for _ in range(10):
        _error(_reset(client, phone, WRONG_CODE), 422, "code")
    resp = _reset(client, phone, WRONG_CODE)
    assert _error(resp, 429)["code"] == "too_many_requests" and int(resp.headers["Retry-After"]) > 0
    _error(_reset(new_client(app), phone, WRONG_CODE), 422, "code")


def test_a_reset_ends_sessions_beyond_one_transaction_too(app, settings, monkeypatch,
                                                          later):
    monkeypatch.setattr(recovery, "ENDED_IN_RESET", 1)
    client = new_client(app)
    p = made_up_citizen(26)
    sessions = [register_citizen(client, p)] + [ok(login(client, p["phone"])) for _ in range(2)]
    later()
    _ask_code(client, p["phone"], "reset")
    ok(_reset(client, p["phone"], codes_for(client, p["phone"])[0]))
    for old in sessions:
        assert client.get("/api/v1/me", headers=bearer(old)).status_code == 401


# ---- the cookie across origins ---------------------------------------------------------------

def test_credentials_are_allowed_for_the_pwa_origin_alone(settings):
    from functions.app import create_app

    origin = "https://hall.example.gov.cn"
    app = create_app(dataclasses.replace(settings, pwa_origin=origin))
    client = new_client(app)
    asked = {"Access-Control-Request-Method": "POST", "Origin": origin}
    pre = client.options("/api/v1/auth/refresh", headers=asked)
    assert pre.headers["Access-Control-Allow-Credentials"] == "true"
    assert pre.headers["Access-Control-Allow-Origin"] == origin
    real = client.post("/api/v1/auth/refresh", headers={"Origin": origin})
    assert real.status_code == 401 and real.headers["Access-Control-Allow-Credentials"] == "true"
    other = client.post("/api/v1/auth/refresh", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Credentials" not in other.headers
    assert "Access-Control-Allow-Origin" not in other.headers
