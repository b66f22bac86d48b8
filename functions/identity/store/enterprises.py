"""The base registry, enterprises and who represents them: the only code that knows their keys.

  pk=REGISTRY#P#<hmac(id number)>  sk=R                a person in the base registry
  pk=REGISTRY#O#<uscc>             sk=R                a legal person in the registry
  pk=ENTERPRISE#<uscc>             sk=PROFILE          a registered enterprise
  pk=ACCOUNT#<id>                  sk=ENTERPRISE#<uscc> the person's role in it (legal_rep)
  pk=REGISTRY#COUNTS               sk=O                 per county: e_<county> active legal
                                                        persons that are not individual
                                                        businesses, i_<county> active
                                                        individual businesses
                                   sk=P#<YYYY-MM>       per county: n_<county> residents born
                                                        that month, d_<county> of them on its
                                                        1st (the page use rates' bases)
"""
from __future__ import annotations

import json

from botocore.exceptions import ClientError

from ...core.errors import Conflict
from ...core.store import audit_put, cancellation_reasons, ddb, key, party_pk

MEMBER = "ENTERPRISE#"


def _registry(kind: str, ident: str) -> dict:
    return key(f"REGISTRY#{kind}#{ident}", "R")


def _profile(uscc: str) -> dict:
    return key(party_pk("enterprise", uscc), "PROFILE")


def _member(account_id: str, uscc: str) -> dict:
    return key(party_pk("person", account_id), f"{MEMBER}{uscc}")


def _doc(item: dict | None) -> dict | None:
    return json.loads(item["doc"]["S"]) if item else None


def registry_person(settings, id_hash: str) -> dict | None:
    return _doc(ddb(settings).get_item(TableName=settings.table_name,
                                       Key=_registry("P", id_hash)).get("Item"))


def registry_org(settings, uscc: str) -> dict | None:
    return _doc(ddb(settings).get_item(TableName=settings.table_name,
                                       Key=_registry("O", uscc)).get("Item"))


def put_registry(settings, persons: list[dict], orgs: list[dict]) -> None:
    from ...hall.store import with_batches

    items = [{**_registry("P", p["id_hash"]), "doc": {"S": json.dumps(p, ensure_ascii=False)}}
             for p in persons]
    items += [{**_registry("O", o["uscc"]), "doc": {"S": json.dumps(o, ensure_ascii=False)}}
              for o in orgs]
    before = _stored_docs(settings, [{k: it[k] for k in ("pk", "sk")} for it in items])
    with_batches(settings, items)
    _count(settings, before, persons, orgs)


# ---- the registry's counts, kept as it is loaded (no Scan at read time) -------------------------

COUNTS = "REGISTRY#COUNTS"


def _tally(kind: str, doc: dict | None) -> list[tuple[str, str]]:
    """The (sk, attribute) counters a registry record adds one to."""
    if not doc:
        return []
    if kind == "P":
        if not doc.get("birth") or not doc.get("region"):
            return []
        out = [(f"P#{doc['birth'][:7]}", f"n_{doc['region']}")]
        if doc["birth"][8:10] == "01":
            out.append((f"P#{doc['birth'][:7]}", f"d_{doc['region']}"))
        return out
    if doc.get("status") != "active" or not doc.get("county"):
        return []
    return [("O", f"{'i' if doc.get('individual_business') else 'e'}_{doc['county']}")]


def _stored_docs(settings, keys: list[dict]) -> dict[str, dict]:
    """The registry records already stored under these keys, by pk (100 a call)."""
    import time

    table, out = settings.table_name, {}
    for i in range(0, len(keys), 100):
        request = {table: {"Keys": keys[i:i + 100], "ProjectionExpression": "pk, doc"}}
        for attempt in range(8):
            resp = ddb(settings).batch_get_item(RequestItems=request)
            out.update({it["pk"]["S"]: json.loads(it["doc"]["S"])
                        for it in resp["Responses"].get(table, [])})
            request = resp.get("UnprocessedKeys") or {}
            if not request:
                break
            time.sleep(0.05 * 2 ** attempt)
        else:
            from ...core.errors import Unavailable

            raise Unavailable("Storage kept refusing reads; load the registry again.")
    return out


def _count(settings, before: dict[str, dict], persons: list[dict], orgs: list[dict]) -> None:
    """Move the counts by what this load changed: a record loaded again unchanged moves
    nothing, one whose county, birth or status changed moves from its old counter to its
    new one (a load interrupted between its records and these updates leaves them behind)."""
    delta: dict[tuple[str, str], int] = {}
    for kind, docs, ident in (("P", persons, "id_hash"), ("O", orgs, "uscc")):
        for doc in docs:
            old = before.get(_registry(kind, doc[ident])["pk"]["S"])
            for ref in _tally(kind, old):
                delta[ref] = delta.get(ref, 0) - 1
            for ref in _tally(kind, doc):
                delta[ref] = delta.get(ref, 0) + 1
    by_sk: dict[str, dict[str, int]] = {}
    for (sk, attr), n in delta.items():
        if n:
            by_sk.setdefault(sk, {})[attr] = n
    for sk, adds in by_sk.items():
        names = {f"#a{i}": a for i, a in enumerate(adds)}
        ddb(settings).update_item(
            TableName=settings.table_name, Key=key(COUNTS, sk),
            UpdateExpression="ADD " + ", ".join(f"#a{i} :v{i}" for i in range(len(adds))),
            ExpressionAttributeNames=names,
            ExpressionAttributeValues={f":v{i}": {"N": str(n)}
                                       for i, n in enumerate(adds.values())})


