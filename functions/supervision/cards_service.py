"""Use cases of red and yellow cards: the schedule that raises them, the guard's conduct
cards, the officer's or head's explanation, the supervisor's closing, the lists and the
month's summary. Framework-free: settings, the principal, parsed input and the time."""
from __future__ import annotations

import logging
from datetime import date, datetime, timedelta

from ..core import clock
from ..core.errors import Conflict, Forbidden, NotFound, RuleError
from ..core.store import audit_put, audit_record
from ..push.store import inbox_puts
from . import cards_model as model
from . import cards_store as store
from . import exports

log = logging.getLogger("hall.supervision")
SUPERVISING = frozenset({"supervisor", "admin"})
EVENTS = {"card.explain": "card.explained", "card.close": "card.closed"}


def _calendar(settings):
    from ..intake.service import work_calendar

    return work_calendar(settings)


def _event(settings, kind: str, card: dict, at: str) -> dict:
    return exports.event_item(settings, kind, {
        "card": card["id"], "colour": card["colour"], "card_kind": card["kind"],
        "application": card["application"], "question": card["question"],
        "department": card["department"], "region": card["region"],
        "matter": card["matter"], "state": card["state"]}, at)


def _told(settings, card: dict, at: str) -> list[dict]:
    """The notices of a raised card: its officer and the department's heads."""
    people = dict.fromkeys([card["officer"]] if card["officer"] else [])
    people.update(dict.fromkeys(store.heads_of(settings, card["department"], card["region"])))
    note = model.staff_notice(card)
    return inbox_puts(settings.table_name, [
        {"account": p, "kind": "card", "at": at, **note} for p in people])


def _raise(settings, card: dict, *, at: str, extra: list[dict] | None = None,
           about: str | None = None) -> str:
    """Raise and tell once: 'raised', or 'exists' (raised and told before), or 'moved' (the
    last of `extra`, a conditional watch write, found the watch changed)."""
    items = [*_told(settings, card, at), _event(settings, "card.raised", card, at),
             audit_put(settings.table_name, **audit_record(
                 None, "card.raise", card["id"], at=at, subject=about,
                 detail={"kind": card["kind"], "department": card["department"],
                         "region": card["region"], "officer": card["officer"]})),
             *(extra or [])]
    got = store.raise_card(settings, card, extra=items)
    if got == "raised":
        log.warning("card raised", extra={"card": card["id"], "colour": card["colour"]})
    return got


def raise_conduct(settings, who, app: dict, kind: str, *, now: datetime,
                  detail: dict | None = None) -> bool:
    """A conduct card the guard's refusal raises (a refusal without a reason, materials or
    conditions outside the guide): once per application and kind."""
    at = clock.iso(now)
    card = model.new_card(kind=kind, subject={"application": app["id"]},
                          department=app["department"], region=app["region"],
                          officer=who.subject if who else None, at=at, matter=app["matter"],
                          detail=detail)
    return _raise(settings, card, at=at, about=app["owner"]) == "raised"


# ---- the schedule ---------------------------------------------------------------------------

def _months(today: date) -> list[str]:
    """The watch partitions the schedule reads: this month and the two before (a watch left
    from before would need the schedule stopped for two months)."""
    first = today.replace(day=1)
    prev = (first - timedelta(days=1)).replace(day=1)
    return [(prev - timedelta(days=1)).strftime("%Y-%m"), prev.strftime("%Y-%m"),
            first.strftime("%Y-%m")]


def raise_due(settings, *, now: datetime) -> dict:
    """Every 15 minutes: the watches whose day has come raise their cards (once: a second run
    finds the watch moved on, and the card's conditional write refuses a second raise)."""
    today, counts = now.date(), {"watched": 0, "raised": 0}
    for watch in store.watches_due(settings, today, _months(today)):
        counts["watched"] += 1
        handle = _question_watch if watch["kind"] == "question" else _application_watch
        counts["raised"] += handle(settings, watch, today, clock.iso(now)) == "raised"
    log.info("cards schedule", extra=counts)
    return counts


def _application_watch(settings, watch: dict, today: date, at: str) -> str | None:
    from ..intake import store as intake_store

    subject, clock_name, day = watch["subject"], watch["clock"], watch["day"]
    try:
        app = intake_store.get(settings, subject)
    except NotFound:
        return store.drop_watch(settings, subject, clock_name, day=day)
    if watch["notify"]:  # a card the move raised: tell, once
        card = store.get(settings, watch["notify"])
        got = _raise(settings, card, at=at, about=app["owner"]) if card else None
        store.drop_watch(settings, subject, clock_name, day=day)
        return got
    calendar = _calendar(settings)
    kind, next_day = model.stage(app, clock_name, today, calendar)
    if kind is None:
        if next_day is None:
            return store.drop_watch(settings, subject, clock_name, day=day)
        return store.move_watch(settings, watch, next_day)  # the deadline was counted again
    card = model.new_card(kind=kind, subject={"application": subject},
                          department=app["department"], region=app["region"],
                          officer=watch["officer"], at=at, matter=app["matter"])
    extra = []
    if model.KINDS[kind] == model.RED:
        expected = model.new_expected(app, clock_name, today, calendar)
        extra = inbox_puts(settings.table_name, [{
            "owner": app["owner"], "kind": "application", "at": at,
            **model.apology(app, clock_name, expected)}])
    extra.append(store.watch_next(settings.table_name, watch, next_day))
    got = _raise(settings, card, at=at, about=app["owner"], extra=extra)
    if got == "exists":
        store.move_watch(settings, watch, next_day)
    return got


