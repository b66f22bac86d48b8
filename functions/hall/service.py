"""Hall use cases: the public catalogue reads, search with its miss log, scenarios, and the
departments' maintenance and publication of the catalogue. Framework-free: settings, the
principal (`who`), parsed input and the time."""
from __future__ import annotations

import logging
from datetime import date, datetime, timedelta

from ..core import clock
from ..core.errors import Forbidden, NotFound
from ..core.store import audit_only, audit_record, enqueue
from ..identity import model as identity_model
from . import model, store

log = logging.getLogger("hall.service")
PUBLISH_JOB = "catalogue.publish"


def catalogue(settings) -> model.Catalogue:
    """The published catalogue, from memory when warm (store.current_catalogue)."""
    return store.current_catalogue(settings)


# What a warm instance keeps of encoded answers per catalogue version, in bytes: the reads
# people make (themes, hot services, guides, the first pages of listings) fit many times over;
# a crawl through every filter and page only stops being kept.
ANSWERS_BYTES = 16 * 1024 * 1024


def answer(settings, key: tuple, build) -> tuple:
    """The answer of a public catalogue read as `build()` encodes it (a tuple of bytes, e.g.
    the JSON and its gzip), built on this instance's first ask and kept with the catalogue
    version it shows, so a warm read after the first is a dict lookup and a newer snapshot
    starts with none. Errors raised by `build` (bad input, no such matter) keep nothing."""
    cat = catalogue(settings)
    got = cat.answers.get(key)
    if got is None:
        got = build()
        size = sum(len(part) for part in got if part) + 200  # + the key and the tuple
        if cat.answer_bytes + size <= ANSWERS_BYTES:
            cat.answers[key] = got
            cat.answer_bytes += size
    return got


# ---- public reads ---------------------------------------------------------------------------

def health(settings) -> dict:
    return {"status": "ok", "catalogue_version": catalogue(settings).version}


def themes(settings, audience: str, region: str | None = None) -> list[dict]:
    return catalogue(settings).themes(audience, region)


def matters(settings, *, q: str | None = None, audience: str | None = None,
            region: str | None = None, theme: str | None = None, department: str | None = None,
            hot: str | None = None, lang: str = "zh", offset: int = 0, limit: int = 20,
            at: datetime) -> model.Page:
    """A page of matters: filtered in the default order (one entry per matter for the whole
    city), or ranked by the query `q`. A search's first page also names the life-event
    scenarios it asks about; a search that finds nothing suggests spellings, the hot services
    and the hotline, and is counted for the content editors."""
    cat = catalogue(settings)
    filters = {"theme": theme, "department": department, "hot": hot}
    if q is None:
        items = cat.summaries_of(cat.listing(cat.ordered, audience=audience, region=region,
                                             **filters))
        return model.paginate(items, offset, limit)
    q = q.strip()
    items = cat.find(q, audience=audience, region=region, lang=lang, **filters)
    page = model.paginate(items, offset, limit)
    if offset == 0:
        page.extra["scenarios"] = cat.find_scenarios(q, audience=audience, lang=lang)
    if not items:
        page.extra["suggestions"] = cat.suggestions(q, audience=audience, region=region,
                                                    lang=lang)
        if q:
            _record_miss(settings, q, at)
    return page


def _record_miss(settings, q: str, at: datetime) -> None:
    try:
        store.record_miss(settings, q.lower()[:100], at.date().isoformat(), clock.iso(at))
    except Exception:  # a lost miss must never cost the citizen their answer
        log.warning("could not record a search miss", exc_info=True)


def matter(settings, code: str, *, near: tuple[float, float] | None = None) -> dict:
    """A matter's guide with the service points that handle it (nearest first with `near`)."""
    cat = catalogue(settings)
    found = cat.matters.get(code)
    if not found:
        raise NotFound(f"No matter {code}.")
    points = cat.service_points(matter=code, near=near)
    return {**cat.guides[code], "required_level": identity_model.required_level(found),
            "service_points": points, "catalogue_version": cat.version}


def contract() -> bytes:
    """openapi.yaml, as the departments that integrate read it."""
    from . import docs

    return docs.spec()


def docs_page() -> tuple[str, str]:
    """The page rendering the contract, and its own Content-Security-Policy."""
    from . import docs

    return docs.page()


