"""The monthly public report (JSON and CSV, no login) and the export's status route.

The month is the current one, which other tests fill too: the checks compare the report with
the rooms' own summaries read at the same moment, and a rating of ours by its difference."""
from __future__ import annotations

import csv
import io
from datetime import timedelta

from functions.core import clock
from functions.supervision import cards_service, ratings_service
from tests.helpers import ok
from tests.intake.factories import person
from tests.supervision.rating_factories import completed, headers

REPORT = "/api/v1/public/report"
STATUS = "/api/v1/supervision/export-status"


def month_now() -> str:
    return clock.now().strftime("%Y-%m")


def csv_table(resp) -> list[dict]:
    raw = resp.get_data()
    assert raw.startswith("\ufeff".encode()), "Excel needs the BOM to read UTF-8"
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))


def rating_rows(table: list[dict], indicator: str) -> dict[tuple[str, str], str]:
    return {(r["scope_kind"], r["scope_code"]): r["value"] for r in table
            if r["section"] == "ratings" and r["indicator"] == indicator}


def test_the_report_joins_indicators_cards_and_ratings_without_login(client, settings, token):
    month = month_now()
    before = ok(client.get(f"{REPORT}?month={month}"))
    who = person(settings, phone="19902300101")
    app = completed(settings, who)
    ok(client.post(f"/api/v1/applications/{app['id']}/rating", headers=headers(token, who),
                   json={"level": 2, "tags": ["overdue"], "comment": "等了很久"}), 201)

    got = ok(client.get(f"{REPORT}?month={month}"))
    assert got["month"] == month and got["has_data"] is True
    assert got["indicators"] == ok(client.get(f"/api/v1/public/indicators?month={month}"))[
        "rows"]
    assert got["cards"] == cards_service.month_summary(settings, month)
    assert got["ratings"] == ratings_service.month_summary(settings, month)
    assert got["ratings"]["count"] == before["ratings"]["count"] + 1
    rsj = got["ratings"]["by_department"]["RSJ"]
    was = before["ratings"]["by_department"].get("RSJ", {"by_level": {"2": 0}})
    assert rsj["by_level"]["2"] == was["by_level"]["2"] + 1

    resp = client.get(f"{REPORT}?month={month}&format=csv")
    assert resp.status_code == 200 and resp.mimetype == "text/csv"
    assert resp.headers["Content-Disposition"].endswith(f'meizhou-report-{month}.csv"')
    table = csv_table(resp)
    assert list(table[0]) == ["section", "indicator", "scope_kind", "scope_code",
                              "scope_region", "scope_name", "numerator", "denominator",
                              "value", "target", "pass"]
    indicators = [r for r in table if r["section"] == "indicator"]
    assert len(indicators) == len(got["indicators"])
    first, row = got["indicators"][0], indicators[0]
    assert (row["indicator"], row["scope_kind"], row["scope_name"]) == (
        first["indicator"], first["scope"]["kind"], first["scope"]["name"])
    # The ratings' figures per scope, as the JSON has them.
    assert rating_rows(table, "count")[("city", "")] == str(got["ratings"]["count"])
    assert rating_rows(table, "level_2")[("department", "RSJ")] == str(rsj["by_level"]["2"])
    assert rating_rows(table, "level_2")[("county", "441400")] == str(
        got["ratings"]["by_county"]["441400"]["by_level"]["2"])
    cards = {(r["indicator"], r["scope_kind"]): r["value"] for r in table
             if r["section"] == "cards" and r["scope_kind"] == "city"}
    assert cards == {("raised_yellow", "city"): str(got["cards"]["raised"]["yellow"]),
                     ("raised_red", "city"): str(got["cards"]["raised"]["red"]),
                     ("closed", "city"): str(got["cards"]["closed"])}


def test_a_month_without_anything_says_so():
    from functions.supervision import report

    empty = {"month": "2001-01", "has_data": False, "indicators": [],
             "cards": {"raised": {"yellow": 0, "red": 0}, "closed": 0, "by_department": {},
                       "by_county": {}},
             "ratings": {"count": 0, "by_level": {}, "satisfaction": None,
                         "by_department": {}, "by_county": {}}}
    rows = report.csv_rows(empty)
    assert ["ratings", "satisfaction", "city", "", "", "", "", "", "", "", ""] in rows


def test_an_old_month_without_data_and_bad_months(client):
    got = ok(client.get(f"{REPORT}?month=2001-01"))
    assert got["has_data"] is False and got["ratings"]["count"] == 0
    assert got["ratings"]["satisfaction"] is None
    future = (clock.now() + timedelta(days=40)).strftime("%Y-%m")
    assert ok(client.get(f"{REPORT}?month={future}"), 422)["error"]
    ok(client.get(f"{REPORT}?month=2026-13"), 422)
    ok(client.get(f"{REPORT}?month=2026-11&format=xlsx"), 400)
    ok(client.get(f"{REPORT}?month=2026-11&extra=1"), 400)


def test_the_export_status_is_for_supervisors_and_admins(client, token):
    got = ok(client.get(STATUS, headers=token("supervisor", kind="supervisor",
                                              subject="sup-export")))
    assert set(got) == {"watermark", "lag_seconds", "lag_bound", "oldest_waiting", "last_run",
                        "sink"}
    assert got["lag_seconds"] >= 0 and got["sink"] == "bucket"
    ok(client.get(STATUS, headers=token("admin", kind="admin", subject="admin-export")))
    ok(client.get(STATUS, headers=token("officer", department="RSJ", region="441400",
                                        subject="rsj-export")), 403)
    ok(client.get(STATUS), 401)


def test_the_export_command_and_its_lag_metric(app, settings, monkeypatch, hall_caplog):
    from datetime import UTC, datetime

    from functions.supervision import exports_store

    runner = app.test_cli_runner()
    bad = runner.invoke(args=["supervision", "export", "--from", "yesterday"])
    assert bad.exit_code == 2 and "ISO time" in bad.output
    fixed = datetime(2033, 8, 1, 5, 10, tzinfo=UTC)
    monkeypatch.setattr(clock, "now", lambda: fixed)
    done = runner.invoke(args=["supervision", "export", "--from", "2033-08-01T03:00:00Z"])
    assert done.exit_code == 0, done.output
    assert '"ok": true' in done.output
    assert exports_store.state(settings)["hour"] == "2033-08-01T04"
    lines = [r for r in hall_caplog.records if getattr(r, "metric", None) ==
             "export_lag_seconds"]
    assert lines and lines[-1].value == 0.0


def test_the_report_reads_a_bounded_number_of_items_whatever_the_month_holds(settings):
    """The current month (every test's moves and ratings) and an empty one cost the same
    storage calls: counters only, never a Query of applications or ratings."""
    from functions.core import aws
    from functions.supervision import report

    calls: list[str] = []

    def hook(model, params, **_):
        if params.get("Key", {}).get("pk", {}).get("S") != "CATALOGUE":
            calls.append(model.name)

    events = aws.client("dynamodb", settings).meta.events
    counted = {}
    report.month_report(settings, month_now(), now=clock.now())  # warm caches
    for month in (month_now(), "2001-01"):
        calls.clear()
        events.register("before-parameter-build.dynamodb", hook)
        try:
            report.month_report(settings, month, now=clock.now())
        finally:
            events.unregister("before-parameter-build.dynamodb", hook)
        counted[month] = list(calls)
    assert counted[month_now()] == counted["2001-01"]
    assert len(counted["2001-01"]) <= 8, counted
