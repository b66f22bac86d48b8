"""Materials after upload: every upload scanned by ClamAV (the project's test signatures) through
the queue job before anyone opens it; officers of the handling department open clean ones
through a short-lived presigned GET, each view audited; infected ones block the application."""
from __future__ import annotations

import itertools
import json
import shutil
from datetime import date
from urllib.parse import parse_qs, urlparse

import jsonschema
import pytest
import requests

from functions import workers
from functions.core import aws, clock
from functions.intake import scan
from functions.intake.service import materials
from tests.helpers import SPEC, audit_rows, ok
from tests.intake.factories import CARD, CARD_FORM, upload

# The EICAR anti-virus test file, put together here so this source file is no test file itself.
EICAR = ("X5O!P%@AP[4\\PZX54(P^)7CC" + ")7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*").encode()
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360f8cf00000301010018dd8db00000000049454e44ae426082")
# What the applicant types; name, ID number and phone come from the verified account.
FORM = {k: v for k, v in CARD_FORM.items() if k not in ("applicant_name", "id_number", "phone")}
_seq = itertools.count(1)


@pytest.fixture(autouse=True)
def _needs_clamscan():
    assert shutil.which("clamscan"), "clamscan is missing: `make .system-deps` installs clamav"


@pytest.fixture
def applicant(settings, token):
    """A fresh level-2 citizen (phones 1990054xxxx) and their Authorization header."""
    from functions.identity import cn_ids
    from functions.identity.cli import create_staff

    n = next(_seq)
    account = create_staff(settings, kind="citizen", name="陈思",
                           id_number=cn_ids.make_id_number("441402", date(1988, 6, 6), 300 + n),
                           phone=f"1990054{n:04d}", password="Meizhou-2026!", roles=[])
    return token("citizen", subject=account["id"], kind="citizen", lvl=2)


def _draft(client, headers, *, content=PDF, ctype="application/pdf"):
    """A draft of 社会保障卡申领 (RSJ, city level) with every material uploaded: the first one
    with `content`. Returns the application as the attach answered and the first material."""
    app = ok(client.post("/api/v1/applications", headers=headers,
                         json={"matter": CARD, "form": FORM}), 201)
    names = [m["name"] for m in ok(client.get(f"/api/v1/matters/{CARD}"))["materials"]]
    for i, name in enumerate(names):
        key = upload(client, headers, app["id"], name, content=content if i == 0 else PDF,
                     ctype=ctype if i == 0 else "application/pdf")
        app = ok(client.post(f"/api/v1/applications/{app['id']}/materials", headers=headers,
                             json={"material": name, "upload_key": key}))
    return app, names[0]


def _queued_scans(settings, app_id: str) -> list[dict]:
    """The scan jobs on the queue (taken off it: the test runs them itself); those of this
    application as SQS records. Other rooms' jobs stay where they are."""
    sqs = aws.client("sqs", settings)
    records = []
    for _ in range(50):
        got = sqs.receive_message(QueueUrl=settings.queue_url, MaxNumberOfMessages=10,
                                  WaitTimeSeconds=0, VisibilityTimeout=0).get("Messages", [])
        scans = [m for m in got if json.loads(m["Body"]).get("job") == materials.SCAN_JOB]
        if not scans:
            break
        for m in scans:
            sqs.delete_message(QueueUrl=settings.queue_url, ReceiptHandle=m["ReceiptHandle"])
            if json.loads(m["Body"])["app_id"] == app_id:
                records.append({"messageId": m["MessageId"], "body": m["Body"],
                                "eventSource": "aws:sqs"})
    return records


def _run_scans(settings, app_id: str, expect: int) -> dict:
    records = _queued_scans(settings, app_id)
    assert len(records) == expect, records
    return workers.handle_queue({"Records": records})


def _conforms(body: dict, component: str) -> dict:
    """The body against the contract's component schema (the responses of the new route)."""
    jsonschema.Draft202012Validator({**SPEC, "$ref": f"#/components/schemas/{component}"}
                                    ).validate(body)
    return body


def _upload_id(app: dict, name: str) -> str:
    return app["materials"][name]["key"].rsplit("/", 1)[-1]


def _view(client, headers, app_id, upload_id):
    return client.post(f"/api/v1/officer/applications/{app_id}/materials/{upload_id}/view",
                       headers=headers)


