"""GET /api/v1/me/page: every section for a citizen and for an enterprise, personal numbers
masked, identities the caller may not act for refused, and the storage budget (the page's own
reads: two round trips whatever the account holds; the use counter written in round 2 on the
month's first open, and a failing counter write never failing the page)."""
from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from functions.core import aws, clock
from functions.core.auth import Principal
from functions.pages import page
from tests.helpers import ok
from tests.intake.factories import CARD, CARD_FORM, filled
from tests.licences.factories import make_citizen, make_enterprise, staff
from tests.pages.page_factories import fill

URL = "/api/v1/me/page"
EVENT = "before-parameter-build.dynamodb"   # once per API call, with its parameters


def _issue(settings, type_: str, holder_kind: str, holder_id: str, department: str,
           fields: dict, *, expires_in: int, years: int) -> None:
    from functions.licences import service as licences

    issued = clock.now() - timedelta(days=round(365.25 * years) - expires_in)
    licences.issue_at_counter(settings, staff(department, subject="page-issuer"), {
        "type": type_, "holder_kind": holder_kind, "holder_id": holder_id, "fields": fields,
        "application": None}, now=issued, base_url="http://hall.test")


@pytest.fixture(autouse=True)
def _fresh_caches():
    page.forget()
    yield
    page.forget()


def test_a_citizens_page_holds_every_section_with_numbers_masked(client, token, settings):
    me = make_citizen(settings, "邓晓梅")
    _issue(settings, "residence_permit", "person", me["id"], "GAJ",
           {"address": "梅州市梅江区金燕大道1号"}, expires_in=20, years=1)
    headers = token("citizen", subject=me["id"], kind="citizen", lvl=2)
    draft = filled(client, headers, CARD, CARD_FORM)
    sent = filled(client, headers, CARD, CARD_FORM)
    ok(client.post(f"/api/v1/applications/{sent['id']}/submit", headers=headers))
    ok(client.put(f"/api/v1/me/pins/{CARD}", headers=headers))
    resp = client.get(URL, headers=headers)
    got = ok(resp)
    assert got["party"] == "person" and got["as_of"] == clock.now().date().isoformat()
    profile = got["profile"]
    assert profile["name"] == "邓晓梅" and "*" in profile["id_number"] and "*" in profile["phone"]
    assert me["id_number"] not in resp.get_data(as_text=True)
    apps = {a["id"]: a for a in got["applications"]}
    assert apps[draft["id"]]["turn"] == "applicant" and apps[draft["id"]]["due"] is None
    assert apps[sent["id"]]["turn"] == "department" and apps[sent["id"]]["status"] == "submitted"
    assert apps[sent["id"]]["due"] > got["as_of"]     # the 受理 deadline rides on the pointer
    permit = next(lic for lic in got["licences"] if lic["type"] == "residence_permit")
    assert permit["expiring"] and 18 <= permit["days_left"] <= 22 and not permit["expired"]
    assert got["inbox"]["available"] and got["inbox"]["unread"] >= 1
    assert {"licence", "application"} <= {n["kind"] for n in got["inbox"]["latest"]}
    assert "residence-permit-endorsement" in {d["id"] for d in got["deadlines"]}
    assert [d["date"] for d in got["deadlines"]] == sorted(d["date"] for d in got["deadlines"])
    assert got["recommendations"]
    for rec in got["recommendations"]:
        assert rec["code"] and rec["name"] and rec["reason"].startswith("因为")
        assert rec["reason_en"].startswith("Because ")
    assert [p["code"] for p in got["pinned"]] == [CARD] and got["pinned"][0]["name"]
    assert got["enterprises"] == [] and "enterprise" not in got


def test_an_enterprise_page_has_its_licences_staff_and_delegations(client, token, settings):
    rep = make_citizen(settings, "温志强")
    firm = make_enterprise(settings, rep)
    _issue(settings, "food_licence", "enterprise", firm["uscc"], "SCJGJ",
           {"operator_type": "食品销售经营者", "premises": "梅州市梅江区彬芳大道2号",
            "business_items": "预包装食品销售"}, expires_in=40, years=5)
    act = {"kind": "enterprise", "id": firm["uscc"], "role": "legal_rep"}
    headers = token("citizen", subject=rep["id"], kind="citizen", lvl=2, act=act)
    got = ok(client.get(f"{URL}?identity=enterprise:{firm['uscc']}", headers=headers))
    assert got["party"] == "enterprise" and got["profile"]["uscc"] == firm["uscc"]
    assert got["profile"]["role"] == "legal_rep" and got["profile"]["name"] == firm["name"]
    food = next(lic for lic in got["licences"] if lic["type"] == "food_licence")
    assert food["expiring"] and food["renew"]
    assert {"vat-monthly", "food-licence-renewal"} <= {d["id"] for d in got["deadlines"]}
    assert got["enterprise"]["staff"][0] == {"name": None, "role": "legal_rep",
                                             "expires": None, "is_you": True}
    assert got["enterprise"]["delegations"] == []
    assert got["inbox"]["unread"] >= 1          # the licence's notice, in the firm's own inbox
    assert "enterprises" not in got
    # the person's own page is a different one
    own = ok(client.get(URL, headers=token("citizen", subject=rep["id"], kind="citizen",
                                           lvl=2)))
    assert own["party"] == "person" and own["enterprises"][0]["uscc"] == firm["uscc"]
    assert not [lic for lic in own["licences"] if lic["type"] == "food_licence"]


