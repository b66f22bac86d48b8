"""The notification centre a person controls: preferences, the ledger of everything the city
sent them, and the public verify-a-message. Each view parses, calls one use case and formats."""
from __future__ import annotations

from flask import Blueprint, Flask, current_app, request
from marshmallow import RAISE

from ..core import clock
from ..core.auth import principal, public
from ..core.errors import BadRequest, Unprocessable
from ..core.http import body, decode_key, dump, encode_key
from . import preferences
from . import preferences_schemas as schemas

bp = Blueprint("push_preferences", __name__, url_prefix="/api/v1")


def register(app: Flask) -> None:
    app.register_blueprint(bp)


def _settings():
    return current_app.config["SETTINGS"]


@bp.get("/me/preferences")
def my_preferences():
    return dump(schemas.PREFERENCES, preferences.view(_settings(), principal()))


@bp.put("/me/preferences")
def change_preferences():
    got = preferences.update(_settings(), principal(), body(schemas.PREFERENCES_CHANGE),
                             at=clock.now())
    return dump(schemas.PREFERENCES, got)


@bp.get("/me/ledger")
def my_ledger():
    args = schemas.LEDGER_QUERY.load(request.args.to_dict(), unknown=RAISE)
    try:
        start = decode_key(args["cursor"])
    except BadRequest as err:
        raise Unprocessable("The cursor is not valid.",
                            details={"fields": {"cursor": ["not a cursor of this listing"]}}
                            ) from err
    got = preferences.ledger(_settings(), principal(), limit=args["limit"], start=start)
    return dump(schemas.LEDGER_PAGE, {"items": got["items"],
                                      "next_cursor": encode_key(got["next"])})


@bp.post("/verify-message")
@public
def verify_message():
    got = preferences.verify(_settings(), body(schemas.VERIFY_MESSAGE_REQUEST)["code"],
                             client=request.remote_addr or "-", at=clock.now())
    return dump(schemas.VERIFY_MESSAGE_RESULT, got, headers={"Cache-Control": "no-store"})
