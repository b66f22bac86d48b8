"""The monthly public report (no login; JSON or CSV) and the export's status for supervisors.
Each view parses, calls one use case, formats."""
from __future__ import annotations

from flask import Blueprint, Flask, Response, current_app, jsonify
from marshmallow import Schema, fields, validate

from ..core import clock
from ..core.auth import public, require_role
from ..core.http import query

bp = Blueprint("supervision_report", __name__, url_prefix="/api/v1")


class ReportQuery(Schema):
    # YYYY-MM, checked by the use case (malformed or in the future: 422).
    month = fields.String()
    format = fields.String(load_default="json", validate=validate.OneOf(("json", "csv")))


def register(app: Flask) -> None:
    from .cli import supervision_cli

    app.register_blueprint(bp)
    app.cli.add_command(supervision_cli)


def _settings():
    return current_app.config["SETTINGS"]


@bp.get("/public/report")
@public
def public_report():
    from . import report

    args = query(ReportQuery())
    got = report.month_report(_settings(), args.get("month"), now=clock.now())
    if args["format"] == "json":
        return jsonify(got)
    return Response(report.as_csv(got), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="meizhou-report-{got["month"]}.csv"',
        "Cache-Control": "public, max-age=60"})


@bp.get("/supervision/export-status")
@require_role("supervisor", "admin")
def export_status():
    from . import exports_service

    return jsonify(exports_service.status(_settings(), now=clock.now()))
