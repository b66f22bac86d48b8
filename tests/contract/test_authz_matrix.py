"""The authorisation matrix, generated from openapi.yaml: every operation declares the roles
it admits (`x-roles`, from the `x-role-vocabulary`); every operation is called by a real token
of every role. A role outside x-roles is refused (401 anonymous, 403 otherwise, in the error
envelope); a role inside is never refused at the door (404, 409, 422 are fine)."""
from __future__ import annotations

import os

import pytest

from functions.core import clock
from tests.contract import roles as R
from tests.helpers import SPEC, drain_queue

METHODS = ("get", "post", "put", "delete", "patch")
OPERATIONS = [(m, p, op) for p, item in SPEC["paths"].items() for m, op in item.items()
              if m in METHODS]
HEX = "0" * 32
PLACEHOLDERS = {"nid": "N" + "0" * 20, "sub_id": "0" * 16, "qid": "Q20261202" + "0" * 12,
                "cid": "C20261202" + "0" * 12, "rid": "R20261202" + "0" * 12, "gid": HEX,
                "lid": HEX, "upload": "0" * 32, "account_id": HEX, "year": "2031",
                "code": R.CARD, "name": "swagger-ui.css", "app_id": "MZ20261202999999"}


def _in_days(days: int) -> str:
    from datetime import timedelta

    return (clock.now().date() + timedelta(days=days)).isoformat()


def body_for(method: str, path: str, world: R.World, role: str):
    """A plausible body: for the operations whose refusal is decided in the service (after
    parsing), one that parses; the others' door is the role check before any parsing."""
    other = world.accounts["citizen"]["phone"] if role != "citizen" else \
        world.accounts["enterprise:viewer"]["phone"]
    bodies = {
        ("post", "/api/v1/auth/switch"): {"act_as": None},
        ("post", "/api/v1/me/real-name"): {"name": "叶思远"},
        ("post", "/api/v1/enterprises"): {"uscc": world.unknown_uscc},
        ("post", "/api/v1/grants"): {"grantor": "self", "grantee_phone": other,
                                     "matters": [R.CARD], "expires": _in_days(30)},
        ("post", "/api/v1/me/questions"): {"department": "QXJ", "text": "请问社保卡怎么补办？",
                                           "kind": "consultation"},
        ("post", "/api/v1/applications"): {"matter": R.CARD},
        ("put", "/api/v1/applications/{app_id}/form"): {"form": {}},
        ("post", "/api/v1/applications/{app_id}/materials/uploads"): {
            "material": world.material, "content_type": "application/pdf", "size": 1000},
        ("post", "/api/v1/applications/{app_id}/materials"): {
            "material": world.material, "upload_key": f"uploads/{R.NO_APP}/{'0' * 32}"},
        ("post", "/api/v1/applications/{app_id}/rating"): {"level": 5},
        ("post", "/api/v1/me/push-subscriptions"): {
            "endpoint": "https://push.example.invalid/matrix",
            "keys": {"p256dh": "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1"
                               "XbjhazAkj7I99e8QcYP7DkM", "auth": "tBHItJI5svbpez7KI4CCXg"}},
        ("delete", "/api/v1/me/push-subscriptions"): {
            "endpoint": "https://push.example.invalid/matrix"},
        ("put", "/api/v1/me/preferences"): {},
        ("post", "/api/v1/wallet/{lid}/preview"): {"matter": R.CARD},
    }
    return bodies.get((method, path), {})


def url_for(path: str, role: str, world: R.World) -> str:
    ids = {**PLACEHOLDERS, **world.ids.get(role, {})}
    if path.startswith("/api/v1/officer/matters/"):
        ids["code"] = R.NO_MATTER  # a department's real draft would be withdrawn here
    for name, value in ids.items():
        path = path.replace("{" + name + "}", str(value))
    assert "{" not in path, path
    return path


