"""Shared fixtures: one emulator per session, built from infra/template.yaml and seeded."""
from __future__ import annotations

import logging
import os

import pytest
from flask.testing import FlaskClient

from tests import privacy


class _LogScan(logging.Handler):
    """Formats every record of the hall's loggers as it is written and keeps the lines that
    show a personal number."""

    def __init__(self):
        super().__init__()
        from functions.core.log import JsonFormatter

        self.setFormatter(JsonFormatter())
        self.leaks: list[str] = []

    def emit(self, record):
        line = self.format(record)
        if privacy.personal_numbers(line):
            self.leaks.append(line)


@pytest.fixture(scope="session")
def _privacy_guard():
    original = FlaskClient.open

    def scanning_open(self, *args, **kwargs):
        resp = original(self, *args, **kwargs)
        privacy.check_response(resp)
        return resp

    FlaskClient.open = scanning_open
    scan = _LogScan()
    logging.getLogger("hall").addHandler(scan)
    undo = _scan_outgoing(scan.leaks)
    yield scan
    undo()
    logging.getLogger("hall").removeHandler(scan)
    FlaskClient.open = original


def _scan_outgoing(leaks: list) -> callable:
    """Every job message, text, topic message and object the functions send to AWS, every
    Web Push payload and every export posted to the province is scanned as it leaves
    (tests/privacy.py check_outgoing); a leak is kept and fails the test (raising inside
    botocore would be swallowed by a worker's retry)."""
    from functions.core import aws
    from functions.push import webpush
    from functions.supervision import exports_store

    client, send, post = aws.client, webpush.send, exports_store.post

    def keep(check, *args) -> None:
        try:
            check(*args)
        except AssertionError as err:
            leaks.append(str(err))

    def scanning_client(service, settings=None):
        got = client(service, settings)
        if not getattr(got.meta, "hall_privacy_scan", False):
            got.meta.hall_privacy_scan = True
            got.meta.events.register("before-parameter-build.*.*", lambda model, params, **_: keep(
                privacy.check_outgoing, service, model.name, params))
        return got

    def scanning_send(settings, subscription, payload, **kwargs):
        keep(privacy.check_push_payload, payload)
        return send(settings, subscription, payload, **kwargs)

    def scanning_post(settings, name, body):  # the provincial export to its endpoint
        keep(privacy.check_outgoing, "s3", "PutObject", {"Body": body})
        return post(settings, name, body)

    aws.client, webpush.send, exports_store.post = scanning_client, scanning_send, scanning_post

    def undo():
        aws.client, webpush.send, exports_store.post = client, send, post

    return undo


@pytest.fixture(autouse=True)
def privacy_guard(_privacy_guard):
    """Every test: no response (checked as it arrives) and no log line shows a full ID number
    or mobile number outside the reveal routes."""
    _privacy_guard.leaks.clear()
    yield
    leaks, _privacy_guard.leaks[:] = list(_privacy_guard.leaks), []
    assert not leaks, f"log lines or outgoing messages show personal numbers: {leaks[:3]}"


@pytest.fixture
def hall_caplog(caplog):
    """caplog that hears the hall's loggers (they do not propagate to caplog's root handler)."""
    hall = logging.getLogger("hall")
    hall.addHandler(caplog.handler)
    yield caplog
    hall.removeHandler(caplog.handler)


@pytest.fixture(scope="session")
def stack(tmp_path_factory):
    """The emulator with the template deployed, the seed imported and published once."""
    from infra import local

    server, endpoint = local.start_emulator()
    outputs = local.deploy(endpoint)
    os.environ.update(local.environment(endpoint, outputs))
    from functions.core import aws, clock, keys
    from functions.hall import service
    from functions.hall.cli import import_seed
    from functions.identity.cli import seed_demo
    from functions.settings import Settings

    aws.reset()
    keys.forget()
    settings = Settings.from_env()
    keys.init_keys(settings, clock.now())
    import_seed(settings, local.SEED)
    seed_demo(settings, local.SEED)
    service.publish(settings, actor="test-seed", at="2026-11-26T09:00:00+08:00")
    yield {"settings": settings, "endpoint": endpoint, "outputs": outputs}
    server.stop()


@pytest.fixture(scope="session")
def settings(stack):
    return stack["settings"]


@pytest.fixture(scope="session")
def app(stack):
    from functions.app import create_app

    app = create_app(stack["settings"])
    app.config["TESTING"] = True
    return app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture(scope="session")
def token(stack):
    """token("officer", department=..., region=...) -> an Authorization header dict, for a
    real session opened for `subject` (tokens without a session are refused). Acting for
    someone (act=...) still needs the grant that allows it."""
    import secrets

    from functions.core import clock
    from functions.core.auth import sign
    from functions.identity import store as identity_store

    settings = stack["settings"]

    def make(*roles: str, department: str | None = None, region: str | None = None,
             subject: str = "officer-1", kind: str = "officer", **claims) -> dict:
        sid = identity_store.create_session(
            settings, account_id=subject, refresh_digest=secrets.token_hex(32),
            at=clock.iso(), ttl=int(clock.now().timestamp()) + settings.session_seconds,
            audit={"actor": subject, "action": "login.test", "target": subject,
                   "result": "ok", "request_id": None, "at": clock.iso()})
        body = {"sub": subject, "kind": kind, "roles": list(roles) or ["officer"], "lvl": 3,
                "sid": sid, **claims}
        body.update({k: v for k, v in (("dept", department), ("region", region)) if v})
        return {"Authorization": f"Bearer {sign(settings, body)}"}

    return make

