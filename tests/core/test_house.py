"""The house rules every room shares: headers, CORS, hostile input, storage faults by their
code, stages that name themselves, the local server's edges and the job table."""
from __future__ import annotations

import dataclasses
import io
import json
import logging

import pytest
from botocore.exceptions import ClientError, EndpointConnectionError, ParamValidationError
from werkzeug.test import Client

from functions.settings import Settings
from tests.helpers import ok

PWA_ORIGIN = "https://hall.meizhou.example"


@pytest.fixture
def scenario_url(client):
    code = ok(client.get("/api/v1/scenarios"))["items"][0]["code"]
    return f"/api/v1/scenarios/{code}/resolve"


# ---- headers and CORS -----------------------------------------------------------------------

def test_json_responses_forbid_running_and_framing(client):
    for resp in (client.get("/api/v1/regions"), client.get("/api/v1/nothing-here")):
        assert resp.mimetype == "application/json"
        csp = resp.headers["Content-Security-Policy"]
        assert csp == "default-src 'none'; frame-ancestors 'none'"
        assert resp.headers["X-Frame-Options"] == "DENY"


@pytest.fixture(scope="module")
def cors_app(settings):
    from functions.app import create_app

    return create_app(dataclasses.replace(settings, pwa_origin=PWA_ORIGIN))


def test_a_preflight_needs_no_token_and_is_allowed_only_for_the_pwa_origin(cors_app):
    client = cors_app.test_client()
    asked = {"Access-Control-Request-Method": "GET",
             "Access-Control-Request-Headers": "authorization"}
    resp = client.options("/api/v1/me", headers={"Origin": PWA_ORIGIN, **asked})
    assert resp.status_code == 204
    assert resp.headers["Access-Control-Allow-Origin"] == PWA_ORIGIN
    assert "Authorization" in resp.headers["Access-Control-Allow-Headers"]
    other = client.options("/api/v1/me", headers={"Origin": "https://evil.example", **asked})
    assert other.status_code == 204 and "Access-Control-Allow-Origin" not in other.headers
    # The real request still needs its token, and is readable by the PWA's origin.
    real = client.get("/api/v1/me", headers={"Origin": PWA_ORIGIN})
    assert real.status_code == 401 and real.headers["Access-Control-Allow-Origin"] == PWA_ORIGIN
    assert "Access-Control-Allow-Origin" not in client.get(
        "/api/v1/regions", headers={"Origin": "https://evil.example"}).headers


def test_without_a_pwa_origin_no_cross_origin_reads_are_allowed(client):
    resp = client.options("/api/v1/me", headers={"Origin": PWA_ORIGIN,
                                                 "Access-Control-Request-Method": "GET"})
    assert resp.status_code == 204 and "Access-Control-Allow-Origin" not in resp.headers


# ---- hostile input ----------------------------------------------------------------------------

def _post_raw(client, url: str, raw: bytes | str, **kwargs):
    return client.post(url, data=raw, content_type="application/json", **kwargs)


def test_a_lone_surrogate_is_a_400_not_a_500(client, scenario_url):
    for raw in ('{"answers": {"\\ud800": "x"}}', '{"answers": {"q": "\\udfff"}}',
                '{"x": ["ok", "\\ud83d"]}'):
        resp = _post_raw(client, scenario_url, raw)
        assert resp.status_code == 400, raw
        assert resp.get_json()["error"]["code"] == "bad_request"


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e400", "-1e400"])
def test_numbers_that_are_not_finite_are_a_422(client, scenario_url, number):
    resp = _post_raw(client, scenario_url, f'{{"answers": {{"q": {number}}}}}')
    assert resp.status_code == 422, resp.get_data(as_text=True)
    assert resp.get_json()["error"]["code"] == "validation_failed"


def test_a_chunked_body_over_a_megabyte_is_a_413_like_one_with_a_length(client, scenario_url):
    big = b'{"answers": {"q": "' + b"x" * (1024 * 1024 + 10) + b'"}}'
    with_length = _post_raw(client, scenario_url, big)
    assert with_length.status_code == 413
    chunked = client.post(scenario_url, input_stream=io.BytesIO(big),
                          content_type="application/json",
                          headers={"Transfer-Encoding": "chunked"},
                          environ_overrides={"wsgi.input_terminated": True})
    assert chunked.status_code == 413, chunked.get_data(as_text=True)[:300]
    assert chunked.get_json()["error"]["code"] == "request_entity_too_large"
    small = client.post(scenario_url, input_stream=io.BytesIO(b'{"answers": {}}'),
                        content_type="application/json",
                        headers={"Transfer-Encoding": "chunked"},
                        environ_overrides={"wsgi.input_terminated": True})
    assert small.status_code != 413


