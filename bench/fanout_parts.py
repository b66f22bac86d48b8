"""bench/fanout.py's parts that are not the code measured: the loopback push service in
processes of its own, and storage taken out (a recording in-memory DynamoDB table and SQS
queue, each call counted).

    .venv/bin/python bench/fanout_parts.py --serve N   (a child: N subscribers, then serves)
"""
from __future__ import annotations

import bisect
import collections
import json
import os
import re
import subprocess
import sys
import threading
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

INDEXES = {None: ("pk", "sk"), "GSI1": ("gsi1pk", "gsi1sk"), "GSI2": ("gsi2pk", "gsi2sk")}
_AFTER = ("\U0010ffff",)  # sorts after every (pk, sk) key: bisect past a mark's equals


# ---- the push service in processes of its own -------------------------------------------------

def serve(n: int) -> None:
    """Child: a loopback push service with n subscribers; prints their subscription JSON, then
    serves until stdin closes and prints what it received."""
    import time

    from tests.push import push_service

    # A push service checks a sender's VAPID JWT once and trusts the same header until its
    # exp, as FCM's and Mozilla's do (one JWT per origin for hours): verified on first sight,
    # then looked up. Every message is still decrypted with its subscriber's keys.
    verify, seen = push_service._verify_vapid, {}

    def verified(svc, header: str):
        hit = seen.get(header)
        if hit is None or hit[0]["exp"] <= time.time():
            hit = seen[header] = verify(svc, header)
        return hit

    push_service._verify_vapid = verified
    with push_service.PushService() as svc:
        subs = [svc.subscriber() for _ in range(n)]
        print(json.dumps([s.json for s in subs]), flush=True)
        sys.stdin.read()
        got = list(svc.received)
        print(json.dumps({"received": len(got), "decrypted": sum(1 for r in got if r.payload),
                          "errors": sum(1 for r in got if r.error),
                          "connections": svc.connections}), flush=True)


class Service:
    """`procs` push services (tests/push/push_service.py: VAPID checked, every message
    decrypted with its subscriber's keys), each a process with its own port and an equal
    share of the n subscribers, so their decryption never takes the sender's GIL."""

    def __init__(self, n: int, procs: int = 1):
        self.procs = [subprocess.Popen([sys.executable, __file__, "--serve",
                                        str(n // procs + (i < n % procs))],
                                       stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                       text=True, cwd=ROOT) for i in range(procs)]
        self.subs = [s for p in self.procs for s in json.loads(p.stdout.readline())]

    def cpu(self) -> float:
        """CPU seconds the push services have used so far (user + system)."""
        tick = os.sysconf("SC_CLK_TCK")
        total = 0
        for p in self.procs:
            with open(f"/proc/{p.pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        return total / tick

    def close(self) -> dict:
        out = collections.Counter()
        for p in self.procs:
            p.stdin.close()
            out.update(json.loads(p.stdout.readline()))
            p.wait(timeout=30)
        return dict(out)


# ---- storage taken out: a recording in-memory table and queue ----------------------------------

def _names(expr_names: dict | None, name: str) -> str:
    return (expr_names or {}).get(name, name)


@lru_cache(maxsize=256)
def _parsed(expr: str) -> tuple:
    """An UpdateExpression as (verb, name, value ref) steps, parsed once per distinct text
    (the stub's own cost is not the worker's)."""
    steps = []
    for verb, body in re.findall(r"(SET|ADD|REMOVE)\s+(.*?)(?=\s+(?:SET|ADD|REMOVE)\s|$)",
                                 expr):
        for part in (p.strip() for p in body.split(",") if p.strip()):
            if verb == "REMOVE":
                steps.append((verb, part, None))
            elif verb == "SET":
                name, val = (x.strip() for x in part.split("=", 1))
                steps.append((verb, name,
                              re.sub(r"if_not_exists\([^,]+,\s*(:\w+)\)", r"\1", val)))
            else:
                name, val = part.split()
                steps.append((verb, name, val))
    return tuple(steps)


class Table:
    """DynamoDB's low-level client over a dict, counting calls."""

    def __init__(self):
        self.items: dict[tuple[str, str], dict] = {}
        # (hash key attribute, value) -> keys: a Query reads its partition, not the table
        self.parts: dict[tuple[str, str], set] = collections.defaultdict(set)
        # (hash key attribute, value) -> the partition's keys in range-key order (the stub's
        # own sort is not the worker's cost: kept until the partition changes)
        self.order: dict[tuple[str, str], list] = {}
        self.calls = collections.Counter()
        self.lock = threading.Lock()

    @staticmethod
    def _placed(item) -> tuple:
        return tuple((item[hk]["S"], item.get(rk, {}).get("S", "")) if hk in item else None
                     for hk, rk in INDEXES.values())

    def _index(self, k, item, on: bool):
        for hk, _ in INDEXES.values():
            if hk in item:
                part = (hk, item[hk]["S"])
                (self.parts[part].add if on else self.parts[part].discard)(k)
                self.order.pop(part, None)

    def _store(self, k, item):
        old = self.items.get(k)
        moved = old is None or self._placed(old) != self._placed(item)
        if old is not None and moved:
            self._index(k, old, False)
        self.items[k] = item
        if moved:
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
        for verb, name, val in _parsed(upd["UpdateExpression"]):
            name = _names(names, name)
            if verb == "REMOVE":
                item.pop(name, None)
            elif verb == "SET":
                if val in values:
                    item[name] = values[val]
            elif "N" in values[val]:
                old = float(item.get(name, {"N": "0"})["N"])
                item[name] = {"N": str(int(old + float(values[val]["N"])))}
            else:
                item[name] = {"SS": sorted(set(item.get(name, {"SS": []})["SS"]) |
                                           set(values[val]["SS"]))}
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
            part = (hk, want)
            order = self.order.get(part)
            if order is None:
                order = self.order[part] = sorted(
                    ((self.items[k].get(rk, {}).get("S", ""), k[0], k[1]), k)
                    for k in self.parts.get(part, ()))
            rows = order if kw.get("ScanIndexForward", True) else order[::-1]
            forward = kw.get("ScanIndexForward", True)
            if prefix:
                p = values[prefix.group(1)]["S"]
                rows = [r for r in rows if r[0][0].startswith(p)]
            if upto:
                u = values[upto.group(1)]["S"]
                rows = [r for r in rows if r[0][0] <= u]
            start = kw.get("ExclusiveStartKey")
            if start:
                mark = (start.get(rk, start["sk"])["S"], start["pk"]["S"], start["sk"]["S"])
                if forward:  # rows ascend: the first after the mark, found by bisection
                    rows = rows[bisect.bisect_right(rows, (mark, _AFTER)):]
                else:
                    rows = [r for r in rows if r[0] < mark]
            kinds = ({v["S"] for k, v in values.items() if k.startswith(":k")}
                     if "FilterExpression" in kw and names and "#kind" in names else None)
            limit, picked = kw.get("Limit"), []
            for _, k in rows:  # only as far as the page (and one more) reaches
                item = self.items[k]
                if kinds is None or item.get("kind", {}).get("S") in kinds:
                    picked.append(item)
                    if limit and len(picked) > limit:
                        break
            rows = picked
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




if __name__ == "__main__":
    serve(int(sys.argv[sys.argv.index("--serve") + 1]))
