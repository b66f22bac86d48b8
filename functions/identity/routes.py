"""Identity endpoints: registration, login with codes, tokens, identities, grants.
Each view parses its input, calls one use case in `service` and formats the answer."""
from __future__ import annotations

from flask import Blueprint, Flask, current_app, jsonify, request

from ..core import auth, clock
from ..core.auth import principal, public, require_role
from ..core.errors import Unauthorized
from ..core.http import body, query
from . import schemas, service

bp = Blueprint("identity", __name__)
# Dev shortcuts: registered in the local stage and no other (see register).
dev = Blueprint("identity_dev", __name__)


def register(app: Flask) -> None:
    from .cli import identity_cli

    app.register_blueprint(bp)
    app.cli.add_command(identity_cli)
    if app.config["SETTINGS"].local:
        app.register_blueprint(dev)
    # Every authenticated request: its session is live and any delegation still holds.
    auth.on_token(app, lambda settings, who: service.check_token(settings, who, at=clock.now()))


def _settings():
    return current_app.config["SETTINGS"]


def _client() -> str:
    """The caller's address: rate limits count per address."""
    return request.remote_addr or "unknown"


# The refresh token travels only in this cookie: HttpOnly (no script reads it), Secure,
# SameSite=Strict and sent to the auth paths alone. A browser-session cookie: it goes when the
# browser closes, and the session's own limits end it sooner. The marker cookie says, to the
# PWA's scripts in any tab, that a session may be there to refresh; it holds no secret.
REFRESH_COOKIE = "__Secure-hall_rt"
MARKER_COOKIE = "__Secure-hall_in"
AUTH_PATH = "/api/v1/auth"


def _tokens(session: service.Session, status: int = 200):
    settings = _settings()
    resp = jsonify({"access_token": auth.sign(settings, session.claims), "token_type": "Bearer",
                    "expires_in": settings.access_token_seconds, "account": session.account})
    if session.refresh:  # None: a tab refreshing in the grace of another's rotation
        resp.set_cookie(REFRESH_COOKIE, session.refresh, path=AUTH_PATH, secure=True,
                        httponly=True, samesite="Strict")
        resp.set_cookie(MARKER_COOKIE, "1", path="/", secure=True, samesite="Strict")
    return resp, status


def _refresh_token() -> str:
    token = request.cookies.get(REFRESH_COOKIE, "")
    if not 20 <= len(token) <= 100:
        raise Unauthorized("No refresh token: please log in.")
    return token


# ---- tokens ---------------------------------------------------------------------------

@bp.get("/.well-known/jwks.json")
@public
def jwks():
    resp = jsonify(service.jwks(_settings()))
    resp.headers["Cache-Control"] = "public, max-age=300"
    return resp


@bp.post("/api/v1/auth/refresh")
@public
def refresh():
    """Rotate the refresh token (from its cookie); replaying a spent one ends the session."""
    return _tokens(service.refresh(_settings(), refresh_token=_refresh_token(),
                                   client=_client(), at=clock.now()))


@bp.post("/api/v1/auth/logout")
def logout():
    service.log_out(_settings(), principal(), at=clock.now())
    resp = current_app.response_class(status=204)
    resp.delete_cookie(REFRESH_COOKIE, path=AUTH_PATH, secure=True, httponly=True,
                       samesite="Strict")
    resp.delete_cookie(MARKER_COOKIE, path="/", secure=True, samesite="Strict")
    return resp


@bp.post("/api/v1/auth/switch")
def switch_identity():
    """A new access token acting for an enterprise or a family member (or for oneself)."""
    settings, act_as = _settings(), body(schemas.Switch())["act_as"]
    out = service.switch_identity(settings, principal(), act_as=act_as, at=clock.now())
    return jsonify({"access_token": auth.sign(settings, out.claims), "token_type": "Bearer",
                    "expires_in": settings.access_token_seconds, "acting_as": out.acting_as})


# ---- codes, registration, login -------------------------------------------------------

@bp.post("/api/v1/auth/codes")
@public
def send_code():
    args = body(schemas.CodeRequest())
    ttl = service.send_code(_settings(), **args, client=_client(), at=clock.now())
    return jsonify({"status": "sent", "expires_in": ttl}), 202


@bp.post("/api/v1/auth/register")
@public
def register_citizen():
    args = body(schemas.CitizenRegistration())
    return _tokens(service.register_citizen(_settings(), **args, client=_client(),
                                            at=clock.now()), 201)


@bp.post("/api/v1/auth/login")
@public
def login():
    args = body(schemas.Login())
    out = service.log_in(_settings(), **args, client=_client(), at=clock.now())
    if isinstance(out, service.Challenge):
        return jsonify({"mfa_required": True, "challenge": out.id, "expires_in": out.expires_in})
    return _tokens(out)


