"""The delivery worker's use cases: one queue record of a campaign's recipients ("deliver"),
and the triggered notices other rooms' inbox puts marked "to dispatch" (the sweep).

Per recipient: the sent-marker first, in one transaction with the inbox notice, the ledger
entry, the verify code and the campaign counters (SQS may deliver twice: the second sees the
marker); then the channels the person's preferences decide (push to each live device, SMS for
urgent or legal notices when push failed or is absent); then the outcome, in one transaction
with the marker's move to done. Quiet hours and caps defer: the marker says deferred and the
recipients go back on the queue with DelaySeconds (chained past 900 s), never dropped."""
from __future__ import annotations

import json
import logging
import secrets
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

from ..core import aws, clock, pii
from ..core import sms as sms_sender
from ..core.errors import Unavailable
from ..core.sms_templates import checked, get, render
from . import delivery_model as rules
from . import delivery_ports as ports
from . import delivery_store as store
from . import digest, model, sms_retry, subscriptions, webpush
from .store import PREFIX, inbox_put
from .verify_model import HALL_SENDER

log = logging.getLogger("hall.push.delivery")
DELIVER_JOB = "deliver"
PUSH_THREADS = 8  # pushes in flight per record (webpush.POOL_SIZE connections per service)


class RetryLater(Exception):
    """The record is to be seen again in `seconds` (a push service asked to wait): the
    worker sets its visibility and reports it failed (partial batch response)."""

    def __init__(self, seconds: int):
        super().__init__(f"retry in {seconds} s")
        self.seconds = seconds


def _text(message: dict, code: str) -> tuple[str, str, dict]:
    """The inbox title and body from the message's approved template (the code in `check`)
    and the SMS parameters."""
    tpl = get(message["template"])
    params = dict(message.get("params") or {})
    if any(p.name == "check" for p in tpl.params):
        params["check"] = code
    body = render(tpl, checked(tpl, params))
    title = message.get("title") or params.get("title") or params.get("item") \
        or params.get("licence") or "梅州市政务服务通知"
    return title, body, params


def _message_flags(message: dict, party: str) -> dict:
    return {"topic": message["topic"], "urgent": bool(message.get("urgent")),
            "legal": bool(message.get("legal")), "security": message["topic"] == "security",
            "party": party}


def _first_write(settings, campaign: str, message: dict, r: dict, decision, *,
                 now: datetime, inbox_needed: bool) -> dict:
    """The marker, the inbox notice (the party's, once per campaign), the ledger entry, the
    verify code and the campaign counters: one transaction."""
    table, at = settings.table_name, clock.iso(now)
    code = rules.new_code()
    title, body, _ = _text(message, code)
    state = rules.DEFERRED if decision.defer_until else rules.PENDING
    items: list[dict] = []
    guarded = 1
    notice_sk = ""
    if inbox_needed:
        puts = inbox_put(table, owner=r["party"], kind="campaign", title=title, body=body,
                         at=at, link="/#/inbox", dispatch=False)
        puts[0]["Put"]["Item"]["campaign"] = {"S": campaign}
        # "why did I get this" on the notice too (the inbox's optional why).
        puts[0]["Put"]["Item"]["why"] = {"S": json.dumps(
            message.get("why") or {"campaign": campaign}, ensure_ascii=False)}
        notice_sk = puts[0]["Put"]["Item"]["sk"]["S"]
        items += puts
        if r["party"].startswith("enterprise:"):
            items.insert(0, store.party_inbox_put(table, campaign, r["party"], now.timestamp()))
            guarded = 2
    entry_id = model.notice_id(notice_sk[len(PREFIX):]) if notice_sk else f"c-{code}"
    marker = {"state": state, "owner": r["party"], "notice_sk": notice_sk, "code": code,
              "channels": decision.channels, "ledger": entry_id, "at": at,
              "was_deferred": state == rules.DEFERRED,
              "defer_until": decision.defer_until.isoformat() if decision.defer_until else None}
    items.insert(0, store.marker_put(table, campaign, r, marker, now.timestamp()))
    why = dict(message.get("why") or {"campaign": campaign})
    channels = {"inbox": "delivered"} | {c: "deferred" for c in decision.channels
                                         if state == rules.DEFERRED}
    items.append(ports.ledger_put(table, r["account"], {
        "id": entry_id, "at": at, "party": r["party"], "channels": channels,
        "status": "deferred" if state == rules.DEFERRED else "delivered", "title": title,
        "topic": message["topic"], "why": why, "code": code, "campaign": campaign}))
    items.append(ports.verify_item(table, code, {"sent_at": at, "channel": "inbox",
                                                 "title": title,
                                                 **_sender(message)}))
    deltas = {"inbox": 1 if inbox_needed else 0}
    if state == rules.DEFERRED and not r.get("extra"):
        deltas["deferred"] = 1
    deltas = {k: v for k, v in deltas.items() if v}
    if deltas:  # a second staff member of an enterprise: its inbox counted already
        items.append(ports.count(table, campaign, **deltas))
    if decision.digest:  # held for the day's digest, not sent on its own
        items += digest.hold_items(table, r["account"], decision, message=_held(
            campaign, r, marker, title))
    store.write(settings, items, guarded=guarded)
    return marker


