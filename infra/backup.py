"""Backup and restore of a stage: the main table, every bucket, and the keys on their own.

    python -m infra.backup export --out DIR  [--stage local] [--endpoint URL] [--region R]
    python -m infra.backup restore --from DIR [--stage local] [--endpoint URL] [--region R]
    python -m infra.backup verify --from DIR

The passphrase of the key backup comes from HALL_BACKUP_PASSPHRASE (or --passphrase-file).

DIR holds:
  manifest.json  counts and SHA-256 digests of the item set, of every object, of the key file
  table.jsonl    every item of the main table, DynamoDB JSON, one a line (a paged Scan)
  objects.jsonl  every object of every bucket: its logical bucket (the template's output name,
                 since bucket names differ between accounts), key, content type, encoding,
                 cache control, metadata, size and SHA-256
  blobs/<sha256> the objects' bytes, stored by their digest
  keys.enc       the SSM parameters under /hall/<stage>/ (token and licence keyrings, the data
                 sealing and hashing keys, SMS keys): AES-256-GCM under a key derived from the
                 passphrase with scrypt. Never written in the clear: whoever holds DIR without
                 the passphrase holds sealed personal data and public keys only.

Only current object versions are exported: the buckets' versioning and the table's
point-in-time recovery (both in infra/template.yaml) keep the history inside AWS; this backup
is the copy that survives losing the account or the region. A restore goes into a FRESH stack
(the same template deployed, nothing written yet): it refuses a table that has items, decrypts
the keys before it writes anything, and verifies the result against the manifest.
"""
from __future__ import annotations

import argparse
import base64
import hashlib
import json
import os
import secrets
import sys
from datetime import UTC, datetime
from pathlib import Path

FORMAT = "hall-backup/1"
PASSPHRASE_ENV = "HALL_BACKUP_PASSPHRASE"
# scrypt at 2^15 x 8: about 32 MB and a tenth of a second, once per export or restore.
SCRYPT = {"n": 2 ** 15, "r": 8, "p": 1}


class BackupError(Exception):
    """A backup that cannot be read, does not match its manifest, or a target not fresh."""


# ---- the pieces, pure ------------------------------------------------------------------------

