"""Use cases of consultations: an enterprise asks a department (企业找政府), follows its
questions, and the department's officers answer them from the workbench. Framework-free:
settings, the principal, parsed input and the time."""
from __future__ import annotations

import re
import uuid
from datetime import datetime

from ..core import clock, pii
from ..core.errors import Conflict, Forbidden, NotFound, RuleError
from ..core.store import audit_only, audit_record
from ..hall import model as hall_model
from ..hall import reads as hall_reads
from ..hall import store as hall_store
from ..identity import store as identity_store
from ..intake.service import work_calendar
from ..licences.model import mask_name
from ..push import model as push_model
from . import model, store

_IDEM_KEY = re.compile(r"[A-Za-z0-9-]{8,64}")
KIND = "enterprise_question"


def _party(who, *, asking: bool, kind: str | None = None) -> str:
    try:
        return model.asker_party(who.act, asking=asking, kind=kind, subject=who.subject)
    except model.NotAllowed as err:
        raise Forbidden(str(err)) from err


def _department(q: dict) -> dict:
    departments, regions = hall_model.by_code("departments"), hall_model.by_code("regions")
    if q["region"] not in regions or q["department"] not in departments:
        return {"code": q["department"], "name": q["department"]}
    return hall_reads.department_of(q, departments, regions)


def _state(settings, q: dict, now: datetime) -> dict:
    return model.standing(q, now.date(), work_calendar(settings))


def _for_owner(settings, q: dict, now: datetime) -> dict:
    return model.for_owner(q, _department(q), _state(settings, q, now))


def _for_officer(settings, q: dict, now: datetime) -> dict:
    return model.for_officer(q, _department(q), _state(settings, q, now))


def _matter(settings, code: str | None, department: str) -> dict | None:
    if code is None:
        return None
    matter = hall_store.current_catalogue(settings).matters.get(code)
    if not matter:
        raise RuleError("matter", "No such matter in the catalogue.", "事项不存在")
    if matter["department"] != department:
        raise RuleError("matter", "This matter belongs to another department.",
                        "该事项不属于所选部门")
    return matter


def _sealed(settings, qid: str, text: str) -> tuple[str, str | None]:
    """The text as anyone may see it (ID and mobile numbers masked) and, when masking changed
    it, the original sealed for an audited reveal."""
    shown = push_model.masked(text)
    return shown, (pii.seal(settings, text, f"question:{qid}:text") if shown != text else None)


def _asker(settings, who, owner: str) -> tuple[str, str | None]:
    """The asking party's name as officers see it (an enterprise's name; a person's masked)
    and its county when known."""
    if owner.startswith("enterprise:"):
        enterprise = identity_store.get_enterprise(settings, who.act["id"]) or {}
        return enterprise.get("name", ""), enterprise.get("county")
    try:
        name = identity_store.get_account(settings, who.subject).get("name") or ""
    except NotFound:
        name = ""
    return (mask_name(name) if name else ""), None


def ask(settings, who, *, department: str, matter: str | None, subject: str | None,
        text: str, idem_key: str | None, now: datetime, kind: str = KIND,
        region: str | None = None) -> tuple[dict, bool]:
    """A question (企业找政府, for the enterprise the caller acts for), a consultation or a
    complaint (我要问, 投诉: in the caller's own name or an enterprise's) to a department of
    `region` (else the enterprise's county, else the city), due in the kind's working days.
    With an Idempotency-Key a retry answers the first question. Returns the question and
    whether it is a replay."""
    if idem_key is not None and not _IDEM_KEY.fullmatch(idem_key):
        raise RuleError("Idempotency-Key", "Idempotency-Key must be 8-64 letters, digits or "
                        "dashes.", "幂等键格式不正确")
    owner = _party(who, asking=True, kind=kind)
    if idem_key and (existing := store.idempotent_hit(settings, owner, idem_key)):
        return _for_owner(settings, existing, now), True
    found = _matter(settings, matter, department)
    owner_name, county = _asker(settings, who, owner)
    at = clock.iso(now)
    qid = model.new_id(at[:10], uuid.uuid4().hex)
    days = model.KINDS[kind]["days"]
    shown, sealed = _sealed(settings, qid, text.strip())
    q = model.new_question(
        qid=qid, kind=kind, owner=owner, asker=who.subject,
        asker_role=(who.act or {}).get("role"), owner_name=owner_name, county=county,
        where=model.place(department, region or county, found), matter=found,
        subject=push_model.masked(model.subject_of(subject, text)), text=shown, at=at,
        due=model.due_of(work_calendar(settings), at, days), days=days)
    if sealed:
        q["sealed_text"] = sealed
    saved = store.create(settings, q, idem=idem_key,
                         audit=audit_record(who, "question.ask", qid, at=at, subject=owner,
                                            detail={"department": q["department"],
                                                    "region": q["region"], "kind": kind}))
    return _for_owner(settings, saved, now), saved["id"] != qid


def _start_ok(got):
    if got is None:
        raise RuleError("cursor", "The cursor is not one of this listing.",
                        "翻页位置无效，请从第一页重新读取")
    return got


def mine(settings, who, *, limit: int, start: dict | None,
         now: datetime) -> tuple[list[dict], dict | None]:
    """The acting enterprise's questions, newest first: one page."""
    owner = _party(who, asking=False)
    items, last = _start_ok(store.of_owner(settings, owner, limit=limit, start=start))
    return [_for_owner(settings, q, now) for q in items], last


def get_mine(settings, who, qid: str, *, now: datetime) -> dict:
    return _for_owner(settings, store.owned(settings, qid, _party(who, asking=False)), now)


def queue(settings, who, *, status: str, limit: int, start: dict | None,
          now: datetime) -> tuple[list[dict], dict | None]:
    """The officer's department and region's questions in one state, nearest due first."""
    items, last = _start_ok(store.queue(settings, who.department or "-", who.region or "-",
                                        status, limit=limit, start=start))
    return [_for_officer(settings, q, now) for q in items], last


def officer_get(settings, who, qid: str, *, now: datetime) -> dict:
    return _for_officer(settings, store.handled(settings, qid, who.department, who.region), now)


def answer(settings, who, qid: str, *, text: str, now: datetime) -> dict:
    """The officer answers; the answer lands in the asker's inbox in the same transaction,
    audited (who, for whom, what, the result). One answer: the question is closed then."""
    q = store.handled(settings, qid, who.department, who.region)
    at = clock.iso(now)
    try:
        new = model.answered(q, text=push_model.masked(text.strip()), officer=who.subject, at=at)
    except model.AlreadyAnswered as err:
        audit_only(settings, audit_record(who, "question.answer", qid, at=at, result="refused",
                                          subject=q["owner"], detail={"status": q["status"]}))
        raise Conflict("This question has been answered already.",
                       details={"status": model.ANSWERED}) from err
    department = _department(q)
    store.answer(settings, new, notice={**model.notice(new, department["name"]), "at": at},
                 audit=audit_record(who, "question.answer", qid, at=at, subject=q["owner"],
                                    detail={"department": q["department"],
                                            "region": q["region"],
                                            "late": _state(settings, new, now)["overdue"]}))
    return _for_officer(settings, new, now)

