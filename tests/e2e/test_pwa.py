"""Citizen journeys through the PWA in a 390x844 Chromium: search, browse, guide, offline, elder mode."""
import re

from playwright.sync_api import expect

COUNT = re.compile(r"[1-9]\d* 个事项")


def open_app(page, hash_=""):
    page.goto(page.base + "/" + hash_)
    expect(page.locator("main h1:visible")).to_be_visible()


def wait_for_service_worker(page):
    """Wait until the service worker controls the page (polled: the CSP forbids wait_for_function's eval)."""
    for _ in range(100):
        if page.evaluate("navigator.serviceWorker.ready.then(() => !!navigator.serviceWorker.controller)"):
            return
        page.wait_for_timeout(200)
    raise AssertionError("the service worker never took control of the page")


def first_matter_with_points(page):
    """A housing-fund matter from the API that has at least one service point."""
    items = page.request.get(page.base + "/api/v1/matters", params={"q": "公积金", "limit": "20"}).json()["items"]
    for item in items:
        full = page.request.get(page.base + f"/api/v1/matters/{item['code']}").json()
        if full.get("service_points"):
            return full
    raise AssertionError("no housing-fund matter with service points in the catalogue")


def test_search_gjj_finds_housing_fund(page, snap):
    open_app(page)
    page.get_by_label("用自己的话搜索办事事项").fill("gjj")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#/search\?q=gjj$"))
    titles = page.locator("#view .list .card a.title")
    expect(titles.first).to_be_visible()
    expect(page.get_by_role("status").filter(has_text="个事项")).to_be_visible()
    names = titles.all_inner_texts()
    assert names and "公积金" in names[0], names
    assert sum("公积金" in n for n in names) >= len(names) / 2, names
    expect(page.locator("#view .list mark").first).to_be_visible()
    snap("results")


def test_browse_theme_person_and_enterprise(page, snap):
    open_app(page, "#/themes")
    page.get_by_role("link", name="法人办事").click()
    expect(page.get_by_role("link", name="法人办事")).to_have_attribute("aria-current", "page")
    expect(page.locator('#view .grid a[href^="#/themes/E"]').first).to_be_visible()
    snap("enterprise")
    page.get_by_role("link", name="个人办事").click()
    person = page.locator('#view .grid a[href^="#/themes/P"]').filter(has_text=COUNT).first
    expect(person).to_be_visible()
    theme_name = person.inner_text().split("\n")[0].strip()
    person.click()
    expect(page.locator("#view h1")).to_have_text(theme_name)
    expect(page.locator("#view h1")).to_be_focused()
    cards = page.locator("#view .list .card")
    expect(cards.first).to_be_visible()
    before = cards.count()
    more = page.get_by_role("button", name="加载更多")
    if more.is_visible():
        more.click()
        expect(cards).not_to_have_count(before)
    snap("theme")


def test_matter_guide_shows_materials_limits_and_points(page, snap):
    matter = first_matter_with_points(page)
    open_app(page)
    page.get_by_label("用自己的话搜索办事事项").fill(matter["name"])
    page.get_by_role("button", name="搜索").click()
    page.locator("#view .list .card a.title", has_text=matter["name"]).first.click()
    expect(page.locator("#view h1")).to_have_text(matter["name"])
    expect(page.get_by_role("heading", name="需要准备的材料")).to_be_visible()
    for mat in matter.get("materials", [])[:3]:
        expect(page.locator(".mat .name", has_text=mat["name"]).first).to_be_visible()
    expect(page.get_by_text("承诺办结时限")).to_be_visible()
    expect(page.get_by_text("法定办结时限")).to_be_visible()
    expect(page.get_by_role("heading", name="到哪里办")).to_be_visible()
    expect(page.locator(".point").first).to_be_visible()
    if any(p.get("phone") for p in matter["service_points"]):
        expect(page.locator('.point a[href^="tel:"]').first).to_be_visible()
    expect(page.locator('.point a[href*="uri.amap.com"]').first).to_be_visible()
    snap("guide")


def test_offline_rereads_an_opened_matter(page, context, snap):
    matter = first_matter_with_points(page)
    open_app(page)
    wait_for_service_worker(page)
    page.goto(page.base + f"/#/matters/{matter['code']}")
    expect(page.locator("#view h1")).to_have_text(matter["name"])

    context.set_offline(True)
    # The network really is gone for the page and its service worker: an unseen matter cannot load.
    status = page.evaluate("fetch('/api/v1/matters/NO-SUCH-MATTER-XYZ').then(r => r.status, () => 0)")
    assert status in (0, 503), status
    page.reload()
    expect(page.locator("#net")).to_be_visible()
    expect(page.locator("#view h1")).to_have_text(matter["name"])
    expect(page.get_by_role("heading", name="需要准备的材料")).to_be_visible()
    # Leave and come back by the app's own navigation, still offline.
    page.get_by_role("link", name="首页").click()
    expect(page.locator("#home-h")).to_be_visible()
    page.go_back()
    expect(page.locator("#view h1")).to_have_text(matter["name"])
    snap("offline")
    context.set_offline(False)


