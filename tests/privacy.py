"""The suite-wide personal-data guard: no response body and no log line shows a full resident
ID number or mobile number, outside the explicit reveal routes.

What counts as personal (the patterns, not a list of known people, so numbers made up by a
new test are caught too):
* an 18-character string that passes the GB 11643 check digit;
* `1[3-9]` and nine digits.
Neither may sit inside a longer run of letters or digits: unified social credit codes
(GB 32100), application numbers (MZ + 14 digits), hex ids and base64 signatures are not
personal, and a hex id holds an 11-digit run starting 13..19 often enough to make a guard
that looks only at digit runs fail at random.
"""
from __future__ import annotations

import base64
import re

_ID = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
_PHONE = re.compile(r"(?<![0-9A-Za-z])1[3-9]\d{9}(?![0-9A-Za-z])")
_JWT = re.compile(r"eyJ[A-Za-z0-9_-]+\.([A-Za-z0-9_-]+)\.[A-Za-z0-9_-]*")
_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]

# The routes that show numbers in full on purpose (each an audited reveal).
REVEAL_PATHS = (
    re.compile(r"/api/v1/me"),                                   # with ?reveal=
    re.compile(r"/api/v1/officer/applications/MZ\d{14}/reveal"),
)
# The owner's copy of their data (PIPL Art. 45): an audited reveal of their own numbers only.
EXPORT_PATH = "/api/v1/me/data-export"


def _id_check_ok(candidate: str) -> bool:
    total = sum(int(d) * w for d, w in zip(candidate[:17], _WEIGHTS, strict=True))
    return "10X98765432"[total % 11] == candidate[17].upper()


def personal_numbers(text: str) -> list[str]:
    """The full ID numbers and mobile numbers in `text`, and in any token payload in it."""
    for payload in _JWT.findall(text):
        try:
            text += base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)).decode(
                "utf-8", "replace")
        except ValueError:
            pass
    found = [m for m in _ID.findall(text) if _id_check_ok(m)]
    return found + _PHONE.findall(text)


def is_reveal(path: str, args) -> bool:
    if path == "/api/v1/me":
        return bool(args.get("reveal"))
    return any(p.fullmatch(path) for p in REVEAL_PATHS[1:])


# What a response may be that holds no text to read (images, archives): everything else is
# scanned, JSON, YAML, CSV (the public report), HTML, text and SVG alike.
BINARY = re.compile(r"(image/(png|jpeg|gif|webp)|application/(pdf|octet-stream|gzip|zip))")


def scanned(mimetype: str) -> bool:
    return not BINARY.fullmatch(mimetype or "")


def check_response(resp) -> None:
    """Fail when a response outside the reveal routes shows a personal number."""
    req = resp.request
    if not scanned(resp.mimetype) or resp.direct_passthrough:
        return
    text = resp.get_data(as_text=True)
    if resp.status_code == 200 and req.path == EXPORT_PATH:
        # The owner's copy of their data reveals their own two numbers, in its account
        # section alone; any other full number anywhere in it is a leak.
        own = (resp.get_json(silent=True) or {}).get("account") or {}
        for number in filter(None, (own.get("phone"), own.get("id_number"))):
            text = text.replace(number, "")
    elif resp.status_code == 200 and is_reveal(req.path, req.args):
        return
    found = personal_numbers(text)
    assert not found, f"{req.method} {req.full_path} shows personal numbers {found}"


# What leaves the functions for AWS besides the table: job messages (the queue and its
# dead-letter queue keep them for days), texts and topic messages, export objects. Sealed
# fields are ciphertext; the one personal number allowed is an SMS's own destination.
OUTGOING = {("sqs", "SendMessage"): ("MessageBody",), ("sqs", "SendMessageBatch"): ("Entries",),
            ("sns", "Publish"): ("Message", "Subject", "MessageAttributes"),
            ("s3", "PutObject"): ("Body", "Metadata")}


def check_outgoing(service: str, operation: str, params: dict) -> None:
    """Fail when a message, text or object the functions send shows a personal number."""
    fields = OUTGOING.get((service, operation))
    if not fields:
        return
    parts = []
    for name in fields:
        value = params.get(name)
        if isinstance(value, bytes | bytearray):
            try:
                value = bytes(value).decode("utf-8")
            except UnicodeDecodeError:  # gzip snapshots, images: no text
                continue
        elif hasattr(value, "read"):  # a file object: its text is not ours to consume
            continue
        if value is not None:
            parts.append(value if isinstance(value, str) else repr(value))
    found = personal_numbers("\n".join(parts))
    assert not found, f"{service}.{operation} sends personal numbers {found}"


def check_push_payload(payload: dict) -> None:
    """A Web Push payload reaches a lock screen and a push service: no personal number."""
    found = personal_numbers(repr(payload))
    assert not found, f"a push payload shows personal numbers {found}"
