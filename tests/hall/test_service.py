"""The hall's use cases called directly: scenario answers, who may maintain what, versions,
the search-miss log and the publish request."""
from __future__ import annotations

import json
from datetime import datetime

import pytest

from functions.core import aws, clock
from functions.core.auth import Principal
from functions.core.errors import Conflict, Forbidden, NotFound, RuleError
from functions.hall import service, store
from tests.hall.test_officer import MATTER
from tests.helpers import drain_queue

AT = datetime(2026, 11, 26, 10, tzinfo=clock.CHINA)
BIRTH = "S-P-BIRTH"  # questions insured and hk_macao, each yes or no


def officer(department="SWJ", region="441424", subject="officer-svc") -> Principal:
    return Principal(subject, "officer", frozenset({"officer"}), department=department,
                     region=region)


def test_resolve_refuses_an_unknown_question_naming_it(settings):
    with pytest.raises(RuleError) as err:
        service.resolve_scenario(settings, BIRTH, {"pets": "cat"})
    assert err.value.status == 422 and err.value.field == "answers.pets"
    assert list(err.value.details["fields"]) == ["answers.pets"]


def test_resolve_refuses_a_value_not_among_the_options(settings):
    with pytest.raises(RuleError) as err:
        service.resolve_scenario(settings, BIRTH, {"insured": "maybe", "hk_macao": "no"})
    assert list(err.value.details["fields"]) == ["answers.insured"]
    assert "yes, no" in err.value.details["fields"]["answers.insured"][0]


def test_resolve_adds_what_the_chosen_options_add(settings):
    base = [m["code"] for m in service.resolve_scenario(settings, BIRTH, {})]
    more = [m["code"] for m in service.resolve_scenario(settings, BIRTH, {"insured": "yes"})]
    assert more[:len(base)] == base and set(more) - set(base) == {"441400-YBJ-0001",
                                                                  "441400-YBJ-0002"}
    with pytest.raises(NotFound):
        service.resolve_scenario(settings, "S-NOPE", {})


def test_an_officer_maintains_only_their_department_in_their_region(settings):
    doc = {**MATTER, "code": "441424-SWJ-0911"}
    with pytest.raises(Forbidden):
        service.create_matter(settings, officer(department="RSJ"), doc, at=AT)
    with pytest.raises(Forbidden):
        service.create_matter(settings, officer(region="441481"), doc, at=AT)
    with pytest.raises(NotFound):
        store.get_matter(settings, doc["code"])
    admin = Principal("admin-svc", "officer", frozenset({"catalogue_admin"}))
    assert service.create_matter(settings, admin, doc, at=AT)["version"] == 1
    with pytest.raises(Forbidden):  # nor move one of theirs out of their scope
        service.update_matter(settings, officer(), doc["code"],
                              {**doc, "department": "SWJ", "region": "441481",
                               "level": "county"}, if_match=None, at=AT)


def test_if_match_guards_updates_and_a_withdrawal_happens_once(settings):
    who = officer()
    code = "441424-SWJ-0912"
    service.create_matter(settings, who, {**MATTER, "code": code}, at=AT)
    change = {k: v for k, v in MATTER.items() if k != "code"} | {"promised_days": 1}
    with pytest.raises(Conflict) as err:
        service.update_matter(settings, who, code, change, if_match="7", at=AT)
    assert err.value.details == {"current_version": 1}
    assert service.update_matter(settings, who, code, change, if_match="1",
                                 at=AT)["version"] == 2
    assert service.withdraw_matter(settings, who, code, if_match=None,
                                   at=AT)["status"] == "withdrawn"
    with pytest.raises(Conflict):
        service.withdraw_matter(settings, who, code, if_match=None, at=AT)
    draft = service.draft(settings, who, code)
    assert [h["version"] for h in draft["history"]] == [1, 2, 3]
    assert all(h["actor"] == "officer-svc" for h in draft["history"])


def test_a_search_that_finds_nothing_is_counted_and_a_lost_count_costs_nothing(settings,
                                                                              monkeypatch):
    page = service.matters(settings, q=" 火星殖民飞船 ", at=AT)
    assert page.items == [] and page.total == 0
    misses = service.search_misses(settings, days=1, today=AT.date())
    assert [m["count"] for m in misses if m["q"] == "火星殖民飞船"] == [1]

    def throttled(*args, **kwargs):
        from botocore.exceptions import ClientError

        raise ClientError({"Error": {"Code": "ThrottlingException"}}, "UpdateItem")

    monkeypatch.setattr(store, "record_miss", throttled)
    assert service.matters(settings, q="火星殖民飞船", at=AT).items == []
    # A blank query searches nothing and is not a miss.
    assert service.matters(settings, q="   ", at=AT).items == []


def test_a_publish_request_is_a_job_naming_who_asked(settings):
    admin = Principal("editor-svc", "officer", frozenset({"catalogue_admin"}))
    drain_queue(settings)
    assert service.request_publish(settings, admin) == {"status": "queued"}
    sqs = aws.client("sqs", settings)
    got = sqs.receive_message(QueueUrl=settings.queue_url, MaxNumberOfMessages=10,
                              WaitTimeSeconds=1)["Messages"]
    for m in got:  # leave no job behind for the tests that run the queue
        sqs.delete_message(QueueUrl=settings.queue_url, ReceiptHandle=m["ReceiptHandle"])
    jobs = [json.loads(m["Body"]) for m in got]
    assert [(j["job"], j["actor"]) for j in jobs] == [("catalogue.publish", "editor-svc")]
    assert set(service.JOBS) == {"catalogue.publish"}
