"""Campaign fan-out, end to end against the raw sender, in one run:

  end to end: the planner (topic index Query → recipient batches on SQS) → the worker's SQS
              handler (sent-marker transaction, preferences and caps, claim, push to each
              device, outcome transaction) → the loopback push service, which verifies VAPID
              and decrypts every message (RFC 8291) in a process of its own;
  raw:        webpush.send of the same lock-screen payload to the same subscriptions (encrypt,
              sign, POST), the same threads.

Storage is taken out of the measurement: moto copies the table on every transaction (a few a
second at 5,000 items), which says nothing of DynamoDB. The DynamoDB client is replaced by an
in-memory recording table (Put/Get/Query/BatchGet/Update/TransactWrite, conditions not
evaluated: one run, no duplicates) that counts each call, and SQS by an in-process queue; the
emulator serves only the keys (SSM) and is off the hot path once they are cached. Everything
else — the planner's and worker's code, JSON, sealing, the template, the encryption, the HTTP
POST — is measured.

    .venv/bin/python bench/fanout.py [--people 2000] [--threads 8] [--rounds 2]
"""
from __future__ import annotations

import argparse
import collections
import json
import os
import re
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# Records per handler call: each thread is one Lambda invocation of the worker, and Lambda's
# concurrency is what spreads a campaign's records (batch size 1 here so the invocations share
# the records of 50 evenly; the deployed event source mapping hands out up to 10).
BATCH_SIZE = 1
INDEXES = {None: ("pk", "sk"), "GSI1": ("gsi1pk", "gsi1sk"), "GSI2": ("gsi2pk", "gsi2sk")}


# ---- the push service in a process of its own --------------------------------------------------

def serve(n: int) -> None:
    """Child: a loopback push service with n subscribers; prints their subscription JSON, then
    serves until stdin closes and prints what it received."""
    from tests.push.push_service import PushService

    with PushService() as svc:
        subs = [svc.subscriber() for _ in range(n)]
        print(json.dumps([s.json for s in subs]), flush=True)
        sys.stdin.read()
        got = list(svc.received)
        print(json.dumps({"received": len(got), "decrypted": sum(1 for r in got if r.payload),
                          "errors": sum(1 for r in got if r.error),
                          "connections": svc.connections}), flush=True)


class Service:
    def __init__(self, n: int):
        self.proc = subprocess.Popen([sys.executable, __file__, "--serve", str(n)],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                                     cwd=ROOT)
        self.subs = json.loads(self.proc.stdout.readline())

    def close(self) -> dict:
        self.proc.stdin.close()
        stats = json.loads(self.proc.stdout.readline())
        self.proc.wait(timeout=30)
        return stats


# ---- storage taken out: a recording in-memory table and queue ----------------------------------

def _names(expr_names: dict | None, name: str) -> str:
    return (expr_names or {}).get(name, name)


