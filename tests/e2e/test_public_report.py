"""政务服务月度报告 (#/report) in a 390x844 Chromium, without logging in: linked from every
page's footer; this month's city-wide indicators with pass or fail, one indicator charted per
department and per county (SVG drawn by the page: role="img", its numbers in <title>/<desc>,
bars and target marks), the cards and ratings in summary, the CSV download (UTF-8 with BOM,
the same month); a month without data says so; English; elder mode keeps it on the screen;
axe finds nothing.

The registry person 宋光东 (phone 1990250xxxx: this file shares the range of
test_supervision_dashboard.py, other numbers) is used by no other e2e test.
"""
import re

import pytest
from accounts import call, ensure_registered
from playwright.sync_api import expect
from test_a11y import axe_source, scan  # noqa: F401 - the fixture is used by name
from test_supervision_dashboard import filed

APPLICANT = {"name": "宋光东", "id_number": "441424199206124030", "phone": "19902500101"}
PASSWORD = "Hakka-Report-2026"


@pytest.fixture(scope="module")
def month(hall_url):
    """This month has data: one application submitted (the counters of its department)."""
    tokens = ensure_registered(hall_url, APPLICANT, PASSWORD)
    filed(hall_url, tokens["access_token"], APPLICANT)
    status, got = call(hall_url, "GET", "/public/report")
    assert status == 200 and got["has_data"], got
    return got["month"]


def test_the_public_report_without_login(page, month, snap):
    page.goto(page.base + "/")
    page.locator("footer").get_by_role("link", name="政务服务月度报告").click()
    expect(page.locator("#view h1")).to_have_text("政务服务月度报告")
    expect(page.locator("#rp-month")).to_have_value(month)
    # the city-wide table: every indicator once, with pass / fail / no target
    city = page.locator("section[aria-labelledby='rp-city-h'] table tbody tr")
    expect(city).to_have_count(9)
    expect(city.filter(has_text="网上全流程办理率").locator(".tag")).to_have_text(re.compile("^(达标|未达标)$"))
    expect(city.filter(has_text="证照电子化率").locator(".tag")).to_have_text("无目标")
    # one chart per department and per county for the chosen indicator
    charts = page.locator("figure.chart svg[role='img']")
    expect(charts).to_have_count(2)
    titles = [c.locator("title").text_content() for c in charts.all()]
    assert titles == ["网上全流程办理率：各部门", "网上全流程办理率：各县区"], titles
    county = charts.nth(1)
    desc = county.locator("desc").text_content()
    assert "梅江区" in desc and "目标 70.0%" in desc, desc
    assert county.locator("rect.bar-target").count() == 8   # the eight counties' targets
    assert county.locator("rect.bar-fill").count() >= 1
    # another indicator redraws both charts
    page.select_option("#rp-ind", "visits_zero")
    page.get_by_role("button", name="查看报告").click()
    expect(page.locator("figure.chart figcaption").first).to_have_text("零跑动事项占比：各部门")
    expect(page.locator("#rp-yellow .big")).to_have_text(re.compile(r"^\d+$"))
    expect(page.locator("#rp-satisfaction .big")).to_have_text(re.compile(r"^(—|\d+\.\d%)$"))
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    snap("zh")

    # the CSV: a file for Excel (BOM), named after the month, one row per indicator x scope
    with page.expect_download() as got:
        page.locator("#rp-csv").click()
    download = got.value
    assert download.suggested_filename == f"meizhou-report-{month}.csv"
    with open(download.path(), "rb") as f:
        raw = f.read()
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    assert text.startswith("section,indicator,scope_kind,")
    assert re.search(r"^indicator,full_online_rate,city,", text, re.M), text[:300]

    # English
    page.locator("#lang-toggle").click()
    expect(page.locator("#view h1")).to_have_text("Monthly service report")
    expect(page.locator("figure.chart figcaption").first).to_have_text(
        "Matters with no visit: by department")
    expect(page.locator("#rp-csv")).to_have_text("Download the table (CSV)")
    body = page.locator("#view").inner_text()
    names = {"梅江区", "梅县区", "公安局"}   # the data's own names come in English too
    assert not names & set(re.findall(r"[\u4e00-\u9fff]+", body)), body[:400]
    snap("en")


def test_a_month_without_data_says_so(page, month):
    page.goto(page.base + "/#/report?month=2020-01")
    expect(page.locator("#rp-nodata")).to_have_text("这个月还没有数据。")
    expect(page.locator("figure.chart")).to_have_count(0)
    expect(page.locator("#rp-csv")).to_have_attribute("href", re.compile("month=2020-01"))
    # a month in the future is never asked for: the page shows this month
    page.goto(page.base + "/#/report?month=2999-01")
    expect(page.locator("#rp-month")).to_have_value(month)


def test_elder_mode_and_axe(page, month, axe_source):  # noqa: F811
    page.goto(page.base + "/#/report")
    page.locator("#elder-toggle").click()
    page.reload()
    expect(page.locator("figure.chart")).to_have_count(2)
    view_box = page.locator("figure.chart svg").first.get_attribute("viewBox")
    assert view_box.startswith("0 0 240 "), view_box   # larger bars and labels
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert scan(page, axe_source) == []
