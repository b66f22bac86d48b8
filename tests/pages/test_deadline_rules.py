"""The calendar of recurring deadlines as pure rules: the tax filing practice against the tax
authority's published calendars, windows, quarters, year changes and licence expiries."""
from __future__ import annotations

import copy
import json
from datetime import date

import pytest

from functions.intake.calendar import WorkCalendar, parse_schedule
from functions.pages import model, service

CAL = WorkCalendar()  # the chinesecalendar package's years (to 2026)
RULES = service.rules()
ENTERPRISE = {"status": "active", "individual_business": False, "tax_registered": True,
              "social_insurance_registered": True}

# The State Taxation Administration's published filing deadlines (申报纳税期限).
PUBLISHED = {
    2024: ["01-15", "02-23", "03-15", "04-18", "05-22", "06-19", "07-15", "08-15", "09-18",
           "10-24", "11-15", "12-16"],
    2025: ["01-15", "02-20", "03-17", "04-18", "05-22", "06-16", "07-15", "08-15", "09-15",
           "10-27", "11-17", "12-15"],
}


@pytest.mark.parametrize("year", sorted(PUBLISHED))
def test_the_rule_gives_every_published_filing_deadline_of_a_year(year):
    got = [model.tax_deadline(year, m, 15, CAL).strftime("%m-%d") for m in range(1, 13)]
    assert got == PUBLISHED[year]


def test_the_15th_on_a_saturday_moves_to_monday():
    assert date(2025, 3, 15).weekday() == 5
    assert model.tax_deadline(2025, 3, 15, CAL) == date(2025, 3, 17)


def test_national_day_inside_the_period_extends_it_by_its_days_in_working_days():
    # 1-8 October 2025 off (8 days): eight working days after Wednesday the 15th.
    assert model.tax_deadline(2025, 10, 15, CAL) == date(2025, 10, 27)
    # 2024: 1-7 October off, Saturday 12 October worked: 24 October
    assert model.tax_deadline(2024, 10, 15, CAL) == date(2024, 10, 24)


def test_the_spring_festival_counts_only_its_days_inside_the_period():
    # 2024: 10-17 February off; six of those days fall in 1..15, and 18 February (a Sunday)
    # is an adjusted working day, so the deadline is the sixth working day after the 15th.
    assert model.tax_deadline(2024, 2, 15, CAL) == date(2024, 2, 23)
    # 2025: 28 January - 4 February off, 1-4 February inside the period
    assert model.tax_deadline(2025, 2, 15, CAL) == date(2025, 2, 20)


def test_a_two_day_holiday_tail_extends_nothing_and_a_holiday_on_the_15th_moves_it():
    # 2025: the Dragon Boat break ended 2 June (two days in June): only the Sunday moves it
    assert model.tax_deadline(2025, 6, 15, CAL) == date(2025, 6, 16)
    # 2024: Mid-Autumn 15-17 September: the first working day after
    assert model.tax_deadline(2024, 9, 15, CAL) == date(2024, 9, 18)


def test_a_year_without_a_known_schedule_counts_weekends_alone_until_one_is_loaded():
    bare = WorkCalendar()
    assert not bare.known(2031)
    items = _enterprise(date(2031, 1, 10), 10, workdays=bare)
    vat = next(i for i in items if i["id"] == "vat-monthly")
    assert (vat["date"], vat["source"]) == ("2031-01-15", "provisional")  # a Wednesday
    loaded = WorkCalendar({2031: parse_schedule({"year": 2031, "holidays": [
        "2031-01-01", "2031-01-13", "2031-01-14", "2031-01-15"]})})
    vat = next(i for i in _enterprise(date(2031, 1, 10), 10, workdays=loaded)
               if i["id"] == "vat-monthly")
    # 13-15 January (Mon-Wed) with the weekend before: a run of 5 rest days in the period
    assert (vat["date"], vat["source"], vat["moved_from"]) == ("2031-01-22", "rule", "2031-01-15")


def _enterprise(today, days, facts=None, workdays=CAL, published=None):
    return model.upcoming(RULES, audience="enterprise", facts=facts or ENTERPRISE, today=today,
                          days=days, workdays=workdays, published=published)


def _ids(items):
    return [i["id"] for i in items]


