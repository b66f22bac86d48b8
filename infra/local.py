"""The one-machine stack: an embedded AWS emulator, the template, the seed, API + PWA, workers.

    python -m infra.local [--port 8000] [--data-dir .local]
    python -m infra.local token --role catalogue_admin     # a dev token for officer endpoints
        [--department RSJ --region 441400] [--url http://127.0.0.1:8000]
        (asks the running stack for a real session of a dev account)
"""
from __future__ import annotations

import argparse
import base64
import copy
import json
import logging
import mimetypes
import os
import re
import signal
import sys
import threading
import time
import uuid
import zlib
from pathlib import Path

from infra.site import headers as site_headers
from infra.site import with_meta_csp

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "infra" / "template.yaml"
SEED = ROOT / "infra" / "seed"
PWA = ROOT / "pwa"
REGION = "ap-east-1"
STACK = "hall-local"
# The licence revocation list is republished daily, as the deployed schedule does (the public
# route also rebuilds a list whose next update is past, so a stack started today has one).
REVOCATIONS_EVERY = 86400.0
# Approved campaigns whose time came are handed to the planner every minute locally (5 in AWS).
CAMPAIGNS_EVERY = 60.0
log = logging.getLogger("hall.local")

# Outputs of the template -> the environment variables functions.settings reads.
OUTPUT_ENV = {
    "TableName": "HALL_TABLE",
    "CatalogueBucket": "HALL_CATALOGUE_BUCKET",
    "MaterialsBucket": "HALL_MATERIALS_BUCKET",
    "ExportsBucket": "HALL_EXPORTS_BUCKET",
    "QueueUrl": "HALL_QUEUE_URL",
    "TopicArn": "HALL_TOPIC_ARN",
}


def _fake_credentials() -> None:
    for key, value in (("AWS_ACCESS_KEY_ID", "local"), ("AWS_SECRET_ACCESS_KEY", "local"),
                       ("AWS_DEFAULT_REGION", REGION), ("AWS_REGION", REGION)):
        os.environ.setdefault(key, value)
    os.environ.pop("AWS_PROFILE", None)


_serialised = False
# The emulator's one DynamoDB lock: every table operation (a transaction with its rollback
# journal included) runs under it, and so does the snapshot that save_state takes, which
# therefore never sees half a transaction.
_DDB_LOCK = threading.RLock()
_DDB_WRITES = [0]  # table writes so far (the autosave skips a save when nothing changed)
_DDB_WRITE_OPS = frozenset({"put_item", "update_item", "delete_item", "batch_write_item",
                            "transact_write_items"})


def _serialise_dynamodb() -> None:
    """moto's DynamoDB backend is not thread-safe: a transaction deep-copies tables while other
    threads write them ("dictionary changed size during iteration"). DynamoDB itself is; so
    the emulator runs table operations one at a time, which keeps concurrent tests honest."""
    global _serialised
    if _serialised:
        return
    from moto.dynamodb.models import DynamoDBBackend

    _journal_transactions()  # first, so that the journal is kept under the lock too
    _query_partitions()
    for name in ("put_item", "update_item", "delete_item", "get_item", "query", "scan",
                 "batch_write_item", "batch_get_item", "transact_write_items",
                 "transact_get_items"):
        original = getattr(DynamoDBBackend, name)

        def locked(self, *args, _original=original, _writes=name in _DDB_WRITE_OPS, **kwargs):
            with _DDB_LOCK:
                if _writes:
                    _DDB_WRITES[0] += 1
                return _original(self, *args, **kwargs)

        setattr(DynamoDBBackend, name, locked)
    _untrack_dynamodb_models()
    _serialised = True


class _TablesUncopied:
    """Stands in for the `copy` module inside moto's DynamoDB backend: tables are handed back
    as they are (the journal below restores what a failed transaction wrote), anything else
    is deep-copied as before."""

    @staticmethod
    def deepcopy(value, memo=None):
        from moto.dynamodb.models.table import Table

        return value if isinstance(value, Table) else copy.deepcopy(value, memo)


