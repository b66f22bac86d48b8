"""Bodies over 1 MB are a 413 in the error envelope on every operation that takes one (the list
comes from openapi.yaml), with a declared length or chunked, and nothing is written."""
from __future__ import annotations

import base64
import io
import json
import re

import pytest

from tests.helpers import SPEC

LIMIT = 1024 * 1024
BIG = b'{"x": "' + b"x" * (LIMIT + 16) + b'"}'
WRITES = {"dynamodb": {"PutItem", "UpdateItem", "DeleteItem", "TransactWriteItems",
                       "BatchWriteItem"},
          "s3": {"PutObject", "CopyObject", "DeleteObject", "DeleteObjects"},
          "sqs": {"SendMessage", "SendMessageBatch"}, "sns": {"Publish"},
          "ssm": {"PutParameter"}}
SUBJECT = "body-1990330"


def body_operations() -> list[tuple[str, str, str]]:
    out = []
    for path, item in SPEC["paths"].items():
        url = re.sub(r"{(\w+)}", lambda m: {"code": "441400-RSJ-0015", "app_id":
                                             "MZ20260101999999", "year": "2031"}.get(
                                                 m.group(1), "x1990330"), path)
        out += [(m.upper(), url, op["operationId"]) for m, op in item.items()
                if isinstance(op, dict) and "requestBody" in op]
    return out


@pytest.fixture
def writes(settings):
    """Every write call the functions' AWS clients make while the test runs."""
    from functions.core import aws

    seen: list[str] = []
    hooks = []
    for service, names in WRITES.items():
        events = aws.client(service, settings).meta.events

        def hook(model, params, _names=names, _service=service, **kwargs):
            if model.name in _names:
                seen.append(f"{_service}.{model.name}")

        events.register("before-call.*.*", hook)
        hooks.append((events, hook))
    yield seen
    for events, hook in hooks:
        events.unregister("before-call.*.*", hook)


def view_roles(app, op_id: str) -> tuple[str, ...] | None:
    """The roles a view's require_role admits (None: any signed-in caller)."""
    for rule in app.url_map.iter_rules():
        if rule.endpoint.split(".")[-1] == op_id:
            f = app.view_functions[rule.endpoint]
            while f is not None:
                if f.__closure__ and "roles" in f.__code__.co_freevars:
                    return f.__closure__[f.__code__.co_freevars.index("roles")].cell_contents
                f = getattr(f, "__wrapped__", None)
    return None


def test_the_spec_has_the_body_operations():
    ops = body_operations()
    assert len(ops) >= 40 and any(op == "counter_intake" for _, _, op in ops)


def test_a_declared_length_over_the_limit_is_refused_before_anything_runs(client, writes):
    for method, url, op_id in body_operations():
        resp = client.open(url, method=method, data=BIG, content_type="application/json")
        assert resp.status_code == 413, (op_id, resp.status_code)
        error = resp.get_json()["error"]
        assert error["code"] == "request_entity_too_large" and error["message"], op_id
        assert error["request_id"], op_id
    assert writes == []


def test_a_chunked_body_over_the_limit_is_a_413_for_a_caller_the_route_admits(
        app, client, token, writes):
    """Without a length the body is cut off as the view reads it: the caller holds the role the
    route admits, so the view runs up to the read."""
    tokens = {}
    for _, _, op_id in body_operations():
        roles = view_roles(app, op_id) or ("citizen",)
        if roles not in tokens:
            tokens[roles] = token(*roles, department="RSJ", region="441400", subject=SUBJECT,
                                  kind="person" if roles == ("citizen",) else "officer")
    writes.clear()  # opening those sessions wrote; the requests below may not
    for method, url, op_id in body_operations():
        headers = tokens[view_roles(app, op_id) or ("citizen",)]
        resp = client.open(url, method=method, input_stream=io.BytesIO(BIG),
                           content_type="application/json", headers={
                               "Transfer-Encoding": "chunked", **headers},
                           environ_overrides={"wsgi.input_terminated": True})
        assert resp.status_code == 413, (op_id, resp.status_code,
                                          resp.get_data(as_text=True)[:200])
        assert resp.get_json()["error"]["code"] == "request_entity_too_large", op_id
    assert writes == []


def test_a_material_upload_is_limited_by_its_presigned_policy(settings):
    """Materials never pass through the API: S3 enforces the presigned POST's size range."""
    from functions.intake import model, store

    post = store.presign_upload(settings, "uploads/body-1990330/x.png", "image/png",
                                model.MAX_UPLOAD)
    policy = json.loads(base64.b64decode(post["fields"]["policy"]))
    assert ["content-length-range", 1, 10 * 1024 * 1024] in policy["conditions"]
    assert {"Content-Type": "image/png"} in policy["conditions"]
