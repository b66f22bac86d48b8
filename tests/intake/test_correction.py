"""补正: a return suspends the department's clocks and starts the applicant's correction
deadline; resubmission resumes the clocks with the working days left; the schedule reminds
before the deadline and lapses after it, once, and never lapses a resubmitted application."""
from __future__ import annotations

from datetime import date, datetime

import pytest

from functions.core import aws, clock
from functions.intake import model, service, store
from functions.intake.calendar import WorkCalendar
from functions.intake.service import corrections
from tests.intake.factories import CARD, CARD_FORM, drafted, officer

RSJ = officer("RSJ")
CAL = WorkCalendar()  # 2026 is in the chinesecalendar package


def at(day: str, hour: int = 10) -> datetime:
    return datetime.fromisoformat(f"{day}T{hour:02d}:00:00").replace(tzinfo=clock.CHINA)


def inbox(settings, account_id: str) -> list[dict]:
    resp = aws.client("dynamodb", settings).query(
        TableName=settings.table_name, ConsistentRead=True,
        KeyConditionExpression="pk = :pk AND begins_with(sk, :i)",
        ExpressionAttributeValues={":pk": {"S": f"ACCOUNT#{account_id}"},
                                   ":i": {"S": "INBOX#"}})
    return [{"title": i["title"]["S"], "body": i["body"]["S"]} for i in resp["Items"]]


def returned(settings, who, *, submitted: str, accepted: str | None, on: str) -> dict:
    app = drafted(settings, who, CARD, CARD_FORM)
    service.submit(settings, who, app["id"], now=at(submitted))
    if accepted:
        service.act(settings, RSJ, app["id"], action="accept", now=at(accepted))
    return service.act(settings, RSJ, app["id"], action="return", items=["近期免冠彩色证件照片"],
                       now=at(on))


def test_a_return_suspends_the_clocks_and_resubmission_resumes_them_with_the_days_left(
        settings, someone):
    app = returned(settings, someone, submitted="2026-03-02", accepted="2026-03-03",
                   on="2026-03-10")
    legal_before = CAL.add_workdays(date(2026, 3, 3), 15).due       # CARD: legal 15, promised 5
    promised_before = CAL.add_workdays(date(2026, 3, 3), 5).due
    d = app["deadlines"]
    # Waiting for the applicant: no due date of the department's at all.
    assert d["current"] is None and d["suspended"] is True
    assert d["legal"]["due"] is None and d["legal"]["suspended"] is True
    assert d["legal"]["left"] == CAL.workdays_between(date(2026, 3, 10), legal_before)
    # The promise had run out by the day of the return: its (overdue) date stands.
    assert d["promised"]["due"] == promised_before.isoformat()
    # The applicant's deadline: 15 working days from the return.
    assert app["correction"]["due"] == CAL.add_workdays(date(2026, 3, 10), 15).due.isoformat()
    service.update_form(settings, someone, app["id"], {**CARD_FORM, "delivery": "窗口自取"},
                        now=at("2026-03-20"))
    again = service.submit(settings, someone, app["id"], now=at("2026-03-23"))
    left = CAL.workdays_between(date(2026, 3, 10), legal_before)
    assert again["deadlines"]["legal"]["due"] == CAL.add_workdays(
        date(2026, 3, 23), left).due.isoformat()
    # A clock that had run out keeps its date; acceptance stays as it was decided.
    assert again["deadlines"]["promised"]["due"] == promised_before.isoformat()
    assert again["deadlines"]["suspended"] is False and again["correction"]["open"] is False
    # Both rounds in the timeline (the draft was made today, the rest dated in March).
    actions = [e["action"] for e in service.get(settings, someone, app["id"])["events"]]
    assert [a for a in actions if a != "create"] == ["submit", "accept", "return", "submit"]


def test_the_acceptance_clock_resumes_too(settings, someone):
    app = returned(settings, someone, submitted="2026-03-02", accepted=None, on="2026-03-04")
    assert app["deadlines"]["accept_by"]["due"] is None
    left = app["deadlines"]["accept_by"]["left"]
    assert left == 5 - CAL.workdays_between(date(2026, 3, 2), date(2026, 3, 4)) == 3
    again = service.submit(settings, someone, app["id"], now=at("2026-03-16"))
    assert again["deadlines"]["accept_by"]["due"] == CAL.add_workdays(
        date(2026, 3, 16), 3).due.isoformat()
    assert again["deadlines"]["current"] == again["deadlines"]["accept_by"]["due"]


def test_the_return_notice_names_the_correction_deadline(settings, someone):
    app = returned(settings, someone, submitted="2026-04-01", accepted=None, on="2026-04-02")
    notes = [n for n in inbox(settings, someone.subject) if n["title"] == "办件待补正"]
    assert notes and app["correction"]["due"] in notes[-1]["body"]


