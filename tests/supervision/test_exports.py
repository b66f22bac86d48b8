"""The provincial export: events written with what they report, exported by hour with a
watermark, and interrupted every way the issue names (dies mid-batch, the bucket refuses, the
schedule runs twice, concurrently too): no event lost, none sent twice.

The table and the bucket are shared by the session: these tests use hours of July 2033 (no
other test writes there) and compare what was exported with every event those hours hold."""
from __future__ import annotations

import dataclasses
import json
import threading
from datetime import UTC, datetime, timedelta

import pytest
from botocore.exceptions import ClientError

from functions.core import aws, clock
from functions.supervision import exports, exports_service
from functions.supervision import exports_model as model
from functions.supervision import exports_store as store
from tests import privacy
from tests.supervision.export_endpoint import Endpoint


def utc(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2033, 7, day, hour, minute, tzinfo=UTC)


def write_events(settings, day: int, hour: int, n: int, *, kind: str = "test.step") -> list[str]:
    """n events in the hour (one transaction each, as the moves write them); their ids."""
    ddb = aws.client("dynamodb", settings)
    ids = []
    for i in range(n):
        at = clock.iso(utc(day, hour, 1 + i).astimezone(clock.CHINA))
        item = exports.event_item(settings, kind, {"application": f"MZT{day:02d}{hour:02d}{i:03d}",
                                                   "department": "SWJ", "region": "441402",
                                                   "status": "accepted"}, at)
        ddb.transact_write_items(TransactItems=[item])
        ids.append(json.loads(item["Put"]["Item"]["doc"]["S"])["id"])
    return ids


def table_events(settings, day: int) -> list[str]:
    """Every event the table holds for the day (whoever wrote it)."""
    return [ev["id"] for hour in range(24)
            for _sk, ev in store.hour_events(settings, f"2033-07-{day:02d}T{hour:02d}")]


def bucket_objects(settings, day: int) -> dict[str, list[dict]]:
    s3 = aws.client("s3", settings)
    got = s3.list_objects_v2(Bucket=settings.exports_bucket, Prefix=f"events/2033/07/{day:02d}/")
    return {o["Key"]: [json.loads(line) for line in s3.get_object(
        Bucket=settings.exports_bucket, Key=o["Key"])["Body"].read().decode().splitlines()]
        for o in got.get("Contents", [])}


def exported_ids(objects: dict[str, list[dict]]) -> list[str]:
    return [e["id"] for lines in objects.values() for e in lines]


def assert_each_once(settings, day: int) -> list[str]:
    written = table_events(settings, day)
    sent = exported_ids(bucket_objects(settings, day))
    assert len(sent) == len(set(sent)), "an event was exported twice"
    assert sorted(sent) == sorted(written), "an event was lost"
    return sent


# ---- rules -------------------------------------------------------------------------------

def test_an_event_carries_ids_and_codes_only():
    ev = model.event("application.accept", {"application": "MZ1", "tags": ["超时办理"]},
                     at="2033-07-01T10:00:00.000+08:00", event_id="e1")
    assert ev == {"schema": 1, "id": "e1", "kind": "application.accept",
                  "at": "2033-07-01T10:00:00.000+08:00", "application": "MZ1",
                  "tags": ["超时办理"]}
    with pytest.raises(ValueError, match="comment"):
        model.event("rating.given", {"comment": "王五 13800138000"}, at=ev["at"], event_id="e2")
    with pytest.raises(ValueError, match="scalar"):
        model.event("card.raised", {"card": {"nested": 1}}, at=ev["at"], event_id="e3")
    with pytest.raises(ValueError):
        model.event("x", {}, at="2033-07-01T10:00:00", event_id="e4")  # no offset


