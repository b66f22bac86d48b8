"""Catalogue rules: the taxonomy, the published snapshot held in memory and its queries,
scenario answers, and who may maintain which matter. Standard library (and core.errors) only."""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ..core.errors import Conflict, RuleError

DATA = Path(__file__).parent / "data"

AUDIENCES = ("person", "enterprise")
LEVELS = ("city", "county", "town", "village")
KINDS = ("licensing", "public_service", "other")
ONLINE_DEPTHS = ("full", "apply", "onsite")
MATERIAL_FORMS = ("original", "copy", "electronic", "original_and_copy")
FIELD_TYPES = ("text", "id_number", "phone", "date", "number", "select", "textarea")
POINT_TYPES = ("city_hall", "county_hall", "town_station", "village_point")
CITY_REGION = "441400"

# The plan's five hot services, in its order.
HOT_TAGS = {
    "business": ("工商", "Business registration"),
    "tax": ("税务", "Tax"),
    "quality": ("质监", "Quality supervision"),
    "housing_fund": ("公积金", "Housing fund"),
    "social_security": ("社保", "Social security"),
}
THEME_PREFIX = {"person": "P", "enterprise": "E"}


@cache
def reference(name: str) -> tuple:
    """themes, regions or departments: small data files shipped with the code."""
    return tuple(json.loads((DATA / f"{name}.json").read_text(encoding="utf-8")))


def by_code(name: str) -> dict:
    return {item["code"]: item for item in reference(name)}


def department_name(department: str, region: str) -> str:
    """梅县区 + 人力资源和社会保障局: departments are named after the region that runs them."""
    return by_code("regions")[region]["name"] + by_code("departments")[department]["name"]


def theme_matches_audiences(theme: str, audiences: list[str]) -> bool:
    return any(theme.startswith(THEME_PREFIX[a]) for a in audiences)


@dataclass(frozen=True)
class Page:
    items: list
    next_offset: int | None
    total: int


def paginate(items: list, offset: int, limit: int) -> Page:
    window = items[offset:offset + limit]
    more = offset + limit < len(items)
    return Page(window, offset + limit if more else None, len(items))


def distance_km(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(a))


def build_snapshot(*, version: int, published_at: str, matters: list[dict], points: list[dict],
                   scenarios: list[dict], index: dict) -> dict:
    """The published catalogue: everything the read endpoints need, in one document."""
    return {
        "version": version,
        "published_at": published_at,
        "matters": sorted(matters, key=lambda m: m["code"]),
        "service_points": sorted(points, key=lambda p: p["code"]),
        "scenarios": sorted(scenarios, key=lambda s: s["code"]),
        "index": index,
    }


