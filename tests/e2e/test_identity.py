"""Identity journeys in a 390x844 Chromium: register, log in (with a password or a texted code),
reset a forgotten password, enterprises, identities, grants, and sessions shared by tabs.

The stack lives for the whole session, so each test uses its own people from the synthetic base
registry (infra/seed/registry.json) and only sets up through the API what it does not test.
Only tests read the dev outbox (it does not exist in prod); the app never does.
"""
import random
import re
from datetime import date, timedelta

from accounts import call, ensure_enterprise, ensure_registered, sms_code
from conftest import ARTIFACTS, _safe
from playwright.sync_api import expect

from functions.identity import cn_ids

ZHANG = {"name": "张三丰", "id_number": "441402197005061355", "phone": "13800138000"}
ZHANG_PASSWORD = "Meizhou#Hall2026"
ZHANG_FIRM = ("91441402MA0MT2NFX4", "梅州市示范科技有限公司")
# Registry people nobody else in the suite registers.
ERROR_PERSON = {"name": "林敏雪", "id_number": "441481200410105964", "phone": "18092457776"}
GRANTEE = {"name": "黎英静", "id_number": "441424195904250802", "phone": "15941351080"}
OTHER_PASSWORD = "Hakka-Tulou-88"
STAFF_PHONE, STAFF_PASSWORD = "13900000002", "Meizhou-2026!"  # infra/seed/staff.json (侯雪)
REFRESH_COOKIE, MARKER_COOKIE = "__Secure-hall_rt", "__Secure-hall_in"


def made_up(n):
    """A citizen nobody else registers (phones 1990052xxxx are this file's): a random number
    per run, so a stack kept running between runs (E2E_BASE_URL) never has them yet."""
    n = random.Random().randrange(n * 1000, n * 1000 + 1000) % 10000
    return {"name": "罗测试", "phone": f"1990052{n:04d}",
            "id_number": cn_ids.make_id_number("441422", date(1980, 1, 1) + timedelta(days=n),
                                               n % 1000)}


def refresh_cookie(context):
    return next((c for c in context.cookies() if c["name"] == REFRESH_COOKIE), None)


def log_in(page, phone, password):
    page.goto(page.base + "/#/login")
    expect(page.locator("#view h1")).to_have_text("登录")
    page.get_by_label("手机号").fill(phone)
    page.get_by_label("密码", exact=True).fill(password)
    page.get_by_role("button", name="登录").click()
    expect(page.locator("#view h1")).to_have_text("我的")
    expect(page.locator("#id-now")).to_be_visible()


def switch_to(page, label):
    page.locator("#id-toggle").click()
    expect(page.locator("#id-toggle")).to_have_attribute("aria-expanded", "true")
    page.locator("#id-menu").get_by_role("button", name=label, exact=True).click()
    expect(page.locator("#id-now")).to_have_text(f"当前身份：{label}")
    expect(page.locator("#id-status")).to_have_text(f"已切换为：{label}。")
    expect(page.locator("#id-toggle")).to_be_focused()


