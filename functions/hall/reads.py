"""Read models built once per snapshot: the plain dicts the public endpoints return (summaries,
guides, service points, scenarios), with what the catalogue derives for its readers (where a
matter can be done, whether it works on a phone, where to book). Standard library only."""
from __future__ import annotations

import re
from functools import cache

CITY_REGION = "441400"

# Fields a matter's guide carries beyond its summary (English ones only when the data has them).
SUMMARY_KEYS = ("code", "name", "name_en", "audiences", "themes", "level", "kind",
                "online_depth", "visits", "promised_days", "hot_tags")
GUIDE_KEYS = ("aliases", "aliases_en", "legal_days", "fees", "materials", "form_fields",
              "conditions", "conditions_en", "process", "process_en", "guide", "popularity",
              "version", "status")
POINT_KEYS = ("code", "name", "name_en", "type", "region", "address", "address_en", "hours",
              "hours_en", "phone", "lat", "lng")

# Booking: what a guide says, and the places that count as saying where.
BOOKING_WORDS = ("预约",)
BOOKING_PLACES = (
    ("粤省事", "the Yueshengshi mini program (粤省事)"),
    ("广东政务服务网", "the Guangdong government services website (广东政务服务网)"),
    ("粤商通", "the Yueshangtong app (粤商通)"),
    ("粤智助", "a Yuezhizhu self-service kiosk (粤智助)"),
    ("12345", "the 12345 hotline"),
)
# When a guide says "book online" without naming where: the province's booking channels.
DEFAULT_BOOKING = ("粤省事", "广东政务服务网")
_PHONE = re.compile(r"0753-\d{7,8}")


@cache
def _booking_en() -> dict[str, str]:
    return dict(BOOKING_PLACES)


def code_name(item: dict) -> dict:
    out = {"code": item["code"], "name": item["name"]}
    if item.get("name_en"):
        out["name_en"] = item["name_en"]
    return out


def department_of(matter: dict, departments: dict, regions: dict) -> dict:
    """梅县区 + 人力资源和社会保障局: departments are named after the region that runs them."""
    dept, region = departments[matter["department"]], regions[matter["region"]]
    out = {"code": dept["code"], "name": region["name"] + dept["name"]}
    if dept.get("name_en") and region.get("name_en"):
        out["name_en"] = f"{region['name_en']} {dept['name_en']}"
    return out


def on_phone(matter: dict) -> bool:
    """A matter done only at a window cannot also be done on a phone: the catalogue's own
    `mobile` flag yields to the online depth where the two disagree."""
    return bool(matter.get("mobile")) and matter.get("online_depth") != "onsite"


def booking(matter: dict) -> dict | None:
    """Where to book, for a guide that mentions booking: the channels it names, or the
    province's channels when it only says "online"; None when it does not mention booking."""
    text = (matter.get("guide") or "") + "".join(matter.get("process") or [])
    if not any(w in text for w in BOOKING_WORDS):
        return None
    named = [zh for zh, _ in BOOKING_PLACES if zh in text]
    places = named or list(DEFAULT_BOOKING)
    return {"places": places, "places_en": [_booking_en()[p] for p in places],
            "phones": sorted(set(_PHONE.findall(text)))}


def summary(matter: dict, departments: dict, regions: dict, available_in: list[dict]) -> dict:
    out = {k: matter[k] for k in SUMMARY_KEYS if k in matter}
    out["department"] = department_of(matter, departments, regions)
    out["region"] = code_name(regions[matter["region"]])
    out["mobile"] = on_phone(matter)
    out["available_in"] = available_in
    return out


def guide(matter: dict, summary_: dict) -> dict:
    out = {**summary_, **{k: matter[k] for k in GUIDE_KEYS if k in matter}}
    book = booking(matter)
    if book:
        out["booking"] = book
    return out


def point(p: dict) -> dict:
    return {k: p[k] for k in POINT_KEYS if k in p}


def scenario_brief(s: dict) -> dict:
    return {k: s[k] for k in ("code", "audience", "name", "name_en", "description",
                              "description_en") if k in s}


def scenario_questions(s: dict) -> dict:
    """A scenario as the public sees it: its questions and options, not what each adds."""
    questions = []
    for q in s["questions"]:
        options = [{k: o[k] for k in ("value", "label", "label_en") if k in o}
                   for o in q["options"]]
        question = {k: q[k] for k in ("id", "text", "text_en") if k in q}
        questions.append({**question, "options": options})
    return {**scenario_brief(s), "base_matters": s["base_matters"], "questions": questions}


def group_by_name(matters: list[dict]) -> dict[str, list[dict]]:
    """The copies of each matter (one per county that does it, and the city's)."""
    groups: dict[str, list[dict]] = {}
    for m in matters:
        groups.setdefault(m["name"], []).append(m)
    return groups


def collapse(items: list[dict]) -> list[dict]:
    """One entry per matter, in the order of its first copy; the city's copy stands for the
    others when it is among them (its guide lists where each county does it)."""
    out: list[dict] = []
    at: dict[str, int] = {}
    for m in items:
        i = at.get(m["name"])
        if i is None:
            at[m["name"]] = len(out)
            out.append(m)
        elif m["region"] == CITY_REGION and out[i]["region"] != CITY_REGION:
            out[i] = m
    return out
