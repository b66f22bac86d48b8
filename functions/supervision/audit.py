"""The supervisors' audit query (the records stay in core's store, written with each change):
a day's records, or one actor's, a page at a time."""
from __future__ import annotations

from datetime import date

from ..core import store as core_store


def audit_query(settings, who, *, day: date, actor: str | None = None,
                action: str | None = None, limit: int = 50,
                start: dict | None = None) -> tuple[list[dict], dict | None]:
    """A day's audit records, or one actor's (their own index, so a page holds `limit` of
    theirs); the page position is the storage key to go on from."""
    return core_store.audit_query(settings, day=day.isoformat(), actor=actor, action=action,
                                  limit=limit, start=start)
