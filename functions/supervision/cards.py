"""Red and yellow cards (issue 12): what every application move adds to its transaction.

A move starts, moves or stops the clocks the cards watch (a watch item keyed by the day the
next card falls due, which the schedule queries), and a move that stops a clock late (受理 or
办结 after 80% or all of its limit) raises that card at once. Nothing is read here: the card is
written so that a stored one stays as it is, its counter is a set of ids, and the notices go
out from the schedule's single raise, so nothing is told or counted twice."""
from __future__ import annotations

from datetime import date, timedelta

from . import cards_model as model
from . import cards_store as store


def _calendar(settings):
    from ..intake.service import work_calendar  # cached: the move has just used it

    return work_calendar(settings)


def _officer(who) -> str | None:
    return who.subject if who is not None and "officer" in who.roles else None


def move_items(settings, before: dict, after: dict, action: str, *, at: str, who,
               note: dict | None = None) -> list[dict]:
    """The watch items (and a late move's card) of the move of `before` to `after`."""
    table, today, calendar = settings.table_name, date.fromisoformat(at[:10]), _calendar(settings)
    officer, items = _officer(who), []
    for clock in model.CLOCKS:
        if model.running(after, clock):
            kind, day = model.stage(after, clock, today, calendar)
            items.append(store.watch_put(table, after["id"], clock, kind="application",
                                         day=today if kind else day, officer=officer))
            continue
        late = model.late_kind(before, clock, today, calendar) if officer else None
        if late:
            card = model.new_card(kind=late, subject={"application": after["id"]},
                                  department=after["department"], region=after["region"],
                                  officer=officer, at=at, matter=after["matter"],
                                  detail={"action": action})
            items += store.raised_items(table, card)
            items.append(store.watch_put(table, after["id"], clock, kind="application",
                                         day=today, officer=officer, notify=card["id"]))
        elif model.running(before, clock):
            items.append(store.watch_delete(table, after["id"], clock))
    return items


def question_items(table: str, q: dict) -> list[dict]:
    """A new question's watch: the day after its answer deadline it owes a yellow card (the
    schedule reads it then and raises the card when it is still open). Every kind of
    question (企业找政府, 我要问, 投诉) has the same due date, so the same watch."""
    due = date.fromisoformat(q["due"])
    return [store.watch_put(table, q["id"], "answer", kind="question",
                            day=due + timedelta(days=1), officer=None)]
