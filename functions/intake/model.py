"""Application rules: the state machine, form checks, deadlines and guide conformance."""
from __future__ import annotations

import math
import re
from datetime import date

from ..core.errors import Conflict, RuleError, TooLarge, WrongType

# The transitions, as a table: action -> (states it may start from, the state it leads to,
# who may take it). Anything else is refused with the current state named.
TRANSITIONS: dict[str, tuple[frozenset[str], str, str]] = {
    "submit": (frozenset({"draft", "returned"}), "submitted", "applicant"),
    "withdraw": (frozenset({"draft", "submitted", "returned", "accepted", "in_process"}),
                 "withdrawn", "applicant"),
    "accept": (frozenset({"submitted"}), "accepted", "officer"),          # 受理
    "reject": (frozenset({"submitted"}), "not_accepted", "officer"),      # 不予受理
    "return": (frozenset({"submitted", "accepted", "in_process"}), "returned", "officer"),  # 补正
    "process": (frozenset({"accepted"}), "in_process", "officer"),
    "approve": (frozenset({"accepted", "in_process"}), "approved", "officer"),  # 办结: 准予
    "refuse": (frozenset({"accepted", "in_process"}), "refused", "officer"),   # 办结: 不予
}
NEEDS_REASON = frozenset({"reject", "refuse"})
COMPLETED = frozenset({"approved", "refused"})
CLOSED = COMPLETED | {"not_accepted", "withdrawn"}
STATES = ("draft", "submitted", "accepted", "not_accepted", "in_process", "returned",
          "approved", "refused", "withdrawn")
# 受理: decide within 5 working days of a submission (行政许可法 第三十二条).
ACCEPT_WITHIN_DAYS = 5

STATE_ZH = {"draft": "草稿", "submitted": "已提交", "accepted": "已受理",
            "not_accepted": "不予受理", "in_process": "办理中", "returned": "待补正",
            "approved": "已办结（准予）", "refused": "已办结（不予）", "withdrawn": "已撤回"}
ACTION_ZH = {"submit": "提交申请", "withdraw": "撤回申请", "accept": "受理", "reject": "不予受理",
             "return": "退回补正", "process": "开始办理", "approve": "准予办结",
             "refuse": "不予办结"}


def next_state(action: str, state: str, actor: str) -> str:
    """The state `action` leads to, or a 409 naming the state the application is in."""
    sources, target, who = TRANSITIONS[action]
    if who != actor or state not in sources:
        raise Conflict(f"The application is {state}; '{action}' is not possible now.",
                       details={"status": state})
    return target


def moved(app: dict, action: str, actor: str, *, at: str, calendar, **changes) -> dict:
    """The application after `action` at `at`: its new state, the times it reached it and
    its deadlines counted again."""
    target = next_state(action, app["status"], actor)
    new = {**app, **changes, "status": target, "updated": at}
    if action == "submit":
        new["submitted"] = at
    if action == "accept":
        new["accepted"] = at
    if target in COMPLETED | {"not_accepted"}:
        new["completed"] = at
    new["deadlines"] = deadlines(new, app["limits"], calendar)
    return new


def counted(before: dict, after: dict) -> dict[str, int]:
    """The indicator counters a move adds to: a first submission, a completion, by channel."""
    counts = {}
    if after["status"] == "submitted" and before["status"] == "draft":
        counts[f"submitted_{before['channel']}"] = 1
    if after["status"] in COMPLETED:
        counts[f"completed_{before['channel']}"] = 1
    return counts


def event(action: str, before: str, after: str, *, at: str, by: str,
          note: dict | None = None) -> dict:
    """One entry of the application's timeline."""
    return {"action": action, "action_zh": ACTION_ZH.get(action, action), "from": before,
            "to": after, "at": at, "by": by, "note": note or {}}


def new_application(matter: dict, *, number: str, owner: str, applicant: str, channel: str,
                    visits: int, at: str) -> dict:
    """A draft of `matter` (its form is filled in by the caller, sealed where personal)."""
    return {"id": number, "matter": matter["code"], "matter_name": matter["name"],
            "matter_version": matter["version"], "department": matter["department"],
            "region": matter["region"],
            "limits": {"legal_days": matter["legal_days"],
                       "promised_days": matter["promised_days"]},
            "owner": owner, "applicant": applicant, "channel": channel, "visits": visits,
            "form": {}, "materials": {}, "status": "draft", "created": at, "updated": at,
            "deadlines": {"current": None, "provisional": False, "unknown_years": []}}


# ---- forms ----------------------------------------------------------------------------

_PHONE = re.compile(r"^1[3-9]\d{9}$")
# Form values that identify a person: sealed at rest, masked in every response.
PERSONAL_TYPES = frozenset({"id_number", "phone"})
# A number field's range when the matter does not declare one: amounts, counts, areas.
NUMBER_MIN, NUMBER_MAX = 0, 10 ** 12


def personal_fields(fields: list[dict]) -> dict[str, str]:
    """The matter's personal form fields: name -> type."""
    return {f["name"]: f["type"] for f in fields if f["type"] in PERSONAL_TYPES}


