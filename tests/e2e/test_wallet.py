"""The wallet and the public check on a phone set to New York time: every time is Beijing
time, an enterprise licence shows no stray "null", the licence says what it licenses (in
English too), and the QR holds the signed token."""
import re
import warnings
from datetime import datetime, timedelta, timezone

import pytest
from accounts import call, ensure_enterprise, ensure_registered, officer_token
from playwright.sync_api import expect
from test_identity import log_in, switch_to

# A registry person and the company they represent, registered by no other test.
BOSS = {"name": "李华俊", "id_number": "441427195705012392", "phone": "15029613217"}
BOSS_FIRM = ("91441427MA3N62CM82", "蕉岭县新宇电子科技有限公司")
PASSWORD = "Hakka-Jiaoling-55"
FIELDS = {"entity_type": "有限责任公司", "registered_capital": "200",
          "address": "蕉岭县蕉城镇城西路 8 号", "business_scope": "电子产品研发、销售"}
BEIJING = timezone(timedelta(hours=8))



@pytest.fixture
def new_york(browser, hall_url):
    """A phone whose clock is set to New York: 13 hours behind Beijing."""
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN",
                              timezone_id="America/New_York", service_workers="allow")
    pg = ctx.new_page()
    problems = []
    pg.on("pageerror", lambda e: problems.append(f"pageerror: {e}"))
    pg.on("console", lambda m: problems.append(f"console: {m.text}")
          if "Content Security Policy" in m.text else None)
    pg.base = hall_url
    assert pg.evaluate("Intl.DateTimeFormat().resolvedOptions().timeZone") == "America/New_York"
    yield pg
    ctx.close()
    assert not problems, problems


def bj_minute(iso: str) -> str:
    return datetime.fromisoformat(iso).astimezone(BEIJING).strftime("%Y-%m-%d %H:%M")


def issued_licence(hall_url) -> dict:
    """A business licence issued at the market regulator's counter to BOSS_FIRM."""
    ensure_enterprise(hall_url, ensure_registered(hall_url, BOSS, PASSWORD), BOSS_FIRM[0])
    status, lic = call(hall_url, "POST", "/officer/licences", {
        "type": "business_licence", "holder_kind": "enterprise", "holder_id": BOSS_FIRM[0],
        "fields": FIELDS}, officer_token(hall_url))
    assert status == 201, lic
    return lic


def test_wallet_and_verify_in_beijing_time_from_new_york(new_york, hall_url):
    page = new_york
    lic = issued_licence(hall_url)
    log_in(page, BOSS["phone"], PASSWORD)
    switch_to(page, f"{BOSS_FIRM[1]}（法定代表人）")

    page.goto(f"{hall_url}/#/wallet/{lic['id']}")
    expect(page.locator("#view h1")).to_have_text("营业执照")
    expect(page.locator("#lic-issued")).to_have_text(
        datetime.fromisoformat(lic["issued"]).astimezone(BEIJING).date().isoformat())
    fields = page.locator("#lic-fields")
    expect(fields).to_contain_text("经营范围")
    expect(fields).to_contain_text(FIELDS["business_scope"])
    expect(fields).to_contain_text("法定代表人")
    expect(fields).to_contain_text(BOSS["name"])  # from the registry, not typed
    expect(page.locator("#lic-qr")).to_be_visible()
    assert page.evaluate("document.getElementById('lic-qr').naturalWidth") > 0

    # The saved copy, offline, says when it was saved in Beijing time (it was UTC before).
    assert page.evaluate("navigator.serviceWorker.ready.then(r => Boolean(r.active))")
    page.context.set_offline(True)
    try:
        page.reload()
        note = page.get_by_role("status").filter(has_text="现在离线")
        expect(note).to_be_visible()
        shown = re.search(r"(\d{4}-\d{2}-\d{2} \d{2}:\d{2})（北京时间）", note.inner_text())
        assert shown, note.inner_text()
        saved = datetime.strptime(shown.group(1), "%Y-%m-%d %H:%M").replace(tzinfo=BEIJING)
        assert abs(datetime.now(BEIJING) - saved) < timedelta(minutes=10), shown.group(1)
    finally:
        page.context.set_offline(False)

    # Anyone's check of the enterprise licence: what it licenses, no stray "null".
    public = call(hall_url, "GET", f"/verify/{lic['id']}")[1]
    page.goto(f"{hall_url}/verify/{lic['id']}")
    expect(page.locator("#view h1")).to_have_text("电子证照核验")
    expect(page.locator("#verdict")).to_have_text("有效")
    expect(page.locator("#v-holder")).to_have_text(BOSS_FIRM[1])
    expect(page.locator("#v-fields")).to_contain_text(FIELDS["address"])
    checked = page.locator("#v-checked")
    expect(checked).to_contain_text("（北京时间）")
    shown = re.search(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", checked.inner_text()).group()
    at = datetime.strptime(shown, "%Y-%m-%d %H:%M").replace(tzinfo=BEIJING)
    assert abs(datetime.fromisoformat(public["checked_at"]) - at) < timedelta(minutes=5)
    assert "null" not in page.locator("#view").inner_text()
    assert "undefined" not in page.locator("#view").inner_text()

    # The English switch: labels, type name and the zone in English.
    page.evaluate("localStorage.setItem('mz.lang', 'en')")
    page.reload()
    expect(page.locator("#view h1")).to_have_text("E-licence check")
    expect(page.locator("#v-fields")).to_contain_text("Business scope")
    expect(page.locator("#view")).to_contain_text("Business licence")
    expect(page.locator("#v-checked")).to_contain_text("(Beijing time)")
    assert "null" not in page.locator("#view").inner_text()
    page.evaluate("localStorage.setItem('mz.lang', 'zh')")


def test_the_qr_holds_the_verify_url_and_a_signed_token(new_york, hall_url):
    from joserfc import jwt
    from joserfc.jwk import KeySet

    lic = issued_licence(hall_url)
    url, _, token = lic["qr_text"].partition("#")
    assert url == f"{hall_url}/verify/{lic['id']}" and token.count(".") == 2
    keys = KeySet.import_key_set(call(hall_url, "GET", "/licences/keys")[1])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        claims = jwt.decode(token, keys, algorithms=["EdDSA", "Ed25519"]).claims
    assert claims["sub"] == lic["id"] and claims["f"]["uscc"] == BOSS_FIRM[0]
    # the page the code opens is the online check of the same licence
    new_york.goto(url)
    expect(new_york.locator("#verdict")).to_have_text("有效")
