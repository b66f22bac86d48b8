"""效能监督 in a 390x844 Chromium: a department head's view and the supervisor's dashboard.

The demo officer (market regulator, city level) refuses an application without a reason: the
API says no and raises a yellow card naming him. He approves it later and its applicant rates
it 非常不满意. His department's head (an officer the administrator made head) sees only that
department (no filters for others, the address cannot widen it), explains the card and appeals
the rating from the screen. The supervisor (demo 13900000002) sees this month's indicators
against their targets (an SVG bar chart with its numbers in <title>/<desc>, and the table),
closes the explained card with a note in place (an empty note is refused under the field),
decides the appeal, drills down to the department, reads the export status; the same in
English. Run alone, the supervisor's test does the head's two steps through the API first.

Accounts: phones 1990250xxxx (this file's range); the registry person 李琳秀 is used by no
other e2e test.
"""
import datetime
import re

import pytest
from accounts import (
    OFFICER_PASSWORD,
    OFFICER_PHONE,
    PDF,
    call,
    ensure_registered,
    officer_token,
    post_file,
    sms_code,
)
from playwright.sync_api import expect
from test_a11y import axe_source, scan  # noqa: F401 - the fixture is used by name

from functions.identity.cn_ids import make_id_number

APPLICANT = {"name": "李琳秀", "id_number": "441481198909092701", "phone": "19902500001"}
PASSWORD = "Hakka-Oversight-25"
MATTER = "441400-SCJGJ-0013"   # 个体工商户变更登记 (the demo officer's department, city level)
SUPERVISOR, ADMIN = "13900000002", "13900000001"   # infra/seed/staff.json
HEAD = {"name": "古志明", "phone": "19902500002", "department": "SCJGJ", "region": "441400"}
EXPLANATION = "申请材料齐全，窗口人员误操作；已培训并当场受理。"
APPEAL = "当天录像显示窗口人员态度正常，评价与事实不符"


def staff_tokens(base, phone, password=OFFICER_PASSWORD):
    status, body = call(base, "POST", "/auth/login", {"phone": phone, "password": password})
    assert status == 200 and body.get("mfa_required"), body
    status, body = call(base, "POST", "/auth/login/verify", {
        "challenge": body["challenge"], "code": sms_code(base, phone)})
    assert status == 200, body
    return body


def browser_staff_login(page, phone, password=OFFICER_PASSWORD):
    """The browser's own session (its refresh cookie), through the two login steps."""
    res = page.request.post(page.base + "/api/v1/auth/login",
                            data={"phone": phone, "password": password})
    body = res.json()
    assert res.ok and body.get("mfa_required"), body
    res = page.request.post(page.base + "/api/v1/auth/login/verify", data={
        "challenge": body["challenge"], "code": sms_code(page.base, phone)})
    assert res.ok, res.json()


def filed(base, token, person=APPLICANT):
    """MATTER filed with every material and submitted (the fields the verified identity
    answers are left to the server)."""
    form = {"applicant_name": person["name"], "id_number": person["id_number"],
            "phone": person["phone"], "change_item": "经营场所",
            "change_content": "梅州市梅江区江北东山大道 3 号"}
    status, app = call(base, "POST", "/applications", {"matter": MATTER, "form": form}, token)
    if status == 422:
        filled = app["error"]["details"]["fields"]
        form = {k: v for k, v in form.items() if f"form.{k}" not in filled}
        status, app = call(base, "POST", "/applications", {"matter": MATTER, "form": form}, token)
    assert status == 201, app
    for m in call(base, "GET", f"/matters/{MATTER}")[1]["materials"]:
        status, grant = call(base, "POST", f"/applications/{app['id']}/materials/uploads", {
            "material": m["name"], "content_type": "application/pdf", "size": len(PDF)}, token)
        assert status == 201, grant
        post_file(grant["url"], grant["fields"], PDF)
        status, body = call(base, "POST", f"/applications/{app['id']}/materials",
                            {"material": m["name"], "upload_key": grant["key"]}, token)
        assert status == 200, body
    status, body = call(base, "POST", f"/applications/{app['id']}/submit", None, token)
    assert status == 200, body
    return body


