"""GET /api/v1/me/ledger: every message sent to the caller, newest first, paged; the entries
the worker writes (ledger_put, ledger_update, count_sent) read back; nobody sees another's."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from functions.core import aws, clock
from functions.core.store import transact
from functions.push import ledger_store
from tests.helpers import ok
from tests.push.inbox_factories import bearer, citizen

LEDGER = "/api/v1/me/ledger"
WHY = {"campaign": "c-1", "name": "税务申报提醒", "rule": "订阅税务 · 梅江区"}


def _send(settings, account: str, n: int, *, base: datetime | None = None) -> list[dict]:
    base = base or clock.now()
    out = []
    for i in range(n):
        at = clock.iso(base + timedelta(seconds=i))
        entry = {"id": f"m{i:03d}", "at": at, "topic": "hot_tax", "title": f"申报提醒{i}",
                 "channels": {"inbox": "delivered", "push": "delivered"},
                 "status": "delivered", "why": WHY, "code": "7K3M9QXZ", "campaign": "c-1"}
        transact(settings, [ledger_store.ledger_put(settings.table_name, account, entry)])
        out.append(entry)
    return out


def _pages(client, hdr, limit: int) -> list[list[dict]]:
    pages, cursor = [], None
    while True:
        got = ok(client.get(LEDGER, headers=hdr, query_string={
            "limit": limit, **({"cursor": cursor} if cursor else {})}))
        pages.append(got["items"])
        cursor = got["next_cursor"]
        if not cursor:
            return pages


def test_the_ledger_pages_newest_first(client, token, settings):
    me = citizen(settings, "陈美玲")
    _send(settings, me["id"], 7)
    pages = _pages(client, bearer(token, me), 3)
    assert [len(p) for p in pages] == [3, 3, 1]
    ids = [e["id"] for p in pages for e in p]
    assert ids == [f"m{i:03d}" for i in range(6, -1, -1)]
    first = pages[0][0]
    assert first["why"] == WHY and first["code"] == "7K3M-9QXZ"
    assert first["channels"] == {"inbox": "delivered", "push": "delivered"}
    assert first["party"] == f"person:{me['id']}" and first["topic"] == "hot_tax"


def test_an_empty_ledger_and_nobody_elses(client, token, settings):
    me, other = citizen(settings, "刘小红"), citizen(settings, "刘大明")
    _send(settings, other["id"], 3)
    assert ok(client.get(LEDGER, headers=bearer(token, me))) == {"items": [],
                                                                 "next_cursor": None}
    cursor = ok(client.get(LEDGER, headers=bearer(token, other),
                           query_string={"limit": 1}))["next_cursor"]
    err = ok(client.get(LEDGER, headers=bearer(token, me), query_string={"cursor": cursor}),
             422)["error"]
    assert list(err["details"]["fields"]) == ["cursor"]
    ok(client.get(LEDGER, headers=bearer(token, me), query_string={"limit": 51}), 422)
    ok(client.get(LEDGER, headers=bearer(token, me), query_string={"cursor": "!!"}), 422)
    ok(client.get(LEDGER), 401)


def test_outcomes_update_and_the_same_message_is_listed_once(client, token, settings):
    from botocore.exceptions import ClientError

    me = citizen(settings, "罗秀兰")
    entry = _send(settings, me["id"], 1)[0]
    try:
        _send(settings, me["id"], 1, base=datetime.fromisoformat(entry["at"]))
        raise AssertionError("a message id went into the ledger twice")
    except ClientError as err:
        assert err.response["Error"]["Code"] == "TransactionCanceledException"
    op = ledger_store.ledger_update(settings.table_name, me["id"], at=entry["at"],
                                    message_id=entry["id"],
                                    channels={"inbox": "delivered", "push": "failed",
                                              "sms": "sent"}, status="fallback_sms")
    aws.client("dynamodb", settings).update_item(**op["Update"])
    [got] = ok(client.get(LEDGER, headers=bearer(token, me)))["items"]
    assert got["status"] == "fallback_sms" and got["channels"]["sms"] == "sent"


def test_titles_are_masked(client, token, settings):
    me = citizen(settings, "黄志强")
    transact(settings, [ledger_store.ledger_put(settings.table_name, me["id"], {
        "id": "m1", "at": clock.iso(), "topic": "application",
        "title": "申请人441402199001011234 手机13800138000", "why": {"trigger": "application"}})])
    [got] = ok(client.get(LEDGER, headers=bearer(token, me)))["items"]
    assert "199001011234" not in got["title"] and "00138000" not in got["title"]
    assert got["code"] is None and got["status"] == "delivered"


def test_cap_counters_count_beijing_days_and_weeks(settings):
    me = citizen(settings, "叶小燕")
    now = datetime(2026, 12, 6, 15, 30, tzinfo=UTC)  # Sunday 23:30 Beijing
    for _ in range(2):
        transact(settings, ledger_store.count_sent(settings.table_name, me["id"], now))
    assert ledger_store.sent_counts(settings, me["id"], now) == (2, 2)
    monday = now + timedelta(hours=1)  # Monday 00:30 Beijing: a new day and week
    assert ledger_store.sent_counts(settings, me["id"], monday) == (0, 0)
    transact(settings, ledger_store.count_sent(settings.table_name, me["id"], monday))
    tuesday = monday + timedelta(days=1)
    assert ledger_store.sent_counts_many(settings, [me["id"]], tuesday) == {me["id"]: (0, 1)}


def test_a_busy_ledger_is_a_503(client, token, settings, monkeypatch):
    from botocore.exceptions import ClientError

    me = citizen(settings, "张丽")
    ddb = aws.client("dynamodb", settings)
    real = ddb.query

    def busy(**kw):
        if "LEDGER#" in repr(kw):
            raise ClientError({"Error": {"Code": "ThrottlingException", "Message": "slow"},
                               "ResponseMetadata": {"HTTPStatusCode": 400}}, "Query")
        return real(**kw)
    monkeypatch.setattr(ddb, "query", busy)
    resp = client.get(LEDGER, headers=bearer(token, me))
    assert ok(resp, 503)["error"]["code"] == "unavailable"


def test_the_inbox_notice_says_why_it_came(client, token, settings):
    from functions.push.store import inbox_put

    me = citizen(settings, "邱文华")
    transact(settings, inbox_put(settings.table_name, account=me["id"], kind="announcement",
                                 title="公积金年度调整", body="详情见通知",
                                 at=clock.iso(clock.now() - timedelta(seconds=1)),
                                 why=WHY, dispatch=False))
    transact(settings, inbox_put(settings.table_name, account=me["id"], kind="announcement",
                                 title="旧通知", body="无原因", at=clock.iso(), dispatch=False))
    items = ok(client.get("/api/v1/me/inbox", headers=bearer(token, me)))["items"]
    assert [n.get("why") for n in items] == [None, WHY]
