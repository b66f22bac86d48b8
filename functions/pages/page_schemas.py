"""Input schemas of the page and the pins (names as in openapi.yaml)."""
from __future__ import annotations

from marshmallow import Schema, fields, validate


class PageQuery(Schema):
    # The identity the client shows: "person:<account>" or "enterprise:<uscc>".
    identity = fields.String(validate=validate.Regexp(
        r"^(person|enterprise):[0-9A-Za-z_-]{1,64}$",
        error="must be person:<id> or enterprise:<uscc>"))


