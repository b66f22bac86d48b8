"""Fault injection at the botocore level, on the clients functions/core/aws.py hands out.

A `before-call` hook counts every AWS call the code makes; at the armed call it answers with
a fault instead of sending (an error response, or a timeout / refused connection raised), so
the code sees exactly what botocore would give it. At that moment it notes which store
functions (public functions of the store modules) are on the stack: those were "hit".

Before every write that goes out ahead of the fault, the items (and S3 objects) it touches are
read with a client of our own that the hook never sees, so after a failed request the test can
tell whether anything of it landed (a partial write).
"""
from __future__ import annotations

import inspect
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

from botocore.awsrequest import AWSResponse
from botocore.exceptions import EndpointConnectionError, ReadTimeoutError

ROOT = Path(__file__).resolve().parents[2]
STORE_GLOBS = ("functions/*/store.py", "functions/*/*_store.py", "functions/*/store/*.py",
               "functions/core/store.py")

# (code, HTTP status): what each service answers when busy or failing.
DDB_TRANSIENT = [("ProvisionedThroughputExceededException", 400), ("ThrottlingException", 400),
                 ("RequestLimitExceeded", 400), ("InternalServerError", 500),
                 ("read-timeout", 0), ("connect-error", 0)]
OTHER_TRANSIENT = {
    "s3": [("SlowDown", 503), ("InternalError", 500), ("read-timeout", 0)],
    "sqs": [("ServiceUnavailable", 503), ("InternalError", 500), ("connect-error", 0)],
    "sns": [("ThrottledException", 429), ("InternalErrorException", 500), ("read-timeout", 0)],
    "ssm": [("ThrottlingException", 400), ("InternalServerError", 500), ("connect-error", 0)],
}
WRITES = {"PutItem", "UpdateItem", "DeleteItem", "TransactWriteItems", "BatchWriteItem",
          "PutObject", "DeleteObject", "CopyObject", "DeleteObjects", "SendMessage",
          "SendMessageBatch", "DeleteMessage", "Publish", "PutParameter"}


def store_functions() -> dict[tuple[str, str], str]:
    """{(file path, function name): 'module.function'} for every public function defined in a
    store module."""
    import importlib

    found: dict[tuple[str, str], str] = {}
    files = sorted({p for g in STORE_GLOBS for p in ROOT.glob(g)})
    for path in files:
        mod_name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        if mod_name.endswith(".__init__"):
            mod_name = mod_name[: -len(".__init__")]
        module = importlib.import_module(mod_name)
        for name, fn in vars(module).items():
            if (not name.startswith("_") and inspect.isfunction(fn)
                    and fn.__module__ == module.__name__):
                found[(str(path), name)] = f"{mod_name.removeprefix('functions.')}.{name}"
    return found


@dataclass
class Fault:
    service: str
    code: str            # an AWS error code, "read-timeout" or "connect-error"
    status: int = 400
    reasons: list | None = None   # TransactionCanceledException's CancellationReasons

    @property
    def kind(self) -> str:
        if self.code in ("ConditionalCheckFailedException",):
            return "condition"
        if self.code == "TransactionCanceledException":
            codes = {r.get("Code") for r in self.reasons or []}
            return "condition" if "ConditionalCheckFailed" in codes else "transient"
        return "transient"

    def __str__(self) -> str:
        return f"{self.service}:{self.code}"


@dataclass
class Call:
    service: str
    op: str
    params: dict
    stores: tuple[str, ...]


