"""Use cases of acting for others: enterprises, grants, and the check behind every act."""
from __future__ import annotations

import base64
import binascii
import json
import uuid
from datetime import date, datetime

from ...core import clock, pii
from ...core.errors import BadRequest, Conflict, Forbidden, NotFound, RuleError
from .. import model
from ..store import accounts, enterprises, grants
from .common import audit


def acting_for(settings, account_id: str, act: dict, *, at: datetime,
               known: dict | None = None) -> dict:
    """May `account_id` act for this party now? The act claim, with the grant's role;
    Forbidden when no grant (or legal representation) allows it any more. `known`: the
    legal-representative answer and the act's grant already read (store.checks, with the
    session, in one round trip); without it they are read here."""
    if known is not None:
        legal_rep = act["kind"] == "enterprise" and known["legal_rep"]
    else:
        legal_rep = act["kind"] == "enterprise" and enterprises.is_legal_rep(
            settings, account_id, act["id"])
    if legal_rep:
        return {"kind": "enterprise", "id": act["id"], "role": "legal_rep"}
    party = (act["kind"], act["id"])
    if known is not None:
        grant = known["grant"] if act.get("grant") else None
    else:
        grant = grants.get_grant(settings, act["grant"]) if act.get("grant") else None
    if grant is None:
        grant = next((g for g in grants.grants_received(settings, account_id)
                      if (g["grantor_kind"], g["grantor_id"]) == party
                      and model.grant_status(g, at) == "active"), None)
    if (grant is None or grant["grantee"] != account_id
            or (grant["grantor_kind"], grant["grantor_id"]) != party
            or model.grant_status(grant, at) != "active"):
        raise Forbidden("You are not (or no longer) authorised to act for this party.")
    out = {"kind": act["kind"], "id": act["id"], "grant": grant["id"],
           "role": grant.get("role") or "family"}
    if grant.get("matters"):
        out["matters"] = grant["matters"]
    return out


def representing(received: list[dict], at: datetime) -> list[dict]:
    """The parties a person may act for now, from the grants they received."""
    return [{"kind": g["grantor_kind"], "id": g["grantor_id"], "name": g.get("grantor_name"),
             "role": g.get("role") or "family", "grant": g["id"]}
            for g in received if model.grant_status(g, at) == "active"]


def register_enterprise(settings, who, *, uscc: str, at: datetime) -> dict:
    """The legal representative (by the legal-person registry) registers the enterprise."""
    if who.level < 2:
        raise Forbidden("Verify your identity (level 2) before registering an enterprise.")
    org = enterprises.registry_org(settings, uscc)
    if not org or org.get("status") != "active":
        raise RuleError("uscc", "No active legal person with this code in the registry.",
                        fields={"uscc": ["not in the registry (未查到该主体)"]})
    if org["legal_rep_id_hash"] != accounts.get_account(settings, who.subject)["id_hash"]:
        raise Forbidden("Only the legal representative can register this enterprise.")
    enterprise = {k: org[k] for k in ("uscc", "name", "county", "industry", "size", "founded",
                                      "individual_business")}
    enterprise["legal_rep"] = who.subject
    from ...push import preferences_defaults

    return enterprises.create_enterprise(settings, enterprise, account_id=who.subject,
                                         audit=audit(who, "enterprise.register", uscc, at,
                                                     subject=f"enterprise:{uscc}"),
                                         also=preferences_defaults.staff_items(
                                             settings, who.subject, uscc, "legal_rep",
                                             at=clock.iso(at), org=org))


def list_grants(settings, who, *, at: datetime, limit: int = 20,
                cursor: str | None = None) -> dict:
    """Grants I received, gave, or gave for an enterprise I represent; newest first, a page
    of `limit` after `cursor` (the position of the previous page's last grant)."""
    parties = [("person", who.subject)]
    parties += [("enterprise", e["uscc"])
                for e in enterprises.my_enterprises(settings, who.subject)]
    found = grants.newest_grants(settings, grantee=who.subject, grantors=parties,
                                 before=_position(cursor), limit=limit)
    page = found[:limit]
    more = len(found) > limit
    return {"items": [model.grant_view(g, who.subject, at) for g in page],
            "next_cursor": _cursor(page[-1]) if more else None}


def _cursor(grant: dict) -> str:
    raw = json.dumps([grant["created"], grant["id"]], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _position(cursor: str | None) -> tuple[str, str] | None:
    if not cursor:
        return None
    try:
        got = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, ValueError, UnicodeDecodeError) as err:
        raise BadRequest("The cursor is not valid.") from err
    if not (isinstance(got, list) and len(got) == 2 and all(isinstance(v, str) for v in got)):
        raise BadRequest("The cursor is not valid.")
    return got[0], got[1]


