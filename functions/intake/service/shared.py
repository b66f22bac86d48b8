"""What the intake use cases share: the matter of an application, its personal values
(sealed at rest, masked in every answer), the view of it, and how a move or an edit is written."""
from __future__ import annotations

from datetime import datetime

from ...core import clock, pii
from ...core.errors import Conflict, RuleError
from ...core.store import audit_record
from ...hall import store as hall_store
from ...identity import cn_ids
from ...supervision import hooks
from .. import model, store
from .materials import with_scans
from .schedules import work_calendar


def mask_account(value: str) -> str:
    """6228***********0018: the first and last four, as the registry shows the social
    security card's account."""
    digits = "".join(value.split())
    if len(digits) < 12:   # too short to show both ends
        return "*" * max(len(digits) - 4, 4) + digits[-4:]
    return digits[:4] + "*" * (len(digits) - 8) + digits[-4:]


MASKS = {"id_number": cn_ids.mask_id, "phone": cn_ids.mask_phone, "bank_account": mask_account}
EDITABLE = ("draft", "returned")


# ---- matters and personal form values ------------------------------------------------------

def matter_named(settings, code: str) -> dict:
    matter = hall_store.current_catalogue(settings).matters.get(code)
    if not matter:
        raise RuleError("matter", "No such matter in the catalogue.", "事项不存在")
    return matter


def matter_of(settings, app: dict) -> dict:
    """The application's matter; one that left the catalogue still has its limits and place."""
    return hall_store.current_catalogue(settings).matters.get(app["matter"]) or {
        "code": app["matter"], "materials": [], "conditions": [], "form_fields": [],
        "department": app["department"], "region": app["region"], **app["limits"]}


def held_personal(app: dict, matter: dict) -> dict[str, str]:
    """The application's personal fields (name -> type) that hold a value: by their type,
    by an ID number they hold in clear, or because they were sealed."""
    fields = matter.get("form_fields", [])
    found = {k: t for k, t in model.personal_fields(fields, app["form"]).items()
             if app["form"].get(k) not in (None, "")}
    return {**{k: "id_number" for k in app.get("sealed", {})}, **found}


def shown_form(app: dict, matter: dict) -> dict:
    """The form as responses show it. Sealed values have their mask in the form already; an
    item stored before sealing holds numbers in clear and is masked on the way out."""
    sealed = app.get("sealed", {})
    return {**app["form"], **{k: MASKS[t](str(app["form"][k]))
                              for k, t in held_personal(app, matter).items() if k not in sealed}}


def plain_form(settings, app: dict) -> dict:
    """The form with personal values unsealed: for rules, licences and a reveal only."""
    return {**app["form"], **{k: pii.unseal(settings, token, f"application:{app['id']}:{k}")
                              for k, token in app.get("sealed", {}).items()}}


def sealed_form(settings, app: dict, matter: dict, clean: dict) -> dict:
    """`app` with the checked form `clean`: personal values sealed with their mask in the
    form; a value that did not change keeps its sealed original."""
    old, old_plain = app.get("sealed", {}), plain_form(settings, app)
    form, sealed = dict(clean), {}
    for name, kind in model.personal_fields(matter.get("form_fields", []), clean).items():
        if name not in clean:
            continue
        value = str(clean[name])
        same = name in old and old_plain.get(name) == value
        sealed[name] = old[name] if same else pii.seal(
            settings, value, f"application:{app['id']}:{name}")
        form[name] = MASKS[kind](value)
    return {**app, "form": form, "sealed": sealed}


def unmasked(app: dict, matter: dict, submitted: dict, plain: dict) -> dict:
    """A personal value sent back exactly as its mask (an applicant editing a returned form)
    stands for the value it masks; anything else replaces it."""
    shown = shown_form(app, matter)
    return {k: plain[k] if k in held_personal(app, matter) and v == shown.get(k) else v
            for k, v in submitted.items()}


def _id_check(value: str) -> str:
    try:
        return cn_ids.validate_id_number(value)
    except cn_ids.IdError as err:
        raise ValueError(f"{err.message} ({err.zh})") from err


def checked(matter: dict, form: dict, *, partial: bool) -> dict:
    return model.check_form(matter.get("form_fields", []), form, id_check=_id_check,
                            partial=partial)


def view(settings, app: dict, *, events: bool = True) -> dict:
    """What applicants and officers see: masked personal values, the state in Chinese, and
    the timeline on single reads."""
    out = {k: v for k, v in app.items() if k != "sealed"}
    out["form"] = shown_form(app, matter_of(settings, app))
    out["status_zh"] = model.STATE_ZH[app["status"]]
    out["receipt"] = model.receipt(app) if app.get("query_code") else None
    if events:
        out["events"] = store.events(settings, app["id"])
        out["materials"] = with_scans(app["materials"], store.scans(settings, app["id"]))
    return out


# ---- writing a move ---------------------------------------------------------------------------

def by(who) -> str:
    if who is None:
        return "system"  # the schedule (a lapse)
    return "applicant" if who.kind == "citizen" else who.kind


def move(settings, who, app: dict, action: str, actor: str, *, now: datetime,
          note: dict | None = None, extra: list[dict] | None = None, **changes) -> dict:
    """Apply `action` and write it with its event, audit record, the owner's notice and
    the indicator counters, conditional on the state the application was read in."""
    at = clock.iso(now)
    new = model.moved(app, action, actor, at=at, calendar=work_calendar(settings), **changes)
    counters = hooks.on_move(settings, app, new, action, at=at, who=who, note=note)
    if new["status"] == "approved":  # what people do next, counted once with the completion
        from ...pages import recommend

        counters += recommend.completion_items(settings, app, at=at)
    state_zh = model.STATE_ZH[new["status"]]
    body = f"您申请的“{app['matter_name']}”{state_zh}。"
    if new["status"] == "returned":
        body += f"请在{new['correction']['due']}前按要求补正后重新提交，逾期申请将失效。"
    store.save(settings, new, expected=app["status"],
               event=model.event(action, app["status"], new["status"], at=at, by=by(who),
                                 note=note),
               audit=audit_record(who, f"application.{action}", app["id"], at=at, detail=note,
                                  subject=app["owner"]),
               notice={"owner": app["owner"], "kind": "application",
                       "title": f"办件{state_zh}", "at": at, "link": f"/#/applications/{app['id']}",
                       "body": body},
               extra=counters + store.correction_marks(settings.table_name, app, new) +
               (extra or []))
    return new


def edit(settings, who, app: dict, *, now: datetime, action: str, detail: dict | None = None,
          extra: list[dict] | None = None, **changes) -> dict:
    """A change that keeps the state (form, materials): audited, no event, no notice."""
    at = clock.iso(now)
    new = {**app, **changes, "updated": at}
    store.save(settings, new, expected=app["status"], event=None, extra=extra,
               audit=audit_record(who, action, app["id"], at=at, detail=detail,
                                  subject=app["owner"]))
    return new


def editable(app: dict) -> None:
    if app["status"] not in EDITABLE:
        raise Conflict(f"The application is {app['status']}; it can no longer change.",
                       details={"status": app["status"]})
