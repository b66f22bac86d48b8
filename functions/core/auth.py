"""Bearer-token check attached to every route, with one allow-list of public endpoints."""
from __future__ import annotations

import functools
from dataclasses import dataclass, field

from flask import Flask, current_app, g, request

from .errors import Forbidden, Unauthorized

# The only endpoints anyone may call without a token. A meta-test fails when a
# route is neither listed here nor protected by the hook below.
PUBLIC_ENDPOINTS = frozenset({
    "hall.health",
    "hall.themes",
    "hall.matters",
    "hall.matter",
    "hall.departments",
    "hall.regions",
    "hall.hot_services",
    "hall.scenarios",
    "hall.scenario",
    "hall.resolve_scenario",
    "hall.service_points",
})


@dataclass(frozen=True)
class Principal:
    subject: str
    roles: frozenset = field(default_factory=frozenset)
    department: str | None = None
    region: str | None = None


def _verify(token: str) -> Principal:
    import jwt  # only requests that carry a token pay for the crypto imports

    settings = current_app.config["SETTINGS"]
    try:
        kid = jwt.get_unverified_header(token).get("kid")
    except jwt.PyJWTError as err:
        raise Unauthorized("The token is malformed.") from err
    key = settings.jwt_public_keys.get(str(kid).lower())
    if not key:
        raise Unauthorized("The token is signed with an unknown key.")
    try:
        claims = jwt.decode(
            token, key, algorithms=["ES256"], audience=settings.jwt_audience,
            issuer=settings.jwt_issuer, options={"require": ["exp", "iat", "sub", "iss", "aud"]},
        )
    except jwt.PyJWTError as err:
        raise Unauthorized("The token is invalid or expired.") from err
    return Principal(
        subject=claims["sub"],
        roles=frozenset(claims.get("roles", [])),
        department=claims.get("dept"),
        region=claims.get("region"),
    )


def register(app: Flask) -> None:
    @app.before_request
    def _authenticate():
        g.principal = None
        header = request.headers.get("Authorization", "")
        if header.startswith("Bearer "):
            g.principal = _verify(header[7:].strip())
        if request.endpoint is None or request.endpoint in PUBLIC_ENDPOINTS:
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
            principal = g.get("principal")
            if principal is None or not principal.roles.intersection(roles):
                raise Forbidden("Your account may not do this.")
            return view(*args, **kwargs)

        return inner

    return wrap


def principal() -> Principal:
    return g.principal
