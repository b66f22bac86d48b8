"""Intake endpoints: apply, attach materials or licences, submit, track; officers act."""
from __future__ import annotations

import re
import time
import uuid

from flask import Blueprint, Flask, current_app, g, jsonify, request

from ..core import clock
from ..core.auth import principal, require_role
from ..core.errors import Conflict, Forbidden, HallError, NotFound, Unprocessable
from ..core.http import body, decode_key, encode_key, query
from ..hall import store as hall_store
from ..identity import cn_ids
from ..identity import model as identity_model
from ..identity import store as identity_store
from . import calendar as workdays
from . import model, schemas, store

bp = Blueprint("intake", __name__)
_calendar_cache: dict = {}
# ASCII only: str.isalnum() and \d also take other scripts' letters and digits.
_APP_ID = re.compile(r"MZ[0-9]{14}")
_IDEM_KEY = re.compile(r"[A-Za-z0-9-]{8,64}")


class TooLarge(HallError):
    status, code = 413, "payload_too_large"


class WrongType(HallError):
    status, code = 415, "unsupported_media_type"


def register(app: Flask) -> None:
    app.register_blueprint(bp)


def _settings():
    return current_app.config["SETTINGS"]


def _calendar() -> workdays.WorkCalendar:
    """Loaded schedules change a few times a year: read them at most every five minutes."""
    hit = _calendar_cache.get(_settings().table_name)
    if hit and time.monotonic() - hit[1] < 300:
        return hit[0]
    loaded = {s["year"]: workdays.YearSchedule.from_dict(s) for s in store.schedules(_settings())}
    cal = workdays.WorkCalendar(loaded)
    _calendar_cache[_settings().table_name] = (cal, time.monotonic())
    return cal


def _matter(code: str) -> dict:
    matter = hall_store.current_catalogue(_settings()).matters.get(code)
    if not matter:
        raise Unprocessable("No such matter in the catalogue.",
                            details={"fields": {"matter": ["unknown (事项不存在)"]}})
    return matter


def _audit(action: str, target: str, result: str = "ok", detail: dict | None = None) -> dict:
    who = principal()
    return {"actor": who.subject, "action": action, "target": target, "result": result,
            "request_id": g.get("request_id"), "at": clock.iso(), "detail": detail,
            "on_behalf": who.acting_for if who.act else None}


def _event(action: str, before: str, after: str, note: dict | None = None) -> dict:
    who = principal()
    return {"action": action, "action_zh": model.ACTION_ZH.get(action, action), "from": before,
            "to": after, "at": clock.iso(), "by": who.kind if who.kind != "citizen" else
            "applicant", "note": note or {}}


def _notice(app: dict, title: str, text: str) -> dict:
    return {"account": app["applicant"], "kind": "application", "title": title, "body": text,
            "at": clock.iso(), "link": f"/#/applications/{app['id']}"}


def _view(app: dict, *, with_events: bool = True) -> dict:
    out = {**app, "status_zh": model.STATE_ZH[app["status"]]}
    if with_events:
        out["events"] = store.events(_settings(), app["id"])
    return out


def _mine(app_id: str) -> dict:
    """The caller's own application (or the party they act for); anyone else gets 404."""
    if not _APP_ID.fullmatch(app_id):
        raise NotFound("No such application.")
    app = store.get(_settings(), app_id)
    if app["owner"] != principal().acting_for:
        raise NotFound("No such application.")
    return app


def _handled(app_id: str) -> tuple[dict, dict]:
    """An application of the officer's department and region, with its matter."""
    who = principal()
    app = store.get(_settings(), app_id) if _APP_ID.fullmatch(app_id) else None
    if not app or (who.department, who.region) != (app["department"], app["region"]):
        raise NotFound("No such application in your department's queue.")
    return app, hall_store.current_catalogue(_settings()).matters.get(app["matter"]) or {
        "materials": [], "conditions": [], "legal_days": app["limits"]["legal_days"],
        "promised_days": app["limits"]["promised_days"], "department": app["department"],
        "region": app["region"]}


def _check_form(matter: dict, form: dict, *, partial: bool) -> dict:
    fields = matter.get("form_fields", [])
    if partial:
        fields = [{**f, "required": False} for f in fields]
    try:
        return model.check_form(fields, form, id_check=_id_check)
    except model.FormError as err:
        raise Unprocessable("Some form fields are invalid.", details={
            "fields": {f"form.{k}": v for k, v in err.fields.items()}}) from err


