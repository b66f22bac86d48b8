"""The suite-wide personal-data scan (tests/privacy.py, installed by tests/conftest.py) covers
every route family of openapi.yaml in every media type it answers, every room's log lines, the
messages, texts and objects sent to AWS, and the Web Push payloads: each is shown a full phone
number and an ID number and must catch them, outside the audited reveal routes alone."""
from __future__ import annotations

import ast
import base64
import json
import logging
import re
from pathlib import Path

import pytest

from tests import privacy
from tests.helpers import ROOT, SPEC

PHONE = "19903500001"
ID_NO = "441402195001010172"   # passes the GB 11643 check digit
METHODS = ("get", "post", "put", "delete", "patch")
FILL = {"app_id": "MZ20260101999999", "code": "441400-RSJ-0015"}


def _responses(op: dict):
    for code, r in op.get("responses", {}).items():
        if "$ref" in r:
            r = SPEC["components"]["responses"][r["$ref"].rsplit("/", 1)[1]]
        for media in r.get("content") or {}:
            yield int(code) if code.isdigit() else 200, media


def answers() -> list[tuple[str, str, str, int, str]]:
    """(family, method, url, status, media type) of every answer the spec declares."""
    out = []
    for path, item in SPEC["paths"].items():
        url = re.sub(r"{(\w+)}", lambda m: FILL.get(m.group(1), "x1990350"), path)
        family = "/".join(path.split("/")[:4 if path.startswith("/api/v1/") else 3])
        for method, op in item.items():
            if method in METHODS:
                out += [(family, method, url, s, media) for s, media in _responses(op)]
    return out


def _response(app, method: str, url: str, status: int, media: str, body: str):
    with app.test_request_context(url, method=method.upper()):
        from flask import request

        resp = app.response_class(body, status=status, mimetype=media)
        resp.request = request._get_current_object()
        return resp


def _body(media: str) -> str:
    text = f"申请人 张三 身份证 {ID_NO} 电话 {PHONE}"
    if media.endswith("json"):
        return json.dumps({"applicant": {"note": text}}, ensure_ascii=False)
    return text


def test_every_route_family_in_every_media_type_is_scanned(app):
    """A family (e.g. /api/v1/supervision) whose answers the scan skipped would let a leak
    through unseen: every declared answer of every operation is shown both numbers."""
    families, media_types = set(), set()
    for family, method, url, status, media in answers():
        families.add(family)
        media_types.add(media)
        resp = _response(app, method, url, status, media, _body(media))
        if status == 200 and privacy.is_reveal(resp.request.path, resp.request.args):
            continue
        with pytest.raises(AssertionError, match="personal numbers"):
            privacy.check_response(resp)
    for room in ("supervision", "officer", "me", "public", "applications", "wallet",
                 "admin", "auth", "matters"):
        assert f"/api/v1/{room}" in families, room
    assert {"text/csv", "text/plain", "application/yaml", "text/html",
            "image/svg+xml"} <= media_types
    assert not [m for m in media_types if not privacy.scanned(m)]


def test_the_reveal_routes_are_the_only_exemptions(app):
    revealed = _response(app, "post", "/api/v1/officer/applications/MZ20260101999999/reveal",
                         200, "application/json", _body("application/json"))
    privacy.check_response(revealed)                    # the audited reveal shows them
    me = _response(app, "get", "/api/v1/me?reveal=id_number", 200, "application/json",
                   _body("application/json"))
    privacy.check_response(me)
    for url in ("/api/v1/me", "/api/v1/me/page", "/api/v1/officer/applications/MZ20260101999999",
                "/api/v1/public/report", "/api/v1/supervision/audit"):
        with pytest.raises(AssertionError):
            privacy.check_response(_response(app, "get", url, 200, "application/json",
                                             _body("application/json")))
    # The owner's export shows their own numbers in its account section, nobody else's.
    own = json.dumps({"account": {"phone": PHONE, "id_number": ID_NO}, "x": "无"})
    privacy.check_response(_response(app, "get", privacy.EXPORT_PATH, 200, "application/json",
                                     own))
    other = json.dumps({"account": {"phone": PHONE}, "grants": [{"phone": "19903500002"}]})
    with pytest.raises(AssertionError):
        privacy.check_response(_response(app, "get", privacy.EXPORT_PATH, 200,
                                         "application/json", other))


