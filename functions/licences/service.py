"""E-licence use cases: issue (at the counter or with an approval), the wallet, sharing with
consent, revocation, public verification, the types and the signing keys. Framework-free:
settings, the principal (`who`), parsed input and the time."""
from __future__ import annotations

import re
import secrets
import uuid
from datetime import datetime
from io import BytesIO

from ..core import keys, pii
from ..core.errors import Forbidden, NotFound, RuleError, Unprocessable
from ..core.store import audit_only, audit_record
from . import model, store

_LID = re.compile(r"^[0-9a-f]{32}$")


def _at(now: datetime) -> str:
    return now.isoformat(timespec="milliseconds")


def _licence_id(lid: str) -> str:
    """An id from a URL: 32 hex or nothing we could have issued."""
    if not _LID.fullmatch(lid):
        raise NotFound("No such licence.")
    return lid


def _licence(settings, lid: str) -> dict:
    found = store.get_licence(settings, _licence_id(lid))
    if not found:
        raise NotFound("No such licence.")
    return found


def _holder_licence(settings, lid: str, holder_kind: str, holder_id: str) -> dict:
    """The licence when it is this holder's; NotFound otherwise (not 403: an id proves nothing)."""
    found = store.get_licence(settings, _licence_id(lid))
    if not found or (found["holder_kind"], found["holder_id"]) != (holder_kind, holder_id):
        raise NotFound("No such licence in your wallet.")
    return found


def _matters(settings) -> dict:
    from ..hall import store as hall_store

    return hall_store.current_catalogue(settings).matters


def _matter(settings, code: str) -> dict:
    found = _matters(settings).get(code)
    if not found:
        raise NotFound(f"No matter {code}.")
    return found


# ---- who holds it ---------------------------------------------------------------------------

def _holder_identity(settings, holder_kind: str, holder_id: str) -> dict:
    """The holder's verified name and numbers (from the identity room), and who to notify."""
    from ..identity import store as identity

    if holder_kind == "person":
        try:
            account = identity.get_account(settings, holder_id)
        except NotFound as err:
            raise RuleError("holder_id", "No account with this id.", "没有该账户") from err
        id_number = pii.unseal(settings, account["id_seal"], account["id"])
        return {"name": account["name"], "notify": f"person:{account['id']}",
                "fields": {"holder_name": account["name"], "id_number": id_number}}
    registered = identity.get_enterprise(settings, holder_id)
    listed = identity.registry_org(settings, holder_id)
    org = registered or listed
    if not org:
        raise RuleError("holder_id", "No enterprise with this code.", "没有该市场主体")
    rep = (listed or {}).get("legal_rep_name")
    if not rep and registered and registered.get("legal_rep"):
        try:
            rep = identity.get_account(settings, registered["legal_rep"])["name"]
        except NotFound:
            rep = None
    fields = {"holder_name": org["name"], "uscc": holder_id}
    return {"name": org["name"], "notify": f"enterprise:{holder_id}",
            "fields": {**fields, "legal_rep": rep} if rep else fields}


def _notify_account(settings, holder_kind: str, holder_id: str) -> str:
    """Whose inbox hears about a holder's licence: the holder's own (a person's, or the
    enterprise's, which its staff read by their roles; one not registered yet finds it there
    when it registers, beside its wallet)."""
    return f"{holder_kind}:{holder_id}"


def _issuer(department: str, region: str) -> dict:
    from ..hall import model as hall_model

    return {"department": department, "region": region,
            "name": hall_model.department_name(department, region)}


# ---- signing ---------------------------------------------------------------------------------

def _sign(settings, data: bytes) -> tuple[str, str]:
    kid, key = keys.keyring(settings, ring=keys.LICENCE).signing()
    return kid, keys.b64url(key.sign(data))


def _jws(settings, claims: dict, typ: str | None = None) -> str:
    """A compact JWS (EdDSA, `kid` of the licence key that signs now) over `claims` as UTF-8
    JSON: PyJWT's own encoder would escape every Chinese character into six bytes."""
    import jwt  # lazily: only the QR and revocation routes pay for it

    kid, key = keys.keyring(settings, ring=keys.LICENCE).signing()
    return jwt.api_jws.encode(model.token_json(claims), key, algorithm=model.ALG,
                              headers={"kid": kid, "typ": typ})


def qr_token(settings, licence: dict) -> str:
    """The licence's offline-verifiable token (model.token_claims), signed when asked for:
    Ed25519 is deterministic, so it changes only when the signing key rotates, and a token
    signed by a retired key still verifies with the published keys."""
    return _jws(settings, model.token_claims(licence["payload"]))


