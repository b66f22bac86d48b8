"""Citizen journeys through the PWA in a 390x844 Chromium.

Search, browse, guide, offline, elder mode, my region and nearby service points.
"""
import re

from conftest import ARTIFACTS
from playwright.sync_api import expect

COUNT = re.compile(r"[1-9]\d* 个事项")


def open_app(page, hash_=""):
    page.goto(page.base + "/" + hash_)
    expect(page.locator("main h1:visible")).to_be_visible()


def wait_for_service_worker(page):
    """Wait until the service worker controls the page.

    Polled: the CSP forbids wait_for_function's eval.
    """
    ready = "navigator.serviceWorker.ready.then(() => !!navigator.serviceWorker.controller)"
    for _ in range(100):
        if page.evaluate(ready):
            return
        page.wait_for_timeout(200)
    raise AssertionError("the service worker never took control of the page")


def first_matter_with_points(page):
    """A housing-fund matter from the API that has at least one service point."""
    params = {"q": "公积金", "limit": "20"}
    items = page.request.get(page.base + "/api/v1/matters", params=params).json()["items"]
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
    status = page.evaluate(
        "fetch('/api/v1/matters/NO-SUCH-MATTER-XYZ').then(r => r.status, () => 0)")
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
        "(() => { const s = getComputedStyle(document.body);"
        " return [parseFloat(s.fontSize), parseFloat(s.lineHeight)]; })()")
    assert size >= 18, size
    assert line >= 1.3 * size, (line, size)
    # One column: the hot-service tiles stack.
    xs = page.locator("#hot-tiles a").evaluate_all(
        "els => new Set(els.map(e => e.getBoundingClientRect().left)).size")
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
        await fetch('/api/v1/regions');  // public: cached
        // has a token: not cached
        await fetch('/api/v1/departments', {headers: {Authorization: 'Bearer x'}});
        await fetch('/api/v1/me').catch(() => null);  // personal: not cached
        await fetch('/api/v1/officer/queue').catch(() => null);
        for (const path of ['/api/v1/grants', '/api/v1/enterprises', '/api/v1/auth/refresh']) {
            await fetch(path).catch(() => null);  // account data: never cached
        }
        await new Promise(r => setTimeout(r, 300));
        const urls = [];
        for (const name of await caches.keys()) {
            const cache = await caches.open(name);
            for (const req of await cache.keys()) urls.push(new URL(req.url).pathname);
        }
        return urls;
    }""")
    assert "/api/v1/regions" in cached, cached
    assert "/api/v1/departments" not in cached, cached
    private = ("/api/v1/me", "/api/v1/officer", "/api/v1/grants", "/api/v1/enterprises",
               "/api/v1/auth")
    assert not [u for u in cached if u.startswith(private)], cached


XINGNING = "441481"
NEAR = {"latitude": 24.29, "longitude": 116.12}


def api_requests(page):
    """Collect the URLs of the page's /api/v1 GETs (seen even when the service worker answers)."""
    urls = []
    page.on("request", lambda r: urls.append(r.url) if "/api/v1/" in r.url else None)
    return urls


def choose_region(page, name, shown=None):
    page.locator("#region-link").click()
    expect(page.locator("#view h1")).to_have_text("我的地区")
    select = page.get_by_label("选择您所在的县（市、区）")
    expect(select.locator("option", has_text=name)).to_have_count(1)  # the regions have loaded
    select.select_option(label=name)
    page.get_by_role("button", name="确定").click()
    expect(page.get_by_role("status")).to_contain_text(f"已切换到：{shown or name}")


def theme_with_county_matters(page, region):
    """A person theme whose first page (as the app asks for it) has one of the county's matters."""
    api = page.base + "/api/v1"
    params = {"audience": "person", "region": region}
    themes = page.request.get(api + "/themes", params=params).json()
    for th in themes["items"]:
        if not th.get("count"):
            continue
        params = {"theme": th["code"], "audience": "person", "region": region, "limit": "20"}
        items = page.request.get(api + "/matters", params=params).json()["items"]
        if any(m["region"]["code"] == region for m in items):
            return th
    raise AssertionError(f"no person theme with a matter of {region}")


