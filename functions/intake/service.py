"""Intake use cases: apply, attach, submit, withdraw; officers accept, return, approve, reveal;
administrators load holiday schedules. Framework-free: settings, the principal, parsed input
and the time. Personal form values (ID numbers, phones) are sealed at rest and masked in
everything returned here, except reveal()."""
from __future__ import annotations

import re
import time
import uuid
from datetime import datetime

from ..core import clock, pii
from ..core.errors import Conflict, Forbidden, RuleError, TooLarge, WrongType
from ..core.store import audit_only, audit_record, enqueue
from ..hall import store as hall_store
from ..identity import cn_ids
from ..identity import model as identity_model
from ..identity import store as identity_store
from ..licences import service as licences
from . import calendar as workdays
from . import model, store

RECOMPUTE_JOB = "intake.recompute_deadlines"
_IDEM_KEY = re.compile(r"[A-Za-z0-9-]{8,64}")
_MASKS = {"id_number": cn_ids.mask_id, "phone": cn_ids.mask_phone}
EDITABLE = ("draft", "returned")


# ---- the working-day calendar: loaded schedules change a few times a year -----------------

CALENDAR_SECONDS = 300
_calendars: dict = {}


def work_calendar(settings, *, fresh: bool = False) -> workdays.WorkCalendar:
    """The calendar with the loaded schedules, read at most every five minutes (`fresh`:
    read now, as a recomputation after a new schedule must)."""
    hit = _calendars.get(settings.table_name)
    if hit and not fresh and time.monotonic() - hit[1] < CALENDAR_SECONDS:
        return hit[0]
    loaded = {s["year"]: workdays.YearSchedule.from_dict(s) for s in store.schedules(settings)}
    cal = workdays.WorkCalendar(loaded)
    _calendars[settings.table_name] = (cal, time.monotonic())
    return cal


def forget() -> None:
    """Drop the cached calendars (tests, and an instance that loaded a schedule)."""
    _calendars.clear()


# ---- matters and personal form values ------------------------------------------------------

def _matter(settings, code: str) -> dict:
    matter = hall_store.current_catalogue(settings).matters.get(code)
    if not matter:
        raise RuleError("matter", "No such matter in the catalogue.", "事项不存在")
    return matter


def _matter_of(settings, app: dict) -> dict:
    """The application's matter; one that left the catalogue still has its limits and place."""
    return hall_store.current_catalogue(settings).matters.get(app["matter"]) or {
        "code": app["matter"], "materials": [], "conditions": [], "form_fields": [],
        "department": app["department"], "region": app["region"], **app["limits"]}


def _personal(app: dict, matter: dict) -> dict[str, str]:
    """The application's personal fields (name -> type) that hold a value."""
    return {k: t for k, t in model.personal_fields(matter.get("form_fields", [])).items()
            if app["form"].get(k) not in (None, "")}


def _shown_form(app: dict, matter: dict) -> dict:
    """The form as responses show it. Sealed values have their mask in the form already; an
    item stored before sealing holds numbers in clear and is masked on the way out."""
    sealed = app.get("sealed", {})
    return {**app["form"], **{k: _MASKS[t](str(app["form"][k]))
                              for k, t in _personal(app, matter).items() if k not in sealed}}


def plain_form(settings, app: dict) -> dict:
    """The form with personal values unsealed: for rules, licences and a reveal only."""
    return {**app["form"], **{k: pii.unseal(settings, token, f"application:{app['id']}:{k}")
                              for k, token in app.get("sealed", {}).items()}}


def _sealed(settings, app: dict, matter: dict, clean: dict) -> dict:
    """`app` with the checked form `clean`: personal values sealed with their mask in the
    form; a value that did not change keeps its sealed original."""
    old, old_plain = app.get("sealed", {}), plain_form(settings, app)
    form, sealed = dict(clean), {}
    for name, kind in model.personal_fields(matter.get("form_fields", [])).items():
        if name not in clean:
            continue
        value = str(clean[name])
        same = name in old and old_plain.get(name) == value
        sealed[name] = old[name] if same else pii.seal(
            settings, value, f"application:{app['id']}:{name}")
        form[name] = _MASKS[kind](value)
    return {**app, "form": form, "sealed": sealed}


