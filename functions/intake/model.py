"""Application rules: the state machine, form checks, deadlines and guide conformance."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

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


class TransitionError(ValueError):
    def __init__(self, action: str, state: str):
        super().__init__(f"Cannot {action} an application that is {state}.")
        self.action, self.state = action, state


class FormError(ValueError):
    def __init__(self, fields: dict[str, list[str]]):
        super().__init__("Some form fields are invalid.")
        self.fields = fields


def next_state(action: str, state: str, actor: str) -> str:
    sources, target, who = TRANSITIONS[action]
    if who != actor or state not in sources:
        raise TransitionError(action, state)
    return target


# ---- forms ----------------------------------------------------------------------------

_PHONE = re.compile(r"^1[3-9]\d{9}$")


def check_form(fields: list[dict], data: dict, *, id_check=None) -> dict:
    """The form data against the fields the matter declares: every required field present,
    no unknown field, each value of its type. Returns the cleaned data."""
    errors: dict[str, list[str]] = {}
    declared = {f["name"]: f for f in fields}
    for name in data:
        if name not in declared:
            errors[name] = ["Unknown field (表单中没有该项)."]
    clean = {}
    for name, spec in declared.items():
        value = data.get(name)
        if value in (None, ""):
            if spec.get("required", True):
                errors[name] = [f"Required (请填写{spec['label']})."]
            continue
        try:
            clean[name] = _field_value(spec, value, id_check)
        except ValueError as err:
            errors[name] = [str(err)]
    if errors:
        raise FormError(errors)
    return clean


def _field_value(spec: dict, value, id_check):
    kind = spec["type"]
    if kind == "number":
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError("A number (请填写数字).")
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


@dataclass(frozen=True)
class UploadCheck:
    status: int | None          # None: fine; 413 too large; 415 wrong type
    message: str = ""


def check_upload(content_type: str, size: int) -> UploadCheck:
    if content_type not in UPLOAD_TYPES:
        return UploadCheck(415, "Upload a PDF, JPEG or PNG file (请上传PDF、JPG或PNG文件).")
    if size > MAX_UPLOAD:
        return UploadCheck(413, "Files may be at most 10 MB (文件不能超过10MB).")
    return UploadCheck(None)


def material_slots(matter: dict) -> dict[str, dict]:
    return {m["name"]: m for m in matter.get("materials", [])}


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
