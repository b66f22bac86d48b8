"""Marshmallow schemas of intake; names match the components in openapi.yaml."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from ..identity import cn_ids
from ..identity.schemas import _id_field
from . import model

MATTER = validate.Regexp(r"^\d{6}-[A-Z]{2,8}-\d{4}$")
APP_ID = r"^MZ\d{14}$"


class ApplicationCreate(Schema):
    matter = fields.String(required=True, validate=MATTER)
    form = fields.Dict(keys=fields.String(validate=validate.Length(1, 41)), load_default=dict,
                       validate=validate.Length(max=60))


class FormUpdate(Schema):
    form = fields.Dict(keys=fields.String(validate=validate.Length(1, 41)), required=True,
                       validate=validate.Length(max=60))


class UploadRequest(Schema):
    material = fields.String(required=True, validate=validate.Length(1, 100))
    content_type = fields.String(required=True, validate=validate.Length(1, 100))
    size = fields.Integer(required=True, validate=validate.Range(1, 10 ** 10), strict=True)
    filename = fields.String(validate=validate.Length(1, 200))


class MaterialAttach(Schema):
    material = fields.String(required=True, validate=validate.Length(1, 100))
    upload_key = fields.String(validate=validate.Regexp(r"^uploads/MZ\d{14}/[0-9a-f]{32}$"))
    licence_id = fields.String(validate=validate.Regexp(r"^[0-9a-f]{32}$"))
    consent = fields.Boolean(load_default=False)


class OfficerAction(Schema):
    action = fields.String(required=True, validate=validate.OneOf(
        [a for a, (_, _, who) in model.TRANSITIONS.items() if who == "officer"]))
    reason = fields.String(validate=validate.Length(1, 500))
    items = fields.List(fields.String(validate=validate.Length(1, 300)),
                        validate=validate.Length(1, 30))


class CounterIntake(Schema):
    matter = fields.String(required=True, validate=MATTER)
    applicant_phone = _id_field(cn_ids.validate_phone)
    form = fields.Dict(keys=fields.String(validate=validate.Length(1, 41)), load_default=dict,
                       validate=validate.Length(max=60))


class RevealRequest(Schema):
    names = fields.List(fields.String(validate=validate.Length(1, 41)), required=True,
                        validate=validate.Length(1, 60), data_key="fields")


class ProgressQuery(Schema):
    """办件查询: the receipt's number and query code, in the body (not logged in URLs)."""
    number = fields.String(required=True, validate=validate.Regexp(APP_ID))
    code = fields.String(required=True, validate=validate.Regexp(model.QUERY_CODE))


class ListQuery(Schema):
    limit = fields.Integer(load_default=20, validate=validate.Range(1, 100), strict=False)
    cursor = fields.String(validate=validate.Regexp(r"^[A-Za-z0-9_-]{1,600}$"))


class QueueQuery(ListQuery):
    status = fields.String(load_default="submitted", validate=validate.OneOf(model.STATES))


class HolidaySchedule(Schema):
    year = fields.Integer(required=True, strict=True)
    holidays = fields.List(fields.String(validate=validate.Length(10, 10)), required=True)
    workdays = fields.List(fields.String(validate=validate.Length(10, 10)), load_default=list)
    source = fields.String(validate=validate.Length(1, 200))
