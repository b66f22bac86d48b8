"""Marshmallow schemas of the hall; names match the components in openapi.yaml."""
from __future__ import annotations

import re

from marshmallow import Schema, ValidationError, fields, post_load, validate, validates_schema

from . import model

CODE = r"^\d{6}-[A-Z]{2,8}-\d{4}$"


_LAT_LNG = re.compile(r"-?(?:90(?:\.0+)?|[1-8]?[0-9](?:\.[0-9]+)?),"
                      r"-?(?:180(?:\.0+)?|(?:1[0-7][0-9]|[0-9]{1,2})(?:\.[0-9]+)?)")


def _check_lat_lng(value: str) -> tuple[float, float]:
    if not _LAT_LNG.fullmatch(value):
        raise ValidationError("Use lat,lng within range, e.g. 24.29,116.12.")
    lat, lng = value.split(",")
    return float(lat), float(lng)


class LatLng(fields.String):
    def _deserialize(self, value, attr, data, **kwargs):
        return _check_lat_lng(super()._deserialize(value, attr, data, **kwargs))


def _one_of_codes(name: str):
    return validate.OneOf(sorted(model.by_code(name)), error=f"Unknown {name[:-1]}.")


# ---- query parameters ------------------------------------------------------------------

class ThemesQuery(Schema):
    audience = fields.String(load_default="person", validate=validate.OneOf(model.AUDIENCES))
    region = fields.String(validate=_one_of_codes("regions"))


class PageQuery(Schema):
    limit = fields.Integer(load_default=20, validate=validate.Range(1, 100), strict=False)
    # The position in an in-memory listing: plain, so the contract can describe it exactly.
    cursor = fields.String(load_default=None,
                           validate=validate.Regexp(r"^[0-9]{1,7}$", error="Not a valid cursor."))


class MattersQuery(PageQuery):
    q = fields.String(validate=validate.Length(min=1, max=100))
    theme = fields.String(validate=_one_of_codes("themes"))
    audience = fields.String(validate=validate.OneOf(model.AUDIENCES))
    department = fields.String(validate=_one_of_codes("departments"))
    region = fields.String(validate=_one_of_codes("regions"))
    hot = fields.String(validate=validate.OneOf(list(model.HOT_TAGS)))
    # The language of the query: "en" searches English names and aliases (a query holding
    # Chinese characters is still read as Chinese).
    lang = fields.String(load_default="zh", validate=validate.OneOf(["zh", "en"]))


class AudienceQuery(Schema):
    audience = fields.String(validate=validate.OneOf(model.AUDIENCES))


class HotQuery(AudienceQuery):
    region = fields.String(validate=_one_of_codes("regions"))


class MatterQuery(Schema):
    near = LatLng()


class ServicePointsQuery(PageQuery):
    region = fields.String(validate=_one_of_codes("regions"))
    type = fields.String(validate=validate.OneOf(model.POINT_TYPES))
    matter = fields.String(validate=validate.Regexp(CODE))
    near = LatLng()


class MissesQuery(Schema):
    days = fields.Integer(load_default=7, validate=validate.Range(1, 90), strict=False)


# ---- bodies ----------------------------------------------------------------------------

def _parallel(data: dict, errors: dict, key: str, en_key: str) -> None:
    """An English list runs parallel to its Chinese one: the same length, item by item."""
    if en_key in data and len(data[en_key]) != len(data.get(key) or []):
        errors[en_key] = [f"{en_key} needs one entry per entry of {key}."]


def _en_text(max_len: int, **kw):
    return fields.String(validate=validate.Length(1, max_len), **kw)


EN_LISTS = ("aliases_en", "conditions_en", "process_en")


def _en_list(max_items: int, max_len: int):
    return fields.List(_en_text(max_len), validate=validate.Length(max=max_items))


class Fee(Schema):
    item = fields.String(required=True, validate=validate.Length(1, 100))
    amount = fields.String(required=True, validate=validate.Length(1, 50))
    basis = fields.String(validate=validate.Length(max=200))
    name_en = _en_text(200)    # the item, in English
    amount_en = _en_text(100)


class Material(Schema):
    name = fields.String(required=True, validate=validate.Length(1, 100))
    name_en = _en_text(200)
    form = fields.String(required=True, validate=validate.OneOf(model.MATERIAL_FORMS))
    copies = fields.Integer(load_default=1, validate=validate.Range(0, 20))
    licence_type = fields.String(load_default=None, allow_none=True,
                                 validate=validate.Regexp(r"^[a-z][a-z0-9_]{1,40}$"))
    required = fields.Boolean(load_default=True)
    note = fields.String(validate=validate.Length(max=300))


