"""Backup and restore (infra/backup.py): a stack with a registered citizen, an application with
a material in S3 and a licence is exported; a FRESH emulator with the same template deployed
gets the restore; every item and object comes back byte for byte, and the citizen logs in on
the restored stack and reveals the sealed ID number, which equals the original.

Both emulators run in subprocesses: moto's backends are per process, so an emulator started in
this process would share the session stack's tables and not be fresh. Phones 1990330xxxx."""
from __future__ import annotations

import json
import re
import secrets
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from infra import backup, local
from tests.helpers import ok
from tests.intake.factories import CARD, CARD_FORM, filled

ROOT = Path(__file__).resolve().parents[2]
PASSPHRASE = "Hakka-backup passphrase 2026"
PHONE = "19903300001"
PASSWORD = "Hakka-Tulou#2026"


class Emulator:
    """An emulator in a process of its own, with the template deployed."""

    def __init__(self):
        code = ("import sys; from infra import local; s, e = local.start_emulator(); "
                "print(e, flush=True); sys.stdin.read()")
        self.proc = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, text=True,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL)
        self.endpoint = self.proc.stdout.readline().strip()
        assert self.endpoint.startswith("http://127.0.0.1:"), self.endpoint
        self.outputs = local.deploy(self.endpoint)

    def settings(self, monkeypatch):
        from functions.settings import Settings

        for name, value in local.environment(self.endpoint, self.outputs).items():
            monkeypatch.setenv(name, value)
        return Settings.from_env()

    def target(self) -> backup.Target:
        return backup.Target(stage="local", region=local.REGION, endpoint=self.endpoint)

    def stop(self):
        self.proc.stdin.close()
        self.proc.wait(timeout=10)


def _forget_caches():
    """Key and read caches are per parameter or table name, which both stacks share."""
    from functions.core import keys
    from functions.hall import store as hall_store
    from functions.intake import service as intake_service
    from functions.pages import page
    from functions.pages import service as pages_service

    keys.forget()
    hall_store.forget_cache()
    page.forget()
    pages_service.forget()
    intake_service.forget()


@pytest.fixture
def emulators():
    local._fake_credentials()
    started: list[Emulator] = []
    _forget_caches()
    yield lambda: started.append(Emulator()) or started[-1]
    for emulator in started:
        if emulator.proc.poll() is None:
            emulator.stop()
    _forget_caches()


def _officer(settings, department: str, region: str) -> dict:
    """A bearer header of a real session of an officer of this stack."""
    from functions.core import clock
    from functions.core.auth import sign
    from functions.identity import store as identity_store

    subject = f"{department.lower()}-backup-officer"
    sid = identity_store.create_session(
        settings, account_id=subject, refresh_digest=secrets.token_hex(32), at=clock.iso(),
        ttl=int(clock.now().timestamp()) + 3600,
        audit={"actor": subject, "action": "login.test", "target": subject, "result": "ok",
               "request_id": None, "at": clock.iso()})
    body = {"sub": subject, "kind": "officer", "roles": ["officer"], "lvl": 3, "sid": sid,
            "dept": department, "region": region}
    return {"Authorization": f"Bearer {sign(settings, body)}"}


def _register(client, id_number: str) -> dict:
    ok(client.post("/api/v1/auth/codes", json={"phone": PHONE, "purpose": "register"}), 202)
    text = ok(client.get("/api/v1/dev/outbox", query_string={"phone": PHONE}))["items"][0]["text"]
    resp = client.post("/api/v1/auth/register", json={
        "name": "温备份", "id_number": id_number, "phone": PHONE, "password": PASSWORD,
        "code": re.search(r"\d{6}", text).group(0)})
    return {"Authorization": f"Bearer {ok(resp, 201)['access_token']}"}


def _populated(settings) -> dict:
    """The source stack: catalogue, a registered citizen, a submitted application with its
    materials in S3, a licence issued to the citizen."""
    from functions.app import create_app
    from functions.core import clock, keys
    from functions.hall import service as hall_service
    from functions.hall.cli import import_matters, read_matters, validate_rows
    from functions.identity import cn_ids

    keys.init_keys(settings, clock.now())
    # A slice of the seed catalogue keeps the stack small: the backup's code does not care.
    docs = validate_rows(read_matters(local.SEED / "matters.json"))
    import_matters(settings, [d for d in docs if d["department"] in ("RSJ", "MZJ")],
                   actor="backup-test")
    hall_service.publish(settings, actor="backup-test", at=clock.iso())
    client = create_app(settings).test_client()
    id_number = cn_ids.make_id_number("441427", date(1979, 4, 1), 330)
    citizen = _register(client, id_number)
    me = ok(client.get("/api/v1/me", headers=citizen))
    assert me["id_number"] != id_number  # masked unless revealed
    app = filled(client, citizen, CARD, CARD_FORM)
    ok(client.post(f"/api/v1/applications/{app['id']}/submit", headers=citizen))
    licence = ok(client.post("/api/v1/officer/licences",
                             headers=_officer(settings, "MZJ", "441402"), json={
                                 "type": "marriage_cert", "holder_kind": "person",
                                 "holder_id": me["id"],
                                 "fields": {"spouse_name": "王美玲",
                                            "spouse_id_number": "441402199001011234",
                                            "registered_on": "2026-05-20"}}), 201)
    return {"id_number": id_number, "account": me["id"], "app": app["id"],
            "licence": licence["id"]}


def _snapshot(target: backup.Target) -> tuple[list, list, dict]:
    items = sorted(json.dumps(i, sort_keys=True, ensure_ascii=False) for i in target.items())
    objects = sorted((b, k, json.dumps(head, sort_keys=True), body)
                     for b, k, head, body in target.objects())
    return items, objects, target.parameters()