def test_region_choice_persists_and_filters_lists(page, context, snap):
    urls = api_requests(page)
    open_app(page)
    wait_for_service_worker(page)
    link = page.locator("#region-link")
    expect(link).to_have_text("当前地区：全市 · 切换")
    choose_region(page, "兴宁市")
    expect(link).to_have_text("当前地区：兴宁市 · 切换")
    snap("chosen")

    page.reload()
    expect(page.locator("#region-link")).to_have_text("当前地区：兴宁市 · 切换")
    expect(page.get_by_label("选择您所在的县（市、区）")).to_have_value(XINGNING)

    # Home: the frequently used matters come from hot-services for the region.
    page.get_by_role("link", name="首页").click()
    expect(page.locator("#home-popular .card").first).to_be_visible()
    assert any("/hot-services?" in u and f"region={XINGNING}" in u for u in urls), urls

    # Themes: the counts and a theme's list are asked for 兴宁市;
    # only 兴宁市 and city-level matters show.
    theme = theme_with_county_matters(page, XINGNING)
    page.get_by_role("link", name="主题", exact=True).click()
    page.get_by_role("link", name="个人办事").click()
    tile = page.locator(f'#view .grid a[href="#/themes/{theme["code"]}"]')
    expect(tile).to_contain_text(f"{theme['count']} 个事项")
    assert any("/themes?" in u and f"region={XINGNING}" in u for u in urls), urls
    tile.click()
    tags = page.locator("#view .list .card .tag.region")
    expect(tags.first).to_be_visible()
    names = set(tags.all_inner_texts())
    assert names <= {"兴宁市", "梅州市"} and "兴宁市" in names, names
    assert any(f"theme={theme['code']}" in u and f"region={XINGNING}" in u for u in urls), urls
    snap("theme")
    theme_hash = page.evaluate("location.hash")

    # Search is sent with the region.
    page.get_by_role("link", name="首页").click()
    page.get_by_label("用自己的话搜索办事事项").fill("社保卡")
    page.keyboard.press("Enter")
    expect(page.locator("#view .list .card").first).to_be_visible()
    searches = [u for u in urls if "/api/v1/matters?" in u and "q=" in u]
    assert searches and all(f"region={XINGNING}" in u for u in searches), searches
    shown = set(page.locator("#view .list .card .tag.region").all_inner_texts())
    assert shown <= {"兴宁市", "梅州市"}, shown

    # Service points default to the chosen region.
    page.get_by_role("link", name="办事网点").click()
    expect(page.get_by_label("选择县区")).to_have_value(XINGNING)
    expect(page.locator(".point").first).to_be_visible()

    # The region's lists are cached under their own URLs: the theme list still opens offline.
    context.set_offline(True)
    page.goto(page.base + "/" + theme_hash)
    expect(page.locator("#view .list .card .tag.region").first).to_be_visible()
    context.set_offline(False)

    # Back to the whole city: nothing is filtered any more.
    choose_region(page, "全市（显示各县区的事项）", "全市")
    expect(page.locator("#region-link")).to_have_text("当前地区：全市 · 切换")
    assert page.evaluate("localStorage.getItem('mz.region')") is None


def test_region_selector_in_elder_mode_by_keyboard(page):
    open_app(page)
    page.locator("#elder-toggle").click()
    link = page.locator("#region-link")
    expect(link).to_be_visible()
    link.focus()
    page.keyboard.press("Enter")
    heading = page.locator("#view h1")
    expect(heading).to_have_text("我的地区")
    expect(heading).to_be_focused()
    select = page.get_by_label("选择您所在的县（市、区）")
    expect(select.locator("option", has_text="梅州市本级")).to_have_count(1)
    page.keyboard.press("Tab")
    expect(select).to_be_focused()
    select.select_option("441400")
    # Changing the select alone changes nothing (WCAG 3.2.2); the button applies it.
    expect(link).to_contain_text("全市")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("已切换到：梅州市本级")
    expect(link).to_have_text("当前地区：梅州市本级 · 切换")
    box = link.bounding_box()
    assert box and box["height"] >= 44, box


