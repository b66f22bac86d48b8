"""The retention job (functions/core/retention.py) with the clock moved: exactly the records past
their period go or are anonymised, the others stay, and the indicators keep their counts.

The table is the session's: this file's records live in March 2019 (no other test uses it) and
the job is started there (`since`), so nothing of another test is old enough to be touched.
Phones 1990331xxxx."""
from __future__ import annotations

import itertools
import json
from datetime import datetime

from functions.core import aws, clock, retention
from functions.core import retention_model as model
from functions.core import store as core_store
from functions.intake import service
from tests.intake.factories import CARD, CARD_FORM, numbers, officer, person, put_upload

OLD = datetime(2019, 3, 12, 10, 0, tzinfo=clock.CHINA)       # a Tuesday, a working day
LATER = datetime(2019, 9, 10, 10, 0, tzinfo=clock.CHINA)
AT = datetime(2024, 5, 1, 3, 0, tzinfo=clock.CHINA)          # the job's clock
_seq = itertools.count(1)


def _applicant(settings):
    return person(settings, phone=f"1990331{next(_seq):04d}")


def _application(settings, who, now: datetime, *, close: bool) -> dict:
    from functions.hall import store as hall_store

    app, _ = service.create(settings, who, matter_code=CARD, form=CARD_FORM, idem_key=None,
                            now=now)
    for m in hall_store.current_catalogue(settings).matters[CARD]["materials"]:
        service.attach_material(settings, who, app["id"], material=m["name"],
                                upload_key=put_upload(settings, app["id"]), now=now)
    app = service.submit(settings, who, app["id"], now=now)
    if close:
        rsj = officer("RSJ")
        service.act(settings, rsj, app["id"], action="accept", now=now)
        app = service.act(settings, rsj, app["id"], action="approve", now=now)
    return app


def _item(settings, pk: str, sk: str) -> dict | None:
    return aws.client("dynamodb", settings).get_item(
        TableName=settings.table_name, Key=core_store.key(pk, sk),
        ConsistentRead=True).get("Item")


def _partition(settings, pk: str) -> list[dict]:
    return aws.client("dynamodb", settings).query(
        TableName=settings.table_name, KeyConditionExpression="pk = :p", ConsistentRead=True,
        ExpressionAttributeValues={":p": {"S": pk}})["Items"]


def _objects(settings, app_id: str) -> list[str]:
    got = aws.client("s3", settings).list_objects_v2(Bucket=settings.materials_bucket,
                                                     Prefix=f"uploads/{app_id}/")
    return [o["Key"] for o in got.get("Contents", [])]


def _session(settings, account: str, ttl: datetime) -> str:
    from functions.identity import store as identity_store

    return identity_store.create_session(
        settings, account_id=account, refresh_digest=f"{account}-{ttl:%Y}".ljust(64, "0"),
        at=clock.iso(OLD), ttl=int(ttl.timestamp()),
        audit={"actor": account, "action": "login.test", "target": account, "result": "ok",
               "request_id": None, "at": clock.iso(OLD)})


