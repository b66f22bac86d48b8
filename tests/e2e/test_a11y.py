"""axe-core WCAG 2.2 AA scan of the main screens, normal and elder mode.

axe-core is installed into tests/e2e/.axe on first use.
"""
import shutil
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import expect

AXE_DIR = Path(__file__).resolve().parent / ".axe"
AXE_JS = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"
AXE_VERSION = "4.10.2"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
SCREENS = ["", "#/search?q=gjj", "#/themes?audience=person", "#/themes?audience=enterprise",
           "#/scenarios", "#/points", "#/hot/housing_fund", "#/region"]


@pytest.fixture(scope="session")
def axe_source():
    if not AXE_JS.exists():
        npm = shutil.which("npm")
        if not npm:
            pytest.skip("npm not found: cannot install axe-core for the accessibility scan")
        AXE_DIR.mkdir(exist_ok=True)
        cmd = [npm, "i", "-E", f"axe-core@{AXE_VERSION}", "--prefix", str(AXE_DIR),
               "--no-audit", "--no-fund"]
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=180)
        if done.returncode or not AXE_JS.exists():
            pytest.skip(f"npm could not install axe-core@{AXE_VERSION}: {done.stderr[-500:]}")
    return AXE_JS.read_text("utf-8")


def scan(page, axe_source):
    """Run axe in the page (evaluate is not subject to the page's CSP) and return violations."""
    page.evaluate(axe_source)
    opts = {"runOnly": {"type": "tag", "values": TAGS}}
    result = page.evaluate("opts => axe.run(document, opts)", opts)
    return [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
            for v in result["violations"]]


def visit_all(page, axe_source, extra=()):
    problems = {}
    page.goto(page.base + "/")
    for hash_ in [*SCREENS, *extra]:
        page.goto(page.base + "/" + hash_)
        page.wait_for_load_state("networkidle")
        expect(page.locator(".loading")).to_have_count(0)
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
