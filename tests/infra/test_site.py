"""infra/site.py: one CSP for the CDN, the local server and the publish step, naming one bucket."""
from __future__ import annotations

import re

import pytest
from werkzeug.test import Client

from infra import local, site

EMULATOR = "http://127.0.0.1:45123"
BUCKET = "hall-prod-materials-123456789012"


def directives(policy: str) -> dict[str, list[str]]:
    out = {}
    for part in filter(None, (p.strip() for p in policy.split(";"))):
        name, *values = part.split()
        out[name] = values
    return out


def test_the_policy_names_self_and_the_one_materials_origin_only():
    origin = site.materials_origin(BUCKET, "cn-north-1")
    assert origin == f"https://{BUCKET}.s3.cn-north-1.amazonaws.com.cn"
    d = directives(site.csp(origin))
    assert d["img-src"] == ["'self'", "data:", origin]
    assert d["frame-src"] == [origin]
    assert d["connect-src"] == ["'self'", origin]
    for name in ("default-src", "script-src", "style-src", "manifest-src", "worker-src"):
        assert d[name] == ["'self'"], name
    assert d["object-src"] == d["font-src"] == d["base-uri"] == ["'none'"]
    assert d["frame-ancestors"] == ["'none'"]
    assert "unsafe-inline" not in site.csp(origin) and "*" not in site.csp(origin)
    # Without an origin: nothing beyond the site, and no frames at all.
    bare = directives(site.csp(""))
    assert bare["frame-src"] == ["'none'"] and bare["connect-src"] == ["'self'"]
    # The <meta> element cannot carry frame-ancestors (browsers ignore it there).
    assert "frame-ancestors" not in site.csp(origin, meta=True)
    assert site.csp(origin, meta=True) + "; frame-ancestors 'none'" == site.csp(origin)


@pytest.mark.parametrize("bad", [
    "https://*.amazonaws.com", "http://127.0.0.1:*", "http://localhost:*", "https://a.b/path",
    "http://hall.example.cn", "https://a.b https://c.d", "'unsafe-inline'", "*"])
def test_a_wildcard_a_path_or_plain_http_off_loopback_is_refused(bad):
    with pytest.raises(ValueError):
        site.csp(bad)


@pytest.mark.parametrize("region,host", [
    ("ap-east-1", f"{BUCKET}.s3.ap-east-1.amazonaws.com"),
    ("us-east-1", f"{BUCKET}.s3.us-east-1.amazonaws.com"),
    ("cn-north-1", f"{BUCKET}.s3.cn-north-1.amazonaws.com.cn"),
    ("cn-northwest-1", f"{BUCKET}.s3.cn-northwest-1.amazonaws.com.cn")])
def test_the_functions_presign_against_the_origin_the_policy_names(monkeypatch, region, host):
    from functions.core import aws

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    s3 = aws._client("s3", region, "")
    post = s3.generate_presigned_post(Bucket=BUCKET, Key="uploads/x", ExpiresIn=60)
    view = s3.generate_presigned_url("get_object", Params={"Bucket": BUCKET, "Key": "k"})
    origin = site.materials_origin(BUCKET, region)
    assert origin == f"https://{host}"
    assert post["url"].rstrip("/") == origin
    assert view.startswith(origin + "/")
    aws.reset()


def test_the_source_page_names_only_self():
    page = (local.PWA / "index.html").read_text("utf-8")
    policy = site.meta_csp(page)
    assert policy == site.csp("", meta=True)
    assert not re.search(r"127\.0\.0\.1|localhost|amazonaws|\*", policy)


def test_the_meta_policy_is_rewritten_once_or_refused():
    page = b'<head><meta http-equiv="Content-Security-Policy" content="x"></head>'
    out = site.with_meta_csp(page, EMULATOR).decode()
    assert site.meta_csp(out) == site.csp(EMULATOR, meta=True)
    with pytest.raises(ValueError):
        site.with_meta_csp(b"<head></head>", EMULATOR)
    with pytest.raises(ValueError):
        site.with_meta_csp(page + page, EMULATOR)


def _api(environ, start_response):
    start_response("200 OK", [("Content-Type", "application/json")])
    return [b"{}"]


@pytest.mark.parametrize("path", ["/", "/index.html", "/verify/" + "ab" * 16])
def test_the_local_servers_header_and_meta_policy_agree_on_the_emulator(path):
    before = (local.PWA / "index.html").read_bytes()
    resp = Client(local.one_origin(_api, uploads_origin=EMULATOR)).get(path)
    assert resp.status_code == 200
    header = resp.headers["Content-Security-Policy"]
    meta = site.meta_csp(resp.get_data(as_text=True))
    assert header == site.csp(EMULATOR)
    assert meta + "; frame-ancestors 'none'" == header
    for policy in (header, meta):
        assert EMULATOR in policy  # the emulator's exact port, and nothing else beyond the site
        assert "*" not in policy and "localhost" not in policy and "amazonaws" not in policy
    assert resp.headers["X-Frame-Options"] == "DENY"
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert resp.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert (local.PWA / "index.html").read_bytes() == before  # served rewritten, never written


def test_the_header_carries_hsts_only_over_https():
    assert "Strict-Transport-Security" not in dict(site.headers(EMULATOR))
    hsts = dict(site.headers("", https=True))["Strict-Transport-Security"]
    assert hsts == f"max-age={site.HSTS_SECONDS}; includeSubDomains"
    assert site.HSTS_SECONDS >= 365 * 24 * 3600


def test_the_emulator_keeps_its_port_across_restarts_when_it_is_free(tmp_path):
    import socket

    saved = tmp_path / "emulator-port"
    assert local.steady_port(saved) == 0  # first start: any port
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        port = held.getsockname()[1]
        saved.write_text(str(port))
        held.listen()
        assert local.steady_port(saved) == 0  # taken: any other
    assert local.steady_port(saved) == port  # free again: the same origin as before
    saved.write_text("not a port")
    assert local.steady_port(saved) == 0
