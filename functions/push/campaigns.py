"""Use cases of campaigns: an officer creates one from an approved template and a segment,
dry-runs it, a second officer of the department approves it, it is sent now or at its time,
it may be cancelled, its report reconciles. The schedule releases the due ones."""
from __future__ import annotations

import logging
import uuid
from datetime import datetime, timedelta

from botocore.exceptions import BotoCoreError, ClientError

from ..core import clock
from ..core import store as core_store
from ..core.errors import Conflict, Forbidden, NotFound, RuleError
from . import campaigns_model as model
from . import campaigns_store as store
from . import planner

logger = logging.getLogger("hall.push.campaigns")
# A due campaign handed to the planner is not handed again for this long (its chain of plan
# jobs is running); after it, the schedule hands it again (a lost job), and the page markers
# make the repeat queue nothing twice.
RELEASE_AGAIN = timedelta(minutes=15)


def _department(who) -> str:
    if not who.department:
        raise Forbidden("Campaigns belong to a department; your account has none.")
    return who.department


def view(c: dict, who=None) -> dict:
    """A campaign as an officer sees it (no personal data: a segment, not people)."""
    out = {k: c.get(k) for k in ("id", "name", "topic", "template", "params", "segment",
                                 "urgent", "legal", "state", "author", "approver",
                                 "department", "created", "send_at", "approved_at",
                                 "cancelled_at", "done_at")}
    out["segment"] = {k: v for k, v in c["segment"].items() if k != "licence_expires"}
    out["rule"] = c.get("rule") or model.rule_text(model.segment_of(c["segment"]), c["topic"])
    if who is not None:
        out["may_approve"] = c["state"] == "draft" and c["author"] != who.subject
    return out


def _mine(settings, who, campaign_id: str) -> dict:
    """The campaign if it is the officer's department's; anyone else's is not found."""
    dept = _department(who)
    found = store.get(settings, campaign_id) if model.ID.match(campaign_id) else None
    if found is None or found["department"] != dept:
        raise NotFound("No such campaign in your department.")
    return found


def _audit(who, action: str, cid: str, at: str, detail: dict | None = None) -> dict:
    return core_store.audit_record(who, action, f"campaign:{cid}", at=at, detail=detail)


def create(settings, who, data: dict, *, now: datetime) -> dict:
    dept = _department(who)
    seg = model.segment(data["segment"])
    params = model.template_params(data["template"], data["topic"], data["params"])
    at = clock.iso(now)
    cid = f"{now:%Y%m%d}{uuid.uuid4().hex[:10]}"
    campaign = {"id": cid, "name": model.name(data["name"]), "topic": data["topic"],
                "template": data["template"], "params": params, "segment": seg.as_dict(),
                "urgent": bool(data["urgent"]), "legal": model.legal(data["template"]),
                "state": "draft", "author": who.subject, "department": dept, "created": at,
                "send_at": model.send_at(data.get("send_at"), now)}
    store.create(settings, campaign, audit=_audit(who, "campaign.create", cid, at, {
        "topic": campaign["topic"], "template": campaign["template"]}))
    return view(campaign, who)


def listing(settings, who, *, limit: int, start: dict | None) -> tuple[list[dict], dict | None]:
    dept = _department(who)
    if start is not None and start.get("gsi1pk", {}).get("S") != f"CAMPAIGNS#{dept}":
        raise RuleError("cursor", "The cursor is not one of this listing.", "翻页位置无效")
    items, last = store.of_department(settings, dept, limit=limit, start=start)
    return [view(c, who) for c in items], last


def get(settings, who, campaign_id: str) -> dict:
    return view(_mine(settings, who, campaign_id), who)


def dry_run(settings, who, campaign_id: str, *, now: datetime) -> dict:
    """Count the audience without sending; a segment that matches nobody says so. Audited:
    an officer learns how many people match a segment (no one's identity)."""
    got = planner.dry_run(settings, _mine(settings, who, campaign_id), now=now)
    core_store.audit_only(settings, _audit(who, "campaign.dry_run", campaign_id,
                                           clock.iso(now), {"count": got.get("count")}))
    if got["nobody"]:
        got["message"] = "No one matches this segment: the campaign would reach nobody."
        got["message_zh"] = "没有匹配的对象：该活动不会发送给任何人。"
    return got


def approve(settings, who, campaign_id: str, *, now: datetime) -> dict:
    """A second officer of the department approves; the author never (403). Due now: handed
    to the planner at once; scheduled: the schedule releases it at its time."""
    campaign = _mine(settings, who, campaign_id)
    model.may_approve(campaign, who.subject)
    if campaign["state"] != "draft":
        raise Conflict(f"The campaign is {campaign['state']}, not a draft awaiting approval.")
    at = clock.iso(now)
    to = model.after_approval(campaign, now)
    fields = {"approver": who.subject, "approved_at": at}
    if not store.move(settings, campaign, to, allowed={"draft"}, at=at, fields=fields,
                      due="put", audit=_audit(who, "campaign.approve", campaign_id, at,
                                              {"state": to})):
        raise Conflict("The campaign was approved or cancelled meanwhile.")
    if to == "approved":
        _hand_to_planner(settings, campaign_id)
    return view({**campaign, **fields, "state": to}, who)


def _hand_to_planner(settings, campaign_id: str) -> None:
    try:
        planner.request_plan(settings, campaign_id)
    except (ClientError, BotoCoreError):
        # The due marker is in place: the schedule hands it to the planner on its next run.
        logger.warning("plan job not queued; the schedule will release it",
                       extra={"campaign": campaign_id})


def cancel(settings, who, campaign_id: str, *, now: datetime) -> dict:
    """Cancel before it is done: planning stops and the queued batches deliver nothing (the
    worker checks the state)."""
    campaign = _mine(settings, who, campaign_id)
    at = clock.iso(now)
    if campaign["state"] not in model.CANCELLABLE or not store.move(
            settings, campaign, "cancelled", allowed=model.CANCELLABLE, at=at,
            fields={"cancelled_at": at}, due="delete",
            audit=_audit(who, "campaign.cancel", campaign_id, at,
                         {"from": campaign["state"]})):
        raise Conflict("Only a campaign that is not done or cancelled may be cancelled.")
    return view({**campaign, "state": "cancelled", "cancelled_at": at}, who)


def report(settings, who, campaign_id: str) -> dict:
    campaign = _mine(settings, who, campaign_id)
    return {"id": campaign_id, "state": campaign["state"],
            **model.report(campaign["counters"])}


# ---- the schedule ------------------------------------------------------------------------

def release_due(settings, *, now: datetime) -> dict:
    """Every few minutes: hand each approved campaign whose time came to the planner (and
    again one whose plan job was lost); safe at any moment."""
    at = clock.iso(now)
    released = 0
    for marker in store.due(settings, until=at):
        if store.mark_released(settings, marker, at=at, before=clock.iso(now - RELEASE_AGAIN)):
            planner.request_plan(settings, marker["id"])
            released += 1
    return {"released": released}
