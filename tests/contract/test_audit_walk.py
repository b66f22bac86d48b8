"""The audit walk: every officer, supervisor or administrator write in openapi.yaml, called
successfully, leaves an audit record saying who did it, for whom, when, what and the result.

The list of staff writes comes from the spec (`x-roles`, else the view's require_role); a
staff write without a case below fails the walk. Each case prepares what its call needs
(fresh accounts in this file's phone range, 1990340xxxx) and names a unique actor, whose
records (GSI1) are read before and after the call."""
from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta

import pytest

from functions.core import clock
from tests.helpers import SPEC, audit_rows, ok

METHODS = ("post", "put", "delete", "patch")
STAFF = {"window", "officer", "head", "catalogue_admin", "supervisor", "admin"}
PASSWORD = "Meizhou-2026!"
CARD, CARD_FORM = "441400-RSJ-0015", {"bank_choice": "中国银行", "delivery": "免费邮寄"}
_seq = itertools.count(1)


def _roles_of_view(app, op_id: str) -> tuple[str, ...]:
    for rule in app.url_map.iter_rules():
        if rule.endpoint.split(".")[-1] == op_id:
            f = app.view_functions[rule.endpoint]
            while f is not None:
                if f.__closure__ and "roles" in f.__code__.co_freevars:
                    return f.__closure__[f.__code__.co_freevars.index("roles")].cell_contents
                f = getattr(f, "__wrapped__", None)
    return ()


def staff_writes(app) -> dict[str, tuple[str, str]]:
    """operationId -> (method, path) of every write whose admitted roles are staff roles only."""
    out = {}
    for path, item in SPEC["paths"].items():
        for method, op in item.items():
            if method not in METHODS:
                continue
            roles = op.get("x-roles") or _roles_of_view(app, op["operationId"])
            if roles and set(roles) <= STAFF:
                out[op["operationId"]] = (method, path)
    return out


# ---- factories --------------------------------------------------------------------------------

def phone() -> str:
    return f"1990340{next(_seq):04d}"


_PEOPLE: dict = {}


def citizen(settings):
    """This file's citizen (level 2, a real account): one for every case, since an account
    costs a memory-hard password hash and the cases only need someone to act for."""
    from tests.intake.factories import person

    if "who" not in _PEOPLE:
        _PEOPLE["who"] = person(settings, phone=phone())
    return _PEOPLE["who"]


def at_counter(settings, who, *, matter: str = CARD, form: dict = CARD_FORM,
               department: str = "RSJ", now: datetime | None = None) -> dict:
    """A complete application of `who`, filed and submitted at once at a counter."""
    from functions.intake import service
    from tests.intake.factories import NUMBERS, officer

    return service.counter_intake(settings, officer(department), matter_code=matter,
                                  applicant_phone=NUMBERS[who.subject]["phone"], form=form,
                                  now=now or clock.now())


def staff_account(settings, department: str, region: str, roles=("officer",)) -> dict:
    from functions.identity import cn_ids
    from functions.identity.cli import create_staff

    return create_staff(settings, kind="officer", name="审计员", password=PASSWORD,
                        id_number=cn_ids.make_id_number("441402", date(1981, 2, 2),
                                                        300 + next(_seq)),
                        phone=phone(), roles=list(roles), department=department, region=region)


def submitted(settings, who) -> dict:
    from functions.intake import service
    from tests.intake.factories import drafted

    app = drafted(settings, who, CARD, CARD_FORM)
    return service.submit(settings, who, app["id"], now=clock.now())


def rsj():
    from tests.intake.factories import officer

    return officer("RSJ")


class Env:
    def __init__(self, client, token, settings, op_id: str):
        self.client, self.token, self.settings = client, token, settings
        self.actor = f"aw-{op_id}-{next(_seq)}"

    def staff(self, *roles: str, department: str | None = None, region: str | None = None,
              subject: str | None = None) -> dict:
        return self.token(*roles, department=department, region=region,
                          subject=subject or self.actor, kind="officer")