def _id_check(value: str) -> str:
    try:
        return cn_ids.validate_id_number(value)
    except cn_ids.IdError as err:
        raise ValueError(f"{err.message} ({err.zh})") from err


def _new_application(matter: dict, *, owner: str, applicant: str, channel: str,
                     form: dict, visits: int) -> dict:
    now = clock.iso()
    return {"id": store.next_number(_settings(), now[:10]), "matter": matter["code"],
            "matter_name": matter["name"], "matter_version": matter["version"],
            "department": matter["department"], "region": matter["region"],
            "limits": {"legal_days": matter["legal_days"],
                       "promised_days": matter["promised_days"]},
            "owner": owner, "applicant": applicant, "channel": channel, "visits": visits,
            "form": form, "materials": {}, "status": "draft", "created": now, "updated": now,
            "deadlines": {"current": None, "provisional": False, "unknown_years": []}}


# ---- applicants -------------------------------------------------------------------------

@bp.post("/api/v1/applications")
def create_application():
    who = principal()
    args = body(schemas.ApplicationCreate())
    idem = request.headers.get("Idempotency-Key")
    if idem is not None and not _IDEM_KEY.fullmatch(idem):
        raise Unprocessable("Idempotency-Key must be 8-64 letters, digits or dashes.",
                            details={"fields": {"Idempotency-Key": ["invalid"]}})
    matter = _matter(args["matter"])
    needed = identity_model.required_level(matter)
    if who.level < needed:
        raise Forbidden(f"This matter needs real-name level {needed}.",
                        details={"required_level": needed, "your_level": who.level})
    if who.act and (who.act.get("role") == "viewer" or
                    not model.may_apply_for(who.act, matter["code"])):
        raise Forbidden("Your authorisation does not cover applying for this matter.")
    settings = _settings()
    if idem and (existing := store.idempotent_hit(settings, who.acting_for, idem)):
        resp = jsonify(_view(store.get(settings, existing), with_events=False))
        resp.headers["Idempotent-Replayed"] = "true"
        return resp, 201
    form = _check_form(matter, args["form"], partial=True)
    app = _new_application(matter, owner=who.acting_for, applicant=who.subject,
                           channel="online", form=form, visits=0)
    saved = store.create(settings, app, idem_key=idem,
                         event=_event("create", "-", "draft"),
                         audit=_audit("application.create", app["id"]))
    resp = jsonify(_view(saved, with_events=False))
    if saved["id"] != app["id"]:
        resp.headers["Idempotent-Replayed"] = "true"
    return resp, 201


@bp.get("/api/v1/applications")
def my_applications():
    args = query(schemas.ListQuery())
    items, last = store.mine(_settings(), principal().acting_for, limit=args["limit"],
                             start=decode_key(args.get("cursor")))
    for item in items:
        item["status_zh"] = model.STATE_ZH[item["status"]]
    return jsonify({"items": items, "next_cursor": encode_key(last)})


@bp.get("/api/v1/applications/<app_id>")
def get_application(app_id: str):
    return jsonify(_view(_mine(app_id)))


@bp.put("/api/v1/applications/<app_id>/form")
def update_form(app_id: str):
    app = _mine(app_id)
    if app["status"] not in ("draft", "returned"):
        raise Conflict(f"The application is {app['status']}; the form can no longer change.",
                       details={"status": app["status"]})
    matter = _matter(app["matter"])
    app = {**app, "form": _check_form(matter, body(schemas.FormUpdate())["form"], partial=True),
           "updated": clock.iso()}
    store.save(_settings(), app, expected=app["status"], event=None,
               audit=_audit("application.form", app["id"]))
    return jsonify(_view(app))


