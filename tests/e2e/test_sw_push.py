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
