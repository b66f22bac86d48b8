"""Licences say what they license: every field of every licence type is filled on approval
from its issuing matters' forms (or the verified holder, what the ID number says, the approval
day), checked type by type against the seed's matters; the wallet and the public check show
the fields, the holder masked."""
from __future__ import annotations

import json
from datetime import date, datetime, time
from pathlib import Path

import pytest

from tests.helpers import ok
from tests.licences.factories import citizen_token, make_citizen, make_enterprise, staff

ROOT = Path(__file__).resolve().parents[2]
MATTERS = {m["code"]: m for m in json.loads(
    (ROOT / "infra" / "seed" / "matters.json").read_text(encoding="utf-8"))}
DAY = date(2026, 6, 1)


def _types() -> dict:
    from functions.licences import model

    return model.licence_types()


ISSUED = sorted(code for code, t in _types().items() if t["issued_by_matters"])


def sample_form(matter: dict) -> dict:
    """A complete form of the matter, every value telling which field it came from."""
    from functions.identity import cn_ids

    out = {}
    for f in matter.get("form_fields", []):
        kind = f["type"]
        if kind == "select":
            out[f["name"]] = f["options"][-1]
        elif kind == "number":
            out[f["name"]] = 120
        elif kind == "date":
            out[f["name"]] = "2026-05-20"
        elif kind == "id_number":
            out[f["name"]] = cn_ids.make_id_number("441402", date(1950, 1, 1), 17)
        elif kind == "phone":
            out[f["name"]] = "19900550999"
        else:
            out[f["name"]] = f"填写的{f['name']}"
    return out


def available(source: str, holder: str, form: dict) -> bool:
    """Whether a source can give a value for this holder kind and form (the test's own
    reading of the sources, so a source the model ignores shows up as a failure)."""
    scope, _, name = source.partition(".")
    if scope == "holder":
        return name in {"person": {"holder_name", "id_number"},
                        "enterprise": {"holder_name", "uscc", "legal_rep"}}[holder]
    if scope == "id":
        return holder == "person" and name in {"gender", "birth_date"}
    if scope == "form":
        return any(part in form for part in name.split("+"))
    return source == "approval.date"


@pytest.mark.parametrize("code", ISSUED)
def test_every_field_of_the_type_has_a_source_in_its_issuing_matters(code):
    from functions.licences import model

    t = _types()[code]
    forms = {m: {f["name"] for f in MATTERS[m]["form_fields"]} for m in t["issued_by_matters"]}
    for matter in forms:
        # the holder the matter serves is the holder the type has
        assert t["holder"] in MATTERS[matter]["audiences"], (code, matter)
    for f in t["fields"]:
        assert f.get("from"), (code, f["name"])  # nothing an approval could not fill
        if f["name"] in model.IDENTITY_FIELDS[t["holder"]]:
            # a form can never set the holder's name or number
            assert all(s.startswith("holder.") for s in f["from"]), (code, f["name"])
        filled_in = [m for m, names in forms.items()
                     if any(available(s, t["holder"], names) for s in f["from"])]
        if f.get("optional"):
            assert filled_in, (code, f["name"], "no issuing form has it")
        else:
            assert filled_in == list(forms), (code, f["name"], set(forms) - set(filled_in))
    # every form field a type names exists in at least one of its issuing matters' forms
    assert model.form_sources(t) <= set().union(*forms.values()), code


@pytest.fixture(scope="module")
def holders(settings):
    rep = make_citizen(settings, "黄晓峰")
    return {"person": rep, "enterprise": make_enterprise(settings, rep)}


def _issue(settings, code: str, matter: str, holders: dict, n: int) -> tuple[list, list, dict]:
    from functions.licences import service

    t = _types()[code]
    owner = holders[t["holder"]]["id" if t["holder"] == "person" else "uscc"]
    app = {"id": f"MZ20260601{n:06d}", "owner": f"{t['holder']}:{owner}", "matter": matter,
           "region": MATTERS[matter]["region"], "form": sample_form(MATTERS[matter])}
    from functions.core import clock

    now = datetime.combine(DAY, time(10, 0), clock.CHINA)
    items, ids = service.issue_for_approval(
        settings, staff(t["issuer_department"], MATTERS[matter]["region"]), app, now=now)
    return items, ids, app


