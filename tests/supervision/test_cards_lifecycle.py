"""A card's lifecycle through the API: explained by its officer or the head, closed by a
supervisor (never by the officer it names: 403; twice: 409), the lists with their filters
and ages, and the head role given only to an officer of that department."""
from __future__ import annotations

from tests.helpers import ok
from tests.supervision import card_factories as f

CARDS, MINE = "/api/v1/supervision/cards", "/api/v1/officer/cards"


def _admin(token):
    return token("admin", subject="admin-cards", kind="admin")


def _grant(client, token, account, **body):
    body = {"department": account["department"], "region": account["region"], **body}
    return client.post(f"/api/v1/admin/accounts/{account['id']}/head", headers=_admin(token),
                       json=body)


def _late_card(settings, officer_account) -> dict:
    """A promised_overdue card naming the officer: accepted in time, approved late."""
    me = f.officer_of(officer_account)
    app = f.submitted(settings, f.applicant(settings), f.MONDAY)
    f.act(settings, me, app["id"], "accept", f.workday(1))
    f.act(settings, me, app["id"], "approve", f.workday(6))
    return f.card(settings, app["id"], "promised_overdue")


def test_head_only_for_an_officer_of_that_department(settings, client, token):
    officer = f.staff_account(settings)
    other = f.staff_account(settings, department="SWJ", region="441402")
    citizen = f.staff_account(settings, kind="citizen", roles=(), department=None, region=None)
    wrong = ok(_grant(client, token, other, department=f.DEPT, region=f.REGION), 422)
    assert "department" in str(wrong["error"])
    ok(_grant(client, token, officer, region="441402"), 422)   # the right department, not county
    ok(_grant(client, token, citizen, department=f.DEPT, region=f.REGION), 409)
    got = ok(_grant(client, token, officer), 201)
    assert got["roles"] == ["head", "officer"]
    ok(_grant(client, token, officer), 409)                           # a head already
    ok(client.post("/api/v1/admin/accounts/" + "0" * 32 + "/head", headers=_admin(token),
                   json={"department": f.DEPT, "region": f.REGION}), 404)
    officer_token = headers_of = f.headers_of(token, officer)
    ok(client.post(f"/api/v1/admin/accounts/{other['id']}/head", headers=officer_token,
                   json={"department": "SWJ", "region": "441402"}), 403)
    assert headers_of
    # A head is given through this route, never at creation.
    made = client.post("/api/v1/admin/accounts", headers=_admin(token), json={
        "kind": "officer", "name": "王主任", "id_number": "441402198001010016",
        "phone": "19902209999", "password": f.PASSWORD, "roles": ["officer", "head"],
        "department": f.DEPT, "region": f.REGION})
    ok(made, 422)
    # The role reaches the next token: a refresh reads it from the account.
    from functions.identity import store as identity_store

    assert "head" in identity_store.get_account(settings, officer["id"])["roles"]