def call(method: str, url: str, *, json=None, status: int = 200, whom: str | None = None,
         headers: dict | None = None, actor: str | None = None, after=None):
    """The call a case makes: `whom`, the party its record must name; `actor`, the acting
    account when it is not the case's own; `after`, what to tidy once it is made."""
    return {"method": method, "url": url, "json": json, "status": status, "whom": whom,
            "headers": headers, "actor": actor, "after": after}


# ---- one case per staff write: prepare, then the one call whose audit is checked ---------------

def case_create_staff(e: Env):
    from functions.identity import cn_ids

    return call("POST", "/api/v1/admin/accounts", status=201, headers=e.staff("admin"), json={
        "kind": "officer", "name": "新同事", "phone": phone(), "password": PASSWORD,
        "id_number": cn_ids.make_id_number("441402", date(1982, 3, 3), 400 + next(_seq)),
        "roles": ["officer"], "department": "DAJ", "region": "441400"})


def case_grant_head(e: Env):
    account = staff_account(e.settings, "DAJ", "441400")
    return call("POST", f"/api/v1/admin/accounts/{account['id']}/head", status=201,
                headers=e.staff("admin"), whom=f"person:{account['id']}",
                json={"department": "DAJ", "region": "441400"})


def case_put_filing_calendar(e: Env):
    from functions.intake.calendar import WorkCalendar
    from functions.pages import model

    cal = WorkCalendar()
    dates = [{"month": m, "date": model.tax_deadline(2031, m, 15, cal).isoformat()}
             for m in range(1, 13)]
    return call("PUT", "/api/v1/admin/deadline-calendar/2031", headers=e.staff("admin"),
                json={"dates": dates, "source": "审计走查"})


def take_jobs(settings, keep) -> None:
    """Take this file's jobs (those `keep` names) off the shared queue: a test elsewhere
    counts the recomputations or publications it queued; others' messages show again."""
    import json

    from functions.core import aws

    sqs, others = aws.client("sqs", settings), []
    while got := sqs.receive_message(QueueUrl=settings.queue_url, MaxNumberOfMessages=10,
                                     WaitTimeSeconds=0, VisibilityTimeout=30).get("Messages"):
        for m in got:
            if keep(json.loads(m["Body"])):
                sqs.delete_message(QueueUrl=settings.queue_url, ReceiptHandle=m["ReceiptHandle"])
            else:
                others.append(m["ReceiptHandle"])
    for handle in others:
        sqs.change_message_visibility(QueueUrl=settings.queue_url, ReceiptHandle=handle,
                                      VisibilityTimeout=0)


def case_load_holidays(e: Env):
    # A year no test counts working days in (loading one changes its deadlines).
    return call("POST", "/api/v1/admin/holidays", status=201, headers=e.staff("admin"), json={
        "year": 2041, "holidays": ["2041-01-01"], "workdays": [], "source": "审计走查"},
                after=lambda: take_jobs(e.settings, lambda job: job.get("year") == 2041))


def case_rotate_keys(e: Env):
    return call("POST", "/api/v1/admin/keys/rotate", headers=e.staff("admin"))


def case_rotate_licence_keys(e: Env):
    return call("POST", "/api/v1/admin/licence-keys/rotate", headers=e.staff("admin"))


def case_counter_intake(e: Env):
    from tests.intake.factories import NUMBERS

    who = citizen(e.settings)
    return call("POST", "/api/v1/officer/applications", status=201,
                whom=f"person:{who.subject}",
                headers=e.staff("officer", department="RSJ", region="441400"),
                json={"matter": CARD, "applicant_phone": NUMBERS[who.subject]["phone"],
                      "form": CARD_FORM})


def with_materials(settings) -> dict:
    """One submitted application with its uploads scanned clean, shared by the cases that
    leave its state alone (reveal, a visit, opening a material) and the one that accepts it
    (the others work on an accepted one too)."""
    from functions.intake import service
    from functions.intake.service import materials

    if "app" not in _PEOPLE:
        who = citizen(settings)
        app = submitted(settings, who)
        name, entry = next(iter(service.get(settings, who, app["id"])["materials"].items()))
        got = materials.scan_material(settings, {"app_id": app["id"], "material": name,
                                                 "key": entry["key"]})
        assert got["status"] == "clean", got
        _PEOPLE["app"] = (app, entry["key"])
    return _PEOPLE["app"]


