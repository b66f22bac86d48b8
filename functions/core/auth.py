"""Bearer tokens: ES256 signing and verification, one allow-list of public endpoints."""
from __future__ import annotations

import functools
import time
import uuid
from dataclasses import dataclass

from flask import Flask, current_app, g, request

from . import keys
from .errors import Forbidden, Unauthorized


def public(view):
    """Declare a view callable without a token, next to the view itself. The one allow-list
    is built from these declarations (public_endpoints); a meta-test fails when a route is
    neither declared public nor behind the token check below."""
    view.public = True
    return view


def public_endpoints(app: Flask) -> frozenset:
    return frozenset(name for name, view in app.view_functions.items()
                     if getattr(view, "public", False))


def is_public(app: Flask, endpoint: str | None) -> bool:
    return endpoint is None or getattr(app.view_functions.get(endpoint), "public", False)


# Every access token belongs to a session (sid): one without is refused.
REQUIRED_CLAIMS = ["exp", "iat", "nbf", "sub", "iss", "aud", "jti", "sid"]


@dataclass(frozen=True)
class Principal:
    subject: str
    kind: str = "citizen"           # citizen | officer | supervisor | admin
    roles: frozenset = frozenset()
    level: int = 0                  # real-name level 1..3
    department: str | None = None
    region: str | None = None
    session: str = ""
    act: dict | None = None         # {"kind": "enterprise"|"person", "id": ..., "role": ...}
    token_id: str = ""

    @property
    def acting_for(self) -> str:
        """Whose data this request touches: the represented party, else the caller."""
        return f"{self.act['kind']}:{self.act['id']}" if self.act else f"person:{self.subject}"


def sign(settings, claims: dict, *, seconds: int | None = None) -> str:
    """An access token for `claims` (sub and the custom claims), signed with the current key."""
    import jwt  # lazily: public reads never pay for the crypto imports

    kid, key = keys.keyring(settings).signing()
    now = int(time.time())
    body = {"iss": settings.jwt_issuer, "aud": settings.jwt_audience, "iat": now, "nbf": now,
            "exp": now + (seconds or settings.access_token_seconds), "jti": uuid.uuid4().hex,
            **claims}
    return jwt.encode(body, key, algorithm="ES256", headers={"kid": kid})


def verify(settings, token: str) -> dict:
    """The claims of a token we issued, or Unauthorized. Only ES256 with a published key."""
    import jwt

    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError as err:
        raise Unauthorized("The token is malformed.") from err
    kid = header.get("kid")
    if header.get("alg") != "ES256" or not isinstance(kid, str):
        raise Unauthorized("The token is not signed the way we sign tokens.")
    key = keys.keyring(settings).public(kid)
    if key is None:  # perhaps rotated since we last looked
        key = keys.keyring(settings, force=True).public(kid)
    if key is None:
        raise Unauthorized("The token is signed with an unknown key.")
    try:
        return jwt.decode(token, key, algorithms=["ES256"], audience=settings.jwt_audience,
                          issuer=settings.jwt_issuer, options={"require": REQUIRED_CLAIMS})
    except jwt.PyJWTError as err:
        raise Unauthorized("The token is invalid or expired.") from err


def principal_of(claims: dict) -> Principal:
    return Principal(
        subject=claims["sub"], kind=claims.get("kind", "citizen"),
        roles=frozenset(claims.get("roles", [])), level=int(claims.get("lvl", 0)),
        department=claims.get("dept"), region=claims.get("region"), session=claims["sid"],
        act=claims.get("act"), token_id=claims["jti"],
    )


def on_token(app: Flask, check) -> None:
    """Run check(settings, principal) on every request that carries a valid token: the
    identity room's session and delegation re-checks. A check raises to refuse."""
    app.extensions.setdefault("hall.token_checks", []).append(check)


def register(app: Flask) -> None:
    checks = app.extensions.setdefault("hall.token_checks", [])

    @app.before_request
    def _authenticate():
        g.principal = None
        header = request.headers.get("Authorization", "")
        if header.startswith("Bearer "):
            settings = current_app.config["SETTINGS"]
            claims = verify(settings, header[7:].strip())
            if not isinstance(claims["sid"], str) or not claims["sid"]:
                raise Unauthorized("The token belongs to no session.")
            g.principal = principal_of(claims)
            for check in checks:
                check(settings, g.principal)
        if is_public(app, request.endpoint):
            return None  # 404/405 or public: no token needed
        if g.principal is None:
            raise Unauthorized("Log in to use this service.",
                               headers={"WWW-Authenticate": "Bearer"})
        return None


def require_role(*roles: str):
    """Allow the view only to principals holding one of `roles`."""

    def wrap(view):
        @functools.wraps(view)
        def inner(*args, **kwargs):
            who = g.get("principal")
            if who is None or not who.roles.intersection(roles):
                raise Forbidden("Your account may not do this.")
            return view(*args, **kwargs)

        return inner

    return wrap


def principal() -> Principal:
    return g.principal
