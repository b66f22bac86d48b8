"""The only code that knows the inbox's keys. Other rooms' stores put inbox items into their
own transactions with inbox_put, so a notice lands with the change it reports.

Keys (infra/README.md holds the table); <party> is ACCOUNT#<id> or ENTERPRISE#<uscc>
(core.store's party_pk / owner_pk):
  pk=<party>  sk=INBOX#<iso time>#<rand>   one notice: kind, title, body, link, at, read;
                                           while unread also GSI2 gsi2pk=INBOXUNREAD#<party>,
                                           gsi2sk=<its sk> (sparse: the unread ones only)
  pk=<party>  sk=INBOXUNREAD               unread counters, one number per kind (u_<kind>),
                                           ADDed in the transaction of every put and read
"""
from __future__ import annotations

import json
import uuid

from botocore.exceptions import ClientError

from ..core.store import cancellation_reasons, ddb, key, owner_pk
from . import delivery_model, model

PREFIX = "INBOX#"
COUNTER_SK = "INBOXUNREAD"
COUNT_PREFIX = "u_"
# One transaction holds at most 100 items: the notices of a read-all go 99 at a time with
# their counter update.
CHUNK = 99


def _unread_pk(pk: str) -> str:
    return f"INBOXUNREAD#{pk}"


def _counter(table: str, pk: str, deltas: dict[str, int]) -> dict:
    kinds = sorted(deltas)
    return {"Update": {
        "TableName": table, "Key": key(pk, COUNTER_SK),
        "UpdateExpression": "ADD " + ", ".join(f"#k{i} :k{i}" for i in range(len(kinds))),
        "ExpressionAttributeNames": {f"#k{i}": COUNT_PREFIX + k for i, k in enumerate(kinds)},
        "ExpressionAttributeValues": {f":k{i}": {"N": str(deltas[k])}
                                      for i, k in enumerate(kinds)}}}


def _is_counter(op: dict) -> bool:
    return "Update" in op and op["Update"]["Key"].get("sk", {}).get("S") == COUNTER_SK


def coalesce(items: list[dict]) -> list[dict]:
    """One transaction may not touch an item twice: the counter updates of several notices to
    one inbox (an approval's notice and its licences' notices) become one update, where the
    first of them stood."""
    merged: dict[str, dict[str, int]] = {}
    tables: dict[str, str] = {}
    for op in items:
        if _is_counter(op):
            upd = op["Update"]
            deltas = merged.setdefault(upd["Key"]["pk"]["S"], {})
            tables[upd["Key"]["pk"]["S"]] = upd["TableName"]
            for ref, name in upd["ExpressionAttributeNames"].items():
                kind = name[len(COUNT_PREFIX):]
                n = int(upd["ExpressionAttributeValues"][":" + ref[1:]]["N"])
                deltas[kind] = deltas.get(kind, 0) + n
    out, done = [], set()
    for op in items:
        if not _is_counter(op):
            out.append(op)
            continue
        pk = op["Update"]["Key"]["pk"]["S"]
        if pk not in done:
            done.add(pk)
            out.append(_counter(tables[pk], pk, merged[pk]))
    return out


