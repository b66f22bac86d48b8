"""Identity endpoints: registration, login with codes, tokens, identities, grants, audit."""
from __future__ import annotations

import time
import uuid
from datetime import datetime, timedelta

from flask import Blueprint, Flask, current_app, g, jsonify, request

from ..core import auth, clock, keys, pii, sms
from ..core import store as core_store
from ..core.auth import principal, public, require_role
from ..core.errors import Conflict, Forbidden, Locked, NotFound, Unauthorized, Unprocessable
from ..core.http import body, decode_key, encode_key, query
from . import cn_ids, model, schemas, store

bp = Blueprint("identity", __name__)


def _settings():
    return current_app.config["SETTINGS"]


def _ip() -> str:
    return request.remote_addr or "unknown"


def _limit(name: str, key: str) -> None:
    limit, window = model.LIMITS[name]
    core_store.rate_hit(_settings(), name, key, limit=limit, window=window,
                        now_epoch=int(time.time()))


def _audit(action: str, target: str, result: str = "ok", *, actor: str | None = None,
           detail: dict | None = None) -> dict:
    who = g.get("principal")
    return {"actor": actor or (who.subject if who else "anonymous"), "action": action,
            "target": target, "result": result, "request_id": g.get("request_id"),
            "at": clock.iso(), "detail": detail,
            "on_behalf": who.acting_for if who and who.act else None}


def _rule(err: model.RuleError):
    return Unprocessable(str(err), details={"fields": {err.field: [f"{err} ({err.zh})"]}})


def _phone_hash(phone: str) -> str:
    return pii.keyed_hash(_settings(), "phone", phone)


def public_account(account: dict, *, reveal: set[str] = frozenset()) -> dict:
    """What an account looks like to its owner: personal numbers masked unless asked for."""
    settings = _settings()
    out = {"id": account["id"], "kind": account["kind"], "name": account["name"],
           "level": account["level"], "level_name": model.LEVEL_NAMES.get(account["level"], ""),
           "roles": account.get("roles", []), "department": account.get("department"),
           "region": account.get("region"), "phone": account["phone_mask"],
           "id_number": account["id_mask"]}
    if "phone" in reveal:
        out["phone"] = pii.unseal(settings, account["phone_seal"], account["id"])
    if "id_number" in reveal:
        out["id_number"] = pii.unseal(settings, account["id_seal"], account["id"])
    return out


# ---- sessions: checked on every authenticated call ------------------------------------

def register(app: Flask) -> None:
    from .cli import identity_cli

    app.register_blueprint(bp)
    app.cli.add_command(identity_cli)
    if app.config["SETTINGS"].local:
        app.register_blueprint(dev)
    auth.on_token(app, _session_is_live)


def _session_is_live(settings, who) -> None:
    """Every authenticated request: the token's session is live and any delegation holds."""
    session = store.get_session(settings, who.session)
    limits = model.SessionLimits(timedelta(seconds=settings.session_seconds),
                                 timedelta(seconds=settings.idle_seconds))
    if not session or session["account"] != who.subject \
            or model.session_state(session, clock.now(), limits) != "active":
        raise Unauthorized("Your session has ended; please log in again.")
    if who.act:
        _check_act(who.subject, who.act)


def _check_act(account_id: str, act: dict) -> dict:
    """May `account_id` act for this party now? Returns the act claim (with the grant role)."""
    settings = _settings()
    if act["kind"] == "enterprise" and store.is_legal_rep(settings, account_id, act["id"]):
        return {"kind": "enterprise", "id": act["id"], "role": "legal_rep"}
    gid = act.get("grant")
    grant = store.get_grant(settings, gid) if gid else None
    if grant is None:
        for candidate in store.grants_received(settings, account_id):
            if (candidate["grantor_kind"], candidate["grantor_id"]) == (act["kind"], act["id"]) \
                    and model.grant_status(candidate, clock.now()) == "active":
                grant = candidate
                break
    if (grant is None or grant["grantee"] != account_id
            or (grant["grantor_kind"], grant["grantor_id"]) != (act["kind"], act["id"])
            or model.grant_status(grant, clock.now()) != "active"):
        raise Forbidden("You are not (or no longer) authorised to act for this party.")
    out = {"kind": act["kind"], "id": act["id"], "grant": grant["id"],
           "role": grant.get("role") or "family"}
    if grant.get("matters"):
        out["matters"] = grant["matters"]
    return out