@bp.post("/api/v1/applications/<app_id>/materials/uploads")
def request_upload(app_id: str):
    """A presigned POST limited to the declared type and at most 10 MB."""
    app = _mine(app_id)
    args = body(schemas.UploadRequest())
    matter = _matter(app["matter"])
    if args["material"] not in model.material_slots(matter):
        raise Unprocessable("The guide lists no such material.",
                            details={"fields": {"material": ["not in the guide (指南未列该材料)"]}})
    check = model.check_upload(args["content_type"], args["size"])
    if check.status == 413:
        raise TooLarge(check.message)
    if check.status == 415:
        raise WrongType(check.message)
    key = f"uploads/{app['id']}/{uuid.uuid4().hex}"
    post = store.presign_upload(_settings(), key, args["content_type"], model.MAX_UPLOAD)
    return jsonify({"key": key, "url": post["url"], "fields": post["fields"],
                    "max_size": model.MAX_UPLOAD}), 201


@bp.post("/api/v1/applications/<app_id>/materials")
def attach_material(app_id: str):
    """Attach an uploaded file, or an e-licence the applicant holds (with consent)."""
    app = _mine(app_id)
    if app["status"] not in ("draft", "returned"):
        raise Conflict(f"The application is {app['status']}.", details={"status": app["status"]})
    args = body(schemas.MaterialAttach())
    matter = _matter(app["matter"])
    slot = model.material_slots(matter).get(args["material"])
    if not slot:
        raise Unprocessable("The guide lists no such material.",
                            details={"fields": {"material": ["not in the guide (指南未列该材料)"]}})
    settings = _settings()
    extra: list[dict] = []
    if args.get("upload_key") and not args.get("licence_id"):
        if not args["upload_key"].startswith(f"uploads/{app['id']}/"):
            raise NotFound("No such upload.")
        head = store.uploaded(settings, args["upload_key"])
        if not head:
            raise Unprocessable("Nothing was uploaded under this key.",
                                details={"fields": {"upload_key": ["no file (未找到上传文件)"]}})
        check = model.check_upload(head["content_type"].split(";")[0], head["size"])
        if check.status:
            store.discard_upload(settings, args["upload_key"])
            raise (TooLarge if check.status == 413 else WrongType)(check.message)
        entry = {"kind": "upload", "key": args["upload_key"], "size": head["size"],
                 "content_type": head["content_type"], "at": clock.iso()}
    elif args.get("licence_id") and not args.get("upload_key"):
        entry, extra = _licence_material(app, matter, slot, args)
    else:
        raise Unprocessable("Give either upload_key or licence_id.",
                            details={"fields": {"upload_key": ["one of upload_key, licence_id"]}})
    app = {**app, "materials": {**app["materials"], slot["name"]: entry}, "updated": clock.iso()}
    store.save(settings, app, expected=app["status"], event=None, extra=extra,
               audit=_audit("application.material", app["id"],
                            detail={"material": slot["name"], "kind": entry["kind"]}))
    return jsonify(_view(app))


def _licence_material(app: dict, matter: dict, slot: dict, args: dict) -> tuple[dict, list]:
    from ..licences import store as lic_store

    settings = _settings()
    if not args.get("consent"):
        raise Unprocessable("Sharing a licence needs your consent.",
                            details={"fields": {"consent": ["required (请先确认同意共享)"]}})
    holder_kind, holder_id = app["owner"].split(":", 1)
    licence = lic_store.holder_licence(settings, args["licence_id"], holder_kind, holder_id)
    if slot.get("licence_type") != licence["type"]:
        raise Unprocessable("This licence cannot replace that material.",
                            details={"fields": {"licence_id": ["wrong type (证照类型不符)"]}})
    who = principal()
    # Only after consent: the usage log and audit record land with the application's write.
    values, extra = lic_store.share(
        settings, licence["id"], holder_kind=holder_kind, holder_id=holder_id, matter=matter,
        user=who.subject, application=app["id"], at=clock.iso(), now=clock.now(),
        actor=who.subject, request_id=g.get("request_id"),
        on_behalf=who.acting_for if who.act else None)
    return ({"kind": "licence", "licence_id": licence["id"], "licence_type": licence["type"],
             "shared_fields": sorted(values), "at": clock.iso()}, extra)


