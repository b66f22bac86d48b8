"""openapi.yaml, the Flask url map and the responses are held together."""
from __future__ import annotations

import itertools
import os
import re
from datetime import date

import jsonschema
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.core.parameters import ParameterLocation, plain_str_values
from schemathesis.generation import GenerationMode
from schemathesis.generation.meta import ComponentInfo
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

from functions.core.auth import public_endpoints
from tests.helpers import SPEC, SPEC_PATH, drain_queue, ok

METHODS = {"get", "post", "put", "delete", "patch"}


def flask_operations(app) -> set[tuple[str, str]]:
    ops = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)
        ops |= {(path, m.lower()) for m in rule.methods if m.lower() in METHODS}
    return ops


def spec_operations() -> set[tuple[str, str]]:
    return {(p, m) for p, item in SPEC["paths"].items() for m in item if m in METHODS}


def test_every_route_is_in_the_spec_and_every_spec_path_is_served(app):
    assert flask_operations(app) == spec_operations()


def test_operation_ids_name_the_flask_endpoints(app):
    by_rule = {}
    for rule in app.url_map.iter_rules():
        path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)
        for m in rule.methods:
            by_rule[(path, m.lower())] = rule.endpoint.split(".")[-1]
    for path, item in SPEC["paths"].items():
        for method, op in item.items():
            if method in METHODS:
                assert op["operationId"] == by_rule[(path, method)]


def test_public_routes_are_exactly_those_without_security_in_the_spec(app):
    endpoints = {rule.endpoint.split(".")[-1]: rule.endpoint for rule in app.url_map.iter_rules()}
    public_in_spec = {endpoints[op["operationId"]] for item in SPEC["paths"].values()
                      for m, op in item.items() if m in METHODS and not op.get("security")}
    assert public_in_spec == set(public_endpoints(app))


def test_every_route_is_public_or_refuses_a_caller_without_a_token(app):
    """The meta-test: a new route that is neither listed nor protected fails here."""
    client = app.test_client()
    public = public_endpoints(app)
    for rule in app.url_map.iter_rules():
        if rule.endpoint in public or rule.endpoint == "static":
            continue
        url = re.sub(r"<[^>]+>", "441400-GJJ-0001", rule.rule)
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            resp = client.open(url, method=method, json={})
            assert resp.status_code == 401, (rule.rule, method, resp.status_code)


def _validator(ref: str):
    schema = {**SPEC, "$ref": ref}
    return jsonschema.Draft202012Validator(schema)


@pytest.mark.parametrize("url,ref", [
    ("/api/v1/health", "Health"),
    ("/api/v1/themes?audience=enterprise", "ThemeList"),
    ("/api/v1/matters?q=社保&limit=5", "MatterPage"),
    ("/api/v1/matters?theme=E01", "MatterPage"),
    ("/api/v1/hot-services", "HotServices"),
    ("/api/v1/scenarios", "ScenarioList"),
    ("/api/v1/service-points?near=24.3,116.1", "ServicePointPage"),
    ("/api/v1/regions", "CodeNameList"),
    ("/api/v1/departments", "CodeNameList"),
    ("/api/v1/themes?audience=x", "Error"),
    ("/api/v1/licences/keys", "LicenceKeys"),
    ("/api/v1/licences/types", "LicenceTypeList"),
    ("/api/v1/verify/" + "0" * 32, "Error"),
])
def test_responses_validate_against_the_spec(client, url, ref):
    resp = client.get(url)
    _validator(f"#/components/schemas/{ref}").validate(resp.get_json())


# (url, reference, roles of the caller, its department and region)
CITIZEN, OFFICER = (("citizen",), None, None), (("officer",), "RSJ", "441400")


