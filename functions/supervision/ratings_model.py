"""Rules of 好差评 (service ratings): the national five levels and their tags, who may rate
what and when, the rectification a bad rating opens, the department's call-back and appeal,
the supervisor's decision, and the summaries. Pure: time, ids and the calendar passed in."""
from __future__ import annotations

from datetime import date

from ..core.errors import Conflict
from ..intake import model as intake_model
from ..licences.model import mask_name
from ..push import model as push_model

# The national 好差评 levels (国办发〔2019〕51号), code 5 (best) to 1 (worst).
LEVELS = {5: "非常满意", 4: "满意", 3: "基本满意", 2: "不满意", 1: "非常不满意"}
LEVELS_EN = {5: "Very satisfied", 4: "Satisfied", 3: "Fairly satisfied", 2: "Dissatisfied",
             1: "Very dissatisfied"}
# 好评 are the three upper levels; the satisfaction rate is their share of all ratings.
GOOD_LEVELS = frozenset({5, 4, 3})
# 不满意 or worse (差评) opens a rectification.
BAD_LEVELS = frozenset({2, 1})

# Tags per level, in the style of the national evaluation list: what went well for the upper
# levels, Guangdong's top reasons for bad reviews (over the time limit, materials and
# conditions outside the guide) first for the lower ones.
_GOOD = ("efficient", "one_visit", "courteous", "clear_guide", "few_materials", "easy_online")
_FAIR = ("slow", "long_wait", "guide_unclear", "system_clunky")
_BAD = ("overdue", "materials_outside_guide", "conditions_outside_guide", "repeated_visits",
        "attitude", "not_told_at_once", "guide_unclear", "system_clunky")
TAGS = {5: _GOOD, 4: _GOOD, 3: _FAIR, 2: _BAD, 1: _BAD}
TAG_ZH = {"efficient": "办事高效", "one_visit": "一次办好", "courteous": "服务热情",
          "clear_guide": "指引清晰", "few_materials": "材料精简", "easy_online": "网办便捷",
          "slow": "办理时间较长", "long_wait": "等候时间较长", "guide_unclear": "办事指南不清楚",
          "system_clunky": "系统不好用", "overdue": "超时办理",
          "materials_outside_guide": "材料要求超出指南",
          "conditions_outside_guide": "条件要求超出指南", "repeated_visits": "多次跑动",
          "attitude": "服务态度差", "not_told_at_once": "未一次性告知"}
TAGS_MAX = 8
COMMENT_MAX = 500
CALLBACK_MAX, REASON_MAX, NOTE_MAX = 1000, 1000, 500
# A bad rating's rectification: due this many working days after the rating's day.
RECTIFY_DAYS = 15

# States of a rating. `rated`: nothing to follow up; `rectifying`: a bad rating awaiting the
# department's call-back; `called_back`: recorded; `appealed`: the department says it is
# malicious, a supervisor decides; `upheld`: the appeal was upheld and the rating is excluded
# from every count and listing (a rejected appeal returns the rating to where it was).
RATED, RECTIFYING, CALLED_BACK, APPEALED, UPHELD = (
    "rated", "rectifying", "called_back", "appealed", "upheld")
STATES = (RATED, RECTIFYING, CALLED_BACK, APPEALED, UPHELD)

LIMIT_DEFAULT, LIMIT_MAX = 20, 100


def rating_id(app_id: str) -> str:
    """One rating per application: its id is the application's."""
    return f"R{app_id}"


def app_of(rid: str) -> str:
    return rid[1:]


def is_id(rid: str) -> bool:
    return rid.startswith("RMZ") and len(rid) == 17 and rid[3:].isascii() and rid[3:].isdigit()


def rateable(app: dict) -> None:
    """Only a completed application (办结: approved or refused) is rated; 409 otherwise."""
    if app["status"] not in intake_model.COMPLETED:
        raise Conflict(f"The application is {app['status']}; it can be rated once completed.",
                       details={"status": app["status"]})


def tags_fit(level: int, tags: list[str]) -> list[str]:
    """The tags not offered at this level (the caller refuses them)."""
    return [t for t in tags if t not in TAGS[level]]


def masked_comment(text: str, names: list[str]) -> str:
    """A comment as anyone may read it: ID and mobile numbers masked, and the applicant's own
    name (and the agent's) shown as 陈*国."""
    out = push_model.masked(text.strip())
    for name in sorted({n for n in names if n and len(n) >= 2}, key=len, reverse=True):
        out = out.replace(name, mask_name(name))
    return out


def new_rating(app: dict, *, level: int, tags: list[str], comment: str, at: str, by: str,
               rectify_due=None) -> dict:
    """The rating as stored; `rectify_due` (the calendar's Deadline) for a bad one."""
    bad = level in BAD_LEVELS
    return {"id": rating_id(app["id"]), "application": app["id"], "matter": app["matter"],
            "matter_name": app["matter_name"], "department": app["department"],
            "region": app["region"], "channel": app.get("channel"), "owner": app["owner"],
            "level": level, "tags": list(dict.fromkeys(tags)), "comment": comment,
            "rated_at": at, "month": at[:7], "by": by,
            "state": RECTIFYING if bad else RATED,
            "rectification": ({"days": RECTIFY_DAYS, "due": rectify_due.due.isoformat(),
                               "provisional": rectify_due.provisional} if bad else None),
            "callback": None, "appeal": None}


