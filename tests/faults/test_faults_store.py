"""Every store function under faults, called directly: DynamoDB throttling, timeouts, 5xx and
conditional failures; S3, SQS, SNS and SSM errors and timeouts; at each of its storage calls.

A store function must raise what the error handler answers with 503 + Retry-After (or, for a
failed condition, the domain's typed 404/409), never something that becomes a 500, and must
not leave half a write behind. The test fails when a store function that makes storage calls
was never hit by a fault (here or by the API sweeps run alongside in this module).
"""
from __future__ import annotations

import importlib
import inspect
import re

import pytest

from tests.faults import store_args
from tests.faults.inject import store_functions
from tests.faults.store_overrides import OVERRIDES
from tests.faults.sweep import call_store, judge_store, run_sweep

# Functions that build items or keys for a caller's transaction, or answer from memory: they
# make no storage call of their own (checked below from their source), so no fault can reach
# them; the transaction they feed is faulted through the function that sends it.
CLIENT_USE = re.compile(r"aws\.client\(|(?<![\w.])(_?ddb|_s3|_query_all|_counts|transact|"
                        r"with_batches|get|handled|owned|_read|_get|_page|urlopen)\(")
NO_CALL = {
    "core.store.ddb": "returns the client; makes no call",
    "intake.store.presign_upload": "signs a POST locally (no request to S3)",
    "intake.store.presign_view": "signs a URL locally (no request to S3)",
    "hall.store.forget_cache": "clears the in-memory snapshot cache",
    "hall.store.build_catalogue": "builds the in-memory catalogue from a loaded snapshot",
    "supervision.exports_store.post": "POSTs to the export receiver with urllib, not an AWS "
                                      "call (its failures: tests/supervision/test_exports.py)",
}
FIRST_ONLY: set[str] = set()
# Loaders run again whole after a failure (puts of the same items): a batch may land alone.
MAY_LEAVE = {"hall.store.put_reference": "the catalogue import's reference data, in batches "
                                          "of 25 (BatchWriteItem), re-run whole by the CLI",
             "hall.store.save_snapshot": "the snapshot object first, then the pointer: an "
                                         "object no pointer names is never read, and the "
                                         "next publication writes the same version's key"}
# A failed condition answered by the store's own exception, which its one caller handles.
CONDITION_ANSWERS = {"push.delivery_store.write": "Raced"}   # push/delivery.py: another
#                                                            delivery was first
# Store functions that absorb a fault by design (a direct call returning normally is fine).
MAY_ABSORB = {
    "hall.store.current_catalogue": "keeps serving the snapshot it holds when the check fails",
}


def _functions():
    for (_path, name), dotted in sorted(store_functions().items(), key=lambda kv: kv[1]):
        module = importlib.import_module("functions." + dotted.rsplit(".", 1)[0])
        yield dotted, getattr(module, name)


PASSES_SETTINGS = re.compile(r"\w\(\s*settings\s*[,)]")


def pure(fn) -> bool:
    """No settings, or settings passed to no call (only its table name read): no client can
    be had, so no storage call made."""
    params = list(inspect.signature(fn).parameters)
    if not params or params[0] != "settings":
        return True
    body = inspect.getsource(fn).split("\n", 1)[1]
    return not PASSES_SETTINGS.search(body) and "aws.client(" not in body


def test_item_builders_make_no_storage_call():
    """The exclusion list is what it claims: no client use in those functions' source."""
    for dotted, fn in _functions():
        if pure(fn) and dotted not in NO_CALL:
            body = inspect.getsource(fn).split("\n", 1)[1]
            assert not CLIENT_USE.search(body), f"{dotted} takes no settings but calls storage"


@pytest.fixture(scope="module")
def direct(scratch, injector):
    """Every store function that takes settings, swept at each of its storage calls, against
    a table and buckets of this module's own."""
    settings = scratch
    outcomes, unreached = {}, {}
    for dotted, fn in _functions():
        if pure(fn) or dotted in NO_CALL:
            continue
        made = store_args.call_args(fn, settings, OVERRIDES)
        if made is None:
            unreached[dotted] = "no arguments by name"
            continue
        args, kwargs = made
        act = call_store(fn, args, kwargs)
        judge = judge_store(dotted in MAY_ABSORB, CONDITION_ANSWERS.get(dotted))
        got = outcomes[dotted] = run_sweep(injector, dotted, act, judge,
                                           first_only=dotted in FIRST_ONLY,
                                           may_leave=MAY_LEAVE.get(dotted))
        if got.cases:
            got.hits.add(dotted)   # s3transfer sends from its own threads: not on the stack
        else:
            unreached[dotted] = f"no storage call with these arguments: {act()}"
    return outcomes, unreached


def test_store_functions_map_faults_to_retry_or_domain_errors(direct):
    outcomes, _ = direct
    problems = [f"{o.name}: {p}" for o in outcomes.values() for p in o.problems]
    assert not problems, "\n".join(problems)


def test_every_store_function_is_hit(direct, api_sweeps):
    """Hit by a fault directly (above) or inside an API operation (test_faults_api)."""
    _, unreached = direct
    hit = set().union(*(o.hits for o in direct[0].values()),
                      *(o.hits for o in api_sweeps.values()))
    missed = {}
    for dotted, fn in _functions():
        if pure(fn) or dotted in NO_CALL:
            continue
        if dotted not in hit:
            missed[dotted] = unreached.get(dotted, "never faulted")
    assert not missed, "\n".join(f"{k}: {v}" for k, v in missed.items())
    cases = sum(o.cases for o in direct[0].values()) + sum(o.cases for o in api_sweeps.values())
    print(f"\nfault cases: {cases} (store functions hit: {len(hit)})")
