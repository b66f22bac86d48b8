"""Use cases of getting in without the password: 验证码登录 (a texted code alone) and 忘记密码
(a texted code and a new password). Citizens only: staff keep two factors."""
from __future__ import annotations

from datetime import datetime, timedelta

from ...core import clock, pii, sms
from ...core import store as core_store
from ...core.errors import Unprocessable
from .. import cn_ids, model
from ..store import accounts, codes, sessions
from .accounts import _bad_code, _check_code
from .common import Session, audit, limit, open_session, phone_hash

# A reset ends this many sessions in its own transaction (DynamoDB takes 100 items); any
# beyond are ended just before it.
ENDED_IN_RESET = 90

RESET_NOTICE = {"kind": "security", "title": "密码已重置", "link": "/#/me",
                "body": "您的登录密码已通过短信验证码重置，其他设备上的登录已退出。"
                        "如非本人操作，请立即重置密码并联系12345。"}


def log_in_with_code(settings, *, phone: str, code: str, client: str,
                     at: datetime) -> Session:
    """验证码登录: the code texted for purpose "login" opens a session, once. Rate-limited as
    a password login is; a number without a citizen account answers as a wrong code does."""
    digest = phone_hash(settings, phone)
    limit(settings, "login_ip", client, at)
    limit(settings, "login_account", f"{digest}|{client}", at)
    account = accounts.account_by_phone(settings, digest)
    ref = codes.for_phone(digest, "login")
    try:
        _check_code(settings, ref, code, at)
        if not account or not model.sms_only_allowed(account) or not codes.consume(settings, ref):
            raise _bad_code()
    except Unprocessable:
        _failed(settings, "login.fail", account, phone, at)
        raise
    accounts.clear_login_failures(settings, account["id"])
    return open_session(settings, account, "login.ok.sms", at)


def reset_password(settings, *, phone: str, code: str, password: str, client: str,
                   at: datetime) -> Session:
    """忘记密码: the code texted for purpose "reset" and a new password. One transaction sets
    the password, spends the code, ends every session of the account, audits and tells the
    owner (and a text says so); then the person is logged in afresh.

    No account enumeration: the general password rules come first and the code before
    anything about the account, so a number without an account (or a staff number, which
    never gets a reset code) answers exactly as a wrong code does, after the same reads."""
    digest = phone_hash(settings, phone)
    limit(settings, "reset_ip", client, at)
    limit(settings, "reset_account", f"{digest}|{client}", at)
    model.check_password_strength(password)
    account = accounts.account_by_phone(settings, digest)
    ref = codes.for_phone(digest, "reset")
    try:
        _check_code(settings, ref, code, at)
        if not account or not model.sms_only_allowed(account):
            raise _bad_code()
    except Unprocessable:
        _failed(settings, "password.reset", account, phone, at)
        raise
    aid = account["id"]
    model.check_password_strength(password, phone=phone,
                                  id_number=pii.unseal(settings, account["id_seal"], aid))
    since = clock.iso(at - timedelta(seconds=settings.session_seconds))
    live = sessions.live_sessions(settings, aid, since=since)
    for sid in live[ENDED_IN_RESET:]:
        sessions.revoke_session(settings, sid, audit=audit(
            None, "session.end", sid, at, "revoked", actor=aid, detail={"why": "reset"}))
    accounts.reset_password(
        settings, aid, password=model.hash_password(password), consume_code=ref,
        end_sessions=[sessions.revoke_op(settings.table_name, s) for s in live[:ENDED_IN_RESET]],
        audit=audit(None, "password.reset", aid, at, actor=aid,
                    detail={"sessions_ended": len(live)}),
        notice={**RESET_NOTICE, "at": clock.iso(at)})
    sms.send(settings, phone=phone, phone_hash=digest, at=clock.iso(at),
             template="password_reset_done", params={})
    return open_session(settings, {**account, "failed": 0, "stepup_until": None},
                        "login.reset", at)


def _failed(settings, action: str, account: dict | None, phone: str, at: datetime) -> None:
    """Audit a refused attempt: by the account, or by the number's mask when there is none."""
    target = account["id"] if account else cn_ids.mask_phone(phone)
    actor = account["id"] if account else "anonymous"
    core_store.audit_only(settings, audit(None, action, target, at, "refused", actor=actor,
                                          detail={"method": "sms"}))