def recount_registry(settings) -> dict:
    """Rebuild the counts from the registry's records: one Scan, an operator's repair (for a
    registry loaded before the counts existed, or a load interrupted midway), never run on a
    request. The counters are replaced, stale ones deleted."""
    client, table = ddb(settings), settings.table_name
    totals: dict[str, dict[str, int]] = {}
    kwargs = {"TableName": table, "ProjectionExpression": "pk, doc",
              "FilterExpression": "begins_with(pk, :r) AND sk = :s",
              "ExpressionAttributeValues": {":r": {"S": "REGISTRY#"}, ":s": {"S": "R"}}}
    records = 0
    while True:
        resp = client.scan(**kwargs)
        for item in resp["Items"]:
            records += 1
            for sk, attr in _tally(item["pk"]["S"].split("#")[1], json.loads(item["doc"]["S"])):
                totals.setdefault(sk, {})[attr] = totals.get(sk, {}).get(attr, 0) + 1
        if "LastEvaluatedKey" not in resp:
            break
        kwargs["ExclusiveStartKey"] = resp["LastEvaluatedKey"]
    stale = client.query(TableName=table, KeyConditionExpression="pk = :pk",
                         ProjectionExpression="sk",
                         ExpressionAttributeValues={":pk": {"S": COUNTS}})["Items"]
    for item in stale:
        if item["sk"]["S"] not in totals:
            client.delete_item(TableName=table, Key=key(COUNTS, item["sk"]["S"]))
    from ...hall.store import with_batches

    with_batches(settings, [{**key(COUNTS, sk), **{a: {"N": str(n)} for a, n in attrs.items()}}
                            for sk, attrs in totals.items()])
    return {"records": records, "counters": len(totals)}


def _numbers(item: dict, prefix: str) -> dict[str, int]:
    return {k[len(prefix):]: int(v["N"]) for k, v in item.items()
            if k.startswith(prefix) and "N" in v}


def registry_counts(settings, *, born_from: str, born_to: str) -> dict:
    """{"enterprises": {county: n}, "individual_businesses": {county: n}, "born": {YYYY-MM:
    {county: (n, of them on the 1st)}}} for birth months born_from..born_to (inclusive):
    one GetItem and one Query."""
    client, table = ddb(settings), settings.table_name
    orgs = client.get_item(TableName=table, Key=key(COUNTS, "O")).get("Item") or {}
    kwargs = {"TableName": table, "KeyConditionExpression": "pk = :pk AND sk BETWEEN :a AND :b",
              "ExpressionAttributeValues": {":pk": {"S": COUNTS}, ":a": {"S": f"P#{born_from}"},
                                            ":b": {"S": f"P#{born_to}"}}}
    born: dict[str, dict[str, tuple[int, int]]] = {}
    while True:
        resp = client.query(**kwargs)
        for item in resp["Items"]:
            n, first = _numbers(item, "n_"), _numbers(item, "d_")
            born[item["sk"]["S"][2:]] = {c: (v, first.get(c, 0)) for c, v in n.items()}
        if "LastEvaluatedKey" not in resp:
            break
        kwargs["ExclusiveStartKey"] = resp["LastEvaluatedKey"]
    return {"enterprises": _numbers(orgs, "e_"), "individual_businesses": _numbers(orgs, "i_"),
            "born": born}


def create_enterprise(settings, enterprise: dict, *, account_id: str, audit: dict,
                      also: list[dict] = ()) -> dict:
    table = settings.table_name
    try:
        ddb(settings).transact_write_items(TransactItems=[
            {"Put": {"TableName": table, "ConditionExpression": "attribute_not_exists(pk)",
                     "Item": {**_profile(enterprise["uscc"]),
                              "doc": {"S": json.dumps(enterprise, ensure_ascii=False)}}}},
            {"Put": {"TableName": table, "Item": {
                **_member(account_id, enterprise["uscc"]),
                "role": {"S": "legal_rep"}, "name": {"S": enterprise["name"]}}}},
            audit_put(table, **audit),
            *also,  # the legal representative's default topics of it (push's items)
        ])
    except ClientError as err:
        if cancellation_reasons(err)[:1] == ["ConditionalCheckFailed"]:
            raise Conflict("This enterprise is already registered.") from err
        raise
    return enterprise


def get_enterprise(settings, uscc: str) -> dict | None:
    return _doc(ddb(settings).get_item(TableName=settings.table_name,
                                       Key=_profile(uscc)).get("Item"))


def my_enterprises(settings, account_id: str) -> list[dict]:
    resp = ddb(settings).query(
        TableName=settings.table_name, KeyConditionExpression="pk = :pk AND begins_with(sk, :e)",
        ExpressionAttributeValues={":pk": {"S": party_pk("person", account_id)},
                                   ":e": {"S": MEMBER}})
    return [{"uscc": i["sk"]["S"][len(MEMBER):], "name": i["name"]["S"],
             "role": i["role"]["S"]} for i in resp["Items"]]


def is_legal_rep(settings, account_id: str, uscc: str) -> bool:
    return is_rep_item(ddb(settings).get_item(TableName=settings.table_name,
                                              Key=_member(account_id, uscc),
                                              ConsistentRead=True).get("Item"))


def is_rep_item(item: dict | None) -> bool:
    """Does this membership item (ACCOUNT#<id>/ENTERPRISE#<uscc>) make its person the legal
    representative?"""
    return bool(item) and item["role"]["S"] == "legal_rep"