def door(app, method: str, path: str) -> str:
    """Where an operation's refusal is decided: "public" (no token needed), "role" (a
    require_role decorator, before anything is parsed) or "service" (after parsing)."""
    adapter = app.url_map.bind("localhost")
    endpoint, _ = adapter.match(url_for(path, "anonymous", R.World()), method=method.upper())
    view = app.view_functions[endpoint]
    if getattr(view, "public", False):
        return "public"
    cells = [c.cell_contents for c in (getattr(view, "__closure__", None) or ())]
    return "role" if any(isinstance(c, tuple) and c and all(isinstance(r, str) for r in c)
                         for c in cells) else "service"


def decorated_roles(app, method: str, path: str) -> set[str]:
    adapter = app.url_map.bind("localhost")
    endpoint, _ = adapter.match(url_for(path, "anonymous", R.World()), method=method.upper())
    cells = [c.cell_contents for c in (app.view_functions[endpoint].__closure__ or ())]
    return next(set(c) for c in cells if isinstance(c, tuple) and c
                and all(isinstance(r, str) for r in c))


def call(client, world: R.World, method: str, path: str, role: str):
    headers = world.headers[role]
    if (method, path) == ("post", "/api/v1/auth/logout"):
        headers = world.fresh(role)  # logging out ends the session: a session of its own
    if (method, path) == ("post", "/api/v1/auth/refresh"):
        headers = {**headers, **world.refresh_cookie(role)}
    json = body_for(method, path, world, role)
    url = url_for(path, role, world)
    if method == "get" and world.doors[(method, path)] != "service":
        # The door stands before any parsing: a parameter the view refuses (400) shows it
        # was passed without the read behind it.
        url += "?matrix=door"
    return client.open(url, method=method.upper(), headers=headers, json=json)


@pytest.fixture(scope="module")
def world(app, settings):
    with pytest.MonkeyPatch.context() as mp:
        _stub_global_side_effects(mp, settings)
        originals = _remember_token_checks(app)
        try:
            world = R.build(app, settings)
            world.doors = {(m, p): door(app, m, p) for m, p, _ in OPERATIONS}
            yield world
        finally:
            app.extensions["hall.token_checks"][:] = originals
    drain_queue(settings)


def _remember_token_checks(app) -> list:
    """The session and grant re-check of every request (identity's own tests hold it) runs
    once per token here: 1,572 calls of it would be most of this module's time. Returns the
    checks as they were, to put back."""
    passed, checks = set(), app.extensions["hall.token_checks"]

    def once(check):
        def remembered(settings, who):
            if who.token_id not in passed:
                check(settings, who)
                passed.add(who.token_id)
        return remembered

    originals = list(checks)
    checks[:] = [once(c) for c in originals]  # in place: auth.register holds this list
    return originals


def _stub_global_side_effects(mp, settings):
    """Key rotations and a catalogue publication change what every other test in the session
    sees: their services answer a harmless stand-in here (the door is what is tested)."""
    from functions.core import keys
    from functions.hall import routes as hall_routes
    from functions.identity import routes as identity_routes
    from functions.licences import routes as licence_routes

    mp.setattr(identity_routes.service, "rotate_keys",
               lambda settings, who, at: keys.keyring(settings))
    mp.setattr(licence_routes.service, "rotate_keys", lambda settings, who, now: {"keys": []})
    mp.setattr(hall_routes.service, "request_publish", lambda settings, who: {"status": "queued"})
    # The data export's reads after its door (tens of round trips per caller) read nothing.
    from functions.identity.service import export

    mp.setattr(export, "_applications", lambda settings, owner: [])
    mp.setattr(export, "_inbox", lambda settings, owner: [])


def observed(client, world: R.World) -> dict[tuple[str, str], list[str]]:
    got = {}
    for method, path, _ in OPERATIONS:
        got[(method, path)] = []
        for role in R.vocabulary():
            resp = call(client, world, method, path, role)
            got[(method, path)].append((role, resp.status_code, resp.get_json(silent=True)))
    return got


def test_a_role_checked_or_public_door_declares_exactly_the_roles_it_checks(app):
    everyone = set(R.ROLES)
    for method, path, op in OPERATIONS:
        kind = door(app, method, path)
        if kind == "public":
            assert set(op["x-roles"]) == everyone, (method, path)
        elif kind == "role":
            assert set(op["x-roles"]) == decorated_roles(app, method, path), (method, path)


