"""免申即享 endpoint: the one confirmation that files an offered benefit. The view parses,
calls one use case in offers.py, and formats (201 when filed now, 200 when filed before)."""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify

from ..core import clock
from ..core.auth import principal
from . import offers

bp = Blueprint("offers", __name__, url_prefix="/api/v1")


def register(app) -> None:
    app.register_blueprint(bp)


@bp.post("/me/offers/<code>/confirm")
def confirm_offer(code: str):
    app, filed = offers.confirm(current_app.config["SETTINGS"], principal(), code,
                                now=clock.now())
    return jsonify(app), 201 if filed else 200