def _held(campaign: str, r: dict, marker: dict, title: str) -> dict:
    return {"id": marker["ledger"], "at": marker["at"], "title": title, "party": r["party"],
            "channels": marker["channels"], "kind": "campaign", "campaign": campaign,
            **({"extra": True} if r.get("extra") else {})}


def _sender(message: dict) -> dict:
    """verify-a-message names the department that sent it (the planner puts its catalogue
    name in the message); a record queued before that names the hall."""
    got = message.get("sender") or {}
    return {"sender": got.get("name") or HALL_SENDER[0],
            "sender_en": got.get("name_en") or HALL_SENDER[1]}


def _push(settings, account: str, notice_id: str, message: dict, now: datetime):
    now_ms = now.timestamp() * 1000
    devices = [d for d in subscriptions.for_delivery(settings, account)
               if not d.get("expires") or d["expires"] > now_ms]
    payload = webpush.lock_screen_payload(notice_id)
    urgency = "high" if message.get("urgent") or message.get("legal") else "normal"
    return rules.combine([subscriptions.deliver(settings, account, d, payload, urgency=urgency)
                          for d in devices])


def _sms(settings, account: str, message: dict, code: str, now: datetime) -> str:
    """Text the message's approved template to the account's phone: sent / rejected /
    failed; a busy provider is a retry of the record (RetryLater from the caller)."""
    acct = ports.account(settings, account)
    if not acct or not acct.get("phone_seal"):
        return "absent"
    phone = pii.unseal(settings, acct["phone_seal"], acct["id"])
    _, _, params = _text(message, code)
    # Retried with backoff, once per message whatever the retries (sms_retry); then failed.
    got = sms_retry.send(settings, phone=phone, phone_hash=acct["phone_hash"],
                         template=message["template"], params=params, at=clock.iso(now),
                         key=sms_retry.key("sms", code, account))
    return "sent" if got["status"] == "sent" else "failed"


def _channels(settings, campaign: str, message: dict, r: dict, decision, marker: dict, *,
              now: datetime, receive_count: int) -> float | None:
    """Claim the recipient, try the channels, then write the outcome with the marker's move
    to done. A push service asking to wait (before the last try) gives the claim back and
    returns its Retry-After (or 0.0); None when done (or another delivery has it)."""
    token = secrets.token_hex(8)
    if not store.claim(settings, campaign, r, token=token, now_epoch=now.timestamp()):
        return None
    asked = _send(settings, campaign, message, r, decision, marker, token, now=now,
                  receive_count=receive_count)
    if asked is not None:
        store.release(settings, campaign, r, token=token, back_to=marker["state"]
                      if marker["state"] in (rules.PENDING, rules.DEFERRED) else rules.PENDING)
    return asked


