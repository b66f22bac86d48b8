"""The service worker's cache version follows the content of the files it serves.

    python pwa/tools/stamp.py          rewrite the version in pwa/sw.js, index.html, offline.html
    python pwa/tools/stamp.py --check  exit 1 when the recorded version is stale

The version is "c" + the first 12 hex digits of a SHA-256 over every file the worker serves
(PAGES, ASSETS and LAZY_ASSETS of sw.js: path and bytes, in list order) and over sw.js itself,
with the version neutralised everywhere (sw.js's VERSION line left out, every `/v/<version>/`
read as `/v/VERSION/`), so the hash never depends on itself. Assets live under `/v/<version>/`:
one page loads every module from one version, and a page of an older version still finds its
own (the publish step keeps older versions: `site_files()` lists what goes where).
"""
from __future__ import annotations

import hashlib
import re
import sys
from pathlib import Path

PWA = Path(__file__).resolve().parents[1]
SW = PWA / "sw.js"
VERSION_LINE = re.compile(r"^const VERSION = '([^']*)';$", re.M)
VERSIONED = re.compile(r"(?<=[\"'])/v/\w+/")  # at the start of a quoted URL
HTML = ("index.html", "offline.html")  # they name the versioned assets
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"  # pages, the worker, the manifest: always asked again (a 304 is cheap)
SHORT = "public, max-age=300"


def _list(sw_text: str, name: str) -> list[str]:
    block = re.search(rf"const {name} = \[(.*?)\];", sw_text, re.S).group(1)
    return re.findall(r"'([^']+)'", block)


def pages(sw_text: str) -> list[str]:
    """Files at fixed URLs (the page, offline page, manifest, icon)."""
    return _list(sw_text, "PAGES")


def assets(sw_text: str) -> list[str]:
    """Paths served under /v/<version>/ and precached at install."""
    return _list(sw_text, "ASSETS")


def lazy_assets(sw_text: str) -> list[str]:
    """Paths served under /v/<version>/, cached when first used (account and staff screens)."""
    return _list(sw_text, "LAZY_ASSETS")


def shell_files(sw_text: str) -> list[str]:
    """Every file the worker serves, by its path in pwa/ ('/' is index.html)."""
    return pages(sw_text) + ["/" + p for p in assets(sw_text) + lazy_assets(sw_text)]


def _local(url: str, root: Path) -> Path:
    return root / ("index.html" if url == "/" else url.lstrip("/"))


def neutral(data: bytes) -> bytes:
    return VERSIONED.sub("/v/VERSION/", data.decode("utf-8")).encode("utf-8")


def content_version(sw_text: str, root: Path = PWA) -> str:
    digest = hashlib.sha256(VERSION_LINE.sub("", sw_text).encode())
    for url in shell_files(sw_text):
        path = _local(url, root)
        data = path.read_bytes()
        if path.name in HTML:
            data = neutral(data)
        digest.update(b"\0" + url.encode() + b"\0" + data)
    return "c" + digest.hexdigest()[:12]


def recorded_version(sw_text: str) -> str:
    return VERSION_LINE.search(sw_text).group(1)


def html_versions(root: Path = PWA) -> set[str]:
    """The versions index.html and offline.html name in their asset URLs."""
    found = set()
    for name in HTML:
        found |= {m[3:-1] for m in VERSIONED.findall((root / name).read_text("utf-8"))}
    return found


def site_files(root: Path = PWA) -> list[tuple[str, Path, str]]:
    """What the publish step uploads: (key in the site bucket, local file, Cache-Control).

    Versioned assets go under `v/<version>/` and are immutable; the caller must keep the keys
    of older versions (a page opened before a deployment still loads its own modules). The
    same assets stay at their old plain keys too, briefly cached, for clients from before the
    versioned paths. Call after stamping (main() or --check): the version is read from sw.js.
    """
    sw_text = (root / "sw.js").read_text("utf-8")
    version = recorded_version(sw_text)
    out = [("sw.js", root / "sw.js", REVALIDATE)]
    for url in pages(sw_text):
        key = "index.html" if url == "/" else url.lstrip("/")
        fixed = key.endswith((".html", ".webmanifest"))
        out.append((key, _local(url, root), REVALIDATE if fixed else SHORT))
    for rel in assets(sw_text) + lazy_assets(sw_text):
        out.append((f"v/{version}/{rel}", root / rel, IMMUTABLE))
        out.append((rel, root / rel, SHORT))
    for icon in sorted((root / "icons").glob("*.png")):
        out.append((f"icons/{icon.name}", icon, SHORT))
    return out


def main(argv: list[str]) -> int:
    text = SW.read_text(encoding="utf-8")
    want = content_version(text)
    if "--check" in argv:
        stale = recorded_version(text) != want or html_versions() != {want}
        if stale:
            print(f"pwa/sw.js VERSION is {recorded_version(text)}, the pages name "
                  f"{sorted(html_versions())}, the files say {want}: run python pwa/tools/stamp.py",
                  file=sys.stderr)
            return 1
        return 0
    SW.write_text(VERSION_LINE.sub(f"const VERSION = '{want}';", text, count=1), encoding="utf-8")
    for name in HTML:
        page = PWA / name
        old = page.read_text("utf-8")
        new = VERSIONED.sub(f"/v/{want}/", old)
        if new != old:
            page.write_text(new, encoding="utf-8")
    print(want)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
