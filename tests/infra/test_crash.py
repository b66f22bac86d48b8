"""The local stack's data survives a crash: killed with SIGKILL in the middle of submissions and
restarted on its data dir, the file is whole, what was acknowledged more than the autosave
interval before the kill is there, and the records that belong together agree.

The persistence itself (infra/local.py): a save copies the table under the lock every table
operation takes (no transaction half in) and renames a flushed temp file over the old one."""
from __future__ import annotations

import http.client
import json
import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from infra import local
from tests.e2e.accounts import call, post_file, sms_code

ROOT = Path(__file__).resolve().parents[2]
CARD = "441400-RSJ-0015"  # 社会保障卡申领 (RSJ, 441400): two materials, a citizen files it
CARD_FORM = {"bank_choice": "中国银行", "delivery": "免费邮寄"}
PASSWORD = "Meizhou-2026!"
PHONE = "1990340{:04d}"  # this file's phone range
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
AUTOSAVE = 2.0  # the test's interval (the default, infra/local.AUTOSAVE_SECONDS, is longer)
# The time of the saves around the kill (the snapshot is taken as a save starts, and is kept
# once the save ends): about 0.4 s on an idle machine, up to 5 s each at a load of 18 on 2 cores.
SAVE_SLACK = 8.0
KILLS = 3
SUBMITTERS = 3  # one server process: more threads add contention, not submissions
DOWN = (OSError, http.client.HTTPException)  # a request cut by the kill


class Refused(Exception):
    """An answer other than the one expected (recorded in Submitter.errors)."""


# ---- the persistence, in this process's emulator (the session stack's) -------------------

def test_a_snapshot_never_holds_half_a_transaction(settings):
    """Transactions write 20 items that always agree; snapshots taken meanwhile, as often as
    possible, each hold all at one value (the save takes the table operations' lock; without
    it about one snapshot in twenty here holds half a transaction)."""
    from functions.core import aws

    ddb = aws.client("dynamodb", settings)
    pair = [{"pk": {"S": f"CRASHK#{n:02d}"}, "sk": {"S": "T"}} for n in range(20)]
    stop, written = threading.Event(), [0]

    def writer():
        while not stop.is_set():
            written[0] += 1
            ddb.transact_write_items(TransactItems=[{"Put": {
                "TableName": settings.table_name,
                "Item": {**k, "v": {"N": str(written[0])}}}} for k in pair])

    threads = [threading.Thread(target=writer) for _ in range(2)]
    for t in threads:
        t.start()
    seen = set()
    try:
        # Until the snapshots have seen enough transactions (a count, not a time: a transaction
        # copies the whole table, slow on a loaded machine late in the suite).
        deadline, snapshots = time.monotonic() + 120, 0
        while (len(seen) <= 10 or snapshots < 200) and time.monotonic() < deadline:
            snapshots += 1
            items, _ = local.table_items(settings.table_name)
            got = {i["pk"]["S"]: i["v"]["N"] for i in items if i["pk"]["S"].startswith("CRASHK#")}
            if got:
                assert len(got) == 20 and len(set(got.values())) == 1, got
                seen.add(got["CRASHK#00"])
    finally:
        stop.set()
        for t in threads:
            t.join()
    assert len(seen) > 10, "the snapshots saw too few transactions to tell"


def test_an_interrupted_save_leaves_the_previous_file(tmp_path, monkeypatch):
    path = tmp_path / "state.json"
    local.write_atomically(path, b'{"items": [1]}')

    def crash(_fd):
        raise OSError("the machine went down")

    monkeypatch.setattr(local.os, "fsync", crash)
    with pytest.raises(OSError):
        local.write_atomically(path, b'{"items": [1, 2')
    assert json.loads(path.read_text()) == {"items": [1]}
    monkeypatch.undo()
    local.write_atomically(path, b'{"items": [1, 2]}')  # the half-written temp is replaced
    assert json.loads(path.read_text()) == {"items": [1, 2]}
    assert [p.name for p in tmp_path.iterdir()] == ["state.json"]


# ---- the stack as `make run` starts it, killed and restarted ------------------------------

