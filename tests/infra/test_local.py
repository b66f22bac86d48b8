"""The one-machine stack: one origin, security headers, workers, data that survives a restart."""
from __future__ import annotations

import json
import threading
import time
import urllib.request

import pytest
from werkzeug.serving import make_server

from infra import local


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("local-stack")


def serve(stack):
    httpd = make_server("127.0.0.1", 0, local.one_origin(stack.app), threaded=True)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_port}"


def get(url, headers=None):
    req = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(req, timeout=10) as resp:
        return resp.status, dict(resp.headers), resp.read()


def test_stack_serves_api_and_pwa_on_one_origin_and_keeps_data(data_dir):
    with local.Stack(data_dir, schedule_every=3600) as stack:
        httpd, base = serve(stack)
        try:
            status, _, body = get(f"{base}/api/v1/health")
            assert status == 200 and json.loads(body)["catalogue_version"] >= 1
            status, headers, body = get(f"{base}/")
            assert status == 200 and b"<html" in body.lower()
            assert "script-src 'self'" in headers["Content-Security-Policy"]
            assert "unsafe-inline" not in headers["Content-Security-Policy"]
            status, _, shell = get(f"{base}/matter/441400-GJJ-0001")  # client-side route
            assert status == 200 and shell == body
            status, headers, _ = get(f"{base}/sw.js", {"Accept-Encoding": "gzip"})
            assert headers["Cache-Control"] == "no-cache"
            assert headers.get("Content-Encoding") == "gzip"
            with pytest.raises(urllib.error.HTTPError) as err:
                get(f"{base}/../../etc/passwd.txt")
            assert err.value.code == 404

            # An officer publishes through the queue; the local worker picks the job up.
            token = local.mint_token(stack.private_key, subject="editor", roles=[
                "catalogue_admin"])
            req = urllib.request.Request(f"{base}/api/v1/officer/catalogue/publish",
                                         method="POST",
                                         headers={"Authorization": f"Bearer {token}"})
            assert urllib.request.urlopen(req, timeout=10).status == 202
            for _ in range(100):
                version = json.loads(get(f"{base}/api/v1/officer/catalogue",
                                         {"Authorization": f"Bearer {token}"})[2])["version"]
                if version >= 2:
                    break
                time.sleep(0.2)
            assert version == 2
        finally:
            httpd.shutdown()

    with local.Stack(data_dir, schedule_every=3600) as again:  # a restart keeps the data
        httpd, base = serve(again)
        try:
            assert json.loads(get(f"{base}/api/v1/health")[2])["catalogue_version"] == 2
        finally:
            httpd.shutdown()
