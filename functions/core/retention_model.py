"""How long each kind of personal record is kept, and why (PIPL), as data; pure helpers.

PIPL Art. 19: personal information is kept for the shortest time the purpose needs, unless a
law sets a period; Art. 47: past it, the handler deletes it (or, where deletion is technically
impossible, stops all processing but storage and security). Anonymised data is no longer
personal information (Art. 73(4)), so counts the indicators need may stay.

`how` says who enforces the period:
  partition  the daily retention job deletes the record's date-keyed partitions past the period
             (one Query per day/hour partition, a watermark so each is read once: no Scan)
  months     the daily job anonymises what the month index (INDAPP#<month>) names, past the period
  ttl        the record carries `ttl`; DynamoDB's TTL deletes it in AWS, and readers compare
             expiry on read; the local stack's emulator never expires items, so there (and only
             there: a small table) the daily job deletes expired ones by a filtered Scan
  local      the record exists in the local stage only: the daily job deletes it there by a
             filtered Scan (no deployed stage has it)
  owner      removed by its owner's own flow (named), not by the schedule
"""
from __future__ import annotations

import json
from datetime import date, datetime, timedelta

# kind -> period in days (None: as long as the account or the named flow keeps it),
# how, the keys, the reason. README.md "Backup, restore and retention" shows this table.
RETENTION: dict[str, dict] = {
    "session": {"days": 1, "how": "ttl", "keys": "SESSION#, REFRESH#",
                "why": "authentication only; a session ends after 12 h (PIPL Art. 19)"},
    "sms_code": {"days": 1, "how": "ttl", "keys": "CODE#, CHALLENGE#",
                 "why": "a code is good for 5 minutes (PIPL Art. 19)"},
    "rate_limit": {"days": 1, "how": "ttl", "keys": "RATE#",
                   "why": "abuse protection over a short window (PIPL Art. 13(7), 19)"},
    "idempotency": {"days": 1, "how": "ttl", "keys": "IDEM#",
                    "why": "one create per key for a day"},
    "dev_outbox": {"days": 1, "how": "local", "keys": "DEVOUTBOX# (local stage only)",
                   "why": "a developer reads the code at once; no deployed stage has it"},
    "audit": {"days": 3 * 366, "how": "partition", "keys": "AUDIT#<day>",
              "why": "Cybersecurity Law Art. 21(3): network logs at least 6 months; PIPL "
                     "Art. 56: records of personal-information handling at least 3 years"},
    "search_miss": {"days": 90, "how": "partition", "keys": "SEARCHMISS#<day>",
                    "why": "what people typed may name them; editors need one quarter"},
    "export_event": {"days": 400, "how": "partition", "keys": "EXPORT#<UTC hour>",
                     "why": "the provincial export resends within a year; the province keeps "
                            "its own copy (ttl as well)"},
    "application": {"days": 5 * 366, "how": "months", "keys": "APP#<no> (A, E#, SCAN#), the "
                    "owner's APP# pointer, materials uploads/<no>/ in S3, RATING#<no> comment",
                    "why": "the department's file (档案法, GB/T 18894) holds the record of a "
                           "decision; the hall keeps its copy 5 years after the last move for "
                           "appeals and reviews (行政复议法 / 行政诉讼法 time limits), then keeps "
                           "only what the indicators count: status, matter, department, "
                           "region, channel, times"},
    "inbox": {"days": None, "how": "owner", "keys": "<party> INBOX#",
              "why": "the person's own messages, kept while the account is; shown masked"},
    "push_subscription": {"days": None, "how": "owner", "keys": "<account> PUSHSUB#",
                          "why": "deleted on 404/410 from the push service, on logout of the "
                                 "device or by the person"},
    "digest": {"days": 30, "how": "ttl", "keys": "DIGEST#", "why": "a day's held messages"},
    "sent_marker": {"days": 90, "how": "ttl", "keys": "SENT#, VERIFY#",
                    "why": "a delivery is not repeated; a message can be verified 90 days"},
    "page_use": {"days": 400, "how": "ttl", "keys": "<party> SEEN#<month>",
                 "why": "the monthly use rate counts a party once"},
    "rating_comment": {"days": 5 * 366, "how": "months", "keys": "RATING#<application>",
                       "why": "removed with its application's personal data (the public "
                              "copy is masked; the level counters stay)"},
    "consultation": {"days": None, "how": "owner", "keys": "QUESTION#<id>",
                     "why": "texts are masked at rest, the original sealed; kept while the "
                            "asker's account is (not yet scheduled: no month index)"},
}

