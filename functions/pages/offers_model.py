"""免申即享 (granted without applying): the benefits the hall can file for a person with one
confirmation, because the city already knows they qualify and already holds every value the
application needs. Pure: no storage, no clock.

An offer needs both:
  * the person qualifies today, by a rule over what the base registry says (OFFERS), and
  * every form field and every required material of the matter is answered by a source the
    hall holds (FIELD_SOURCES, MATERIAL_SOURCES): the verified identity, the base registry, or
    a valid e-licence in the wallet. A matter where one is not answered is never offered.

Facts (the service fills them from the account, the registry record and the partition):
  level              the account's real-name level (2+: name and ID number matched the registry)
  registry           whether the base registry has a record of the person
  registry.birth     ISO date
  registry.region    county code of the household registration
  registry.ssc_bank  whether the social security card's bank account is on record
  wallet             {licence type: licence id} of valid, unrevoked e-licences (newest)
  applications       [{"id", "matter", "matter_name", "status"}] every application's pointer
  done               matter names the person has completed (the history records)
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from . import rules

IDENTITY = "identity"                    # the account, verified against the population registry
BANK = "registry.ssc_bank_account"       # the social security card's financial account
WALLET = "wallet."                       # + a licence type: an e-licence the person holds

# Form field -> the source that answers it (on a person's own application).
FIELD_SOURCES = {
    "applicant_name": IDENTITY, "id_number": IDENTITY, "phone": IDENTITY,
    "certificate_number": IDENTITY, "bank_account": BANK,
}
# Material (by its name in the guide) -> the sources that may stand for it, first held wins.
MATERIAL_SOURCES = {
    "本人银行账户信息（社会保障卡金融账户或银行卡）": (BANK,),
}
# A material of a licence type is answered by that e-licence in the wallet; these types also
# by the verified identity (the card's name and number are what level 2 matched).
LICENCE_ALSO = {"id_card": (IDENTITY,)}
SOURCE_KIND = {IDENTITY: "identity", BANK: "registry"}
LOCAL_PREFIX = "4414"                    # 梅州: the local household registration
MIN_LEVEL = 2
# An application of the matter in these states does not stand in the way of a new one.
ENDED = frozenset({"withdrawn", "lapsed"})


@dataclass(frozen=True)
class Offer:
    rule: str
    matter: str                          # the matter's catalogue name (any county's copy)
    reads: tuple[str, ...]


ELDERLY = Offer("elderly_allowance", rules.ELDERLY_MATTER,
                ("registry.birth", "registry.region", BANK, "applications"))
OFFERS = (ELDERLY,)
BY_MATTER = {o.matter: o for o in OFFERS}


def reason(code: str, zh: str, en: str, **details) -> dict:
    return {"code": code, "message": zh, "message_en": en, **details}


# ---- who qualifies ------------------------------------------------------------------------

def _elderly(facts: dict, today: date) -> list[dict]:
    out = []
    birth = facts.get("registry.birth")
    if birth:
        turns = rules.birthday(date.fromisoformat(birth), rules.ELDERLY_AGE)
        if today < turns:
            out.append(reason("under_age", f"户籍登记显示您将于{turns.isoformat()}年满80周岁",
                              f"The registry says you turn 80 on {turns.isoformat()}",
                              turns_80=turns.isoformat()))
    else:
        out.append(reason("no_birth", "户籍登记中没有您的出生日期",
                          "The registry holds no birth date for you"))
    if not str(facts.get("registry.region") or "").startswith(LOCAL_PREFIX):
        out.append(reason("not_local", "高龄老人津贴需本地户籍",
                          "The allowance needs a household registration in Meizhou"))
    return out


QUALIFIES = {ELDERLY.rule: _elderly}
SAYS = {ELDERLY.rule: ("因为您已年满80周岁，社会保障卡已绑定银行账户，无需填写任何内容，"
                       "确认后即为您申领高龄老人津贴，按月发放到该账户",
                       "Because you are 80 or older and your social security card has a bank "
                       "account: nothing to fill in, confirm and the allowance is claimed for "
                       "you, paid monthly into that account")}


def held_sources(facts: dict) -> set[str]:
    """The sources the hall holds for this person."""
    held = {WALLET + t for t in facts.get("wallet", {})}
    if facts.get("level", 0) >= MIN_LEVEL:
        held.add(IDENTITY)
    if facts.get("registry.ssc_bank"):
        held.add(BANK)
    return held


def answered(matter: dict, held: set[str]) -> tuple[dict, dict, list[str]]:
    """(field -> source, material -> source, what no held source answers) for `matter`:
    every form field, every required material."""
    fields, materials, missing = {}, {}, []
    for f in matter.get("form_fields", []):
        source = FIELD_SOURCES.get(f["name"])
        if source in held:
            fields[f["name"]] = source
        else:
            missing.append(f"form.{f['name']}")
    for m in matter.get("materials", []):
        if not m.get("required", True):
            continue
        options = list(MATERIAL_SOURCES.get(m["name"], ()))
        if m.get("licence_type"):
            options = [WALLET + m["licence_type"], *LICENCE_ALSO.get(m["licence_type"], ()),
                       *options]
        source = next((s for s in options if s in held), None)
        if source:
            materials[m["name"]] = source
        else:
            missing.append(f"materials.{m['name']}")
    return fields, materials, missing


def standing(facts: dict, matter_name: str) -> list[dict]:
    """The person's applications of this matter (any county's copy) that are not ended."""
    return [a for a in facts.get("applications", ())
            if a["matter_name"] == matter_name and a["status"] not in ENDED]


def judge(offer: Offer, matter: dict, facts: dict, today: date) -> list[dict]:
    """Why `matter` (the person's copy of the offer's matter) cannot be filed for them now:
    empty when it can."""
    if facts.get("kind", "person") != "person":
        return [reason("not_a_person", "免申即享只面向个人",
                       "Granted-without-applying benefits are for persons")]
    if facts.get("level", 0) < MIN_LEVEL:
        return [reason("not_verified", "您的实名信息尚未通过户籍核验",
                       "Your identity has not been verified against the registry",
                       level=facts.get("level", 0))]
    if not facts.get("registry"):
        return [reason("not_in_registry", "户籍登记中没有您的记录",
                       "The registry holds no record of you")]
    out = QUALIFIES[offer.rule](facts, today)
    apps = standing(facts, offer.matter)
    if offer.matter in facts.get("done", ()) and not any(a["status"] == "approved"
                                                         for a in apps):
        out.append(reason("already_granted", "您已办结过该事项",
                          "You have already been granted it"))
    for app in apps:
        granted = app["status"] == "approved"
        out.append(reason("already_granted" if granted else "already_applied",
                          f"您已有该事项的申请（{app['id']}，{app['status']}）",
                          f"You already have an application for it ({app['id']}, "
                          f"{app['status']})", application=app["id"], status=app["status"]))
    if not facts.get("registry.ssc_bank"):
        out.append(reason("no_bank_account", "户籍登记中没有您社会保障卡的银行账户",
                          "The registry holds no bank account of your social security card"))
    # what else is unanswered (the bank account's absence is said above)
    missing = answered(matter, held_sources(facts) | {BANK})[2]
    if missing:
        out.append(reason("not_answered", "有需要您本人填写或上传的内容，请正常申请",
                          "Something needs your own input: apply as usual", missing=missing))
    return out


# ---- what the page shows --------------------------------------------------------------------

def shown(offer: Offer, matter: dict, facts: dict, values: dict, department: dict) -> dict:
    """The offer as the page shows it: what will be filed, with masked values (`values`:
    field name -> its mask), and where each material comes from."""
    fields, materials, _ = answered(matter, held_sources(facts))
    zh, en = SAYS[offer.rule]
    rows = [{"name": f["name"], "label": f.get("label", f["name"]),
             "label_en": f.get("label_en") or f.get("label", f["name"]),
             "value": values.get(f["name"]), "source": SOURCE_KIND[fields[f["name"]]]}
            for f in matter.get("form_fields", [])]
    mats = []
    for m in matter.get("materials", []):
        if m["name"] not in materials:
            continue
        source = materials[m["name"]]
        row = {"name": m["name"], "name_en": m.get("name_en") or m["name"],
               "source": SOURCE_KIND.get(source, "wallet")}
        if source.startswith(WALLET):
            row["licence_id"] = facts["wallet"][source[len(WALLET):]]
        mats.append(row)
    return {"code": matter["code"], "name": matter["name"],
            "name_en": matter.get("name_en") or matter["name"], "rule": offer.rule,
            "reason": zh, "reason_en": en, "reads": list(offer.reads),
            "department": department, "fields": rows, "materials": mats}
