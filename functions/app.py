"""The API application: create_app() wires settings, logging, auth, errors and each room."""
from __future__ import annotations

from flask import Flask, request

from .core import auth, errors, log
from .settings import Settings


def create_app(settings: Settings | None = None) -> Flask:
    settings = settings or Settings.from_env()
    app = Flask(__name__)
    app.config["SETTINGS"] = settings
    app.config["MAX_CONTENT_LENGTH"] = 1024 * 1024
    app.json.ensure_ascii = False
    app.json.sort_keys = False
    log.configure(settings.log_level)
    log.register(app)
    auth.register(app)
    errors.register(app)

    from .hall.cli import catalogue_cli
    from .hall.routes import bp as hall
    from .identity import routes as identity
    from .identity.cli import identity_cli
    from .intake import routes as intake
    from .licences import routes as licences

    app.register_blueprint(hall)
    identity.register(app)
    licences.register(app)
    intake.register(app)
    app.cli.add_command(catalogue_cli)
    app.cli.add_command(identity_cli)

    @app.after_request
    def _headers(resp):
        resp.headers.setdefault("X-Content-Type-Options", "nosniff")
        resp.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        if resp.mimetype == "application/json" and "Cache-Control" not in resp.headers:
            # Public catalogue reads may sit in a CDN or the browser for a minute; anything
            # else (officer data, errors) is never stored.
            public = (request.endpoint in auth.PUBLIC_ENDPOINTS and request.method == "GET"
                      and resp.status_code == 200 and request.endpoint != "hall.health")
            resp.headers["Cache-Control"] = "public, max-age=60" if public else "no-store"
        return resp

    return app


app = create_app()
