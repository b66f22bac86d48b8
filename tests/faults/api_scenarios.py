"""The API operations the fault sweeps drive, with what each needs set up first (real
accounts, sessions, applications in the state the operation expects)."""
from __future__ import annotations

import itertools

from functions.core import clock, keys
from functions.intake import service as intake
from tests.faults.sweep import judge_http, run_sweep
from tests.intake.factories import CARD, CARD_FORM, drafted, officer, person
from tests.licences.factories import MZJ_MEIJIANG, make_citizen
from tests.supervision.question_factories import TEXT, company

PHONES = itertools.count(1)
PASSWORD = "Meizhou-2026!"
# Writes a failed request may leave by design: a rate-limit window counts every attempt,
# failed ones included; an application number once drawn is not reused (numbers may skip).
KEEP = (lambda ref: ref[0] == "ddb" and ref[2].startswith(("RATE#", "APPSEQ#")),)


def _phone() -> str:
    return f"1990310{next(PHONES):04d}"


def make_world(app, settings, token) -> dict:
    who = person(settings, phone=_phone())
    return {"who": who, "citizen": token("citizen", subject=who.subject, kind="citizen", lvl=2),
            "rsj": token("officer", department="RSJ", region="441400", subject="flt-rsj"),
            "mzj": token("officer", subject="flt-mzj", **MZJ_MEIJIANG),
            "firm": company(settings, token), "client": app.test_client(),
            "swj": token("officer", department="SWJ", region="441402", subject="flt-swj")}


def _submitted(settings, who, matter=CARD, form=CARD_FORM) -> dict:
    return intake.submit(settings, who, drafted(settings, who, matter, form)["id"],
                         now=clock.now())


def _accepted(settings, who, dept="RSJ", matter=CARD, form=CARD_FORM) -> dict:
    app = _submitted(settings, who, matter, form)
    intake.act(settings, officer(dept), app["id"], action="accept", now=clock.now())
    return app


def _completed(settings, who) -> dict:
    app = _accepted(settings, who)
    intake.act(settings, officer("RSJ"), app["id"], action="approve", now=clock.now())
    return app


# name -> (method, url or url(ctx), headers key, json body, ok statuses, setup(settings, world))
SCENARIOS = {
    "application.create": lambda s, w: ("post", "/api/v1/applications", w["citizen"],
                                        {"matter": CARD, "form": CARD_FORM}, (201,)),
    "application.submit": lambda s, w: (
        "post", f"/api/v1/applications/{drafted(s, w['who'], CARD, CARD_FORM)['id']}/submit",
        w["citizen"], None, (200,)),
    "application.withdraw": lambda s, w: (
        "post", f"/api/v1/applications/{_submitted(s, w['who'])['id']}/withdraw",
        w["citizen"], {}, (200,)),
    "officer.accept": lambda s, w: (
        "post", f"/api/v1/officer/applications/{_submitted(s, w['who'])['id']}/actions",
        w["rsj"], {"action": "accept"}, (200,)),
    "officer.approve": lambda s, w: (
        "post", f"/api/v1/officer/applications/{_accepted(s, w['who'])['id']}/actions",
        w["rsj"], {"action": "approve"}, (200,)),
    "rating.create": lambda s, w: (
        "post", f"/api/v1/applications/{_completed(s, w['who'])['id']}/rating", w["citizen"],
        {"level": 4, "tags": ["efficient"], "comment": "办得快"}, (201,)),
    "pin.put": lambda s, w: ("put", f"/api/v1/me/pins/{CARD}", w["citizen"], None, (200, 201)),
    "preferences.put": lambda s, w: ("put", "/api/v1/me/preferences", w["citizen"],
                                     {"topics": {"hot_tax": {"subscribed": False}}}, (200,)),
    "inbox.read_all": lambda s, w: ("post", "/api/v1/me/inbox/read-all", w["citizen"], {},
                                    (200,)),
    "licence.issue": lambda s, w: (
        "post", "/api/v1/officer/licences", w["mzj"],
        {"type": "marriage_cert", "holder_kind": "person",
         "holder_id": make_citizen(s)["id"],
         "fields": {"spouse_name": "王美玲", "spouse_id_number": "441402199001011234",
                    "registered_on": "2026-05-20"}}, (201,)),
    "licence.revoke": lambda s, w: (
        "post", f"/api/v1/officer/licences/{_issued(s, w)}/revoke", w["mzj"],
        {"reason": "登记时提供虚假材料，依法撤销"}, (200,)),
    "pin.delete": lambda s, w: ("delete", f"/api/v1/me/pins/{_pinned(w)}", w["citizen"], None,
                                (200,)),
    "auth.login": lambda s, w: ("post", "/api/v1/auth/login", {},
                                {"phone": _login_phone(s), "password": PASSWORD}, (200,)),
    "question.ask": lambda s, w: ("post", "/api/v1/me/questions", w["firm"]["headers"],
                                  {"department": "SWJ", "subject": "一般纳税人登记",
                                   "text": TEXT}, (201,)),
    "question.answer": lambda s, w: (
        "post", f"/api/v1/officer/questions/{_asked(w)}/answer", w["swj"],
        {"answer": "可以全程网上办理，请准备营业执照。"}, (200,)),
    "question.read": lambda s, w: ("get", f"/api/v1/me/questions/{_asked(w)}",
                                   w["firm"]["headers"], None, (200,)),
    "me.read": lambda s, w: ("get", "/api/v1/me", w["citizen"], None, (200,)),
    "applications.mine": lambda s, w: ("get", "/api/v1/applications", w["citizen"], None,
                                       (200,)),
    "inbox.read": lambda s, w: ("get", "/api/v1/me/inbox", w["citizen"], None, (200,)),
    "wallet.read": lambda s, w: ("get", "/api/v1/wallet", w["citizen"], None, (200,)),
    "page.read": lambda s, w: ("get", "/api/v1/me/page", w["citizen"], None, (200,)),
    "officer.queue": lambda s, w: ("get", "/api/v1/officer/applications?status=submitted",
                                   w["rsj"], None, (200,)),
}
# Store functions whose faults a use case absorbs by design (the answer stays 2xx).
MAY_ABSORB = frozenset({
    "hall.store.current_catalogue",   # keeps serving the snapshot it holds
})


