"""Elder mode (长辈版) hides nothing: on every screen, each text visible in normal mode is visible
in elder mode too, every visible text is at least 18 px, and nothing scrolls sideways at 390 px.

Each screen is loaded in normal mode, then reloaded in elder mode (the saved preference), and the
visible text nodes of the header, navigation, <main> and footer are compared: elder mode may add,
never drop. The things an elder needs are named: the department on matter cards, a service
point's type, the scenario descriptions, the application number and date, the licence number.
"""
import json
import re
from urllib.parse import quote

import pytest
from accounts import act_for, apply_and_approve, call, ensure_enterprise, ensure_registered
from conftest import ARTIFACTS
from playwright.sync_api import expect
from test_a11y import start_session

# A registry person born in 1954 and her workshop, registered by no other test.
ELDER = {"name": "黎怡安", "id_number": "441423195402172609", "phone": "13318888925"}
ELDER_FIRM = "92441423MAAB14TR7C"
PASSWORD = "Fengshun-Niangjiu-54"
FOOD = "441400-SCJGJ-0018"
FOOD_FORM = {"applicant_name": "丰顺县黎记娘酒坊", "certificate_number": ELDER_FIRM,
             "phone": ELDER["phone"], "premises_address": "丰顺县汤坑镇新城路 3 号",
             "category": "自制饮品制售", "subject": "餐饮服务经营者"}
MIN_PX = 18
WIDTH = 390
# Interactive boxes an elder taps; links inside running text are exempt (WCAG 2.5.8 "inline").
TAP_PX = 48

# Every visible text node of the page's regions: its whitespace-collapsed text, the computed
# font size of its element and the region it is in. A node counts as visible when its own box
# (a Range over it) has a size and its element is rendered and not the screen-reader-only text.
VISIBLE_TEXTS = """() => {
  const out = [];
  for (const region of document.querySelectorAll('header.top, nav.nav, main, footer.foot')) {
    const walk = document.createTreeWalker(region, NodeFilter.SHOW_TEXT);
    for (let n = walk.nextNode(); n; n = walk.nextNode()) {
      const text = n.textContent.replace(/\\s+/g, ' ').trim();
      const el = n.parentElement;
      if (!text || !el || el.closest('.sr-only, script, style, noscript')) continue;
      if (!el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })) continue;
      const range = document.createRange();
      range.selectNodeContents(n);
      const r = range.getBoundingClientRect();
      if (r.width < 1 || r.height < 1) continue;
      const cls = el.className ? '.' + String(el.className).split(' ').join('.') : '';
      out.push({ text, px: parseFloat(getComputedStyle(el).fontSize),
                 where: region.tagName.toLowerCase(), el: el.tagName.toLowerCase() + cls });
    }
  }
  return out;
}"""

# Boxes too small to tap: buttons, inputs, selects and links that stand on their own (not a
# link inside a sentence), visible, smaller than TAP_PX in height.
SMALL_TARGETS = """(min) => [...document.querySelectorAll('header.top, nav.nav, main, footer.foot')]
  .flatMap((r) => [...r.querySelectorAll('a[href], button, input, select, textarea')])
  .filter((el) => el.checkVisibility({ checkVisibilityCSS: true }))
  .filter((el) => !el.closest('.sr-only, .skip'))
  .filter((el) => !(el.tagName === 'A' && getComputedStyle(el).display === 'inline'))
  .filter((el) => !['radio', 'checkbox'].includes(el.type))
  .map((el) => [el.tagName + ' ' + (el.textContent || el.id || el.name || '').trim().slice(0, 30),
                Math.round(el.getBoundingClientRect().height)])
  .filter(([, h]) => h > 0 && h < min)"""


# The elements reaching past the right edge, to name what scrolls sideways.
WIDE = """() => [...document.body.querySelectorAll('*')]
  .filter((el) => el.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
  .map((el) => `${el.tagName}.${el.className} ${Math.round(el.getBoundingClientRect().right)}px`
    + ` ${(el.textContent || '').trim().slice(0, 30)}`).slice(-6)"""


