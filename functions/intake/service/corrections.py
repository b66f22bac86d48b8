"""The correction schedule: reminders before a correction deadline and the lapse after it.
Run daily (and safe to run at any moment, any number of times): each reminder and each lapse
is written once, conditional on the application's correction mark, so a run racing a
resubmission or another run changes nothing twice and never lapses a resubmitted application."""
from __future__ import annotations

import logging
from datetime import datetime

from botocore.exceptions import ClientError

from ...core import clock
from ...core.errors import Conflict, NotFound
from ...core.store import audit_record
from .. import model, store
from .schedules import work_calendar
from .shared import move

log = logging.getLogger("hall.intake")


def run_corrections(settings, *, now: datetime | None = None) -> dict:
    """Remind applicants whose correction deadline is near; lapse those past it."""
    now = now or clock.now()
    today = now.astimezone(clock.CHINA).date()
    calendar = work_calendar(settings)
    horizon = calendar.add_workdays(today, model.REMIND_BEFORE_DAYS).due.isoformat()
    done = {"reminded": 0, "lapsed": 0}
    for mark in store.corrections_due(settings, horizon):
        try:
            app = store.get(settings, mark["app"])
        except NotFound:
            store.drop_correction_mark(settings, mark["app"], mark["due"])
            continue
        if (app.get("correction") or {}).get("due") != mark["due"] or app["status"] != "returned":
            store.drop_correction_mark(settings, mark["app"], mark["due"])
            continue
        phase = model.correction_phase(app, today, calendar)
        if phase == "lapse" and _lapse(settings, app, now):
            done["lapsed"] += 1
        elif phase == "remind" and not mark["reminded"] and _remind(settings, app, now):
            done["reminded"] += 1
    return done


def _lapse(settings, app: dict, now: datetime) -> bool:
    try:
        move(settings, None, app, "lapse", "system", now=now,
             note={"correction_due": app["correction"]["due"]})
    except Conflict:
        return False  # resubmitted or withdrawn meanwhile
    except ClientError as err:
        if err.response.get("Error", {}).get("Code") == "TransactionCanceledException":
            return False  # its correction mark went with a resubmission meanwhile
        raise
    log.info("application lapsed", extra={"application": app["id"]})
    return True


def _remind(settings, app: dict, now: datetime) -> bool:
    at, due = clock.iso(now), app["correction"]["due"]
    return store.remind_correction(
        settings, app["id"], due,
        notice={"owner": app["owner"], "kind": "application", "at": at,
                "title": "办件补正即将到期", "link": f"/#/applications/{app['id']}",
                "body": f"您申请的“{app['matter_name']}”需要补正，请在{due}前补正后重新提交，"
                        "逾期申请将失效。"},
        audit=audit_record(None, "application.correction_reminder", app["id"], at=at,
                           detail={"due": due}, subject=app["owner"]))
