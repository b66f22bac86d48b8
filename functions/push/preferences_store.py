"""The only code that knows the preferences' keys and the topic index (infra/README.md).

  pk=PREFS#<account>  sk=P                 the person's preferences (doc: JSON, complete), rev
  pk=PREFS#<account>  sk=E#<uscc>          acting for an enterprise: its topics that reach this
                                           person (doc), role
  pk=PREFS#<account>  sk=SUB#<party>#<topic>
                                           one topic index row, on GSI2:
                                           gsi2pk=TOPIC#<topic>#<county>, gsi2sk=<party>#<account>
                                           (party, account, county, birth YYYY-MM, kind,
                                           industry, size, founded for an enterprise's row)
The rows are put and deleted in the transaction of the preference change they follow. The
topic partition is sharded by county (SHARDS: the city's eight counties and 441400 for
anyone else), so a county's campaign reads one partition and a city-wide one nine, one
Query a page, never a Scan. Its own partition keeps the page's Query of ACCOUNT#<id> small.
"""
from __future__ import annotations

import json
import time

from ..core.errors import Unavailable
from ..core.store import ddb, key, party_pk
from . import preferences_model as pm

PERSON = "P"
ENTERPRISE = "E#"
SUB = "SUB#"
CITY = "441400"
SHARDS = ("441402", "441403", "441422", "441423", "441424", "441426", "441427", "441481", CITY)
ROW_FIELDS = ("county", "birth", "kind", "industry", "size", "founded")
LIMIT_MAX = 1000


def _pk(account: str) -> str:
    return f"PREFS#{account}"


def shard(county: str | None) -> str:
    return county if county in SHARDS else CITY


def _topic_pk(topic: str, county: str | None) -> str:
    return f"TOPIC#{topic}#{shard(county)}"


# ---- reading ----------------------------------------------------------------------------------

def _section(item: dict | None) -> dict | None:
    return json.loads(item["doc"]["S"]) if item else None


def stored(settings, account: str, enterprise: str | None = None) -> tuple[dict | None, int]:
    """The stored preferences (or the enterprise section) and their revision (0: none)."""
    sk = PERSON if enterprise is None else ENTERPRISE + enterprise
    item = ddb(settings).get_item(TableName=settings.table_name, Key=key(_pk(account), sk),
                                  ConsistentRead=True).get("Item")
    return _section(item), int(item["rev"]["N"]) if item else 0


def _member_role(item: dict | None) -> str | None:
    return item["role"]["S"] if item and "role" in item else None


def _batch_get(settings, keys: list[dict]) -> dict[tuple[str, str], dict]:
    table, found = settings.table_name, {}
    for i in range(0, len(keys), 100):
        request = {table: {"Keys": keys[i:i + 100]}}
        for attempt in range(4):
            resp = ddb(settings).batch_get_item(RequestItems=request)
            for item in resp.get("Responses", {}).get(table, []):
                found[(item["pk"]["S"], item["sk"]["S"])] = item
            request = resp.get("UnprocessedKeys") or {}
            if not request:
                break
            time.sleep(0.02 * 2 ** attempt)
        else:
            raise Unavailable("Storage is busy; try again.", headers={"Retry-After": "2"})
    return found


def _granted_role(settings, account: str, uscc: str) -> str | None:
    """The role of an active grant from this enterprise, for a staff member with neither a
    membership nor a stored section (authorised before their defaults were filed): one GSI1
    Query of their grants, only for them."""
    from ..core import clock
    from ..identity import model as identity_model
    from ..identity.store import grants

    now = clock.now()
    for g in grants.grants_received(settings, account):
        if ((g.get("grantor_kind"), g.get("grantor_id")) == ("enterprise", uscc)
                and identity_model.grant_status(g, now) == "active"):
            return g.get("role") or "viewer"
    return None


def prefs_of_many(settings, pairs: list[tuple[str, str | None]]) -> dict:
    """{(account, uscc or None): complete preferences} for the delivery worker: one
    BatchGetItem per 100 keys (the person's item, and for an enterprise's message the
    person's section for it and their membership, whose role gives the section's defaults).
    A message to a person: their own; to an enterprise's staff member: merged."""
    from ..identity.store import enterprises

    wanted: list[dict] = []
    seen = set()
    for account, uscc in pairs:
        ks = [key(_pk(account), PERSON)]
        if uscc:
            ks += [key(_pk(account), ENTERPRISE + uscc),
                   key(party_pk("person", account), enterprises.MEMBER + uscc)]
        for k in ks:
            ref = (k["pk"]["S"], k["sk"]["S"])
            if ref not in seen:
                seen.add(ref)
                wanted.append(k)
    got = _batch_get(settings, wanted)
    out = {}
    for account, uscc in pairs:
        person = pm.normalise(_section(got.get((_pk(account), PERSON))))
        if uscc:
            item = got.get((_pk(account), ENTERPRISE + uscc))
            role = (_member_role(got.get((party_pk("person", account),
                                          enterprises.MEMBER + uscc)))
                    or _member_role(item) or _granted_role(settings, account, uscc))
            section = pm.normalise(_section(item), role=role or "viewer")
            person = pm.merged(person, section)
        out[(account, uscc)] = person
    return out