class Catalogue:
    """A published snapshot held in memory, with the lookups the read endpoints use."""

    def __init__(self, snapshot: dict, searcher=None):
        self.version = snapshot["version"]
        self.published_at = snapshot["published_at"]
        self.searcher = searcher
        self.matters = {m["code"]: m for m in snapshot["matters"] if m["status"] == "active"}
        # Default listing order: the most used first, then by code (stable for cursors).
        self.ordered = sorted(self.matters.values(), key=lambda m: (-m["popularity"], m["code"]))
        self.points = snapshot["service_points"]
        self.points_by_matter: dict[str, list[dict]] = {}
        for point in self.points:
            for code in point["matters"]:
                self.points_by_matter.setdefault(code, []).append(point)
        self.scenarios = {s["code"]: s for s in snapshot["scenarios"]}
        # Counts per theme for the whole city (key None) and as seen from each region.
        self.theme_counts: dict[str | None, dict[str, int]] = {}
        for region in [None, *by_code("regions")]:
            counts = self.theme_counts[region] = {}
            for matter in self.filter(self.ordered, region=region):
                for theme in matter["themes"]:
                    counts[theme] = counts.get(theme, 0) + 1

    def themes(self, audience: str, region: str | None = None) -> list[dict]:
        counts = self.theme_counts[region]
        return [{**t, "count": counts.get(t["code"], 0)}
                for t in reference("themes") if t["audience"] == audience]

    def filter(self, matters, *, theme=None, audience=None, department=None, region=None,
               hot=None) -> list[dict]:
        out = []
        for m in matters:
            if theme and theme not in m["themes"]:
                continue
            if audience and audience not in m["audiences"]:
                continue
            if department and m["department"] != department:
                continue
            if region and m["region"] not in (region, CITY_REGION):
                continue
            if hot and hot not in m["hot_tags"]:
                continue
            out.append(m)
        return out

    def search(self, q: str, *, audience=None, region=None) -> list[tuple[dict, list]]:
        """Ranked hits. Without a region, the county copies of one matter collapse into its
        best-ranked entry, so ten results are ten different things to do."""
        hits = self.searcher.search(q, audience=audience, region=region)
        out, names = [], set()
        for h in hits:
            matter = self.matters.get(h.code)
            if matter is None or (region is None and matter["name"] in names):
                continue
            names.add(matter["name"])
            out.append((matter, [list(r) for r in h.highlights]))
        return out

    def find(self, q: str, *, audience=None, region=None, theme=None, department=None,
             hot=None) -> list[dict]:
        """Ranked hits with their highlights, narrowed by theme, department or hot tag."""
        hits = self.search(q, audience=audience, region=region)
        wanted = {m["code"] for m in self.filter([m for m, _ in hits], theme=theme,
                                                 department=department, hot=hot)}
        return [{**m, "highlights": hl} for m, hl in hits if m["code"] in wanted]

    def hot_services(self, audience: str | None, region: str | None = None,
                     per_tag: int = 5) -> list[dict]:
        groups = []
        for tag, (zh, en) in HOT_TAGS.items():
            picked, names = [], set()
            for m in self.filter(self.ordered, audience=audience, region=region, hot=tag):
                if m["name"] not in names:  # one entry per matter, not per county copy
                    names.add(m["name"])
                    picked.append(m)
                if len(picked) == per_tag:
                    break
            groups.append({"tag": tag, "name": zh, "name_en": en, "matters": picked})
        return groups

    def service_points(self, *, region=None, type_=None, matter=None, near=None) -> list[dict]:
        points = self.points_by_matter.get(matter, []) if matter else self.points
        points = [p for p in points
                  if (not region or p["region"] == region) and (not type_ or p["type"] == type_)]
        if near:
            lat, lng = near
            points = sorted(
                ({**p, "distance_km": round(distance_km(lat, lng, p["lat"], p["lng"]), 1)}
                 for p in points),
                key=lambda p: p["distance_km"],
            )
        return points

    def resolve_scenario(self, code: str, answers: dict[str, str]) -> list[dict]:
        """base_matters plus what each chosen answer adds, in a stable order, no repeats."""
        scenario = self.scenarios[code]
        chosen = list(scenario["base_matters"])
        for question in scenario["questions"]:
            value = answers.get(question["id"])
            for option in question["options"]:
                if option["value"] == value:
                    chosen.extend(option.get("adds", []))
        seen, out = set(), []
        for c in chosen:
            if c in self.matters and c not in seen:
                seen.add(c)
                out.append(self.matters[c])
        return out


def scenario_brief(s: dict) -> dict:
    return {k: s[k] for k in ("code", "audience", "name", "name_en", "description")}


def scenario_questions(s: dict) -> dict:
    """A scenario as the public sees it: its questions and options, not what each adds."""
    questions = [{"id": q["id"], "text": q["text"],
                  "options": [{"value": o["value"], "label": o["label"]} for o in q["options"]]}
                 for q in s["questions"]]
    return {**scenario_brief(s), "base_matters": s["base_matters"], "questions": questions}


def check_answers(scenario: dict, answers: dict[str, str]) -> None:
    """Every answer names one of the scenario's questions and one of that question's option
    values; otherwise a RuleError naming each answer at fault as `answers.<question>`."""
    options = {q["id"]: [o["value"] for o in q["options"]] for q in scenario["questions"]}
    fields: dict[str, list[str]] = {}
    for qid, value in answers.items():
        if qid not in options:
            problem = f"This scenario has no question {qid}. (该情形没有这个问题)"
        elif value not in options[qid]:
            problem = f"Choose one of: {', '.join(options[qid])}. (请从选项中选择)"
        else:
            continue
        fields[f"answers.{qid}"] = [problem]
    if fields:
        raise RuleError(next(iter(fields)), "Some answers do not fit the scenario's questions.",
                        fields=fields)


# ---- departments maintain the catalogue ---------------------------------------------------

def may_maintain(roles, department: str | None, region: str | None, doc: dict) -> bool:
    """Catalogue administrators maintain every matter; an officer their own department's
    matters in their own region."""
    return "catalogue_admin" in roles or (department == doc["department"]
                                          and region == doc["region"])


def check_version(version: int, expected: str | None) -> None:
    """If-Match: a caller who says which version they saw must have seen the current one."""
    if expected and expected != str(version):
        raise Conflict(f"The matter is at version {version}, not {expected}.",
                       details={"current_version": version})


def withdrawn(current: dict) -> dict:
    """The next version of a matter, withdrawn from the catalogue."""
    if current["status"] == "withdrawn":
        raise Conflict("The matter is already withdrawn.", details={"status": "withdrawn"})
    return {**current, "version": current["version"] + 1, "status": "withdrawn"}