def test_identities_the_caller_may_not_act_for_are_refused(client, token, settings):
    rep = make_citizen(settings, "温志远")
    firm = make_enterprise(settings, rep)
    stranger = make_citizen(settings, "林立")
    act = {"kind": "enterprise", "id": firm["uscc"], "role": "legal_rep"}
    refused = client.get(URL, headers=token("citizen", subject=stranger["id"], kind="citizen",
                                            lvl=2, act=act))
    assert refused.status_code == 403 and refused.get_json()["error"]
    mine = token("citizen", subject=stranger["id"], kind="citizen", lvl=2)
    other = client.get(f"{URL}?identity=enterprise:{firm['uscc']}", headers=mine)
    assert other.status_code == 403
    assert other.get_json()["error"]["details"]["acting_as"] == f"person:{stranger['id']}"
    assert client.get(f"{URL}?identity=nobody", headers=mine).status_code in (400, 422)
    assert client.get(URL).status_code == 401
    officer = token("officer", department="SWJ", region="441400")
    assert client.get(URL, headers=officer).status_code == 403


def _count(settings) -> tuple[list[tuple[str, str]], object]:
    """Every DynamoDB call from now on, with the thread that made it."""
    calls: list[tuple[str, str]] = []

    def hook(model, params, **_):
        # The catalogue's once-a-minute look at its pointer is the hall's, not the page's.
        if params.get("Key", {}).get("pk", {}).get("S") != "CATALOGUE":
            calls.append((model.name, threading.current_thread().name))

    aws.client("dynamodb", settings).meta.events.register(EVENT, hook)
    return calls, hook


def _counted(settings, who) -> tuple[dict, list]:
    calls, hook = _count(settings)
    try:
        got = page.page(settings, who, at=clock.now())
    finally:
        aws.client("dynamodb", settings).meta.events.unregister(EVENT, hook)
    return got, calls


def test_the_pages_own_reads_take_two_round_trips_whatever_the_account_holds(settings):
    light, heavy = make_citizen(settings, "黄小"), make_citizen(settings, "黄大")
    fill(settings, f"person:{heavy['id']}")
    for account in (light, heavy):
        who = Principal(subject=account["id"], kind="citizen", level=2)
        page.page(settings, who, at=clock.now())     # warms the catalogue and the counters
    found = {}
    for account in (light, heavy):
        who = Principal(subject=account["id"], kind="citizen", level=2)
        found[account["id"]] = _counted(settings, who)
    got, calls = found[heavy["id"]]
    assert [name for name, _ in calls] == ["Query", "Query"]
    assert [name for name, _ in found[light["id"]][1]] == ["Query", "Query"]
    assert len(got["applications"]) == sum(1 for i in range(50) if i % 7 < 5)  # open states
    assert len(got["licences"]) == 20 and got["inbox"]["unread"] == 200
    assert len(got["inbox"]["latest"]) == 5
    assert got["inbox"]["latest"][0]["title"] == "办件进度通知199"
    # the cold page reads no more for the heavy account than for the light one
    page.forget()
    cold_heavy = [n for n, _ in _counted(settings, Principal(subject=heavy["id"],
                                                             kind="citizen"))[1]]
    page.forget()
    cold_light = [n for n, _ in _counted(settings, Principal(subject=light["id"],
                                                             kind="citizen"))[1]]
    assert cold_heavy == cold_light


def test_an_enterprise_page_reads_its_inbox_and_staff_side_by_side(settings):
    rep = make_citizen(settings, "温大")
    firm = make_enterprise(settings, rep)
    fill(settings, f"enterprise:{firm['uscc']}")
    who = Principal(subject=rep["id"], kind="citizen", level=2,
                    act={"kind": "enterprise", "id": firm["uscc"], "role": "legal_rep"})
    page.page(settings, who, at=clock.now())
    got, calls = _counted(settings, who)
    # round 1: the partition (main thread); round 2: the newest notices and the staff's
    # grants, issued together from the pool
    assert calls[0] == ("Query", threading.current_thread().name)
    assert sorted(name for name, _ in calls[1:]) == ["Query", "Query"]
    assert all(thread != threading.current_thread().name for _, thread in calls[1:])
    assert got["inbox"]["unread"] == 200 and len(got["applications"]) == 36