def matter_with_several_points(page):
    """A matter whose guide lists at least two service points."""
    for q in ("代办", "养老保险", "医保参保", "便民"):
        params = {"q": q, "limit": "20"}
        for item in page.request.get(page.base + "/api/v1/matters", params=params).json()["items"]:
            full = page.request.get(page.base + f"/api/v1/matters/{item['code']}").json()
            if len(full.get("service_points") or []) >= 2:
                return full
    raise AssertionError("no matter with two or more service points in the catalogue")


def test_nearby_sorts_points_by_distance(page, context, hall_url, snap):
    matter = matter_with_several_points(page)
    context.grant_permissions(["geolocation"], origin=hall_url)
    context.set_geolocation(NEAR)
    urls = api_requests(page)
    open_app(page, f"#/matters/{matter['code']}")
    expect(page.locator("#view h1")).to_have_text(matter["name"])
    points = page.locator(".point")
    expect(points).to_have_count(len(matter["service_points"]))
    expect(page.locator(".point .dist")).to_have_count(0)
    assert not [u for u in urls if "near=" in u], urls  # nothing is asked before the tap

    button = page.get_by_role("button", name="按距离排序")
    button.click()
    expect(page.get_by_role("status").filter(has_text="已按距离由近到远排列")).to_be_visible()
    dists = page.locator(".point .dist")
    expect(dists).to_have_count(len(matter["service_points"]))
    texts = dists.all_inner_texts()
    assert all(re.fullmatch(r"约 \d+\.\d 公里", s) for s in texts), texts
    km = [float(re.search(r"[\d.]+", s).group()) for s in texts]
    assert km == sorted(km), km
    assert any("near=24.290%2C116.120" in u or "near=24.290,116.120" in u for u in urls), urls
    expect(button).to_be_focused()
    snap("sorted")


def test_nearby_denied_keeps_the_list(page, context, hall_url):
    matter = matter_with_several_points(page)
    context.clear_permissions()
    open_app(page, f"#/matters/{matter['code']}")
    names = page.locator(".point .pname")
    expect(names).to_have_count(len(matter["service_points"]))
    before = names.all_inner_texts()
    page.get_by_role("button", name="按距离排序").click()
    expect(page.get_by_role("status").filter(has_text="网点仍按原来的顺序显示")).to_be_visible()
    assert names.all_inner_texts() == before
    expect(page.locator(".point .dist")).to_have_count(0)


