"""The per-request checks' one read: the token's session and, when it acts for an enterprise or
a person, the legal-representative link and the grant it names, in one BatchGetItem (strongly
consistent, as each owner's own GetItem is). The keys and the item parsing stay with their
owners (sessions, enterprises, grants); this module only reads them together."""
from __future__ import annotations

import time

from ...core.errors import Unavailable
from ...core.store import ddb
from . import enterprises, grants, sessions

# Unprocessed keys (a throttled partition) are asked again a few times, briefly: this read is
# on every request, so a store that keeps refusing answers 503 rather than keeping it waiting.
ATTEMPTS = 3


def _ref(item_key: dict) -> tuple[str, str]:
    return item_key["pk"]["S"], item_key["sk"]["S"]


def _batch_get(settings, keys: list[dict]) -> dict[tuple[str, str], dict]:
    table, found = settings.table_name, {}
    request = {table: {"Keys": keys, "ConsistentRead": True}}
    for attempt in range(ATTEMPTS):
        resp = ddb(settings).batch_get_item(RequestItems=request)
        for item in resp.get("Responses", {}).get(table, []):
            found[_ref(item)] = item
        request = resp.get("UnprocessedKeys") or {}
        if not request:
            return found
        time.sleep(0.02 * 2 ** attempt)
    raise Unavailable("Storage is busy; try again.")


def request_checks(settings, sid: str, *, member: tuple[str, str] | None = None,
                   grant: str | None = None) -> dict:
    """{"session": get_session's dict or None, "legal_rep": is_legal_rep's answer for
    member=(account, uscc), "grant": get_grant's dict or None}: one round trip."""
    wanted = {"session": sessions._session(sid)}
    if member:
        wanted["legal_rep"] = enterprises._member(*member)
    if grant:
        wanted["grant"] = grants._key(grant)
    found = _batch_get(settings, list(wanted.values()))

    def item(name: str) -> dict | None:
        return found.get(_ref(wanted[name])) if name in wanted else None

    return {"session": sessions.session_of(sid, item("session")),
            "legal_rep": enterprises.is_rep_item(item("legal_rep")),
            "grant": grants._grant(item("grant"))}
