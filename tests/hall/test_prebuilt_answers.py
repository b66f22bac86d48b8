"""Public catalogue reads served from answers encoded once per catalogue version (routes
_prebuilt, service.answer): the same bytes as a fresh answer, gzip for a client that takes it,
nothing kept for bad input, a search or a caller's position, and a byte budget."""
from __future__ import annotations

import gzip
import json

import pytest

from functions.hall import service


@pytest.fixture
def answers(settings):
    """The current catalogue's kept answers, emptied (a cache: any test may refill it)."""
    cat = service.catalogue(settings)
    cat.answers.clear()
    cat.answer_bytes = 0
    return cat


def test_a_second_read_is_the_kept_answer_without_building_it(client, answers, monkeypatch):
    first = client.get("/api/v1/themes?audience=enterprise&region=441427")
    assert first.status_code == 200
    assert len(answers.answers) == 1

    def boom(*_a, **_k):
        raise AssertionError("built again")

    monkeypatch.setattr(service, "themes", boom)
    again = client.get("/api/v1/themes?audience=enterprise&region=441427")
    assert again.status_code == 200 and again.data == first.data
    assert again.headers["Cache-Control"] == "public, max-age=60"
    body = again.get_json()
    assert body["audience"] == "enterprise" and body["items"]
    assert all(t["audience"] == "enterprise" for t in body["items"])


def test_the_kept_answer_equals_a_fresh_one(client, answers, settings):
    kept = client.get("/api/v1/hot-services?audience=person").get_json()
    fresh = {"items": service.hot_services(settings, "person", None)}
    assert kept == json.loads(json.dumps(fresh))
    guide = client.get("/api/v1/matters/441400-GJJ-0001").get_json()
    assert guide == json.loads(json.dumps(service.matter(settings, "441400-GJJ-0001")))


def test_gzip_for_a_client_that_takes_it(app, client, answers):
    plain = client.get("/api/v1/hot-services")
    assert "Content-Encoding" not in plain.headers
    # Dispatched in a request context: the suite's privacy scan reads text, not gzip.
    with app.test_request_context("/api/v1/hot-services",
                                  headers={"Accept-Encoding": "gzip, br"}):
        packed = app.full_dispatch_request()
    assert packed.status_code == 200
    assert packed.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed.headers["Vary"]
    assert packed.headers["Cache-Control"] == "public, max-age=60"
    assert gzip.decompress(packed.get_data()) == plain.data
    assert len(packed.get_data()) < len(plain.data) / 3


@pytest.mark.parametrize("path", ["/api/v1/themes?audience=martian",
                                  "/api/v1/themes?audience=person&extra=1",
                                  "/api/v1/matters/441400-XXX-9999",
                                  "/api/v1/hot-services?region=999999"])
def test_bad_input_is_refused_and_keeps_nothing(client, answers, path):
    resp = client.get(path)
    assert resp.status_code in (400, 404)
    assert resp.get_json()["error"]
    assert answers.answers == {} and answers.answer_bytes == 0


def test_searches_and_a_callers_position_are_answered_afresh(client, answers):
    assert client.get("/api/v1/matters?q=公积金").status_code == 200
    near = client.get("/api/v1/matters/441400-GJJ-0001?near=24.29,116.12")
    assert near.status_code == 200 and near.get_json()["service_points"]
    assert answers.answers == {}
    listing = client.get("/api/v1/matters?theme=P01&limit=5")
    assert listing.status_code == 200
    assert list(answers.answers) == [("/api/v1/matters", b"theme=P01&limit=5")]


def test_past_the_byte_budget_nothing_more_is_kept(client, answers, monkeypatch):
    first = client.get("/api/v1/scenarios").data
    assert len(answers.answers) == 1
    monkeypatch.setattr(service, "ANSWERS_BYTES", answers.answer_bytes)
    resp = client.get("/api/v1/scenarios?audience=person")
    assert resp.status_code == 200 and resp.get_json()["items"]
    assert len(answers.answers) == 1
    assert client.get("/api/v1/scenarios").data == first


def test_a_newer_snapshot_starts_with_no_answers(settings, answers):
    from functions.hall import model

    assert isinstance(answers, model.Catalogue)
    fresh = model.Catalogue({"version": "v-test", "published_at": "2031-01-01T00:00:00Z",
                             "matters": [], "service_points": [], "scenarios": []})
    assert fresh.answers == {} and fresh.answer_bytes == 0
