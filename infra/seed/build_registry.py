"""Deterministic generator of the SYNTHETIC base registry: people and legal persons of Meizhou.

The plan's real-name population database and legal-person database are stand-ins here: every
name, ID number, phone and credit code below is made up by random.Random(2017) and the
generators in functions/identity/cn_ids.py. The numbers pass the GB 11643 / GB 32100 checks so
the code paths are the real ones, but none of them belongs to anyone on purpose.

Writes infra/seed/registry.json:

  {"persons": [{"id_number", "name", "phone", "birth", "region", "sex", "employment",
                "ssc_bank_account"}, ...],
   "organisations": [{"uscc", "name", "legal_rep_id_number", "legal_rep_name", "county",
                      "industry", "size", "founded", "individual_business", "status"}, ...]}

- persons: ~300, ages 0-95 on REFERENCE_DAY, living in Meizhou's eight counties (`region`, a
  county code). The ID number's own region is where it was issued, so it sometimes differs:
  older 梅县区 residents keep 441421 (梅县 before it became a district in 2013) and some people
  moved in from elsewhere. `phone` is null for children under 14: a guardian acts for them.
- `sex` is the ID number's (17th digit); `employment` (adults under 70 with a post) is
  cadre | worker | null: women's original retirement age depends on it (管理和专业技术岗位 55,
  otherwise 50); `ssc_bank_account` is the bank account the social security card is linked to
  (adults), where a benefit granted without applying (免申即享) is paid. These three are drawn
  from a random.Random of their own per person, so adding them moved no other field.
- organisations: ~120; about a third are 个体工商户 (credit code 92…, `individual_business`),
  a few 农民专业合作社 (93…), the rest companies (91…). `industry` is a GB/T 4754-2017 section
  name, `size` micro | small | medium | large, `founded` an ISO date (some within the 30 days
  before REFERENCE_DAY, for the "newly registered enterprise" pushes). Every legal
  representative is a person of the registry who was 18 or over on `founded`.
- The first person and the first organisation are the fixed demo identities used by the README
  and the tests: 张三丰 (DEMO_PERSON) and 梅州市示范科技有限公司 (DEMO_ORGANISATION), whose legal
  representative he is.

Run from anywhere:  python infra/seed/build_registry.py
"""
from __future__ import annotations

import json
import os
import random
import sys
from datetime import date, timedelta

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

from functions.identity.cn_ids import (  # noqa: E402  (the repo root is put on the path above)
    make_id_number,
    make_uscc,
    sex_of,
    validate_id_number,
    validate_phone,
    validate_uscc,
)

OUT = os.path.join(HERE, "registry.json")
SEED = 2017
REFERENCE_DAY = date(2026, 11, 26)
PERSONS = 300
ORGANISATIONS = 120
MINOR_WITHOUT_PHONE = 14

DEMO_PERSON = {
    "id_number": make_id_number("441402", date(1970, 5, 6), 135),  # 441402197005061355
    "name": "张三丰",
    "phone": "13800138000",
    "birth": "1970-05-06",
    "region": "441402",
}
DEMO_ORG_SEQ = 20171126
DEMO_ORGANISATION = {
    "uscc": make_uscc("9", "1", "441402", DEMO_ORG_SEQ),
    "name": "梅州市示范科技有限公司",
    "legal_rep_id_number": DEMO_PERSON["id_number"],
    "legal_rep_name": DEMO_PERSON["name"],
    "county": "441402",
    "industry": "信息传输、软件和信息技术服务业",
    "size": "small",
    "founded": "2018-03-15",
    "individual_business": False,
    "status": "active",
}