def test_register_login_and_switch_identity(page, snap):
    page.goto(page.base + "/#/register")
    expect(page.locator("#view h1")).to_have_text("注册")
    # The form says what it wants up front: password rules, autocomplete and keyboards.
    expect(page.get_by_text("10 到 64 个字符")).to_be_visible()
    password = page.get_by_label("密码", exact=True)
    expect(password).to_have_attribute("autocomplete", "new-password")
    expect(password).to_have_attribute("aria-describedby", re.compile("pw-rules"))
    expect(page.get_by_label("手机号")).to_have_attribute("autocomplete", "tel")
    expect(page.get_by_label("手机号")).to_have_attribute("inputmode", "numeric")
    code = page.get_by_label("短信验证码")
    expect(code).to_have_attribute("autocomplete", "one-time-code")
    expect(code).to_have_attribute("inputmode", "numeric")

    page.get_by_label("姓名").fill(ZHANG["name"])
    page.get_by_label("身份证号").fill(ZHANG["id_number"])
    page.get_by_label("手机号").fill(ZHANG["phone"])
    page.get_by_role("button", name="获取验证码").click()
    expect(page.get_by_role("status").filter(has_text="验证码已发送到 138****8000")).to_be_visible()
    send = page.locator(".send-code")
    expect(send).to_have_text(re.compile(r"^\d+ 秒后可重新获取$"))
    expect(send).to_have_attribute("aria-disabled", "true")
    code.fill(sms_code(page.base, ZHANG["phone"]))
    password.fill(ZHANG_PASSWORD)
    snap("register")
    page.get_by_role("button", name="注册", exact=True).click()

    expect(page.locator("#view h1")).to_have_text("我的")
    expect(page.get_by_role("status").filter(has_text="注册成功")).to_be_visible()
    expect(page.locator("#me-level")).to_have_text("二级：身份信息已核验")
    expect(page.locator("#me-phone")).to_have_text("138****8000")
    expect(page.locator("#me-id")).not_to_have_text(ZHANG["id_number"])
    expect(page.locator("#id-now")).to_have_text("当前身份：张三丰（个人）")
    # The refresh token: in a cookie no script can read, sent to the auth paths alone; no token
    # in any storage.
    cookie = refresh_cookie(page.context)
    assert cookie and cookie["httpOnly"] and cookie["secure"] and cookie["sameSite"] == "Strict"
    assert cookie["path"] == "/api/v1/auth"
    assert REFRESH_COOKIE not in page.evaluate("document.cookie")
    assert cookie["value"] not in page.evaluate(
        "JSON.stringify([Object.entries(localStorage), Object.entries(sessionStorage)])")
    assert not [k for k in page.evaluate("Object.keys(localStorage)") if "rt" in k or "token" in k]
    # Full numbers only on an explicit tap, and hidden again.
    reveal = page.get_by_role("button", name="显示完整号码")
    reveal.click()
    expect(page.locator("#me-phone")).to_have_text(ZHANG["phone"])
    expect(page.locator("#me-id")).to_have_text(ZHANG["id_number"])
    page.get_by_role("button", name="隐藏完整号码").click()
    expect(page.locator("#me-phone")).to_have_text("138****8000")
    snap("me")

    page.get_by_role("button", name="退出登录").click()
    expect(page.locator("#view h1")).to_have_text("登录")
    expect(page.get_by_role("status").filter(has_text="您已安全退出")).to_be_visible()
    expect(page.locator("#idbar")).to_be_hidden()
    assert refresh_cookie(page.context) is None  # logging out cleared it

    page.get_by_label("手机号").fill(ZHANG["phone"])
    current = page.get_by_label("密码", exact=True)
    expect(current).to_have_attribute("autocomplete", "current-password")
    current.fill(ZHANG_PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.locator("#view h1")).to_have_text("我的")

    # 认证企业: the legal representative registers the company.
    page.get_by_label("统一社会信用代码").fill(ZHANG_FIRM[0])
    page.get_by_role("button", name="认证企业").click()
    expect(page.get_by_role("status").filter(has_text=f"已认证：{ZHANG_FIRM[1]}")).to_be_visible()
    expect(page.locator("#me-ents")).to_contain_text(ZHANG_FIRM[1])

    firm = f"{ZHANG_FIRM[1]}（法定代表人）"
    switch_to(page, firm)
    # The screen shows itself again as the company; the keyboard stays on the switcher.
    expect(page.locator("#view .facts").first).to_contain_text(firm)
    expect(page.locator("#id-toggle")).to_be_focused()
    snap("enterprise")
    # A reload keeps the session (the refresh cookie, rotated) and the chosen identity.
    before = refresh_cookie(page.context)["value"]
    page.reload()
    expect(page.locator("#id-now")).to_have_text(f"当前身份：{firm}")
    after = refresh_cookie(page.context)
    assert after and after["value"] != before
    switch_to(page, "张三丰（个人）")