def _transition(app: dict, action: str, actor: str, *, note: dict | None = None,
                extra: list[dict] | None = None, **changes) -> dict:
    try:
        target = model.next_state(action, app["status"], actor)
    except model.TransitionError as err:
        raise Conflict(f"The application is {err.state}; it cannot be {action}ed now.",
                       details={"status": err.state}) from err
    now = clock.iso()
    new = {**app, **changes, "status": target, "updated": now}
    if action == "submit":
        new["submitted"] = now
    if action == "accept":
        new["accepted"] = now
    if target in model.COMPLETED | {"not_accepted"}:
        new["completed"] = now
    new["deadlines"] = model.deadlines(new, app["limits"], _calendar())
    month = now[:7]
    counters = []
    if action == "submit" and app["status"] == "draft":
        counters.append(store.counter_update(_settings().table_name, month, app["department"],
                                             app["region"], **{f"submitted_{app['channel']}": 1}))
    if target in model.COMPLETED:
        counters.append(store.counter_update(_settings().table_name, month, app["department"],
                                             app["region"], **{f"completed_{app['channel']}": 1}))
    store.save(_settings(), new, expected=app["status"],
               event=_event(action, app["status"], target, note),
               audit=_audit(f"application.{action}", app["id"], detail=note),
               notice=_notice(new, f"办件{model.STATE_ZH[target]}",
                              f"您申请的“{app['matter_name']}”{model.STATE_ZH[target]}。"),
               extra=counters + (extra or []))
    return new


@bp.post("/api/v1/applications/<app_id>/submit")
def submit_application(app_id: str):
    app = _mine(app_id)
    matter = _matter(app["matter"])
    form = _check_form(matter, app["form"], partial=False)
    missing = model.missing_materials(matter, app["materials"])
    if missing:
        raise Unprocessable("Some required materials are missing.",
                            details={"fields": {"materials": [f"missing: {m} (缺少材料)"
                                                              for m in missing]}})
    return jsonify(_view(_transition(app, "submit", "applicant", form=form)))


@bp.post("/api/v1/applications/<app_id>/withdraw")
def withdraw_application(app_id: str):
    return jsonify(_view(_transition(_mine(app_id), "withdraw", "applicant")))


# ---- officers ---------------------------------------------------------------------------

@bp.get("/api/v1/officer/applications")
@require_role("officer")
def officer_queue():
    who = principal()
    args = query(schemas.QueueQuery())
    items, last = store.queue(_settings(), who.department or "-", who.region or "-",
                              args["status"], limit=args["limit"],
                              start=decode_key(args.get("cursor")))
    return jsonify({"items": [_view(a, with_events=False) for a in items],
                    "next_cursor": encode_key(last)})


@bp.get("/api/v1/officer/applications/<app_id>")
@require_role("officer")
def officer_application(app_id: str):
    """Lookup by application number, within the officer's department and region."""
    return jsonify(_view(_handled(app_id)[0]))


@bp.post("/api/v1/officer/applications/<app_id>/actions")
@require_role("officer")
def officer_action(app_id: str):
    app, matter = _handled(app_id)
    args = body(schemas.OfficerAction())
    action = args["action"]
    if action in model.NEEDS_REASON and not args.get("reason"):
        raise Unprocessable("Give the reason (请说明理由).",
                            details={"fields": {"reason": ["required (必须说明理由)"]}})
    note: dict = {k: args[k] for k in ("reason", "items") if args.get(k)}
    if action == "return":
        items = args.get("items") or []
        if not items:
            raise Unprocessable("List what to correct (请列明补正内容).",
                                details={"fields": {"items": ["required"]}})
        outside = model.outside_guide(matter, items)
        if outside:
            store.count(_settings(), clock.iso()[:7], app["department"], app["region"],
                        offguide_requests=1)
            from ..core import store as core_store

            core_store.audit_only(_settings(), _audit("application.return", app["id"],
                                                        "refused", detail={"outside": outside}))
            raise Unprocessable("The guide does not list these materials or conditions.",
                                details={"fields": {"items": [f"not in the guide: {i} (指南未列明)"
                                                              for i in outside]}})
    extra: list[dict] = []
    changes: dict = {}
    if action == "approve":
        extra, licence_ids = _issue_licences(app, matter)
        if licence_ids:
            changes["licences"] = licence_ids
    if args.get("reason"):
        changes["reason"] = args["reason"]
    if action == "return":
        changes["return_items"] = args["items"]
    return jsonify(_view(_transition(app, action, "officer", note=note, extra=extra,
                                     **changes)))