def _signature_valid(settings, licence: dict) -> bool:
    from cryptography.exceptions import InvalidSignature

    if licence["alg"] != model.ALG:
        return False
    public = keys.keyring(settings, ring=keys.LICENCE).public(licence["kid"]) \
        or keys.keyring(settings, ring=keys.LICENCE, force=True).public(licence["kid"])
    if public is None:  # not a key of ours, even after a reload (throttled)
        return False
    try:
        public.verify(keys.unb64url(licence["signature"]), licence["signed"].encode("utf-8"))
    except (InvalidSignature, ValueError):
        return False
    return True


# ---- issuing --------------------------------------------------------------------------------

def build(settings, ltype: dict, *, holder_kind: str, holder_id: str, holder_name: str,
          fields: dict[str, str], issuer: dict, application: str | None,
          now: datetime, lid: str | None = None) -> dict:
    """A signed licence, ready for store.issue_items. With an application the id is derived
    from it (keyed, so still unguessable): approving twice cannot issue two licences."""
    if not lid and application:
        lid = pii.keyed_hash(settings, "licence", f"{application}:{ltype['code']}")[:32]
    lid = lid or uuid.uuid4().hex
    number = model.licence_number(ltype, now, f"{secrets.randbelow(10**10):010d}")
    payload, secret = model.new_licence(
        ltype, lid=lid, number=number, holder_kind=holder_kind, holder_id=holder_id,
        holder_name=holder_name, fields=fields, issued=now, issuer=issuer,
        application=application)
    signed = model.canonical(payload)
    kid, signature = _sign(settings, signed)
    return model.record(payload, signed=signed.decode("utf-8"), signature=signature, kid=kid,
                        alg=model.ALG, sealed={k: pii.seal(settings, v, f"licence:{lid}:{k}")
                                               for k, v in secret.items()})


def _issue_items(settings, who, licence: dict, notify: str | None, *, now: datetime) -> list:
    p = licence["payload"]
    audit = audit_record(who, "licence.issue", f"licence:{p['id']}", at=_at(now), detail={
        "type": p["type"], "number": p["number"], "application": p["application"]},
        subject=f"{p['holder_kind']}:{p['holder_id']}")
    notice = {**model.issued_notice(p), "owner": notify, "at": _at(now)} if notify else None
    return store.issue_items(settings, licence, audit=audit, notice=notice)


def issue_for_approval(settings, who, app: dict, *, now: datetime) -> tuple[list[dict], list[str]]:
    """The TransactWriteItems entries that issue the e-licences an approval of `app` issues
    (licence, wallet entry, audit record, the holder's notice), to land in the approval's own
    transaction, and the licence ids. The holder's verified identity fills the identity
    fields, the form those of the type's other fields it has; the issuer is the type's
    department in the application's region. Approving twice cannot issue twice: the ids
    derive from the application and the licence Put is conditional."""
    codes = model.types_issued_by(app["matter"])
    if not codes:
        return [], []
    holder_kind, holder_id = app["owner"].split(":", 1)
    holder = _holder_identity(settings, holder_kind, holder_id)
    notify = _notify_account(settings, holder_kind, holder_id)
    items, ids = [], []
    for code in codes:
        ltype = model.licence_type(code)
        values = model.filled_values(ltype, identity=holder["fields"], form=app["form"],
                                     approved_on=now.astimezone(model.BEIJING).date())
        licence = build(settings, ltype, holder_kind=holder_kind, holder_id=holder_id,
                        holder_name=holder["name"], fields=values,
                        issuer=_issuer(ltype["issuer_department"], app["region"]),
                        application=app["id"], now=now)
        items += _issue_items(settings, who, licence, notify, now=now)
        ids.append(licence["id"])
    return items, ids


def issue_at_counter(settings, who, args: dict, *, now: datetime, base_url: str) -> dict:
    """Counter issue (paper and electronic together) by the type's department; the holder's
    identity fields come from the verified holder, the officer types the rest."""
    from ..hall import model as hall_model

    ltype = model.licence_type(args["type"])
    if who.department != ltype["issuer_department"]:
        raise Forbidden(f"Only {ltype['issuer_department']} issues a {ltype['name_en']}.")
    region = who.region or hall_model.CITY_REGION
    if region not in hall_model.by_code("regions"):
        raise Forbidden("Your account has no region to issue from.")
    model.check_counter_issue(ltype, args["holder_kind"], args["fields"])
    holder = _holder_identity(settings, args["holder_kind"], args["holder_id"])
    licence = build(settings, ltype, holder_kind=args["holder_kind"], holder_id=args["holder_id"],
                    holder_name=holder["name"],
                    fields={**model.filled_values(ltype, identity=holder["fields"]),
                            **args["fields"]},
                    issuer=_issuer(who.department, region), application=args["application"],
                    now=now)
    store.issue(settings, _issue_items(settings, who, licence, holder["notify"], now=now))
    return _holder_view(settings, licence, now, base_url)