def inbox_put(table: str, *, owner: str | None = None, account: str | None = None, kind: str,
              title: str, body: str, at: str, link: str | None = None,
              dispatch: bool = True, why: dict | None = None) -> list[dict]:
    """The TransactWriteItems entries of one notice in a party's inbox: the notice and its
    unread counter. `owner` is the party the notice is about ("person:<id>" or
    "enterprise:<uscc>"); `account=<id>` is short for owner="person:<id>". Add them with
    `items += inbox_put(...)`; a transaction holding several notices for one inbox goes
    through coalesce (inbox_puts does). Links are hash routes of the PWA (`/#/...`), so a tap
    opens the right screen; numbers shaped like an ID or a mobile are masked. Triggered kinds
    (delivery_model.TRIGGERED_TOPICS) also carry the "to dispatch" marker unless `dispatch`
    is False (a campaign's delivery, which sends it itself)."""
    if (owner is None) == (account is None):
        raise ValueError("name the inbox's owner (owner=) or a person's account (account=)")
    if link and not link.startswith("/#/"):
        raise ValueError(f"inbox links are PWA hash routes, not {link!r}")
    if not kind or not kind.isidentifier():
        raise ValueError(f"a notice kind is a code, not {kind!r}")
    pk = owner_pk(owner or f"person:{account}")
    sk = f"{PREFIX}{at}#{uuid.uuid4().hex[:12]}"
    item = {**key(pk, sk), "kind": {"S": kind}, "title": {"S": model.masked(title)},
            "body": {"S": model.masked(body)}, "at": {"S": at}, "read": {"BOOL": False},
            "gsi2pk": {"S": _unread_pk(pk)}, "gsi2sk": {"S": sk}}
    if link:
        item["link"] = {"S": link}
    if why:  # "why did I get this": {campaign, name, rule} or {trigger: ...}
        item["why"] = {"S": json.dumps(why, ensure_ascii=False)}
    if dispatch and kind in delivery_model.TRIGGERED_TOPICS:
        # Out on the owner's channels too: the delivery sweeper finds it on GSI1.
        item.update(delivery_model.dispatch_fields(pk, sk, at))
    return [{"Put": {"TableName": table, "Item": item}}, _counter(table, pk, {kind: 1})]


def inbox_puts(table: str, notices: list[dict]) -> list[dict]:
    """The entries of several notices (each inbox_put's keyword arguments) for one
    transaction."""
    return coalesce([op for n in notices for op in inbox_put(table, **n)])


# ---- reading ----------------------------------------------------------------------------------

def _notice(item: dict) -> dict:
    return {"id": model.notice_id(item["sk"]["S"][len(PREFIX):]), "kind": item["kind"]["S"],
            "title": item["title"]["S"], "body": item["body"]["S"],
            "link": item.get("link", {}).get("S"), "at": item["at"]["S"],
            "read": item["read"]["BOOL"],
            **({"campaign": item["campaign"]["S"]} if "campaign" in item else {}),
            **({"why": json.loads(item["why"]["S"])} if "why" in item else {})}


def _cursor_key(item: dict, unread: bool) -> dict:
    names = ("pk", "sk", "gsi2pk", "gsi2sk") if unread else ("pk", "sk")
    return {n: {"S": item[n]["S"]} for n in names}


def valid_start(owner: str, start: dict, *, unread: bool) -> bool:
    """Is `start` a position in this reader's listing (not another party's, not another
    listing's)?"""
    pk = owner_pk(owner)
    names = {"pk", "sk", "gsi2pk", "gsi2sk"} if unread else {"pk", "sk"}
    return (set(start) == names and start["pk"]["S"] == pk
            and start["sk"]["S"].startswith(PREFIX)
            and (not unread or (start["gsi2pk"]["S"] == _unread_pk(pk)
                                and start["gsi2sk"]["S"] == start["sk"]["S"])))


