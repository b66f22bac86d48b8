"""我的主页 in a 390x844 Chromium: after login the home screen is the page of the current identity
(a citizen's, then his company's after switching identity), a guide pins itself to it, a
suggestion is dismissed with its reason shown, English and elder mode, and the signed-in home
moves nothing while it draws on a weak network."""
import re

from accounts import browser_login, ensure_enterprise, ensure_registered
from playwright.sync_api import expect
from test_a11y import axe_source, scan  # noqa: F401 (axe_source is a fixture)
from test_layout_shift import WATCH, assert_still, settle, throttle

# A registry person no other test registers (infra/seed/registry.json).
CITIZEN = {"name": "邱雪雪", "id_number": "441424198812264442", "phone": "13666321203"}
PASSWORD = "Hakka-Page-2026"
ZHANG = {"name": "张三丰", "id_number": "441402197005061355", "phone": "13800138000"}
ZHANG_PASSWORD = "Meizhou#Hall2026"  # test_identity.py registers him with it
FIRM = ("91441402MA0MT2NFX4", "梅州市示范科技有限公司")
GUIDE, GUIDE_NAME = "441400-GJJ-0001", "住房公积金提取（购买自住住房）"


def open_home(page):
    page.goto(page.base + "/")
    expect(page.locator("#mine-h")).to_be_visible(timeout=30_000)
    expect(page.locator("#pg-due-h")).to_be_visible()


def test_a_citizens_page_pins_and_dismisses(page, snap):
    ensure_registered(page.base, CITIZEN, PASSWORD)
    page.goto(page.base + "/")
    expect(page.locator("#home-mine")).to_be_hidden()  # nobody logged in: the public home only
    browser_login(page, CITIZEN["phone"], PASSWORD)
    open_home(page)
    expect(page.locator("#mine-h")).to_have_text(f"{CITIZEN['name']}的主页")
    expect(page.locator("#home-page")).to_have_attribute("data-party", "person")
    for heading in ("近期截止", "办理中的申请", "我的证照", "为您推荐", "我的收藏", "消息"):
        expect(page.locator("#home-page h2", has_text=heading)).to_be_visible()
    expect(page.locator("#home-page").get_by_text("身份证")).to_have_count(0)  # nothing unmasked
    snap("citizen")

    # pin a guide, see it on the page, unpin it again
    page.goto(page.base + f"/#/matters/{GUIDE}")
    pin = page.locator("button.pin")
    expect(pin).to_have_text("收藏")
    expect(pin).to_be_enabled()
    pin.click()
    expect(page.locator(".pin-status")).to_have_text("已收藏到我的主页。")
    expect(pin).to_have_attribute("aria-pressed", "true")
    snap("guide-pinned")
    open_home(page)
    expect(page.locator("#pg-pins-h + ul")).to_contain_text(GUIDE_NAME)

    # a suggestion says why; "不相关" takes it away and says so
    recs = page.locator("#home-page li.rec")
    expect(recs.first).to_be_visible()
    first = recs.first.locator("a.title").inner_text()
    expect(recs.first.locator(".reason")).to_contain_text(re.compile("^因为"))
    # ... in English too (checked before the dismissal below, which may take the only one)
    page.locator("#lang-toggle").click()
    expect(recs.first.locator(".reason")).to_contain_text(re.compile("^Because"))
    page.locator("#lang-toggle").click()
    expect(page.locator("#pg-recs-h")).not_to_have_text("Suggested for you")
    count = recs.count()
    recs.first.get_by_role("button", name=re.compile("不相关")).click()
    expect(page.locator("#pg-status")).to_have_text(f"已不再推荐“{first}”。")
    expect(recs).to_have_count(count - 1)
    open_home(page)
    expect(page.locator("#home-page li.rec a.title", has_text=first)).to_have_count(0)

    page.goto(page.base + f"/#/matters/{GUIDE}")
    expect(page.locator("button.pin")).to_have_text("取消收藏")
    page.locator("button.pin").click()
    expect(page.locator(".pin-status")).to_have_text("已取消收藏。")

    # English and elder mode
    open_home(page)
    page.locator("#lang-toggle").click()
    expect(page.locator("#mine-h")).to_have_text(f"Page of {CITIZEN['name']}")
    expect(page.locator("#pg-recs-h")).to_have_text("Suggested for you")
    page.locator("#elder-toggle").click()
    expect(page.locator("html")).to_have_class(re.compile("elder"))
    expect(page.locator("#pg-recs-h")).to_be_visible()
    box = page.locator("#home-mine").bounding_box()
    assert box and box["height"] > 150  # the strip's tiles all fit in its fixed height
    snap("citizen-en-elder")
    page.locator("#elder-toggle").click()
    page.locator("#lang-toggle").click()