class Stack:
    """`python -m infra.local` on a free port; its log in a file (a pipe would fill)."""

    def __init__(self, data_dir: Path, log: Path):
        self.data_dir, self.log = data_dir, log
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "infra.local", "--port", str(self.port), "--data-dir",
             str(data_dir), "--autosave", str(AUTOSAVE)],
            cwd=ROOT, stdout=log.open("ab"), stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 150
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, log.read_text(errors="replace")[-3000:]
            try:
                with urllib.request.urlopen(f"{self.base}/api/v1/health", timeout=5) as res:
                    if res.status == 200:
                        return
            except DOWN:
                time.sleep(0.3)
        self.proc.kill()
        raise AssertionError("the stack did not become healthy in 150 s")

    def kill(self) -> float:
        at = time.time()
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=30)
        return at

    def stop(self) -> None:
        self.proc.terminate()  # SIGTERM: the clean stop
        assert self.proc.wait(timeout=60) == 0


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def register(base: str, n: int, person: dict) -> dict:
    phone = PHONE.format(n)
    status, body = call(base, "POST", "/auth/codes", {"phone": phone, "purpose": "register"})
    assert status == 202, body
    status, body = call(base, "POST", "/auth/register", {
        "name": person["name"], "id_number": person["id_number"], "phone": phone,
        "password": PASSWORD, "code": sms_code(base, phone)})
    assert status == 201, body
    return {"phone": phone, "token": body["access_token"]}


class Submitter(threading.Thread):
    """Files and submits applications through the API until the stack goes down; records
    when each step was acknowledged (after the response arrived: the write was before)."""

    def __init__(self, base: str, citizen: dict, materials: list[str]):
        super().__init__(daemon=True)
        self.base, self.token, self.materials = base, citizen["token"], materials
        self.created: dict[str, float] = {}
        self.submitted: dict[str, float] = {}
        self.errors: list = []

    def run(self):
        try:
            while True:
                self.one()
        except (Refused, *DOWN):
            return  # the kill, or a refusal the test reports

    def ok(self, status, body, want):
        if status != want:
            self.errors.append((status, body))
            raise Refused(status)

    def one(self):
        status, app = call(self.base, "POST", "/applications",
                           {"matter": CARD, "form": CARD_FORM}, self.token)
        self.ok(status, app, 201)
        self.created[app["id"]] = time.time()
        for name in self.materials:
            status, grant = call(self.base, "POST", f"/applications/{app['id']}/materials/uploads",
                                 {"material": name, "content_type": "application/pdf",
                                  "size": len(PDF)}, self.token)
            self.ok(status, grant, 201)
            post_file(grant["url"], grant["fields"], PDF)
            status, body = call(self.base, "POST", f"/applications/{app['id']}/materials",
                                {"material": name, "upload_key": grant["key"]}, self.token)
            self.ok(status, body, 200)
        status, body = call(self.base, "POST", f"/applications/{app['id']}/submit", None,
                            self.token)
        self.ok(status, body, 200)
        self.submitted[app["id"]] = time.time()