def _send(settings, campaign: str, message: dict, r: dict, decision, marker: dict,
          token: str, *, now: datetime, receive_count: int) -> float | None:
    notice_id = marker["ledger"]
    push = None
    if "push" in decision.channels:
        res = _push(settings, r["account"], notice_id, message, now)
        if res.kind == "retry" and receive_count < rules.PUSH_TRIES:
            return res.retry_after if res.retry_after is not None else 0.0
        push = "failed" if res.kind == "retry" else res.kind
    sms = None
    if "sms" in decision.channels or ports.fallback(decision, push or "absent"):
        try:
            sms = _sms(settings, r["account"], message, marker["code"], now)
        except sms_sender.SmsThrottled as err:
            if receive_count < rules.PUSH_TRIES:
                return float(err.details.get("retry_after") or 5)
            sms = "failed"
    final = rules.final_state(decision.channels, push, sms)
    deltas = rules.counts_for(final, push=push, sms=sms,
                              was_deferred=marker.get("was_deferred", False),
                              extra=r.get("extra", False))
    table = settings.table_name
    outcomes = {"inbox": "delivered", **({"push": push} if push else {}),
                **({"sms": sms} if sms else {})}
    items = [store.marker_update(table, campaign, r, token=token, state=rules.DONE,
                                 push=push, sms=sms),
             ports.ledger_update(table, r["account"], at=marker["at"], message_id=notice_id,
                                 channels=outcomes, status=rules.ledger_status(final, push, sms)),
             *([ports.count(table, campaign, **deltas)] if deltas else [])]
    if not decision.exempt and (push == "delivered" or sms == "sent"):
        items += ports.count_sent(table, r["account"], now)
    try:
        store.write(settings, items)
    except store.Raced:
        pass  # another delivery of this record finished it first
    return None


def _cancel(settings, campaign: str, r: dict, marker: dict | None, now: datetime) -> None:
    """A recipient of a cancelled campaign: counted cancelled once. One already in the inbox
    but held (deferred) or waiting for a retry is taken off its channels: deferred -1."""
    table = settings.table_name
    try:
        extra = r.get("extra", False)
        if marker is None:
            new = {"state": rules.CANCELLED, "owner": r["party"], "notice_sk": "", "code": "-"}
            store.write(settings, [store.marker_put(table, campaign, r, new, now.timestamp()),
                                   *([] if extra else
                                     [ports.count(table, campaign, cancelled=1)])])
            return
        token = secrets.token_hex(8)
        if not store.claim(settings, campaign, r, token=token, now_epoch=now.timestamp()):
            return
        deltas = {} if extra else {
            "cancelled": 1, **({"deferred": -1} if marker.get("was_deferred") else {})}
        store.write(settings, [
            store.marker_update(table, campaign, r, token=token, state=rules.CANCELLED),
            ports.ledger_update(table, r["account"], at=marker["at"],
                                message_id=marker["ledger"], channels={"inbox": "delivered"},
                                status="cancelled"),
            *([ports.count(table, campaign, **deltas)] if deltas else [])])
    except store.Raced:
        pass


def _requeue(settings, job: dict, later: list[dict], until: datetime, now: datetime) -> None:
    """The next link of a deferral chain: the deferred recipients, back on the queue."""
    aws.client("sqs", settings).send_message(
        QueueUrl=settings.queue_url, DelaySeconds=rules.delay_until(until, now),
        MessageBody=json.dumps({**{k: v for k, v in job.items() if k != "receive_count"},
                                "recipients": later}, ensure_ascii=False))


def _staffed(settings, recipients: list[dict], now: datetime) -> list[dict]:
    """An enterprise's message reaches its staff by role: the planner names the enterprise
    once, the worker adds each staff member whose role reads campaign notices (each with
    their own preferences for that enterprise)."""
    from .dispatch import staff

    out, seen = [], set()
    for r in recipients:
        if (r["party"], r["account"]) not in seen:
            seen.add((r["party"], r["account"]))
            out.append(r)
        if r["party"].startswith("enterprise:") and not r.get("extra"):
            for account in staff(settings, r["party"].split(":", 1)[1], "campaign", now):
                if (r["party"], account) not in seen:
                    seen.add((r["party"], account))
                    out.append({"party": r["party"], "account": account, "extra": True})
    return out


