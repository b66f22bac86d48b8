"""Identity rules: passwords, codes, real-name levels, sessions, rate limits and grants."""
from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from ..core.errors import RuleError

KINDS = ("citizen", "officer", "supervisor", "admin")
# Officers, supervisors and administrators always log in with a second factor.
TWO_FACTOR_KINDS = frozenset({"officer", "supervisor", "admin"})
ENTERPRISE_ROLES = ("preparer", "approver", "viewer")
# register and verify_phone: texted to any number; login (验证码登录) and reset (忘记密码): texted
# only to a citizen account's phone, with the same answer for any number (see sms_only_allowed).
CODE_PURPOSES = ("register", "login", "verify_phone", "reset")
ACCOUNT_CODE_PURPOSES = frozenset({"login", "reset"})
CODE_TTL = timedelta(minutes=5)
CODE_ATTEMPTS = 5
ACCEPT_WITHIN = timedelta(days=14)
MAX_GRANT = timedelta(days=366)
# After this many failed logins in a row the account is never locked (a stranger could keep
# its owner out): for STEP_UP_FOR after the last failure a login needs a texted code as well.
STEP_UP_AFTER = 5
STEP_UP_FOR = timedelta(minutes=30)

# (name, limit, window seconds): counters kept per window in the table. login_account counts
# per account and client address, so a stranger's attempts do not use up the owner's.
LIMITS = {
    "login_account": (10, 900),
    "login_ip": (30, 900),
    "code_phone": (5, 3600),
    "code_phone_burst": (1, 60),
    "code_ip": (30, 3600),
    "verify_ip": (60, 900),
    "register_ip": (20, 3600),
    "reset_account": (10, 900),
    "reset_ip": (30, 900),
}
# Two tabs share one refresh cookie: the token a refresh just spent still gives an access token
# (never a new refresh token) this long after, so tabs refreshing at the same moment are no
# replay. Later, a spent token is a replay and ends the session.
REFRESH_GRACE = timedelta(seconds=10)

# scrypt: memory-hard (n=2^14, r=8 -> 16 MiB per hash), in the standard library.
SCRYPT = {"n": 2 ** 14, "r": 8, "p": 1}


# ---- passwords and codes -------------------------------------------------------------

def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, dklen=32, maxmem=64 * 1024 * 1024,
                            **SCRYPT)
    return "scrypt${n}${r}${p}${salt}${digest}".format(
        **SCRYPT, salt=base64.b64encode(salt).decode(), digest=base64.b64encode(digest).decode())


def check_password(password: str, encoded: str | None) -> bool:
    """Constant work whether or not the account exists (pass encoded=None for no account)."""
    if not encoded:
        hash_password(password)  # same cost as a real check: no timing oracle on phones
        return False
    _, n, r, p, salt, digest = encoded.split("$")
    got = hashlib.scrypt(password.encode(), salt=base64.b64decode(salt), n=int(n), r=int(r),
                         p=int(p), dklen=32, maxmem=64 * 1024 * 1024)
    return hmac.compare_digest(got, base64.b64decode(digest))


def check_password_strength(password: str, *, phone: str = "", id_number: str = "") -> None:
    if not password.isprintable():  # control characters, and lone surrogates (not text)
        raise RuleError("password", "Use printable characters only.", "密码含有无法识别的字符")
    if not 10 <= len(password) <= 64:
        raise RuleError("password", "Use 10 to 64 characters.", "密码长度应为10至64位")
    kinds = sum(any(test(c) for c in password)
                for test in (str.isdigit, str.islower, str.isupper, lambda c: not c.isalnum()))
    if kinds < 3:
        raise RuleError("password", "Mix at least three of: digits, lower case, upper case, "
                        "symbols.", "密码须包含数字、小写字母、大写字母、符号中的至少三种")
    lowered = password.lower()
    for personal in (phone, id_number[6:14] if id_number else "", id_number[-6:]):
        if personal and personal.lower() in lowered:
            raise RuleError("password", "Do not use your phone, ID or birth date in it.",
                            "密码不能包含手机号、身份证号或出生日期")
    if len(set(password)) < 5:
        raise RuleError("password", "Too easy to guess.", "密码过于简单")


def new_code() -> str:
    return f"{secrets.randbelow(1_000_000):06d}"


def code_digest(code: str, salt: str) -> str:
    return hashlib.sha256(f"{salt}:{code}".encode()).hexdigest()


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    """Refresh tokens are stored only as this digest (they are random, so no salt is needed)."""
    return hashlib.sha256(token.encode()).hexdigest()


def sms_only_allowed(account: dict) -> bool:
    """May a code texted to the phone alone open this account (验证码登录, 忘记密码)? Not for
    staff or anyone who chose two factors: for them the text is the second factor, never the
    only one (their administrator resets a staff password)."""
    return account["kind"] not in TWO_FACTOR_KINDS and not account.get("mfa")


# ---- sessions -------------------------------------------------------------------------

@dataclass(frozen=True)
class SessionLimits:
    absolute: timedelta
    idle: timedelta


def session_state(session: dict, now: datetime, limits: SessionLimits) -> str:
    """active | revoked | expired (past the absolute lifetime) | idle (unused too long)."""
    if session.get("revoked"):
        return "revoked"
    if now >= datetime.fromisoformat(session["created"]) + limits.absolute:
        return "expired"
    if now >= datetime.fromisoformat(session["last_used"]) + limits.idle:
        return "idle"
    return "active"


