"""A notice's text message, retried: a provider that is busy, answers 5xx or does not answer
in time is tried again after a backoff (its Retry-After when it gave one, capped: the worker
holds the record meanwhile), up to TRIES times; then the text is recorded failed (the inbox
has the message; nothing is dropped silently). Never sent twice: every try carries the
message's own idempotency key (the provider's OutId), and before a retry the provider is asked
whether a text with that key went out after all (a timeout may hide a success: Aliyun's
QuerySendDetails; SNS keeps no such record, so there a retry is a new try). A refusal on our
side (template not approved, bad key) is not retried."""
from __future__ import annotations

import hashlib
import logging
import time

from ..core import clock
from ..core import sms as sms_sender

log = logging.getLogger("hall.push.sms")
TRIES = 3
BACKOFF = (1.0, 2.0)   # seconds before the second and third tries
MAX_WAIT = 5.0         # the longest wait between tries (a throttle asking more gets this)


def key(*parts: str) -> str:
    """The idempotency key of one message to one person (32 hex: Aliyun's OutId field)."""
    return hashlib.sha256("#".join(parts).encode()).hexdigest()[:32]


def send(settings, *, phone: str, phone_hash: str, template: str, params: dict, key: str,
         at: str) -> dict:
    """{status: sent | rejected | failed, tries, reason?, deduplicated?}."""
    day = clock.iso(clock.now())[:10]
    reason, tries = "", 0
    for attempt in range(TRIES):
        if attempt and _went_out(settings, phone, key, day, attempt):
            return {"status": "sent", "tries": attempt, "deduplicated": True}
        tries = attempt + 1
        try:
            got = sms_sender.send(settings, phone=phone, phone_hash=phone_hash,
                                  template=template, params=params, at=at, out_id=key)
            return {"status": "sent" if got["status"] == "sent" else "rejected",
                    "tries": attempt + 1}
        except sms_sender.SmsMisconfigured as err:
            return {"status": "failed", "tries": attempt + 1,
                    "reason": err.outcome.get("reason", "")}
        except sms_sender.SmsThrottled as err:
            reason = err.outcome.get("reason", "")
            asked = float(err.details.get("retry_after") or 0) if err.asked else 0.0
            wait = min(max(asked, BACKOFF[min(attempt, len(BACKOFF) - 1)]), MAX_WAIT)
            if attempt + 1 < TRIES:
                time.sleep(wait)
    if _went_out(settings, phone, key, day, tries):  # the last try's answer was lost
        return {"status": "sent", "tries": tries, "deduplicated": True}
    log.warning("sms failed after retries", extra={"template": template, "reason": reason,
                                                   "tries": tries})
    return {"status": "failed", "tries": tries, "reason": reason}


def _went_out(settings, phone: str, key: str, day: str, tries: int) -> bool:
    if sms_sender.was_sent(settings, phone=phone, out_id=key, day=day):
        log.info("sms sent on an earlier try", extra={"tries": tries})
        return True
    return False