def test_every_operation_declares_its_roles_from_the_vocabulary():
    vocab = set(R.vocabulary())
    assert vocab == {"anonymous", "citizen", "enterprise:legal_rep", "enterprise:preparer",
                     "enterprise:approver", "enterprise:viewer", "family", "window", "officer",
                     "head", "catalogue_admin", "supervisor", "admin"}
    for method, path, op in OPERATIONS:
        declared = op.get("x-roles")
        assert isinstance(declared, list) and declared, (method, path)
        assert set(declared) <= vocab, (method, path, set(declared) - vocab)
        assert len(set(declared)) == len(declared), (method, path)
        # public exactly when anonymous is admitted
        assert ("anonymous" in declared) == (not op.get("security")), (method, path)


def test_every_operation_times_every_role_is_allowed_or_refused_as_declared(app, world):
    client = app.test_client(use_cookies=False)
    wrong, cases = [], 0
    got = observed(client, world)
    if os.environ.get("MATRIX_DUMP"):
        _dump(got)
    for (method, path), results in got.items():
        op = SPEC["paths"][path][method]
        admitted = set(op.get("x-roles") or ())
        for role, status, doc in results:
            cases += 1
            if status >= 500:
                wrong.append((method, path, role, status, "server error"))
            elif role in admitted and status in (401, 403):
                wrong.append((method, path, role, status, (doc or {}).get("error", {})
                               .get("message")))
            elif role not in admitted:
                want = 401 if role == "anonymous" else 403
                envelope = isinstance(doc, dict) and {"code", "message", "request_id"} <= set(
                    doc.get("error") or {})
                if status != want or not envelope:
                    wrong.append((method, path, role, status, f"should be {want}"))
    print(f"authorisation matrix: {len(OPERATIONS)} operations x {len(R.vocabulary())} roles "
          f"= {cases} cases")
    assert len(R.vocabulary()) == 13 and len(OPERATIONS) >= 131  # 1,703 cases when written
    assert cases == len(OPERATIONS) * 13
    assert not wrong, "\n".join(map(str, wrong))


def _dump(got):
    """MATRIX_DUMP=file.json: what each role was answered, to write a new route's x-roles."""
    import json

    out = {f"{m.upper()} {p}": [r for r, s, _ in res if s not in (401, 403)]
           for (m, p), res in got.items()}
    with open(os.environ["MATRIX_DUMP"], "w", encoding="utf-8") as fh:
        json.dump({"admitted": out, "raw": {f"{m.upper()} {p}": [(r, s) for r, s, _ in res]
                                            for (m, p), res in got.items()}}, fh, indent=1,
                  ensure_ascii=False)



# ---- ownership: another owner, another department, another region ---------------------------

