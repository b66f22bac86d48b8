"""PUT/DELETE /api/v1/me/pins/{code}: idempotent, unknown matters 404, a cap of 20 (409),
pins kept per acting identity and listed on the page newest first."""
from __future__ import annotations

from functions.hall import service as hall
from functions.pages import page
from tests.helpers import ok
from tests.licences.factories import make_citizen, make_enterprise

PIN = "/api/v1/me/pins/{}"


def _codes(settings, n: int) -> list[str]:
    return sorted(hall.catalogue(settings).matters)[:n]


def test_pinning_twice_changes_nothing_and_unpinning_twice_neither(client, token, settings):
    me = make_citizen(settings, "钟秀")
    headers = token("citizen", subject=me["id"], kind="citizen", lvl=2)
    first, second = _codes(settings, 2)
    assert ok(client.put(PIN.format(first), headers=headers)) == {
        "code": first, "pinned": True, "changed": True}
    assert ok(client.put(PIN.format(first), headers=headers))["changed"] is False
    ok(client.put(PIN.format(second), headers=headers))
    pinned = ok(client.get("/api/v1/me/page", headers=headers))["pinned"]
    assert [p["code"] for p in pinned] == [second, first]      # newest first
    assert ok(client.delete(PIN.format(first), headers=headers)) == {
        "code": first, "pinned": False, "changed": True}
    assert ok(client.delete(PIN.format(first), headers=headers))["changed"] is False
    pinned = ok(client.get("/api/v1/me/page", headers=headers))["pinned"]
    assert [p["code"] for p in pinned] == [second]


def test_unknown_matters_are_404_and_the_cap_is_409(client, token, settings):
    me = make_citizen(settings, "钟灵")
    headers = token("citizen", subject=me["id"], kind="citizen", lvl=2)
    for verb in (client.put, client.delete):
        resp = verb(PIN.format("441400-XXX-9999"), headers=headers)
        assert resp.status_code == 404 and resp.get_json()["error"]
    codes = _codes(settings, page.PIN_CAP + 1)
    for code in codes[:page.PIN_CAP]:
        ok(client.put(PIN.format(code), headers=headers))
    full = client.put(PIN.format(codes[-1]), headers=headers)
    assert full.status_code == 409 and full.get_json()["error"]["details"]["cap"] == 20
    # one already pinned is still fine at the cap, and unpinning makes room
    assert ok(client.put(PIN.format(codes[0]), headers=headers))["changed"] is False
    ok(client.delete(PIN.format(codes[0]), headers=headers))
    assert ok(client.put(PIN.format(codes[-1]), headers=headers))["changed"] is True
    assert len(ok(client.get("/api/v1/me/page", headers=headers))["pinned"]) == page.PIN_CAP


def test_pins_belong_to_the_acting_identity(client, token, settings):
    rep = make_citizen(settings, "钟毅")
    firm = make_enterprise(settings, rep)
    mine = token("citizen", subject=rep["id"], kind="citizen", lvl=2)
    firms = token("citizen", subject=rep["id"], kind="citizen", lvl=2,
                  act={"kind": "enterprise", "id": firm["uscc"], "role": "legal_rep"})
    code = _codes(settings, 1)[0]
    ok(client.put(PIN.format(code), headers=firms))
    assert [p["code"] for p in ok(client.get("/api/v1/me/page", headers=firms))["pinned"]] \
        == [code]
    assert ok(client.get("/api/v1/me/page", headers=mine))["pinned"] == []
    assert client.put(PIN.format(code)).status_code == 401
    officer = token("officer", department="SWJ", region="441400")
    assert client.put(PIN.format(code), headers=officer).status_code == 403
