"""The reconciliation of the indicator counters: the pure recount (first submissions, first
acceptances, completions, e-licences, the month's events only), the job over real moves of a
month agreeing with its counters, injected drift (an ADD on a counter) reported as a
structured warning and fixed, the command and the schedule's months. Phones 1990211xxxx;
June 2009 is this file's own month."""
from __future__ import annotations

import itertools
import json
import logging
from datetime import date, datetime

from functions.core import clock
from functions.intake import service
from functions.supervision import indicators_store, reconcile
from tests.intake.factories import CARD, CARD_FORM, officer, person, put_upload

MONTH = "2009-06"
AT = datetime(2009, 6, 10, 10, 0, tzinfo=clock.CHINA)
_phones = itertools.count(1)


def _ev(app, action, frm, to, at, *, channel="online", dept="RSJ", region="441400", lic=()):
    return {"application": app, "department": dept, "region": region, "channel": channel,
            "action": action, "from": frm, "to": to, "at": at, "licence_types": list(lic)}


RECORDS = [
    # accepted in May, returned, accepted again in June: no June acceptance
    _ev("A", "submit", "draft", "submitted", "2009-05-30T10:00"),
    _ev("A", "accept", "submitted", "accepted", "2009-05-31T10:00"),
    _ev("A", "return", "accepted", "returned", "2009-06-01T10:00"),
    _ev("A", "submit", "returned", "submitted", "2009-06-02T10:00"),
    _ev("A", "accept", "submitted", "accepted", "2009-06-03T10:00"),
    _ev("A", "approve", "accepted", "approved", "2009-06-04T10:00", lic=["social_security_card"]),
    _ev("B", "submit", "draft", "submitted", "2009-06-05T10:00", channel="counter"),
    _ev("B", "accept", "submitted", "accepted", "2009-06-05T11:00", channel="counter"),
    _ev("B", "refuse", "accepted", "refused", "2009-06-06T11:00", channel="counter"),
    _ev("C", "submit", "draft", "submitted", "2009-06-07T10:00", region="441402"),
    _ev("C", "withdraw", "submitted", "withdrawn", "2009-06-08T10:00", region="441402"),
]
RECOUNTED = {
    ("RSJ", "441400"): {"completed_online": 1, "elicence_social_security_card": 1,
                        "submitted_counter": 1, "accepted_counter": 1, "completed_counter": 1},
    ("RSJ", "441402"): {"submitted_online": 1},
}


def test_the_recount_follows_the_counting_rules():
    assert reconcile.recount(RECORDS, MONTH) == RECOUNTED


def test_counters_that_agree_report_no_drift_and_other_counters_are_not_compared():
    stored = {k: dict(v) for k, v in RECOUNTED.items()}
    stored[("RSJ", "441400")]["offguide_requests"] = 4     # counted outside moves
    got = reconcile.month(iter(RECORDS), stored, month=MONTH)
    assert got["ok"] is True and got["drift"] == []


def test_drift_names_the_counter_both_values_and_the_fixing_delta():
    stored = {k: dict(v) for k, v in RECOUNTED.items()}
    stored[("RSJ", "441400")]["completed_online"] += 2
    stored[("GAJ", "441403")] = {"submitted_online": 1}     # counted, no source record
    got = reconcile.month(RECORDS, stored, month=MONTH)
    assert got["ok"] is False
    assert got["drift"] == [
        {"department": "GAJ", "region": "441403", "counter": "submitted_online",
         "stored": 1, "recounted": 0, "delta": -1},
        {"department": "RSJ", "region": "441400", "counter": "completed_online",
         "stored": 3, "recounted": 1, "delta": -2}]


def test_the_schedule_also_recounts_last_month_in_the_first_days():
    assert reconcile.months_due(date(2027, 1, 2)) == ["2026-12", "2027-01"]
    assert reconcile.months_due(date(2026, 12, 4)) == ["2026-12"]


# ---- the job over real moves ------------------------------------------------------------------

def _moved_month(settings) -> list[str]:
    who = person(settings, phone=f"1990211{next(_phones):04d}")
    rsj, ids = officer("RSJ"), []
    from functions.hall import store as hall_store

    for final in ("approve", "refuse", None):
        app, _ = service.create(settings, who, matter_code=CARD, form=CARD_FORM, idem_key=None,
                                now=AT)
        for m in hall_store.current_catalogue(settings).matters[CARD]["materials"]:
            app = service.attach_material(settings, who, app["id"], material=m["name"],
                                          upload_key=put_upload(settings, app["id"]), now=AT)
        service.submit(settings, who, app["id"], now=AT)
        if final:
            service.act(settings, rsj, app["id"], action="accept", now=AT)
            service.act(settings, rsj, app["id"], action=final,
                        reason="不符合条件" if final == "refuse" else None, now=AT)
        ids.append(app["id"])
    return ids


def test_the_job_agrees_with_real_moves_then_reports_injected_drift_and_fixes_it(
        settings, app, hall_caplog):
    ids = _moved_month(settings)
    assert set(ids) <= set(indicators_store.moved_applications(settings, MONTH))
    clean = reconcile.run(settings, MONTH)
    assert clean["ok"] is True, clean["drift"]
    counters = indicators_store.indicators(settings, MONTH, "RSJ", "441400")
    assert counters["submitted_online"] >= 3 and counters["completed_online"] >= 2

    indicators_store.add(settings, MONTH, "RSJ", "441400", accepted_online=5)   # the drift
    with hall_caplog.at_level(logging.WARNING, logger="hall.supervision"):
        drifted = reconcile.run(settings, MONTH)
    assert drifted["ok"] is False and drifted["fixed"] is False
    assert [(d["counter"], d["delta"]) for d in drifted["drift"]] == [("accepted_online", -5)]
    warned = [r for r in hall_caplog.records if r.getMessage() == "indicator counters drift"]
    assert warned and warned[-1].month == MONTH and warned[-1].drift == drifted["drift"]

    runner = app.test_cli_runner()
    got = runner.invoke(args=["supervision", "reconcile", "--month", MONTH])
    assert got.exit_code == 1 and json.loads(got.output)["drift"] == drifted["drift"]
    fixed = runner.invoke(args=["supervision", "reconcile", "--month", MONTH, "--fix"])
    assert fixed.exit_code == 0 and json.loads(fixed.output)["fixed"] is True
    from tests.helpers import audit_rows

    rows = audit_rows(settings, actor="system", action="indicators.reconcile_fix")
    assert {"counters": 1, "delta": -5} in [r["detail"] for r in rows if r["target"] == MONTH]
    assert reconcile.run(settings, MONTH)["ok"] is True
    assert indicators_store.indicators(settings, MONTH, "RSJ", "441400") == counters


def test_the_command_refuses_a_future_month(app):
    got = app.test_cli_runner().invoke(args=["supervision", "reconcile", "--month", "2999-01"])
    assert got.exit_code == 2 and "not in the future" in got.output


def test_the_daily_job_reports_each_month_due(settings):
    got = reconcile.daily(settings, now=datetime(2009, 7, 2, 3, 0, tzinfo=clock.CHINA))
    assert [m["month"] for m in got["months"]] == ["2009-06", "2009-07"]
    assert got["ok"] is True and all(m["ok"] for m in got["months"])
