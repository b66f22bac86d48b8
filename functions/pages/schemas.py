"""Input schemas of the pages room (names as in openapi.yaml)."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from .model import MAX_HORIZON


class FilingDate(Schema):
    month = fields.Integer(required=True, strict=True, validate=validate.Range(1, 12))
    date = fields.String(required=True, validate=validate.Regexp(
        r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$", error="must be a YYYY-MM-DD date"))


class FilingCalendar(Schema):
    dates = fields.List(fields.Nested(FilingDate), required=True,
                        validate=validate.Length(12, 12))
    source = fields.String(validate=validate.Length(1, 200))


class DeadlinesQuery(Schema):
    days = fields.Integer(load_default=60, validate=validate.Range(0, MAX_HORIZON), strict=False)
