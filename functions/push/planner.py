"""The planner: an approved campaign's segment read from the topic index (a Query per page,
never a Scan), filtered, and sent to the jobs queue as recipient batches for the delivery
worker. Every page is planned once (a marker per page), so a re-run or a second copy of the
job queues nothing twice; a long campaign goes on in a chained job every PAGES_PER_JOB pages.

THE INTERFACE (the queue message, part K's worker reads it):
  {"job": "deliver", "campaign": <id>,
   "message": {"topic", "template", "params", "urgent", "legal",
               "why": {"campaign": <id>, "name": <campaign name>, "rule": <segment text>,
                       "match": [{field, op, value}]}},
   "recipients": [{"party": "person:<id>" | "enterprise:<uscc>", "account": <id>}, ...]}
  at most BATCH recipients a message; every recipient of one message shares its params.
"""
from __future__ import annotations

import json
from datetime import datetime

from ..core import clock
from ..core import store as core_store
from . import campaigns_model as model
from . import campaigns_store as store
from .verify_model import HALL_SENDER

BATCH = 50            # recipients per queue message (and topic index rows per page)
PAGES_PER_JOB = 40    # pages one job plans before it hands on to the next (Lambda's time)
DRY_RUN_PAGE = 1000   # a dry run only counts: the index's largest page (170 Queries a 170,000)
PLAN_JOB = "campaign.plan"
DELIVER_JOB = "deliver"
CITY = "441400"       # a campaign's department is the city's (梅州市税务局)


def _subscribers(settings, topic: str, *, county: str | None, start, limit: int):
    from . import preferences_store  # part I's topic index: one Query on its GSI per call

    return preferences_store.subscribers(settings, topic, county=county, start=start,
                                         limit=limit)


# ---- the lookups the index rows cannot answer: one Query of the party's own partition ------

def _wallet(settings, party: str) -> list[dict]:
    from ..licences import store as licences

    kind, ident = party.split(":", 1)
    return [w["payload"] for w in licences.wallet(settings, kind, ident) if not w["revoked_at"]]


def _applied(settings, party: str, matter: str) -> bool:
    from ..intake import store as intake

    start = None
    while True:
        apps, start = intake.mine(settings, party, limit=100, start=start)
        if any(a["matter"] == matter for a in apps):
            return True
        if not start:
            return False


def _licence_name(code: str) -> str:
    from ..licences import model as licences

    return licences.licence_types().get(code, {}).get("name", code)


def recipient_params(settings, seg: model.Segment, row: dict, params: dict) -> list[dict]:
    """The message params this recipient gets ([] when the lookups exclude them): the
    campaign's, or for a licence-expiry reminder one per licence expiring that day."""
    if seg.holds_licence or seg.licence_expires:
        held = _wallet(settings, row["party"])
        if seg.holds_licence and not any(p["type"] == seg.holds_licence for p in held):
            return []
        if seg.licence_expires:
            return [{**params, "licence": _licence_name(p["type"])[:35],
                     "date": seg.licence_expires}
                    for p in held if (p.get("expires") or "")[:10] == seg.licence_expires]
    if seg.applied_for and not _applied(settings, row["party"], seg.applied_for):
        return []
    return [params]


def matching(settings, campaign: dict, rows: list[dict], today) -> list[tuple[dict, dict]]:
    """(recipient, params) for the rows of one page that fit the segment, each party once
    (an enterprise's staff each have an index row; the worker reaches its staff by role)."""
    seg = model.segment_of(campaign["segment"])
    out, seen = [], set()
    for row in rows:
        if row["party"] in seen or not model.matches(seg, row, today):
            continue
        seen.add(row["party"])
        for params in recipient_params(settings, seg, row, campaign["params"]):
            out.append(({"party": row["party"], "account": row.get("account")}, params))
    return out


def sender(department: str) -> dict:
    """Who a campaign's message is from, as verify-a-message names it: the city's department
    (its name in the catalogue's departments), or the hall for the system's reminders."""
    from ..hall.model import by_code

    dept = by_code("departments").get(department)
    if dept is None:
        return {"name": HALL_SENDER[0], "name_en": HALL_SENDER[1]}
    city = by_code("regions")[CITY]
    return {"name": city["name"] + dept["name"], "name_en": f"{city['name_en']} {dept['name_en']}"}


def message(campaign: dict, params: dict) -> dict:
    seg = model.segment_of(campaign["segment"])
    return {"topic": campaign["topic"], "template": campaign["template"], "params": params,
            "urgent": campaign["urgent"], "legal": campaign["legal"],
            "sender": sender(campaign.get("department") or ""),
            "why": {"campaign": campaign["id"], "name": campaign["name"],
                    "rule": campaign.get("rule") or model.rule_text(seg, campaign["topic"]),
                    "match": model.rule_match(seg, campaign["topic"])}}


