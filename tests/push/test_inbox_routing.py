"""Where notices land: everything about an enterprise's applications, licences and staff in
the enterprise's own inbox (not its legal representative's or its preparer's), a person's
in their own; each put moves the unread counter in the same transaction; numbers masked."""
from __future__ import annotations

from functions.core import clock
from functions.intake import service as intake
from functions.licences import service as licences
from functions.push import service as push
from tests.intake.factories import CARD, CARD_FORM, FOOD, FOOD_FORM, drafted, officer
from tests.licences.factories import staff
from tests.push.inbox_factories import citizen, firm, principal, staff_member, stored

SCJ, RSJ = officer("SCJGJ"), officer("RSJ")


def _approve(settings, who, matter: str, form: dict) -> dict:
    app = drafted(settings, who, matter, form)
    intake.submit(settings, who, app["id"], now=clock.now())
    officer_ = SCJ if matter == FOOD else RSJ
    intake.act(settings, officer_, app["id"], action="accept", now=clock.now())
    return intake.act(settings, officer_, app["id"], action="approve", now=clock.now())


def test_an_enterprise_application_tells_the_enterprise_not_the_people_who_filed_it(settings):
    rep = citizen(settings)
    ent = firm(settings, rep)
    preparer, act = staff_member(settings, rep, ent["uscc"], "preparer")
    _approve(settings, principal(preparer, act), FOOD, FOOD_FORM)

    notices = stored(settings, f"ENTERPRISE#{ent['uscc']}")
    business = [n for n in notices if n["kind"] in ("application", "licence")]
    # submit, accept, approve, and the food licence the approval issued (one transaction)
    assert sorted(n["kind"] for n in business) == ["application"] * 3 + ["licence"]
    assert any(n["title"] == "电子证照已签发：食品经营许可证" for n in business)
    # The enterprise's staff events are its own too: the grant sent and accepted.
    assert sorted(n["title"] for n in notices if n["kind"] == "grant") == ["授权已发出",
                                                                          "授权已被接受"]
    # The people: the preparer heard of their own authorisation only; the legal
    # representative's personal inbox holds nothing of the company's.
    assert [n["title"] for n in stored(settings, f"ACCOUNT#{preparer['id']}")] == ["您收到一项授权"]
    assert stored(settings, f"ACCOUNT#{rep['id']}") == []

    # The counter moved with every put: the legal representative counts all six, the preparer
    # the four about applications and licences.
    as_rep = principal(rep, {"kind": "enterprise", "id": ent["uscc"], "role": "legal_rep"})
    assert push.unread(settings, as_rep) == {
        "unread": 6, "by_kind": {"application": 3, "grant": 2, "licence": 1}}
    assert push.unread(settings, principal(preparer, act)) == {
        "unread": 4, "by_kind": {"application": 3, "licence": 1}}
    assert push.unread(settings, principal(preparer))["unread"] == 1


def test_a_persons_application_tells_the_person(settings):
    someone = citizen(settings, "李春梅")
    _approve(settings, principal(someone), CARD, CARD_FORM)
    kinds = sorted(n["kind"] for n in stored(settings, f"ACCOUNT#{someone['id']}"))
    assert kinds == ["application"] * 3 + ["licence"]
    assert push.unread(settings, principal(someone))["unread"] == 4


def test_an_individual_business_has_its_own_inbox_too(settings):
    owner = citizen(settings, "钟志明")
    shop = firm(settings, owner, individual=True)  # 个体工商户: credit code 92...
    licences.issue_at_counter(settings, staff("SCJGJ"), {
        "holder_kind": "enterprise", "holder_id": shop["uscc"], "type": "business_licence",
        "application": None, "fields": {"legal_rep": "钟志明", "entity_type": "个体工商户",
                                        "address": "梅州市梅县区新城1号"}},
        now=clock.now(), base_url="http://x")
    titles = [n["title"] for n in stored(settings, f"ENTERPRISE#{shop['uscc']}")]
    assert titles == ["电子证照已签发：营业执照"]
    assert stored(settings, f"ACCOUNT#{owner['id']}") == []
    as_owner = principal(owner, {"kind": "enterprise", "id": shop["uscc"], "role": "legal_rep"})
    assert push.unread(settings, as_owner)["unread"] == 1


def test_a_revocation_tells_the_holder_and_masks_numbers_in_the_reason(settings):
    someone = citizen(settings, "刘晓东")
    lic = licences.issue_at_counter(settings, staff("MZJ", "441402"), {
        "holder_kind": "person", "holder_id": someone["id"], "type": "marriage_cert",
        "application": None, "fields": {"spouse_name": "王美玲",
                                        "spouse_id_number": "441402199001011234",
                                        "registered_on": "2026-05-20"}},
        now=clock.now(), base_url="http://x")
    reason = "当事人（身份证441402199001011234，电话13912345678）申请注销"
    licences.revoke(settings, staff("MZJ", "441402"), lic["id"], reason=reason, now=clock.now())
    body = next(n["body"] for n in stored(settings, f"ACCOUNT#{someone['id']}")
                if n["title"].startswith("电子证照已注销"))
    assert "441402********1234" in body and "139****5678" in body
    assert "441402199001011234" not in body and "13912345678" not in body
