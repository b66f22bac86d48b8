"""Use cases of administrators and supervisors: token keys, the audit log, the registry."""
from __future__ import annotations

from datetime import datetime

from ...core import keys, pii
from ...core import store as core_store
from ..store import enterprises
from .common import audit


def load_registry(settings, data: dict) -> dict:
    """The synthetic population and legal-person registry (a real registry adapter would
    replace it): only keyed hashes of ID numbers are stored, and matched."""
    persons = [_registry_person(settings, p) for p in data["persons"]]
    orgs = [{**{k: v for k, v in o.items() if k != "legal_rep_id_number"},
             "legal_rep_id_hash": pii.keyed_hash(settings, "id", o["legal_rep_id_number"])}
            for o in data["organisations"]]
    enterprises.put_registry(settings, persons, orgs)
    return {"persons": len(persons), "organisations": len(orgs)}


def recount_registry(settings) -> dict:
    """Rebuild the registry's counts (the page use rates' bases) from its records: an
    operator's repair, one Scan (`flask identity recount-registry`)."""
    return enterprises.recount_registry(settings)


def _registry_person(settings, p: dict) -> dict:
    """What the rooms read of a person (the pages' rules read sex and post kind); the social
    security card's bank account sealed to the person's keyed hash, shown masked."""
    id_hash = pii.keyed_hash(settings, "id", p["id_number"])
    out = {"id_hash": id_hash, "name": p["name"], "birth": p["birth"], "region": p["region"],
           "sex": p.get("sex"), "employment": p.get("employment")}
    if p.get("ssc_bank_account"):
        acct = p["ssc_bank_account"]
        out["ssc_bank_mask"] = f"{acct[:4]}{'*' * (len(acct) - 8)}{acct[-4:]}"
        out["ssc_bank_seal"] = pii.seal(settings, acct, id_hash)
    return out


def rotate_keys(settings, who, *, at: datetime, actor: str | None = None) -> keys.Keyring:
    """Promote the next key to signing, retire the current one, publish a new next key."""
    ring = keys.rotate(settings, at)
    core_store.audit_only(settings, audit(who, "keys.rotate", ring.signing()[0], at,
                                          actor=actor))
    return ring
