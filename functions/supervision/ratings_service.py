"""Use cases of 好差评: the applicant rates a completed application (logged in, or with the
receipt's query code for a counter application), the department calls back and may appeal,
a supervisor decides, the public reads a matter's or department's ratings, and the month's
summary for the report and the dashboard. Framework-free: settings, the principal, parsed
input and the time."""
from __future__ import annotations

import hmac
from datetime import datetime

from ..core import clock, pii
from ..core.errors import Conflict, Forbidden, NotFound, RuleError
from ..core.store import audit_only, audit_record, rate_hit
from ..identity import store as identity_store
from ..intake import model as intake_model
from ..intake import store as intake_store
from ..intake.service import work_calendar
from . import ratings_model as model
from . import ratings_store as store

# Public ratings by query code, per client address: as 办件查询 and verify-a-message.
PUBLIC_LIMIT, PUBLIC_WINDOW = 20, 600


# ---- rating -----------------------------------------------------------------------------------

def _names(settings, app: dict) -> list[str]:
    """The names a comment must not show: the applicant's (the agent who filed it) and the
    person the application is for."""
    ids = {app.get("applicant")}
    kind, ident = app["owner"].split(":", 1)
    if kind == "person":
        ids.add(ident)
    names = []
    for account in filter(None, ids):
        try:
            names.append(identity_store.get_account(settings, account).get("name") or "")
        except NotFound:
            continue
    return names


def _event_items(settings, rating: dict) -> list[dict]:
    """The rating's process event for the provincial export, in the rating's transaction:
    codes, level and tags only (no comment; the applicant pseudonymous)."""
    from . import exports

    rect = rating["rectification"]
    return [exports.event_item(settings, "rating", {
        "rating": rating["id"], "application": rating["application"],
        "matter": rating["matter"], "department": rating["department"],
        "region": rating["region"], "channel": rating["channel"], "level": rating["level"],
        "tags": rating["tags"], "state": rating["state"], "applicant": rating["owner"],
        "rectification": rect["due"] if rect else None}, rating["rated_at"])]


def _rate(settings, app: dict, *, level: int, tags: list[str], comment: str, by: str,
          now: datetime) -> dict:
    model.rateable(app)
    wrong = model.tags_fit(level, tags)
    if wrong:
        raise RuleError("tags", f"Not a tag of level {level}: {', '.join(wrong)}.",
                        "所选标签与评价等级不符")
    at = clock.iso(now)
    shown = model.masked_comment(comment or "", _names(settings, app))
    due = model.rectify_due(work_calendar(settings), at) if level in model.BAD_LEVELS else None
    rating = model.new_rating(app, level=level, tags=tags, comment=shown, at=at, by=by,
                              rectify_due=due)
    if shown != (comment or "").strip():
        rating["sealed_comment"] = pii.seal(settings, comment.strip(),
                                            f"rating:{rating['id']}:comment")
    store.create(settings, rating, extra=_event_items(settings, rating), audit=None)
    return model.for_applicant(rating)


def rate(settings, who, app_id: str, *, level: int, tags: list[str], comment: str,
         now: datetime) -> dict:
    """The caller rates an application of the party they act for; anyone else's is 404."""
    if who.act and who.act.get("role") == "viewer":
        raise Forbidden("A viewer of this enterprise may not rate its applications.")
    app = intake_store.owned(settings, app_id, who.acting_for)
    if not intake_model.covers(who.act, app["matter"]):  # a family grant's matters only
        raise NotFound("No such application.")
    return _rate(settings, app, level=level, tags=tags, comment=comment, by=who.subject,
                 now=now)


def rate_public(settings, *, application: str, query_code: str, level: int, tags: list[str],
                comment: str, client: str, now: datetime) -> dict:
    """Without login, with the receipt's number and query code (a counter application); a
    wrong number and a wrong code are refused alike, rate-limited per address."""
    rate_hit(settings, "rating", client, limit=PUBLIC_LIMIT, window=PUBLIC_WINDOW,
             now_epoch=int(now.timestamp()))
    refused = NotFound("No application with this number and query code.")
    try:
        app = intake_store.get(settings, application)
    except NotFound:
        raise refused from None
    held = app.get("query_code") or ""
    if not hmac.compare_digest(held.encode(), query_code.encode()) or app["status"] == "draft":
        raise refused
    return _rate(settings, app, level=level, tags=tags, comment=comment, by="query_code",
                 now=now)


