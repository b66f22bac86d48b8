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
    key, public = local.dev_key(tmp_path_factory.mktemp("keys"))
    os.environ.update(local.environment(endpoint, outputs, public))
    from functions.core import aws
    from functions.hall import store
    from functions.hall.cli import import_seed
    from functions.settings import Settings

    aws.reset()
    settings = Settings.from_env()
    import_seed(settings, local.SEED)
    store.publish(settings, actor="test-seed", request_id=None, at="2026-11-26T09:00:00+08:00")
    yield {"settings": settings, "endpoint": endpoint, "outputs": outputs, "key": key}
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
    """token(roles=[...], department=..., region=...) -> an Authorization header dict."""
    from infra.local import mint_token

    def make(*roles: str, department: str | None = None, region: str | None = None,
             subject: str = "officer-1", **claims) -> dict:
        tok = mint_token(stack["key"], subject=subject, roles=list(roles) or ["officer"],
                         department=department, region=region)
        return {"Authorization": f"Bearer {tok}"}

    return make

