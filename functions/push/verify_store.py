"""The only code that knows the verify codes' keys (infra/README.md).

  pk=VERIFY#<code>  sk=V   sent_at, channel, title (no personal data), sender and sender_en
                           (the department's name, or the hall's), expires (ISO), ttl (epoch
                           seconds, 90 days)
Written in the delivery transaction of the message that carries the code (verify_item); moto
never expires ttl items, so lookup compares `expires` itself.
"""
from __future__ import annotations

from datetime import datetime

from ..core.store import ddb, key
from . import verify_model as vm

SK = "V"


def _pk(code: str) -> str:
    return f"VERIFY#{code}"


def verify_item(table: str, code: str, summary: dict) -> dict:
    """The TransactWriteItems entry of one message's code. summary: {sent_at (ISO, aware),
    channel ("inbox"/"push"/"sms"), title (the template's title, no personal data), sender
    and sender_en (the department's name in Chinese and English)}. Conditional on the code
    being new: a collision (1 in 10^12) cancels the transaction, the worker retries the record
    with a new code."""
    sent = datetime.fromisoformat(summary["sent_at"])
    until = vm.expires(sent)
    item = {**key(_pk(code), SK), "sent_at": {"S": summary["sent_at"]},
            "channel": {"S": summary.get("channel") or "inbox"},
            "title": {"S": vm.public_title(summary.get("title") or "")},
            "sender": {"S": summary.get("sender") or ""},
            "sender_en": {"S": summary.get("sender_en") or _english(summary.get("sender"))},
            "expires": {"S": until.isoformat()}, "ttl": {"N": str(int(until.timestamp()))}}
    return {"Put": {"TableName": table, "Item": item,
                    "ConditionExpression": "attribute_not_exists(pk)"}}


def lookup(settings, code: str, *, now: datetime) -> dict | None:
    """The public summary of a live code, or None (unknown or expired): one GetItem."""
    item = ddb(settings).get_item(TableName=settings.table_name,
                                  Key=key(_pk(code), SK)).get("Item")
    if not item or datetime.fromisoformat(item["expires"]["S"]) <= now:
        return None
    sender = item["sender"]["S"]
    return {"sent_at": item["sent_at"]["S"], "channel": item["channel"]["S"],
            "title": item["title"]["S"], "sender": sender,
            "sender_en": item.get("sender_en", {}).get("S") or _english(sender)}


def _english(sender: str | None) -> str:
    """The hall's English name for its own messages; a department's is given by the sender."""
    return vm.HALL_SENDER[1] if sender == vm.HALL_SENDER[0] else (sender or "")