def _application_call(e: Env, suffix: str, json=None):
    who = citizen(e.settings)
    app, _ = with_materials(e.settings)
    return call("POST", f"/api/v1/officer/applications/{app['id']}/{suffix}", json=json,
                whom=f"person:{who.subject}",
                headers=e.staff("officer", department="RSJ", region="441400"))


def case_officer_action(e: Env):
    from functions.intake import service

    app = at_counter(e.settings, citizen(e.settings))
    service.act(e.settings, rsj(), app["id"], action="accept", now=clock.now())
    return call("POST", f"/api/v1/officer/applications/{app['id']}/actions",
                json={"action": "approve"}, whom=f"person:{citizen(e.settings).subject}",
                headers=e.staff("officer", department="RSJ", region="441400"))


def case_reveal_application_fields(e: Env):
    return _application_call(e, "reveal", {"fields": ["phone"]})


def case_record_visit(e: Env):
    return _application_call(e, "visits")


def case_view_material(e: Env):
    from functions.intake.service import materials

    who = citizen(e.settings)
    app, key = with_materials(e.settings)
    return call("POST", f"/api/v1/officer/applications/{app['id']}/materials/"
                f"{materials.upload_id(key)}/view", whom=f"person:{who.subject}",
                headers=e.staff("officer", department="RSJ", region="441400"))


CAMPAIGN = {"name": "审计走查宣传", "topic": "hot_tax", "template": "announcement",
            "params": {"title": "小微企业减税新政"},
            "segment": {"audience": "enterprise", "industry": "审计走查业"}}


def _campaign(e: Env, *, dry_run: bool = False) -> str:
    author = e.token("officer", department="SWJ", region="441400", subject=e.actor + "-author")
    made = ok(e.client.post("/api/v1/officer/campaigns", json=CAMPAIGN, headers=author), 201)
    if dry_run:
        ok(e.client.post(f"/api/v1/officer/campaigns/{made['id']}/dry-run", headers=author))
    return made["id"]


def case_create_campaign(e: Env):
    return call("POST", "/api/v1/officer/campaigns", status=201, json=CAMPAIGN,
                headers=e.staff("officer", department="SWJ", region="441400"))


def case_dry_run_campaign(e: Env):
    cid = _campaign(e)
    return call("POST", f"/api/v1/officer/campaigns/{cid}/dry-run",
                headers=e.staff("officer", department="SWJ", region="441400",
                                subject=e.actor + "-author"), actor=e.actor + "-author")


def case_approve_campaign(e: Env):
    cid = _campaign(e, dry_run=True)
    return call("POST", f"/api/v1/officer/campaigns/{cid}/approve",
                headers=e.staff("officer", department="SWJ", region="441400"))


def case_cancel_campaign(e: Env):
    cid = _campaign(e)
    return call("POST", f"/api/v1/officer/campaigns/{cid}/cancel",
                headers=e.staff("officer", department="SWJ", region="441400",
                                subject=e.actor + "-author"), actor=e.actor + "-author")


def _card(e: Env, officer_account: dict) -> str:
    """A promised_overdue card naming the officer (2035's weekends-only clock)."""
    from tests.supervision import card_factories as f

    me = f.officer_of(officer_account)
    app = at_counter(e.settings, citizen(e.settings), matter=f.MATTER, form=f.FORM,
                     department=f.DEPT, now=f.at(f.MONDAY, 9))
    f.act(e.settings, me, app["id"], "accept", f.workday(1))
    f.act(e.settings, me, app["id"], "approve", f.workday(6))
    return f.card(e.settings, app["id"], "promised_overdue")["id"]


def _named(e: Env) -> dict:
    """The officer a card names (a card needs their id, department and region only)."""
    return {"id": e.actor + "-officer", "department": "DAJ", "region": "441400"}


