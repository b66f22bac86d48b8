"""Hall endpoints: the public catalogue reads and the departments' catalogue maintenance."""
from __future__ import annotations

import json
import logging
from datetime import timedelta

from flask import Blueprint, current_app, g, jsonify, request

from ..core import aws, clock
from ..core.auth import principal, public, require_role
from ..core.errors import Conflict, Forbidden, NotFound, Unprocessable
from ..core.http import body, dump, query
from . import model, schemas, store

bp = Blueprint("hall", __name__, url_prefix="/api/v1")


def register(app) -> None:
    from .cli import catalogue_cli

    app.register_blueprint(bp)
    app.cli.add_command(catalogue_cli)
log = logging.getLogger("hall.routes")

summary = schemas.MatterSummary()
summaries = schemas.MatterSummary(many=True)
full = schemas.Matter()
points_schema = schemas.ServicePoint(many=True)


def _settings():
    return current_app.config["SETTINGS"]


def _catalogue() -> model.Catalogue:
    return store.current_catalogue(_settings())


def _page(items: list, args: dict, schema):
    page = model.paginate(items, int(args["cursor"] or 0), args["limit"])
    nxt = str(page.next_offset) if page.next_offset is not None else None
    return jsonify({"items": schema.dump(page.items), "next_cursor": nxt, "total": page.total})


# ---- public reads --------------------------------------------------------------------

@bp.get("/health")
@public
def health():
    return jsonify({"status": "ok", "catalogue_version": _catalogue().version})


@bp.get("/themes")
@public
def themes():
    args = query(schemas.ThemesQuery())
    items = _catalogue().themes(args["audience"], args.get("region"))
    return jsonify({"audience": args["audience"], "items": items})


@bp.get("/matters")
@public
def matters():
    args = query(schemas.MattersQuery())
    cat = _catalogue()
    filters = {k: args.get(k) for k in ("theme", "department", "hot")}
    if "q" in args:
        q = args["q"].strip()
        hits = cat.search(q, audience=args.get("audience"), region=args.get("region"))
        wanted = {m["code"] for m in cat.filter([m for m, _ in hits], **filters)}
        items = [{**m, "highlights": hl} for m, hl in hits if m["code"] in wanted]
        if not items and q:
            _record_miss(q)
    else:
        items = cat.filter(cat.ordered, audience=args.get("audience"),
                           region=args.get("region"), **filters)
    return _page(items, args, summaries)


def _record_miss(q: str) -> None:
    at = clock.now()
    try:
        store.record_miss(_settings(), q.lower()[:100], at.date().isoformat(), clock.iso(at))
    except Exception:  # a lost miss must never cost the citizen their answer
        log.warning("could not record a search miss", exc_info=True)


@bp.get("/matters/<code>")
@public
def matter(code: str):
    args = query(schemas.MatterQuery())
    cat = _catalogue()
    found = cat.matters.get(code)
    if not found:
        raise NotFound(f"No matter {code}.")
    points = cat.service_points(matter=code, near=args.get("near"))
    return dump(full, {**found, "service_points": points, "catalogue_version": cat.version})


@bp.get("/departments")
@public
def departments():
    return jsonify({"items": list(model.reference("departments"))})


@bp.get("/regions")
@public
def regions():
    return jsonify({"items": list(model.reference("regions"))})


@bp.get("/hot-services")
@public
def hot_services():
    args = query(schemas.HotQuery())
    groups = _catalogue().hot_services(args.get("audience"), args.get("region"))
    items = [{**grp, "matters": summaries.dump(grp["matters"])} for grp in groups]
    return jsonify({"items": items})


def _scenario_brief(s: dict) -> dict:
    return {k: s[k] for k in ("code", "audience", "name", "name_en", "description")}


@bp.get("/scenarios")
@public
def scenarios():
    args = query(schemas.AudienceQuery())
    items = [_scenario_brief(s) for s in _catalogue().scenarios.values()
             if not args.get("audience") or s["audience"] == args["audience"]]
    return jsonify({"items": items})


def _scenario(code: str) -> dict:
    found = _catalogue().scenarios.get(code)
    if not found:
        raise NotFound(f"No scenario {code}.")
    return found


@bp.get("/scenarios/<code>")
@public
def scenario(code: str):
    s = _scenario(code)
    questions = [{"id": q["id"], "text": q["text"],
                  "options": [{"value": o["value"], "label": o["label"]} for o in q["options"]]}
                 for q in s["questions"]]
    return jsonify({**_scenario_brief(s), "base_matters": s["base_matters"],
                    "questions": questions})


