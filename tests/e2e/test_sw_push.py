"""The service worker's push display: a push delivered through CDP
(ServiceWorker.deliverPushMessage, as a push service's message reaches the browser) shows the
generic notification, whatever the payload says, tagged with the notice's id and opening a hash
route of the app only."""
from __future__ import annotations

import json
import time

import pytest

pytestmark = pytest.mark.e2e

NOTIFICATIONS = """navigator.serviceWorker.ready
  .then((r) => r.getNotifications())
  .then((ns) => ns.map((n) => ({title: n.title, body: n.body, tag: n.tag, icon: n.icon,
                                data: n.data})))"""


def _registration(cdp, page, hall_url) -> str:
    regs: list[dict] = []
    cdp.on("ServiceWorker.workerRegistrationUpdated",
           lambda e: regs.extend(e["registrations"]))
    cdp.send("ServiceWorker.enable")
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        mine = [r for r in regs if r["scopeURL"] == hall_url + "/" and not r["isDeleted"]]
        if mine:
            return mine[-1]["registrationId"]
        page.wait_for_timeout(100)
    raise AssertionError(f"no service worker registration for {hall_url}: {regs}")


def _push(cdp, hall_url, reg: str, payload) -> None:
    data = payload if isinstance(payload, str) else json.dumps(payload, ensure_ascii=False)
    cdp.send("ServiceWorker.deliverPushMessage",
             {"origin": hall_url, "registrationId": reg, "data": data})


def _shown(page, count: int) -> list[dict]:
    deadline = time.monotonic() + 20
    while True:
        shown = page.evaluate(NOTIFICATIONS)
        if len(shown) >= count or time.monotonic() > deadline:
            return shown
        page.wait_for_timeout(100)


def test_a_push_shows_the_generic_notification(context, page, hall_url, snap):
    context.grant_permissions(["notifications"], origin=hall_url)
    page.goto(hall_url + "/")
    page.wait_for_function("navigator.serviceWorker.ready.then(() => true)")
    cdp = context.new_cdp_session(page)
    reg = _registration(cdp, page, hall_url)

    _push(cdp, hall_url, reg, {"title": "梅州政务服务", "body": "您有一条新消息",
                               "url": "#/inbox", "id": "bm90aWNlLTE"})
    [first] = _shown(page, 1)
    assert (first["title"], first["body"], first["tag"]) == (
        "梅州政务服务", "您有一条新消息", "bm90aWNlLTE")
    assert first["data"] == {"url": "#/inbox"}
    assert first["icon"] == hall_url + "/icons/icon-192.png"

    # A payload that names someone and links elsewhere changes nothing on the lock screen.
    _push(cdp, hall_url, reg, {"title": "林晓丰 441481198808080512", "body": "点此登录 https://evil.cn",
                               "url": "https://evil.cn/login", "id": "bm90aWNlLTI"})
    shown = _shown(page, 2)
    assert len(shown) == 2
    second = next(n for n in shown if n["tag"] == "bm90aWNlLTI")
    assert (second["title"], second["body"], second["data"]) == (
        "梅州政务服务", "您有一条新消息", {"url": "#/inbox"})

    # The same notice pushed again replaces its notification; a push that is not JSON still
    # says there is a message.
    _push(cdp, hall_url, reg, {"id": "bm90aWNlLTE", "url": "#/applications"})
    _push(cdp, hall_url, reg, "not json")
    shown = _shown(page, 3)
    assert sorted(n["tag"] for n in shown) == ["bm90aWNlLTE", "bm90aWNlLTI", "mz-inbox"]
    assert next(n for n in shown if n["tag"] == "bm90aWNlLTE")["data"] == {
        "url": "#/applications"}
    assert {(n["title"], n["body"]) for n in shown} == {("梅州政务服务", "您有一条新消息")}
    snap("after-pushes")


# A registry person no other test registers (infra/seed/registry.json): 大埔县, born 1981.
TAPPER = {"name": "梁新俊", "id_number": "441422198109086792", "phone": "15909924822"}
TAPPER_PASSWORD = "Hakka-Tap-2026"
SW_TARGET = """async (tag) => {
  const [n] = await self.registration.getNotifications({ tag });
  return n ? tapTarget(n) : null;
}"""


def _officer(base, region: str) -> str:
    """A dev officer of the tax bureau (SWJ): another region, another officer (outside the
    browser: its cookie would be the page's session)."""
    from accounts import call

    status, body = call(base, "POST", "/dev/sessions", {
        "role": "officer", "department": "SWJ", "region": region})
    assert status == 201, body
    return body["access_token"]


