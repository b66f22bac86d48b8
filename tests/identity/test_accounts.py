"""Accounts: registration with codes, real-name levels, login, lockout, rate limits, audit."""
from __future__ import annotations

import dataclasses
import json
import uuid
from datetime import timedelta

import pytest

from functions.core import aws, clock, pii
from functions.identity import model
from tests.helpers import ok
from tests.identity.conftest import (
    MADE_UP_PHONES,
    OFFICER,
    PASSWORD,
    STAFF_PASSWORD,
    SUPERVISOR,
    assert_audited,
    audit_of,
    bearer,
    claims_of,
    codes_for,
    login,
    login_staff,
    new_client,
    person,
    refresh,
    register_citizen,
    registration,
    send_code,
    table_items,
    tokens_of,
)

LICENSING, OTHER = "441400-GAJ-0002", "441400-WJJ-0001"
FOREVER = 10 ** 7  # a rate-limit window no test run straddles


def _other_code(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def refused(resp, status: int, code: str | None = None, field: str | None = None) -> dict:
    """An error in the envelope; `field` must be named in details.fields."""
    err = ok(resp, status)["error"]
    assert err["request_id"] and err["message"]
    if code:
        assert err["code"] == code, err
    if field:
        assert field in err["details"]["fields"], err
    return err


def _get(settings, pk: str, sk: str) -> dict | None:
    return aws.client("dynamodb", settings).get_item(
        TableName=settings.table_name, Key={"pk": {"S": pk}, "sk": {"S": sk}},
        ConsistentRead=True).get("Item")


def _inbox(settings, account_id: str) -> list[dict]:
    return table_items(settings, f"ACCOUNT#{account_id}", "INBOX#")


# ---- registration ------------------------------------------------------------------------

def test_registry_match_gives_level_2(client, settings):
    p = person("陈文贵")
    rid = f"test-{uuid.uuid4().hex[:12]}"
    code = send_code(client, p["phone"])
    resp = client.post("/api/v1/auth/register", json=registration(p, code),
                       headers={"X-Request-Id": rid})
    tokens = tokens_of(resp, 201)
    assert resp.headers["X-Request-Id"] == rid
    account = tokens["account"]
    assert account["level"] == 2 and account["level_name"] == model.LEVEL_NAMES[2]
    assert account["kind"] == "citizen" and account["roles"] == []
    assert account["phone"] == "191****7496" and account["id_number"] == "441427********3550"
    assert tokens["token_type"] == "Bearer" and tokens["refresh_token"]
    claims = claims_of(tokens["access_token"])
    assert claims["sub"] == account["id"] and claims["lvl"] == 2 and claims["kind"] == "citizen"
    row = assert_audited(settings, account["id"], "account.register", request_id=rid)
    assert '"level": 2' in row["detail"]
    assert_audited(settings, account["id"], "login.ok", request_id=rid)
    me = ok(client.get("/api/v1/me", headers=bearer(tokens)))
    assert me["id"] == account["id"] and me["level"] == 2


def test_wrong_name_gives_level_1_until_the_registry_confirms_it(client, settings):
    p = person("邱雪雪")
    tokens = register_citizen(client, p, name="王小明")
    account = tokens["account"]
    assert account["level"] == 1 and claims_of(tokens["access_token"])["lvl"] == 1
    refused(client.post("/api/v1/me/real-name", json={"name": "王小明"}, headers=bearer(tokens)),
            422, "validation_failed", "name")
    assert_audited(settings, account["id"], "level.registry", "refused")
    up = ok(client.post("/api/v1/me/real-name", json={"name": p["name"]},
                        headers=bearer(tokens)))
    assert up["level"] == 2
    assert_audited(settings, account["id"], "level.registry")
    again = ok(refresh(client, tokens["refresh_token"]))
    assert claims_of(again["access_token"])["lvl"] == 2


def test_codes_come_by_sms_a_wrong_one_is_named_and_a_used_one_is_spent(client):
    p = person("陈诗晓")
    code = send_code(client, p["phone"])
    texts = ok(client.get("/api/v1/dev/outbox", query_string={"phone": p["phone"]}))["items"]
    assert code in texts[0]["text"] and texts[0]["phone"] == "198****8849"
    refused(client.post("/api/v1/auth/register",
                        json=registration(p, _other_code(code))), 422, "validation_failed", "code")
    ok(client.post("/api/v1/auth/register", json=registration(p, code)), 201)
    # the same code again (say, a second tap): spent, and named as the fault
    refused(client.post("/api/v1/auth/register", json=registration(p, code)), 422,
            "validation_failed", "code")


def test_five_wrong_attempts_kill_the_code(client, settings, monkeypatch):
    monkeypatch.setitem(model.LIMITS, "code_phone_burst", (5, 60))
    p = person("朱春慧")
    code = send_code(client, p["phone"])
    for _ in range(model.CODE_ATTEMPTS):
        refused(client.post("/api/v1/auth/register", json=registration(p, _other_code(code))),
                422, field="code")
    refused(client.post("/api/v1/auth/register", json=registration(p, code)), 422, field="code")
    phone_hash = pii.keyed_hash(settings, "phone", p["phone"])
    assert _get(settings, f"CODE#{phone_hash}", "register") is None
    fresh = send_code(client, p["phone"])
    ok(client.post("/api/v1/auth/register", json=registration(p, fresh)), 201)


def test_code_requests_are_limited_per_phone(client):
    phone = MADE_UP_PHONES[0]
    ok(client.post("/api/v1/auth/codes", json={"phone": phone, "purpose": "register"}), 202)
    resp = client.post("/api/v1/auth/codes", json={"phone": phone, "purpose": "register"})
    refused(resp, 429, "too_many_requests")
    assert 1 <= int(resp.headers["Retry-After"]) <= 60


BAD_FIELDS = [
    ("id_number", {"id_number": "441402199703124827"}),   # 梁一桂's number, check digit off
    ("id_number", {"id_number": "44140219970312482"}),
    ("phone", {"phone": "12345678901"}),
    ("phone", {"phone": "1380013800"}),
    ("password", {"password": "password123"}),            # two kinds of character
    ("password", {"password": "Short#1"}),
    ("password", {"password": "Mz#19970312x"}),           # holds the birth date
    ("name", {"name": "Liang"}),
    ("code", {"code": "12ab56"}),
    ("nickname", {"nickname": "阿梁"}),                    # unknown field
]


@pytest.mark.parametrize(("field", "change"), BAD_FIELDS,
                         ids=[f"{f}-{i}" for i, (f, _) in enumerate(BAD_FIELDS)])
def test_invalid_registrations_name_the_field(client, field, change):
    p = person("梁一桂")
    body = {**registration(p, "000000"), **change}
    err = refused(client.post("/api/v1/auth/register", json=body), 422, "validation_failed",
                  field)
    assert set(err["details"]["fields"]) == {field}


def test_a_lower_case_x_check_character_is_accepted(client):
    p = person("温玲")
    assert p["id_number"].endswith("X")
    tokens = register_citizen(client, p, id_number=p["id_number"].lower())
    assert tokens["account"]["level"] == 2  # stored upper-cased, matched in the registry
    me = ok(client.get("/api/v1/me", query_string={"reveal": "id_number"},
                       headers=bearer(tokens)))
    assert me["id_number"] == p["id_number"]


def test_a_phone_or_id_registered_twice_is_409_and_nothing_is_half_created(
        client, settings, monkeypatch):
    monkeypatch.setitem(model.LIMITS, "code_phone_burst", (5, 60))
    first, second = person("林东"), person("罗贵东")
    register_citizen(client, first)

    # the same phone with another person's ID: refused, and that ID is not taken
    err = refused(client.post("/api/v1/auth/register", json=registration(
        second, send_code(client, first["phone"]), phone=first["phone"])), 409, "conflict", "phone")
    assert "phone" in err["message"]
    second_id = pii.keyed_hash(settings, "id", second["id_number"])
    assert _get(settings, f"IDNO#{second_id}", "UNIQUE") is None

    # a new phone with the ID already registered: refused, and the phone is not taken
    new_phone = MADE_UP_PHONES[1]
    err = refused(client.post("/api/v1/auth/register", json=registration(
        first, send_code(client, new_phone), phone=new_phone)), 409, "conflict", "id_number")
    new_hash = pii.keyed_hash(settings, "phone", new_phone)
    assert _get(settings, f"PHONE#{new_hash}", "UNIQUE") is None
    # the code it carried was not consumed by the failed transaction either
    assert _get(settings, f"CODE#{new_hash}", "register") is not None

    # the person whose ID was offered with a taken phone registers normally
    assert register_citizen(client, second)["account"]["level"] == 2


# ---- login -------------------------------------------------------------------------------

def test_a_citizen_logs_in_directly_and_a_wrong_password_is_401(client, settings):
    p = person("梁永思")
    account = register_citizen(client, p)["account"]
    err = refused(login(client, p["phone"], "Wrong-Password#1"), 401, "unauthorized")
    unknown = refused(login(client, MADE_UP_PHONES[2], PASSWORD), 401, "unauthorized")
    assert err["message"] == unknown["message"]  # no hint whether the phone is registered
    assert_audited(settings, account["id"], "login.fail", "refused")
    tokens = tokens_of(login(client, p["phone"]))
    assert "mfa_required" not in tokens and tokens["access_token"] and tokens["refresh_token"]
    assert tokens["account"]["id"] == account["id"]
    assert_audited(settings, account["id"], "login.ok")


def _security_notices(settings, account_id: str) -> list[dict]:
    return [i for i in _inbox(settings, account_id) if i["kind"]["S"] == "security"]


def _texts(client, phone: str) -> list[str]:
    return [i["text"] for i in ok(client.get("/api/v1/dev/outbox",
                                             query_string={"phone": phone}))["items"]]


def _verify(client, challenge: str, code: str):
    return client.post("/api/v1/auth/login/verify", json={"challenge": challenge, "code": code})


def test_a_strangers_failures_step_the_login_up_and_never_lock_the_owner_out(
        app, settings, travel):
    """Five wrong passwords from a stranger used to lock the owner out for 30 minutes (423).
    Now they make every login need the code texted to the owner's phone, and the owner is
    told once."""
    p = person("丘月燕")
    owner, stranger = new_client(app), new_client(app)
    account = register_citizen(owner, p)["account"]
    for _ in range(model.STEP_UP_AFTER):
        refused(login(stranger, p["phone"], "Wrong-Password#1"), 401, "unauthorized")
    assert_audited(settings, account["id"], "login.stepup", "refused")
    fails = [r for r in audit_of(settings, account["id"]) if r["action"] == "login.fail"]
    assert len(fails) == model.STEP_UP_AFTER - 1  # the fifth is recorded as the step-up
    assert "30分钟内登录需短信验证码" in _texts(owner, p["phone"])[0]
    [notice] = _security_notices(settings, account["id"])
    assert notice["link"]["S"] == "/#/me" and "短信验证" in notice["title"]["S"]

    # The stranger: the right password yields no token, only a challenge for a code texted
    # to the owner; a wrong one gets the very same answer, so guessing tells nothing.
    right = ok(login(stranger, p["phone"]))
    wrong = ok(login(stranger, p["phone"], "Wrong-Password#2"))
    for answer in (right, wrong):
        assert answer["mfa_required"] is True and "access_token" not in answer
        assert set(answer) == {"mfa_required", "challenge", "expires_in"}
    refused(_verify(stranger, right["challenge"], "000000"), 422, field="code")
    refused(_verify(stranger, wrong["challenge"], "000000"), 422, field="code")

    # The owner: the password, then the code that came to their phone.
    first = ok(login(owner, p["phone"]))
    assert first["mfa_required"] is True
    tokens = ok(_verify(owner, first["challenge"], codes_for(owner, p["phone"])[0]))
    assert tokens["account"]["id"] == account["id"] and tokens["access_token"]
    assert_audited(settings, account["id"], "login.ok.mfa")
    # told once: more failures keep the step-up running without another notice
    assert ok(login(stranger, p["phone"], "Wrong-Password#3"))["mfa_required"] is True
    assert len(_security_notices(settings, account["id"])) == 1
    assert sum("30分钟内登录需短信验证码" in t for t in _texts(owner, p["phone"])) == 1

    travel(model.STEP_UP_FOR + timedelta(minutes=1))  # half an hour after the last failure
    assert "access_token" in ok(login(owner, p["phone"]))


def test_logins_are_rate_limited_per_account_and_address(app, monkeypatch):
    """The account's limit counts per client address: a stranger who uses theirs up does not
    use up the owner's (it was keyed on the phone alone)."""
    p = person("邱玲诗")
    owner, stranger = new_client(app), new_client(app)
    register_citizen(owner, p)
    monkeypatch.setitem(model.LIMITS, "login_account", (3, FOREVER))
    for _ in range(3):
        refused(login(stranger, p["phone"], "Wrong-Password#1"), 401)
    resp = login(stranger, p["phone"], "Wrong-Password#1")
    refused(resp, 429, "too_many_requests")
    assert int(resp.headers["Retry-After"]) >= 1
    assert ok(resp, 429)["error"]["details"]["retry_after"] == int(resp.headers["Retry-After"])
    for _ in range(3):
        ok(login(owner, p["phone"]))
    refused(login(owner, p["phone"]), 429, "too_many_requests")  # the owner's own limit


def test_logins_are_rate_limited_per_client_address(app, monkeypatch):
    monkeypatch.setitem(model.LIMITS, "login_ip", (3, FOREVER))
    one, other = new_client(app), new_client(app)
    for phone in MADE_UP_PHONES[3:6]:
        refused(login(one, phone), 401)
    resp = login(one, MADE_UP_PHONES[6])  # another phone, the same address
    refused(resp, 429, "too_many_requests")
    assert int(resp.headers["Retry-After"]) >= 1
    refused(login(other, MADE_UP_PHONES[6]), 401)  # another address is not held up


@pytest.mark.parametrize("phone", [OFFICER, SUPERVISOR])
def test_staff_always_need_the_sms_second_factor(client, settings, phone):
    first = ok(login(client, phone, STAFF_PASSWORD))
    assert first["mfa_required"] is True and "access_token" not in first
    code = codes_for(client, phone)[0]
    refused(client.post("/api/v1/auth/login/verify",
                        json={"challenge": first["challenge"], "code": _other_code(code)}),
            422, "validation_failed", "code")
    tokens = ok(client.post("/api/v1/auth/login/verify",
                            json={"challenge": first["challenge"], "code": code}))
    claims = claims_of(tokens["access_token"])
    assert claims["kind"] in ("officer", "supervisor") and tokens["account"]["level"] == 3
    assert_audited(settings, claims["sub"], "login.ok.mfa")
    refused(client.post("/api/v1/auth/login/verify",  # a challenge is good once
                        json={"challenge": first["challenge"], "code": code}), 422, field="code")


# ---- levels ------------------------------------------------------------------------------

def test_an_officer_verifies_in_person_for_level_3(client, settings):
    p = person("张日林")
    citizen = register_citizen(client, p)
    aid = citizen["account"]["id"]
    officer = login_staff(client, OFFICER)
    officer_id = claims_of(officer["access_token"])["sub"]
    check = {"account_id": aid, "id_number": p["id_number"]}

    refused(client.post("/api/v1/officer/identity/verify", json=check, headers=bearer(citizen)),
            403, "forbidden")
    refused(client.post("/api/v1/officer/identity/verify", headers=bearer(officer),
                        json={**check, "id_number": person("朱思")["id_number"]}),
            422, "validation_failed", "id_number")
    assert_audited(settings, officer_id, "level.window", "refused", target=aid)
    refused(client.post("/api/v1/officer/identity/verify", headers=bearer(officer),
                        json={**check, "account_id": uuid.uuid4().hex}), 404, "not_found")

    done = ok(client.post("/api/v1/officer/identity/verify", json=check,
                          headers=bearer(officer)))
    assert done["id"] == aid and done["level"] == 3
    assert_audited(settings, officer_id, "level.window", target=aid)
    assert any(i["kind"]["S"] == "security" for i in _inbox(settings, aid))
    again = ok(refresh(client, citizen["refresh_token"]))
    assert claims_of(again["access_token"])["lvl"] == 3
    assert ok(client.get("/api/v1/me", headers=bearer(again)))["level"] == 3


def test_eligibility_reports_the_level_a_matter_needs(client):
    low = register_citizen(client, person("廖浩海"), name="廖某某")
    high = register_citizen(new_client(client.application), person("古静"))
    lic = ok(client.get(f"/api/v1/matters/{LICENSING}/eligibility", headers=bearer(low)))
    assert lic == {"matter": LICENSING, "required_level": 2, "your_level": 1,
                   "eligible": False, "how": model.LEVEL_NAMES[2]}
    lic = ok(client.get(f"/api/v1/matters/{LICENSING}/eligibility", headers=bearer(high)))
    assert lic["required_level"] == 2 and lic["eligible"] is True and lic["how"] is None
    other = ok(client.get(f"/api/v1/matters/{OTHER}/eligibility", headers=bearer(low)))
    assert other["required_level"] == 1 and other["eligible"] is True
    refused(client.get("/api/v1/matters/441400-XXX-9999/eligibility", headers=bearer(low)), 404)
    refused(client.get(f"/api/v1/matters/{LICENSING}/eligibility"), 401)


# ---- the person's own data ---------------------------------------------------------------

def test_me_shows_only_the_caller_and_reveals_only_to_the_owner(app, settings):
    a, b = person("邱嘉豪"), person("黄雪家")
    ca, cb = new_client(app), new_client(app)
    ta, tb = register_citizen(ca, a), register_citizen(cb, b)
    me_a = ok(ca.get("/api/v1/me", headers=bearer(ta)))
    me_b = ok(cb.get("/api/v1/me", headers=bearer(tb)))
    assert me_a["id"] == ta["account"]["id"] and me_b["id"] == tb["account"]["id"]
    assert me_a["name"] == a["name"] and me_a["phone"] == "184****5983"
    assert me_a["enterprises"] == [] and me_a["acting_as"] is None
    assert me_a["representing"] == []

    full = ok(ca.get("/api/v1/me", query_string={"reveal": "phone,id_number"},
                     headers=bearer(ta)))
    assert (full["phone"], full["id_number"]) == (a["phone"], a["id_number"])
    assert full["id"] == ta["account"]["id"]
    row = assert_audited(settings, ta["account"]["id"], "account.reveal")
    assert "id_number" in row["detail"] and "phone" in row["detail"]
    only_phone = ok(cb.get("/api/v1/me", query_string={"reveal": "phone"}, headers=bearer(tb)))
    assert only_phone["phone"] == b["phone"] and "*" in only_phone["id_number"]
    refused(ca.get("/api/v1/me", query_string={"reveal": "password"}, headers=bearer(ta)), 400)
    refused(ca.get("/api/v1/me", query_string={"reveal": "phone"}), 401)


# ---- audit ------------------------------------------------------------------------------

def _audit_day(client, headers, day: str, **filters) -> list[dict]:
    rows, cursor = [], None
    while True:
        args = {"day": day, "limit": 200, **filters, **({"cursor": cursor} if cursor else {})}
        page = ok(client.get("/api/v1/audit", query_string=args, headers=headers))
        rows += page["items"]
        cursor = page["next_cursor"]
        if not cursor:
            return rows


def test_supervisors_query_the_audit_log_and_citizens_cannot(client, settings):
    p = person("徐一")
    rid = f"audit-{uuid.uuid4().hex[:12]}"
    code = send_code(client, p["phone"])
    tokens = ok(client.post("/api/v1/auth/register", json=registration(p, code),
                            headers={"X-Request-Id": rid}), 201)
    aid = tokens["account"]["id"]
    refused(login(client, p["phone"], "Wrong-Password#1"), 401)
    day = clock.now().date().isoformat()

    refused(client.get("/api/v1/audit", query_string={"day": day}, headers=bearer(tokens)), 403)
    officer = login_staff(client, OFFICER)
    refused(client.get("/api/v1/audit", query_string={"day": day}, headers=bearer(officer)), 403)
    supervisor = login_staff(client, SUPERVISOR)
    rows = _audit_day(client, bearer(supervisor), day, actor=aid)
    actions = {(r["action"], r["result"]) for r in rows}
    assert {("account.register", "ok"), ("login.ok", "ok"), ("login.fail", "refused")} <= actions
    register_row = next(r for r in rows if r["action"] == "account.register")
    assert register_row["request_id"] == rid and register_row["target"] == aid
    assert register_row["actor"] == aid and register_row["at"].startswith(day)
    assert all(r["actor"] == aid for r in rows)
    only = _audit_day(client, bearer(supervisor), day, actor=aid, action="login.fail")
    assert only and all(r["action"] == "login.fail" for r in only)
    sup_id = claims_of(supervisor["access_token"])["sub"]
    assert any(r["action"] == "login.ok.mfa" for r in _audit_day(client, bearer(supervisor), day,
                                                                  actor=sup_id))
    refused(client.get("/api/v1/audit", query_string={"day": day, "cursor": "!!"},
                       headers=bearer(supervisor)), 400)


def test_a_page_of_one_actors_records_holds_only_theirs_however_busy_the_day(client, settings):
    """The actor filter used to apply after the page limit: a page of the day's first
    records held none of theirs (and a short page looked like the end)."""
    supervisor = login_staff(client, SUPERVISOR)  # others have written today's first records
    tokens = register_citizen(client, person("刘梅嘉"))
    aid, day = tokens["account"]["id"], clock.now().date().isoformat()
    refused(login(client, person("刘梅嘉")["phone"], "Wrong-Password#1"), 401)
    seen, cursor = [], None
    for _ in range(3):  # account.register, login.ok, login.fail: one to a page
        page = ok(client.get("/api/v1/audit", headers=bearer(supervisor), query_string={
            "day": day, "actor": aid, "limit": 1, **({"cursor": cursor} if cursor else {})}))
        assert [r["actor"] for r in page["items"]] == [aid], page
        seen.append(page["items"][0]["action"])
        cursor = page["next_cursor"]
    assert sorted(seen) == ["account.register", "login.fail", "login.ok"]


# ---- input that is not text -----------------------------------------------------------------

def lone_surrogate(body: dict) -> str:
    """`body` as JSON text with every "@" written as a lone surrogate escape, "\\ud800": valid
    JSON, but not text (Python decodes it; UTF-8 cannot encode it)."""
    return json.dumps(body, ensure_ascii=False).replace("@", "\\ud800")


REGISTER = {"name": "张三丰", "id_number": "441402197005061355", "phone": "17700000051",
            "password": "Hakka-Tulou#2026", "code": "123456"}


@pytest.mark.parametrize(("path", "body"), [
    ("/api/v1/auth/login", {"phone": "17700000050", "password": "Abc-@-12345"}),
    ("/api/v1/auth/register", {**REGISTER, "name": "@张三"}),
    ("/api/v1/auth/register", {**REGISTER, "password": "Hakka-@#2026"}),
], ids=["login-password", "register-name", "register-password"])
def test_a_lone_surrogate_in_a_password_or_name_is_a_400(client, path, body):
    refused(client.post(path, data=lone_surrogate(body), content_type="application/json"),
            400, "bad_request")


def test_a_lone_surrogate_is_a_400_for_logged_in_forms_too(client, token):
    tokens = register_citizen(client, person("宋荣思"))
    refused(client.post("/api/v1/me/real-name", data=lone_surrogate({"name": "宋@"}),
                        content_type="application/json", headers=bearer(tokens)),
            400, "bad_request")
    staff = {**REGISTER, "kind": "officer", "name": "林@", "phone": "17700000052",
             "roles": ["officer"]}
    del staff["code"]
    refused(client.post("/api/v1/admin/accounts", data=lone_surrogate(staff),
                        content_type="application/json", headers=token("admin", kind="admin")),
            400, "bad_request")


def test_a_password_that_is_not_text_breaks_the_rule_outside_http_too():
    from functions.core.errors import RuleError

    with pytest.raises(RuleError) as err:  # the CLI path: no JSON parser in front of it
        model.check_password_strength("Hakka-\ud800-Tulou#2026")
    assert err.value.field == "password" and err.value.status == 422


# ---- dev shortcuts: the local stage only ------------------------------------------------

def test_a_dev_session_is_a_real_session_of_a_reused_dev_account(client, settings):
    first = tokens_of(client.post("/api/v1/dev/sessions", json={"role": "catalogue_admin"}), 201)
    claims = claims_of(first["access_token"])
    assert claims["roles"] == ["catalogue_admin"] and claims["kind"] == "admin"
    assert first["account"]["level"] == 3 and first["account"]["id"] == claims["sub"]
    ok(client.get("/api/v1/officer/catalogue", headers=bearer(first)))
    assert_audited(settings, claims["sub"], "login.dev", target=claims["sub"])
    again = ok(client.post("/api/v1/dev/sessions", json={"role": "catalogue_admin"}), 201)
    assert claims_of(again["access_token"])["sub"] == claims["sub"]  # the same account ...
    assert claims_of(again["access_token"])["sid"] != claims["sid"]  # ... a new session
    ok(refresh(client, first["refresh_token"]))
    assert client.post("/api/v1/auth/logout", headers=bearer(again)).status_code == 204
    refused(client.get("/api/v1/me", headers=bearer(again)), 401)  # a session like any other

    rsj = ok(client.post("/api/v1/dev/sessions", json={
        "role": "officer", "department": "RSJ", "region": "441400"}), 201)
    rsj_claims = claims_of(rsj["access_token"])
    assert (rsj_claims["kind"], rsj_claims["dept"], rsj_claims["region"]) == (
        "officer", "RSJ", "441400")
    assert rsj_claims["sub"] != claims["sub"]
    refused(client.post("/api/v1/dev/sessions", json={"role": "root"}), 422, field="role")
    refused(client.post("/api/v1/dev/sessions", json={"role": "admin", "kind": "x"}), 422,
            field="kind")


@pytest.mark.parametrize("stage", ["dev", "prod"])
def test_deployed_stages_have_no_dev_routes_and_keep_no_texts(app, settings, stage):
    from functions.app import create_app

    deployed = create_app(dataclasses.replace(settings, stage=stage))
    deployed.config["TESTING"] = True
    dc, local = new_client(deployed), new_client(app)
    phone = MADE_UP_PHONES[7 if stage == "dev" else 8]
    refused(dc.get("/api/v1/dev/outbox", query_string={"phone": phone}), 404)
    refused(dc.post("/api/v1/dev/sessions", json={"role": "admin"}), 404)
    ok(dc.post("/api/v1/auth/codes", json={"phone": phone, "purpose": "register"}), 202)
    assert codes_for(local, phone) == []  # the deployed stage kept no copy of what it texted
    assert "identity_dev" not in deployed.blueprints


@pytest.mark.parametrize("stage", ["dev", "staging", "prod"])
def test_only_the_local_stage_keeps_copies_of_texts(settings, stage):
    from functions.core import sms

    phone = MADE_UP_PHONES[9]
    phone_hash = pii.keyed_hash(settings, "phone", phone)
    kept = {"TableName": settings.table_name, "KeyConditionExpression": "pk = :pk",
            "ExpressionAttributeValues": {":pk": {"S": f"DEVOUTBOX#{phone_hash}"}}}
    ddb = aws.client("dynamodb", settings)
    before = len(ddb.query(**kept)["Items"])
    sms.send(dataclasses.replace(settings, stage=stage), phone=phone, phone_hash=phone_hash,
             template="password_reset_done", params={}, at=clock.iso())
    assert len(ddb.query(**kept)["Items"]) == before
    sms.send(settings, phone=phone, phone_hash=phone_hash, template="password_reset_done",
             params={}, at=clock.iso())
    assert len(ddb.query(**kept)["Items"]) == before + 1
