"""The officer's use cases: the queue, a lookup, the actions with guide conformance, counter
intake, visits, and the audited reveal of personal values."""
from __future__ import annotations

import logging
from datetime import datetime

from ...core import clock, pii, sms
from ...core.errors import Forbidden, RuleError
from ...core.store import audit_only, audit_record
from ...identity import store as identity_store
from ...licences import service as licences
from ...push.model import masked
from ...supervision import cards_service as cards
from ...supervision import indicators_store
from .. import model, store
from . import materials
from .applicants import new_query_code
from .prefill import fill
from .shared import (
    by,
    checked,
    held_personal,
    matter_named,
    matter_of,
    move,
    plain_form,
    sealed_form,
    view,
)

log = logging.getLogger("hall.intake")


def queue(settings, who, *, status: str, limit: int,
          start: dict | None) -> tuple[list[dict], dict | None]:
    """The officer's department and region's applications in one state, nearest due first."""
    items, last = store.queue(settings, who.department or "-", who.region or "-", status,
                              limit=limit, start=start)
    return [view(settings, a, events=False) for a in items], last


def officer_get(settings, who, app_id: str) -> dict:
    """By application number, within the officer's department and region."""
    return view(settings, store.handled(settings, app_id, who.department, who.region))


def act(settings, who, app_id: str, *, action: str, reason: str | None = None,
        items: list[str] | None = None, now: datetime) -> dict:
    """受理, 不予受理, 补正, 办理, 办结. A return may ask only for what the guide lists: asking
    for more is refused, counted and audited. An approval issues the matter's e-licences in
    the same transaction."""
    app = store.handled(settings, app_id, who.department, who.region)
    model.next_state(action, app["status"], "officer")  # the state first: nothing is counted
    matter = matter_of(settings, app)                  # or issued for a move refused anyway
    if action in model.NEEDS_REASON and not reason:
        cards.raise_conduct(settings, who, app, "refusal_without_reason", now=now,
                            detail={"action": action})  # a yellow card, once per application
        raise RuleError("reason", "Give the reason.", "必须说明理由")
    if action in ("accept", "approve"):
        materials.refuse_infected(settings, app)
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
    new = move(settings, who, app, action, "officer", now=now, note=note, extra=extra,
                **changes)
    return view(settings, new)


def _guide_conformant(settings, who, app: dict, matter: dict, items: list[str], *,
                      now: datetime) -> None:
    if not items:
        raise RuleError("items", "List what to correct.", "请列明补正内容")
    outside = model.outside_guide(matter, items)
    if outside:
        at = clock.iso(now)
        indicators_store.count(settings, at[:7], app["department"], app["region"],
                               offguide_requests=1, audit=audit_record(
                                   who, "application.return", app["id"], at=at,
                                   result="refused", detail={"outside": outside},
                                   subject=app["owner"]))
        cards.raise_conduct(settings, who, app, "offguide_request", now=now,
                            detail={"outside": [masked(i) for i in outside]})
        raise RuleError("items", "The guide does not list these materials or conditions.",
                        fields={"items": [f"not in the guide: {i} (指南未列明)" for i in outside]})


def counter_intake(settings, who, *, matter_code: str, applicant_phone: str, form: dict,
                   now: datetime) -> dict:
    """At a service counter: the officer files a complete application for a registered
    person, checks the paper materials on the spot, and it is submitted at once."""
    matter = matter_named(settings, matter_code)
    if not model.officer_may_handle(who.department, who.region, matter):
        raise Forbidden("This matter belongs to another department or region.")
    person = identity_store.account_by_phone(
        settings, pii.keyed_hash(settings, "phone", applicant_phone))
    if not person:
        raise RuleError("applicant_phone", "Nobody has registered with this phone number.",
                        "该手机号未注册")
    owner = f"person:{person['id']}"
    form, prefilled = fill(settings, matter, form, owner=owner, agent_id=person["id"])
    clean = checked(matter, form, partial=False)
    at = clock.iso(now)
    app = model.new_application(matter, number=store.next_number(settings, at[:10]),
                                owner=owner, applicant=person["id"], channel="counter",
                                visits=1, at=at, query_code=new_query_code())
    app["prefilled"] = prefilled
    app["materials"] = {m["name"]: {"kind": "paper", "checked_by": who.subject, "at": at}
                        for m in matter.get("materials", [])}
    app = sealed_form(settings, app, matter, clean)
    store.create(settings, app, idem_key=None,
                 event=model.event("create", "-", "draft", at=at, by=by(who)),
                 audit=audit_record(who, "application.counter", app["id"], at=at,
                                    subject=app["owner"]))
    new = move(settings, who, app, "submit", "applicant", now=now)
    # The receipt by SMS as well as on paper: the applicant follows it without logging in.
    # The application stands without it (the counter prints the receipt from this answer).
    try:
        sms.send(settings, phone=applicant_phone, phone_hash=person["phone_hash"], at=at,
                 template="counter_receipt", params={
                     "matter": matter["name"], "number": app["id"],
                     "query_code": app["query_code"]})
    except (sms.SmsFailure, sms.SmsParamError):
        log.warning("receipt sms failed", extra={"application": app["id"]})
    return view(settings, new)


def record_visit(settings, who, app_id: str, *, now: datetime) -> dict:
    """The applicant came in person (the indicators count visits per matter)."""
    app = store.handled(settings, app_id, who.department, who.region)
    at = clock.iso(now)
    new = {**app, "visits": app.get("visits", 0) + 1, "updated": at}
    store.save(settings, new, expected=app["status"],
               event=model.event("visit", app["status"], app["status"], at=at, by=by(who)),
               audit=audit_record(who, "application.visit", app["id"], at=at,
                                  subject=app["owner"]))
    return view(settings, new)


def reveal(settings, who, app_id: str, fields: list[str], *, now: datetime) -> dict:
    """An officer of the handling department asks for personal values in full: audited
    (the field names only), and only for personal fields the application holds."""
    app = store.handled(settings, app_id, who.department, who.region)
    personal = held_personal(app, matter_of(settings, app)) | dict.fromkeys(app.get("sealed", {}))
    wanted = sorted(set(fields))
    bad = [f for f in wanted if f not in personal]
    if bad:
        raise RuleError("fields", "Only personal fields this application holds.",
                        fields={"fields": [f"not a personal field of this application: {f} "
                                           "(不是本申请的个人信息字段)" for f in bad]})
    plain = plain_form(settings, app)
    audit_only(settings, audit_record(who, "application.reveal", app["id"],
                                      at=clock.iso(now), detail={"fields": wanted},
                                      subject=app["owner"]))
    return {"application": app["id"], "fields": {f: plain[f] for f in wanted}}
