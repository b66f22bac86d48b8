"""Cards raised by the schedule and at transitions: the 80% and 100% moments on the
working-day calendar (a fixed clock), idempotence, the told officer and head, the apology."""
from __future__ import annotations

import pytest

from tests.helpers import ok
from tests.supervision import card_factories as f


def _grant(client, token, account):
    return client.post(f"/api/v1/admin/accounts/{account['id']}/head",
                       headers=token("admin", subject="admin-cards", kind="admin"),
                       json={"department": account["department"],
                             "region": account["region"]})


def test_acceptance_limit_yellow_at_80_red_once_passed_each_once(settings, client, token):
    head = f.staff_account(settings)
    ok(_grant(client, token, head), 201)
    who = f.applicant(settings)
    app = f.submitted(settings, who, f.MONDAY)
    # 受理 within 5 working days: due the 5th working day, 80% used after the 4th.
    assert app["deadlines"]["accept_by"]["due"] == f.workday(5).isoformat()

    f.schedule(settings, f.workday(3))
    assert f.card(settings, app["id"], "accept_80") is None
    f.schedule(settings, f.workday(4))
    yellow = f.card(settings, app["id"], "accept_80")
    assert yellow["colour"] == "yellow" and yellow["state"] == "open"
    assert yellow["officer"] is None and yellow["department"] == f.DEPT
    f.schedule(settings, f.workday(4), hour=11)            # the schedule runs again: nothing new
    f.schedule(settings, f.workday(5))                     # the due day itself: not passed yet
    told = [n for n in f.notices(settings, head["id"], "card") if app["id"] in n["body"]]
    assert len(told) == 1 and "黄牌" in told[0]["title"]
    assert f.card(settings, app["id"], "accept_overdue") is None

    f.schedule(settings, f.workday(6))
    f.schedule(settings, f.workday(6), hour=12)
    red = f.card(settings, app["id"], "accept_overdue")
    assert red["colour"] == "red"
    told = [n for n in f.notices(settings, head["id"], "card") if app["id"] in n["body"]]
    assert len(told) == 2
    sorry = [n for n in f.notices(settings, who.subject, "application") if "致歉" in n["title"]]
    # The new expected date: three working days from the day the limit was found passed.
    assert len(sorry) == 1 and f.workday(9).isoformat() in sorry[0]["body"]


def test_promised_limit_and_a_late_completion_raised_at_the_transition(settings, client, token):
    from functions.supervision import cards_service

    officer = f.staff_account(settings)
    me = f.officer_of(officer)
    who = f.applicant(settings)
    app = f.submitted(settings, who, f.MONDAY)
    f.act(settings, me, app["id"], "accept", f.workday(1))        # in time: no card
    assert f.card(settings, app["id"], "accept_80") is None
    # Promised 2 working days from acceptance: 80% of 2 days leaves none, so the yellow card
    # falls on the due day; red the day after.
    promised_due = f.workday(3)
    f.schedule(settings, f.workday(2))
    assert f.card(settings, app["id"], "promised_80") is None
    f.schedule(settings, promised_due)
    assert f.card(settings, app["id"], "promised_80")["officer"] == officer["id"]
    # Completed late, before any schedule ran: the move itself raises the red card.
    f.act(settings, me, app["id"], "approve", f.workday(5))
    red = f.card(settings, app["id"], "promised_overdue")
    assert red and red["officer"] == officer["id"] and red["detail"] == {"action": "approve"}
    before = len(f.notices(settings, officer["id"], "card"))
    f.schedule(settings, f.workday(5), hour=12)                   # tells the officer, once
    f.schedule(settings, f.workday(5), hour=13)
    f.schedule(settings, f.workday(8))                            # the clock stopped: nothing more
    assert len(f.notices(settings, officer["id"], "card")) == before + 1
    summary = cards_service.month_summary(settings, "2035-03")
    dept = summary["by_department"][f.DEPT]
    assert dept["yellow"] >= 1 and dept["red"] >= 1 and summary["raised"]["red"] >= 1
    # No apology: the application was completed (late) when the red card was raised.
    assert not [n for n in f.notices(settings, who.subject, "application")
                if "致歉" in n["title"]]


