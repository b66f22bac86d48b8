"""Use cases of one's own identity: what I see of me, real-name levels, eligibility."""
from __future__ import annotations

from datetime import datetime

from ...core import clock, pii
from ...core import store as core_store
from ...core.errors import NotFound, RuleError
from .. import model
from ..store import accounts, enterprises, grants
from .common import audit
from .delegation import representing


def me(settings, who, *, reveal: frozenset = frozenset(), at: datetime) -> dict:
    """The caller's account, enterprises and whom they may act for. Numbers are masked
    unless the owner asks for them (`reveal`): each reveal is audited."""
    account = accounts.get_account(settings, who.subject)
    out = model.account_view(account)
    if reveal:
        core_store.audit_only(settings, audit(who, "account.reveal", who.subject, at,
                                              detail={"fields": sorted(reveal)}))
    if "phone" in reveal:
        out["phone"] = pii.unseal(settings, account["phone_seal"], account["id"])
    if "id_number" in reveal:
        out["id_number"] = pii.unseal(settings, account["id_seal"], account["id"])
    return {**out, "enterprises": enterprises.my_enterprises(settings, who.subject),
            "acting_as": who.act,
            "representing": representing(grants.grants_received(settings, who.subject), at)}


def real_name(settings, who, *, name: str, at: datetime) -> dict:
    """Level 2 after registration: the name matches the base registry for the ID number."""
    account = accounts.get_account(settings, who.subject)
    if account["level"] >= 2:
        return model.account_view(account)
    person = enterprises.registry_person(settings, account["id_hash"])
    if not person or person["name"] != name:
        core_store.audit_only(settings, audit(who, "level.registry", who.subject, at, "refused"))
        raise RuleError("name", "The name does not match the registry for this ID number.",
                        fields={"name": ["does not match (姓名与身份证号不匹配)"]})
    accounts.set_level(settings, who.subject, 2,
                       audit=audit(who, "level.registry", who.subject, at))
    return model.account_view({**account, "level": 2})


def verify_in_person(settings, who, *, account_id: str, id_number: str, at: datetime) -> dict:
    """实名核验窗口: an officer has seen the person and their ID card: level 3."""
    account = accounts.get_account(settings, account_id)  # NotFound: no such account
    if account["id_hash"] != pii.keyed_hash(settings, "id", id_number):
        core_store.audit_only(settings, audit(who, "level.window", account["id"], at, "refused",
                                              subject=f"person:{account['id']}"))
        raise RuleError("id_number", "The ID number does not belong to this account.",
                        fields={"id_number": ["does not match (身份证号不符)"]})
    accounts.set_level(settings, account["id"], 3,
                       audit=audit(who, "level.window", account["id"], at,
                                   subject=f"person:{account['id']}"),
                       notice={"kind": "security", "title": "实名核验已完成",
                               "body": "您已在窗口完成现场实名核验（三级）。",
                               "at": clock.iso(at)})
    return model.account_view({**account, "level": 3})


def eligibility(settings, who, *, matter: str) -> dict:
    """Which real-name level a matter needs, and whether the caller has it."""
    from ...hall import store as hall_store  # the catalogue: loaded on first use

    found = hall_store.current_catalogue(settings).matters.get(matter)
    if not found:
        raise NotFound(f"No matter {matter}.")
    needed = model.required_level(found)
    return {"matter": matter, "required_level": needed, "your_level": who.level,
            "eligible": who.level >= needed,
            "how": None if who.level >= needed else model.LEVEL_NAMES[needed]}