def _unmasked(app: dict, matter: dict, submitted: dict, plain: dict) -> dict:
    """A personal value sent back exactly as its mask (an applicant editing a returned form)
    stands for the value it masks; anything else replaces it."""
    shown = _shown_form(app, matter)
    return {k: plain[k] if k in _personal(app, matter) and v == shown.get(k) else v
            for k, v in submitted.items()}


def _id_check(value: str) -> str:
    try:
        return cn_ids.validate_id_number(value)
    except cn_ids.IdError as err:
        raise ValueError(f"{err.message} ({err.zh})") from err


def _checked(matter: dict, form: dict, *, partial: bool) -> dict:
    return model.check_form(matter.get("form_fields", []), form, id_check=_id_check,
                            partial=partial)


def _view(settings, app: dict, *, events: bool = True) -> dict:
    """What applicants and officers see: masked personal values, the state in Chinese, and
    the timeline on single reads."""
    out = {k: v for k, v in app.items() if k != "sealed"}
    out["form"] = _shown_form(app, _matter_of(settings, app))
    out["status_zh"] = model.STATE_ZH[app["status"]]
    if events:
        out["events"] = store.events(settings, app["id"])
    return out


# ---- writing a move ---------------------------------------------------------------------------

def _by(who) -> str:
    return "applicant" if who.kind == "citizen" else who.kind


def _move(settings, who, app: dict, action: str, actor: str, *, now: datetime,
          note: dict | None = None, extra: list[dict] | None = None, **changes) -> dict:
    """Apply `action` and write it with its event, audit record, the applicant's notice and
    the indicator counters, conditional on the state the application was read in."""
    at = clock.iso(now)
    new = model.moved(app, action, actor, at=at, calendar=work_calendar(settings), **changes)
    counts = model.counted(app, new)
    counters = [store.counter_update(settings.table_name, at[:7], app["department"],
                                     app["region"], **counts)] if counts else []
    state_zh = model.STATE_ZH[new["status"]]
    store.save(settings, new, expected=app["status"],
               event=model.event(action, app["status"], new["status"], at=at, by=_by(who),
                                 note=note),
               audit=audit_record(who, f"application.{action}", app["id"], at=at, detail=note),
               notice={"account": app["applicant"], "kind": "application",
                       "title": f"办件{state_zh}", "at": at, "link": f"/#/applications/{app['id']}",
                       "body": f"您申请的“{app['matter_name']}”{state_zh}。"},
               extra=counters + (extra or []))
    return new


def _edit(settings, who, app: dict, *, now: datetime, action: str, detail: dict | None = None,
          extra: list[dict] | None = None, **changes) -> dict:
    """A change that keeps the state (form, materials): audited, no event, no notice."""
    at = clock.iso(now)
    new = {**app, **changes, "updated": at}
    store.save(settings, new, expected=app["status"], event=None, extra=extra,
               audit=audit_record(who, action, app["id"], at=at, detail=detail))
    return new


def _editable(app: dict) -> None:
    if app["status"] not in EDITABLE:
        raise Conflict(f"The application is {app['status']}; it can no longer change.",
                       details={"status": app["status"]})


# ---- applicants -----------------------------------------------------------------------------

def create(settings, who, *, matter_code: str, form: dict, idem_key: str | None,
           now: datetime) -> tuple[dict, bool]:
    """A draft for the caller or the party they act for; with an Idempotency-Key a retry
    answers the first draft. Returns the draft and whether it is a replay."""
    if idem_key is not None and not _IDEM_KEY.fullmatch(idem_key):
        raise RuleError("Idempotency-Key", "Idempotency-Key must be 8-64 letters, digits or "
                        "dashes.", "幂等键格式不正确")
    matter = _matter(settings, matter_code)
    needed = identity_model.required_level(matter)
    if who.level < needed:
        raise Forbidden(f"This matter needs real-name level {needed}.",
                        details={"required_level": needed, "your_level": who.level})
    if who.act and (who.act.get("role") == "viewer" or
                    not model.may_apply_for(who.act, matter["code"])):
        raise Forbidden("Your authorisation does not cover applying for this matter.")
    if idem_key and (existing := store.idempotent_hit(settings, who.acting_for, idem_key)):
        return _view(settings, store.get(settings, existing), events=False), True
    clean = _checked(matter, form, partial=True)
    at = clock.iso(now)
    app = model.new_application(matter, number=store.next_number(settings, at[:10]),
                                owner=who.acting_for, applicant=who.subject, channel="online",
                                visits=0, at=at)
    app = _sealed(settings, app, matter, clean)
    saved = store.create(settings, app, idem_key=idem_key,
                         event=model.event("create", "-", "draft", at=at, by=_by(who)),
                         audit=audit_record(who, "application.create", app["id"], at=at))
    return _view(settings, saved, events=False), saved["id"] != app["id"]


