"""Identity fixtures and factory helpers.

Every test here gets a client of its own that comes from a client address of its own (rate
limits are counted per address, and the emulator is shared by the whole session: nothing here
may use up 127.0.0.1's allowance).

The suite-wide guard (tests/conftest.py, tests/privacy.py) scans every response for personal
numbers by their pattern. Identity's client adds one check the pattern cannot make: the known
numbers of the registry, the demo staff and the tests' made-up phones, found anywhere, even
glued to other digits or letters, where the pattern deliberately looks away (a phone written
+8613800138000, or inside a longer run of digits).
"""
from __future__ import annotations

import base64
import dataclasses
import itertools
import json
import re
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from tests.helpers import ok

# The test modules import the helpers below as tests.identity.conftest: let that name be this
# very module (pytest loads it as plain "conftest"), so there is one address counter.
sys.modules.setdefault("tests.identity.conftest", sys.modules[__name__])

SEED = Path(__file__).resolve().parents[2] / "infra" / "seed"
REGISTRY = json.loads((SEED / "registry.json").read_text(encoding="utf-8"))
STAFF = json.loads((SEED / "staff.json").read_text(encoding="utf-8"))
STAFF_PASSWORD = STAFF["password"]
PASSWORD = "Hakka-Tulou#2026"          # strong, and holds nobody's phone or birth date
OFFICER, SUPERVISOR, ADMIN = "13900000003", "13900000002", "13900000001"
ZHANG = {"name": "张三丰", "id_number": "441402197005061355", "phone": "13800138000"}
USCC = "91441402MA0MT2NFX4"

# Phones made up by the tests (not in the registry) are scanned for as well; 1990052xxxx are
# the recovery and session tests' own (made_up_citizen).
MADE_UP_PHONES = [f"1770000{n:04d}" for n in range(100)]
RECOVERY_PHONES = [f"1990052{n:04d}" for n in range(100)]
SENSITIVE = sorted(
    {p["id_number"].lower() for p in REGISTRY["persons"]}
    | {p["phone"] for p in REGISTRY["persons"] if p.get("phone")}
    | {s["id_number"].lower() for s in STAFF["staff"]} | {s["phone"] for s in STAFF["staff"]}
    | {o["legal_rep_id_number"].lower() for o in REGISTRY["organisations"]}
    | set(MADE_UP_PHONES) | set(RECOVERY_PHONES))
_JWT = re.compile(r"eyJ[A-Za-z0-9_-]+\.([A-Za-z0-9_-]+)\.[A-Za-z0-9_-]*")


def person(name: str) -> dict:
    """The registry entry (name, id_number, phone) of a person with a unique name."""
    found = [p for p in REGISTRY["persons"] if p["name"] == name]
    assert len(found) == 1 and found[0]["phone"], name
    return found[0]


def made_up_citizen(n: int) -> dict:
    """A citizen nobody else registers: phone 1990052<n>, an ID number made up from n (valid,
    not in the registry, so level 1)."""
    from datetime import date

    from functions.identity import cn_ids

    return {"name": "罗测试", "phone": RECOVERY_PHONES[n],
            "id_number": cn_ids.make_id_number("441422", date(1980, 1, 1) + timedelta(days=n),
                                               500 + n)}


