"""消息 (#/inbox) in a 390x844 Chromium: a citizen's inbox pages by cursor ("加载更多"), filters the
unread, opening a notice marks it read and the badge on 首页 drops, "全部标为已读" clears it;
English and elder mode (texts >= 18 px, tap targets >= 48 px); offline the screen says it needs
the network, and no personal answer is in the service worker's caches. An enterprise's inbox
is its own: acting for the company shows the company's notices and badge, not the person's."""
import re

from accounts import act_for, browser_login, call, ensure_enterprise, ensure_registered
from playwright.sync_api import expect
from test_a11y import axe_source, scan  # noqa: F401 (axe_source is a fixture)
from test_elder_mode import MIN_PX, SMALL_TARGETS, TAP_PX, VISIBLE_TEXTS
from test_layout_shift import WATCH, assert_still, settle, throttle

# A registry person no other test registers (infra/seed/registry.json).
READER = {"name": "张胜", "id_number": "441402199104082214", "phone": "15967414533"}
PASSWORD = "Hakka-Inbox-2026"
ZHANG = {"name": "张三丰", "id_number": "441402197005061355", "phone": "13800138000"}
ZHANG_PASSWORD = "Meizhou#Hall2026"  # test_identity.py registers him with it
FIRM = ("91441402MA0MT2NFX4", "梅州市示范科技有限公司")
MATTER = "441400-SCJGJ-0013"  # 个体工商户变更登记, a person's matter: a draft withdrawn is a notice
NOTICES = 12  # more than one screen's page (10)


def withdrawn_drafts(base, token, n):
    """n notices in the caller's inbox: each a draft created and withdrawn (办件已撤回)."""
    for _ in range(n):
        status, app = call(base, "POST", "/applications", {"matter": MATTER, "form": {}}, token)
        assert status == 201, app
        status, body = call(base, "POST", f"/applications/{app['id']}/withdraw", None, token)
        assert status == 200, body


def unread(base, token):
    status, body = call(base, "GET", "/me/inbox/unread", None, token)
    assert status == 200, body
    return body["unread"]


def badge(page):
    return page.locator("#nav-badge [aria-hidden]")