@pytest.fixture(scope="module")
def world(hall_url):
    """An application of this month refused without a reason by the demo officer (the API
    says no and raises a yellow card naming him), then approved and rated 非常不满意 by its
    applicant; and a head of the officer's department."""
    tokens = ensure_registered(hall_url, APPLICANT, PASSWORD)
    app = filed(hall_url, tokens["access_token"])
    officer = officer_token(hall_url)
    status, body = call(hall_url, "POST", f"/officer/applications/{app['id']}/actions",
                        {"action": "reject"}, officer)
    assert status == 422, body
    for action in ("accept", "approve"):
        status, body = call(hall_url, "POST", f"/officer/applications/{app['id']}/actions",
                            {"action": action}, officer)
        assert status == 200, body
    status, rating = call(hall_url, "POST", f"/applications/{app['id']}/rating", {
        "level": 1, "tags": ["attitude"], "comment": "窗口说话很冲"}, tokens["access_token"])
    assert status == 201, rating
    admin = staff_tokens(hall_url, ADMIN)["access_token"]
    status, account = call(hall_url, "POST", "/admin/accounts", {
        "kind": "officer", "name": HEAD["name"], "phone": HEAD["phone"],
        "password": OFFICER_PASSWORD,
        "id_number": make_id_number("441402", datetime.date(1979, 3, 8), 25),
        "roles": ["officer"], "department": HEAD["department"], "region": HEAD["region"]}, admin)
    if status == 201:
        status, body = call(hall_url, "POST", f"/admin/accounts/{account['id']}/head",
                            {"department": HEAD["department"], "region": HEAD["region"]}, admin)
        assert status == 201, body
    else:
        assert status == 409, account   # a stack kept from an earlier run (E2E_BASE_URL)
    return {"app": app["id"], "card": f"{app['id']}.refusal_without_reason",
            "rating": rating["id"], "admin": admin}


def open_dashboard(page, hash_="#/supervision"):
    page.goto(page.base + "/" + hash_)
    expect(page.locator("#sv-ind .loading")).to_have_count(0)
    expect(page.locator("#sv-cards .loading, #sv-cards .status:text('正在加载…')")).to_have_count(0)


def test_a_head_sees_only_their_department_explains_and_appeals(page, world, snap):
    browser_staff_login(page, HEAD["phone"])
    page.goto(page.base + "/#/officer")
    expect(page.locator("#nav-head a")).to_have_text("监督")
    page.locator("#nav-head a").click()
    expect(page.locator("#view h1")).to_have_text("本部门效能监督")
    expect(page.locator("#sv-head-dept")).to_have_text(
        "您是 市场监督管理局 的负责人，这里只显示本部门的数据。")
    expect(page.locator("#sv-dept")).to_have_count(0)
    expect(page.locator("#sv-county")).to_have_count(0)
    expect(page.locator("#sv-scope")).to_have_text("当前范围：市场监督管理局")
    expect(page.locator("#sv-ind table")).to_have_count(1)   # no other scope below
    # a department's seven rows (the page use rates are the city's)
    expect(page.locator("#sv-ind table tbody tr")).to_have_count(7)
    expect(page.locator("#sv-export")).to_have_count(0)   # the export is the supervisors'
    cards = page.locator("#sv-cards li.sv-card")
    card = page.locator(f"#sv-cards li[data-id='{world['card']}']")
    expect(card).to_be_visible()
    for text in cards.locator(".meta").all_inner_texts():
        assert "市场监督管理局" in text, text   # only their department's cards
    expect(page.locator("#sv-cards .sv-close")).to_have_count(0)   # closing is a supervisor's
    # explain the card: the text is required
    card.get_by_role("button", name="说明情况").click()
    card.get_by_role("button", name="提交说明").click()
    expect(card.locator(".field-error")).to_contain_text("请填写情况说明")
    card.get_by_label("情况说明").fill(EXPLANATION)
    card.get_by_label("已整改").check()
    card.get_by_role("button", name="提交说明").click()
    expect(card.locator(".notice")).to_have_text("说明已提交。")
    expect(card).to_contain_text(EXPLANATION)
    expect(card).to_contain_text("已整改")
    # appeal the bad rating
    rating = page.locator(f"#sv-ratings li[data-id='{world['rating']}']")
    expect(rating).to_contain_text("非常不满意")
    expect(rating).to_contain_text("整改期限")
    rating.get_by_role("button", name="申诉").click()
    rating.get_by_label("申诉理由").fill(APPEAL)
    rating.get_by_role("button", name="提交申诉").click()
    expect(rating.locator(".notice")).to_have_text("申诉已提交。")
    expect(rating).to_contain_text(APPEAL)
    expect(rating.get_by_role("button", name="提交裁决")).to_have_count(0)
    snap("head")
    # the address cannot widen it: another department in the URL still shows their own
    page.goto(page.base + "/#/supervision?department=GAJ&county=441402")
    expect(page.locator("#sv-scope")).to_have_text("当前范围：市场监督管理局")
    expect(page.locator("#sv-ind .error")).to_have_count(0)


