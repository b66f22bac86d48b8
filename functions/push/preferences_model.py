"""Notification preferences: the topics a person follows and on which channels, quiet hours,
caps, the daily digest, and the one decision the delivery worker takes per message (`decide`,
`fallback`). Pure: the time is passed in, Beijing time is UTC+8 all year (no daylight saving).

A person's preferences (all topics, always complete once through `normalise`):
  {"topics": {<topic>: {"subscribed": bool, "channels": ["push", "sms"]}},
   "quiet_hours": {"start": "21:00", "end": "08:00"} | None,
   "caps": {"per_day": int, "per_week": int},
   "digest": {"enabled": bool, "at": "19:00"}}
Acting for an enterprise the same person chooses which of the enterprise's topics reach them
(a section {"topics": {...}} per enterprise, defaults by their role); quiet hours, caps and the
digest stay the person's own (`merged`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta, timezone

BEIJING = timezone(timedelta(hours=8), "Asia/Shanghai")

# The hot services (热点服务): offered, never imposed.
HOT_TOPICS = {"hot_business": "工商", "hot_tax": "税务", "hot_quality": "质监",
              "hot_housing_fund": "公积金", "hot_social_security": "社保"}
# The person's own matters: subscribed by default.
OWN_TOPICS = ("application", "licence", "deadline")
# Legally required notices and security (codes, new logins): never muted.
FIXED_TOPICS = ("legal", "security")
TOPICS = (*HOT_TOPICS, *OWN_TOPICS, "announcement", *FIXED_TOPICS)
# What a campaign may target (the planner's topic index): everything but codes.
INDEXED_TOPICS = tuple(t for t in TOPICS if t != "security")
CHANNELS = ("push", "sms")

CAP_LIMITS = {"per_day": (1, 50), "per_week": (1, 200)}
DEFAULT_CAPS = {"per_day": 5, "per_week": 20}
DEFAULT_QUIET = {"start": "21:00", "end": "08:00"}
DEFAULT_DIGEST = {"enabled": False, "at": "19:00"}

# Acting for an enterprise: which of its topics reach a staff member unless they choose.
# Everyone who acts on the company's matters follows them; a viewer (查看人) looks when they
# like and gets only what the law requires.
ENTERPRISE_ROLE_DEFAULTS = {
    "legal_rep": frozenset(OWN_TOPICS),
    "approver": frozenset(OWN_TOPICS),
    "preparer": frozenset(OWN_TOPICS),
    "viewer": frozenset(),
}

_HHMM = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


class InvalidPreferences(ValueError):
    """Preferences that cannot be kept; `errors` maps a field path to a message."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


def _topic_default(topic: str, subscribed: frozenset) -> dict:
    return {"subscribed": topic in FIXED_TOPICS or topic in subscribed, "channels": ["push"]}


def defaults(role: str | None = None) -> dict:
    """A person's preferences before they chose any (role: an enterprise staff role for the
    per-enterprise section, whose dict holds only topics)."""
    if role is not None:
        subscribed = ENTERPRISE_ROLE_DEFAULTS.get(role, frozenset())
        return {"topics": {t: _topic_default(t, subscribed) for t in TOPICS}}
    return {"topics": {t: _topic_default(t, frozenset(OWN_TOPICS)) for t in TOPICS},
            "quiet_hours": dict(DEFAULT_QUIET), "caps": dict(DEFAULT_CAPS),
            "digest": dict(DEFAULT_DIGEST)}


def _clock(value, path: str, errors: dict) -> str | None:
    if not isinstance(value, str) or not _HHMM.match(value):
        errors[path] = "a time of day HH:MM (Beijing time), 00:00 to 23:59"
        return None
    return value


