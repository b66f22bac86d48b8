"""The security headers on every answer: every operation of openapi.yaml (anonymous and with a
token, successes and refusals), an unknown path, a wrong method, and every file the PWA serves
through the local one-origin server; HSTS outside the local stage; CORS for the PWA's origin
alone."""
from __future__ import annotations

import dataclasses
import re

import pytest
from werkzeug.test import Client

from tests.helpers import SPEC

METHODS = ("get", "post", "put", "delete", "patch")
PWA_ORIGIN = "https://hall.meizhou.example"
# Plausible values for each path parameter: a real code where one exists, so some answers
# are successes; an unknown id is a refusal, whose headers count as much.
PARAMS = {"code": "441400-RSJ-0015", "app_id": "MZ20260101999999", "year": "2031",
          "name": "search-misses", "upload": "u-1990320"}
SUBJECT = "hdr-1990320"


def operations() -> list[tuple[str, str, str]]:
    """(method, url, operationId) of every operation in the spec, parameters filled."""
    out = []
    for path, item in SPEC["paths"].items():
        url = re.sub(r"{(\w+)}", lambda m: PARAMS.get(m.group(1), "x1990320"), path)
        out += [(m, url, op["operationId"]) for m, op in item.items() if m in METHODS]
    return out


def assert_api_headers(resp, where: str, *, hsts: bool) -> None:
    h = resp.headers
    assert h.get("X-Content-Type-Options") == "nosniff", where
    assert h.get("Referrer-Policy") == "strict-origin-when-cross-origin", where
    assert h.get("X-Frame-Options") == "DENY", where
    csp = h.get("Content-Security-Policy", "")
    assert "frame-ancestors 'none'" in csp, (where, csp)
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, (where, csp)
    assert ("Strict-Transport-Security" in h) is hsts, (where, h.get("Strict-Transport-Security"))
    if hsts:
        assert re.fullmatch(r"max-age=(\d+); includeSubDomains",
                            h["Strict-Transport-Security"]).group(1) >= "31536000", where