# ---- tokens ---------------------------------------------------------------------------

@bp.get("/.well-known/jwks.json")
@public
def jwks():
    resp = jsonify(keys.keyring(_settings()).jwks())
    resp.headers["Cache-Control"] = "public, max-age=300"
    return resp


def _tokens(account: dict, *, session: str, refresh: str, act: dict | None = None,
            status: int = 200):
    settings = _settings()
    access = auth.sign(settings, model.access_claims(account, session=session, act=act))
    return jsonify({"access_token": access, "token_type": "Bearer",
                    "expires_in": settings.access_token_seconds, "refresh_token": refresh,
                    "account": public_account(account)}), status


def _start_session(account: dict, action: str, status: int = 200):
    settings = _settings()
    refresh = model.new_token()
    sid = store.create_session(settings, account_id=account["id"],
                               refresh_digest=model.token_digest(refresh), at=clock.iso(),
                               ttl=int(time.time()) + settings.session_seconds,
                               audit=_audit(action, account["id"], actor=account["id"]))
    return _tokens(account, session=sid, refresh=refresh, status=status)


@bp.post("/api/v1/auth/refresh")
@public
def refresh():
    """Rotate the refresh token; replaying a spent one ends the whole session (its family)."""
    settings = _settings()
    _limit("verify_ip", _ip())
    old = body(schemas.Refresh())["refresh_token"]
    found = store.get_refresh(settings, model.token_digest(old))
    if not found:
        raise Unauthorized("The refresh token is not valid.")
    session = store.get_session(settings, found["session"])
    limits = model.SessionLimits(timedelta(seconds=settings.session_seconds),
                                 timedelta(seconds=settings.idle_seconds))
    if found["used"]:
        store.revoke_session(settings, found["session"], audit=_audit(
            "refresh.reuse", found["session"], "revoked", actor=session["account"]))
        raise Unauthorized("This refresh token was already used; the session has been ended.")
    if model.session_state(session, clock.now(), limits) != "active":
        raise Unauthorized("Your session has ended; please log in again.")
    new = model.new_token()
    if not store.rotate_refresh(settings, old_digest=model.token_digest(old),
                                new_digest=model.token_digest(new), sid=session["id"],
                                at=clock.iso(), ttl=int(time.time()) + settings.session_seconds,
                                audit=_audit("refresh", session["id"], actor=session["account"])):
        store.revoke_session(settings, session["id"], audit=_audit(
            "refresh.reuse", session["id"], "revoked", actor=session["account"]))
        raise Unauthorized("This refresh token was already used; the session has been ended.")
    account = store.get_account(settings, session["account"])
    return _tokens(account, session=session["id"], refresh=new)


@bp.post("/api/v1/auth/logout")
def logout():
    who = principal()
    if who.session:
        store.revoke_session(_settings(), who.session, audit=_audit("logout", who.session))
    return "", 204


@bp.post("/api/v1/auth/switch")
def switch_identity():
    """A new access token acting for an enterprise or a family member (or for oneself)."""
    who = principal()
    wanted = body(schemas.Switch())["act_as"]
    account = store.get_account(_settings(), who.subject)
    act = None
    if wanted:
        if wanted["kind"] == "enterprise" and len(wanted["id"]) == 18:
            try:
                wanted["id"] = cn_ids.validate_uscc(wanted["id"])
            except cn_ids.IdError as err:  # was a 500: an invalid code is the caller's fault
                raise Unprocessable("The credit code is not valid.", details={"fields": {
                    "act_as": {"id": [f"{err.message} ({err.zh})"]}}}) from err
        act = _check_act(who.subject, wanted)
    target = f"{(act or {}).get('kind', 'self')}:{(act or {}).get('id', who.subject)}"
    core_store.audit_only(_settings(), _audit("identity.switch", target))
    access = auth.sign(_settings(), model.access_claims(account, session=who.session, act=act))
    return jsonify({"access_token": access, "token_type": "Bearer",
                    "expires_in": _settings().access_token_seconds, "acting_as": act})


# ---- one-time codes -------------------------------------------------------------------