# Operations that take an id but address nothing owned by a party: the reason, checked to be
# one of these words' cases (public, the caller's own page, or a city-wide role).
NOT_OWNED = {
    ("get", "/api/v1/matters/{code}"): "public",
    ("get", "/api/docs/assets/{name}"): "public",
    ("get", "/api/v1/scenarios/{code}"): "public",
    ("post", "/api/v1/scenarios/{code}/resolve"): "public",
    ("get", "/api/v1/verify/{lid}"): "public",
    ("get", "/api/v1/verify/{lid}/qr.svg"): "public",
    ("get", "/api/v1/matters/{code}/eligibility"): "own: the caller against a public matter",
    ("get", "/api/v1/matters/{code}/prefill"): "own: the caller's data for a public matter",
    ("post", "/api/v1/me/recommendations/{code}/dismiss"): "own: the caller's page",
    ("post", "/api/v1/me/offers/{code}/confirm"): "own: the caller's page",
    ("put", "/api/v1/me/pins/{code}"): "own: the caller's page",
    ("delete", "/api/v1/me/pins/{code}"): "own: the caller's page",
    ("post", "/api/v1/supervision/cards/{cid}/close"): "city-wide: the supervision office",
    ("post", "/api/v1/supervision/ratings/{rid}/appeal-decision"): "city-wide: supervision",
    ("post", "/api/v1/admin/accounts/{account_id}/head"): "city-wide: the administrator",
    ("get", "/api/v1/admin/deadline-calendar/{year}"): "city-wide: the calendar",
    ("put", "/api/v1/admin/deadline-calendar/{year}"): "city-wide: the calendar",
}
APPLICANT = ("citizen_b", "enterprise_b", "officer_rsj", "family_other_matter")
OFFICE = ("officer_swj", "officer_meijiang")  # the application's is RSJ of the city (441400)
QUESTION_OFFICE = ("officer_swj", "officer_qxj_city")  # the question's is QXJ of 441402
# (method, path) -> (the owned thing, who tries)
OWNED = {
    ("get", "/api/v1/applications/{app_id}"): ("app", APPLICANT),
    ("put", "/api/v1/applications/{app_id}/form"): ("app", APPLICANT),
    ("post", "/api/v1/applications/{app_id}/materials/uploads"): ("app", APPLICANT),
    ("post", "/api/v1/applications/{app_id}/materials"): ("app", APPLICANT),
    ("post", "/api/v1/applications/{app_id}/submit"): ("app", APPLICANT),
    ("post", "/api/v1/applications/{app_id}/withdraw"): ("app", APPLICANT),
    ("post", "/api/v1/applications/{app_id}/rating"): ("app", APPLICANT),
    ("get", "/api/v1/applications/{app_id}/rating"): ("rating", APPLICANT),
    ("get", "/api/v1/officer/applications/{app_id}"): ("app", OFFICE),
    ("post", "/api/v1/officer/applications/{app_id}/actions"): ("app", OFFICE),
    ("post", "/api/v1/officer/applications/{app_id}/reveal"): ("app", OFFICE),
    ("post", "/api/v1/officer/applications/{app_id}/materials/{upload}/view"): ("app", OFFICE),
    ("post", "/api/v1/officer/applications/{app_id}/visits"): ("app", OFFICE),
    ("get", "/api/v1/officer/matters/{code}"): ("matter", OFFICE),
    ("put", "/api/v1/officer/matters/{code}"): ("matter", OFFICE),
    ("delete", "/api/v1/officer/matters/{code}"): ("matter", OFFICE),
    ("post", "/api/v1/me/inbox/{nid}/read"): ("notice", ("citizen_b", "enterprise_b")),
    ("delete", "/api/v1/me/push-subscriptions/{sub_id}"): ("device", ("citizen_b",
                                                                      "enterprise_b")),
    ("get", "/api/v1/me/questions/{qid}"): ("question", ("citizen_b", "enterprise_b")),
    ("get", "/api/v1/officer/questions/{qid}"): ("question", QUESTION_OFFICE),
    ("post", "/api/v1/officer/questions/{qid}/answer"): ("question", QUESTION_OFFICE),
    ("get", "/api/v1/supervision/cards/{cid}"): ("card", ("head_swj",)),
    ("post", "/api/v1/officer/cards/{cid}/explain"): ("card", OFFICE + ("head_swj",)),
    ("post", "/api/v1/officer/ratings/{rid}/callback"): ("rating", OFFICE),
    ("post", "/api/v1/officer/ratings/{rid}/appeal"): ("rating", OFFICE),
    ("get", "/api/v1/officer/campaigns/{cid}"): ("campaign", ("officer_swj",)),
    ("post", "/api/v1/officer/campaigns/{cid}/dry-run"): ("campaign", ("officer_swj",)),
    ("post", "/api/v1/officer/campaigns/{cid}/approve"): ("campaign", ("officer_swj",)),
    ("post", "/api/v1/officer/campaigns/{cid}/cancel"): ("campaign", ("officer_swj",)),
    ("get", "/api/v1/officer/campaigns/{cid}/report"): ("campaign", ("officer_swj",)),
    ("post", "/api/v1/grants/{gid}/accept"): ("grant", ("citizen_b", "enterprise_b")),
    ("post", "/api/v1/grants/{gid}/revoke"): ("grant", ("citizen_b", "enterprise_b")),
    ("get", "/api/v1/wallet/{lid}"): ("licence", ("citizen_b", "enterprise_b")),
    ("get", "/api/v1/wallet/{lid}/usage"): ("licence", ("citizen_b", "enterprise_b")),
    ("post", "/api/v1/wallet/{lid}/preview"): ("licence", ("citizen_b", "enterprise_b")),
    ("post", "/api/v1/officer/licences/{lid}/revoke"): ("licence", ("officer_rsj",)),
}
OWNERSHIP_BODIES = {
    ("post", "/api/v1/officer/applications/{app_id}/actions"): {"action": "accept"},
    ("post", "/api/v1/officer/applications/{app_id}/reveal"): {"fields": ["phone"]},
    ("post", "/api/v1/officer/questions/{qid}/answer"): {"answer": "请携带身份证到窗口办理。"},
    ("post", "/api/v1/officer/cards/{cid}/explain"): {"text": "已整改。", "rectified": True},
    ("post", "/api/v1/officer/ratings/{rid}/callback"): {"text": "已回访。", "rectified": True},
    ("post", "/api/v1/officer/ratings/{rid}/appeal"): {"reason": "评价与事实不符。"},
    ("post", "/api/v1/officer/licences/{lid}/revoke"): {"reason": "测试撤销"},
}


