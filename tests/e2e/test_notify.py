"""The notification centre in a 390x844 Chromium: 消息设置 asks Notification permission only after
the tap on 开启通知, subscribes with the VAPID key and POSTs the subscription (headless Chromium
has no push service: pushManager.subscribe is stubbed in an init script, the POST body checked),
关闭 unsubscribes and DELETEs; a denied permission and a browser without push each say what still
works; preferences saved and read back after a reload; 我的消息记录 shows a campaign's message
(sent through the API: two officers, the worker delivers it) with its channels, why and code;
验证消息 says genuine for that code and not for another. zh, en, elder mode (>= 18 px, 48 px)."""
import base64
import json
import re
import secrets
import time

from accounts import (
    act_for,
    browser_login,
    call,
    ensure_enterprise,
    ensure_registered,
    officer_token,
)
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from playwright.sync_api import expect
from test_a11y import axe_source, scan  # noqa: F401 (axe_source is a fixture)
from test_elder_mode import MIN_PX, SMALL_TARGETS, TAP_PX, VISIBLE_TEXTS

# Registry people no other test registers (infra/seed/registry.json).
SUBSCRIBER = {"name": "刘梅嘉", "id_number": "441481198007312680", "phone": "15774339674"}
READER = {"name": "林东", "id_number": "36070219910117467X", "phone": "17841436950"}
PASSWORD = "Hakka-Notify-2026"
ZHANG = {"name": "张三丰", "id_number": "441402197005061355", "phone": "13800138000"}
ZHANG_PASSWORD = "Meizhou#Hall2026"  # test_identity.py registers him with it
FIRM = ("91441402MA0MT2NFX4", "梅州市示范科技有限公司")
ENDPOINT = "http://127.0.0.1:9/push/e2e-" + secrets.token_hex(8)  # loopback: the local stage only

# Notification and pushManager as the test drives them: counts the permission asks, answers
# what window.__push.answer says, records what subscribe was given.
STUB = """(() => {
  const SUB = %s;
  const state = { perm: 'default', answer: 'granted', asks: 0, subscribed: [], sub: null };
  window.__push = state;
  if (!('Notification' in window) || !('PushManager' in window)) return;
  Object.defineProperty(Notification, 'permission', { configurable: true, get: () => state.perm });
  Notification.requestPermission = async () => {
    state.asks += 1;
    state.perm = state.answer;
    return state.answer;
  };
  PushManager.prototype.subscribe = async function (opts) {
    state.subscribed.push({ userVisibleOnly: opts.userVisibleOnly,
                            key: opts.applicationServerKey.byteLength, perm: state.perm });
    state.sub = { endpoint: SUB.endpoint, expirationTime: null,
      toJSON: () => ({ endpoint: SUB.endpoint, expirationTime: null, keys: SUB.keys }),
      unsubscribe: async () => { state.sub = null; return true; } };
    return state.sub;
  };
  PushManager.prototype.getSubscription = async function () { return state.sub; };
})();"""


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def browser_keys() -> dict:
    """A browser's subscription keys: a P-256 public point and a 16-byte auth secret."""
    point = ec.generate_private_key(ec.SECP256R1()).public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    return {"p256dh": b64url(point), "auth": b64url(secrets.token_bytes(16))}


def stub(page, endpoint=ENDPOINT):
    page.add_init_script(STUB % json.dumps({"endpoint": endpoint, "keys": browser_keys()}))


def elder_ok(page):
    page.locator("#elder-toggle").click()
    expect(page.locator("html")).to_have_class(re.compile("elder"))
    small = [t for t in page.evaluate(VISIBLE_TEXTS) if t["px"] < MIN_PX]
    assert not small, small[:8]
    assert page.evaluate(SMALL_TARGETS, TAP_PX) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.locator("#elder-toggle").click()


def open_settings(page, person):
    page.goto(page.base + "/")
    browser_login(page, person["phone"], PASSWORD)
    page.goto(page.base + "/#/me")
    page.get_by_role("link", name=re.compile("消息设置")).click()
    expect(page).to_have_url(re.compile(r"#/me/notifications$"))
    expect(page.locator("#view h1")).to_have_text("消息设置")
    expect(page.locator("#nf-save")).to_be_visible()


