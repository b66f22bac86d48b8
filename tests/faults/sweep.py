"""The sweeps: run something once per storage call with a fault at that call, and judge.

A sweep injects at call 1, 2, ... until a run makes fewer calls than the armed number: that
run met no fault, it is the clean run (its count is the number of calls of the operation).
A failed run must leave nothing behind, so each run starts from the same state.
"""
from __future__ import annotations

import inspect
import time
from dataclasses import dataclass, field

from functions.core import errors
from functions.core.errors import HallError
from tests.faults.inject import Injector, cancelled_busy, condition_for, transient_for


@dataclass
class Outcome:
    name: str
    calls: int = 0                     # storage calls of the clean run
    writes: int = 0                    # write calls of the clean run
    cases: int = 0                     # faulted runs
    problems: list[str] = field(default_factory=list)
    degraded: set[str] = field(default_factory=set)   # store fns that absorbed a fault
    seconds: float = 0.0
    hits: set[str] = field(default_factory=set)      # store fns a fault was injected in


def run_sweep(injector: Injector, name: str, act, judge, *, ignore=(), limit: int = 80,
              sample: int = 1, first_only: bool = False, prepare=None, reset=None,
              may_leave: str | None = None) -> Outcome:
    """act() performs the operation and returns what judge(fault, result, call) checks;
    judge returns a problem string or None. ignore: rules (ref -> bool) for writes that may
    stay (rate-limit windows, sequence numbers). sample: fault every n-th call only (for the
    long paginated maintenance scans); first_only: the first call only, and no clean run
    (a repair that rewrites shared records). prepare() runs before each run; reset() after a
    run that changed the state (its writes all landed and the answer was lost, or the fault
    was absorbed), so the next run starts from the state the operation expects.

    A failed run may leave writes behind only when they are ALL the writes of the clean run
    (one transaction landed, a later read for the answer failed): anything between nothing
    and everything is a partial write."""
    out = Outcome(name)
    started = time.monotonic()
    ctx = {"prepare": prepare, "reset": reset, "left": []}
    try:
        if first_only:
            _case(out, injector, act, judge, ignore, 1, lambda c: transient_for(c, 1), ctx)
            return out
        _sweep(out, injector, act, judge, ignore, limit, sample, ctx)
        for where, writes, left in ctx["left"]:
            if writes < out.writes and not may_leave:
                out.problems.append(f"{where}: partial write ({writes} of {out.writes} writes "
                                    f"landed) {sorted(left)[:3]}")
        return out
    finally:
        out.seconds = time.monotonic() - started


def _sweep(out, injector, act, judge, ignore, limit, sample, ctx):
    """At call k: a transient fault of the call's service (cycling through the service's list
    as k grows); when that call is a conditional write, also the failed condition; when it is
    a transaction, also a cancellation by a throttled item."""
    k = 1
    while k <= limit * sample:
        first = _case(out, injector, act, judge, ignore, k,
                      lambda c, k=k: transient_for(c, k), ctx)
        if first is None:                   # never reached call k: that was the clean run
            return out
        same = (first.op, first.stores[:1])
        nth = sum(1 for c in injector.calls[:k] if (c.op, c.stores[:1]) == same)
        for extra in (condition_for, cancelled_busy):
            if extra(first) is not None:
                _case(out, injector, act, judge, ignore, k, extra, ctx, match=(*same, nth))
        k += sample
    out.problems.append(f"more than {limit} calls")
    return out


def _case(out, injector, act, judge, ignore, k, choose, ctx, match=None):
    if ctx["prepare"]:
        ctx["prepare"]()
    injector.arm(k, choose, match)
    try:
        result = act()
    finally:
        injector.disarm()
    if injector.injected is None and match is not None:
        if ctx["reset"] and injector.changed(ignore):   # the call did not come: a clean run
            ctx["reset"]()
        return None
    if injector.injected is None:
        out.calls, out.writes = len(injector.calls), injector.writes
        problem = judge(None, result, None)
        if problem:
            out.problems.append(f"clean run: {problem}")
        return None
    call, fault = injector.injected
    out.cases += 1
    out.hits.update(call.stores)
    where = f"call {k} {call.service}.{call.op} in {call.stores[:2]} <- {fault}"
    problem = judge(fault, result, call)
    if problem == "degraded":
        out.degraded.update(call.stores[:1])
    elif problem:
        out.problems.append(f"{where}: {problem}")
    left = injector.changed(ignore)
    if left and problem != "degraded":
        ctx["left"].append((where, injector.writes, left))
    if (left or problem == "degraded") and ctx["reset"]:
        ctx["reset"]()
    return call


# ---- judging HTTP answers -----------------------------------------------------------------

def judge_http(ok_status: tuple[int, ...], *, may_absorb: frozenset = frozenset(),
               conflict: tuple[int, ...] = (404, 409)):
    """The API under a fault: transient -> 503 with Retry-After in the envelope; a failed
    condition -> the domain's answer (404/409); never 500. may_absorb: store functions whose
    faults the use case absorbs by design (a best-effort count, a cached copy): 2xx there."""
    def judge(fault, resp, call=None):
        status = resp.status_code
        if fault is None:
            return None if status in ok_status else f"clean run answered {status}"
        body = resp.get_json(silent=True) or {}
        if status == 500:
            return f"500 {body}"
        if not isinstance(body.get("error"), dict) and status >= 400:
            return f"{status} without the error envelope"
        if status < 400 and fault.kind == "condition":
            return None   # the condition's own answer: already there, already done
        if status < 400:
            return "degraded" if set(call.stores) & may_absorb else \
                f"{status} though the storage call failed (a lost write or a wrong answer)"
        if fault.kind == "transient":
            if status != 503 or not resp.headers.get("Retry-After"):
                return f"{status} (want 503 + Retry-After) {body}"
            return None
        return None if status in conflict else f"{status} for a failed condition {body}"
    return judge


# ---- judging direct store calls -------------------------------------------------------------

def judge_store(may_absorb: bool = False, condition_answer: str | None = None):
    """A store function under a fault: it raises what the error handler maps to 503 (or the
    domain's typed error for a failed condition), or absorbs it where that is its design."""
    def judge(fault, result, call=None):
        kind, value = result
        if fault is None:
            return None
        if kind == "returned":   # a failed condition may be the function's own answer
            if fault.kind == "condition":
                return None
            return "degraded" if may_absorb else "returned normally under a fault"
        if fault.kind == "condition" and type(value).__name__ == condition_answer:
            return None
        if isinstance(value, HallError):
            if fault.kind == "transient":
                return None if value.status == 503 and value.headers.get("Retry-After") \
                    else f"raised {type(value).__name__} {value.status}"
            return None if value.status in (404, 409, 422, 429) else f"{value.status}"
        verdict = errors.classify(value)
        if verdict == "bug":
            return f"raised {type(value).__name__}: {value!s:.120} (a 500)"
        if fault.kind == "transient" and verdict != "transient":
            return f"a transient fault classed {verdict}"
        return None
    return judge


def call_store(fn, args, kwargs):
    def act():
        try:
            got = fn(*args, **kwargs)
            return "returned", list(got) if inspect.isgenerator(got) else got
        except Exception as err:   # judged: what the error handler would answer
            return "raised", err
    return act
