"""Recommendations end to end: facts read from the base registry through identity's store,
counters kept as applications complete (once, even when the completion is repeated), the
"not relevant" dismissal remembered and down-weighting, and the routes' 401/403/404."""
from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta

from functions.core import clock
from functions.core.auth import Principal
from functions.core.store import transact
from functions.identity import cn_ids
from functions.pages import recommend, recommend_store
from tests.helpers import ok
from tests.intake.factories import CARD, CARD_FORM, filled, person

URL = "/api/v1/me/recommendations"
PROOF = "441400-RSJ-0017"      # 个人社会保险参保缴费证明打印
PROOF_FORM = {"period": "2025-01至2025-12"}
_seq = itertools.count(1)


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 10, tzinfo=clock.CHINA)


def _registry_citizen(settings, *, birth: date, male: bool, employment: str | None,
                      region: str = "441424") -> Principal:
    """A made-up person loaded into the base registry (through identity's use case, as the
    seed is), with an account of their own."""
    from functions.identity.cli import create_staff
    from functions.identity.service import load_registry

    n = next(_seq)
    id_number = cn_ids.make_id_number(region, birth, 700 + 2 * n + (1 if male else 0))
    load_registry(settings, {"persons": [{
        "id_number": id_number, "name": "黄建华", "birth": birth.isoformat(), "region": region,
        "phone": None, "sex": cn_ids.sex_of(id_number), "employment": employment,
        "ssc_bank_account": "6228480000000000018"}], "organisations": []})
    account = create_staff(settings, kind="citizen", name="黄建华", id_number=id_number,
                           phone=f"1990077{n:04d}", password="Meizhou-2026!", roles=[])
    return Principal(subject=account["id"], kind="citizen", level=2)


def test_the_retirement_age_and_the_region_come_from_the_registry(settings):
    man = _registry_citizen(settings, birth=date(1966, 1, 10), male=True, employment="worker")
    got = recommend.recommendations(settings, man, at=_at(date(2026, 4, 1)))
    assert got[0]["rule"] == "retirement_pension"
    assert got[0]["code"] == "441424-RSJ-0006"          # 五华县's copy of the pension claim
    assert "60周岁4个月" in got[0]["reason"] and "2026年5月" in got[0]["reason"]
    assert "registry.sex" in got[0]["reads"]
    for item in got:
        assert item["reason"].startswith("因为") and item["reason_en"].startswith("Because ")
        assert item["name"] and item["name_en"]
    # a woman cadre of the same birth is already past her window (55y4m: May 2021 is before
    # the reform, so 55: January 2021)
    woman = _registry_citizen(settings, birth=date(1966, 1, 10), male=False,
                              employment="cadre")
    assert "retirement_pension" not in [
        i["rule"] for i in recommend.recommendations(settings, woman, at=_at(date(2026, 4, 1)))]


def test_the_elderly_allowance_at_80_and_the_hot_services_without_history(settings):
    old = _registry_citizen(settings, birth=date(1946, 12, 20), male=False, employment=None)
    got = recommend.recommendations(settings, old, at=_at(date(2026, 12, 1)))
    assert got[0]["rule"] == "elderly_allowance" and got[0]["code"] == "441424-MZJ-0006"
    assert "2026年12月20日年满80周岁" in got[0]["reason"]
    others = [i for i in got[1:] if i["rule"] == "popular"]
    assert others and all("五华县" in i["reason"] and "Wuhua" in i["reason_en"] for i in others)
    young = recommend.recommendations(settings, old, at=_at(date(2026, 10, 1)))
    assert "elderly_allowance" not in [i["rule"] for i in young]
    # her daughter, authorised for the allowance alone, sees that alone
    daughter = Principal(subject="rec-daughter", kind="citizen", level=2, act={
        "kind": "person", "id": old.subject, "matters": ["441424-MZJ-0006"]})
    assert [i["code"] for i in recommend.recommendations(
        settings, daughter, at=_at(date(2026, 12, 1)))] == ["441424-MZJ-0006"]


def test_a_new_enterprise_is_told_to_register_for_tax_social_security_and_housing_fund(
        settings):
    from functions.identity.service import load_registry

    uscc = cn_ids.make_uscc("9", "1", "441402", 880000 + next(_seq))
    rep = person(settings)
    load_registry(settings, {"persons": [], "organisations": [{
        "uscc": uscc, "name": f"梅州市雁洋茶业{next(_seq)}号有限公司",
        "legal_rep_id_number": "441402197005061355", "legal_rep_name": "张三丰",
        "county": "441402", "industry": "制造业", "size": "micro", "founded": "2026-11-20",
        "individual_business": False, "status": "active"}]})
    acting = Principal(subject=rep.subject, kind="citizen", level=2,
                       act={"kind": "enterprise", "id": uscc, "role": "legal_rep"})
    got = recommend.recommendations(settings, acting, at=_at(date(2026, 12, 1)))
    rules_ = [i for i in got if i["rule"] == "new_enterprise"]
    assert {i["code"] for i in rules_} == {"441402-SWJ-0004", "441402-RSJ-0010",
                                           "441400-GJJ-0011"}
    assert all("2026-11-20" in i["reason"] and "11天前" in i["reason"] for i in rules_)
    later = recommend.recommendations(settings, acting, at=_at(date(2026, 12, 20)))
    assert "new_enterprise" not in [i["rule"] for i in later]


def _complete(client, headers, officer, matter, form) -> dict:
    app = filled(client, headers, matter, form)
    ok(client.post(f"/api/v1/applications/{app['id']}/submit", headers=headers))
    for action in ("accept", "approve"):
        ok(client.post(f"/api/v1/officer/applications/{app['id']}/actions", headers=officer,
                       json={"action": action}))
    return app


