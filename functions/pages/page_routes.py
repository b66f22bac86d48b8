"""Page endpoints: the acting party's page, and pinning matters to it. Each view parses,
calls one use case in page.py, and formats."""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify

from ..core import clock
from ..core.auth import principal
from ..core.http import query
from . import page, page_schemas

bp = Blueprint("page", __name__, url_prefix="/api/v1")


def register(app) -> None:
    app.register_blueprint(bp)


def _settings():
    return current_app.config["SETTINGS"]


@bp.get("/me/page")
def my_page():
    args = query(page_schemas.PageQuery())
    return jsonify(page.page(_settings(), principal(), at=clock.now(),
                             expect=args.get("identity")))


@bp.put("/me/pins/<code>")
def pin_matter(code: str):
    return jsonify(page.pin(_settings(), principal(), code, at=clock.now()))


@bp.delete("/me/pins/<code>")
def unpin_matter(code: str):
    return jsonify(page.unpin(_settings(), principal(), code))
