"""Updates that never mix versions, data fresh enough and honest about its age, a light first visit.

The service worker (pwa/sw.js) serves every asset under /v/<version>/, keeps public catalogue
answers with the time it fetched them (X-Hall-Fetched), asks the network first past an age
limit, tells the page when a refresh brings something new, and the page says how old an
offline copy is.
"""
import importlib.util
import json
import re
import time
from pathlib import Path

from accounts import call
from playwright.sync_api import expect

ROOT = Path(__file__).resolve().parents[2]
SW = (ROOT / "pwa" / "sw.js").read_text("utf-8")
VERSION = re.search(r"const VERSION = '(\w+)';", SW).group(1)
BUDGET = 80 * 1024


def _weaknet():
    spec = importlib.util.spec_from_file_location("weaknet", ROOT / "bench" / "weaknet.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def controlled(page):
    """Wait until the service worker controls the page (polled: the CSP forbids eval)."""
    ready = "navigator.serviceWorker.ready.then(() => !!navigator.serviceWorker.controller)"
    for _ in range(150):
        if page.evaluate(ready):
            return
        page.wait_for_timeout(200)
    raise AssertionError("the service worker never took control of the page")


def a_matter(page, q):
    items = page.request.get(page.base + "/api/v1/matters", params={"q": q, "limit": "1"}).json()
    return items["items"][0]


def cached_answer(page, path):
    """(X-Hall-Fetched, body) of the worker's cached answer for an API path, or None."""
    return page.evaluate("""async (path) => {
        for (const name of await caches.keys()) {
            if (!name.startsWith('mz-api-')) continue;
            const cache = await caches.open(name);
            for (const req of await cache.keys()) {
                if (new URL(req.url).pathname !== path) continue;
                const res = await cache.match(req);
                return [res.headers.get('X-Hall-Fetched'), await res.text()];
            }
        }
        return null;
    }""", path)


def age_cached(page, path, hours, rename=None):
    """Make the cached answer `hours` old (and, with rename=(old, new), say something else)."""
    for _ in range(50):  # the worker stores the answer after giving it to the page
        if cached_answer(page, path):
            break
        page.wait_for_timeout(100)
    n = page.evaluate("""async ([path, hours, rename]) => {
        let n = 0;
        for (const name of await caches.keys()) {
            if (!name.startsWith('mz-api-')) continue;
            const cache = await caches.open(name);
            for (const req of await cache.keys()) {
                if (new URL(req.url).pathname !== path) continue;
                const res = await cache.match(req);
                let body = await res.text();
                if (rename) body = body.split(rename[0]).join(rename[1]);
                const headers = new Headers(res.headers);
                headers.set('X-Hall-Fetched', new Date(Date.now() - hours * 3600e3).toISOString());
                await cache.put(req, new Response(body, { status: res.status, headers }));
                n += 1;
            }
        }
        return n;
    }""", [path, hours, list(rename) if rename else None])
    assert n, f"nothing cached for {path}"


def forget_http_cache(page):
    """The browser keeps a public answer for a minute (max-age=60) even offline: as if it passed."""
    page.context.new_cdp_session(page).send("Network.clearBrowserCache")


def open_guide(page, matter):
    page.goto(page.base + f"/#/matters/{matter['code']}")
    expect(page.locator("#view h1")).to_have_text(matter["name"])


def test_one_page_loads_every_module_from_one_version(page):
    """Every script and style a page loads, before and after the worker, on public, account and
    staff screens, comes from the one /v/<version>/ its HTML names."""
    assets = []
    page.on("request", lambda r: assets.append(r.url)
            if r.resource_type in ("script", "stylesheet") else None)
    page.goto(page.base + "/")
    controlled(page)
    matter = a_matter(page, "公积金")
    for route in (f"#/matters/{matter['code']}", "#/themes", "#/login", "#/officer", "#/me"):
        page.goto(page.base + "/" + route)
        expect(page.locator("main h1:visible")).to_be_visible()
    page.reload()
    expect(page.locator("main h1:visible")).to_be_visible()
    paths = [re.sub(r"^https?://[^/]+", "", u) for u in assets]
    assert any(p.endswith("/js/views/officer.js") for p in paths), paths
    assert all(p.startswith(f"/v/{VERSION}/") for p in paths), paths
    # The staff screen's module, used once, is kept in this version's cache (not precached).
    kept = page.evaluate("""async (name) => (await (await caches.open(name)).keys())
        .map((r) => new URL(r.url).pathname)""", f"mz-shell-{VERSION}")
    assert f"/v/{VERSION}/js/views/officer.js" in kept, kept
    assert f"/v/{VERSION}/js/views/themes.js" in kept, kept


def test_the_cached_shell_keeps_the_entry_paths_working(page):
    """A shared search (/?q=) and a licence's QR code (/verify/<id>) open from the worker's
    cached page, which app.js turns into their screens; other pages still reach the network."""
    page.goto(page.base + "/")
    controlled(page)
    res = page.goto(page.base + "/?q=%E5%85%AC%E7%A7%AF%E9%87%91")
    assert res.from_service_worker
    expect(page).to_have_url(re.compile(r"/#/search\?q="))
    expect(page.locator("#view .list .card").first).to_be_visible()
    res = page.goto(page.base + "/verify/" + "0" * 32)
    assert res.from_service_worker
    expect(page).to_have_url(re.compile(r"/#/verify/0{32}$"))
    expect(page.locator("#view h1")).to_have_text("电子证照核验")
    res = page.goto(page.base + "/api/docs")  # through the worker, from the network
    assert res.ok and 'id="home"' not in res.text()


def test_a_first_visit_costs_at_most_80_kb_and_a_warm_one_draws_the_page_from_the_cache(
        browser, hall_url):
    """Over the wire (a metering proxy: the page and its worker, headers included): the
    precache takes what the page loaded from the HTTP cache and leaves the staff screens out.
    The next visit's HTML comes from the worker, with no request for it on the wire."""
    weaknet = _weaknet()
    wire = weaknet.Wire(int(hall_url.rsplit(":", 1)[1]))
    try:
        context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN",
                                      service_workers="allow")
        cold = weaknet.visit(context, f"http://127.0.0.1:{wire.port}", "/", wire)
        assert cold["bytes"] <= BUDGET, cold
        assert not cold["html_from_sw"]
        cold_requests = list(wire.requests)
        assert not [r for r in cold_requests if "officer.js" in r or "catalogue.js" in r]
        wire.requests.clear()
        warm = weaknet.visit(context, f"http://127.0.0.1:{wire.port}", "/", wire)
        assert warm["html_from_sw"], warm
        paths = [r.split(" ")[1].split("?")[0] for r in wire.requests]
        assert not [p for p in paths if p in ("/", "/index.html") or "/v/" in p], paths
        assert "/sw.js" in paths  # the version check, in the background
        assert warm["bytes"] < cold["bytes"] / 4, (cold, warm)
        context.close()
    finally:
        wire.close()


