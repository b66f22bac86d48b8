"""Nothing asked twice: the form fields the verified identity answers, read from the accounts
and enterprises the identity room holds, filled by the server and never altered by a client."""
from __future__ import annotations

from ...core import pii
from ...core.errors import NotFound, RuleError
from ...identity.store import accounts, enterprises
from .. import model
from .shared import MASKS, matter_named


def _person(settings, account_id: str) -> dict | None:
    try:
        account = accounts.get_account(settings, account_id)
    except NotFound:
        return None  # a token without an account (dev sessions of staff): nothing to fill
    return {"name": account["name"],
            "id_number": pii.unseal(settings, account["id_seal"], account["id"]),
            "phone": pii.unseal(settings, account["phone_seal"], account["id"])}


def answers(settings, owner: str, agent_id: str | None) -> dict:
    """What the identity answers for an application of `owner` (person:<id> or
    enterprise:<uscc>) made by the verified person `agent_id`."""
    kind, ident = owner.split(":", 1)
    agent = _person(settings, agent_id) if agent_id else None
    if kind == "person":
        person = agent if ident == agent_id else _person(settings, ident)
        return model.identity_answers(person=person, org=None, agent=agent)
    org = enterprises.get_enterprise(settings, ident)
    if not org:
        return model.identity_answers(person=None, org=None, agent=agent)
    rep = _person(settings, org["legal_rep"]) if org.get("legal_rep") else None
    return model.identity_answers(person=None, agent=agent, org={
        "name": org["name"], "uscc": org["uscc"], "legal_rep_name": (rep or {}).get("name"),
        "legal_rep_id_number": (rep or {}).get("id_number")})


def masks(matter: dict, filled: dict) -> dict:
    """How each filled value is shown: personal ones masked."""
    personal = model.personal_fields(matter.get("form_fields", []), filled)
    return {k: MASKS[personal[k]](str(v)) if k in personal else v for k, v in filled.items()}


def fill(settings, matter: dict, sent: dict, *, owner: str, agent_id: str | None,
         stored: bool = False) -> tuple[dict, list]:
    """The form `sent` with the identity's answers in place; a 422 names every server-filled
    field `sent` tries to change (`stored`: the form as stored, whose filled values give way
    to the identity's answers as they are now). Returns the form and the names filled."""
    filled = model.filled_by_identity(matter.get("form_fields", []),
                                      answers(settings, owner, agent_id))
    if stored:
        sent = {k: v for k, v in sent.items() if k not in filled}
    altered = model.altered_identity_fields(filled, sent, masks(matter, filled))
    if altered:
        raise RuleError("form", "These fields come from your verified identity and cannot be "
                        "changed.", fields={f"form.{k}": [
                            "Filled from your verified identity; it cannot be changed "
                            "(由实名信息自动填写，不能修改)."] for k in altered})
    return {**sent, **filled}, sorted(filled)


def preview(settings, who, matter_code: str) -> dict:
    """What the apply screen shows read-only before any draft exists: masked values."""
    matter = matter_named(settings, matter_code)
    filled = model.filled_by_identity(matter.get("form_fields", []),
                                      answers(settings, who.acting_for, who.subject))
    return {"matter": matter["code"], "fields": masks(matter, filled)}
