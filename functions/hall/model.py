"""Catalogue rules: the taxonomy, the published snapshot held in memory and its queries,
scenario answers, and who may maintain which matter. Standard library (and core.errors) only."""
from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from ..core.errors import Conflict, RuleError
from . import reads
from .english import Hit as EnglishHit

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
    extra: dict = field(default_factory=dict)  # what a search adds: scenarios, suggestions


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
                   scenarios: list[dict], index: dict, extra: dict | None = None) -> dict:
    """The published catalogue: everything the read endpoints need, in one document (`extra`:
    the English and scenario indexes and the office table, built at publish time too)."""
    return {
        "version": version,
        "published_at": published_at,
        "matters": sorted(matters, key=lambda m: m["code"]),
        "service_points": sorted(points, key=lambda p: p["code"]),
        "scenarios": sorted(scenarios, key=lambda s: s["code"]),
        "index": index,
        **(extra or {}),
    }


def english_docs(matters: list[dict]) -> list[dict]:
    """What the English index reads of each active matter."""
    themes, departments = by_code("themes"), by_code("departments")
    regions = by_code("regions")
    out = []
    for m in matters:
        if m.get("status", "active") != "active" or not m.get("name_en"):
            continue
        meta = [themes[t].get("name_en", "") for t in m.get("themes", []) if t in themes]
        meta += [departments.get(m["department"], {}).get("name_en", ""),
                 regions.get(m["region"], {}).get("name_en", "")]
        out.append({"code": m["code"], "name_en": m["name_en"],
                    "aliases_en": m.get("aliases_en") or [], "meta_en": [x for x in meta if x],
                    "popularity": m.get("popularity", 0), "audiences": m.get("audiences", []),
                    "region": m["region"]})
    return out


SCENARIO_SUFFIX = "一件事"


def scenario_docs(scenarios: list[dict]) -> tuple[list[dict], list[dict]]:
    """Scenarios as searchable documents: (for the Chinese index, for the English one). The
    name without 一件事 is an alias, so 出生 (and 生孩子 through the thesaurus) finds 出生一件事."""
    zh, en = [], []
    for s in scenarios:
        base = {"code": s["code"], "audiences": [s["audience"]], "region": CITY_REGION,
                "popularity": 0, "status": "active", "themes": [], "department": ""}
        short = s["name"].removesuffix(SCENARIO_SUFFIX)
        # Names only: a description mentions many matters' words (营业执照 is not 企业变更一件事).
        zh.append({**base, "name": s["name"], "aliases": [short] if short != s["name"] else [],
                   "guide": ""})
        if s.get("name_en"):
            en.append({**base, "name_en": s["name_en"], "aliases_en": [], "meta_en": []})
    return zh, en


def parse_offices(text: str) -> list[dict]:
    """offices.tsv: `office word<TAB>department<TAB>name words` (name words optional)."""
    out = []
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].rstrip()
        parts = line.split("\t")
        if len(parts) < 2 or not parts[0].strip():
            continue
        words = [w.strip() for w in parts[2].split(",") if w.strip()] if len(parts) > 2 else []
        out.append({"word": parts[0].strip().lower(), "department": parts[1].strip(),
                    "names": words})
    return out


def office_table(offices: list[dict]) -> list[dict]:
    """The office words of the data file plus every department's own names."""
    table = list(offices)
    for d in reference("departments"):
        for word in (d["name"], d.get("name_en", "")):
            if len(word) >= 2 and not any(o["word"] == word.lower() for o in table):
                table.append({"word": word.lower(), "department": d["code"], "names": []})
    return sorted(table, key=lambda o: -len(o["word"]))


HOTLINE = "12345"
SUGGEST_CUTOFF = 0.5


