"""Rules of red and yellow cards: which card a clock or a conduct raises, when, the card's
states, and what the officer, the head and the applicant are told. Pure: the time, the
calendar and the documents are passed in."""
from __future__ import annotations

import math
import re
from datetime import date, timedelta

YELLOW, RED = "yellow", "red"
COLOURS = (YELLOW, RED)
OPEN, EXPLAINED, CLOSED = "open", "explained", "closed"
STATES = (OPEN, EXPLAINED, CLOSED)
WARN_SHARE = 0.8  # a yellow card once 80% of a limit is used without action

# The application's clocks the cards watch (names of intake's `deadlines`) and what stops
# each: acceptance (受理) stops the acceptance clock, completion the promised one.
CLOCKS = ("accept_by", "promised")
LIMIT_DAYS = {"accept_by": lambda app: 5, "promised": lambda app: app["limits"]["promised_days"]}

# kind -> colour. Time limits: yellow at 80%, red once passed. Conduct the guard refused
# (a refusal without a reason, materials or conditions outside the guide) is yellow: the
# guard stopped it, so it never reached the applicant; the card records the attempt for
# the head and the supervisor (red is kept for harm done: a limit the applicant waited past).
KINDS = {
    "accept_80": YELLOW, "accept_overdue": RED,
    "promised_80": YELLOW, "promised_overdue": RED,
    "refusal_without_reason": YELLOW, "offguide_request": YELLOW,
    "question_overdue": YELLOW,
}
CLOCK_KINDS = {"accept_by": ("accept_80", "accept_overdue"),
               "promised": ("promised_80", "promised_overdue")}
KIND_ZH = {"accept_80": "受理时限已用80%", "accept_overdue": "超过受理时限",
           "promised_80": "承诺时限已用80%", "promised_overdue": "超过承诺时限",
           "refusal_without_reason": "不予受理/不予办结未说明理由",
           "offguide_request": "要求指南以外的材料或条件",
           "question_overdue": "咨询投诉逾期未答复"}
# After a broken promise the applicant is given a new date: the legal limit when it is still
# ahead (the promise is shorter than the law), else this many working days from today.
CATCH_UP_DAYS = 3

EXPLAIN_MAX, NOTE_MAX = 1000, 500
LIMIT_DEFAULT, LIMIT_MAX = 20, 100
_ID = re.compile(r"[A-Za-z0-9-]{4,60}\.[a-z0-9_]{3,30}")


class NotAllowed(Exception):
    """The caller may not do this with the card."""


class WrongState(Exception):
    """The card is not in a state this step starts from."""


def card_id(subject: str, kind: str) -> str:
    """One card per (application or question, kind): the id is made of both."""
    return f"{subject}.{kind}"


def is_id(cid: str) -> bool:
    return bool(_ID.fullmatch(cid)) and cid.rsplit(".", 1)[1] in KINDS


def warn_day(due: date, days: int, calendar) -> date:
    """The day 80% of a `days` working-day limit ending on `due` is used: the working day
    with `days - ceil(0.8 * days)` working days left before the due date."""
    left = days - math.ceil(WARN_SHARE * days)
    day = due
    while left > 0:
        day -= timedelta(days=1)
        if calendar.is_workday(day):
            left -= 1
    return day


def running(app: dict, clock_name: str) -> str | None:
    """The due date of a clock that runs (it is set, not stopped and not suspended)."""
    if app.get("status") not in ("submitted", "accepted", "in_process"):
        return None
    if clock_name == "accept_by" and app.get("accepted"):
        return None
    clock = (app.get("deadlines") or {}).get(clock_name) or {}
    return clock.get("due") if not clock.get("suspended") else None


def stage(app: dict, clock_name: str, today: date, calendar) -> tuple[str | None, date | None]:
    """What a running clock owes today: the card kind due (None when none yet) and the day
    the next card falls due (None when nothing more can come)."""
    due_s = running(app, clock_name)
    if not due_s:
        return None, None
    due = date.fromisoformat(due_s)
    yellow, red = CLOCK_KINDS[clock_name]
    if today > due:
        return red, None
    days = LIMIT_DAYS[clock_name](app)
    if not days:  # done the same day (即办): no 80% moment before the limit passes
        return None, due + timedelta(days=1)
    warn = warn_day(due, days, calendar)
    if today >= warn:
        return yellow, due + timedelta(days=1)
    return None, warn