@dataclass
class Injector:
    settings: object
    functions: dict = field(default_factory=store_functions)
    active: bool = False
    at: int | None = None          # inject at this call (1-based) ...
    match: tuple | None = None
    choose: object = None          # ... with choose(call) -> Fault | None
    calls: list[Call] = field(default_factory=list)
    injected: tuple[Call, Fault] | None = None
    hits: dict[str, set[str]] = field(default_factory=dict)   # store fn -> fault codes
    before: dict = field(default_factory=dict)   # ("ddb", pk, sk) | ("s3", bucket, key) -> state
    writes: int = 0      # write calls sent ahead of the fault (all of them on a clean run)
    _raw: dict = field(default_factory=dict)
    _local: threading.local = field(default_factory=threading.local)

    # ---- wiring ---------------------------------------------------------------------------
    def install(self, monkeypatch) -> None:
        """Route the hooks of every client (cached ones included) to this injector."""
        from functions.core import aws

        if not getattr(aws._client, "faults_hooked", False):
            monkeypatch.setattr(aws, "_client", _hooking(aws._client))
        monkeypatch.setattr(_ACTIVE, "injector", self)

    def raw(self, service: str):
        """A client the hook never sees (for snapshots)."""
        if service not in self._raw:
            import boto3

            self._raw[service] = boto3.session.Session().client(
                service, region_name=self.settings.region,
                endpoint_url=self.settings.aws_endpoint_url or None)
        return self._raw[service]

    def arm(self, at: int | None, choose=None, match: tuple | None = None) -> None:
        """Fault the at-th call, or with match=(op, store, n) the n-th call of that operation
        from that store function (the same call though caches shift the positions)."""
        self.active, self.at, self.choose, self.match = True, at, choose, match
        self._seen = 0
        self.calls, self.injected, self.before, self.writes = [], None, {}, 0

    def disarm(self) -> None:
        self.active = False

    # ---- the hook -------------------------------------------------------------------------
    def _stores_on_stack(self) -> tuple[str, ...]:
        names, frame = [], sys._getframe(1)
        while frame is not None:
            name = self.functions.get((frame.f_code.co_filename, frame.f_code.co_name))
            if name and name not in names:
                names.append(name)
            frame = frame.f_back
        return tuple(names)

    def _params(self, params, model, **_):
        self._local.params = dict(params)   # the API's parameters (before-call sees the wire's)

    def _before_call(self, model, **_):
        if not self.active:
            return None
        params = getattr(self._local, "params", None) or {}
        service = model.service_model.endpoint_prefix
        service = {"email": "sns"}.get(service, service)
        call = Call(service, model.name, params, self._stores_on_stack())
        self.calls.append(call)
        if self.match is not None and self.injected is None:
            if (call.op, call.stores[:1]) == self.match[:2]:
                self._seen += 1
            due = self._seen == self.match[2] and (call.op, call.stores[:1]) == self.match[:2]
        else:
            due = self.at is not None and len(self.calls) == self.at
        if not due:
            if model.name in WRITES and self.injected is None:
                self.writes += 1
                self._remember(call)   # a write ahead of the fault: it must not stay
            return None
        fault = self.choose(call) if self.choose else None
        if fault is None:
            if model.name in WRITES:
                self._remember(call)
            return None
        self.injected = (call, fault)
        for store in call.stores:
            self.hits.setdefault(store, set()).add(fault.code)
        return self._answer(fault, model)

    @staticmethod
    def _answer(fault: Fault, model):
        url = f"https://{model.service_model.endpoint_prefix}.cn-north-1.amazonaws.com.cn/"
        if fault.code == "read-timeout":
            raise ReadTimeoutError(endpoint_url=url)
        if fault.code == "connect-error":
            raise EndpointConnectionError(endpoint_url=url)
        parsed = {"Error": {"Code": fault.code, "Message": f"injected {fault.code}"},
                  "ResponseMetadata": {"HTTPStatusCode": fault.status, "HTTPHeaders": {}}}
        if fault.reasons is not None:
            parsed["CancellationReasons"] = fault.reasons
        return AWSResponse(url, fault.status, {}, None), parsed

    # ---- what a write touches, before it lands --------------------------------------------
    def _remember(self, call: Call) -> None:
        for ref in write_refs(call):
            if ref not in self.before:
                self.before[ref] = self.read_ref(ref)

    def read_ref(self, ref: tuple):
        if ref[0] == "ddb":
            got = self.raw("dynamodb").get_item(TableName=ref[1], ConsistentRead=True,
                                                 Key={"pk": {"S": ref[2]}, "sk": {"S": ref[3]}})
            return got.get("Item")
        if ref[0] == "s3":
            try:
                return self.raw("s3").get_object(Bucket=ref[1], Key=ref[2])["Body"].read()
            except self.raw("s3").exceptions.NoSuchKey:
                return None
        return ref  # a message sent or published: it cannot be taken back

    def changed(self, ignore=()) -> dict:
        """{ref: (before, after)} for every ref a write ahead of the fault touched and that
        differs now (the partial writes), leaving out refs ignore(ref) accepts. Writes after
        the fault are the code's answer to it (an audit of the refusal, a compensation)."""
        out = {}
        for ref, was in self.before.items():
            if ref[0] not in ("ddb", "s3"):
                if not any(rule(ref) for rule in ignore):
                    out[ref] = ("sent", ref)
                continue
            now = self.read_ref(ref)
            if now != was and not any(rule(ref) for rule in ignore):
                out[ref] = (was, now)
        return out