def _question_watch(settings, watch: dict, today: date, at: str) -> str | None:
    from . import model as questions
    from . import store as questions_store

    q = questions_store.get(settings, watch["subject"])
    if not q or q["status"] != questions.OPEN:
        return store.drop_watch(settings, watch["subject"], watch["clock"], day=watch["day"])
    due = date.fromisoformat(q["due"])
    if today <= due:
        return store.move_watch(settings, watch, due + timedelta(days=1))
    card = model.new_card(kind="question_overdue", subject={"question": q["id"]},
                          department=q["department"], region=q["region"], officer=None, at=at,
                          matter=q.get("matter"), detail={"question_kind": q["kind"]})
    got = _raise(settings, card, at=at, about=q["owner"],
                 extra=[store.watch_next(settings.table_name, watch, None)])
    if got == "exists":
        store.drop_watch(settings, watch["subject"], watch["clock"], day=watch["day"])
    return got


# ---- the lifecycle ----------------------------------------------------------------------------

def _card(settings, cid: str) -> dict:
    card = store.get(settings, cid)
    if not card:
        raise NotFound("No such card.")
    return card


def explain(settings, who, cid: str, *, text: str, rectified: bool, now: datetime) -> dict:
    """The officer the card names, or a head of its department, explains or rectifies."""
    card = _card(settings, cid)
    if not model.may_explain(card, subject=who.subject, is_head="head" in who.roles,
                             department=who.department, region=who.region):
        raise NotFound("No such card among yours.")
    at = clock.iso(now)
    try:
        new = model.explained(card, text=text.strip(), rectified=rectified, by=who.subject,
                              at=at)
    except model.WrongState as err:
        raise Conflict(f"The card is {card['state']}; it cannot be explained now.",
                       details={"state": card["state"]}) from err
    _save(settings, card, new, who, "card.explain", at,
          detail={"rectified": rectified, "state": new["state"]})
    return model.shown(new, now.date())


def close(settings, who, cid: str, *, note: str, now: datetime) -> dict:
    """A supervisor closes the card with a note; the officer it names never can (403)."""
    card = _card(settings, cid)
    at = clock.iso(now)
    try:
        new = model.closed(card, note=note.strip(), by=who.subject, at=at)
    except model.NotAllowed as err:
        raise Forbidden(str(err)) from err
    except model.WrongState as err:
        raise Conflict("The card is closed already.", details={"state": card["state"]}) from err
    _save(settings, card, new, who, "card.close", at, detail={"state": new["state"]},
          extra=[store.stat_item(settings.table_name, new, "closed", at[:7])])
    return model.shown(new, now.date())


def _save(settings, card: dict, new: dict, who, action: str, at: str, *, detail: dict,
          extra: list[dict] | None = None) -> None:
    items = [audit_put(settings.table_name, **audit_record(who, action, card["id"], at=at,
                                                           detail=detail)),
             _event(settings, EVENTS[action], new, at), *(extra or [])]
    if not store.save(settings, card, new, extra=items):
        raise Conflict("The card changed meanwhile; read it again.",
                       details={"state": (store.get(settings, card["id"]) or card)["state"]})


# ---- reading ---------------------------------------------------------------------------------

def _page(got, now: datetime):
    if got is None:
        raise RuleError("cursor", "The cursor is not one of this listing.",
                        "翻页位置无效，请从第一页重新读取")
    items, last = got
    return [model.shown(c, now.date()) for c in items], last


def supervised(settings, who, *, state: str, colour: str | None, department: str | None,
               county: str | None, limit: int, start: dict | None, now: datetime):
    """Supervisors and admins: every card, filtered; a head: their department's only."""
    if not who.roles & SUPERVISING:
        if department not in (None, who.department) or county not in (None, who.region):
            raise Forbidden("A head sees the cards of their own department.")
        department, county = who.department or "-", who.region or "-"
    return _page(store.listing(settings, state=state, department=department, region=county,
                               colour=colour, officer=None, limit=limit, start=start), now)


def officers(settings, who, *, state: str, limit: int, start: dict | None, now: datetime):
    """An officer's own cards; a head's department's."""
    mine = None if "head" in who.roles else who.subject
    return _page(store.listing(settings, state=state, department=who.department or "-",
                               region=who.region or "-", colour=None, officer=mine,
                               limit=limit, start=start), now)


def get(settings, who, cid: str, *, now: datetime) -> dict:
    card = _card(settings, cid)
    if not who.roles & SUPERVISING and not model.may_explain(
            card, subject=who.subject, is_head="head" in who.roles,
            department=who.department, region=who.region):
        raise NotFound("No such card among yours.")
    return model.shown(card, now.date())


def month_summary(settings, month: str) -> dict:
    """The month's cards (raised by colour, closed; per department and per county): one Query
    of the month's counter rows, however many cards there were."""
    return {"month": month, **model.summary(store.month_rows(settings, month))}
