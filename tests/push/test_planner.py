"""The planner: only approved campaigns, once per page (a re-run queues nothing twice), the
segment filters on the topic index rows, the index read by Query (never a Scan), chained jobs;
and the recurring reminders built from data through the same planner."""
from __future__ import annotations

import json
import uuid
from datetime import date, datetime, timedelta

import pytest

from functions.core import clock
from functions.push import campaigns, campaigns_store, planner, reminders
from tests.licences.factories import staff
from tests.push.campaign_factories import (
    aws_jobs,
    count_calls,
    deliver_jobs,
    parties,
    subscribe,
    take_jobs,
)

AUTHOR = staff("SWJ", subject="officer-plan-a")
SECOND = staff("SWJ", subject="officer-plan-b")


def _industry() -> str:
    return "梅柚" + uuid.uuid4().hex[:6]


def _firm(settings, industry: str, topic: str = "hot_tax", **facts) -> str:
    return subscribe(settings, topic, county=facts.pop("county", "441402"), enterprise={
        "industry": industry, "size": "micro", "founded": "2020-01-01", **facts})


def _campaign(settings, segment: dict, *, topic: str = "hot_tax", **over) -> dict:
    data = {"name": "规划测试", "topic": topic, "template": "announcement",
            "params": {"title": "政策通知"}, "segment": segment, "urgent": False,
            "send_at": None, **over}
    return campaigns.create(settings, AUTHOR, data, now=clock.now())


def _approved(settings, segment: dict, **over) -> dict:
    made = _campaign(settings, segment, **over)
    campaigns.approve(settings, SECOND, made["id"], now=clock.now())
    take_jobs(settings)  # the plan job the approval queued: the tests call the planner
    return made


def test_an_unapproved_campaign_never_sends(settings):
    industry = _industry()
    _firm(settings, industry)
    made = _campaign(settings, {"audience": "enterprise", "industry": industry})
    from functions import workers

    got = workers.handle_job(settings, {"job": "campaign.plan", "campaign": made["id"]})
    assert got["pages"] == 0 and got["queued"] == 0
    assert planner.plan(settings, made["id"], now=clock.now(), budget=None)["pages"] == 0
    assert deliver_jobs(settings, made["id"]) == []
    assert campaigns_store.state(settings, made["id"]) == "draft"
    assert campaigns_store.get(settings, made["id"])["counters"] == {}


def test_planning_twice_queues_the_same_batches_once(settings):
    industry = _industry()
    firms = sorted(_firm(settings, industry, county="441424") for _ in range(3))
    made = _approved(settings, {"audience": "enterprise", "county": "441424",
                                "industry": industry})
    first = planner.plan(settings, made["id"], now=clock.now(), budget=None)
    jobs = deliver_jobs(settings, made["id"])
    assert first["done"] and parties(jobs) == firms and len(jobs) == 1
    assert jobs[0]["message"]["why"]["rule"].startswith("subscribed to hot_tax")
    assert jobs[0]["message"]["legal"] is False and jobs[0]["message"]["urgent"] is False
    # A second copy of the job (SQS delivers twice; the schedule hands it on again).
    campaigns_store.move(settings, campaigns_store.get(settings, made["id"]), "sending",
                         allowed={"done"}, at=clock.iso(), audit=None)
    again = planner.plan(settings, made["id"], now=clock.now(), budget=None)
    assert again["queued"] == 0 and deliver_jobs(settings, made["id"]) == []
    counters = campaigns_store.get(settings, made["id"])["counters"]
    assert counters["targeted"] == 3 and counters["queued"] == 3


def test_a_page_counted_but_not_sent_is_sent_again_without_counting_twice(settings):
    industry = _industry()
    firm = _firm(settings, industry, county="441426")
    made = _approved(settings, {"audience": "enterprise", "county": "441426",
                                "industry": industry})
    # The first run counted page 0 and died before queueing it.
    campaigns_store.move(settings, campaigns_store.get(settings, made["id"]), "sending",
                         allowed={"approved"}, at=clock.iso(), audit=None)
    assert campaigns_store.plan_page(settings, made["id"], 0, 1) is True
    planner.plan(settings, made["id"], now=clock.now(), budget=None)
    assert firm in parties(deliver_jobs(settings, made["id"]))
    assert campaigns_store.planned(settings, made["id"], 0) == "sent"
    counters = campaigns_store.get(settings, made["id"])["counters"]
    assert counters["targeted"] == counters["queued"]


