"""The indicators: published without login per month, and the supervisors' drill-down (a
department head: their own department). Each view parses, calls one use case, formats."""
from __future__ import annotations

from flask import Blueprint, Flask, current_app, jsonify
from marshmallow import Schema, fields, validate

from ..core import clock
from ..core.auth import principal, public, require_role
from ..core.http import query
from . import indicators_service as service

bp = Blueprint("indicators", __name__, url_prefix="/api/v1")
_DEPT = validate.Regexp(r"^[A-Z]{2,8}$", error="Not a department code.")
_REGION = validate.Regexp(r"^44[0-9]{4}$", error="Not a region code.")


class PublicIndicatorsQuery(Schema):
    # YYYY-MM, checked by the use case (malformed or in the future: 422).
    month = fields.String()


class IndicatorsQuery(PublicIndicatorsQuery):
    department = fields.String(validate=_DEPT)
    county = fields.String(validate=_REGION)


def register(app: Flask) -> None:
    from . import audit_routes, page_use_routes

    app.register_blueprint(bp)
    page_use_routes.register(app)
    audit_routes.register(app)


def _settings():
    return current_app.config["SETTINGS"]


@bp.get("/public/indicators")
@public
def public_indicators():
    args = query(PublicIndicatorsQuery())
    return jsonify(service.month_rows(_settings(), args.get("month"), now=clock.now()))


@bp.get("/supervision/indicators")
@require_role("supervisor", "admin", "head")
def supervision_indicators():
    args = query(IndicatorsQuery())
    return jsonify(service.supervision_rows(
        _settings(), principal(), args.get("month"), department=args.get("department"),
        county=args.get("county"), now=clock.now()))
