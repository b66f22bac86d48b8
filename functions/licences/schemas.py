"""Marshmallow schemas of the licence room; names match the components in openapi.yaml."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from . import model

MATTER_CODE = r"^\d{6}-[A-Z]{2,8}-\d{4}$"


class LicenceIssue(Schema):
    type = fields.String(required=True, validate=validate.OneOf(
        sorted(model.licence_types()), error="Unknown licence type (没有该证照类型)."))
    holder_kind = fields.String(required=True, validate=validate.OneOf(model.HOLDER_KINDS))
    holder_id = fields.String(required=True, validate=validate.Regexp(
        r"^([0-9a-f]{32}|[0-9A-HJ-NPQRTUWXY]{18})$",
        error="An account id (32 hex) or a unified social credit code (18)."))
    application = fields.String(load_default=None, allow_none=True,
                                validate=validate.Regexp(r"^[0-9A-Za-z-]{1,64}$"))
    # Last: from here on `fields` names this field inside the class body, not the module.
    fields = fields.Dict(keys=fields.String(validate=validate.Length(1, 40)),
                         values=fields.String(validate=validate.Length(1, 500)),
                         load_default=dict, validate=validate.Length(max=30))


class LicenceRevoke(Schema):
    reason = fields.String(required=True, validate=validate.Length(2, 200))


class SharePreviewRequest(Schema):
    matter = fields.String(required=True, validate=validate.Regexp(MATTER_CODE))


class WalletQuery(Schema):
    matter = fields.String(validate=validate.Regexp(MATTER_CODE))