@pytest.mark.parametrize("raw", [b"q=%ff", b"q=\xff\xfe", b"q=%ed%a0%80", b"region=%c3"])
def test_a_query_string_that_is_not_utf8_is_a_400(client, raw):
    resp = client.get("/api/v1/matters", environ_overrides={"QUERY_STRING": raw.decode("latin-1")})
    assert resp.status_code == 400
    assert resp.get_json()["error"]["message"] == "The query string is not valid UTF-8."
    assert client.get("/api/v1/matters", query_string={"q": "社保"}).status_code == 200


# ---- storage faults by their code --------------------------------------------------------------

def _client_error(code: str, status: int = 400, op: str = "GetItem") -> ClientError:
    return ClientError({"Error": {"Code": code, "Message": "injected"},
                        "ResponseMetadata": {"HTTPStatusCode": status}}, op)


@pytest.fixture
def failing_reads(settings, monkeypatch):
    """fail(exc): every GetItem raises exc (GET /api/v1/me's read of the account; the
    session check is a BatchGetItem, tests/identity/test_request_checks.py)."""
    from functions.core import aws

    ddb = aws.client("dynamodb", settings)

    def fail(exc: Exception) -> None:
        def raiser(*args, **kwargs):
            raise exc
        monkeypatch.setattr(ddb, "get_item", raiser)

    return fail


@pytest.mark.parametrize("exc", [
    _client_error("ThrottlingException"),
    _client_error("ProvisionedThroughputExceededException"),
    _client_error("RequestLimitExceeded"),
    _client_error("InternalServerError", 500),
    _client_error("ServiceUnavailable", 503),
    _client_error("TransactionConflictException"),
    EndpointConnectionError(endpoint_url="https://dynamodb.example"),
])
def test_transient_storage_faults_are_a_503_with_retry_after(client, token, failing_reads, exc):
    headers = token("citizen", subject="fault-citizen", kind="citizen")
    failing_reads(exc)
    resp = client.get("/api/v1/me", headers=headers)
    assert resp.status_code == 503 and resp.headers["Retry-After"] == "2"
    assert resp.get_json()["error"]["code"] == "unavailable"


@pytest.mark.parametrize("exc,aws_code", [
    (_client_error("AccessDeniedException"), "AccessDeniedException"),
    (_client_error("ValidationException"), "ValidationException"),
    (_client_error("ResourceNotFoundException"), "ResourceNotFoundException"),
    (ParamValidationError(report="bad"), "ParamValidationError"),
])
def test_other_storage_errors_are_our_bug_a_500_with_the_request_id(client, token, failing_reads,
                                                                   exc, aws_code):
    headers = token("citizen", subject="fault-citizen", kind="citizen")
    failing_reads(exc)
    seen: list[logging.LogRecord] = []
    handler = logging.Handler(logging.ERROR)
    handler.emit = seen.append  # the hall's loggers do not propagate to caplog's root handler
    logging.getLogger("hall.errors").addHandler(handler)
    try:
        resp = client.get("/api/v1/me", headers={**headers, "X-Request-Id": "fault-req-1"})
    finally:
        logging.getLogger("hall.errors").removeHandler(handler)
    assert resp.status_code == 500 and "Retry-After" not in resp.headers
    assert resp.get_json()["error"] == {"code": "internal_error", "request_id": "fault-req-1",
                                        "message": "Something went wrong on our side."}
    assert [r.aws_code for r in seen] == [aws_code]


def test_a_failed_condition_no_store_mapped_is_a_409(client, token, failing_reads):
    headers = token("citizen", subject="fault-citizen", kind="citizen")
    failing_reads(_client_error("ConditionalCheckFailedException"))
    assert client.get("/api/v1/me", headers=headers).status_code == 409