def test_the_eicar_file_is_found_infected_and_never_opens(client, applicant, rsj, settings):
    app, first = _draft(client, applicant, content=EICAR)
    assert {m["scan"] for m in app["materials"].values()} == {"pending"}
    up = _upload_id(app, first)
    # Pending: not openable, and the applicant sees it pending.
    pending = _conforms(ok(_view(client, rsj, app["id"], up), 409), "ScanError")
    assert pending["error"]["details"] == {"scan": "pending"}

    assert _run_scans(settings, app["id"], expect=len(app["materials"])) == {
        "batchItemFailures": []}
    mine = _conforms(ok(client.get(f"/api/v1/applications/{app['id']}", headers=applicant)),
                     "Application")
    assert mine["materials"][first]["scan"] == "infected"
    assert {m["scan"] for n, m in mine["materials"].items() if n != first} == {"clean"}
    record = ok(_view(client, rsj, app["id"], up), 409)
    assert record["error"]["details"] == {"scan": "infected"}
    # Submission is refused, naming the material; nothing changed.
    refused = ok(client.post(f"/api/v1/applications/{app['id']}/submit", headers=applicant), 422)
    assert refused["error"]["details"]["fields"]["materials"] == [
        f"infected: {first} (文件未通过病毒扫描，请重新上传)"]
    assert ok(client.get(f"/api/v1/applications/{app['id']}", headers=applicant))[
        "status"] == "draft"
    # The verdict names ClamAV's signature in the system's audit record.
    day = clock.iso()[:10]
    rows = audit_rows(settings, actor="system", action="material.scan", day=day)
    mine_rows = [r for r in rows if r["target"] == app["id"] and r["result"] == "infected"]
    assert [r["detail"]["signature"] for r in mine_rows] == ["Meizhou.Test.EICAR.UNOFFICIAL"]

    # Replacing the file with a clean one: scanned again, then it submits.
    key = upload(client, applicant, app["id"], first, content=PDF)
    again = ok(client.post(f"/api/v1/applications/{app['id']}/materials", headers=applicant,
                           json={"material": first, "upload_key": key}))
    assert again["materials"][first]["scan"] == "pending"
    _run_scans(settings, app["id"], expect=1)
    ok(client.post(f"/api/v1/applications/{app['id']}/submit", headers=applicant))


def test_acceptance_is_refused_while_a_material_is_infected(client, applicant, rsj, settings):
    """The scan may finish after submission: the officer cannot accept, and returns it."""
    app, first = _draft(client, applicant, content=b"%PDF-1.4 MEIZHOU-HALL-MALWARE-TEST-MARKER")
    ok(client.post(f"/api/v1/applications/{app['id']}/submit", headers=applicant))
    _run_scans(settings, app["id"], expect=len(app["materials"]))
    refused = ok(client.post(f"/api/v1/officer/applications/{app['id']}/actions", headers=rsj,
                             json={"action": "accept"}), 422)
    assert list(refused["error"]["details"]["fields"]) == ["materials"]
    seen = ok(client.get(f"/api/v1/officer/applications/{app['id']}", headers=rsj))
    assert seen["status"] == "submitted" and seen["materials"][first]["scan"] == "infected"
    returned = ok(client.post(f"/api/v1/officer/applications/{app['id']}/actions", headers=rsj,
                              json={"action": "return", "items": [first]}))
    assert returned["status"] == "returned"


def test_a_clean_material_opens_inline_for_the_handling_department_only(
        client, applicant, rsj, scj, token, settings):
    app, first = _draft(client, applicant, content=PNG, ctype="image/png")
    _run_scans(settings, app["id"], expect=len(app["materials"]))
    up = _upload_id(app, first)
    got = _conforms(ok(_view(client, rsj, app["id"], up)), "MaterialView")
    assert got["material"] == first and got["content_type"] == "image/png"
    assert got["expires_in"] == materials.VIEW_SECONDS
    signed = parse_qs(urlparse(got["url"]).query)
    assert signed["X-Amz-Expires"] == [str(materials.VIEW_SECONDS)]  # short-lived, SigV4
    fetched = requests.get(got["url"], timeout=10)
    assert fetched.status_code == 200 and fetched.content == PNG
    assert fetched.headers["Content-Type"] == "image/png"
    assert fetched.headers.get("Content-Disposition") == "inline"
    # Another department, or the same department of another region: as if there were none.
    assert ok(_view(client, scj, app["id"], up), 404)["error"]["code"]
    county = token("officer", department="RSJ", region="441424", subject="rsj-wuhua")
    ok(_view(client, county, app["id"], up), 404)
    ok(_view(client, rsj, app["id"], "0" * 32), 404)
    ok(_view(client, applicant, app["id"], up), 403)  # not an officer at all
    # Each view is audited, with the material and the upload (the refused ones are not views).
    rows = audit_rows(settings, actor="rsj-officer", action="application.material_view")
    views = [r["detail"] for r in rows if r["target"] == app["id"]]
    assert views == [{"material": first, "upload": up}]
    ok(_view(client, rsj, app["id"], up))
    rows = audit_rows(settings, actor="rsj-officer", action="application.material_view")
    assert len([r for r in rows if r["target"] == app["id"]]) == 2


