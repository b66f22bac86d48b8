"""A phone shared by a family or a village kiosk: logging out leaves nothing personal on the
device (every cache read, bodies included, and both storages), a "shared phone" login writes no
offline copy at all and logs out when left idle, a logout in one tab clears the others and the
push subscription, and a session that ended elsewhere or unseen takes its copies with it."""
import re

from accounts import act_for, call, ensure_enterprise, ensure_registered, officer_token
from playwright.sync_api import expect
from test_identity import made_up, switch_to

# A registry person and the company they represent, used by no other test.
OWNER = {"name": "曾俊浩", "id_number": "441423199402199631", "phone": "19884157093"}
FIRM = ("91441423MA1NQ24P7Q", "梅州市盛世家政服务有限公司")
FIRM_LABEL = f"{FIRM[1]}（法定代表人）"
PASSWORD = "Hakka-Fengshun-93"
FIELDS = {"entity_type": "有限责任公司", "registered_capital": "50",
          "address": "丰顺县汤坑镇新城路 9 号", "business_scope": "家政服务、保洁服务"}
FOOD = "441400-SCJGJ-0018"
SEARCH = "食品经营许可"
KEEP = {"mz.elder", "mz.lang", "mz.region", "mz.region.item", "mz.aud"}
PUSH_ENDPOINT = "https://push.example.invalid/send/e2e-device"

# Every cache of the origin: its name, and each entry's URL and body (text; images left out).
DUMP_CACHES = """async () => {
  const out = {};
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    out[name] = [];
    for (const req of await cache.keys()) {
      const res = await cache.match(req);
      const type = res.headers.get('Content-Type') || '';
      out[name].push({ url: req.url, body: type.startsWith('image/png') ? '' : await res.text() });
    }
  }
  return out;
}"""
STORAGE = """() => ({ local: Object.keys(localStorage), session: Object.keys(sessionStorage) })"""


def owner_with_licence(base):
    """OWNER, registered, with FIRM, a business licence issued to FIRM and a draft application
    filed for it. Returns (licence, application id)."""
    tokens = ensure_registered(base, OWNER, PASSWORD)
    ensure_enterprise(base, tokens, FIRM[0])
    status, lic = call(base, "POST", "/officer/licences", {
        "type": "business_licence", "holder_kind": "enterprise", "holder_id": FIRM[0],
        "fields": FIELDS}, officer_token(base))
    assert status == 201, lic
    form = {"applicant_name": FIRM[1], "certificate_number": FIRM[0], "phone": OWNER["phone"],
            "premises_address": FIELDS["address"], "category": "自制饮品制售",
            "subject": "餐饮服务经营者"}
    status, app = call(base, "POST", "/applications", {"matter": FOOD, "form": form},
                       act_for(base, tokens, FIRM[0]))
    assert status == 201, app
    return lic, app["id"]


def log_in(page, shared=False, person=OWNER, how="/#/login"):
    page.goto(page.base + how)
    expect(page.locator("#view h1")).to_have_text("登录")
    page.get_by_label("手机号").fill(person["phone"])
    page.get_by_label("密码", exact=True).fill(PASSWORD)
    if shared:
        page.get_by_label("这是公用手机").check()
    page.get_by_role("button", name="登录").click()
    expect(page.locator("#view h1")).to_have_text("我的")
    expect(page.locator("#id-now")).to_be_visible()
    page.wait_for_function("navigator.serviceWorker.controller !== null")


def use_everything(page, lic, app_id):
    """As the firm: the wallet, the licence with its QR, my applications and a search."""
    switch_to(page, FIRM_LABEL)
    page.goto(f"{page.base}/#/wallet")
    expect(page.locator("#view .lic").first).to_contain_text("营业执照")
    page.goto(f"{page.base}/#/wallet/{lic['id']}")
    expect(page.locator("#lic-fields")).to_contain_text(OWNER["name"])
    expect(page.locator("#lic-qr")).to_be_visible()
    page.goto(f"{page.base}/#/applications")
    expect(page.locator("#view .app").filter(has_text=app_id)).to_be_visible()
    page.goto(f"{page.base}/#/search?q={SEARCH}")
    expect(page.locator("#view .card").first).to_be_visible()
    page.goto(f"{page.base}/#/themes")  # public catalogue data, which is no one's
    expect(page.locator("#view a[href^='#/themes/']").first).to_be_visible()


def typed_entries(dump):
    return [e["url"] for name, entries in dump.items() for e in entries
            if re.search(r"[?&](q|near)=", e["url"])]


def personal_caches(dump):
    return [name for name in dump if not re.match(r"mz-(shell|api)-", name)]


def leaks(dump, secrets):
    return sorted({(name, e["url"], s) for name, entries in dump.items() for e in entries
                   for s in secrets if s in e["url"] or s in e["body"]})