def _journal_transactions() -> None:
    """moto backs a transaction up by deep-copying every table it touches, whole: at a few
    thousand items that is most of the test suite's time (a fuzzing run spent 94% of it
    there). DynamoDB's promise is only that a cancelled transaction writes nothing, so keep
    the items the transaction names instead and put them back when it fails."""
    import moto.dynamodb.models as models
    from moto.dynamodb.models import DynamoDBBackend
    from moto.dynamodb.models.dynamo_type import DynamoType

    original = DynamoDBBackend.transact_write_items
    models.copy = _TablesUncopied

    def keys(self, transact_items):
        for entry in transact_items:
            for op_type, op in entry.items():
                table = self.tables.get(op.get("TableName", ""))
                attrs = op.get("Item") if op_type == "Put" else op.get("Key")
                if table is None or not isinstance(attrs, dict):
                    continue
                try:
                    hash_value = DynamoType(attrs[table.hash_key_attr])
                    range_value = (DynamoType(attrs[table.range_key_attr])
                                   if table.range_key_attr else None)
                except (KeyError, TypeError, AttributeError):
                    continue  # the operation itself fails on its key and writes nothing
                yield table, hash_value, range_value

    def journalled(self, transact_items):
        journal = []
        for table, hash_value, range_value in keys(self, transact_items):
            if table.range_key_attr:
                before = table.items.get(hash_value, {}).get(range_value)
            else:
                before = table.items.get(hash_value)
            journal.append((table, hash_value, range_value, copy.deepcopy(before)))
        try:
            return original(self, transact_items)
        except BaseException:
            for table, hash_value, range_value, before in reversed(journal):
                if table.range_key_attr:
                    rows = table.items[hash_value]
                    if before is None:
                        rows.pop(range_value, None)
                    else:
                        rows[range_value] = before
                elif before is None:
                    table.items.pop(hash_value, None)
                else:
                    table.items[hash_value] = before
            raise

    DynamoDBBackend.transact_write_items = journalled


def _query_partitions() -> None:
    """moto answers every Query by sorting the whole table (`all_items`) and filtering it: as
    the suite's table grows to thousands of items, a late test's queries cost many times an
    early one's. A Query on the table's key now reads only its partition, and one on an index
    skips that first sort (the index's own sort orders its matches: by the index's keys, then
    the table's, a total order, so paging is unchanged). Runs under the DynamoDB lock."""
    from moto.dynamodb.models.table import Table

    original_query, original_all = Table.query, Table.all_items
    scope = threading.local()

    def all_items(self):
        only = getattr(scope, "items", None)
        return only[1] if only is not None and only[0] is self else original_all(self)

    def query(self, hash_key, *args, **kwargs):
        if not self.range_key_attr:
            return original_query(self, hash_key, *args, **kwargs)
        index_name = args[6] if len(args) > 6 else kwargs.get("index_name")
        if index_name:
            items = [item for rows in self.items.values() for item in rows.values()]
        else:
            items = list(self.items[hash_key].values()) if hash_key in self.items else []
        scope.items = (self, items)
        try:
            return original_query(self, hash_key, *args, **kwargs)
        finally:
            scope.items = None

    Table.query, Table.all_items = query, all_items


class _Untracked(list):
    """A list that keeps nothing appended to it."""

    def append(self, _item) -> None:
        return None


def _untrack_dynamodb_models() -> None:
    """moto keeps every model instance it ever made in `instances_tracked`, only to reset them
    on `moto.core.reset`, which the emulator never calls. A transaction deep-copies whole tables
    for its rollback, so each one would keep a table's worth of copies alive (about 10 MB per
    transaction at 6 MB of items): the fuzzing suite grew past 18 GB. Keep none."""
    import moto.dynamodb.models  # noqa: F401  (defines the models)
    from moto.core.base_backend import model_data

    for cls in model_data["dynamodb"].values():
        cls.instances_tracked = _Untracked()


def start_emulator(port: int = 0):
    """moto's server on loopback; returns (server, endpoint url)."""
    from moto.server import ThreadedMotoServer

    _fake_credentials()
    _serialise_dynamodb()
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # the emulator logs every call
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    host, real_port = server.get_host_and_port()
    return server, f"http://{host}:{real_port}"