def test_the_clock_moved_past_the_periods(settings):
    from functions.hall import store as hall_store

    closed_who, open_who, later_who = (_applicant(settings) for _ in range(3))
    closed = _application(settings, closed_who, OLD, close=True)
    still_open = _application(settings, open_who, OLD, close=False)
    later = _application(settings, later_who, LATER, close=True)
    assert _objects(settings, closed["id"]) and _objects(settings, still_open["id"])
    kept_audit_day = "2021-06-01"                      # inside the 3-year audit period
    core_store.audit_only(settings, core_store.audit_record(
        None, "retention.test", "kept", at=f"{kept_audit_day}T09:00:00.000+08:00"))
    hall_store.record_miss(settings, "温备份1990331", "2019-03-12", clock.iso(OLD))
    old_session = _session(settings, closed_who.subject, datetime(2019, 3, 13, tzinfo=clock.CHINA))
    live_session = _session(settings, closed_who.subject, datetime(2030, 1, 1, tzinfo=clock.CHINA))
    counters = _partition(settings, "IND#2019-03")
    assert _partition(settings, "AUDIT#2019-03-12") and _partition(settings, "EXPORT#2019-03-12T02")
    before_open = _item(settings, f"APP#{still_open['id']}", "A")
    id_number, phone = numbers(closed_who)

    counts = retention.run(settings, at=AT, since="2019-03-12", until="2019-03-13")

    # Past their periods: the day's audit, export and search-miss partitions, the expired session.
    assert counts["applications"] >= 1 and counts["materials"] >= 1
    assert not _partition(settings, "AUDIT#2019-03-12")
    assert not _partition(settings, "EXPORT#2019-03-12T02")
    assert not _partition(settings, "SEARCHMISS#2019-03-12")
    assert _item(settings, f"SESSION#{old_session}", "S") is None
    # Inside them: stays.
    assert _item(settings, f"SESSION#{live_session}", "S")
    assert any(i["action"]["S"] == "retention.test"
               for i in _partition(settings, f"AUDIT#{kept_audit_day}"))

    # The closed application of March 2019: anonymised, its materials and pointer gone.
    doc = json.loads(_item(settings, f"APP#{closed['id']}", "A")["doc"]["S"])
    assert doc["status"] == "approved" and doc["department"] == closed["department"]
    assert doc["region"] == closed["region"] and doc["anonymised"]
    assert doc["materials_count"] == len(closed["materials"]) >= 1
    assert not {"form", "owner", "applicant", "materials", "query_code"} & set(doc)
    rows = _partition(settings, f"APP#{closed['id']}")
    text = json.dumps(rows, ensure_ascii=False)
    for personal in (id_number, phone, closed_who.subject, "李明"):
        assert personal not in text
    events = [json.loads(r["doc"]["S"]) for r in rows if r["sk"]["S"].startswith("E#")]
    assert events and all(set(e) <= set(model.EVENT_KEEP) for e in events)
    assert "approved" in {e["to"] for e in events}
    assert not [r for r in rows if r["sk"]["S"].startswith("SCAN#")]
    assert not _objects(settings, closed["id"])
    assert _item(settings, f"ACCOUNT#{closed_who.subject}",
                 f"APP#{closed['created']}#{closed['id']}") is None
    # The counts the indicators need are untouched; the anonymisation is audited.
    assert _partition(settings, "IND#2019-03") == counters
    assert _partition(settings, "INDAPP#2019-03")
    audits = _partition(settings, f"AUDIT#{AT.date().isoformat()}")
    assert any(i["action"]["S"] == "retention.anonymise" and i["target"]["S"] == closed["id"]
               for i in audits)

    # Open in March 2019, or closed in September 2019 (inside 5 years of May 2024): untouched.
    assert _item(settings, f"APP#{still_open['id']}", "A") == before_open
    assert _objects(settings, still_open["id"])
    assert _item(settings, f"ACCOUNT#{open_who.subject}",
                 f"APP#{still_open['created']}#{still_open['id']}")
    later_doc = json.loads(_item(settings, f"APP#{later['id']}", "A")["doc"]["S"])
    assert later_doc["owner"] == f"person:{later_who.subject}" and _objects(settings, later["id"])

    # Safe to run again: nothing more to do for March 2019.
    again = retention.run(settings, at=AT, since="2019-03-12", until="2019-03-13")
    assert again["applications"] == 0 and again["materials"] == 0


def test_every_kind_has_a_period_a_mechanism_and_a_reason():
    assert {"session", "sms_code", "audit", "application", "inbox", "push_subscription",
            "rating_comment", "consultation", "export_event", "dev_outbox"} <= set(model.RETENTION)
    for kind, spec in model.RETENTION.items():
        assert spec["how"] in {"partition", "months", "ttl", "owner", "local"}, kind
        assert spec["why"] and spec["keys"], kind
        assert (spec["days"] is None) == (spec["how"] == "owner"), kind
    assert set(model.PARTITIONS) == {k for k, v in model.RETENTION.items()
                                     if v["how"] == "partition"}


def test_partition_walks_are_bounded():
    assert model.units("2019-12-30", "2020-01-02", "day", 10) == [
        "2019-12-30", "2019-12-31", "2020-01-01"]
    assert model.units("2019-12-31", "2020-01-01", "hour", 100)[0] == "2019-12-31T00"
    assert len(model.units("2019-12-31", "2020-01-01", "hour", 100)) == 24
    assert model.units("2019-11", "2020-02-15", "month", 10) == ["2019-11", "2019-12", "2020-01"]
    assert len(model.units("2017-01-01", "2026-01-01", "day", 400)) == 400
    assert model.after("2019-12", "month") == "2020-01"
    assert model.after("2020-02-28", "day") == "2020-02-29"


def test_the_daily_walk_resumes_at_its_watermark(settings, monkeypatch):
    """A kind of this file's own (so the real kinds' watermarks stay as they are): at most
    `per_run` partitions a run, the next run going on where the last one stopped."""
    from functions.core import retention_store

    kind, prefix = "test_1990331", "RETTEST1990331#"
    monkeypatch.setitem(model.RETENTION, kind, {"days": 30, "how": "partition", "keys": prefix,
                                                "why": "a test"})
    monkeypatch.setitem(model.PARTITIONS, kind, {"prefix": prefix, "unit": "day",
                                                 "earliest": "2019-03-01", "per_run": 5})
    ddb = aws.client("dynamodb", settings)
    for day in ("2019-03-02", "2019-03-09"):
        ddb.put_item(TableName=settings.table_name, Item=core_store.key(prefix + day, "x"))
    assert retention._partitions(settings, kind, AT, None, None) == 1        # 1-5 March
    assert retention_store.watermark(settings, kind) == "2019-03-05"
    assert _partition(settings, prefix + "2019-03-09")
    assert retention._partitions(settings, kind, AT, None, None) == 1        # 6-10 March
    assert retention_store.watermark(settings, kind) == "2019-03-10"
    assert not _partition(settings, prefix + "2019-03-09")
    retention_store.set_watermark(settings, kind, "2019-03-07", clock.iso())  # never back
    assert retention_store.watermark(settings, kind) == "2019-03-10"