def test_past_its_age_limit_a_cached_answer_asks_the_network_first(page, context):
    matter = a_matter(page, "社保卡")
    path = f"/api/v1/matters/{matter['code']}"
    page.goto(page.base + "/")
    controlled(page)
    open_guide(page, matter)
    age_cached(page, path, 25, rename=(matter["name"], "旧的事项名称"))
    page.goto(page.base + "/#/")
    page.goto(page.base + f"/#/matters/{matter['code']}")
    # Past a day the network answers (the old copy never shows) and the copy is renewed.
    expect(page.locator("#view h1")).to_have_text(matter["name"])
    fetched, body = cached_answer(page, path)
    assert "旧的事项名称" not in body
    assert time.time() - time.mktime(time.strptime(fetched[:19], "%Y-%m-%dT%H:%M:%S")) \
        + time.timezone < 600, fetched
    # When the network fails, the old copy stands in and says how old it is.
    age_cached(page, path, 25)
    forget_http_cache(page)
    context.set_offline(True)
    try:
        page.reload()
        expect(page.locator("#view h1")).to_have_text(matter["name"])
        expect(page.locator("#net")).to_have_text("离线副本，更新于 1 天前")
    finally:
        context.set_offline(False)


def test_an_offline_copy_says_how_old_it_is(page, context, snap):
    matter = a_matter(page, "公积金")
    page.goto(page.base + "/")
    controlled(page)
    open_guide(page, matter)
    age_cached(page, f"/api/v1/matters/{matter['code']}", 3)
    forget_http_cache(page)
    context.set_offline(True)
    try:
        page.reload()
        expect(page.locator("#view h1")).to_have_text(matter["name"])
        expect(page.locator("#net")).to_have_text("离线副本，更新于 3 小时前")
        snap("zh")
        page.locator("#lang-toggle").click()
        expect(page.locator("#net")).to_have_text("Offline copy from 3 hours ago")
        snap("en")
        page.locator("#lang-toggle").click()
    finally:
        context.set_offline(False)
    # Another screen with nothing old on it: no age shown.
    page.goto(page.base + "/#/themes")
    expect(page.locator("#view h1")).to_be_visible()
    expect(page.locator("#net")).to_be_hidden()


