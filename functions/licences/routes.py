"""Licence endpoints: public keys and verification, the holder's wallet, counter issue, revoke,
key rotation. Each view parses, calls one use case in service.py and formats."""
from __future__ import annotations

from flask import Blueprint, Flask, Response, current_app, jsonify, request

from ..core import clock
from ..core.auth import principal, public, require_role
from ..core.http import body, query
from . import schemas, service

bp = Blueprint("licences", __name__, url_prefix="/api/v1")


def register(app: Flask) -> None:
    from .cli import licences_cli

    app.register_blueprint(bp)
    app.cli.add_command(licences_cli)


def _settings():
    return current_app.config["SETTINGS"]


def _base_url() -> str:
    # Behind the CDN the API sees its own host (CloudFront forwards every header but Host):
    # the QR codes name the site, which HALL_PWA_ORIGIN is wherever the PWA is hosted.
    return (_settings().pwa_origin or request.host_url).rstrip("/")


# ---- public: anyone may check a licence ----------------------------------------------------

@bp.get("/licences/keys")
@public
def licence_keys():
    resp = jsonify(service.public_keys(_settings()))
    resp.headers["Cache-Control"] = "public, max-age=300"
    return resp


@bp.get("/licences/revocations")
@public
def licence_revocations():
    resp = jsonify(service.revocations(_settings(), now=clock.now()))
    # Republished daily: an hour's cache keeps a crowd of offline verifiers off the table.
    resp.headers["Cache-Control"] = "public, max-age=3600"
    return resp


@bp.get("/licences/types")
@public
def licence_types():
    return jsonify(service.types(_settings()))


@bp.get("/verify/<lid>")
@public
def verify_licence(lid: str):
    resp = jsonify(service.verify(_settings(), lid, now=clock.now()))
    resp.headers["Cache-Control"] = "no-cache"  # a revocation must show at once
    return resp


@bp.get("/verify/<lid>/qr.svg")
@public
def verify_qr(lid: str):
    svg = service.qr_svg(_settings(), lid, base_url=_base_url())
    # The URL never changes and the token changes only with a key rotation (an old one still
    # verifies): status is read online when it is scanned, offline from the revocation list.
    return Response(svg, mimetype="image/svg+xml",
                    headers={"Cache-Control": "public, max-age=86400"})


# ---- the holder's wallet -------------------------------------------------------------------

@bp.get("/wallet")
def wallet():
    matter = query(schemas.WalletQuery()).get("matter")
    return jsonify(service.wallet(_settings(), principal(), matter=matter, now=clock.now()))


@bp.get("/wallet/<lid>")
def wallet_licence(lid: str):
    return jsonify(service.wallet_licence(_settings(), principal(), lid, now=clock.now(),
                                          base_url=_base_url()))


@bp.get("/wallet/<lid>/usage")
def licence_usage(lid: str):
    return jsonify(service.usage(_settings(), principal(), lid))


@bp.post("/wallet/<lid>/preview")
def share_preview(lid: str):
    matter = body(schemas.SharePreviewRequest())["matter"]
    return jsonify(service.preview(_settings(), principal(), lid, matter=matter,
                                   now=clock.now()))


# ---- departments: issue at the counter, revoke ----------------------------------------------

@bp.post("/officer/licences")
@require_role("officer")
def issue_licence():
    """Counter issue (paper and electronic together); approvals issue through the intake room."""
    args = body(schemas.LicenceIssue())
    return jsonify(service.issue_at_counter(_settings(), principal(), args, now=clock.now(),
                                            base_url=_base_url())), 201


@bp.post("/officer/licences/<lid>/revoke")
@require_role("officer")
def revoke_licence(lid: str):
    reason = body(schemas.LicenceRevoke())["reason"]
    return jsonify(service.revoke(_settings(), principal(), lid, reason=reason,
                                  now=clock.now()))


# ---- administration --------------------------------------------------------------------------

@bp.post("/admin/licence-keys/rotate")
@require_role("admin")
def rotate_licence_keys():
    return jsonify(service.rotate_keys(_settings(), principal(), now=clock.now()))