def test_explain_close_and_the_403s_and_409s(settings, client, token):
    officer = f.staff_account(settings)
    card = _late_card(settings, officer)
    cid = card["id"]
    stranger = f.headers_of(token, f.staff_account(settings))         # same department, not named
    ok(client.post(f"{MINE}/{cid}/explain", headers=stranger,
                   json={"text": "不是我", "rectified": False}), 404)
    mine = f.headers_of(token, officer)
    ok(client.post(f"{MINE}/{cid}/explain", headers=mine, json={"text": " ", "rectified": True}),
       422)
    listed = ok(client.get(MINE, headers=mine))["items"]
    assert [c["id"] for c in listed if c["id"] == cid] == [cid]
    assert all(c["officer"] == officer["id"] for c in listed)
    got = ok(client.post(f"{MINE}/{cid}/explain", headers=mine,
                         json={"text": "档案调阅需异地协查，已加派人手。", "rectified": True}))
    assert got["state"] == "explained" and got["rectified"] is True
    # Its age in calendar days as of the reading (the card was raised in 2035's clock).
    from datetime import date

    from functions.core import clock

    raised = date.fromisoformat(card["raised_at"][:10])
    assert got["age_days"] == (clock.now().date() - raised).days
    ok(client.post(f"{MINE}/{cid}/explain", headers=mine,
                   json={"text": "再说明", "rectified": True}), 409)
    # The officer the card names holds a supervisor's role too: still never closes it.
    named_supervisor = token("supervisor", "officer", department=f.DEPT, region=f.REGION,
                             subject=officer["id"], kind="supervisor")
    ok(client.post(f"{CARDS}/{cid}/close", headers=named_supervisor, json={"note": "已核实"}),
       403)
    ok(client.post(f"{CARDS}/{cid}/close", headers=mine, json={"note": "已核实"}), 403)
    sup = token("supervisor", subject="sup-cards", kind="supervisor")
    ok(client.post(f"{CARDS}/{cid}/close", headers=sup, json={"note": ""}), 422)
    closed = ok(client.post(f"{CARDS}/{cid}/close", headers=sup,
                            json={"note": "说明属实，整改到位。"}))
    assert closed["state"] == "closed" and closed["closed_by"] == "sup-cards"
    ok(client.post(f"{CARDS}/{cid}/close", headers=sup, json={"note": "again"}), 409)
    ok(client.post(f"{CARDS}/nosuch-app.accept_80/close", headers=sup, json={"note": "x"}), 404)
    # Closed: in the closed list, filtered by colour, department and county.
    page = ok(client.get(CARDS, headers=sup, query_string={
        "state": "closed", "colour": "red", "department": f.DEPT, "county": f.REGION}))
    assert cid in [c["id"] for c in page["items"]]
    assert all(c["colour"] == "red" and c["department"] == f.DEPT for c in page["items"])
    assert cid not in [c["id"] for c in ok(client.get(CARDS, headers=sup))["items"]]
    from functions.core.store import audit_query

    actions = {r["action"] for r in audit_query(settings, day=closed["closed_at"][:10],
                                                 actor="sup-cards", action=None, limit=50,
                                                 start=None)[0]}
    assert "card.close" in actions


def test_a_head_sees_and_explains_their_department_only(settings, client, token):
    head = f.staff_account(settings)
    ok(_grant(client, token, head), 201)
    card = _late_card(settings, f.staff_account(settings))
    from functions.supervision import cards_service
    from tests.intake.factories import officer

    elsewhere = {"id": "MZ20350305990001", "department": "SWJ", "region": "441402",
                 "matter": None, "owner": "person:someone"}
    cards_service.raise_conduct(settings, officer("SWJ", "441402"), elsewhere, "offguide_request",
                                now=f.at(f.MONDAY))
    other = f.card(settings, elsewhere["id"], "offguide_request")
    as_head = f.headers_of(token, head, "officer", "head")
    seen = [c["id"] for c in ok(client.get(CARDS, headers=as_head))["items"]]
    assert card["id"] in seen and other["id"] not in seen
    ok(client.get(CARDS, headers=as_head, query_string={"department": "SWJ"}), 403)
    ok(client.get(f"{CARDS}/{other['id']}", headers=as_head), 404)
    dept = [c["id"] for c in ok(client.get(MINE, headers=as_head))["items"]]
    assert card["id"] in dept
    ok(client.post(f"{MINE}/{other['id']}/explain", headers=as_head,
                   json={"text": "x", "rectified": False}), 404)
    got = ok(client.post(f"{MINE}/{card['id']}/explain", headers=as_head,
                         json={"text": "部门已督办。", "rectified": False}))
    assert got["explained_by"] == head["id"]
    ok(client.post(f"{CARDS}/{card['id']}/close", headers=as_head, json={"note": "x"}), 403)
    ok(client.get(CARDS, headers=f.headers_of(token, head)), 403)     # an officer only: no list
    # A cursor of another listing is refused, never passed to DynamoDB.
    from functions.core.http import encode_key

    everyone = encode_key({"pk": {"S": f"CARD#{other['id']}"}, "sk": {"S": "C"},
                           "gsi2pk": {"S": "CARDS#open"}, "gsi2sk": {"S": "x"}})
    ok(client.get(CARDS, headers=as_head, query_string={"cursor": everyone}), 422)
