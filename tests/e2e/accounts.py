"""API helpers for the identity tests: set up people and companies the test does not exercise.

Only tests read the dev outbox (it exists outside prod only); the app never does.
"""
import json
import re
import urllib.error
import urllib.request


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
