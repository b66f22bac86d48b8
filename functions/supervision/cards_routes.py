"""Card endpoints: the supervisors' and heads' lists and closing, the officers' own cards and
their explanations, and an administrator making an officer their department's head."""
from __future__ import annotations

from flask import Blueprint, Flask, current_app, jsonify

from ..core import clock
from ..core.auth import principal, require_role
from ..core.http import body, decode_key, paged, query
from . import cards_schemas as schemas
from . import cards_service as service
from . import heads

bp = Blueprint("cards", __name__, url_prefix="/api/v1")


def register(app: Flask) -> None:
    app.register_blueprint(bp)


def _settings():
    return current_app.config["SETTINGS"]


@bp.get("/supervision/cards")
@require_role("supervisor", "admin", "head")
def supervision_cards():
    args = query(schemas.SupervisionCardsQuery())
    start = decode_key(args.pop("cursor"))
    return paged(*service.supervised(_settings(), principal(), **args, start=start,
                                     now=clock.now()))


@bp.get("/supervision/cards/<cid>")
@require_role("supervisor", "admin", "head")
def supervision_card(cid: str):
    return jsonify(service.get(_settings(), principal(), cid, now=clock.now()))


@bp.post("/supervision/cards/<cid>/close")
@require_role("supervisor", "admin")
def close_card(cid: str):
    note = body(schemas.CardClose())["note"]
    return jsonify(service.close(_settings(), principal(), cid, note=note, now=clock.now()))


@bp.get("/officer/cards")
@require_role("officer", "head")
def officer_cards():
    args = query(schemas.CardsQuery())
    return paged(*service.officers(_settings(), principal(), state=args["state"],
                                   limit=args["limit"], start=decode_key(args["cursor"]),
                                   now=clock.now()))


@bp.post("/officer/cards/<cid>/explain")
@require_role("officer", "head")
def explain_card(cid: str):
    args = body(schemas.CardExplain())
    return jsonify(service.explain(_settings(), principal(), cid, **args, now=clock.now()))


@bp.post("/admin/accounts/<account_id>/head")
@require_role("admin")
def grant_head(account_id: str):
    args = body(schemas.HeadGrant())
    return jsonify(heads.grant(_settings(), principal(), account_id, **args,
                               now=clock.now())), 201