def test_api_docs_render_the_contract_with_no_csp_violation(page, snap):
    """The page fixture fails the test on any CSP violation or script error."""
    violations = []
    page.on("console", lambda m: violations.append(m.text) if "Refused" in m.text else None)
    failed = []
    page.on("requestfailed", lambda r: failed.append(r.url))
    page.goto(page.base + "/api/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("service hall")
    # The first tag's heading (at 100 operations and more the renderer virtualises the list
    # and drops the .opblock-tag-section wrapper).
    expect(page.locator("h3.opblock-tag").first).to_be_visible()
    # An operation opens (the renderer's own scripts and styles work under the CSP).
    page.locator(".opblock-summary-path", has_text="/api/v1/matters").first.click()
    expect(page.locator(".opblock-body").first).to_be_visible()
    assert page.evaluate("getComputedStyle(document.querySelector('.swagger-ui .info .title'))"
                         ".fontWeight") in ("600", "700", "bold")
    assert violations == [] and failed == []
    snap("docs")


def in_english(page, hash_=""):
    open_app(page)
    page.get_by_role("button", name="English").click()
    expect(page.locator("#home-h")).to_have_text("What do you need to do?")
    if hash_:
        page.goto(page.base + "/" + hash_)
        expect(page.locator("main h1:visible")).to_be_visible()


def test_english_search_and_guide(page, snap):
    urls = api_requests(page)
    in_english(page)
    page.get_by_label("Search services in your own words").fill("pasport")
    page.keyboard.press("Enter")
    title = page.locator("#view .list .card a.title").first
    expect(title).to_have_text("Apply for a passport")
    expect(title.locator("mark")).to_have_text("passport")
    assert any("/api/v1/matters?" in u and "lang=en" in u for u in urls), urls
    snap("results")
    title.click()
    expect(page.locator("#view h1")).to_have_text("Apply for a passport")
    expect(page.get_by_role("heading", name="What to bring")).to_be_visible()
    names = page.locator(".mat .name").all_inner_texts()
    assert names and not any(re.search(r"[\u4e00-\u9fff]", n) for n in names), names
    # Guide prose stays Chinese, marked so; the labels are English with English punctuation.
    expect(page.locator('section .box[lang="zh"]').first).to_be_visible()
    address = page.locator(".point p", has_text="Address: ").first
    expect(address).to_be_visible()
    assert "：" not in address.inner_text()
    snap("guide")


def test_english_plurals_and_life_events(page):
    in_english(page, "#/search?q=having%20a%20baby")
    related = page.locator("#view section.scenarios a")
    expect(related.first).to_have_text("Having a baby")
    birth = page.request.get(page.base + "/api/v1/matters",
                             params={"q": "出生医学证明首次签发"}).json()["items"][0]
    assert birth["promised_days"] == 1
    page.goto(page.base + f"/#/matters/{birth['code']}")
    expect(page.locator(".facts dd", has_text="1 working day").first).to_be_visible()
    assert "1 working days" not in page.locator(".facts").inner_text()
    expect(page.locator(".facts dd", has_text="20 working days")).to_be_visible()
    expect(page.locator(".booking")).to_contain_text("Book through")
    page.goto(page.base + "/#/scenarios/S-P-BIRTH")
    han = re.compile(r"[\u4e00-\u9fff]")
    expect(page.locator("form.questions legend").first).not_to_have_text(han)
    expect(page.locator("form.questions label.opt").first).to_have_text("Yes")


def test_a_search_without_result_suggests_what_to_do(page, snap):
    open_app(page, "#/search?q=量子力学")
    box = page.locator("#view .suggest")
    expect(box).to_be_visible()
    expect(box.locator('a[href="tel:12345"]')).to_be_visible()
    expect(box.locator('a[href^="#/matters/"]').first).to_be_visible()
    snap("suggest")


def test_a_theme_for_the_whole_city_lists_each_matter_once(page):
    open_app(page, "#/themes/P01")
    cards = page.locator("#view .list .card")
    expect(cards.first).to_be_visible()
    names = page.locator("#view .list .card a.title").all_inner_texts()
    assert len(names) == len(set(names)), names
    where = page.locator("#view .list .card .tag.region", has_text="可在 9 个地区办理")
    expect(where.first).to_be_visible()
    # "全程网办，不用跑" and "零跑动" say the same thing: a fully online card has one of them.
    full = page.locator("#view .list .card", has=page.locator(".tag.full"))
    expect(full.first).to_be_visible()
    assert not any("零跑动" in text for text in full.all_inner_texts())


def _controller(page):
    return page.evaluate("navigator.serviceWorker.controller"
                         " && navigator.serviceWorker.controller.scriptURL")


def test_a_new_version_waits_until_the_person_takes_it(page):
    """A deployed fix installs beside the running worker and waits: the page offers it and
    takes it (reloading) only on a tap, so nothing changes under a half-filled form."""
    open_app(page)
    wait_for_service_worker(page)
    first = _controller(page)
    page.locator("#home-q").fill("公积金提取")
    # The same worker under another URL is an update of this scope, as a new deployment is.
    page.evaluate("navigator.serviceWorker.register('/sw.js?next=1').then(() => true)")
    offer = page.locator("#sw-update")
    expect(offer).to_have_text("新版本已就绪，点击更新", timeout=20_000)
    assert _controller(page) == first
    expect(page.locator("#home-q")).to_have_value("公积金提取")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "update-offer.png"))
    with page.expect_navigation(timeout=20_000):  # taken: the tab reloads under the new worker
        offer.click()
    for _ in range(100):
        if (_controller(page) or "").endswith("/sw.js?next=1"):
            break
        page.wait_for_timeout(200)
    assert (_controller(page) or "").endswith("/sw.js?next=1")
    expect(page.locator("main h1:visible")).to_be_visible()
