"""GET/PUT /api/v1/me/preferences: defaults, a change kept with its topic index rows in one
transaction, the 422s, the enterprise section by role, the topic index read by Query (never
a Scan, one county's shard for a county), 503 when the store is busy."""
from __future__ import annotations

import pytest

from functions.core import aws
from functions.push import preferences_store
from tests.helpers import ok
from tests.push.inbox_factories import bearer, citizen, firm, staff_member

PREFS = "/api/v1/me/preferences"


def _rows(settings, topic: str, county: str | None = None) -> list[dict]:
    rows, start = [], None
    while True:
        got, start = preferences_store.subscribers(settings, topic, county=county, start=start)
        rows += got
        if not start:
            return rows


def test_defaults_then_a_change_is_kept(client, token, settings):
    me = citizen(settings, "黄晓玲")
    hdr = bearer(token, me)
    got = ok(client.get(PREFS, headers=hdr))
    assert got["topics"]["application"] == {"subscribed": True, "channels": ["push"]}
    assert got["topics"]["hot_tax"]["subscribed"] is False
    assert got["fixed"] == ["legal", "security"] and "enterprise" not in got
    change = {"topics": {"hot_tax": {"subscribed": True, "channels": ["push", "sms"]},
                         "licence": {"subscribed": False}},
              "quiet_hours": {"start": "22:30", "end": "07:00"},
              "caps": {"per_day": 3, "per_week": 10}, "digest": {"enabled": True, "at": "18:00"}}
    put = ok(client.put(PREFS, headers=hdr, json=change))
    again = ok(client.get(PREFS, headers=hdr))
    assert put == again
    assert again["topics"]["hot_tax"] == {"subscribed": True, "channels": ["push", "sms"]}
    assert again["topics"]["licence"]["subscribed"] is False
    assert again["quiet_hours"] == {"start": "22:30", "end": "07:00"}
    assert again["caps"] == {"per_day": 3, "per_week": 10}
    assert again["digest"] == {"enabled": True, "at": "18:00"}
    party = f"person:{me['id']}"
    assert party in {r["party"] for r in _rows(settings, "hot_tax")}
    assert party not in {r["party"] for r in _rows(settings, "licence")}
    # and back: the row goes with the unsubscription
    ok(client.put(PREFS, headers=hdr, json={"topics": {"hot_tax": {"subscribed": False}}}))
    assert party not in {r["party"] for r in _rows(settings, "hot_tax")}


@pytest.mark.parametrize(("body", "field"), [
    ({"topics": {"legal": {"subscribed": False}}}, "topics.legal.subscribed"),
    ({"topics": {"security": {"subscribed": False, "channels": []}}},
     "topics.security.subscribed"),
    ({"topics": {"weather": {"subscribed": True}}}, "topics.weather"),
    ({"topics": {"hot_tax": {"subscribed": True, "channels": ["email"]}}},
     "topics.hot_tax.channels"),
    ({"quiet_hours": {"start": "9pm", "end": "08:00"}}, "quiet_hours.start"),
    ({"caps": {"per_day": 500}}, "caps.per_day"),
    ({"digest": {"enabled": "sometimes"}}, "digest.enabled"),
    ({"topics": True, "quiet_hours": True}, "topics"),   # the fuzzer's 500, now a 422
    ({"topics": ["legal"]}, "topics"),
    ({"topics": []}, "topics"),
    ({"volume": 11}, "volume"),
    ({"enterprise": {"topics": {}}}, "enterprise"),
])
def test_preferences_that_cannot_be_kept_are_422(client, token, settings, body, field):
    me = citizen(settings, "李文静")
    hdr = bearer(token, me)
    before = ok(client.get(PREFS, headers=hdr))
    err = ok(client.put(PREFS, headers=hdr, json=body), 422)["error"]
    assert field in err["details"]["fields"]
    assert ok(client.get(PREFS, headers=hdr)) == before


def test_the_index_row_carries_the_segment_facts(client, token, settings):
    me = citizen(settings, "古嘉怡")
    ok(client.put(PREFS, headers=bearer(token, me),
                  json={"topics": {"hot_social_security": {"subscribed": True}}}))
    from functions.identity.store import accounts

    doc = accounts.get_account(settings, me["id"])
    county = doc.get("home_region") or doc.get("region")
    row = next(r for r in _rows(settings, "hot_social_security")
               if r["account"] == me["id"])
    assert row == {"party": f"person:{me['id']}", "account": me["id"],
                   "county": county, "birth": doc["birth"][:7], "kind": "person",
                   "industry": None, "size": None, "founded": None}
    assert row in _rows(settings, "hot_social_security", county=county)


