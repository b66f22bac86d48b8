"""Plumbing: masking, JSON logs with request ids, cursors, token checks, settings."""
from __future__ import annotations

import io
import json
import logging

import pytest

from functions.core import log
from functions.settings import Settings


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
    s = Settings.from_env({"HALL_TABLE": "t", "HALL_STAGE": "prod"})
    assert s.table_name == "t" and s.jwt_keys_param == "/hall/prod/jwt-keys"
    with pytest.raises(AttributeError):
        s.table_name = "other"


def test_json_responses_are_not_cached_and_carry_security_headers(client):
    assert client.get("/api/v1/regions").headers["Cache-Control"] == "public, max-age=60"
    resp = client.get("/api/v1/themes?audience=x")
    assert resp.headers["Cache-Control"] == "no-store"
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
