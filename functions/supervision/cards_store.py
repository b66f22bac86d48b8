"""The only code that knows the cards' keys.

Keys (infra/README.md holds the table):
  pk=CARD#<card id>  sk=C        one card (doc: JSON), `state`, `notified` (the officer and the
                                 head were told), `colour`, `department`, `region`, `officer`;
                                 GSI1 gsi1pk=CARDQ#<dept>#<region>#<state>, gsi1sk=<raised>#<id>:
                                 a department's cards, oldest first; GSI2 gsi2pk=CARDS#<state>,
                                 gsi2sk=<raised>#<id>: every card in a state
  pk=CARDWATCH#<application|question id>  sk=accept_by|promised|answer
                                 the next moment a clock owes a card: `day`, `officer`, `notify`
                                 (a card a move raised, to be told); GSI1 gsi1pk=CARDWATCH#<month
                                 of day>, gsi1sk=<day>#<subject>#<clock>: the schedule's Query
  pk=CARDSTAT#<month>  sk=<dept>#<region>   the month's cards as string sets of ids (yellow,
                                 red, closed): adding an id twice counts it once
  pk=HEADS#<dept>#<region>  sk=<account id>   the department's heads (who the cards tell)
"""
from __future__ import annotations

import json
from datetime import date

from botocore.exceptions import ClientError

from ..core.store import cancellation_reasons, ddb, key
from . import cards_model as model

SK = "C"


def _card_key(cid: str) -> dict:
    return key(f"CARD#{cid}", SK)


def _attrs(card: dict) -> dict:
    sort = f"{card['raised_at']}#{card['id']}"
    return {"doc": {"S": json.dumps(card, ensure_ascii=False, sort_keys=True)},
            "state": {"S": card["state"]}, "colour": {"S": card["colour"]},
            "department": {"S": card["department"]}, "region": {"S": card["region"]},
            "officer": {"S": card["officer"] or "-"},
            "gsi1pk": {"S": f"CARDQ#{card['department']}#{card['region']}#{card['state']}"},
            "gsi1sk": {"S": sort}, "gsi2pk": {"S": f"CARDS#{card['state']}"},
            "gsi2sk": {"S": sort}}


def _upsert(table: str, card: dict, *, notified: bool, condition: str | None) -> dict:
    """An Update that creates the card when missing and keeps a stored one as it is."""
    attrs = _attrs(card)
    names = {f"#a{i}": n for i, n in enumerate(attrs)}
    sets = [f"#a{i} = if_not_exists(#a{i}, :a{i})" for i in range(len(attrs))]
    values = {f":a{i}": v for i, v in enumerate(attrs.values())}
    values[":n"] = {"BOOL": notified}
    sets.append("notified = :n" if notified else "notified = if_not_exists(notified, :n)")
    update = {"TableName": table, "Key": _card_key(card["id"]),
              "UpdateExpression": "SET " + ", ".join(sets),
              "ExpressionAttributeNames": names, "ExpressionAttributeValues": values}
    if condition:
        update["ConditionExpression"] = condition
        values[":f"] = {"BOOL": False}
    return {"Update": update}


def stat_item(table: str, card: dict, field: str, month: str) -> dict:
    """The card's id added to the month's set of `field` (yellow, red, closed)."""
    return {"Update": {
        "TableName": table, "Key": key(f"CARDSTAT#{month}",
                                       f"{card['department']}#{card['region']}"),
        "UpdateExpression": "ADD #f :id SET department = :d, #r = :r",
        "ExpressionAttributeNames": {"#f": field, "#r": "region"},
        "ExpressionAttributeValues": {":id": {"SS": [card["id"]]},
                                      ":d": {"S": card["department"]},
                                      ":r": {"S": card["region"]}}}}


def raised_items(table: str, card: dict) -> list[dict]:
    """A card a move raises, in the move's transaction: created when missing (never a failed
    condition there), counted once however often it is written."""
    return [_upsert(table, card, notified=False, condition=None),
            stat_item(table, card, card["colour"], card["raised_at"][:7])]