@bp.post("/api/v1/auth/codes")
@public
def send_code():
    args = body(schemas.CodeRequest())
    phone, purpose = args["phone"], args["purpose"]
    phone_hash = _phone_hash(phone)
    _limit("code_ip", _ip())
    _limit("code_phone_burst", phone_hash)
    _limit("code_phone", phone_hash)
    settings = _settings()
    code, salt = model.new_code(), uuid.uuid4().hex
    expires = int(time.time() + model.CODE_TTL.total_seconds())
    store.put_code(settings, f"CODE#{phone_hash}", purpose, digest=model.code_digest(code, salt),
                   salt=salt, expires=expires)
    sms.send(settings, phone=phone, phone_hash=phone_hash, at=clock.iso(),
             text=f"【梅州网上办事大厅】验证码{code}，5分钟内有效。请勿告诉他人。")
    return jsonify({"status": "sent", "expires_in": int(model.CODE_TTL.total_seconds())}), 202


def _check_code(pk: str, sk: str, code: str) -> dict:
    """A code is good once, within its time, within five tries."""
    settings = _settings()
    stored = store.get_code(settings, pk, sk)
    bad = Unprocessable("The code is wrong or expired.",
                        details={"fields": {"code": ["wrong or expired (验证码错误或已过期)"]}})
    if not stored or stored["expires"] < time.time():
        raise bad
    if store.count_code_attempt(settings, pk, sk) > model.CODE_ATTEMPTS:
        store.delete_code(settings, pk, sk)
        raise bad
    if model.code_digest(code, stored["salt"]) != stored["digest"]:
        raise bad
    return stored


# ---- registration ---------------------------------------------------------------------

@bp.post("/api/v1/auth/register")
@public
def register_citizen():
    """Phone verified by code (level 1); name and ID matched in the base registry (level 2).
    One transaction: nothing is half created."""
    _limit("register_ip", _ip())
    args = body(schemas.CitizenRegistration())
    try:
        model.check_password_strength(args["password"], phone=args["phone"],
                                      id_number=args["id_number"])
    except model.RuleError as err:
        raise _rule(err) from err
    settings = _settings()
    phone_hash = _phone_hash(args["phone"])
    _check_code(f"CODE#{phone_hash}", "register", args["code"])
    account = store.new_account(settings, kind="citizen", name=args["name"],
                                id_number=args["id_number"], phone=args["phone"],
                                password=args["password"], roles=[])
    store.create_account(settings, account, consume_code=f"CODE#{phone_hash}|register",
                         audit=_audit("account.register", account["id"], actor=account["id"],
                                      detail={"level": account["level"]}))
    return _start_session(account, "login.ok", status=201)


@bp.post("/api/v1/admin/accounts")
@require_role("admin")
def create_staff():
    args = body(schemas.StaffAccount())
    try:
        model.check_password_strength(args["password"], phone=args["phone"],
                                      id_number=args["id_number"])
    except model.RuleError as err:
        raise _rule(err) from err
    account = store.new_account(_settings(), kind=args["kind"], name=args["name"],
                                id_number=args["id_number"], phone=args["phone"],
                                password=args["password"], roles=args["roles"],
                                department=args.get("department"), region=args.get("region"))
    store.create_account(_settings(), account, consume_code=None,
                         audit=_audit("account.create_staff", account["id"],
                                      detail={"kind": account["kind"], "roles": args["roles"]}))
    return jsonify(public_account(account)), 201


# ---- login ----------------------------------------------------------------------------