def test_killed_in_the_middle_of_submissions_the_stack_keeps_what_it_acknowledged(tmp_path):
    seed = int(os.environ.get("CRASH_SEED") or time.time())
    rng = random.Random(seed)
    data, log = tmp_path / "data", tmp_path / "stack.log"
    persons = json.loads((ROOT / "infra/seed/registry.json").read_text("utf-8"))["persons"]
    stack = Stack(data, log)
    try:
        citizens = [register(stack.base, n, persons[210 + n]) for n in range(SUBMITTERS)]
        materials = [m["name"] for m in call(stack.base, "GET", f"/matters/{CARD}")[1]["materials"]]
        registered = time.time()
        _wait(lambda: _saved_at(data) > registered, "a save after the registrations")
        created, submitted, owner_of, report = {}, {}, {}, []
        for _ in range(KILLS):
            threads = [Submitter(stack.base, c, materials) for c in citizens]
            for t in threads:
                t.start()
            # The kill falls at a random moment once a save holds the round's first submission
            # (so each round has one it must keep), whatever the machine's speed: anywhere in
            # the submissions and saves running then.
            _wait(lambda ts=threads: any(t.submitted or not t.is_alive() for t in ts),
                  "submission", 120)
            assert not [e for t in threads for e in t.errors], [t.errors for t in threads]
            first = min(at for t in threads for at in t.submitted.values())
            _wait(lambda f=first: _saved_at(data) > f, "save after the first submission")
            time.sleep(rng.uniform(0.0, 3.0))
            killed = stack.kill()
            for t in threads:
                t.join(timeout=30)
                assert not t.errors, t.errors[:3]  # before the kill: no refusal, no 5xx
                created.update(t.created)
                submitted.update(t.submitted)
                owner_of.update(dict.fromkeys(t.created, t.token))
            # (a) the file the kill left is whole (it parses) and recent enough
            state = json.loads((data / "state.json").read_text("utf-8"))
            lag = killed - state["saved_at"]
            assert lag <= AUTOSAVE + SAVE_SLACK, f"the last save was {lag:.1f} s before the kill"
            stack = Stack(data, log)
            # (b) what was acknowledged more than the interval before the kill is all there
            kept = _items(json.loads((data / "state.json").read_text("utf-8"))["items"])
            apps = {pk[4:]: i for (pk, sk), i in kept.items()
                    if pk.startswith("APP#") and sk == "A"}
            must = killed - AUTOSAVE - SAVE_SLACK
            lost = [a for a, at in created.items() if at < must and a not in apps]
            unsent = [a for a, at in submitted.items()
                      if at < must and apps[a]["status"] != "submitted"]
            assert not lost and not unsent, (lost, unsent)
            kept_before = [a for a, at in submitted.items() if at < state["saved_at"]]
            assert kept_before and all(apps[a]["status"] == "submitted" for a in kept_before)
            assert all(a in apps for a, at in created.items() if at < state["saved_at"])
            # What this kill took within the interval is gone for good (the client was told
            # only within the interval): later rounds do not ask for it again.
            for a in [a for a in created if a not in apps]:
                del created[a]
                submitted.pop(a, None)
            for a in [a for a in submitted if apps[a]["status"] != "submitted"]:
                del submitted[a]
            # (c) every application, its list entry, events, notices, markers and counters agree
            checked = invariants(kept, json.loads((data / "state.json").read_text("utf-8")))
            report.append({"kill_after_first_s": round(killed - first, 1),
                           "acked": sum(at < killed for at in submitted.values()),
                           "required": sum(at < must for at in submitted.values()),
                           "kept": len(apps), "save_lag_s": round(lag, 2), **checked})
            # the restarted stack answers for them too: each owner's list holds theirs
            for c in citizens:
                status, body = call(stack.base, "GET", "/applications?limit=100", token=c["token"])
                assert status == 200, body
                mine = {a for a, at in submitted.items() if at < must and owner_of[a] == c["token"]}
                assert mine <= {i["id"] for i in body["items"]}
            sample = [a for a, at in submitted.items() if at < must][-3:]
            for a in sample:
                status, body = call(stack.base, "GET", f"/applications/{a}", token=owner_of[a])
                assert status == 200 and body["status"] == "submitted", body
        stack.stop()
        print(f"seed {seed}: {report}")
    finally:  # a failed check leaves no stack running
        if stack.proc.poll() is None:
            stack.proc.kill()
            stack.proc.wait(timeout=30)


def _saved_at(data: Path) -> float:
    """The snapshot time the state file opens with (read without parsing 7 MB)."""
    try:
        with (data / "state.json").open("rb") as f:
            head = f.read(64).decode()
    except OSError:
        return 0.0
    got = re.match(r'\{"saved_at":([0-9.]+),', head)
    return float(got.group(1)) if got else 0.0