def test_form_errors_are_shown_under_fields_and_announced(page, snap):
    page.goto(page.base + "/#/register")
    expect(page.locator("#view h1")).to_have_text("注册")
    bad_id = ERROR_PERSON["id_number"][:-1] + ("0" if ERROR_PERSON["id_number"][-1] != "0" else "1")
    page.get_by_label("姓名").fill(ERROR_PERSON["name"])
    page.get_by_label("身份证号").fill(bad_id)
    page.get_by_label("手机号").fill(ERROR_PERSON["phone"])
    page.get_by_label("短信验证码").fill("123456")
    page.get_by_label("密码", exact=True).fill(OTHER_PASSWORD)
    page.get_by_role("button", name="注册", exact=True).click()

    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_have_attribute("role", "alert")
    id_input = page.get_by_label("身份证号")
    expect(id_input).to_have_attribute("aria-invalid", "true")
    err_id = id_input.get_attribute("aria-describedby").split()[0]
    message = page.locator(f"#{err_id}")
    expect(message).to_be_visible()
    text = message.inner_text()
    assert re.search(r"[\u4e00-\u9fff]", text) and not re.search(r"[A-Za-z]{3,}", text), text
    expect(summary).to_contain_text("身份证号")
    # Nothing else was wrong: the other fields are not marked.
    expect(page.get_by_label("手机号")).not_to_have_attribute("aria-invalid", "true")
    snap("errors")
    # The summary's link takes the keyboard to the field.
    summary.get_by_role("link").first.click()
    expect(id_input).to_be_focused()

    # Empty required fields are caught before sending, the same way.
    page.get_by_label("姓名").fill("")
    page.get_by_role("button", name="注册", exact=True).click()
    expect(page.locator(".error-summary")).to_be_focused()
    expect(page.get_by_label("姓名")).to_have_attribute("aria-invalid", "true")
    expect(page.locator(".field-error").first).to_contain_text("请填写姓名")


def test_grant_staff_accept_and_act_for_the_enterprise(page, browser, hall_url, snap, request):
    ensure_enterprise(hall_url, ensure_registered(hall_url, ZHANG, ZHANG_PASSWORD), ZHANG_FIRM[0])
    ensure_registered(hall_url, GRANTEE, OTHER_PASSWORD)

    # 张三丰 authorises 黎英静 as a preparer of the company.
    log_in(page, ZHANG["phone"], ZHANG_PASSWORD)
    page.get_by_role("link", name=re.compile("^授权管理")).click()
    expect(page.locator("#view h1")).to_have_text("授权管理")
    form = page.locator("form", has=page.get_by_role("button", name="发出授权"))
    form.get_by_label(re.compile(f"^{ZHANG_FIRM[1]}")).check()
    form.get_by_label(re.compile("^经办人")).check()
    form.get_by_label("被授权人的手机号").fill(GRANTEE["phone"])
    expires = form.get_by_label("授权有效期至")
    expect(expires).to_have_attribute("type", "date")
    page.get_by_role("button", name="发出授权").click()
    sent = page.get_by_role("status").filter(has_text=f"已向 {GRANTEE['name']} 发出授权")
    expect(sent).to_be_focused()
    given = page.locator("#grants-given li").filter(has_text=GRANTEE["name"]).first
    expect(given).to_contain_text("待确认")
    expect(given).to_contain_text("159****1080")
    snap("given")

    # 黎英静, in a browser of her own, accepts and acts for the company.
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    try:
        other = ctx.new_page()
        problems = []
        other.on("pageerror", lambda e: problems.append(str(e)))
        other.base = hall_url
        log_in(other, GRANTEE["phone"], OTHER_PASSWORD)
        other.goto(hall_url + "/#/grants")
        card = other.locator("#grants-received li").filter(has_text=ZHANG_FIRM[1]).first
        expect(card).to_contain_text("授权您作为经办人")
        card.get_by_role("button", name="接受授权").click()
        question = card.locator(".confirm-q")
        expect(question).to_be_focused()
        expect(question).to_contain_text("确定接受")
        card.get_by_role("button", name="确定").click()
        expect(other.get_by_role("status").filter(has_text="已接受授权")).to_be_visible()
        expect(other.locator("#grants-received li").first).to_contain_text("生效中")
        label = f"{ZHANG_FIRM[1]}（经办人）"
        switch_to(other, label)
        expect(other.locator("#grants-received li").first).to_contain_text("生效中")
        shot = ARTIFACTS / f"{_safe(request.node.name)}-grantee.png"
        other.screenshot(path=str(shot), full_page=True)

        # 张三丰 sees it accepted, and can revoke it after confirming.
        page.reload()
        given = page.locator("#grants-given li").filter(has_text=GRANTEE["name"]).first
        expect(given).to_contain_text("生效中")
        given.get_by_role("button", name="撤销授权").click()
        given.get_by_role("button", name="取消").click()
        expect(given.get_by_role("button", name="撤销授权")).to_be_focused()
        given.get_by_role("button", name="撤销授权").click()
        given.get_by_role("button", name="确定").click()
        expect(page.get_by_role("status").filter(has_text="授权已撤销")).to_be_visible()
        given = page.locator("#grants-given li").filter(has_text=GRANTEE["name"]).first
        expect(given).to_contain_text("已撤销")

        # 黎英静's next request finds the authorisation gone: she is back to herself.
        other.get_by_role("link", name="我的").click()
        expect(other.locator("#id-now")).to_have_text(f"当前身份：{GRANTEE['name']}（个人）")
        expect(other.locator("#id-status")).to_contain_text("授权已结束")
        assert not problems, problems
    finally:
        ctx.close()
    snap("revoked")


