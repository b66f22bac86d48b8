"""The page (一机两页): everything the city holds for whoever the caller acts as, what is due,
and what they will need next, assembled from two storage round trips (the party's partition,
then its newest notices beside the enterprise's staff or the person's registry record, and on
the month's first open the use counter's write: supervision/page_use.py), and pinning
matters to it."""
from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime

from ..core import clock
from ..core.errors import Conflict, Forbidden, NotFound
from ..supervision import page_use, page_use_model
from . import model, page_store, recommend, recommend_store, rules
from . import service as deadlines_service

PIN_CAP = 20
EXPIRING_DAYS = 60
DEADLINE_DAYS = 60
INBOX_LATEST = 5
# City-wide counters (what people do next, hot services, dismissals of a segment) change with
# every completion anywhere; a minute old is as good for a suggestion and keeps them off the
# page's round trips. A registry record changes with a civil event, seldom.
COUNTERS_SECONDS = 60
REGISTRY_SECONDS = 600
_cache: dict = {}
APPLICANT_TURN = frozenset({"draft", "returned"})


def _cached(name: tuple, seconds: int, read):
    hit = _cache.get(name)
    if hit and time.monotonic() - hit[1] < seconds:
        return hit[0]
    value = read()
    if len(_cache) > 10000:
        _cache.clear()
    _cache[name] = (value, time.monotonic())
    return value


def forget() -> None:
    """Drop the cached counters and registry records (tests)."""
    _cache.clear()


def party_of(who) -> tuple[str, str]:
    """(kind, id) of the party the caller acts as; staff have no page."""
    if who.kind != "citizen":
        raise Forbidden("The page is for citizens and the enterprises they act for.")
    if who.act:
        return who.act["kind"], who.act["id"]
    return "person", who.subject


def _together(jobs: dict) -> dict:
    """Run independent reads side by side: one round trip for all of them."""
    if len(jobs) < 2:
        return {k: f() for k, f in jobs.items()}
    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        futures = {k: pool.submit(f) for k, f in jobs.items()}
        return {k: f.result() for k, f in futures.items()}


def _inbox_reader(who):
    from ..push import model as push_model

    try:
        return push_model.reader(who.subject, who.act)
    except push_model.NotAReader:
        return None


def _latest(settings, reader) -> list[dict]:
    from ..push import store as push_store

    return push_store.page(settings, reader.owner, kinds=reader.kinds, unread=False,
                           limit=INBOX_LATEST, start=None)[0]


def _registry_person(settings, id_hash: str) -> dict:
    from ..identity.store import enterprises

    return _cached(("registry", settings.table_name, id_hash), REGISTRY_SECONDS,
                   lambda: enterprises.registry_person(settings, id_hash) or {})


def _registry_counted(settings, owner: str, account: dict, month: str | None,
                      at: datetime) -> dict:
    """The person's registry record and, on the month's first open, the use counter, which
    the record decides (region, age): in round 2's pool, after the record (cached when warm)."""
    registry = _registry_person(settings, account["id_hash"])
    if month is not None:
        page_use.record_open(settings, owner,
                             page_use_model.person_bucket(registry, account, month),
                             month=month, at=at)
    return registry


def _staff(settings, uscc: str) -> list[dict]:
    from ..identity.store import grants

    return grants.grants_given(settings, "enterprise", uscc)


def page(settings, who, *, at: datetime, expect: str | None = None) -> dict:
    """The acting party's page. `expect` ("person:<id>" / "enterprise:<uscc>"): the identity
    the client is showing; another one than the token acts for is refused (403)."""
    kind, ident = party_of(who)
    owner = f"{kind}:{ident}"
    if expect is not None and expect != owner:
        raise Forbidden("You are not acting for this identity; switch to it first.",
                        details={"acting_as": owner})
    parsed = page_store.parse(kind, page_store.party_items(settings, owner))
    if parsed["profile"] is None:
        raise NotFound("No such party.")
    reader = _inbox_reader(who)
    month = page_use.month_at(at)
    first_open = month not in parsed["seen"]   # counted once per party per month
    jobs = {}
    if reader is not None:
        jobs["inbox"] = lambda: _latest(settings, reader)
    if kind == "enterprise":
        jobs["staff"] = lambda: _staff(settings, ident)
        if first_open:
            jobs["use"] = lambda: page_use.record_open(
                settings, owner, page_use_model.enterprise_bucket(parsed["profile"]),
                month=month, at=at)
    else:
        jobs["registry"] = lambda: _registry_counted(settings, owner, parsed["profile"],
                                                     month if first_open else None, at)
    got = _together(jobs)
    return assemble(settings, who, kind, parsed, inbox=got.get("inbox"), reader=reader,
                    staff=got.get("staff"), registry=got.get("registry") or {}, at=at)


