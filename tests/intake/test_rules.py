"""The intake rules, called on the service and the model: forms and their numbers, whose
application is whose, the state machine, guide conformance. HTTP only for what the wire adds
(strict JSON)."""
from __future__ import annotations

import pytest

from functions.core import clock
from functions.core.errors import Conflict, Forbidden, NotFound, RuleError
from functions.core.store import audit_query
from functions.intake import model, service
from tests.helpers import ok
from tests.intake.factories import CARD, CARD_FORM, FOOD, REFUND, drafted, officer, person

AMOUNT = {"name": "amount", "label": "金额", "type": "number"}


@pytest.mark.parametrize("spec,value", [
    (AMOUNT, -1), (AMOUNT, 10 ** 12 + 1), (AMOUNT, 1e13), (AMOUNT, float("nan")),
    (AMOUNT, float("inf")), (AMOUNT, float("-inf")), (AMOUNT, True), (AMOUNT, "12"),
    ({**AMOUNT, "min": 1, "max": 80}, 0), ({**AMOUNT, "min": 1, "max": 80}, 81),
])
def test_a_number_field_takes_only_finite_numbers_in_its_range(spec, value):
    with pytest.raises(RuleError) as err:
        model.check_form([spec], {"amount": value})
    assert list(err.value.details["fields"]) == ["form.amount"]


@pytest.mark.parametrize("spec,value", [
    (AMOUNT, 0), (AMOUNT, 10 ** 12), (AMOUNT, 1234.5), ({**AMOUNT, "min": -5, "max": 5}, -5),
])
def test_a_number_field_takes_its_range_bounds_included(spec, value):
    assert model.check_form([spec], {"amount": value}) == {"amount": value}


@pytest.mark.parametrize("raw", ["NaN", "Infinity", "-Infinity", "1e400"])
def test_numbers_that_are_not_finite_are_a_422(client, citizen, raw):
    body = f'{{"matter": "{REFUND}", "form": {{"amount": {raw}}}}}'
    ok(client.post("/api/v1/applications", headers={**citizen, "Content-Type":
                                                    "application/json"}, data=body), 422)


def test_a_number_out_of_its_range_is_a_422_naming_the_field(client, citizen):
    err = ok(client.post("/api/v1/applications", headers=citizen,
                         json={"matter": REFUND, "form": {"amount": 10 ** 13}}), 422)
    assert list(err["error"]["details"]["fields"]) == ["form.amount"]


def test_a_lone_surrogate_in_a_form_value_is_a_400(client, citizen):
    body = f'{{"matter": "{CARD}", "form": {{"applicant_name": "\\ud800"}}}}'
    ok(client.post("/api/v1/applications", headers={**citizen, "Content-Type":
                                                    "application/json"}, data=body), 400)


def test_someone_elses_application_is_not_found(settings, someone):
    app = drafted(settings, someone, CARD, CARD_FORM)
    other = person(settings)
    for call in (lambda: service.get(settings, other, app["id"]),
                 lambda: service.submit(settings, other, app["id"], now=clock.now()),
                 lambda: service.withdraw(settings, other, app["id"], now=clock.now()),
                 lambda: service.update_form(settings, other, app["id"], {}, now=clock.now()),
                 lambda: service.get(settings, other, "MZ" + "9" * 14),
                 lambda: service.get(settings, other, "../" + app["id"])):
        with pytest.raises(NotFound):
            call()


def test_officers_see_only_their_departments_and_regions(settings, someone):
    app = drafted(settings, someone, CARD, CARD_FORM)
    service.submit(settings, someone, app["id"], now=clock.now())
    for other in (officer("SCJGJ"), officer("RSJ", "441402")):
        with pytest.raises(NotFound):
            service.officer_get(settings, other, app["id"])
        with pytest.raises(NotFound):
            service.act(settings, other, app["id"], action="accept", now=clock.now())
        with pytest.raises(NotFound):
            service.record_visit(settings, other, app["id"], now=clock.now())
    with pytest.raises(Forbidden):
        service.counter_intake(settings, officer("SCJGJ"), matter_code=CARD, form=CARD_FORM,
                               applicant_phone="13800000000", now=clock.now())


def test_moves_the_state_does_not_allow_name_the_state(settings, someone):
    rsj = officer("RSJ")
    app = drafted(settings, someone, CARD, CARD_FORM)
    with pytest.raises(Conflict) as err:
        service.act(settings, rsj, app["id"], action="approve", now=clock.now())
    assert err.value.details == {"status": "draft"}
    service.submit(settings, someone, app["id"], now=clock.now())
    with pytest.raises(RuleError) as err:
        service.act(settings, rsj, app["id"], action="reject", now=clock.now())
    assert list(err.value.details["fields"]) == ["reason"]
    done = service.act(settings, rsj, app["id"], action="reject", reason="不属于本部门职权",
                       now=clock.now())
    assert done["status"] == "not_accepted" and done["reason"] == "不属于本部门职权"
    for call in (lambda: service.withdraw(settings, someone, app["id"], now=clock.now()),
                 lambda: service.update_form(settings, someone, app["id"], {},
                                             now=clock.now())):
        with pytest.raises(Conflict) as err:
            call()
        assert err.value.details == {"status": "not_accepted"}


def test_asking_for_more_than_the_guide_is_refused_counted_and_audited(settings, someone):
    from functions.supervision import indicators_store as store

    rsj = officer("RSJ")
    app = drafted(settings, someone, CARD, CARD_FORM)
    service.submit(settings, someone, app["id"], now=clock.now())
    month = clock.iso()[:7]
    before = store.indicators(settings, month, "RSJ", "441400").get("offguide_requests", 0)
    with pytest.raises(RuleError) as err:
        service.act(settings, rsj, app["id"], action="return", items=["无犯罪记录证明"],
                    now=clock.now())
    assert list(err.value.details["fields"]) == ["items"]
    assert store.indicators(settings, month, "RSJ", "441400")["offguide_requests"] == before + 1
    refused, start = [], None
    while True:   # the shared officer's returns of the day: other tests add theirs
        rows, start = audit_query(settings, day=clock.iso()[:10], actor=rsj.subject,
                                  action="application.return", limit=100, start=start)
        refused += [r for r in rows if r["target"] == app["id"]]
        if not start:
            break
    assert [(r["result"], r["detail"]) for r in refused] == [
        ("refused", {"outside": ["无犯罪记录证明"]})]
    with pytest.raises(RuleError):
        service.act(settings, rsj, app["id"], action="return", items=[], now=clock.now())
    back = service.act(settings, rsj, app["id"], action="return", items=["近期免冠彩色证件照片"],
                       now=clock.now())
    assert back["status"] == "returned" and back["return_items"] == ["近期免冠彩色证件照片"]
    assert service.submit(settings, someone, app["id"], now=clock.now())["status"] == "submitted"


def test_a_matter_needs_its_real_name_level(settings):
    with pytest.raises(Forbidden) as err:
        service.create(settings, person(settings, level=1), matter_code=FOOD, form={},
                       idem_key=None, now=clock.now())
    assert err.value.details["required_level"] == 2


def test_an_idempotency_key_must_be_one_we_can_store(settings, someone):
    with pytest.raises(RuleError) as err:
        service.create(settings, someone, matter_code=CARD, form={}, idem_key="bad key!",
                       now=clock.now())
    assert list(err.value.details["fields"]) == ["Idempotency-Key"]
