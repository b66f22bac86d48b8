"""Licence endpoints: public keys and verification, the holder's wallet, counter issue, revoke."""
from __future__ import annotations

import io
import re

from flask import Blueprint, Flask, Response, current_app, g, jsonify, request

from ..core import clock
from ..core.auth import principal, public, require_role
from ..core.errors import Forbidden, NotFound, Unprocessable
from ..core.http import body, query
from . import model, schemas, store

bp = Blueprint("licences", __name__, url_prefix="/api/v1")
_LID = re.compile(r"^[0-9a-f]{32}$")


def register(app: Flask) -> None:
    app.register_blueprint(bp)


def _settings():
    return current_app.config["SETTINGS"]


def _rule(err: model.RuleError):
    return Unprocessable(str(err), details={"fields": {err.field: [f"{err} ({err.zh})"]}})


def _lid(lid: str) -> str:
    if not _LID.fullmatch(lid):
        raise NotFound("No such licence.")
    return lid


def _holder(for_matter: str | None = None) -> tuple[str, str]:
    """Whose wallet this request opens: the represented party's, else the caller's. Someone
    acting for a family member sees only the licences a matter they may apply for uses, not
    the whole wallet, its details or its usage."""
    who = principal()
    if not who.act:
        return "person", who.subject
    if who.act["kind"] == "person" and (
            for_matter is None or for_matter not in who.act.get("matters", [for_matter])):
        raise Forbidden("Acting for a family member, you may use their licences only for the "
                        "matters they authorised.")
    return who.act["kind"], who.act["id"]


def _matter(code: str) -> dict:
    from ..hall import store as hall_store

    found = hall_store.current_catalogue(_settings()).matters.get(code)
    if not found:
        raise NotFound(f"No matter {code}.")
    return found


def _verify_url(lid: str) -> str:
    return f"{request.host_url.rstrip('/')}/verify/{lid}"


def _full_view(licence: dict) -> dict:
    """The licence for its holder: the signed bytes and signature for offline display."""
    p = licence["payload"]
    ltype = model.licence_types()[p["type"]]
    return {**model.summary(licence, clock.now()), "holder_kind": p["holder_kind"],
            "holder_id": p["holder_id"], "holder_name": p["holder_name"],
            "fields": model.field_rows(ltype, p["fields"]),
            "issuer_department": p["issuer"]["department"], "issuer_region": p["issuer"]["region"],
            "application": p["application"], "revoked_at": licence.get("revoked_at"),
            "signed": licence["signed"], "signature": licence["signature"],
            "kid": licence["kid"], "alg": licence["alg"], "verify_url": _verify_url(p["id"])}


def _audit_who() -> dict:
    who = principal()
    return {"actor": who.subject, "request_id": g.get("request_id"),
            "on_behalf": who.acting_for if who.act else None}


# ---- public: anyone may check a licence ----------------------------------------------------

@bp.get("/licences/keys")
@public
def licence_keys():
    resp = jsonify({"keys": store.public_keys(_settings())})
    resp.headers["Cache-Control"] = "public, max-age=300"
    return resp


@bp.get("/licences/types")
@public
def licence_types():
    from ..hall import store as hall_store

    uses = model.use_list(hall_store.current_catalogue(_settings()).matters.values())
    return jsonify({"items": [{**{k: t[k] for k in (
        "code", "name", "name_en", "issuer_department", "holder", "fields", "validity_years",
        "shareable_fields")}, "issued_by": t["issued_by_matters"], "used_by": uses.get(code, [])}
        for code, t in model.licence_types().items()]})


@bp.get("/verify/<lid>")
@public
def verify_licence(lid: str):
    licence = store.get_licence(_settings(), _lid(lid))
    if not licence:
        raise NotFound("No such licence.")
    view = model.public_view(licence, signature_valid=store.signature_valid(_settings(), licence),
                             now=clock.now())
    resp = jsonify(view)
    resp.headers["Cache-Control"] = "no-cache"  # a revocation must show at once
    return resp


@bp.get("/verify/<lid>/qr.svg")
@public
def verify_qr(lid: str):
    import segno  # lazily: only the QR route pays for it

    if not store.get_licence(_settings(), _lid(lid)):
        raise NotFound("No such licence.")
    out = io.BytesIO()
    segno.make(_verify_url(lid), error="m").save(out, kind="svg", scale=4, border=4,
                                                 xmldecl=False, title="扫码核验电子证照")
    # The code holds only the URL, which never changes: status is read when it is scanned.
    return Response(out.getvalue(), mimetype="image/svg+xml",
                    headers={"Cache-Control": "public, max-age=86400"})


# ---- the holder's wallet -------------------------------------------------------------------