class Table:
    """DynamoDB's low-level client over a dict, counting calls."""

    def __init__(self):
        self.items: dict[tuple[str, str], dict] = {}
        # (hash key attribute, value) -> keys: a Query reads its partition, not the table
        self.parts: dict[tuple[str, str], set] = collections.defaultdict(set)
        self.calls = collections.Counter()
        self.lock = threading.Lock()

    def _index(self, k, item, on: bool):
        for hk, _ in INDEXES.values():
            if hk in item:
                (self.parts[(hk, item[hk]["S"])].add if on else
                 self.parts[(hk, item[hk]["S"])].discard)(k)

    def _store(self, k, item):
        old = self.items.get(k)
        if old is not None:
            self._index(k, old, False)
        self.items[k] = item
        self._index(k, item, True)

    def _drop(self, k):
        old = self.items.pop(k, None)
        if old is not None:
            self._index(k, old, False)

    # writes
    def _put(self, item):
        self._store((item["pk"]["S"], item["sk"]["S"]), dict(item))

    def _update(self, upd):
        k = (upd["Key"]["pk"]["S"], upd["Key"]["sk"]["S"])
        item = dict(self.items.get(k) or upd["Key"])
        names, values = upd.get("ExpressionAttributeNames"), upd.get("ExpressionAttributeValues")
        expr = upd["UpdateExpression"]
        for verb, body in re.findall(r"(SET|ADD|REMOVE)\s+(.*?)(?=\s+(?:SET|ADD|REMOVE)\s|$)",
                                     expr):
            for part in (p.strip() for p in body.split(",") if p.strip()):
                if verb == "REMOVE":
                    item.pop(_names(names, part), None)
                    continue
                if verb == "SET":
                    name, val = (x.strip() for x in part.split("=", 1))
                    val = re.sub(r"if_not_exists\([^,]+,\s*(:\w+)\)", r"\1", val)
                    if val in values:
                        item[_names(names, name)] = values[val]
                    continue
                name, val = part.split()
                name, add = _names(names, name), values[val]
                if "N" in add:
                    old = float(item.get(name, {"N": "0"})["N"])
                    item[name] = {"N": str(int(old + float(add["N"])))}
                else:
                    item[name] = {"SS": sorted(set(item.get(name, {"SS": []})["SS"]) |
                                               set(add["SS"]))}
        self._store(k, item)

    def put_item(self, **kw):
        with self.lock:
            self.calls["PutItem"] += 1
            self._put(kw["Item"])
        return {}

    def update_item(self, **kw):
        with self.lock:
            self.calls["UpdateItem"] += 1
            self._update(kw)
            k = (kw["Key"]["pk"]["S"], kw["Key"]["sk"]["S"])
            return {"Attributes": dict(self.items[k])}

    def delete_item(self, **kw):
        with self.lock:
            self.calls["DeleteItem"] += 1
            self._drop((kw["Key"]["pk"]["S"], kw["Key"]["sk"]["S"]))
        return {}

    def transact_write_items(self, TransactItems):
        with self.lock:
            self.calls["TransactWriteItems"] += 1
            self.calls["transaction items"] += len(TransactItems)
            for op in TransactItems:
                if "Put" in op:
                    self._put(op["Put"]["Item"])
                elif "Update" in op:
                    self._update(op["Update"])
                elif "Delete" in op:
                    self._drop((op["Delete"]["Key"]["pk"]["S"],
                                op["Delete"]["Key"]["sk"]["S"]))
        return {}

    # reads
    def get_item(self, **kw):
        with self.lock:
            self.calls["GetItem"] += 1
            item = self.items.get((kw["Key"]["pk"]["S"], kw["Key"]["sk"]["S"]))
        return {"Item": dict(item)} if item else {}

    def batch_get_item(self, RequestItems):
        with self.lock:
            self.calls["BatchGetItem"] += 1
            out = {}
            for table, ask in RequestItems.items():
                out[table] = [dict(self.items[k]) for k in
                              ((x["pk"]["S"], x["sk"]["S"]) for x in ask["Keys"])
                              if k in self.items]
        return {"Responses": out, "UnprocessedKeys": {}}

    def query(self, **kw):
        with self.lock:
            self.calls["Query"] += 1
            hk, rk = INDEXES[kw.get("IndexName")]
            values = kw["ExpressionAttributeValues"]
            names = kw.get("ExpressionAttributeNames")
            cond = kw["KeyConditionExpression"]
            want = values[re.search(r"=\s*(:\w+)", cond).group(1)]["S"]
            prefix = re.search(r"begins_with\(\s*\S+,\s*(:\w+)\)", cond)
            upto = re.search(r"<=\s*(:\w+)", cond)
            rows = [self.items[k] for k in self.parts.get((hk, want), ())]
            if prefix:
                p = values[prefix.group(1)]["S"]
                rows = [i for i in rows if i.get(rk, {}).get("S", "").startswith(p)]
            if upto:
                u = values[upto.group(1)]["S"]
                rows = [i for i in rows if i.get(rk, {}).get("S", "") <= u]
            forward = kw.get("ScanIndexForward", True)
            rows.sort(key=lambda i: (i.get(rk, {}).get("S", ""), i["pk"]["S"], i["sk"]["S"]),
                      reverse=not forward)
            start = kw.get("ExclusiveStartKey")
            if start:
                mark = (start.get(rk, start["sk"])["S"], start["pk"]["S"], start["sk"]["S"])
                rows = [i for i in rows if ((i.get(rk, {}).get("S", ""), i["pk"]["S"],
                                             i["sk"]["S"]) > mark) == forward]
            if "FilterExpression" in kw and names and "#kind" in names:
                kinds = {v["S"] for k, v in values.items() if k.startswith(":k")}
                rows = [i for i in rows if i.get("kind", {}).get("S") in kinds]
            limit = kw.get("Limit")
            out = {"Items": [dict(i) for i in rows[:limit]] if limit else rows}
            if limit and len(rows) > limit:
                last = rows[limit - 1]
                out["LastEvaluatedKey"] = {a: last[a] for a in {"pk", "sk", hk, rk} if a in last}
        return out


