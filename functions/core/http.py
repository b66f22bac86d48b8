"""Request parsing with marshmallow, response dumping and opaque cursors."""
from __future__ import annotations

import base64
import binascii
import json

from flask import jsonify, request
from marshmallow import EXCLUDE, RAISE, Schema, ValidationError

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


def encode_cursor(state: dict) -> str:
    raw = json.dumps(state, separators=(",", ":"), sort_keys=True).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> dict:
    if not cursor:
        return {}
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        state = json.loads(raw)
    except (binascii.Error, ValueError, UnicodeDecodeError) as err:
        raise BadRequest("The cursor is not valid.") from err
    if not isinstance(state, dict):
        raise BadRequest("The cursor is not valid.")
    return state


__all__ = ["query", "body", "dump", "encode_cursor", "decode_cursor", "EXCLUDE"]