def steady_port(path: Path) -> int:
    """The emulator's port of the last run, when free (else 0: any). The PWA's CSP names the
    emulator's exact origin, and a service worker keeps the page it cached with that policy:
    a new port at each start would block uploads from such a page."""
    import socket

    try:
        port = int(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return 0
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as werkzeug binds
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return 0
    return port


def deploy(endpoint: str, stage: str = "local") -> dict:
    """Create the stack from infra/template.yaml (data resources only) and return its outputs."""
    import boto3

    cfn = boto3.client("cloudformation", endpoint_url=endpoint, region_name=REGION)
    cfn.create_stack(StackName=STACK, TemplateBody=TEMPLATE.read_text(encoding="utf-8"),
                     Parameters=[{"ParameterKey": "Stage", "ParameterValue": stage}],
                     Capabilities=["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM"])
    for _ in range(100):
        stack = cfn.describe_stacks(StackName=STACK)["Stacks"][0]
        if stack["StackStatus"].endswith("_COMPLETE"):
            break
        time.sleep(0.1)
    if stack["StackStatus"] != "CREATE_COMPLETE":
        raise RuntimeError(f"stack {stack['StackStatus']}")
    return {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])}


def environment(endpoint: str, outputs: dict) -> dict:
    env = {name: outputs[key] for key, name in OUTPUT_ENV.items() if key in outputs}
    env.update(HALL_STAGE="local", HALL_AWS_ENDPOINT=endpoint, AWS_REGION=REGION,
               HALL_CATALOGUE_REFRESH_SECONDS="5")
    return env


def dev_token(url: str, *, role: str, department: str | None = None,
              region: str | None = None, kind: str | None = None) -> str:
    """An access token of a real session, opened by the running local stack (its dev route
    exists in the local stage only) for a dev account with this role."""
    import urllib.error
    import urllib.request

    body = {k: v for k, v in (("role", role), ("department", department), ("region", region),
                              ("kind", kind)) if v}
    req = urllib.request.Request(f"{url.rstrip('/')}/api/v1/dev/sessions", method="POST",
                                 data=json.dumps(body).encode(),
                                 headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return json.loads(resp.read())["access_token"]
    except urllib.error.HTTPError as err:
        raise SystemExit(f"{url} refused a dev session ({err.code}): {err.read()[:500]!r}") \
            from err
    except urllib.error.URLError as err:
        raise SystemExit(f"no local stack at {url} ({err.reason}); start it with `make run`") \
            from err


# ---- persistence: a snapshot of the table and buckets in the data dir ------------------
#
# A save writes one whole, consistent state. The table's items are copied in one go under
# the emulator's DynamoDB lock (the lock every table operation takes, so no transaction is
# half in); then the buckets and the parameters (an object that a kept item names was
# written before that item, so it is there too). The file is written next to the old one,
# flushed to disk and renamed over it: a crash at any moment leaves the previous state or
# the new one, never a torn file. The autosave writes one every AUTOSAVE_SECONDS when the
# table changed (README: what was acknowledged more than that before a crash is kept).

AUTOSAVE_SECONDS = 5.0  # --autosave / HALL_LOCAL_AUTOSAVE_SECONDS change it
AUTOSAVE_IDLE_SECONDS = 30.0  # a save even when no table write happened (buckets, parameters)
_SAVE_LOCK = threading.Lock()
_objects_kept: dict[tuple[str, str, str], dict] = {}  # (bucket, key, etag) -> the saved entry


def _ddb_backend(table_name: str):
    """moto's DynamoDB backend holding `table_name`: the emulator runs in this process."""
    from moto.dynamodb.models import dynamodb_backends

    for account in list(dynamodb_backends):
        backend = dynamodb_backends[account][REGION]
        if table_name in backend.tables:
            return backend
    raise RuntimeError(f"table {table_name} is not in this process's emulator")


def table_items(table_name: str) -> tuple[list[dict], int]:
    """Every item (DynamoDB JSON) and the table-write count they include, read at one instant:
    under the lock of every table operation, so no transaction is torn."""
    backend = _ddb_backend(table_name)
    with _DDB_LOCK:
        table = backend.tables[table_name]
        rows = (list(by_range.values()) if table.range_key_attr else [by_range]
                for by_range in table.items.values())
        items = [item.to_json()["Attributes"] for row in rows for item in row]
        return items, _DDB_WRITES[0]


_clients: dict[tuple[str, str], object] = {}


def _client(service: str, endpoint: str):
    """One boto3 client per service and emulator (making one costs more than a save)."""
    import boto3

    if (service, endpoint) not in _clients:
        _clients[service, endpoint] = boto3.client(service, endpoint_url=endpoint,
                                                   region_name=REGION)
    return _clients[service, endpoint]


def _objects(s3, bucket: str, listed: set) -> list[dict]:
    """The bucket's objects; bodies already saved under the same ETag are not fetched again.
    Adds what it listed to `listed` (the cache keeps those alone)."""
    out = []
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        for obj in page.get("Contents", []):
            seen = (bucket, obj["Key"], obj.get("ETag", ""))
            listed.add(seen)
            if seen not in _objects_kept:
                got = s3.get_object(Bucket=bucket, Key=obj["Key"])
                _objects_kept[seen] = {
                    "key": obj["Key"], "body": base64.b64encode(got["Body"].read()).decode(),
                    "type": got.get("ContentType"), "encoding": got.get("ContentEncoding"),
                    "metadata": got.get("Metadata") or None}
            out.append(_objects_kept[seen])
    return out


def write_atomically(path: Path, data: bytes) -> None:
    """Temp file, fsync, rename, fsync of the folder: the old file or the new, whole."""
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())
    os.replace(tmp, path)
    folder = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)