# ---- the use counter: written in round 2 on the month's first open, never failing the page ----

def _opens(settings, audience: str, county: str) -> int:
    from functions.supervision import page_use, page_use_store

    return page_use_store.opens(settings, page_use.month_at(clock.now())).get(
        (audience, county), 0)


def test_a_heavy_enterprises_first_open_of_the_month_counts_it_in_round_two(settings):
    rep = make_citizen(settings, "温重")
    firm = make_enterprise(settings, rep)
    fill(settings, f"enterprise:{firm['uscc']}")
    other = make_enterprise(settings, rep)
    acting = {"kind": "enterprise", "role": "legal_rep"}
    page.page(settings, Principal(subject=rep["id"], kind="citizen", level=2,
                                  act={**acting, "id": other["uscc"]}), at=clock.now())
    who = Principal(subject=rep["id"], kind="citizen", level=2,
                    act={**acting, "id": firm["uscc"]})
    before = _opens(settings, "enterprise", "441402")
    main = threading.current_thread().name
    got, calls = _counted(settings, who)
    # round 1: the partition; round 2, side by side from the pool, one call a thread: the
    # newest notices, the staff's grants and the counter's transaction
    assert calls[0] == ("Query", main)
    assert sorted(name for name, _ in calls[1:]) == ["Query", "Query", "TransactWriteItems"]
    threads = [thread for _, thread in calls[1:]]
    assert main not in threads and len(set(threads)) == 3
    assert _opens(settings, "enterprise", "441402") == before + 1
    assert len(got["applications"]) == 36 and len(got["licences"]) == 20
    assert got["inbox"]["unread"] == 200
    # the second open of the month: the reads alone, and no second count
    _, again = _counted(settings, who)
    assert sorted(name for name, _ in again) == ["Query", "Query", "Query"]
    assert _opens(settings, "enterprise", "441402") == before + 1


def test_a_persons_first_open_counts_after_the_registry_record_in_its_thread(
        settings, monkeypatch):
    from functions.pages import recommend_store

    # the city-wide counters are cached for a minute: a slow run would read them again here
    for read in ("transitions", "hot", "segment_dismissals"):
        monkeypatch.setattr(recommend_store, read, lambda *_: {})
    warm, heavy = make_citizen(settings, "黄暖"), make_citizen(settings, "黄重")
    fill(settings, f"person:{heavy['id']}")
    page.page(settings, Principal(subject=warm["id"], kind="citizen", level=2), at=clock.now())
    who = Principal(subject=heavy["id"], kind="citizen", level=2)
    before = _opens(settings, "citizen_other", "441481")   # not in the base registry
    main = threading.current_thread().name
    _, calls = _counted(settings, who)
    assert calls[0] == ("Query", main)
    by_thread: dict[str, list[str]] = {}
    for name, thread in calls[1:]:
        by_thread.setdefault(thread, []).append(name)
    # the reads: two round trips; the write follows the (cold) registry record, which
    # decides the county and the age band
    assert sorted(by_thread.values()) == [["GetItem", "TransactWriteItems"], ["Query"]]
    assert _opens(settings, "citizen_other", "441481") == before + 1
    _, again = _counted(settings, who)
    assert [name for name, _ in again] == ["Query", "Query"]   # the record is cached now


def test_a_failing_counter_write_still_returns_the_page_and_counts_on_the_next_open(
        settings, monkeypatch):
    import logging

    from botocore.exceptions import ClientError

    rep = make_citizen(settings, "温失")
    firm = make_enterprise(settings, rep)
    who = Principal(subject=rep["id"], kind="citizen", level=2,
                    act={"kind": "enterprise", "id": firm["uscc"], "role": "legal_rep"})
    ddb = aws.client("dynamodb", settings)

    def throttled(**_):
        raise ClientError({"Error": {"Code": "ThrottlingException", "Message": "slow down"},
                           "ResponseMetadata": {"HTTPStatusCode": 400}}, "TransactWriteItems")

    seen: list[logging.LogRecord] = []
    handler = logging.Handler(logging.WARNING)
    handler.emit = seen.append
    logging.getLogger("hall.pages").addHandler(handler)
    before = _opens(settings, "enterprise", "441402")
    monkeypatch.setattr(ddb, "transact_write_items", throttled)
    try:
        got = page.page(settings, who, at=clock.now())
    finally:
        logging.getLogger("hall.pages").removeHandler(handler)
        monkeypatch.undo()
    assert got["party"] == "enterprise" and got["profile"]["uscc"] == firm["uscc"]
    assert [(r.error, r.party_kind) for r in seen] == [("ThrottlingException", "enterprise")]
    assert _opens(settings, "enterprise", "441402") == before
    # nothing was written, so the next open counts it
    _, calls = _counted(settings, who)
    assert "TransactWriteItems" in [name for name, _ in calls]
    assert _opens(settings, "enterprise", "441402") == before + 1