def api(base, path, **params):
    status, body = call(base, "GET", path + ("?" + "&".join(
        f"{k}={quote(str(v))}" for k, v in params.items()) if params else ""))
    assert status == 200, (path, body)
    return body


def first_theme(base):
    return api(base, "/themes", audience="person")["items"][0]["code"]


def guide_with_points(base):
    for item in api(base, "/matters", q="公积金", limit=20)["items"]:
        full = api(base, f"/matters/{item['code']}")
        if full.get("service_points"):
            return full
    raise AssertionError("no housing-fund matter with service points")


def load(page, hash_, ready, elder, lang="zh"):
    """The screen at `hash_` in normal or elder mode and in `lang` (the saved preferences, then
    a reload), once `ready` is visible and no placeholder is left."""
    page.goto(page.base + "/" + hash_)
    page.evaluate("([on, lang]) => { localStorage.setItem('mz.elder', on ? '1' : '0');"
                  " localStorage.setItem('mz.lang', lang); }", [elder, lang])
    page.reload()
    assert page.evaluate("document.documentElement.classList.contains('elder')") is elder
    expect(page.locator(ready).first).to_be_visible()
    expect(page.locator(".loading")).to_have_count(0)
    expect(page.locator("p.status", has_text=re.compile("^(加载中|Loading)"))).to_have_count(0)
    page.wait_for_load_state("networkidle")
    return page.evaluate(VISIBLE_TEXTS)


def compare(page, name, hash_, ready, needed=(), lang="zh"):
    """Normal mode, then elder mode: nothing of normal mode is missing, texts >= 18 px, no
    sideways scroll, tap targets >= 48 px. `needed`: texts that must be among the elder ones
    (each also checked to be shown in normal mode, so the test names what an elder needs)."""
    ARTIFACTS.mkdir(exist_ok=True)
    normal = load(page, hash_, ready, elder=False, lang=lang)
    page.screenshot(path=str(ARTIFACTS / f"elder-{name}-normal.png"), full_page=True)
    elder = load(page, hash_, ready, elder=True, lang=lang)
    page.screenshot(path=str(ARTIFACTS / f"elder-{name}-elder.png"), full_page=True)
    seen = {t["text"] for t in elder}
    missing = sorted({t["text"] for t in normal} - seen)
    assert not missing, f"{name}: elder mode drops {missing[:12]}"
    for want in needed:
        assert any(want in t["text"] for t in normal), f"{name}: normal mode does not show {want!r}"
        assert any(want in t for t in seen), f"{name}: elder mode does not show {want!r}"
    small = sorted({(t["px"], t["text"][:30], t["el"]) for t in elder if t["px"] < MIN_PX})
    assert not small, f"{name}: texts under {MIN_PX} px in elder mode: {small[:12]}"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= WIDTH, f"{name}: scrolls sideways ({width} px): {page.evaluate(WIDE)}"
    tiny = page.evaluate(SMALL_TARGETS, TAP_PX)
    assert not tiny, f"{name}: tap targets under {TAP_PX} px in elder mode: {tiny[:8]}"
    return normal, elder


def test_home_in_elder_mode(page):
    _, elder = compare(page, "home", "", "#home-popular .card", needed=(
        "按个人、法人主题分类查找", "例如：公积金提取", "信息以窗口公示为准"))
    assert {t["where"] for t in elder} >= {"header", "nav", "main", "footer"}


def test_themes_in_elder_mode(page):
    compare(page, "themes", "#/themes?audience=person", "#view .grid a",
            needed=("个事项",))


def test_a_theme_shows_departments_in_elder_mode(page):
    code = first_theme(page.base)
    matters = api(page.base, "/matters", theme=code, audience="person", limit=20)["items"]
    dept = matters[0]["department"]["name"]
    compare(page, "theme", f"#/themes/{code}", "#view .card", needed=(dept,))


def test_a_guide_shows_point_types_in_elder_mode(page):
    m = guide_with_points(page.base)
    compare(page, "guide", f"#/matters/{m['code']}", "#view .point",
            needed=(m["department"]["name"], "政务服务中心"))


