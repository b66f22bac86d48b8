"""Plain factories for the consultation tests: an enterprise with its staff, their tokens,
officers' tokens, a question asked through the API."""
from __future__ import annotations

from tests.helpers import ok
from tests.push.inbox_factories import bearer, citizen, firm, staff_member

QUESTIONS = "/api/v1/me/questions"
QUEUE = "/api/v1/officer/questions"
TEXT = "我司计划申请一般纳税人资格登记，请问需要准备哪些材料，能否全程网上办理？"


def company(settings, token) -> dict:
    """A registered enterprise (梅江区, 441402) and the headers of its legal representative."""
    rep = citizen(settings, "陈建国")
    ent = firm(settings, rep)
    act = {"kind": "enterprise", "id": ent["uscc"], "role": "legal_rep"}
    return {"rep": rep, "ent": ent, "uscc": ent["uscc"], "owner": f"enterprise:{ent['uscc']}",
            "headers": bearer(token, rep, act), "act": act}


def staff_headers(settings, token, firm_: dict, role: str) -> dict:
    member, act = staff_member(settings, firm_["rep"], firm_["uscc"], role)
    return bearer(token, member, act)


def officer(token, department: str = "SWJ", region: str = "441402",
            subject: str | None = None) -> dict:
    return token("officer", department=department, region=region,
                 subject=subject or f"q-{department.lower()}-{region}")


def ask(client, headers: dict, status: int = 201, **fields) -> dict:
    body = {"department": "SWJ", "subject": "一般纳税人登记", "text": TEXT, **fields}
    return ok(client.post(QUESTIONS, headers=headers, json=body), status)