def id_operations() -> list[tuple[str, str]]:
    return [(m, p) for m, p, _ in OPERATIONS if "{" in p]


def test_every_operation_that_takes_an_id_has_an_ownership_case():
    """A new route with a path parameter fails here until it says who owns what it names."""
    missing = [op for op in id_operations() if op not in OWNED and op not in NOT_OWNED]
    assert not missing, missing
    assert not set(OWNED) & set(NOT_OWNED)
    assert set(OWNED) | set(NOT_OWNED) == set(id_operations())
    for op, why in NOT_OWNED.items():  # a public one is public in the spec too
        assert (why == "public") == (not SPEC["paths"][op[1]][op[0]].get("security")), op


def _partition(settings, pk: str) -> list[dict]:
    from functions.core import aws

    ddb, items, start = aws.client("dynamodb", settings), [], None
    while True:
        page = ddb.query(TableName=settings.table_name, ConsistentRead=True,
                         KeyConditionExpression="pk = :pk",
                         ExpressionAttributeValues={":pk": {"S": pk}},
                         **({"ExclusiveStartKey": start} if start else {}))
        items += page["Items"]
        if not (start := page.get("LastEvaluatedKey")):
            return sorted(items, key=lambda i: i["sk"]["S"])


@pytest.fixture(scope="module")
def owned(app, settings, world):
    return R.owned_things(app, settings, world)


def test_another_owner_department_or_region_is_refused_and_changes_nothing(app, settings,
                                                                            world, owned):
    client, wrong, cases = app.test_client(use_cookies=False), [], 0
    held = {thing: [_partition(settings, pk) for pk in t["partitions"]]
            for thing, t in owned.things.items()}
    assert all(all(parts) for parts in held.values()), "every owned thing is in the table"
    for (method, path), (thing, intruders) in OWNED.items():
        target = owned.things[thing]
        url = path
        for name, value in target["ids"].items():
            url = url.replace("{" + name + "}", value)
        url = url.replace("{upload}", "0" * 32)
        json = OWNERSHIP_BODIES.get((method, path), body_for(method, path, world, "citizen"))
        if thing == "matter" and method == "put":
            json = owned.matter_body
        for who in intruders:
            resp = client.open(url, method=method.upper(), headers=owned.intruders[who],
                               json=json)
            after = [_partition(settings, pk) for pk in target["partitions"]]
            cases += 1
            doc = resp.get_json(silent=True) or {}
            if resp.status_code not in (403, 404) or "request_id" not in doc.get("error", {}):
                wrong.append((method, path, who, resp.status_code, doc.get("error")))
            if after != held[thing]:  # as it was before the first intruder came
                wrong.append((method, path, who, "the owner's data changed"))
                held[thing] = after
    print(f"ownership: {len(OWNED)} operations, {cases} cases")
    assert cases == sum(len(i) for _, i in OWNED.values())
    assert not wrong, "\n".join(map(str, wrong))
