"""The provincial export's use cases: the hourly run (closed hours after the watermark, in
deterministic batches, to the bucket or the endpoint; the watermark moves only after a write
succeeded; one run at a time by a lease) and the status supervisors read."""
from __future__ import annotations

import json
import logging
import secrets
import time
from datetime import datetime, timedelta

from botocore.exceptions import BotoCoreError, ClientError

from . import exports_model as model
from . import exports_store as store

log = logging.getLogger("hall.supervision.export")
# A run stops starting new batches after this long (Lambda's timeout is 30 s); the next run
# carries on from the watermark.
BUDGET_SECONDS = 20.0
# Without a watermark (the first run ever) the export starts this far back; `--from` reaches
# further.
FIRST_RUN_HOURS = 48
# The lag looks this many hours past the watermark for the oldest waiting event (normally the
# current and the previous hour wait; a watermark further behind gives an upper bound).
LAG_LOOKAHEAD_HOURS = 4


def run(settings, *, now: datetime, start: str | None = None, batch: int = model.BATCH,
        budget_seconds: float = BUDGET_SECONDS) -> dict:
    """Export every closed hour after the watermark (or from the hour of `start`, a replay).
    Safe to run twice and concurrently: a second run finds the lease taken and does nothing."""
    run_id = secrets.token_hex(8)
    if not store.take_lease(settings, run_id, now):
        log.info("export skipped: another run holds the lease")
        return {"skipped": "leased", **status(settings, now=now)}
    result = {"run": run_id, "at": now.isoformat(), "events": 0, "objects": [], "ok": True}
    try:
        state = store.state(settings)
        if start:
            state = {"hour": _hour_before(model.hour_of(start))}
            store.advance(settings, run_id, hour=state["hour"], hour_in=None, after=None)
        _export(settings, run_id, state, now=now, batch=batch, result=result,
                deadline=time.monotonic() + budget_seconds)
    except (ClientError, BotoCoreError, OSError) as err:
        # The sink or the table refused: the watermark stays before the failed batch; the
        # next run (hourly, or a retry) sends it again under the same name.
        result.update(ok=False, error=f"{type(err).__name__}: {err}"[:300])
        log.error("export failed", extra={"error": result["error"], "run": run_id})
    finally:
        store.release(settings, run_id, last_run={
            k: result[k] for k in ("run", "at", "events", "ok") if k in result}
            | {"objects": len(result["objects"]), "error": result.get("error")})
    return {**result, **status(settings, now=now)}


def _hour_before(hour: str) -> str:
    return (model.hour_start(hour) - timedelta(hours=1)).strftime("%Y-%m-%dT%H")


def _export(settings, run_id: str, state: dict, *, now: datetime, batch: int, result: dict,
            deadline: float) -> None:
    first = state.get("hour_in") or model.hour_of(
        (now - timedelta(hours=FIRST_RUN_HOURS)).isoformat())
    done = state.get("hour")
    for hour in model.closed_hours(done, now, start=first):
        after = state.get("after") if state.get("hour_in") == hour else None
        pending: list[dict] = []
        for sk, ev in store.hour_events(settings, hour, after=after):
            pending.append(ev)
            if len(pending) == batch:
                _send(settings, hour, pending, result)
                store.advance(settings, run_id, hour=done, hour_in=hour, after=sk)
                pending = []
                if time.monotonic() > deadline:
                    return
        if pending:
            _send(settings, hour, pending, result)
        store.advance(settings, run_id, hour=hour, hour_in=None, after=None)
        done = hour
        if time.monotonic() > deadline:
            return


def _send(settings, hour: str, events: list[dict], result: dict) -> None:
    name = model.object_name(hour, events)
    body = model.jsonl(events)
    if settings.export_endpoint:
        store.post(settings, name, body)
    else:
        store.put_object(settings, name, body)
    result["events"] += len(events)
    result["objects"].append(name)


def status(settings, *, now: datetime) -> dict:
    """The watermark, the lag (the age of the oldest unexported event, logged as a metric
    line) and the last run."""
    state = store.state(settings)
    oldest, bound = _oldest_waiting(settings, state, now)
    lag = model.lag_seconds(oldest["at"] if oldest else None, now)
    if bound is not None:  # nothing found near the watermark: its end bounds the lag
        lag = max(lag, (now - bound).total_seconds())
    log.info("export lag", extra={"metric": "export_lag_seconds", "value": round(lag, 1),
                                  "watermark": state.get("hour")})
    last = json.loads(state["last_run"]) if state.get("last_run") else None
    return {"watermark": {"hour": state.get("hour"), "hour_in": state.get("hour_in")},
            "lag_seconds": round(lag, 1), "lag_bound": bound is not None,
            "oldest_waiting": oldest["at"] if oldest else None,
            "last_run": last, "sink": "endpoint" if settings.export_endpoint else "bucket"}


def _oldest_waiting(settings, state: dict, now: datetime) -> tuple[dict | None, datetime | None]:
    """The first event after the watermark, looking a bounded number of hours ahead (one
    Query each, Limit 1); with none found and the look-ahead exhausted before `now`, the
    start of the first hour not looked at (the lag is then at most `now` minus that: the
    watermark's staleness, reported as a bound)."""
    hour = state.get("hour_in")
    if hour:
        ev = store.first_event(settings, hour, after=state.get("after"))
        if ev:
            return ev, None
        hour = model.next_hour(hour)
    elif state.get("hour"):
        hour = model.next_hour(state["hour"])
    else:  # never run: the recent hours (the first run starts FIRST_RUN_HOURS back)
        hour = model.hour_of((now - timedelta(hours=LAG_LOOKAHEAD_HOURS - 1)).isoformat())
    current = model.hour_of(now.isoformat())
    for _ in range(LAG_LOOKAHEAD_HOURS):
        if hour > current:
            return None, None
        ev = store.first_event(settings, hour)
        if ev:
            return ev, None
        hour = model.next_hour(hour)
    return None, model.hour_start(hour) if hour <= current else None
