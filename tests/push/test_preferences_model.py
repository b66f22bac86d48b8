"""The rules of the notification centre, pure: defaults, what cannot be kept (422 paths),
quiet hours in Beijing time against UTC, caps that defer to the next day and week, the
digest, codes and legal notices passing, the SMS fallback."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest

from functions.push import preferences_model as pm

APP = {"topic": "application", "urgent": False, "legal": False, "security": False}


def _utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_defaults_subscribe_own_matters_and_offer_the_rest():
    p = pm.normalise(None)
    on = {t for t, c in p["topics"].items() if c["subscribed"]}
    assert on == {"application", "licence", "deadline", "legal", "security"}
    assert all(c["channels"] == ["push"] for c in p["topics"].values())
    assert p["quiet_hours"] == {"start": "21:00", "end": "08:00"}
    assert p["digest"] == {"enabled": False, "at": "19:00"}
    assert set(pm.HOT_TOPICS) == {"hot_business", "hot_tax", "hot_quality",
                                  "hot_housing_fund", "hot_social_security"}


def test_enterprise_section_defaults_by_role():
    rep = pm.defaults("legal_rep")["topics"]
    viewer = pm.defaults("viewer")["topics"]
    assert rep["application"]["subscribed"] and not rep["hot_tax"]["subscribed"]
    assert not viewer["application"]["subscribed"] and viewer["legal"]["subscribed"]
    assert set(pm.defaults("viewer")) == {"topics"}


@pytest.mark.parametrize(("change", "path"), [
    ({"topics": {"legal": {"subscribed": False}}}, "topics.legal.subscribed"),
    ({"topics": {"security": {"subscribed": False}}}, "topics.security.subscribed"),
    ({"topics": {"lottery": {"subscribed": True}}}, "topics.lottery"),
    ({"topics": {"hot_tax": {"channels": ["fax"]}}}, "topics.hot_tax.channels"),
    ({"topics": {"hot_tax": {"subscribed": "yes"}}}, "topics.hot_tax.subscribed"),
    ({"quiet_hours": {"start": "25:00", "end": "08:00"}}, "quiet_hours.start"),
    ({"quiet_hours": {"start": "21:00", "end": "8:00"}}, "quiet_hours.end"),
    ({"quiet_hours": {"start": "21:00", "end": "21:00"}}, "quiet_hours"),
    ({"caps": {"per_day": 0}}, "caps.per_day"),
    ({"caps": {"per_week": 201}}, "caps.per_week"),
    ({"caps": {"per_day": 10, "per_week": 5}}, "caps.per_week"),
    ({"caps": {"per_day": True}}, "caps.per_day"),
    ({"digest": {"at": "7pm"}}, "digest.at"),
])
def test_what_cannot_be_kept_names_its_field(change, path):
    with pytest.raises(pm.InvalidPreferences) as err:
        pm.normalise(None, change)
    assert path in err.value.errors


def test_a_change_layers_on_what_was_stored():
    stored = pm.normalise(None, {"topics": {"hot_tax": {"subscribed": True,
                                                        "channels": ["sms", "push"]}}})
    p = pm.normalise(stored, {"quiet_hours": None, "caps": {"per_day": 3}})
    assert p["topics"]["hot_tax"] == {"subscribed": True, "channels": ["push", "sms"]}
    assert p["quiet_hours"] is None and p["caps"] == {"per_day": 3, "per_week": 20}


@pytest.mark.parametrize(("utc", "quiet"), [
    (_utc(2026, 12, 1, 12, 59), False),   # 20:59 Beijing
    (_utc(2026, 12, 1, 13, 0), True),     # 21:00 Beijing: quiet starts
    (_utc(2026, 12, 1, 16, 0), True),     # 00:00 Beijing
    (_utc(2026, 12, 1, 23, 59), True),    # 07:59 Beijing
    (_utc(2026, 12, 2, 0, 0), False),     # 08:00 Beijing: quiet ends
    (_utc(2026, 12, 1, 22, 0), True),     # 06:00 Beijing, although 22:00 UTC
])
def test_quiet_hours_are_beijing_time(utc, quiet):
    d = pm.decide(pm.normalise(None), APP, now=utc, sent_today=0, sent_week=0)
    assert d.channels == ["push"]
    if quiet:
        assert d.reason == "quiet_hours" and d.defer_until == _utc(2026, 12, 2, 0, 0)
    else:
        assert d.defer_until is None and d.reason is None


def test_quiet_hours_of_the_day_and_none():
    day = pm.normalise(None, {"quiet_hours": {"start": "12:00", "end": "14:00"}})
    assert pm.decide(day, APP, now=_utc(2026, 12, 1, 4), sent_today=0,  # 12:00
                     sent_week=0).defer_until == _utc(2026, 12, 1, 6)
    assert pm.decide(day, APP, now=_utc(2026, 12, 1, 14), sent_today=0,  # 22:00
                     sent_week=0).defer_until is None
    off = pm.normalise(None, {"quiet_hours": None})
    assert pm.decide(off, APP, now=_utc(2026, 12, 1, 16), sent_today=0,
                     sent_week=0).defer_until is None


def test_a_cap_defers_to_the_next_day_out_of_quiet_hours():
    p = pm.normalise(None, {"caps": {"per_day": 2, "per_week": 10}})
    now = _utc(2026, 12, 1, 3)  # Tuesday 11:00 Beijing
    assert pm.decide(p, APP, now=now, sent_today=1, sent_week=1).defer_until is None
    d = pm.decide(p, APP, now=now, sent_today=2, sent_week=2)
    # the next Beijing day starts at 00:00, inside quiet hours: 08:00 Wednesday
    assert d.reason == "cap_day" and d.defer_until == _utc(2026, 12, 2, 0)
    none = pm.normalise(None, {"caps": {"per_day": 2}, "quiet_hours": None})
    assert pm.decide(none, APP, now=now, sent_today=2,
                     sent_week=2).defer_until == _utc(2026, 12, 1, 16)  # 00:00 Beijing


def test_a_weekly_cap_defers_to_monday():
    p = pm.normalise(None, {"caps": {"per_day": 5, "per_week": 5}})
    d = pm.decide(p, APP, now=_utc(2026, 12, 3, 3), sent_today=0, sent_week=5)  # Thursday
    assert d.reason == "cap_week" and d.defer_until == _utc(2026, 12, 7, 0)  # Mon 08:00
    assert pm.week_key(_utc(2026, 12, 6, 15, 59)) == "2026-W49"  # Sunday 23:59 Beijing
    assert pm.week_key(_utc(2026, 12, 6, 16, 0)) == "2026-W50"   # Monday 00:00 Beijing
    assert pm.day_key(_utc(2026, 12, 1, 16)) == "2026-12-02"


def test_the_digest_holds_until_its_hour_but_not_urgent_notices():
    p = pm.normalise(None, {"digest": {"enabled": True, "at": "19:00"}})
    d = pm.decide(p, APP, now=_utc(2026, 12, 1, 2), sent_today=0, sent_week=0)  # 10:00
    assert d.digest and d.defer_until == _utc(2026, 12, 1, 11)  # 19:00 Beijing
    late = pm.decide(p, APP, now=_utc(2026, 12, 1, 12), sent_today=0, sent_week=0)  # 20:00
    assert late.defer_until == _utc(2026, 12, 2, 11)
    urgent = pm.decide(p, {**APP, "urgent": True}, now=_utc(2026, 12, 1, 2), sent_today=0,
                       sent_week=0)
    assert not urgent.digest and urgent.defer_until is None and urgent.sms_fallback
    in_quiet = pm.normalise(None, {"digest": {"enabled": True, "at": "22:00"}})
    assert pm.decide(in_quiet, APP, now=_utc(2026, 12, 1, 2), sent_today=0,
                     sent_week=0).defer_until == _utc(2026, 12, 2, 0)  # quiet's end


@pytest.mark.parametrize("message", [
    {"topic": "security", "security": True},
    {"topic": "legal", "legal": True},
    {"topic": "hot_tax", "legal": True},
])
def test_codes_and_legal_notices_pass_quiet_hours_and_caps(message):
    p = pm.normalise(None, {"caps": {"per_day": 1, "per_week": 1},
                            "digest": {"enabled": True}})
    d = pm.decide(p, message, now=_utc(2026, 12, 1, 16), sent_today=9, sent_week=9)
    assert d.defer_until is None and not d.digest and d.exempt and d.channels
    assert pm.fallback(d, "absent") == ["sms"] and pm.fallback(d, "delivered") == []


def test_unsubscribed_topics_reach_the_inbox_only():
    p = pm.normalise(None)
    d = pm.decide(p, {"topic": "hot_tax"}, now=_utc(2026, 12, 1, 3), sent_today=0,
                  sent_week=0)
    assert d.channels == [] and d.reason == "not_subscribed"
    assert pm.fallback(d, "absent") == []


def test_fallback_is_for_urgent_notices_whose_push_did_not_arrive():
    p = pm.normalise(None)
    urgent = pm.decide(p, {**APP, "urgent": True}, now=_utc(2026, 12, 1, 3), sent_today=0,
                       sent_week=0)
    assert [pm.fallback(urgent, o) for o in ("delivered", "failed", "absent", "gone")] == [
        [], ["sms"], ["sms"], ["sms"]]
    plain = pm.decide(p, APP, now=_utc(2026, 12, 1, 3), sent_today=0, sent_week=0)
    assert pm.fallback(plain, "failed") == []
    both = pm.normalise(None, {"topics": {"application": {"channels": ["push", "sms"]}}})
    d = pm.decide(both, {**APP, "urgent": True}, now=_utc(2026, 12, 1, 3), sent_today=0,
                  sent_week=0)
    assert d.channels == ["push", "sms"] and pm.fallback(d, "failed") == []  # sent already