def test_elder_mode_persists_across_reloads(page, snap):
    open_app(page)
    toggle = page.locator("#elder-toggle")
    expect(toggle).to_have_attribute("aria-pressed", "false")
    toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "true")
    page.reload()
    expect(page.locator("#elder-toggle")).to_have_attribute("aria-pressed", "true")
    assert page.evaluate("document.documentElement.classList.contains('elder')")
    size, line = page.evaluate(
        "(() => { const s = getComputedStyle(document.body); return [parseFloat(s.fontSize), parseFloat(s.lineHeight)]; })()")
    assert size >= 18, size
    assert line >= 1.3 * size, (line, size)
    # One column: the hot-service tiles stack.
    xs = page.locator("#hot-tiles a").evaluate_all("els => new Set(els.map(e => e.getBoundingClientRect().left)).size")
    assert xs == 1, xs
    snap("elder")
    page.locator("#elder-toggle").click()
    page.reload()
    assert not page.evaluate("document.documentElement.classList.contains('elder')")


def test_scenario_questions_resolve_to_matters(page, snap):
    open_app(page, "#/scenarios")
    first = page.locator('#view .list a[href^="#/scenarios/"]').first
    expect(first).to_be_visible()
    first.click()
    fieldsets = page.locator("form.questions fieldset")
    expect(fieldsets.first).to_be_visible()
    for i in range(fieldsets.count()):
        fieldsets.nth(i).get_by_role("radio").first.check()
    snap("answers")
    page.get_by_role("button", name="查看要办的事项").click()
    expect(page.get_by_role("heading", name="您需要办理的事项")).to_be_focused()
    expect(page.get_by_role("status").filter(has_text=COUNT)).to_be_visible()
    expect(page.locator("#view section .list .card").first).to_be_visible()


def test_keyboard_skip_link_and_focus_on_route_change(page):
    open_app(page)
    page.keyboard.press("Tab")
    skip = page.locator("#skip")
    expect(skip).to_be_focused()
    box = skip.bounding_box()
    assert box and box["y"] >= 0 and box["height"] >= 24, box
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.locator("#home-q")).to_be_focused()
    page.keyboard.type("gjj")
    page.keyboard.press("Enter")
    heading = page.locator("h1", has_text="搜索结果")
    expect(heading).to_be_focused()
    expect(page.locator("#view .list .card").first).to_be_visible()
    # Tab from the heading reaches the search box again, then its button, then the first result.
    link = page.locator("#view .list .card a.title").first
    for _ in range(6):
        page.keyboard.press("Tab")
        if link.evaluate("el => el === document.activeElement"):
            break
    expect(link).to_be_focused()
    outline = link.evaluate("el => getComputedStyle(el).outlineStyle")
    assert outline != "none", outline
    page.keyboard.press("Enter")
    expect(page.locator("#view h1")).to_be_focused()
    expect(page.get_by_role("heading", name="需要准备的材料")).to_be_visible()


def test_english_switch_translates_the_shell(page):
    open_app(page)
    page.get_by_role("button", name="English").click()
    expect(page.locator("#home-h")).to_have_text("What do you need to do?")
    assert page.evaluate("document.documentElement.lang") == "en"
    page.reload()
    expect(page.locator("#home-h")).to_have_text("What do you need to do?")
    page.get_by_role("button", name="中文").click()
    expect(page.locator("#home-h")).to_have_text("您想办什么事？")
    assert page.evaluate("document.documentElement.lang") == "zh-CN"


def test_api_error_shows_a_friendly_message(page):
    open_app(page, "#/matters/NO-SUCH-MATTER-XYZ")
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("没有找到相关内容")


def test_service_worker_never_caches_personal_data(page):
    open_app(page)
    wait_for_service_worker(page)
    cached = page.evaluate("""async () => {
        await fetch('/api/v1/regions');                                           // public: cached
        await fetch('/api/v1/departments', {headers: {Authorization: 'Bearer x'}}); // has a token: not cached
        await fetch('/api/v1/me').catch(() => null);                              // personal: not cached
        await fetch('/api/v1/officer/queue').catch(() => null);
        await new Promise(r => setTimeout(r, 300));
        const urls = [];
        for (const name of await caches.keys()) {
            for (const req of await (await caches.open(name)).keys()) urls.push(new URL(req.url).pathname);
        }
        return urls;
    }""")
    assert "/api/v1/regions" in cached, cached
    assert "/api/v1/departments" not in cached, cached
    assert not [u for u in cached if u.startswith(("/api/v1/me", "/api/v1/officer"))], cached
