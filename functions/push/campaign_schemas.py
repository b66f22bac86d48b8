"""Marshmallow schemas of the campaign endpoints; names match the components in openapi.yaml.
Shapes only: what a topic, template or segment may be is campaigns_model's rule."""
from __future__ import annotations

from marshmallow import Schema, fields, validate


class CampaignCreate(Schema):
    # No text field: a campaign's words are an approved template and its parameters.
    name = fields.String(required=True)
    topic = fields.String(required=True)
    template = fields.String(required=True)
    params = fields.Dict(keys=fields.String(), load_default=dict)
    segment = fields.Dict(keys=fields.String(), required=True)
    urgent = fields.Boolean(load_default=False)
    send_at = fields.String(load_default=None, allow_none=True)


class CampaignsQuery(Schema):
    limit = fields.Integer(load_default=20, validate=validate.Range(1, 50))
    cursor = fields.String(load_default=None, validate=validate.Regexp(
        r"^[A-Za-z0-9_-]{1,800}$", error="Not a valid cursor."))
