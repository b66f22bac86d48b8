"""The one text-message sender: an approved template and its parameters, through SNS (global
regions) or the domestic provider (China regions); in the local stage each text is also kept in a
dev outbox. Codes, staff second factors and notices all come through here."""
from __future__ import annotations

import logging

from botocore.exceptions import BotoCoreError, ClientError

from . import aws, store
from .errors import Unavailable, aws_code, classify
from .log import mask
from .sms_templates import SmsParamError, Template, checked, get, render

log = logging.getLogger("hall.sms")
__all__ = ["SmsFailure", "SmsMisconfigured", "SmsParamError", "SmsThrottled", "send"]


class SmsFailure(Unavailable):
    """Not sent now; worth a retry later (503 with Retry-After to a person waiting for a code).
    `outcome` is what the ledger records for the attempt."""

    def __init__(self, message: str, outcome: dict, retry_after: int):
        super().__init__(message, details={"retry_after": retry_after},
                         headers={"Retry-After": str(retry_after)})
        self.outcome = outcome


class SmsThrottled(SmsFailure):
    """The provider is busy, throttling us or unreachable. `asked`: the provider itself named
    the wait (a flow-control code), not our default for an error or a timeout."""

    asked = False


class SmsMisconfigured(SmsFailure):
    """Our side is wrong: a template not approved, a bad key, no balance. Logged as an error."""


def outcome(provider: str, template: str, status: str, **more) -> dict:
    """The per-message record for the ledger: {channel, provider, template, status, ...}."""
    return {"channel": "sms", "provider": provider, "template": template, "status": status,
            **more}


def throttled(provider: str, tpl: Template, reason: str, retry_after: int = 5, *,
              asked: bool = False) -> SmsThrottled:
    log.warning("sms provider busy", extra={"provider": provider, "template": tpl.id,
                                            "reason": reason})
    err = SmsThrottled("The text message service is busy; please retry.",
                       outcome(provider, tpl.id, "throttled", reason=reason), retry_after)
    err.asked = asked
    return err


def misconfigured(provider: str, tpl: Template, reason: str) -> SmsMisconfigured:
    log.error("sms configuration error", extra={"provider": provider, "template": tpl.id,
                                                "reason": reason})
    return SmsMisconfigured("Text messages cannot be sent at the moment.",
                            outcome(provider, tpl.id, "failed", reason=reason), 300)


def send(settings, *, phone: str, phone_hash: str, template: str, params: dict,
         at: str, out_id: str | None = None) -> dict:
    """Text `template` with `params` to `phone` (11 digits). Returns the outcome (status "sent",
    or "rejected" when the provider refuses the number); raises SmsParamError (422) for
    parameters the template does not take, SmsFailure (503) when it cannot be sent now.
    `out_id`: the message's own idempotency key, echoed by the provider (`was_sent`)."""
    tpl = get(template)
    values = checked(tpl, params)
    if settings.sms_provider == "aliyun":
        from . import sms_aliyun  # only the China regions load it

        result = sms_aliyun.send(settings, phone, tpl, values, out_id=out_id)
    else:
        result = _sns(settings, phone, tpl, values)
    if settings.local and result["status"] == "sent":  # codes readable here only
        store.outbox_put(settings, phone_hash, mask(phone), render(tpl, values), at)
    level = logging.INFO if result["status"] == "sent" else logging.WARNING
    log.log(level, "sms " + result["status"],
            extra={"phone": mask(phone), "provider": result["provider"], "template": tpl.id,
                   "message_id": result.get("message_id"), "reason": result.get("reason")})
    return result


def was_sent(settings, *, phone: str, out_id: str, day: str) -> bool | None:
    """Did the provider take the text with this `out_id` on `day` (YYYY-MM-DD, Beijing)?
    Asked before a retry whose first try may have gone through (a timeout, a 5xx): True,
    False, or None when the provider cannot say (SNS keeps no such record)."""
    if settings.sms_provider != "aliyun":
        return None
    from . import sms_aliyun

    return sms_aliyun.was_sent(settings, phone, out_id, day)


def _sns(settings, phone: str, tpl: Template, values: dict[str, str]) -> dict:
    try:
        got = aws.client("sns", settings).publish(
            PhoneNumber=f"+86{phone}", Message=render(tpl, values),
            MessageAttributes={"AWS.SNS.SMS.SMSType": {"DataType": "String",
                                                       "StringValue": "Transactional"}})
    except ClientError as err:
        code = aws_code(err)
        if code in ("InvalidParameter", "InvalidParameterValue"):  # SNS refuses the number
            return outcome("sns", tpl.id, "rejected", reason=code)
        if classify(err) == "transient":
            raise throttled("sns", tpl, code) from err
        raise misconfigured("sns", tpl, code) from err
    except BotoCoreError as err:
        raise throttled("sns", tpl, type(err).__name__) from err
    return outcome("sns", tpl.id, "sent", message_id=got["MessageId"])