@pytest.mark.parametrize("url,ref,who", [
    ("/api/v1/applications", "ApplicationList", CITIZEN),
    ("/api/v1/applications?limit=1", "ApplicationList", CITIZEN),
    ("/api/v1/applications?cursor=bm90LWEta2V5", "Error", CITIZEN),
    ("/api/v1/applications/MZ20260101999999", "Error", CITIZEN),
    ("/api/v1/applications/MZ123", "Error", CITIZEN),
    ("/api/v1/wallet", "Wallet", CITIZEN),
    ("/api/v1/officer/applications", "ApplicationQueue", OFFICER),
    ("/api/v1/officer/applications?status=approved&limit=5", "ApplicationQueue", OFFICER),
    ("/api/v1/officer/applications?status=x", "Error", OFFICER),
    ("/api/v1/officer/applications", "Error", CITIZEN),
    ("/api/v1/officer/applications/MZ20260101999999", "Error", OFFICER),
])
def test_authenticated_reads_validate_against_the_spec(client, token, url, ref, who):
    roles, department, region = who
    resp = client.get(url, headers=token(*roles, department=department, region=region))
    _validator(f"#/components/schemas/{ref}").validate(resp.get_json())
    assert (resp.status_code < 400) == (ref != "Error"), (resp.status_code, resp.get_json())


CARD = "441400-RSJ-0015"  # 社会保障卡申领 (RSJ, city level)
# The name, ID number and phone are filled by the server from the account (never typed).
CARD_FORM = {"bank_choice": "中国银行", "delivery": "免费邮寄"}
_seq = itertools.count(1)


def test_an_application_through_its_life_validates(client, token, settings):
    from functions.identity import cn_ids
    from functions.identity.cli import create_staff

    n = next(_seq)
    account = create_staff(settings, kind="citizen", name="李明",
                           id_number=cn_ids.make_id_number("441427", date(1987, 6, 6), 700 + n),
                           phone=f"1990066{n:04d}", password="Meizhou-2026!", roles=[])
    me = token("citizen", subject=account["id"], kind="citizen", lvl=2)
    rsj = token("officer", department="RSJ", region="441400", subject="contract-rsj")

    def check(ref: str, resp, status: int = 200):
        _validator(f"#/components/schemas/{ref}").validate(ok(resp, status))
        return resp.get_json()

    key = {"Idempotency-Key": f"contract-{account['id'][:12]}"}
    app = check("Application", client.post("/api/v1/applications", headers={**me, **key},
                                           json={"matter": CARD}), 201)
    replay = client.post("/api/v1/applications", headers={**me, **key}, json={"matter": CARD})
    assert check("Application", replay, 201)["id"] == app["id"]
    assert replay.headers["Idempotent-Replayed"] == "true"
    url = f"/api/v1/applications/{app['id']}"
    check("Application", client.put(f"{url}/form", headers=me, json={"form": CARD_FORM}))
    material = ok(client.get(f"/api/v1/matters/{CARD}"))["materials"][0]["name"]
    check("UploadTicket", client.post(f"{url}/materials/uploads", headers=me, json={
        "material": material, "content_type": "application/pdf", "size": 1000}), 201)
    check("Error", client.post(f"{url}/materials/uploads", headers=me, json={
        "material": material, "content_type": "text/plain", "size": 1000}), 415)
    check("Error", client.post(f"{url}/materials/uploads", headers=me, json={
        "material": material, "content_type": "image/png", "size": 11 * 2 ** 20}), 413)
    check("Error", client.post(f"{url}/submit", headers=me), 422)
    check("ApplicationList", client.get("/api/v1/applications", headers=me))
    detail = check("Application", client.get(url, headers=me))
    assert [e["action"] for e in detail["events"]] == ["create"]
    officer_url = f"/api/v1/officer/applications/{app['id']}"
    check("Application", client.get(officer_url, headers=rsj))
    check("RevealedFields", client.post(f"{officer_url}/reveal", headers=rsj,
                                        json={"fields": ["phone"]}))
    conflict = check("StateError", client.post(f"{officer_url}/actions", headers=rsj,
                                               json={"action": "accept"}), 409)
    assert conflict["error"]["details"]["status"] == "draft"
    check("Application", client.post(f"{officer_url}/visits", headers=rsj))
    done = check("Application", client.post(f"{url}/withdraw", headers=me))
    assert done["status"] == "withdrawn" and done["visits"] == 1
    check("StateError", client.post(f"{url}/withdraw", headers=me), 409)
    check("StateError", client.put(f"{url}/form", headers=me, json={"form": {}}), 409)
    check("Error", client.get(url, headers=token("citizen", subject="someone-else",
                                                   kind="citizen")), 404)