def test_an_enterprise_sees_its_monthly_filing_moved_and_explained():
    items = _enterprise(date(2025, 10, 9), 30)
    vat = next(i for i in items if i["id"] == "vat-monthly")
    assert vat == {**vat, "date": "2025-10-27", "days_left": 18, "moved_from": "2025-10-15",
                   "matter": "441400-SWJ-0012", "source": "rule", "open": True,
                   "opens": "2025-10-01", "name": "增值税及附加税费月度申报"}
    assert "2025-10-27" in vat["reason"] and "2025-10-27" in vat["reason_en"]
    assert [i["date"] for i in items] == sorted(i["date"] for i in items)


def test_quarterly_filing_comes_only_in_the_months_after_a_quarter():
    assert "cit-quarterly" in _ids(_enterprise(date(2025, 4, 1), 20))
    assert "cit-quarterly" not in _ids(_enterprise(date(2025, 5, 1), 20))
    # from 20 June with 60 days: the July filing, and no other quarter's
    cit = [i for i in _enterprise(date(2025, 6, 20), 60) if i["id"] == "cit-quarterly"]
    assert [i["date"] for i in cit] == ["2025-07-15"]
    # individual businesses file VAT by quarter, not by month, and no company annual report
    ib = {**ENTERPRISE, "individual_business": True}
    ids = _ids(_enterprise(date(2025, 3, 20), 40, ib))
    assert "individual-business-tax" in ids and "vat-monthly" not in ids
    assert "individual-business-report" in ids and "annual-report" not in ids


def test_the_year_change_lists_december_and_january_in_order():
    items = [i for i in _enterprise(date(2025, 12, 10), 45) if i["id"] == "vat-monthly"]
    assert [i["date"] for i in items] == ["2025-12-15", "2026-01-20"]
    # 2026: New Year 1-3 January (Thu-Sat): three working days after Thursday the 15th
    assert items[1]["moved_from"] == "2026-01-15"
    # the annual report window of the new year opens within the horizon, not yet open
    report = next(i for i in _enterprise(date(2025, 12, 10), 45) if i["id"] == "annual-report")
    assert (report["date"], report["opens"], report["open"]) == ("2026-06-30", "2026-01-01",
                                                                 False)


def test_the_annual_report_window_is_listed_while_open_and_not_after_it_closes():
    open_ = next(i for i in _enterprise(date(2025, 3, 1), 30) if i["id"] == "annual-report")
    assert (open_["date"], open_["days_left"], open_["open"]) == ("2025-06-30", 121, True)
    assert "annual-report" in _ids(_enterprise(date(2025, 6, 30), 0))
    assert "annual-report" not in _ids(_enterprise(date(2025, 7, 1), 90))
    closed = {**ENTERPRISE, "status": "deregistered"}
    assert "annual-report" not in _ids(_enterprise(date(2025, 3, 1), 30, closed))


def test_a_published_calendar_replaces_the_computed_date_for_its_year_only():
    published = {2025: {10: date(2025, 10, 28)}}
    items = [i for i in _enterprise(date(2025, 9, 20), 60, published=published)
             if i["id"] == "vat-monthly"]
    assert [(i["date"], i["source"]) for i in items] == [
        ("2025-10-28", "published"), ("2025-11-17", "rule")]


def test_a_licence_expiring_is_listed_from_its_window_with_its_renewal_matter():
    facts = {"age": 40, **model.licence_facts([
        {"type": "driving_licence", "expires": "2026-03-01", "revoked_at": None},
        {"type": "residence_permit", "expires": "2026-01-20", "revoked_at": None},
        {"type": "id_card", "expires": "2030-01-01", "revoked_at": None},
        {"type": "social_security_card", "expires": "2026-01-05", "revoked_at": "2025-01-01"},
    ], date(2025, 12, 1))}
    items = model.upcoming(RULES, audience="person", facts=facts, today=date(2025, 12, 1),
                           days=30, workdays=CAL)
    by_id = {i["id"]: i for i in items}
    permit = by_id["residence-permit-endorsement"]
    assert (permit["date"], permit["opens"], permit["open"], permit["matter"]) == (
        "2026-01-20", "2025-12-20", False, "441400-GAJ-0011")
    assert "2026-01-20" in permit["reason"] and "2025-12-20" in permit["reason_en"]
    # the driving licence's 90-day window opened on 1 December
    assert by_id["driving-licence-renewal"]["opens"] == "2025-12-01"
    assert by_id["driving-licence-renewal"]["matter"] == "441400-GAJ-0014"
    assert "id-card-renewal" not in by_id                   # years away
    assert "social-security-card-renewal" not in by_id      # revoked: not a fact
    # the resident medical insurance window (1 Sep - 31 Dec) is open for a person
    assert by_id["resident-medical-insurance"]["date"] == "2025-12-31"
    # past the expiry, nothing is listed for it any more
    later = model.upcoming(RULES, audience="person", facts=facts, today=date(2026, 1, 21),
                           days=30, workdays=CAL)
    assert "residence-permit-endorsement" not in _ids(later)


