"""The rules from facts: the 2025 retirement-age reform at its boundaries, the 80th birthday,
a new enterprise's first 30 days, a licence expiring, and the reasons in both languages."""
from __future__ import annotations

from datetime import date

import pytest

from functions.pages import rules

# (birth month, track, statutory age in months, the month it is reached): the annex of the
# NPC Standing Committee's decision of 2024-09-13 at each end of each track's transition.
SCHEDULE = [
    ((1964, 12), "male", 60 * 12, (2024, 12)),       # before the reform: 60
    ((1965, 1), "male", 60 * 12 + 1, (2025, 2)),     # the first affected: one month
    ((1965, 4), "male", 60 * 12 + 1, (2025, 5)),     # the same 4-month group
    ((1965, 5), "male", 60 * 12 + 2, (2025, 7)),     # the next group: two months
    ((1966, 1), "male", 60 * 12 + 4, (2026, 5)),
    ((1975, 6), "male", 62 * 12 + 8, (2038, 2)),
    ((1976, 8), "male", 62 * 12 + 11, (2039, 7)),
    ((1976, 9), "male", 63 * 12, (2039, 9)),         # the full three years
    ((1990, 3), "male", 63 * 12, (2053, 3)),
    ((1969, 12), "female_cadre", 55 * 12, (2024, 12)),
    ((1970, 1), "female_cadre", 55 * 12 + 1, (2025, 2)),
    ((1971, 6), "female_cadre", 55 * 12 + 5, (2026, 11)),
    ((1981, 8), "female_cadre", 57 * 12 + 11, (2039, 7)),
    ((1981, 9), "female_cadre", 58 * 12, (2039, 9)),
    ((1974, 12), "female_worker", 50 * 12, (2024, 12)),
    ((1975, 1), "female_worker", 50 * 12 + 1, (2025, 2)),
    ((1975, 2), "female_worker", 50 * 12 + 1, (2025, 3)),   # every 2 months, not 4
    ((1975, 3), "female_worker", 50 * 12 + 2, (2025, 5)),
    ((1975, 6), "female_worker", 50 * 12 + 3, (2025, 9)),
    ((1977, 1), "female_worker", 51 * 12 + 1, (2028, 2)),
    ((1984, 10), "female_worker", 54 * 12 + 11, (2039, 9)),
    ((1984, 11), "female_worker", 55 * 12, (2039, 11)),   # the full five years
]


@pytest.mark.parametrize(("born", "track", "months", "reached"), SCHEDULE)
def test_retirement_age_follows_the_reform_schedule(born, track, months, reached):
    birth = date(*born, 17)
    assert rules.retirement_age_months(birth, track) == months
    assert rules.retirement_month(birth, track) == date(*reached, 1)


def test_the_track_comes_from_sex_and_post_and_an_unknown_post_is_a_worker():
    assert rules.retirement_track("M", None) == rules.retirement_track("M", "cadre") == "male"
    assert rules.retirement_track("F", "cadre") == "female_cadre"
    assert rules.retirement_track("F", "worker") == "female_worker"
    assert rules.retirement_track("F", None) == "female_worker"


def _person(birth: str, sex: str = "M", employment: str | None = "worker", **more) -> dict:
    return {"kind": "person", "registry.birth": birth, "registry.sex": sex,
            "registry.employment": employment, "registry.region": "441402", **more}


def _rules_of(found: list[dict]) -> list[str]:
    return [s["rule"] for s in found]


def test_the_pension_claim_is_suggested_from_three_months_before_retirement():
    man = _person("1965-05-09")    # 60 years 2 months: July 2025
    assert "retirement_pension" not in _rules_of(rules.suggest(man, date(2025, 3, 31)))
    got = [s for s in rules.suggest(man, date(2025, 4, 1)) if s["rule"] == "retirement_pension"]
    assert got[0]["matter"] == rules.PENSION_MATTER
    assert "60周岁2个月" in got[0]["reason"] and "2025年7月" in got[0]["reason"]
    assert "60 years 2 months" in got[0]["reason_en"] and "July 2025" in got[0]["reason_en"]
    assert got[0]["reads"] == ["registry.birth", "registry.sex", "registry.employment", "done"]
    after = [s for s in rules.suggest(man, date(2025, 8, 1)) if s["rule"] == "retirement_pension"]
    assert after[0]["reason"].endswith("您达到这一年龄，可以申领养老金")
    assert "retirement_pension" not in _rules_of(rules.suggest(man, date(2026, 7, 1)))


def test_the_same_birth_retires_at_different_ages_by_sex_and_post():
    day = date(2026, 9, 1)
    cadre = rules.suggest(_person("1971-06-02", "F", "cadre"), day)   # 55y5m: Nov 2026
    worker = rules.suggest(_person("1976-06-02", "F", "worker"), day)  # March 2027: not yet
    assert "55周岁5个月" in cadre[0]["reason"]
    assert "retirement_pension" not in _rules_of(worker)
    worker_due = rules.suggest(_person("1976-06-02", "F", "worker"), date(2027, 3, 1))
    assert "50周岁9个月" in worker_due[0]["reason"]   # 1976-06: (17 // 2 + 1) months


