"""Marshmallow schemas of identity; names match the components in openapi.yaml."""
from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates

from . import cn_ids, model

_CODE = fields.String(required=True, validate=validate.Regexp(r"^[0-9]{6}$",
                                                                error="6 digits (6位数字验证码)"))


def _id_field(check):
    """A string field whose value must pass a cn_ids check; the message carries both languages."""

    class Checked(fields.String):
        def _deserialize(self, value, attr, data, **kwargs):
            raw = super()._deserialize(value, attr, data, **kwargs)
            try:
                return check(raw)
            except cn_ids.IdError as err:
                raise ValidationError(f"{err.message} ({err.zh})") from err

    return Checked(required=True, validate=validate.Length(max=40))


class CodeRequest(Schema):
    phone = _id_field(cn_ids.validate_phone)
    purpose = fields.String(required=True, validate=validate.OneOf(model.CODE_PURPOSES))


class CitizenRegistration(Schema):
    name = fields.String(required=True, validate=validate.Regexp(
        r"^[\u4e00-\u9fff·]{2,20}$", error="2-20 Chinese characters (请填写2至20个汉字的姓名)"))
    id_number = _id_field(cn_ids.validate_id_number)
    phone = _id_field(cn_ids.validate_phone)
    password = fields.String(required=True, validate=validate.Length(max=64))
    code = _CODE


class Login(Schema):
    phone = _id_field(cn_ids.validate_phone)
    password = fields.String(required=True, validate=validate.Length(1, 64))


class LoginVerify(Schema):
    challenge = fields.String(required=True, validate=validate.Regexp(r"^[0-9a-f]{32}$"))
    code = _CODE


class LoginCode(Schema):
    """验证码登录: the phone and the code texted to it for purpose "login"."""
    phone = _id_field(cn_ids.validate_phone)
    code = _CODE


class PasswordReset(Schema):
    """忘记密码: the phone, the code texted to it for purpose "reset", the new password."""
    phone = _id_field(cn_ids.validate_phone)
    code = _CODE
    password = fields.String(required=True, validate=validate.Length(max=64))


class Party(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(("enterprise", "person")))
    id = fields.String(required=True, validate=validate.Length(1, 40))


class Switch(Schema):
    act_as = fields.Nested(Party, required=True, allow_none=True)


class RealName(Schema):
    name = CitizenRegistration._declared_fields["name"]


class EnterpriseRegistration(Schema):
    uscc = _id_field(cn_ids.validate_uscc)


class GrantRequest(Schema):
    grantor = fields.String(required=True, validate=validate.Regexp(
        r"^(self|enterprise:[0-9A-Z]{18})$", error="self or enterprise:<USCC>"))
    grantee_phone = _id_field(cn_ids.validate_phone)
    role = fields.String(validate=validate.OneOf(model.ENTERPRISE_ROLES))
    matters = fields.List(fields.String(validate=validate.Regexp(r"^\d{6}-[A-Z]{2,8}-\d{4}$")),
                          load_default=list, validate=validate.Length(max=20))
    expires = fields.Date(required=True)


class InPersonCheck(Schema):
    account_id = fields.String(required=True, validate=validate.Regexp(r"^[0-9a-f]{32}$"))
    id_number = _id_field(cn_ids.validate_id_number)


STAFF_ROLES = ("officer", "window", "catalogue_admin", "supervisor", "admin", "head")


class StaffAccount(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(("officer", "supervisor",
                                                                  "admin")))
    name = CitizenRegistration._declared_fields["name"]
    id_number = _id_field(cn_ids.validate_id_number)
    phone = _id_field(cn_ids.validate_phone)
    password = fields.String(required=True, validate=validate.Length(max=64))
    roles = fields.List(fields.String(validate=validate.OneOf(STAFF_ROLES)), required=True,
                        validate=validate.Length(1, 5))
    department = fields.String(validate=validate.Regexp(r"^[A-Z]{2,8}$"))
    region = fields.String(validate=validate.Regexp(r"^\d{6}$"))

    @validates("roles")
    def _roles(self, value, **kwargs):
        if len(set(value)) != len(value):
            raise ValidationError("Roles repeat.")
        if "head" in value:  # only for an officer of the department: see the head route
            raise ValidationError("Make an officer a head with POST /api/v1/admin/accounts/"
                                  "{id}/head (部门负责人须由本部门工作人员任命).")


class DevSession(Schema):
    role = fields.String(required=True, validate=validate.OneOf(STAFF_ROLES))
    kind = fields.String(validate=validate.OneOf(model.KINDS))
    department = StaffAccount._declared_fields["department"]
    region = StaffAccount._declared_fields["region"]


class GrantsQuery(Schema):
    limit = fields.Integer(load_default=20, validate=validate.Range(1, 100), strict=False)
    cursor = fields.String(validate=validate.Regexp(r"^[A-Za-z0-9_-]{1,300}$"))


class OutboxQuery(Schema):
    phone = _id_field(cn_ids.validate_phone)


class RevealQuery(Schema):
    reveal = fields.String(validate=validate.Regexp(r"^(phone|id_number)(,(phone|id_number))?$"))


class DataExportQuery(Schema):
    format = fields.String(validate=validate.OneOf(["json", "text"]), load_default="json")