def test_hours_are_utc_and_sort_across_offsets():
    assert model.hour_of("2033-07-01T10:30:00+08:00") == "2033-07-01T02"
    early = model.sort_key("2033-07-01T10:30:00+08:00", "b")
    later = model.sort_key("2033-07-01T02:31:00+00:00", "a")
    assert early < later
    # An hour is exported once it ended and settled.
    assert model.closed_hours("2033-07-01T02", utc(1, 4, 1), start="x") == []
    assert model.closed_hours("2033-07-01T02", utc(1, 4, 3), start="x") == [
        "2033-07-01T03"]
    assert model.closed_hours("2033-07-01T02", utc(1, 5, 2), start="x") == [
        "2033-07-01T03", "2033-07-01T04"]
    assert model.closed_hours(None, utc(1, 1, 5), start="2033-07-01T00") == ["2033-07-01T00"]


def test_object_names_follow_the_hour_and_the_batch():
    batch = [{"id": "aa"}, {"id": "bb"}]
    assert model.object_name("2033-07-01T02", batch) == \
        "events/2033/07/01/02/2033-07-01T02_aa_bb.jsonl"
    assert model.jsonl(batch) == b'{"id":"aa"}\n{"id":"bb"}\n'


def test_lag_is_the_age_of_the_oldest_waiting_event():
    assert model.lag_seconds(None, utc(1, 3)) == 0.0
    assert model.lag_seconds("2033-07-01T10:00:00+08:00", utc(1, 3)) == 3600.0


# ---- a real move -------------------------------------------------------------------------

def test_a_move_writes_its_event_with_the_move_and_no_personal_data(settings):
    from functions.intake import service
    from tests.intake.factories import CARD, CARD_FORM, NUMBERS, drafted, officer, person

    who = person(settings, phone="19902300001")
    app = drafted(settings, who, CARD, CARD_FORM)
    at = utc(1, 2, 15).astimezone(clock.CHINA)
    service.submit(settings, who, app["id"], now=at)
    service.act(settings, officer("RSJ"), app["id"], action="accept", now=at + timedelta(
        minutes=5))
    mine = [ev for _sk, ev in store.hour_events(settings, "2033-07-01T02")
            if ev.get("application") == app["id"]]
    assert [e["kind"] for e in mine] == ["application.submit", "application.accept"]
    sub = mine[0]
    assert {k: sub[k] for k in ("matter", "department", "region", "from", "status",
                                "channel")} == {
        "matter": CARD, "department": "RSJ", "region": "441400", "from": "draft",
        "status": "submitted", "channel": app["channel"]}
    # The applicant only as a stable pseudonym: no account id, no number, no name.
    assert sub["applicant"] == mine[1]["applicant"] and len(sub["applicant"]) == 32
    text = json.dumps(mine, ensure_ascii=False)
    numbers = NUMBERS[who.subject]
    for secret in (who.subject, numbers["id_number"], numbers["phone"], numbers["name"]):
        assert secret not in text
    assert not privacy.personal_numbers(text)

    got = exports_service.run(settings, now=utc(1, 3, 5), start="2033-07-01T02:00:00Z")
    assert got["ok"] and got["watermark"]["hour"] == "2033-07-01T02"
    sent = assert_each_once(settings, 1)
    assert {e["id"] for e in mine} <= set(sent)


# ---- interruptions -----------------------------------------------------------------------

def test_the_bucket_refuses_then_the_next_run_sends_the_rest_once(settings, monkeypatch):
    write_events(settings, 2, 1, 7)
    write_events(settings, 2, 2, 2)
    calls = {"n": 0}
    real = store.put_object

    def refusing(settings_, name, body):
        calls["n"] += 1
        if calls["n"] == 2:
            raise ClientError({"Error": {"Code": "ServiceUnavailable", "Message": "no"}},
                              "PutObject")
        real(settings_, name, body)

    monkeypatch.setattr(store, "put_object", refusing)
    now = utc(2, 3, 5)
    failed = exports_service.run(settings, now=now, start="2033-07-02T01:00:00Z", batch=3)
    assert not failed["ok"] and "ServiceUnavailable" in failed["error"]
    assert failed["events"] == 3 and failed["watermark"]["hour_in"] == "2033-07-02T01"
    # The lag is the age of the 4th event of 01h (the first not exported).
    assert failed["lag_seconds"] == (now - utc(2, 1, 4)).total_seconds()
    assert failed["last_run"]["ok"] is False

    again = exports_service.run(settings, now=now, batch=3)
    assert again["ok"] and again["events"] == len(table_events(settings, 2)) - 3
    assert again["watermark"] == {"hour": "2033-07-02T02", "hour_in": None}
    assert again["lag_seconds"] == 0.0
    assert_each_once(settings, 2)


