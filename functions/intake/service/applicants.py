"""The applicant's use cases: create, list, read, fill in, attach, submit, withdraw."""
from __future__ import annotations

import re
import secrets
import uuid
from datetime import datetime

from ...core import clock
from ...core.errors import Forbidden, NotFound, RuleError, TooLarge, WrongType
from ...core.store import audit_record
from ...identity import model as identity_model
from ...licences import service as licences
from .. import model, store
from . import materials
from .prefill import fill
from .shared import (
    by,
    checked,
    edit,
    editable,
    matter_named,
    move,
    plain_form,
    sealed_form,
    unmasked,
    view,
)

_IDEM_KEY = re.compile(r"[A-Za-z0-9-]{8,64}")


def create(settings, who, *, matter_code: str, form: dict, idem_key: str | None,
           now: datetime, auto_filled: bool = False) -> tuple[dict, bool]:
    """A draft for the caller or the party they act for; with an Idempotency-Key a retry
    answers the first draft. Returns the draft and whether it is a replay. `auto_filled`:
    filed by the server for 免申即享 (pages.offers), every value from what the city holds."""
    if idem_key is not None and not _IDEM_KEY.fullmatch(idem_key):
        raise RuleError("Idempotency-Key", "Idempotency-Key must be 8-64 letters, digits or "
                        "dashes.", "幂等键格式不正确")
    matter = matter_named(settings, matter_code)
    needed = identity_model.required_level(matter)
    if who.level < needed:
        raise Forbidden(f"This matter needs real-name level {needed}.",
                        details={"required_level": needed, "your_level": who.level})
    _not_a_viewer(who)
    if who.act and not model.may_apply_for(who.act, matter["code"]):
        raise Forbidden("Your authorisation does not cover applying for this matter.")
    if idem_key and (existing := store.idempotent_hit(settings, who.acting_for, idem_key)):
        return view(settings, store.get(settings, existing), events=False), True
    form, prefilled = fill(settings, matter, form, owner=who.acting_for, agent_id=who.subject)
    clean = checked(matter, form, partial=True)
    at = clock.iso(now)
    app = model.new_application(matter, number=store.next_number(settings, at[:10]),
                                owner=who.acting_for, applicant=who.subject, channel="online",
                                visits=0, at=at, query_code=new_query_code())
    app = {**sealed_form(settings, app, matter, clean), "prefilled": prefilled}
    if auto_filled:
        app["auto_filled"] = True
    saved = store.create(settings, app, idem_key=idem_key,
                         event=model.event("create", "-", "draft", at=at, by=by(who)),
                         audit=audit_record(who, "application.create", app["id"], at=at))
    return view(settings, saved, events=False), saved["id"] != app["id"]


def _not_a_viewer(who) -> None:
    """A viewer (查看人) of an enterprise follows its applications but handles none of them:
    no draft, form, material, submission or withdrawal in its name."""
    if who.act and who.act.get("role") == "viewer":
        raise Forbidden("A viewer of this enterprise may read its applications but not "
                        "handle them (查看人只能查看办件).")


def _owned(settings, who, app_id: str) -> dict:
    """The application of the party the caller acts for, within what the grant covers: a
    family member's application of another matter is as unknown as anyone's (404)."""
    app = store.owned(settings, app_id, who.acting_for)
    if not model.covers(who.act, app["matter"]):
        raise NotFound("No such application.")
    return app


def new_query_code() -> str:
    """The receipt's random query code (the number alone shows nothing)."""
    return "".join(secrets.choice(model.QUERY_ALPHABET) for _ in range(model.QUERY_CODE_LENGTH))


def mine(settings, who, *, limit: int, start: dict | None) -> tuple[list[dict], dict | None]:
    """The caller's (or represented party's) applications, newest first: one page."""
    items, last = store.mine(settings, who.acting_for, limit=limit, start=start)
    return [{**i, "status_zh": model.STATE_ZH[i["status"]]} for i in items
            if model.covers(who.act, i["matter"])], last


def get(settings, who, app_id: str) -> dict:
    return view(settings, _owned(settings, who, app_id))


def update_form(settings, who, app_id: str, form: dict, *, now: datetime) -> dict:
    """Replace a draft's or a returned application's form; masks sent back keep the value."""
    _not_a_viewer(who)
    app = _owned(settings, who, app_id)
    editable(app)
    matter = matter_named(settings, app["matter"])
    plain = plain_form(settings, app)
    form, prefilled = fill(settings, matter, form, owner=app["owner"], agent_id=who.subject)
    clean = checked(matter, unmasked(app, matter, form, plain), partial=True)
    new = sealed_form(settings, app, matter, clean)
    new = edit(settings, who, app, now=now, action="application.form", form=new["form"],
                sealed=new["sealed"], prefilled=prefilled)
    return view(settings, new)


def request_upload(settings, who, app_id: str, *, material: str, content_type: str,
                   size: int) -> dict:
    """A presigned POST for one material of the guide, limited to its type and 10 MB."""
    _not_a_viewer(who)
    app = _owned(settings, who, app_id)
    model.material_slot(matter_named(settings, app["matter"]), material)
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
    _not_a_viewer(who)
    app = _owned(settings, who, app_id)
    editable(app)
    matter = matter_named(settings, app["matter"])
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
    extra += materials.scan_pending(settings, app, slot["name"], entry, at=clock.iso(now))
    new = edit(settings, who, app, now=now, action="application.material", extra=extra,
                detail={"material": slot["name"], "kind": entry["kind"]},
                materials={**app["materials"], slot["name"]: entry})
    materials.queue_scan(settings, app["id"], slot["name"], entry)
    return view(settings, new)


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
    _not_a_viewer(who)
    app = _owned(settings, who, app_id)
    model.next_state("submit", app["status"], "applicant")  # the state first: a 409 says why
    matter = matter_named(settings, app["matter"])
    # The identity's answers as they are now (a stored one is never taken over a fresh one).
    form, prefilled = fill(settings, matter, plain_form(settings, app), owner=app["owner"],
                           agent_id=who.subject, stored=True)
    clean = checked(matter, form, partial=False)
    missing = model.missing_materials(matter, app["materials"])
    if missing:
        raise RuleError("materials", "Some required materials are missing.",
                        fields={"materials": [f"missing: {m} (缺少材料)" for m in missing]})
    materials.refuse_infected(settings, app)
    sealed = sealed_form(settings, app, matter, clean)
    new = move(settings, who, app, "submit", "applicant", now=now, form=sealed["form"],
                sealed=sealed["sealed"], prefilled=prefilled,
                query_code=app.get("query_code") or new_query_code())
    return view(settings, new)


def withdraw(settings, who, app_id: str, *, now: datetime) -> dict:
    _not_a_viewer(who)
    app = _owned(settings, who, app_id)
    return view(settings, move(settings, who, app, "withdraw", "applicant", now=now))
