"""The service worker's cache version follows the content of the files it serves.

    python pwa/tools/stamp.py          rewrite `const VERSION` in pwa/sw.js from the shell files
    python pwa/tools/stamp.py --check  exit 1 when the recorded version is stale

The version is the first 12 hex digits of a SHA-256 over every file in SHELL_FILES (path and
bytes, in list order) and over sw.js itself with its VERSION line left out: any change to what
the worker serves, or to the worker, gives returning users a new cache.
"""
from __future__ import annotations

import hashlib
import re
import sys
from pathlib import Path

PWA = Path(__file__).resolve().parents[1]
SW = PWA / "sw.js"
VERSION_LINE = re.compile(r"^const VERSION = '([^']*)';$", re.M)


def shell_files(sw_text: str) -> list[str]:
    block = re.search(r"const SHELL_FILES = \[(.*?)\];", sw_text, re.S).group(1)
    return re.findall(r"'([^']+)'", block)


def content_version(sw_text: str, root: Path = PWA) -> str:
    digest = hashlib.sha256(VERSION_LINE.sub("", sw_text).encode())
    for url in shell_files(sw_text):
        path = root / ("index.html" if url == "/" else url.lstrip("/"))
        digest.update(b"\0" + url.encode() + b"\0" + path.read_bytes())
    return "c" + digest.hexdigest()[:12]


def recorded_version(sw_text: str) -> str:
    return VERSION_LINE.search(sw_text).group(1)


def main(argv: list[str]) -> int:
    text = SW.read_text(encoding="utf-8")
    want = content_version(text)
    if "--check" in argv:
        if recorded_version(text) != want:
            print(f"pwa/sw.js VERSION is {recorded_version(text)}, the files say {want}: "
                  "run python pwa/tools/stamp.py", file=sys.stderr)
            return 1
        return 0
    SW.write_text(VERSION_LINE.sub(f"const VERSION = '{want}';", text, count=1), encoding="utf-8")
    print(want)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