@bp.post("/scenarios/<code>/resolve")
@public
def resolve_scenario(code: str):
    s = _scenario(code)
    answers = body(schemas.ScenarioAnswers())["answers"]
    try:
        model.check_answers(s, answers)
    except model.ScenarioAnswerError as err:
        raise Unprocessable(str(err), details={"fields": {"answers": [str(err)]}}) from err
    return jsonify({"items": summaries.dump(_catalogue().resolve_scenario(code, answers))})


@bp.get("/service-points")
@public
def service_points():
    args = query(schemas.ServicePointsQuery())
    items = _catalogue().service_points(region=args.get("region"), type_=args.get("type"),
                                        matter=args.get("matter"), near=args.get("near"))
    return _page(items, args, points_schema)


# ---- departments maintain the catalogue ----------------------------------------------

def _check_scope(doc: dict) -> None:
    who = principal()
    if "catalogue_admin" in who.roles:
        return
    if who.department != doc["department"] or who.region != doc["region"]:
        raise Forbidden("You may only maintain your own department's matters in your region.")


def _save(doc: dict, previous: int | None, action: str):
    return store.save_matter(_settings(), doc, previous_version=previous,
                             actor=principal().subject, action=action,
                             request_id=g.request_id, at=clock.iso())


def _editable(code: str) -> dict:
    """The stored draft, if the caller may change it and (with If-Match) saw this version."""
    current = store.get_matter(_settings(), code)
    _check_scope(current)
    version = current["version"]
    header = request.headers.get("If-Match", "").strip('"W/ ')
    if header and header != str(version):
        raise Conflict(f"The matter is at version {version}, not {header}.",
                       details={"current_version": version})
    return current


@bp.post("/officer/matters")
@require_role("officer", "catalogue_admin")
def create_matter():
    doc = body(schemas.MatterInput())
    _check_scope(doc)
    doc = {**doc, "version": 1, "status": "active"}
    return _draft_response(_save(doc, None, "matter.create"), 201)


def _draft_response(doc: dict, status: int = 200):
    resp = jsonify(doc)
    resp.status_code = status
    resp.headers["ETag"] = f'"{doc["version"]}"'
    return resp


@bp.get("/officer/matters/<code>")
@require_role("officer", "catalogue_admin")
def get_draft(code: str):
    doc = store.get_matter(_settings(), code)
    _check_scope(doc)
    return _draft_response({**doc, "history": store.matter_history(_settings(), code)})


@bp.put("/officer/matters/<code>")
@require_role("officer", "catalogue_admin")
def update_matter(code: str):
    current = _editable(code)
    doc = {**body(schemas.MatterUpdate()), "code": code}
    _check_scope(doc)
    doc.update(version=current["version"] + 1, status=current["status"])
    return _draft_response(_save(doc, current["version"], "matter.update"))


@bp.delete("/officer/matters/<code>")
@require_role("officer", "catalogue_admin")
def withdraw_matter(code: str):
    current = _editable(code)
    if current["status"] == "withdrawn":
        raise Conflict("The matter is already withdrawn.", details={"status": "withdrawn"})
    doc = {**current, "version": current["version"] + 1, "status": "withdrawn"}
    return _draft_response(_save(doc, current["version"], "matter.withdraw"))


@bp.get("/officer/catalogue")
@require_role("officer", "catalogue_admin")
def catalogue_status():
    ptr = store.pointer(_settings())
    return jsonify({k: ptr[k] for k in ("version", "published_at", "draft_rev", "published_rev")})


@bp.post("/officer/catalogue/publish")
@require_role("catalogue_admin")
def publish_catalogue():
    """Publishing builds the search index (seconds of work): the worker does it."""
    settings = _settings()
    message = {"job": "catalogue.publish", "actor": principal().subject,
               "request_id": g.request_id}
    aws.client("sqs", settings).send_message(QueueUrl=settings.queue_url,
                                             MessageBody=json.dumps(message))
    return jsonify({"status": "queued"}), 202


@bp.get("/officer/search-misses")
@require_role("officer", "catalogue_admin")
def search_misses():
    args = query(schemas.MissesQuery())
    today = clock.now().date()
    days = [(today - timedelta(days=i)).isoformat() for i in range(args["days"])]
    return jsonify({"items": store.list_misses(_settings(), days)})
