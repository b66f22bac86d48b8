"""Use cases of administrators and supervisors: token keys, the audit log, the registry."""
from __future__ import annotations

from datetime import date, datetime

from ...core import keys, pii
from ...core import store as core_store
from ..store import enterprises
from .common import audit


def load_registry(settings, data: dict) -> dict:
    """The synthetic population and legal-person registry (a real registry adapter would
    replace it): only keyed hashes of ID numbers are stored, and matched."""
    persons = [{"id_hash": pii.keyed_hash(settings, "id", p["id_number"]), "name": p["name"],
                "birth": p["birth"], "region": p["region"]} for p in data["persons"]]
    orgs = [{**{k: v for k, v in o.items() if k != "legal_rep_id_number"},
             "legal_rep_id_hash": pii.keyed_hash(settings, "id", o["legal_rep_id_number"])}
            for o in data["organisations"]]
    enterprises.put_registry(settings, persons, orgs)
    return {"persons": len(persons), "organisations": len(orgs)}


def rotate_keys(settings, who, *, at: datetime, actor: str | None = None) -> keys.Keyring:
    """Promote the next key to signing, retire the current one, publish a new next key."""
    ring = keys.rotate(settings, at)
    core_store.audit_only(settings, audit(who, "keys.rotate", ring.signing()[0], at,
                                          actor=actor))
    return ring


def audit_query(settings, who, *, day: date, actor: str | None = None,
                action: str | None = None, limit: int = 50,
                start: dict | None = None) -> tuple[list[dict], dict | None]:
    """A day's audit records, or one actor's (their own index, so a page holds `limit` of
    theirs); the page position is the storage key to go on from."""
    return core_store.audit_query(settings, day=day.isoformat(), actor=actor, action=action,
                                  limit=limit, start=start)
