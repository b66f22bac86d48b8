"""axe-core WCAG 2.2 AA scan of the main screens, normal and elder mode.

axe-core is installed into tests/e2e/.axe on first use.
"""
import datetime
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from accounts import (
    OFFICER_PASSWORD,
    OFFICER_PHONE,
    act_for,
    apply_and_approve,
    browser_login,
    call,
    ensure_enterprise,
    ensure_registered,
    login_tokens,
    submit_application,
)
from playwright.sync_api import expect

AXE_DIR = Path(__file__).resolve().parent / ".axe"
AXE_JS = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"
AXE_VERSION = "4.10.2"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
SCREENS = ["", "#/search?q=gjj", "#/themes?audience=person", "#/themes?audience=enterprise",
           "#/scenarios", "#/points", "#/hot/housing_fund", "#/region",
           "#/login", "#/register", "#/me"]
# Logged in (温慧, legal representative of a company, who authorised 罗燕安 as its preparer).
ACCOUNT = {"name": "温慧", "id_number": "441423199902282941", "phone": "15155633636"}
ACCOUNT_FIRM = "91441423MA8E6DD3X6"
DELEGATE = {"name": "罗燕安", "id_number": "441403195510175342", "phone": "15685980471"}
PASSWORD = "Axe-Check-2026"
ACCOUNT_SCREENS = ["#/me", "#/grants", "#/applications", "#/wallet", "#/apply/441400-RSJ-0015"]


@pytest.fixture(scope="session")
def axe_source():
    if not AXE_JS.exists():
        npm = shutil.which("npm")
        if not npm:
            pytest.fail("npm not found: `make test` installs it (Makefile .system-deps)")
        AXE_DIR.mkdir(exist_ok=True)
        cmd = [npm, "i", "-E", f"axe-core@{AXE_VERSION}", "--prefix", str(AXE_DIR),
               "--no-audit", "--no-fund"]
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=180)
        if done.returncode or not AXE_JS.exists():
            pytest.fail(f"npm could not install axe-core@{AXE_VERSION}: {done.stderr[-500:]}")
    return AXE_JS.read_text("utf-8")


def scan(page, axe_source):
    """Run axe in the page (evaluate is not subject to the page's CSP) and return violations."""
    page.evaluate(axe_source)
    opts = {"runOnly": {"type": "tag", "values": TAGS}}
    result = page.evaluate("opts => axe.run(document, opts)", opts)
    return [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
            for v in result["violations"]]


def visit_all(page, axe_source, extra=(), screens=SCREENS):
    problems = {}
    page.goto(page.base + "/")
    for hash_ in [*screens, *extra]:
        page.goto(page.base + "/" + hash_)
        page.wait_for_load_state("networkidle")
        expect(page.locator(".loading")).to_have_count(0, timeout=20_000)
        # Screens load their code on demand: scan once the view has drawn its heading.
        expect(page.locator("main h1:visible").first).to_be_visible(timeout=20_000)
        found = scan(page, axe_source)
        if found:
            problems[hash_ or "home"] = found
    return problems


def matter_hash(page):
    params = {"q": "公积金", "limit": "1"}
    items = page.request.get(page.base + "/api/v1/matters", params=params).json()["items"]
    return [f"#/matters/{items[0]['code']}"] if items else []


def test_axe_has_no_violations(page, axe_source):
    assert visit_all(page, axe_source, matter_hash(page)) == {}


def test_axe_has_no_violations_in_elder_mode(page, axe_source):
    page.goto(page.base + "/")
    page.locator("#elder-toggle").click()
    assert visit_all(page, axe_source, matter_hash(page)) == {}


def log_in_by_token(page):
    """Start the app with a session of ACCOUNT, who has a company and gave an authorisation."""
    tokens = login_tokens(page.base, ACCOUNT, PASSWORD)
    if not tokens:
        ensure_registered(page.base, DELEGATE, PASSWORD)
        tokens = ensure_registered(page.base, ACCOUNT, PASSWORD)
        ensure_enterprise(page.base, tokens, ACCOUNT_FIRM)
        status, body = call(page.base, "POST", "/grants", {
            "grantor": f"enterprise:{ACCOUNT_FIRM}", "grantee_phone": DELEGATE["phone"],
            "role": "preparer", "expires": _in_days(200)},
            tokens["access_token"])
        assert status == 201, body
    page.goto(page.base + "/")
    browser_login(page, ACCOUNT["phone"], PASSWORD)
    page.reload()
    expect(page.locator("#id-now")).to_be_visible()