def test_the_index_is_one_query_of_one_shard_never_a_scan(client, token, settings, monkeypatch):
    people = [citizen(settings, f"测试{n}") for n in range(3)]
    for p in people:
        ok(client.put(PREFS, headers=bearer(token, p),
                      json={"topics": {"hot_quality": {"subscribed": True}}}))
    ddb, calls = aws.client("dynamodb", settings), []
    for op in ("query", "scan"):
        real = getattr(ddb, op)

        def counted(_real=real, _op=op, **kw):
            calls.append((_op, kw.get("IndexName"), kw["ExpressionAttributeValues"][":p"]["S"]
                          if _op == "query" else None))
            return _real(**kw)
        monkeypatch.setattr(ddb, op, counted)
    rows, nxt = preferences_store.subscribers(settings, "hot_quality", county="441402",
                                              limit=1000)
    assert calls == [("query", "GSI2", "TOPIC#hot_quality#441402")] and nxt is None
    calls.clear()
    everyone = _rows(settings, "hot_quality")
    assert {p["id"] for p in people} <= {r["account"] for r in everyone}
    assert all(c[0] == "query" and c[1] == "GSI2" for c in calls)
    assert len(calls) == len(preferences_store.SHARDS)


def test_paging_a_shard_with_small_pages(client, token, settings):
    people = [citizen(settings, f"翻页{n}") for n in range(5)]
    for p in people:
        ok(client.put(PREFS, headers=bearer(token, p),
                      json={"topics": {"hot_housing_fund": {"subscribed": True}}}))
    seen, start, pages = [], None, 0
    while True:
        rows, start = preferences_store.subscribers(settings, "hot_housing_fund", start=start,
                                                    limit=2)
        seen += [r["account"] for r in rows]
        pages += 1
        if not start:
            break
    assert len(seen) == len(set(seen)) and {p["id"] for p in people} <= set(seen)


def test_acting_for_an_enterprise_chooses_its_topics(client, token, settings):
    rep = citizen(settings, "张国强")
    ent = firm(settings, rep)
    member, act = staff_member(settings, rep, ent["uscc"], "viewer")
    hdr = bearer(token, member, act)
    got = ok(client.get(PREFS, headers=hdr))
    assert got["enterprise"]["uscc"] == ent["uscc"] and got["enterprise"]["role"] == "viewer"
    assert got["enterprise"]["topics"]["application"]["subscribed"] is False  # a viewer's
    put = ok(client.put(PREFS, headers=hdr, json={"enterprise": {"topics": {
        "hot_tax": {"subscribed": True}, "application": {"subscribed": True}}}}))
    assert put["enterprise"]["topics"]["hot_tax"]["subscribed"] is True
    row = next(r for r in _rows(settings, "hot_tax") if r["account"] == member["id"])
    assert row["party"] == f"enterprise:{ent['uscc']}" and row["kind"] == "enterprise"
    assert row["county"] == ent["county"] and row["size"] == ent["size"]
    # the person's own preferences are untouched; the worker merges the two
    own = ok(client.get(PREFS, headers=bearer(token, member)))
    assert own["topics"]["hot_tax"]["subscribed"] is False and "enterprise" not in own
    merged = preferences_store.prefs_of(settings, member["id"], ent["uscc"])
    assert merged["topics"]["hot_tax"]["subscribed"] and merged["quiet_hours"] == own[
        "quiet_hours"]
    err = ok(client.put(PREFS, headers=hdr, json={"enterprise": {"topics": {
        "legal": {"subscribed": False}}}}), 422)["error"]
    assert "enterprise.topics.legal.subscribed" in err["details"]["fields"]


def test_prefs_of_many_is_one_batch_read(client, token, settings, monkeypatch):
    a, b = citizen(settings, "钟一"), citizen(settings, "钟二")
    ok(client.put(PREFS, headers=bearer(token, a), json={"caps": {"per_day": 2}}))
    ddb, calls = aws.client("dynamodb", settings), []
    real = ddb.batch_get_item
    monkeypatch.setattr(ddb, "batch_get_item",
                        lambda **kw: calls.append(kw) or real(**kw))
    got = preferences_store.prefs_of_many(settings, [(a["id"], None), (b["id"], None)])
    assert len(calls) == 1
    assert got[(a["id"], None)]["caps"]["per_day"] == 2
    assert got[(b["id"], None)]["caps"]["per_day"] == 5


