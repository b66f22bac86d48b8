"""Triggered notices on the person's channels: application status changes, deadlines,
licences, delegations, the answers to 企业找政府 questions. The rooms' inbox puts carry a "to
dispatch" marker on the inbox item itself (store.inbox_put: sparse GSI1, DISPATCH#<shard>), so
a notice and its marker are one write, in the transaction of the change it reports: none is
lost. A schedule (every minute) sweeps the due ones: push to each live device of the owner
(an enterprise's staff by role: its legal representative, and the staff it authorised for
the kinds their role reads), then one transaction clears the marker (only if unchanged) with
the ledger entries and the verify code. A sweep that dies between the push and that write
pushes again at the next sweep with the same notice id: the service worker's tag replaces the
shown notification, so the person sees one. Quiet hours and caps move the marker's due time."""
from __future__ import annotations

import logging
from datetime import UTC, datetime

from ..core import clock
from ..core.store import ddb, key
from . import delivery_model as rules
from . import delivery_ports as ports
from . import delivery_store as store
from . import model
from .store import PREFIX

log = logging.getLogger("hall.push.dispatch")


def _owner(pk: str) -> str:
    kind, ident = pk.split("#", 1)
    return f"{'person' if kind == 'ACCOUNT' else 'enterprise'}:{ident}"


def staff(settings, uscc: str, kind: str, now: datetime) -> list[str]:
    """The accounts an enterprise's notice of `kind` goes out to: the legal representative,
    and each authorised staff member whose role reads that kind (push.model)."""
    from ..identity import model as identity_model
    from ..identity.store import enterprises, grants

    org = enterprises.get_enterprise(settings, uscc) or {}
    out = [org["legal_rep"]] if org.get("legal_rep") else []
    for g in grants.grants_given(settings, "enterprise", uscc):
        kinds, _ = model.ENTERPRISE_READERS.get(g.get("role") or "", (frozenset(), False))
        if (identity_model.grant_status(g, now) == "active"
                and (kinds is None or kind in kinds) and g["grantee"] not in out):
            out.append(g["grantee"])
    return out


def _flags(kind: str) -> dict:
    topic = rules.TRIGGERED_TOPICS[kind]
    return {"topic": topic, "urgent": False, "legal": False, "security": topic == "security"}


def _held(table: str, notice: dict, notice_id: str, owner: str, account: str, decision,
          message: dict) -> list[dict]:
    """A triggered notice held for the person's daily digest (push/digest.py): its ledger
    entry (deferred), verify code and its place in the digest."""
    from . import digest

    code = rules.new_code()
    return [ports.ledger_put(table, account, {
        "id": notice_id, "at": notice["at"], "party": owner, "topic": message["topic"],
        "title": notice["title"], "status": "deferred",
        "channels": {"inbox": "delivered", **{c: "deferred" for c in decision.channels}},
        "why": {"trigger": rules.TRIGGER_TITLES[notice["kind"]]}, "code": code}),
        ports.verify_item(table, code, {"sent_at": notice["at"], "channel": "inbox",
                                        "title": notice["title"], "sender": "梅州网上办事大厅"}),
        *digest.hold_items(table, account, decision, message={
            "id": notice_id, "at": notice["at"], "title": notice["title"], "party": owner,
            "channels": decision.channels, "kind": "notice"})]


def dispatch_one(settings, notice: dict, *, now: datetime) -> str:
    """One due notice: pushed, deferred or (for a push service asking to wait) left for the
    next sweep. Returns what happened."""
    from . import delivery

    owner = _owner(notice["pk"])
    accounts = ([owner.split(":", 1)[1]] if owner.startswith("person:")
                else staff(settings, owner.split(":", 1)[1], notice["kind"], now))
    done = set(notice.get("sent_to") or ())
    todo = [a for a in accounts if a not in done]
    recips = [{"party": owner, "account": a} for a in todo]
    prefs = ports.prefs(settings, recips) if recips else {}
    counts = ports.sent_counts(settings, todo, now)
    message = _flags(notice["kind"])
    notice_id = model.notice_id(notice["sk"][len(PREFIX):])
    table, later, items, sent, retrying = settings.table_name, None, [], [], False
    for r in recips:
        today, week = counts.get(r["account"], (0, 0))
        decision = ports.decide(prefs[(r["account"], owner)], message, now=now,
                                sent_today=today, sent_week=week)
        if decision.digest:  # in the ledger now, on the channels with the day's digest
            items += _held(table, notice, notice_id, owner, r["account"], decision, message)
            sent.append(r["account"])
            continue
        if decision.defer_until:
            later = min(later or decision.defer_until, decision.defer_until)
            continue
        push = None
        if "push" in decision.channels:
            res = delivery._push(settings, r["account"], notice_id, message, now)
            if res.kind == "retry" and notice.get("tries", 0) + 1 < rules.PUSH_TRIES:
                later, retrying = min(later or now, now), True
                continue
            push = "failed" if res.kind == "retry" else res.kind
        final = rules.final_state(decision.channels, push, None)
        code = rules.new_code()
        items.append(ports.ledger_put(table, r["account"], {
            "id": notice_id, "at": notice["at"], "party": owner, "topic": message["topic"],
            "title": notice["title"], "channels": {"inbox": "delivered",
                                                   **({"push": push} if push else {})},
            "status": rules.ledger_status(final, push, None),
            "why": {"trigger": rules.TRIGGER_TITLES[notice["kind"]]}, "code": code}))
        items.append(ports.verify_item(table, code, {"sent_at": notice["at"],
                                                     "channel": "push" if push else "inbox",
                                                     "title": notice["title"],
                                                     "sender": "梅州网上办事大厅"}))
        if push == "delivered" and not decision.exempt:
            items += ports.count_sent(table, r["account"], now)
        sent.append(r["account"])
    if later is None:
        items.insert(0, store.dispatched(table, notice))
    else:
        items.insert(0, store.redue(table, notice, rules.utc_iso(later.isoformat()),
                                    sent_to=sent, retried=retrying))
    try:
        store.write(settings, items[:100])
    except store.Raced:
        return "raced"  # another sweep had it
    return "held" if later is not None else "sent"


def sweep(settings, *, now: datetime | None = None, limit: int = 100,
          shards: list[int] | None = None) -> dict:
    """Every due notice of every shard (one Query a shard, `limit` notices each a run): the
    schedule's handler."""
    now = now or clock.now()
    until = now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    tally: dict[str, int] = {}
    for shard in range(rules.DISPATCH_SHARDS) if shards is None else shards:
        for notice in store.due_notices(settings, shard, until=until, limit=limit):
            if notice["kind"] not in rules.TRIGGERED_TOPICS:
                continue
            got = dispatch_one(settings, notice, now=now)
            tally[got] = tally.get(got, 0) + 1
    return tally


def pending(settings, owner_pk: str, sk: str) -> bool:
    """Does this notice still wait to be dispatched? (tests, operators)"""
    item = ddb(settings).get_item(TableName=settings.table_name, Key=key(owner_pk, sk),
                                  ConsistentRead=True).get("Item") or {}
    return "gsi1pk" in item