def test_a_citizens_inbox_pages_marks_read_and_the_badge_drops(page, context, snap):
    tokens = ensure_registered(page.base, READER, PASSWORD)
    token = tokens["access_token"]
    withdrawn_drafts(page.base, token, NOTICES)
    total = unread(page.base, token)
    assert total >= NOTICES

    page.goto(page.base + "/")
    browser_login(page, READER["phone"], PASSWORD)
    page.goto(page.base + "/")
    expect(page.locator("#pg-inbox-h .badge")).to_have_text(f"{total} 条未读", timeout=30_000)
    expect(badge(page)).to_have_text(str(total))  # the 首页 tab says so too
    expect(page.locator(".nav a[href='#/']")).to_have_accessible_description(f"{total} 条未读消息")
    page.locator("[data-tile=pg-inbox]").click()  # the strip's 未读消息 opens the inbox

    expect(page).to_have_url(re.compile(r"#/inbox$"))
    expect(page.locator("#view h1")).to_have_text("消息")
    items = page.locator("#view li.notice-item")
    expect(items).to_have_count(10)
    expect(page.locator("#ib-unread")).to_have_text(f"{total} 条未读")
    expect(items.first).to_have_class(re.compile("unread"))
    expect(items.first.locator(".ib-title")).to_have_text("办件已撤回")
    snap("inbox")
    page.get_by_role("button", name="加载更多").click()
    expect(items).to_have_count(total)
    expect(items.nth(10).locator("button.ib-open")).to_be_focused()  # keyboard users stay put
    expect(page.get_by_role("button", name="加载更多")).to_be_hidden()

    # opening one shows it whole and marks it read: the count and the badge drop by one
    first = items.first
    first.locator("button.ib-open").click()
    expect(first.locator(".ib-body")).to_be_visible()
    expect(first.locator(".ib-body")).to_contain_text("个体工商户变更登记")
    expect(first).not_to_have_class(re.compile("unread"))
    expect(page.locator("#ib-unread")).to_have_text(f"{total - 1} 条未读")
    expect(badge(page)).to_have_text(str(total - 1))
    assert unread(page.base, token) == total - 1
    first.get_by_role("link", name="去查看").click()
    expect(page).to_have_url(re.compile(r"#/applications/"))

    # only the unread: the one read is not among them
    page.goto(page.base + "/#/inbox?unread=1")
    expect(page.locator("#view .switch a[aria-current=page]")).to_have_text("只看未读")
    expect(items).to_have_count(10)
    page.get_by_role("button", name="加载更多").click()
    expect(items).to_have_count(total - 1)
    expect(page.locator("#view li.notice-item:not(.unread)")).to_have_count(0)

    # English, then elder mode: everything shown, big enough to read and tap
    page.goto(page.base + "/#/inbox")
    expect(items).to_have_count(10)
    page.locator("#lang-toggle").click()
    expect(page.locator("#view h1")).to_have_text("Messages")
    expect(page.locator("#ib-unread")).to_have_text(f"{total - 1} unread")
    expect(page.get_by_role("button", name="Mark all as read")).to_be_visible()
    expect(page.get_by_role("button", name="Load more")).to_be_visible()
    expect(page.locator(".nav a[href='#/']")).to_have_accessible_description(
        f"{total - 1} unread messages")
    snap("inbox-en")
    page.locator("#lang-toggle").click()
    page.locator("#elder-toggle").click()
    expect(page.locator("html")).to_have_class(re.compile("elder"))
    items.nth(1).locator("button.ib-open").click()  # an open notice's link and text count too
    expect(page.locator("#ib-unread")).to_have_text(f"{total - 2} 条未读")
    small = [t for t in page.evaluate(VISIBLE_TEXTS) if t["px"] < MIN_PX]
    assert not small, small[:8]
    assert page.evaluate(SMALL_TARGETS, TAP_PX) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    snap("inbox-elder")
    page.locator("#elder-toggle").click()

    # 全部标为已读: nothing unread, no badge
    page.get_by_role("button", name="全部标为已读").click()
    expect(page.locator("#ib-status")).to_have_text(f"已把 {total - 2} 条消息标为已读。")
    expect(page.locator("#ib-unread")).to_have_text("全部已读")
    expect(page.locator("#view li.notice-item.unread")).to_have_count(0)
    expect(page.get_by_role("button", name="全部标为已读")).to_be_hidden()
    expect(page.locator("#nav-badge")).to_have_count(0)
    assert unread(page.base, token) == 0

    # offline: the inbox is never kept, so the screen says it needs the network
    context.set_offline(True)
    page.locator("#view .switch a", has_text="只看未读").click()
    expect(page.locator("#ib-offline")).to_contain_text("消息需要联网才能查看")
    snap("inbox-offline")
    page.locator(".nav a[href='#/']").click()  # the page is personal too: not kept either
    expect(page.locator("#pg-offline")).to_contain_text("您的主页需要联网才能查看")
    page.go_back()
    expect(page.locator("#ib-offline")).to_be_visible()
    context.set_offline(False)
    page.get_by_role("button", name="重试").click()
    expect(page.locator("#view .status", has_text="没有未读消息。")).to_be_visible()
    cached = page.evaluate("""async () => {
      const urls = [];
      for (const name of await caches.keys()) {
        for (const req of await (await caches.open(name)).keys()) urls.push(req.url);
      }
      return urls;
    }""")
    assert cached, "the service worker keeps the shell"
    assert not [u for u in cached if "/api/v1/me" in u or "/api/v1/applications" in u], cached