def raise_card(settings, card: dict, *, extra: list[dict]) -> str:
    """The card (created when missing) marked told, with its notices and whatever `extra`
    holds: one transaction, once. 'raised'; 'exists' when it was raised and told already;
    'moved' when the last of `extra` (a conditional watch write) failed its condition."""
    table = settings.table_name
    items = [_upsert(table, card, notified=True,
                     condition="attribute_not_exists(pk) OR notified = :f"),
             stat_item(table, card, card["colour"], card["raised_at"][:7]), *extra]
    try:
        ddb(settings).transact_write_items(TransactItems=items)
    except ClientError as err:
        reasons = cancellation_reasons(err)
        if reasons[:1] == ["ConditionalCheckFailed"]:
            return "exists"
        if reasons[-1:] == ["ConditionalCheckFailed"]:
            return "moved"
        raise
    return "raised"


def get(settings, cid: str) -> dict | None:
    if not model.is_id(cid):
        return None
    item = ddb(settings).get_item(TableName=settings.table_name, Key=_card_key(cid),
                                  ConsistentRead=True).get("Item")
    return json.loads(item["doc"]["S"]) if item else None


def save(settings, old: dict, new: dict, *, extra: list[dict]) -> bool:
    """The card in its new state, conditional on the state it was read in; False when it
    moved meanwhile."""
    table = settings.table_name
    items = [{"Put": {"TableName": table,
                      "Item": {**_card_key(new["id"]), **_attrs(new), "notified": {"BOOL": True}},
                      "ConditionExpression": "#s = :s",
                      "ExpressionAttributeNames": {"#s": "state"},
                      "ExpressionAttributeValues": {":s": {"S": old["state"]}}}}, *extra]
    try:
        ddb(settings).transact_write_items(TransactItems=items)
    except ClientError as err:
        if cancellation_reasons(err)[:1] == ["ConditionalCheckFailed"]:
            return False
        raise
    return True


def _valid_start(start: dict, index: str, value: str) -> bool:
    sort_key = index.replace("pk", "sk")
    return (set(start) == {"pk", "sk", index, sort_key} and start[index]["S"] == value
            and start["sk"]["S"] == SK and start["pk"]["S"].startswith("CARD#"))


def listing(settings, *, state: str, department: str | None, region: str | None,
            colour: str | None, officer: str | None, limit: int,
            start: dict | None) -> tuple[list[dict], dict | None] | None:
    """Cards in a state, oldest first: a department's (GSI1) when both department and region
    are named, else every department's (GSI2) filtered. None for a cursor not of this
    listing."""
    if department and region:
        index, name, value = "GSI1", "gsi1pk", f"CARDQ#{department}#{region}#{state}"
        filters = {"colour": colour, "officer": officer}
    else:
        index, name, value = "GSI2", "gsi2pk", f"CARDS#{state}"
        filters = {"colour": colour, "officer": officer, "department": department,
                   "region": region}
    if start and not _valid_start(start, name, value):
        return None
    kwargs = {"TableName": settings.table_name, "IndexName": index, "Limit": limit,
              "KeyConditionExpression": f"{name} = :k",
              "ExpressionAttributeValues": {":k": {"S": value}}}
    wanted = {k: v for k, v in filters.items() if v}
    if wanted:
        kwargs["FilterExpression"] = " AND ".join(f"#f{i} = :f{i}" for i in range(len(wanted)))
        kwargs["ExpressionAttributeNames"] = {f"#f{i}": k for i, k in enumerate(wanted)}
        kwargs["ExpressionAttributeValues"].update(
            {f":f{i}": {"S": v} for i, v in enumerate(wanted.values())})
    if start:
        kwargs["ExclusiveStartKey"] = start
    resp = ddb(settings).query(**kwargs)
    return [json.loads(i["doc"]["S"]) for i in resp["Items"]], resp.get("LastEvaluatedKey")


def month_rows(settings, month: str) -> list[dict]:
    """The month's counter rows: one Query of its partition (one row per department and
    region that had a card)."""
    rows, start = [], None
    while True:
        kwargs = {"TableName": settings.table_name, "KeyConditionExpression": "pk = :p",
                  "ExpressionAttributeValues": {":p": {"S": f"CARDSTAT#{month}"}}}
        if start:
            kwargs["ExclusiveStartKey"] = start
        resp = ddb(settings).query(**kwargs)
        rows += [{"department": i["department"]["S"], "region": i["region"]["S"],
                  **{f: len(i.get(f, {}).get("SS", [])) for f in ("yellow", "red", "closed")}}
                 for i in resp["Items"]]
        start = resp.get("LastEvaluatedKey")
        if not start:
            return rows


