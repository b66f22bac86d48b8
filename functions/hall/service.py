"""Hall use cases: publishing the catalogue (and, as the room is reshaped, the reads and the
departments' maintenance). Framework-free: settings, the principal, parsed input, the time."""
from __future__ import annotations

from ..core import clock
from . import store


def publish(settings, *, actor: str = "system", at: str | None = None) -> dict:
    """Build and publish a snapshot of the drafts (seconds of work: a queue job)."""
    from ..core import log

    return store.publish(settings, actor=actor, request_id=log.request_id(),
                         at=at or clock.iso())


def republish_if_dirty(settings) -> dict:
    """Publish when departments changed drafts since the last snapshot."""
    ptr = store.pointer(settings)
    if ptr["draft_rev"] <= ptr["published_rev"] and ptr["key"]:
        return {"published": False, "version": ptr["version"]}
    return {"published": True, **publish(settings, actor="schedule")}


def _publish_job(settings, job: dict) -> dict:
    return publish(settings, actor=job.get("actor", "system"))


# Queue jobs of this room: job name -> service function(settings, job). workers.py dispatches.
JOBS = {"catalogue.publish": _publish_job}