def normalise(stored: dict | None, change: dict | None = None, *,
              role: str | None = None) -> dict:
    """Complete preferences: the defaults, then what was stored, then `change` (a PUT's body:
    any part may be left out). Raises InvalidPreferences for muting legal/security, unknown
    topics or channels, bad times and caps out of range."""
    out = defaults(role)
    errors: dict[str, str] = {}
    for layer in (stored or {}, change or {}):
        topics = layer.get("topics", {})
        if not isinstance(topics, dict):
            errors["topics"] = "an object of topic: {subscribed, channels}"
            topics = {}
        for topic, choice in topics.items():
            path = f"topics.{topic}"
            if topic not in TOPICS:
                errors[path] = "unknown topic"
                continue
            if not isinstance(choice, dict):
                errors[path] = "an object {subscribed, channels}"
                continue
            cur = dict(out["topics"][topic])
            if "subscribed" in choice:
                if not isinstance(choice["subscribed"], bool):
                    errors[path + ".subscribed"] = "true or false"
                elif topic in FIXED_TOPICS and not choice["subscribed"]:
                    errors[path + ".subscribed"] = (
                        "legally required notices and security codes cannot be muted")
                else:
                    cur["subscribed"] = choice["subscribed"]
            if "channels" in choice:
                chans = choice["channels"]
                if not isinstance(chans, list) or any(c not in CHANNELS for c in chans):
                    errors[path + ".channels"] = f"a list of {', '.join(CHANNELS)}"
                else:
                    cur["channels"] = [c for c in CHANNELS if c in chans]
            out["topics"][topic] = cur
        if role is not None:
            continue
        if "quiet_hours" in layer:
            q = layer["quiet_hours"]
            if q is None:
                out["quiet_hours"] = None
            elif not isinstance(q, dict):
                errors["quiet_hours"] = "an object {start, end} or null"
            else:
                start = _clock(q.get("start"), "quiet_hours.start", errors)
                end = _clock(q.get("end"), "quiet_hours.end", errors)
                if start and end and start == end:
                    errors["quiet_hours"] = "start and end must differ (null for none)"
                elif start and end:
                    out["quiet_hours"] = {"start": start, "end": end}
        if "caps" in layer:
            caps = layer["caps"] if isinstance(layer["caps"], dict) else None
            if caps is None:
                errors["caps"] = "an object {per_day, per_week}"
            else:
                for name, (lo, hi) in CAP_LIMITS.items():
                    n = caps.get(name, out["caps"][name])
                    if not isinstance(n, int) or isinstance(n, bool) or not lo <= n <= hi:
                        errors[f"caps.{name}"] = f"a whole number from {lo} to {hi}"
                    else:
                        out["caps"][name] = n
                if out["caps"]["per_week"] < out["caps"]["per_day"] and "caps" not in errors:
                    errors["caps.per_week"] = "at least the cap per day"
        if "digest" in layer:
            d = layer["digest"] if isinstance(layer["digest"], dict) else None
            if d is None:
                errors["digest"] = "an object {enabled, at}"
            else:
                if "enabled" in d:
                    if isinstance(d["enabled"], bool):
                        out["digest"]["enabled"] = d["enabled"]
                    else:
                        errors["digest.enabled"] = "true or false"
                if "at" in d and _clock(d["at"], "digest.at", errors):
                    out["digest"]["at"] = d["at"]
    if errors:
        raise InvalidPreferences(errors)
    return out


def merged(person: dict, enterprise_section: dict) -> dict:
    """The preferences that apply to an enterprise's message reaching one of its staff: the
    enterprise section's topics, the person's quiet hours, caps and digest."""
    return {**person, "topics": enterprise_section["topics"]}


def subscribed_topics(prefs: dict) -> list[str]:
    """The topics whose index rows the planner reads (subscribed, campaign-targetable)."""
    return [t for t in INDEXED_TOPICS if prefs["topics"][t]["subscribed"]]


# ---- the decision per message ----------------------------------------------------------------

@dataclass(frozen=True)
class Decision:
    """What the worker does with one message for one person. The inbox is always written (it
    is not in `channels`). `channels`: "push"/"sms" to try, now or at `defer_until` (UTC; quiet
    hours, caps or the digest: deferred, never dropped). `digest`: held for the daily digest
    at `defer_until` (one summary push for all held). `sms_fallback`: urgent, legal or security
    (see `fallback`). `reason`: why deferred or why no channel (for the ledger)."""
    channels: list[str]
    defer_until: datetime | None = None
    digest: bool = False
    sms_fallback: bool = False
    reason: str | None = None
    exempt: bool = False  # passes quiet hours and caps; not counted against them


def _hm(s: str) -> time:
    h, m = s.split(":")
    return time(int(h), int(m))