def _wait(ready, what: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not ready():
        assert time.monotonic() < deadline, f"no {what} in {seconds} s"
        time.sleep(0.2)


def _plain(value: dict):
    (kind, v), = value.items()
    return int(v) if kind == "N" else v


def _items(raw: list[dict]) -> dict[tuple[str, str], dict]:
    return {(i["pk"]["S"], i["sk"]["S"]): {k: _plain(v) for k, v in i.items()} for i in raw}


def invariants(items: dict[tuple[str, str], dict], state: dict) -> dict:
    """The cross-item rules of a kept table (the data dir is this test's alone): returns the
    sizes it checked."""
    from functions.supervision import reconcile

    apps, events, pointers, scans = {}, defaultdict(list), {}, defaultdict(set)
    audits, notices, exports, markers = Counter(), Counter(), Counter(), set()
    unread, counters, indicators, seq = Counter(), {}, {}, {}
    for (pk, sk), item in items.items():
        if pk.startswith("APP#"):
            app_id = pk[4:]
            if sk == "A":
                apps[app_id] = json.loads(item["doc"])
            elif sk.startswith("E#"):
                events[app_id].append((sk, json.loads(item["doc"])))
            elif sk.startswith("SCAN#"):
                scans[app_id].add(item["key"])
        elif pk.startswith(("ACCOUNT#", "ENTERPRISE#")) and sk.startswith("APP#"):
            assert item["id"] not in pointers, f"two list entries for {item['id']}"
            pointers[item["id"]] = (pk, item)
        elif pk.startswith(("ACCOUNT#", "ENTERPRISE#")) and sk.startswith("INBOX#"):
            if not item["read"]:
                unread[(pk, item["kind"])] += 1
            if item.get("link", "").startswith("/#/applications/"):
                notices[item["link"].rsplit("/", 1)[1]] += 1
        elif sk == "INBOXUNREAD":
            counters[pk] = {k[2:]: v for k, v in item.items() if k.startswith("u_")}
        elif pk.startswith("AUDIT#") and item["action"].startswith("application."):
            audits[(item["target"], item["action"])] += 1
        elif pk.startswith("EXPORT#"):
            doc = json.loads(item["doc"])
            if doc.get("application"):
                exports[(doc["application"], doc["kind"])] += 1
        elif pk.startswith("INDAPP#"):
            markers.add((pk[7:], sk[4:]))
        elif pk.startswith("IND#") and sk.startswith("DEPT#"):
            dept, _, region = sk[5:].rpartition("#")
            indicators.setdefault(pk[4:], {})[(dept, region)] = {
                k: v for k, v in item.items() if isinstance(v, int)}
        elif pk.startswith("APPSEQ#"):
            seq[pk[7:].replace("-", "")] = item["n"]
    assert set(pointers) == set(apps), "applications and their list entries differ"
    uploads = {o["key"] for o in state["objects"].get("MaterialsBucket", [])}
    records, moves = [], 0
    for app_id, app in apps.items():
        pk, pointer = pointers[app_id]
        assert pk == f"ACCOUNT#{app['owner'].split(':', 1)[1]}"
        assert pointer["status"] == app["status"], app_id
        timeline = [e for _, e in sorted(events[app_id], key=lambda x: (x[1]["at"], x[0]))]
        assert [e["from"] for e in timeline] == ["-"] + [e["to"] for e in timeline[:-1]], timeline
        assert timeline[-1]["to"] == app["status"], (app_id, timeline)
        assert audits[(app_id, "application.create")] == 1
        for action, n in Counter(e["action"] for e in timeline[1:]).items():
            assert audits[(app_id, f"application.{action}")] == n, (app_id, action)
            assert exports[(app_id, f"application.{action}")] == n, (app_id, action)
            moves += n
        assert notices[app_id] == len(timeline) - 1, (app_id, notices[app_id])
        keys = {m["key"] for m in app["materials"].values() if m.get("kind") == "upload"}
        assert keys <= scans[app_id] and keys <= uploads, app_id  # scan rows, stored files
        if app["status"] != "draft":
            assert (timeline[1]["at"][:7], app_id) in markers, app_id
        assert int(app_id[10:]) <= seq[app_id[2:10]], app_id  # numbers never given twice
        records += [{"application": app_id, "department": app["department"],
                     "region": app["region"], "channel": app["channel"], "action": e["action"],
                     "from": e["from"], "to": e["to"], "at": e["at"], "licence_types": []}
                    for e in timeline]
    assert {m for _, m in markers} <= set(apps)
    for pk, kinds in counters.items():
        got = {k: n for (p, k), n in unread.items() if p == pk}
        assert {k: v for k, v in kinds.items() if v} == got, (pk, kinds, got)
    assert not {p for p, _ in unread} - set(counters)
    for month, rows in indicators.items():
        drift = reconcile.month(records, rows, month=month)
        assert drift["ok"], drift["drift"]
    return {"applications": len(apps), "moves": moves}