def test_conditions_on_facts():
    young = model.upcoming(RULES, audience="person", facts={"age": 15}, today=date(2025, 12, 1),
                           days=30, workdays=CAL)
    adult = model.upcoming(RULES, audience="person", facts={"age": 30}, today=date(2025, 12, 1),
                           days=30, workdays=CAL)
    assert "resident-pension" not in _ids(young) and "resident-pension" in _ids(adult)
    employee = model.upcoming(RULES, audience="person", facts={"age": 30,
                                                                "employee_insured": True},
                              today=date(2025, 12, 1), days=30, workdays=CAL)
    assert "resident-medical-insurance" not in _ids(employee)
    # a family member authorised for one matter sees only that matter's deadlines
    only = model.upcoming(RULES, audience="person", facts={"age": 30}, today=date(2025, 12, 1),
                          days=30, workdays=CAL, matters=frozenset({"441400-SWJ-0002"}))
    assert _ids(only) == ["resident-pension"]


# ---- the file itself ---------------------------------------------------------------------

MATTERS = {m["code"]: m for m in json.loads(
    (service.DEADLINES_FILE.parents[3] / "infra" / "seed" / "matters.json").read_text("utf-8"))}


def test_every_rule_names_an_active_catalogue_matter_for_its_audience():
    for rule in RULES:
        matter = MATTERS.get(rule.matter)
        assert matter and matter["status"] == "active", rule.id
        # 个体工商户年度报告 is filed by the owner in the catalogue's person list
        if rule.id != "individual-business-report":
            assert rule.audience in matter["audiences"], rule.id


def _raw():
    return json.loads(service.DEADLINES_FILE.read_text(encoding="utf-8"))


@pytest.mark.parametrize("change,message", [
    (lambda r: r[0].update(kind="fortnightly"), "rules[0] (vat-monthly): 'kind' must be"),
    (lambda r: r[0].update(day=31), "'day' must be a day of the month"),
    (lambda r: r[3].update(end="02-30"), "02-30 is not a day of the year"),
    (lambda r: r[3].update(start="07-01", end="06-30"), "must end after it starts"),
    (lambda r: r[0]["reason"].update(zh="截止 {deadline}"), "unknown placeholder {deadline}"),
    (lambda r: r[1].update(id="vat-monthly"), "rule id 'vat-monthly' is used twice"),
    (lambda r: r[0].update(matter="SWJ-12"), "'matter' must be a catalogue code"),
    (lambda r: r[0].update(when=[{"fact": "age", "above": 3}]), "needs exactly one of"),
    (lambda r: r[0].update(shfit="tax"), "unknown field 'shfit'"),
    (lambda r: r[0]["name"].pop("en"), "rules[0] (vat-monthly).name: must be"),
])
def test_a_bad_file_fails_with_the_rule_and_field_named(change, message):
    data = copy.deepcopy(_raw())
    change(data["rules"])
    with pytest.raises(model.DeadlineFileError) as err:
        model.parse_rules(data)
    assert message in str(err.value)


def test_a_bad_file_stops_the_app_from_starting(tmp_path, monkeypatch, settings):
    from functions.app import create_app

    bad = tmp_path / "deadlines.json"
    bad.write_text(json.dumps({"rules": [{"id": "x1", "kind": "monthly"}]}), encoding="utf-8")
    monkeypatch.setattr(service, "DEADLINES_FILE", bad)
    service.rules.cache_clear()
    try:
        with pytest.raises(model.DeadlineFileError, match=r"deadlines.json: rules\[0\] \(x1\)"):
            create_app(settings)
    finally:
        service.rules.cache_clear()