def _canonical(item: dict) -> str:
    return json.dumps(item, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def item_set_digest(lines: list[str]) -> str:
    """SHA-256 of an item set, independent of the order a Scan returned it in."""
    digest = hashlib.sha256()
    for line in sorted(lines):
        digest.update(line.encode())
        digest.update(b"\n")
    return digest.hexdigest()


def _key_from(passphrase: str, salt: bytes, params: dict) -> bytes:
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    if not passphrase:
        raise BackupError(f"no backup passphrase: set {PASSPHRASE_ENV} or --passphrase-file")
    return Scrypt(salt=salt, length=32, **params).derive(passphrase.encode())


def seal_keys(params: dict[str, dict], passphrase: str) -> bytes:
    """The key file: a JSON header (kdf, salt, nonce) and the AES-GCM ciphertext of the
    parameters, the header being the associated data."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    salt, nonce = secrets.token_bytes(16), secrets.token_bytes(12)
    header = {"format": FORMAT, "kdf": "scrypt", **SCRYPT, "cipher": "AES-256-GCM",
              "salt": base64.b64encode(salt).decode(), "nonce": base64.b64encode(nonce).decode()}
    head = json.dumps(header, sort_keys=True).encode()
    body = AESGCM(_key_from(passphrase, salt, SCRYPT)).encrypt(
        nonce, json.dumps(params, sort_keys=True).encode(), head)
    return head + b"\n" + base64.b64encode(body)


def open_keys(blob: bytes, passphrase: str) -> dict[str, dict]:
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    try:
        head, body = blob.split(b"\n", 1)
        header = json.loads(head)
        salt = base64.b64decode(header["salt"])
        nonce = base64.b64decode(header["nonce"])
        params = {k: header[k] for k in ("n", "r", "p")}
    except (ValueError, KeyError) as err:
        raise BackupError("the key backup is not a hall key backup") from err
    try:
        plain = AESGCM(_key_from(passphrase, salt, params)).decrypt(
            nonce, base64.b64decode(body), head)
    except InvalidTag:
        raise BackupError("wrong backup passphrase (or a damaged key backup): the keys "
                          "cannot be decrypted, nothing was restored") from None
    return json.loads(plain)


# ---- where a stage lives ---------------------------------------------------------------------

class Target:
    """The stage's resources: the stack's outputs and the boto3 clients to reach them."""

    def __init__(self, *, stage: str, region: str, endpoint: str | None = None,
                 stack: str | None = None, outputs: dict | None = None):
        import boto3
        from botocore.config import Config

        cfg = Config(retries={"max_attempts": 8, "mode": "adaptive"}, read_timeout=120)
        self.stage = stage

        def client(name):
            return boto3.client(name, region_name=region, endpoint_url=endpoint, config=cfg)

        self.ddb, self.s3, self.ssm = client("dynamodb"), client("s3"), client("ssm")
        if outputs is None:
            found = client("cloudformation").describe_stacks(
                StackName=stack or f"hall-{stage}")["Stacks"][0]
            outputs = {o["OutputKey"]: o["OutputValue"] for o in found.get("Outputs", [])}
        self.table = outputs["TableName"]
        self.buckets = {k: v for k, v in sorted(outputs.items()) if k.endswith("Bucket")}
        self.prefix = f"/hall/{stage}/"

    def items(self):
        for page in self.ddb.get_paginator("scan").paginate(TableName=self.table,
                                                            ConsistentRead=True):
            yield from page["Items"]

    def objects(self):
        """(logical bucket, key, head fields, body) of every current object."""
        for name, bucket in self.buckets.items():
            for page in self.s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
                for obj in page.get("Contents", []):
                    got = self.s3.get_object(Bucket=bucket, Key=obj["Key"])
                    head = {"content_type": got.get("ContentType"),
                            "content_encoding": got.get("ContentEncoding"),
                            "cache_control": got.get("CacheControl"),
                            "metadata": got.get("Metadata") or {}}
                    yield name, obj["Key"], head, got["Body"].read()

    def parameters(self) -> dict[str, dict]:
        out = {}
        for page in self.ssm.get_paginator("get_parameters_by_path").paginate(
                Path=self.prefix, Recursive=True, WithDecryption=True):
            for p in page["Parameters"]:
                out[p["Name"]] = {"value": p["Value"], "type": p["Type"]}
        return out


# ---- export, verify, restore -----------------------------------------------------------------

def _digest_objects(rows: list[dict]) -> str:
    return item_set_digest([_canonical(r) for r in rows])


def export(target: Target, out: Path, passphrase: str) -> dict:
    """Write the backup of `target` into `out` (created; must be empty); returns the manifest."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    if any(out.iterdir()):
        raise BackupError(f"{out} is not empty")
    keys_blob = seal_keys(target.parameters(), passphrase)  # first: no passphrase, no backup
    (out / "keys.enc").write_bytes(keys_blob)
    lines = []
    with (out / "table.jsonl").open("w", encoding="utf-8") as table:
        for item in target.items():
            line = _canonical(item)
            lines.append(line)
            table.write(line + "\n")
    (out / "blobs").mkdir()
    rows = []
    for bucket, key, head, body in target.objects():
        sha = hashlib.sha256(body).hexdigest()
        (out / "blobs" / sha).write_bytes(body)
        rows.append({"bucket": bucket, "key": key, "size": len(body), "sha256": sha, **head})
    rows.sort(key=lambda r: (r["bucket"], r["key"]))
    (out / "objects.jsonl").write_text("".join(_canonical(r) + "\n" for r in rows),
                                       encoding="utf-8")
    manifest = {
        "format": FORMAT, "stage": target.stage,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "table": {"name": target.table, "count": len(lines), "sha256": item_set_digest(lines)},
        "objects": {"count": len(rows), "sha256": _digest_objects(rows),
                    "by_bucket": {b: sum(r["bucket"] == b for r in rows)
                                  for b in target.buckets}},
        "keys": {"file": "keys.enc", "sha256": hashlib.sha256(keys_blob).hexdigest()},
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n",
                                       encoding="utf-8")
    return manifest


def verify(src: Path) -> dict:
    """Check every file of a backup against its manifest; returns the manifest."""
    src = Path(src)
    try:
        manifest = json.loads((src / "manifest.json").read_text(encoding="utf-8"))
        lines = (src / "table.jsonl").read_text(encoding="utf-8").splitlines()
        rows = [json.loads(r) for r in
                (src / "objects.jsonl").read_text(encoding="utf-8").splitlines()]
        keys_blob = (src / "keys.enc").read_bytes()
    except (OSError, ValueError) as err:
        raise BackupError(f"{src} is not a complete backup: {err}") from err
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown backup format {manifest.get('format')!r}")
    problems = []
    if (len(lines), item_set_digest(lines)) != (manifest["table"]["count"],
                                                manifest["table"]["sha256"]):
        problems.append("table.jsonl differs from the manifest")
    if (len(rows), _digest_objects(rows)) != (manifest["objects"]["count"],
                                              manifest["objects"]["sha256"]):
        problems.append("objects.jsonl differs from the manifest")
    for row in rows:
        blob = src / "blobs" / row["sha256"]
        if not blob.exists() or hashlib.sha256(blob.read_bytes()).hexdigest() != row["sha256"]:
            problems.append(f"object {row['bucket']}/{row['key']}: bytes missing or altered")
    if hashlib.sha256(keys_blob).hexdigest() != manifest["keys"]["sha256"]:
        problems.append("keys.enc differs from the manifest")
    if problems:
        raise BackupError("; ".join(problems[:5]))
    return manifest


def restore(target: Target, src: Path, passphrase: str) -> dict:
    """Load a verified backup into a fresh stack, then check the stack against the manifest.
    Returns what was restored (counts)."""
    src = Path(src)
    manifest = verify(src)
    params = open_keys((src / "keys.enc").read_bytes(), passphrase)  # before any write
    if target.ddb.scan(TableName=target.table, Limit=1, Select="COUNT")["Count"]:
        raise BackupError(f"table {target.table} is not empty: restore into a fresh stack")
    missing = set(manifest["objects"]["by_bucket"]) - set(target.buckets)
    if missing:
        raise BackupError(f"the target stack has no bucket for {sorted(missing)}")
    for name, p in sorted(params.items()):
        target.ssm.put_parameter(Name=target.prefix + name[len(f"/hall/{manifest['stage']}/"):],
                                 Value=p["value"], Type=p["type"], Overwrite=True)
    items = [json.loads(line) for line in
             (src / "table.jsonl").read_text(encoding="utf-8").splitlines()]
    for i in range(0, len(items), 25):
        _write_batch(target, items[i:i + 25])
    rows = [json.loads(r) for r in (src / "objects.jsonl").read_text(encoding="utf-8").splitlines()]
    for row in rows:
        extra = {k: v for k, v in (("ContentType", row["content_type"]),
                                   ("ContentEncoding", row["content_encoding"]),
                                   ("CacheControl", row["cache_control"])) if v}
        target.s3.put_object(Bucket=target.buckets[row["bucket"]], Key=row["key"],
                             Body=(src / "blobs" / row["sha256"]).read_bytes(),
                             Metadata=row["metadata"], **extra)
    check(target, manifest)
    return {"items": len(items), "objects": len(rows), "keys": len(params)}


def _write_batch(target: Target, items: list[dict]) -> None:
    import time

    request = {target.table: [{"PutRequest": {"Item": it}} for it in items]}
    for attempt in range(10):
        request = target.ddb.batch_write_item(RequestItems=request).get("UnprocessedItems")
        if not request:
            return
        time.sleep(min(2.0, 0.05 * 2 ** attempt))
    raise BackupError("the table kept refusing writes (throttled): run the restore again "
                      "into a fresh stack")


def check(target: Target, manifest: dict) -> None:
    """The stack now holds exactly the manifest's items and objects."""
    lines = [_canonical(item) for item in target.items()]
    if (len(lines), item_set_digest(lines)) != (manifest["table"]["count"],
                                                manifest["table"]["sha256"]):
        raise BackupError(f"the restored table differs from the backup ({len(lines)} items, "
                          f"{manifest['table']['count']} expected)")
    rows = sorted(({"bucket": b, "key": k, "size": len(body),
                    "sha256": hashlib.sha256(body).hexdigest(), **head}
                   for b, k, head, body in target.objects()),
                  key=lambda r: (r["bucket"], r["key"]))
    if _digest_objects(rows) != manifest["objects"]["sha256"]:
        raise BackupError(f"the restored objects differ from the backup ({len(rows)} objects, "
                          f"{manifest['objects']['count']} expected)")


# ---- the command -----------------------------------------------------------------------------

def _passphrase(args) -> str:
    if args.passphrase_file:
        return Path(args.passphrase_file).read_text(encoding="utf-8").strip()
    return os.environ.get(PASSPHRASE_ENV, "")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m infra.backup")
    parser.add_argument("command", choices=["export", "restore", "verify"])
    parser.add_argument("--out", type=Path, help="export: the new backup directory")
    parser.add_argument("--from", dest="src", type=Path, help="restore/verify: a backup")
    parser.add_argument("--stage", default=os.environ.get("HALL_STAGE", "local"))
    parser.add_argument("--stack", help="the stack's name (default hall-<stage>, "
                                        "hall-local for the local stack)")
    parser.add_argument("--region", default=os.environ.get("AWS_REGION")
                        or os.environ.get("AWS_DEFAULT_REGION") or "ap-east-1")
    parser.add_argument("--endpoint", default=os.environ.get("HALL_AWS_ENDPOINT") or None,
                        help="an emulator's URL (default for the local stage: the running "
                             "stack's, from .local/emulator-port)")
    parser.add_argument("--passphrase-file", help=f"else ${PASSPHRASE_ENV}")
    args = parser.parse_args(argv)
    try:
        if args.command == "verify":
            manifest = verify(args.src or parser.error("--from DIR"))
            print(json.dumps({"table": manifest["table"]["count"],
                              "objects": manifest["objects"]["count"]}))
            return 0
        endpoint = args.endpoint
        port = Path(__file__).resolve().parent.parent / ".local" / "emulator-port"
        if not endpoint and args.stage == "local" and port.exists():  # the running `make run`
            endpoint = f"http://127.0.0.1:{port.read_text(encoding='utf-8').strip()}"
        target = Target(stage=args.stage, region=args.region, endpoint=endpoint,
                        stack=args.stack)
        if args.command == "export":
            manifest = export(target, args.out or parser.error("--out DIR"), _passphrase(args))
            print(json.dumps({"items": manifest["table"]["count"],
                              "objects": manifest["objects"]["count"], "out": str(args.out)}))
        else:
            print(json.dumps(restore(target, args.src or parser.error("--from DIR"),
                                     _passphrase(args))))
    except BackupError as err:
        print(f"backup: {err}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
