"""Identity's rules, through its use cases directly (the HTTP tests keep the contract)."""
from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest

from functions.core import clock
from functions.core.auth import Principal
from functions.core.errors import NotFound, Unauthorized
from functions.identity import model, service
from functions.identity.store import accounts
from tests import privacy
from tests.identity.conftest import (
    PASSWORD,
    claims_of,
    leaked,
    new_client,
    person,
    register_citizen,
)

WRONG = "Wrong-Password#1"


def test_failures_count_then_start_a_step_up_which_further_failures_extend():
    now = clock.now()
    running, lapsed = int(now.timestamp()) + 60, int(now.timestamp()) - 1
    assert model.after_failure(1, None, now) == "count"
    assert model.after_failure(model.STEP_UP_AFTER - 1, lapsed, now) == "count"
    assert model.after_failure(model.STEP_UP_AFTER, None, now) == "start"
    assert model.after_failure(model.STEP_UP_AFTER + 3, lapsed, now) == "start"
    assert model.after_failure(1, running, now) == "extend"
    assert model.stepped_up({"stepup_until": running}, now)
    assert not model.stepped_up({"stepup_until": lapsed}, now)
    assert not model.stepped_up({"stepup_until": None}, now)


def test_a_step_up_is_begun_and_told_once_even_when_failures_race(app, settings):
    p = person("林嘉慧")
    aid = register_citizen(new_client(app), p)["account"]["id"]
    now = clock.now()
    record = {"actor": aid, "action": "login.stepup", "target": aid, "result": "refused",
              "request_id": None, "at": clock.iso(now)}
    notice = {"kind": "security", "title": "t", "body": "b", "at": clock.iso(now),
              "link": "/#/me"}
    end = model.step_up_end(now)
    assert accounts.start_step_up(settings, aid, until=end, now=int(now.timestamp()),
                                  audit=record, notice=notice)
    assert not accounts.start_step_up(settings, aid, until=end, now=int(now.timestamp()),
                                      audit=record, notice=notice)  # the racing second one
    assert accounts.get_account(settings, aid)["stepup_until"] == end
    accounts.extend_step_up(settings, aid, until=end - 60, audit={**record, "action": "x"})
    assert accounts.get_account(settings, aid)["stepup_until"] == end  # never shortened


def test_while_stepped_up_no_password_opens_a_session(app, settings):
    p = person("赖贵成")
    register_citizen(new_client(app), p)
    at = clock.now()
    for n in range(model.STEP_UP_AFTER):
        with pytest.raises(Unauthorized):
            service.log_in(settings, phone=p["phone"], password=WRONG, client=f"s{n}", at=at)
    for password in (PASSWORD, WRONG):
        out = service.log_in(settings, phone=p["phone"], password=password, client="s", at=at)
        assert isinstance(out, service.Challenge)
    later = at + model.STEP_UP_FOR + timedelta(minutes=2)  # after the last failure's window
    out = service.log_in(settings, phone=p["phone"], password=PASSWORD, client="s", at=later)
    assert isinstance(out, service.Session) and out.claims["sid"]


def test_a_refresh_of_a_session_that_is_gone_is_unauthorized(app, settings):
    from functions.core import aws

    tokens = register_citizen(new_client(app), person("李华俊"))
    out = service.refresh(settings, refresh_token=tokens["refresh_token"], client="r",
                          at=clock.now())
    aws.client("dynamodb", settings).delete_item(
        TableName=settings.table_name,
        Key={"pk": {"S": f"SESSION#{out.claims['sid']}"}, "sk": {"S": "S"}})
    with pytest.raises(Unauthorized):
        service.refresh(settings, refresh_token=out.refresh, client="r", at=clock.now())


def test_the_token_check_refuses_an_ended_session(app, settings):
    tokens = register_citizen(new_client(app), person("赖春"))
    who = Principal(subject=tokens["account"]["id"],
                    session=claims_of(tokens["access_token"])["sid"])
    service.check_token(settings, who, at=clock.now())
    with pytest.raises(Unauthorized):  # someone else's session
        service.check_token(settings, dataclasses.replace(who, subject="x"), at=clock.now())
    with pytest.raises(Unauthorized):  # idle too long
        service.check_token(settings, who, at=clock.now() + timedelta(hours=1))
    service.log_out(settings, who, at=clock.now())
    with pytest.raises(Unauthorized):
        service.check_token(settings, who, at=clock.now())


def test_dev_sessions_exist_only_in_the_local_stage(settings):
    with pytest.raises(NotFound):
        service.open_dev_session(dataclasses.replace(settings, stage="dev"), role="admin",
                                 at=clock.now())


def test_known_numbers_are_caught_where_the_pattern_guard_looks_away():
    """Why identity's client keeps its list of known numbers beside the suite-wide guard."""
    glued = f"+86{person('朱发安')['phone']}"
    assert privacy.personal_numbers(glued) == []
    assert leaked(glued) == [person("朱发安")["phone"]]


def test_a_spent_refresh_token_is_forgiven_for_ten_seconds_only():
    now = clock.now()
    assert model.refresh_in_grace(clock.iso(now - timedelta(seconds=9.9)), now)
    assert not model.refresh_in_grace(clock.iso(now - timedelta(seconds=11)), now)
    assert not model.refresh_in_grace(None, now)  # spent before spending was timed: a replay


def test_only_citizens_without_two_factors_may_use_a_code_alone():
    assert model.sms_only_allowed({"kind": "citizen"})
    assert not model.sms_only_allowed({"kind": "citizen", "mfa": True})
    for kind in ("officer", "supervisor", "admin"):
        assert not model.sms_only_allowed({"kind": kind})
