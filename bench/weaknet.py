"""Weak network: bytes over the wire and time to the first heading, cold and warm, in Chromium.

The profile is a rural phone's: 400 ms latency, 400 kbps down and up (50,000 bytes/s), CPU 4x
slower (CDP Emulation.setCPUThrottlingRate). The network is a shaping proxy in front of the
local stack rather than CDP's Network.emulateNetworkConditions, because CDP throttles only the
page it is attached to, not its service worker, whose precache is what a first visit pays for;
the proxy delays and meters both alike (200 ms each way per round trip, one shared link), and
counts every byte that crosses it: HTTP/1.1 headers and bodies, as sent (gzip). The page's own
share is also summed from CDP (Network.loadingFinished encodedDataLength) as a cross-check.

    python bench/weaknet.py [--url http://127.0.0.1:8000]   (default: starts its own stack)
    python bench/weaknet.py --check                           (exit 1 over the 80 KB budget)

A visit is over when the service worker controls the page and nothing crossed the wire for
1.5 s (on a warm visit, also after the browser's own check of /sw.js, which comes a few
seconds later). "cold" is an empty profile; "warm" is the next visit of the same profile.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")
BUDGET = 80 * 1024
LATENCY_MS = 400
RATE = 50_000  # bytes per second, each direction
CPU = 4
IDLE_S = 1.5
REQUEST_LINE = re.compile(rb"(?:GET|HEAD|POST|PUT|PATCH|DELETE) \S+ HTTP/1\.[01]")

# Records when a heading inside <main> first shows, and each text it shows (init script: CSP-free).
WATCH_H1 = """
(() => {
  const seen = [];
  window.__h1 = seen;
  const look = () => {
    const h = [...document.querySelectorAll('main h1')].find((el) => el.getClientRects().length
      && el.checkVisibility() && el.textContent.trim());
    const text = h && h.textContent.trim();
    const last = seen.length ? seen[seen.length - 1][1] : null;
    if (text && text !== last) seen.push([performance.now(), text]);
    if (seen.length < 20) requestAnimationFrame(look);
  };
  requestAnimationFrame(look);
})();
"""


class Wire:
    """A TCP proxy to 127.0.0.1:upstream that meters (and, given a latency or rate, shapes) the
    traffic: `down` and `up` count bytes; `last` is when a byte last crossed (time.monotonic)."""

    def __init__(self, upstream: int, latency_ms: float = 0, rate: float | None = None):
        self.upstream, self.one_way, self.rate = upstream, latency_ms / 2000, rate
        self.down = self.up = 0
        self.requests: list[str] = []  # request lines seen going up ("GET /sw.js HTTP/1.1")
        self.last = time.monotonic()
        self._free = {"down": 0.0, "up": 0.0}  # when each direction of the one link is free again
        self.loop = asyncio.new_event_loop()
        ready = threading.Event()
        threading.Thread(target=self._run, args=(ready,), daemon=True).start()
        ready.wait()

    def _run(self, ready):
        asyncio.set_event_loop(self.loop)
        self.server = self.loop.run_until_complete(
            asyncio.start_server(self._client, "127.0.0.1", 0))
        self.port = self.server.sockets[0].getsockname()[1]
        ready.set()
        self.loop.run_forever()

    def reset(self) -> None:
        self.down = self.up = 0
        self.last = time.monotonic()

    def quiet_for(self) -> float:
        return time.monotonic() - self.last

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)

    async def _client(self, reader, writer):
        try:
            up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.upstream)
        except OSError:
            writer.close()
            return
        await asyncio.gather(self._pump(reader, up_writer, "up"),
                             self._pump(up_reader, writer, "down"), return_exceptions=True)

    async def _pump(self, reader, writer, way: str):
        queue: asyncio.Queue = asyncio.Queue()

        async def deliver():
            while (item := await queue.get()) is not None:
                at, chunk = item
                await asyncio.sleep(max(0.0, at - self.loop.time()))
                writer.write(chunk)
                await writer.drain()
                setattr(self, way, getattr(self, way) + len(chunk))
                self.last = time.monotonic()
            writer.close()

        task = asyncio.create_task(deliver())
        try:
            while chunk := await reader.read(16384):
                now = self.loop.time()
                start = max(now, self._free[way])
                self._free[way] = start + (len(chunk) / self.rate if self.rate else 0)
                self.last = time.monotonic()
                if way == "up":
                    self.requests += [m.decode("latin-1") for m in REQUEST_LINE.findall(chunk)]
                queue.put_nowait((self._free[way] + self.one_way, chunk))
        except (ConnectionError, OSError):
            pass
        queue.put_nowait(None)
        await task


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "/api/v1/health", timeout=2) as res:
            return res.status == 200
    except OSError:
        return False


def start_stack() -> tuple[subprocess.Popen, str]:
    port = free_port()
    data = tempfile.mkdtemp(prefix="weaknet-")
    proc = subprocess.Popen([sys.executable, "-m", "infra.local", "--port", str(port),
                             "--data-dir", data], cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180
    while not healthy(url):
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            sys.exit("weaknet: the local stack did not start")
        time.sleep(0.5)
    return proc, url


def a_guide(url: str) -> dict:
    with urllib.request.urlopen(url + "/api/v1/matters?q=%E5%85%AC%E7%A7%AF%E9%87%91&limit=1") as r:
        return json.load(r)["items"][0]


def settle(page, wire: Wire, timeout_s: float = 120) -> None:
    """Until the service worker controls the page and the wire has been quiet for IDLE_S."""
    deadline = time.monotonic() + timeout_s
    ready = "navigator.serviceWorker.ready.then(() => !!navigator.serviceWorker.controller)"
    while not page.evaluate(ready):
        if time.monotonic() > deadline:
            raise RuntimeError("the service worker never took control")
        page.wait_for_timeout(200)
    while wire.quiet_for() < IDLE_S:
        if time.monotonic() > deadline:
            raise RuntimeError("the wire never went quiet")
        page.wait_for_timeout(250)


def visit(context, base: str, path: str, wire: Wire, want: str | None = None) -> dict:
    """One visit: bytes over the wire (total, and the page's own by CDP), the first heading's
    time and the time the wanted heading showed, and whether the HTML came from the worker."""
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU})
    page_bytes = [0]
    cdp.on("Network.loadingFinished",
           lambda e: page_bytes.__setitem__(0, page_bytes[0] + e["encodedDataLength"]))
    page.add_init_script(WATCH_H1)
    wire.reset()
    seen_before = len(wire.requests)
    res = page.goto(base + path, wait_until="commit")
    page.locator("main h1:visible").first.wait_for(timeout=120_000)
    if want:
        page.locator("main h1", has_text=want).wait_for(timeout=120_000)
    page.wait_for_timeout(300)
    settle(page, wire)
    if res.from_service_worker:  # the browser's own version check follows, in the background
        for _ in range(100):
            if any(" /sw.js" in r for r in wire.requests[seen_before:]):
                break
            page.wait_for_timeout(200)
        settle(page, wire)
    seen = page.evaluate("window.__h1")
    wanted = next((t for t, text in seen if want and text == want), None)
    out = {"bytes": wire.down + wire.up, "down": wire.down, "page": page_bytes[0],
           "h1_ms": seen[0][0] if seen else None, "h1": seen[0][1] if seen else None,
           "wanted_ms": wanted, "html_from_sw": res.from_service_worker}
    page.close()
    return out


def measure(base: str, latency_ms: float = LATENCY_MS, rate: float | None = RATE) -> list[dict]:
    from playwright.sync_api import sync_playwright

    upstream = int(base.rsplit(":", 1)[1])
    wire = Wire(upstream, latency_ms, rate)
    proxied = f"http://127.0.0.1:{wire.port}"
    guide = a_guide(base)
    rows = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=[
                "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run"])
            for name, path, want in (("home", "/", None),
                                     ("guide", f"/#/matters/{guide['code']}", guide["name"])):
                context = browser.new_context(viewport={"width": 390, "height": 844},
                                              locale="zh-CN", service_workers="allow")
                for when in ("cold", "warm"):
                    rows.append({"screen": name, "visit": when,
                                 **visit(context, proxied, path, wire, want)})
                context.close()
            browser.close()
    finally:
        wire.close()
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench/weaknet.py")
    parser.add_argument("--url", help="a running local stack (default: start one)")
    parser.add_argument("--check", action="store_true", help="exit 1 over the first-visit budget")
    args = parser.parse_args(argv)
    proc = None
    base = args.url.rstrip("/") if args.url else None
    if not base:
        proc, base = start_stack()
    try:
        rows = measure(base)
    finally:
        if proc:
            proc.terminate()
            proc.wait(timeout=15)
    print(f"weak network: {LATENCY_MS} ms, {RATE * 8 // 1000} kbps, CPU {CPU}x  "
          f"(budget: first visit <= {BUDGET // 1024} KB, both ways)")
    print(f"{'screen':8}{'visit':6}{'KB wire':>9}{'KB down':>9}{'KB page':>9}"
          f"{'1st h1 ms':>11}{'its h1 ms':>11}  html from SW")
    for r in rows:
        wanted = r["wanted_ms"] if r["wanted_ms"] is not None else r["h1_ms"]
        print(f"{r['screen']:8}{r['visit']:6}{r['bytes'] / 1024:9.1f}{r['down'] / 1024:9.1f}"
              f"{r['page'] / 1024:9.1f}"
              f"{r['h1_ms']:11.0f}{wanted:11.0f}  {r['html_from_sw']}  ({r['h1']})")
    over = [r for r in rows if r["visit"] == "cold" and r["bytes"] > BUDGET]
    return 1 if args.check and over else 0


if __name__ == "__main__":
    sys.exit(main())
