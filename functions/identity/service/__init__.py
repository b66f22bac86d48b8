"""Identity's use cases: one function per thing a person does, with no framework in sight.

Each is given the settings, the principal (`who`; None when nobody is logged in), the parsed
input and the time (`at`); it applies the rules of `model`, does its I/O through the stores
and raises typed errors from core.errors. Use cases that open or change a session return the
claims of the access token to issue; the HTTP layer signs them (core.auth).

  accounts    codes, registration, staff accounts, login and its step-up, dev sessions
  recovery    验证码登录 (a texted code alone), 忘记密码 (reset by a texted code): citizens only
  tokens      the check on every request, refresh, log out, switching identity
  profile     me (with audited reveals), real-name levels, eligibility
  delegation  enterprises, grants, acting for others
  admin       token key rotation, loading the base registry
  export      download my data (PIPL Art. 45): everything held about me or my enterprise
"""
from .accounts import (
    create_staff,
    dev_outbox,
    log_in,
    new_account,
    new_staff,
    open_dev_session,
    register_citizen,
    send_code,
    verify_login,
)
from .admin import load_registry, rotate_keys
from .common import Challenge, Session, Switched
from .delegation import (
    accept_grant,
    acting_for,
    create_grant,
    list_grants,
    register_enterprise,
    revoke_grant,
)
from .export import data_export, summary_text
from .profile import eligibility, me, real_name, verify_in_person
from .recovery import log_in_with_code, reset_password
from .tokens import check_token, jwks, log_out, refresh, switch_identity

__all__ = ["Challenge", "Session", "Switched", "accept_grant", "acting_for",
           "check_token", "create_grant", "create_staff", "data_export", "dev_outbox",
           "eligibility", "jwks", "list_grants", "load_registry", "log_in", "log_in_with_code",
           "log_out", "me", "new_account", "new_staff", "open_dev_session", "real_name",
           "refresh", "register_citizen", "register_enterprise", "reset_password",
           "revoke_grant", "rotate_keys", "send_code", "summary_text", "switch_identity",
           "verify_in_person", "verify_login"]
