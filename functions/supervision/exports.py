"""Process events for the provincial monitoring system (issue 12): each becomes an outbox row
written in the transaction of the event itself (exports_service sends them on)."""
from __future__ import annotations

import secrets

from ..core import pii
from . import exports_model, exports_store


def applicant_pseudonym(settings, owner: str) -> str:
    """A keyed hash of the applying party: stable across its events, never reversible, and
    unlike any other hash of ours (its own context)."""
    return pii.keyed_hash(settings, "export-applicant", owner)[:32]


def event_item(settings, kind: str, doc: dict, at: str) -> dict:
    """The transaction Put of one process event of `kind` (e.g. "rating.given",
    "card.raised") at `at` (ISO with offset). `doc` holds only fields of
    exports_model.FIELDS (ids, codes, states; no free text); an `applicant` given as the
    party's owner id ("person:..."/"enterprise:...") is replaced by its pseudonym."""
    doc = dict(doc)
    if doc.get("applicant"):
        doc["applicant"] = applicant_pseudonym(settings, doc["applicant"])
    ev = exports_model.event(kind, doc, at=at, event_id=secrets.token_hex(8))
    return exports_store.event_put(settings.table_name, ev)


def move_items(settings, before: dict, after: dict, action: str, *, at: str, who) -> list[dict]:
    """The process event of an application move (submission, acceptance, each step,
    completion): one Put in the move's transaction."""
    doc = exports_model.move_doc(before, after, action)
    doc["actor_role"] = getattr(who, "kind", None) if who is not None else "system"
    doc["applicant"] = after.get("owner")
    return [event_item(settings, f"application.{action}", doc, at)]
