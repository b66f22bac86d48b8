"""办件查询: anyone holding an application's receipt (its number and query code) follows its
progress without logging in; nothing personal is shown, and a wrong number and a wrong code
are refused alike, rate-limited per client address."""
from __future__ import annotations

import hmac
from datetime import datetime

from ...core.errors import NotFound
from ...core.store import rate_hit
from .. import model, store

# Per client address: enough for a family checking a few applications, far too few to guess
# a code (about 10^12 of them).
LIMIT, WINDOW = 20, 600


def progress(settings, *, number: str, code: str, client: str, now: datetime) -> dict:
    rate_hit(settings, "progress", client, limit=LIMIT, window=WINDOW,
             now_epoch=int(now.timestamp()))
    refused = NotFound("No application with this number and query code.")
    try:
        app = store.get(settings, number)
    except NotFound:
        raise refused from None
    held = app.get("query_code") or ""
    # compare_digest: the time taken says nothing about how much of a code was right.
    if not hmac.compare_digest(held.encode(), code.encode()) or app["status"] == "draft":
        raise refused
    return model.public_progress(app, store.events(settings, app["id"]))
