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
    # The correction deadline passed without a resubmission: the application lapses.
    "lapse": (frozenset({"returned"}), "lapsed", "system"),
}
NEEDS_REASON = frozenset({"reject", "refuse"})
COMPLETED = frozenset({"approved", "refused"})
CLOSED = COMPLETED | {"not_accepted", "withdrawn", "lapsed"}
STATES = ("draft", "submitted", "accepted", "not_accepted", "in_process", "returned",
          "approved", "refused", "withdrawn", "lapsed")
# 受理: decide within 5 working days of a submission (行政许可法 第三十二条).
ACCEPT_WITHIN_DAYS = 5
# 补正: the applicant's time to correct, unless the matter declares `correction_days`; a
# reminder goes out this many working days before it ends.
CORRECTION_DAYS = 15
REMIND_BEFORE_DAYS = 3

STATE_ZH = {"draft": "草稿", "submitted": "已提交", "accepted": "已受理",
            "not_accepted": "不予受理", "in_process": "办理中", "returned": "待补正",
            "approved": "已办结（准予）", "refused": "已办结（不予）", "withdrawn": "已撤回",
            "lapsed": "已失效（逾期未补正）"}
ACTION_ZH = {"submit": "提交申请", "withdraw": "撤回申请", "accept": "受理", "reject": "不予受理",
             "return": "退回补正", "process": "开始办理", "approve": "准予办结",
             "refuse": "不予办结", "lapse": "逾期未补正，申请失效"}


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
    pauses = [dict(p) for p in app.get("pauses", [])]
    if action == "submit":
        new["submitted"] = at
        new.setdefault("first_submitted", app.get("submitted") or at)
    if action == "accept":
        new["accepted"] = at
    if target in COMPLETED | {"not_accepted"}:
        new["completed"] = at
    if app["status"] == "returned" and pauses and not pauses[-1].get("to"):
        # Resubmitted (or closed): the department's clocks run again from here.
        pauses[-1]["to"] = at
        new["correction"] = {**(app.get("correction") or {}), "open": False}
    if action == "return":
        pauses.append({"from": at, "to": None})
        new["correction"] = correction(app, at, calendar, items=changes.get("return_items"))
    new["pauses"] = pauses
    new["deadlines"] = deadlines(new, app["limits"], calendar)
    return new


def correction(app: dict, at: str, calendar, *, items: list[str] | None) -> dict:
    """A new round of correction: what to fix and the applicant's deadline (15 working days
    unless the matter says otherwise), counted from the day of the return."""
    days = int(app["limits"].get("correction_days") or CORRECTION_DAYS)
    got = calendar.add_workdays(date.fromisoformat(at[:10]), days)
    rounds = (app.get("correction") or {}).get("round", 0)
    return {"round": rounds + 1, "open": True, "returned": at, "items": items or [],
            "days": days, "due": got.due.isoformat(), "provisional": got.provisional}


def correction_phase(app: dict, today: date, calendar) -> str | None:
    """What the schedule owes a returned application today: 'lapse' after its correction
    deadline, 'remind' within REMIND_BEFORE_DAYS working days of it, else None."""
    corr = app.get("correction") or {}
    if app.get("status") != "returned" or not corr.get("open"):
        return None
    due = date.fromisoformat(corr["due"])
    if today > due:
        return "lapse"
    if calendar.workdays_between(today, due) <= REMIND_BEFORE_DAYS:
        return "remind"
    return None


def counted(before: dict, after: dict) -> dict[str, int]:
    """The indicator counters a move adds to: a first submission, a first acceptance (受理:
    an application accepted again after a correction counts once), a completion, by channel."""
    counts = {}
    if after["status"] == "submitted" and before["status"] == "draft":
        counts[f"submitted_{before['channel']}"] = 1
    if after["status"] == "accepted" and not before.get("accepted"):
        counts[f"accepted_{before['channel']}"] = 1
    if after["status"] in COMPLETED:
        counts[f"completed_{before['channel']}"] = 1
    return counts


def event(action: str, before: str, after: str, *, at: str, by: str,
          note: dict | None = None) -> dict:
    """One entry of the application's timeline."""
    return {"action": action, "action_zh": ACTION_ZH.get(action, action), "from": before,
            "to": after, "at": at, "by": by, "note": note or {}}


