"""The daily retention job (PIPL Art. 19, 47): what has passed the period written down in
retention_model.RETENTION is deleted or anonymised. Bounded: date-keyed partitions one Query
each from a watermark, applications through the month index, no Scan outside the local stage."""
from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

from botocore.exceptions import ClientError

from . import retention_model as model
from . import retention_store as store

log = logging.getLogger("hall.retention")
TTL_PREFIXES = ("SESSION#", "REFRESH#", "CODE#", "CHALLENGE#", "RATE#", "IDEM#", "DIGEST#",
                "SENT#", "VERIFY#")


def _partitions(settings, kind: str, at: datetime, since: str | None,
                until: str | None) -> int:
    spec = model.PARTITIONS[kind]
    end = model.cutoff(at, kind)
    if spec["unit"] == "hour":
        end = end.astimezone(UTC)  # export hours are UTC hours
    end = min(end.date().isoformat(), until or "9999")
    done = None if since else store.watermark(settings, kind)
    start = since or (model.after(done, spec["unit"]) if done else spec["earliest"])
    gone, last = 0, None
    for name in model.units(start, end, spec["unit"], spec["per_run"]):
        gone += store.delete_partition(settings, spec["prefix"] + name)
        last = name
    if last and not since:
        store.set_watermark(settings, kind, last, at.isoformat(timespec="seconds"))
    return gone


def _applications(settings, at: datetime, since: str | None,
                  until: str | None) -> dict[str, int]:
    from ..intake import retention_store as intake_store
    from ..intake.model import CLOSED
    from ..supervision.indicators_store import moved_applications
    from .store import audit_record

    spec = model.MONTHS["application"]
    before = model.cutoff(at, "application")
    done = None if since else store.watermark(settings, "application")
    start = since[:7] if since else (model.after(done, "month") if done else spec["earliest"])
    out = {"applications": 0, "materials": 0}
    iso = at.isoformat(timespec="milliseconds")
    last = None
    # `until` is a day (exclusive): the months that begin before it.
    last_month = until[:7] if not until or until[8:10] == "01" else model.after(until[:7], "month")
    end = min(before.date().isoformat()[:7], last_month or "9999")
    for month in model.units(start, end, "month", spec["per_run"]):
        for app_id in moved_applications(settings, month):
            items = intake_store.partition(settings, app_id)
            head = next((i for i in items if i["sk"]["S"] == "A"), None)
            if head is None:
                continue
            app = json.loads(head["doc"]["S"])
            if not model.expired_application(app, before.isoformat(), CLOSED):
                continue
            try:
                intake_store.anonymise(
                    settings, app, items, doc=model.anonymised_application(app, iso),
                    event_doc=model.anonymised_event,
                    audit=audit_record(None, "retention.anonymise", app_id, at=iso,
                                       detail={"kind": "application", "month": month}))
            except ClientError as err:
                if err.response["Error"]["Code"] != "TransactionCanceledException":
                    raise
                continue  # it changed since it was read: the next run looks again
            out["materials"] += intake_store.delete_materials(settings, app)
            out["applications"] += 1
        last = month
    if last and not since:
        store.set_watermark(settings, "application", last, iso)
    return out


def run(settings, *, at: datetime, since: str | None = None, until: str | None = None) -> dict:
    """One pass. `since` (a day) walks from there instead of from the watermarks, which it
    leaves alone, and `until` (a day, exclusive) ends the walks early: a backfill of a range,
    or a test moving the clock. The daily run's watermarks only ever move forward."""
    counts = {kind: _partitions(settings, kind, at, since, until) for kind in model.PARTITIONS}
    counts.update(_applications(settings, at, since, until))
    if getattr(settings, "local", False):
        # The emulator never expires `ttl` items (AWS does: the template turns TTL on).
        counts["expired"] = store.sweep_expired(settings, int(at.timestamp()), TTL_PREFIXES)
        counts["dev_outbox"] = store.dev_outbox_before(
            settings, model.cutoff(at, "dev_outbox").isoformat(timespec="milliseconds"))
    log.info("retention", extra={"retention_" + k: v for k, v in counts.items()
                                 if isinstance(v, int)})
    return counts