def save_state(endpoint: str, outputs: dict, path: Path, meta: dict | None = None) -> dict:
    """Snapshot the in-process emulator's table, buckets and parameters to `path`, with the
    stack's `meta` (what was done to this data once). Returns {items, writes (the table-write
    count the snapshot includes), ms}; the file also names the instant of its table snapshot
    (`saved_at`, Unix seconds)."""
    with _SAVE_LOCK:
        started = time.monotonic()
        saved_at = time.time()
        items, writes = table_items(outputs["TableName"])
        copied = time.monotonic()
        s3, listed = _client("s3", endpoint), set()
        objects = {key: _objects(s3, outputs[key], listed)
                   for key in ("CatalogueBucket", "MaterialsBucket", "ExportsBucket")
                   if outputs.get(key)}
        for gone in set(_objects_kept) - listed:  # deleted or replaced since
            del _objects_kept[gone]
        ssm = _client("ssm", endpoint)
        params = {}
        for page in ssm.get_paginator("get_parameters_by_path").paginate(
                Path="/hall/", Recursive=True, WithDecryption=True):
            params.update({p["Name"]: p["Value"] for p in page["Parameters"]})
        state = {"saved_at": saved_at, "meta": meta or {}, "items": items, "ssm": params,
                 "objects": {k: v for k, v in objects.items() if v}}
        read = time.monotonic()
        write_atomically(path, json.dumps(state, separators=(",", ":")).encode())
        done = time.monotonic()
        return {"items": len(items), "writes": writes, "ms": round((done - started) * 1000),
                "table_ms": round((copied - started) * 1000),
                "objects_ms": round((read - copied) * 1000),
                "write_ms": round((done - read) * 1000)}


def restore_state(endpoint: str, outputs: dict, path: Path) -> dict | None:
    """Load a saved state into the fresh in-process emulator; its meta ({} in older files),
    None when there is none. A file that does not parse stops the start: seeding over it would
    lose the data."""
    import boto3

    path.with_name(path.name + ".tmp").unlink(missing_ok=True)  # an interrupted save's
    if not path.exists():
        return None
    state = json.loads(path.read_text(encoding="utf-8"))
    ssm = boto3.client("ssm", endpoint_url=endpoint, region_name=REGION)
    for name, value in state.get("ssm", {}).items():
        ssm.put_parameter(Name=name, Value=value, Type="SecureString", Overwrite=True)
    backend = _ddb_backend(outputs["TableName"])
    for item in state["items"]:
        backend.put_item(outputs["TableName"], item)
    s3 = boto3.client("s3", endpoint_url=endpoint, region_name=REGION)
    for key, objs in state["objects"].items():
        for obj in objs:
            extra = {k: v for k, v in (("ContentType", obj["type"]),
                                       ("ContentEncoding", obj["encoding"]),
                                       ("Metadata", obj.get("metadata"))) if v}
            s3.put_object(Bucket=outputs[key], Key=obj["key"],
                          Body=base64.b64decode(obj["body"]), **extra)
    return state.get("meta") or {}


