"""The per-request session and delegation checks take one storage round trip together: the
session, the legal-representative link and the act's grant in one BatchGetItem (botocore
calls counted), with the same answers as before."""
from __future__ import annotations

import secrets
from datetime import timedelta

import pytest

from functions.core import aws, clock
from functions.core.auth import Principal
from functions.core.errors import Forbidden, Unauthorized
from functions.identity import service
from functions.identity import store as identity_store
from functions.identity.service import delegation
from functions.identity.store import sessions
from tests.licences.factories import make_citizen, make_enterprise

EVENT = "before-parameter-build.dynamodb"


def _session(settings, account_id: str) -> str:
    return identity_store.create_session(
        settings, account_id=account_id, refresh_digest=secrets.token_hex(32), at=clock.iso(),
        ttl=int(clock.now().timestamp()) + settings.session_seconds,
        audit={"actor": account_id, "action": "login.test", "target": account_id,
               "result": "ok", "request_id": None, "at": clock.iso()})


def _checked(settings, who) -> tuple[list[str], Exception | None]:
    calls: list[str] = []

    def hook(model, params, **_):
        calls.append(model.name)

    events = aws.client("dynamodb", settings).meta.events
    events.register(EVENT, hook)
    try:
        service.check_token(settings, who, at=clock.now())
        refused = None
    except (Unauthorized, Forbidden) as err:
        refused = err
    finally:
        events.unregister(EVENT, hook)
    return calls, refused


@pytest.fixture
def firm(settings):
    rep = make_citizen(settings, "罗志坚")
    firm = make_enterprise(settings, rep)
    preparer = make_citizen(settings, "罗小红")
    now = clock.now()
    by_rep = Principal(subject=rep["id"], kind="citizen", level=2)
    grant = delegation.create_grant(settings, by_rep, grantor=f"enterprise:{firm['uscc']}",
                                    grantee_phone=preparer["phone"],
                                    expires=(now + timedelta(days=90)).date(), matters=[],
                                    role="preparer", at=now)
    delegation.accept_grant(settings, Principal(subject=preparer["id"], kind="citizen",
                                                level=2), grant["id"], at=now)
    return {"rep": rep, "firm": firm, "preparer": preparer, "grant": grant["id"]}


def test_acting_as_legal_rep_or_granted_preparer_is_one_batch_read(settings, firm):
    uscc = firm["firm"]["uscc"]
    rep = Principal(subject=firm["rep"]["id"], kind="citizen", level=2,
                    session=_session(settings, firm["rep"]["id"]),
                    act={"kind": "enterprise", "id": uscc, "role": "legal_rep"})
    preparer = Principal(subject=firm["preparer"]["id"], kind="citizen", level=2,
                         session=_session(settings, firm["preparer"]["id"]),
                         act={"kind": "enterprise", "id": uscc, "role": "preparer",
                              "grant": firm["grant"]})
    myself = Principal(subject=firm["rep"]["id"], kind="citizen", level=2,
                       session=rep.session)
    for who in (rep, preparer, myself):
        assert _checked(settings, who) == (["BatchGetItem"], None)


def test_the_batch_read_gives_the_same_answers(settings, firm):
    uscc = firm["firm"]["uscc"]
    sid = _session(settings, firm["preparer"]["id"])
    granted = {"kind": "enterprise", "id": uscc, "role": "preparer", "grant": firm["grant"]}
    who = Principal(subject=firm["preparer"]["id"], kind="citizen", session=sid, act=granted)
    # someone else's session, an unknown session, and an ended one: 401
    other = Principal(subject=firm["rep"]["id"], kind="citizen", session=sid)
    assert isinstance(_checked(settings, other)[1], Unauthorized)
    assert isinstance(_checked(settings, Principal(subject=firm["preparer"]["id"],
                                                   session="0" * 32))[1], Unauthorized)
    # the preparer claiming to be the legal representative still acts by the grant
    assert _checked(settings, Principal(subject=firm["preparer"]["id"], session=sid, act={
        "kind": "enterprise", "id": uscc, "role": "legal_rep"}))[1] is None
    # an act whose grant id is not the preparer's looks through the grants received (a
    # second call, the Query) and still finds the active grant
    calls, refused = _checked(settings, Principal(subject=firm["preparer"]["id"], session=sid,
                                                  act={**granted, "grant": "f" * 32}))
    assert refused is None and calls == ["BatchGetItem", "Query"]
    # a stranger with a live session may not act for the firm
    stranger = make_citizen(settings, "罗路人")
    calls, refused = _checked(settings, Principal(
        subject=stranger["id"], session=_session(settings, stranger["id"]), act=granted))
    assert isinstance(refused, Forbidden)
    # the grant revoked: the same token is refused on its next request
    delegation.revoke_grant(settings, Principal(subject=firm["rep"]["id"], kind="citizen",
                                                level=2), firm["grant"], at=clock.now())
    assert isinstance(_checked(settings, who)[1], Forbidden)
    sessions.revoke_session(settings, sid, audit={
        "actor": firm["preparer"]["id"], "action": "logout", "target": sid, "result": "ok",
        "request_id": None, "at": clock.iso()})
    assert isinstance(_checked(settings, who)[1], Unauthorized)


def test_keys_the_store_leaves_unprocessed_are_asked_again_then_it_is_a_503(
        settings, firm, monkeypatch):
    from functions.core.errors import Unavailable

    ddb = aws.client("dynamodb", settings)
    real, asked = ddb.batch_get_item, []

    def once_unprocessed(RequestItems, **kw):
        asked.append(RequestItems)
        if len(asked) == 1:       # the whole request comes back unprocessed the first time
            return {"Responses": {}, "UnprocessedKeys": RequestItems}
        return real(RequestItems=RequestItems, **kw)

    sid = _session(settings, firm["rep"]["id"])
    who = Principal(subject=firm["rep"]["id"], kind="citizen", session=sid, act={
        "kind": "enterprise", "id": firm["firm"]["uscc"], "role": "legal_rep"})
    monkeypatch.setattr(ddb, "batch_get_item", once_unprocessed)
    service.check_token(settings, who, at=clock.now())
    assert len(asked) == 2 and asked[0] == asked[1]
    assert asked[0][settings.table_name]["ConsistentRead"] is True

    def never(RequestItems, **kw):
        return {"Responses": {}, "UnprocessedKeys": RequestItems}

    monkeypatch.setattr(ddb, "batch_get_item", never)
    with pytest.raises(Unavailable):
        service.check_token(settings, who, at=clock.now())


def test_a_throttled_check_is_a_503_with_retry_after(client, token, settings, monkeypatch):
    from botocore.exceptions import ClientError

    me = make_citizen(settings, "罗限流")
    headers = token("citizen", subject=me["id"], kind="citizen")
    assert client.get("/api/v1/me", headers=headers).status_code == 200

    def throttled(**_):
        raise ClientError({"Error": {"Code": "ProvisionedThroughputExceededException",
                                     "Message": "slow down"},
                           "ResponseMetadata": {"HTTPStatusCode": 400}}, "BatchGetItem")

    monkeypatch.setattr(aws.client("dynamodb", settings), "batch_get_item", throttled)
    resp = client.get("/api/v1/me", headers=headers)
    assert resp.status_code == 503 and resp.headers["Retry-After"] == "2"
    assert resp.get_json()["error"]["code"] == "unavailable"