def test_logout_leaves_nothing_personal_on_the_device(page, hall_url, snap):
    lic, app_id = owner_with_licence(hall_url)
    page.goto(hall_url + "/")
    page.evaluate("localStorage.setItem('mz.lang', 'zh')")  # a display setting: it stays
    log_in(page)
    use_everything(page, lic, app_id)

    # What a logged-in owner keeps offline: the licence and its list, the applications, the search.
    page.wait_for_function("""async () => {
      const names = await caches.keys();
      return names.some((n) => n.startsWith('mz-wallet-'))
        && names.some((n) => n.startsWith('mz-apps-'));
    }""")
    before = page.evaluate(DUMP_CACHES)
    secrets = [lic["number"], lic["id"], FIRM[1], FIRM[0], OWNER["name"], app_id, OWNER["phone"]]
    assert leaks(before, [lic["number"], OWNER["name"], app_id]), "nothing personal was cached"
    assert typed_entries(before), "the search was not cached: the check below would prove nothing"
    stored = page.evaluate(STORAGE)
    assert "mz.pid" in stored["local"] and "mz.act" in stored["session"], stored

    page.goto(f"{hall_url}/#/me")
    page.get_by_role("button", name="退出登录").click()
    expect(page.locator("#view h1")).to_have_text("登录")
    expect(page.get_by_role("status").filter(has_text="您已安全退出")).to_be_visible()

    after = page.evaluate(DUMP_CACHES)
    assert personal_caches(after) == [], list(after)
    assert typed_entries(after) == []
    assert leaks(after, secrets) == []
    shell = [name for name in after if name.startswith("mz-shell-")]
    assert shell and any(e["url"] == hall_url + "/" for e in after[shell[0]]), list(after)
    public = {n: sorted(e["url"] for e in entries if e["url"] not in typed_entries(before))
              for n, entries in before.items() if n.startswith("mz-api-")}
    assert public and all(public.values()), public
    assert {n: sorted(e["url"] for e in after[n]) for n in public} == public  # the rest stays
    stored = page.evaluate(STORAGE)
    assert set(stored["local"]) <= KEEP and "mz.lang" in stored["local"], stored
    assert set(stored["session"]) <= KEEP, stored

    # The wallet asks to log in again, and shows no copy even offline.
    page.context.set_offline(True)
    try:
        page.goto(f"{hall_url}/#/wallet/{lic['id']}")
        expect(page.locator("#view")).to_contain_text("登录后")
        expect(page.locator("#view")).not_to_contain_text(lic["number"])
    finally:
        page.context.set_offline(False)
    snap("logged-out")


def test_a_shared_phone_keeps_no_offline_copy_and_logs_out_when_idle(page, hall_url, snap):
    lic, app_id = owner_with_licence(hall_url)
    log_in(page, shared=True)
    expect(page.locator("#me-shared")).to_have_text(re.compile("^公用手机模式：不保留离线副本"))
    use_everything(page, lic, app_id)
    page.goto(f"{hall_url}/#/me")
    expect(page.locator("#me-shared")).to_be_visible()
    snap("shared-me")

    # Logged in, and nothing of the person kept for offline use: the search goes as it lands.
    page.wait_for_function("""async () => {
      for (const name of await caches.keys()) {
        if (!/^mz-(shell|api)-/.test(name)) return false;
        const cache = await caches.open(name);
        if ((await cache.keys()).some((r) => /[?&]q=/.test(r.url))) return false;
      }
      return true;
    }""", timeout=20_000)
    dump = page.evaluate(DUMP_CACHES)
    assert personal_caches(dump) == [] and typed_entries(dump) == [], list(dump)
    assert leaks(dump, [lic["number"], lic["id"], FIRM[1], OWNER["name"], app_id]) == []

    # Left untouched for longer than the limit (15 minutes): the next look logs out.
    page.evaluate("localStorage.setItem('mz.shared.seen', String(Date.now() - 16 * 60 * 1000))")
    page.reload()
    expect(page.locator("#view h1")).to_have_text("登录")
    expect(page.get_by_role("status").filter(has_text="闲置超过 15 分钟")).to_be_visible()
    assert "__Secure-hall_in" not in page.evaluate("document.cookie")
    stored = page.evaluate(STORAGE)
    assert set(stored["local"]) <= KEEP and set(stored["session"]) <= KEEP, stored

    # The choice reads in English too, and ended with the session: the next login starts unticked.
    expect(page.get_by_label("这是公用手机")).not_to_be_checked()
    page.evaluate("localStorage.setItem('mz.lang', 'en')")
    page.goto(f"{hall_url}/#/login?way=code")
    page.reload()
    expect(page.get_by_label("This is a shared phone", exact=True)).to_be_visible()
    expect(page.locator("#view")).to_contain_text("logs out after 15 minutes without use")


PUSH_STUB = """(() => {
  window.__push = [];
  if (typeof PushManager !== 'function') return; // the test fails on the missing record
  PushManager.prototype.getSubscription = async function () {
    return {
      endpoint: 'ENDPOINT',
      unsubscribe: async () => { window.__push.push('unsubscribe'); return true; },
    };
  };
})();""".replace("ENDPOINT", PUSH_ENDPOINT)


