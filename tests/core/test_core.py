"""Plumbing: masking, JSON logs with request ids, cursors, token checks, settings."""
from __future__ import annotations

import io
import json
import logging
import time

import jwt
import pytest

from functions.core import log
from functions.settings import Settings
from tests.helpers import ok


@pytest.mark.parametrize("raw,masked", [
    ("441402199001011234", "441402********1234"),
    ("id 44140219900101123X ok", "id 441402********123X ok"),
    ("call 13812345678", "call 138****5678"),
    ("order 1234567", "order 1234567"),
])
def test_personal_data_is_masked(raw, masked):
    assert log.mask(raw) == masked


def test_log_lines_are_json_with_the_request_id_and_masked(client):
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(log.JsonFormatter())
    logger = logging.getLogger("hall")
    logger.addHandler(handler)
    try:
        resp = client.get("/api/v1/matters?q=441402199001011234",
                          headers={"X-Request-Id": "req-12345678"})
    finally:
        logger.removeHandler(handler)
    assert resp.headers["X-Request-Id"] == "req-12345678"
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert lines and all(line["request_id"] == "req-12345678" for line in lines)
    assert "199001011234" not in stream.getvalue()


def test_a_bad_request_id_is_replaced(client):
    resp = client.get("/api/v1/regions", headers={"X-Request-Id": "<script>"})
    assert resp.headers["X-Request-Id"] != "<script>" and len(resp.headers["X-Request-Id"]) == 32


def test_settings_are_read_once_and_frozen():
    s = Settings.from_env({"HALL_TABLE": "t", "HALL_JWT_KEY_K1": "pem\\nline"})
    assert s.table_name == "t" and s.jwt_public_keys == {"k1": "pem\nline"}
    with pytest.raises(AttributeError):
        s.table_name = "other"


def _claims(**over):
    now = int(time.time())
    return {"iss": Settings.jwt_issuer, "aud": Settings.jwt_audience, "sub": "x", "iat": now,
            "nbf": now, "exp": now + 60, "roles": ["catalogue_admin"], **over}


def test_forged_or_stale_tokens_are_refused(client, stack):
    key = stack["key"]
    url = "/api/v1/officer/catalogue"
    good = jwt.encode(_claims(), key, algorithm="ES256", headers={"kid": "dev"})
    ok(client.get(url, headers={"Authorization": f"Bearer {good}"}))
    forged = [
        jwt.encode(_claims(), None, algorithm="none", headers={"kid": "dev"}),
        jwt.encode(_claims(exp=int(time.time()) - 10), key, algorithm="ES256",
                   headers={"kid": "dev"}),
        jwt.encode(_claims(aud="someone-else"), key, algorithm="ES256", headers={"kid": "dev"}),
        jwt.encode(_claims(iss="https://evil.example"), key, algorithm="ES256",
                   headers={"kid": "dev"}),
        jwt.encode(_claims(), key, algorithm="ES256", headers={"kid": "unknown"}),
        good[:-6] + "AAAAAA",
    ]
    for tok in forged:
        body = ok(client.get(url, headers={"Authorization": f"Bearer {tok}"}), 401)
        assert body["error"]["code"] == "unauthorized"


def test_json_responses_are_not_cached_and_carry_security_headers(client):
    assert client.get("/api/v1/regions").headers["Cache-Control"] == "public, max-age=60"
    resp = client.get("/api/v1/themes?audience=x")
    assert resp.headers["Cache-Control"] == "no-store"
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
