"""GET /api/v1/grants comes a page at a time: every grant once, newest first, across the
grants a person received and gave, ties of creation time included."""
from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta

from functions.core import clock
from functions.identity import model
from functions.identity.store import grants as store
from tests.helpers import ok

T0 = datetime(2026, 11, 1, 9, tzinfo=clock.CHINA)


def _grant(settings, *, grantor: str, grantee: str, at: datetime) -> str:
    gid = uuid.uuid4().hex
    grant = model.new_grant(
        gid=gid, grantor_kind="person", grantor_id=grantor, grantor_name="授权人",
        granted_by=grantor,
        grantee={"id": grantee, "name": "被授权人", "phone_mask": "199****0001"},
        role=None, matters=["441400-GAJ-0002"], expires=date(2027, 6, 1), now=at)
    store.create_grant(settings, grant, notices=[], audit={
        "actor": grantor, "action": "grant.create", "target": gid, "result": "ok",
        "request_id": None, "at": clock.iso(at)})
    return gid


def _pages(client, headers, limit: int) -> list[list[dict]]:
    pages, cursor = [], None
    while True:
        url = f"/api/v1/grants?limit={limit}" + (f"&cursor={cursor}" if cursor else "")
        page = ok(client.get(url, headers=headers))
        pages.append(page["items"])
        cursor = page["next_cursor"]
        if not cursor:
            return pages


def test_pages_hold_every_grant_once_newest_first(client, settings, token):
    me = f"grants-paging-{uuid.uuid4().hex[:8]}"
    others = [f"grants-paging-other-{i}-{uuid.uuid4().hex[:6]}" for i in range(3)]
    made = []
    for i in range(7):  # given, at distinct times
        made.append(_grant(settings, grantor=me, grantee=others[i % 3], at=T0 + timedelta(hours=i)))
    for i in range(4):  # received, four of them at one and the same moment
        made.append(_grant(settings, grantor=others[i % 3], grantee=me, at=T0 + timedelta(hours=3)))
    headers = token("citizen", subject=me, kind="citizen")

    pages = _pages(client, headers, limit=3)
    got = [g for page in pages for g in page]
    assert sorted(g["id"] for g in got) == sorted(made)  # each once
    assert [len(p) for p in pages] == [3, 3, 3, 2]
    order = [(g["created"], g["id"]) for g in got]
    assert order == sorted(order, reverse=True)
    assert {g["direction"] for g in got} == {"given", "received"}
    whole = ok(client.get("/api/v1/grants?limit=100", headers=headers))
    assert [g["id"] for g in whole["items"]] == [g["id"] for g in got]
    assert whole["next_cursor"] is None


def test_a_cursor_not_of_this_listing_is_refused(client, token):
    headers = token("citizen", subject=f"grants-paging-{uuid.uuid4().hex[:8]}", kind="citizen")
    assert ok(client.get("/api/v1/grants", headers=headers)) == {"items": [], "next_cursor": None}
    for cursor in ("bm90LWEtbGlzdA", "e30", "___"):
        resp = client.get(f"/api/v1/grants?cursor={cursor}", headers=headers)
        assert resp.status_code == 400, (cursor, resp.get_json())
        assert resp.get_json()["error"]["code"]