@pytest.mark.parametrize("code", ISSUED)
def test_an_approval_of_each_issuing_matter_fills_every_field(settings, holders, code):
    from functions.licences import model
    from functions.licences import store as licence_store

    t = _types()[code]
    rep = holders["person"]
    for n, matter in enumerate(t["issued_by_matters"]):
        items, ids, app = _issue(settings, code, matter, holders, 100 * ISSUED.index(code) + n)
        assert len(ids) == len(model.types_issued_by(matter)) >= 1
        lid = ids[model.types_issued_by(matter).index(code)]
        put = next(i["Put"]["Item"] for i in items
                   if "Put" in i and i["Put"]["Item"]["pk"]["S"] == f"LICENCE#{lid}")
        payload = json.loads(put["signed"]["S"])
        got = payload["fields"]
        form = app["form"]
        for f in t["fields"]:
            usable = [s for s in f["from"] if available(s, t["holder"], form)]
            if not usable:
                assert f.get("optional") and f["name"] not in got, (code, matter, f["name"])
                continue
            assert got.get(f["name"]), (code, matter, f["name"])
            source = usable[0]
            if source.startswith("form."):
                parts = [str(form[p]) for p in source[5:].split("+") if p in form]
                assert got[f["name"]] == model.mask_value(f.get("mask"), " ".join(parts)), \
                    (code, matter, f["name"])
        if "registered_on" in got or "established" in got:
            assert DAY.isoformat() in (got.get("registered_on"), got.get("established"))
        if t["holder"] == "person":
            assert got["holder_name"] == "黄晓峰"
            if "birth_date" in got and code != "birth_cert":
                assert got["birth_date"] == "1988-08-08"  # from the verified ID number
                assert got["gender"] in ("男", "女")
        else:
            assert got["uscc"] == holders["enterprise"]["uscc"]
            assert got["holder_name"] == holders["enterprise"]["name"]
            if "legal_rep" in got:
                assert got["legal_rep"] == rep["name"]  # the registered legal representative
        assert licence_store.get_licence(settings, lid) is None  # written by the approval


def test_the_food_licence_names_its_premises_and_items_in_the_wallet_and_the_public_check(
        client, token, settings, holders):
    """The issue's example: an approved 食品经营许可 carries the premises and business items
    the form gave, not just the name and credit code."""
    from functions.core import aws

    matter = "441400-SCJGJ-0018"
    items, ids, app = _issue(settings, "food_licence", matter, holders, 999001)
    aws.client("dynamodb", settings).transact_write_items(TransactItems=items)
    rep, ent = holders["person"], holders["enterprise"]
    acting = citizen_token(token, rep, act={"kind": "enterprise", "id": ent["uscc"],
                                            "role": "legal_rep"})
    full = ok(client.get(f"/api/v1/wallet/{ids[0]}", headers=acting))
    rows = {r["name"]: r for r in full["fields"]}
    assert rows["premises"]["value"] == app["form"]["premises_address"]
    assert rows["business_items"]["value"] == app["form"]["category"]
    assert rows["operator_type"]["value"] == app["form"]["subject"]
    assert rows["legal_rep"]["value"] == rep["name"]
    assert rows["premises"]["label"] == "经营场所" and rows["premises"]["label_en"] == "Premises"
    public = {r["name"]: r["value"] for r in
              ok(client.get(f"/api/v1/verify/{ids[0]}"))["fields"]}
    assert public["premises"] == app["form"]["premises_address"]
    assert public["holder_name"] == ent["name"]  # a company's name is public


def test_a_person_s_licence_shows_its_fields_with_the_holder_masked(
        client, token, settings, holders):
    from functions.core import aws

    items, ids, app = _issue(settings, "residence_permit", "441400-GAJ-0011", holders, 999002)
    aws.client("dynamodb", settings).transact_write_items(TransactItems=items)
    rep = holders["person"]
    mine = {r["name"]: r["value"] for r in ok(client.get(
        f"/api/v1/wallet/{ids[0]}", headers=citizen_token(token, rep)))["fields"]}
    assert mine["holder_name"] == "黄晓峰" and mine["address"].endswith("****")
    resp = client.get(f"/api/v1/verify/{ids[0]}")
    public = {r["name"]: r["value"] for r in ok(resp)["fields"]}
    assert public == {"holder_name": "黄*峰", "address": mine["address"]}
    assert rep["id_number"][-4:] not in resp.get_data(as_text=True)


# ---- the demo company holds its business licence ---------------------------------------------

DEMO_USCC = "91441402MA0MT2NFX4"      # the README's 梅州市示范科技有限公司
DEMO_MATTER = "441402-SWJ-0004"       # 新办纳税人涉税事项套餐 (梅江区): takes a business licence


def test_the_demo_company_holds_its_business_licence_for_the_reuse(settings):
    """Seeded with the stack (identity's seed_demo), once, from the base registry."""
    from functions.core import clock
    from functions.licences import model, service
    from functions.licences import store as licence_store
    from infra import local

    held = licence_store.wallet(settings, "enterprise", DEMO_USCC)
    assert [w["payload"]["type"] for w in held] == ["business_licence"]
    licence = licence_store.get_licence(settings, held[0]["payload"]["id"])
    fields = licence["payload"]["fields"]
    assert fields["holder_name"] == "梅州市示范科技有限公司" and fields["uscc"] == DEMO_USCC
    assert fields["legal_rep"] == "张三丰"  # the registry's legal representative
    assert set(fields) == {f["name"] for f in model.licence_type("business_licence")["fields"]}
    assert licence["payload"]["issuer"]["name"] == "梅江区市场监督管理局"
    # the matter the README names offers it: it takes a business licence for a material
    matter = MATTERS[DEMO_MATTER]
    assert "business_licence" in model.used_by(matter) and "enterprise" in matter["audiences"]
    assert {r["name"] for r in model.preview(licence, matter)} >= {"holder_name", "uscc"}
    # seeding again issues nothing new
    assert service.seed(settings, local.SEED / "licences.json", now=clock.now()) == 0
    assert [w["payload"]["id"] for w in licence_store.wallet(settings, "enterprise", DEMO_USCC)] \
        == [licence["id"]]
