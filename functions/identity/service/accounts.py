"""Use cases of getting in: codes, registration, staff accounts, login, dev sessions."""
from __future__ import annotations

import secrets
import uuid
from datetime import date, datetime, timedelta

from ...core import clock, pii, sms
from ...core import store as core_store
from ...core.errors import Conflict, NotFound, Unauthorized, Unprocessable
from .. import cn_ids, model
from ..store import accounts, codes, enterprises
from .common import Challenge, Session, audit, limit, open_session, phone_hash

WRONG_LOGIN = "The phone number or password is wrong."
# The texted codes' validity in minutes, a parameter of the code templates.
CODE_MINUTES = str(int(model.CODE_TTL.total_seconds()) // 60)


# ---- one-time codes -------------------------------------------------------------------

def send_code(settings, *, phone: str, purpose: str, client: str, at: datetime) -> int:
    """Text a code to `phone`; returns how many seconds it is good for."""
    digest = phone_hash(settings, phone)
    limit(settings, "code_ip", client, at)
    limit(settings, "code_phone_burst", digest, at)
    limit(settings, "code_phone", digest, at)
    code = _new_code(settings, codes.for_phone(digest, purpose), at)
    text = ("account_code", {"code": code, "minutes": CODE_MINUTES})
    if purpose in model.ACCOUNT_CODE_PURPOSES:
        text = _account_code_text(settings, digest, purpose, code)
    if text:
        sms.send(settings, phone=phone, phone_hash=digest, at=clock.iso(at),
                 template=text[0], params=text[1])
    return int(model.CODE_TTL.total_seconds())


def _account_code_text(settings, digest: str, purpose: str,
                       code: str) -> tuple[str, dict] | None:
    """The template and parameters of a login or reset code. The caller's answer is the same
    whatever the number (no account enumeration): a number without an account gets no text,
    and neither does a staff account's, whose code would be one factor where staff need two
    (a staff reset request is told, without a code). The code is stored all the same, never
    usable."""
    account = accounts.account_by_phone(settings, digest)
    if account and model.sms_only_allowed(account):
        params = {"code": code, "minutes": CODE_MINUTES}
        return ("recovery_code" if purpose == "reset" else "login_code"), params
    if account and purpose == "reset":
        return "staff_reset_refused", {}
    return None


def _new_code(settings, ref: codes.CodeRef, at: datetime, data: dict | None = None) -> str:
    code, salt = model.new_code(), uuid.uuid4().hex
    codes.put_code(settings, ref, digest=model.code_digest(code, salt), salt=salt,
                   expires=int((at + model.CODE_TTL).timestamp()), data=data)
    return code


def _bad_code() -> Unprocessable:
    return Unprocessable("The code is wrong or expired.",
                         details={"fields": {"code": ["wrong or expired (验证码错误或已过期)"]}})


def _check_code(settings, ref: codes.CodeRef, code: str, at: datetime) -> dict:
    """A code is good once, within its time, within CODE_ATTEMPTS tries."""
    stored = codes.get_code(settings, ref)
    if not stored or stored["expires"] < at.timestamp():
        raise _bad_code()
    attempts = codes.count_attempt(settings, ref)
    if attempts is None:  # spent or killed meanwhile
        raise _bad_code()
    if attempts > model.CODE_ATTEMPTS:
        codes.delete_code(settings, ref)
        raise _bad_code()
    if not secrets.compare_digest(model.code_digest(code, stored["salt"]), stored["digest"]):
        raise _bad_code()
    return stored


# ---- registration and staff accounts ---------------------------------------------------

def new_account(settings, *, kind: str, name: str, id_number: str, phone: str, password: str,
                roles: list[str], at: datetime, department: str | None = None,
                region: str | None = None, account_id: str | None = None,
                level: int | None = None) -> dict:
    """An account document: numbers sealed for their owner and keyed-hashed for lookups.
    Without a given level: 2 when name and ID number match the base registry, else 1."""
    aid = account_id or uuid.uuid4().hex
    id_hash = pii.keyed_hash(settings, "id", id_number)
    if level is None:
        person = enterprises.registry_person(settings, id_hash)
        level = 2 if person and person["name"] == name else 1
    return {"id": aid, "kind": kind, "name": name, "level": level, "roles": roles,
            "department": department, "region": region, "created": clock.iso(at),
            "id_hash": id_hash, "id_mask": cn_ids.mask_id(id_number),
            "id_seal": pii.seal(settings, id_number, aid),
            "phone_hash": phone_hash(settings, phone),
            "phone_mask": cn_ids.mask_phone(phone), "phone_seal": pii.seal(settings, phone, aid),
            "password": model.hash_password(password),
            "birth": cn_ids.birth_date(id_number).isoformat(),
            "home_region": cn_ids.region_of(id_number)}


def _default_topics(settings, account: dict, at: datetime) -> list[dict]:
    """Push's items filing a new account under the default topics (its applications,
    licences, deadlines), for the creating transaction."""
    from ...push import preferences_defaults

    return preferences_defaults.account_items(settings, account, at=clock.iso(at))


def register_citizen(settings, *, name: str, id_number: str, phone: str, password: str,
                     code: str, client: str, at: datetime) -> Session:
    """Phone proved by its code (level 1); name and ID matched in the base registry (level 2).
    One transaction: nothing is half created."""
    limit(settings, "register_ip", client, at)
    model.check_password_strength(password, phone=phone, id_number=id_number)
    ref = codes.for_phone(phone_hash(settings, phone), "register")
    _check_code(settings, ref, code, at)
    account = new_account(settings, kind="citizen", name=name, id_number=id_number,
                          phone=phone, password=password, roles=[], at=at)
    accounts.create_account(settings, account, consume_code=ref, audit=audit(
        None, "account.register", account["id"], at, actor=account["id"],
        detail={"level": account["level"]}), also=_default_topics(settings, account, at))
    return open_session(settings, account, "login.ok", at)


def new_staff(settings, who, *, kind: str, name: str, id_number: str, phone: str,
              password: str, roles: list[str], at: datetime, department: str | None = None,
              region: str | None = None, actor: str | None = None) -> dict:
    """A staff account (the admin API and `flask identity create-staff` both): vetted in
    person by their administrator, so level 3; its id is keyed from the phone, so a re-run
    of the seed finds it again. Returns the stored document."""
    id_number, phone = cn_ids.validate_id_number(id_number), cn_ids.validate_phone(phone)
    model.check_password_strength(password, phone=phone, id_number=id_number)
    account = new_account(settings, kind=kind, name=name, id_number=id_number, phone=phone,
                          password=password, roles=roles, department=department, region=region,
                          level=3, account_id=pii.keyed_hash(settings, "account", phone)[:32],
                          at=at)
    return accounts.create_account(settings, account, consume_code=None, audit=audit(
        who, "account.create_staff", account["id"], at, actor=actor,
        detail={"kind": kind, "roles": roles}), also=_default_topics(settings, account, at))


def create_staff(settings, who, *, at: datetime, **fields) -> dict:
    """The admin API's staff account, as its creator sees it (numbers masked)."""
    return model.account_view(new_staff(settings, who, at=at, **fields))


# ---- login ----------------------------------------------------------------------------

def log_in(settings, *, phone: str, password: str, client: str,
           at: datetime) -> Session | Challenge:
    """Phone and password. Staff always, and anyone whose account is stepped up after failed
    logins, continue with a texted code. While stepped up every password gets the same
    answer, a challenge (the code is texted only when the password was right), so guesses
    neither open a session nor tell whether they were right."""
    digest = phone_hash(settings, phone)
    limit(settings, "login_ip", client, at)
    limit(settings, "login_account", f"{digest}|{client}", at)
    account = accounts.account_by_phone(settings, digest)
    right = model.check_password(password, account["password"] if account else None)
    if not account:  # an unregistered phone: recorded by its mask, never in full
        core_store.audit_only(settings, audit(None, "login.fail", cn_ids.mask_phone(phone), at,
                                              "refused", actor="anonymous"))
        raise Unauthorized(WRONG_LOGIN)
    stepped_up = model.stepped_up(account, at)
    if not right:
        _login_failed(settings, account, phone, digest, at)
        if not stepped_up:
            raise Unauthorized(WRONG_LOGIN)
    if stepped_up or account["kind"] in model.TWO_FACTOR_KINDS or account.get("mfa"):
        return _challenge(settings, account, phone, digest, at, send=right)
    accounts.clear_login_failures(settings, account["id"])
    return open_session(settings, account, "login.ok", at)


def _challenge(settings, account: dict, phone: str, digest: str, at: datetime, *,
               send: bool) -> Challenge:
    challenge = uuid.uuid4().hex
    code = _new_code(settings, codes.for_challenge(challenge), at,
                     data={"account": account["id"]})
    if send:
        sms.send(settings, phone=phone, phone_hash=digest, at=clock.iso(at),
                 template="staff_2fa", params={"code": code, "minutes": CODE_MINUTES})
    return Challenge(challenge, int(model.CODE_TTL.total_seconds()))


STEP_UP_NOTICE = {"kind": "security", "title": "登录需短信验证", "link": "/#/me",
                  "body": "您的账户连续多次登录失败。30分钟内登录除密码外还需短信验证码。"
                          "如非本人操作，请尽快修改密码。"}


def _login_failed(settings, account: dict, phone: str, digest: str, at: datetime) -> None:
    """Count the failure. The STEP_UP_AFTER-th in a row starts a step-up and tells the owner
    (once: by text and in the inbox); failures during one keep it running."""
    aid = account["id"]
    failed, until = accounts.count_login_failure(settings, aid)
    step, end = model.after_failure(failed, until, at), model.step_up_end(at)
    if step == "start" and accounts.start_step_up(
            settings, aid, until=end, now=int(at.timestamp()),
            audit=audit(None, "login.stepup", aid, at, "refused", actor=aid),
            notice={**STEP_UP_NOTICE, "at": clock.iso(at)}):
        sms.send(settings, phone=phone, phone_hash=digest, at=clock.iso(at),
                 template="login_step_up",
                 params={"minutes": str(int(model.STEP_UP_FOR.total_seconds()) // 60)})
        return
    record = audit(None, "login.fail", aid, at, "refused", actor=aid)
    if step == "count":
        core_store.audit_only(settings, record)
    else:  # stepped up (or just begun by a concurrent failure): keep it running
        accounts.extend_step_up(settings, aid, until=end, audit=record)


def verify_login(settings, *, challenge: str, code: str, client: str,
                 at: datetime) -> Session:
    """The second step: the texted code opens the session, once."""
    limit(settings, "verify_ip", client, at)
    ref = codes.for_challenge(challenge)
    stored = _check_code(settings, ref, code, at)
    if not codes.consume(settings, ref):  # a concurrent verify spent it first
        raise _bad_code()
    account = accounts.get_account(settings, stored["data"]["account"])
    accounts.clear_login_failures(settings, account["id"])
    return open_session(settings, account, "login.ok.mfa", at)


# ---- dev shortcuts: the local stage only -----------------------------------------------

def dev_outbox(settings, *, phone: str) -> list[dict]:
    """The texts the emulator 'sent' to `phone`, newest first (core.store keeps them, in the
    local stage only)."""
    return core_store.outbox(settings, phone_hash(settings, phone))


def open_dev_session(settings, *, role: str, kind: str | None = None,
                     department: str | None = None, region: str | None = None,
                     at: datetime) -> Session:
    """A real session for a dev account with this role, created on first use and reused
    after (its id is keyed from kind, role, department and region). Nobody knows its
    password, so only this opens its sessions, and this exists only in the local stage."""
    if not settings.local:
        raise NotFound("Dev sessions exist only in the local stage.")
    kind = kind or ("admin" if role in ("admin", "catalogue_admin") else "officer")
    aid = pii.keyed_hash(settings, "dev-account", f"{kind}|{role}|{department}|{region}")[:32]
    try:
        account = accounts.get_account(settings, aid)
    except NotFound:
        account = _new_dev_account(settings, aid, kind=kind, role=role, department=department,
                                   region=region, at=at)
    return open_session(settings, account, "login.dev", at)


def _new_dev_account(settings, aid: str, *, kind: str, role: str, department: str | None,
                     region: str | None, at: datetime) -> dict:
    # Made-up numbers from the id: a Beijing region code and the 140 prefix, which neither
    # the registry nor any test uses.
    n = int(aid[:12], 16)
    id_number = cn_ids.make_id_number("110101", date(1960, 1, 1) + timedelta(days=n % 15000),
                                      n % 1000)
    account = new_account(settings, kind=kind, name="开发账号", id_number=id_number,
                          phone=f"140{n % 10 ** 8:08d}", password=secrets.token_urlsafe(24),
                          roles=[role], department=department, region=region, level=3,
                          account_id=aid, at=at)
    try:
        return accounts.create_account(settings, account, consume_code=None, audit=audit(
            None, "account.create_dev", aid, at, actor="dev", detail={"roles": [role]}),
            also=_default_topics(settings, account, at))
    except Conflict:  # a concurrent first use created it
        return accounts.get_account(settings, aid)
