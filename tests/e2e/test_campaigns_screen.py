"""推送活动 (#/officer/campaigns) in a 390x844 Chromium: the demo officer creates a campaign from an
approved template (no free text), dry-runs it (a segment of nobody says "没有匹配的对象"; one that
matches counts its audience), is not offered the approval of their own campaign and the API
refuses it (403); a second officer of the department approves it on the screen, and the report
shows the per-channel numbers reconciling to the targeted. zh, en, elder mode once."""
import re
import secrets
import time

from accounts import OFFICER_PASSWORD, OFFICER_PHONE, browser_login, call, ensure_registered
from playwright.sync_api import expect
from test_a11y import axe_source, scan  # noqa: F401 (axe_source is a fixture)
from test_elder_mode import MIN_PX, SMALL_TARGETS, TAP_PX, VISIBLE_TEXTS

# A registry person no other test registers (infra/seed/registry.json): follows 社保.
FOLLOWER = {"name": "梁一桂", "id_number": "441402199703124826", "phone": "15269634906"}
PASSWORD = "Hakka-Campaign-2026"


def second_officer(page):
    """Log the page's browser in as another officer of SCJGJ (a dev account of the local
    stage: the cookie lands in this browser's jar, as a login would)."""
    res = page.request.post(page.base + "/api/v1/dev/sessions", data={
        "role": "officer", "department": "SCJGJ", "region": "441400"})
    assert res.ok, res.text()
    return res.json()["access_token"]


def listed(page):
    """The list screen drawn to its end (the router focuses the heading once it is)."""
    expect(page.locator("#view h1")).to_have_text("推送活动")
    expect(page.locator("#view p.status").last).to_have_text(re.compile("已显示|还没有"))


def create(page, name, topic, title, **segment):
    page.goto(page.base + "/#/officer/campaigns")
    listed(page)
    form = page.locator("#cp-form")
    form.get_by_label("活动名称").fill(name)
    form.get_by_label("已审核的消息模板").select_option("announcement")
    form.get_by_label("主题").select_option(topic)
    form.get_by_label("公告标题").fill(title)
    if "county" in segment:
        form.get_by_label("县区（可不填）").select_option(segment["county"])
    if "ages" in segment:
        form.get_by_label("年龄从").fill(str(segment["ages"][0]))
        form.get_by_label("年龄到").fill(str(segment["ages"][1]))
    form.get_by_role("button", name="创建草稿").click()
    expect(page).to_have_url(re.compile(r"#/officer/campaigns/\w+\?created=1$"))
    expect(page.locator("#cp-name")).to_have_text(name)
    expect(page.locator("#cp-status")).to_contain_text("已创建草稿")
    return page.url.split("/officer/campaigns/")[1].split("?")[0]


