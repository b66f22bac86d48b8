"""The published contract: openapi.yaml as served, and the page that renders it with the
vendored Swagger UI under a Content-Security-Policy of its own. Standard library only."""
from __future__ import annotations

import base64
import hashlib
from functools import cache
from pathlib import Path

from ..core.errors import NotFound

STATIC = Path(__file__).parent / "static" / "docs"
SPEC = Path(__file__).resolve().parents[2] / "openapi.yaml"
ASSETS = {
    "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
    "swagger-ui.css": "text/css; charset=utf-8",
    "docs.js": "text/javascript; charset=utf-8",
    "LICENSE": "text/plain; charset=utf-8",
    "NOTICE": "text/plain; charset=utf-8",
    "swagger-ui-bundle.js.LICENSE.txt": "text/plain; charset=utf-8",
}
SCRIPTS = ("swagger-ui-bundle.js", "docs.js")


@cache
def asset(name: str) -> tuple[bytes, str]:
    """(content, media type) of a vendored file; only the listed ones are served."""
    if name not in ASSETS:
        raise NotFound(f"No file {name} here.")
    return (STATIC / name).read_bytes(), ASSETS[name]


def sri(name: str) -> str:
    return "sha384-" + base64.b64encode(hashlib.sha384(asset(name)[0]).digest()).decode()


@cache
def page() -> tuple[str, str]:
    """(the page, its CSP). Scripts run only when they hash to what ships here (the bundle
    and docs.js, each loaded with a matching integrity attribute); no inline code at all."""
    html = (STATIC / "docs.html").read_text(encoding="utf-8")
    for name in ("swagger-ui.css", *SCRIPTS):
        html = html.replace("{" + name + "}", sri(name))
    scripts = " ".join(f"'{sri(n)}'" for n in SCRIPTS)
    csp = (f"default-src 'none'; script-src {scripts}; style-src 'self'; "
           "img-src 'self' data:; connect-src 'self'; font-src 'self'; "
           "base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
    return html, csp


@cache
def spec() -> bytes:
    return SPEC.read_bytes()
