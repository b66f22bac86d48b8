"""`GET /api/v1/audit` for supervisors and administrators (moved here from identity): parse,
one call to audit.py, format."""
from __future__ import annotations

from flask import Blueprint, Flask, current_app, jsonify
from marshmallow import Schema, fields, validate

from ..core.auth import principal, require_role
from ..core.http import decode_key, encode_key, query
from . import audit

bp = Blueprint("audit", __name__, url_prefix="/api/v1")


class AuditQuery(Schema):
    day = fields.Date(required=True)
    actor = fields.String(validate=validate.Length(1, 64))
    action = fields.String(validate=validate.Length(1, 64))
    limit = fields.Integer(load_default=50, validate=validate.Range(1, 200), strict=False)
    cursor = fields.String(validate=validate.Regexp(r"^[A-Za-z0-9_-]{1,400}$"))


def register(app: Flask) -> None:
    app.register_blueprint(bp)


@bp.get("/audit")
@require_role("supervisor", "admin")
def audit_log():
    args = query(AuditQuery())
    rows, last = audit.audit_query(
        current_app.config["SETTINGS"], principal(), day=args["day"], actor=args.get("actor"),
        action=args.get("action"), limit=args["limit"], start=decode_key(args.get("cursor")))
    return jsonify({"items": rows, "next_cursor": encode_key(last)})