def test_permission_is_asked_only_after_the_tap_then_subscribe_and_unsubscribe(page, snap):
    token = ensure_registered(page.base, SUBSCRIBER, PASSWORD)["access_token"]
    stub(page)
    open_settings(page, SUBSCRIBER)
    enable = page.get_by_role("button", name="开启通知")
    expect(enable).to_be_visible()
    expect(page.locator("#nf-push-status")).to_have_text("本机没有开启通知。")
    page.wait_for_timeout(500)
    assert page.evaluate("__push.asks") == 0  # nothing asked on opening the screen
    snap("settings")

    with page.expect_request(lambda r: r.url.endswith("/api/v1/me/push-subscriptions")
                             and r.method == "POST") as posted:
        enable.click()
    body = posted.value.post_data_json
    assert body["endpoint"] == ENDPOINT
    assert set(body["keys"]) == {"p256dh", "auth"}
    assert page.evaluate("__push.asks") == 1
    assert page.evaluate("__push.subscribed") == [{"userVisibleOnly": True, "key": 65,
                                                   "perm": "granted"}]
    expect(page.locator("#nf-push-status")).to_have_text("已开启通知。")
    device = page.locator("#nf-devices li.device")
    expect(device).to_have_count(1)
    expect(device).to_contain_text("127.0.0.1（本机）")
    expect(page.locator("#nf-disable")).to_be_focused()
    assert len(call(page.base, "GET", "/me/push-subscriptions", None, token)[1]["items"]) == 1

    with page.expect_request(lambda r: r.url.endswith("/api/v1/me/push-subscriptions")
                             and r.method == "DELETE") as deleted:
        page.get_by_role("button", name="关闭本机通知").click()
    assert deleted.value.post_data_json == {"endpoint": ENDPOINT}
    expect(page.locator("#nf-push-status")).to_have_text("已关闭本机通知。")
    expect(page.locator("#nf-devices")).to_have_text("还没有设备开启通知。")
    expect(enable).to_be_focused()
    assert call(page.base, "GET", "/me/push-subscriptions", None, token)[1]["items"] == []

    # Refused in the browser's prompt: a plain explanation, no subscription, no POST.
    page.evaluate("__push.answer = 'denied'")
    enable.click()
    expect(page.locator("#nf-push-note")).to_contain_text("您在浏览器里拒绝了通知")
    expect(page.locator("#nf-push-note")).to_contain_text("短信和站内消息照常送达")
    expect(enable).to_be_hidden()
    assert page.evaluate("__push.subscribed.length") == 1
    snap("denied")


def test_without_push_support_the_screen_says_sms_and_the_inbox_still_work(page):
    ensure_registered(page.base, SUBSCRIBER, PASSWORD)
    page.add_init_script("delete window.PushManager;")
    open_settings(page, SUBSCRIBER)
    expect(page.locator("#nf-push-note")).to_have_text(re.compile("不能接收推送通知.*短信和站内"))
    expect(page.get_by_role("button", name="开启通知")).to_be_hidden()


def test_preferences_are_saved_and_read_back(page, snap):
    token = ensure_registered(page.base, SUBSCRIBER, PASSWORD)["access_token"]
    stub(page)
    open_settings(page, SUBSCRIBER)
    legal = page.locator("#nf-t-legal input[data-kind=subscribed]")
    expect(legal).to_be_checked()
    expect(legal).to_be_disabled()  # legally required: shown on, not switchable
    expect(page.locator("#nf-t-legal")).to_contain_text("依法必须送达，不能关闭")
    expect(page.locator("#nf-t-application input[data-kind=subscribed]")).to_be_checked()
    tax = page.locator("#nf-t-hot_tax")
    expect(tax.locator("input[data-kind=subscribed]")).not_to_be_checked()  # offered, not imposed

    tax.get_by_label("订阅").check()
    tax.get_by_label("短信").check()
    page.locator("#nf-t-deadline").get_by_label("推送通知").uncheck()
    page.get_by_label("开始").fill("22:30")
    page.get_by_label("结束").fill("07:00")
    page.get_by_label("每天最多").fill("3")
    page.get_by_label("每周最多").fill("12")
    page.get_by_label("把可选的消息合成每天一条").check()
    page.get_by_label("汇总时间").fill("18:00")
    page.get_by_role("button", name="保存设置").click()
    expect(page.locator("#nf-saved")).to_have_text("设置已保存。")

    got = call(page.base, "GET", "/me/preferences", None, token)[1]
    assert got["topics"]["hot_tax"] == {"subscribed": True, "channels": ["push", "sms"]}
    assert got["topics"]["deadline"]["channels"] == []
    assert got["quiet_hours"] == {"start": "22:30", "end": "07:00"}
    assert got["caps"] == {"per_day": 3, "per_week": 12}
    assert got["digest"] == {"enabled": True, "at": "18:00"}

    page.reload()
    expect(page.locator("#nf-save")).to_be_visible()
    expect(tax.locator("input[data-kind=subscribed]")).to_be_checked()
    expect(tax.get_by_label("短信")).to_be_checked()
    expect(page.locator("#nf-t-deadline").get_by_label("推送通知")).not_to_be_checked()
    expect(page.get_by_label("开始")).to_have_value("22:30")
    expect(page.get_by_label("每周最多")).to_have_value("12")
    expect(page.get_by_label("汇总时间")).to_have_value("18:00")

    # A weekly cap below the daily one: the API's 422 shows in the error summary.
    page.get_by_label("每周最多").fill("2")
    page.get_by_role("button", name="保存设置").click()
    expect(page.locator(".error-summary")).to_be_focused()
    assert call(page.base, "GET", "/me/preferences", None, token)[1]["caps"]["per_week"] == 12

    # Quiet hours off: the times go, and null is kept.
    page.reload()
    page.get_by_label("开启免打扰（北京时间）").uncheck()
    expect(page.locator("#nf-quiet-times")).to_be_hidden()
    page.get_by_role("button", name="保存设置").click()
    expect(page.locator("#nf-saved")).to_have_text("设置已保存。")
    assert call(page.base, "GET", "/me/preferences", None, token)[1]["quiet_hours"] is None

    page.locator("#lang-toggle").click()
    expect(page.locator("#view h1")).to_have_text("Message settings")
    expect(page.get_by_role("button", name="Turn on notifications")).to_be_visible()
    expect(page.locator("#nf-t-legal")).to_contain_text("Required by law")
    snap("settings-en")
    page.locator("#lang-toggle").click()
    expect(page.locator("#view h1")).to_have_text("消息设置")
    elder_ok(page)