@bp.post("/api/v1/auth/login")
@public
def login():
    args = body(schemas.Login())
    settings = _settings()
    phone_hash = _phone_hash(args["phone"])
    _limit("login_ip", _ip())
    _limit("login_account", phone_hash)
    account = store.account_by_phone(settings, phone_hash)
    now = clock.now()
    if account and account.get("locked_until") and \
            datetime.fromisoformat(account["locked_until"]) > now:
        wait = int((datetime.fromisoformat(account["locked_until"]) - now).total_seconds())
        core_store.audit_only(settings, _audit("login.while_locked", account["id"], "refused",
                                          actor=account["id"]))
        raise Locked("The account is locked after repeated failures; try again later.",
                     headers={"Retry-After": str(max(wait, 1))})
    if not model.check_password(args["password"], account["password"] if account else None):
        if account:
            locked = store.record_login_failure(
                settings, account["id"], lock_after=model.LOCK_AFTER,
                locked_until=(now + model.LOCK_FOR).isoformat(),
                audit=_audit("login.fail", account["id"], "refused", actor=account["id"]))
            if locked:
                sms.send(settings, phone=args["phone"], phone_hash=phone_hash, at=clock.iso(),
                         text="【梅州网上办事大厅】您的账户因多次登录失败已临时锁定30分钟。"
                              "如非本人操作，请修改密码。")
        else:  # an unregistered phone: recorded by its mask, never in full
            core_store.audit_only(settings, _audit("login.fail", cn_ids.mask_phone(args["phone"]),
                                              "refused"))
        raise Unauthorized("The phone number or password is wrong.")
    store.clear_login_failures(settings, account["id"])
    if account["kind"] in model.TWO_FACTOR_KINDS or account.get("mfa"):
        challenge, code, salt = uuid.uuid4().hex, model.new_code(), uuid.uuid4().hex
        expires = int(time.time() + model.CODE_TTL.total_seconds())
        store.put_code(settings, f"CHALLENGE#{challenge}", "C",
                       digest=model.code_digest(code, salt), salt=salt, expires=expires,
                       data={"account": account["id"]})
        sms.send(settings, phone=args["phone"], phone_hash=phone_hash, at=clock.iso(),
                 text=f"【梅州网上办事大厅】登录验证码{code}，5分钟内有效。请勿告诉他人。")
        return jsonify({"mfa_required": True, "challenge": challenge,
                        "expires_in": int(model.CODE_TTL.total_seconds())})
    return _start_session(account, "login.ok")


@bp.post("/api/v1/auth/login/verify")
@public
def login_verify():
    args = body(schemas.LoginVerify())
    _limit("verify_ip", _ip())
    stored = _check_code(f"CHALLENGE#{args['challenge']}", "C", args["code"])
    store.delete_code(_settings(), f"CHALLENGE#{args['challenge']}", "C")
    account = store.get_account(_settings(), stored["data"]["account"])
    return _start_session(account, "login.ok.mfa")


# ---- the person's own identity --------------------------------------------------------

@bp.get("/api/v1/me")
def me():
    who = principal()
    reveal = set(filter(None, (query(schemas.RevealQuery()).get("reveal") or "").split(",")))
    settings = _settings()
    account = store.get_account(settings, who.subject)
    if reveal:
        core_store.audit_only(settings, _audit("account.reveal", who.subject,
                                          detail={"fields": sorted(reveal)}))
    out = public_account(account, reveal=reveal)
    out["enterprises"] = store.my_enterprises(settings, who.subject)
    out["acting_as"] = who.act
    out["representing"] = [
        {"kind": gr["grantor_kind"], "id": gr["grantor_id"], "name": gr.get("grantor_name"),
         "role": gr.get("role") or "family", "grant": gr["id"]}
        for gr in store.grants_received(settings, who.subject)
        if model.grant_status(gr, clock.now()) == "active"]
    return jsonify(out)


@bp.post("/api/v1/me/real-name")
def real_name():
    """Level 2 after registration: match the name against the base registry."""
    who = principal()
    name = body(schemas.RealName())["name"]
    settings = _settings()
    account = store.get_account(settings, who.subject)
    if account["level"] >= 2:
        return jsonify(public_account(account))
    person = store.registry_person(settings, account["id_hash"])
    if not person or person["name"] != name:
        core_store.audit_only(settings, _audit("level.registry", who.subject, "refused"))
        raise Unprocessable("The name does not match the registry for this ID number.",
                            details={"fields": {"name": ["does not match (姓名与身份证号不匹配)"]}})
    store.set_level(settings, who.subject, 2, audit=_audit("level.registry", who.subject))
    return jsonify(public_account({**account, "level": 2}))


@bp.post("/api/v1/officer/identity/verify")
@require_role("window", "officer")
def verify_in_person():
    """实名核验窗口: an officer has seen the person and their ID card: level 3."""
    args = body(schemas.InPersonCheck())
    settings = _settings()
    try:
        account = store.get_account(settings, args["account_id"])
    except NotFound as err:
        raise NotFound("No such account.") from err
    if account["id_hash"] != pii.keyed_hash(settings, "id", args["id_number"]):
        core_store.audit_only(settings, _audit("level.window", account["id"], "refused"))
        raise Unprocessable("The ID number does not belong to this account.",
                            details={"fields": {"id_number": ["does not match (身份证号不符)"]}})
    store.set_level(settings, account["id"], 3, audit=_audit("level.window", account["id"]),
                    notify={"kind": "security", "title": "实名核验已完成",
                            "body": "您已在窗口完成现场实名核验（三级）。", "at": clock.iso()})
    return jsonify(public_account({**account, "level": 3}))


