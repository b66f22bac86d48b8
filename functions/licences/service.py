"""E-licence use cases: issue (at the counter or with an approval), the wallet, sharing with
consent, revocation, public verification, and the signing keys. Framework-free: settings, the
principal, parsed input and the time."""
from __future__ import annotations

from datetime import datetime

from ..core import log
from ..core.errors import Unprocessable
from . import model, store


def _at(now: datetime) -> str:
    return now.isoformat(timespec="milliseconds")


def _audit_who(who) -> dict:
    return {"actor": who.subject if who else "system", "request_id": log.request_id(),
            "on_behalf": who.acting_for if who and who.act else None}


# ---- for the intake room -------------------------------------------------------------------

def issue_for_approval(settings, who, app: dict, *, now: datetime) -> tuple[list[dict], list[str]]:
    """The TransactWriteItems entries that issue the e-licences an approval of `app` issues
    (licence, wallet entry, audit record, the holder's notice), to land in the approval's own
    transaction, and the licence ids. Approving twice cannot issue twice: the ids derive from
    the application and the licence Put is conditional."""
    holder_kind, holder_id = app["owner"].split(":", 1)
    items, ids = [], []
    for lic_type in model.types_issued_by(app["matter"]):
        licence = store.build_licence(
            settings, lic_type=lic_type, holder_kind=holder_kind, holder_id=holder_id,
            application=app["id"], fields=app["form"], now=now, region=app["region"])
        items += store.issue_items(settings, licence, **_audit_who(who),
                                   notify=store.notify_account(settings, holder_kind, holder_id))
        ids.append(licence["id"])
    return items, ids


def share_for_application(settings, who, *, licence_id: str, owner: str, matter: dict,
                          slot: dict, application_id: str, consent: bool,
                          now: datetime) -> tuple[dict, list[dict]]:
    """A licence the owner holds, in place of one of the matter's materials, after consent:
    the material entry for the application and the usage and audit items to write with it."""
    if not consent:
        raise Unprocessable("Sharing a licence needs your consent.",
                            details={"fields": {"consent": ["required (请先确认同意共享)"]}})
    holder_kind, holder_id = owner.split(":", 1)
    licence = store.holder_licence(settings, licence_id, holder_kind, holder_id)
    if slot.get("licence_type") != licence["type"]:
        raise Unprocessable("This licence cannot replace that material.",
                            details={"fields": {"licence_id": ["wrong type (证照类型不符)"]}})
    audit = _audit_who(who)
    values, items = store.share(settings, licence["id"], holder_kind=holder_kind,
                                holder_id=holder_id, matter=matter, user=audit["actor"],
                                application=application_id, at=_at(now), now=now, **audit)
    return ({"kind": "licence", "licence_id": licence["id"], "licence_type": licence["type"],
             "shared_fields": sorted(values), "at": _at(now)}, items)