def _issue_licences(app: dict, matter: dict) -> tuple[list[dict], list[str]]:
    """E-licences issued in sync with approval: in the same transaction."""
    from ..licences import model as lic_model
    from ..licences import store as lic_store

    settings = _settings()
    items, ids = [], []
    holder_kind, holder_id = app["owner"].split(":", 1)
    for lic_type in lic_model.types_issued_by(app["matter"]):
        try:
            licence = lic_store.build_licence(
                settings, lic_type=lic_type, holder_kind=holder_kind, holder_id=holder_id,
                application=app["id"], fields=app["form"], now=clock.now(),
                region=app["region"])
        except lic_model.RuleError as err:
            raise Unprocessable(str(err), details={
                "fields": {err.field: [f"{err} ({err.zh})"]}}) from err
        items += lic_store.issue_items(
            settings, licence, actor=principal().subject, request_id=g.get("request_id"),
            notify=lic_store.notify_account(settings, holder_kind, holder_id))
        ids.append(licence["id"])
    return items, ids


@bp.post("/api/v1/officer/applications")
@require_role("officer")
def counter_intake():
    """At a service counter: the officer files the application for a registered person and
    checks the paper materials on the spot (channel counter, one visit)."""
    who = principal()
    args = body(schemas.CounterIntake())
    matter = _matter(args["matter"])
    if not model.officer_may_handle(who.department, who.region, matter):
        raise Forbidden("This matter belongs to another department or region.")
    settings = _settings()
    from ..core import pii

    person = identity_store.account_by_phone(settings, pii.keyed_hash(settings, "phone",
                                                                      args["applicant_phone"]))
    if not person:
        raise Unprocessable("Nobody has registered with this phone number.",
                            details={"fields": {"applicant_phone": [
                                "no account (该手机号未注册)"]}})
    form = _check_form(matter, args["form"], partial=False)
    app = _new_application(matter, owner=f"person:{person['id']}", applicant=person["id"],
                           channel="counter", form=form, visits=1)
    app["materials"] = {m["name"]: {"kind": "paper", "checked_by": who.subject,
                                    "at": clock.iso()} for m in matter.get("materials", [])}
    store.create(settings, app, idem_key=None, event=_event("create", "-", "draft"),
                 audit=_audit("application.counter", app["id"]))
    return jsonify(_view(_transition(app, "submit", "applicant"))), 201


@bp.post("/api/v1/officer/applications/<app_id>/visits")
@require_role("officer")
def record_visit(app_id: str):
    """The applicant came in person (the indicators count visits per matter)."""
    app, _ = _handled(app_id)
    new = {**app, "visits": app.get("visits", 0) + 1, "updated": clock.iso()}
    store.save(_settings(), new, expected=app["status"],
               event=_event("visit", app["status"], app["status"]),
               audit=_audit("application.visit", app["id"]))
    return jsonify(_view(new))


# ---- administrators: the State Council's holiday schedule for a new year ------------------

@bp.post("/api/v1/admin/holidays")
@require_role("admin")
def load_holidays():
    args = body(schemas.HolidaySchedule())
    try:
        schedule = workdays.parse_schedule(args)
    except workdays.ScheduleError as err:
        raise Unprocessable(str(err), details={
            "fields": {err.field: [f"{err} ({err.zh})"]}}) from err
    settings = _settings()
    doc = {**schedule.to_dict(), "source": args.get("source", "")}
    store.put_schedule(settings, doc, audit=_audit("holidays.load", str(schedule.year)))
    _calendar_cache.clear()
    return jsonify({"year": schedule.year, "recomputed": recompute_provisional(settings)}), 201


def recompute_provisional(settings) -> int:
    """Deadlines counted on weekends alone are counted again now that a year is known."""
    calendar, changed = _calendar(), 0
    for app in store.provisional(settings):
        new = {**app, "deadlines": model.deadlines(app, app["limits"], calendar)}
        if new["deadlines"] != app["deadlines"]:
            store.save(settings, new, expected=app["status"], event=None, audit={
                "actor": "system", "action": "application.deadlines", "target": app["id"],
                "result": "ok", "request_id": g.get("request_id"), "at": clock.iso(),
                "detail": {"before": app["deadlines"]["current"],
                           "after": new["deadlines"]["current"]}})
            changed += 1
    return changed
