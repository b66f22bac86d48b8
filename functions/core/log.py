"""JSON log lines that carry the request id, with personal data masked."""
from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from contextvars import ContextVar

from flask import Flask, g, request

# An 18-character resident ID number or an 11-digit mainland mobile number.
_ID = re.compile(r"(?<![0-9A-Za-z])(\d{6})\d{8}(\d{3}[\dXx])(?![0-9A-Za-z])")
_PHONE = re.compile(r"(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)")
# The id of the request (or job) being handled: services read it for audit records without
# knowing about Flask; workers set it per message.
_request_id: ContextVar[str | None] = ContextVar("request_id", default=None)


def request_id() -> str | None:
    return _request_id.get()


def set_request_id(value: str | None) -> None:
    _request_id.set(value)


def mask(text: str) -> str:
    """441402199001011234 -> 441402********1234; 13812345678 -> 138****5678."""
    text = _ID.sub(lambda m: m.group(1) + "*" * 8 + m.group(2), text)
    return _PHONE.sub(lambda m: m.group(1) + "****" + m.group(2), text)


class JsonFormatter(logging.Formatter):
    _skip = set(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {"message", "asctime"}

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "ts": round(record.created, 3),
            "level": record.levelname,
            "logger": record.name,
            "msg": record.getMessage(),
        }
        if request_id():
            line["request_id"] = request_id()
        for key, value in record.__dict__.items():
            if key not in self._skip:
                line[key] = value
        if record.exc_info:
            line["exc"] = self.formatException(record.exc_info)
        return mask(json.dumps(line, ensure_ascii=False, default=str))


def configure(level: str = "INFO") -> None:
    root = logging.getLogger("hall")
    if not any(isinstance(h.formatter, JsonFormatter) for h in root.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(JsonFormatter())
        root.addHandler(handler)
        root.propagate = False
    root.setLevel(level)


def register(app: Flask) -> None:
    access = logging.getLogger("hall.access")

    @app.before_request
    def _start():
        incoming = request.headers.get("X-Request-Id", "")
        valid = re.fullmatch(r"[A-Za-z0-9-]{8,64}", incoming)
        g.request_id = incoming if valid else uuid.uuid4().hex
        set_request_id(g.request_id)
        g.started = time.perf_counter()

    @app.after_request
    def _finish(resp):
        resp.headers["X-Request-Id"] = g.get("request_id", "")
        access.info(
            "request",
            extra={
                "method": request.method,
                "path": request.path,
                "status": resp.status_code,
                "ms": round((time.perf_counter() - g.get("started", 0.0)) * 1000, 1),
            },
        )
        return resp
