"""Marshmallow schemas of the push room; names match the components in openapi.yaml."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from . import model


class InboxQuery(Schema):
    limit = fields.Integer(load_default=model.LIMIT_DEFAULT,
                           validate=validate.Range(1, model.LIMIT_MAX))
    cursor = fields.String(load_default=None, validate=validate.Regexp(
        r"^[A-Za-z0-9_-]{1,800}$", error="Not a valid cursor."))
    unread = fields.Boolean(load_default=False)


class Notice(Schema):
    id = fields.String()
    kind = fields.String()
    title = fields.String()
    body = fields.String()
    link = fields.String(allow_none=True)
    at = fields.String()
    read = fields.Boolean()
    why = fields.Dict()  # "why did I get this" (preferences: the ledger's why)


class InboxPage(Schema):
    items = fields.List(fields.Nested(Notice))
    next_cursor = fields.String(allow_none=True)


class InboxUnread(Schema):
    unread = fields.Integer()
    by_kind = fields.Dict(keys=fields.String(), values=fields.Integer())


class InboxReadAll(InboxUnread):
    marked = fields.Integer()


INBOX_QUERY = InboxQuery()
NOTICE = Notice()
INBOX_PAGE = InboxPage()
INBOX_UNREAD = InboxUnread()
INBOX_READ_ALL = InboxReadAll()


# ---- Web Push subscriptions (the model checks the keys and the endpoint's host) --------------

class PushKeys(Schema):
    p256dh = fields.String(required=True, validate=validate.Length(1, 200))
    auth = fields.String(required=True, validate=validate.Length(1, 100))


class PushSubscription(Schema):
    endpoint = fields.String(required=True, validate=validate.Length(1, 1024))
    expirationTime = fields.Integer(load_default=None, allow_none=True,  # the browser's spelling
                                    validate=validate.Range(0, 2**53))
    keys = fields.Nested(PushKeys, required=True)


class PushEndpoint(Schema):
    endpoint = fields.String(required=True, validate=validate.Length(1, 1024))


class PushDevice(Schema):
    id = fields.String()
    host = fields.String()
    created = fields.String()
    updated = fields.String()
    expires = fields.Integer(allow_none=True)


class PushDevices(Schema):
    items = fields.List(fields.Nested(PushDevice))


class VapidKey(Schema):
    public_key = fields.String()


PUSH_SUBSCRIPTION = PushSubscription()
PUSH_ENDPOINT = PushEndpoint()
PUSH_DEVICE = PushDevice()
PUSH_DEVICES = PushDevices()
VAPID_KEY = VapidKey()