def docs_asset(name: str) -> tuple[bytes, str]:
    """A vendored file of the contract's page (404 for any other name)."""
    from . import docs

    return docs.asset(name)


def departments() -> list[dict]:
    return list(model.reference("departments"))


def regions() -> list[dict]:
    return list(model.reference("regions"))


def hot_services(settings, audience: str | None = None, region: str | None = None) -> list:
    return catalogue(settings).hot_services(audience, region)


def scenarios(settings, audience: str | None = None) -> list[dict]:
    return [s for s in catalogue(settings).scenario_briefs.values()
            if not audience or s["audience"] == audience]


def _scenario(settings, code: str) -> dict:
    found = catalogue(settings).scenarios.get(code)
    if not found:
        raise NotFound(f"No scenario {code}.")
    return found


def scenario(settings, code: str) -> dict:
    return model.scenario_questions(_scenario(settings, code))


def resolve_scenario(settings, code: str, answers: dict[str, str]) -> list[dict]:
    """The matters a person needs given their answers; an answer to a question the scenario
    lacks, or a value not among the question's options, is a RuleError (422) naming it."""
    model.check_answers(_scenario(settings, code), answers)
    return catalogue(settings).resolve_scenario(code, answers)


def service_points(settings, *, region: str | None = None, type_: str | None = None,
                   matter: str | None = None, near: tuple[float, float] | None = None,
                   offset: int = 0, limit: int = 20) -> model.Page:
    points = catalogue(settings).service_points(region=region, type_=type_, matter=matter,
                                                near=near)
    return model.paginate(points, offset, limit)


# ---- departments maintain the catalogue -----------------------------------------------------

def _check_scope(who, doc: dict) -> None:
    if not model.may_maintain(who.roles, who.department, who.region, doc):
        raise Forbidden("You may only maintain your own department's matters in your region.")


def _save(settings, who, doc: dict, previous: int | None, action: str, at: datetime) -> dict:
    audit = audit_record(who, action, doc["code"], at=clock.iso(at),
                         detail={"version": doc["version"]})
    return store.save_matter(settings, doc, previous_version=previous, audit=audit)


def _editable(settings, who, code: str, if_match: str | None) -> dict:
    """The stored draft, if `who` may change it and (with If-Match) saw this version."""
    current = store.get_matter(settings, code)
    _check_scope(who, current)
    model.check_version(current["version"], if_match)
    return current


def create_matter(settings, who, doc: dict, *, at: datetime) -> dict:
    """Version 1 of a new matter; sending the same matter again is a repeat, not a clash."""
    _check_scope(who, doc)
    return _save(settings, who, {**doc, "version": 1, "status": "active"}, None,
                 "matter.create", at)


def update_matter(settings, who, code: str, doc: dict, *, if_match: str | None,
                  at: datetime) -> dict:
    """A new version with new content; the matter may not leave the caller's scope."""
    current = _editable(settings, who, code, if_match)
    doc = {**doc, "code": code}
    _check_scope(who, doc)
    doc.update(version=current["version"] + 1, status=current["status"])
    return _save(settings, who, doc, current["version"], "matter.update", at)


def withdraw_matter(settings, who, code: str, *, if_match: str | None, at: datetime) -> dict:
    current = _editable(settings, who, code, if_match)
    return _save(settings, who, model.withdrawn(current), current["version"],
                 "matter.withdraw", at)


def draft(settings, who, code: str) -> dict:
    """The stored draft with its version history."""
    doc = store.get_matter(settings, code)
    _check_scope(who, doc)
    return {**doc, "history": store.matter_history(settings, code)}


def catalogue_status(settings) -> dict:
    ptr = store.pointer(settings)
    return {k: ptr[k] for k in ("version", "published_at", "draft_rev", "published_rev")}


def request_publish(settings, who) -> dict:
    """Publishing builds the search index (seconds of work): the worker does it. The job
    names the drafts' revision and the moment it was asked for (see _publish_job). The request
    is audited as the caller's (the worker's publish is the system's)."""
    audit_only(settings, audit_record(who, "catalogue.publish_request", "catalogue",
                                      at=clock.iso(), detail={"job": PUBLISH_JOB}))
    enqueue(settings, PUBLISH_JOB, actor=who.subject, requested_at=clock.iso(),
            draft_rev=store.pointer(settings)["draft_rev"])
    return {"status": "queued"}


