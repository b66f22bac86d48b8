"""Inbox rules: whose inbox a reader opens, which notices their role reads, masks, counts."""
from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass

# Notices about an enterprise's business (its applications, licences and the answers to its
# questions, 企业找政府): every staff role that acts for the enterprise reads them. Anything else
# in an enterprise inbox (who was authorised or removed: the enterprise's staff events) is the
# legal representative's.
# A campaign's message to an enterprise (a hot-service notice, a reminder) is for every role.
BUSINESS_KINDS = frozenset({"application", "licence", "question", "campaign"})

# role acting for an enterprise -> (kinds read, None for every kind; may mark notices read).
# One read state per inbox: a notice read by the legal representative is read for everyone,
# so a viewer (查看人, who follows the company's matters but handles none of them) may look
# but not clear the badge the people who act on the notices rely on.
ENTERPRISE_READERS = {
    "legal_rep": (None, True),
    "approver": (BUSINESS_KINDS, True),
    "preparer": (BUSINESS_KINDS, True),
    "viewer": (BUSINESS_KINDS, False),
}

LIMIT_MAX = 50
LIMIT_DEFAULT = 20


@dataclass(frozen=True)
class Reader:
    """Who reads which inbox: the owner party ("person:<id>" / "enterprise:<uscc>"), the kinds
    they may see (None: all) and whether they may mark notices read."""
    owner: str
    kinds: frozenset | None
    may_mark: bool

    def sees(self, kind: str) -> bool:
        return self.kinds is None or kind in self.kinds


class NotAReader(Exception):
    """The acting identity gives no access to any inbox (a family delegate acting for a
    person: that inbox holds the person's security notices and every other matter)."""


def reader(subject: str, act: dict | None) -> Reader:
    """The inbox of the acting identity: the caller's own, or the enterprise they act for
    with their role's share of it."""
    if not act:
        return Reader(f"person:{subject}", None, True)
    if act.get("kind") == "enterprise" and act.get("role") in ENTERPRISE_READERS:
        kinds, may_mark = ENTERPRISE_READERS[act["role"]]
        return Reader(f"enterprise:{act['id']}", kinds, may_mark)
    raise NotAReader(act.get("role") or "")


def unread_count(counts: dict[str, int], kinds: frozenset | None) -> int:
    """The reader's unread notices from the inbox's per-kind counters (never below zero)."""
    return sum(max(n, 0) for kind, n in counts.items() if kinds is None or kind in kinds)


# ---- notice ids: the sort key's tail, opaque to clients ---------------------------------------

_ID = re.compile(r"^[A-Za-z0-9_-]{8,120}$")
_TAIL = re.compile(r"^\d{4}-\d\d-\d\dT[0-9:.+-]{8,40}#[0-9a-f]{8,32}$")


def notice_id(tail: str) -> str:
    """The id a client sees for the notice whose sort key is INBOX#<tail>."""
    return base64.urlsafe_b64encode(tail.encode()).decode().rstrip("=")


def notice_tail(nid: str) -> str | None:
    """The sort key's tail of a notice id, or None when it cannot be one of ours."""
    if not _ID.match(nid):
        return None
    try:
        tail = base64.urlsafe_b64decode(nid + "=" * (-len(nid) % 4)).decode()
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return None
    return tail if _TAIL.match(tail) else None


# ---- masks: a notice never carries a full ID number or mobile number -------------------------

_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(\d{6})\d{8}(\d{3}[\dXx])(?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<![0-9A-Za-z])(1[3-9]\d)\d{4}(\d{4})(?![0-9A-Za-z])")


def masked(text: str) -> str:
    """Text as a notice may carry it: anything shaped like a resident ID number or a mobile
    number masked as everywhere else (441402********1234, 138****8000). Notices hold text
    other people typed too (an officer's reason for a revocation)."""
    return _MOBILE.sub(r"\1****\2", _ID_NUMBER.sub(r"\1********\2", text))