def test_search_results_show_departments_in_elder_mode(page):
    first = api(page.base, "/matters", q="公积金", limit=20)["items"][0]
    compare(page, "search", f"#/search?q={quote('公积金')}", "#view .card",
            needed=(first["department"]["name"],))


def test_scenarios_show_descriptions_in_elder_mode(page):
    items = api(page.base, "/scenarios", audience="person")["items"]
    described = [s["description"] for s in items if s.get("description")]
    assert described, "no scenario has a description"
    compare(page, "scenarios", "#/scenarios?audience=person", "#view .card",
            needed=described)


def test_a_scenario_in_elder_mode(page):
    s = next(s for s in api(page.base, "/scenarios", audience="person")["items"]
             if s.get("description"))
    compare(page, "scenario", f"#/scenarios/{s['code']}", "#view form.questions fieldset",
            needed=(s["description"],))


def test_points_show_their_type_in_elder_mode(page):
    compare(page, "points", "#/points?region=", "#view .point",
            needed=("政务服务中心",))


@pytest.fixture(scope="module")
def elder_account(hall_url):
    """黎怡安's workshop: a food business licence from an approved application."""
    tokens = ensure_registered(hall_url, ELDER, PASSWORD)
    ensure_enterprise(hall_url, tokens, ELDER_FIRM)
    token = act_for(hall_url, tokens, ELDER_FIRM)
    status, apps = call(hall_url, "GET", "/applications", None, token)
    assert status == 200, apps
    done = next((a for a in apps["items"] if a["status"] == "approved"), None)
    if done is None:
        done = apply_and_approve(hall_url, token, FOOD, FOOD_FORM)
    status, app = call(hall_url, "GET", f"/applications/{done['id']}", None, token)
    assert status == 200, app
    status, lic = call(hall_url, "GET", f"/wallet/{app['licences'][0]}", None, token)
    assert status == 200, lic
    return {"app": app, "lic": lic}


def elder_session(page):
    act = json.dumps({"kind": "enterprise", "id": ELDER_FIRM})
    start_session(page, ELDER["phone"], PASSWORD, act)


def test_my_applications_show_number_and_date_in_elder_mode(page, elder_account):
    app = elder_account["app"]
    elder_session(page)
    _, elder = compare(page, "applications", "#/applications", "#view .card.app",
                       needed=(app["id"],))
    line = next(t["text"] for t in elder if app["id"] in t["text"])
    assert re.search(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", line), line


def test_an_application_in_elder_mode(page, elder_account):
    app = elder_account["app"]
    elder_session(page)
    compare(page, "application", f"#/applications/{app['id']}", "#view dl.facts",
            needed=(app["id"], "申请编号", "创建时间"))


def test_the_wallet_shows_licence_numbers_in_elder_mode(page, elder_account):
    elder_session(page)
    compare(page, "wallet", "#/wallet", "#view .card.lic",
            needed=(elder_account["lic"]["number"],))


def test_a_licence_in_elder_mode(page, elder_account):
    lic = elder_account["lic"]
    elder_session(page)
    compare(page, "licence", f"#/wallet/{lic['id']}", "#lic-qr",
            needed=(lic["number"], lic["verify_url"]))


def test_english_elder_mode_hides_nothing(page, elder_account):
    """The English switch and elder mode together: longer words, still nothing dropped, nothing
    under 18 px, nothing scrolling sideways."""
    m = guide_with_points(page.base)
    compare(page, "en-guide", f"#/matters/{m['code']}", "#view .point", lang="en",
            needed=("City service centre",))
    compare(page, "en-points", "#/points?region=", "#view .point", lang="en",
            needed=("service centre",))
    compare(page, "en-scenarios", "#/scenarios?audience=person", "#view .card", lang="en")
    app, lic = elder_account["app"], elder_account["lic"]
    elder_session(page)
    compare(page, "en-applications", "#/applications", "#view .card.app", lang="en",
            needed=(app["id"], "Application number"))
    compare(page, "en-application", f"#/applications/{app['id']}", "#view dl.facts", lang="en",
            needed=(app["id"],))
    compare(page, "en-licence", f"#/wallet/{lic['id']}", "#lic-qr", lang="en",
            needed=(lic["number"],))