def mine(settings, who, *, limit: int, start: dict | None) -> tuple[list[dict], dict | None]:
    """The caller's (or represented party's) applications, newest first: one page."""
    items, last = store.mine(settings, who.acting_for, limit=limit, start=start)
    return [{**i, "status_zh": model.STATE_ZH[i["status"]]} for i in items], last


def get(settings, who, app_id: str) -> dict:
    return _view(settings, store.owned(settings, app_id, who.acting_for))


def update_form(settings, who, app_id: str, form: dict, *, now: datetime) -> dict:
    """Replace a draft's or a returned application's form; masks sent back keep the value."""
    app = store.owned(settings, app_id, who.acting_for)
    _editable(app)
    matter = _matter(settings, app["matter"])
    plain = plain_form(settings, app)
    clean = _checked(matter, _unmasked(app, matter, form, plain), partial=True)
    new = _sealed(settings, app, matter, clean)
    new = _edit(settings, who, app, now=now, action="application.form", form=new["form"],
                sealed=new["sealed"])
    return _view(settings, new)


def request_upload(settings, who, app_id: str, *, material: str, content_type: str,
                   size: int) -> dict:
    """A presigned POST for one material of the guide, limited to its type and 10 MB."""
    app = store.owned(settings, app_id, who.acting_for)
    model.material_slot(_matter(settings, app["matter"]), material)
    model.check_upload(content_type, size)
    key = f"uploads/{app['id']}/{uuid.uuid4().hex}"
    post = store.presign_upload(settings, key, content_type, model.MAX_UPLOAD)
    return {"key": key, "url": post["url"], "fields": post["fields"],
            "max_size": model.MAX_UPLOAD}


def attach_material(settings, who, app_id: str, *, material: str, upload_key: str | None = None,
                    licence_id: str | None = None, consent: bool = False,
                    now: datetime) -> dict:
    """Attach an uploaded file, or an e-licence the owner holds (after consent: its use is
    logged in the application's own write)."""
    app = store.owned(settings, app_id, who.acting_for)
    _editable(app)
    matter = _matter(settings, app["matter"])
    slot = model.material_slot(matter, material)
    extra: list[dict] = []
    if upload_key and not licence_id:
        entry = _uploaded(settings, app, upload_key, now=now)
    elif licence_id and not upload_key:
        entry, extra = licences.share_for_application(
            settings, who, licence_id=licence_id, owner=app["owner"], matter=matter, slot=slot,
            application_id=app["id"], consent=consent, now=now)
    else:
        raise RuleError("upload_key", "Give either upload_key or licence_id.",
                        "请提供 upload_key 或 licence_id 之一")
    new = _edit(settings, who, app, now=now, action="application.material", extra=extra,
                detail={"material": slot["name"], "kind": entry["kind"]},
                materials={**app["materials"], slot["name"]: entry})
    return _view(settings, new)


def _uploaded(settings, app: dict, upload_key: str, *, now: datetime) -> dict:
    """The material entry of a file uploaded for this application, checked again as stored:
    one of the wrong type or size is discarded."""
    if not upload_key.startswith(f"uploads/{app['id']}/"):
        raise RuleError("upload_key", "This upload is not for this application.",
                        "该文件不属于本申请")
    head = store.uploaded(settings, upload_key)
    if not head:
        raise RuleError("upload_key", "Nothing was uploaded under this key.", "未找到上传文件")
    try:
        model.check_upload(head["content_type"].split(";")[0], head["size"])
    except (TooLarge, WrongType):
        store.discard_upload(settings, upload_key)
        raise
    return {"kind": "upload", "key": upload_key, "size": head["size"],
            "content_type": head["content_type"], "at": clock.iso(now)}


