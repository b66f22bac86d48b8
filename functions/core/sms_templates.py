"""The approved text-message templates (data/sms_templates.json): parameter rules and rendering.
A text exists only as a template and its parameters: there is no way to send free text."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from .errors import Unprocessable

DATA = Path(__file__).with_name("data") / "sms_templates.json"
# Codes the provider has not approved yet: a deployed stage refuses to send with one.
PLACEHOLDER = "SMS_PLACEHOLDER_"
# The providers cap a template parameter at 20-35 characters (Aliyun: 35 for notices).
HARD_MAX = 35
KINDS = ("digits", "code", "date", "text")
_SLOT = re.compile(r"\{([a-z_]+)\}")
_PATTERN = {"digits": re.compile(r"\d+"), "code": re.compile(r"[A-Z0-9]+"),
            "date": re.compile(r"\d{4}-\d{2}-\d{2}")}
# Links and anything that reads as one (a host name, an IP address): providers refuse them in
# parameters (isv.PARAM_NOT_SUPPORT_URL) and they are how phishing texts look.
_LINK = re.compile(r"(?i)(https?:|://|www\.|\b[a-z0-9-]+\.(cn|com|net|org|gov|edu|top|xyz|io|"
                   r"cc|me|info|vip|link|app|site|shop)\b|\b\d{1,3}(\.\d{1,3}){3}\b)")
# Line breaks, control characters and sign brackets: a parameter may not fake a second sign.
_FORBIDDEN = re.compile(r"[\x00-\x1f\x7f\u2028\u2029【】\[\]]")


class SmsParamError(Unprocessable):
    """A template that does not exist, or parameters it does not accept: a 422 naming them."""

    def __init__(self, template: str, field: str, why: str):
        super().__init__(f"Text message {template!r}: {field}: {why}",
                         details={"fields": {field: [why]}, "template": template})
        self.template, self.field = template, field


@dataclass(frozen=True)
class Param:
    name: str
    kind: str
    max: int
    clip: bool = False


@dataclass(frozen=True)
class Template:
    id: str
    sign: str
    zh: str
    params: tuple[Param, ...]
    codes: dict
    urgent: bool
    legal: bool

    def code(self, provider: str) -> str | None:
        """The provider's code for this template, or None when it has none."""
        return self.codes.get(provider)


def _template(doc: dict) -> Template:
    params = tuple(Param(p["name"], p["kind"], int(p["max"]), p.get("overflow") == "clip")
                   for p in doc["params"])
    tpl = Template(doc["id"], doc["sign"], doc["zh"], params, dict(doc["codes"]),
                   bool(doc["urgent"]), bool(doc["legal"]))
    # A data file that disagrees with itself fails when it is loaded, not when a text goes out.
    slots = set(_SLOT.findall(tpl.zh))
    if slots != {p.name for p in params} or len(params) != len(slots):
        raise ValueError(f"sms template {tpl.id}: slots {sorted(slots)} != its params")
    for p in params:
        if p.kind not in KINDS or not 0 < p.max <= HARD_MAX:
            raise ValueError(f"sms template {tpl.id}: bad param {p}")
    return tpl


@cache
def templates() -> dict[str, Template]:
    docs = json.loads(DATA.read_text(encoding="utf-8"))["templates"]
    out = {d["id"]: _template(d) for d in docs}
    if len(out) != len(docs):
        raise ValueError("sms templates: duplicate ids")
    return out


def get(template_id: str) -> Template:
    tpl = templates().get(template_id)
    if tpl is None:
        raise SmsParamError(str(template_id), "template", "no such approved template")
    return tpl


def _value(tpl: Template, p: Param, value) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise SmsParamError(tpl.id, p.name, "must be a string")
    text = str(value).strip()
    if not text:
        raise SmsParamError(tpl.id, p.name, "must not be empty")
    if p.kind == "text":
        if _FORBIDDEN.search(text) or _LINK.search(text):
            raise SmsParamError(tpl.id, p.name, "links, line breaks and brackets are not allowed")
        if len(text) > p.max:
            if not p.clip:
                raise SmsParamError(tpl.id, p.name, f"at most {p.max} characters")
            text = text[:p.max - 1] + "…"
        return text
    if len(text) > p.max or not _PATTERN[p.kind].fullmatch(text):
        raise SmsParamError(tpl.id, p.name, f"must be {p.kind}, at most {p.max} characters")
    if p.kind == "date":
        try:
            date.fromisoformat(text)
        except ValueError:
            raise SmsParamError(tpl.id, p.name, "not a date") from None
    return text


def checked(tpl: Template, params: dict) -> dict[str, str]:
    """The parameters as the provider receives them (strings), or SmsParamError."""
    if not isinstance(params, dict):
        raise SmsParamError(tpl.id, "params", "must be an object")
    names = {p.name for p in tpl.params}
    extra = sorted(set(params) - names)
    if extra:
        raise SmsParamError(tpl.id, extra[0], "this template has no such parameter")
    missing = [p.name for p in tpl.params if p.name not in params]
    if missing:
        raise SmsParamError(tpl.id, missing[0], "missing")
    return {p.name: _value(tpl, p, params[p.name]) for p in tpl.params}


def render(tpl: Template, values: dict[str, str]) -> str:
    """The text a phone shows: 【sign】 and the body with checked parameters filled in."""
    return f"【{tpl.sign}】" + _SLOT.sub(lambda m: values[m.group(1)], tpl.zh)
