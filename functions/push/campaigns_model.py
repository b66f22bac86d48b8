"""Campaign rules: what an officer may send (topics, approved templates, segments), the states,
who approves, segment matching and the report's reconciliation. Pure: time is passed in."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from ..core import sms_templates
from ..core.errors import Forbidden, RuleError

HOT_TOPICS = ("hot_business", "hot_tax", "hot_quality", "hot_housing_fund",
              "hot_social_security")
TOPICS = HOT_TOPICS + ("announcement", "application", "licence", "deadline")
# Campaign texts come from approved templates only; each template carries a verify code
# (`check`) the delivery worker fills per message, so an officer never gives it.
TEMPLATE_TOPICS = {
    "announcement": frozenset(HOT_TOPICS + ("announcement",)),
    "deadline_reminder": frozenset(HOT_TOPICS + ("deadline",)),
    "licence_expiry": frozenset({"licence"}),
}
PER_MESSAGE = frozenset({"check"})
# The title an inbox notice shows, by template: the parameter that names the matter.
TITLE_PARAM = {"announcement": "title", "deadline_reminder": "item", "licence_expiry": "licence"}
COUNTIES = frozenset({"441402", "441403", "441422", "441423", "441424", "441426", "441427",
                      "441481"})
SIZES = frozenset({"micro", "small", "medium", "large"})
AUDIENCES = ("person", "enterprise")
SEGMENT_KEYS = {
    "person": frozenset({"audience", "county", "age_band", "holds_licence", "applied_for"}),
    "enterprise": frozenset({"audience", "county", "industry", "size", "enterprise_age_days",
                             "holds_licence", "applied_for"}),
}
_MATTER = re.compile(r"^\d{6}-[A-Z]{2,6}-\d{4}$")
_CODE = re.compile(r"^[a-z][a-z0-9_]{1,39}$")
ID = re.compile(r"^[A-Za-z0-9_-]{6,64}$")
NAME_MAX = 40

# draft -> approved -> (scheduled) -> sending -> done | cancelled
STATES = ("draft", "approved", "scheduled", "sending", "done", "cancelled")
CANCELLABLE = frozenset({"draft", "approved", "scheduled", "sending"})
PLANNABLE = frozenset({"approved", "scheduled", "sending"})
# The counters on the campaign item (atomic ADD; the planner writes targeted/queued, the
# delivery worker the rest). Each recipient ends in exactly one of the outcome counters
# delivered / deferred / failed / cancelled (a deferred one moves: deferred -1, delivered +1);
# inbox / push / sms count deliveries per channel (one recipient may count in several).
COUNTERS = ("targeted", "queued", "delivered", "deferred", "failed", "cancelled", "inbox",
            "push", "sms", "opened", "clicked")
OUTCOMES = ("delivered", "deferred", "failed", "cancelled")
SYSTEM = "system"  # the author and approver of the data-defined reminders


@dataclass(frozen=True)
class Segment:
    audience: str
    county: str | None = None
    age_band: tuple[int, int] | None = None
    industry: str | None = None
    size: str | None = None
    enterprise_age_days: tuple[int, int] | None = None
    holds_licence: str | None = None
    applied_for: str | None = None
    # System reminders only (not an officer's filter): a licence expiring on this date.
    licence_expires: str | None = None

    def as_dict(self) -> dict:
        return {k: (list(v) if isinstance(v, tuple) else v)
                for k, v in self.__dict__.items() if v is not None}

    @property
    def needs_lookup(self) -> bool:
        """Filters the topic index rows cannot answer: one Query of the party's own
        partition (its wallet or its applications) per candidate left by the others."""
        return bool(self.holds_licence or self.applied_for or self.licence_expires)


def _bad(field: str, why: str, zh: str):
    return RuleError(field, why, zh)


def _band(value, field: str, top: int) -> tuple[int, int]:
    if (not isinstance(value, list) or len(value) != 2
            or not all(isinstance(v, int) and not isinstance(v, bool) for v in value)
            or not 0 <= value[0] <= value[1] <= top):
        raise _bad(field, f"[min, max] with 0 <= min <= max <= {top}", "范围应为[最小, 最大]")
    return value[0], value[1]


def segment(raw) -> Segment:
    """A segment as the officer gave it, checked: unknown fields, fields of the other
    audience and values out of range are a 422 naming the field."""
    if not isinstance(raw, dict):
        raise _bad("segment", "must be an object", "目标人群格式不正确")
    audience = raw.get("audience")
    if audience not in AUDIENCES:
        raise _bad("segment.audience", "person or enterprise", "对象应为个人或企业")
    extra = sorted(set(raw) - SEGMENT_KEYS[audience])
    if extra:
        raise _bad(f"segment.{extra[0]}", f"not a filter of a {audience} segment",
                   "该条件不适用于此对象")
    county = raw.get("county")
    if county is not None and county not in COUNTIES:
        raise _bad("segment.county", "a county code of Meizhou", "县区代码不正确")
    size = raw.get("size")
    if size is not None and size not in SIZES:
        raise _bad("segment.size", f"one of {sorted(SIZES)}", "企业规模不正确")
    industry = raw.get("industry")
    if industry is not None and (not isinstance(industry, str) or not 0 < len(industry) <= 20):
        raise _bad("segment.industry", "1 to 20 characters", "行业名称不正确")
    lic = raw.get("holds_licence")
    if lic is not None and (not isinstance(lic, str) or not _CODE.match(lic)):
        raise _bad("segment.holds_licence", "a licence type code", "证照类型不正确")
    matter = raw.get("applied_for")
    if matter is not None and (not isinstance(matter, str) or not _MATTER.match(matter)):
        raise _bad("segment.applied_for", "a matter code like 441402-SWJ-0004", "事项编码不正确")
    return Segment(
        audience=audience, county=county, industry=industry, size=size, holds_licence=lic,
        applied_for=matter,
        age_band=_band(raw["age_band"], "segment.age_band", 120) if "age_band" in raw else None,
        enterprise_age_days=(_band(raw["enterprise_age_days"], "segment.enterprise_age_days",
                                   365 * 200) if "enterprise_age_days" in raw else None))


def segment_of(doc: dict) -> Segment:
    """A stored segment (checked when it was made; a reminder's may name licence_expires)."""
    expires = doc.get("licence_expires")
    seg = segment({k: v for k, v in doc.items() if k != "licence_expires"})
    return Segment(**{**seg.__dict__, "licence_expires": expires}) if expires else seg


def template_params(template: str, topic: str, params) -> dict[str, str]:
    """The campaign's template parameters, checked as the SMS provider will check them (the
    per-message verify code left out): an unknown or unsuitable template, free text in place
    of a template, or a bad parameter is a 422."""
    if topic not in TOPICS:
        raise _bad("topic", f"one of {list(TOPICS)}", "主题不正确")
    if not isinstance(template, str) or template not in TEMPLATE_TOPICS:
        raise _bad("template", f"an approved campaign template: {sorted(TEMPLATE_TOPICS)}",
                   "请选择已审核的消息模板")
    if topic not in TEMPLATE_TOPICS[template]:
        raise _bad("template", f"template {template} does not carry topic {topic}",
                   "该模板不能用于此主题")
    if not isinstance(params, dict):
        raise _bad("params", "must be an object", "模板参数格式不正确")
    given = sorted(set(params) & PER_MESSAGE)
    if given:
        raise _bad(f"params.{given[0]}", "filled per message by the sender", "核验码由系统填写")
    tpl = sms_templates.get(template)
    values = sms_templates.checked(tpl, {**params, "check": "00000000"})
    return {k: v for k, v in values.items() if k not in PER_MESSAGE}


def notice_text(template: str, params: dict, check: str) -> dict:
    """The inbox / push title and body of one message: the same approved template's
    rendering as the SMS (never free text), with the message's verify code."""
    tpl = sms_templates.get(template)
    body = sms_templates.render(tpl, sms_templates.checked(tpl, {**params, "check": check}))
    return {"title": params.get(TITLE_PARAM.get(template, ""), tpl.sign), "body": body}


def legal(template: str) -> bool:
    return sms_templates.get(template).legal


def name(value) -> str:
    if not isinstance(value, str) or not value.strip() or len(value.strip()) > NAME_MAX:
        raise _bad("name", f"1 to {NAME_MAX} characters", "活动名称应为1至40个字")
    return value.strip()


def send_at(value, now: datetime) -> str | None:
    """A schedule: an ISO time with its offset, in the future (None: as soon as approved)."""
    if value is None:
        return None
    try:
        at = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        at = None
    if at is None or at.tzinfo is None:
        raise _bad("send_at", "an ISO 8601 time with its offset", "发送时间格式不正确")
    if at <= now:
        raise _bad("send_at", "must lie in the future", "发送时间应晚于现在")
    return at.astimezone(now.tzinfo).isoformat(timespec="seconds")


def may_approve(campaign: dict, officer: str) -> None:
    """A second officer approves, never the author (the department check is the store's:
    another department's campaign is not found)."""
    if campaign["author"] == officer:
        raise Forbidden("The author may not approve their own campaign; a second officer "
                        "approves it.", details={"reason": "author"})


def after_approval(campaign: dict, now: datetime) -> str:
    at = campaign.get("send_at")
    return "scheduled" if at and datetime.fromisoformat(at) > now else "approved"


# ---- matching the topic index rows --------------------------------------------------------

def age(birth: str | None, today: date) -> int | None:
    """Age in whole years from a birth month (YYYY-MM): the index keeps the month only."""
    if not birth or not re.match(r"^\d{4}-\d{2}$", birth):
        return None
    y, m = int(birth[:4]), int(birth[5:7])
    return today.year - y - (1 if today.month < m else 0)


def matches(seg: Segment, row: dict, today: date) -> bool:
    """Does one topic index row fit the segment's own filters (the lookups aside)?"""
    kind = row.get("party", "").split(":", 1)[0]
    if kind != seg.audience:
        return False
    if seg.county and row.get("county") != seg.county:
        return False
    if seg.age_band:
        years = age(row.get("birth"), today)
        if years is None or not seg.age_band[0] <= years <= seg.age_band[1]:
            return False
    if seg.industry and row.get("industry") != seg.industry:
        return False
    if seg.size and row.get("size") != seg.size:
        return False
    if seg.enterprise_age_days:
        try:
            days = (today - date.fromisoformat(row.get("founded") or "")).days
        except ValueError:
            return False
        if not seg.enterprise_age_days[0] <= days <= seg.enterprise_age_days[1]:
            return False
    return True


def rule_text(seg: Segment, topic: str) -> str:
    """The segment as a sentence for "why did I get this"."""
    parts = [f"subscribed to {topic}", f"audience {seg.audience}"]
    for k, v in seg.as_dict().items():
        if k != "audience":
            parts.append(f"{k} {'-'.join(map(str, v)) if isinstance(v, list) else v}")
    return "; ".join(parts)


# How each segment field is matched, as "why did I get this" gives it to the app: data, not
# words, so the app says it in either language.
MATCH_OPS = {"audience": "eq", "county": "eq", "industry": "eq", "size": "eq",
             "age_band": "between", "enterprise_age_days": "between",
             "holds_licence": "holds", "applied_for": "applied", "licence_expires": "on"}


def rule_match(seg: Segment, topic: str) -> list[dict]:
    """The segment as the rules a recipient matched: [{field, op, value}], the topic first
    (every recipient follows it), then the audience and each filter the officer set."""
    out = [{"field": "topic", "op": "subscribed", "value": topic}]
    for k, v in seg.as_dict().items():
        out.append({"field": k, "op": MATCH_OPS.get(k, "eq"), "value": v})
    return out


def masked_party(party: str) -> str:
    """A sample row shows whom it is without naming them: the kind and a clipped id."""
    kind, ident = party.split(":", 1)
    return f"{kind}:{ident[:4]}****{ident[-2:]}" if len(ident) > 8 else f"{kind}:****"


# ---- the report ---------------------------------------------------------------------------

def report(counters: dict) -> dict:
    """The counters as the report shows them, with what is still in flight: the targeted
    reconcile to delivered + deferred + failed + cancelled + pending."""
    n = {k: max(int(counters.get(k, 0)), 0) for k in COUNTERS}
    settled = sum(n[k] for k in OUTCOMES)
    pending = max(n["targeted"] - settled, 0)
    return {"targeted": n["targeted"], "queued": n["queued"],
            "delivered": {"recipients": n["delivered"], "inbox": n["inbox"],
                          "push": n["push"], "sms": n["sms"]},
            "deferred": n["deferred"], "failed": n["failed"], "cancelled": n["cancelled"],
            "opened": n["opened"], "clicked": n["clicked"], "pending": pending,
            "reconciled": settled + pending == n["targeted"] and pending == 0}
