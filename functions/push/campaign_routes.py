"""Officers' campaign endpoints (/api/v1/officer/campaigns): create, list, dry run, approve,
cancel, report. Each view parses, calls one use case in campaigns.py and formats."""
from __future__ import annotations

from flask import Blueprint, Flask, current_app, jsonify

from ..core import clock
from ..core.auth import principal, require_role
from ..core.http import body, decode_key, paged, query
from . import campaign_schemas as schemas
from . import campaigns as service

bp = Blueprint("campaigns", __name__, url_prefix="/api/v1/officer/campaigns")


def register(app: Flask) -> None:
    app.register_blueprint(bp)


def _settings():
    return current_app.config["SETTINGS"]


@bp.post("")
@require_role("officer")
def create_campaign():
    data = body(schemas.CampaignCreate())
    return jsonify(service.create(_settings(), principal(), data, now=clock.now())), 201


@bp.get("")
@require_role("officer")
def list_campaigns():
    args = query(schemas.CampaignsQuery())
    items, last = service.listing(_settings(), principal(), limit=args["limit"],
                                  start=decode_key(args["cursor"]))
    return paged(items, last)


@bp.get("/<cid>")
@require_role("officer")
def get_campaign(cid: str):
    return jsonify(service.get(_settings(), principal(), cid))


@bp.post("/<cid>/dry-run")
@require_role("officer")
def dry_run_campaign(cid: str):
    return jsonify(service.dry_run(_settings(), principal(), cid, now=clock.now()))


@bp.post("/<cid>/approve")
@require_role("officer")
def approve_campaign(cid: str):
    return jsonify(service.approve(_settings(), principal(), cid, now=clock.now()))


@bp.post("/<cid>/cancel")
@require_role("officer")
def cancel_campaign(cid: str):
    return jsonify(service.cancel(_settings(), principal(), cid, now=clock.now()))


@bp.get("/<cid>/report")
@require_role("officer")
def campaign_report(cid: str):
    return jsonify(service.report(_settings(), principal(), cid))