# County -> (name, relative weight): roughly the counties' resident populations.
COUNTIES = {
    "441402": ("梅江区", 40), "441403": ("梅县区", 55), "441481": ("兴宁市", 95),
    "441424": ("五华县", 90), "441423": ("丰顺县", 50), "441422": ("大埔县", 35),
    "441426": ("平远县", 20), "441427": ("蕉岭县", 20),
}
OLD_MEIXIAN = "441421"  # 梅县's code until 2013; numbers issued before then keep it
ELSEWHERE = ["440106", "440304", "440305", "441302", "441602", "445102", "445202", "440513",
             "350802", "360702", "430104", "450102"]

# Hakka surnames, most common first (weights follow their rough frequency in Meizhou).
SURNAMES = [("李", 9), ("陈", 8), ("张", 7), ("黄", 7), ("刘", 6), ("罗", 6), ("钟", 6), ("曾", 5),
            ("古", 4), ("廖", 5), ("温", 4), ("叶", 4), ("邱", 4), ("丘", 2), ("谢", 4), ("杨", 4),
            ("林", 4), ("朱", 3), ("何", 3), ("徐", 3), ("赖", 3), ("侯", 2), ("饶", 2), ("彭", 2),
            ("池", 1), ("黎", 2), ("卜", 1), ("萧", 2), ("宋", 2), ("梁", 2)]
MALE_CHARS = "伟强军华明辉东建国志文平杰俊浩宇轩豪锦荣添福贵德胜海林永发成光日新"
FEMALE_CHARS = "芳丽敏静燕玲娟霞婷秀梅兰萍欣怡雨涵诗琳慧娇凤春月桂英雪晓佳"
SHARED_CHARS = "嘉子思安一家晨"

INDUSTRIES = {
    "农、林、牧、渔业": (["农业发展", "生态农业", "茶业", "金柚种植"], ["金柚种植场", "茶园"]),
    "制造业": (["食品", "电子科技", "陶瓷", "五金制品", "纺织", "酒业"], ["娘酒坊", "豆腐坊"]),
    "建筑业": (["建筑工程", "装饰工程"], ["装修队"]),
    "批发和零售业": (["贸易", "商贸", "百货"], ["百货商店", "水果店", "烟酒商行", "副食店"]),
    "交通运输、仓储和邮政业": (["物流", "运输"], ["货运部"]),
    "住宿和餐饮业": (["餐饮管理", "酒店管理"], ["客家小吃店", "腌面店", "酿豆腐店", "饭店"]),
    "信息传输、软件和信息技术服务业": (["信息技术", "网络科技", "软件"], ["电脑维修部"]),
    "租赁和商务服务业": (["商务咨询", "企业管理咨询"], ["打字复印店"]),
    "居民服务、修理和其他服务业": (["家政服务", "汽车服务"], ["理发店", "摩托车修理店", "洗衣店"]),
    "文化、体育和娱乐业": (["文化传播", "旅游开发"], ["山歌茶馆"]),
}
TRADE_NAMES = [
    "嘉应", "客都", "金柚", "梅兴", "粤东", "宏达", "恒昌", "兴旺", "华盛", "永安", "鸿运", "丰源",
    "汇通", "盛世", "锦绣", "雁洋", "阴那", "松口", "程江", "梅花", "围龙", "万福", "瑞丰", "联兴",
    "广业", "众信", "德润", "新宇", "长乐", "齐昌", "茶阳", "韩江", "琴江", "明山", "五指", "叶塘",
    "石扇", "新铺", "三河", "汤坑", "丙村", "南口", "畲江", "龙文", "水寨", "坪石",
]
SIZES = [("micro", 55), ("small", 30), ("medium", 12), ("large", 3)]
MOBILE_PREFIXES = [
    "134", "135", "136", "137", "138", "139", "147", "150", "151", "152", "157", "158", "159",
    "172", "178", "182", "183", "184", "187", "188", "198", "130", "131", "132", "155", "156",
    "166", "175", "176", "185", "186", "133", "153", "173", "177", "180", "181", "189", "191",
    "199",
]


def pick(rng: random.Random, weighted) -> str:
    items, weights = zip(*weighted, strict=True)
    return rng.choices(items, weights=weights)[0]