def test_a_failed_change_writes_neither_prefs_nor_rows(client, token, settings, monkeypatch):
    from botocore.exceptions import ClientError

    me = citizen(settings, "廖美华")
    hdr = bearer(token, me)
    ddb = aws.client("dynamodb", settings)
    real, seen = ddb.transact_write_items, []

    def busy(**kw):
        if "PREFS#" in repr(kw):
            seen.append([next(iter(op)) for op in kw["TransactItems"]])
            raise ClientError({"Error": {"Code": "ThrottlingException", "Message": "slow"},
                               "ResponseMetadata": {"HTTPStatusCode": 400}},
                              "TransactWriteItems")
        return real(**kw)
    monkeypatch.setattr(ddb, "transact_write_items", busy)
    resp = client.put(PREFS, headers=hdr, json={"topics": {"hot_tax": {"subscribed": True}}})
    assert ok(resp, 503)["error"]["code"] == "unavailable" and resp.headers["Retry-After"]
    # prefs and every index row were one transaction
    assert seen and seen[0][0] == "Put" and len(seen[0]) == 1 + len(
        preferences_store.pm.INDEXED_TOPICS)
    monkeypatch.undo()
    assert me["id"] not in {r["account"] for r in _rows(settings, "hot_tax")}
    assert ok(client.get(PREFS, headers=hdr))["topics"]["hot_tax"]["subscribed"] is False


def test_a_busy_read_is_a_503(client, token, settings, monkeypatch):
    from botocore.exceptions import ClientError

    me = citizen(settings, "温志明")
    hdr = bearer(token, me)
    ddb = aws.client("dynamodb", settings)
    real = ddb.get_item

    def busy(**kw):
        if "PREFS#" in repr(kw):
            raise ClientError({"Error": {"Code": "ThrottlingException", "Message": "slow"},
                               "ResponseMetadata": {"HTTPStatusCode": 400}}, "GetItem")
        return real(**kw)
    monkeypatch.setattr(ddb, "get_item", busy)
    assert ok(client.get(PREFS, headers=hdr), 503)["error"]["code"] == "unavailable"


def test_a_concurrent_change_is_a_409(client, token, settings, monkeypatch):
    from functions.push import preferences

    me = citizen(settings, "邓秀英")
    hdr = bearer(token, me)
    ok(client.put(PREFS, headers=hdr, json={"caps": {"per_day": 4}}))
    real = preferences_store.stored

    def stale(settings_, account, enterprise=None):
        doc, rev = real(settings_, account, enterprise)
        return doc, rev - 1 if enterprise is None else rev
    monkeypatch.setattr(preferences.preferences_store, "stored", stale)
    assert ok(client.put(PREFS, headers=hdr, json={"caps": {"per_day": 6}}), 409)
    monkeypatch.undo()
    assert ok(client.get(PREFS, headers=hdr))["caps"]["per_day"] == 4


def test_a_family_delegate_sets_their_own_preferences_only(client, token, settings):
    from tests.push.inbox_factories import family_member

    grantor = citizen(settings, "何伟")
    member, act = family_member(settings, grantor, "441400-RSJ-0015")
    ok(client.get(PREFS, headers=bearer(token, member, act)), 403)
    assert ok(client.get(PREFS, headers=bearer(token, member)))["topics"]


def test_default_items_file_a_new_person_under_the_default_topics(settings):
    from botocore.exceptions import ClientError

    from functions.core import clock
    from functions.core.store import transact

    me = citizen(settings, "新用户")  # the account's transaction filed the defaults
    facts = {"county": "441481", "kind": "person", "birth": "1990-01"}
    items = preferences_store.default_items(settings.table_name, me["id"], at=clock.iso(),
                                            facts=facts)
    for topic in ("application", "licence", "deadline", "legal"):
        assert me["id"] in {r["account"] for r in _rows(settings, topic, county="441481")}
    assert me["id"] not in {r["account"] for r in _rows(settings, "hot_tax")}
    with pytest.raises(ClientError):  # once only: the preferences exist now
        transact(settings, items)


def test_a_former_county_code_is_filed_under_todays_county(client, token, settings):
    from datetime import date

    from functions.identity import cn_ids
    from functions.identity.cli import create_staff

    id_number = cn_ids.make_id_number("441421", date(1975, 3, 3), 777)  # 梅县, before 2013
    acc = create_staff(settings, kind="citizen", name="梅县人", id_number=id_number,
                       phone="19900779001", password="Meizhou-2026!pw", roles=[])
    ok(client.put(PREFS, headers=bearer(token, acc),
                  json={"topics": {"hot_tax": {"subscribed": True}}}))
    row = next(r for r in _rows(settings, "hot_tax", county="441403")
               if r["account"] == acc["id"])
    assert row["county"] == "441403" and row["birth"] == "1975-03"