def test_an_officer_creates_dry_runs_and_a_second_officer_approves(browser, page, snap):
    follower = ensure_registered(page.base, FOLLOWER, PASSWORD)["access_token"]
    status, body = call(page.base, "PUT", "/me/preferences", {
        "topics": {"hot_social_security": {"subscribed": True, "channels": ["push"]}},
        "quiet_hours": None}, follower)
    assert status == 200, body

    page.goto(page.base + "/")
    author = browser_login(page, OFFICER_PHONE, OFFICER_PASSWORD)["access_token"]
    page.goto(page.base + "/#/officer")
    page.get_by_role("link", name="推送活动").click()
    expect(page).to_have_url(re.compile(r"#/officer/campaigns$"))
    listed(page)

    # Free text is no choice: the form has a template, its parameters and the segment only.
    expect(page.locator("#cp-form textarea")).to_have_count(0)
    page.locator("#cp-form").get_by_role("button", name="创建草稿").click()
    expect(page.locator("#cp-form .error-summary")).to_be_focused()

    # Nobody: over a hundred in 蕉岭县.
    tag = secrets.token_hex(2)
    create(page, f"无人活动{tag}", "hot_social_security", "社保提醒", county="441427",
            ages=(110, 120))
    page.get_by_role("button", name="试算人数").click()
    expect(page.locator("#cp-nobody")).to_have_text("没有匹配的对象：该活动不会发送给任何人。")
    expect(page.get_by_role("button", name="审批通过")).to_have_count(0)  # the author's own
    expect(page.locator("#cp-wait")).to_contain_text("创建人不能审批")
    snap("nobody")

    # One that reaches the follower.
    name = f"社保年审{tag}"
    cid = create(page, name, "hot_social_security", "社保待遇资格认证")
    page.get_by_role("button", name="试算人数").click()
    count = page.locator("#cp-count")
    expect(count).to_have_text(re.compile(r"将发送给 \d+ 个对象。"))
    assert int(re.search(r"\d+", count.inner_text()).group()) >= 1
    expect(page.locator("#cp-dry")).to_contain_text(re.compile(r"person:\S*\*{4}"))  # masked
    expect(page.get_by_role("button", name="审批通过")).to_have_count(0)
    status, refused = call(page.base, "POST", f"/officer/campaigns/{cid}/approve", None, author)
    assert status == 403, refused
    expect(page.locator("#cp-report")).to_contain_text("目标")
    snap("draft")
    page.locator("#lang-toggle").click()
    expect(page.locator("#view h1")).to_have_text("Push campaigns")
    expect(page.locator("#cp-wait")).to_contain_text("the author may not approve")
    expect(page.get_by_role("button", name="Count audience")).to_be_visible()
    snap("draft-en")
    page.locator("#lang-toggle").click()
    expect(page.locator("#view h1")).to_have_text("推送活动")

    # The list has both, as drafts.
    page.get_by_role("link", name="返回推送活动").click()
    expect(page.locator("#view .list a.title", has_text=name)).to_be_visible()
    expect(page.locator("#view .list li", has_text=f"无人活动{tag}")).to_contain_text("草稿")

    # A second officer of the department, in another browser: approves on the screen.
    other = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    try:
        page2 = other.new_page()
        page2.base = page.base
        page2.goto(page.base + "/")
        second_officer(page2)
        page2.goto(page.base + f"/#/officer/campaigns/{cid}")
        approve = page2.get_by_role("button", name="审批通过")
        expect(approve).to_be_visible()
        approve.click()
        expect(page2.locator("#cp-status")).to_have_text("已审批。")
        expect(page2.locator("#cp-approve")).to_have_count(0)
        expect(page2.locator("#view")).not_to_contain_text("null")
        # The worker plans and delivers: the report fills in and reconciles.
        deadline = time.monotonic() + 90
        summary = page2.locator("#cp-sum")
        while time.monotonic() < deadline:
            page2.get_by_role("button", name="刷新报告").click()
            text = summary.inner_text()
            if re.search(r"目标 [1-9]\d* = 已送达 [1-9]", text) and "处理中 0" in text:
                break
            page2.wait_for_timeout(1500)
        t, d, f, x, c, p = map(int, re.findall(r"\d+", summary.inner_text()))
        assert t >= 1 and p == 0 and t == d + f + x + c, summary.inner_text()
        expect(page2.locator("#cp-report")).to_contain_text(re.compile(r"站内消息 [1-9]"))
        page2.screenshot(path="tests/e2e/artifacts/test_campaigns_screen-approved.png",
                         full_page=True)
    finally:
        other.close()

    # The author sees it approved (or done) and by another officer; elder mode reads and taps.
    page.goto(page.base + f"/#/officer/campaigns/{cid}")
    expect(page.locator("#cp-name")).to_have_text(name)
    expect(page.locator("#view .facts").first).to_contain_text("其他工作人员")
    expect(page.locator("#view .facts").first).to_contain_text(re.compile("已审批|发送中|已完成"))
    page.locator("#elder-toggle").click()
    expect(page.locator("html")).to_have_class(re.compile("elder"))
    expect(page.locator("#cp-sum")).to_be_visible()
    small = [t for t in page.evaluate(VISIBLE_TEXTS) if t["px"] < MIN_PX]
    assert not small, small[:8]
    assert page.evaluate(SMALL_TARGETS, TAP_PX) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    snap("elder")


def test_a_citizen_is_not_shown_the_campaign_screen(page):
    ensure_registered(page.base, FOLLOWER, PASSWORD)
    page.goto(page.base + "/")
    browser_login(page, FOLLOWER["phone"], PASSWORD)
    page.goto(page.base + "/#/officer/campaigns")
    expect(page.locator("#view .box")).to_have_text("只有窗口工作人员可以使用工作台。")
    expect(page.locator("#cp-form")).to_have_count(0)


def test_the_campaign_screen_passes_axe(page, axe_source):  # noqa: F811
    page.goto(page.base + "/")
    browser_login(page, OFFICER_PHONE, OFFICER_PASSWORD)
    page.goto(page.base + "/#/officer/campaigns")
    expect(page.locator("#cp-form")).to_be_visible()
    expect(page.locator("#view .status")).not_to_have_text("")
    assert scan(page, axe_source) == []
