"""Text messages through SNS; in the local stage only, each is also kept in a dev outbox."""
from __future__ import annotations

import logging

from . import aws, store
from .log import mask

log = logging.getLogger("hall.sms")


def send(settings, *, phone: str, phone_hash: str, text: str, at: str) -> None:
    aws.client("sns", settings).publish(
        PhoneNumber=f"+86{phone}", Message=text,
        MessageAttributes={"AWS.SNS.SMS.SMSType": {"DataType": "String",
                                                   "StringValue": "Transactional"}})
    if settings.local:  # only the local stage keeps a readable copy (codes included)
        store.outbox_put(settings, phone_hash, mask(phone), text, at)
    log.info("sms sent", extra={"phone": mask(phone)})
