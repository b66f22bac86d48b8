"""The authorisation matrix's world: every role of the x-role vocabulary as a real account
with a real session (and, for enterprise staff, a real grant and a switched token), plus a
second party of each kind for the ownership cases. Phones 1990300xxxx."""
from __future__ import annotations

import itertools
import secrets
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta

from tests.helpers import SPEC, ok

PREFIX = "1990300"
PASSWORD = "Matrix-Tulou#2026"
CARD = "441400-RSJ-0015"        # 社会保障卡申领: RSJ, city level; a citizen's matter
NO_APP = "MZ20261202999999"    # an application number nobody has
NO_MATTER = "441400-RSJ-9399"  # a matter code nobody has
DEPT, REGION = "RSJ", "441400"  # the officers' department and region
OTHER_DEPT, OTHER_REGION = "SWJ", "441402"
ENTERPRISE_STAFF = ("preparer", "approver", "viewer")
STAFF = {  # role -> (account kind, department, region)
    "window": ("officer", DEPT, REGION), "officer": ("officer", DEPT, REGION),
    "head": ("officer", DEPT, REGION), "catalogue_admin": ("admin", None, None),
    "supervisor": ("supervisor", None, None), "admin": ("admin", None, None)}


ROLES = ("anonymous", "citizen", "enterprise:legal_rep", "enterprise:preparer",
         "enterprise:approver", "enterprise:viewer", "family", "window", "officer", "head",
         "catalogue_admin", "supervisor", "admin")


def vocabulary() -> tuple[str, ...]:
    return tuple(SPEC.get("x-role-vocabulary") or ROLES)


@dataclass
class World:
    """Headers per role, and the ids each role's party owns (path parameters)."""
    headers: dict[str, dict] = field(default_factory=dict)
    accounts: dict[str, dict] = field(default_factory=dict)
    ids: dict[str, dict] = field(default_factory=dict)
    other: dict[str, dict] = field(default_factory=dict)  # intruders, by name
    settings: object = None
    client: object = None
    enterprise: dict = field(default_factory=dict)
    material: str = ""
    unknown_uscc: str = ""
    doors: dict = field(default_factory=dict)

    def fresh(self, role: str) -> dict:
        """Another session of the role's account (for logging out)."""
        if role == "anonymous":
            return {}
        own = bearer(self.settings, self.accounts[role])
        if role.startswith("enterprise:"):
            return switched(self.client, own, self.enterprise["uscc"])
        if role == "family":
            return switched(self.client, own, self.accounts["citizen"]["id"], kind="person")
        return own

    def refresh_cookie(self, role: str) -> dict:
        """The refresh cookie of a new session of the role's account (the citizen's for
        anonymous: the refresh route reads no bearer token)."""
        from functions.identity.routes import REFRESH_COOKIE

        token = secrets.token_urlsafe(32)
        bearer(self.settings, self.accounts["citizen" if role == "anonymous" else role], token)
        return {"Cookie": f"{REFRESH_COOKIE}={token}"}


_seq = itertools.count(1)


def _id_number(n: int) -> str:
    from functions.identity import cn_ids

    return cn_ids.make_id_number("441481", date(1979, 3, 3), 300 + n)


def account(settings, *, kind: str = "citizen", roles: tuple = (), department=None,
            region=None, name: str = "叶思远") -> dict:
    from functions.identity.cli import create_staff

    n = next(_seq)
    phone = f"{PREFIX}{n:04d}"
    made = create_staff(settings, kind=kind, name=name, id_number=_id_number(n), phone=phone,
                        password=PASSWORD, roles=list(roles), department=department,
                        region=region)
    return {**made, "phone": phone}


def bearer(settings, acc: dict, refresh: str | None = None) -> dict:
    """A token for `acc` as the login would issue it (its claims), in a real session (whose
    refresh token is `refresh`, when given)."""
    from functions.core import clock
    from functions.core.auth import sign
    from functions.identity import model
    from functions.identity import store as identity_store

    digest = model.token_digest(refresh) if refresh else secrets.token_hex(32)
    sid = identity_store.create_session(
        settings, account_id=acc["id"], refresh_digest=digest, at=clock.iso(),
        ttl=int(clock.now().timestamp()) + settings.session_seconds,
        audit={"actor": acc["id"], "action": "login.test", "target": acc["id"], "result": "ok",
               "request_id": None, "at": clock.iso()})
    claims = model.access_claims(acc, session=sid, act=None)
    return {"Authorization": f"Bearer {sign(settings, claims)}"}


def enterprise(settings, rep: dict) -> dict:
    from functions.core import clock
    from functions.identity import cn_ids
    from functions.identity import store as identity

    uscc = cn_ids.make_uscc("9", "1", "441402", 830000 + next(_seq))
    doc = {"uscc": uscc, "name": f"梅州市矩阵茶业{next(_seq)}号有限公司", "county": "441402",
           "industry": "农业", "size": "micro", "founded": "2020-01-01",
           "individual_business": False, "legal_rep": rep["id"]}
    identity.create_enterprise(settings, doc, account_id=rep["id"], audit={
        "actor": rep["id"], "action": "enterprise.register", "target": uscc, "result": "ok",
        "request_id": None, "at": clock.iso()})
    return doc