def test_no_pension_suggestion_once_claimed_or_without_sex():
    assert rules.suggest(_person("1965-05-09", done={rules.PENSION_MATTER}),
                         date(2025, 7, 1)) == []
    assert rules.suggest(_person("1965-05-09", sex=None), date(2025, 7, 1)) == []


def test_the_elderly_allowance_from_a_month_before_the_80th_birthday():
    old = _person("1946-12-31", employment=None)
    assert rules.suggest(old, date(2026, 11, 30)) == []     # 31 days before
    soon = rules.suggest(old, date(2026, 12, 1))
    assert _rules_of(soon) == ["elderly_allowance"]
    assert "将于2026年12月31日年满80周岁" in soon[0]["reason"]
    assert "turn 80 on 2026-12-31" in soon[0]["reason_en"]
    now = rules.suggest(old, date(2026, 12, 31))
    assert now[0]["reason"].startswith("因为您已年满80周岁")
    assert rules.suggest({**old, "done": {rules.ELDERLY_MATTER}}, date(2027, 1, 1)) == []


def test_a_new_enterprise_in_its_first_30_days():
    company = {"kind": "enterprise", "org.founded": "2026-11-01",
               "org.individual_business": False, "org.county": "441402"}
    got = rules.suggest(company, date(2026, 11, 30))          # 29 days old
    assert [s["matter"] for s in got] == list(rules.NEW_ENTERPRISE_MATTERS)
    assert "2026-11-01" in got[0]["reason"] and "29天前" in got[0]["reason"]
    assert "29 days ago" in got[0]["reason_en"]
    assert rules.suggest(company, date(2026, 12, 1)) == []     # 30 days old
    assert rules.suggest(company, date(2026, 10, 31)) == []    # not founded yet
    shop = {**company, "org.individual_business": True}
    assert [s["matter"] for s in rules.suggest(shop, date(2026, 11, 2))] == \
        ["新办纳税人涉税事项套餐"]
    done = {**company, "done": {"新办纳税人涉税事项套餐"}}
    assert len(rules.suggest(done, date(2026, 11, 2))) == 2


def test_a_licence_expiring_within_90_days_suggests_its_renewal():
    lic = {"type": "driving_licence", "name": "机动车驾驶证", "name_en": "Driving licence",
           "matters": ["机动车驾驶证期满换证"]}
    far = _person("1990-01-01", wallet=[{**lic, "expires": "2027-03-02"}])
    assert rules.suggest(far, date(2026, 12, 1)) == []            # 91 days
    near = _person("1990-01-01", wallet=[{**lic, "expires": "2027-03-01"}])
    got = rules.suggest(near, date(2026, 12, 1))
    assert _rules_of(got) == ["licence_renewal"] and got[0]["matter"] == "机动车驾驶证期满换证"
    assert "还有90天" in got[0]["reason"] and "90 days left" in got[0]["reason_en"]
    lapsed = rules.suggest(_person("1990-01-01", wallet=[{**lic, "expires": "2026-11-01"}]),
                           date(2026, 12, 1))
    assert "已于2026-11-01到期" in lapsed[0]["reason"] and "expired" in lapsed[0]["reason_en"]
    assert got[0]["reads"] == ["wallet"]
    renewed = _person("1990-01-01", wallet=[{**lic, "expires": "2026-11-01"},
                                            {**lic, "expires": "2036-11-01"}])
    assert rules.suggest(renewed, date(2026, 12, 1)) == []       # the new one stands
    long_gone = _person("1990-01-01", wallet=[{**lic, "expires": "2025-11-30"}])
    assert rules.suggest(long_gone, date(2026, 12, 1)) == []     # lapsed over a year ago


def test_every_rule_gives_its_reason_in_both_languages():
    lic = {"type": "id_card", "name": "居民身份证", "name_en": "Resident identity card",
           "matters": ["居民身份证换领"], "expires": "2026-12-20"}
    found = rules.suggest(_person("1946-12-10", wallet=[lic]), date(2026, 12, 1))
    found += rules.suggest({"kind": "enterprise", "org.founded": "2026-11-20"},
                           date(2026, 12, 1))
    found += rules.suggest(_person("1966-01-10"), date(2026, 4, 1))
    assert {s["rule"] for s in found} == {r.name for r in rules.RULES}
    for s in found:
        assert s["reason"].startswith("因为") and s["reason_en"].startswith("Because ")


def test_segments_group_people_by_age_band_and_enterprises_by_kind():
    day = date(2026, 12, 1)
    assert rules.segment(_person("1946-12-10"), day) == "person:70s"
    assert rules.segment(_person("1946-11-30"), day) == "person:80s"
    assert rules.segment(_person("1900-01-01"), day) == "person:90s"
    assert rules.segment({"kind": "person"}, day) == "person:unknown"
    assert rules.segment({"kind": "enterprise", "org.individual_business": True}, day) == \
        "enterprise:individual"
