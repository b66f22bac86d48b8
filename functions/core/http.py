"""Request parsing with marshmallow, response dumping, and cursors over storage keys."""
from __future__ import annotations

import base64
import binascii
import json
import math
from urllib.parse import unquote_to_bytes

from flask import jsonify, request
from marshmallow import RAISE, Schema, ValidationError

from .errors import BadRequest, Unprocessable


def query(schema: Schema) -> dict:
    """Validate the query string; unknown or malformed parameters are a 400."""
    try:
        return schema.load(request.args.to_dict(), unknown=RAISE)
    except ValidationError as err:
        raise BadRequest("Invalid query parameters.", details={"fields": err.messages}) from err


class _NotFinite(ValueError):
    pass


def _reject_constant(name: str):
    raise _NotFinite(name)


def _check_values(value, path: str = "") -> None:
    """Walk parsed JSON: lone surrogates (not text at all) are a 400; NaN, infinities and
    numbers too large for a double are a 422, like any other value out of range."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as err:
            raise BadRequest("The request holds text that is not valid Unicode.",
                             details={"fields": {path or "body": ["invalid text"]}}) from err
    elif isinstance(value, float) and not math.isfinite(value):
        raise Unprocessable("Numbers must be finite.",
                            details={"fields": {path or "body": ["not a finite number"]}})
    elif isinstance(value, dict):
        for k, v in value.items():
            _check_values(k, path)
            _check_values(v, f"{path}.{k}" if path else str(k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            _check_values(v, f"{path}[{i}]")


def json_body():
    """The request's JSON, read within the size limit whether or not it declared a length
    (a chunked body over the limit is a 413 too), checked for values no schema should see."""
    raw = request.get_data(cache=True)  # a declared length over the limit: 413 already
    limit = request.max_content_length
    if limit is not None and len(raw) >= limit:
        # A chunked body is cut at the limit without complaint: reading on past it raises
        # RequestEntityTooLarge (413) when there was more.
        request.stream.read(1)
    try:
        data = json.loads(raw.decode("utf-8"), parse_constant=_reject_constant)
    except _NotFinite as err:
        raise Unprocessable("Numbers must be finite.",
                            details={"fields": {"body": [f"{err} is not a number"]}}) from err
    except (UnicodeDecodeError, ValueError, RecursionError) as err:
        raise BadRequest("The request body must be a JSON object.") from err
    _check_values(data)
    return data


def check_query_string() -> None:
    """A query string that is not UTF-8 (raw or percent-encoded) is a 400, not mojibake."""
    try:
        unquote_to_bytes(request.query_string.replace(b"+", b" ")).decode("utf-8")
    except UnicodeDecodeError as err:
        raise BadRequest("The query string is not valid UTF-8.") from err


def body(schema: Schema, *, partial: bool = False) -> dict:
    """Validate a JSON body; a body that is not a JSON object is a 400, bad fields a 422."""
    data = json_body()
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


def paged(items: list[dict], last: dict | None):
    """A page of a list: its items and the cursor of the next page (None at the end)."""
    return jsonify({"items": items, "next_cursor": encode_key(last)})


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