def case_explain_card(e: Env):
    account = _named(e)
    cid = _card(e, account)
    return call("POST", f"/api/v1/officer/cards/{cid}/explain",
                json={"text": "档案调阅需异地协查。", "rectified": True},
                headers=e.staff("officer", department="DAJ", region="441400",
                                subject=account["id"]), actor=account["id"])


def case_close_card(e: Env):
    cid = _card(e, _named(e))
    return call("POST", f"/api/v1/supervision/cards/{cid}/close", json={"note": "已核实。"},
                headers=e.token("supervisor", subject=e.actor, kind="supervisor"))


def case_publish_catalogue(e: Env):
    return call("POST", "/api/v1/officer/catalogue/publish", status=202,
                headers=e.staff("catalogue_admin"),
                after=lambda: take_jobs(e.settings, lambda job: job.get("actor") == e.actor))


def case_verify_in_person(e: Env):
    from tests.intake.factories import NUMBERS

    who = citizen(e.settings)
    return call("POST", "/api/v1/officer/identity/verify", whom=f"person:{who.subject}",
                headers=e.staff("window", department="RSJ", region="441400"),
                json={"account_id": who.subject,
                      "id_number": NUMBERS[who.subject]["id_number"]})


LICENCE = {"type": "marriage_cert", "holder_kind": "person",
           "fields": {"spouse_name": "王美玲", "spouse_id_number": "441402199001011234",
                      "registered_on": "2026-05-20"}}


def case_issue_licence(e: Env):
    who = citizen(e.settings)
    return call("POST", "/api/v1/officer/licences", status=201, whom=f"person:{who.subject}",
                json={**LICENCE, "holder_id": who.subject},
                headers=e.staff("officer", department="MZJ", region="441402"))


def case_revoke_licence(e: Env):
    who = citizen(e.settings)
    by = e.staff("officer", department="MZJ", region="441402")
    lic = ok(e.client.post("/api/v1/officer/licences", headers=by,
                           json={**LICENCE, "holder_id": who.subject}), 201)
    return call("POST", f"/api/v1/officer/licences/{lic['id']}/revoke", headers=by,
                whom=f"person:{who.subject}", json={"reason": "登记时提供虚假材料，依法撤销"})


MATTER = {"name": "审计走查测试事项", "aliases": [], "audiences": ["enterprise"],
          "themes": ["E05"], "department": "SWJ", "level": "county", "region": "441424",
          "kind": "public_service", "online_depth": "full", "visits": 0, "legal_days": 10,
          "promised_days": 2, "fees": [], "materials": [], "form_fields": [], "hot_tags": [],
          "mobile": True, "conditions": [], "process": ["网上申请", "办结"],
          "guide": "审计走查。", "popularity": 1}


def _matter_code() -> str:
    return f"441424-SWJ-{9000 + next(_seq) % 1000:04d}"


def _created(e: Env, headers: dict) -> str:
    code = _matter_code()
    ok(e.client.post("/api/v1/officer/matters", json={"code": code, **MATTER},
                     headers=headers), 201)
    return code


def case_create_matter(e: Env):
    return call("POST", "/api/v1/officer/matters", status=201,
                json={"code": _matter_code(), **MATTER},
                headers=e.staff("officer", department="SWJ", region="441424"))


def case_update_matter(e: Env):
    headers = e.staff("officer", department="SWJ", region="441424")
    code = _created(e, headers)
    return call("PUT", f"/api/v1/officer/matters/{code}", json={**MATTER, "promised_days": 1},
                headers={**headers, "If-Match": '"1"'})


def case_withdraw_matter(e: Env):
    headers = e.staff("officer", department="SWJ", region="441424")
    return call("DELETE", f"/api/v1/officer/matters/{_created(e, headers)}", headers=headers)


def case_answer_question(e: Env):
    from tests.supervision.question_factories import ask, company

    firm = company(e.settings, e.token)
    q = ask(e.client, firm["headers"])
    return call("POST", f"/api/v1/officer/questions/{q['id']}/answer", whom=firm["owner"],
                json={"answer": "可以，全程网上办理。"},
                headers=e.staff("officer", department="SWJ", region="441402"))


