"""Marshmallow schemas of preferences, the ledger and verify-a-message; names match the
components in openapi.yaml. The rules on the preferences' values live in preferences_model
(one place, its field paths in the 422)."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from . import model


class PreferencesChange(Schema):
    topics = fields.Raw()
    quiet_hours = fields.Raw(allow_none=True)
    caps = fields.Raw()
    digest = fields.Raw()
    enterprise = fields.Raw()


class EnterpriseTopics(Schema):
    uscc = fields.String()
    role = fields.String(allow_none=True)
    topics = fields.Dict()


class Preferences(Schema):
    topics = fields.Dict()
    quiet_hours = fields.Dict(allow_none=True)
    caps = fields.Dict()
    digest = fields.Dict()
    fixed = fields.List(fields.String())
    enterprise = fields.Nested(EnterpriseTopics)


class LedgerQuery(Schema):
    limit = fields.Integer(load_default=model.LIMIT_DEFAULT,
                           validate=validate.Range(1, model.LIMIT_MAX))
    cursor = fields.String(load_default=None, validate=validate.Regexp(
        r"^[A-Za-z0-9_-]{1,800}$", error="Not a valid cursor."))


class LedgerEntry(Schema):
    id = fields.String()
    at = fields.String()
    party = fields.String()
    topic = fields.String()
    title = fields.String()
    channels = fields.Dict(keys=fields.String(), values=fields.String())
    status = fields.String()
    why = fields.Dict()
    code = fields.String(allow_none=True)
    campaign = fields.String(allow_none=True)


class LedgerPage(Schema):
    items = fields.List(fields.Nested(LedgerEntry))
    next_cursor = fields.String(allow_none=True)


class VerifyMessageRequest(Schema):
    code = fields.String(required=True, validate=validate.Length(1, 32))


class VerifyMessageResult(Schema):
    genuine = fields.Boolean()
    sent_at = fields.String()
    channel = fields.String()
    title = fields.String()
    sender = fields.String()
    sender_en = fields.String()


PREFERENCES_CHANGE = PreferencesChange()
PREFERENCES = Preferences()
LEDGER_QUERY = LedgerQuery()
LEDGER_PAGE = LedgerPage()
VERIFY_MESSAGE_REQUEST = VerifyMessageRequest()
VERIFY_MESSAGE_RESULT = VerifyMessageResult()
