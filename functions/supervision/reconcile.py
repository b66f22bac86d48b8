"""The reconciliation of a month's indicator counters with the source records.

`month(records, counters)` is pure: it recounts the month from the applications' events (one
pass, state per application only for "accepted before?") and names every counter that differs.
`run(settings, month)` is the job: it reads the month's counters (one Query), the applications
that moved that month (their markers) and each one's timeline (one Query per application,
never a Scan), reports the drift as a structured warning, and with `fix` adds the deltas.

A record: {application, department, region, channel, action, from, to, at, licence_types}
(licence_types: the e-licence types an approval of the matter issued, else empty); records of
one application come in time order, earlier months' events included (they tell whether an
acceptance is the first).
"""
from __future__ import annotations

import logging
from collections.abc import Iterable

from .indicators_model import ACTIVITY, ELICENCE

log = logging.getLogger("hall.supervision")
COMPLETED = frozenset({"approved", "refused"})


def _compared(name: str) -> bool:
    return name in ACTIVITY or name.startswith(ELICENCE)


def recount(records: Iterable[dict], month: str | None = None) -> dict[tuple[str, str], dict]:
    """(department, region) -> the counters the records of `month` (all, if None) add up to."""
    out: dict[tuple[str, str], dict[str, int]] = {}
    accepted: set[str] = set()
    for r in records:
        action, channel = r["action"], r["channel"]
        first_accept = action == "accept" and r["application"] not in accepted
        if action == "accept":
            accepted.add(r["application"])
        if month is not None and r["at"][:7] != month:
            continue
        names = []
        if action == "submit" and r["from"] == "draft":
            names.append(f"submitted_{channel}")
        if first_accept:
            names.append(f"accepted_{channel}")
        if r["to"] in COMPLETED and r["from"] not in COMPLETED:
            names.append(f"completed_{channel}")
        if r["to"] == "approved":
            names += [ELICENCE + t for t in r.get("licence_types") or ()]
        if names:
            row = out.setdefault((r["department"], r["region"]), {})
            for n in names:
                row[n] = row.get(n, 0) + 1
    return out


def month(records: Iterable[dict], counters: dict[tuple[str, str], dict],
          *, month: str | None = None) -> dict:
    """The drift report: every (department, region, counter) whose stored value differs from
    the recount, with both values and the delta that would fix it."""
    got = recount(records, month)
    drift = []
    for dept, region in sorted(set(got) | set(counters)):
        have, want = counters.get((dept, region), {}), got.get((dept, region), {})
        for name in sorted({n for n in (*have, *want) if _compared(n)}):
            if have.get(name, 0) != want.get(name, 0):
                drift.append({"department": dept, "region": region, "counter": name,
                              "stored": have.get(name, 0), "recounted": want.get(name, 0),
                              "delta": want.get(name, 0) - have.get(name, 0)})
    return {"month": month, "rows": len(got), "drift": drift, "ok": not drift}


def _records(settings, month_: str):
    """The source records of the month: each moved application's events, in time order."""
    from ..licences import model as licences_model
    from . import indicators_store as store

    for app_id in store.moved_applications(settings, month_):
        doc, events = store.timeline(settings, app_id)
        if doc is None:
            continue
        issued = licences_model.types_issued_by(doc["matter"]) if doc.get("licences") else []
        for e in sorted(events, key=lambda e: e["at"]):
            yield {"application": app_id, "department": doc["department"],
                   "region": doc["region"], "channel": doc["channel"], "action": e["action"],
                   "from": e["from"], "to": e["to"], "at": e["at"], "licence_types": issued}


def run(settings, month_: str, *, fix: bool = False) -> dict:
    """Reconcile one month; with `fix` the deltas are added to the counters (ADD: safe
    while new events keep counting) and the fix is audited."""
    from ..core import clock
    from ..core import store as core_store
    from . import indicators_store as store

    counters = store.month_counters(settings, month_)
    report = month(_records(settings, month_), counters, month=month_)
    if not report["ok"]:
        log.warning("indicator counters drift", extra={
            "month": month_, "drift": report["drift"], "fixed": fix})
        if fix:
            for d in report["drift"]:
                store.add(settings, month_, d["department"], d["region"],
                          **{d["counter"]: d["delta"]})
            core_store.audit_only(settings, core_store.audit_record(
                None, "indicators.reconcile_fix", month_, at=clock.iso(),
                detail={"counters": len(report["drift"]),
                        "delta": sum(d["delta"] for d in report["drift"])}))
    report["fixed"] = fix and not report["ok"]
    return report


def months_due(today) -> list[str]:
    """The daily job's months: the current one, and the previous during the first 3 days
    (its last events may have counted just before the month turned)."""
    this = today.strftime("%Y-%m")
    if today.day > 3:
        return [this]
    prev = f"{today.year - 1}-12" if today.month == 1 else f"{today.year}-{today.month - 1:02d}"
    return [prev, this]


def daily(settings, *, now) -> dict:
    """The schedule: report (never fix) the drift of the months due."""
    from ..core import clock

    today = now.astimezone(clock.CHINA).date()
    reports = [run(settings, m) for m in months_due(today)]
    return {"ok": all(r["ok"] for r in reports), "months": reports}