def mine(settings, who, app_id: str) -> dict:
    """The rating of the caller's application (404 when not rated or not theirs)."""
    app = intake_store.owned(settings, app_id, who.acting_for)
    if not intake_model.covers(who.act, app["matter"]):  # a family grant's matters only
        raise NotFound("No such application.")
    got = store.get(settings, model.rating_id(app["id"]))
    if not got:
        raise NotFound("This application has not been rated.")
    return model.for_applicant(got)


# ---- the department and the supervisors ----------------------------------------------------------

def _view(settings, r: dict, now: datetime) -> dict:
    return model.for_staff(r, model.standing(r, now.date(), work_calendar(settings)))


def _start_ok(got):
    if got is None:
        raise RuleError("cursor", "The cursor is not one of this listing.",
                        "翻页位置无效，请从第一页重新读取")
    return got


def department_list(settings, who, *, limit: int, start: dict | None, now: datetime):
    """The officer's department and region's ratings, newest first."""
    items, last = _start_ok(store.of_department(settings, who.department or "-",
                                                who.region or "-", limit=limit, start=start))
    return [_view(settings, r, now) for r in items], last


def _is_supervisor(who) -> bool:
    return bool(who.roles & {"supervisor", "admin"})


def supervision_list(settings, who, *, state: str, department: str | None,
                     county: str | None, limit: int, start: dict | None, now: datetime):
    """Ratings in one state; a department head sees their own department and region only."""
    if not _is_supervisor(who):
        department, county = who.department or "-", who.region or "-"
    items, last = _start_ok(store.of_state(settings, state, department=department,
                                           region=county, limit=limit, start=start))
    return [_view(settings, r, now) for r in items], last


def _handled(settings, who, rid: str) -> dict:
    r = store.get(settings, rid)
    if not r or (who.department, who.region) != (r["department"], r["region"]):
        raise NotFound("No such rating in your department.")
    return r


def _apply(settings, who, r: dict, action: str, change, now: datetime, *, notice=False,
           detail: dict | None = None) -> dict:
    """Apply a model step to `r`, audited either way (a refusal as refused)."""
    at = clock.iso(now)
    try:
        new = change(at)
    except Conflict:
        audit_only(settings, audit_record(who, action, r["id"], at=at, result="refused",
                                          subject=r["owner"], detail={"state": r["state"]}))
        raise
    store.update(settings, r, new, notice={**model.notice(new), "at": at} if notice else None,
                 audit=audit_record(who, action, r["id"], at=at, subject=r["owner"], detail={
                     "department": r["department"], "region": r["region"],
                     "state": new["state"], **(detail or {})}))
    return _view(settings, new, now)


def callback(settings, who, rid: str, *, text: str, rectified: bool, now: datetime) -> dict:
    """The department records its call-back on a bad rating; the applicant is told."""
    r = _handled(settings, who, rid)
    return _apply(settings, who, r, "rating.callback", lambda at: model.called_back(
        r, text=text.strip(), rectified=rectified, by=who.subject, at=at), now, notice=True,
        detail={"rectified": rectified})


def appeal(settings, who, rid: str, *, reason: str, now: datetime) -> dict:
    r = _handled(settings, who, rid)
    return _apply(settings, who, r, "rating.appeal", lambda at: model.appealed(
        r, reason=reason.strip(), by=who.subject, at=at), now)


def decide(settings, who, rid: str, *, upheld: bool, note: str, now: datetime) -> dict:
    """A supervisor decides an appeal (a head may not decide their own department's)."""
    r = store.get(settings, rid)
    if not r:
        raise NotFound("No such rating.")
    return _apply(settings, who, r, "rating.appeal_decision", lambda at: model.decided(
        r, upheld=upheld, note=(note or "").strip(), by=who.subject, at=at), now,
        detail={"upheld": upheld})


# ---- reading without login, and the month ------------------------------------------------------

def public(settings, *, matter: str | None, department: str | None, region: str | None,
           limit: int, start: dict | None) -> dict:
    """A matter's or department's ratings: counts per level, the satisfaction rate and the
    latest ratings with their comments masked; upheld appeals are in neither."""
    kind, code = ("matter", matter) if matter else ("department", department)
    counts = store.public_counts(settings, kind, code, region)
    items, last = _start_ok(store.public_latest(settings, store.public_pk(kind, code, region),
                                                limit=limit, start=start))
    return {"scope": {"kind": kind, "code": code, "region": region if kind != "matter"
                      else None}, **model.summary(counts),
            "items": [model.for_public(i) for i in items], "last": last}


def month_summary(settings, month: str) -> dict:
    """The month's ratings ({"month", "count", "by_level", "satisfaction", "by_department",
    "by_county"}) from its counters: one Query of a partition bounded by the departments and
    regions, whatever the number of ratings."""
    return model.month_summary(month, store.month_rows(settings, month))
