"""Intake endpoints: apply, attach materials or licences, submit, track; officers act.
Each view parses, calls one use case of the service and formats its answer."""
from __future__ import annotations

from flask import Blueprint, Flask, current_app, jsonify, request

from ..core import clock
from ..core.auth import principal, public, require_role
from ..core.http import body, decode_key, paged, query
from . import schemas, service

bp = Blueprint("intake", __name__)


def register(app: Flask) -> None:
    app.register_blueprint(bp)


def _settings():
    return current_app.config["SETTINGS"]


# ---- applicants -------------------------------------------------------------------------

@bp.post("/api/v1/applications")
def create_application():
    args = body(schemas.ApplicationCreate())
    app, replayed = service.create(_settings(), principal(), matter_code=args["matter"],
                                   form=args["form"], now=clock.now(),
                                   idem_key=request.headers.get("Idempotency-Key"))
    resp = jsonify(app)
    if replayed:
        resp.headers["Idempotent-Replayed"] = "true"
    return resp, 201


@bp.get("/api/v1/applications")
def my_applications():
    args = query(schemas.ListQuery())
    return paged(*service.mine(_settings(), principal(), limit=args["limit"],
                               start=decode_key(args.get("cursor"))))


@bp.get("/api/v1/applications/<app_id>")
def get_application(app_id: str):
    return jsonify(service.get(_settings(), principal(), app_id))


@bp.get("/api/v1/matters/<code>/prefill")
def prefill(code: str):
    """The matter's fields the verified identity answers (masked): read-only on the form."""
    return jsonify(service.prefill(_settings(), principal(), code))


@bp.post("/api/v1/progress")
@public
def progress():
    """办件查询: an application's status and timeline by its number and query code."""
    args = body(schemas.ProgressQuery())
    return jsonify(service.progress(_settings(), **args, client=request.remote_addr or "-",
                                    now=clock.now()))


@bp.put("/api/v1/applications/<app_id>/form")
def update_form(app_id: str):
    form = body(schemas.FormUpdate())["form"]
    return jsonify(service.update_form(_settings(), principal(), app_id, form, now=clock.now()))


@bp.post("/api/v1/applications/<app_id>/materials/uploads")
def request_upload(app_id: str):
    """A presigned POST limited to the declared type and at most 10 MB."""
    args = body(schemas.UploadRequest())
    return jsonify(service.request_upload(_settings(), principal(), app_id,
                                          material=args["material"], size=args["size"],
                                          content_type=args["content_type"])), 201


@bp.post("/api/v1/applications/<app_id>/materials")
def attach_material(app_id: str):
    """Attach an uploaded file, or an e-licence the applicant holds (with consent)."""
    args = body(schemas.MaterialAttach())
    return jsonify(service.attach_material(_settings(), principal(), app_id, **args,
                                           now=clock.now()))


@bp.post("/api/v1/applications/<app_id>/submit")
def submit_application(app_id: str):
    return jsonify(service.submit(_settings(), principal(), app_id, now=clock.now()))


@bp.post("/api/v1/applications/<app_id>/withdraw")
def withdraw_application(app_id: str):
    return jsonify(service.withdraw(_settings(), principal(), app_id, now=clock.now()))


# ---- officers ---------------------------------------------------------------------------

@bp.get("/api/v1/officer/applications")
@require_role("officer")
def officer_queue():
    args = query(schemas.QueueQuery())
    return paged(*service.queue(_settings(), principal(), status=args["status"],
                                limit=args["limit"], start=decode_key(args.get("cursor"))))


@bp.get("/api/v1/officer/applications/<app_id>")
@require_role("officer")
def officer_application(app_id: str):
    """Lookup by application number, within the officer's department and region."""
    return jsonify(service.officer_get(_settings(), principal(), app_id))


@bp.post("/api/v1/officer/applications/<app_id>/actions")
@require_role("officer")
def officer_action(app_id: str):
    args = body(schemas.OfficerAction())
    return jsonify(service.act(_settings(), principal(), app_id, **args, now=clock.now()))


@bp.post("/api/v1/officer/applications/<app_id>/reveal")
@require_role("officer")
def reveal_application_fields(app_id: str):
    """Personal form values in full, for an officer of the handling department (audited)."""
    names = body(schemas.RevealRequest())["names"]
    return jsonify(service.reveal(_settings(), principal(), app_id, names, now=clock.now()))


@bp.post("/api/v1/officer/applications/<app_id>/materials/<upload>/view")
@require_role("officer")
def view_material(app_id: str, upload: str):
    """A short-lived link to one clean uploaded material, for the handling department
    (each view audited)."""
    return jsonify(service.view_material(_settings(), principal(), app_id, upload,
                                         now=clock.now()))


@bp.post("/api/v1/officer/applications")
@require_role("officer")
def counter_intake():
    """At a service counter: the officer files the application for a registered person and
    checks the paper materials on the spot (channel counter, one visit)."""
    args = body(schemas.CounterIntake())
    return jsonify(service.counter_intake(
        _settings(), principal(), matter_code=args["matter"], form=args["form"],
        applicant_phone=args["applicant_phone"], now=clock.now())), 201


@bp.post("/api/v1/officer/applications/<app_id>/visits")
@require_role("officer")
def record_visit(app_id: str):
    """The applicant came in person (the indicators count visits per matter)."""
    return jsonify(service.record_visit(_settings(), principal(), app_id, now=clock.now()))


# ---- administrators: the State Council's holiday schedule for a new year ------------------

@bp.post("/api/v1/admin/holidays")
@require_role("admin")
def load_holidays():
    args = body(schemas.HolidaySchedule())
    return jsonify(service.load_holidays(_settings(), principal(), args, now=clock.now())), 201