def test_staff_log_in_with_a_code(page, snap):
    page.goto(page.base + "/#/login")
    page.get_by_label("手机号").fill(STAFF_PHONE)
    page.get_by_label("密码", exact=True).fill(STAFF_PASSWORD)
    page.get_by_role("button", name="登录").click()
    title = page.get_by_role("heading", name="输入短信验证码")
    expect(title).to_be_focused()
    code = page.get_by_label("短信验证码")
    expect(code).to_have_attribute("autocomplete", "one-time-code")
    code.fill("000000" if sms_code(page.base, STAFF_PHONE) != "000000" else "111111")
    page.get_by_role("button", name="确认登录").click()
    expect(page.locator(".error-summary")).to_be_focused()
    expect(page.locator(".field-error")).to_contain_text("验证码错误或已过期")
    code.fill(sms_code(page.base, STAFF_PHONE))
    page.get_by_role("button", name="确认登录").click()
    expect(page.locator("#view h1")).to_have_text("效能监督")  # a supervisor lands on 效能监督
    expect(page.locator("#id-now")).to_contain_text("（个人）")
    snap("staff")


def test_wrong_password_and_an_ended_session(page):
    page.goto(page.base + "/#/login")
    page.get_by_label("手机号").fill(STAFF_PHONE)
    page.get_by_label("密码", exact=True).fill("Not-the-password-1")
    page.get_by_role("button", name="登录").click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("手机号或密码不正确")
    # A refresh cookie the server does not know: the next private screen sends one to log in.
    host = page.base.split("//", 1)[1].split(":")[0]
    page.context.add_cookies([
        {"name": REFRESH_COOKIE, "value": "x" * 43, "domain": host, "path": "/api/v1/auth",
         "secure": True, "httpOnly": True, "sameSite": "Strict"},
        {"name": MARKER_COOKIE, "value": "1", "domain": host, "path": "/", "secure": True,
         "sameSite": "Strict"}])
    page.goto(page.base + "/#/grants")
    expect(page.locator("#view h1")).to_have_text("登录")
    expect(page.get_by_role("status").filter(has_text="登录已过期")).to_be_visible()
    assert "next=%2Fgrants" in page.url, page.url
    assert MARKER_COOKIE not in page.evaluate("document.cookie")  # no session to try again


