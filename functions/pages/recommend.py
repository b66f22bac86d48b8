"""Use cases of recommendations: what the acting party will need next, each with its reason
(rules from facts, then what people did next, then the region's hot services), the
"not relevant" dismissal, and the records a completed application adds to the history."""
from __future__ import annotations

import json
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

from ..core import clock
from ..core.errors import Forbidden, NotFound
from . import history, recommend_store, rules

LIMIT = 6
CITY = "441400"
LICENCE_TYPES = Path(__file__).parents[1] / "licences" / "data" / "licence_types.json"
_indexes: dict = {}


@lru_cache(maxsize=1)
def licence_types() -> dict[str, dict]:
    return {t["code"]: t for t in json.loads(LICENCE_TYPES.read_text(encoding="utf-8"))}


def _catalogue(settings):
    from ..hall import service as hall

    return hall.catalogue(settings)


def _by_name(catalogue) -> dict[str, dict[str, str]]:
    """name -> {region: code}, built once per catalogue version."""
    hit = _indexes.get(id(catalogue))
    if hit is None:
        hit = {}
        for code, m in catalogue.matters.items():
            hit.setdefault(m["name"], {})[m["region"]] = code
        _indexes.clear()
        _indexes[id(catalogue)] = hit
    return hit


def resolve(catalogue, name_or_code: str, region: str | None) -> str | None:
    """The party's county copy of a matter named by a rule, else the city's, else any."""
    if name_or_code in catalogue.matters:
        return name_or_code
    copies = _by_name(catalogue).get(name_or_code) or {}
    return copies.get(region or "") or copies.get(CITY) or next(iter(sorted(copies.values())),
                                                                None)


def _renewal_matter(catalogue, lic_type: str) -> str | None:
    """The name of the matter that renews a licence: one that issues it, a 换领/延续 first."""
    names = [catalogue.matters[c]["name"] for c in licence_types().get(lic_type, {}).get(
        "issued_by_matters", ()) if c in catalogue.matters]
    names.sort(key=lambda n: not any(w in n for w in ("换", "延续")))
    return names[0] if names else None


# ---- facts -----------------------------------------------------------------------------------

def _wallet(settings, catalogue, kind: str, ident: str) -> list[dict]:
    from ..licences import store as licences

    out = []
    for w in licences.wallet(settings, kind, ident):
        lic = w["payload"]
        if w["revoked_at"] or not lic.get("expires"):
            continue
        t = licence_types().get(lic["type"], {})
        matter = _renewal_matter(catalogue, lic["type"])
        out.append({"type": lic["type"], "name": t.get("name", lic["type"]),
                    "name_en": t.get("name_en", lic["type"]), "expires": lic["expires"],
                    "matters": [matter] if matter else []})
    return out


def facts_of(settings, who, catalogue) -> tuple[str, dict]:
    """(owner, facts) of whoever the caller acts as, from the registry, account and wallet."""
    from ..identity.store import accounts, enterprises

    if who.kind != "citizen":
        raise Forbidden("Recommendations are for citizens and the enterprises they act for.")
    act = who.act
    if act and act["kind"] == "enterprise":
        org = enterprises.registry_org(settings, act["id"]) or \
            enterprises.get_enterprise(settings, act["id"]) or {}
        return f"enterprise:{act['id']}", {
            "kind": "enterprise", "org.founded": org.get("founded"),
            "org.individual_business": bool(org.get("individual_business")),
            "org.county": org.get("county"),
            "wallet": _wallet(settings, catalogue, "enterprise", act["id"])}
    account_id = act["id"] if act else who.subject
    account = accounts.get_account(settings, account_id)
    person = enterprises.registry_person(settings, account["id_hash"]) or {}
    return f"person:{account_id}", {
        "kind": "person", "registry.birth": person.get("birth") or account.get("birth"),
        "registry.sex": person.get("sex"), "registry.employment": person.get("employment"),
        "registry.region": person.get("region") or account.get("home_region"),
        "wallet": _wallet(settings, catalogue, "person", account_id)}


def region_of(facts: dict) -> str | None:
    return facts.get("registry.region") or facts.get("org.county")


# ---- ranking ---------------------------------------------------------------------------------

def _region_names(region: str | None) -> tuple[str, str]:
    from ..hall.model import by_code

    r = by_code("regions").get(region or CITY) or by_code("regions")[CITY]
    return r["name"], r["name_en"]


