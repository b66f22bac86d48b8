"""The queue worker under storage faults: a job whose storage call fails is reported back as
a failed record (SQS hands it out again; never acknowledged), its writes are not half done,
and running it again after the fault leaves what one clean run leaves (nothing doubled)."""
from __future__ import annotations

import json

import pytest

from functions import workers
from tests.faults.sweep import run_sweep


def _record(body: dict, n: int) -> dict:
    return {"messageId": f"flt-1990310-{n}", "receiptHandle": f"rh-{n}",
            "body": json.dumps(body), "attributes": {"ApproximateReceiveCount": "1"}}


def _judge(fault, result, call=None):
    failed = [f["itemIdentifier"] for f in result["out"]["batchItemFailures"]]
    if fault is None:
        return None if not failed else f"clean run failed: {failed}"
    if fault.kind == "condition":
        return None   # the job's own answer to a record that moved meanwhile
    return None if failed == [result["id"]] else f"acknowledged under {fault}: {result['out']}"


@pytest.fixture
def configured(settings):
    workers.configure(settings)
    yield
    workers.configure(None)


JOBS = {
    # Every provisional application's deadlines counted again: reads the schedules and the
    # applications, saves those whose deadlines moved (each conditional on its status).
    "intake.recompute_deadlines": {"job": "intake.recompute_deadlines"},
}


@pytest.mark.parametrize("job", sorted(JOBS))
def test_a_job_that_meets_a_fault_comes_back(settings, injector, configured, job):
    runs = iter(range(10_000))

    def act():
        record = _record(JOBS[job], next(runs))
        return {"id": record["messageId"], "out": workers.handle_queue({"Records": [record]})}

    got = run_sweep(injector, job, act, _judge)
    assert got.cases > 0 and not got.problems, got.problems
