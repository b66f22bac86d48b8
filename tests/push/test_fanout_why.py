""""Why did I get this" as data and verify-a-message's sender: the planner's message carries
the segment rules the recipient matched ({field, op, value}, the topic first) and the sending
department's catalogue name; the worker puts the first on the inbox notice and the ledger, the
second in the verify code's answer (in both languages), and a notification's tap is counted
clicked once."""
from __future__ import annotations

from datetime import datetime

import pytest

from functions.core import clock
from functions.push import delivery, planner, webpush
from tests.helpers import ok
from tests.push import delivery_helpers as h
from tests.push.inbox_factories import bearer

DAY = datetime(2026, 12, 2, 10, 0, tzinfo=clock.CHINA)
VERIFY = "/api/v1/verify-message"


@pytest.fixture(autouse=True)
def _fresh(monkeypatch):
    monkeypatch.setattr(delivery.clock, "now", lambda: DAY)
    webpush.forget()
    yield
    webpush.forget()


def _campaign(**over) -> dict:
    return {"id": "cwhy1", "name": "个税汇算提醒", "topic": "deadline", "template":
            "deadline_reminder", "params": {"item": "个人所得税汇算", "date": "2026-12-15"},
            "segment": {"audience": "person", "county": "441402", "age_band": [18, 60]},
            "urgent": False, "legal": False, "department": "SWJ", **over}


def test_the_planners_message_carries_the_rules_as_data_and_the_department():
    msg = planner.message(_campaign(), {"item": "个人所得税汇算", "date": "2026-12-15"})
    assert msg["why"]["campaign"] == "cwhy1" and msg["why"]["name"] == "个税汇算提醒"
    assert msg["why"]["match"] == [
        {"field": "topic", "op": "subscribed", "value": "deadline"},
        {"field": "audience", "op": "eq", "value": "person"},
        {"field": "county", "op": "eq", "value": "441402"},
        {"field": "age_band", "op": "between", "value": [18, 60]}]
    assert msg["sender"] == {"name": "梅州市税务局", "name_en": "Meizhou Taxation Bureau"}
    # An enterprise segment's filters, each with its operator.
    ent = planner.message(_campaign(segment={"audience": "enterprise", "size": "micro",
                                             "holds_licence": "business_licence",
                                             "enterprise_age_days": [0, 365]}), {})
    assert ent["why"]["match"][0]["field"] == "topic"
    assert {m["field"]: m["op"] for m in ent["why"]["match"]} == {
        "topic": "subscribed", "audience": "eq", "size": "eq", "holds_licence": "holds",
        "enterprise_age_days": "between"}
    # The system's reminders are the hall's.
    assert planner.message(_campaign(department="SYSTEM"), {})["sender"] == {
        "name": "梅州网上办事大厅", "name_en": "Meizhou Online Service Hall"}


def test_the_notice_carries_the_match_and_the_code_names_the_department(
        settings, client, token, svc):
    acct, subs = h.person_with_device(settings, svc)
    cid = h.new_campaign()
    msg = planner.message({**_campaign(), "id": cid}, {"item": "个人所得税汇算",
                                                       "date": "2026-12-15"})
    body = {**h.job(cid, [acct]), "message": msg}
    assert delivery.deliver(settings, body, now=DAY)["done"] == 1
    headers = bearer(token, acct)
    [notice] = ok(client.get("/api/v1/me/inbox", headers=headers))["items"]
    assert notice["why"]["match"] == msg["why"]["match"]
    assert notice["why"]["name"] == "个税汇算提醒"
    [entry] = h.ledger(settings, acct)
    assert entry["why"]["match"][0] == {"field": "topic", "op": "subscribed",
                                        "value": "deadline"}
    got = ok(client.post(VERIFY, json={"code": entry["code"]},
                         environ_base={"REMOTE_ADDR": "10.27.0.1"}))
    assert got["genuine"] is True
    assert (got["sender"], got["sender_en"]) == ("梅州市税务局", "Meizhou Taxation Bureau")
    assert got["sender"] != "个税汇算提醒"  # the department, not the campaign's name

    # The notification's tap opens the notice with ?via=push: opened and clicked, once.
    nid = notice["id"]
    ok(client.post(f"/api/v1/me/inbox/{nid}/read?via=push", headers=headers))
    ok(client.post(f"/api/v1/me/inbox/{nid}/read?via=push", headers=headers))
    counted = h.counters(settings, cid)
    assert (counted.get("opened"), counted.get("clicked")) == (1, 1)


def test_a_record_queued_without_a_sender_names_the_hall(settings, client, svc):
    acct, _ = h.person_with_device(settings, svc)
    cid = h.new_campaign()
    assert delivery.deliver(settings, h.job(cid, [acct]), now=DAY)["done"] == 1
    [entry] = h.ledger(settings, acct)
    got = ok(client.post(VERIFY, json={"code": entry["code"]},
                         environ_base={"REMOTE_ADDR": "10.27.0.2"}))
    assert (got["sender"], got["sender_en"]) == ("梅州网上办事大厅", "Meizhou Online Service Hall")