def switched(client, headers: dict, ident: str, kind: str = "enterprise") -> dict:
    got = ok(client.post("/api/v1/auth/switch", headers=headers,
                         json={"act_as": {"kind": kind, "id": ident}}))
    return {"Authorization": f"Bearer {got['access_token']}"}


def staff_grant(client, settings, rep_headers: dict, uscc: str, role: str) -> tuple[dict, dict]:
    """A citizen given `role` in the enterprise (granted and accepted through the API)."""
    from functions.core import clock

    person = account(settings, name="罗文伟")
    mine = bearer(settings, person)
    expires = (clock.now().date() + timedelta(days=90)).isoformat()
    grant = ok(client.post("/api/v1/grants", headers=rep_headers, json={
        "grantor": f"enterprise:{uscc}", "grantee_phone": person["phone"], "role": role,
        "expires": expires}), 201)
    ok(client.post(f"/api/v1/grants/{grant['id']}/accept", headers=mine))
    return person, {**grant, "headers": mine}


def draft(client, headers: dict, matter: str = CARD) -> dict:
    return ok(client.post("/api/v1/applications", headers=headers, json={"matter": matter}), 201)


def build(app, settings) -> World:
    """Every role's account and token; the citizen's, the enterprise's and the officers' ids."""
    from functions.core import clock
    from functions.identity import cn_ids

    client = app.test_client(use_cookies=False)
    world = World(settings=settings, client=client)
    world.material = ok(client.get(f"/api/v1/matters/{CARD}"))["materials"][0]["name"]
    world.unknown_uscc = cn_ids.make_uscc("9", "1", "441402", 990000 + next(_seq))
    world.headers["anonymous"] = {}
    citizen = account(settings, name="叶思远")
    world.accounts["citizen"] = citizen
    world.headers["citizen"] = bearer(settings, citizen)
    rep = account(settings, name="张梅林")
    rep_self = bearer(settings, rep)
    ent = enterprise(settings, rep)
    world.accounts["enterprise:legal_rep"] = rep
    world.headers["enterprise:legal_rep"] = switched(client, rep_self, ent["uscc"])
    grants = {}
    for role in ENTERPRISE_STAFF:
        person, grant = staff_grant(client, settings, rep_self, ent["uscc"], role)
        grants[role] = grant
        world.accounts[f"enterprise:{role}"] = person
        world.headers[f"enterprise:{role}"] = switched(client, grant["headers"], ent["uscc"])
    relative = account(settings, name="叶小青")  # acts for the citizen, for CARD only
    ok(client.post("/api/v1/grants", headers=world.headers["citizen"], json={
        "grantor": "self", "grantee_phone": relative["phone"], "matters": [CARD],
        "expires": (clock.now().date() + timedelta(days=90)).isoformat()}), 201)
    grant = ok(client.get("/api/v1/grants", headers=bearer(settings, relative)))["items"][0]
    ok(client.post(f"/api/v1/grants/{grant['id']}/accept", headers=bearer(settings, relative)))
    world.accounts["family"] = relative
    world.headers["family"] = world.fresh("family")
    for role, (kind, dept, region) in STAFF.items():
        acc = account(settings, kind=kind, roles=(role,), department=dept, region=region,
                      name="林平辉")
        world.accounts[role] = acc
        world.headers[role] = bearer(settings, acc)
    world.enterprise, world.rep_self, world.grants = ent, rep_self, grants
    own = draft(client, world.headers["citizen"])["id"]
    theirs = draft(client, world.headers["enterprise:legal_rep"])["id"]
    for role in ROLES[1:]:
        world.ids[role] = {"app_id": theirs if role.startswith("enterprise:") else own}
    return world


@dataclass
class Owned:
    things: dict[str, dict]      # thing -> {"ids": path parameters, "partitions": [pk, ...]}
    intruders: dict[str, dict]   # name -> headers
    matter_body: dict


FAR = "2031-03-03T10:00:00+08:00"  # counters of a month no other test reads
OTHER_MATTER = "441400-GAJ-0002"     # a family grant for this matter covers no CARD application


def _in_days(days: int) -> str:
    from functions.core import clock

    return (clock.now().date() + timedelta(days=days)).isoformat()