def test_a_cancelled_transaction_is_transient_only_when_an_item_was_throttled():
    from functions.core import errors, store

    def cancelled(*codes):
        err = _client_error("TransactionCanceledException", op="TransactWriteItems")
        err.response["CancellationReasons"] = [{"Code": c} for c in codes]
        return err

    assert errors.classify(cancelled("None", "ThrottlingError")) == "transient"
    assert errors.classify(cancelled("None", "TransactionConflict")) == "transient"
    assert errors.classify(cancelled("ConditionalCheckFailed", "None")) == "condition"
    assert store.cancellation_reasons(cancelled("None", "ConditionalCheckFailed")) == [
        "None", "ConditionalCheckFailed"]
    with pytest.raises(errors.Unavailable):
        store.cancellation_reasons(cancelled("None", "ThrottlingError"))
    with pytest.raises(ClientError):
        store.cancellation_reasons(_client_error("AccessDeniedException"))


# ---- stages name themselves ------------------------------------------------------------------

def test_a_lambda_without_a_stage_refuses_to_start():
    lam = {"AWS_LAMBDA_FUNCTION_NAME": "hall-prod-api"}
    with pytest.raises(RuntimeError, match="HALL_STAGE"):
        Settings.from_env(lam)
    with pytest.raises(RuntimeError, match="HALL_STAGE"):
        Settings.from_env({**lam, "HALL_STAGE": "local"})
    dev = Settings.from_env({**lam, "HALL_STAGE": "dev"})
    assert dev.stage == "dev" and not dev.local
    assert Settings.from_env({}).local  # a developer's shell: the local stack
    with pytest.raises(RuntimeError):
        Settings.from_env({"HALL_STAGE": "prod/../x"})


def test_only_the_local_stage_may_scale_the_rate_limits():
    assert Settings.from_env({"HALL_RATE_LIMIT_SCALE": "50"}).rate_limit_scale == 50
    assert Settings.from_env({"HALL_STAGE": "prod"}).rate_limit_scale == 1
    for stage in ("dev", "prod"):
        with pytest.raises(RuntimeError, match="local"):
            Settings.from_env({"HALL_STAGE": stage, "HALL_RATE_LIMIT_SCALE": "50"})


def test_every_zappa_stage_names_itself():
    from tests.helpers import ROOT

    stages = json.loads((ROOT / "zappa_settings.json").read_text())
    for name, stage in stages.items():
        env = stage.get("aws_environment_variables", {})
        assert env.get("HALL_STAGE", stages.get(stage.get("extends", ""), {}).get(
            "aws_environment_variables", {}).get("HALL_STAGE")) not in (None, "", "local"), name


# ---- the local one-origin server ---------------------------------------------------------------

@pytest.fixture(scope="module")
def one_origin():
    from infra import local

    def api(environ, start_response):
        start_response("200 OK", [("Content-Type", "application/json")])
        return [b"{}"]

    return Client(local.one_origin(api))


def test_the_local_server_serves_files_only_to_get_and_head(one_origin):
    assert one_origin.get("/index.html").status_code == 200
    assert one_origin.head("/index.html").status_code == 200
    for method in ("POST", "PUT", "DELETE", "PATCH"):
        resp = one_origin.open("/index.html", method=method)
        assert resp.status_code == 405 and resp.headers["Allow"] == "GET, HEAD"
    assert one_origin.post("/api/v1/anything").status_code == 200  # the API decides its own


@pytest.mark.parametrize("path", ["/%00", "/js/%00.js", "/a%00b", "/" + "x" * 300 + ".js",
                                  "/" + "y" * 5000, "/js/" + "z" * 256])
def test_the_local_server_answers_odd_paths_with_404(one_origin, path):
    assert one_origin.get(path).status_code == 404


# ---- the job table ----------------------------------------------------------------------------

def test_workers_dispatch_the_rooms_job_table(settings):
    from functions import workers

    table = workers.jobs()
    assert "catalogue.publish" in table and all(callable(f) for f in table.values())
    with pytest.raises(ValueError, match="unknown job"):
        workers.handle_job(settings, {"job": "no.such.job"})
    failed = workers.handle_queue({"Records": [{"messageId": "m1",
                                                "body": json.dumps({"job": "nope"})}]})
    assert failed == {"batchItemFailures": [{"itemIdentifier": "m1"}]}