class Queue:
    """SQS in process: sent messages, handed out ten at a time as Lambda's records."""

    def __init__(self):
        self.messages: collections.deque = collections.deque()
        self.calls = collections.Counter()
        self.seq = 0
        self.lock = threading.Lock()

    def send_message(self, QueueUrl, MessageBody, DelaySeconds=0, **kw):
        with self.lock:
            self.calls["SendMessage"] += 1
            self.seq += 1
            self.messages.append((f"m{self.seq}", MessageBody))
        return {"MessageId": f"m{self.seq}"}

    def change_message_visibility(self, **kw):
        self.calls["ChangeMessageVisibility"] += 1

    def take(self, n: int = 10) -> list[dict]:
        with self.lock:
            got = [self.messages.popleft() for _ in range(min(n, len(self.messages)))]
        return [{"messageId": mid, "receiptHandle": mid, "body": body,
                 "attributes": {"ApproximateReceiveCount": "1"}} for mid, body in got]


# ---- the run ------------------------------------------------------------------------------

def _settings():
    from infra import local

    server, endpoint = local.start_emulator()
    outputs = local.deploy(endpoint)
    os.environ.update(local.environment(endpoint, outputs))
    from functions.core import aws, clock, keys
    from functions.settings import Settings

    aws.reset()
    keys.forget()
    settings = Settings.from_env()
    keys.init_keys(settings, clock.now())
    return server, settings


def _install(table: Table, queue: Queue):
    from functions.core import aws

    real = aws.client

    def client(name, settings):
        if name == "dynamodb":
            return table
        if name == "sqs":
            return queue
        return real(name, settings)

    aws.client = client


def _population(settings, subs: list[dict], now: datetime) -> tuple[str, list[dict]]:
    """n people subscribed to the deadline topic (the default), one device each, and an
    approved campaign to them all. Returns (campaign id, the devices as for_delivery lists)."""
    from functions.core import aws, clock
    from functions.core.auth import Principal
    from functions.push import campaigns_store, preferences_store, subscriptions

    table = settings.table_name
    for i, sub in enumerate(subs):
        account = f"bench{i:06d}"
        row = preferences_store._row_item(table, account, f"person:{account}", "deadline",
                                          {"county": "441402", "birth": "1980-01",
                                           "kind": "person"})
        aws.client("dynamodb", settings).put_item(TableName=table, Item=row["Put"]["Item"])
        subscriptions.subscribe(settings, Principal(subject=account, kind="citizen", level=2),
                                sub, at=clock.iso(now))
    cid = f"bench{int(time.time())}"
    campaign = {"id": cid, "name": "个税汇算提醒", "topic": "deadline",
                "template": "deadline_reminder",
                "params": {"item": "个人所得税汇算", "date": "2026-12-15"},
                "segment": {"audience": "person", "county": "441402"}, "urgent": False,
                "legal": False, "state": "approved", "author": "officer-a",
                "approver": "officer-b", "department": "SWJ", "created": clock.iso(now)}
    aws.client("dynamodb", settings).put_item(TableName=table,
                                              Item=campaigns_store._item(campaign))
    devices = [d for i in range(len(subs))
               for d in subscriptions.for_delivery(settings, f"bench{i:06d}")]
    return cid, devices


