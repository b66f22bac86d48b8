"""好差评 without login and in public: a counter application is rated with its receipt's query
code (a wrong code is a 404, rate-limited); a matter's and a department's ratings are public
with counts, the satisfaction rate and comments masked of the applicant's name, ID and phone;
an upheld appeal takes a rating out of all of it; the month's summary comes from counters in
a bounded number of reads; the rating's process event is in its transaction."""
from __future__ import annotations

from datetime import datetime

from functions.core import aws, clock
from functions.intake import service as intake
from functions.supervision import exports_model, exports_store, ratings_service
from tests.helpers import ok
from tests.intake.factories import CARD, CARD_FORM, NUMBERS, officer
from tests.supervision.rating_factories import (
    OFFICER,
    PUBLIC,
    RATE,
    SUPERVISION,
    applicant,
    completed,
    headers,
)

MATTER = {"matter": CARD}
DEPT = {"department": "RSJ", "region": "441400"}


def _counter_app(settings, who) -> dict:
    rsj = officer("RSJ")
    phone = NUMBERS[who.subject]["phone"]
    app = intake.counter_intake(settings, rsj, matter_code=CARD, applicant_phone=phone,
                                form=CARD_FORM, now=clock.now())
    intake.act(settings, rsj, app["id"], action="accept", now=clock.now())
    return intake.act(settings, rsj, app["id"], action="approve", now=clock.now())


def _public_rate(client, status=201, ip="10.24.0.1", **body):
    return ok(client.post(PUBLIC, json={"level": 5, "tags": [], "comment": "", **body},
                          environ_base={"REMOTE_ADDR": ip}), status)


def _public(client, **params) -> dict:
    return ok(client.get(PUBLIC, query_string={"limit": 100, **params}))


def test_a_counter_application_is_rated_with_its_query_code(client, settings):
    who = applicant(settings)
    app = _counter_app(settings, who)
    code = app["receipt"]["query_code"]
    wrong = "A" * 8 if code != "A" * 8 else "B" * 8
    refused = _public_rate(client, 404, application=app["id"], query_code=wrong)["error"]
    unknown = _public_rate(client, 404, application="MZ20990101999999", query_code=code)["error"]
    assert refused["message"] == unknown["message"]
    got = _public_rate(client, application=app["id"], query_code=code, level=4,
                       tags=["courteous"])
    assert (got["level"], got["state"]) == (4, "rated")
    _public_rate(client, 409, application=app["id"], query_code=code)
    # The same rating the applicant sees once logged in.
    event = next(ev for hour in {exports_model.hour_of(got["rated_at"])}
                 for _, ev in exports_store.hour_events(settings, hour)
                 if ev.get("rating") == got["id"])
    assert (event["kind"], event["level"], event["channel"]) == ("rating", 4, "counter")
    assert "comment" not in event and event["applicant"] != app["owner"]


def test_query_code_ratings_are_rate_limited_per_address(client, settings):
    for _ in range(20):
        _public_rate(client, 404, ip="10.24.9.9", application="MZ20990101999998",
                     query_code="ABCDEFGH")
    err = client.post(PUBLIC, json={"application": "MZ20990101999998", "query_code": "ABCDEFGH",
                                    "level": 5}, environ_base={"REMOTE_ADDR": "10.24.9.9"})
    assert err.status_code == 429 and err.headers["Retry-After"]