def _notice(owner: str, title: str, body: str, at: datetime) -> dict:
    """A grant's notice, for the grantee's inbox or the grantor's (an enterprise's own inbox,
    where its legal representative reads its staff events)."""
    return {"owner": owner, "kind": "grant", "title": title, "body": body,
            "at": clock.iso(at), "link": "/#/grants"}


def _grantor(grant: dict) -> str:
    return f"{grant['grantor_kind']}:{grant['grantor_id']}"


def create_grant(settings, who, *, grantor: str, grantee_phone: str, expires: date,
                 matters: list[str], role: str | None = None, at: datetime) -> dict:
    """Authorise a person (by their phone) for oneself or for an enterprise one represents."""
    if grantor == "self":
        kind, owner = "person", who.subject
        owner_name = accounts.get_account(settings, who.subject)["name"]
    else:
        kind, owner = "enterprise", grantor.split(":", 1)[1]
        if not enterprises.is_legal_rep(settings, who.subject, owner):
            raise Forbidden("Only the legal representative grants roles in this enterprise.")
        owner_name = enterprises.get_enterprise(settings, owner)["name"]
    model.check_grant_request(grantor_kind=kind, role=role, matters=matters, expires=expires,
                              today=at.date())
    grantee = accounts.account_by_phone(settings, pii.keyed_hash(settings, "phone",
                                                                 grantee_phone))
    if not grantee:
        raise RuleError("grantee_phone", "Nobody has registered with this phone number.",
                        fields={"grantee_phone": ["no account (该手机号未注册)"]})
    if grantee["id"] == who.subject:
        raise RuleError("grantee_phone", "You cannot authorise yourself.",
                        fields={"grantee_phone": ["yourself (不能授权给自己)"]})
    grant = model.new_grant(gid=uuid.uuid4().hex, grantor_kind=kind, grantor_id=owner,
                            grantor_name=owner_name, granted_by=who.subject, grantee=grantee,
                            role=role, matters=matters, expires=expires, now=at)
    notices = [_notice(f"person:{grantee['id']}", "您收到一项授权",
                       f"{owner_name}授权您代为办理，请在14天内确认。", at),
               _notice(_grantor(grant), "授权已发出",
                       f"已向{grantee['name']}发出授权，待对方确认。", at)]
    grants.create_grant(settings, grant, audit=audit(who, "grant.create", grant["id"], at,
                                                     subject=_grantor(grant)),
                        notices=notices)
    return model.grant_view(grant, who.subject, at)


def _own_grant(settings, who, gid: str) -> dict:
    """The grant, if the caller is its grantee or may speak for its grantor; else 404."""
    grant = grants.get_grant(settings, gid) if len(gid) == 32 else None
    if grant and (grant["grantee"] == who.subject
                  or (grant["grantor_kind"] == "person" and grant["grantor_id"] == who.subject)
                  or (grant["grantor_kind"] == "enterprise"
                      and enterprises.is_legal_rep(settings, who.subject, grant["grantor_id"]))):
        return grant
    raise NotFound("No such authorisation.")


def accept_grant(settings, who, gid: str, *, at: datetime) -> dict:
    grant = _own_grant(settings, who, gid)
    if grant["grantee"] != who.subject:
        raise Forbidden("Only the person authorised can accept.")
    status = model.grant_status(grant, at)
    if status != "pending":
        raise Conflict(f"The authorisation is {status}.", details={"status": status})
    also = []
    if grant["grantor_kind"] == "enterprise":  # the role's default topics of the enterprise
        from ...push import preferences_defaults

        also = preferences_defaults.staff_items(settings, who.subject, grant["grantor_id"],
                                                grant.get("role") or "viewer",
                                                at=clock.iso(at))
    grants.change_grant(settings, gid, expected="pending", status="active",
                        extra={"accepted": clock.iso(at)},
                        audit=audit(who, "grant.accept", gid, at, subject=_grantor(grant)),
                        notices=[_notice(_grantor(grant), "授权已被接受",
                                         f"{grant['grantee_name']}已接受您的授权。", at)],
                        also=also)
    return model.grant_view({**grant, "status": "active"}, who.subject, at)


def revoke_grant(settings, who, gid: str, *, at: datetime) -> dict:
    """Either side ends a pending or active grant; both are told."""
    grant = _own_grant(settings, who, gid)
    status = model.grant_status(grant, at)
    if status not in ("pending", "active"):
        raise Conflict(f"The authorisation is {status}.", details={"status": status})
    text = f"{grant['grantor_name']}对{grant['grantee_name']}的授权已撤销。"
    grants.change_grant(settings, gid, expected=grant["status"], status="revoked",
                        extra={"revoked": clock.iso(at)},
                        audit=audit(who, "grant.revoke", gid, at, subject=_grantor(grant)),
                        notices=[_notice(party, "授权已撤销", text, at)
                                 for party in (_grantor(grant), f"person:{grant['grantee']}")])
    return model.grant_view({**grant, "status": "revoked"}, who.subject, at)
