"""好差评 endpoints: the applicant's rating (logged in, or with the receipt's query code), the
department's list, call-back and appeal, the supervisors' list and decision, and the public
ratings of a matter or department. Each view parses, calls one use case and formats."""
from __future__ import annotations

from flask import Blueprint, Flask, current_app, jsonify, request

from ..core import clock
from ..core.auth import principal, public, require_role
from ..core.http import body, decode_key, encode_key, paged, query
from . import ratings_schemas as schemas
from . import ratings_service as service

bp = Blueprint("ratings", __name__, url_prefix="/api/v1")


def register(app: Flask) -> None:
    app.register_blueprint(bp)


def _settings():
    return current_app.config["SETTINGS"]


@bp.post("/applications/<app_id>/rating")
def rate_application(app_id: str):
    args = body(schemas.RatingCreate())
    return jsonify(service.rate(_settings(), principal(), app_id, **args, now=clock.now())), 201


@bp.get("/applications/<app_id>/rating")
def my_rating(app_id: str):
    return jsonify(service.mine(_settings(), principal(), app_id))


@bp.post("/public/ratings")
@public
def rate_public():
    args = body(schemas.PublicRatingCreate())
    return jsonify(service.rate_public(_settings(), **args, client=request.remote_addr or "-",
                                       now=clock.now())), 201


@bp.get("/public/ratings")
@public
def public_ratings():
    args = query(schemas.PublicRatingsQuery())
    got = service.public(_settings(), matter=args["matter"], department=args["department"],
                         region=args["region"], limit=args["limit"],
                         start=decode_key(args["cursor"]))
    return jsonify({**{k: v for k, v in got.items() if k != "last"},
                    "next_cursor": encode_key(got["last"])})


@bp.get("/officer/ratings")
@require_role("officer")
def officer_ratings():
    args = query(schemas.RatingsQuery())
    return paged(*service.department_list(_settings(), principal(), limit=args["limit"],
                                          start=decode_key(args["cursor"]), now=clock.now()))


@bp.post("/officer/ratings/<rid>/callback")
@require_role("officer")
def rating_callback(rid: str):
    args = body(schemas.Callback())
    return jsonify(service.callback(_settings(), principal(), rid, **args, now=clock.now()))


@bp.post("/officer/ratings/<rid>/appeal")
@require_role("officer")
def rating_appeal(rid: str):
    args = body(schemas.Appeal())
    return jsonify(service.appeal(_settings(), principal(), rid, **args, now=clock.now()))


@bp.get("/supervision/ratings")
@require_role("supervisor", "admin", "head")
def supervision_ratings():
    args = query(schemas.SupervisionRatingsQuery())
    return paged(*service.supervision_list(
        _settings(), principal(), state=args["state"], department=args["department"],
        county=args["county"], limit=args["limit"], start=decode_key(args["cursor"]),
        now=clock.now()))


@bp.post("/supervision/ratings/<rid>/appeal-decision")
@require_role("supervisor", "admin")
def rating_appeal_decision(rid: str):
    args = body(schemas.AppealDecision())
    return jsonify(service.decide(_settings(), principal(), rid, **args, now=clock.now()))
