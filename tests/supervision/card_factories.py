"""Plain factories for the card tests: a fixed working-day clock in a year no other test
uses (2035, weekends only), an applicant, officers and a head of 档案局 (DAJ, 441400)."""
from __future__ import annotations

import itertools
from datetime import date, datetime, time, timedelta

from functions.core import clock
from functions.core.auth import Principal

MATTER = "441400-DAJ-0001"   # 档案查询: promised 2 working days, legal 5
DEPT, REGION = "DAJ", "441400"
FORM = {"archive_type": "婚姻档案", "reason": "办理房产过户需要婚姻档案证明"}
MONDAY = date(2035, 3, 5)    # a Monday; 2035 has no holiday schedule: weekends only
PASSWORD = "Meizhou-2026!"
_seq = itertools.count(1)


def at(day: date, hour: int = 10, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=clock.CHINA)


def workday(n: int) -> date:
    """The n-th working day after MONDAY (0: MONDAY), weekends skipped."""
    day, left = MONDAY, n
    while left:
        day += timedelta(days=1)
        left -= day.weekday() < 5
    return day


def applicant(settings) -> Principal:
    from tests.intake.factories import person

    return person(settings, phone=f"1990220{next(_seq):04d}")


def staff_account(settings, *, department: str = DEPT, region: str = REGION,
                  kind: str = "officer", roles: tuple = ("officer",)) -> dict:
    from functions.identity import cn_ids
    from functions.identity.cli import create_staff

    n = next(_seq)
    return create_staff(settings, kind=kind, name="档案员", password=PASSWORD,
                        id_number=cn_ids.make_id_number("441402", date(1980, 1, 1), 700 + n),
                        phone=f"1990220{n:04d}", roles=list(roles), department=department,
                        region=region)


def officer_of(account: dict, *, head: bool = False) -> Principal:
    roles = {"officer", "head"} if head else {"officer"}
    return Principal(subject=account["id"], kind="officer", roles=frozenset(roles),
                     department=account["department"], region=account["region"], level=3)


def headers_of(token, account: dict, *roles: str) -> dict:
    return token(*(roles or ("officer",)), department=account["department"],
                 region=account["region"], subject=account["id"])


def submitted(settings, who, day: date) -> dict:
    """A complete application of MATTER submitted on `day` at 09:00."""
    from functions.intake import service
    from tests.intake.factories import drafted

    app = drafted(settings, who, MATTER, FORM)
    return service.submit(settings, who, app["id"], now=at(day, 9))


def act(settings, officer: Principal, app_id: str, action: str, day: date, **kw) -> dict:
    from functions.intake import service

    return service.act(settings, officer, app_id, action=action, now=at(day, 11), **kw)


def schedule(settings, day: date, hour: int = 10) -> dict:
    from functions.supervision import cards_service

    return cards_service.raise_due(settings, now=at(day, hour))


def card(settings, subject: str, kind: str) -> dict | None:
    from functions.supervision import cards_store

    return cards_store.get(settings, f"{subject}.{kind}")


def notices(settings, account: str, kind: str | None = None) -> list[dict]:
    from functions.push import store

    items, _ = store.page(settings, f"person:{account}", kinds=None, unread=False, limit=100,
                          start=None)
    return [n for n in items if kind is None or n["kind"] == kind]