class FormField(Schema):
    name = fields.String(required=True, validate=validate.Regexp(r"^[a-z][a-z0-9_]{0,40}$"))
    label = fields.String(required=True, validate=validate.Length(1, 50))
    type = fields.String(required=True, validate=validate.OneOf(model.FIELD_TYPES))
    required = fields.Boolean(load_default=True)
    options = fields.List(fields.String(validate=validate.Length(1, 50)),
                          validate=validate.Length(max=50))
    label_en = _en_text(100)
    options_en = _en_list(50, 100)

    @validates_schema
    def _options(self, data, **kwargs):
        if data["type"] == "select" and not data.get("options"):
            raise ValidationError("A select field needs options.", "options")
        errors: dict = {}
        _parallel(data, errors, "options", "options_en")
        if errors:
            raise ValidationError(errors)


class MatterInput(Schema):
    """What an officer (or an import) may set on a matter. code comes from the URL on update."""

    code = fields.String(required=True, validate=validate.Regexp(CODE))
    name = fields.String(required=True, validate=validate.Length(2, 80))
    aliases = fields.List(fields.String(validate=validate.Length(1, 40)), load_default=list,
                         validate=validate.Length(max=30))
    name_en = _en_text(200)
    aliases_en = _en_list(30, 100)
    audiences = fields.List(fields.String(validate=validate.OneOf(model.AUDIENCES)), required=True,
                           validate=validate.Length(1, 2))
    themes = fields.List(fields.String(validate=_one_of_codes("themes")), required=True,
                        validate=validate.Length(1, 6))
    department = fields.String(required=True, validate=_one_of_codes("departments"))
    level = fields.String(required=True, validate=validate.OneOf(model.LEVELS))
    region = fields.String(required=True, validate=_one_of_codes("regions"))
    kind = fields.String(required=True, validate=validate.OneOf(model.KINDS))
    online_depth = fields.String(required=True, validate=validate.OneOf(model.ONLINE_DEPTHS))
    visits = fields.Integer(required=True, validate=validate.OneOf([0, 1, 2]))
    legal_days = fields.Integer(required=True, validate=validate.Range(0, 365))
    promised_days = fields.Integer(required=True, validate=validate.Range(0, 365))
    fees = fields.List(fields.Nested(Fee), load_default=list, validate=validate.Length(max=20))
    materials = fields.List(fields.Nested(Material), load_default=list,
                           validate=validate.Length(max=60))
    form_fields = fields.List(fields.Nested(FormField), load_default=list,
                             validate=validate.Length(max=60))
    hot_tags = fields.List(fields.String(validate=validate.OneOf(list(model.HOT_TAGS))),
                          load_default=list)
    mobile = fields.Boolean(required=True)
    conditions = fields.List(fields.String(validate=validate.Length(1, 300)), load_default=list,
                            validate=validate.Length(max=30))
    process = fields.List(fields.String(validate=validate.Length(1, 100)), load_default=list,
                         validate=validate.Length(max=30))
    conditions_en = _en_list(30, 600)
    process_en = _en_list(30, 200)
    guide = fields.String(required=True, validate=validate.Length(1, 4000))
    popularity = fields.Integer(load_default=0, validate=validate.Range(0, 1_000_000))
    # The real-name level applying needs; unset: 2 for licensing matters, else 1.
    required_level = fields.Integer(validate=validate.Range(1, 3))

    @validates_schema
    def _rules(self, data, **kwargs):
        errors = {}
        audiences = data.get("audiences", [])
        bad = [t for t in data.get("themes", []) if not model.theme_matches_audiences(t, audiences)]
        if bad:
            errors["themes"] = [f"Theme {', '.join(bad)} does not belong to the audiences."]
        if data.get("promised_days", 0) > data.get("legal_days", 0):
            errors["promised_days"] = ["The promised limit cannot exceed the legal limit."]
        region, level = data.get("region"), data.get("level")
        if region and level and (region == model.CITY_REGION) != (level == "city"):
            errors["level"] = ["City-level matters belong to 441400; others to a county."]
        names = [f["name"] for f in data.get("form_fields", [])]
        if len(names) != len(set(names)):
            errors["form_fields"] = ["Field names must be unique."]
        _parallel(data, errors, "conditions", "conditions_en")
        _parallel(data, errors, "process", "process_en")
        if errors:
            raise ValidationError(errors)

    @post_load
    def _no_empty_english_lists(self, data, **kwargs):
        # An empty English list means no English twin, as an absent one does (and as a CSV's
        # empty column reads): store one form, so an export re-imports as no change.
        return {k: v for k, v in data.items() if v != [] or k not in EN_LISTS}


class MatterUpdate(MatterInput):
    class Meta:
        exclude = ("code",)


class ScenarioAnswers(Schema):
    answers = fields.Dict(keys=fields.String(validate=validate.Length(1, 40)),
                          values=fields.String(validate=validate.Length(1, 40)), required=True,
                          validate=validate.Length(max=20))