def refresh_in_grace(spent_at: str | None, now: datetime) -> bool:
    """Was this spent refresh token spent so recently that another tab is still using it?"""
    return bool(spent_at) and now - datetime.fromisoformat(spent_at) <= REFRESH_GRACE


def access_claims(account: dict, *, session: str, act: dict | None) -> dict:
    claims = {"sub": account["id"], "kind": account["kind"], "lvl": account["level"],
              "roles": account.get("roles", []), "sid": session}
    for key, claim in (("department", "dept"), ("region", "region")):
        if account.get(key):
            claims[claim] = account[key]
    if act:
        claims["act"] = act
    return claims


def window_start(now: datetime, seconds: int) -> int:
    return int(now.timestamp()) // seconds * seconds


# ---- failed logins: a step-up, never a lock-out ------------------------------------------

def stepped_up(account: dict, now: datetime) -> bool:
    """Does a login to this account need a texted code as well as the password now?"""
    return (account.get("stepup_until") or 0) > now.timestamp()


def after_failure(failed: int, stepup_until: int | None, now: datetime) -> str:
    """What a failed login does: "extend" a running step-up (every guess while stepped up
    keeps it running), "start" one at the STEP_UP_AFTER-th failure in a row, else "count"."""
    if (stepup_until or 0) > now.timestamp():
        return "extend"
    return "start" if failed >= STEP_UP_AFTER else "count"


def step_up_end(now: datetime) -> int:
    return int((now + STEP_UP_FOR).timestamp())


# ---- what the owner sees --------------------------------------------------------------

def account_view(account: dict) -> dict:
    """An account as its owner sees it: personal numbers masked (reveals are the service's)."""
    return {"id": account["id"], "kind": account["kind"], "name": account["name"],
            "level": account["level"], "level_name": LEVEL_NAMES.get(account["level"], ""),
            "roles": account.get("roles", []), "department": account.get("department"),
            "region": account.get("region"), "phone": account["phone_mask"],
            "id_number": account["id_mask"]}


# ---- real-name levels -----------------------------------------------------------------

LEVEL_NAMES = {1: "手机号已验证", 2: "身份信息已核验", 3: "已在窗口现场核验"}


def required_level(matter: dict) -> int:
    """A matter may declare its level; licensing needs a verified identity by default."""
    return int(matter.get("required_level") or (2 if matter["kind"] == "licensing" else 1))


# ---- delegation -----------------------------------------------------------------------

def grant_status(grant: dict, now: datetime) -> str:
    """The stored status, with time applied: pending past its acceptance window has lapsed,
    active past its expiry has expired."""
    status = grant["status"]
    if status == "pending" and now >= datetime.fromisoformat(grant["accept_by"]):
        return "lapsed"
    # The expiry day is a Beijing day: an aware `now` in UTC is taken at +08:00.
    local = now.astimezone(timezone(timedelta(hours=8))) if now.tzinfo else now
    if status == "active" and local.date() > date.fromisoformat(grant["expires"]):
        return "expired"
    return status


def check_grant_request(*, grantor_kind: str, role: str | None, matters: list[str],
                        expires: date, today: date) -> None:
    if grantor_kind == "enterprise" and role not in ENTERPRISE_ROLES:
        raise RuleError("role", "Choose preparer, approver or viewer.",
                        "请选择经办人、审批人或查看人")
    if grantor_kind == "person" and (role or not matters):
        raise RuleError("matters", "A family authorisation names the matters it covers.",
                        "请选择授权办理的事项")
    if not today < expires <= today + MAX_GRANT:
        raise RuleError("expires", "The expiry must be within the next year.",
                        "授权有效期应在一年以内")


def new_grant(*, gid: str, grantor_kind: str, grantor_id: str, grantor_name: str,
              granted_by: str, grantee: dict, role: str | None, matters: list[str],
              expires: date, now: datetime) -> dict:
    """A pending grant: the grantee has ACCEPT_WITHIN to accept it."""
    return {"id": gid, "grantor_kind": grantor_kind, "grantor_id": grantor_id,
            "grantor_name": grantor_name, "granted_by": granted_by, "grantee": grantee["id"],
            "grantee_name": grantee["name"], "grantee_phone_mask": grantee["phone_mask"],
            "role": role, "matters": matters, "expires": expires.isoformat(),
            "status": "pending", "created": now.isoformat(),
            "accept_by": (now + ACCEPT_WITHIN).isoformat()}


def grant_view(grant: dict, account_id: str, now: datetime) -> dict:
    """A grant as the grantee or the grantor's side sees it (the grantee's phone masked)."""
    return {**{k: grant.get(k) for k in ("id", "grantor_kind", "grantor_id", "grantor_name",
                                          "grantee_name", "role", "matters", "expires",
                                          "accept_by", "created")},
            "grantee_phone": grant["grantee_phone_mask"],
            "status": grant_status(grant, now),
            "direction": "received" if grant["grantee"] == account_id else "given"}


def grant_covers(grant: dict, matter: str | None) -> bool:
    """Family grants cover only their matters; enterprise roles cover the company's matters."""
    return not grant.get("matters") or matter is None or matter in grant["matters"]