_closed_days: dict[tuple[str, str], dict] = {}  # (table, day) -> a past day's misses


def search_misses(settings, *, days: int, today: date) -> list[dict]:
    """What people searched for and did not find over the last `days` days, most asked first.
    A day before yesterday changes no more: a warm function reads it once (up to 90 Queries
    a call otherwise)."""
    totals: dict[str, dict] = {}
    for i in range(days):
        day = (today - timedelta(days=i)).isoformat()
        key = (settings.table_name, day)
        misses = _closed_days.get(key) if i >= 2 else None  # yesterday and today: fresh
        if misses is None:
            misses = store.misses_of_day(settings, day)
            if i >= 2:
                if len(_closed_days) > 1000:
                    _closed_days.clear()
                _closed_days[key] = misses
        for q, (count, last) in misses.items():
            entry = totals.setdefault(q, {"q": q, "count": 0, "last_seen": ""})
            entry["count"] += count
            entry["last_seen"] = max(entry["last_seen"], last)
    return sorted(totals.values(), key=lambda e: (-e["count"], e["q"]))


# ---- publication ------------------------------------------------------------------------------

def publish(settings, *, actor: str = "system", at: str | None = None) -> dict:
    """Build a snapshot of the drafts with its search index and make it current (seconds of
    work: a queue job, the CLI, or the schedule)."""
    from .english import build_english_index
    from .index import build_index  # publish time only: pulls in the pinyin dictionary

    at = at or clock.iso()
    ptr = store.pointer(settings)
    drafts = store.list_drafts(settings, "MATTERS")
    active = [m for m in drafts if m["status"] == "active"]
    thesaurus = (model.DATA / "thesaurus.tsv").read_text(encoding="utf-8")
    thesaurus_en = (model.DATA / "thesaurus_en.tsv").read_text(encoding="utf-8")
    scenarios = store.list_drafts(settings, "SCENARIOS")
    scen_zh, scen_en = model.scenario_docs(scenarios)
    offices = model.parse_offices((model.DATA / "offices.tsv").read_text(encoding="utf-8"))
    snapshot = model.build_snapshot(
        version=ptr["version"] + 1, published_at=at, matters=drafts,
        points=store.list_drafts(settings, "POINTS"), scenarios=scenarios,
        index=build_index(active, thesaurus),
        extra={"index_en": build_english_index(model.english_docs(active), thesaurus_en),
               "scenario_index": build_index(scen_zh, thesaurus, themes=[], departments=[],
                                             regions=[]),
               "scenario_index_en": build_english_index(scen_en, thesaurus_en),
               "offices": model.office_table(offices)},
    )
    audit = audit_record(None, "catalogue.publish", f"v{snapshot['version']}", at=at,
                         detail={"matters": len(drafts)}, actor=actor)
    key = store.save_snapshot(settings, snapshot, draft_rev=ptr["draft_rev"], audit=audit)
    log.info("catalogue published", extra={"version": snapshot["version"], "key": key})
    return {"version": snapshot["version"], "key": key, "matters": len(active),
            "published_at": at}


def republish_if_dirty(settings) -> dict:
    """Publish when departments changed drafts since the last snapshot."""
    ptr = store.pointer(settings)
    if ptr["draft_rev"] <= ptr["published_rev"] and ptr["key"]:
        return {"published": False, "version": ptr["version"]}
    return {"published": True, **publish(settings, actor="schedule")}


def _answered(ptr: dict, job: dict) -> bool:
    """Has a publication begun since the request, with the drafts it asked for? Then SQS
    handed the request out again, or after a later one's: nothing new to publish."""
    asked = job.get("requested_at")
    return bool(asked and ptr["key"] and ptr["published_at"]
                and datetime.fromisoformat(ptr["published_at"]) >= datetime.fromisoformat(asked)
                and ptr["published_rev"] >= int(job.get("draft_rev") or 0))


def _publish_job(settings, job: dict) -> dict:
    ptr = store.pointer(settings)
    if _answered(ptr, job):
        return {"published": False, "version": ptr["version"]}
    return publish(settings, actor=job.get("actor", "system"))


# Queue jobs of this room: job name -> service function(settings, job). workers.py dispatches.
JOBS = {PUBLISH_JOB: _publish_job}