# ---- workers and schedules, called with Lambda-shaped events --------------------------

def poll_queue(endpoint: str, queue_url: str, stop: threading.Event) -> None:
    import boto3

    from functions import workers

    sqs = boto3.client("sqs", endpoint_url=endpoint, region_name=REGION)
    arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])[
        "Attributes"]["QueueArn"]
    while not stop.is_set():
        try:
            got = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10,
                                      WaitTimeSeconds=1, AttributeNames=["All"])
        except Exception:  # the emulator is shutting down
            if stop.is_set():
                return
            raise
        messages = got.get("Messages", [])
        if not messages:
            continue
        event = {"Records": [{
            "messageId": m["MessageId"], "receiptHandle": m["ReceiptHandle"], "body": m["Body"],
            "attributes": m.get("Attributes", {}), "messageAttributes": {},
            "md5OfBody": m["MD5OfBody"], "eventSource": "aws:sqs", "eventSourceARN": arn,
            "awsRegion": REGION} for m in messages]}
        failed = {f["itemIdentifier"] for f in workers.handle_queue(event)["batchItemFailures"]}
        for m in messages:
            if m["MessageId"] not in failed:
                sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=m["ReceiptHandle"])


def run_schedule(handler, every: float, stop: threading.Event) -> None:
    while not stop.wait(every):
        event = {"version": "0", "id": uuid.uuid4().hex, "detail-type": "Scheduled Event",
                 "source": "aws.events", "account": "123456789012", "region": REGION,
                 "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                 "resources": [f"arn:aws:events:{REGION}:123456789012:rule/local"],
                 "detail": {}}
        try:
            handler(event, None)
        except Exception:
            log.exception("scheduled job failed")


# ---- one origin: the API under /api/, the PWA everywhere else --------------------------

def security_headers(uploads_origin: str = "") -> list[tuple[str, str]]:
    """The PWA's headers, as the CDN sends them (infra/site.py), naming the emulator as the
    materials bucket's origin: uploads go there with a presigned POST and the workbench shows a
    clean material from there alone, as an image or in a frame (PDF)."""
    return site_headers(uploads_origin)


IMMUTABLE = "public, max-age=31536000, immutable"  # versioned assets: a new version is a new URL
mimetypes.add_type("application/manifest+json", ".webmanifest")
mimetypes.add_type("text/javascript", ".js")


