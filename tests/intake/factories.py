"""Plain factories for the intake tests: people, officers, drafts with their materials."""
from __future__ import annotations

import itertools
import uuid
from datetime import date

import requests

from functions.core import aws, clock
from functions.core.auth import Principal
from tests.helpers import ok

CARD = "441400-RSJ-0015"        # 社会保障卡申领: public service, an id_card may replace a material
FOOD = "441400-SCJGJ-0018"      # 食品经营许可: licensing (real-name level 2)
DEATH = "441400-WJJ-0005"       # 死亡医学证明: issues a death certificate naming the deceased
REFUND = "441400-YBJ-0002"      # 生育医疗费用报销: a number field (amount)
# What the applicant types: the fields the verified identity answers (applicant_name,
# id_number, phone, certificate_number...) are filled by the server from the account.
CARD_FORM = {"bank_choice": "中国银行", "delivery": "免费邮寄"}
FOOD_FORM = {"premises_address": "梅江区江南路1号", "category": "预包装食品销售",
             "subject": "食品销售经营者"}
DECEASED_ID = "441402195001010172"   # a valid number (GB 11643 check digit)
# Each factory person's own numbers, by account id: what the server fills into their forms.
NUMBERS: dict[str, dict] = {}
_seq = itertools.count(1)


def person(settings, *, level: int = 2, phone: str | None = None) -> Principal:
    """A fresh citizen with a real account (licences are issued to it)."""
    from functions.identity import cn_ids
    from functions.identity.cli import create_staff

    n = next(_seq)
    id_number = cn_ids.make_id_number("441424", date(1985, 3, 3), 600 + n)
    phone = phone or f"1990088{n:04d}"
    account = create_staff(settings, kind="citizen", name="李明", id_number=id_number,
                           phone=phone, password="Meizhou-2026!", roles=[])
    NUMBERS[account["id"]] = {"name": "李明", "id_number": id_number, "phone": phone}
    return Principal(subject=account["id"], kind="citizen", level=level)


def numbers(who: Principal) -> tuple[str, str]:
    """The ID number and phone of a factory person (what the server fills in)."""
    got = NUMBERS[who.subject]
    return got["id_number"], got["phone"]


def officer(department: str, region: str = "441400") -> Principal:
    return Principal(subject=f"{department.lower()}-officer", kind="officer",
                     roles=frozenset({"officer"}), department=department, region=region)


def put_upload(settings, app_id: str, *, content: bytes = b"%PDF-1.4 test",
               ctype: str = "application/pdf") -> str:
    """A file as if uploaded through the presigned POST."""
    key = f"uploads/{app_id}/{uuid.uuid4().hex}"
    aws.client("s3", settings).put_object(Bucket=settings.materials_bucket, Key=key,
                                          Body=content, ContentType=ctype)
    return key


def drafted(settings, who, matter: str, form: dict) -> dict:
    """A draft with every material of the guide uploaded, through the service."""
    from functions.hall import store as hall_store
    from functions.intake import service

    app, _ = service.create(settings, who, matter_code=matter, form=form, idem_key=None,
                            now=clock.now())
    for m in hall_store.current_catalogue(settings).matters[matter]["materials"]:
        app = service.attach_material(settings, who, app["id"], material=m["name"],
                                      upload_key=put_upload(settings, app["id"]),
                                      now=clock.now())
    return app


def upload(client, headers, app_id, material, *, content=b"%PDF-1.4 test",
           ctype="application/pdf"):
    """Through the API and the presigned POST, as the PWA does."""
    grant = ok(client.post(f"/api/v1/applications/{app_id}/materials/uploads", headers=headers,
                           json={"material": material, "content_type": ctype,
                                 "size": len(content)}), 201)
    resp = requests.post(grant["url"], data=grant["fields"], files={"file": ("f", content)},
                         timeout=10)
    assert resp.status_code == 204, resp.text
    return grant["key"]


def filled(client, headers, matter, form):
    app = ok(client.post("/api/v1/applications", headers=headers,
                         json={"matter": matter, "form": form}), 201)
    guide = ok(client.get(f"/api/v1/matters/{matter}"))
    for m in guide["materials"]:
        key = upload(client, headers, app["id"], m["name"])
        ok(client.post(f"/api/v1/applications/{app['id']}/materials", headers=headers,
                       json={"material": m["name"], "upload_key": key}))
    return app


def raw_items(settings, app_id: str) -> list[dict]:
    """Every stored item of an application's partition, as DynamoDB holds it."""
    return aws.client("dynamodb", settings).query(
        TableName=settings.table_name, KeyConditionExpression="pk = :p",
        ExpressionAttributeValues={":p": {"S": f"APP#{app_id}"}}, ConsistentRead=True)["Items"]
