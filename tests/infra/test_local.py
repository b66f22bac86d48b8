"""`make run`'s stack, as a process: one origin, security headers, workers, restart keeps data."""
from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url, headers=None, method="GET"):
    req = urllib.request.Request(url, headers=headers or {}, method=method)
    with urllib.request.urlopen(req, timeout=10) as resp:
        return resp.status, dict(resp.headers), resp.read()


class Running:
    def __init__(self, data_dir: Path):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "infra.local", "--port", str(self.port), "--data-dir",
             str(data_dir)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)

    def __enter__(self):
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(self.proc.stdout.read().decode()[-3000:])
            try:
                if get(f"{self.base}/api/v1/health")[0] == 200:
                    return self
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.3)
        raise AssertionError("the stack did not become healthy in 120 s")

    def __exit__(self, *exc):
        self.proc.terminate()  # SIGTERM: a clean stop that saves the data
        assert self.proc.wait(timeout=30) == 0


def dev_token(base: str, *args: str) -> str:
    """`python -m infra.local token`: asks the running stack for a real dev session."""
    out = subprocess.run([sys.executable, "-m", "infra.local", "token", "--url", base, *args],
                         cwd=ROOT, capture_output=True, text=True, check=True, timeout=120)
    return out.stdout.strip()


def test_make_run_stack_serves_one_origin_and_keeps_data_across_restarts(tmp_path):
    with Running(tmp_path) as stack:
        base = stack.base
        status, _, body = get(f"{base}/api/v1/health")
        assert status == 200 and json.loads(body)["catalogue_version"] == 1
        status, headers, shell = get(f"{base}/")
        assert status == 200 and b"<html" in shell.lower()
        assert "script-src 'self'" in headers["Content-Security-Policy"]
        assert "unsafe-inline" not in headers["Content-Security-Policy"]
        assert get(f"{base}/some/client/route")[2] == shell  # deep links get the shell
        _, headers, _ = get(f"{base}/sw.js", {"Accept-Encoding": "gzip"})
        assert headers["Cache-Control"] == "no-cache" and headers["Content-Encoding"] == "gzip"
        with pytest.raises(urllib.error.HTTPError) as err:
            get(f"{base}/missing.js")
        assert err.value.code == 404

        # The dev token belongs to a real session of a dev account, which logging out ends.
        officer = dev_token(base, "--role", "officer", "--department", "RSJ", "--region", "441400")
        other = {"Authorization": f"Bearer {officer}"}
        me = json.loads(get(f"{base}/api/v1/me", other)[2])
        assert (me["roles"], me["department"], me["level"]) == (["officer"], "RSJ", 3)
        assert get(f"{base}/api/v1/auth/logout", other, method="POST")[0] == 204
        with pytest.raises(urllib.error.HTTPError) as err:
            get(f"{base}/api/v1/me", other)
        assert err.value.code == 401

        # An officer publishes through the queue; the local worker runs the Lambda handler.
        auth = {"Authorization": f"Bearer {dev_token(base)}"}
        assert get(f"{base}/api/v1/officer/catalogue/publish", auth, method="POST")[0] == 202
        for _ in range(100):
            status = json.loads(get(f"{base}/api/v1/officer/catalogue", auth)[2])
            if status["version"] == 2:
                break
            time.sleep(0.2)
        assert status["version"] == 2

    with Running(tmp_path) as again:  # a restart keeps what was there, dev accounts too
        assert json.loads(get(f"{again.base}/api/v1/health")[2])["catalogue_version"] == 2
        auth = {"Authorization": f"Bearer {dev_token(again.base)}"}
        assert json.loads(get(f"{again.base}/api/v1/officer/catalogue", auth)[2])["version"] == 2


def test_the_token_command_needs_a_running_stack():
    out = subprocess.run([sys.executable, "-m", "infra.local", "token", "--url",
                          f"http://127.0.0.1:{free_port()}"], cwd=ROOT, capture_output=True,
                         text=True, timeout=60)
    assert out.returncode == 1 and "make run" in out.stderr and out.stdout == ""


def test_the_emulator_keeps_no_copies_of_tables_after_transactions(settings):
    """moto tracks every model instance it makes, and a transaction deep-copies whole tables
    for its rollback: tracked, each copy would stay alive (the fuzzers grew past 18 GB)."""
    from moto.core.base_backend import model_data

    from functions.core import store

    for n in range(3):
        store.audit_only(settings, {"actor": "emulator-test", "action": "probe", "target": str(n),
                                    "result": "ok", "request_id": None, "at": "2026-12-01T00:00"})
    kept = {name: len(cls.instances_tracked) for name, cls in model_data["dynamodb"].items()}
    assert not any(kept.values()), kept


def test_a_cancelled_transaction_writes_nothing_and_copies_no_table(settings, monkeypatch):
    """The emulator keeps a journal of the items a transaction names instead of deep-copying
    whole tables (most of the suite's time at a few thousand items); a cancelled transaction
    still leaves every item as it was."""
    from moto.dynamodb.models.table import Table

    from functions.core import aws

    copies = []
    monkeypatch.setattr(Table, "__deepcopy__", lambda self, memo: copies.append(self) or self,
                        raising=False)
    ddb, name = aws.client("dynamodb", settings), settings.table_name

    def key(sk):
        return {"pk": {"S": "EMULATOR#journal"}, "sk": {"S": sk}}

    ddb.put_item(TableName=name, Item={**key("kept"), "n": {"N": "1"}})
    ddb.put_item(TableName=name, Item={**key("gone"), "n": {"N": "1"}})
    ops = [
        {"Put": {"TableName": name, "Item": {**key("new"), "n": {"N": "1"}}}},
        {"Update": {"TableName": name, "Key": key("kept"), "UpdateExpression": "SET n = :two",
                    "ExpressionAttributeValues": {":two": {"N": "2"}}}},
        {"Delete": {"TableName": name, "Key": key("gone")}},
        {"ConditionCheck": {"TableName": name, "Key": key("absent"),
                            "ConditionExpression": "attribute_exists(pk)"}},
    ]
    with pytest.raises(ddb.exceptions.TransactionCanceledException):
        ddb.transact_write_items(TransactItems=ops)
    rows = ddb.query(TableName=name, KeyConditionExpression="pk = :p",
                     ExpressionAttributeValues={":p": {"S": "EMULATOR#journal"}})["Items"]
    assert {(r["sk"]["S"], r["n"]["N"]) for r in rows} == {("kept", "1"), ("gone", "1")}
    ddb.transact_write_items(TransactItems=ops[:3])
    rows = ddb.query(TableName=name, KeyConditionExpression="pk = :p",
                     ExpressionAttributeValues={":p": {"S": "EMULATOR#journal"}})["Items"]
    assert {(r["sk"]["S"], r["n"]["N"]) for r in rows} == {("kept", "2"), ("new", "1")}
    assert copies == []