def walk(client, token, *, hsts: bool, with_token: bool = True) -> int:
    """Every operation, anonymously and with a token (GET: every staff role; writes: a
    citizen's, so no staff write happens here), each answer's headers checked."""
    if not with_token:
        token = lambda *roles, **claims: {}  # noqa: E731
    staff = token("citizen", "officer", "head", "window", "supervisor", "admin",
                  "catalogue_admin", department="RSJ", region="441400", subject=SUBJECT)
    citizen = token("citizen", subject=SUBJECT, kind="person")
    statuses = set()
    for method, url, op_id in operations():
        for headers in ({}, staff if method == "get" else citizen):
            resp = client.open(url, method=method.upper(), headers=headers,
                               json=None if method in ("get", "delete") else {})
            assert resp.status_code < 500, (method, url, resp.status_code)
            assert_api_headers(resp, f"{method} {url} ({op_id}) -> {resp.status_code}",
                               hsts=hsts)
            statuses.add(resp.status_code // 100)
    for method, url in (("GET", "/api/v1/no-such-room"), ("DELETE", "/api/v1/regions"),
                        ("GET", "/.well-known/nothing")):
        resp = client.open(url, method=method)
        assert resp.status_code in (404, 405), (url, resp.status_code)
        assert_api_headers(resp, f"{method} {url}", hsts=hsts)
        assert resp.get_json()["error"]["code"] in ("not_found", "method_not_allowed")
    return len(statuses)


def test_every_operation_answers_with_the_security_headers_and_no_hsts_locally(client, token):
    assert walk(client, token, hsts=False) >= 2  # successes and refusals both seen


@pytest.fixture(scope="module")
def prod_app(settings):
    from functions.app import create_app

    app = create_app(dataclasses.replace(settings, stage="prod"))
    app.config["TESTING"] = True
    return app


def test_a_deployed_stage_adds_hsts_to_every_answer(prod_app, token):
    """The same after_request hook as above: anonymous callers suffice to see every route
    (public answers and refusals), with a token for three of them."""
    client = prod_app.test_client()
    assert walk(client, token, hsts=True, with_token=False) >= 2
    staff = token("officer", department="RSJ", region="441400", subject=SUBJECT)
    for url in ("/api/v1/me", "/api/v1/officer/applications", "/api/v1/wallet"):
        assert_api_headers(client.get(url, headers=staff), url, hsts=True)


# ---- CORS -----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def cors_client(settings):
    from functions.app import create_app

    return create_app(dataclasses.replace(settings, pwa_origin=PWA_ORIGIN)).test_client()


@pytest.mark.parametrize("origin", ["https://evil.example", "null", PWA_ORIGIN + ".evil.example",
                                    "http://hall.meizhou.example", PWA_ORIGIN.upper()])
def test_cors_answers_the_pwa_origin_alone(cors_client, token, origin):
    citizen = token("citizen", subject=SUBJECT, kind="person")
    for method, url, _ in operations():
        ask = {"Access-Control-Request-Method": method.upper(),
               "Access-Control-Request-Headers": "authorization, content-type"}
        pre = cors_client.options(url, headers={"Origin": PWA_ORIGIN, **ask})
        assert pre.status_code == 204 and pre.headers["Access-Control-Allow-Origin"] == PWA_ORIGIN
        assert method.upper() in pre.headers["Access-Control-Allow-Methods"], url
        other = cors_client.options(url, headers={"Origin": origin, **ask})
        assert not [k for k, _ in other.headers if k.startswith("Access-Control-")], url
    for url, headers in (("/api/v1/regions", {}), ("/api/v1/me", citizen),
                         ("/api/v1/no-such-room", {}), ("/api/v1/officer/applications", citizen)):
        real = cors_client.get(url, headers={"Origin": PWA_ORIGIN, **headers})
        assert real.headers["Access-Control-Allow-Origin"] == PWA_ORIGIN, url
        assert "Origin" in real.headers.get("Vary", ""), url
        foreign = cors_client.get(url, headers={"Origin": origin, **headers})
        assert not [k for k, _ in foreign.headers if k.startswith("Access-Control-")], url


# ---- the PWA through the one-origin server ----------------------------------------------------

def pwa_paths() -> list[str]:
    """What the publish step uploads (versioned paths included) and every file under pwa/."""
    from pwa.tools import stamp

    on_disk = {p.relative_to(stamp.PWA).as_posix() for p in stamp.PWA.rglob("*")
               if p.is_file() and "tools" not in p.parts and "__pycache__" not in p.parts}
    return sorted("/" + key for key in on_disk | {k for k, _, _ in stamp.site_files()})


@pytest.fixture(scope="module")
def site(app, stack):
    from infra import local

    return Client(local.one_origin(app, uploads_origin=stack["endpoint"]))


def assert_page_headers(resp, where: str) -> None:
    h = resp.headers
    assert h.get("X-Content-Type-Options") == "nosniff", where
    assert h.get("Referrer-Policy") == "strict-origin-when-cross-origin", where
    assert h.get("X-Frame-Options") == "DENY", where
    csp = {d.split()[0]: d.split()[1:] for d in h["Content-Security-Policy"].split("; ")}
    assert csp["frame-ancestors"] == ["'none'"], where
    assert csp["script-src"] == ["'self'"] and csp["style-src"] == ["'self'"], where
    assert not [v for vs in csp.values() for v in vs if "unsafe" in v or v == "*"], where
    # Plain http on loopback: a browser ignores HSTS there, and the local stage never sends it.
    assert "Strict-Transport-Security" not in h, where


def test_every_file_the_pwa_serves_carries_the_pages_headers(site):
    paths = pwa_paths()
    kinds = {p.rsplit(".", 1)[-1] for p in paths}
    assert {"html", "js", "css", "webmanifest", "png"} <= kinds, kinds
    assert "/sw.js" in paths and "/offline.html" in paths and "/index.html" in paths
    version = re.search(r"^const VERSION = '(\w+)';$",
                        site.get("/sw.js").get_data(as_text=True), re.M).group(1)
    for path in paths + [f"/v/{version}/js/app.js", "/", "/some/client/route"]:
        resp = site.get(path)
        assert resp.status_code == 200, (path, resp.status_code)
        assert_page_headers(resp, path)
        if path.endswith(".html") or "." not in path.rsplit("/", 1)[-1]:
            meta = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"',
                             resp.get_data(as_text=True))
            if meta:  # the shell's <meta> copy: no inline code allowed either
                assert "unsafe" not in meta.group(1), path
    for method, path, status in (("GET", "/js/nothing.js", 404), ("POST", "/index.html", 405),
                                 ("GET", "/api/v1/regions", 200)):
        resp = site.open(path, method=method)
        assert resp.status_code == status, (method, path, resp.status_code)
        assert resp.headers["X-Content-Type-Options"] == "nosniff", path
        assert resp.headers["X-Frame-Options"] == "DENY", path
        assert "frame-ancestors 'none'" in resp.headers["Content-Security-Policy"], path


def test_the_deployed_site_and_api_policies_carry_every_header():
    """The CDN's two header policies (the template), and infra/site.py over HTTPS."""
    import yaml

    from infra import site
    from tests.helpers import ROOT

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("!", lambda loader, suffix, node: loader.construct_scalar(node)
                                 if isinstance(node, yaml.ScalarNode) else None)
    resources = yaml.load((ROOT / "infra/template.yaml").read_text("utf-8"),
                          Loader=Loader)["Resources"]
    for name in ("SiteHeadersPolicy", "ApiHeadersPolicy"):
        cfg = resources[name]["Properties"]["ResponseHeadersPolicyConfig"][
            "SecurityHeadersConfig"]
        assert cfg["StrictTransportSecurity"]["AccessControlMaxAgeSec"] >= 31536000, name
        assert cfg["FrameOptions"]["FrameOption"] == "DENY", name
        assert cfg["ContentTypeOptions"] == {"Override": True}, name
        assert cfg["ReferrerPolicy"]["ReferrerPolicy"] == "strict-origin-when-cross-origin"
    page = resources["SiteHeadersPolicy"]["Properties"]["ResponseHeadersPolicyConfig"][
        "SecurityHeadersConfig"]["ContentSecurityPolicy"]["ContentSecurityPolicy"]
    assert "unsafe" not in page and "frame-ancestors 'none'" in page
    deployed = dict(site.headers(site.materials_origin("hall-prod-materials", "cn-north-1"),
                                 https=True))
    assert deployed["Strict-Transport-Security"].startswith("max-age=63072000")
    assert "unsafe" not in deployed["Content-Security-Policy"]