# ---- assembling (no storage of the party's own: cached city-wide reads only) -------------------

def _profile(kind: str, doc: dict, who) -> dict:
    if kind == "person":
        from ..identity.model import account_view

        view = account_view(doc)
        return {"kind": "person", **{k: view[k] for k in ("name", "id_number", "phone", "level",
                                                          "level_name")}}
    return {"kind": "enterprise", "role": (who.act or {}).get("role"),
            **{k: doc.get(k) for k in ("uscc", "name", "county", "industry", "size", "founded",
                                       "individual_business")}}


def _applications(pointers: list[dict]) -> list[dict]:
    from ..intake.model import CLOSED, STATE_ZH

    open_ = [{**p, "status_zh": STATE_ZH.get(p["status"], p["status"]),
              "turn": "applicant" if p["status"] in APPLICANT_TURN else "department"}
             for p in pointers if p["status"] not in CLOSED]
    return sorted(open_, key=lambda a: (a["due"] or "9999-12-31", a["id"]))


def _licences(catalogue, wallet: list[dict], region: str | None, today: date) -> list[dict]:
    out = []
    for w in wallet:
        lic, types = w["payload"], recommend.licence_types()
        t = types.get(lic["type"], {})
        days = (date.fromisoformat(lic["expires"]) - today).days if lic.get("expires") else None
        expiring = not w["revoked_at"] and days is not None and days <= EXPIRING_DAYS
        renew = recommend._renewal_matter(catalogue, lic["type"]) if expiring else None
        out.append({"id": lic["id"], "type": lic["type"], "name": t.get("name", lic["type"]),
                    "name_en": t.get("name_en", lic["type"]), "issued": lic["issued"],
                    "expires": lic.get("expires"), "days_left": days,
                    "revoked": bool(w["revoked_at"]), "expiring": expiring,
                    "expired": days is not None and days < 0,
                    "renew": recommend.resolve(catalogue, renew, region) if renew else None})
    return sorted(out, key=lambda x: (not x["expiring"], x["expires"] or "9999", x["id"]))


def _rec_wallet(catalogue, wallet: list[dict]) -> list[dict]:
    """The wallet as the recommendation rules read it (recommend.facts_of's shape)."""
    out = []
    for w in wallet:
        lic = w["payload"]
        if w["revoked_at"] or not lic.get("expires"):
            continue
        t = recommend.licence_types().get(lic["type"], {})
        matter = recommend._renewal_matter(catalogue, lic["type"])
        out.append({"type": lic["type"], "name": t.get("name", lic["type"]),
                    "name_en": t.get("name_en", lic["type"]), "expires": lic["expires"],
                    "matters": [matter] if matter else []})
    return out


def _facts(kind: str, doc: dict, registry: dict, catalogue, wallet: list[dict],
           today: date) -> tuple[dict, dict]:
    """(the deadline calendar's facts, the recommendation rules' facts) of the party."""
    plain = [{**w["payload"], "revoked_at": w["revoked_at"]} for w in wallet]
    if kind == "enterprise":
        # Since 五证合一 (2016) the business licence is also the tax and social insurance
        # registration: a registered enterprise has both (as service._enterprise_facts says).
        cal = {"status": "active", "individual_business": bool(doc.get("individual_business")),
               "founded": doc.get("founded"), "region": doc.get("county"),
               "tax_registered": True, "social_insurance_registered": True,
               **model.licence_facts(plain, today)}
        rec = {"kind": "enterprise", "org.founded": doc.get("founded"),
               "org.individual_business": bool(doc.get("individual_business")),
               "org.county": doc.get("county"), "wallet": _rec_wallet(catalogue, wallet)}
        return cal, rec
    cal = {"age": model.age_on(doc.get("birth"), today),
           "region": doc.get("home_region") or doc.get("region"),
           **model.licence_facts(plain, today)}
    rec = {"kind": "person", "registry.birth": registry.get("birth") or doc.get("birth"),
           "registry.sex": registry.get("sex"), "registry.employment": registry.get("employment"),
           "registry.region": registry.get("region") or doc.get("home_region"),
           "wallet": _rec_wallet(catalogue, wallet)}
    return cal, rec


def _recommendations(settings, catalogue, facts: dict, past: dict, today: date,
                     allowed: frozenset | None) -> list[dict]:
    t = settings.table_name
    region = recommend.region_of(facts) or recommend.CITY
    transitions = {m: _cached(("next", t, m), COUNTERS_SECONDS,
                              lambda m=m: recommend_store.transitions(settings, m))
                   for m in past["last"][:1]}
    hot = (_cached(("hot", t, region), COUNTERS_SECONDS,
                   lambda: recommend_store.hot(settings, region))
           or _cached(("hot", t, recommend.CITY), COUNTERS_SECONDS,
                      lambda: recommend_store.hot(settings, recommend.CITY)))
    segment = rules.segment(facts, today)
    dismissals = _cached(("seg", t, segment), COUNTERS_SECONDS,
                         lambda: recommend_store.segment_dismissals(settings, segment))
    found = recommend.rank(catalogue, facts, past, transitions=transitions, hot=hot,
                           dismissals=dismissals, today=today)
    if allowed is not None:   # a family member sees only the matters authorised
        found = [s for s in found if s["code"] in allowed]
    return [{k: s[k] for k in ("code", "name", "name_en", "reason", "reason_en", "rule")}
            for s in found]


