"""schemathesis against the running server (`python -m infra.local`, what `make run` starts, on
a free port), every operation, every check, once per identity: anonymous, a citizen and
enterprise staff who registered and logged in through the API, an officer with a department
and a region, a supervisor, an administrator and a catalogue administrator. A role an
operation does not admit is refused with a 401 or 403 the spec declares."""
from __future__ import annotations

import re
import threading
from datetime import date

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from functions.identity import cn_ids
from tests import privacy
from tests.helpers import SPEC_PATH
from tests.stack import running_hall

# Examples per operation, each sent by 7 identities: 131 operations. Measured on this machine
# (2 cores): see README "The contract fuzz" for the time the live and in-process fuzz take.
LIVE_EXAMPLES = 2
IDENTITIES = ("anonymous", "citizen", "enterprise", "officer", "supervisor", "admin",
              "catalogue_admin")
# 张三丰 and his company (README: the demo citizen), and a citizen the registry does not know
# (level 1): both registered through the API on the fresh stack.
REP = {"name": "张三丰", "id_number": "441402197005061355", "phone": "13800138000"}
USCC = "91441402MA0MT2NFX4"
CITIZEN = {"name": "罗测试", "phone": "19903500001",
           "id_number": cn_ids.make_id_number("441402", date(1990, 3, 5), 351)}
PASSWORD = "Live-fuzz-2026!"
STAFF = {"officer": {"role": "officer", "department": "SCJGJ", "region": "441400"},
         "supervisor": {"role": "supervisor", "kind": "supervisor"},
         "admin": {"role": "admin", "kind": "admin"},
         "catalogue_admin": {"role": "catalogue_admin"}}
# The owner's copy of their data and the dev outbox show the owner's own numbers.
OWN_NUMBERS = ("/api/v1/me/data-export", "/api/v1/dev/outbox")

schema = schemathesis.openapi.from_path(SPEC_PATH)
# The boundary cases of every constraint (schemathesis's coverage phase: dozens a parameter)
# are sent in process by test_openapi.py; over HTTP, seven times over, the generated examples.
schema.config.phases.coverage.enabled = False


class Identities:
    """Access tokens for each identity on the live stack, fresh for every test (an
    administrator's key rotation in the fuzz retires the keys older tokens were signed with)."""

    def __init__(self, url: str):
        self.url = url
        self.http = requests.Session()
        self.lock = threading.Lock()
        self._register(REP)
        self._post("/enterprises", {"uscc": USCC}, self._login(REP), expect=(201,))
        self._register(CITIZEN)

    def _post(self, path, body, token=None, expect=(200,)):
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        resp = self.http.post(f"{self.url}/api/v1{path}", json=body, headers=headers, timeout=60)
        assert resp.status_code in expect, (path, resp.status_code, resp.text[:500])
        return resp.json()

    def _register(self, person):
        self._post("/auth/codes", {"phone": person["phone"], "purpose": "register"}, expect=(202,))
        texts = self.http.get(f"{self.url}/api/v1/dev/outbox", params={"phone": person["phone"]},
                              timeout=30).json()["items"]
        code = re.search(r"\d{6}", max(texts, key=lambda t: t["at"])["text"]).group()
        self._post("/auth/register", {**person, "password": PASSWORD, "code": code},
                   expect=(201,))

    def _login(self, person) -> str:
        return self._post("/auth/login", {"phone": person["phone"],
                                          "password": PASSWORD})["access_token"]

    def token(self, who: str) -> str | None:
        with self.lock:
            if who == "anonymous":
                return None
            if who == "citizen":
                return self._login(CITIZEN)
            if who == "enterprise":
                return self._post("/auth/switch", {"act_as": {"kind": "enterprise", "id": USCC}},
                                  self._login(REP))["access_token"]
            return self._post("/dev/sessions", STAFF[who], expect=(201,))["access_token"]


@pytest.fixture(scope="session")
def live(tmp_path_factory):
    # The fuzz logs in and asks for codes from one address hundreds of times: the limits
    # (tested in tests/identity) would refuse its own logins.
    with running_hall(tmp_path_factory, env={"HALL_RATE_LIMIT_SCALE": "50"}) as url:
        yield Identities(url)


def _no_personal_numbers(response, case) -> None:
    if case.path.startswith(OWN_NUMBERS) or not privacy.scanned(
            response.headers.get("Content-Type", "")):
        return
    if response.status_code == 200 and privacy.is_reveal(case.formatted_path, case.query or {}):
        return
    found = privacy.personal_numbers(response.text)
    assert not found, f"{case.method} {case.formatted_path} shows personal numbers {found}"


@pytest.fixture
def headers(live):
    """Each identity's Authorization header, minted for this operation's test."""
    return {who: ({"Authorization": f"Bearer {t}"} if (t := live.token(who)) else {})
            for who in IDENTITIES}


def _admitted(who: str, operation) -> bool:
    roles = operation.definition.raw.get("x-roles") or []
    return who in roles or (who == "enterprise" and "enterprise:legal_rep" in roles)


@pytest.mark.xdist_group("live-stack")
@schema.parametrize()
@settings(max_examples=LIVE_EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                 HealthCheck.function_scoped_fixture])
def test_live_server_over_every_operation_per_identity(case, live, headers):
    """Every generated request is sent once per identity (one generation, seven callers)."""
    excluded = []
    if case.operation.definition.raw.get("x-rules-beyond-schema"):
        excluded = [positive_data_acceptance]  # as in test_openapi.py: rules across fields
    positive = bool(case.meta and case.meta.generation.mode.is_positive)
    for who in IDENTITIES:
        response = case.call_and_validate(base_url=live.url, session=live.http,
                                          headers=headers[who], excluded_checks=excluded,
                                          timeout=60)
        _no_personal_numbers(response, case)
        if positive and not _admitted(who, case.operation):
            assert response.status_code in (401, 403), (who, response.status_code,
                                                        response.text[:300])