def prefs_of(settings, account: str, enterprise: str | None = None) -> dict:
    """A person's complete preferences (defaults filled); with `enterprise`, those for that
    enterprise's messages (its topics as this person chose them, their own quiet hours)."""
    return prefs_of_many(settings, [(account, enterprise)])[(account, enterprise)]


# ---- writing: preferences and their index rows in one transaction ----------------------------

def _row_item(table: str, account: str, party: str, topic: str, facts: dict) -> dict:
    item = {**key(_pk(account), f"{SUB}{party}#{topic}"),
            "gsi2pk": {"S": _topic_pk(topic, facts.get("county"))},
            "gsi2sk": {"S": f"{party}#{account}"},
            "party": {"S": party}, "account": {"S": account}, "topic": {"S": topic}}
    for name in ROW_FIELDS:
        if facts.get(name):
            item[name] = {"S": str(facts[name])}
    return {"Put": {"TableName": table, "Item": item}}


def save_items(table: str, account: str, *, doc: dict, rev: int, at: str, facts: dict,
               enterprise: str | None = None, role: str | None = None) -> list[dict]:
    """The TransactWriteItems entries of a preference change: the preferences (conditional
    on the revision read: a concurrent change makes the transaction fail, the caller answers
    409) and every topic index row (a Put for each subscribed topic, refreshing the county and
    birth it is filed under; a Delete for each unsubscribed one)."""
    sk = PERSON if enterprise is None else ENTERPRISE + enterprise
    party = f"person:{account}" if enterprise is None else f"enterprise:{enterprise}"
    item = {**key(_pk(account), sk), "doc": {"S": json.dumps(doc, ensure_ascii=False)},
            "rev": {"N": str(rev + 1)}, "updated": {"S": at}}
    if role:
        item["role"] = {"S": role}
    put = {"TableName": table, "Item": item}
    if rev:
        put |= {"ConditionExpression": "rev = :r",
                "ExpressionAttributeValues": {":r": {"N": str(rev)}}}
    else:
        put |= {"ConditionExpression": "attribute_not_exists(pk)"}
    ops = [{"Put": put}]
    on = set(pm.subscribed_topics(doc))
    for topic in pm.INDEXED_TOPICS:
        if topic in on:
            ops.append(_row_item(table, account, party, topic, facts))
        else:
            ops.append({"Delete": {"TableName": table,
                                   "Key": key(_pk(account), f"{SUB}{party}#{topic}")}})
    return ops


def default_items(table: str, account: str, *, at: str, facts: dict,
                  enterprise: str | None = None, role: str | None = None) -> list[dict]:
    """The entries that file a person (or, with `enterprise` and `role`, their place in an
    enterprise's staff) under the default topics before they chose anything: for the
    transaction that creates the account or accepts the role. Conditional on no preferences
    yet (a repeat cancels the transaction: leave it out then)."""
    doc = pm.normalise(None, role=role or "viewer") if enterprise else pm.normalise(None)
    ops = save_items(table, account, doc=doc, rev=0, at=at, facts=facts,
                     enterprise=enterprise, role=role)
    return [op for op in ops if "Put" in op]  # nothing to delete yet


# ---- the topic index: the planner's read ------------------------------------------------------

def _row(item: dict) -> dict:
    row = {"party": item["party"]["S"], "account": item["account"]["S"]}
    for name in ROW_FIELDS:
        row[name] = item[name]["S"] if name in item else None
    return row


def subscribers(settings, topic: str, *, county: str | None = None, start: dict | None = None,
                limit: int = 500) -> tuple[list[dict], dict | None]:
    """One page of the topic's subscribers: ONE Query of GSI2 (never a Scan). `county`: that
    county's shard only; None: the city's shards in turn (a page never spans two). Each row
    {party, account, county, birth, kind, industry, size, founded}. Returns (rows, next): next
    is the `start` of the following page, None at the end (JSON-safe: SQS may carry it)."""
    if topic not in pm.INDEXED_TOPICS:
        raise ValueError(f"no index for topic {topic!r}")
    shards = [shard(county)] if county else list(SHARDS)
    at = shards.index(start["shard"]) if start and start.get("shard") in shards else 0
    kwargs = {"TableName": settings.table_name, "IndexName": "GSI2",
              "KeyConditionExpression": "gsi2pk = :p",
              "ExpressionAttributeValues": {":p": {"S": _topic_pk(topic, shards[at])}},
              "Limit": max(1, min(limit, LIMIT_MAX))}
    if start and start.get("key"):
        kwargs["ExclusiveStartKey"] = start["key"]
    resp = ddb(settings).query(**kwargs)
    rows = [_row(i) for i in resp["Items"]]
    if resp.get("LastEvaluatedKey"):
        return rows, {"shard": shards[at], "key": resp["LastEvaluatedKey"]}
    if at + 1 < len(shards):
        return rows, {"shard": shards[at + 1], "key": None}
    return rows, None
