"""Verify-a-message: every message the city sends carries a short code that proves it is
genuine. Pure: randomness comes from `secrets`, time is passed in.

Codes are 8 characters of Crockford's base32 (0-9 and A-Z without I, L, O, U: 40 bits), read
back forgivingly (lower case, spaces and hyphens ignored, I/L read as 1, O as 0). They are kept
90 days (KEEP_DAYS): a code older than that answers "not genuine" like an unknown one.
"""
from __future__ import annotations

import re
import secrets
from datetime import datetime, timedelta

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 8
KEEP_DAYS = 90
_READ = str.maketrans({"I": "1", "L": "1", "O": "0"})
_CODE = re.compile(f"^[{ALPHABET}]{{{LENGTH}}}$")
_STRIP = re.compile(r"[\s-]+")
# What a verify answer may say of a message: no personal data, not even masked.
_NUMBERISH = re.compile(r"[0-9Xx*]{6,}")
# The sender of what no department sends (triggered notices, the system's reminders).
HALL_SENDER = ("梅州网上办事大厅", "Meizhou Online Service Hall")


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def read(text: str) -> str | None:
    """The code a person typed, or None when it cannot be one of ours."""
    if not isinstance(text, str) or len(text) > 32:
        return None
    code = _STRIP.sub("", text).upper().translate(_READ)
    return code if _CODE.match(code) else None


def shown(code: str) -> str:
    """As a message prints it: ABCD-EFGH."""
    return f"{code[:4]}-{code[4:]}"


def expires(sent_at: datetime) -> datetime:
    return sent_at + timedelta(days=KEEP_DAYS)


def public_title(title: str) -> str:
    """A title as the public verify answer may repeat it: anything number-like dropped (the
    titles come from approved templates; this is the belt to their braces)."""
    return _NUMBERISH.sub("…", title)[:120]
