"""The reconciliation of a month of 100,000 generated process events, in process.

`functions.supervision.reconcile.month` over a generator of records (the job feeds it the same
way from the store), timed and traced (tracemalloc peak), against a baseline in the same run: a
plain pass over the same generator that only touches each record's fields. The emulator is far
too slow for this volume; the records are what the job reads (the application's department,
region and channel with each event of its timeline). Runs alternate, median of 5; the
peak memory is measured in a separate traced run of each (tracing slows a pass).

    .venv/bin/python bench/reconcile.py [--events 100000] [--runs 5]
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DEPTS = ("GAJ", "MZJ", "RSJ", "SCJGJ", "WJJ", "ZJJ", "BDCDJ", "JYJ", "YBJ", "SWJ")
REGIONS = ("441400", "441402", "441403", "441481", "441426", "441427", "441422", "441423",
           "441424")
MONTH = "2026-11"


def events(n: int, seed: int = 12):
    """About n events of one month: applications of 2–6 steps (submit, accept, sometimes a
    return and a second round, process, approve or refuse, or a withdrawal), in time order per
    application, one application after another."""
    rng = random.Random(seed)
    made, app = 0, 0
    while made < n:
        app += 1
        dept, region = rng.choice(DEPTS), rng.choice(REGIONS)
        channel = "online" if rng.random() < 0.8 else "counter"
        day = 1 + app % 28
        steps = [("submit", "draft", "submitted"), ("accept", "submitted", "accepted")]
        if rng.random() < 0.15:
            steps += [("return", "accepted", "returned"), ("submit", "returned", "submitted"),
                      ("accept", "submitted", "accepted")]
        end = rng.random()
        if end < 0.05:
            steps.append(("withdraw", "accepted", "withdrawn"))
        elif end < 0.85:
            steps += [("process", "accepted", "in_process"), ("approve", "in_process", "approved")]
        else:
            steps.append(("refuse", "accepted", "refused"))
        lic = ["business_licence"] if dept == "SCJGJ" else []
        for i, (action, frm, to) in enumerate(steps):
            yield {"application": f"MZ202611{app:08d}", "department": dept, "region": region,
                   "channel": channel, "action": action, "from": frm, "to": to,
                   "at": f"{MONTH}-{day:02d}T{8 + i:02d}:00:00.000+08:00",
                   "licence_types": lic}
            made += 1
            if made >= n:
                return


def baseline(records) -> int:
    """A plain pass touching what the recount reads."""
    n = 0
    for r in records:
        n += len(r["action"]) + len(r["at"]) + len(r["department"])
    return n


def timed(fn, n: int) -> float:
    t0 = time.perf_counter()
    fn(events(n))
    return time.perf_counter() - t0


def peak(fn, n: int) -> int:
    """Peak traced bytes while the pass runs (a run of its own: tracing slows it)."""
    tracemalloc.start()
    fn(events(n))
    got = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return got


def main() -> None:
    from functions.supervision import reconcile

    ap = argparse.ArgumentParser()
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    counters = reconcile.recount(events(args.events), MONTH)
    counters[("RSJ", "441402")]["submitted_online"] += 3        # one drift to find

    def recon(records):
        got = reconcile.month(records, counters, month=MONTH)
        assert [d["delta"] for d in got["drift"]] == [-3], got["drift"]

    rec, base = [], []
    for _ in range(args.runs):
        base.append(timed(baseline, args.events))
        rec.append(timed(recon, args.events))
    b_t, r_t = statistics.median(base), statistics.median(rec)
    b_m, r_m = peak(baseline, args.events), peak(recon, args.events)
    apps = len({r["application"] for r in events(args.events)})
    print(f"{args.events} events, {apps} applications, {len(counters)} counter rows, "
          f"time: median of {args.runs}, alternating; memory: one traced run each")
    print(f"{'pass':<12}{'s':>8}{'events/s':>12}{'peak KB':>10}")
    print(f"{'baseline':<12}{b_t:>8.3f}{args.events / b_t:>12.0f}{b_m / 1024:>10.0f}")
    print(f"{'reconcile':<12}{r_t:>8.3f}{args.events / r_t:>12.0f}{r_m / 1024:>10.0f}")
    print(f"ratio: time {r_t / b_t:.2f}x; peak memory {r_m / 1024:.0f} KB against "
          f"{b_m / 1024:.0f} KB (state: the applications accepted, the counter rows)")


if __name__ == "__main__":
    main()