def _campaign_notice(page, person: str) -> tuple[str, str, str]:
    """A tax campaign to 大埔县's people aged 40-50 who follow 税务, written by one officer and
    approved by another; (campaign id, the person's notice id, the approver's token) once the
    worker has put it in the person's inbox."""
    import secrets

    from accounts import call

    author, approver = _officer(page.base, "441400"), _officer(page.base, "441422")
    status, made = call(page.base, "POST", "/officer/campaigns", {
        "name": f"个税年度汇算{secrets.token_hex(2)}", "topic": "hot_tax",
        "template": "announcement", "params": {"title": "个税年度汇算开始"},
        "segment": {"audience": "person", "county": "441422", "age_band": [40, 50]}}, author)
    assert status == 201, made
    status, body = call(page.base, "POST", f"/officer/campaigns/{made['id']}/approve", None,
                        approver)
    assert status == 200, body
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        status, box = call(page.base, "GET", "/me/inbox?limit=20", None, person)
        assert status == 200, box
        mine = [n for n in box["items"] if (n.get("why") or {}).get("campaign") == made["id"]]
        if mine:
            return made["id"], mine[0]["id"], approver
        time.sleep(1.5)
    raise AssertionError("the campaign's notice never reached the inbox")


def test_a_tap_opens_the_notice_and_the_campaign_counts_it_clicked(context, page, hall_url,
                                                                    snap):
    from accounts import browser_login, call, ensure_registered

    page.base = hall_url
    person = ensure_registered(hall_url, TAPPER, TAPPER_PASSWORD)["access_token"]
    status, body = call(hall_url, "PUT", "/me/preferences", {
        "topics": {"hot_tax": {"subscribed": True, "channels": ["push"]}},
        "quiet_hours": None}, person)
    assert status == 200, body
    cid, nid, approver = _campaign_notice(page, person)

    context.grant_permissions(["notifications"], origin=hall_url)
    page.goto(hall_url + "/")
    browser_login(page, TAPPER["phone"], TAPPER_PASSWORD)
    page.wait_for_function("navigator.serviceWorker.ready.then(() => true)")
    cdp = context.new_cdp_session(page)
    reg = _registration(cdp, page, hall_url)
    _push(cdp, hall_url, reg, {"title": "梅州政务服务", "body": "您有一条新消息",
                               "url": "#/inbox", "id": nid})
    assert any(n["tag"] == nid for n in _shown(page, 1))

    # What the worker's notificationclick opens for this notification: the inbox, marked as
    # a tap with the notice's id (CDP cannot click a notification: the handler's own
    # function is asked, with the notification the push showed).
    [worker] = [w for w in context.service_workers if w.url.endswith("/sw.js")]
    target = worker.evaluate(SW_TARGET, nid)
    assert target == f"{hall_url}/#/inbox?via=push&n={nid}"
    page.goto(target)
    item = page.locator(f"li.notice-item[data-id='{nid}']")
    item.locator(".ib-open[aria-expanded='true']").wait_for()
    assert "unread" not in (item.get_attribute("class") or "")
    assert page.evaluate("location.hash") == "#/inbox"  # the marker is not left to repeat
    why = item.locator("details.why")
    why.locator("summary").click()
    text = why.inner_text()
    assert "匹配的条件" in text and "订阅了“税务”" in text and "县区：大埔县" in text, text
    assert "年龄 40–50 岁" in text, text
    snap("tapped")
    page.locator("#lang-toggle").click()
    page.locator("#view h1", has_text="Messages").wait_for()
    item = page.locator(f"li.notice-item[data-id='{nid}']")
    item.locator(".ib-open[aria-expanded='false']").click()
    item.locator("details.why summary").click()
    text = item.locator("details.why").inner_text()
    assert "follows “Tax”" in text and "county: Dabu County" in text and "aged 40–50" in text, text
    # Its verify code names the tax bureau, in the app's language.
    status, ledger = call(hall_url, "GET", "/me/ledger", None, person)
    assert status == 200, ledger
    [entry] = [e for e in ledger["items"] if (e.get("why") or {}).get("campaign") == cid]
    page.goto(f"{hall_url}/#/verify-message?code={entry['code']}")
    page.locator("#vm-genuine", has_text="Meizhou Taxation Bureau").wait_for()
    page.locator("#lang-toggle").click()
    page.locator("#vm-genuine", has_text="梅州市税务局").wait_for()

    # Opened and clicked once, however often the tapped screen is loaded again.
    page.goto(f"{hall_url}/#/inbox?via=push&n={nid}")
    item.locator(".ib-open[aria-expanded='true']").wait_for()
    status, report = call(hall_url, "GET", f"/officer/campaigns/{cid}/report", None, approver)
    assert status == 200, report
    assert (report["opened"], report["clicked"]) == (1, 1), report
