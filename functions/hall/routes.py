"""Hall endpoints: the public catalogue reads and the departments' catalogue maintenance.
Each view parses, calls one use case in service.py, and formats."""
from __future__ import annotations

import gzip

from flask import Blueprint, current_app, jsonify, request

from ..core import clock
from ..core.auth import principal, public, require_role
from ..core.http import body, query
from . import schemas, service

bp = Blueprint("hall", __name__, url_prefix="/api/v1")
# The contract's page sits beside the versioned API, not in it.
docs_bp = Blueprint("hall_docs", __name__, url_prefix="/api")


def register(app) -> None:
    from .cli import catalogue_cli

    app.register_blueprint(bp)
    app.register_blueprint(docs_bp)
    app.cli.add_command(catalogue_cli)


def _settings():
    return current_app.config["SETTINGS"]


# Query schemas hold no per-request state: one instance each serves every request.
THEMES_Q, MATTERS_Q, MATTER_Q = (schemas.ThemesQuery(), schemas.MattersQuery(),
                                 schemas.MatterQuery())
HOT_Q, AUDIENCE_Q, POINTS_Q = (schemas.HotQuery(), schemas.AudienceQuery(),
                               schemas.ServicePointsQuery())
GZIP_MIN_BYTES = 1024  # as the app's gzip step (functions/app.py)


def _encode(doc: dict) -> tuple[bytes, bytes | None]:
    raw = jsonify(doc).get_data()
    return raw, gzip.compress(raw, 6) if len(raw) >= GZIP_MIN_BYTES else None


def _prebuilt(build):
    """A public catalogue read served from its encoded answer (JSON, and gzip for a client
    that takes it), encoded once per catalogue version on this instance (service.answer).
    The key is the request's path and raw query string: `build` parses and validates them
    (bad input raises before anything is kept), and the same string always parses alike."""
    key = (request.path, request.query_string)
    raw, packed = service.answer(_settings(), key, lambda: _encode(build()))
    if packed is not None and "gzip" in request.headers.get("Accept-Encoding", ""):
        resp = current_app.response_class(packed, mimetype="application/json")
        resp.headers["Content-Encoding"] = "gzip"
        resp.vary.add("Accept-Encoding")
        return resp
    return current_app.response_class(raw, mimetype="application/json")


def _window(args: dict) -> dict:
    """The page asked for: the cursor is the position in the listing."""
    return {"offset": int(args["cursor"] or 0), "limit": args["limit"]}


def _page_doc(page) -> dict:
    """Items are the read models the snapshot prepared (marshmallow is for input only)."""
    nxt = str(page.next_offset) if page.next_offset is not None else None
    return {"items": page.items, "next_cursor": nxt, "total": page.total, **page.extra}


def _page(page):
    return jsonify(_page_doc(page))


def _if_match() -> str | None:
    return request.headers.get("If-Match", "").strip('"W/ ') or None


def _draft_response(doc: dict, status: int = 200):
    resp = jsonify(doc)
    resp.status_code = status
    resp.headers["ETag"] = f'"{doc["version"]}"'
    return resp


# ---- public reads --------------------------------------------------------------------

@bp.get("/health")
@public
def health():
    return jsonify(service.health(_settings()))


@bp.get("/themes")
@public
def themes():
    def build():
        args = query(THEMES_Q)
        items = service.themes(_settings(), args["audience"], args.get("region"))
        return {"audience": args["audience"], "items": items}
    return _prebuilt(build)


@bp.get("/matters")
@public
def matters():
    def build():
        args = query(MATTERS_Q)
        asked = {k: args.get(k) for k in ("q", "audience", "region", "theme", "department",
                                          "hot", "lang")}
        return _page_doc(service.matters(_settings(), **asked, **_window(args),
                                         at=clock.now()))
    # a search is ranked per query, and a miss is counted: never served from a kept answer
    return jsonify(build()) if "q" in request.args else _prebuilt(build)


