"""Personal form values (ID numbers, phones): sealed at rest, masked in every answer, shown in
full only by one audited reveal to the handling department; licences get the real values."""
from __future__ import annotations

import json

import pytest

from functions.core import clock, pii
from functions.core.errors import NotFound, RuleError
from functions.core.store import audit_record
from functions.identity.cn_ids import mask_id, mask_phone
from functions.intake import service, store
from tests.helpers import audit_rows, ok
from tests.intake.factories import (
    CARD,
    CARD_FORM,
    DEATH,
    DECEASED_ID,
    drafted,
    filled,
    numbers,
    officer,
    person,
    raw_items,
)


def masked(who) -> dict:
    id_no, phone = numbers(who)
    return {"id_number": mask_id(id_no), "phone": mask_phone(phone)}


def shows_masks(app: dict, who) -> None:
    want = masked(who)
    assert {k: app["form"][k] for k in want} == want, app["form"]
    assert "sealed" not in app


def test_the_stored_application_holds_neither_number(client, citizen, settings, someone):
    ID_NO, PHONE = numbers(someone)
    MASKED = masked(someone)
    app = ok(client.post("/api/v1/applications", headers=citizen,
                         json={"matter": CARD, "form": CARD_FORM}), 201)
    items = json.dumps(raw_items(settings, app["id"]), ensure_ascii=False)
    assert ID_NO not in items and PHONE not in items
    doc = json.loads(raw_items(settings, app["id"])[0]["doc"]["S"])
    assert doc["form"]["id_number"] == MASKED["id_number"]
    assert pii.unseal(settings, doc["sealed"]["id_number"],
                      f"application:{app['id']}:id_number") == ID_NO
    # The sealed value is bound to its application and field: moved elsewhere it does not open.
    with pytest.raises(Exception):  # noqa: B017 (cryptography's InvalidTag)
        pii.unseal(settings, doc["sealed"]["id_number"], f"application:{app['id']}:phone")


def test_every_answer_about_an_application_shows_masks(client, citizen, rsj, token, someone):
    def shows(app):
        shows_masks(app, someone)

    app = filled(client, citizen, CARD, CARD_FORM)
    shows(app)
    url = f"/api/v1/applications/{app['id']}"
    officer_url = f"/api/v1/officer/applications/{app['id']}"
    shows(ok(client.put(f"{url}/form", headers=citizen, json={"form": CARD_FORM})))
    shows(ok(client.get(url, headers=citizen)))
    shows(ok(client.post(f"{url}/submit", headers=citizen)))
    queue = ok(client.get("/api/v1/officer/applications?status=submitted&limit=100",
                          headers=rsj))["items"]
    shows(next(a for a in queue if a["id"] == app["id"]))
    shows(ok(client.get(officer_url, headers=rsj)))
    shows(ok(client.post(f"{officer_url}/visits", headers=rsj)))
    shows(ok(client.post(f"{officer_url}/actions", headers=rsj, json={"action": "accept"})))
    shows(ok(client.post(f"{url}/withdraw", headers=citizen)))


def test_counter_intake_seals_and_masks_too(client, settings, token):
    at_counter = person(settings, phone="19900530001")
    ID_NO, PHONE = numbers(at_counter)
    counter = token("officer", department="RSJ", region="441400", subject="rsj-counter")
    app = ok(client.post("/api/v1/officer/applications", headers=counter, json={
        "matter": CARD, "applicant_phone": "19900530001", "form": CARD_FORM}), 201)
    shows_masks(app, at_counter)
    assert app["status"] == "submitted" and app["channel"] == "counter"
    items = json.dumps(raw_items(settings, app["id"]), ensure_ascii=False)
    assert ID_NO not in items and PHONE not in items


def test_an_officer_of_the_handling_department_reveals_with_one_audited_call(
        client, citizen, rsj, scj, settings, someone):
    ID_NO, PHONE = numbers(someone)
    app = filled(client, citizen, CARD, CARD_FORM)
    url = f"/api/v1/officer/applications/{app['id']}/reveal"
    got = ok(client.post(url, headers=rsj, json={"fields": ["id_number", "phone"]}))
    assert got == {"application": app["id"], "fields": {"id_number": ID_NO, "phone": PHONE}}
    rows = audit_rows(settings, actor="rsj-officer", action="application.reveal")
    mine = [r for r in rows if r["target"] == app["id"]]
    assert [r["detail"] for r in mine] == [{"fields": ["id_number", "phone"]}]
    assert ID_NO not in json.dumps(mine) and PHONE not in json.dumps(mine)
    # Another department's officer learns nothing, not even that the application exists.
    ok(client.post(url, headers=scj, json={"fields": ["id_number"]}), 404)
    # Only personal fields: not a name, not a field the form does not have.
    for fields in (["applicant_name"], ["favourite_colour"], ["id_number", "bank_choice"]):
        err = ok(client.post(url, headers=rsj, json={"fields": fields}), 422)
        assert list(err["error"]["details"]["fields"]) == ["fields"]


def test_a_personal_field_left_empty_cannot_be_revealed(settings, someone):
    # 死亡医学证明: the deceased's ID number, left empty in a draft.
    app, _ = service.create(settings, someone, matter_code=DEATH, idem_key=None,
                            form={"deceased_name": "李老"}, now=clock.now())
    with pytest.raises(RuleError) as err:
        service.reveal(settings, officer("WJJ"), app["id"], ["deceased_id_number"],
                       now=clock.now())
    assert "fields" in err.value.details["fields"]
    assert service.reveal(settings, officer("WJJ"), app["id"], ["id_number"],
                          now=clock.now())["fields"] == {"id_number": numbers(someone)[0]}


