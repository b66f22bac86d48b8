"""Intake use cases: apply, attach, submit, withdraw; officers accept, return, approve, reveal;
administrators load holiday schedules. Framework-free: settings, the principal, parsed input
and the time. Personal form values (ID numbers, phones) are sealed at rest and masked in
everything returned here, except reveal().

  applicants  create, mine, get, update_form, request_upload, attach_material, submit, withdraw
  officers    queue, officer_get, act, counter_intake, record_visit, reveal
  materials   the malware scan job (scan_material), view_material (an officer opens a file)
  schedules   the working-day calendar, load_holidays, the recompute_deadlines job
  corrections the daily correction schedule: reminders, then the lapse (run_corrections)
  prefill     fields the verified identity answers (filled by the server), preview
  vouched     materials the hall vouches for on an application it files (免申即享)
  receipts    progress: 办件查询 by number and query code, without logging in
  shared      personal values, the view of an application, writing a move
"""
from __future__ import annotations

from .applicants import (
    attach_material,
    create,
    get,
    mine,
    request_upload,
    submit,
    update_form,
    withdraw,
)
from .corrections import run_corrections
from .materials import SCAN_JOB, scan_material, view_material
from .officers import act, counter_intake, officer_get, queue, record_visit, reveal
from .prefill import preview as prefill
from .receipts import progress
from .schedules import RECOMPUTE_JOB, forget, load_holidays, recompute_deadlines, work_calendar
from .shared import plain_form
from .vouched import attach_vouched

# Queue jobs of this room: job name -> service function(settings, job). workers.py dispatches.
JOBS: dict = {RECOMPUTE_JOB: recompute_deadlines, SCAN_JOB: scan_material}

__all__ = ["JOBS", "act", "attach_material", "attach_vouched", "counter_intake", "create",
           "forget", "get",
           "load_holidays", "mine", "officer_get", "plain_form", "prefill", "progress", "queue",
           "record_visit", "recompute_deadlines", "request_upload", "reveal", "run_corrections",
           "scan_material", "submit",
           "update_form", "view_material", "withdraw", "work_calendar"]