# ---- the schedule's watch list ----------------------------------------------------------------

def watch_put(table: str, subject: str, clock: str, *, kind: str, day: date,
              officer: str | None, notify: str | None = None) -> dict:
    """The next moment `clock` of `subject` owes a card (`kind`: application or question);
    `notify` names a card a move raised that the schedule is to tell."""
    item = {**key(f"CARDWATCH#{subject}", clock), "subject": {"S": subject},
            "clock": {"S": clock}, "kind": {"S": kind}, "day": {"S": day.isoformat()},
            "gsi1pk": {"S": f"CARDWATCH#{day.isoformat()[:7]}"},
            "gsi1sk": {"S": f"{day.isoformat()}#{subject}#{clock}"}}
    if officer:
        item["officer"] = {"S": officer}
    if notify:
        item["notify"] = {"S": notify}
    return {"Put": {"TableName": table, "Item": item}}


def watch_delete(table: str, subject: str, clock: str) -> dict:
    return {"Delete": {"TableName": table, "Key": key(f"CARDWATCH#{subject}", clock)}}


def _if_day(op: dict, day: str) -> dict:
    body = next(iter(op.values()))
    body.update({"ConditionExpression": "#d = :d", "ExpressionAttributeNames": {"#d": "day"},
                 "ExpressionAttributeValues": {":d": {"S": day}}})
    return op


def watch_next(table: str, watch: dict, next_day: date | None) -> dict:
    """The watch moved on to its next day (deleted when None), unless a move rewrote it since
    the schedule read it."""
    op = (watch_put(table, watch["subject"], watch["clock"], kind=watch["kind"], day=next_day,
                    officer=watch["officer"]) if next_day
          else watch_delete(table, watch["subject"], watch["clock"]))
    return _if_day(op, watch["day"])


def move_watch(settings, watch: dict, next_day: date | None) -> None:
    try:
        ddb(settings).transact_write_items(
            TransactItems=[watch_next(settings.table_name, watch, next_day)])
    except ClientError as err:
        if cancellation_reasons(err)[:1] != ["ConditionalCheckFailed"]:
            raise


def watches_due(settings, today: date, months: list[str]) -> list[dict]:
    """Watches whose day has come, in the given months' partitions (GSI1 Queries)."""
    out = []
    for month in months:
        start = None
        while True:
            kwargs = {"TableName": settings.table_name, "IndexName": "GSI1",
                      "KeyConditionExpression": "gsi1pk = :p AND gsi1sk <= :d",
                      "ExpressionAttributeValues": {":p": {"S": f"CARDWATCH#{month}"},
                                                    ":d": {"S": f"{today.isoformat()}#~"}}}
            if start:
                kwargs["ExclusiveStartKey"] = start
            resp = ddb(settings).query(**kwargs)
            out += [{"subject": i["subject"]["S"], "clock": i["clock"]["S"],
                     "kind": i["kind"]["S"], "day": i["day"]["S"],
                     "officer": i.get("officer", {}).get("S"),
                     "notify": i.get("notify", {}).get("S")} for i in resp["Items"]]
            start = resp.get("LastEvaluatedKey")
            if not start:
                break
    return out


def drop_watch(settings, subject: str, clock: str, *, day: str) -> None:
    """A watch the schedule is done with, unless a move rewrote it meanwhile."""
    try:
        ddb(settings).delete_item(
            TableName=settings.table_name, Key=key(f"CARDWATCH#{subject}", clock),
            ConditionExpression="#d = :d", ExpressionAttributeNames={"#d": "day"},
            ExpressionAttributeValues={":d": {"S": day}})
    except ClientError as err:
        if err.response["Error"]["Code"] != "ConditionalCheckFailedException":
            raise


# ---- the departments' heads ---------------------------------------------------------------------

def head_put(table: str, department: str, region: str, account: str) -> dict:
    return {"Put": {"TableName": table,
                    "Item": {**key(f"HEADS#{department}#{region}", account),
                             "account": {"S": account}},
                    "ConditionExpression": "attribute_not_exists(pk)"}}


def heads_of(settings, department: str, region: str) -> list[str]:
    resp = ddb(settings).query(
        TableName=settings.table_name, KeyConditionExpression="pk = :p",
        ExpressionAttributeValues={":p": {"S": f"HEADS#{department}#{region}"}})
    return [i["account"]["S"] for i in resp["Items"]]