def watch_headings(page):
    """Record every text the screen's h1 shows (the redraw is quicker than a poll)."""
    page.evaluate("""() => {
        window.__h1s = [];
        const note = () => { const h = document.querySelector('#view h1');
            if (h && h.textContent !== window.__h1s.at(-1)) window.__h1s.push(h.textContent); };
        new MutationObserver(note).observe(document.getElementById('view'),
            { subtree: true, childList: true, characterData: true });
    }""")


def test_a_newer_answer_redraws_the_screen_in_place_without_moving_focus(page):
    matter = a_matter(page, "营业执照")
    path = f"/api/v1/matters/{matter['code']}"
    page.goto(page.base + "/")
    controlled(page)
    open_guide(page, matter)
    age_cached(page, path, 3, rename=(matter["name"], "旧的事项名称"))
    watch_headings(page)
    marker = page.evaluate("window.__kept = Math.random()")
    themes_link = page.locator(".nav a[href='#/themes']")
    themes_link.focus()
    # The screen is drawn again in place (as a change of identity does): within the day the
    # cached copy answers at once, and the refresh behind it brings the real name.
    page.evaluate("document.dispatchEvent(new Event('mz:identity'))")
    expect(page.locator("#view h1")).to_have_text(matter["name"])
    shown = page.evaluate("window.__h1s")
    assert "旧的事项名称" in shown and shown[-1] == matter["name"], shown
    expect(themes_link).to_be_focused()
    assert page.evaluate("window.__kept") == marker  # the same page: no reload
    assert "旧的事项名称" not in cached_answer(page, path)[1]


def test_newer_data_while_typing_is_offered_not_forced(page, snap):
    page.goto(page.base + "/")
    controlled(page)
    expect(page.locator("#home-popular .card").first).to_be_visible()
    page.locator("#home-q").fill("公积金提")
    # What the worker sends when a refresh differs (its own path is tested above).
    url = page.base + "/api/v1/hot-services"
    page.evaluate("""(url) => navigator.serviceWorker.dispatchEvent(
        new MessageEvent('message', { data: { type: 'mz-api-updated', url } }))""", url)
    offer = page.locator("#data-update")
    expect(offer).to_have_text("有更新的信息，点击显示")
    expect(page.locator("#home-q")).to_be_focused()
    expect(page.locator("#home-q")).to_have_value("公积金提")
    snap("offer")
    offer.click()
    expect(offer).to_be_hidden()
    expect(page.locator("#home-popular .card").first).to_be_visible()
    expect(page.locator("#home-q")).to_have_value("公积金提")


def test_a_change_published_in_the_catalogue_redraws_an_open_guide(page, hall_url):
    """The real server: the administrator renames a matter and publishes; a person who had the
    guide cached sees the old name at once, then the new one, in place."""
    from functions.hall.schemas import MatterUpdate
    from infra.local import dev_token

    matter = a_matter(page, "出生医学证明")
    code = matter["code"]
    page.goto(page.base + "/")
    controlled(page)
    open_guide(page, matter)
    admin = dev_token(hall_url, role="catalogue_admin")
    status, draft = call(hall_url, "GET", f"/officer/matters/{code}", token=admin)
    assert status == 200, draft
    fields = set(MatterUpdate().fields)
    change = {k: v for k, v in draft.items() if k in fields} | {"name": matter["name"] + "（新）"}
    req_headers = {"Authorization": f"Bearer {admin}", "If-Match": f'"{draft["version"]}"',
                   "Content-Type": "application/json"}
    res = page.request.put(f"{hall_url}/api/v1/officer/matters/{code}", headers=req_headers,
                           data=json.dumps(change))
    assert res.ok, res.text()
    status, body = call(hall_url, "POST", "/officer/catalogue/publish", token=admin)
    assert status == 202, body
    for _ in range(120):
        if page.request.get(f"{hall_url}/api/v1/matters/{code}").json()["name"] == change["name"]:
            break
        time.sleep(0.5)
    else:
        raise AssertionError("the published change never reached the public API")
    forget_http_cache(page)
    page.goto(page.base + "/#/")
    watch_headings(page)
    marker = page.evaluate("window.__kept = Math.random()")
    page.goto(page.base + f"/#/matters/{code}")
    expect(page.locator("#view h1")).to_have_text(change["name"])
    shown = page.evaluate("window.__h1s")
    assert matter["name"] in shown, shown  # the copy of the morning first, then the news
    assert page.evaluate("window.__kept") == marker


def test_catalogue_answers_travel_gzipped(page):
    """The weak network's largest share was the API's JSON: it travels gzipped (8x smaller)."""
    res = page.request.get(page.base + "/api/v1/hot-services", headers={"Accept-Encoding": "gzip"})
    assert res.ok and res.headers.get("content-encoding") == "gzip", res.headers
    assert "Accept-Encoding" in res.headers.get("vary", "")
    assert res.json()["items"]
