"""The API under storage faults: each operation is run once per storage call it makes, with a
fault at that call (DynamoDB throttling, timeouts, 5xx, a failed condition, a transaction
cancelled by a throttled item; S3 and SQS errors), through the in-process client with real
accounts and sessions.

Transient faults answer 503 with Retry-After in the one error envelope, a failed condition
the domain's 404/409, never 500; and whatever the request wrote before the fault is back as
it was (no partial writes: every item and object a write touched is read before it is sent
and compared after the failed request).
"""
from __future__ import annotations

import pytest

from tests.faults.api_scenarios import SCENARIOS


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_operation_under_faults(api_sweeps, name):
    got = api_sweeps[name]
    assert got.calls > 0 and got.cases > 0, got
    assert not got.problems, "\n".join(got.problems)
