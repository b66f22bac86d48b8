"""The only hall code that knows table keys and bucket paths, and the in-memory snapshot cache."""
from __future__ import annotations

import gzip
import json
import logging
import threading
import time

from botocore.exceptions import BotoCoreError, ClientError

from ..core import aws
from ..core.errors import Conflict, NotFound, Unavailable
from ..core.store import audit_item, audit_put, cancellation_reasons
from . import model

log = logging.getLogger("hall.catalogue")

POINTER = {"pk": {"S": "CATALOGUE"}, "sk": {"S": "CURRENT"}}


def _ddb(settings):
    return aws.client("dynamodb", settings)


def _s3(settings):
    return aws.client("s3", settings)


# ---- draft matters (what departments maintain) ------------------------------------------

def _matter_item(doc: dict) -> dict:
    return {
        "pk": {"S": f"MATTER#{doc['code']}"}, "sk": {"S": "CURRENT"},
        "gsi1pk": {"S": "MATTERS"}, "gsi1sk": {"S": doc["code"]},
        "version": {"N": str(doc["version"])},
        "doc": {"S": json.dumps(doc, ensure_ascii=False, sort_keys=True)},
    }


def get_matter(settings, code: str) -> dict:
    item = _ddb(settings).get_item(
        TableName=settings.table_name,
        Key={"pk": {"S": f"MATTER#{code}"}, "sk": {"S": "CURRENT"}}, ConsistentRead=True,
    ).get("Item")
    if not item:
        raise NotFound(f"No matter {code}.")
    return json.loads(item["doc"]["S"])


def _history_item(doc: dict, actor: str, at: str) -> dict:
    return {
        "pk": {"S": f"MATTER#{doc['code']}"}, "sk": {"S": f"V#{doc['version']:06d}"},
        "doc": {"S": json.dumps(doc, ensure_ascii=False, sort_keys=True)},
        "actor": {"S": actor}, "at": {"S": at},
    }


def save_matters_bulk(settings, docs: list[dict], *, actor: str, at: str,
                      progress=None) -> None:
    """Bulk import: batches of (matter, history, audit) puts, then one 'drafts changed' mark.
    Rows were all validated first; writing again after a fault is safe (versions are set by
    the caller from what is stored, identical rows are skipped)."""
    items = []
    for doc in docs:
        items += [_matter_item(doc), _history_item(doc, actor, at),
                  audit_item(actor=actor, action="matter.import", target=doc["code"],
                             result="ok", request_id=None, at=at,
                             detail={"version": doc["version"]})]
    with_batches(settings, items, progress=progress, per_item=1 / 3)
    _ddb(settings).update_item(TableName=settings.table_name, Key=POINTER,
                               UpdateExpression="ADD draft_rev :one",
                               ExpressionAttributeValues={":one": {"N": "1"}})


def save_matter(settings, doc: dict, *, previous_version: int | None, audit: dict) -> dict:
    """Write a matter version, its history entry, the audit record (core.store.audit_record)
    and the 'drafts changed' mark in one transaction: either all of them land or none."""
    table = settings.table_name
    put = {"TableName": table, "Item": _matter_item(doc)}
    if previous_version is None:
        put["ConditionExpression"] = "attribute_not_exists(pk)"
    else:
        put["ConditionExpression"] = "version = :v"
        put["ExpressionAttributeValues"] = {":v": {"N": str(previous_version)}}
    items = [
        {"Put": put},
        {"Put": {"TableName": table, "Item": _history_item(doc, audit["actor"], audit["at"])}},
        {"Update": {"TableName": table, "Key": POINTER,
                    "UpdateExpression": "ADD draft_rev :one", "ExpressionAttributeValues":
                    {":one": {"N": "1"}}}},
        audit_put(table, **audit),
    ]
    try:
        _ddb(settings).transact_write_items(TransactItems=items)
    except ClientError as err:
        if cancellation_reasons(err)[:1] == ["ConditionalCheckFailed"]:
            if _already_written(settings, doc):
                return doc  # our own write landed and the SDK retried it: not a conflict
            if previous_version is None:
                raise Conflict(f"A matter with code {doc['code']} already exists.") from err
            raise Conflict("The matter was changed by someone else; reload it and try again.",
                           details={"expected_version": previous_version}) from err
        raise
    return doc