def new_application(matter: dict, *, number: str, owner: str, applicant: str, channel: str,
                    visits: int, at: str, query_code: str) -> dict:
    """A draft of `matter` (its form is filled in by the caller, sealed where personal)."""
    return {"id": number, "matter": matter["code"], "matter_name": matter["name"],
            "matter_version": matter["version"], "department": matter["department"],
            "region": matter["region"],
            "limits": {"legal_days": matter["legal_days"],
                       "promised_days": matter["promised_days"],
                       "correction_days": matter.get("correction_days") or CORRECTION_DAYS},
            "owner": owner, "applicant": applicant, "channel": channel, "visits": visits,
            "query_code": query_code,
            "form": {}, "materials": {}, "status": "draft", "created": at, "updated": at,
            "deadlines": {"current": None, "provisional": False, "unknown_years": []}}


# ---- forms ----------------------------------------------------------------------------

_PHONE = re.compile(r"^1[3-9]\d{9}$")
_RESIDENT_ID = re.compile(r"^\d{17}[\dXx]$")
# Form values that identify a person: sealed at rest, masked in every response.
PERSONAL_TYPES = frozenset({"id_number", "phone"})
# Text fields that hold a person's ID number or an enterprise's credit code: personal (sealed,
# masked as an ID number) when the value is a resident ID number.
EITHER_ID_FIELDS = frozenset({"certificate_number"})
# Text fields that hold a bank account number (benefits are paid into it): personal too,
# sealed and masked as an account (6228***********0018).
ACCOUNT_FIELDS = frozenset({"bank_account"})
# A number field's range when the matter does not declare one: amounts, counts, areas.
NUMBER_MIN, NUMBER_MAX = 0, 10 ** 12


def personal_fields(fields: list[dict], form: dict | None = None) -> dict[str, str]:
    """The matter's personal form fields: name -> type (the kind of mask). With `form`, a
    field that holds an ID number or a credit code counts when it holds an ID number."""
    out = {f["name"]: f["type"] for f in fields if f["type"] in PERSONAL_TYPES}
    out |= {f["name"]: "bank_account" for f in fields if f["name"] in ACCOUNT_FIELDS}
    for f in fields:
        if f["name"] in EITHER_ID_FIELDS and form is not None and \
                _RESIDENT_ID.match(str(form.get(f["name"]) or "")):
            out[f["name"]] = "id_number"
    return out


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

def covers(act: dict | None, matter_code: str) -> bool:
    """Acting for a family member, the grant covers the matters it names and no other (an
    enterprise's staff, and everyone acting for themselves, see all of the party's)."""
    return not (act and act.get("kind") == "person" and matter_code not in act.get("matters", []))


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
    """Acceptance (5 working days from the first submission), then the legal and promised
    limits from acceptance. A return for correction suspends every clock that is running;
    the resubmission resumes each with the working days it had left. While the application
    waits for the applicant no due date of the department's is given (`suspended`).
    Provisional when a year's holiday schedule is not known yet."""
    out: dict = {}
    unknown: set[int] = set()
    pauses = app.get("pauses") or []

    def add(name: str, start: str, days: int, end: str | None) -> None:
        out[name] = _clock(calendar, start, days, pauses, end, unknown)

    first = app.get("first_submitted") or app.get("submitted")
    if first:
        add("accept_by", first, ACCEPT_WITHIN_DAYS, app.get("accepted"))
    if app.get("accepted"):
        add("legal", app["accepted"], matter_limits["legal_days"], app.get("completed"))
        add("promised", app["accepted"], matter_limits["promised_days"], app.get("completed"))
    current = out.get("promised") or out.get("accept_by")
    # Waiting for the applicant: the department has no current due date (a clock that ran out
    # before the return keeps its own, overdue, date).
    suspended = bool(pauses) and not pauses[-1].get("to") and app.get("status") == "returned"
    out["current"] = current["due"] if current and not suspended else None
    out["suspended"] = suspended
    out["provisional"] = bool(unknown)
    out["unknown_years"] = sorted(unknown)
    return out