def end_to_end(settings, cid: str, queue: Queue, threads: int, now: datetime) -> float:
    from functions import workers
    from functions.core import clock
    from functions.push import delivery, planner

    workers.configure(settings)
    clock_now = clock.now
    clock.now = lambda: now  # a weekday morning: outside the default quiet hours
    try:
        t0 = time.perf_counter()
        planner.plan(settings, cid, now=now, budget=None)

        def drain():
            while True:
                records = queue.take(BATCH_SIZE)
                if not records:
                    return
                failed = workers.handle_queue({"Records": records})["batchItemFailures"]
                assert not failed, failed

        # `threads` pushes in flight, as in the raw run: invocations side by side, each
        # sending up to delivery.PUSH_THREADS of its record's pushes at once.
        invocations = max(1, -(-threads // delivery.PUSH_THREADS))
        with ThreadPoolExecutor(invocations) as pool:
            for f in [pool.submit(drain) for _ in range(invocations)]:
                f.result()
        return time.perf_counter() - t0
    finally:
        clock.now = clock_now


def raw(settings, devices: list[dict], threads: int) -> float:
    from functions.push import webpush

    payload = webpush.lock_screen_payload("bm90aWNlLWJlbmNoLTAwMDE")
    t0 = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        outs = list(pool.map(lambda d: webpush.send(settings, d, payload), devices))
    assert all(o.kind == "delivered" for o in outs), collections.Counter(o.kind for o in outs)
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--serve", type=int)
    args = parser.parse_args()
    if args.serve:
        return serve(args.serve)
    import logging

    logging.getLogger("hall").setLevel(logging.WARNING)
    from functions.core import clock
    from functions.push import webpush

    server, settings = _settings()
    webpush.vapid_public_key(settings)  # the VAPID key, created once (SSM on the emulator)
    service = Service(args.people)
    n = args.people
    print(f"{n} people, one device each, {args.threads} threads; push service (VAPID check "
          f"and RFC 8291 decryption) in its own process; storage stubbed and counted")
    print(f"{'round':>5} {'raw msg/s':>10} {'e2e msg/s':>10} {'ratio':>6}")
    results = []
    calls_per_message = None
    for rnd in range(args.rounds):
        table, queue = Table(), Queue()
        _install(table, queue)
        now = datetime(2026, 12, 2, 10, 0, tzinfo=clock.CHINA)
        cid, devices = _population(settings, service.subs, now)
        webpush.forget()
        t_raw = raw(settings, devices, args.threads)
        table.calls.clear()
        queue.calls.clear()
        t_e2e = end_to_end(settings, cid, queue, args.threads, now)
        counters = {k[2:]: int(v["N"]) for k, v in
                    table.items[(f"CAMPAIGN#{cid}", "C")].items() if k.startswith("c_")}
        assert counters.get("push") == n and counters.get("delivered") == n, counters
        results.append((n / t_raw, n / t_e2e))
        calls_per_message = ({k: v / n for k, v in sorted(table.calls.items())},
                             {k: v / n for k, v in sorted(queue.calls.items())}, counters)
        print(f"{rnd + 1:>5} {n / t_raw:>10.0f} {n / t_e2e:>10.0f} {t_raw / t_e2e:>6.2f}")
    stats = service.close()
    server.stop()
    best_raw = max(r for r, _ in results)
    best_e2e = max(e for _, e in results)
    print(f"best: raw {best_raw:.0f} msg/s, end to end {best_e2e:.0f} msg/s, "
          f"ratio {best_e2e / best_raw:.2f} (targets: >= 0.6 and >= 500 msg/s)")
    ddb_calls, sqs_calls, counters = calls_per_message
    print("storage calls per message (DynamoDB): " + ", ".join(
        f"{k} {v:.3f}" for k, v in ddb_calls.items()))
    print("queue calls per message (SQS): " + ", ".join(
        f"{k} {v:.3f}" for k, v in sqs_calls.items()))
    print(f"campaign counters (last round): {counters}")
    print(f"push service: {stats}")


if __name__ == "__main__":
    main()
