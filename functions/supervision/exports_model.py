"""The provincial export's rules: the process event's shape (no personal data), its hour
partition and sort key, deterministic batches and object names, the lag. Pure."""
from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

SCHEMA_VERSION = 1
# Fields an event may carry besides id/kind/at/schema: ids, codes, states and counts only.
# Free text (comments, notes, reasons) and personal numbers never leave: `applicant` is a
# keyed hash the caller never sees in the clear (exports.event_item makes it).
FIELDS = frozenset({
    "application", "matter", "department", "region", "status", "from", "channel", "action",
    "actor_role", "due", "visits", "applicant",
    # ratings (part Q)
    "rating", "level", "tags", "rectification",
    # cards (part N)
    "card", "colour", "card_kind", "question", "state",
})
SCALARS = (str, int, float, bool, type(None))
# Events of an hour are exported in batches of this many, counted from the hour's first event,
# so a rerun cuts the same batches and writes the same objects.
BATCH = 1000
# An hour is exported once it has been over this long: a transaction stamped a moment before
# the hour ended has committed by then.
SETTLE = timedelta(minutes=2)
# How long the event rows stay in the table for a replay (the bucket keeps its objects).
RETENTION_DAYS = 400
LEASE_SECONDS = 300


def utc(at: str) -> datetime:
    """An ISO time (any offset) as an aware UTC datetime."""
    dt = datetime.fromisoformat(at.replace("Z", "+00:00"))
    if dt.tzinfo is None:
        raise ValueError(f"time without offset: {at!r}")
    return dt.astimezone(UTC)


def hour_of(at: str) -> str:
    """The UTC hour partition of a time: 'YYYY-MM-DDTHH'."""
    return utc(at).strftime("%Y-%m-%dT%H")


def sort_key(at: str, event_id: str) -> str:
    """Sorts by UTC time inside the hour whatever the offset the time was written with."""
    return f"{utc(at).strftime('%Y-%m-%dT%H:%M:%S.%f')}Z#{event_id}"


def hour_start(hour: str) -> datetime:
    return datetime.strptime(hour, "%Y-%m-%dT%H").replace(tzinfo=UTC)


def next_hour(hour: str) -> str:
    return (hour_start(hour) + timedelta(hours=1)).strftime("%Y-%m-%dT%H")


def closed_hours(after: str | None, now: datetime, *, start: str) -> list[str]:
    """The hours after `after` (or from `start` when there is none) that have ended and
    settled by `now`, oldest first."""
    hour = next_hour(after) if after else start
    out = []
    while hour_start(hour) + timedelta(hours=1) + SETTLE <= now:
        out.append(hour)
        hour = next_hour(hour)
    return out


def event(kind: str, doc: dict, *, at: str, event_id: str) -> dict:
    """The exported event: the allowed fields of `doc` with id, kind, time and schema.
    A field outside FIELDS or a value that is not a scalar (or a list of strings) is a
    programming error: raised, so it shows in the caller's tests and never leaves."""
    if not kind or not isinstance(kind, str):
        raise ValueError("an event needs a kind")
    unknown = set(doc) - FIELDS
    if unknown:
        raise ValueError(f"fields not allowed in a process event: {sorted(unknown)}")
    for name, value in doc.items():
        ok = isinstance(value, SCALARS) or (
            isinstance(value, list) and all(isinstance(v, str) for v in value))
        if not ok:
            raise ValueError(f"event field {name!r} must be a scalar or a list of strings")
    utc(at)  # a time with an offset, or ValueError
    return {"schema": SCHEMA_VERSION, "id": event_id, "kind": kind, "at": at,
            **{k: v for k, v in sorted(doc.items()) if v is not None}}


def move_doc(before: dict, after: dict, action: str) -> dict:
    """The fields of an application move's event (the applicant is hashed by the caller)."""
    deadlines = after.get("deadlines") or {}
    return {"application": after["id"], "matter": after["matter"],
            "department": after["department"], "region": after["region"],
            "from": before["status"], "status": after["status"], "action": action,
            "channel": after.get("channel"), "visits": after.get("visits"),
            "due": deadlines.get("current")}


def batches(events: list[dict], size: int = BATCH) -> list[list[dict]]:
    return [events[i:i + size] for i in range(0, len(events), size)]


def object_name(hour: str, batch: list[dict]) -> str:
    """Derived from the hour and the batch's first and last event: a rerun of the same batch
    overwrites the same object, never writes a second copy."""
    day, hh = hour.split("T")
    y, m, d = day.split("-")
    return f"events/{y}/{m}/{d}/{hh}/{hour}_{batch[0]['id']}_{batch[-1]['id']}.jsonl"


def jsonl(batch: list[dict]) -> bytes:
    return "".join(json.dumps(e, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
                   + "\n" for e in batch).encode()


def lag_seconds(oldest_at: str | None, now: datetime) -> float:
    """The age of the oldest unexported event (0 when nothing waits)."""
    if oldest_at is None:
        return 0.0
    return max(0.0, (now - utc(oldest_at)).total_seconds())
