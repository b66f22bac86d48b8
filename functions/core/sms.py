"""Text messages through SNS; outside prod each message is also kept in a dev outbox."""
from __future__ import annotations

import logging

from . import aws
from .log import mask

log = logging.getLogger("hall.sms")
# Only these stages keep a readable copy of every text (codes included); any shared stage
# (staging, prod) has neither the outbox nor the route that reads it.
OUTBOX_STAGES = frozenset({"local", "dev"})


def outbox_item(phone_hash: str, phone_mask: str, text: str, at: str) -> dict:
    return {"pk": {"S": f"DEVOUTBOX#{phone_hash}"}, "sk": {"S": at},
            "phone": {"S": phone_mask}, "text": {"S": text}}


def send(settings, *, phone: str, phone_hash: str, text: str, at: str) -> None:
    aws.client("sns", settings).publish(
        PhoneNumber=f"+86{phone}", Message=text,
        MessageAttributes={"AWS.SNS.SMS.SMSType": {"DataType": "String",
                                                   "StringValue": "Transactional"}})
    if settings.stage in OUTBOX_STAGES:
        aws.client("dynamodb", settings).put_item(
            TableName=settings.table_name,
            Item=outbox_item(phone_hash, mask(phone), text, at))
    log.info("sms sent", extra={"phone": mask(phone)})