@bp.get("/matters/<code>")
@public
def matter(code: str):
    def build():
        return service.matter(_settings(), code, near=query(MATTER_Q).get("near"))
    # near: the service points nearest the caller first, per request
    return jsonify(build()) if "near" in request.args else _prebuilt(build)


@bp.get("/openapi.yaml")
@public
def openapi_spec():
    resp = current_app.response_class(service.contract(), mimetype="application/yaml")
    resp.headers["Cache-Control"] = "public, max-age=300"
    return resp


@docs_bp.get("/docs")
@public
def api_docs():
    html, csp = service.docs_page()
    resp = current_app.response_class(html, mimetype="text/html")
    resp.headers.update({"Content-Security-Policy": csp, "X-Frame-Options": "DENY",
                         "Cache-Control": "public, max-age=300"})
    return resp


@docs_bp.get("/docs/assets/<name>")
@public
def api_docs_asset(name: str):
    content, media_type = service.docs_asset(name)
    resp = current_app.response_class(content, content_type=media_type)
    resp.headers["Cache-Control"] = "public, max-age=86400"
    return resp


@bp.get("/departments")
@public
def departments():
    return jsonify({"items": service.departments()})


@bp.get("/regions")
@public
def regions():
    return jsonify({"items": service.regions()})


@bp.get("/hot-services")
@public
def hot_services():
    def build():
        args = query(HOT_Q)
        return {"items": service.hot_services(_settings(), args.get("audience"),
                                              args.get("region"))}
    return _prebuilt(build)


@bp.get("/scenarios")
@public
def scenarios():
    return _prebuilt(lambda: {
        "items": service.scenarios(_settings(), query(AUDIENCE_Q).get("audience"))})


@bp.get("/scenarios/<code>")
@public
def scenario(code: str):
    return jsonify(service.scenario(_settings(), code))


@bp.post("/scenarios/<code>/resolve")
@public
def resolve_scenario(code: str):
    answers = body(schemas.ScenarioAnswers())["answers"]
    return jsonify({"items": service.resolve_scenario(_settings(), code, answers)})


@bp.get("/service-points")
@public
def service_points():
    args = query(POINTS_Q)
    page = service.service_points(_settings(), region=args.get("region"), type_=args.get("type"),
                                  matter=args.get("matter"), near=args.get("near"),
                                  **_window(args))
    return _page(page)


# ---- departments maintain the catalogue ----------------------------------------------

@bp.post("/officer/matters")
@require_role("officer", "catalogue_admin")
def create_matter():
    doc = body(schemas.MatterInput())
    return _draft_response(service.create_matter(_settings(), principal(), doc,
                                                 at=clock.now()), 201)


@bp.get("/officer/matters/<code>")
@require_role("officer", "catalogue_admin")
def get_draft(code: str):
    return _draft_response(service.draft(_settings(), principal(), code))


@bp.put("/officer/matters/<code>")
@require_role("officer", "catalogue_admin")
def update_matter(code: str):
    doc = body(schemas.MatterUpdate())
    return _draft_response(service.update_matter(_settings(), principal(), code, doc,
                                                 if_match=_if_match(), at=clock.now()))


@bp.delete("/officer/matters/<code>")
@require_role("officer", "catalogue_admin")
def withdraw_matter(code: str):
    return _draft_response(service.withdraw_matter(_settings(), principal(), code,
                                                   if_match=_if_match(), at=clock.now()))


@bp.get("/officer/catalogue")
@require_role("officer", "catalogue_admin")
def catalogue_status():
    return jsonify(service.catalogue_status(_settings()))


@bp.post("/officer/catalogue/publish")
@require_role("catalogue_admin")
def publish_catalogue():
    return jsonify(service.request_publish(_settings(), principal())), 202


@bp.get("/officer/search-misses")
@require_role("officer", "catalogue_admin")
def search_misses():
    args = query(schemas.MissesQuery())
    items = service.search_misses(_settings(), days=args["days"], today=clock.now().date())
    return jsonify({"items": items})