def _in_days(n):
    return (datetime.date.today() + datetime.timedelta(days=n)).isoformat()


def scan_with_errors(page, axe_source):
    """The login form with its error summary and field errors showing."""
    page.goto(page.base + "/#/login")
    page.get_by_role("button", name="登录").click()
    expect(page.locator(".error-summary")).to_be_focused()
    return scan(page, axe_source)


def test_axe_account_screens_logged_in(page, axe_source):
    log_in_by_token(page)
    assert visit_all(page, axe_source, screens=ACCOUNT_SCREENS) == {}
    page.locator("#id-toggle").click()  # the identity menu open in the header
    assert scan(page, axe_source) == []


def test_axe_account_screens_logged_in_elder_mode(page, axe_source):
    page.goto(page.base + "/")
    page.locator("#elder-toggle").click()
    log_in_by_token(page)
    assert visit_all(page, axe_source, screens=ACCOUNT_SCREENS) == {}
    page.locator("#id-toggle").click()
    assert scan(page, axe_source) == []


def test_axe_form_errors(page, axe_source):
    assert scan_with_errors(page, axe_source) == []


# Intake screens: 叶萍秀 (a tea house) holds a food licence from an approved application and has
# a second one submitted; the officer's queue and an application with its actions.
TEA = {"name": "叶萍秀", "id_number": "441481198304209380", "phone": "17372679670"}
TEA_FIRM = "92441481MAJF3BEM0C"
FOOD = "441400-SCJGJ-0018"
FOOD_FORM = {"applicant_name": "兴宁市金柚山歌茶馆", "certificate_number": TEA_FIRM,
             "phone": TEA["phone"], "premises_address": "兴宁市兴城街道 1 号",
             "category": "自制饮品制售", "subject": "餐饮服务经营者"}


def start_session(page, phone, password, act=None):
    """The app opened with a session of the account behind `phone` (the browser holds the
    refresh cookie), acting as `act` if given."""
    page.goto(page.base + "/")
    browser_login(page, phone, password)
    if act:
        page.evaluate("act => sessionStorage.setItem('mz.act', act)", act)
    page.reload()
    expect(page.locator("#id-now")).to_be_visible(timeout=20_000)


def test_axe_intake_screens(page, axe_source):
    base = page.base
    tokens = ensure_registered(base, TEA, PASSWORD)
    ensure_enterprise(base, tokens, TEA_FIRM)
    token = act_for(base, tokens, TEA_FIRM)
    done = apply_and_approve(base, token, FOOD, FOOD_FORM)
    status, pending = call(base, "POST", "/applications", {"matter": FOOD, "form": FOOD_FORM},
                           token)
    assert status == 201, pending
    lid = done["licences"][0]
    screens = ["#/applications", f"#/applications/{done['id']}", f"#/applications/{pending['id']}",
               "#/wallet", f"#/wallet/{lid}", f"#/apply/{FOOD}", f"#/verify/{lid}"]
    start_session(page, TEA["phone"], PASSWORD, json.dumps({"kind": "enterprise", "id": TEA_FIRM}))
    assert visit_all(page, axe_source, screens=screens) == {}
    page.goto(f"{base}/#/apply/{FOOD}")
    page.get_by_role("button", name="提交申请").click()
    expect(page.locator(".error-summary")).to_be_focused()
    assert scan(page, axe_source) == []
    page.locator("#elder-toggle").click()
    assert visit_all(page, axe_source, screens=screens) == {}


def test_axe_officer_screens(page, axe_source):
    base = page.base
    tokens = ensure_registered(base, TEA, PASSWORD)
    ensure_enterprise(base, tokens, TEA_FIRM)
    token = act_for(base, tokens, TEA_FIRM)
    app = submit_application(base, token, FOOD, FOOD_FORM)
    start_session(page, OFFICER_PHONE, OFFICER_PASSWORD)
    screens = ["#/officer", "#/officer?status=accepted", f"#/officer/{app['id']}"]
    assert visit_all(page, axe_source, screens=screens) == {}
    page.get_by_role("button", name="退回补正").click()
    assert scan(page, axe_source) == []