def deliver(settings, job: dict, *, now: datetime | None = None) -> dict:
    """One record of a campaign's recipients (≤ 50). Safe to run twice. `receive_count`
    (the worker adds it from the SQS record) says how often the record was handed out."""
    now = now or clock.now()
    receive_count = int(job.get("receive_count") or 1)
    campaign, message = job["campaign"], job["message"]
    recipients = _staffed(settings, rules.check_recipients(job["recipients"]), now)
    found, inboxed = store.markers(settings, campaign, recipients)
    todo = [r for r in recipients
            if found.get(rules.recipient_ref(r), {}).get("state") not in rules.FINAL]
    tally = {"skipped": len(recipients) - len(todo), "done": 0, "deferred": 0, "cancelled": 0}
    if todo and ports.campaign_cancelled(settings, campaign):
        for r in todo:
            _cancel(settings, campaign, r, found.get(rules.recipient_ref(r)), now)
        tally["cancelled"] = len(todo)
        return tally
    prefs = ports.prefs(settings, todo)
    counts = ports.sent_counts(settings, [r["account"] for r in todo], now)
    later, until, wait, ready = [], None, None, []
    for r in todo:
        ref = rules.recipient_ref(r)
        today, week = counts.get(r["account"], (0, 0))
        decision = ports.decide(prefs[(r["account"], r["party"])],
                                _message_flags(message, r["party"]), now=now,
                                sent_today=today, sent_week=week)
        marker = found.get(ref)
        if marker is not None and decision.digest and marker["state"] == rules.DEFERRED:
            # held before (quiet hours, a cap): into the digest now (idempotent puts)
            store.write(settings, digest.hold_items(settings.table_name, r["account"],
                                                    decision, message=_held(
                                                        campaign, r, marker, "")), guarded=0)
        if marker is None:
            try:
                marker = _first_write(settings, campaign, message, r, decision, now=now,
                                      inbox_needed=r["party"] not in inboxed)
            except store.Raced:
                marker = store.markers(settings, campaign, [r])[0].get(ref)
                if marker is None or marker["state"] in rules.FINAL:
                    continue
            if r["party"].startswith("enterprise:"):
                inboxed.add(r["party"])
        if decision.digest:  # the digest's sweep sends it (digest.py)
            tally["deferred"] += 1
            continue
        if decision.defer_until:
            later.append(r)
            until = min(until or decision.defer_until, decision.defer_until)
            tally["deferred"] += 1
            continue
        ready.append((r, decision, marker))

    def channels(args) -> float | None:
        r, decision, marker = args
        return _channels(settings, campaign, message, r, decision, marker, now=now,
                         receive_count=receive_count)

    # The record's pushes go out side by side (each recipient's claim and outcome are its
    # own): a push service's round trip, not the CPU, bounds one recipient.
    if len(ready) > 1:
        with ThreadPoolExecutor(min(PUSH_THREADS, len(ready))) as pool:
            asked_all = list(pool.map(channels, ready))
    else:
        asked_all = [channels(a) for a in ready]
    for asked in asked_all:
        if asked is not None:
            wait = max(wait or 0.0, asked)
        else:
            tally["done"] += 1
    if later:
        _requeue(settings, job, later, until, now)
    if wait is not None:
        raise RetryLater(rules.backoff(receive_count, wait or None))
    return tally


def count_opened(settings, campaign: str, *, clicked: bool) -> None:
    """A campaign's notice read for the first time (the inbox's conditional mark says it is
    the first): opened, and clicked when the notification's tap brought the person."""
    deltas = {"opened": 1, **({"clicked": 1} if clicked else {})}
    try:
        store.ddb(settings).update_item(**ports.count(settings.table_name, campaign,
                                                      **deltas)["Update"])
    except Exception:  # a report figure: never fail the person's read for it
        log.warning("opened not counted", extra={"campaign": campaign})


JOBS = {DELIVER_JOB: deliver}
__all__ = ["JOBS", "RetryLater", "Unavailable", "deliver"]