def test_public_ratings_mask_the_comment_and_count_the_levels(client, token, settings):
    before_m, before_d = _public(client, **MATTER), _public(client, **DEPT)
    who = applicant(settings)
    id_no, phone = NUMBERS[who.subject]["id_number"], NUMBERS[who.subject]["phone"]
    app = completed(settings, who)
    comment = f"我是李明，身份证{id_no}，电话{phone}，窗口让我补了指南外的材料。"
    ok(client.post(RATE.format(app["id"]), headers=headers(token, who), json={
        "level": 2, "tags": ["materials_outside_guide"], "comment": comment}), 201)
    for before, params in ((before_m, MATTER), (before_d, DEPT), (None, {"department": "RSJ"})):
        got = _public(client, **params)
        if before:
            assert got["count"] == before["count"] + 1
            assert got["by_level"]["2"] == before["by_level"]["2"] + 1
        assert 0 <= got["satisfaction"] <= 1
        mine = next(i for i in got["items"] if i["comment"].endswith("指南外的材料。"))
        text = mine["comment"]
        for private in (id_no, phone, "李明"):
            assert private not in text
        assert "李*" in text and phone[:3] + "****" + phone[-4:] in text
        assert set(mine) == {"level", "tags", "comment", "rated_at", "matter", "matter_name",
                             "department", "region"}
    # Neither no scope nor both.
    ok(client.get(PUBLIC), 400)
    ok(client.get(PUBLIC, query_string={**MATTER, "department": "RSJ"}), 400)


def test_an_upheld_appeal_takes_the_rating_out_of_every_public_figure(client, token, settings):
    who = applicant(settings)
    app = completed(settings, who)
    rsj = token("officer", department="RSJ", region="441400", subject="rating-pub-rsj")
    sup = token("supervisor", kind="supervisor", subject="rating-pub-sup")
    rating = ok(client.post(RATE.format(app["id"]), headers=headers(token, who), json={
        "level": 1, "tags": ["attitude"], "comment": "恶意刷差评一号"}), 201)
    with_it = _public(client, **MATTER)
    assert any(i["comment"] == "恶意刷差评一号" for i in with_it["items"])
    ok(client.post(f"{OFFICER}/{rating['id']}/appeal", headers=rsj,
                   json={"reason": "同一人反复刷差评"}))
    ok(client.post(f"{SUPERVISION}/{rating['id']}/appeal-decision", headers=sup,
                   json={"upheld": True, "note": "查实为恶意评价"}))
    without = _public(client, **MATTER)
    assert without["count"] == with_it["count"] - 1
    assert without["by_level"]["1"] == with_it["by_level"]["1"] - 1
    assert not any(i["comment"] == "恶意刷差评一号" for i in without["items"])
    month = ratings_service.month_summary(settings, rating["rated_at"][:7])
    assert month["count"] >= 0
    upheld = ok(client.get(SUPERVISION, headers=sup, query_string={"state": "upheld",
                                                                   "limit": 100}))["items"]
    assert rating["id"] in [r["id"] for r in upheld]


def _calls(settings, monkeypatch) -> list[str]:
    ddb = aws.client("dynamodb", settings)
    seen: list[str] = []
    for op in ("query", "get_item", "scan", "batch_get_item"):
        real = getattr(ddb, op)

        def spy(real=real, op=op, **kwargs):
            seen.append(op)
            return real(**kwargs)

        monkeypatch.setattr(ddb, op, spy)
    return seen


def test_the_month_summary_comes_from_counters_in_bounded_reads(settings, monkeypatch):
    month = "2031-04"
    at = datetime(2031, 4, 14, 10, 0, tzinfo=clock.CHINA)

    def rate(level: int):
        who = applicant(settings)
        app = completed(settings, who)
        ratings_service.rate(settings, who, app["id"], level=level, tags=[], comment="",
                             now=at)

    assert ratings_service.month_summary(settings, month)["satisfaction"] is None
    for level in (5, 3, 1):
        rate(level)
    seen = _calls(settings, monkeypatch)
    small = ratings_service.month_summary(settings, month)
    reads_small = list(seen)
    monkeypatch.undo()
    assert (small["count"], small["by_level"]) == (3, {"5": 1, "4": 0, "3": 1, "2": 0, "1": 1})
    assert small["satisfaction"] == round(2 / 3, 4)
    assert small["by_department"]["RSJ"]["count"] == 3
    assert small["by_county"]["441400"]["count"] == 3
    for level in (4, 4, 2, 5, 5, 5):
        rate(level)
    seen = _calls(settings, monkeypatch)
    big = ratings_service.month_summary(settings, month)
    assert big["count"] == 9 and big["by_level"]["5"] == 4
    assert seen == reads_small == ["query"]