def run(settings, day: str) -> dict:
    return corrections.run_corrections(settings, now=at(day, 2))


def test_the_schedule_reminds_once_then_lapses_once(settings, someone):
    app = returned(settings, someone, submitted="2026-05-06", accepted=None, on="2026-05-07")
    due = date.fromisoformat(app["correction"]["due"])
    early = CAL.add_workdays(date(2026, 5, 7), 5).due.isoformat()
    run(settings, early)
    assert not [n for n in inbox(settings, someone.subject) if n["title"] == "办件补正即将到期"]
    near = [d for d in (date(2026, 5, 7 + i) for i in range(24)) if CAL.is_workday(d)
            and CAL.workdays_between(d, due) == 2][0].isoformat()
    run(settings, near)
    run(settings, near)  # a second run (or a twin delivery) sends nothing more
    reminders = [n for n in inbox(settings, someone.subject) if n["title"] == "办件补正即将到期"]
    assert len(reminders) == 1 and app["correction"]["due"] in reminders[0]["body"]
    run(settings, due.isoformat())  # the last day still belongs to the applicant
    assert service.get(settings, someone, app["id"])["status"] == "returned"
    after = CAL.next_workday(due).isoformat()
    run(settings, after)
    run(settings, after)
    got = service.get(settings, someone, app["id"])
    assert got["status"] == "lapsed" and got["status_zh"] == "已失效（逾期未补正）"
    assert [e["action"] for e in got["events"]].count("lapse") == 1
    assert next(e for e in got["events"] if e["action"] == "lapse")["by"] == "system"
    lapsed = [n for n in inbox(settings, someone.subject)
              if n["title"] == "办件已失效（逾期未补正）"]
    assert len(lapsed) == 1
    # Lapsed is terminal: no resubmission, no more correction marks for the schedule.
    with pytest.raises(Exception) as err:
        service.submit(settings, someone, app["id"], now=at(after))
    assert err.value.status == 409
    assert not [m for m in store.corrections_due(settings, "2099-12-31") if m["app"] == app["id"]]


def test_a_resubmitted_application_never_lapses(settings, someone):
    app = returned(settings, someone, submitted="2026-06-01", accepted=None, on="2026-06-02")
    stale = store.get(settings, app["id"])  # what a schedule read before the resubmission
    service.submit(settings, someone, app["id"], now=at("2026-06-10"))
    past = CAL.next_workday(date.fromisoformat(app["correction"]["due"])).isoformat()
    assert run(settings, past)["lapsed"] == 0
    # Even a run that read the application while it still waited cannot lapse it now.
    assert corrections._lapse(settings, stale, at(past)) is False
    assert service.get(settings, someone, app["id"])["status"] == "submitted"


def test_a_matter_may_give_more_days_to_correct(settings, someone):
    app = drafted(settings, someone, CARD, CARD_FORM)
    raw = {**store.get(settings, app["id"])}
    raw["limits"] = {**raw["limits"], "correction_days": 30}
    moved = model.moved({**raw, "status": "submitted", "submitted": at("2026-07-01").isoformat()},
                        "return", "officer", at=at("2026-07-02").isoformat(), calendar=CAL,
                        return_items=["x"])
    assert moved["correction"]["due"] == CAL.add_workdays(date(2026, 7, 2), 30).due.isoformat()
    assert moved["correction"]["days"] == 30


def test_the_schedule_runs_as_the_lambda_entry_point(settings, someone):
    from functions import workers

    app = returned(settings, someone, submitted="2026-08-03", accepted=None, on="2026-08-04")
    workers.configure(settings)
    tick = {"detail-type": "Scheduled Event", "source": "aws.events", "detail": {}}
    # Today is long past the August deadline: the tick lapses it (and any other overdue one).
    assert workers.run_corrections(tick, None)["lapsed"] >= 1
    assert store.get(settings, app["id"])["status"] == "lapsed"


def test_a_withdrawn_correction_leaves_nothing_for_the_schedule(settings, someone):
    app = returned(settings, someone, submitted="2026-09-01", accepted=None, on="2026-09-02")

    def marks():
        return [m for m in store.corrections_due(settings, "2099-12-31") if m["app"] == app["id"]]

    assert [m["due"] for m in marks()] == [app["correction"]["due"]]
    service.withdraw(settings, someone, app["id"], now=at("2026-09-03"))
    assert marks() == []
    past = CAL.next_workday(date.fromisoformat(app["correction"]["due"])).isoformat()
    run(settings, past)
    assert store.get(settings, app["id"])["status"] == "withdrawn"
