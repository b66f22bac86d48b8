"""免申即享 use cases: the offers on a person's page (from what the page has read already), and
the one confirmation that files the application with everything filled by the server, through
intake's own create, attach and submit, so it is an application like any other."""
from __future__ import annotations

from datetime import datetime

from ..core import clock, pii
from ..core.errors import Conflict, Forbidden, NotFound
from . import offers_model, page_store, recommend
from .offers_model import BANK, IDENTITY, WALLET


def _wallet(wallet: list[dict], at: datetime) -> dict[str, str]:
    """{licence type: id} of the valid e-licences, the newest of each type (the partition's
    wallet comes newest first)."""
    from ..licences.model import status

    out: dict[str, str] = {}
    for w in wallet:
        if status(w, at) == "valid":
            out.setdefault(w["payload"]["type"], w["payload"]["id"])
    return out


def facts_of(catalogue, doc: dict, registry: dict, parsed: dict, at: datetime) -> dict:
    """offers_model's facts of a person: their account, registry record and partition."""
    done = {catalogue.matters[c]["name"] for c in parsed["history"]["done"]
            if c in catalogue.matters}
    return {"kind": "person", "level": int(doc.get("level") or 0), "registry": bool(registry),
            "registry.birth": registry.get("birth"), "registry.region": registry.get("region"),
            "registry.ssc_bank": bool(registry.get("ssc_bank_seal")),
            "wallet": _wallet(parsed["wallet"], at), "applications": parsed["applications"],
            "done": done}


def _values(doc: dict, registry: dict) -> dict:
    """The values an offer shows, masked as everywhere (the account's and the registry's own
    masks; the application holds them sealed)."""
    return {"applicant_name": doc["name"], "id_number": doc["id_mask"],
            "certificate_number": doc["id_mask"], "phone": doc["phone_mask"],
            "bank_account": registry.get("ssc_bank_mask")}


def _department(matter: dict) -> dict:
    from ..hall.model import by_code
    from ..hall.reads import department_of

    return department_of(matter, by_code("departments"), by_code("regions"))


def _allowed(who) -> frozenset | None:
    """A family member acting for a person: only the matters their grant names."""
    return frozenset(who.act.get("matters") or ()) if who.act else None


def page_offers(catalogue, who, doc: dict, registry: dict, parsed: dict, *,
                at: datetime) -> list[dict]:
    """The offers on a person's page, from the records the page has read (no storage call)."""
    today = at.astimezone(clock.CHINA).date()
    facts = facts_of(catalogue, doc, registry, parsed, at)
    allowed, out = _allowed(who), []
    for offer in offers_model.OFFERS:
        code = recommend.resolve(catalogue, offer.matter,
                                 registry.get("region") or doc.get("home_region"))
        if not code or (allowed is not None and code not in allowed):
            continue
        matter = catalogue.matters[code]
        if not offers_model.judge(offer, matter, facts, today):
            out.append(offers_model.shown(offer, matter, facts, _values(doc, registry),
                                          _department(matter)))
    return out


# ---- the confirmation ------------------------------------------------------------------------

def _offer_of(catalogue, code: str) -> tuple[offers_model.Offer, dict]:
    matter = catalogue.matters.get(code)
    offer = offers_model.BY_MATTER.get(matter["name"]) if matter else None
    if offer is None:
        raise NotFound("No such offer.")
    return offer, matter


def _refuse(reasons: list[dict]):
    first = reasons[0]
    raise Conflict(f"You cannot be granted this without applying now: {first['message_en']}.",
                   details={"reasons": reasons, "reason": first["message"],
                            "reason_en": first["message_en"]})


