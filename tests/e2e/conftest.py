"""End-to-end fixtures: the one-machine stack on a free port and a mobile Chromium page."""
import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from tests.stack import healthy, running_hall

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")
CHROME_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]


@pytest.fixture(autouse=True)
def patient_expect():
    """Steps wait on several writes of the local emulator and on its worker, which take
    seconds when the machine is busy: expectations wait up to 20 s instead of 5 s."""
    expect.set_options(timeout=20_000)
    yield
    expect.set_options(timeout=5_000)


@pytest.fixture(scope="session")
def hall_url(tmp_path_factory):
    """Base URL of `python -m infra.local` (or of E2E_BASE_URL when a stack is already running)."""
    if os.environ.get("E2E_BASE_URL"):
        url = os.environ["E2E_BASE_URL"].rstrip("/")
        if not healthy(url):
            pytest.fail(f"E2E_BASE_URL={url} does not answer /api/v1/health")
        yield url
        return
    # Every browser logs in from 127.0.0.1, the demo officer dozens of times a run:
    # the limits (tested in tests/identity) would refuse the suite's own logins.
    with running_hall(tmp_path_factory, env={"HALL_RATE_LIMIT_SCALE": "50"}) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: "
                    "install it (apt-get install chromium) or set E2E_CHROMIUM")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROME_ARGS)
        yield b
        b.close()


@pytest.fixture
def context(browser):
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN",
                              service_workers="allow")
    yield ctx
    ctx.close()


@pytest.fixture
def page(context, hall_url, request):
    """A page on the app; fails the test on uncaught script errors or CSP violations."""
    pg = context.new_page()
    problems = []
    pg.on("pageerror", lambda e: problems.append(f"pageerror: {e}"))
    pg.on("console", lambda m: problems.append(f"console: {m.text}")
          if "Content Security Policy" in m.text else None)
    pg.base = hall_url
    yield pg
    ARTIFACTS.mkdir(exist_ok=True)
    try:
        pg.screenshot(path=str(ARTIFACTS / f"{_safe(request.node.name)}.png"), full_page=True)
    except Exception:  # noqa: BLE001 - a closed page must not hide the test's own result
        pass
    assert not problems, problems


def _safe(name: str) -> str:
    return re.sub(r"[^\w.-]+", "_", name)


@pytest.fixture
def snap(page, request):
    """snap("step"): save an intermediate screenshot named after the test and the step."""
    def take(step: str) -> None:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{_safe(request.node.name)}-{step}.png"
        page.screenshot(path=str(path), full_page=True)
    return take