def late_kind(before: dict, clock_name: str, today: date, calendar) -> str | None:
    """The card a move that stops a clock shows was earned: acting after the limit (red).
    Acting within it, even past 80%, is the action a yellow card asks for: none."""
    kind, _ = stage(before, clock_name, today, calendar)
    return kind if kind in {red for _, red in CLOCK_KINDS.values()} else None


def new_card(*, kind: str, subject: dict, department: str, region: str, officer: str | None,
             at: str, matter: str | None = None, detail: dict | None = None) -> dict:
    """A raised card. `subject` is {"application": id} or {"question": id}."""
    cid = card_id(subject.get("application") or subject["question"], kind)
    return {"id": cid, "colour": KINDS[kind], "kind": kind, "kind_zh": KIND_ZH[kind],
            "application": subject.get("application"), "question": subject.get("question"),
            "department": department, "region": region, "matter": matter,
            "officer": officer, "raised_at": at, "state": OPEN, "detail": detail or {},
            "explanation": None, "rectified": None, "explained_by": None, "explained_at": None,
            "closed_by": None, "closed_at": None, "note": None}


def may_explain(card: dict, *, subject: str, is_head: bool, department: str | None,
                region: str | None) -> bool:
    """The officer the card names, a head of its department, or (a card naming nobody) any
    officer of the department."""
    own = (department, region) == (card["department"], card["region"])
    return card["officer"] == subject or (own and (is_head or card["officer"] is None))


def explained(card: dict, *, text: str, rectified: bool, by: str, at: str) -> dict:
    if card["state"] != OPEN:
        raise WrongState(card["state"])
    return {**card, "state": EXPLAINED, "explanation": text, "rectified": rectified,
            "explained_by": by, "explained_at": at}


def closed(card: dict, *, note: str, by: str, at: str) -> dict:
    """A supervisor closes an open or explained card; never the officer it names."""
    if card["officer"] == by:
        raise NotAllowed("The officer a card names cannot close it.")
    if card["state"] == CLOSED:
        raise WrongState(card["state"])
    return {**card, "state": CLOSED, "closed_by": by, "closed_at": at, "note": note}


def age_days(card: dict, today: date) -> int:
    return (today - date.fromisoformat(card["raised_at"][:10])).days


def shown(card: dict, today: date) -> dict:
    return {**card, "age_days": age_days(card, today)}


def staff_notice(card: dict) -> dict:
    """What the officer and the head find in their inbox."""
    colour = "红牌" if card["colour"] == RED else "黄牌"
    about = card["application"] or card["question"]
    return {"title": f"效能监督{colour}：{card['kind_zh']}",
            "body": f"{about}：{card['kind_zh']}。请在“效能监督”中说明情况或整改。",
            "link": "/#/officer/cards"}


def new_expected(app: dict, clock_name: str, today: date, calendar) -> date:
    """The date the applicant is now told to expect: the legal limit when still ahead (after a
    broken promise), else CATCH_UP_DAYS working days from today."""
    legal = ((app.get("deadlines") or {}).get("legal") or {}).get("due")
    if clock_name == "promised" and legal and date.fromisoformat(legal) > today:
        return date.fromisoformat(legal)
    return calendar.add_workdays(today, CATCH_UP_DAYS).due


def apology(app: dict, clock_name: str, expected: date) -> dict:
    """The applicant's plain notice and apology when a limit passed."""
    what = "受理" if clock_name == "accept_by" else "办结"
    return {"title": "办件超时致歉",
            "body": f"很抱歉，您申请的“{app['matter_name']}”（{app['id']}）未能在承诺时限内"
                    f"{what}。我们已督促承办部门加快办理，预计{expected.isoformat()}前{what}。",
            "link": f"/#/applications/{app['id']}"}


def summary(rows: list[dict]) -> dict:
    """The month's cards from its counter rows ({department, region, yellow, red, closed})."""
    out = {"raised": {YELLOW: 0, RED: 0}, "closed": 0, "by_department": {}, "by_county": {}}
    for r in rows:
        out["raised"][YELLOW] += r[YELLOW]
        out["raised"][RED] += r[RED]
        out["closed"] += r["closed"]
        for scope, code in (("by_department", r["department"]), ("by_county", r["region"])):
            got = out[scope].setdefault(code, {YELLOW: 0, RED: 0, "closed": 0})
            for k in (YELLOW, RED, "closed"):
                got[k] += r[k]
    return out
