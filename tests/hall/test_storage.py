"""Warm reads make no storage calls; storage faults become 503 with Retry-After."""
from __future__ import annotations

import dataclasses

from functions.app import create_app
from functions.core import aws
from functions.hall import store
from tests.helpers import ok

WARM_READS = [
    "/api/v1/themes?audience=person",
    "/api/v1/themes?audience=enterprise",
    "/api/v1/matters?theme=P15&limit=5",
    "/api/v1/matters?q=gjj",
    "/api/v1/matters?q=社保&region=441403",
    "/api/v1/hot-services",
    "/api/v1/scenarios",
    "/api/v1/service-points?region=441402",
]


def count_calls(settings) -> list[str]:
    calls: list[str] = []
    for service in ("dynamodb", "s3", "sqs"):
        aws.client(service, settings).meta.events.register(
            "before-call", lambda model, **_: calls.append(model.name))
    return calls


def test_warm_reads_make_zero_storage_calls(client, settings):
    code = ok(client.get("/api/v1/matters?limit=1"))["items"][0]["code"]
    calls = count_calls(settings)
    for url in WARM_READS + [f"/api/v1/matters/{code}"]:
        ok(client.get(url))
    assert calls == []


def test_a_cold_instance_reads_the_pointer_and_one_snapshot(settings):
    store.forget_cache()
    calls = count_calls(settings)
    client = create_app(settings).test_client()
    ok(client.get("/api/v1/themes"))
    ok(client.get("/api/v1/matters?q=gjj"))
    assert calls == ["GetItem", "GetObject"]


def test_storage_unreachable_is_503_with_retry_after(settings):
    store.forget_cache()
    dead = dataclasses.replace(settings, aws_endpoint_url="http://127.0.0.1:9")
    resp = create_app(dead).test_client().get("/api/v1/themes")
    body = ok(resp, 503)
    assert body["error"]["code"] == "unavailable" and int(resp.headers["Retry-After"]) > 0


def test_storage_fault_during_refresh_keeps_serving_the_cached_catalogue(settings, monkeypatch):
    store.forget_cache()
    live = dataclasses.replace(settings, catalogue_refresh_seconds=0)
    client = create_app(live).test_client()
    version = ok(client.get("/api/v1/health"))["catalogue_version"]

    def throttled(_settings):
        from botocore.exceptions import ClientError

        raise ClientError({"Error": {"Code": "ProvisionedThroughputExceededException"}}, "GetItem")

    monkeypatch.setattr(store, "pointer", throttled)
    assert ok(client.get("/api/v1/health"))["catalogue_version"] == version