def confirm(settings, who, code: str, *, now: datetime) -> tuple[dict, bool]:
    """File and submit the offer's application for the person (or their family member acting
    for them within the grant). Re-reads the registry and the partition and checks again:
    no longer qualifying is a 409 with the reasons. Repeats, even at once, answer the same
    application. Returns the application (masked) and whether this call filed it."""
    from . import page

    kind, ident = page.party_of(who)
    catalogue = recommend._catalogue(settings)
    offer, matter = _offer_of(catalogue, code)
    if kind != "person":
        _refuse([offers_model.reason("not_a_person", "免申即享只面向个人",
                                     "Granted-without-applying benefits are for persons")])
    if (allowed := _allowed(who)) is not None and code not in allowed:
        raise Forbidden("Your authorisation does not cover this matter.")
    parsed = page_store.parse(kind, page_store.party_items(settings, f"person:{ident}"))
    if parsed["profile"] is None:
        raise NotFound("No such party.")
    registry = _registry(settings, parsed["profile"]["id_hash"])
    facts = facts_of(catalogue, parsed["profile"], registry, parsed, now)
    filed = _filed_before(settings, facts, offer)
    if filed is not None:
        return _finish(settings, who, filed, facts, now=now), False
    reasons = offers_model.judge(offer, matter, facts, now.astimezone(clock.CHINA).date())
    own = recommend.resolve(catalogue, offer.matter, registry.get("region"))
    if not reasons and own != code:
        reasons = [offers_model.reason("another_county", "该事项应向您户籍所在县（市、区）申领",
                                       "Claim it from the county of your household "
                                       "registration", offer_code=own)]
    if reasons:
        _refuse(reasons)
    app, replay = _create(settings, who, code, registry, facts, now=now)
    return _finish(settings, who, app, facts, now=now), not replay


def _registry(settings, id_hash: str) -> dict:
    from ..identity.store import enterprises

    return enterprises.registry_person(settings, id_hash) or {}


def _filed_before(settings, facts: dict, offer) -> dict | None:
    """An application the hall filed for this offer before that has not ended (a repeat)."""
    from ..intake import store as intake_store

    for pointer in offers_model.standing(facts, offer.matter):
        app = intake_store.get(settings, pointer["id"])
        if app.get("auto_filled"):
            return app
    return None


def _create(settings, who, code: str, registry: dict, facts: dict, *,
            now: datetime) -> tuple[dict, bool]:
    """intake's create: the identity's fields filled by intake, the bank account unsealed
    here from the registry and sealed into the application by intake. The Idempotency-Key
    (this matter and how many of its applications ended before) makes concurrent
    confirmations one application."""
    from ..intake import service as intake

    account = pii.unseal(settings, registry["ssc_bank_seal"], registry["id_hash"])
    ended = sum(1 for a in facts["applications"]
                if a["matter"] == code and a["status"] in offers_model.ENDED)
    return intake.create(settings, who, matter_code=code, form={"bank_account": account},
                         idem_key=f"offer-{code}-{ended}", now=now, auto_filled=True)


def _materials(settings, who, app: dict, facts: dict, *, now: datetime) -> None:
    """The required materials from the sources that answer them: the wallet's e-licence
    (shared; the confirmation is the consent to it), else the verified identity or the
    registry's record, vouched by the hall."""
    from ..intake import service as intake
    from ..intake.service.shared import matter_named

    matter = matter_named(settings, app["matter"])
    _, sources, _ = offers_model.answered(matter, offers_model.held_sources(facts))
    vouched = {}
    for name, source in sources.items():
        if name in app["materials"]:
            continue
        if source.startswith(WALLET):
            intake.attach_material(settings, who, app["id"], material=name, consent=True,
                                   licence_id=facts["wallet"][source[len(WALLET):]], now=now)
        elif source == IDENTITY:
            vouched[name] = {"kind": "identity", "level": facts["level"],
                             "verified_by": "population_registry"}
        elif source == BANK:
            vouched[name] = {"kind": "registry", "source": "ssc_bank_account"}
    if vouched:
        intake.attach_vouched(settings, who, app["id"], vouched, now=now)


def _finish(settings, who, app: dict, facts: dict, *, now: datetime) -> dict:
    """Attach what is missing and submit a draft; anything further along is answered as it
    is. A twin confirmation that submitted first: its application."""
    from ..intake import service as intake

    if app["status"] == "draft":
        try:
            _materials(settings, who, app, facts, now=now)
            return intake.submit(settings, who, app["id"], now=now)
        except Conflict:
            again = intake.get(settings, who, app["id"])
            if again["status"] == "draft":
                raise
            return again
    return intake.get(settings, who, app["id"])