def _logger_names() -> set[str]:
    names = set()
    for path in (ROOT / "functions").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if (isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "getLogger"
                    and node.args):
                arg = node.args[0]
                names.add(arg.value if isinstance(arg, ast.Constant) else
                          f"<computed in {path.relative_to(ROOT)}>")
    return names


def test_every_rooms_log_lines_reach_the_scan(_privacy_guard):
    names = _logger_names()
    assert len(names) >= 5 and all(n == "hall" or n.startswith("hall.") for n in names), names
    rooms = {p.name for p in (ROOT / "functions").iterdir()
             if p.is_dir() and (p / "__init__.py").exists()}
    # Lines are masked as they are formatted; what masking cannot see (a token whose payload
    # names the number) is what the scan is there for.
    payload = base64.urlsafe_b64encode(json.dumps({"phone": PHONE}).encode()).decode().rstrip("=")
    leaked = f"eyJhbGciOiJFUzI1NiJ9.{payload}.c2ln"
    for room in sorted(rooms) + ["access"]:
        logging.getLogger(f"hall.{room}").warning("called back", extra={"phone": PHONE})
        assert not _privacy_guard.leaks, room  # masked: 199****0001
        logging.getLogger(f"hall.{room}").warning("token", extra={"token": leaked})
        assert _privacy_guard.leaks, room
        _privacy_guard.leaks.clear()


@pytest.mark.parametrize("service,operation,params", [
    ("sqs", "SendMessage", {"QueueUrl": "q", "MessageBody": json.dumps({"phone": PHONE})}),
    ("sqs", "SendMessageBatch", {"Entries": [{"Id": "1", "MessageBody": ID_NO}]}),
    ("sns", "Publish", {"Message": f"您的验证码是 123456，尾号 {PHONE}"}),
    ("s3", "PutObject", {"Bucket": "hall-exports", "Key": "k",
                         "Body": json.dumps({"id_number": ID_NO}).encode()}),
])
def test_what_is_sent_to_aws_is_scanned(service, operation, params):
    with pytest.raises(AssertionError, match="personal numbers"):
        privacy.check_outgoing(service, operation, params)


def test_an_sms_may_name_its_own_destination_and_binary_objects_pass():
    privacy.check_outgoing("sns", "Publish", {"PhoneNumber": f"+86{PHONE}",
                                              "Message": "您的验证码是 123456"})
    privacy.check_outgoing("s3", "PutObject", {"Bucket": "b", "Key": "k",
                                               "Body": b"\x1f\x8b\x08\x00\xff" + PHONE.encode()})


def test_the_guard_hears_the_functions_own_clients(settings, _privacy_guard):
    """The hook sits on the clients the rooms get from core.aws, so a job message carrying a
    number fails the test that made it."""
    from functions.core import aws

    sqs = aws.client("sqs", settings)
    sqs.send_message(QueueUrl=settings.queue_url,
                     MessageBody=json.dumps({"job": "privacy-scan-probe", "to": PHONE}))
    assert any("sqs.SendMessage" in line for line in _privacy_guard.leaks)
    _privacy_guard.leaks.clear()
    got = sqs.receive_message(QueueUrl=settings.queue_url, MaxNumberOfMessages=10,
                              WaitTimeSeconds=0, VisibilityTimeout=0).get("Messages", [])
    for m in got:
        if "privacy-scan-probe" in m["Body"]:
            sqs.delete_message(QueueUrl=settings.queue_url, ReceiptHandle=m["ReceiptHandle"])


def test_push_payloads_are_scanned_and_the_lock_screen_one_is_generic(_privacy_guard):
    from functions.push import webpush

    privacy.check_push_payload(webpush.lock_screen_payload("n-1990350"))
    with pytest.raises(AssertionError):
        privacy.check_push_payload({"title": "办结", "body": f"电话 {PHONE}"})
    # The sender the rooms call is the scanning one.
    assert webpush.send.__name__ == "scanning_send"


def test_the_scan_knows_the_numbers_it_must_catch_and_ignores_ids():
    assert privacy.personal_numbers(f"x {ID_NO} y {PHONE}") == [ID_NO, PHONE]
    # application numbers, credit codes and hex ids are not personal
    assert privacy.personal_numbers("MZ20260101999999 91441402MA0MT2NFX4 a19903500001b") == []
    assert Path(privacy.__file__).name == "privacy.py"