def _already_written(settings, doc: dict) -> bool:
    try:
        return get_matter(settings, doc["code"]) == doc
    except NotFound:
        return False


def matter_history(settings, code: str) -> list[dict]:
    resp = _ddb(settings).query(
        TableName=settings.table_name,
        KeyConditionExpression="pk = :pk AND begins_with(sk, :v)",
        ExpressionAttributeValues={":pk": {"S": f"MATTER#{code}"}, ":v": {"S": "V#"}},
    )
    return [{"version": json.loads(i["doc"]["S"])["version"], "actor": i["actor"]["S"],
             "at": i["at"]["S"]} for i in resp["Items"]]


def _query_all(settings, **kwargs) -> list[dict]:
    items, start = [], None
    while True:
        if start:
            kwargs["ExclusiveStartKey"] = start
        resp = _ddb(settings).query(TableName=settings.table_name, **kwargs)
        items.extend(resp["Items"])
        start = resp.get("LastEvaluatedKey")
        if not start:
            return items


def list_drafts(settings, kind: str = "MATTERS") -> list[dict]:
    """All drafts of one kind (MATTERS, POINTS, SCENARIOS): one GSI1 partition each."""
    items = _query_all(settings, IndexName="GSI1", KeyConditionExpression="gsi1pk = :k",
                       ExpressionAttributeValues={":k": {"S": kind}})
    return [json.loads(i["doc"]["S"]) for i in items]


def put_reference(settings, kind: str, docs: list[dict]) -> None:
    """Service points and scenarios (loaded by import, not edited one by one)."""
    prefix = {"POINTS": "POINT", "SCENARIOS": "SCENARIO"}[kind]
    with_batches(settings, [
        {"pk": {"S": f"{prefix}#{d['code']}"}, "sk": {"S": "CURRENT"},
         "gsi1pk": {"S": kind}, "gsi1sk": {"S": d["code"]},
         "doc": {"S": json.dumps(d, ensure_ascii=False, sort_keys=True)}} for d in docs
    ])
    _ddb(settings).update_item(TableName=settings.table_name, Key=POINTER,
                               UpdateExpression="ADD draft_rev :one",
                               ExpressionAttributeValues={":one": {"N": "1"}})


def with_batches(settings, items: list[dict], progress=None, per_item: float = 1.0) -> None:
    client = _ddb(settings)
    for i in range(0, len(items), 25):
        if progress:
            progress.update(round(len(items[i:i + 25]) * per_item))
        request = {settings.table_name: [{"PutRequest": {"Item": it}} for it in items[i:i + 25]]}
        for _attempt in range(8):
            resp = client.batch_write_item(RequestItems=request)
            request = resp.get("UnprocessedItems") or {}
            if not request:
                break
            time.sleep(0.05 * 2 ** _attempt)
        else:
            raise Unavailable("Storage kept refusing writes; try the import again.")


# ---- published snapshots ---------------------------------------------------------------

def pointer(settings) -> dict:
    item = _ddb(settings).get_item(TableName=settings.table_name, Key=POINTER,
                                   ConsistentRead=True).get("Item") or {}
    return {
        "version": int(item.get("version", {}).get("N", 0)),
        "key": item.get("key", {}).get("S"),
        "published_at": item.get("published_at", {}).get("S"),
        "draft_rev": int(item.get("draft_rev", {}).get("N", 0)),
        "published_rev": int(item.get("published_rev", {}).get("N", 0)),
    }