def owned_things(app, settings, world: World) -> Owned:
    """A citizen's application (with a rating and a card), device and licence; an
    enterprise's notice, question and grant; a department's matter and campaign; and the
    intruders: another citizen, another enterprise, officers of another department/region."""
    from functions.hall import schemas as hall_schemas
    from functions.intake import store as intake_store
    from functions.supervision import cards_model, cards_store, ratings_model, ratings_store

    client = app.test_client(use_cookies=False)
    owner = account(settings, name="邓海燕")
    mine = bearer(settings, owner)
    person_pk = f"ACCOUNT#{owner['id']}"
    app_id = draft(client, mine)["id"]
    doc = intake_store.get(settings, app_id)
    rating = ratings_model.new_rating(doc, level=5, tags=[], comment="", at=FAR,
                                      by=owner["id"])
    ratings_store.create(settings, rating, extra=[], audit=None)
    card = cards_model.new_card(kind="accept_80", subject={"application": app_id},
                                department=DEPT, region=REGION, officer=None, at=FAR)
    assert cards_store.raise_card(settings, card, extra=[]) == "raised"
    device = ok(client.post("/api/v1/me/push-subscriptions", headers=mine, json={
        "endpoint": f"https://fcm.googleapis.com/fcm/send/matrix-{owner['id']}",
        "keys": {"p256dh": "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1"
                           "XbjhazAkj7I99e8QcYP7DkM", "auth": "tBHItJI5svbpez7KI4CCXg"}}), 201)
    mzj = bearer(settings, account(settings, kind="officer", roles=("officer",),
                                   department="MZJ", region="441402"))
    licence = ok(client.post("/api/v1/officer/licences", headers=mzj, json={
        "type": "marriage_cert", "holder_kind": "person", "holder_id": owner["id"],
        "fields": {"spouse_name": "王美玲", "spouse_id_number": "441402199001011234",
                   "registered_on": "2026-05-20"}}), 201)
    uscc = world.enterprise["uscc"]
    rep = world.headers["enterprise:legal_rep"]
    notice = ok(client.get("/api/v1/me/inbox", headers=rep))["items"][0]["id"]
    question = ok(client.post("/api/v1/me/questions", headers=rep, json={
        "department": "QXJ", "text": "请问气象灾害防御资质怎么申请？"}), 201)
    rsj = world.headers["officer"]
    campaign = ok(client.post("/api/v1/officer/campaigns", headers=rsj, json={
        "name": "社保卡换领提醒", "topic": "hot_tax", "template": "announcement",
        "params": {"title": "社保卡换领"}, "segment": {"audience": "enterprise",
                                                 "industry": "矩阵" + uuid.uuid4().hex[:6]}}),
        201)
    matter = ok(client.get(f"/api/v1/officer/matters/{CARD}", headers=rsj))
    fields_in = set(hall_schemas.MatterUpdate().fields)
    matter_body = {k: v for k, v in matter.items() if k in fields_in}
    gid = world.grants["preparer"]["id"]
    app_parts = [f"APP#{app_id}", person_pk]

    def staff(dept, region, role="officer"):
        return bearer(settings, account(settings, kind="officer", roles=(role,),
                                        department=dept, region=region))

    relative = account(settings, name="邓小燕")  # the owner's relative, for another matter
    relative_self = bearer(settings, relative)
    given = ok(client.post("/api/v1/grants", headers=mine, json={
        "grantor": "self", "grantee_phone": relative["phone"], "matters": [OTHER_MATTER],
        "expires": _in_days(60)}), 201)
    ok(client.post(f"/api/v1/grants/{given['id']}/accept", headers=relative_self))
    other_rep = account(settings, name="温慧")
    other_ent = enterprise(settings, other_rep)
    things = {
        "app": {"ids": {"app_id": app_id}, "partitions": app_parts},
        "rating": {"ids": {"app_id": app_id, "rid": rating["id"]},
                   "partitions": [f"RATING#{app_id}", *app_parts]},
        "card": {"ids": {"cid": card["id"]}, "partitions": [f"CARD#{card['id']}"]},
        "device": {"ids": {"sub_id": device["id"]}, "partitions": [person_pk]},
        "licence": {"ids": {"lid": licence["id"]},
                    "partitions": [f"LICENCE#{licence['id']}", person_pk]},
        "notice": {"ids": {"nid": notice}, "partitions": [f"ENTERPRISE#{uscc}"]},
        "question": {"ids": {"qid": question["id"]},
                     "partitions": [f"QUESTION#{question['id']}"]},
        "campaign": {"ids": {"cid": campaign["id"]},
                     "partitions": [f"CAMPAIGN#{campaign['id']}"]},
        "matter": {"ids": {"code": CARD}, "partitions": [f"MATTER#{CARD}"]},
        "grant": {"ids": {"gid": gid}, "partitions": [f"GRANT#{gid}"]},
    }
    intruders = {
        "citizen_b": bearer(settings, account(settings, name="刘俊军")),
        "enterprise_b": switched(client, bearer(settings, other_rep), other_ent["uscc"]),
        "officer_rsj": rsj,
        "family_other_matter": switched(client, relative_self, owner["id"], kind="person"),
        "officer_swj": staff(OTHER_DEPT, REGION),
        "officer_meijiang": staff(DEPT, OTHER_REGION),
        "officer_qxj_city": staff("QXJ", REGION),
        "head_swj": staff(OTHER_DEPT, REGION, "head"),
    }
    return Owned(things, intruders, matter_body)