def test_completions_are_counted_once_even_when_the_completion_is_repeated(
        client, token, settings):
    who = person(settings)
    citizen = token("citizen", subject=who.subject, kind="citizen", lvl=2)
    rsj = token("officer", department="RSJ", region="441400", subject="rec-rsj")
    before_next = recommend_store.transitions(settings, CARD).get(PROOF, 0)
    before_hot = recommend_store.hot(settings, "441400").get(PROOF, 0)
    _complete(client, citizen, rsj, CARD, CARD_FORM)
    app = _complete(client, citizen, rsj, PROOF, PROOF_FORM)
    again = client.post(f"/api/v1/officer/applications/{app['id']}/actions", headers=rsj,
                        json={"action": "approve"})
    assert again.status_code == 409
    assert recommend_store.transitions(settings, CARD).get(PROOF, 0) == before_next + 1
    assert recommend_store.hot(settings, "441400").get(PROOF, 0) == before_hot + 1
    past = recommend_store.party_history(settings, f"person:{who.subject}")
    assert past["last"] == [PROOF, CARD] and past["done"] == {CARD, PROOF}


def _others_did(settings, first: str, then: str, times: int) -> None:
    """Other people's completions of `then` right after `first`, as intake records them."""
    for i in range(times):
        owner = f"person:rec-other-{next(_seq)}-{i}"
        transact(settings, recommend_store.completion_items(
            settings.table_name, owner=owner, matter=then, region="441400",
            at=clock.iso(), previous=[first]))


def _history_of(settings, who) -> None:
    transact(settings, recommend_store.completion_items(
        settings.table_name, owner=f"person:{who.subject}", matter=CARD, region="441400",
        at=clock.iso(), previous=[]))


def test_what_people_did_next_is_suggested_dismissed_and_down_weighted(
        client, token, settings):
    _others_did(settings, CARD, PROOF, 40)
    a, b = person(settings), person(settings)    # the same birth: the same segment
    for who in (a, b):
        _history_of(settings, who)
    headers = token("citizen", subject=a.subject, kind="citizen", lvl=2)
    items = ok(client.get(URL, headers=headers))["items"]
    proof = next(i for i in items if i["code"] == PROOF)
    assert proof["rule"] == "history" and "因为您刚办完“社会保障卡申领”" in proof["reason"]
    assert "Because you just completed" in proof["reason_en"]
    assert CARD not in [i["code"] for i in items]      # what they just did is not suggested

    def b_score() -> float:
        got = recommend.recommendations(settings, b, at=clock.now())
        return next(i["score"] for i in got if i["code"] == PROOF)

    score_before = b_score()
    segment = "person:40s"
    seg_before = recommend_store.segment_dismissals(settings, segment).get(PROOF, 0)
    first = ok(client.post(f"{URL}/{PROOF}/dismiss", headers=headers))
    assert first == {"code": PROOF, "dismissed": True, "counted": True}
    assert PROOF not in [i["code"] for i in ok(client.get(URL, headers=headers))["items"]]
    second = ok(client.post(f"{URL}/{PROOF}/dismiss", headers=headers))
    assert second["counted"] is False          # remembered, counted once
    assert recommend_store.segment_dismissals(settings, segment)[PROOF] == seg_before + 1
    for i in range(4):       # four more people of the segment: five in all halve it
        recommend_store.dismiss(settings, f"person:rec-seg-{next(_seq)}-{i}", PROOF,
                                segment=segment, at=clock.iso())
    dismissed = recommend_store.segment_dismissals(settings, segment)[PROOF]
    assert abs(b_score() - score_before * 0.5 ** ((dismissed - seg_before) / 5)) < 1e-3
    assert b_score() < score_before


def test_the_routes_refuse_strangers_staff_and_unknown_matters(client, token, settings):
    assert client.get(URL).status_code == 401
    assert client.post(f"{URL}/{CARD}/dismiss").status_code == 401
    officer = token("officer", department="RSJ", region="441400", subject="rec-officer")
    ok(client.get(URL, headers=officer), 403)
    ok(client.post(f"{URL}/{CARD}/dismiss", headers=officer), 403)
    who = person(settings)
    citizen = token("citizen", subject=who.subject, kind="citizen", lvl=2)
    missing = ok(client.post(f"{URL}/441400-RSJ-9999/dismiss", headers=citizen), 404)
    assert missing["error"]
    assert ok(client.get(f"{URL}?limit=11", headers=citizen), 400)["error"]
    assert ok(client.get(f"{URL}?since=1", headers=citizen), 400)["error"]
    assert len(ok(client.get(f"{URL}?limit=1", headers=citizen))["items"]) == 1
    assert isinstance(ok(client.get(URL, headers=citizen))["items"], list)


def test_a_licence_in_the_wallet_about_to_expire_suggests_its_renewal(settings):
    from functions.licences import service
    from tests.licences.factories import staff

    who = person(settings)
    today = clock.now().astimezone(clock.CHINA).date()
    issued = today.replace(year=today.year - 10) + timedelta(days=20)   # valid 10 years
    licence = service.issue_at_counter(settings, staff("GAJ"), {
        "type": "driving_licence", "holder_kind": "person", "holder_id": who.subject,
        "fields": {}, "application": None},
        now=_at(issued), base_url="http://localhost")
    got = recommend.recommendations(settings, who, at=clock.now())
    renewal = next(i for i in got if i["rule"] == "licence_renewal")
    assert renewal["code"] == "441400-GAJ-0014"        # 机动车驾驶证期满换证
    assert f"将于{licence['expires']}到期" in renewal["reason"]
    assert "Driving licence" in renewal["reason_en"]
