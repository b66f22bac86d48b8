"""Aliyun SMS (Dysmsapi 2017-05-25 SendSms, an RPC API signed with signature v1, HMAC-SHA1):
the sender in the China regions. It sends an approved template's code and its parameters only."""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import threading
import time
import uuid
from datetime import UTC, datetime
from urllib.parse import quote, urlencode

from botocore.exceptions import BotoCoreError, ClientError

from . import aws
from .errors import aws_code, classify
from .sms import misconfigured, outcome, throttled
from .sms_templates import PLACEHOLDER, SmsParamError, Template

log = logging.getLogger("hall.sms")
PROVIDER = "aliyun"
ENDPOINT = "https://dysmsapi.aliyuncs.com/"
VERSION = "2017-05-25"
# Connect and read timeouts (seconds): a person is waiting for a code.
CONNECT_TIMEOUT, READ_TIMEOUT = 3.05, 5.0
KEYS_REFRESH = 300.0

# The provider's answer codes, by what they mean for us.
THROTTLED = {  # busy or at a limit: retry later
    "isv.BUSINESS_LIMIT_CONTROL": 60, "isv.DAY_LIMIT_CONTROL": 3600,
    "isv.MONTH_LIMIT_CONTROL": 3600, "Throttling": 5, "Throttling.User": 5, "Throttling.Api": 5,
    "isp.SYSTEM_ERROR": 5, "isp.GATEWAY_ERROR": 5, "ServiceUnavailable": 5, "InternalError": 5,
}
REJECTED = {"isv.MOBILE_NUMBER_ILLEGAL", "isv.PHONE_NUMBER_ILLEGAL"}  # the number
PARAM_REFUSED = {"isv.PARAM_LENGTH_LIMIT", "isv.PARAM_NOT_SUPPORT_URL",
                 "isv.BLACK_KEY_CONTROL_LIMIT", "isv.SMS_CONTENT_ILLEGAL"}
# Everything else (isv.SMS_TEMPLATE_ILLEGAL, isv.SMS_SIGNATURE_ILLEGAL, SignatureDoesNotMatch,
# InvalidAccessKeyId.NotFound, isv.OUT_OF_SERVICE, isv.TEMPLATE_MISSING_PARAMETERS...) is a
# configuration error: loud in the logs, never retried as if it were busy.

_lock = threading.Lock()
_keys: dict[str, tuple[dict, float]] = {}
_pool = None


def percent(value: str) -> str:
    """RFC 3986 percent-encoding as the signature wants it: only A-Z a-z 0-9 - _ . ~ stay."""
    return quote(value, safe="-_.~")


def string_to_sign(method: str, params: dict[str, str]) -> str:
    canonical = "&".join(f"{percent(k)}={percent(v)}" for k, v in sorted(params.items()))
    return f"{method}&{percent('/')}&{percent(canonical)}"