def _enterprise_staff(doc: dict, grants: list[dict], who, at: datetime) -> dict:
    from ..identity.model import grant_status, grant_view

    staff = [{"name": None, "role": "legal_rep", "expires": None, "is_you": (
        doc.get("legal_rep") == who.subject)}]
    staff += [{"name": g.get("grantee_name"), "role": g.get("role"), "expires": g.get("expires"),
               "is_you": g["grantee"] == who.subject}
              for g in grants if grant_status(g, at) == "active"]
    mine = (who.act or {}).get("role") == "legal_rep"
    return {"staff": staff,
            "delegations": [grant_view(g, who.subject, at) for g in grants] if mine else None}


def _with_offers(out: dict, catalogue, who, kind: str, parsed: dict, registry: dict,
                 at: datetime) -> None:
    """免申即享 offers (a person's page: from the records read already), and an offered
    matter is not also recommended."""
    from . import offers

    out["offers"] = (offers.page_offers(catalogue, who, parsed["profile"], registry, parsed,
                                        at=at) if kind == "person" else [])
    offered = {o["code"] for o in out["offers"]}
    out["recommendations"] = [r for r in out["recommendations"] if r["code"] not in offered]


def assemble(settings, who, kind: str, parsed: dict, *, inbox, reader, staff, registry: dict,
             at: datetime) -> dict:
    catalogue = recommend._catalogue(settings)
    today = at.astimezone(clock.CHINA).date()
    doc = parsed["profile"]
    cal_facts, rec_facts = _facts(kind, doc, registry, catalogue, parsed["wallet"], today)
    matters = frozenset((who.act or {}).get("matters") or ()) if kind == "person" else None
    due = model.upcoming(deadlines_service.rules(), audience=kind, facts=cal_facts, today=today,
                         days=DEADLINE_DAYS, workdays=deadlines_service._workdays(settings),
                         published=deadlines_service.published(settings),
                         matters=matters if who.act else None)
    from ..push.model import unread_count

    out = {
        "party": kind, "as_of": today.isoformat(),
        "profile": _profile(kind, doc, who),
        "applications": _applications(parsed["applications"]),
        "licences": _licences(catalogue, parsed["wallet"], recommend.region_of(rec_facts), today),
        "inbox": ({"available": True, "unread": unread_count(parsed["unread"], reader.kinds),
                   "latest": inbox or []} if reader is not None
                  else {"available": False, "unread": 0, "latest": []}),
        "deadlines": due,
        "recommendations": _recommendations(settings, catalogue, rec_facts, parsed["history"],
                                            today, matters if who.act else None),
        "pinned": [{"code": p["code"], "name": catalogue.matters[p["code"]]["name"],
                    "name_en": catalogue.matters[p["code"]].get("name_en")
                    or catalogue.matters[p["code"]]["name"], "at": p["at"]}
                   for p in parsed["pins"] if p["code"] in catalogue.matters],
    }
    _with_offers(out, catalogue, who, kind, parsed, registry, at)
    if kind == "enterprise":
        out["enterprise"] = _enterprise_staff(doc, staff or [], who, at)
    else:
        out["enterprises"] = parsed["enterprises"]
    return out


# ---- pins ---------------------------------------------------------------------------------------

def _known(settings, code: str) -> None:
    if code not in recommend._catalogue(settings).matters:
        raise NotFound("No such matter.")


def pin(settings, who, code: str, *, at: datetime) -> dict:
    """Pin a matter to the acting party's page (again: no change); the cap -> 409."""
    kind, ident = party_of(who)
    _known(settings, code)
    result = page_store.pin(settings, f"{kind}:{ident}", code, at=clock.iso(at), cap=PIN_CAP)
    if result == "full":
        raise Conflict(f"At most {PIN_CAP} matters can be pinned; unpin one first.",
                       details={"cap": PIN_CAP})
    return {"code": code, "pinned": True, "changed": result == "pinned"}


def unpin(settings, who, code: str) -> dict:
    """Unpin a matter (not pinned: no change)."""
    kind, ident = party_of(who)
    _known(settings, code)
    changed = page_store.unpin(settings, f"{kind}:{ident}", code)
    return {"code": code, "pinned": False, "changed": changed}