def head_steps_done(base, world):
    """What the head's test does on screen, through the API when it did not run first."""
    head = staff_tokens(base, HEAD["phone"])["access_token"]
    call(base, "POST", f"/officer/cards/{world['card']}/explain",
         {"text": EXPLANATION, "rectified": True}, head)          # 409 once explained
    call(base, "POST", f"/officer/ratings/{world['rating']}/appeal", {"reason": APPEAL}, head)


def test_supervisor_sees_indicators_closes_a_card_and_drills_down(page, world, snap,
                                                                   axe_source):  # noqa: F811
    head_steps_done(page.base, world)
    browser_staff_login(page, SUPERVISOR)
    open_dashboard(page)
    expect(page.locator("#view h1")).to_have_text("效能监督")
    expect(page.locator("#nav-supervision a")).to_have_text("监督")
    # indicators against targets: the chart says its numbers, the table has the same rows
    chart = page.locator("#sv-ind svg[role='img']")
    expect(chart).to_have_count(1)
    title = chart.locator("title").text_content()
    assert title == "全市各项指标与目标"
    desc = chart.locator("desc").text_content()
    assert "网上全流程办理率" in desc and "目标 85.0%" in desc and re.search(r"\d+\.\d%", desc)
    assert chart.locator("rect.bar-target").count() >= 5   # every rate with a target has its mark
    table = page.locator("#sv-ind table")
    expect(table.locator("tbody tr").filter(has_text="业务量").first).to_contain_text("提交")
    city = table.locator("tbody tr").filter(has_text="网上全流程办理率").first
    expect(city.locator(".tag")).to_have_text(re.compile("^(达标|未达标)$"))

    # the officer's yellow card, explained by the head, with its age; an empty note is refused
    page.locator("#sv-cards").get_by_role("button", name="已说明").click()
    card = page.locator(f"#sv-cards li[data-id='{world['card']}']")
    expect(card).to_be_visible()
    expect(card.locator(".tag.colour-yellow")).to_have_text("黄牌")
    expect(card).to_contain_text("不予受理或不予办结未说明理由")
    expect(card).to_contain_text(world["app"])
    expect(card.locator(".meta")).to_contain_text("今天亮牌")
    expect(card).to_contain_text(EXPLANATION)
    snap("cards")
    card.get_by_role("button", name="关闭").click()
    note = card.get_by_label("关闭意见")
    expect(note).to_be_focused()
    card.get_by_role("button", name="确认关闭").click()
    expect(card.locator(".field-error")).to_contain_text("请填写关闭意见")
    expect(note).to_have_attribute("aria-invalid", "true")
    note.fill("已核查：申请人材料齐全，窗口应受理；已提醒窗口人员说明理由。")
    card.get_by_role("button", name="确认关闭").click()
    expect(card.locator(".notice")).to_have_text("已关闭。")
    expect(card).to_contain_text("关闭时间")
    expect(card.get_by_role("button", name="关闭")).to_have_count(0)
    # it is among the closed ones now
    page.locator("#sv-cards").get_by_role("button", name="已关闭").click()
    expect(page.locator(f"#sv-cards li[data-id='{world['card']}']")).to_be_visible()

    # drill down: the market regulator at city level
    page.select_option("#sv-dept", "SCJGJ")
    page.get_by_role("button", name="查看").click()
    expect(page).to_have_url(re.compile(r"department=SCJGJ"))
    expect(page.locator("#sv-scope")).to_have_text("当前范围：市场监督管理局")
    expect(page.locator("#sv-ind svg title")).to_have_text("市场监督管理局各项指标与目标")
    # the department's appeal of the bad rating, decided in place
    ratings = page.locator("#sv-ratings")
    ratings.get_by_role("button", name="申诉待裁决").click()
    rating = ratings.locator(f"li[data-id='{world['rating']}']")
    expect(rating).to_contain_text("非常不满意")
    expect(rating).to_contain_text("服务态度差")
    expect(rating).to_contain_text("评价与事实不符")
    rating.get_by_role("button", name="提交裁决").click()
    expect(rating.locator(".field-error").first).to_contain_text("请选择裁决结果")
    rating.get_by_label("申诉不成立（保留评价）").check()
    rating.get_by_label("裁决意见").fill("录像无声音，不能证明评价恶意，保留评价。")
    rating.get_by_role("button", name="提交裁决").click()
    expect(rating.locator(".notice")).to_have_text("裁决已提交。")
    expect(rating).to_contain_text("申诉不成立")
    expect(rating.get_by_role("button", name="提交裁决")).to_have_count(0)
    # before the export's first run its status reads ahead hour by hour: patient
    expect(page.locator("#sv-export dl")).to_contain_text("最早未推送事件的等待时间",
                                                          timeout=130_000)
    # no horizontal scrolling at 390 px, and axe finds nothing (the decided rating, the forms)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.locator("#sv-cards").get_by_role("button", name="待处理").click()
    expect(page.locator("#sv-cards .status")).not_to_have_text("正在加载…")
    assert scan(page, axe_source) == []
    snap("drilldown")

    # English: every label of the screen switches
    page.locator("#lang-toggle").click()
    expect(page.locator("#view h1")).to_have_text("Service oversight")
    expect(page.locator("#sv-ind svg title")).to_have_text(
        re.compile("indicators against targets$"))
    expect(page.locator("#sv-ind table thead").first).to_contain_text("Target")
    expect(page.locator("#sv-export h2")).to_have_text("Provincial data export")
    assert not re.search(r"[\u4e00-\u9fff]", page.locator("#sv-ind figure").inner_text())
    snap("english")


def test_the_officer_a_card_names_reads_his_own(page, world):
    """The card's notice sends the officer to 效能监督: he sees the cards naming him only."""
    head_steps_done(page.base, world)
    supervisor = staff_tokens(page.base, SUPERVISOR)["access_token"]
    call(page.base, "POST", f"/supervision/cards/{world['card']}/close",
         {"note": "已核查，同意关闭。"}, supervisor)               # 409 once closed
    browser_staff_login(page, OFFICER_PHONE)
    page.goto(page.base + "/#/supervision")
    expect(page.locator("#view h1")).to_have_text("我的红黄牌")
    expect(page.locator("#sv-mine")).to_contain_text("点名您的红黄牌")
    expect(page.locator("#sv-ind, #sv-ratings, #sv-export, #sv-dept")).to_have_count(0)
    page.locator("#sv-cards").get_by_role("button", name="已关闭").click()
    card = page.locator(f"#sv-cards li[data-id='{world['card']}']")
    expect(card).to_contain_text(EXPLANATION)
    expect(card).to_contain_text("关闭时间")
    expect(card.get_by_role("button")).to_have_count(0)   # nothing left to do on it