def seed(settings, path, *, now: datetime) -> int:
    """The demo licences of a seed file (infra/seed/licences.json), issued as the counter
    issues them (holder identity from the registry, the file's other fields) by the type's
    department in the file's region; ids keyed from holder and type, so seeding twice
    issues nothing new. How many were issued."""
    import json

    issued = 0
    for doc in json.loads(path.read_text(encoding="utf-8"))["licences"]:
        ltype = model.licence_type(doc["type"])
        lid = pii.keyed_hash(settings, "licence", f"seed:{doc['holder_id']}:{ltype['code']}")[:32]
        if store.get_licence(settings, lid):
            continue
        model.check_counter_issue(ltype, doc["holder_kind"], doc["fields"])
        holder = _holder_identity(settings, doc["holder_kind"], doc["holder_id"])
        licence = build(settings, ltype, holder_kind=doc["holder_kind"],
                        holder_id=doc["holder_id"], holder_name=holder["name"],
                        fields={**model.filled_values(ltype, identity=holder["fields"]),
                                **doc["fields"]},
                        issuer=_issuer(ltype["issuer_department"], doc["region"]),
                        application=None, now=now, lid=lid)
        store.issue(settings, _issue_items(settings, None, licence, holder["notify"], now=now))
        issued += 1
    return issued


def revoke(settings, who, lid: str, *, reason: str, now: datetime) -> dict:
    """The issuing department revokes (see model.may_manage), once; the holder is told."""
    from ..hall import model as hall_model

    licence = _licence(settings, lid)
    if not model.may_manage(who.department, who.region, licence, hall_model.CITY_REGION):
        raise Forbidden("Only the issuing department may revoke this licence.")
    p, at = licence["payload"], _at(now)
    notify = _notify_account(settings, p["holder_kind"], p["holder_id"])
    store.revoke(settings, licence, reason=reason, at=at, by=who.subject,
                 audit=audit_record(who, "licence.revoke", f"licence:{p['id']}", at=at, detail={
                     "type": p["type"], "number": p["number"], "reason": reason},
                     subject=f"{p['holder_kind']}:{p['holder_id']}"),
                 notice={**model.revoked_notice(p, reason), "owner": notify, "at": at})
    return {"id": p["id"], "status": "revoked", "revoked_at": at, "reason": reason}


# ---- the holder's wallet ---------------------------------------------------------------------

def _holder(who, for_matter: str | None = None) -> tuple[str, str]:
    return model.wallet_holder(who.subject, who.act, for_matter)


def wallet(settings, who, *, matter: str | None, now: datetime) -> dict:
    """The holder's licences; for a matter, only the valid ones it accepts (to offer when
    applying)."""
    kind, holder_id = _holder(who, matter)
    items = [model.summary(w, now) for w in store.wallet(settings, kind, holder_id)]
    if matter:
        usable = set(model.used_by(_matter(settings, matter)))
        items = [i for i in items if i["type"] in usable and i["status"] == "valid"]
    return {"holder_kind": kind, "items": items}


def _holder_view(settings, licence: dict, now: datetime, base_url: str) -> dict:
    """The licence for its holder with its QR text, so the wallet can keep the code offline."""
    url = verify_url(base_url, licence["id"])
    return {**model.holder_view(licence, now, url),
            "qr_text": model.qr_text(url, qr_token(settings, licence))}


def wallet_licence(settings, who, lid: str, *, now: datetime, base_url: str) -> dict:
    return _holder_view(settings, _holder_licence(settings, lid, *_holder(who)), now, base_url)


def usage(settings, who, lid: str) -> dict:
    """Every use of one of the holder's licences, with the matter's name."""
    licence = _holder_licence(settings, lid, *_holder(who))
    matters = _matters(settings)
    return {"licence": licence["id"], "items": [
        {**u, "matter_name": matters.get(u["matter"], {}).get("name")}
        for u in store.usage(settings, licence["id"])]}


def preview(settings, who, lid: str, *, matter: str, now: datetime) -> dict:
    """What a matter would receive from this licence, before the holder consents."""
    licence = _holder_licence(settings, lid, *_holder(who, matter))
    found = _matter(settings, matter)
    p = licence["payload"]
    return {"licence": licence["id"], "type": p["type"],
            "type_name": model.licence_types()[p["type"]]["name"],
            "status": model.status(licence, now), "matter": found["code"],
            "matter_name": found["name"], "fields": model.preview(licence, found)}