def in_quiet(quiet: dict | None, local: datetime) -> bool:
    """Is this Beijing time inside the quiet hours? start inclusive, end exclusive; a window
    whose start is after its end runs over midnight (21:00-08:00)."""
    if not quiet:
        return False
    t, start, end = local.time().replace(second=0, microsecond=0), _hm(quiet["start"]), _hm(
        quiet["end"])
    if start < end:
        return start <= t < end
    return t >= start or t < end


def _next_at(local: datetime, hhmm: str) -> datetime:
    """The next Beijing datetime at HH:MM strictly after or at `local` (today or tomorrow)."""
    at = local.replace(hour=_hm(hhmm).hour, minute=_hm(hhmm).minute, second=0, microsecond=0)
    return at if at >= local else at + timedelta(days=1)


def _out_of_quiet(quiet: dict | None, local: datetime) -> datetime:
    """`local` itself, or the end of the quiet hours it falls in."""
    return _next_at(local, quiet["end"]) if in_quiet(quiet, local) else local


def _utc(local: datetime) -> datetime:
    return local.astimezone(UTC)


def decide(prefs: dict, message: dict, *, now: datetime, sent_today: int,
           sent_week: int) -> Decision:
    """The channels for `message` ({topic, urgent, legal, security}) to this person at `now`
    (aware), given how many capped messages reached them today and this week (Beijing days,
    weeks from Monday: ledger_store.sent_counts)."""
    topic = message.get("topic")
    legal = bool(message.get("legal")) or topic == "legal"
    security = bool(message.get("security")) or topic == "security"
    urgent = bool(message.get("urgent"))
    fallback_sms = urgent or legal or security
    choice = prefs["topics"].get(topic) if topic in TOPICS else None
    if legal or security:
        chans = (choice or {}).get("channels") or ["push"]
        chosen = prefs["topics"]["legal" if legal else "security"]["channels"]
        chans = [c for c in CHANNELS if c in chans or c in chosen] or ["push"]
        return Decision(chans, sms_fallback=True, exempt=True)
    if not choice or not choice["subscribed"]:
        return Decision([], reason="not_subscribed")
    chans = list(choice["channels"])
    if not chans and not fallback_sms:
        return Decision([], reason="no_channel")
    if not chans:
        chans = ["push"]  # urgent: push first, SMS when it fails
    local = now.astimezone(BEIJING)
    quiet = prefs.get("quiet_hours")
    digest = prefs.get("digest") or {}
    if digest.get("enabled") and not urgent:
        at = _out_of_quiet(quiet, _next_at(local, digest["at"]))
        return Decision(chans, defer_until=_utc(at), digest=True, sms_fallback=fallback_sms,
                        reason="digest")
    caps = prefs.get("caps") or DEFAULT_CAPS
    if sent_week >= caps["per_week"]:
        monday = (local - timedelta(days=local.weekday())).replace(
            hour=0, minute=0, second=0, microsecond=0) + timedelta(days=7)
        return Decision(chans, defer_until=_utc(_out_of_quiet(quiet, monday)),
                        sms_fallback=fallback_sms, reason="cap_week")
    if sent_today >= caps["per_day"]:
        tomorrow = local.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)
        return Decision(chans, defer_until=_utc(_out_of_quiet(quiet, tomorrow)),
                        sms_fallback=fallback_sms, reason="cap_day")
    if in_quiet(quiet, local):
        return Decision(chans, defer_until=_utc(_out_of_quiet(quiet, local)),
                        sms_fallback=fallback_sms, reason="quiet_hours")
    return Decision(chans, sms_fallback=fallback_sms)


def fallback(decision: Decision, push_outcome: str) -> list[str]:
    """After the push ("delivered", "failed", "absent": no live device, "gone": removed):
    ["sms"] when the message is urgent, legal or security, the push did not get through and
    SMS was not already among the channels; else []."""
    if (decision.sms_fallback and push_outcome != "delivered"
            and "sms" not in decision.channels):
        return ["sms"]
    return []


# ---- Beijing day and week: the caps' counters ------------------------------------------------

def day_key(now: datetime) -> str:
    return now.astimezone(BEIJING).date().isoformat()


def week_key(now: datetime) -> str:
    year, week, _ = now.astimezone(BEIJING).isocalendar()
    return f"{year}-W{week:02d}"
