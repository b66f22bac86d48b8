"""Page use indicators for supervisors and administrators (the public indicators carry them
too: indicators_routes.py): parse, one call to page_use.py, format."""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify

from ..core import clock
from ..core.auth import require_role
from ..core.http import query
from . import indicators_routes, page_use

bp = Blueprint("page_use", __name__, url_prefix="/api/v1")


def register(app) -> None:
    app.register_blueprint(bp)


@bp.get("/supervision/page-use")
@require_role("supervisor", "admin")
def page_use_rates():
    args = query(indicators_routes.PublicIndicatorsQuery())
    return jsonify(page_use.page_use(current_app.config["SETTINGS"], args.get("month"),
                                     now=clock.now()))