class _Active:
    injector: Injector | None = None


_ACTIVE = _Active()


def _on_params(**kwargs):
    if _ACTIVE.injector is not None:
        _ACTIVE.injector._params(**kwargs)


def _on_call(**kwargs):
    if _ACTIVE.injector is not None:
        return _ACTIVE.injector._before_call(**kwargs)
    return None


def _hooking(original):
    """aws._client, registering the two hooks once on each client it hands out (botocore
    keeps one handler per unique id: they look up the injector in charge at call time)."""
    def hooked_client(service, region, endpoint):
        client = original(service, region, endpoint)
        client.meta.events.register("before-parameter-build", _on_params,
                                    unique_id="tests-faults-params")
        client.meta.events.register("before-call", _on_call, unique_id="tests-faults-inject")
        return client

    hooked_client.cache_clear = original.cache_clear
    hooked_client.faults_hooked = True
    return hooked_client


def _ddb_key(item: dict) -> tuple[str, str]:
    return item["pk"]["S"], item["sk"]["S"]


def write_refs(call: Call) -> list[tuple]:
    p = call.params
    if call.service == "dynamodb":
        if call.op in ("PutItem",):
            return [("ddb", p["TableName"], *_ddb_key(p["Item"]))]
        if call.op in ("UpdateItem", "DeleteItem"):
            return [("ddb", p["TableName"], *_ddb_key(p["Key"]))]
        if call.op == "TransactWriteItems":
            refs = []
            for item in p["TransactItems"]:
                (verb, body), = item.items()
                if verb == "ConditionCheck":
                    continue
                refs.append(("ddb", body["TableName"],
                             *_ddb_key(body["Item"] if verb == "Put" else body["Key"])))
            return refs
        if call.op == "BatchWriteItem":
            return [("ddb", table, *_ddb_key(r.get("PutRequest", {}).get("Item")
                                             or r["DeleteRequest"]["Key"]))
                    for table, reqs in p["RequestItems"].items() for r in reqs]
    if call.service == "s3" and call.op in ("PutObject", "DeleteObject", "CopyObject"):
        return [("s3", p["Bucket"], p["Key"])]
    return [(call.service, call.op, str(p.get("QueueUrl") or p.get("TopicArn")
                                        or p.get("PhoneNumber") and "sms" or p.get("Name")))]


# ---- fault choices ------------------------------------------------------------------------

def has_condition(call: Call) -> bool:
    if call.op == "TransactWriteItems":
        return any("ConditionExpression" in body for item in call.params["TransactItems"]
                   for body in item.values())
    return "ConditionExpression" in call.params


def transient_for(call: Call, n: int) -> Fault:
    """The n-th (cycling) transient fault of the call's service."""
    options = DDB_TRANSIENT if call.service == "dynamodb" else OTHER_TRANSIENT.get(
        call.service, [("InternalError", 500), ("read-timeout", 0)])
    code, status = options[n % len(options)]
    return Fault(call.service, code, status)


def condition_for(call: Call) -> Fault | None:
    """The conditional failure the call can really meet, or None."""
    if not has_condition(call):
        return None
    if call.op == "TransactWriteItems":
        items = call.params["TransactItems"]
        first = next(i for i, item in enumerate(items)
                     if any("ConditionExpression" in b for b in item.values()))
        reasons = [{"Code": "ConditionalCheckFailed" if i == first else "None"}
                   for i in range(len(items))]
        return Fault("dynamodb", "TransactionCanceledException", 400, reasons)
    return Fault("dynamodb", "ConditionalCheckFailedException", 400)


def cancelled_busy(call: Call) -> Fault | None:
    """A transaction cancelled because one of its items was throttled (transient)."""
    if call.op != "TransactWriteItems":
        return None
    n = len(call.params["TransactItems"])
    return Fault("dynamodb", "TransactionCanceledException", 400,
                 [{"Code": "ThrottlingError" if i == n - 1 else "None"} for i in range(n)])