def test_a_scan_that_cannot_run_is_failed_retried_and_never_clean(
        client, applicant, rsj, settings, monkeypatch):
    app, first = _draft(client, applicant)
    records = _queued_scans(settings, app["id"])
    assert len(records) == len(app["materials"])
    up = _upload_id(app, first)
    mine = [r for r in records if json.loads(r["body"])["key"].endswith(up)]
    # No scanner: the job fails (the queue will deliver it again) and the material is failed.
    monkeypatch.setenv("HALL_CLAMSCAN", "/nonexistent/clamscan")
    assert workers.handle_queue({"Records": mine}) == {
        "batchItemFailures": [{"itemIdentifier": mine[0]["messageId"]}]}
    assert ok(_view(client, rsj, app["id"], up), 409)["error"]["details"] == {"scan": "failed"}
    # A database that does not load (clamscan exits 2) is a failure too, never a clean file.
    monkeypatch.setenv("HALL_CLAMSCAN", shutil.which("clamscan"))
    monkeypatch.setenv("HALL_CLAMAV_DB", "/nonexistent/db")
    with pytest.raises(materials.ScanFailed, match="exit 2"):
        workers.handle_job(settings, json.loads(mine[0]["body"]))
    # The redelivery with a working scanner decides it; a further copy changes nothing.
    monkeypatch.delenv("HALL_CLAMAV_DB")
    assert workers.handle_job(settings, json.loads(mine[0]["body"])) == {
        "status": "clean", "changed": True}
    assert workers.handle_job(settings, json.loads(mine[0]["body"])) == {
        "status": "clean", "changed": False}
    ok(_view(client, rsj, app["id"], up))


def test_attaching_the_same_upload_again_keeps_its_verdict(client, applicant, settings):
    app, first = _draft(client, applicant)
    _run_scans(settings, app["id"], expect=len(app["materials"]))
    key = app["materials"][first]["key"]
    again = ok(client.post(f"/api/v1/applications/{app['id']}/materials", headers=applicant,
                           json={"material": first, "upload_key": key}))
    assert again["materials"][first]["scan"] == "clean"
    assert _queued_scans(settings, app["id"]) == []  # nothing to scan again


def test_a_job_for_a_vanished_upload_fails_and_a_counter_material_has_no_scan(
        client, applicant, rsj, settings):
    app, first = _draft(client, applicant)
    records = _queued_scans(settings, app["id"])
    body = next(json.loads(r["body"]) for r in records
                if json.loads(r["body"])["key"] == app["materials"][first]["key"])
    aws.client("s3", settings).delete_object(Bucket=settings.materials_bucket, Key=body["key"])
    with pytest.raises(materials.ScanFailed, match="the upload is gone"):
        workers.handle_job(settings, body)
    assert ok(client.get(f"/api/v1/applications/{app['id']}", headers=applicant))[
        "materials"][first]["scan"] == "failed"
    assert materials.with_scans({"身份证": {"kind": "paper", "at": "x"}}, {}) == {
        "身份证": {"kind": "paper", "at": "x"}}


def test_clamscan_verdicts_with_the_shipped_signatures(settings, tmp_path):
    cases = {"eicar": (EICAR, "infected", "Meizhou.Test.EICAR.UNOFFICIAL"),
             "marker": (b"xx MEIZHOU-HALL-MALWARE-TEST-MARKER yy", "infected",
                        "Meizhou.Test.Marker.UNOFFICIAL"),
             "clean": (PDF, "clean", None)}
    for name, (content, status, signature) in cases.items():
        path = tmp_path / name
        path.write_bytes(content)
        verdict = scan.scan_file(settings, path)
        assert (verdict.status, verdict.signature) == (status, signature), name
    # The shipped signatures are loaded in the local stage only; elsewhere freshclam's.
    assert str(scan.TEST_SIGNATURES) in scan.command(settings, tmp_path / "f")
    deployed = type(settings)(stage="prod")
    assert "-d" not in scan.command(deployed, tmp_path / "f")