@bp.get("/api/v1/matters/<code>/eligibility")
def eligibility(code: str):
    from ..hall import store as hall_store

    matter = hall_store.current_catalogue(_settings()).matters.get(code)
    if not matter:
        raise NotFound(f"No matter {code}.")
    who = principal()
    needed = model.required_level(matter)
    return jsonify({"matter": code, "required_level": needed, "your_level": who.level,
                    "eligible": who.level >= needed,
                    "how": None if who.level >= needed else model.LEVEL_NAMES[needed]})


# ---- enterprises and delegation -------------------------------------------------------

@bp.post("/api/v1/enterprises")
def register_enterprise():
    """The legal representative (by the legal-person registry) registers the enterprise."""
    who = principal()
    if who.level < 2:
        raise Forbidden("Verify your identity (level 2) before registering an enterprise.")
    uscc = body(schemas.EnterpriseRegistration())["uscc"]
    settings = _settings()
    org = store.registry_org(settings, uscc)
    if not org or org.get("status") != "active":
        raise Unprocessable("No active legal person with this code in the registry.",
                            details={"fields": {"uscc": ["not in the registry (未查到该主体)"]}})
    account = store.get_account(settings, who.subject)
    if org["legal_rep_id_hash"] != account["id_hash"]:
        raise Forbidden("Only the legal representative can register this enterprise.")
    enterprise = {k: org[k] for k in ("uscc", "name", "county", "industry", "size", "founded",
                                      "individual_business")}
    enterprise["legal_rep"] = who.subject
    store.create_enterprise(settings, enterprise, account_id=who.subject,
                            audit=_audit("enterprise.register", uscc))
    return jsonify(enterprise), 201


def _grant_view(grant: dict, account_id: str) -> dict:
    return {**{k: grant.get(k) for k in ("id", "grantor_kind", "grantor_id", "grantor_name",
                                          "grantee_name", "role", "matters", "expires",
                                          "accept_by", "created")},
            "grantee_phone": grant["grantee_phone_mask"],
            "status": model.grant_status(grant, clock.now()),
            "direction": "received" if grant["grantee"] == account_id else "given"}


@bp.get("/api/v1/grants")
def list_grants():
    who = principal()
    settings = _settings()
    grants = store.grants_received(settings, who.subject)
    grants += store.grants_given(settings, "person", who.subject)
    for ent in store.my_enterprises(settings, who.subject):
        grants += store.grants_given(settings, "enterprise", ent["uscc"])
    grants.sort(key=lambda gr: gr["created"], reverse=True)
    return jsonify({"items": [_grant_view(gr, who.subject) for gr in grants]})


@bp.post("/api/v1/grants")
def create_grant():
    who = principal()
    args = body(schemas.GrantRequest())
    settings = _settings()
    me_account = store.get_account(settings, who.subject)
    if args["grantor"] == "self":
        kind, gid_owner, owner_name = "person", who.subject, me_account["name"]
    else:
        kind, gid_owner = "enterprise", args["grantor"].split(":", 1)[1]
        if not store.is_legal_rep(settings, who.subject, gid_owner):
            raise Forbidden("Only the legal representative grants roles in this enterprise.")
        owner_name = store.get_enterprise(settings, gid_owner)["name"]
    try:
        model.check_grant_request(grantor_kind=kind, role=args.get("role"),
                                  matters=args["matters"], expires=args["expires"],
                                  today=clock.now().date())
    except model.RuleError as err:
        raise _rule(err) from err
    grantee = store.account_by_phone(settings, _phone_hash(args["grantee_phone"]))
    if not grantee:
        raise Unprocessable("Nobody has registered with this phone number.",
                            details={"fields": {"grantee_phone": ["no account (该手机号未注册)"]}})
    if grantee["id"] == who.subject:
        raise Unprocessable("You cannot authorise yourself.",
                            details={"fields": {"grantee_phone": ["yourself (不能授权给自己)"]}})
    now = clock.now()
    grant = {"id": uuid.uuid4().hex, "grantor_kind": kind, "grantor_id": gid_owner,
             "grantor_name": owner_name, "granted_by": who.subject, "grantee": grantee["id"],
             "grantee_name": grantee["name"], "grantee_phone_mask": grantee["phone_mask"],
             "role": args.get("role"), "matters": args["matters"],
             "expires": args["expires"].isoformat(), "status": "pending",
             "created": now.isoformat(), "accept_by": (now + model.ACCEPT_WITHIN).isoformat()}
    at = clock.iso()
    store.create_grant(settings, grant, audit=_audit("grant.create", grant["id"]), notices=[
        {"account": grantee["id"], "kind": "grant", "title": "您收到一项授权",
         "body": f"{owner_name}授权您代为办理，请在14天内确认。", "at": at, "link": "/#/grants"},
        {"account": who.subject, "kind": "grant", "title": "授权已发出",
         "body": f"已向{grantee['name']}发出授权，待对方确认。", "at": at, "link": "/#/grants"},
    ])
    return jsonify(_grant_view(grant, who.subject)), 201