def signature(secret: str, text: str) -> str:
    digest = hmac.new(f"{secret}&".encode(), text.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def signed(keys: dict, business: dict[str, str], *, now: datetime, nonce: str,
           action: str = "SendSms") -> dict:
    """The form of one POST: common parameters, the business ones and their Signature."""
    params = {
        "AccessKeyId": keys["access_key_id"], "Action": action, "Format": "JSON",
        "RegionId": "cn-hangzhou", "SignatureMethod": "HMAC-SHA1", "SignatureNonce": nonce,
        "SignatureVersion": "1.0", "Timestamp": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "Version": VERSION, **business}
    return {**params,
            "Signature": signature(keys["access_key_secret"], string_to_sign("POST", params))}


def send(settings, phone: str, tpl: Template, values: dict[str, str], *,
         out_id: str | None = None) -> dict:
    code = tpl.code(PROVIDER)
    if not code or (code.startswith(PLACEHOLDER) and not settings.local):
        raise misconfigured(PROVIDER, tpl, "no approved template code")
    out_id = out_id or uuid.uuid4().hex  # ours, echoed in the provider's delivery reports
    business = {"PhoneNumbers": phone, "SignName": tpl.sign, "TemplateCode": code,
                "TemplateParam": json.dumps(values, ensure_ascii=False, separators=(",", ":")),
                "OutId": out_id}
    form = signed(_credentials(settings, tpl), business, now=datetime.now(UTC),
                  nonce=uuid.uuid4().hex)
    answer = _post(settings, tpl, form)
    result = answer.get("Code", "")
    if result == "OK":
        return outcome(PROVIDER, tpl.id, "sent", message_id=answer.get("BizId"), out_id=out_id)
    if result in REJECTED:
        return outcome(PROVIDER, tpl.id, "rejected", reason=result, out_id=out_id)
    if result in THROTTLED:
        raise throttled(PROVIDER, tpl, result, THROTTLED[result], asked=True)
    if result in PARAM_REFUSED:
        raise SmsParamError(tpl.id, "params", f"refused by the provider ({result})")
    raise misconfigured(PROVIDER, tpl, result or "unreadable answer")


def was_sent(settings, phone: str, out_id: str, day: str) -> bool | None:
    """QuerySendDetails of `phone` on `day`: is a text with our `out_id` among them (waiting
    for its receipt or delivered)? None when the provider cannot be asked now."""
    from .sms_templates import get

    tpl = get("account_code")  # for the error paths' log lines only
    try:
        form = signed(_credentials(settings, tpl), {
            "PhoneNumber": phone, "SendDate": day.replace("-", ""), "PageSize": "50",
            "CurrentPage": "1"}, now=datetime.now(UTC), nonce=uuid.uuid4().hex,
            action="QuerySendDetails")
        answer = _post(settings, tpl, form)
    except Exception:  # noqa: BLE001 - unknown: the caller decides without it
        return None
    if answer.get("Code") != "OK":
        return None
    found = (answer.get("SmsSendDetailDTOs") or {}).get("SmsSendDetailDTO") or []
    return any(d.get("OutId") == out_id and d.get("SendStatus") in (1, 3) for d in found)


def _post(settings, tpl: Template, form: dict) -> dict:
    import urllib3  # shipped with the Lambda runtime (botocore's); requests is not

    global _pool
    with _lock:
        if _pool is None:  # one pool a process: kept-alive connections to the provider
            _pool = urllib3.PoolManager(
                num_pools=2, maxsize=4, retries=False,
                timeout=urllib3.Timeout(connect=CONNECT_TIMEOUT, read=READ_TIMEOUT))
    try:
        resp = _pool.request("POST", settings.sms_endpoint or ENDPOINT, body=urlencode(form),
                             headers={"Content-Type": "application/x-www-form-urlencoded",
                                      "Accept": "application/json"})
    except urllib3.exceptions.HTTPError as err:  # timeouts, refused, reset
        raise throttled(PROVIDER, tpl, type(err).__name__) from err
    try:
        answer = json.loads(resp.data or b"{}")
    except ValueError:
        answer = {}
    if not isinstance(answer, dict):
        answer = {}
    if resp.status >= 500 and not answer.get("Code"):
        raise throttled(PROVIDER, tpl, f"HTTP {resp.status}")
    return answer


def _credentials(settings, tpl: Template) -> dict:
    """The AccessKey from its SSM SecureString, cached like the other keys."""
    name = settings.sms_keys_param
    hit = _keys.get(name)
    if hit and time.monotonic() - hit[1] < KEYS_REFRESH:
        return hit[0]
    with _lock:
        try:
            got = aws.client("ssm", settings).get_parameter(Name=name, WithDecryption=True)
            doc = json.loads(got["Parameter"]["Value"])
            keys = {"access_key_id": doc["access_key_id"],
                    "access_key_secret": doc["access_key_secret"]}
        except ClientError as err:
            if hit:
                return hit[0]
            if classify(err) == "transient":
                raise throttled(PROVIDER, tpl, "ssm") from err
            raise misconfigured(PROVIDER, tpl, f"{name}: {aws_code(err)}") from None
        except BotoCoreError as err:
            if hit:
                return hit[0]
            raise throttled(PROVIDER, tpl, "ssm") from err
        except (ValueError, KeyError, TypeError):
            raise misconfigured(PROVIDER, tpl, f"{name} is not an AccessKey document") from None
        _keys[name] = (keys, time.monotonic())
        return keys


def forget() -> None:
    _keys.clear()