def page(settings, owner: str, *, kinds: frozenset | None, unread: bool, limit: int,
         start: dict | None) -> tuple[list[dict], dict | None]:
    """Newest first: up to `limit` notices of the kinds given (None: all), only the unread
    ones from the sparse GSI2 when `unread`, and the key to go on from (None at the end)."""
    pk = owner_pk(owner)
    if unread:
        kwargs = {"IndexName": "GSI2", "KeyConditionExpression": "gsi2pk = :p",
                  "ExpressionAttributeValues": {":p": {"S": _unread_pk(pk)}}}
    else:
        kwargs = {"KeyConditionExpression": "pk = :p AND begins_with(sk, :i)",
                  "ExpressionAttributeValues": {":p": {"S": pk}, ":i": {"S": PREFIX}}}
    if kinds is not None:
        refs = [f":k{i}" for i in range(len(kinds))]
        kwargs["FilterExpression"] = f"#kind IN ({', '.join(refs)})"
        kwargs["ExpressionAttributeNames"] = {"#kind": "kind"}
        kwargs["ExpressionAttributeValues"].update(
            {r: {"S": k} for r, k in zip(refs, sorted(kinds), strict=True)})
    # One more than asked tells whether a next page exists; a filter may drop many, so read
    # wider pages then (the cursor is the last notice returned, never the last one read).
    kwargs["Limit"] = limit + 1 if kinds is None else 100
    got: list[dict] = []
    while True:
        if start:
            kwargs["ExclusiveStartKey"] = start
        resp = ddb(settings).query(TableName=settings.table_name, ScanIndexForward=False,
                                   **kwargs)
        got += resp["Items"]
        start = resp.get("LastEvaluatedKey")
        if len(got) > limit or not start:
            break
    if len(got) > limit:
        return [_notice(i) for i in got[:limit]], _cursor_key(got[limit - 1], unread)
    return [_notice(i) for i in got], None


def get_notice(settings, owner: str, tail: str) -> dict | None:
    item = ddb(settings).get_item(TableName=settings.table_name,
                                  Key=key(owner_pk(owner), PREFIX + tail),
                                  ConsistentRead=True).get("Item")
    return _notice(item) if item else None


def unread_counts(settings, owner: str) -> dict[str, int]:
    """The inbox's unread counters by kind: one GetItem."""
    item = ddb(settings).get_item(TableName=settings.table_name,
                                  Key=key(owner_pk(owner), COUNTER_SK),
                                  ConsistentRead=True).get("Item") or {}
    return {k[len(COUNT_PREFIX):]: int(v["N"]) for k, v in item.items()
            if k.startswith(COUNT_PREFIX) and "N" in v}


# ---- marking read -----------------------------------------------------------------------------

def _mark(table: str, pk: str, tail: str) -> dict:
    return {"Update": {"TableName": table, "Key": key(pk, PREFIX + tail),
                       "UpdateExpression": "SET #r = :t REMOVE gsi2pk, gsi2sk",
                       "ConditionExpression": "#r = :f",
                       "ExpressionAttributeNames": {"#r": "read"},
                       "ExpressionAttributeValues": {":t": {"BOOL": True},
                                                     ":f": {"BOOL": False}}}}


def mark_read(settings, owner: str, notices: list[dict]) -> int:
    """Mark notices (id and kind, as listed) read, each with its counter, in transactions of
    CHUNK: only those still unread count, so repeating a read (or racing another reader)
    changes nothing. How many this call marked."""
    table, pk, marked = settings.table_name, owner_pk(owner), 0
    for i in range(0, len(notices), CHUNK):
        todo = [(model.notice_tail(n["id"]), n["kind"]) for n in notices[i:i + CHUNK]]
        while todo:
            deltas: dict[str, int] = {}
            for _, kind in todo:
                deltas[kind] = deltas.get(kind, 0) - 1
            ops = [_mark(table, pk, tail) for tail, _ in todo] + [_counter(table, pk, deltas)]
            try:
                ddb(settings).transact_write_items(TransactItems=ops)
            except ClientError as err:
                reasons = cancellation_reasons(err)  # busy: a 503, the client retries
                # Read meanwhile (another reader, or a listing the index had not caught up
                # with): leave those out and write the rest.
                kept = [t for t, r in zip(todo, reasons, strict=False)
                        if r != "ConditionalCheckFailed"]
                if len(kept) == len(todo):
                    raise
                todo = kept
                continue
            marked += len(todo)
            break
    return marked


def unread_notices(settings, owner: str, *, kinds: frozenset | None) -> list[dict]:
    """Every unread notice of the kinds given (GSI2, the unread ones only)."""
    found, start = [], None
    while True:
        items, start = page(settings, owner, kinds=kinds, unread=True, limit=CHUNK,
                            start=start)
        found += items
        if not start:
            return found