class Catalogue:
    """A published snapshot held in memory, with the lookups the read endpoints use and the
    read models (plain dicts) they return, built once here rather than per request."""

    def __init__(self, snapshot: dict, searcher=None, *, english=None, scenario_searchers=None):
        self.version = snapshot["version"]
        self.published_at = snapshot["published_at"]
        self.searcher = searcher
        self.english = english
        self.scenario_searchers = scenario_searchers or {}
        self.matters = {m["code"]: m for m in snapshot["matters"] if m["status"] == "active"}
        # Default listing order: the most used first, then by code (stable for cursors).
        self.ordered = sorted(self.matters.values(), key=lambda m: (-m["popularity"], m["code"]))
        self.points = [reads.point(p) for p in snapshot["service_points"]]
        self.points_by_matter: dict[str, list[dict]] = {}
        for raw, point in zip(snapshot["service_points"], self.points, strict=True):
            for code in raw["matters"]:
                self.points_by_matter.setdefault(code, []).append(point)
        self.scenarios = {s["code"]: s for s in snapshot["scenarios"]}
        self.scenario_briefs = {c: reads.scenario_brief(s) for c, s in self.scenarios.items()}
        self._build_reads()
        # The public reads' encoded answers (service.answer), kept with the snapshot they show.
        self.answers: dict[tuple, tuple] = {}
        self.answer_bytes = 0
        self.offices = snapshot.get("offices") or []
        # Counts per theme for the whole city (key None, one per matter) and per region.
        self.theme_counts: dict[str | None, dict[str, int]] = {}
        for region in [None, *by_code("regions")]:
            counts = self.theme_counts[region] = {}
            for matter in self.listing(self.ordered, region=region):
                for theme in matter["themes"]:
                    counts[theme] = counts.get(theme, 0) + 1

    def _build_reads(self) -> None:
        departments, regions = by_code("departments"), by_code("regions")
        groups = reads.group_by_name(self.ordered)
        where = {name: sorted((reads.code_name(regions[m["region"]]) for m in copies),
                              key=lambda r: r["code"])
                 for name, copies in groups.items()}
        self.summaries = {c: reads.summary(m, departments, regions, where[m["name"]])
                          for c, m in self.matters.items()}
        self.guides = {c: reads.guide(m, self.summaries[c]) for c, m in self.matters.items()}
        self._spellings: dict[str, dict[str, str]] = {}

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

    def listing(self, matters, *, region=None, **filters) -> list[dict]:
        """Filtered matters; for the whole city (no region) one entry per matter, not one per
        county copy: the entry's `available_in` says where it can be done."""
        items = self.filter(matters, region=region, **filters)
        return items if region else reads.collapse(items)

    def summaries_of(self, matters: list[dict]) -> list[dict]:
        return [self.summaries[m["code"]] for m in matters]

    def search(self, q: str, *, audience=None, region=None, lang="zh") -> list[tuple[dict, list]]:
        """Ranked hits. Without a region, the county copies of one matter collapse into its
        best-ranked entry, so ten results are ten different things to do. In English, a query
        holding Chinese characters (or finding nothing in English) is read as Chinese/pinyin."""
        hits, english = [], lang == "en" and not _has_han(q)
        if english and self.english:
            hits = self.english.search(q, audience=audience, region=region)
        # An English query of one word may be pinyin ("gjj", "shebao"); of several, it is not.
        if not hits and self.searcher and not (english and len(q.split()) > 1):
            hits = self.searcher.search(q, audience=audience, region=region)
        # English hits highlight the English name; the others the Chinese one.
        key = "highlights_en" if hits and isinstance(hits[0], EnglishHit) else "highlights"
        out, names = [], set()
        for h in self._with_offices(q, hits, audience, region):
            matter = self.matters.get(h.code)
            if matter is None or (region is None and matter["name"] in names):
                continue
            names.add(matter["name"])
            out.append((matter, {key: [list(r) for r in h.highlights]}))
        return out

    def _with_offices(self, q: str, hits: list, audience, region) -> list:
        """A query naming an office (车管所, 社保局) finds that office's matters: its own text
        hits first, then the office's other matters by popularity."""
        text = q.lower()
        office = next((o for o in self.offices if o["word"] in text), None)
        if office is None:
            return hits
        mine = {m["code"] for m in self.filter(self.ordered, audience=audience, region=region,
                                                department=office["department"])
                if not office["names"] or any(w in m["name"] for w in office["names"])}
        first = [h for h in hits if h.code in mine]
        seen = {h.code for h in first}
        rest_q = text.replace(office["word"], "").strip(" 的在哪里儿怎么办?？")
        more = [_OfficeHit(m["code"]) for m in self.ordered
                if m["code"] in mine and m["code"] not in seen]
        others = [h for h in hits if h.code not in mine] if rest_q else []
        return first + more + others

    def find(self, q: str, *, audience=None, region=None, theme=None, department=None,
             hot=None, lang="zh") -> list[dict]:
        """Ranked hits as summaries with their highlights, narrowed by theme, department or
        hot tag."""
        hits = self.search(q, audience=audience, region=region, lang=lang)
        wanted = {m["code"] for m in self.filter([m for m, _ in hits], theme=theme,
                                                 department=department, hot=hot)}
        return [{**self.summaries[m["code"]], **hl} for m, hl in hits if m["code"] in wanted]

    def find_scenarios(self, q: str, *, audience=None, lang="zh", limit: int = 3) -> list[dict]:
        """Life-event scenarios (一件事) a query asks about: 生孩子 -> 出生一件事."""
        hits, english = [], lang == "en" and not _has_han(q)
        en, zh = self.scenario_searchers.get("en"), self.scenario_searchers.get("zh")
        if english and en:
            hits = en.search(q, audience=audience, limit=limit)
        if not hits and zh and not (english and len(q.split()) > 1):
            hits = zh.search(q, audience=audience, limit=limit)
        return [self.scenario_briefs[h.code] for h in hits if h.code in self.scenario_briefs]

    def suggestions(self, q: str, *, audience=None, region=None, lang="zh") -> dict:
        """For a search that found nothing: the closest spellings the catalogue knows, the hot
        services, and the 12345 hotline."""
        import difflib  # only on a miss

        key = "en" if lang == "en" and not _has_han(q) else "zh"
        names = self._spelling_table(key)
        typed = q.strip().lower()
        # Only spellings sharing a start of a typed word (a character, in Chinese) are compared.
        starts = ({c for c in typed if not c.isspace()} if key == "zh" and _has_han(typed)
                  else {w[:2] for w in typed.split()})
        pool = [s for s in names if any(st in s for st in starts)
                and len(typed) / 2 <= len(s) <= len(typed) * 2]
        close = difflib.get_close_matches(typed, pool, n=3, cutoff=SUGGEST_CUTOFF)
        hot: dict[str, dict] = {}  # the top matter of each hot service, each matter once
        for group in self.hot_services(audience, region, per_tag=2):
            for m in group["matters"]:
                if m["name"] not in hot:
                    hot[m["name"]] = m
                    break
        return {"spellings": list(dict.fromkeys(names[c] for c in close)),
                "hot": list(hot.values())[:5], "hotline": HOTLINE}

    def _spelling_table(self, key: str) -> dict[str, str]:
        """Lower-cased names and aliases (and their pinyin) -> the spelling to suggest."""
        table = self._spellings.get(key)
        if table is None:
            table = {}
            for m in self.ordered:
                if key == "en":
                    for s in [m.get("name_en", ""), *(m.get("aliases_en") or [])]:
                        if s:
                            table.setdefault(s.lower(), s)
                else:
                    for s in [m["name"], *m.get("aliases", [])]:
                        table.setdefault(s, s)
            if key == "zh" and self.searcher is not None:
                for d, readings in enumerate(getattr(self.searcher, "py_readings", [])):
                    spelled = [self.searcher.names[d], *self.searcher.aliases[d]]
                    for r, text in zip(readings, spelled, strict=False):
                        table.setdefault(r.replace(" ", ""), text)
            self._spellings[key] = table
        return table

    def hot_services(self, audience: str | None, region: str | None = None,
                     per_tag: int = 5) -> list[dict]:
        groups = []
        for tag, (zh, en) in HOT_TAGS.items():
            picked = self.listing(self.ordered, audience=audience, region=region, hot=tag)
            # one entry per matter, not per county copy (even within a county's view)
            picked = reads.collapse(picked)[:per_tag]
            groups.append({"tag": tag, "name": zh, "name_en": en,
                           "matters": self.summaries_of(picked)})
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
                out.append(self.summaries[c])
        return out


@dataclass(frozen=True)
class _OfficeHit:
    """A matter found because the query named its office, not by its words."""
    code: str
    score: float = 0.0
    highlights: tuple = ()


def _has_han(text: str) -> bool:
    return any("\u4e00" <= c <= "\u9fff" or "\u3400" <= c <= "\u4dbf" for c in text)


def scenario_brief(s: dict) -> dict:
    return reads.scenario_brief(s)


def scenario_questions(s: dict) -> dict:
    return reads.scenario_questions(s)


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