def test_age_band_and_county_of_people(settings):
    today = clock.now().date()
    born = lambda years: f"{today.year - years - 1}-{today.month:02d}"  # noqa: E731
    # Ages 100-101 in Dabu: no other test's subscribers are that old there.
    inside = subscribe(settings, "hot_social_security", county="441422", birth=born(100))
    older = subscribe(settings, "hot_social_security", county="441422", birth=born(103))
    elsewhere = subscribe(settings, "hot_social_security", county="441427", birth=born(100))
    no_birth = subscribe(settings, "hot_social_security", county="441422", birth=None)
    made = _approved(settings, {"audience": "person", "county": "441422",
                                "age_band": [100, 101]}, topic="hot_social_security")
    planner.plan(settings, made["id"], now=clock.now(), budget=None)
    got = parties(deliver_jobs(settings, made["id"]))
    assert inside in got
    assert older not in got and elsewhere not in got and no_birth not in got


def test_enterprise_size_and_age(settings):
    industry = _industry()
    today = clock.now().date()
    young = _firm(settings, industry, size="small",
                  founded=(today - timedelta(days=100)).isoformat())
    old = _firm(settings, industry, size="small", founded="2001-01-01")
    micro = _firm(settings, industry, size="micro",
                  founded=(today - timedelta(days=100)).isoformat())
    made = _approved(settings, {"audience": "enterprise", "industry": industry,
                                "size": "small", "enterprise_age_days": [0, 365]})
    dry = campaigns.dry_run(settings, AUTHOR, made["id"], now=clock.now())
    assert dry["count"] == 1
    planner.plan(settings, made["id"], now=clock.now(), budget=None)
    assert parties(deliver_jobs(settings, made["id"])) == [young]
    assert old != young != micro


def test_holds_licence_reads_the_wallet(settings):
    from functions.licences import store as licences

    demo = "91441402MA0MT2NFX4"  # the seed's demo company, which holds its business licence
    assert any(w["payload"]["type"] == "business_licence"
               for w in licences.wallet(settings, "enterprise", demo))
    industry = _industry()
    from functions.core.store import transact
    from functions.push import preferences_model as pm
    from functions.push import preferences_store as ps

    doc = pm.defaults("legal_rep")
    doc["topics"]["hot_business"]["subscribed"] = True
    transact(settings, ps.save_items(settings.table_name, "t" + uuid.uuid4().hex[:15], doc=doc,
                                     rev=0, at=clock.iso(), enterprise=demo, role="legal_rep",
                                     facts={"county": "441402", "kind": "enterprise",
                                            "industry": industry, "size": "small",
                                            "founded": "2018-03-15"}))
    without = _firm(settings, industry, topic="hot_business")
    made = _approved(settings, {"audience": "enterprise", "industry": industry,
                                "holds_licence": "business_licence"}, topic="hot_business")
    planner.plan(settings, made["id"], now=clock.now(), budget=None)
    assert parties(deliver_jobs(settings, made["id"])) == [f"enterprise:{demo}"]
    assert without != demo


def test_the_topic_index_is_queried_never_scanned(settings):
    industry = _industry()
    for _ in range(3):
        _firm(settings, industry, county="441481")
    made = _approved(settings, {"audience": "enterprise", "county": "441481",
                                "industry": industry})
    calls, undo = count_calls(settings)
    try:
        dry = campaigns.dry_run(settings, AUTHOR, made["id"], now=clock.now())
        dry_calls = list(calls)
        calls.clear()
        planner.plan(settings, made["id"], now=clock.now(), budget=None)
    finally:
        undo()
    assert dry["count"] == 3
    assert "Scan" not in dry_calls and "Scan" not in calls
    # One county, one shard: the dry run reads the campaign, Queries the shard and writes
    # its audit record (one transaction).
    assert dry_calls.count("Query") >= 1 and dry_calls[-1] == "TransactWriteItems"
    assert set(dry_calls[:-1]) <= {"GetItem", "Query"}
    pages = sum(1 for c in calls if c == "Query")
    assert pages >= 1 and set(calls) <= {"GetItem", "Query", "TransactWriteItems"}
    deliver_jobs(settings, made["id"])


