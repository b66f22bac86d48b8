"""A loopback stand-in of Aliyun's SMS API (Dysmsapi 2017-05-25 SendSms over RPC).

It checks a request the way the provider does: the common parameters, the timestamp, a nonce
used once, the signature recomputed from the form with the account's secret (signature v1,
HMAC-SHA1, following the provider's documentation and none of our code), the template code
among the approved ones, the sign name and the parameters the approved text takes. It then
answers what a test asks for: success, throttled, invalid number or template not approved.
The approved templates are the data file's, in the provider's own ${name} syntax.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import threading
import uuid
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, quote_plus

DATA = Path(__file__).resolve().parents[2] / "functions" / "core" / "data" / "sms_templates.json"
ACCESS_KEY_ID = "LTAI5tStandInKeyId0001"
ACCESS_KEY_SECRET = "stand-in-secret-Qm9vW2x4c3RhbmQtaW4"
COMMON = {"Format": "JSON", "SignatureMethod": "HMAC-SHA1", "SignatureVersion": "1.0",
          "Version": "2017-05-25"}
ACTIONS = ("SendSms", "QuerySendDetails")
ANSWERS = {  # what each mode answers after the request checked out (HTTP 200, as Aliyun does)
    "throttled": ("isv.BUSINESS_LIMIT_CONTROL", "触发分钟级流控Permits:1"),
    "invalid_number": ("isv.MOBILE_NUMBER_ILLEGAL", "非法手机号"),
    "unapproved": ("isv.SMS_TEMPLATE_ILLEGAL", "该账号下找不到对应模板"),
}


def approved_templates() -> dict[str, dict]:
    """{template code: {"sign", "text" with ${name} slots}} as the console shows them."""
    docs = json.loads(DATA.read_text(encoding="utf-8"))["templates"]
    return {d["codes"]["aliyun"]: {"sign": d["sign"],
                                   "text": re.sub(r"\{(\w+)\}", r"${\1}", d["zh"])}
            for d in docs}


def _encode(value: str) -> str:
    # The documentation's recipe: form-encode, then + -> %20, * -> %2A, %7E -> ~.
    return quote_plus(value, encoding="utf-8").replace("+", "%20").replace(
        "*", "%2A").replace("%7E", "~")


def expected_signature(form: dict[str, str], secret: str) -> str:
    pairs = sorted((k, v) for k, v in form.items() if k != "Signature")
    canonical = "&".join(f"{_encode(k)}={_encode(v)}" for k, v in pairs)
    to_sign = "POST&" + _encode("/") + "&" + _encode(canonical)
    mac = hmac.new((secret + "&").encode("utf-8"), to_sign.encode("utf-8"), hashlib.sha1)
    return base64.b64encode(mac.digest()).decode()


class Provider:
    def __init__(self):
        self.mode = "ok"
        # Modes for the next SendSms requests, one each, before `mode` applies again:
        # "ok", a mode of ANSWERS, "error_500" (HTTP 500, nothing sent) or "sent_then_hang"
        # (sent, then the answer comes after `hang` seconds: the caller's read times out).
        self.script: list[str] = []
        self.hang = 2.0
        self.sent: list[dict] = []  # every text sent: {phone, out_id, date, template}
        self.requests: list[dict] = []  # every form that reached the business checks
        self.seen_nonces: set[str] = set()
        self.approved = approved_templates()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_port}/"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def answer(self, form: dict[str, str]) -> tuple[int, dict]:
        if form.get("Action") not in ACTIONS:
            return 400, _error("MissingParameter" if "Action" not in form
                               else "InvalidParameter", "Action is wrong")
        for key, value in COMMON.items():
            if form.get(key) != value:
                return 400, _error("MissingParameter" if key not in form else "InvalidParameter",
                                   f"{key} is wrong")
        if form.get("AccessKeyId") != ACCESS_KEY_ID:
            return 404, _error("InvalidAccessKeyId.NotFound", "Specified access key is not found.")
        try:
            stamp = datetime.strptime(form.get("Timestamp", ""), "%Y-%m-%dT%H:%M:%SZ")
        except ValueError:
            return 400, _error("InvalidTimeStamp.Format", "Specified time stamp is not valid.")
        if abs(datetime.now(UTC).replace(tzinfo=None) - stamp) > timedelta(minutes=15):
            return 400, _error("InvalidTimeStamp.Expired", "Specified time stamp has expired.")
        if not form.get("Signature") or \
                not hmac.compare_digest(form["Signature"],
                                        expected_signature(form, ACCESS_KEY_SECRET)):
            return 400, _error("SignatureDoesNotMatch",
                               "Specified signature is not matched with our calculation.")
        nonce = form.get("SignatureNonce", "")
        if not nonce or nonce in self.seen_nonces:
            return 400, _error("SignatureNonceUsed", "Specified signature nonce was used already.")
        self.seen_nonces.add(nonce)
        if form["Action"] == "QuerySendDetails":
            return 200, self._details(form)
        self.requests.append(form)
        mode = self.script.pop(0) if self.script else self.mode
        if mode == "error_500":
            return 500, {}
        answer = self._business(form, mode)
        if answer["Code"] == "OK" and mode == "sent_then_hang":
            import time

            time.sleep(self.hang)
        return 200, answer

    def _details(self, form: dict[str, str]) -> dict:
        """QuerySendDetails: the texts sent to PhoneNumber on SendDate (yyyyMMdd)."""
        found = [{"PhoneNum": s["phone"], "OutId": s["out_id"], "SendStatus": 3,
                  "TemplateCode": s["template"], "SendDate": s["date"]}
                 for s in self.sent if s["phone"] == form.get("PhoneNumber")
                 and s["date"].replace("-", "")[:8] == form.get("SendDate")]
        return {"Code": "OK", "Message": "OK", "RequestId": str(uuid.uuid4()).upper(),
                "TotalCount": len(found), "SmsSendDetailDTOs": {"SmsSendDetailDTO": found}}

    def _business(self, form: dict[str, str], mode: str = "ok") -> dict:
        if not re.fullmatch(r"1[3-9]\d{9}", form.get("PhoneNumbers", "")):
            return _error("isv.MOBILE_NUMBER_ILLEGAL", "非法手机号")
        template = self.approved.get(form.get("TemplateCode", ""))
        if template is None:
            return _error("isv.SMS_TEMPLATE_ILLEGAL", "该账号下找不到对应模板")
        if form.get("SignName") != template["sign"]:
            return _error("isv.SMS_SIGNATURE_ILLEGAL", "该账号下找不到对应签名")
        try:
            params = json.loads(form.get("TemplateParam") or "{}")
        except ValueError:
            return _error("isv.INVALID_JSON_PARAM", "JSON参数不合法，只接受字符串值")
        if not isinstance(params, dict) or not all(isinstance(v, str) for v in params.values()):
            return _error("isv.INVALID_JSON_PARAM", "JSON参数不合法，只接受字符串值")
        if set(params) != set(re.findall(r"\$\{(\w+)\}", template["text"])):
            return _error("isv.TEMPLATE_MISSING_PARAMETERS", "模板变量缺少对应参数值")
        if any(re.search(r"(?i)https?://|www\.", v) for v in params.values()):
            return _error("isv.PARAM_NOT_SUPPORT_URL", "不支持URL为变量")
        if any(len(v) > 35 for v in params.values()):
            return _error("isv.PARAM_LENGTH_LIMIT", "参数超出长度限制")
        if mode in ANSWERS:
            return _error(*ANSWERS[mode])
        self.sent.append({"phone": form["PhoneNumbers"], "out_id": form.get("OutId", ""),
                          "template": form["TemplateCode"],
                          "date": (datetime.now(UTC) + timedelta(hours=8)).strftime("%Y-%m-%d")})
        return {"Code": "OK", "Message": "OK", "RequestId": str(uuid.uuid4()).upper(),
                "BizId": f"{uuid.uuid4().int % 10**15:015d}^0"}

    def _handler(self):
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode("utf-8")
                kind = self.headers.get("Content-Type", "")
                if self.path != "/" or not kind.startswith("application/x-www-form-urlencoded"):
                    status, doc = 400, _error("InvalidParameter", "not a form POST to /")
                else:
                    status, doc = provider.answer(dict(parse_qsl(body, keep_blank_values=True)))
                raw = json.dumps(doc, ensure_ascii=False).encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "application/json;charset=utf-8")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def log_message(self, *args):  # quiet: the test output is what matters
                pass

        return Handler


def _error(code: str, message: str) -> dict:
    return {"Code": code, "Message": message, "RequestId": str(uuid.uuid4()).upper()}