def test_reveal_is_only_for_the_handling_department_and_region(settings, someone):
    app, _ = service.create(settings, someone, matter_code=CARD, form=CARD_FORM,
                            idem_key=None, now=clock.now())
    for other in (officer("SCJGJ"), officer("RSJ", "441402")):
        with pytest.raises(NotFound):
            service.reveal(settings, other, app["id"], ["id_number"], now=clock.now())


def test_a_mask_sent_back_keeps_the_value_and_a_server_filled_one_cannot_change(
        settings, someone):
    ID_NO, PHONE = numbers(someone)
    app, _ = service.create(settings, someone, matter_code=CARD, form=CARD_FORM,
                            idem_key=None, now=clock.now())
    assert app["form"]["id_number"] == mask_id(ID_NO) and app["prefilled"] == [
        "applicant_name", "id_number", "phone"]
    before = json.loads(raw_items(settings, app["id"])[0]["doc"]["S"])["sealed"]
    # What the PWA shows is sent back as it is: the mask stands for the sealed original.
    again = service.update_form(settings, someone, app["id"], app["form"], now=clock.now())
    after = json.loads(raw_items(settings, app["id"])[0]["doc"]["S"])["sealed"]
    assert after == before and again["form"] == app["form"]
    revealed = service.reveal(settings, officer("RSJ"), app["id"], ["id_number", "phone"],
                              now=clock.now())["fields"]
    assert revealed == {"id_number": ID_NO, "phone": PHONE}
    # Another phone, another number, a mask of something else: each a 422 naming the field,
    # and nothing is written.
    for field, value in (("phone", "13700001111"), ("id_number", "441402********9999"),
                         ("applicant_name", "王五")):
        with pytest.raises(RuleError) as err:
            service.update_form(settings, someone, app["id"], {**app["form"], field: value},
                                now=clock.now())
        assert list(err.value.details["fields"]) == [f"form.{field}"]
    assert json.loads(raw_items(settings, app["id"])[0]["doc"]["S"])["sealed"] == before


def test_a_returned_application_is_corrected_without_retyping_the_numbers(
        client, citizen, rsj, settings, someone):
    ID_NO, PHONE = numbers(someone)
    app = filled(client, citizen, CARD, CARD_FORM)
    url = f"/api/v1/applications/{app['id']}"
    ok(client.post(f"{url}/submit", headers=citizen))
    ok(client.post(f"/api/v1/officer/applications/{app['id']}/actions", headers=rsj,
                   json={"action": "return", "items": ["近期免冠彩色证件照片"]}))
    shown = ok(client.get(url, headers=citizen))["form"]
    ok(client.put(f"{url}/form", headers=citizen, json={"form": {**shown, "delivery": "窗口自取"}}))
    shows_masks(ok(client.post(f"{url}/submit", headers=citizen)), someone)
    got = ok(client.post(f"/api/v1/officer/applications/{app['id']}/reveal", headers=rsj,
                         json={"fields": ["id_number", "phone"]}))
    assert got["fields"] == {"id_number": ID_NO, "phone": PHONE}


def test_an_approval_issues_licences_from_the_real_values(settings, someone):
    from functions.licences import store as licences_store

    form = {"deceased_name": "李老", "deceased_id_number": DECEASED_ID,
            "death_date": "2026-11-01", "death_place": "医疗机构内"}
    wjj = officer("WJJ")
    app = drafted(settings, someone, DEATH, form)
    assert app["form"]["deceased_id_number"] == mask_id(DECEASED_ID)
    service.submit(settings, someone, app["id"], now=clock.now())
    service.act(settings, wjj, app["id"], action="accept", now=clock.now())
    done = service.act(settings, wjj, app["id"], action="approve", now=clock.now())
    [lid] = done["licences"]
    licence = licences_store.get_licence(settings, lid)
    sealed = licence["sealed"]["deceased_id_number"]
    assert pii.unseal(settings, sealed, f"licence:{lid}:deceased_id_number") == DECEASED_ID


def test_an_application_stored_in_clear_still_reads_masked(client, citizen, rsj, settings,
                                                          someone):
    ID_NO, PHONE = numbers(someone)
    legacy_form = {**CARD_FORM, "applicant_name": "李明", "id_number": ID_NO, "phone": PHONE}
    """Local data written before sealing holds the numbers in clear: they are masked on the
    way out, revealed from the clear value, and sealed by the next write."""
    app, _ = service.create(settings, someone, matter_code=CARD, form={}, idem_key=None,
                            now=clock.now())
    legacy = {**store.get(settings, app["id"]), "form": legacy_form}
    legacy.pop("sealed")
    store.save(settings, legacy, expected="draft", event=None,
               audit=audit_record(None, "test.legacy", app["id"], at=clock.iso()))
    url = f"/api/v1/applications/{app['id']}"
    shows_masks(ok(client.get(url, headers=citizen)), someone)
    got = ok(client.post(f"/api/v1/officer/applications/{app['id']}/reveal", headers=rsj,
                         json={"fields": ["phone"]}))
    assert got["fields"] == {"phone": PHONE}
    shown = ok(client.get(url, headers=citizen))["form"]
    shows_masks(ok(client.put(f"{url}/form", headers=citizen, json={"form": shown})), someone)
    items = json.dumps(raw_items(settings, app["id"]), ensure_ascii=False)
    assert ID_NO not in items and PHONE not in items
    assert service.reveal(settings, officer("RSJ"), app["id"], ["id_number"],
                          now=clock.now())["fields"] == {"id_number": ID_NO}
