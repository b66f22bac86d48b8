"""Rules of the delivery pipeline (pure): what a sent-marker says, which inbox kinds go out on
which topic, how a push's outcomes on several devices add up, how long to wait before a retry
or a deferred release, and the campaign counters one recipient moves.

A recipient of a campaign ends in exactly one of DELIVERED, DEFERRED (held for quiet hours or a
cap, released later: it then moves to delivered), FAILED (every channel tried beyond the inbox
failed) or CANCELLED; the per-channel counts (inbox, push, sms) are kept besides, so a report
reconciles: targeted = delivered + deferred + failed + cancelled."""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

# Marker states: written with the inbox item (PENDING or DEFERRED), SENDING while claimed,
# then DONE once the channels are tried; CANCELLED for a recipient of a cancelled campaign.
PENDING, DEFERRED, DONE, CANCELLED = "pending", "deferred", "done", "cancelled"
# Claimed by one delivery while it sends (a lease: a sender that died is taken over).
SENDING = "sending"
LEASE_SECONDS = 120
FINAL = frozenset({DONE, CANCELLED})
# A push service asking to wait (429/5xx) is tried on this many receives of the record;
# after that the push is given up (recorded failed, SMS when urgent or legal). A record
# failing for any other reason (storage down) goes to the DLQ after the queue's
# maxReceiveCount (infra/template.yaml: 5).
PUSH_TRIES = 3
SQS_DELAY_MAX = 900          # SendMessage's DelaySeconds cap: longer deferrals are chained
VISIBILITY_MAX = 12 * 3600   # ChangeMessageVisibility's cap
BACKOFF_BASE = 10
MARKER_DAYS = 90             # markers (and their idempotency) outlive any redelivery
# Inbox notice kinds other rooms write -> the preference topic they go out on. Delegations
# and account changes are security notices (never muted); a question's answer is about the
# person's dealings with a department (their applications).
TRIGGERED_TOPICS = {"application": "application", "licence": "licence",
                    "deadline": "deadline", "question": "application",
                    "grant": "security", "security": "security"}
TRIGGER_TITLES = {"application": "application_status", "licence": "licence",
                  "deadline": "deadline", "question": "question_answer",
                  "grant": "delegation", "security": "account_security"}
DISPATCH_SHARDS = 8
# Crockford base32 without the ambiguous I, L, O, U.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_code() -> str:
    """The short code a message carries and verify-a-message checks (8 characters)."""
    # 32 letters: the low 5 bits of each random byte pick one uniformly (one urandom call).
    return "".join(CODE_ALPHABET[b & 31] for b in secrets.token_bytes(8))


def recipient_ref(r: dict) -> str:
    """A recipient's identity within a campaign: the party whose inbox gets the message and
    the account whose channels carry it (an enterprise's staff member, or the person)."""
    return f"{r['party']}#{r['account']}"


def check_recipients(recipients) -> list[dict]:
    if not isinstance(recipients, list):
        raise ValueError("recipients is a list")
    out = []
    for r in recipients:
        party, account = r.get("party"), r.get("account")
        if not (isinstance(party, str) and party.split(":", 1)[0] in ("person", "enterprise")
                and ":" in party and isinstance(account, str) and account):
            raise ValueError("a recipient is {party: person:<id>|enterprise:<uscc>, account}")
        if party.startswith("person:") and party != f"person:{account}":
            raise ValueError("a person's message goes to their own account")
        # extra: a staff member the worker added to an enterprise's message (not targeted
        # on their own: their outcome moves the per-channel counts only)
        out.append({"party": party, "account": account,
                    **({"extra": True} if r.get("extra") is True else {})})
    return out


@dataclass(frozen=True)
class PushResult:
    """What one push to all of a person's live devices came to: delivered (at least one
    device took it), retry (none took it and some asked to wait: `retry_after`), absent (no
    live device), gone (every device's subscription had ended: removed), failed (refused)."""
    kind: str
    devices: int = 0
    retry_after: float | None = None
    gone: int = 0