def submit(settings, who, app_id: str, *, now: datetime) -> dict:
    """Submit a draft or a corrected application: every required field and material."""
    app = store.owned(settings, app_id, who.acting_for)
    model.next_state("submit", app["status"], "applicant")  # the state first: a 409 says why
    matter = _matter(settings, app["matter"])
    clean = _checked(matter, plain_form(settings, app), partial=False)
    missing = model.missing_materials(matter, app["materials"])
    if missing:
        raise RuleError("materials", "Some required materials are missing.",
                        fields={"materials": [f"missing: {m} (缺少材料)" for m in missing]})
    sealed = _sealed(settings, app, matter, clean)
    new = _move(settings, who, app, "submit", "applicant", now=now, form=sealed["form"],
                sealed=sealed["sealed"])
    return _view(settings, new)


def withdraw(settings, who, app_id: str, *, now: datetime) -> dict:
    app = store.owned(settings, app_id, who.acting_for)
    return _view(settings, _move(settings, who, app, "withdraw", "applicant", now=now))


# ---- officers ---------------------------------------------------------------------------------

def queue(settings, who, *, status: str, limit: int,
          start: dict | None) -> tuple[list[dict], dict | None]:
    """The officer's department and region's applications in one state, nearest due first."""
    items, last = store.queue(settings, who.department or "-", who.region or "-", status,
                              limit=limit, start=start)
    return [_view(settings, a, events=False) for a in items], last


def officer_get(settings, who, app_id: str) -> dict:
    """By application number, within the officer's department and region."""
    return _view(settings, store.handled(settings, app_id, who.department, who.region))


def act(settings, who, app_id: str, *, action: str, reason: str | None = None,
        items: list[str] | None = None, now: datetime) -> dict:
    """受理, 不予受理, 补正, 办理, 办结. A return may ask only for what the guide lists: asking
    for more is refused, counted and audited. An approval issues the matter's e-licences in
    the same transaction."""
    app = store.handled(settings, app_id, who.department, who.region)
    model.next_state(action, app["status"], "officer")  # the state first: nothing is counted
    matter = _matter_of(settings, app)                  # or issued for a move refused anyway
    if action in model.NEEDS_REASON and not reason:
        raise RuleError("reason", "Give the reason.", "必须说明理由")
    note = {k: v for k, v in (("reason", reason), ("items", items)) if v}
    changes: dict = {"reason": reason} if reason else {}
    extra: list[dict] = []
    if action == "return":
        _guide_conformant(settings, who, app, matter, items or [], now=now)
        changes["return_items"] = items
    if action == "approve":
        extra, licence_ids = licences.issue_for_approval(
            settings, who, {**app, "form": plain_form(settings, app)}, now=now)
        if licence_ids:
            changes["licences"] = licence_ids
    new = _move(settings, who, app, action, "officer", now=now, note=note, extra=extra,
                **changes)
    return _view(settings, new)


def _guide_conformant(settings, who, app: dict, matter: dict, items: list[str], *,
                      now: datetime) -> None:
    if not items:
        raise RuleError("items", "List what to correct.", "请列明补正内容")
    outside = model.outside_guide(matter, items)
    if outside:
        at = clock.iso(now)
        store.count(settings, at[:7], app["department"], app["region"], offguide_requests=1,
                    audit=audit_record(who, "application.return", app["id"], at=at,
                                       result="refused", detail={"outside": outside}))
        raise RuleError("items", "The guide does not list these materials or conditions.",
                        fields={"items": [f"not in the guide: {i} (指南未列明)" for i in outside]})


