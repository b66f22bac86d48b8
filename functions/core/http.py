"""Request parsing with marshmallow and response dumping."""
from __future__ import annotations

from flask import jsonify, request
from marshmallow import RAISE, Schema, ValidationError

from .errors import BadRequest, Unprocessable


def query(schema: Schema) -> dict:
    """Validate the query string; unknown or malformed parameters are a 400."""
    try:
        return schema.load(request.args.to_dict(), unknown=RAISE)
    except ValidationError as err:
        raise BadRequest("Invalid query parameters.", details={"fields": err.messages}) from err


def body(schema: Schema, *, partial: bool = False) -> dict:
    """Validate a JSON body; a body that is not a JSON object is a 400, bad fields a 422."""
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise BadRequest("The request body must be a JSON object.")
    try:
        return schema.load(data, unknown=RAISE, partial=partial)
    except ValidationError as err:
        raise Unprocessable("Some fields are invalid.", details={"fields": err.messages}) from err


def dump(schema: Schema, obj, status: int = 200, headers: dict | None = None):
    resp = jsonify(schema.dump(obj))
    resp.status_code = status
    if headers:
        resp.headers.update(headers)
    return resp