# The day (hour, month) partitions each partition kind walks, from where data can begin: the
# hall's records start in 2026, so nothing is read until a period has passed since then (data
# migrated from an older system: a backfill, `retention.run(..., since=<its first day>)`).
PARTITIONS = {
    "audit": {"prefix": "AUDIT#", "unit": "day", "earliest": "2026-01-01", "per_run": 400},
    "search_miss": {"prefix": "SEARCHMISS#", "unit": "day", "earliest": "2026-01-01",
                    "per_run": 400},
    "export_event": {"prefix": "EXPORT#", "unit": "hour", "earliest": "2026-01-01",
                     "per_run": 24 * 14},
}
MONTHS = {"application": {"earliest": "2026-01", "per_run": 24}}
TTL_KINDS = tuple(k for k, v in RETENTION.items() if v["how"] == "ttl")

# What an anonymised application keeps: what the indicators, the reconciliation and the
# provincial export count. Everything else (form, materials, owner, applicant, query code,
# correction texts, reasons) goes.
APP_KEEP = ("id", "matter", "matter_name", "department", "region", "status", "channel",
            "visits", "created", "updated", "submitted", "accepted", "completed", "deadlines",
            "kind", "online_depth")
EVENT_KEEP = ("at", "action", "action_zh", "from", "to")


def cutoff(at: datetime, kind: str) -> datetime:
    return at - timedelta(days=RETENTION[kind]["days"])


def units(start: str, end: str, unit: str, limit: int) -> list[str]:
    """The partition names from `start` up to (not including) `end`, at most `limit`:
    days 'YYYY-MM-DD', hours 'YYYY-MM-DDTHH' (start/end as days), months 'YYYY-MM'."""
    out: list[str] = []
    if unit == "month":
        y, m = map(int, start.split("-")[:2])
        while f"{y:04d}-{m:02d}" < end[:7] and len(out) < limit:
            out.append(f"{y:04d}-{m:02d}")
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        return out
    day, last = date.fromisoformat(start[:10]), end[:10]
    while day.isoformat() < last and len(out) < limit:
        if unit == "hour":
            out.extend(f"{day.isoformat()}T{h:02d}" for h in range(24))
        else:
            out.append(day.isoformat())
        day += timedelta(days=1)
    return out[:limit]


def after(unit_name: str, unit: str) -> str:
    """The partition after `unit_name` (the next start of a walk)."""
    if unit == "month":
        y, m = map(int, unit_name.split("-"))
        return f"{y + 1:04d}-01" if m == 12 else f"{y:04d}-{m + 1:02d}"
    return (date.fromisoformat(unit_name[:10]) + timedelta(days=1)).isoformat()


def expired_application(app: dict, before: str, closed: frozenset) -> bool:
    """Closed (no move can follow) and its last move older than `before` (ISO)."""
    return app.get("status") in closed and app.get("updated", "") < before \
        and not app.get("anonymised")


def anonymised_application(app: dict, at: str) -> dict:
    out = {k: app[k] for k in APP_KEEP if k in app}
    out.update(anonymised=at, materials_count=len(app.get("materials") or {}),
               owner_kind=(app.get("owner") or "person:").split(":", 1)[0])
    return out


def anonymised_event(doc: str) -> str:
    event = json.loads(doc)
    return json.dumps({k: event[k] for k in EVENT_KEEP if k in event}, ensure_ascii=False,
                      sort_keys=True)