@bp.get("/wallet")
def wallet():
    args = query(schemas.WalletQuery())
    kind, holder_id = _holder(args.get("matter"))
    now = clock.now()
    items = [model.summary(w, now) for w in store.wallet(_settings(), kind, holder_id)]
    if "matter" in args:  # the licences to offer when applying for this matter
        usable = set(model.used_by(_matter(args["matter"])))
        items = [i for i in items if i["type"] in usable and i["status"] == "valid"]
    return jsonify({"holder_kind": kind, "items": items})


@bp.get("/wallet/<lid>")
def wallet_licence(lid: str):
    return jsonify(_full_view(store.holder_licence(_settings(), _lid(lid), *_holder())))


@bp.get("/wallet/<lid>/usage")
def licence_usage(lid: str):
    store.holder_licence(_settings(), _lid(lid), *_holder())
    from ..hall import store as hall_store

    matters = hall_store.current_catalogue(_settings()).matters
    items = [{**u, "matter_name": matters.get(u["matter"], {}).get("name")}
             for u in store.usage(_settings(), lid)]
    return jsonify({"licence": lid, "items": items})


@bp.post("/wallet/<lid>/preview")
def share_preview(lid: str):
    code = body(schemas.SharePreviewRequest())["matter"]
    licence = store.holder_licence(_settings(), _lid(lid), *_holder(code))
    matter = _matter(code)
    try:
        rows = model.preview(licence, matter)
    except model.RuleError as err:
        raise _rule(err) from err
    p = licence["payload"]
    return jsonify({"licence": lid, "type": p["type"],
                    "type_name": model.licence_types()[p["type"]]["name"],
                    "status": model.status(licence, clock.now()), "matter": matter["code"],
                    "matter_name": matter["name"], "fields": rows})


# ---- departments: issue at the counter, revoke ----------------------------------------------

@bp.post("/officer/licences")
@require_role("officer")
def issue_licence():
    """Counter issue (paper and electronic together); approvals issue through issue_items."""
    from ..hall import model as hall_model

    args = body(schemas.LicenceIssue())
    who = principal()
    ltype = model.licence_types()[args["type"]]
    if who.department != ltype["issuer_department"]:
        raise Forbidden(f"Only {ltype['issuer_department']} issues a {ltype['name_en']}.")
    region = who.region or hall_model.CITY_REGION
    if region not in hall_model.by_code("regions"):
        raise Forbidden("Your account has no region to issue from.")
    settings = _settings()
    given = model.IDENTITY_FIELDS[args["holder_kind"]]
    clash = sorted(set(args["fields"]) & set(given))
    try:
        if clash:
            raise model.RuleError("fields", f"{', '.join(clash)} come from the holder's verified "
                                  "identity; leave them out.", "持证人身份信息由系统自动填写")
        if args["holder_kind"] != ltype["holder"]:
            raise model.RuleError("holder_kind", f"A {ltype['name_en']} is held by a "
                                  f"{ltype['holder']}.", "持证主体类型与证照类型不符")
        holder = store.holder_identity(settings, args["holder_kind"], args["holder_id"])
        known = {f["name"] for f in ltype["fields"]}
        values = {**{k: v for k, v in holder["fields"].items() if k in known}, **args["fields"]}
        issuer = {"department": who.department, "region": region,
                  "name": hall_model.department_name(who.department, region)}
        licence = store.build(settings, type_code=ltype["code"], holder_kind=args["holder_kind"],
                              holder_id=args["holder_id"], holder_name=holder["name"],
                              fields=values, issuer=issuer, application=args["application"],
                              now=clock.now())
    except model.RuleError as err:
        raise _rule(err) from err
    store.issue(settings, licence, notify=holder["notify"], **_audit_who())
    return jsonify(_full_view(licence)), 201


@bp.post("/officer/licences/<lid>/revoke")
@require_role("officer")
def revoke_licence(lid: str):
    from ..hall import model as hall_model

    reason = body(schemas.LicenceRevoke())["reason"]
    settings = _settings()
    licence = store.get_licence(settings, _lid(lid))
    if not licence:
        raise NotFound("No such licence.")
    who = principal()
    if not model.may_manage(who.department, who.region, licence, hall_model.CITY_REGION):
        raise Forbidden("Only the issuing department may revoke this licence.")
    p = licence["payload"]
    done = store.revoke(settings, lid, reason=reason, at=clock.iso(),
                        notify=store.notify_account(settings, p["holder_kind"], p["holder_id"]),
                        **_audit_who())
    return jsonify({"id": lid, "status": "revoked", "revoked_at": done["revoked_at"],
                    "reason": reason})