def test_a_long_campaign_goes_on_in_a_chained_job(settings):
    from functions import workers

    industry = _industry()
    firms = sorted(_firm(settings, industry, county="441423") for _ in range(3))
    made = _approved(settings, {"audience": "enterprise", "industry": industry})
    # Nine city shards, one page each at least: a budget of 2 pages hands on.
    got = planner.plan(settings, made["id"], now=clock.now(), budget=2)
    assert got["done"] is False and got["resume"]["page"] == 2
    planner.core_store.enqueue(settings, planner.PLAN_JOB, campaign=made["id"],
                               **got["resume"])
    found = deliver_jobs_and_run(settings, made["id"], workers)
    assert sorted(found) == firms
    assert campaigns_store.state(settings, made["id"]) == "done"


def deliver_jobs_and_run(settings, campaign_id: str, workers) -> list[str]:
    """Run the plan jobs on the queue until none is left; the parties delivered to."""
    found = []
    for _ in range(20):
        jobs = take_jobs(settings)
        found += [r["party"] for j in jobs if j.get("job") == "deliver"
                  and j["campaign"] == campaign_id for r in j["recipients"]]
        plans = [j for j in jobs if j.get("job") == "campaign.plan"
                 and j["campaign"] == campaign_id]
        if not plans:
            return found
        for job in plans:
            workers.handle_job(settings, job)
    raise AssertionError("the chain never ended")


# ---- reminders as data --------------------------------------------------------------------

def test_the_reminders_file_is_valid_and_names_real_deadlines():
    rules = reminders.reminders()
    ids = {r.id for r in rules}
    assert {"tax-filing-monthly", "annual-report", "housing-fund-adjustment",
            "licence-expiry-person"} <= ids
    assert all(r.days > 0 for r in rules)


@pytest.mark.parametrize("change", [
    {"when": "soon"}, {"deadline": "no-such-rule"}, {"template": "login_code"},
    {"item": "这是一个远远超过二十个字符限制的提醒项目名称啊啊啊啊"}, {"audience": "person"},
])
def test_a_bad_reminder_rule_fails_at_load(change):
    from functions.push.reminders import _deadline_rules

    doc = json.loads(reminders.DATA.read_text(encoding="utf-8"))
    doc["rules"][0] = {**doc["rules"][0], **change}
    with pytest.raises(Exception):  # noqa: B017 -- ValueError or the template's 422
        reminders.parse(doc, _deadline_rules())


def test_the_monthly_tax_reminder_is_built_once_and_planned(settings):
    rem = next(r for r in reminders.reminders() if r.id == "tax-filing-monthly")
    today = clock.now().date()
    # A day 3 days before this or next month's filing deadline, as the pages compute it.
    due = next(d for d in (reminders.deadline_dates(settings, rem, today + timedelta(days=k))
                           for k in range(0, 40)) if d)[0]
    run_day = due - timedelta(days=rem.days)
    now = datetime.combine(run_day, datetime.min.time().replace(hour=9), clock.CHINA)
    industry = _industry()
    firm = subscribe(settings, "deadline", county="441402", enterprise={
        "industry": industry, "size": "micro", "founded": "2020-01-01"})
    take_jobs(settings)
    got = reminders.run(settings, now=now)
    cid = f"rem-tax-filing-monthly-{due:%Y%m%d}"
    assert cid in got["created"]
    campaign = campaigns_store.get(settings, cid)
    assert campaign["state"] == "approved" and campaign["author"] == "system"
    assert campaign["params"] == {"item": "增值税月度申报", "date": due.isoformat()}
    plan_jobs = [j for j in aws_jobs(settings, "campaign.plan") if j["campaign"] == cid]
    assert len(plan_jobs) == 1
    assert cid not in reminders.run(settings, now=now)["created"]  # once
    planner.plan(settings, cid, now=now, budget=None)
    jobs = deliver_jobs(settings, cid)
    assert firm in parties(jobs)
    assert jobs[0]["message"]["template"] == "deadline_reminder"
    assert "tax-filing-monthly" in jobs[0]["message"]["why"]["rule"]


def test_reminder_dates_follow_the_deadline_calendar(settings):
    rem = next(r for r in reminders.reminders() if r.id == "annual-report")
    year = clock.now().year + 1
    assert reminders.due_today(settings, rem, date(year, 6, 20)) == [f"{year}-06-30"]
    assert reminders.due_today(settings, rem, date(year, 6, 1)) == []
    lic = next(r for r in reminders.reminders() if r.id == "licence-expiry-person")
    assert reminders.due_today(settings, lic, date(year, 1, 1)) == [f"{year}-01-31"]
