"""Marshmallow schemas of the cards; names match the components in openapi.yaml."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from ..hall import model as hall_model
from . import cards_model as model
from .schemas import CURSOR, _text

_DEPARTMENTS = validate.OneOf(sorted(hall_model.by_code("departments")),
                              error="Unknown department.")
_REGIONS = validate.OneOf(sorted(hall_model.by_code("regions")), error="Unknown region.")


class CardExplain(Schema):
    text = fields.String(required=True, validate=_text(model.EXPLAIN_MAX))
    rectified = fields.Boolean(required=True)


class CardClose(Schema):
    note = fields.String(required=True, validate=_text(model.NOTE_MAX))


class CardsQuery(Schema):
    state = fields.String(load_default=model.OPEN, validate=validate.OneOf(model.STATES))
    limit = fields.Integer(load_default=model.LIMIT_DEFAULT,
                           validate=validate.Range(1, model.LIMIT_MAX))
    cursor = fields.String(load_default=None, validate=CURSOR)


class SupervisionCardsQuery(CardsQuery):
    colour = fields.String(load_default=None, validate=validate.OneOf(model.COLOURS))
    department = fields.String(load_default=None, validate=_DEPARTMENTS)
    county = fields.String(load_default=None, validate=_REGIONS)


class HeadGrant(Schema):
    department = fields.String(required=True, validate=_DEPARTMENTS)
    region = fields.String(required=True, validate=_REGIONS)
