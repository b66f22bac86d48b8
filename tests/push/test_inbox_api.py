"""The inbox API of the acting identity: who reads an enterprise's inbox by role, paging with
opaque cursors, the unread counter across puts and reads, 404s for anyone else's notices,
422s for bad paging, 503s when the store is busy."""
from __future__ import annotations

import pytest

from functions.core import aws
from tests.helpers import ok
from tests.push.inbox_factories import (
    bearer,
    citizen,
    family_member,
    firm,
    put_notices,
    staff_member,
)
from tests.push.inbox_factories import principal as as_principal

INBOX = "/api/v1/me/inbox"
CARD = "441400-RSJ-0015"


@pytest.fixture(scope="module")
def house(settings):
    """An enterprise with its legal representative and a member of staff in each role, and
    notices of three kinds in its inbox (oldest first: application, grant, licence, ...)."""
    rep = citizen(settings, "陈丽娟")
    ent = firm(settings, rep)
    staff = {role: staff_member(settings, rep, ent["uscc"], role)
             for role in ("preparer", "approver", "viewer")}
    return {"rep": rep, "uscc": ent["uscc"], "staff": staff,
            "rep_act": {"kind": "enterprise", "id": ent["uscc"], "role": "legal_rep"}}


def _as(token, house, role: str) -> dict:
    if role == "legal_rep":
        return bearer(token, house["rep"], house["rep_act"])
    member, act = house["staff"][role]
    return bearer(token, member, act)


def _all(client, headers, **query) -> list[dict]:
    """Every page of a listing, following next_cursor."""
    items, cursor = [], None
    while True:
        got = ok(client.get(INBOX, headers=headers, query_string={
            **query, **({"cursor": cursor} if cursor else {})}))
        items += got["items"]
        cursor = got["next_cursor"]
        if not cursor:
            return items


def _unread(client, headers) -> int:
    return ok(client.get(f"{INBOX}/unread", headers=headers))["unread"]


def test_staff_read_the_enterprise_inbox_by_their_role(client, token, settings, house):
    owner = f"enterprise:{house['uscc']}"
    put_notices(settings, owner, ["application", "grant", "licence", "application"])
    everything = _all(client, _as(token, house, "legal_rep"))
    kinds = [n["kind"] for n in everything]
    # The grants of the fixture (sent, accepted) came first; newest first in the listing.
    assert kinds[:4] == ["application", "licence", "grant", "application"]
    assert kinds.count("grant") == 1 + 2 * 3
    assert _unread(client, _as(token, house, "legal_rep")) == len(everything)
    business = [n for n in everything if n["kind"] in ("application", "licence")]
    for role in ("preparer", "approver", "viewer"):
        headers = _as(token, house, role)
        assert _all(client, headers) == business, role
        assert _unread(client, headers) == len(business), role
    # A staff event is not theirs: it is unknown to a preparer, as another party's would be.
    grant_notice = next(n for n in everything if n["kind"] == "grant")
    preparer = _as(token, house, "preparer")
    ok(client.post(f"{INBOX}/{grant_notice['id']}/read", headers=preparer), 404)
    # A viewer looks but does not clear the badge for those who act on the notices.
    viewer = _as(token, house, "viewer")
    ok(client.post(f"{INBOX}/{business[0]['id']}/read", headers=viewer), 403)
    ok(client.post(f"{INBOX}/read-all", headers=viewer), 403)
    # Their own inboxes are apart: the preparer's holds only their own grant notice.
    member, _ = house["staff"]["preparer"]
    mine = _all(client, bearer(token, member))
    assert [n["title"] for n in mine] == ["您收到一项授权"]


def test_one_read_state_per_inbox_and_read_all_by_role(client, token, settings, house):
    owner = f"enterprise:{house['uscc']}"
    put_notices(settings, owner, ["application", "licence", "grant"])
    rep, preparer = _as(token, house, "legal_rep"), _as(token, house, "preparer")
    before_rep, before_prep = _unread(client, rep), _unread(client, preparer)
    newest_licence = next(n for n in _all(client, preparer, unread="true")
                          if n["kind"] == "licence")
    read = ok(client.post(f"{INBOX}/{newest_licence['id']}/read", headers=preparer))
    assert read["read"] is True and read["id"] == newest_licence["id"]
    # Read by the preparer is read for the legal representative too.
    assert _unread(client, rep) == before_rep - 1
    assert newest_licence["id"] not in [n["id"] for n in _all(client, rep, unread="true")]
    # The preparer's read-all marks only what their role reads; the grant stays unread.
    got = ok(client.post(f"{INBOX}/read-all", headers=preparer))
    assert got["marked"] == before_prep - 1 and got["unread"] == 0
    assert ok(client.get(f"{INBOX}/unread", headers=rep))["by_kind"] == {
        "grant": before_rep - before_prep}
    assert {n["kind"] for n in _all(client, rep, unread="true")} == {"grant"}
    got = ok(client.post(f"{INBOX}/read-all", headers=rep))
    assert got == {"marked": before_rep - before_prep, "unread": 0, "by_kind": {}}
    assert _all(client, rep, unread="true") == []


