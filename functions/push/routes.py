"""Inbox endpoints of the acting identity (the person, or the enterprise they act for). Each
view parses, calls one use case in service.py and formats."""
from __future__ import annotations

from flask import Blueprint, Flask, current_app, request
from marshmallow import RAISE

from ..core.auth import principal
from ..core.errors import BadRequest, Unprocessable
from ..core.http import decode_key, dump, encode_key
from . import schemas, service

bp = Blueprint("push", __name__, url_prefix="/api/v1")


def register(app: Flask) -> None:
    from . import preference_routes, subscription_routes

    app.register_blueprint(bp)
    subscription_routes.register(app)  # Web Push devices and the VAPID key
    preference_routes.register(app)  # preferences, the ledger, verify-a-message


def _settings():
    return current_app.config["SETTINGS"]


def _start(cursor: str | None) -> dict | None:
    try:
        return decode_key(cursor)
    except BadRequest as err:
        raise Unprocessable("The cursor is not valid.",
                            details={"fields": {"cursor": ["not a cursor of this listing"]}}
                            ) from err


@bp.get("/me/inbox")
def my_inbox():
    # Out-of-range values are a 422 (marshmallow's ValidationError, mapped in core.errors).
    args = schemas.INBOX_QUERY.load(request.args.to_dict(), unknown=RAISE)
    got = service.inbox(_settings(), principal(), unread=args["unread"], limit=args["limit"],
                        start=_start(args["cursor"]))
    return dump(schemas.INBOX_PAGE, {"items": got["items"], "next_cursor": encode_key(got["next"])})


@bp.get("/me/inbox/unread")
def my_inbox_unread():
    return dump(schemas.INBOX_UNREAD, service.unread(_settings(), principal()))


@bp.post("/me/inbox/<nid>/read")
def read_notice(nid: str):
    via = request.args.get("via")
    if set(request.args) - {"via"} or via not in (None, "push"):
        raise Unprocessable("Unknown query.", details={"fields": {"via": ["push, or absent"]}})
    return dump(schemas.NOTICE, service.read(_settings(), principal(), nid, via=via))


@bp.post("/me/inbox/read-all")
def read_all_notices():
    return dump(schemas.INBOX_READ_ALL, service.read_all(_settings(), principal()))
