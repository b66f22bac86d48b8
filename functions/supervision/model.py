"""Rules of consultations: 企业找政府 (an enterprise's question to a department), and 我要问
(a consultation) and 投诉 (a complaint) from any citizen or enterprise. Who may ask and read,
the limits, the answer deadline in working days, the states, and what the asker and the
officer see. Pure: time, ids and the calendar passed in."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

# kind -> who asks (an enterprise only, or any party: a person in their own name or an
# enterprise) and the answer deadline in working days, counted from the day after the question
# arrived. 5 for a question or consultation: the issue leaves the number open; 5 working days
# is what Guangdong's 12345 hotline promises for a consultation; 10 for a complaint, which
# needs the facts checked (the hotline's complaint term). Every kind has the same keys, queue
# and due date, so the department answers them in one queue and a card sees them alike.
KINDS = {
    "enterprise_question": {"party": "enterprise", "days": 5},
    "consultation": {"party": "any", "days": 5},
    "complaint": {"party": "any", "days": 10},
}
KIND_DEFAULT = "enterprise_question"
OPEN, ANSWERED = "open", "answered"
STATUSES = (OPEN, ANSWERED)

SUBJECT_MAX, TEXT_MAX, ANSWER_MAX = 60, 1000, 2000
SUBJECT_FROM_TEXT = 30  # a question without a subject is named by the start of its text

# Acting for an enterprise: who may ask in its name, and who may read its questions. A viewer
# (查看人) follows the company's matters but speaks for it in none of them.
ASKERS = frozenset({"legal_rep", "approver", "preparer"})
READERS = ASKERS | {"viewer"}

LIMIT_DEFAULT, LIMIT_MAX = 20, 100

# ASCII digits only: \d also takes other scripts' digits.
_ID = re.compile(r"Q[0-9]{8}[0-9a-f]{12}")


class NotAllowed(Exception):
    """The acting identity may not do this with questions; the message says why."""


def asker_party(act: dict | None, *, asking: bool, kind: str | None = None,
                subject: str | None = None) -> str:
    """The party whose questions the caller touches: "enterprise:<uscc>" when acting for an
    enterprise, in a role that may ask (asking) or read; a person's own ("person:<subject>")
    for a consultation or complaint, and when reading (`subject` given). 企业找政府 is asked
    for an enterprise only; nobody asks or reads in a family member's name."""
    if not act and subject and (not asking or KINDS[kind or KIND_DEFAULT]["party"] == "any"):
        return f"person:{subject}"
    if not act or act.get("kind") != "enterprise":
        raise NotAllowed("Questions to a department are asked for an enterprise: act for it "
                         "first (企业找政府需以企业身份办理)." if (kind or KIND_DEFAULT)
                         == KIND_DEFAULT else "Ask in your own name or for an enterprise "
                         "(请以本人或企业身份提出).")
    role = act.get("role")
    if asking and role == "viewer":
        raise NotAllowed("A viewer of this enterprise may read its questions but not ask "
                         "(查看人不能以企业名义提问).")
    if role not in (ASKERS if asking else READERS):
        raise NotAllowed("Your role in this enterprise gives no access to its questions.")
    return f"enterprise:{act['id']}"


def is_id(qid: str) -> bool:
    return bool(_ID.fullmatch(qid))


def new_id(day: str, rand: str) -> str:
    """Q + the day it was asked + 12 random hex digits: unguessable, readable on the phone."""
    return f"Q{day.replace('-', '')}{rand[:12]}"


def subject_of(subject: str | None, text: str) -> str:
    subject = (subject or "").strip()
    if subject:
        return subject
    first = " ".join(text.split())
    return first if len(first) <= SUBJECT_FROM_TEXT else first[:SUBJECT_FROM_TEXT - 1] + "…"


@dataclass(frozen=True)
class Place:
    """Where a question goes: the department and the region whose officers answer it."""
    department: str
    region: str


def place(department: str, county: str | None, matter: dict | None) -> Place:
    """About a matter: the department and region that run it (a city matter goes to the city's
    department). Otherwise the department of the asker's county, the city's when the county is
    not known."""
    if matter:
        return Place(matter["department"], matter["region"])
    return Place(department, county or "441400")


def new_question(*, qid: str, kind: str, owner: str, asker: str, asker_role: str | None,
                 owner_name: str, county: str | None, where: Place, matter: dict | None,
                 subject: str, text: str, at: str, due, days: int) -> dict:
    """A question as stored (its text as the officer may see it: numbers masked by the
    caller). `due` is the calendar's Deadline."""
    return {"id": qid, "kind": kind, "owner": owner, "owner_name": owner_name, "asker": asker,
            "asker_role": asker_role, "county": county, "department": where.department,
            "region": where.region,
            "matter": matter["code"] if matter else None,
            "matter_name": matter["name"] if matter else None,
            "matter_name_en": (matter.get("name_en") or None) if matter else None,
            "subject": subject, "text": text, "asked": at, "days": days,
            "due": due.due.isoformat(), "provisional": due.provisional,
            "status": OPEN, "answer": None, "answered": None, "answered_by": None}


def due_of(calendar, at: str, days: int):
    """The answer deadline: the `days`-th working day after the day the question arrived
    (China-local date of `at`), weekends, statutory holidays and 调休 counted."""
    return calendar.add_workdays(date.fromisoformat(at[:10]), days)


def standing(question: dict, today: date, calendar) -> dict:
    """Working days left to answer (0 on the due day, negative once overdue; None once
    answered) and whether it is (or was answered) past its deadline."""
    due = date.fromisoformat(question["due"])
    if question["status"] == ANSWERED:
        return {"days_left": None,
                "overdue": date.fromisoformat(question["answered"][:10]) > due}
    if today <= due:
        return {"days_left": calendar.workdays_between(today, due), "overdue": False}
    return {"days_left": -calendar.workdays_between(due, today), "overdue": True}


def answered(question: dict, *, text: str, officer: str, at: str) -> dict:
    if question["status"] != OPEN:
        raise AlreadyAnswered(question["answered"])
    return {**question, "status": ANSWERED, "answer": text, "answered": at,
            "answered_by": officer}


class AlreadyAnswered(Exception):
    """One answer per question: it is closed once answered."""


NOTICE_TITLES = {"enterprise_question": "您的咨询已有答复", "consultation": "您的咨询已有答复",
                 "complaint": "您的投诉已有答复"}


def notice(question: dict, department_name: str) -> dict:
    """The answer as it lands in the asker's inbox (inbox_put's title, body and link)."""
    what = "投诉" if question["kind"] == "complaint" else "问题"
    return {"title": NOTICE_TITLES[question["kind"]],
            "body": f"{department_name}答复了您的{what}“{question['subject']}”："
                    f"{question['answer']}",
            "link": f"/#/questions/{question['id']}"}


_OWNER_FIELDS = ("id", "kind", "subject", "text", "status", "asked", "due", "provisional",
                 "matter", "matter_name", "matter_name_en", "answer", "answered")


def for_owner(question: dict, department: dict, state: dict) -> dict:
    """What the asking party sees: its question, the department, the deadline and the answer."""
    return {**{k: question.get(k) for k in _OWNER_FIELDS}, "department": department, **state}


def for_officer(question: dict, department: dict, state: dict) -> dict:
    """What the department's officer sees: the same, with the enterprise (its name and credit
    code are not personal data) and the asker's role; never the asker's name or phone."""
    party = question["owner"].split(":", 1)
    return {**for_owner(question, department, state), "region": question["region"],
            "asker": {"kind": party[0], "id": party[1], "name": question["owner_name"],
                      "role": question["asker_role"]}}
