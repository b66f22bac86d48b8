"""Shared fixtures: one emulator per session, built from infra/template.yaml and seeded."""
from __future__ import annotations

import os

import pytest


@pytest.fixture(scope="session")
def stack(tmp_path_factory):
    """The emulator with the template deployed, the seed imported and published once."""
    from infra import local

    server, endpoint = local.start_emulator()
    outputs = local.deploy(endpoint)
    os.environ.update(local.environment(endpoint, outputs))
    from functions.core import aws, clock, keys
    from functions.hall import store
    from functions.hall.cli import import_seed
    from functions.identity.cli import seed_demo
    from functions.settings import Settings

    aws.reset()
    keys.forget()
    settings = Settings.from_env()
    keys.init_keys(settings, clock.now())
    import_seed(settings, local.SEED)
    seed_demo(settings, local.SEED)
    store.publish(settings, actor="test-seed", request_id=None, at="2026-11-26T09:00:00+08:00")
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
    """token("officer", department=..., region=...) -> an Authorization header dict."""
    from functions.core.auth import sign

    def make(*roles: str, department: str | None = None, region: str | None = None,
             subject: str = "officer-1", kind: str = "officer", **claims) -> dict:
        body = {"sub": subject, "kind": kind, "roles": list(roles) or ["officer"], "lvl": 3,
                **claims}
        body.update({k: v for k, v in (("dept", department), ("region", region)) if v})
        return {"Authorization": f"Bearer {sign(stack['settings'], body)}"}

    return make

