"""The API application: create_app() wires settings, logging, auth, errors and each room."""
from __future__ import annotations

import gzip

from flask import Flask, request

from .core import auth, errors, http, log
from .settings import Settings

# JSON is data, never a document: nothing in it may run, load or be framed.
JSON_CSP = "default-src 'none'; frame-ancestors 'none'"
CORS_METHODS = "GET, POST, PUT, DELETE"
CORS_HEADERS = "Authorization, Content-Type, Idempotency-Key, If-Match, X-Request-Id"
GZIP_MIN_BYTES = 1024  # below this, gzip saves less than its own headers cost
MAX_BODY_BYTES = 1024 * 1024
# Every deployed stage is HTTPS only (API Gateway, CloudFront); the local stack is plain http on
# loopback, where a browser would ignore the header (and pinning localhost would hurt others).
HSTS = "max-age=63072000; includeSubDomains"


def create_app(settings: Settings | None = None) -> Flask:
    settings = settings or Settings.from_env()
    app = Flask(__name__)
    app.config["SETTINGS"] = settings
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES
    app.json.ensure_ascii = False
    app.json.sort_keys = False
    log.configure(settings.log_level)
    log.register(app)
    _register_cors(app, settings)
    app.before_request(_refuse_large_body)
    app.before_request(http.check_query_string)
    auth.register(app)
    errors.register(app)

    from .hall import routes as hall
    from .identity import routes as identity
    from .intake import routes as intake
    from .licences import routes as licences
    from .pages import offers_routes as offers
    from .pages import page_routes as page
    from .pages import recommend_routes as recommend
    from .pages import routes as pages
    from .push import campaign_routes as push_campaigns
    from .push import routes as push
    from .supervision import routes as supervision

    for room in (hall, identity, licences, intake, push, push_campaigns, pages,
                 recommend, page, offers, supervision):
        room.register(app)
    public = auth.public_endpoints(app)

    @app.after_request
    def _headers(resp):
        resp.headers.setdefault("X-Content-Type-Options", "nosniff")
        resp.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        # No answer of the API is a page to frame; documents that run something (the docs)
        # set their own policy, anything else (JSON, YAML, CSV, text) runs nothing.
        resp.headers.setdefault("X-Frame-Options", "DENY")
        resp.headers.setdefault("Content-Security-Policy", JSON_CSP)
        if not settings.local:
            resp.headers.setdefault("Strict-Transport-Security", HSTS)
        if resp.mimetype == "application/json" and "Cache-Control" not in resp.headers:
            # Public catalogue reads may sit in a CDN or the browser for a minute;
            # anything else (personal data, officer data, errors) is never stored.
            cached = (request.endpoint in public and request.method == "GET"
                      and resp.status_code == 200 and request.endpoint != "hall.health")
            resp.headers["Cache-Control"] = "public, max-age=60" if cached else "no-store"
        return resp

    @app.after_request
    def _gzip(resp):
        # Weak rural networks: a catalogue answer shrinks about 8x, and neither API Gateway nor
        # an uncached CDN route compresses it (Zappa sends an encoded body as base64).
        if (resp.mimetype == "application/json" and not resp.direct_passthrough
                and "gzip" in request.headers.get("Accept-Encoding", "")
                and "Content-Encoding" not in resp.headers
                and resp.content_length and resp.content_length >= GZIP_MIN_BYTES):
            resp.set_data(gzip.compress(resp.get_data(), 6))
            resp.headers["Content-Encoding"] = "gzip"
            resp.vary.add("Accept-Encoding")
        return resp

    return app


def _refuse_large_body() -> None:
    """A declared length over the limit is refused before the token check or any read: the
    same 413 for everyone, and nothing runs (a chunked body is cut off when it is read)."""
    if (request.content_length or 0) > MAX_BODY_BYTES:
        from werkzeug.exceptions import RequestEntityTooLarge

        raise RequestEntityTooLarge()


def _register_cors(app: Flask, settings: Settings) -> None:
    """Preflights are answered before any token check, and only for the PWA's own origin."""

    @app.before_request
    def _preflight():
        if request.method != "OPTIONS" or "Access-Control-Request-Method" not in request.headers:
            return None
        resp = app.response_class(status=204)
        if settings.pwa_origin and request.headers.get("Origin") == settings.pwa_origin:
            resp.headers.update({"Access-Control-Allow-Origin": settings.pwa_origin,
                                 "Access-Control-Allow-Methods": CORS_METHODS,
                                 "Access-Control-Allow-Headers": CORS_HEADERS,
                                 "Access-Control-Max-Age": "600", "Vary": "Origin",
                                 # the refresh cookie travels to that origin alone
                                 "Access-Control-Allow-Credentials": "true"})
        return resp

    @app.after_request
    def _cors(resp):
        if settings.pwa_origin and request.headers.get("Origin") == settings.pwa_origin:
            resp.headers["Access-Control-Allow-Origin"] = settings.pwa_origin
            resp.headers["Access-Control-Expose-Headers"] = "Retry-After, X-Request-Id, ETag"
            resp.headers["Access-Control-Allow-Credentials"] = "true"
            resp.headers.add("Vary", "Origin")
        return resp


app = create_app()