def test_a_restore_brings_every_item_object_and_key_back(emulators, monkeypatch, tmp_path):
    source = emulators()
    settings = source.settings(monkeypatch)
    made = _populated(settings)
    out = tmp_path / "backup"
    monkeypatch.setenv(backup.PASSPHRASE_ENV, PASSPHRASE)
    assert backup.main(["export", "--out", str(out), "--endpoint", source.endpoint]) == 0
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    before = _snapshot(source.target())
    assert manifest["table"]["count"] == len(before[0]) > 100
    assert manifest["objects"]["by_bucket"]["MaterialsBucket"] >= 1
    assert manifest["objects"]["by_bucket"]["CatalogueBucket"] >= 1
    # The keys are never in the clear next to the data.
    key_doc = json.loads(before[2]["/hall/local/data-keys"]["value"])
    for path in out.rglob("*"):
        if path.is_file():
            raw = path.read_bytes()
            assert key_doc["enc"].encode() not in raw and key_doc["hash"].encode() not in raw
            assert b"PRIVATE KEY" not in raw, path
    assert made["id_number"].encode() not in (out / "table.jsonl").read_bytes()  # sealed
    source.stop()
    _forget_caches()

    fresh = emulators()
    target = fresh.target()
    assert not list(target.items())
    # A wrong passphrase fails clearly, before anything is written.
    monkeypatch.setenv(backup.PASSPHRASE_ENV, "not the passphrase")
    with pytest.raises(backup.BackupError, match="wrong backup passphrase"):
        backup.restore(target, out, "not the passphrase")
    assert backup.main(["restore", "--from", str(out), "--endpoint", fresh.endpoint]) == 2
    assert not list(target.items()) and not target.parameters()
    monkeypatch.setenv(backup.PASSPHRASE_ENV, PASSPHRASE)
    assert backup.main(["restore", "--from", str(out), "--endpoint", fresh.endpoint]) == 0
    after = _snapshot(target)
    assert after[0] == before[0]          # every item, attribute for attribute
    assert after[1] == before[1]          # every object: bytes, type, encoding, metadata
    assert after[2] == before[2]          # every key
    # A restore into a stack that is not fresh is refused.
    with pytest.raises(backup.BackupError, match="not empty"):
        backup.restore(target, out, PASSPHRASE)

    # The restored stack on its own: a real password login, an audited reveal.
    from functions.app import create_app
    from functions.core import clock
    from functions.core import store as core_store

    settings = fresh.settings(monkeypatch)
    client = create_app(settings).test_client()
    tokens = ok(client.post("/api/v1/auth/login", json={"phone": PHONE, "password": PASSWORD}))
    me = ok(client.get("/api/v1/me", query_string={"reveal": "id_number"},
                       headers={"Authorization": f"Bearer {tokens['access_token']}"}))
    assert me["id"] == made["account"] and me["id_number"] == made["id_number"]
    rows, _ = core_store.audit_query(settings, day=clock.iso()[:10], actor=made["account"],
                                     action="account.reveal", limit=50, start=None)
    assert rows and rows[-1]["result"] == "ok"
    headers = {"Authorization": f"Bearer {tokens['access_token']}"}
    assert ok(client.get(f"/api/v1/applications/{made['app']}", headers=headers))["id"] \
        == made["app"]
    assert ok(client.get(f"/api/v1/wallet/{made['licence']}", headers=headers))["id"] \
        == made["licence"]


def test_verify_finds_an_altered_backup(tmp_path):
    """verify (run first by restore) catches a changed item, object or key file."""
    src = tmp_path / "b"
    (src / "blobs").mkdir(parents=True)
    body = b"%PDF-1.4 backup"
    sha = backup.hashlib.sha256(body).hexdigest()
    (src / "blobs" / sha).write_bytes(body)
    lines = ['{"pk":{"S":"A"},"sk":{"S":"1"}}', '{"pk":{"S":"B"},"sk":{"S":"1"}}']
    (src / "table.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    rows = [{"bucket": "MaterialsBucket", "key": "uploads/x", "size": len(body), "sha256": sha,
             "content_type": "application/pdf", "content_encoding": None,
             "cache_control": None, "metadata": {}}]
    (src / "objects.jsonl").write_text(backup._canonical(rows[0]) + "\n", encoding="utf-8")
    blob = backup.seal_keys({"/hall/local/data-keys": {"value": "{}", "type": "SecureString"}},
                            PASSPHRASE)
    (src / "keys.enc").write_bytes(blob)
    manifest = {"format": backup.FORMAT, "stage": "local", "created": "2026-12-02T00:00:00",
                "table": {"name": "t", "count": 2, "sha256": backup.item_set_digest(lines)},
                "objects": {"count": 1, "sha256": backup._digest_objects(rows),
                            "by_bucket": {"MaterialsBucket": 1}},
                "keys": {"file": "keys.enc", "sha256": backup.hashlib.sha256(blob).hexdigest()}}
    (src / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    assert backup.verify(src)["table"]["count"] == 2
    assert backup.open_keys(blob, PASSPHRASE)["/hall/local/data-keys"]["value"] == "{}"

    for name, change in (("table.jsonl", lambda p: p.write_text(lines[0] + "\n")),
                         ("blob", lambda p: p.write_bytes(body + b"!")),
                         ("keys.enc", lambda p: p.write_bytes(blob[:-4] + b"AAAA"))):
        copy = tmp_path / name
        shutil.copytree(src, copy)
        change(copy / ("blobs/" + sha if name == "blob" else name))
        with pytest.raises(backup.BackupError):
            backup.verify(copy)