def _own_grant(gid: str) -> dict:
    """The grant, if the caller is its grantee or may speak for its grantor; else 404."""
    who = principal()
    settings = _settings()
    grant = store.get_grant(settings, gid) if len(gid) == 32 else None
    if grant and (grant["grantee"] == who.subject
                  or (grant["grantor_kind"] == "person" and grant["grantor_id"] == who.subject)
                  or (grant["grantor_kind"] == "enterprise"
                      and store.is_legal_rep(settings, who.subject, grant["grantor_id"]))):
        return grant
    raise NotFound("No such authorisation.")


@bp.post("/api/v1/grants/<gid>/accept")
def accept_grant(gid: str):
    who = principal()
    grant = _own_grant(gid)
    if grant["grantee"] != who.subject:
        raise Forbidden("Only the person authorised can accept.")
    status = model.grant_status(grant, clock.now())
    if status != "pending":
        raise Conflict(f"The authorisation is {status}.", details={"status": status})
    at = clock.iso()
    store.change_grant(_settings(), gid, expected="pending", status="active",
                       extra={"accepted": at}, audit=_audit("grant.accept", gid), notices=[
                           {"account": grant["granted_by"], "kind": "grant",
                            "title": "授权已被接受", "at": at, "link": "/#/grants",
                            "body": f"{grant['grantee_name']}已接受您的授权。"}])
    return jsonify(_grant_view({**grant, "status": "active"}, who.subject))


@bp.post("/api/v1/grants/<gid>/revoke")
def revoke_grant(gid: str):
    who = principal()
    grant = _own_grant(gid)
    status = model.grant_status(grant, clock.now())
    if status not in ("pending", "active"):
        raise Conflict(f"The authorisation is {status}.", details={"status": status})
    at = clock.iso()
    other = grant["granted_by"] if grant["grantee"] == who.subject else grant["grantee"]
    text = f"{grant['grantor_name']}对{grant['grantee_name']}的授权已撤销。"
    store.change_grant(_settings(), gid, expected=grant["status"], status="revoked",
                       extra={"revoked": at}, audit=_audit("grant.revoke", gid), notices=[
                           {"account": acct, "kind": "grant", "title": "授权已撤销", "at": at,
                            "body": text, "link": "/#/grants"} for acct in {other, who.subject}])
    return jsonify(_grant_view({**grant, "status": "revoked"}, who.subject))


# ---- administration -------------------------------------------------------------------

@bp.post("/api/v1/admin/keys/rotate")
@require_role("admin")
def rotate_keys():
    ring = keys.rotate(_settings(), clock.now())
    core_store.audit_only(_settings(), _audit("keys.rotate", ring.signing()[0]))
    return jsonify(ring.jwks())


@bp.get("/api/v1/audit")
@require_role("supervisor", "admin")
def audit_log():
    args = query(schemas.AuditQuery())
    rows, last = store.audit_day(_settings(), args["day"].isoformat(), limit=args["limit"],
                                 start=decode_key(args.get("cursor")))
    rows = [r for r in rows if (not args.get("actor") or r.get("actor") == args["actor"])
            and (not args.get("action") or r.get("action") == args["action"])]
    return jsonify({"items": rows, "next_cursor": encode_key(last)})


# ---- local and dev stages only --------------------------------------------------------

dev = Blueprint("identity_dev", __name__)


@dev.get("/api/v1/dev/outbox")
@public
def dev_outbox():
    """The text messages the emulator 'sent' to a phone (absent in the prod stage)."""
    phone = query(schemas.OutboxQuery())["phone"]
    return jsonify({"items": core_store.outbox(_settings(), _phone_hash(phone))})
