"""Request parsing with marshmallow, response dumping, and cursors over storage keys."""
from __future__ import annotations

import base64
import binascii
import json

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


def encode_key(key: dict | None) -> str | None:
    """A DynamoDB LastEvaluatedKey as an opaque URL-safe cursor."""
    if not key:
        return None
    raw = json.dumps(key, separators=(",", ":"), sort_keys=True).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_key(cursor: str | None) -> dict | None:
    if not cursor:
        return None
    try:
        key = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, ValueError, UnicodeDecodeError) as err:
        raise BadRequest("The cursor is not valid.") from err
    valid = isinstance(key, dict) and all(
        isinstance(v, dict) and set(v) == {"S"} and isinstance(v["S"], str) for v in key.values())
    if not valid or set(key) - {"pk", "sk", "gsi1pk", "gsi1sk", "gsi2pk", "gsi2sk"}:
        raise BadRequest("The cursor is not valid.")
    return key
