"""Pages endpoints: the acting party's deadlines and the administrators' filing calendar.
Each view parses, calls one use case in service.py, and formats."""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify

from ..core import clock
from ..core.auth import principal, require_role
from ..core.http import body, query
from . import schemas, service

bp = Blueprint("pages", __name__, url_prefix="/api/v1")


def register(app) -> None:
    service.rules()  # a bad deadline file stops the app here, with the rule and field named
    app.register_blueprint(bp)


def _settings():
    return current_app.config["SETTINGS"]


@bp.get("/me/deadlines")
def my_deadlines():
    args = query(schemas.DeadlinesQuery())
    return jsonify(service.deadlines(_settings(), principal(), days=args["days"],
                                     now=clock.now()))


@bp.get("/admin/deadline-calendar/<year>")
@require_role("admin", "catalogue_admin")
def get_filing_calendar(year: str):
    return jsonify(service.filing_calendar(_settings(), service.year_of(year)))


@bp.put("/admin/deadline-calendar/<year>")
@require_role("admin", "catalogue_admin")
def put_filing_calendar(year: str):
    args = body(schemas.FilingCalendar())
    return jsonify(service.load_filing_calendar(_settings(), principal(), service.year_of(year),
                                                args, now=clock.now()))