def test_conduct_cards_refusal_without_reason_and_materials_outside_the_guide(settings):
    from functions.core.errors import RuleError

    officer = f.officer_of(f.staff_account(settings))
    app = f.submitted(settings, f.applicant(settings), f.MONDAY)
    for _ in range(2):
        with pytest.raises(RuleError):
            f.act(settings, officer, app["id"], "reject", f.MONDAY)
        with pytest.raises(RuleError):
            f.act(settings, officer, app["id"], "return", f.MONDAY, items=["房产证原件"])
    refusal = f.card(settings, app["id"], "refusal_without_reason")
    offguide = f.card(settings, app["id"], "offguide_request")
    assert refusal["colour"] == offguide["colour"] == "yellow"
    assert refusal["officer"] == officer.subject
    assert offguide["detail"] == {"outside": ["房产证原件"]}
    assert len([n for n in f.notices(settings, officer.subject, "card")
                if app["id"] in n["body"]]) == 2     # two cards, each told once


def test_an_unanswered_question_raises_a_yellow_card_once(settings, token):
    from functions.supervision import service
    from tests.push.inbox_factories import principal
    from tests.supervision.question_factories import company

    firm = company(settings, token)
    asker = principal(firm["rep"], firm["act"])
    q, _ = service.ask(settings, asker, department="SWJ", matter=None, subject="发票",
                       text="请问如何申领电子发票？", idem_key=None, now=f.at(f.MONDAY))
    answered, _ = service.ask(settings, asker, department="SWJ", matter=None, subject="税率",
                              text="小规模纳税人税率是多少？", idem_key=None,
                              now=f.at(f.MONDAY))
    from tests.intake.factories import officer

    service.answer(settings, officer("SWJ", "441402"), answered["id"], text="按规定执行。",
                   now=f.at(f.workday(2)))
    f.schedule(settings, f.workday(5))                     # the due day: not overdue yet
    assert f.card(settings, q["id"], "question_overdue") is None
    f.schedule(settings, f.workday(6))
    f.schedule(settings, f.workday(7))
    card = f.card(settings, q["id"], "question_overdue")
    assert card["colour"] == "yellow" and card["question"] == q["id"]
    assert (card["department"], card["region"]) == ("SWJ", "441402")
    assert f.card(settings, answered["id"], "question_overdue") is None
    # A citizen's complaint (投诉, due in 10 working days) is watched the same way.
    citizen = f.applicant(settings)
    complaint, _ = service.ask(settings, citizen, department="DAJ", matter=None,
                               subject="查档", text="查档窗口多次让我补交指南以外的材料。",
                               idem_key=None, now=f.at(f.MONDAY), kind="complaint",
                               region=f.REGION)
    assert complaint["due"] == f.workday(10).isoformat()
    f.schedule(settings, f.workday(10))
    assert f.card(settings, complaint["id"], "question_overdue") is None
    f.schedule(settings, f.workday(11))
    late = f.card(settings, complaint["id"], "question_overdue")
    assert late["detail"] == {"question_kind": "complaint"} and late["department"] == "DAJ"


def test_the_schedule_never_scans_and_the_summary_is_one_query(settings):
    from functions.core import aws
    from functions.supervision import cards_service

    for _ in range(3):   # three more applications waiting for acceptance: watches due
        f.submitted(settings, f.applicant(settings), f.MONDAY)
    calls: list[str] = []

    def hook(model, params, **_):
        calls.append(model.name)

    client = aws.client("dynamodb", settings)
    client.meta.events.register("before-call.dynamodb", hook)
    try:
        f.schedule(settings, f.workday(12))
        ran = list(calls)
        calls.clear()
        cards_service.month_summary(settings, "2035-03")
    finally:
        client.meta.events.unregister("before-call.dynamodb", hook)
    assert "Scan" not in ran and ran.count("Query") >= 3   # the watch partitions, by month
    assert calls == ["Query"]


def test_two_schedules_at_once_raise_and_tell_once(settings):
    from concurrent.futures import ThreadPoolExecutor

    officer = f.staff_account(settings)
    me = f.officer_of(officer)
    app = f.submitted(settings, f.applicant(settings), f.MONDAY)
    f.act(settings, me, app["id"], "accept", f.MONDAY)            # promised: due workday(2)
    with ThreadPoolExecutor(2) as pool:
        list(pool.map(lambda _: f.schedule(settings, f.workday(3)), range(2)))
    assert f.card(settings, app["id"], "promised_overdue")["officer"] == officer["id"]
    told = [n for n in f.notices(settings, officer["id"], "card") if app["id"] in n["body"]]
    assert len(told) == 1