def test_the_unread_count_stays_right_across_puts_reads_and_repeats(client, token, settings):
    someone = citizen(settings, "古文杰")
    me = bearer(token, someone)
    assert ok(client.get(f"{INBOX}/unread", headers=me)) == {"unread": 0, "by_kind": {}}
    put_notices(settings, f"person:{someone['id']}", ["application"] * 4 + ["security"])
    assert ok(client.get(f"{INBOX}/unread", headers=me)) == {
        "unread": 5, "by_kind": {"application": 4, "security": 1}}
    first, second, *_ = _all(client, me)
    for _ in range(3):  # idempotent: a repeated read changes nothing
        assert ok(client.post(f"{INBOX}/{first['id']}/read", headers=me))["read"] is True
    assert _unread(client, me) == 4
    ok(client.post(f"{INBOX}/{second['id']}/read", headers=me))
    assert _unread(client, me) == 3
    put_notices(settings, f"person:{someone['id']}", ["licence"])
    assert _unread(client, me) == 4
    assert ok(client.post(f"{INBOX}/read-all", headers=me))["marked"] == 4
    assert ok(client.post(f"{INBOX}/read-all", headers=me))["marked"] == 0
    assert _unread(client, me) == 0
    ok(client.post(f"{INBOX}/{second['id']}/read", headers=me))
    assert _unread(client, me) == 0
    listed = _all(client, me)
    assert len(listed) == 6 and all(n["read"] for n in listed)
    # The counter is one item; its reads are what the API counted.
    from functions.push import store

    assert sum(store.unread_counts(settings, f"person:{someone['id']}").values()) == 0


def test_pages_are_newest_first_without_gaps_or_repeats(client, token, settings):
    someone = citizen(settings, "廖少华")
    me = bearer(token, someone)
    put_notices(settings, f"person:{someone['id']}", ["application", "grant"] * 4 + ["licence"])
    pages, cursor = [], None
    while True:
        got = ok(client.get(INBOX, headers=me, query_string={
            "limit": 4, **({"cursor": cursor} if cursor else {})}))
        pages.append(got["items"])
        cursor = got["next_cursor"]
        if not cursor:
            break
    assert [len(p) for p in pages] == [4, 4, 1]
    flat = [n for p in pages for n in p]
    assert [n["title"] for n in flat] == [f"通知{n}" for n in range(8, -1, -1)]
    assert len({n["id"] for n in flat}) == 9
    # The unread listing pages the same way, and shrinks as notices are read.
    ok(client.post(f"{INBOX}/{flat[0]['id']}/read", headers=me))
    unread = _all(client, me, unread="true", limit=2)
    assert [n["title"] for n in unread] == [f"通知{n}" for n in range(7, -1, -1)]
    exact = ok(client.get(INBOX, headers=me, query_string={"limit": 9}))
    assert len(exact["items"]) == 9 and exact["next_cursor"] is None


def test_a_filtered_page_is_full_and_its_cursor_exact(client, token, settings, house):
    """A preparer's pages skip the staff notices between theirs without short pages."""
    owner = f"enterprise:{house['uscc']}"
    put_notices(settings, owner, ["grant", "grant", "application", "grant", "licence"] * 3)
    preparer = _as(token, house, "preparer")
    first = ok(client.get(INBOX, headers=preparer, query_string={"limit": 4}))
    assert len(first["items"]) == 4 and first["next_cursor"]
    assert {n["kind"] for n in first["items"]} <= {"application", "licence"}
    rest = _all(client, preparer)
    assert [n["id"] for n in rest[:4]] == [n["id"] for n in first["items"]]


def test_another_partys_notice_is_not_found(client, token, settings, house):
    a, b = citizen(settings, "邓小龙"), citizen(settings, "谢雨婷")
    put_notices(settings, f"person:{a['id']}", ["application"])
    notice = _all(client, bearer(token, a))[0]
    ok(client.post(f"{INBOX}/{notice['id']}/read", headers=bearer(token, b)), 404)
    ok(client.post(f"{INBOX}/{notice['id']}/read", headers=_as(token, house, "legal_rep")), 404)
    for nid in ("AAAAAAAAAAAA", "MjAyNi0wMS0wMVQwMDowMDowMC4wMDArMDg6MDAjMDAwMDAwMDA",
                "x" * 120):
        ok(client.post(f"{INBOX}/{nid}/read", headers=bearer(token, a)), 404)
    assert _unread(client, bearer(token, a)) == 1  # nothing was marked by them