class Died(BaseException):
    """The process ends (a Lambda timeout): nothing after it runs, no finally of ours."""


def test_the_export_dies_mid_batch_and_a_later_run_takes_over(settings, monkeypatch):
    write_events(settings, 3, 5, 8)
    advances = {"n": 0}
    real_advance, real_release = store.advance, store.release

    def dying(*args, **kwargs):
        advances["n"] += 1
        # 1st: the replay's start; 2nd: after batch 1; the 3rd never lands: batch 2 written,
        # its watermark not moved.
        if advances["n"] == 3:
            raise Died()
        return real_advance(*args, **kwargs)

    monkeypatch.setattr(store, "advance", dying)
    monkeypatch.setattr(store, "release", lambda *a, **k: None)  # died: the lease stays held
    now = utc(3, 6, 5)
    with pytest.raises(Died):
        exports_service.run(settings, now=now, start="2033-07-03T05:00:00Z", batch=3)
    first_objects = set(bucket_objects(settings, 3))
    assert len(first_objects) == 2
    monkeypatch.setattr(store, "advance", real_advance)
    monkeypatch.setattr(store, "release", real_release)

    # The schedule fires again while the dead run's lease holds: nothing happens.
    skipped = exports_service.run(settings, now=now + timedelta(minutes=1), batch=3)
    assert skipped["skipped"] == "leased"
    # After the lease ran out, a run resumes after batch 1: batch 2 goes again under its name.
    resumed = exports_service.run(settings, now=now + timedelta(minutes=6), batch=3)
    assert resumed["ok"] and resumed["events"] == len(table_events(settings, 3)) - 3
    assert first_objects <= set(bucket_objects(settings, 3))
    assert len(bucket_objects(settings, 3)) == 3
    assert_each_once(settings, 3)


def test_the_schedule_runs_twice_at_once_and_again_later(settings, monkeypatch):
    write_events(settings, 4, 8, 4)
    now = utc(4, 9, 10)
    exports_service.run(settings, now=now, start="2033-07-04T07:00:00Z")  # set the watermark
    write_events(settings, 4, 9, 5)
    now = utc(4, 10, 5)
    twin: dict = {}
    real = store.put_object

    def slow_put(settings_, name, body):
        if not twin:  # while the first run writes, the schedule fires again
            t = threading.Thread(target=lambda: twin.update(
                exports_service.run(settings, now=now, batch=2)))
            t.start()
            t.join()
        real(settings_, name, body)

    monkeypatch.setattr(store, "put_object", slow_put)
    first = exports_service.run(settings, now=now, batch=2)
    assert twin["skipped"] == "leased" and first["ok"] and first["events"] >= 5
    monkeypatch.setattr(store, "put_object", real)
    later = exports_service.run(settings, now=now + timedelta(minutes=20), batch=2)
    assert later["ok"] and later["events"] == 0 and later["objects"] == []
    assert_each_once(settings, 4)


def test_a_replay_overwrites_the_same_objects(settings):
    write_events(settings, 5, 3, 5)
    now = utc(5, 4, 5)
    exports_service.run(settings, now=now, start="2033-07-05T03:00:00Z", batch=2)
    before = bucket_objects(settings, 5)
    replay = exports_service.run(settings, now=now + timedelta(minutes=30),
                                 start="2033-07-05T03:59:00+00:00", batch=2)
    assert replay["ok"] and sorted(replay["objects"]) == sorted(before)
    assert bucket_objects(settings, 5) == before
    assert_each_once(settings, 5)