def save_snapshot(settings, snapshot: dict, *, draft_rev: int, audit: dict) -> str:
    """Upload the snapshot, then move the pointer to it (with its audit record) if nobody
    published in between."""
    version = snapshot["version"]
    key = f"snapshots/v{version:06d}.json.gz"
    body = gzip.compress(json.dumps(snapshot, ensure_ascii=False,
                                    separators=(",", ":")).encode(), 6)
    _s3(settings).put_object(Bucket=settings.catalogue_bucket, Key=key, Body=body,
                             ContentType="application/json", ContentEncoding="gzip")
    table = settings.table_name
    update = {
        "TableName": table, "Key": POINTER,
        "UpdateExpression": "SET version = :v, #k = :k, published_at = :at, published_rev = :r",
        "ConditionExpression": "attribute_not_exists(version) OR version = :prev",
        "ExpressionAttributeNames": {"#k": "key"},
        "ExpressionAttributeValues": {
            ":v": {"N": str(version)}, ":k": {"S": key}, ":at": {"S": snapshot["published_at"]},
            ":r": {"N": str(draft_rev)}, ":prev": {"N": str(version - 1)},
        },
    }
    try:
        _ddb(settings).transact_write_items(TransactItems=[
            {"Update": update},
            audit_put(table, **audit),
        ])
    except ClientError as err:
        if "ConditionalCheckFailed" in cancellation_reasons(err):
            raise Conflict("Another publication landed first; publish again.") from err
        raise
    return key


def load_snapshot(settings, key: str) -> dict:
    body = _s3(settings).get_object(Bucket=settings.catalogue_bucket, Key=key)["Body"].read()
    return json.loads(gzip.decompress(body))


class _Cache:
    def __init__(self):
        self.lock = threading.Lock()
        self.catalogues: dict = {}  # settings identity -> (Catalogue, checked_at)


_cache = _Cache()


def current_catalogue(settings) -> model.Catalogue:
    """The published catalogue. Warm instances answer from memory and look at the pointer
    (one small read) at most every `catalogue_refresh_seconds`, so a new version is picked up
    without a restart."""
    ident = (settings.table_name, settings.catalogue_bucket, settings.aws_endpoint_url)
    now = time.monotonic()
    cached = _cache.catalogues.get(ident)
    if cached and now - cached[1] < settings.catalogue_refresh_seconds:
        return cached[0]
    with _cache.lock:
        cached = _cache.catalogues.get(ident)
        if cached and now - cached[1] < settings.catalogue_refresh_seconds:
            return cached[0]
        try:
            ptr = pointer(settings)
            if cached and cached[0].version == ptr["version"]:
                catalogue = cached[0]
            elif not ptr["key"]:
                raise Unavailable("The catalogue has not been published yet.",
                                  headers={"Retry-After": "30"})
            else:
                catalogue = build_catalogue(load_snapshot(settings, ptr["key"]))
                log.info("catalogue loaded", extra={"version": catalogue.version})
        except (ClientError, BotoCoreError):
            if not cached:
                raise
            # Storage is struggling: keep serving the copy we have, ask again later.
            log.warning("catalogue refresh failed; serving the cached version")
            catalogue = cached[0]
        _cache.catalogues[ident] = (catalogue, now)
        return catalogue


def build_catalogue(snapshot: dict) -> model.Catalogue:
    """The in-memory catalogue with its searchers (snapshots published before the English
    and scenario indexes existed load without them)."""
    from .english import EnglishSearcher
    from .search import Searcher

    scenario = {}
    if snapshot.get("scenario_index"):
        scenario["zh"] = Searcher(snapshot["scenario_index"])
    if snapshot.get("scenario_index_en"):
        scenario["en"] = EnglishSearcher(snapshot["scenario_index_en"])
    english = EnglishSearcher(snapshot["index_en"]) if snapshot.get("index_en") else None
    return model.Catalogue(snapshot, Searcher(snapshot["index"]), english=english,
                           scenario_searchers=scenario)


def forget_cache() -> None:
    _cache.catalogues.clear()


# ---- search misses (for content editors) ------------------------------------------------

def record_miss(settings, q: str, day: str, at: str) -> None:
    _ddb(settings).update_item(
        TableName=settings.table_name,
        Key={"pk": {"S": f"SEARCHMISS#{day}"}, "sk": {"S": q}},
        UpdateExpression="ADD hits :one SET last_seen = :at",
        ExpressionAttributeValues={":one": {"N": "1"}, ":at": {"S": at}},
    )


def misses_of_day(settings, day: str) -> dict[str, tuple[int, str]]:
    """One day's missed searches: query -> (times asked, last asked)."""
    return {item["sk"]["S"]: (int(item["hits"]["N"]), item["last_seen"]["S"])
            for item in _query_all(settings, KeyConditionExpression="pk = :pk",
                                   ExpressionAttributeValues={":pk": {"S": f"SEARCHMISS#{day}"}})}