def share_for_application(settings, who, *, licence_id: str, owner: str, matter: dict,
                          slot: dict, application_id: str | None, consent: bool,
                          now: datetime) -> tuple[dict, list[dict]]:
    """A licence the owner holds, in place of one of the matter's materials, after consent:
    the material entry for the application and the usage and audit items to write with it
    (masked fields go in full only where the preview said so). Only the owner's own valid
    licence of the slot's type may be shared."""
    if not consent:
        raise Unprocessable("Sharing a licence needs your consent.",
                            details={"fields": {"consent": ["required (请先确认同意共享)"]}})
    licence = _holder_licence(settings, licence_id, *owner.split(":", 1))
    if slot.get("licence_type") != licence["type"]:
        raise RuleError("licence_id", "This licence cannot replace that material.",
                        "证照类型不符")
    model.check_valid(licence, now)
    rows = model.preview(licence, matter)
    secret = {k: pii.unseal(settings, v, f"licence:{licence['id']}:{k}")
              for k, v in licence["sealed"].items()}
    values = model.shared_values(rows, licence["payload"]["fields"], secret)
    at, fields = _at(now), [r["name"] for r in rows]
    use = {"at": at, "user": who.subject, "application": application_id,
           "matter": matter["code"], "fields": fields}
    items = store.use_items(settings, licence["id"], use, audit=audit_record(
        who, "licence.use", f"licence:{licence['id']}", at=at,
        detail={"matter": matter["code"], "application": application_id, "fields": fields},
        subject=f"{licence['holder_kind']}:{licence['holder_id']}"))
    return ({"kind": "licence", "licence_id": licence["id"], "licence_type": licence["type"],
             "shared_fields": sorted(values), "at": at}, items)


# ---- public: anyone may check a licence ------------------------------------------------------

def verify_url(base_url: str, lid: str) -> str:
    """What a licence's QR code holds: the public verification page, which never changes."""
    return f"{base_url.rstrip('/')}/verify/{lid}"


def verify(settings, lid: str, *, now: datetime) -> dict:
    """All a stranger with the QR code learns: genuine, in force, whose (masked)."""
    licence = _licence(settings, lid)
    return model.public_view(licence, signature_valid=_signature_valid(settings, licence),
                             now=now)


def qr_code(settings, licence: dict, *, base_url: str):
    """The segno code of the licence's QR text: the verify URL, `#`, the signed token."""
    import segno  # lazily: only the QR route pays for it

    text = model.qr_text(verify_url(base_url, licence["id"]), qr_token(settings, licence))
    return segno.make(text, error="m", mode="byte")


def qr_svg(settings, lid: str, *, base_url: str) -> bytes:
    """The licence's QR code (SVG): scanned by a phone it opens the online check (status
    and revocation at that moment); read by a verifier it carries the signed token."""
    code = qr_code(settings, _licence(settings, lid), base_url=base_url)
    out = BytesIO()
    code.save(out, kind="svg", scale=4, border=4, xmldecl=False, title="扫码核验电子证照")
    return out.getvalue()


def publish_revocations(settings, *, now: datetime) -> dict:
    """The daily job: sign every revoked licence id into a list for offline verifiers, with
    its issue time and next update, and publish it. Safe to run twice."""
    claims = model.revocation_claims(store.revoked_ids(settings), now)
    token = _jws(settings, claims, typ=model.REVOCATIONS_TYP)
    store.put_revocations(settings, token)
    return model.revocations_view(token, claims)


def revocations(settings, *, now: datetime) -> dict:
    """The published revocation list; built now if none was published yet or its next update
    is past (the daily job missed), so a verifier is never handed a stale list."""
    stored = store.get_revocations(settings)
    if model.revocations_stale(stored, now):
        return publish_revocations(settings, now=now)
    return model.revocations_view(stored["token"], stored["claims"])


def types(settings) -> dict:
    """Every licence type with its issue list and its use list (from the published catalogue)."""
    return {"items": model.types_view(model.use_list(_matters(settings).values()))}


# ---- the signing keys ------------------------------------------------------------------------

def public_keys(settings) -> dict:
    """The JWKs of every licence key still published: next, signing and retired (kept for
    good, since licences they signed may be valid for good)."""
    return {"keys": keys.keyring(settings, ring=keys.LICENCE).jwks(with_state=True)["keys"]}


def rotate_keys(settings, who, *, now: datetime) -> dict:
    """Promote the next licence key to signing, retire the signing one (still published),
    publish a new next key; audited. who is None from the CLI."""
    ring = keys.rotate(settings, now, keys.LICENCE)
    audit_only(settings, audit_record(who, "licence_keys.rotate", f"key:{ring.signing()[0]}",
                                      at=_at(now), actor=None if who else "cli"))
    return {"keys": ring.jwks(with_state=True)["keys"]}


def init_keys(settings, *, now: datetime) -> bool:
    """Create the licence keyring if it is missing (or give an old one its next key)."""
    return keys.init_ring(settings, keys.LICENCE, now)