def test_acting_for_a_family_member_gives_no_inbox(client, token, settings):
    grantor = citizen(settings, "温秀英")
    member, act = family_member(settings, grantor, CARD)
    acting = bearer(token, member, act)
    for resp in (client.get(INBOX, headers=acting), client.get(f"{INBOX}/unread", headers=acting),
                 client.post(f"{INBOX}/read-all", headers=acting)):
        assert ok(resp, 403)["error"]["code"] == "forbidden"


@pytest.mark.parametrize("query", [
    {"limit": 0}, {"limit": 51}, {"limit": "x"}, {"unread": "maybe"}, {"cursor": "!!"},
    {"cursor": "bm90LWEta2V5"}, {"page": "2"},
])
def test_bad_paging_is_a_422_naming_the_field(client, token, settings, query):
    me = bearer(token, citizen(settings, "赖志伟"))
    err = ok(client.get(INBOX, headers=me, query_string=query), 422)["error"]
    assert err["code"] == "validation_failed" and set(err["details"]["fields"]) == set(query)


def test_a_cursor_of_another_listing_is_a_422(client, token, settings):
    a, b = citizen(settings, "彭家豪"), citizen(settings, "叶秋萍")
    put_notices(settings, f"person:{a['id']}", ["application"] * 3)
    a_hdr = bearer(token, a)
    cursor = ok(client.get(INBOX, headers=a_hdr, query_string={"limit": 1}))["next_cursor"]
    unread_cursor = ok(client.get(INBOX, headers=a_hdr,
                                  query_string={"limit": 1, "unread": "true"}))["next_cursor"]
    assert cursor and unread_cursor
    ok(client.get(INBOX, headers=a_hdr, query_string={"cursor": cursor}))
    for headers, query in ((bearer(token, b), {"cursor": cursor}),
                           (a_hdr, {"cursor": unread_cursor}),
                           (a_hdr, {"cursor": cursor, "unread": "true"})):
        err = ok(client.get(INBOX, headers=headers, query_string=query), 422)["error"]
        assert list(err["details"]["fields"]) == ["cursor"]


def _throttle(monkeypatch, settings, operation: str):
    from botocore.exceptions import ClientError

    ddb = aws.client("dynamodb", settings)
    real = getattr(ddb, operation)

    def busy(**kwargs):
        if "INBOX" in repr(kwargs):  # the inbox's calls only: the token check goes through
            raise ClientError({"Error": {"Code": "ThrottlingException", "Message": "slow down"},
                               "ResponseMetadata": {"HTTPStatusCode": 400}}, operation)
        return real(**kwargs)

    monkeypatch.setattr(ddb, operation, busy)


@pytest.mark.parametrize(("operation", "method", "path"), [
    ("query", "get", ""), ("get_item", "get", "/unread"), ("query", "post", "/read-all"),
    ("transact_write_items", "post", "/read-all"),
])
def test_a_busy_store_is_a_503_with_retry_after(client, token, settings, monkeypatch, operation,
                                                method, path):
    someone = citizen(settings, "曾志华")
    put_notices(settings, f"person:{someone['id']}", ["application"])
    me = bearer(token, someone)
    _throttle(monkeypatch, settings, operation)
    resp = getattr(client, method)(f"{INBOX}{path}", headers=me)
    assert ok(resp, 503)["error"]["code"] == "unavailable"
    assert resp.headers["Retry-After"] == "2"
    monkeypatch.undo()
    assert _unread(client, me) == 1  # nothing half-done



def test_the_count_is_one_getitem_and_a_page_one_query_whatever_the_inbox_holds(settings):
    from functions.push import service

    someone = citizen(settings, "池永康")
    put_notices(settings, f"person:{someone['id']}", ["application", "licence"] * 30)
    who = as_principal(someone)
    ddb, calls = aws.client("dynamodb", settings), []

    def count(event_name, **_):
        calls.append(event_name.rsplit(".", 1)[-1])

    ddb.meta.events.register("before-call.dynamodb", count)
    try:
        assert service.unread(settings, who)["unread"] == 60
        assert calls == ["GetItem"]
        calls.clear()
        assert len(service.inbox(settings, who, unread=False, limit=50, start=None)["items"]) == 50
        assert calls == ["Query"]
    finally:
        ddb.meta.events.unregister("before-call.dynamodb", count)
