"""Marshmallow schemas of 好差评; names match the components in openapi.yaml."""
from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from ..hall import model as hall_model
from ..intake import model as intake_model
from ..intake.schemas import APP_ID
from . import ratings_model as model
from .schemas import CURSOR


class StrictBool(fields.Boolean):
    """true or false only (not "yes", 1 or "true")."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise self.make_error("invalid")
        return value


def _departments():
    return validate.OneOf(sorted(hall_model.by_code("departments")), error="Unknown department.")


def _regions():
    return validate.OneOf(sorted(hall_model.by_code("regions")), error="Unknown region.")


_TAGS = sorted({t for tags in model.TAGS.values() for t in tags})


def _text(limit: int, *, blank_ok: bool = False):
    def check(value: str) -> None:
        if not blank_ok and not value.strip():
            raise ValidationError("Must not be blank.")
        if len(value) > limit:
            raise ValidationError(f"At most {limit} characters (最多{limit}字).")
    return check


class RatingCreate(Schema):
    level = fields.Integer(required=True, strict=True,
                           validate=validate.OneOf(sorted(model.LEVELS)))
    tags = fields.List(fields.String(validate=validate.OneOf(_TAGS, error="Unknown tag.")),
                       load_default=list, validate=validate.Length(max=model.TAGS_MAX))
    comment = fields.String(load_default="", validate=_text(model.COMMENT_MAX, blank_ok=True))


class PublicRatingCreate(RatingCreate):
    application = fields.String(required=True, validate=validate.Regexp(APP_ID))
    query_code = fields.String(required=True,
                               validate=validate.Regexp(intake_model.QUERY_CODE))


class Callback(Schema):
    text = fields.String(required=True, validate=_text(model.CALLBACK_MAX))
    rectified = StrictBool(required=True)


class Appeal(Schema):
    reason = fields.String(required=True, validate=_text(model.REASON_MAX))


class AppealDecision(Schema):
    upheld = StrictBool(required=True)
    note = fields.String(load_default="", validate=_text(model.NOTE_MAX, blank_ok=True))


class RatingsQuery(Schema):
    limit = fields.Integer(load_default=model.LIMIT_DEFAULT,
                           validate=validate.Range(1, model.LIMIT_MAX))
    cursor = fields.String(load_default=None, validate=CURSOR)


class SupervisionRatingsQuery(RatingsQuery):
    state = fields.String(load_default=model.RECTIFYING, validate=validate.OneOf(model.STATES))
    department = fields.String(load_default=None, validate=_departments())
    county = fields.String(load_default=None, validate=_regions())


class PublicRatingsQuery(RatingsQuery):
    matter = fields.String(load_default=None, validate=validate.Regexp(
        r"^\d{6}-[A-Z]{2,8}-\d{4}$", error="Not a matter code."))
    department = fields.String(load_default=None, validate=_departments())
    region = fields.String(load_default=None, validate=_regions())

    @validates_schema
    def one_scope(self, data, **kwargs):
        if bool(data.get("matter")) == bool(data.get("department")):
            raise ValidationError("Give a matter or a department (one of them).", "matter")