def test_account_screens_in_elder_mode_and_english(page):
    page.goto(page.base + "/#/register")
    page.locator("#elder-toggle").click()
    rules = page.locator(".rules")
    expect(rules).to_be_visible()  # the password rules stay in elder mode
    size = page.get_by_label("手机号").evaluate("el => parseFloat(getComputedStyle(el).fontSize)")
    assert size >= 20, size
    box = page.get_by_role("button", name="获取验证码").bounding_box()
    assert box and box["height"] >= 44, box
    page.get_by_role("button", name="English").click()
    expect(page.locator("#view h1")).to_have_text("Register")
    expect(page.get_by_label("Mobile number")).to_be_visible()
    # The other ways in, in English and in elder mode.
    page.goto(page.base + "/#/login")
    page.get_by_role("link", name="Forgot your password?").click()
    expect(page.locator("#view h1")).to_have_text("Reset your password")
    expect(page.get_by_label("New password")).to_have_attribute("autocomplete", "new-password")
    expect(page.get_by_label("Text message code")).to_have_attribute("autocomplete",
                                                                     "one-time-code")
    box = page.get_by_role("button", name="Get code").bounding_box()
    assert box and box["height"] >= 44, box
    page.get_by_role("link", name="Log in with a text message code").click()
    expect(page.locator("#view h1")).to_have_text("Log in with a code")
    expect(page.get_by_text("Staff log in with their password")).to_be_visible()
    page.get_by_role("button", name="中文").click()
    expect(page.locator("#view h1")).to_have_text("验证码登录")
    size = page.get_by_label("短信验证码").evaluate(
        "el => parseFloat(getComputedStyle(el).fontSize)")
    assert size >= 20, size
    page.get_by_role("link", name="忘记密码？").click()
    expect(page.locator("#view h1")).to_have_text("重置密码")
    page.goto(page.base + "/#/register")
    expect(page.locator("#view h1")).to_have_text("注册")


# ---- sessions across tabs ----------------------------------------------------------------------

def test_two_tabs_stay_logged_in_through_reloads_and_simultaneous_refreshes(page, context,
                                                                            hall_url, snap):
    person = made_up(1)
    ensure_registered(hall_url, person, OTHER_PASSWORD)
    log_in(page, person["phone"], OTHER_PASSWORD)
    # A second tab of the same browser: logged in too (the first one stays so).
    second = context.new_page()
    second.goto(hall_url + "/#/me")
    expect(second.locator("#view h1")).to_have_text("我的")
    expect(second.locator("#id-now")).to_have_text("当前身份：罗测试（个人）")
    page.bring_to_front()
    page.get_by_role("link", name=re.compile("^授权管理")).click()  # a private screen
    expect(page.locator("#view h1")).to_have_text("授权管理")
    page.get_by_role("link", name="我的", exact=True).click()
    expect(page.locator("#me-phone")).to_have_text(f"{person['phone'][:3]}****{person['phone'][7:]}")

    # Reload each, then both at the same moment (each refreshes with the one shared cookie).
    for tab in (page, second, page):
        tab.reload()
        expect(tab.locator("#id-now")).to_have_text("当前身份：罗测试（个人）")
    page.evaluate("location.reload()")
    second.evaluate("location.reload()")
    for tab in (page, second):
        expect(tab.locator("#view h1")).to_have_text("我的")
        expect(tab.locator("#id-now")).to_have_text("当前身份：罗测试（个人）")
    # Two refreshes sent at once with the same cookie, with no lock to order them (as a
    # browser without Web Locks, or two devices of a synced profile, would): no replay.
    statuses = page.evaluate("""() => Promise.all([1, 2].map(() =>
        fetch('/api/v1/auth/refresh', {method: 'POST'}).then(r => r.status)))""")
    assert statuses == [200, 200], statuses
    for tab in (second, page):
        tab.reload()
        expect(tab.locator("#id-now")).to_have_text("当前身份：罗测试（个人）")

    # Each tab's access token refused as expired, from its next profile read on (the server's
    # own 401 envelope: access tokens live 15 minutes, too long to wait for). Each tab
    # refreshes through the shared cookie and carries on with a new token.
    expired = {}

    def expire_in(tab):
        def handler(route):
            token = route.request.headers.get("authorization")
            if token and expired.setdefault(tab, token) == token:
                return route.fulfill(status=401, content_type="application/json", body=(
                    '{"error": {"code": "unauthorized", "message": "The token is invalid or '
                    'expired.", "request_id": "e2e", "details": {}}}'))
            return route.continue_()
        return handler

    handlers = {tab: expire_in(tab) for tab in (page, second)}
    for tab, handler in handlers.items():
        tab.route("**/api/v1/me", handler)
    for tab in (page, second):
        tab.get_by_role("link", name=re.compile("^授权管理")).click()
        tab.get_by_role("link", name="我的", exact=True).click()
    for tab in (page, second):
        expect(tab.locator("#view h1")).to_have_text("我的")
        expect(tab.locator("#me-phone")).to_have_text(
            f"{person['phone'][:3]}****{person['phone'][7:]}")
    assert set(expired) == {page, second} and expired[page] != expired[second]
    for tab, handler in handlers.items():
        tab.unroute("**/api/v1/me", handler)
    snap("two-tabs")

    # Logging out in one tab logs out both.
    page.get_by_role("button", name="退出登录").click()
    expect(page.locator("#view h1")).to_have_text("登录")
    expect(second.locator("#view h1")).to_have_text("登录")
    second.reload()
    expect(second.locator("#idbar")).to_be_hidden()
    second.close()