def test_switching_identity_switches_the_page(page, snap):
    ensure_enterprise(page.base, ensure_registered(page.base, ZHANG, ZHANG_PASSWORD), FIRM[0])
    page.goto(page.base + "/")
    browser_login(page, ZHANG["phone"], ZHANG_PASSWORD)
    open_home(page)
    expect(page.locator("#mine-h")).to_have_text(f"{ZHANG['name']}的主页")
    label = f"{FIRM[1]}（法定代表人）"
    page.locator("#id-toggle").click()
    page.locator("#id-menu").get_by_role("button", name=label, exact=True).click()
    expect(page.locator("#id-now")).to_have_text(f"当前身份：{label}")
    expect(page.locator("#mine-h")).to_have_text(f"{FIRM[1]}的主页")
    expect(page.locator("#home-page")).to_have_attribute("data-party", "enterprise")
    expect(page.locator("#pg-staff-h")).to_have_text("企业人员")
    expect(page.locator("#pg-staff-h + ul")).to_contain_text("法定代表人（您）")
    expect(page.locator("#pg-lic-h + ul")).to_contain_text("营业执照")
    expect(page.locator("#pg-due-h + ul")).to_be_visible()  # an enterprise always has filings due
    snap("enterprise")
    page.locator("#id-toggle").click()
    page.locator("#id-menu").get_by_role("button", name=re.compile("（个人）$")).click()
    expect(page.locator("#mine-h")).to_have_text(f"{ZHANG['name']}的主页")
    expect(page.locator("#home-page")).to_have_attribute("data-party", "person")
    expect(page.locator("#pg-staff-h")).to_have_count(0)


def test_the_signed_in_home_moves_nothing(page):
    ensure_registered(page.base, CITIZEN, PASSWORD)
    page.goto(page.base + "/")
    browser_login(page, CITIZEN["phone"], PASSWORD)
    for prefix in ("/", "/?elder=1"):
        page.goto("about:blank")
        page.add_init_script(WATCH)
        cdp = throttle(page)
        page.goto(page.base + prefix)
        expect(page.locator("#mine-h")).to_be_visible(timeout=60_000)
        expect(page.locator("#pg-due-h")).to_be_visible(timeout=60_000)
        settle(page)
        assert_still(page, prefix)
        cdp.detach()
    page.goto(page.base + "/?elder=0")


def test_the_page_and_the_pin_button_pass_axe(page, axe_source):  # noqa: F811
    ensure_registered(page.base, CITIZEN, PASSWORD)
    page.goto(page.base + "/")
    browser_login(page, CITIZEN["phone"], PASSWORD)
    for prefix in ("/", "/?elder=1"):
        page.goto(page.base + prefix)
        expect(page.locator("#pg-due-h")).to_be_visible(timeout=30_000)
        assert scan(page, axe_source) == [], prefix
    page.goto(page.base + f"/?elder=0#/matters/{GUIDE}")
    expect(page.locator("button.pin")).to_be_enabled()
    assert scan(page, axe_source) == []


def test_staff_keep_the_public_home(page):
    page.goto(page.base + "/")
    browser_login(page, "13900000003", "Meizhou-2026!")   # the demo SCJGJ officer (staff.json)
    page.goto(page.base + "/")
    expect(page.locator("#home-popular li.card").first).to_be_visible(timeout=30_000)
    expect(page.locator("#home-mine")).to_be_hidden()
    expect(page.locator("#home-page .error")).to_have_count(0)
    expect(page.locator("#home-page > *")).to_have_count(0)