def test_acting_for_the_company_shows_its_own_inbox(page, snap):
    tokens = ensure_registered(page.base, ZHANG, ZHANG_PASSWORD)
    ensure_enterprise(page.base, tokens, FIRM[0])
    firm_token = act_for(page.base, tokens, FIRM[0])
    status, firm_inbox = call(page.base, "GET", "/me/inbox?limit=50", None, firm_token)
    assert status == 200, firm_inbox
    # a notice of the person's own (a withdrawn draft of his) stays out of the company's inbox
    withdrawn_drafts(page.base, tokens["access_token"], 1)
    own = unread(page.base, tokens["access_token"])
    firm = unread(page.base, firm_token)

    page.goto(page.base + "/")
    browser_login(page, ZHANG["phone"], ZHANG_PASSWORD)
    page.goto(page.base + "/#/inbox")
    expect(page.locator("#ib-unread")).to_have_text(f"{own} 条未读")
    expect(badge(page)).to_have_text(str(own))
    label = f"{FIRM[1]}（法定代表人）"
    page.locator("#id-toggle").click()
    page.locator("#id-menu").get_by_role("button", name=label, exact=True).click()
    expect(page.locator("#id-now")).to_have_text(f"当前身份：{label}")
    if firm:
        expect(page.locator("#ib-unread")).to_have_text(f"{firm} 条未读")
        expect(badge(page)).to_have_text(str(firm))
    else:
        expect(page.locator("#ib-unread")).to_have_text("全部已读")
        expect(page.locator("#nav-badge")).to_have_count(0)
    titles = [n["title"] for n in firm_inbox["items"]][:10]
    expect(page.locator("#view li.notice-item .ib-title")).to_have_text(titles or [])
    expect(page.locator("#view li.notice-item", has_text="办件已撤回")).to_have_count(
        sum(t == "办件已撤回" for t in titles))
    snap("enterprise-inbox")
    page.goto(page.base + "/")
    expect(page.locator("#mine-h")).to_have_text(f"{FIRM[1]}的主页")
    expect(page.locator("#pg-inbox-all")).to_be_visible()


def test_the_inbox_and_the_company_page_pass_axe(page, axe_source):  # noqa: F811
    tokens = ensure_registered(page.base, ZHANG, ZHANG_PASSWORD)
    ensure_enterprise(page.base, tokens, FIRM[0])
    page.goto(page.base + "/")
    browser_login(page, ZHANG["phone"], ZHANG_PASSWORD)
    for prefix in ("/", "/?elder=1"):
        page.goto(page.base + prefix + "#/inbox")
        page.reload()
        expect(page.locator("#ib-unread")).to_have_text(re.compile("未读|全部已读"))
        listed = page.locator("#view .status", has_text=re.compile("已显示|没有消息"))
        expect(listed).to_be_visible()
        assert scan(page, axe_source) == [], prefix
    page.goto(page.base + "/?elder=0")
    page.locator("#id-toggle").click()
    label = f"{FIRM[1]}（法定代表人）"
    page.locator("#id-menu").get_by_role("button", name=label, exact=True).click()
    expect(page.locator("#pg-ask-h")).to_be_visible()
    expect(page.locator("#qb-department option").nth(1)).to_be_attached()
    page.get_by_role("button", name="提交问题").click()  # with its field errors showing
    expect(page.locator("#pg-ask-h ~ form .error-summary")).to_be_focused()
    assert scan(page, axe_source) == []


def test_the_inbox_screen_moves_nothing(page):
    withdrawn_drafts(page.base, ensure_registered(page.base, READER, PASSWORD)["access_token"], 1)
    page.goto(page.base + "/")
    browser_login(page, READER["phone"], PASSWORD)
    for prefix in ("/", "/?elder=1"):
        page.goto("about:blank")
        page.add_init_script(WATCH)
        cdp = throttle(page)
        page.goto(page.base + prefix + "#/inbox")
        expect(page.locator("#view li.notice-item").first).to_be_visible(timeout=60_000)
        expect(page.locator("#ib-unread")).not_to_be_empty()
        settle(page)
        assert_still(page, prefix)
        cdp.detach()
    page.goto(page.base + "/?elder=0")
