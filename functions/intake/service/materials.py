"""Materials after upload: the malware scan (queued on attach, run by the worker), the scan
status shown on each material, the rules on infected ones, and the officer's audited view of a
clean one through a short-lived presigned GET from the materials bucket."""
from __future__ import annotations

import logging
import tempfile
from datetime import datetime
from pathlib import Path

from ...core import clock
from ...core.errors import Conflict, NotFound, RuleError
from ...core.store import audit_only, audit_record, enqueue
from .. import scan, store

logger = logging.getLogger("hall.intake")
SCAN_JOB = "intake.scan_material"
VIEW_SECONDS = 120   # long enough to load an image or a PDF, too short to pass the link on


class ScanFailed(RuntimeError):
    """The scan could not run: recorded as failed, and the job is retried by the queue."""


def upload_id(key: str) -> str:
    return key.rsplit("/", 1)[-1]


def with_scans(materials: dict, scans: dict[str, dict]) -> dict:
    """Each uploaded material with the status of its scan (pending until a verdict)."""
    return {name: ({**m, "scan": scans.get(upload_id(m["key"]), {}).get("status",
                                                                          scan.PENDING)}
                   if m.get("kind") == "upload" else m)
            for name, m in materials.items()}


def infected(materials: dict, scans: dict[str, dict]) -> list[str]:
    return [name for name, m in with_scans(materials, scans).items()
            if m.get("scan") == scan.INFECTED]


def refuse_infected(settings, app: dict) -> None:
    """No submission, acceptance or approval while a material is infected: a 422 naming
    `materials`, the applicant replaces the file."""
    bad = infected(app["materials"], store.scans(settings, app["id"]))
    if bad:
        raise RuleError("materials", "Some materials failed the malware scan; upload them "
                        "again.", fields={"materials": [
                            f"infected: {m} (文件未通过病毒扫描，请重新上传)" for m in bad]})


def scan_pending(settings, app: dict, material: str, entry: dict, *, at: str) -> list[dict]:
    """The pending scan record of a newly attached upload, for the attach transaction (none
    when this upload already has one: attaching it again keeps its verdict)."""
    if entry.get("kind") != "upload" or store.scan_of(settings, app["id"],
                                                      upload_id(entry["key"])):
        return []
    return [store.scan_put(settings.table_name, app["id"], upload_id(entry["key"]),
                           material=material, key=entry["key"], status=scan.PENDING, at=at)]


def queue_scan(settings, app_id: str, material: str, entry: dict) -> None:
    """After the attach is written: the scan job, while its record is still pending (so
    attaching a file again also queues a scan that got lost)."""
    if entry.get("kind") != "upload":
        return
    record = store.scan_of(settings, app_id, upload_id(entry["key"]))
    if record and record["status"] == scan.PENDING:
        enqueue(settings, SCAN_JOB, app_id=app_id, material=material, key=entry["key"])


def scan_material(settings, job: dict) -> dict:
    """The queue job: scan one upload with ClamAV and record the verdict with its audit
    record. Safe to run twice: a decided record is left alone. A scan that could not run is
    recorded as failed and raised, so the queue tries it again (then its dead-letter queue)."""
    app_id, key, material = job["app_id"], job["key"], job["material"]
    record = store.scan_of(settings, app_id, upload_id(key))
    if record is None or record["status"] in (scan.CLEAN, scan.INFECTED):
        return {"status": record["status"] if record else "unknown", "changed": False}
    with tempfile.TemporaryDirectory(prefix="scan-") as tmp:
        path = Path(tmp) / "material"
        verdict = (scan.scan_file(settings, path) if store.download(settings, key, path)
                   else scan.Verdict(scan.FAILED, detail="the upload is gone"))
    at = clock.iso()
    changed = store.record_scan(
        settings, store.scan_put(settings.table_name, app_id, upload_id(key), material=material,
                                 key=key, status=verdict.status, at=at,
                                 signature=verdict.signature,
                                 only_if=(scan.PENDING, scan.FAILED)),
        audit=audit_record(None, "material.scan", app_id, at=at, result=verdict.status,
                           detail={"upload": upload_id(key), "signature": verdict.signature,
                                   "error": verdict.detail}))
    logger.info("material scanned", extra={"application": app_id, "upload": upload_id(key),
                                           "scan": verdict.status, "changed": changed})
    if verdict.status == scan.FAILED:
        raise ScanFailed(f"scan of {upload_id(key)} failed: {verdict.detail}")
    return {"status": verdict.status, "changed": changed}


def view_material(settings, who, app_id: str, upload: str, *, now: datetime) -> dict:
    """An officer of the handling department and region opens a clean material: a presigned
    GET valid for VIEW_SECONDS, each one audited. Pending, failed or infected: a 409."""
    app = store.handled(settings, app_id, who.department, who.region)
    found = [(name, m) for name, m in app["materials"].items()
             if m.get("kind") == "upload" and upload_id(m["key"]) == upload]
    if not found:
        raise NotFound("No such uploaded material in this application.")
    name, entry = found[0]
    status = (store.scan_of(settings, app_id, upload) or {}).get("status", scan.PENDING)
    if status != scan.CLEAN:
        raise Conflict(f"This material cannot be opened: its malware scan is {status}.",
                       details={"scan": status})
    content_type = entry["content_type"].split(";")[0]
    audit_only(settings, audit_record(who, "application.material_view", app_id,
                                      at=clock.iso(now), subject=app["owner"],
                                      detail={"material": name, "upload": upload}))
    return {"material": name, "content_type": content_type, "expires_in": VIEW_SECONDS,
            "url": store.presign_view(settings, entry["key"], content_type, VIEW_SECONDS)}
