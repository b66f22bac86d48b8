"""Lambda entry points for the queue and the schedules: thin, like views."""
from __future__ import annotations

import json
import logging

from .core import clock, log
from .hall import store
from .settings import Settings

logger = logging.getLogger("hall.workers")
_settings: Settings | None = None


def configure(settings: Settings | None) -> None:
    """Set the settings the handlers use (Lambda reads them from the environment once)."""
    global _settings
    _settings = settings


def _config() -> Settings:
    if _settings is None:
        configure(Settings.from_env())
        log.configure(_settings.log_level)
    return _settings


def handle_job(settings: Settings, job: dict) -> dict:
    """One queue message. Jobs are safe to run twice: publishing twice only adds a version."""
    kind = job.get("job")
    if kind == "catalogue.publish":
        return store.publish(settings, actor=job.get("actor", "system"),
                             request_id=job.get("request_id"), at=clock.iso())
    raise ValueError(f"unknown job {kind!r}")


def handle_queue(event: dict, context=None) -> dict:
    """SQS batch: report failed records one by one so only they come back (partial batch)."""
    settings = _config()
    failures = []
    for record in event.get("Records", []):
        try:
            handle_job(settings, json.loads(record["body"]))
        except Exception:
            logger.exception("job failed", extra={"message_id": record.get("messageId")})
            failures.append({"itemIdentifier": record.get("messageId")})
    return {"batchItemFailures": failures}


def republish_if_dirty(event: dict | None = None, context=None) -> dict:
    """Every few minutes: publish when departments changed drafts since the last snapshot."""
    settings = _config()
    ptr = store.pointer(settings)
    if ptr["draft_rev"] <= ptr["published_rev"] and ptr["key"]:
        return {"published": False, "version": ptr["version"]}
    result = store.publish(settings, actor="schedule", request_id=None, at=clock.iso())
    return {"published": True, **result}
