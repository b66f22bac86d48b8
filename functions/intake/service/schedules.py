"""The working-day calendar: holiday schedules loaded by administrators, cached briefly, and
the queue job that counts provisional deadlines again when a new year is known."""
from __future__ import annotations

import time
from datetime import datetime

from ...core import clock
from ...core.errors import Conflict, RuleError
from ...core.store import audit_record, enqueue
from .. import calendar as workdays
from .. import model, store

RECOMPUTE_JOB = "intake.recompute_deadlines"

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
                    None, "application.deadlines", app["id"], at=at, subject=app["owner"],
                    detail={"before": app["deadlines"]["current"],
                            "after": new["deadlines"]["current"]}))
            except Conflict:
                app = store.get(settings, app["id"])
                continue
            changed += 1
            break
    return {"recomputed": changed}
