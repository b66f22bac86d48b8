"""Typed domain errors and the one JSON error envelope they map to.

The error types import nothing but the standard library, so models and services raise them
without a framework in sight; register() maps them (and storage faults) to responses once.
"""
from __future__ import annotations

import logging

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


class TooLarge(HallError):
    status, code = 413, "payload_too_large"


class WrongType(HallError):
    status, code = 415, "unsupported_media_type"


class Unprocessable(HallError):
    status, code = 422, "validation_failed"


class TooManyRequests(HallError):
    status, code = 429, "too_many_requests"


class Unavailable(HallError):
    status, code = 503, "unavailable"


class RuleError(Unprocessable):
    """A request that breaks a domain rule. `field` names the input at fault and `zh` says it
    for the UI; `fields` carries several at once (a form). Always a 422 naming the fields."""

    def __init__(self, field: str, message: str, zh: str = "", *,
                 fields: dict[str, list[str]] | None = None, details: dict | None = None):
        detail_fields = fields or {field: [f"{message} ({zh})" if zh else message]}
        super().__init__(message, details={"fields": detail_fields, **(details or {})})
        self.field, self.zh = field, zh


# ---- storage faults by their code --------------------------------------------------------

# Worth a retry: the service is busy, throttling us, or lost a race with another writer.
TRANSIENT = frozenset({
    "ThrottlingException", "Throttling", "ThrottlingError", "ThrottledException",
    "ProvisionedThroughputExceededException", "ProvisionedThroughputExceeded",
    "RequestLimitExceeded", "LimitExceededException", "TooManyRequestsException",
    "InternalServerError", "InternalServerErrorException", "InternalFailure", "InternalError",
    "ServiceUnavailable", "ServiceUnavailableException", "Unavailable", "SlowDown",
    "TransactionConflict", "TransactionConflictException", "TransactionInProgressException",
    "RequestTimeout", "RequestTimeoutException", "PriorRequestNotComplete",
})


def classify(err: Exception) -> str:
    """'transient' (503, retry), 'condition' (a failed condition no store turned into the
    domain's answer: 409) or 'bug' (500): by the AWS error code, never by message text."""
    from botocore.exceptions import ClientError, HTTPClientError
    from botocore.exceptions import ConnectionError as BotoConnectionError

    if isinstance(err, ClientError):
        code = err.response.get("Error", {}).get("Code", "")
        if code in TRANSIENT:
            return "transient"
        status = err.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0
        if code == "TransactionCanceledException":
            reasons = {r.get("Code") for r in err.response.get("CancellationReasons") or []}
            if reasons & TRANSIENT:
                return "transient"
            return "condition" if "ConditionalCheckFailed" in reasons else "bug"
        if code == "ConditionalCheckFailedException":
            return "condition"
        return "transient" if status in (500, 502, 503, 504) else "bug"
    if isinstance(err, BotoConnectionError | HTTPClientError):  # timeouts, refused, reset
        return "transient"
    return "bug"


def aws_code(err: Exception) -> str:
    response = getattr(err, "response", None) or {}
    return response.get("Error", {}).get("Code", "") or type(err).__name__


# ---- the envelope ---------------------------------------------------------------------------

def envelope(status: int, code: str, message: str, details: dict | None = None):
    from flask import g, jsonify

    request_id = getattr(g, "request_id", None)
    body = {"error": {"code": code, "message": message, "request_id": request_id}}
    if details:
        body["error"]["details"] = details
    resp = jsonify(body)
    resp.status_code = status
    return resp


def register(app) -> None:
    from botocore.exceptions import BotoCoreError, ClientError
    from marshmallow import ValidationError
    from werkzeug.exceptions import HTTPException

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
    @app.errorhandler(BotoCoreError)
    def _storage(err: Exception):
        kind = classify(err)
        if kind == "transient":
            log.warning("storage busy", extra={"aws_code": aws_code(err)})
            resp = envelope(503, "unavailable",
                            "A storage service is busy or unreachable; please retry.")
            resp.headers["Retry-After"] = "2"
            return resp
        if kind == "condition":
            log.warning("unmapped condition failure", extra={"aws_code": aws_code(err)})
            return envelope(409, "conflict", "The record changed meanwhile; read it again.")
        log.error("storage error", extra={"aws_code": aws_code(err)}, exc_info=err)
        return envelope(500, "internal_error", "Something went wrong on our side.")

    @app.errorhandler(Exception)
    def _unexpected(err: Exception):
        log.exception("unhandled error")
        return envelope(500, "internal_error", "Something went wrong on our side.")