def test_an_endpoint_gets_each_batch_once_by_its_key(settings):
    endpoint = Endpoint()
    try:
        ids = write_events(settings, 6, 11, 5)
        there = dataclasses.replace(settings, export_endpoint=endpoint.url)
        now = utc(6, 12, 5)
        endpoint.refuse = 1
        failed = exports_service.run(there, now=now, start="2033-07-06T11:00:00Z", batch=2)
        assert not failed["ok"] and "503" in failed["error"] and failed["sink"] == "endpoint"
        done = exports_service.run(there, now=now, batch=2)
        assert done["ok"]
        received = [e["id"] for e in endpoint.lines()]
        assert len(received) == len(set(received))
        assert sorted(received) == sorted(table_events(settings, 6)) and set(ids) <= set(
            received)
        # The refused batch was posted again under the same key.
        assert endpoint.posts[0] == endpoint.posts[1]
        assert not bucket_objects(settings, 6)  # the endpoint instead of the bucket
    finally:
        endpoint.stop()


def test_an_export_endpoint_must_be_https_outside_the_local_stage():
    from functions.settings import Settings

    env = {"HALL_STAGE": "prod", "AWS_REGION": "ap-east-1", "HALL_EXPORT_ENDPOINT":
           "http://monitor.gd.gov.cn/events"}
    with pytest.raises(RuntimeError, match="https"):
        Settings.from_env(env)
    ok = Settings.from_env({**env, "HALL_EXPORT_ENDPOINT": "https://monitor.gd.gov.cn/events"})
    assert ok.export_endpoint.startswith("https://")
    local = Settings.from_env({"HALL_STAGE": "local",
                               "HALL_EXPORT_ENDPOINT": "http://127.0.0.1:9/x"})
    assert local.export_endpoint == "http://127.0.0.1:9/x"


def test_the_hourly_worker_raises_on_a_failed_run_so_lambda_retries(settings, monkeypatch):
    from functions import workers

    write_events(settings, 7, 1, 2)
    exports_service.run(settings, now=utc(7, 1, 30), start="2033-07-07T00:00:00Z")
    monkeypatch.setattr(workers, "_settings", settings)
    monkeypatch.setattr(clock, "now", lambda: utc(7, 2, 5))

    def refuse(*args):
        raise ClientError({"Error": {"Code": "SlowDown", "Message": "busy"}}, "PutObject")

    monkeypatch.setattr(store, "put_object", refuse)
    with pytest.raises(RuntimeError, match="SlowDown"):
        workers.export_events({}, None)
    monkeypatch.undo()
    monkeypatch.setattr(workers, "_settings", settings)
    monkeypatch.setattr(clock, "now", lambda: utc(7, 2, 6))
    got = workers.export_events({}, None)
    assert got["ok"] and got["events"] == 2 and got["lag_seconds"] == 0.0
    assert_each_once(settings, 7)


def test_a_watermark_far_behind_reports_its_staleness_as_the_bound(settings):
    # A run at 00:10 exports up to 07T23; then no run for hours.
    exports_service.run(settings, now=utc(8, 0, 10), start="2033-07-07T20:00:00Z")
    assert store.state(settings)["hour"] == "2033-07-07T23"
    got = exports_service.status(settings, now=utc(8, 9, 30))
    # 00h..03h looked at (empty), so the lag is at most 09:30 - 04:00.
    assert got["lag_bound"] is True and got["lag_seconds"] == 5.5 * 3600
    recent = exports_service.status(settings, now=utc(8, 1, 30))
    assert recent["lag_bound"] is False and recent["lag_seconds"] == 0.0


def test_the_first_run_ever_starts_a_little_back(settings, monkeypatch):
    aws.client("dynamodb", settings).delete_item(TableName=settings.table_name, Key=store.STATE)
    monkeypatch.setattr(exports_service, "FIRST_RUN_HOURS", 3)
    write_events(settings, 9, 3, 2)
    got = exports_service.run(settings, now=utc(9, 5, 10))  # Beijing 13:10; 02h..04h UTC
    assert got["ok"] and got["events"] == len(table_events(settings, 9))
    assert got["watermark"]["hour"] == "2033-07-09T04" and got["lag_seconds"] == 0.0
    assert_each_once(settings, 9)