@bp.post("/api/v1/auth/login/verify")
@public
def login_verify():
    args = body(schemas.LoginVerify())
    return _tokens(service.verify_login(_settings(), **args, client=_client(), at=clock.now()))


@bp.post("/api/v1/auth/login/code")
@public
def login_code():
    """验证码登录: citizens log in with the code texted to their phone."""
    args = body(schemas.LoginCode())
    return _tokens(service.log_in_with_code(_settings(), **args, client=_client(),
                                            at=clock.now()))


@bp.post("/api/v1/auth/password/reset")
@public
def reset_password():
    """忘记密码: a new password with the code texted for a reset; other sessions end."""
    args = body(schemas.PasswordReset())
    return _tokens(service.reset_password(_settings(), **args, client=_client(),
                                          at=clock.now()))


@bp.post("/api/v1/admin/accounts")
@require_role("admin")
def create_staff():
    args = body(schemas.StaffAccount())
    return jsonify(service.create_staff(_settings(), principal(), at=clock.now(), **args)), 201


# ---- the person's own identity --------------------------------------------------------

@bp.get("/api/v1/me")
def me():
    reveal = query(schemas.RevealQuery()).get("reveal") or ""
    return jsonify(service.me(_settings(), principal(), at=clock.now(),
                              reveal=frozenset(filter(None, reveal.split(",")))))


@bp.get("/api/v1/me/data-export")
def data_export():
    """Download my data (PIPL Art. 45): one JSON file, or its readable summary as text."""
    fmt = query(schemas.DataExportQuery())["format"]
    doc, name = service.data_export(_settings(), principal(), fmt=fmt, at=clock.now())
    if fmt == "text":
        resp = current_app.response_class(service.summary_text(doc),
                                          mimetype="text/plain; charset=utf-8")
        name = name.removesuffix(".json") + ".txt"
    else:
        resp = jsonify(doc)
    resp.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    resp.headers["Cache-Control"] = "no-store"
    return resp


@bp.post("/api/v1/me/real-name")
def real_name():
    """Level 2 after registration: match the name against the base registry."""
    name = body(schemas.RealName())["name"]
    return jsonify(service.real_name(_settings(), principal(), name=name, at=clock.now()))


@bp.post("/api/v1/officer/identity/verify")
@require_role("window", "officer")
def verify_in_person():
    """实名核验窗口: an officer has seen the person and their ID card: level 3."""
    args = body(schemas.InPersonCheck())
    return jsonify(service.verify_in_person(_settings(), principal(), **args, at=clock.now()))


@bp.get("/api/v1/matters/<code>/eligibility")
def eligibility(code: str):
    return jsonify(service.eligibility(_settings(), principal(), matter=code))


# ---- enterprises and delegation -------------------------------------------------------

@bp.post("/api/v1/enterprises")
def register_enterprise():
    """The legal representative (by the legal-person registry) registers the enterprise."""
    uscc = body(schemas.EnterpriseRegistration())["uscc"]
    return jsonify(service.register_enterprise(_settings(), principal(), uscc=uscc,
                                               at=clock.now())), 201


@bp.get("/api/v1/grants")
def list_grants():
    args = query(schemas.GrantsQuery())
    return jsonify(service.list_grants(_settings(), principal(), at=clock.now(), **args))


@bp.post("/api/v1/grants")
def create_grant():
    args = body(schemas.GrantRequest())
    return jsonify(service.create_grant(_settings(), principal(), **args, at=clock.now())), 201


@bp.post("/api/v1/grants/<gid>/accept")
def accept_grant(gid: str):
    return jsonify(service.accept_grant(_settings(), principal(), gid, at=clock.now()))


@bp.post("/api/v1/grants/<gid>/revoke")
def revoke_grant(gid: str):
    return jsonify(service.revoke_grant(_settings(), principal(), gid, at=clock.now()))


# ---- administration -------------------------------------------------------------------

@bp.post("/api/v1/admin/keys/rotate")
@require_role("admin")
def rotate_keys():
    return jsonify(service.rotate_keys(_settings(), principal(), at=clock.now()).jwks())


# ---- the local stage only -------------------------------------------------------------

@dev.get("/api/v1/dev/outbox")
@public
def dev_outbox():
    """The text messages the emulator 'sent' to a phone."""
    phone = query(schemas.OutboxQuery())["phone"]
    return jsonify({"items": service.dev_outbox(_settings(), phone=phone)})


@dev.post("/api/v1/dev/sessions")
@public
def dev_session():
    """A real session for a dev account with the given role (python -m infra.local token)."""
    args = body(schemas.DevSession())
    return _tokens(service.open_dev_session(_settings(), **args, at=clock.now()), 201)