def batches(campaign: dict, found: list[tuple[dict, dict]]) -> list[dict]:
    """The queue messages of one page: recipients grouped by their params, BATCH a message."""
    groups: dict[str, tuple[dict, list]] = {}
    for recipient, params in found:
        groups.setdefault(json.dumps(params, sort_keys=True), (params, []))[1].append(recipient)
    out = []
    for params, recipients in groups.values():
        for i in range(0, len(recipients), BATCH):
            out.append({"campaign": campaign["id"], "message": message(campaign, params),
                        "recipients": recipients[i:i + BATCH]})
    return out


# ---- counting without sending (the dry run) -----------------------------------------------

def dry_run(settings, campaign: dict, *, now: datetime, sample: int = 5) -> dict:
    """How many the campaign would reach, by county, and a few masked rows: the same Queries
    and filters as planning, nothing written, nothing sent."""
    seg = model.segment_of(campaign["segment"])
    count, by_county, rows_out, start = 0, {}, [], None
    while True:
        rows, start = _subscribers(settings, campaign["topic"], county=seg.county,
                                   start=start, limit=DRY_RUN_PAGE)
        by_party = {r["party"]: r for r in rows}
        for recipient, _ in matching(settings, campaign, rows, now.date()):
            row = by_party[recipient["party"]]
            count += 1
            county = row.get("county") or "unknown"
            by_county[county] = by_county.get(county, 0) + 1
            if len(rows_out) < sample:
                rows_out.append({"party": model.masked_party(row["party"]), "county": county,
                                 "kind": recipient["party"].split(":", 1)[0]})
        if not start:
            break
    return {"count": count, "by_county": dict(sorted(by_county.items())), "sample": rows_out,
            "nobody": count == 0}


# ---- planning ----------------------------------------------------------------------------

def _send(settings, batch: dict) -> None:
    core_store.enqueue(settings, DELIVER_JOB, **batch)


def plan(settings, campaign_id: str, *, now: datetime, start=None, page: int = 0,
         budget: int | None = PAGES_PER_JOB) -> dict:
    """Plan an approved campaign from page `page` on (its topic index position `start`):
    each page counted as targeted once, its batches queued, then marked sent. Returns
    {pages, queued, done, resume}: resume is the (start, page) to go on from when the budget
    ran out (the job hands it on), None when done or when nothing may be planned."""
    campaign = store.get(settings, campaign_id)
    if campaign is None or campaign["state"] not in model.PLANNABLE:
        return {"pages": 0, "queued": 0, "done": False, "resume": None}
    if campaign["state"] == "scheduled" and datetime.fromisoformat(campaign["send_at"]) > now:
        return {"pages": 0, "queued": 0, "done": False, "resume": None}
    at = clock.iso(now)
    if campaign["state"] != "sending":
        store.move(settings, campaign, "sending", allowed={"approved", "scheduled"}, at=at,
                   audit=None)
    seg = model.segment_of(campaign["segment"])
    pages = queued = 0
    while True:
        if pages and store.state(settings, campaign_id) != "sending":
            return {"pages": pages, "queued": queued, "done": False, "resume": None}
        rows, nxt = _subscribers(settings, campaign["topic"], county=seg.county, start=start,
                                 limit=BATCH)
        status = store.planned(settings, campaign_id, page)
        found = matching(settings, campaign, rows, now.date()) if status != "sent" else []
        # Planned by a copy of this job running beside it: that copy queues the page.
        if status is None and not store.plan_page(settings, campaign_id, page, len(found)):
            status = "sent"
        if status != "sent":
            # A crash before page_sent sends the page again on the re-run: the worker's
            # sent-marker per (campaign, party) makes the copy a no-op.
            for batch in batches(campaign, found):
                _send(settings, batch)
            store.page_sent(settings, campaign_id, page, len(found))
            queued += len(found)
        pages += 1
        page += 1
        start = nxt
        if not start:
            store.move(settings, campaign, "done", allowed={"sending"}, at=at, audit=None,
                       fields={"done_at": at}, due="delete")
            return {"pages": pages, "queued": queued, "done": True, "resume": None}
        if budget is not None and pages >= budget:
            return {"pages": pages, "queued": queued, "done": False,
                    "resume": {"start": start, "page": page}}


def plan_job(settings, job: dict) -> dict:
    """The queue job: plan a budget of pages, then queue the rest as the next job."""
    got = plan(settings, job["campaign"], now=clock.now(), start=job.get("start"),
               page=int(job.get("page", 0)))
    if got["resume"]:
        core_store.enqueue(settings, PLAN_JOB, campaign=job["campaign"], **got["resume"])
    return got


def request_plan(settings, campaign_id: str) -> None:
    """Hand a campaign to the planner (the approval and the schedule do)."""
    core_store.enqueue(settings, PLAN_JOB, campaign=campaign_id, page=0)


JOBS = {PLAN_JOB: plan_job}
