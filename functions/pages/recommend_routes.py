"""Recommendations endpoints: the acting party's suggestions with their reasons, and "not
relevant". Each view parses, calls one use case in recommend.py, and formats."""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify
from marshmallow import Schema, fields, validate

from ..core import clock
from ..core.auth import principal
from ..core.http import query
from . import recommend

bp = Blueprint("recommend", __name__, url_prefix="/api/v1")


def register(app) -> None:
    app.register_blueprint(bp)


class RecommendationsQuery(Schema):
    limit = fields.Integer(load_default=recommend.LIMIT, validate=validate.Range(1, 10))


def _settings():
    return current_app.config["SETTINGS"]


@bp.get("/me/recommendations")
def my_recommendations():
    args = query(RecommendationsQuery())
    return jsonify({"items": recommend.recommendations(_settings(), principal(), at=clock.now(),
                                                       limit=args["limit"])})


@bp.post("/me/recommendations/<code>/dismiss")
def dismiss_recommendation(code: str):
    return jsonify(recommend.dismiss(_settings(), principal(), code, at=clock.now()))
