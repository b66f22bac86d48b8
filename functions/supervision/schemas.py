"""Marshmallow schemas of the supervision room; names match the components in openapi.yaml."""
from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate

from ..hall import model as hall_model
from . import model

CURSOR = validate.Regexp(r"^[A-Za-z0-9_-]{1,800}$", error="Not a valid cursor.")


def _text(limit: int):
    def check(value: str) -> None:
        if not value.strip():
            raise ValidationError("Must not be blank.")
        if len(value) > limit:
            raise ValidationError(f"At most {limit} characters (最多{limit}字).")
    return check


class QuestionCreate(Schema):
    department = fields.String(required=True, validate=validate.OneOf(
        sorted(hall_model.by_code("departments")), error="Unknown department."))
    matter = fields.String(load_default=None, validate=validate.Regexp(
        r"^\d{6}-[A-Z]{2,8}-\d{4}$", error="Not a matter code."))
    subject = fields.String(load_default=None, validate=validate.Length(
        max=model.SUBJECT_MAX, error=f"At most {model.SUBJECT_MAX} characters "
                                     f"(最多{model.SUBJECT_MAX}字)."))
    text = fields.String(required=True, validate=_text(model.TEXT_MAX))
    kind = fields.String(load_default=model.KIND_DEFAULT, validate=validate.OneOf(
        sorted(model.KINDS), error="Unknown kind."))
    region = fields.String(load_default=None, validate=validate.OneOf(
        sorted(hall_model.by_code("regions")), error="Unknown region."))


class QuestionAnswer(Schema):
    answer = fields.String(required=True, validate=_text(model.ANSWER_MAX))


class QuestionsQuery(Schema):
    limit = fields.Integer(load_default=model.LIMIT_DEFAULT,
                           validate=validate.Range(1, model.LIMIT_MAX))
    cursor = fields.String(load_default=None, validate=CURSOR)


class QueueQuery(QuestionsQuery):
    status = fields.String(load_default=model.OPEN, validate=validate.OneOf(model.STATUSES))