def test_logout_in_one_tab_clears_the_others_and_the_push_subscription(page, context,
                                                                        hall_url):
    lic, app_id = owner_with_licence(hall_url)
    context.add_init_script(PUSH_STUB)
    log_in(page)
    other = context.new_page()
    other.goto(f"{hall_url}/#/me")
    expect(other.locator("#id-now")).to_be_visible()
    switch_to(other, FIRM_LABEL)  # tab B acts for the firm: its own sessionStorage
    other.goto(f"{hall_url}/#/wallet/{lic['id']}")
    expect(other.locator("#lic-qr")).to_be_visible()
    other.wait_for_function("caches.keys().then((n) => n.some((k) => k.startsWith('mz-wallet-')))")
    assert "mz.act" in other.evaluate(STORAGE)["session"]

    sent = []
    page.on("request", lambda r: sent.append((r.method, r.url.split("/api/v1", 1)[-1],
                                              r.post_data or "")) if "/api/v1/" in r.url else None)
    page.bring_to_front()
    page.get_by_role("button", name="退出登录").click()
    expect(page.locator("#view h1")).to_have_text("登录")
    # Tab B hears of it: it leaves the licence, and its own storage goes.
    expect(other.locator("#view h1")).to_have_text("登录")
    expect(other.locator("#view")).not_to_contain_text(lic["number"])
    other.wait_for_function("() => sessionStorage.getItem('mz.act') === null")
    dump = other.evaluate(DUMP_CACHES)
    assert personal_caches(dump) == [] and leaks(dump, [lic["number"], OWNER["name"]]) == []

    # The push subscription: unsubscribed on the device, and the server told first, while the
    # session still held (the route comes with push notices; a 404 did not stop the logout).
    assert "unsubscribe" in page.evaluate("window.__push"), page.evaluate("window.__push")
    calls = [(m, p) for m, p, _ in sent]
    assert ("DELETE", "/me/push-subscriptions") in calls, calls
    assert calls.index(("DELETE", "/me/push-subscriptions")) < calls.index(("POST", "/auth/logout"))
    body = next(b for m, p, b in sent if m == "DELETE")
    assert PUSH_ENDPOINT in body, body
    other.close()


def test_a_session_gone_elsewhere_or_unseen_takes_its_copies(page, hall_url):
    lic, app_id = owner_with_licence(hall_url)
    log_in(page)
    switch_to(page, FIRM_LABEL)
    page.goto(f"{hall_url}/#/wallet/{lic['id']}")
    expect(page.locator("#lic-qr")).to_be_visible()
    page.wait_for_function("caches.keys().then((n) => n.some((k) => k.startsWith('mz-wallet-')))")

    # Signed out elsewhere: the refresh cookie is no longer the server's (a 401 on refresh).
    host = hall_url.split("//", 1)[1].split(":")[0]
    page.context.add_cookies([{"name": "__Secure-hall_rt", "value": "x" * 43, "domain": host,
                               "path": "/api/v1/auth", "secure": True, "httpOnly": True,
                               "sameSite": "Strict"}])
    page.reload()
    expect(page.locator("#view h1")).to_have_text("登录")
    expect(page.get_by_role("status").filter(has_text="登录已过期")).to_be_visible()
    page.wait_for_function("caches.keys().then((n) => n.every((k) => /^mz-(shell|api)-/.test(k)))")
    assert page.evaluate("localStorage.getItem('mz.pid')") is None

    # A session that ended with no page open (the browser closed and took its cookies): a copy
    # and the person's id were left; the next page opened, a public one included, forgets them.
    page.evaluate("""async () => {
      localStorage.setItem('mz.pid', 'someone-who-left');
      const c = await caches.open('mz-wallet-0123456789abcdef0123456789abcdef');
      await c.put('/__wallet/list', new Response('{"items": [], "owner": "someone-who-left"}'));
    }""")
    page.goto(f"{hall_url}/#/themes")
    page.reload()
    expect(page.locator("#view h1")).to_be_visible()
    page.wait_for_function("caches.keys().then((n) => n.every((k) => /^mz-(shell|api)-/.test(k)))")
    assert page.evaluate("localStorage.getItem('mz.pid')") is None

    # Another person logs in here while the owner's session still holds (the login screen of an
    # expired one): the owner's copies go before the newcomer's session starts.
    log_in(page)
    owner_id = page.evaluate("localStorage.getItem('mz.pid')")
    page.goto(f"{hall_url}/#/wallet")
    page.wait_for_function("caches.keys().then((n) => n.some((k) => k.startsWith('mz-wallet-')))")
    newcomer = made_up(7)
    ensure_registered(hall_url, newcomer, PASSWORD)
    log_in(page, person=newcomer, how="/#/login?expired=1")
    assert page.evaluate("localStorage.getItem('mz.pid')") not in (None, owner_id)
    assert personal_caches(page.evaluate(DUMP_CACHES)) == []