def plus_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a common year
        return day.replace(year=day.year + years, day=28)


def random_day(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randint(0, (end - start).days))


def given_name(rng: random.Random, male: bool) -> str:
    pool = (MALE_CHARS if male else FEMALE_CHARS) + SHARED_CHARS
    return "".join(rng.choice(pool) for _ in range(rng.choice((1, 2, 2, 2))))


def build_persons(rng: random.Random) -> list[dict]:
    persons = [DEMO_PERSON]
    ids, phones = {DEMO_PERSON["id_number"]}, {DEMO_PERSON["phone"]}
    counties = [(code, weight) for code, (_, weight) in COUNTIES.items()]
    while len(persons) < PERSONS:
        county = pick(rng, counties)
        birth = REFERENCE_DAY - timedelta(days=rng.randint(0, 95 * 365 + 23))
        issued_in = county
        if county == "441403" and birth.year < 2013 and rng.random() < 0.5:
            issued_in = OLD_MEIXIAN
        elif rng.random() < 0.08:
            issued_in = rng.choice(ELSEWHERE)
        male = rng.random() < 0.5
        seq = rng.randrange(0, 1000, 2) + (1 if male else 0)
        name = pick(rng, SURNAMES) + given_name(rng, male)
        number = make_id_number(issued_in, birth, seq)
        if number in ids or name == DEMO_PERSON["name"]:  # one 张三丰, so the demo is unambiguous
            continue
        phone = None
        if plus_years(birth, MINOR_WITHOUT_PHONE) <= REFERENCE_DAY:
            while phone is None or phone in phones:
                phone = rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10 ** 8):08d}"
            phones.add(phone)
        ids.add(number)
        persons.append({"id_number": number, "name": name, "phone": phone,
                        "birth": birth.isoformat(), "region": county})
    return persons


SSC_BANK_PREFIX = "622848"  # the card-number prefix the social security cards' bank uses here