def _asked(world) -> str:
    got = world["client"].post("/api/v1/me/questions", headers=world["firm"]["headers"],
                               json={"department": "SWJ", "subject": "一般纳税人登记",
                                     "text": TEXT})
    assert got.status_code == 201, got.get_json()
    return got.get_json()["id"]


def _issued(settings, world) -> str:
    got = world["client"].post("/api/v1/officer/licences", headers=world["mzj"], json={
        "type": "marriage_cert", "holder_kind": "person",
        "holder_id": make_citizen(settings)["id"],
        "fields": {"spouse_name": "王美玲", "spouse_id_number": "441402199001011234",
                   "registered_on": "2026-05-20"}})
    assert got.status_code == 201, got.get_json()
    return got.get_json()["id"]


def _pinned(world) -> str:
    got = world["client"].put(f"/api/v1/me/pins/{CARD}", headers=world["citizen"])
    assert got.status_code in (200, 201), got.get_json()
    return CARD


def _login_phone(settings) -> str:
    phone = _phone()
    person(settings, phone=phone)
    return phone




def sweep_one(client, settings, world, injector, name):
    """Sweep one operation; a run whose writes landed (or that absorbed its fault) is followed
    by a fresh set-up, so every run meets the state the operation expects."""
    from functions.hall import store as hall_store

    request = {}

    def reset():
        request["r"] = SCENARIOS[name](settings, world)

    def act():
        method, url, headers, body, _ = request["r"]
        return getattr(client, method)(url, headers=headers, json=body)

    def prepare():
        # The catalogue's freshness check (a pointer read every minute) and the keyrings'
        # (an SSM read every five) are absorbed by design: refreshed just before each run,
        # they stay out of the runs (tests/faults/test_faults_services.py faults the keys).
        hall_store.current_catalogue(settings)
        for ring in keys.RINGS:
            keys.keyring(settings, ring=ring)
        keys.data_keys(settings)

    reset()
    return run_sweep(injector, name, act,
                     judge_http(request["r"][4], may_absorb=MAY_ABSORB), ignore=KEEP,
                     prepare=prepare, reset=reset)
