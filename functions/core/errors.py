"""Typed domain errors and the one JSON error envelope they map to."""
from __future__ import annotations

import logging

from botocore.exceptions import BotoCoreError, ClientError
from flask import Flask, g, jsonify
from marshmallow import ValidationError
from werkzeug.exceptions import HTTPException

log = logging.getLogger("hall.errors")


class HallError(Exception):
    status = 400
    code = "bad_request"

    def __init__(self, message: str, *, details: dict | None = None, headers: dict | None = None):
        super().__init__(message)
        self.message = message
        self.details = details or {}
        self.headers = headers or {}


class BadRequest(HallError):
    status, code = 400, "bad_request"


class Unauthorized(HallError):
    status, code = 401, "unauthorized"


class Forbidden(HallError):
    status, code = 403, "forbidden"


class NotFound(HallError):
    status, code = 404, "not_found"


class Conflict(HallError):
    status, code = 409, "conflict"


class Unprocessable(HallError):
    status, code = 422, "validation_failed"


class Unavailable(HallError):
    status, code = 503, "unavailable"




def envelope(status: int, code: str, message: str, details: dict | None = None):
    request_id = getattr(g, "request_id", None)
    body = {"error": {"code": code, "message": message, "request_id": request_id}}
    if details:
        body["error"]["details"] = details
    resp = jsonify(body)
    resp.status_code = status
    return resp


def register(app: Flask) -> None:
    @app.errorhandler(HallError)
    def _hall(err: HallError):
        resp = envelope(err.status, err.code, err.message, err.details)
        resp.headers.update(err.headers)
        return resp

    @app.errorhandler(ValidationError)
    def _validation(err: ValidationError):
        details = {"fields": err.messages}
        return envelope(422, "validation_failed", "Some fields are invalid.", details)

    @app.errorhandler(HTTPException)
    def _http(err: HTTPException):
        code = (err.name or "error").lower().replace(" ", "_")
        resp = envelope(err.code or 500, code, err.description or err.name)
        if err.code == 405 and err.get_response().headers.get("Allow"):
            resp.headers["Allow"] = err.get_response().headers["Allow"]
        return resp

    @app.errorhandler(ClientError)
    def _client(err: ClientError):
        aws_code = err.response.get("Error", {}).get("Code", "")
        log.error("storage error", extra={"aws_code": aws_code})
        return _unavailable()

    @app.errorhandler(BotoCoreError)
    def _botocore(err: BotoCoreError):
        log.error("storage unreachable", extra={"aws_error": type(err).__name__})
        return _unavailable()

    @app.errorhandler(Exception)
    def _unexpected(err: Exception):
        log.exception("unhandled error")
        return envelope(500, "internal_error", "Something went wrong on our side.")


def _unavailable():
    resp = envelope(503, "unavailable", "A storage service is busy or unreachable; please retry.")
    resp.headers["Retry-After"] = "2"
    return resp