def one_origin(api, pwa_dir: Path = PWA, uploads_origin: str = ""):
    """A WSGI app: /api/* to Flask; files from pwa/; other paths to the shell (client routing)."""
    import gzip

    headers_extra = security_headers(uploads_origin)
    cache: dict[Path, tuple[bytes, bytes, float]] = {}

    def refuse(start_response, status: str, extra=()):
        start_response(status, [("Content-Type", "text/plain"), *extra, *headers_extra])
        return [status.split(" ", 1)[1].lower().encode()]

    def caching(path: Path, version: str | None) -> str:
        """Immutable for the assets of the version sw.js names (a stale stamp, or an older page's
        version, which this one machine no longer has, is served but never kept); the pages,
        the worker and the manifest revalidate; plain asset paths (older clients) briefly."""
        if version:
            sw = (pwa_dir / "sw.js").read_text("utf-8")
            stamped = re.search(r"^const VERSION = '(\w+)';$", sw, re.M)
            return IMMUTABLE if stamped and stamped.group(1) == version else "no-cache"
        fixed = ("sw.js", "index.html", "offline.html", "manifest.webmanifest")
        return "no-cache" if path.name in fixed else "public, max-age=300"

    def static(environ, start_response):
        if environ["REQUEST_METHOD"] not in ("GET", "HEAD"):
            return refuse(start_response, "405 Method Not Allowed", [("Allow", "GET, HEAD")])
        rel = environ.get("PATH_INFO", "/").lstrip("/") or "index.html"
        # /v/<version>/<path> is pwa/<path>: pages name their assets by version (pwa/tools/stamp.py)
        versioned = re.match(r"v/(\w+)/(.+)", rel)
        if versioned:
            rel = versioned.group(2)
        try:  # a NUL byte or an over-long name is no file of ours, not a server error
            path = (pwa_dir / rel).resolve()
            found = pwa_dir.resolve() in path.parents and path.is_file()
        except (ValueError, OSError):
            return refuse(start_response, "404 Not Found")
        if not found:
            if "." in rel.rsplit("/", 1)[-1]:
                return refuse(start_response, "404 Not Found")
            path = pwa_dir / "index.html"
        mtime = path.stat().st_mtime
        if path not in cache or cache[path][2] != mtime:
            raw = path.read_bytes()
            if path.name == "index.html":  # its <meta> policy names the same origin
                raw = with_meta_csp(raw, uploads_origin)
            cache[path] = (raw, gzip.compress(raw, 9), mtime)
        raw, packed, _ = cache[path]
        ctype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if ctype.startswith("text/") or ctype.endswith(("json", "javascript", "svg+xml")):
            ctype += "; charset=utf-8"
        headers = [("Content-Type", ctype), ("Vary", "Accept-Encoding"),
                   ("Cache-Control", caching(path, versioned and versioned.group(1))),
                   ("ETag", f'W/"{zlib.crc32(raw):08x}{len(raw):x}"')]
        if environ.get("HTTP_IF_NONE_MATCH") == headers[-1][1]:  # the page asks again: unchanged
            start_response("304 Not Modified", headers + headers_extra)
            return []
        use_gzip = "gzip" in environ.get("HTTP_ACCEPT_ENCODING", "") and len(packed) < len(raw)
        data = packed if use_gzip else raw
        if use_gzip:
            headers.append(("Content-Encoding", "gzip"))
        headers += [("Content-Length", str(len(data)))] + headers_extra
        start_response("200 OK", headers)
        return [] if environ["REQUEST_METHOD"] == "HEAD" else [data]

    def app(environ, start_response):
        if environ.get("PATH_INFO", "").startswith(("/api/", "/.well-known/")):
            return api(environ, start_response)
        return static(environ, start_response)

    return app