def test_acting_for_the_company_chooses_which_of_its_topics_reach_the_person(page):
    tokens = ensure_registered(page.base, ZHANG, ZHANG_PASSWORD)
    ensure_enterprise(page.base, tokens, FIRM[0])
    page.goto(page.base + "/")
    browser_login(page, ZHANG["phone"], ZHANG_PASSWORD)
    page.goto(page.base + "/#/me/notifications")
    expect(page.locator("#nf-save")).to_be_visible()
    expect(page.locator("#nf-ent")).to_have_count(0)  # as himself: his own topics only
    label = f"{FIRM[1]}（法定代表人）"
    page.locator("#id-toggle").click()
    page.locator("#id-menu").get_by_role("button", name=label, exact=True).click()
    expect(page.locator("#id-now")).to_have_text(f"当前身份：{label}")
    section = page.locator("#nf-ent")
    expect(section.locator("h2")).to_have_text(f"{FIRM[1]}的消息")
    # The legal representative follows the company's applications by default, not its tax news.
    expect(section.locator('[id="nf-t-enterprise.application"] input[data-kind=subscribed]')
           ).to_be_checked()
    tax = section.locator('[id="nf-t-enterprise.hot_tax"]')
    expect(tax.locator("input[data-kind=subscribed]")).not_to_be_checked()
    tax.get_by_label("订阅").check()
    page.get_by_role("button", name="保存设置").click()
    expect(page.locator("#nf-saved")).to_have_text("设置已保存。")
    got = call(page.base, "GET", "/me/preferences", None,
               act_for(page.base, tokens, FIRM[0]))[1]
    assert got["enterprise"]["uscc"] == FIRM[0]
    assert got["enterprise"]["topics"]["hot_tax"]["subscribed"] is True
    own = call(page.base, "GET", "/me/preferences", None, tokens["access_token"])[1]
    assert own["topics"]["hot_tax"]["subscribed"] is False  # his own stay his own