def _rating(e: Env, level: int, tags: list[str]) -> tuple[str, str]:
    from functions.intake import service

    who = citizen(e.settings)
    app = at_counter(e.settings, who)
    service.act(e.settings, rsj(), app["id"], action="accept", now=clock.now())
    service.act(e.settings, rsj(), app["id"], action="approve", now=clock.now())
    got = ok(e.client.post(f"/api/v1/applications/{app['id']}/rating", json={
        "level": level, "tags": tags, "comment": "审计走查"}, headers=e.token(
            "citizen", subject=who.subject, kind="citizen", lvl=2)), 201)
    return got["id"], f"person:{who.subject}"


def case_rating_callback(e: Env):
    rid, whom = _rating(e, 1, ["overdue"])
    return call("POST", f"/api/v1/officer/ratings/{rid}/callback", whom=whom,
                json={"text": "已电话回访。", "rectified": True},
                headers=e.staff("officer", department="RSJ", region="441400"))


def case_rating_appeal(e: Env):
    rid, whom = _rating(e, 2, ["attitude"])
    return call("POST", f"/api/v1/officer/ratings/{rid}/appeal", whom=whom,
                json={"reason": "申请人未提出异议，系恶意差评"},
                headers=e.staff("officer", department="RSJ", region="441400"))


def case_rating_appeal_decision(e: Env):
    rid, whom = _rating(e, 2, ["attitude"])
    ok(e.client.post(f"/api/v1/officer/ratings/{rid}/appeal", json={"reason": "恶意差评"},
                     headers=e.token("officer", department="RSJ", region="441400",
                                     subject=e.actor + "-rsj")))
    return call("POST", f"/api/v1/supervision/ratings/{rid}/appeal-decision", whom=whom,
                json={"upheld": False, "note": "证据不足"},
                headers=e.token("supervisor", subject=e.actor, kind="supervisor"))


CASES = {name[5:]: fn for name, fn in globals().items() if name.startswith("case_")}


# ---- the walk ---------------------------------------------------------------------------------

def test_every_staff_write_in_the_spec_has_a_case(app):
    writes = staff_writes(app)
    assert len(writes) >= 25
    missing = sorted(set(writes) - set(CASES))
    assert not missing, f"staff writes without an audit case: {missing}"
    assert not set(CASES) - set(writes), "cases of operations the spec no longer has"


@pytest.mark.parametrize("op_id", sorted(CASES))
def test_a_staff_write_is_audited_with_who_whom_when_what_and_the_result(
        app, client, token, settings, op_id):
    method, path = staff_writes(app)[op_id]
    e = Env(client, token, settings, op_id)
    c = CASES[op_id](e)
    assert c["method"].lower() == method, (op_id, c["method"], method)
    actor = c.get("actor") or e.actor
    before = {(r["at"], r["action"], r["target"]) for r in audit_rows(settings, actor=actor)}
    started = clock.now() - timedelta(seconds=1)
    resp = client.open(c["url"], method=c["method"], json=c["json"], headers=c["headers"])
    if c["after"]:
        c["after"]()
    ok(resp, c["status"])
    ended = clock.now() + timedelta(seconds=1)
    new = [r for r in audit_rows(settings, actor=actor)
           if (r["at"], r["action"], r["target"]) not in before]
    assert new, f"{op_id}: {c['method']} {c['url']} left no audit record by {actor}"
    for r in new:
        assert r["actor"] == actor                                           # who
        assert r.get("subject") or r.get("target"), r                        # for whom
        assert started <= datetime.fromisoformat(r["at"]) <= ended, r        # when
        assert r["action"] and r["target"], r                                # what
        assert r["result"], r                                                # the result
        assert r["request_id"] not in ("", "-", None), r                     # which request
    if c["whom"]:
        assert c["whom"] in {r.get("subject") for r in new} | {
            r.get("on_behalf") for r in new}, (op_id, c["whom"], new)

