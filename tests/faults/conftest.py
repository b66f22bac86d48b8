"""Fixtures of the fault-injection tests: the injector wired into the hall's clients, a
scratch table for direct store calls, and the API sweeps (once per session: both modules
read them)."""
from __future__ import annotations

import contextlib

import pytest

from tests.faults.inject import Injector


@contextlib.contextmanager
def injecting(settings):
    """An injector hooked into every client functions/core/aws.py hands out, for the block."""
    mp = pytest.MonkeyPatch()
    inj = Injector(settings)
    inj.install(mp)
    try:
        yield inj
    finally:
        inj.disarm()
        mp.undo()


@pytest.fixture(scope="module")
def injector(settings):
    with injecting(settings) as inj:
        yield inj


@pytest.fixture(scope="session")
def api_sweeps(app, settings, token):
    """{operation: Outcome}: every operation of api_scenarios swept at each storage call."""
    from tests.faults.api_scenarios import SCENARIOS, make_world, sweep_one

    world = make_world(app, settings, token)
    client = app.test_client()
    with injecting(settings) as inj:
        return {name: sweep_one(client, settings, world, inj, name) for name in SCENARIOS}


@pytest.fixture(scope="module")
def scratch(settings):
    """Settings naming a table, buckets and a queue of this directory's own (same schema as
    the hall's), so store functions called directly with made-up records write nothing any
    other test reads."""
    import dataclasses
    import uuid

    import boto3

    name = f"faults-{uuid.uuid4().hex[:8]}"
    ddb = boto3.client("dynamodb", region_name=settings.region,
                       endpoint_url=settings.aws_endpoint_url)
    main = ddb.describe_table(TableName=settings.table_name)["Table"]
    ddb.create_table(
        TableName=name, KeySchema=main["KeySchema"],
        AttributeDefinitions=main["AttributeDefinitions"], BillingMode="PAY_PER_REQUEST",
        GlobalSecondaryIndexes=[{"IndexName": g["IndexName"], "KeySchema": g["KeySchema"],
                                 "Projection": g["Projection"]}
                                for g in main.get("GlobalSecondaryIndexes", [])])
    s3 = boto3.client("s3", region_name=settings.region, endpoint_url=settings.aws_endpoint_url)
    s3.create_bucket(Bucket=name, CreateBucketConfiguration={
        "LocationConstraint": settings.region})
    sqs = boto3.client("sqs", region_name=settings.region,
                       endpoint_url=settings.aws_endpoint_url)
    queue = sqs.create_queue(QueueName=name)["QueueUrl"]
    yield dataclasses.replace(settings, table_name=name, catalogue_bucket=name,
                              materials_bucket=name, exports_bucket=name, queue_url=queue)
    ddb.delete_table(TableName=name)
    sqs.delete_queue(QueueUrl=queue)