def wait_ledger(base, token, title, timeout=90):
    """The ledger entry of `title` once the worker delivered it (plan -> queue -> deliver)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status, got = call(base, "GET", "/me/ledger?limit=20", None, token)
        assert status == 200, got
        hit = [e for e in got["items"] if e["title"] == title]
        if hit:
            return hit[0]
        time.sleep(1)
    raise AssertionError(f"no ledger entry {title!r}: {got}")


def send_campaign(base, topic, title):
    """A campaign to everyone following `topic`, made by the demo officer and approved by a
    second officer of the department (a dev account of the local stage)."""
    author = officer_token(base)
    status, made = call(base, "POST", "/officer/campaigns", {
        "name": f"e2e {title}", "topic": topic, "template": "announcement",
        "params": {"title": title}, "segment": {"audience": "person"}}, author)
    assert status == 201, made
    status, second = call(base, "POST", "/dev/sessions",
                          {"role": "officer", "department": "SCJGJ", "region": "441400"})
    assert status == 201, second
    status, body = call(base, "POST", f"/officer/campaigns/{made['id']}/approve", None,
                        second["access_token"])
    assert status == 200, body
    return made


def test_the_ledger_shows_a_campaign_message_and_its_code_verifies(page, snap):
    token = ensure_registered(page.base, READER, PASSWORD)["access_token"]
    # Follows 质监, no quiet hours (the run may fall in the night in Beijing).
    status, body = call(page.base, "PUT", "/me/preferences", {
        "topics": {"hot_quality": {"subscribed": True, "channels": ["push"]}},
        "quiet_hours": None}, token)
    assert status == 200, body
    title = "质量月检查" + secrets.token_hex(2)
    made = send_campaign(page.base, "hot_quality", title)
    entry = wait_ledger(page.base, token, title)
    assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}", entry["code"])
    raw = entry["code"].replace("-", "")

    page.goto(page.base + "/")
    browser_login(page, READER["phone"], PASSWORD)
    page.goto(page.base + "/#/me")
    page.get_by_role("link", name=re.compile("我的消息记录")).click()
    expect(page.locator("#view h1")).to_have_text("我的消息记录")
    item = page.locator("#view li.ledger-item").filter(has_text=title)
    expect(item).to_have_count(1)
    expect(item).to_contain_text("质监")
    expect(item.locator(".channels")).to_contain_text("站内消息：已送达")
    expect(item.locator(".lg-status")).to_have_text("仅站内消息")  # no device: the inbox only
    expect(item.locator("code.vcode")).to_have_text(entry["code"])
    why = item.locator("details.why")
    expect(why.locator("p").first).to_be_hidden()
    why.locator("summary").click()
    expect(why).to_contain_text(f"来自推送活动“{made['name']}”。")
    snap("ledger")
    page.locator("#lang-toggle").click()
    expect(page.locator("#view h1")).to_have_text("My message record")
    expect(item.locator(".lg-status")).to_have_text("Inbox only")
    expect(page.locator("summary").first).to_have_text("Why did I get this")
    snap("ledger-en")
    page.locator("#lang-toggle").click()
    expect(page.locator("#view h1")).to_have_text("我的消息记录")
    elder_ok(page)

    # The same message in the inbox says why too, once opened.
    page.goto(page.base + "/#/inbox")
    notice = page.locator("#view li.notice-item").filter(has_text=title)
    notice.locator("button.ib-open").click()
    notice.locator("details.why summary").click()
    expect(notice.locator("details.why")).to_contain_text(f"来自推送活动“{made['name']}”。")
    expect(notice.locator("details.why")).to_contain_text("订阅了“质监”；对象：个人")
    page.goto(page.base + "/#/me/ledger")
    expect(item).to_have_count(1)

    # 验证: the code of the message, genuine; the screen warns about login links.
    item.get_by_role("link", name="验证").click()
    expect(page.locator("#view h1")).to_have_text("验证消息")
    expect(page.locator("#vm-nolinks")).to_contain_text("政府消息不含登录链接")
    genuine = page.locator("#vm-genuine")
    expect(genuine).to_contain_text("这是真实的政府消息。")
    expect(genuine).to_contain_text(title)
    expect(genuine).to_contain_text("梅州市市场监督管理局")  # the department, not the campaign
    snap("verify-genuine")

    # Logged out, from the footer: a made-up code is not genuine; a malformed one is refused.
    page.evaluate("localStorage.clear()")
    page.context.clear_cookies()
    page.goto(page.base + "/")
    page.locator("footer a[href='#/verify-message']").click()
    expect(page.locator("#view h1")).to_have_text("验证消息")
    code = page.get_by_label("核验码")
    fake = "ZZZZ" + ("0000" if raw[4:] != "0000" else "1111")
    code.fill(fake[:4] + "-" + fake[4:].lower())  # hyphen and case as people type them
    page.get_by_role("button", name="查验").click()
    expect(page.locator("#vm-fake")).to_contain_text("这条消息可能是假的")
    expect(page.locator("#vm-genuine")).to_have_count(0)
    code.fill("LOGIN")
    page.get_by_role("button", name="查验").click()
    expect(page.locator(".error-summary")).to_contain_text("核验码是 8 位字母和数字。")
    code.fill(raw.lower())
    page.get_by_role("button", name="查验").click()
    expect(page.locator("#vm-genuine")).to_contain_text(title)
    page.locator("#lang-toggle").click()
    expect(page.locator("#view h1")).to_have_text("Verify a message")
    expect(page.locator("#vm-nolinks")).to_contain_text("no login links")
    snap("verify-en")
    elder_ok(page)


def test_the_notification_screens_pass_axe(page, axe_source):  # noqa: F811
    ensure_registered(page.base, SUBSCRIBER, PASSWORD)
    stub(page)
    open_settings(page, SUBSCRIBER)
    assert scan(page, axe_source) == []
    page.goto(page.base + "/#/me/ledger")
    expect(page.locator("#view h1")).to_have_text("我的消息记录")
    expect(page.locator("#view .status")).not_to_have_text("")
    assert scan(page, axe_source) == []
    page.goto(page.base + "/#/verify-message")
    expect(page.locator("#view h1")).to_have_text("验证消息")
    assert scan(page, axe_source) == []