def rank(catalogue, facts: dict, past: dict, *, transitions: dict, hot: dict,
         dismissals: dict, today: date, limit: int = LIMIT) -> list[dict]:
    """The party's suggestions, best first: pure, given what the stores read."""
    region, kind = region_of(facts), facts.get("kind", "person")
    done_names = {catalogue.matters[c]["name"] for c in past["done"] if c in catalogue.matters}
    found: list[dict] = []
    for s in rules.suggest({**facts, "done": done_names}, today):
        code = resolve(catalogue, s["matter"], region)
        if code:
            found.append({**s, "code": code})
    def fits(code: str) -> bool:
        return kind in catalogue.matters.get(code, {}).get("audiences", ())

    hot = {c: n for c, n in hot.items() if fits(c)}
    if not hot:  # no completions counted yet: the catalogue's hot services of the region
        hot = {m["code"]: 1 for g in catalogue.hot_services(kind, region) for m in g["matters"]}
    transitions = {m: {c: n for c, n in after.items() if fits(c)}
                   for m, after in transitions.items()}
    zh_region, en_region = _region_names(region)
    exclude = set(past["done"]) | set(past["dismissed"])
    for code, score, prev in history.predict(past["last"], transitions, hot, exclude=exclude,
                                             top=limit):
        if prev:
            name = catalogue.matters.get(prev, {}).get("name", prev)
            name_en = catalogue.matters.get(prev, {}).get("name_en") or name
            pct = round(score / history.HISTORY_WEIGHT * 100)
            found.append({"rule": "history", "code": code, "score": score,
                          "reads": ["history.last_completed"],
                          "reason": f"因为您刚办完“{name}”，办完这件事的人中有{pct}%接着办了此事项",
                          "reason_en": f"Because you just completed “{name_en}”: {pct}% of "
                                       f"the people who did went on to do this"})
        else:
            found.append({"rule": "popular", "code": code, "score": score,
                          "reads": ["registry.region"],
                          "reason": f"因为您在{zh_region}，这是{zh_region}近期办理最多的事项之一",
                          "reason_en": f"Because you are in {en_region}, and this is one of "
                                       f"the services most used there lately"})
    best: dict[str, dict] = {}
    for s in found:
        m = catalogue.matters.get(s["code"])
        if not m or s["code"] in past["dismissed"] or kind not in m.get("audiences", (kind,)):
            continue
        s = {**s, "score": history.damped(s["score"], dismissals.get(s["code"], 0))}
        if s["code"] not in best or s["score"] > best[s["code"]]["score"]:
            best[s["code"]] = {**s, "name": m["name"], "name_en": m.get("name_en") or m["name"]}
    ordered = sorted(best.values(), key=lambda s: (-s["score"], s["code"]))[:limit]
    return [{"code": s["code"], "name": s["name"], "name_en": s["name_en"],
             "reason": s["reason"], "reason_en": s["reason_en"], "rule": s["rule"],
             "reads": s["reads"], "score": round(s["score"], 4)} for s in ordered]


def _hot(settings, region: str | None) -> dict[str, int]:
    """The region's hot services: the city's completions, the county's own copies counted
    again (a county's completions are in both counts), so local services come first."""
    city = recommend_store.hot(settings, CITY)
    if not region or region == CITY:
        return city
    out = dict(city)
    for code, n in recommend_store.hot(settings, region).items():
        out[code] = out.get(code, 0) + n
    return out


def recommendations(settings, who, *, at: datetime, facts: tuple[str, dict] | None = None,
                    limit: int = LIMIT) -> list[dict]:
    """What the acting party will need next, each with why; `facts` (owner, facts) when the
    caller has read them already (the page)."""
    catalogue = _catalogue(settings)
    today = at.astimezone(clock.CHINA).date()
    owner, known = facts or facts_of(settings, who, catalogue)
    past = recommend_store.party_history(settings, owner)
    last = past["last"][:1]   # what followed the most recent completion (one Query)
    transitions = {m: recommend_store.transitions(settings, m) for m in last}
    found = rank(catalogue, known, past, transitions=transitions,
                 hot=_hot(settings, region_of(known)),
                 dismissals=recommend_store.segment_dismissals(
                     settings, rules.segment(known, today)),
                 today=today, limit=limit)
    act = who.act or {}
    if act.get("kind") == "person":   # a family member sees only the matters authorised
        allowed = set(act.get("matters") or ())
        found = [s for s in found if s["code"] in allowed]
    return found


def dismiss(settings, who, code: str, *, at: datetime) -> dict:
    """"Not relevant": never suggested to this party again, and lowered for its segment."""
    catalogue = _catalogue(settings)
    owner, known = facts_of(settings, who, catalogue)  # staff are refused before any lookup
    if code not in catalogue.matters:
        raise NotFound("No such matter.")
    segment = rules.segment(known, at.astimezone(clock.CHINA).date())
    first = recommend_store.dismiss(settings, owner, code, segment=segment, at=clock.iso(at))
    return {"code": code, "dismissed": True, "counted": first}


def completion_items(settings, app: dict, *, at: str) -> list[dict]:
    """The history records of an application completing (intake adds them to the
    transaction of the move, so they count once)."""
    previous = recommend_store.last_completed(settings, app["owner"])
    return recommend_store.completion_items(settings.table_name, owner=app["owner"],
                                            matter=app["matter"], region=app["region"],
                                            at=at, previous=previous)