class Stack:
    """Everything `make run` starts, usable from tests as a context manager."""

    def __init__(self, data_dir: Path, *, schedule_every: float = 300.0,
                 autosave_every: float | None = None):
        self.data_dir = Path(data_dir)
        self.schedule_every = schedule_every
        self.autosave_every = autosave_every or float(
            os.environ.get("HALL_LOCAL_AUTOSAVE_SECONDS") or AUTOSAVE_SECONDS)
        self.saved = {"writes": -1}
        self.stop = threading.Event()
        self.threads: list[threading.Thread] = []

    def __enter__(self):
        self.data_dir.mkdir(parents=True, exist_ok=True)
        port_file = self.data_dir / "emulator-port"
        self.server, self.endpoint = start_emulator(steady_port(port_file))
        port_file.write_text(self.endpoint.rsplit(":", 1)[1], encoding="utf-8")
        self.outputs = deploy(self.endpoint)
        os.environ.update(environment(self.endpoint, self.outputs))
        from functions.app import create_app
        from functions.core import aws, clock, keys
        from functions.hall.cli import import_seed
        from functions.identity.cli import seed_demo
        from functions.settings import Settings

        aws.reset()
        keys.forget()
        self.settings = Settings.from_env()
        self.app = create_app(self.settings)
        self.state = self.data_dir / "state.json"
        self.meta = restore_state(self.endpoint, self.outputs, self.state)
        if self.meta is None:
            self.meta = {}
            keys.init_keys(self.settings, clock.now())
            counts = import_seed(self.settings, SEED, show_progress=True)
            counts.update(seed_demo(self.settings, SEED))
            log.info("seeded", extra={f"seed_{k}": v for k, v in counts.items()})
        if not self.meta.get("defaults_backfilled"):
            from functions.push.preferences_defaults import backfill

            # `flask push backfill-defaults`, once per data dir: data kept from before default
            # topics (accounts made since file theirs as they are made)
            log.info("default topics", extra={f"defaults_{k}": v
                                              for k, v in backfill(self.settings).items()})
            self.meta["defaults_backfilled"] = True
        from functions import workers
        from functions.hall import service, store

        workers.configure(self.settings)
        if not store.pointer(self.settings)["key"]:
            service.publish(self.settings, actor="seed", at=clock.iso())
        self.save()
        self._spawn(poll_queue, self.endpoint, self.outputs["QueueUrl"], self.stop)
        self._spawn(run_schedule, workers.republish_if_dirty, self.schedule_every, self.stop)
        self._spawn(run_schedule, workers.run_corrections, self.schedule_every, self.stop)
        self._spawn(run_schedule, workers.export_events, self.schedule_every, self.stop)
        self._spawn(run_schedule, workers.raise_cards, self.schedule_every, self.stop)
        self._spawn(run_schedule, workers.publish_revocations, REVOCATIONS_EVERY, self.stop)
        self._spawn(run_schedule, workers.release_campaigns, CAMPAIGNS_EVERY, self.stop)
        self._spawn(run_schedule, workers.run_reminders, REVOCATIONS_EVERY, self.stop)
        self._spawn(run_schedule, workers.apply_retention, REVOCATIONS_EVERY, self.stop)
        self._spawn(run_schedule, workers.dispatch_notices, CAMPAIGNS_EVERY, self.stop)
        self._spawn(self._autosave)
        return self

    def _spawn(self, fn, *args):
        thread = threading.Thread(target=fn, args=args, daemon=True)
        thread.start()
        self.threads.append(thread)

    def _autosave(self):
        """A save starts every interval (a fixed cadence, whatever the last one took) when the
        table changed since the snapshot on disk, and every AUTOSAVE_IDLE_SECONDS anyway."""
        due = last = time.monotonic()
        while True:
            due += self.autosave_every
            if self.stop.wait(max(0.0, due - time.monotonic())):
                return
            now = time.monotonic()
            if _DDB_WRITES[0] == self.saved["writes"] and now - last < AUTOSAVE_IDLE_SECONDS:
                continue
            try:
                self.save()
                last = now
            except Exception:  # the next tick tries again; the file on disk stays whole
                log.exception("autosave failed")
            due = max(due, time.monotonic() - self.autosave_every)  # no burst after a stall

    def save(self):
        self.saved = save_state(self.endpoint, self.outputs, self.state, self.meta)
        (log.info if self.saved["ms"] > 1000 else log.debug)(
            "state saved", extra={f"save_{k}": v for k, v in self.saved.items()})

    def __exit__(self, *exc):
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=3)
        self.save()
        self.server.stop()


def serve(port: int, data_dir: Path, autosave: float | None = None) -> None:
    from werkzeug.serving import make_server

    with Stack(data_dir, autosave_every=autosave) as stack:
        site = one_origin(stack.app, uploads_origin=stack.endpoint)
        httpd = make_server("127.0.0.1", port, site, threaded=True)
        signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=httpd.shutdown).start())
        print(f"Meizhou hall on http://127.0.0.1:{port}  (data in {data_dir}; Ctrl-C stops)",
              flush=True)
        try:
            httpd.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            httpd.server_close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m infra.local")
    parser.add_argument("command", nargs="?", default="serve", choices=["serve", "token"])
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    parser.add_argument("--data-dir", type=Path, default=ROOT / ".local")
    parser.add_argument("--autosave", type=float, metavar="SECONDS",
                        help=f"how often the data is saved (default {AUTOSAVE_SECONDS:g}, "
                             "or HALL_LOCAL_AUTOSAVE_SECONDS)")
    parser.add_argument("--url", default="http://127.0.0.1:8000",
                        help="token: the running local stack to ask")
    parser.add_argument("--role", default="catalogue_admin")
    parser.add_argument("--kind", choices=["citizen", "officer", "supervisor", "admin"])
    parser.add_argument("--department")
    parser.add_argument("--region")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    if args.command == "token":
        print(dev_token(args.url, role=args.role, department=args.department,
                        region=args.region, kind=args.kind))
        return
    serve(args.port, args.data_dir, args.autosave)


if __name__ == "__main__":
    main()