def _clock(calendar, start: str, days: int, pauses: list[dict], end: str | None,
           unknown: set[int]) -> dict:
    """One clock of `days` working days from `start`, stopped by the pauses that began while
    it ran (before `end`, when it stopped for good)."""
    cursor, left = date.fromisoformat(start[:10]), days
    for pause in pauses:
        if pause["from"] < start or (end and pause["from"] >= end):
            continue
        paused_on = date.fromisoformat(pause["from"][:10])
        used = calendar.workdays_between(cursor, paused_on)
        unknown.update(calendar.unknown_years_between(cursor, paused_on))
        if used >= left:
            break  # the clock had run out before the return: its due date stands
        left -= used
        if not pause.get("to"):
            return {"due": None, "suspended": True, "left": left, "provisional": bool(unknown)}
        cursor = date.fromisoformat(pause["to"][:10])
    got = calendar.add_workdays(cursor, left)
    unknown.update(got.unknown_years)
    return {"due": got.due.isoformat(), "provisional": got.provisional}


# ---- nothing asked twice: fields the verified identity answers ----------------------------

# form field name -> where its value comes from. `party` is the applicant (the person, or the
# enterprise when acting for one); `agent` is the verified person doing it (经办人).
IDENTITY_FIELDS = {
    "applicant_name": "party.name", "id_number": "person.id_number", "phone": "party.phone",
    "certificate_number": "party.id", "org_name": "org.name", "uscc": "org.uscc",
    "legal_rep_name": "org.legal_rep_name", "legal_rep_id_number": "org.legal_rep_id_number",
    "contact_name": "agent.name", "contact_phone": "agent.phone",
}
# The types a filled field must be declared with (a matter's own "phone" of another type is
# left to the applicant).
_FILL_TYPES = {"id_number": "id_number", "phone": "phone", "contact_phone": "phone",
               "legal_rep_id_number": "id_number"}


def identity_answers(*, person: dict | None, org: dict | None, agent: dict | None) -> dict:
    """What the identity already answers: `person` (name, id_number, phone) is the applicant
    when a person applies, `org` (name, uscc, legal_rep_name, legal_rep_id_number) when an
    enterprise does, `agent` the verified caller. Missing facts are left out."""
    sources = {"person": person or {}, "org": org or {}, "agent": agent or {}}
    party = ({"name": org.get("name"), "id": org.get("uscc"), "phone": (agent or {}).get("phone")}
             if org else {"name": (person or {}).get("name"), "id": (person or {}).get("id_number"),
                          "phone": (person or {}).get("phone")})
    sources["party"] = party
    out = {}
    for name, path in IDENTITY_FIELDS.items():
        where, key = path.split(".")
        value = sources[where].get(key)
        if value:
            out[name] = value
    return out


def filled_by_identity(fields: list[dict], answers: dict) -> dict:
    """The matter's fields the identity answers, with their values."""
    return {f["name"]: answers[f["name"]] for f in fields if f["name"] in answers
            and _FILL_TYPES.get(f["name"], f["type"]) == f["type"]}


def altered_identity_fields(filled: dict, sent: dict, masks: dict) -> list[str]:
    """The server-filled fields that `sent` gives another value: absent, empty, the value
    itself or its mask as shown leave it alone; anything else would alter it."""
    return sorted(k for k, v in sent.items() if k in filled and v not in (None, "")
                  and str(v).strip().upper() not in (str(filled[k]).upper(),
                                                     str(masks.get(k, filled[k])).upper()))


# ---- receipts: progress without logging in ------------------------------------------------

# 8 characters without look-alikes (no 0/O, 1/I/L): about 10^12 codes, read out at a counter.
QUERY_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
QUERY_CODE = r"^[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{8}$"
QUERY_CODE_LENGTH = 8


def receipt(app: dict) -> dict:
    """The 回执: the number and the query code that together show the progress to anyone."""
    return {"number": app["id"], "query_code": app.get("query_code"),
            "matter_name": app["matter_name"], "created": app["created"],
            "submitted": app.get("submitted")}


def public_progress(app: dict, events: list[dict]) -> dict:
    """What anyone with the receipt sees: the state and its history, nothing personal (no
    form, no materials, no notes, no names)."""
    corr = app.get("correction") or {}
    return {"number": app["id"], "matter": app["matter"], "matter_name": app["matter_name"],
            "status": app["status"], "status_zh": STATE_ZH[app["status"]],
            "submitted": app.get("submitted"), "updated": app["updated"],
            "due": (app.get("deadlines") or {}).get("current"),
            "correction_due": corr.get("due") if app["status"] == "returned" else None,
            "events": [{"action": e["action"], "action_zh": e.get("action_zh", e["action"]),
                        "at": e["at"], "to": e["to"]} for e in events]}
