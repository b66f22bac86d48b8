"""Recurring reminders as data (data/reminders.json): on the days a rule falls due, a system
campaign (approved by the rule itself, no officer) through the same planner and queue."""
from __future__ import annotations

import dataclasses
import json
import re
from datetime import date, datetime, timedelta
from functools import cache
from pathlib import Path

from ..core import clock
from ..core import store as core_store
from . import campaigns_model as model
from . import campaigns_store as store
from . import planner

DATA = Path(__file__).with_name("data") / "reminders.json"
SYSTEM_DEPARTMENT = "SYSTEM"
_WHEN = re.compile(r"^(\d{1,3}) days? before$")
_ID = re.compile(r"^[a-z][a-z0-9-]{2,40}$")


@dataclasses.dataclass(frozen=True)
class Reminder:
    id: str
    audience: str
    topic: str
    template: str
    days: int
    deadline: str | None = None     # a rule id of pages/data/deadlines.json
    item: str | None = None         # the deadline_reminder's item text
    licence_expiry: bool = False


def _deadline_rules() -> dict:
    from ..pages import service as pages

    return {r.id: r for r in pages.rules()}


def parse(doc: dict, deadline_rules: dict) -> tuple[Reminder, ...]:
    """The file's rules, checked: a bad rule fails at load, not on the day it is due."""
    out = []
    for i, raw in enumerate(doc["rules"]):
        where = f"reminders.json rule {i}"
        when = _WHEN.match(str(raw.get("when", "")))
        if not _ID.match(str(raw.get("id", ""))) or not when:
            raise ValueError(f"{where}: needs an id and when: 'N days before'")
        rem = Reminder(id=raw["id"], audience=raw["audience"], topic=raw["topic"],
                       template=raw["template"], days=int(when.group(1)),
                       deadline=raw.get("deadline"), item=raw.get("item"),
                       licence_expiry=raw.get("source") == "licence_expiry")
        if rem.audience not in model.AUDIENCES:
            raise ValueError(f"{where}: audience person or enterprise")
        if rem.licence_expiry == bool(rem.deadline):
            raise ValueError(f"{where}: either a deadline or source licence_expiry")
        if rem.deadline:
            rule = deadline_rules.get(rem.deadline)
            if rule is None or rule.audience != rem.audience or rule.kind == "relative":
                raise ValueError(f"{where}: {rem.deadline} is no dated {rem.audience} deadline")
        model.template_params(rem.template, rem.topic, _params(rem, "2000-01-01"))
        out.append(rem)
    if len({r.id for r in out}) != len(out):
        raise ValueError("reminders.json: duplicate ids")
    return tuple(out)


@cache
def reminders() -> tuple[Reminder, ...]:
    return parse(json.loads(DATA.read_text(encoding="utf-8")), _deadline_rules())


def _params(rem: Reminder, due: str) -> dict:
    if rem.licence_expiry:
        return {"licence": "证照", "date": due}  # each recipient's licence name by the planner
    return {"item": rem.item, "date": due}


def deadline_dates(settings, rem: Reminder, today: date) -> list[date]:
    """The rule's deadline dates from today to N days ahead, as the pages compute them (the
    party's conditions aside: subscribing to the topic is the interest shown)."""
    from ..intake.service import schedules
    from ..pages import model as pages_model
    from ..pages import service as pages

    rule = dataclasses.replace(_deadline_rules()[rem.deadline], when=())
    got = pages_model.upcoming([rule], audience=rem.audience, facts={}, today=today,
                               days=rem.days, workdays=schedules.work_calendar(settings),
                               published=pages.published(settings))
    return sorted({date.fromisoformat(d["date"]) for d in got
                   if date.fromisoformat(d["date"]) - today <= timedelta(days=rem.days)})


def due_today(settings, rem: Reminder, today: date) -> list[str]:
    """The dates this reminder is about on `today`: a deadline within N days (built once on
    the first run inside the window, so a missed daily run is caught up), or the licences
    expiring exactly N days from today."""
    if rem.licence_expiry:
        return [(today + timedelta(days=rem.days)).isoformat()]
    return [d.isoformat() for d in deadline_dates(settings, rem, today)]


def campaign_of(rem: Reminder, due: str, now: datetime) -> dict:
    at = clock.iso(now)
    segment = {"audience": rem.audience}
    if rem.licence_expiry:
        segment["licence_expires"] = due
    what = "a licence expiring" if rem.licence_expiry else f"the deadline {rem.deadline}"
    return {"id": f"rem-{rem.id}-{due.replace('-', '')}", "name": f"提醒 {rem.id} {due}"[:40],
            "topic": rem.topic, "template": rem.template,
            "params": model.template_params(rem.template, rem.topic, _params(rem, due)),
            "segment": segment, "urgent": False, "legal": model.legal(rem.template),
            "state": "approved", "author": model.SYSTEM, "approver": model.SYSTEM,
            "department": SYSTEM_DEPARTMENT, "created": at, "approved_at": at,
            "rule": f"recurring reminder {rem.id}: {rem.days} days before {what} on {due}; "
                    f"subscribed to {rem.topic}"}


def run(settings, *, now: datetime) -> dict:
    """Daily (safe at any moment): build today's due reminders, each once, and hand them to
    the planner (their due markers let the schedule hand them again if that job is lost)."""
    created = []
    for rem in reminders():
        for due in due_today(settings, rem, now.date()):
            campaign = campaign_of(rem, due, now)
            audit = core_store.audit_record(None, "campaign.reminder",
                                            f"campaign:{campaign['id']}", at=campaign["created"])
            if store.create(settings, campaign, audit=audit):
                planner.request_plan(settings, campaign["id"])
                created.append(campaign["id"])
    return {"created": created}