def b64url_decode(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def leaked(text: str, allowed: frozenset = frozenset()) -> list[str]:
    """The full ID numbers and phones in `text` (and in any token payload in it)."""
    lowered = text.lower()
    for payload in _JWT.findall(text):
        try:
            lowered += b64url_decode(payload).decode("utf-8", "replace").lower()
        except ValueError:
            pass
    return [s for s in SENSITIVE if s in lowered and s not in allowed]


class ScanningClient(FlaskClient):
    """A test client that fails a test when a response shows a known person's number, glued
    to other characters or not (the suite-wide guard has checked the patterns already)."""

    def open(self, *args, **kwargs):
        resp = super().open(*args, **kwargs)
        if resp.mimetype == "application/json":
            allowed = frozenset()
            req = resp.request
            if req.path == "/api/v1/me" and req.args.get("reveal") and resp.status_code == 200:
                data = resp.get_json()  # the owner asked: their own numbers, nobody else's
                allowed = frozenset({data["phone"], data["id_number"].lower()})
            if req.path == "/api/v1/me/data-export" and resp.status_code == 200 \
                    and "account" in resp.get_json():
                data = resp.get_json()["account"]  # the owner's copy: theirs, nobody else's
                allowed = frozenset({data["phone"], data["id_number"].lower()})
            found = leaked(resp.get_data(as_text=True), allowed)
            assert not found, f"{req.method} {req.full_path} shows {found}"
        return resp


_addresses = itertools.count(1)


def new_client(app) -> ScanningClient:
    """A client with a client address nobody else uses."""
    n = next(_addresses)
    client = ScanningClient(app, app.response_class, use_cookies=False)
    client.environ_base["REMOTE_ADDR"] = f"10.77.{n // 250}.{n % 250 + 1}"
    return client


@pytest.fixture
def client(app):
    return new_client(app)


@pytest.fixture(scope="session")
def long_app(settings):
    """The API with sessions that neither idle out nor expire for 90 days: for time travel."""
    from functions.app import create_app

    app = create_app(dataclasses.replace(settings, idle_seconds=90 * 86400,
                                         session_seconds=90 * 86400))
    app.config["TESTING"] = True
    return app


@pytest.fixture
def travel(monkeypatch):
    """travel(timedelta) moves the hall's clock (functions.core.clock.now) by that much."""
    from functions.core import clock

    real = clock.now

    def move(delta: timedelta) -> None:
        monkeypatch.setattr(clock, "now", lambda: real() + delta)

    return move


# ---- factory helpers -----------------------------------------------------------------------

def bearer(tokens: dict | str) -> dict:
    access = tokens if isinstance(tokens, str) else tokens["access_token"]
    return {"Authorization": f"Bearer {access}"}


REFRESH_COOKIE, MARKER_COOKIE = "__Secure-hall_rt", "__Secure-hall_in"


def set_cookies(resp) -> dict:
    """name -> (value, attributes in lower case) of every Set-Cookie of a response."""
    out = {}
    for header in resp.headers.getlist("Set-Cookie"):
        pair, *attrs = [part.strip() for part in header.split(";")]
        name, _, value = pair.partition("=")
        out[name] = (value, [a.lower() for a in attrs])
    return out


def tokens_of(resp, status: int = 200) -> dict:
    """The JSON of a response that opened or renewed a session, with the refresh token its
    cookie carries added as "refresh_token" (None when it set none) for the tests to use."""
    body = ok(resp, status)
    assert "refresh_token" not in body, "the refresh token travels in its cookie only"
    cookie = set_cookies(resp).get(REFRESH_COOKIE)
    return {**body, "refresh_token": cookie[0] if cookie else None}


def refresh(client, token: str | None):
    """POST /auth/refresh with the refresh cookie (the test clients keep no cookie jar)."""
    headers = {"Cookie": f"{REFRESH_COOKIE}={token}"} if token else {}
    return client.post("/api/v1/auth/refresh", headers=headers)


def codes_for(client, phone: str) -> list[str]:
    """The codes texted to `phone`, newest first (from the dev outbox)."""
    items = ok(client.get("/api/v1/dev/outbox", query_string={"phone": phone}))["items"]
    return [m.group(0) for m in (re.search(r"\d{6}", i["text"]) for i in items) if m]


def send_code(client, phone: str, purpose: str = "register") -> str:
    ok(client.post("/api/v1/auth/codes", json={"phone": phone, "purpose": purpose}), 202)
    return codes_for(client, phone)[0]


def registration(p: dict, code: str, **changes) -> dict:
    return {"name": p["name"], "id_number": p["id_number"], "phone": p["phone"],
            "password": PASSWORD, "code": code, **changes}


def register_citizen(client, p: dict, **changes) -> dict:
    """Register `p` (a registry entry; `changes` override fields) and return the tokens."""
    phone = changes.get("phone", p["phone"])
    code = send_code(client, phone)
    return tokens_of(client.post("/api/v1/auth/register", json=registration(p, code, **changes)),
                     201)


def login(client, phone: str, password: str = PASSWORD):
    return client.post("/api/v1/auth/login", json={"phone": phone, "password": password})


def login_staff(client, phone: str) -> dict:
    """Log a demo staff member in with the SMS second factor; returns the tokens."""
    first = ok(login(client, phone, STAFF_PASSWORD))
    assert first["mfa_required"] is True and "access_token" not in first
    code = codes_for(client, phone)[0]
    return tokens_of(client.post("/api/v1/auth/login/verify",
                                 json={"challenge": first["challenge"], "code": code}))


def claims_of(access: str) -> dict:
    return json.loads(b64url_decode(access.split(".")[1]))


def header_of(access: str) -> dict:
    return json.loads(b64url_decode(access.split(".")[0]))


def table_items(settings, pk: str, prefix: str = "") -> list[dict]:
    """Items of one partition straight from DynamoDB (sk beginning with `prefix`)."""
    from functions.core import aws

    kwargs = {"TableName": settings.table_name,
              "KeyConditionExpression": "pk = :pk AND begins_with(sk, :p)",
              "ExpressionAttributeValues": {":pk": {"S": pk}, ":p": {"S": prefix}}}
    return aws.client("dynamodb", settings).query(**kwargs)["Items"]


def audit_of(settings, actor: str) -> list[dict]:
    """The audit records of one actor (GSI1), oldest first, as plain dicts."""
    from functions.core import aws

    ddb, items, start = aws.client("dynamodb", settings), [], None
    while True:
        kwargs = {"TableName": settings.table_name, "IndexName": "GSI1",
                  "KeyConditionExpression": "gsi1pk = :k",
                  "ExpressionAttributeValues": {":k": {"S": f"AUDIT_ACTOR#{actor}"}}}
        if start:
            kwargs["ExclusiveStartKey"] = start
        resp = ddb.query(**kwargs)
        items += resp["Items"]
        start = resp.get("LastEvaluatedKey")
        if not start:
            break
    return [{k: v.get("S", v) for k, v in i.items()} for i in items]


def assert_audited(settings, actor: str, action: str, result: str = "ok", **fields) -> dict:
    """The (latest) audit record of `actor` doing `action`; it names actor, result and request."""
    rows = [r for r in audit_of(settings, actor) if r["action"] == action
            and r["result"] == result and all(r.get(k) == v for k, v in fields.items())]
    assert rows, (actor, action, result, fields, audit_of(settings, actor))
    row = rows[-1]
    assert row["actor"] == actor and re.fullmatch(r"[0-9a-f]{32}|[A-Za-z0-9-]{8,64}",
                                                  row["request_id"]), row
    return row
