"""API helpers for the identity tests: set up people and companies the test does not exercise.

Only tests read the dev outbox (it exists outside prod only); the app never does.
"""
import json
import re
import urllib.error
import urllib.request
import uuid


def call(base, method, path, body=None, token=None):
    """(status, json) of an API call, errors included."""
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(base + "/api/v1" + path, data=data, method=method,
                                 headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=30) as res:
            raw = res.read()
            return res.status, json.loads(raw) if raw else None
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read() or b"null")


def sms_code(base, phone):
    """The 6 digits of the newest text message to `phone`, from the dev outbox."""
    with urllib.request.urlopen(f"{base}/api/v1/dev/outbox?phone={phone}", timeout=10) as res:
        items = json.loads(res.read())["items"]
    assert items, f"no text message to {phone}"
    newest = max(items, key=lambda i: i["at"])
    return re.search(r"\d{6}", newest["text"]).group()


def login_tokens(base, person, password):
    """The tokens of a login, or None when the person has no account (yet)."""
    status, body = call(base, "POST", "/auth/login",
                        {"phone": person["phone"], "password": password})
    if status == 200:
        return body
    assert status == 401, (status, body)
    return None


def ensure_registered(base, person, password):
    """Tokens of `person`, registering them through the API first if needed."""
    tokens = login_tokens(base, person, password)
    if tokens:
        return tokens
    status, body = call(base, "POST", "/auth/codes",
                        {"phone": person["phone"], "purpose": "register"})
    assert status == 202, body
    status, body = call(base, "POST", "/auth/register", {
        **person, "password": password, "code": sms_code(base, person["phone"])})
    assert status == 201, body
    return body


def ensure_enterprise(base, tokens, uscc):
    status, body = call(base, "POST", "/enterprises", {"uscc": uscc}, tokens["access_token"])
    assert status in (201, 409), body


# ---- intake: applications filed and decided through the API (what a test does not exercise) ----

OFFICER_PHONE, OFFICER_PASSWORD = "13900000003", "Meizhou-2026!"  # infra/seed/staff.json (SCJGJ)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def act_for(base, tokens, uscc):
    """An access token acting for the enterprise `uscc` (the person must represent it)."""
    status, body = call(base, "POST", "/auth/switch",
                        {"act_as": {"kind": "enterprise", "id": uscc}}, tokens["access_token"])
    assert status == 200, body
    return body["access_token"]


def officer_token(base):
    """The demo SCJGJ officer's access token, through the second step (a code by text)."""
    return officer_tokens(base)["access_token"]


def officer_tokens(base):
    """The demo SCJGJ officer's tokens, through the second step (a code by text)."""
    status, body = call(base, "POST", "/auth/login",
                        {"phone": OFFICER_PHONE, "password": OFFICER_PASSWORD})
    assert status == 200 and body.get("mfa_required"), body
    status, body = call(base, "POST", "/auth/login/verify", {
        "challenge": body["challenge"], "code": sms_code(base, OFFICER_PHONE)})
    assert status == 200, body
    return body


def browser_login(page, phone, password):
    """Log the page's browser in through the API, as the login screen would: the refresh
    cookie lands in the browser's own jar (page.request shares it). Returns the tokens."""
    res = page.request.post(page.base + "/api/v1/auth/login",
                            data={"phone": phone, "password": password})
    body = res.json()
    if res.ok and body.get("mfa_required"):
        res = page.request.post(page.base + "/api/v1/auth/login/verify", data={
            "challenge": body["challenge"], "code": sms_code(page.base, phone)})
        body = res.json()
    assert res.ok, body
    return body


def post_file(url, fields, content, filename="material.pdf", ctype="application/pdf"):
    """A presigned S3 POST: the fields, then the file last."""
    boundary = uuid.uuid4().hex
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
             for k, v in fields.items()]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
                 f'filename="{filename}"\r\nContent-Type: {ctype}\r\n\r\n'.encode() + content
                 + f"\r\n--{boundary}--\r\n".encode())
    req = urllib.request.Request(url, data=b"".join(parts), method="POST", headers={
        "Content-Type": f"multipart/form-data; boundary={boundary}"})
    with urllib.request.urlopen(req, timeout=30) as res:
        assert res.status in (200, 201, 204), res.status


def submit_application(base, token, matter, form):
    """File `matter` with every material uploaded and submit it; the submitted application."""
    status, app = call(base, "POST", "/applications", {"matter": matter, "form": form}, token)
    assert status == 201, app
    guide = call(base, "GET", f"/matters/{matter}")[1]
    for m in guide["materials"]:
        status, grant = call(base, "POST", f"/applications/{app['id']}/materials/uploads", {
            "material": m["name"], "content_type": "application/pdf", "size": len(PDF)}, token)
        assert status == 201, grant
        post_file(grant["url"], grant["fields"], PDF)
        status, body = call(base, "POST", f"/applications/{app['id']}/materials",
                            {"material": m["name"], "upload_key": grant["key"]}, token)
        assert status == 200, body
    status, body = call(base, "POST", f"/applications/{app['id']}/submit", None, token)
    assert status == 200, body
    return body


def apply_and_approve(base, token, matter, form):
    """submit_application, then the officer accepts and approves it. Returns the approved
    application (with the ids of the licences it issued)."""
    app = submit_application(base, token, matter, form)
    officer = officer_token(base)
    for action in ("accept", "approve"):
        status, body = call(base, "POST", f"/officer/applications/{app['id']}/actions",
                            {"action": action}, officer)
        assert status == 200, body
    return body