def test_forgotten_password_and_code_login(page, context, hall_url, snap):
    person = made_up(2)
    old = ensure_registered(hall_url, person, OTHER_PASSWORD)
    masked = f"{person['phone'][:3]}****{person['phone'][7:]}"
    # (A phone gets one code a minute; the suite's stack scales the limits by 50, so the
    # registration's code, the reset's and the login's come in the same minute.)

    # 忘记密码: from the login screen, a code, a new password; logged in at once.
    page.goto(hall_url + "/#/login")
    page.get_by_role("link", name="忘记密码？").click()
    expect(page.locator("#view h1")).to_have_text("重置密码")
    page.get_by_label("手机号").fill(person["phone"])
    page.get_by_role("button", name="获取验证码").click()
    expect(page.get_by_role("status").filter(has_text=f"如果 {masked} 已注册")).to_be_visible()
    page.get_by_label("短信验证码").fill(sms_code(hall_url, person["phone"]))
    page.get_by_label("新密码").fill("short")
    page.get_by_role("button", name="重置密码并登录").click()
    expect(page.locator(".error-summary")).to_be_focused()
    expect(page.get_by_label("新密码")).to_have_attribute("aria-invalid", "true")
    page.get_by_label("新密码").fill(ZHANG_PASSWORD)
    snap("reset")
    page.get_by_role("button", name="重置密码并登录").click()
    expect(page.locator("#view h1")).to_have_text("我的")
    expect(page.locator("#me-phone")).to_have_text(masked)
    # The session from before the reset is over; the old password no longer works.
    assert call(hall_url, "GET", "/me", token=old["access_token"])[0] == 401
    assert call(hall_url, "POST", "/auth/login",
                {"phone": person["phone"], "password": OTHER_PASSWORD})[0] == 401
    page.get_by_role("button", name="退出登录").click()
    expect(page.locator("#view h1")).to_have_text("登录")

    # 验证码登录: a code alone.
    page.get_by_role("link", name="验证码登录").click()
    expect(page.locator("#view h1")).to_have_text("验证码登录")
    page.get_by_label("手机号").fill(person["phone"])
    page.get_by_role("button", name="获取验证码").click()
    expect(page.get_by_role("status").filter(has_text=f"如果 {masked} 已注册")).to_be_visible()
    code = page.get_by_label("短信验证码")
    expect(code).to_have_attribute("autocomplete", "one-time-code")
    right = sms_code(hall_url, person["phone"])
    code.fill("000000" if right != "000000" else "111111")
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page.locator(".field-error")).to_contain_text("验证码错误或已过期")
    code.fill(right)
    snap("code-login")
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page.locator("#view h1")).to_have_text("我的")
    expect(page.locator("#id-now")).to_have_text("当前身份：罗测试（个人）")
    assert refresh_cookie(context)["httpOnly"]