def combine(outcomes: list) -> PushResult:
    """Outcomes (webpush.Outcome) of one message on each device -> one result."""
    if not outcomes:
        return PushResult("absent")
    gone = sum(1 for o in outcomes if o.kind == "gone")
    if any(o.kind == "delivered" for o in outcomes):
        return PushResult("delivered", len(outcomes), gone=gone)
    waits = [o for o in outcomes if o.kind == "retry"]
    if waits:
        asked = [o.retry_after for o in waits if o.retry_after is not None]
        return PushResult("retry", len(outcomes), max(asked) if asked else None, gone)
    if gone == len(outcomes):
        return PushResult("gone", len(outcomes), gone=gone)
    return PushResult("failed", len(outcomes), gone=gone)


def backoff(receive_count: int, retry_after: float | None) -> int:
    """Seconds until the record is seen again: the push service's Retry-After when it gave
    one, else exponential from the receive count (10, 20, 40 ... s, capped)."""
    if retry_after is not None:
        return int(min(max(retry_after, 0), VISIBILITY_MAX))
    return int(min(BACKOFF_BASE * 2 ** max(receive_count - 1, 0), VISIBILITY_MAX))


def delay_until(until: datetime, now: datetime) -> int:
    """DelaySeconds of the next link of a deferral chain (0: due now)."""
    return int(max(0, min(SQS_DELAY_MAX, (until - now).total_seconds())))


def counts_for(final: str, *, push: str | None, sms: str | None, was_deferred: bool,
               extra: bool = False) -> dict:
    """The campaign counters a recipient's final outcome moves (deltas for an atomic ADD). An
    enterprise's targeted party counts once, by the recipient the planner named; the staff the
    worker added (extra) count on the channels only."""
    deltas: dict[str, int] = {} if extra else {final: 1}
    if was_deferred and not extra:
        deltas["deferred"] = -1
    if push == "delivered":
        deltas["push"] = 1
    if sms == "sent":
        deltas["sms"] = 1
    return deltas


def final_state(channels: list[str], push: str | None, sms: str | None) -> str:
    """delivered when the inbox was the only channel asked for or any other channel took it;
    failed when every channel beyond the inbox failed."""
    tried = [c for c in channels if c in ("push", "sms")]
    if not tried and sms is None:
        return "delivered"
    if push == "delivered" or sms == "sent":
        return "delivered"
    if push == "absent" and "sms" not in tried and sms is None:
        return "delivered"  # no device: the inbox (and the ledger) carry it
    return "failed"


def ledger_status(final: str, push: str | None, sms: str | None) -> str:
    """The ledger's status of a finished message (ledger_store.STATUSES)."""
    if final == "failed":
        return "failed"
    if push == "delivered":
        return "delivered"
    if sms == "sent":
        return "fallback_sms" if push else "delivered"
    return "inbox_only"


def reconciles(report: dict) -> bool:
    """targeted = delivered + deferred + failed + cancelled."""
    return report.get("targeted", 0) == sum(report.get(k, 0) for k in
                                             ("delivered", "deferred", "failed", "cancelled"))


def utc_iso(at: str) -> str:
    """A stored time (any offset) as a sortable UTC string: the dispatch index's order."""
    from datetime import UTC

    return datetime.fromisoformat(at).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def shard_of(pk: str) -> int:
    import zlib

    return zlib.crc32(pk.encode()) % DISPATCH_SHARDS


def dispatch_fields(pk: str, sk: str, at: str) -> dict:
    """The "to dispatch" marker a triggered notice carries on its inbox item (sparse GSI1,
    sharded by owner): due at once, in the transaction of the change it reports."""
    shard = shard_of(pk)
    return {"gsi1pk": {"S": f"DISPATCH#{shard}"}, "gsi1sk": {"S": f"{utc_iso(at)}#{pk}#{sk}"}}