def luhn_digit(body: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return str(-total % 10)


def with_social_facts(person: dict) -> dict:
    """The registry's sex, post kind and social security card bank account of a person."""
    rng = random.Random(f"{SEED}:{person['id_number']}")
    birth = date.fromisoformat(person["birth"])
    adult = plus_years(birth, 18) <= REFERENCE_DAY
    employment = None
    if adult and plus_years(birth, 70) > REFERENCE_DAY:
        employment = rng.choices(("cadre", "worker", None), weights=(25, 60, 15))[0]
    account = None
    if adult:
        body = SSC_BANK_PREFIX + f"{rng.randrange(10 ** 12):012d}"
        account = body + luhn_digit(body)
    return {**person, "sex": sex_of(person["id_number"]), "employment": employment,
            "ssc_bank_account": account}


def org_name(rng: random.Random, county: str, trade: str, industry: str, kind: str,
             rep_name: str) -> str:
    county_name = COUNTIES[county][0]
    company_words, shop_words = INDUSTRIES[industry]
    if kind == "individual":
        brand = rng.choice((trade, rep_name[0] + "记", "老" + rep_name[0]))
        return f"{county_name}{brand}{rng.choice(shop_words)}"
    if kind == "cooperative":
        return f"{county_name}{trade}{rng.choice(('金柚', '茶叶', '蔬菜', '生猪'))}专业合作社"
    if county in ("441402", "441403"):
        place = rng.choice(("梅州市", f"梅州市{county_name}"))
    else:
        place = rng.choice(("梅州市", county_name))
    return f"{place}{trade}{rng.choice(company_words)}有限公司"


def build_organisations(rng: random.Random, persons: list[dict]) -> list[dict]:
    organisations = [DEMO_ORGANISATION]
    names, seqs = {DEMO_ORGANISATION["name"]}, {DEMO_ORG_SEQ}
    # Adults on the reference day, so every legal representative can have founded something.
    adults = [p for p in persons[1:]
              if plus_years(date.fromisoformat(p["birth"]), 18) <= REFERENCE_DAY]
    industries = list(INDUSTRIES)
    recent_start = REFERENCE_DAY - timedelta(days=29)
    while len(organisations) < ORGANISATIONS:
        rep = rng.choice(adults)
        county = rep["region"] if rng.random() < 0.85 else rng.choice(list(COUNTIES))
        roll = rng.random()
        kind = "individual" if roll < 0.34 else "cooperative" if roll < 0.40 else "company"
        industry = "农、林、牧、渔业" if kind == "cooperative" else rng.choice(industries)
        earliest = max(plus_years(date.fromisoformat(rep["birth"]), 18), date(1995, 1, 1))
        if rng.random() < 0.12:
            earliest = max(earliest, recent_start)
        founded = random_day(rng, earliest, REFERENCE_DAY)
        name = org_name(rng, county, rng.choice(TRADE_NAMES), industry, kind, rep["name"])
        org_seq = rng.randrange(31 ** 6)
        if name in names or org_seq in seqs:
            continue
        org_type = {"company": "1", "individual": "2", "cooperative": "3"}[kind]
        size = ("micro" if kind == "individual"
                else pick(rng, SIZES[:2]) if kind == "cooperative" else pick(rng, SIZES))
        names.add(name)
        seqs.add(org_seq)
        organisations.append({
            "uscc": make_uscc("9", org_type, county, org_seq),
            "name": name,
            "legal_rep_id_number": rep["id_number"],
            "legal_rep_name": rep["name"],
            "county": county,
            "industry": industry,
            "size": size,
            "founded": founded.isoformat(),
            "individual_business": kind == "individual",
            "status": "active",
        })
    return organisations


def check(registry: dict) -> None:
    """Fail the build rather than ship a record the identity code would refuse."""
    people = {p["id_number"]: p for p in registry["persons"]}
    assert len(people) == len(registry["persons"])
    for p in registry["persons"]:
        validate_id_number(p["id_number"], today=REFERENCE_DAY)
        assert p["phone"] is None or validate_phone(p["phone"]) == p["phone"]
        acct = p["ssc_bank_account"]
        assert acct is None or luhn_digit(acct[:-1]) == acct[-1]
    codes = [validate_uscc(o["uscc"]) for o in registry["organisations"]]
    assert len(set(codes)) == len(codes)
    for o in registry["organisations"]:
        rep = people[o["legal_rep_id_number"]]
        assert rep["name"] == o["legal_rep_name"]
        assert plus_years(date.fromisoformat(rep["birth"]), 18) <= date.fromisoformat(o["founded"])
        assert (o["uscc"][:2] == "92") == o["individual_business"]


def dump(path: str, registry: dict) -> None:
    # One record per line: the file stays short and a regenerated record shows as a one-line diff.
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("{\n")
        for i, key in enumerate(("persons", "organisations")):
            fh.write(f' "{key}": [\n')
            rows = [json.dumps(r, ensure_ascii=False) for r in registry[key]]
            fh.write(",\n".join(f"  {row}" for row in rows))
            fh.write("\n ]" + (",\n" if i == 0 else "\n"))
        fh.write("}\n")


def build() -> dict:
    rng = random.Random(SEED)
    persons = build_persons(rng)
    persons = [with_social_facts(p) for p in persons]
    registry = {"persons": persons, "organisations": build_organisations(rng, persons)}
    check(registry)
    return registry


def main() -> None:
    registry = build()
    dump(OUT, registry)
    orgs = registry["organisations"]
    print(f"{len(registry['persons'])} persons, {len(orgs)} organisations "
          f"({sum(o['individual_business'] for o in orgs)} individual businesses); "
          f"demo {DEMO_PERSON['id_number']} / {DEMO_ORGANISATION['uscc']}")


if __name__ == "__main__":
    main()