def check_form(fields: list[dict], data: dict, *, id_check=None, partial: bool = False) -> dict:
    """The form data against the fields the matter declares: every required field present
    (none when `partial`: a draft), no unknown field, each value of its type. Returns the
    cleaned data; a RuleError names every field at fault as `form.<name>`."""
    errors: dict[str, list[str]] = {}
    declared = {f["name"]: f for f in fields}
    for name in data:
        if name not in declared:
            errors[name] = ["Unknown field (表单中没有该项)."]
    clean = {}
    for name, spec in declared.items():
        value = data.get(name)
        if value is None or value == "":
            if spec.get("required", True) and not partial:
                errors[name] = [f"Required (请填写{spec['label']})."]
            continue
        try:
            clean[name] = _field_value(spec, value, id_check)
        except ValueError as err:
            errors[name] = [str(err)]
    if errors:
        raise RuleError("form", "Some form fields are invalid.",
                        fields={f"form.{k}": v for k, v in errors.items()})
    return clean


def _field_value(spec: dict, value, id_check):
    kind = spec["type"]
    if kind == "number":
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError("A number (请填写数字).")
        low, high = spec.get("min", NUMBER_MIN), spec.get("max", NUMBER_MAX)
        if not math.isfinite(value) or not low <= value <= high:
            raise ValueError(f"A number from {low} to {high} (请填写{low}至{high}之间的数字).")
        return value
    if not isinstance(value, str) or len(value) > (2000 if kind == "textarea" else 200):
        raise ValueError("Text of at most 200 characters (内容过长).")
    value = value.strip()
    if kind == "date":
        try:
            return date.fromisoformat(value).isoformat()
        except ValueError as err:
            raise ValueError("A date YYYY-MM-DD (请填写正确日期).") from err
    if kind == "phone" and not _PHONE.match(value):
        raise ValueError("An 11-digit mobile number (请填写11位手机号码).")
    if kind == "id_number" and id_check:
        return id_check(value)
    if kind == "select" and value not in spec.get("options", []):
        raise ValueError("One of the listed options (请从选项中选择).")
    return value


# ---- guide conformance ----------------------------------------------------------------

def outside_guide(matter: dict, items: list[str]) -> list[str]:
    """What an officer asks for that the matter's guide does not list (materials or
    conditions): asking for it is refused and counted (one of Guangdong's top complaints)."""
    listed = {m["name"] for m in matter.get("materials", [])} | set(matter.get("conditions", []))
    return [item for item in items if item not in listed]


# ---- materials ------------------------------------------------------------------------

MAX_UPLOAD = 10 * 1024 * 1024
UPLOAD_TYPES = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}


def check_upload(content_type: str, size: int) -> None:
    """A file the guide can take: PDF, JPEG or PNG (415 otherwise), at most 10 MB (413)."""
    if content_type not in UPLOAD_TYPES:
        raise WrongType("Upload a PDF, JPEG or PNG file (请上传PDF、JPG或PNG文件).")
    if size > MAX_UPLOAD:
        raise TooLarge("Files may be at most 10 MB (文件不能超过10MB).")


def material_slot(matter: dict, name: str) -> dict:
    """The guide's material called `name`, or a 422 naming `material`."""
    for m in matter.get("materials", []):
        if m["name"] == name:
            return m
    raise RuleError("material", "The guide lists no such material.", "指南未列该材料")


def missing_materials(matter: dict, provided: dict) -> list[str]:
    return [m["name"] for m in matter.get("materials", [])
            if m.get("required", True) and m["name"] not in provided]


# ---- who may act ----------------------------------------------------------------------

def may_apply_for(act: dict | None, matter_code: str) -> bool:
    """A representative may prepare applications for an enterprise (legal rep, preparer,
    approver) or for a family member within the matters the grant names."""
    if not act:
        return True
    if act["kind"] == "enterprise":
        return act.get("role") in ("legal_rep", "preparer", "approver")
    return matter_code in act.get("matters", [])


def officer_may_handle(principal_dept: str | None, principal_region: str | None,
                       matter: dict) -> bool:
    return principal_dept == matter["department"] and principal_region == matter["region"]


# ---- deadlines ------------------------------------------------------------------------

def deadlines(app: dict, matter_limits: dict, calendar) -> dict:
    """Acceptance (5 working days from the latest submission), then the legal and promised
    limits from acceptance. Provisional when a year's holiday schedule is not known yet."""
    out: dict = {}
    unknown: set[int] = set()

    def add(name: str, start: str, days: int) -> None:
        got = calendar.add_workdays(date.fromisoformat(start[:10]), days)
        out[name] = {"due": got.due.isoformat(), "provisional": got.provisional}
        unknown.update(got.unknown_years)

    if app.get("submitted"):
        add("accept_by", app["submitted"], ACCEPT_WITHIN_DAYS)
    if app.get("accepted"):
        add("legal", app["accepted"], matter_limits["legal_days"])
        add("promised", app["accepted"], matter_limits["promised_days"])
    current = out.get("promised") or out.get("accept_by")
    out["current"] = current["due"] if current else None
    out["provisional"] = bool(unknown)
    out["unknown_years"] = sorted(unknown)
    return out