def test_a_full_guide_validates(client):
    for m in ok(client.get("/api/v1/matters?limit=40"))["items"]:
        body = ok(client.get(f"/api/v1/matters/{m['code']}"))
        _validator("#/components/schemas/Matter").validate(body)


@pytest.fixture(scope="module")
def fuzzer_leftovers_cleared(settings):
    """The fuzzer's token may queue publications and load holiday schedules: when it is done,
    drop the queued jobs and the years it loaded, so that no later test in the session picks
    up its publications or counts deadlines on a made-up year."""
    from functions.core import aws
    from functions.intake import service, store

    before = {s["year"] for s in store.schedules(settings)}
    yield
    ddb = aws.client("dynamodb", settings)
    for year in {s["year"] for s in store.schedules(settings)} - before:
        ddb.delete_item(TableName=settings.table_name,
                        Key={"pk": {"S": "HOLIDAYS"}, "sk": {"S": f"Y#{year}"}})
    service.forget()
    drain_queue(settings)


# Loaded at import, so that every operation is a test item of its own: pytest-xdist spreads
# them over the workers and `--durations` names the slow ones.
schema = schemathesis.openapi.from_path(SPEC_PATH)
# FUZZ_EXAMPLES raises it for a long exploring run by hand; make test keeps 5.
IN_PROCESS_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "5"))


@schema.parametrize()
@settings(max_examples=IN_PROCESS_EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                 HealthCheck.function_scoped_fixture])
def test_schemathesis_over_every_operation(case, app, token, fuzzer_leftovers_cleared):
    # The session's app, for the requests and the checks' own probes.
    case.operation.app = case.operation.schema.app = app
    excluded = []
    if case.operation.definition.raw.get("x-rules-beyond-schema"):
        # Rules across fields (themes of the audiences, promised <= legal, level by region)
        # are 422s the schema cannot express; every other check still applies.
        excluded = [positive_data_acceptance]
    # Every role, and an officer's department and region, so that no operation is only ever
    # refused with a 403 before its own checks run.
    headers = token("catalogue_admin", "officer", "admin", "supervisor", subject="fuzzer",
                    department="SCJGJ", region="441400", lvl=3)
    # The in-process transport does not decode a gzipped body (the API gzips JSON of 1 KB or
    # more for clients that accept it; tests/e2e/test_pwa_fresh.py holds that): ask for plain.
    headers["Accept-Encoding"] = "identity"
    if _header_made_valid_by_our_token(case, headers):
        # Judge the case by its other components; with none negative, it is a valid request.
        case.meta.components[ParameterLocation.HEADER] = ComponentInfo(GenerationMode.POSITIVE)
        if not any(c.mode.is_negative for c in case.meta.components.values()):
            excluded = [*excluded, negative_data_rejection]
    case.call_and_validate(headers=headers, excluded_checks=excluded)


def _header_made_valid_by_our_token(case, headers) -> bool:
    """A case negative only in its Authorization header (left out or malformed), which this
    test replaces: what is sent is valid there, and the negative-data check, which judges the
    case's own headers, would call the API wrong for answering it (seen once in a full run)."""
    meta = case.meta
    if meta is None or not meta.is_negative_at(ParameterLocation.HEADER):
        return False
    declared = case.operation.get_parameter_set(ParameterLocation.HEADER)
    names = set(declared.schema.get("properties", {}))
    own = dict(case.headers or {})
    if set(own) - names:
        return False  # a malformed Content-Type and the like: negative whatever we add
    sent = {k: v for k, v in {**own, **headers}.items() if k in names}
    return declared.get_strict_validator().is_valid(plain_str_values(sent))