def counter_intake(settings, who, *, matter_code: str, applicant_phone: str, form: dict,
                   now: datetime) -> dict:
    """At a service counter: the officer files a complete application for a registered
    person, checks the paper materials on the spot, and it is submitted at once."""
    matter = _matter(settings, matter_code)
    if not model.officer_may_handle(who.department, who.region, matter):
        raise Forbidden("This matter belongs to another department or region.")
    person = identity_store.account_by_phone(
        settings, pii.keyed_hash(settings, "phone", applicant_phone))
    if not person:
        raise RuleError("applicant_phone", "Nobody has registered with this phone number.",
                        "该手机号未注册")
    clean = _checked(matter, form, partial=False)
    at = clock.iso(now)
    app = model.new_application(matter, number=store.next_number(settings, at[:10]),
                                owner=f"person:{person['id']}", applicant=person["id"],
                                channel="counter", visits=1, at=at)
    app["materials"] = {m["name"]: {"kind": "paper", "checked_by": who.subject, "at": at}
                        for m in matter.get("materials", [])}
    app = _sealed(settings, app, matter, clean)
    store.create(settings, app, idem_key=None,
                 event=model.event("create", "-", "draft", at=at, by=_by(who)),
                 audit=audit_record(who, "application.counter", app["id"], at=at))
    return _view(settings, _move(settings, who, app, "submit", "applicant", now=now))


def record_visit(settings, who, app_id: str, *, now: datetime) -> dict:
    """The applicant came in person (the indicators count visits per matter)."""
    app = store.handled(settings, app_id, who.department, who.region)
    at = clock.iso(now)
    new = {**app, "visits": app.get("visits", 0) + 1, "updated": at}
    store.save(settings, new, expected=app["status"],
               event=model.event("visit", app["status"], app["status"], at=at, by=_by(who)),
               audit=audit_record(who, "application.visit", app["id"], at=at))
    return _view(settings, new)


def reveal(settings, who, app_id: str, fields: list[str], *, now: datetime) -> dict:
    """An officer of the handling department asks for personal values in full: audited
    (the field names only), and only for personal fields the application holds."""
    app = store.handled(settings, app_id, who.department, who.region)
    personal = _personal(app, _matter_of(settings, app)) | dict.fromkeys(app.get("sealed", {}))
    wanted = sorted(set(fields))
    bad = [f for f in wanted if f not in personal]
    if bad:
        raise RuleError("fields", "Only personal fields this application holds.",
                        fields={"fields": [f"not a personal field of this application: {f} "
                                           "(不是本申请的个人信息字段)" for f in bad]})
    plain = plain_form(settings, app)
    audit_only(settings, audit_record(who, "application.reveal", app["id"],
                                      at=clock.iso(now), detail={"fields": wanted}))
    return {"application": app["id"], "fields": {f: plain[f] for f in wanted}}


# ---- administrators: the State Council's holiday schedule for a new year ------------------

def load_holidays(settings, who, data: dict, *, now: datetime) -> dict:
    """Store a year's schedule and queue the recomputation of provisional deadlines."""
    try:
        schedule = workdays.parse_schedule(data)
    except workdays.ScheduleError as err:
        raise RuleError(err.field, err.message, err.zh) from err
    doc = {**schedule.to_dict(), "source": data.get("source", "")}
    store.put_schedule(settings, doc, audit=audit_record(who, "holidays.load",
                                                         str(schedule.year), at=clock.iso(now)))
    forget()
    enqueue(settings, RECOMPUTE_JOB, year=schedule.year)
    return {"year": schedule.year, "recomputation": "queued"}


def recompute_deadlines(settings, job: dict) -> dict:
    """The queue job: deadlines counted on weekends alone are counted again with the
    schedules as stored now. Safe to run twice: an unchanged deadline writes nothing."""
    calendar, changed = work_calendar(settings, fresh=True), 0
    for app in store.provisional(settings):
        for _ in range(3):  # an application that moved meanwhile is read again
            new = {**app, "deadlines": model.deadlines(app, app["limits"], calendar)}
            if new["deadlines"] == app["deadlines"]:
                break
            at = clock.iso()
            try:
                store.save(settings, new, expected=app["status"], event=None, audit=audit_record(
                    None, "application.deadlines", app["id"], at=at,
                    detail={"before": app["deadlines"]["current"],
                            "after": new["deadlines"]["current"]}))
            except Conflict:
                app = store.get(settings, app["id"])
                continue
            changed += 1
            break
    return {"recomputed": changed}


# Queue jobs of this room: job name -> service function(settings, job). workers.py dispatches.
JOBS: dict = {RECOMPUTE_JOB: recompute_deadlines}
