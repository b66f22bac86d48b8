"""The only code that knows the ledger's keys (infra/README.md): every message the city sent a
person, on any channel, and the counters the caps read.

  pk=LEDGER#<account>  sk=M#<iso time>#<message id>
        id, at, party (whose message: person:<id> / enterprise:<uscc>), topic, title (masked),
        channels ({"inbox": "delivered", "push": "delivered"|"deferred"|"failed"|"absent"|
        "gone", "sms": "sent"|"failed"|"deferred"}), status, why (JSON), code, campaign
  pk=LEDGER#<account>  sk=COUNT#D#<Beijing date> / COUNT#W#<ISO week>
        n: capped messages that reached the person (push or SMS) that day / week, ttl
A person's ledger is one Query of their own partition, newest first. Its own partition keeps
the page's Query of ACCOUNT#<id> small.
"""
from __future__ import annotations

import json
from datetime import datetime, timedelta

from ..core.store import ddb, key
from . import model
from . import preferences_model as pm
from .preferences_store import _batch_get

ENTRY = "M#"
COUNT_DAY = "COUNT#D#"
COUNT_WEEK = "COUNT#W#"
STATUSES = ("delivered", "deferred", "failed", "fallback_sms", "inbox_only", "cancelled")
OUTCOMES = ("delivered", "deferred", "failed", "absent", "gone", "sent", "digest")


def _pk(account: str) -> str:
    return f"LEDGER#{account}"


def _sk(at: str, message_id: str) -> str:
    return f"{ENTRY}{at}#{message_id}"


def ledger_put(table: str, account: str, entry: dict) -> dict:
    """The TransactWriteItems entry of one message in a person's ledger (the delivery worker
    puts it with the inbox item and the sent-marker). entry: {id, at (ISO), party, topic,
    title, channels: {channel: outcome}, status, why: {campaign, name, rule} | {trigger: ...},
    code (the verify code), campaign?}. Conditional: a message id is in a ledger once."""
    item = {**key(_pk(account), _sk(entry["at"], entry["id"])), "id": {"S": entry["id"]},
            "at": {"S": entry["at"]}, "party": {"S": entry.get("party") or f"person:{account}"},
            "topic": {"S": entry["topic"]}, "title": {"S": model.masked(entry["title"])},
            "channels": {"S": json.dumps(entry.get("channels") or {"inbox": "delivered"})},
            "status": {"S": entry.get("status") or "delivered"},
            "why": {"S": json.dumps(entry.get("why") or {}, ensure_ascii=False)},
            "code": {"S": entry.get("code") or ""}}
    if entry.get("campaign"):
        item["campaign"] = {"S": entry["campaign"]}
    return {"Put": {"TableName": table, "Item": item,
                    "ConditionExpression": "attribute_not_exists(pk)"}}


def ledger_update(table: str, account: str, *, at: str, message_id: str,
                  channels: dict[str, str], status: str | None = None) -> dict:
    """The Update entry recording channel outcomes of a message already in the ledger (after
    the push, the SMS fallback, a deferral's release). It replaces the channels map given
    (merge with the entry's own first: `entry`); also usable alone:
    ddb.update_item(**ledger_update(...)["Update"])."""
    names, values, sets = {"#c": "channels"}, {":c": {"S": json.dumps(channels)}}, ["#c = :c"]
    if status:
        names["#s"], values[":s"] = "status", {"S": status}
        sets.append("#s = :s")
    return {"Update": {"TableName": table, "Key": key(_pk(account), _sk(at, message_id)),
                       "UpdateExpression": "SET " + ", ".join(sets),
                       "ConditionExpression": "attribute_exists(pk)",
                       "ExpressionAttributeNames": names, "ExpressionAttributeValues": values}}


def _entry(item: dict) -> dict:
    return {"id": item["id"]["S"], "at": item["at"]["S"], "party": item["party"]["S"],
            "topic": item["topic"]["S"], "title": item["title"]["S"],
            "channels": json.loads(item["channels"]["S"]), "status": item["status"]["S"],
            "why": json.loads(item["why"]["S"]), "code": item["code"]["S"] or None,
            "campaign": item.get("campaign", {}).get("S")}


def entry(settings, account: str, *, at: str, message_id: str) -> dict | None:
    item = ddb(settings).get_item(TableName=settings.table_name,
                                  Key=key(_pk(account), _sk(at, message_id)),
                                  ConsistentRead=True).get("Item")
    return _entry(item) if item else None


def valid_start(account: str, start: dict) -> bool:
    """Is `start` a position in this person's ledger (never another's)?"""
    return (set(start) == {"pk", "sk"} and start["pk"].get("S") == _pk(account)
            and str(start["sk"].get("S", "")).startswith(ENTRY))


def page(settings, account: str, *, limit: int, start: dict | None
         ) -> tuple[list[dict], dict | None]:
    """Newest first: up to `limit` entries and the key to go on from (None at the end)."""
    kwargs = {"TableName": settings.table_name, "ScanIndexForward": False,
              "KeyConditionExpression": "pk = :p AND begins_with(sk, :m)",
              "ExpressionAttributeValues": {":p": {"S": _pk(account)}, ":m": {"S": ENTRY}},
              "Limit": limit + 1}
    if start:
        kwargs["ExclusiveStartKey"] = start
    items = ddb(settings).query(**kwargs)["Items"]
    if len(items) > limit:
        last = items[limit - 1]
        return [_entry(i) for i in items[:limit]], {"pk": last["pk"], "sk": last["sk"]}
    return [_entry(i) for i in items], None


# ---- the caps' counters ----------------------------------------------------------------------

def _count_keys(account: str, now: datetime) -> tuple[dict, dict]:
    return (key(_pk(account), COUNT_DAY + pm.day_key(now)),
            key(_pk(account), COUNT_WEEK + pm.week_key(now)))


def count_sent(table: str, account: str, now: datetime) -> list[dict]:
    """The Update entries counting one capped message (push or SMS, not legal or security:
    Decision.exempt) against today's and this week's caps, in the delivery's transaction."""
    ttl = str(int((now + timedelta(days=15)).timestamp()))
    return [{"Update": {"TableName": table, "Key": k, "UpdateExpression": "ADD n :one SET #t = :t",
                        "ExpressionAttributeNames": {"#t": "ttl"},
                        "ExpressionAttributeValues": {":one": {"N": "1"}, ":t": {"N": ttl}}}}
            for k in _count_keys(account, now)]


def sent_counts_many(settings, accounts: list[str], now: datetime) -> dict[str, tuple[int, int]]:
    """{account: (sent today, sent this week)} in Beijing days and ISO weeks: one
    BatchGetItem per 50 people."""
    keys, refs = [], {}
    for account in dict.fromkeys(accounts):
        day, week = _count_keys(account, now)
        keys += [day, week]
        refs[account] = ((day["pk"]["S"], day["sk"]["S"]), (week["pk"]["S"], week["sk"]["S"]))
    got = _batch_get(settings, keys)
    return {a: tuple(int(got[r]["n"]["N"]) if r in got else 0 for r in pair)
            for a, pair in refs.items()}


def sent_counts(settings, account: str, now: datetime) -> tuple[int, int]:
    return sent_counts_many(settings, [account], now)[account]
