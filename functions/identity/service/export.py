"""Download my data (PIPL Art. 45): everything the hall holds about the person, or the
enterprise they represent, as one JSON document with a readable summary.

Each room's data is read through its own store: identity (account, enterprises, grants,
sessions), intake (applications, each with its timeline), licences (the wallet), push (the
inbox) and core (the audit records about the party). Storage round trips, without paging:
a person 12 + one per application (rate limit, audit write, account, enterprises, sessions,
grants received and given, applications list, wallet, inbox, audit about and by them); an
enterprise 9 + one per application (the legal representation is read again, not taken from
the token). The request's own session check (core.auth's token hook) comes on top. Each
list is read 100 (or 1 MB) at a time.

The export is an explicit, audited request by the owner for a copy of their data, so the
account section holds the person's own phone and ID number in full (unsealed here only);
every other section shows numbers masked, as everywhere else. Nothing of it is logged.
"""
from __future__ import annotations

from datetime import datetime

from ...core import clock, pii
from ...core import store as core_store
from ...core.errors import Forbidden
from ...intake import model as intake_model
from ...intake import store as intake_store
from ...licences import model as licence_model
from ...licences import store as licence_store
from ...push import store as push_store
from .. import export_model, model
from ..store import accounts, enterprises, grants, sessions
from .common import audit

PAGE = 100
_ACCOUNT_HIDDEN = ("password", "id_hash", "phone_hash", "id_seal", "phone_seal", "id_mask",
                   "phone_mask", "failed", "stepup_until")


def data_export(settings, who, *, fmt: str, at: datetime) -> tuple[dict, str]:
    """The export document and its attachment name; audited before anything is read, so the
    record of this very request is in it."""
    most, window = export_model.LIMIT
    core_store.rate_hit(settings, "data_export", who.subject, limit=most, window=window,
                        now_epoch=int(at.timestamp()))
    try:
        party = export_model.export_party(who.subject, who.act)
        # The role in the token was true when it was issued; the membership says it now.
        if party.kind == "enterprise" and not enterprises.is_legal_rep(settings, who.subject,
                                                                       party.id):
            raise Forbidden("Only the enterprise's legal representative may download its data.")
    except Forbidden:
        core_store.audit_only(settings, audit(who, "data.export", who.acting_for, at, "refused",
                                              detail={"format": fmt}))
        raise
    core_store.audit_only(settings, audit(who, "data.export", party.owner, at,
                                          detail={"format": fmt, "role": party.role}))
    doc = {"format": export_model.FORMAT, "generated_at": clock.iso(at),
           "legal_basis": "《中华人民共和国个人信息保护法》第四十五条 / PIPL Art. 45",
           "subject": {"kind": party.kind, "id": party.id},
           "requested_by": {"account": who.subject, "role": party.role}}
    if party.kind == "person":
        doc["account"] = _account(settings, who.subject)
        doc["enterprises"] = enterprises.my_enterprises(settings, who.subject)
        doc["sessions"] = sessions.sessions_of(settings, who.subject)
        doc["grants"] = {
            "received": [model.grant_view(g, who.subject, at)
                         for g in grants.grants_received(settings, who.subject)],
            "given": [model.grant_view(g, who.subject, at)
                      for g in grants.grants_given(settings, "person", who.subject)]}
    else:
        doc["enterprise"] = enterprises.get_enterprise(settings, party.id) or {"uscc": party.id}
        doc["grants"] = {"received": [], "given": [
            model.grant_view(g, who.subject, at)
            for g in grants.grants_given(settings, "enterprise", party.id)]}
    doc["applications"] = _applications(settings, party.owner)
    doc["licences"] = [licence_model.summary(w, at)
                       for w in licence_store.wallet(settings, party.kind, party.id)]
    doc["inbox"] = _inbox(settings, party.owner)
    doc["audit"] = core_store.audit_about(
        settings, party.owner, actor=who.subject if party.kind == "person" else None)
    doc["summary"] = export_model.summary(doc)
    return doc, export_model.filename(party, doc["generated_at"][:10])


def summary_text(doc: dict) -> str:
    return export_model.summary_text(doc)


def _account(settings, account_id: str) -> dict:
    account = accounts.get_account(settings, account_id)
    out = {k: v for k, v in account.items() if k not in _ACCOUNT_HIDDEN}
    out.update(level_name=model.LEVEL_NAMES.get(account["level"], ""),
               phone=pii.unseal(settings, account["phone_seal"], account["id"]),
               id_number=pii.unseal(settings, account["id_seal"], account["id"]),
               phone_masked=account["phone_mask"], id_number_masked=account["id_mask"])
    return out


def _applications(settings, owner: str) -> list[dict]:
    """Every application of the owner, each with its timeline and materials, as the
    applicant sees it (form values masked)."""
    from ...intake.service import shared as intake_views  # lazily: intake imports identity

    listed, start = [], None
    while True:
        page, start = intake_store.mine(settings, owner, limit=PAGE, start=start)
        listed += page
        if not start:
            break
    out = []
    for row in listed:
        app, events, scans = intake_store.dossier(settings, row["id"])
        view = {k: v for k, v in app.items() if k != "sealed"}
        view.update(form=intake_views.shown_form(app, intake_views.matter_of(settings, app)),
                    status_zh=intake_model.STATE_ZH[app["status"]], events=events,
                    materials=intake_views.with_scans(app["materials"], scans))
        out.append(view)
    return out


def _inbox(settings, owner: str) -> list[dict]:
    found, start = [], None
    while True:
        page, start = push_store.page(settings, owner, kinds=None, unread=False, limit=PAGE,
                                      start=start)
        found += page
        if not start:
            return found