def rectify_due(calendar, at: str):
    return calendar.add_workdays(date.fromisoformat(at[:10]), RECTIFY_DAYS)


def _refuse(rating: dict, what: str) -> Conflict:
    return Conflict(f"The rating is {rating['state']}; {what} is not possible now.",
                    details={"state": rating["state"]})


def called_back(rating: dict, *, text: str, rectified: bool, by: str, at: str) -> dict:
    """The department's call-back on a bad rating: once, while it is being rectified."""
    if rating["state"] != RECTIFYING:
        raise _refuse(rating, "a call-back")
    overdue = at[:10] > rating["rectification"]["due"]
    return {**rating, "state": CALLED_BACK,
            "callback": {"text": text, "rectified": rectified, "by": by, "at": at,
                         "late": overdue}}


def appealed(rating: dict, *, reason: str, by: str, at: str) -> dict:
    """The department appeals a bad rating it holds malicious: once."""
    if rating["level"] not in BAD_LEVELS or rating["appeal"] is not None \
            or rating["state"] not in (RECTIFYING, CALLED_BACK):
        raise _refuse(rating, "an appeal")
    return {**rating, "state": APPEALED,
            "appeal": {"reason": reason, "by": by, "at": at, "from_state": rating["state"],
                       "decision": None}}


def decided(rating: dict, *, upheld: bool, note: str, by: str, at: str) -> dict:
    """A supervisor decides an appeal: upheld excludes the rating; rejected returns it to
    where it was."""
    if rating["state"] != APPEALED:
        raise _refuse(rating, "an appeal decision")
    appeal = {**rating["appeal"], "decision": {"upheld": upheld, "note": note, "by": by,
                                               "at": at}}
    return {**rating, "state": UPHELD if upheld else appeal["from_state"], "appeal": appeal}


def standing(rating: dict, today: date, calendar) -> dict:
    """Working days left for an open rectification (negative once overdue), else None."""
    rect = rating.get("rectification")
    if not rect or rating["state"] != RECTIFYING:
        return {"days_left": None, "overdue": bool(
            rect and (rating.get("callback") or {}).get("late"))}
    due = date.fromisoformat(rect["due"])
    if today <= due:
        return {"days_left": calendar.workdays_between(today, due), "overdue": False}
    return {"days_left": -calendar.workdays_between(due, today), "overdue": True}


# ---- summaries ------------------------------------------------------------------------------

def summary(counts: dict[int, int]) -> dict:
    """Counts per level, their total and the satisfaction rate (None without ratings)."""
    by_level = {str(lv): int(counts.get(lv, 0)) for lv in sorted(LEVELS, reverse=True)}
    total = sum(by_level.values())
    good = sum(by_level[str(lv)] for lv in GOOD_LEVELS)
    return {"count": total, "by_level": by_level,
            "satisfaction": round(good / total, 4) if total else None}


def add(into: dict[int, int], counts: dict[int, int]) -> dict[int, int]:
    for lv, n in counts.items():
        into[lv] = into.get(lv, 0) + n
    return into


def month_summary(month: str, rows: list[tuple[str, str, dict[int, int]]]) -> dict:
    """The month's ratings from its counter rows (department, region, counts per level):
    city-wide, per department (all its regions) and per county (region)."""
    city: dict[int, int] = {}
    depts: dict[str, dict[int, int]] = {}
    counties: dict[str, dict[int, int]] = {}
    for dept, region, counts in rows:
        add(city, counts)
        add(depts.setdefault(dept, {}), counts)
        add(counties.setdefault(region, {}), counts)
    return {"month": month, **summary(city),
            "by_department": {d: summary(c) for d, c in sorted(depts.items())},
            "by_county": {r: summary(c) for r, c in sorted(counties.items())}}


# ---- views ----------------------------------------------------------------------------------

_APPLICANT_FIELDS = ("id", "application", "matter", "matter_name", "level", "tags", "comment",
                     "rated_at", "state")


def for_applicant(rating: dict) -> dict:
    out = {k: rating[k] for k in _APPLICANT_FIELDS}
    out["callback"] = ({k: rating["callback"][k] for k in ("text", "rectified", "at")}
                       if rating.get("callback") else None)
    out["rectification_due"] = (rating.get("rectification") or {}).get("due")
    return out


def for_staff(rating: dict, state: dict) -> dict:
    """What the department and supervisors see: everything but the sealed original and the
    applicant's identity (the party appears as its kind only)."""
    out = {k: v for k, v in rating.items() if k not in ("owner", "by", "sealed_comment")}
    return {**out, "party": rating["owner"].split(":", 1)[0], **state}


def for_public(pointer: dict) -> dict:
    return {k: pointer[k] for k in ("level", "tags", "comment", "rated_at", "matter",
                                    "matter_name", "department", "region")}


def notice(rating: dict) -> dict:
    """The call-back as it lands in the applicant's inbox."""
    done = "已整改" if rating["callback"]["rectified"] else "正在整改"
    return {"title": "您的评价已有回访",
            "body": f"关于“{rating['matter_name']}”的评价，办理部门回访（{done}）："
                    f"{rating['callback']['text']}",
            "link": f"/#/applications/{rating['application']}"}
