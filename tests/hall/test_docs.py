"""The published contract: openapi.yaml served as it is, and the docs page with its own CSP
(scripts by hash only, nothing inline) and its vendored files."""
from __future__ import annotations

import base64
import hashlib
import re

import yaml

from tests.helpers import SPEC_PATH


def test_the_spec_is_served_as_it_is(client):
    resp = client.get("/api/v1/openapi.yaml")
    assert resp.status_code == 200 and resp.mimetype == "application/yaml"
    assert resp.data == SPEC_PATH.read_bytes()
    assert yaml.safe_load(resp.data)["paths"]["/api/v1/openapi.yaml"]["get"].get("security") is None


def test_the_docs_page_has_a_csp_of_its_own_allowing_exactly_its_scripts(client):
    resp = client.get("/api/docs")
    assert resp.status_code == 200 and resp.mimetype == "text/html"
    csp = dict(d.strip().split(" ", 1) for d in resp.headers["Content-Security-Policy"].split(";"))
    assert csp["default-src"] == "'none'" and csp["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in resp.headers["Content-Security-Policy"]
    assert "unsafe-eval" not in resp.headers["Content-Security-Policy"]
    html = resp.get_data(as_text=True)
    assert "<style" not in html and " style=" not in html
    scripts = re.findall(r'<script src="([^"]+)" integrity="([^"]+)"></script>', html)
    assert [s for s, _ in scripts] == ["docs/assets/swagger-ui-bundle.js", "docs/assets/docs.js"]
    assert re.search(r"<script>", html) is None                         # no inline script
    allowed = set(csp["script-src"].split())
    for src, integrity in scripts:
        body = client.get(f"/api/{src}").data
        digest = "sha384-" + base64.b64encode(hashlib.sha384(body).digest()).decode()
        assert integrity == digest and f"'{digest}'" in allowed
    assert len(allowed) == 2
    css = re.search(r'<link rel="stylesheet" href="([^"]+)" integrity="([^"]+)">', html)
    assert css and client.get(f"/api/{css.group(1)}").mimetype == "text/css"


def test_the_vendored_files_and_their_licence_are_served_and_nothing_else(client):
    lic = client.get("/api/docs/assets/LICENSE")
    assert lic.status_code == 200 and b"Apache License" in lic.data
    js = client.get("/api/docs/assets/swagger-ui-bundle.js")
    assert js.mimetype == "text/javascript" and b"SwaggerUIBundle" in js.data
    for name in ("docs.html", "..%2Fdocs.py", "README.md", "x.js"):
        resp = client.get(f"/api/docs/assets/{name}")
        assert resp.status_code == 404 and resp.get_json()["error"]["code"]


def test_docs_need_no_token(client):
    for url in ("/api/v1/openapi.yaml", "/api/docs", "/api/docs/assets/docs.js"):
        assert client.get(url).status_code == 200
