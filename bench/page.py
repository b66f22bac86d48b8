"""The page (GET /api/v1/me/page) of a heavy account (50 applications, 20 licences, 200
notices), a person's and an enterprise's: storage calls counted on the local emulator (on the
month's first open, with the use counter's write, and warm), then the time to assemble the
page in process with the store stubbed by the items captured (storage excluded: moto's speed
is not DynamoDB's), p50 and p99, and the size of its JSON, raw and gzipped (goal < 20 KB);
each against an empty account of the same kind in the same run. Last, the per-request
session and delegation checks of a request acting for the enterprise.

    .venv/bin/python bench/page.py [--runs 400]
"""
from __future__ import annotations

import argparse
import dataclasses
import gzip
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _stack():
    from infra import local

    server, endpoint = local.start_emulator()
    outputs = local.deploy(endpoint)
    os.environ.update(local.environment(endpoint, outputs))
    from functions.core import aws, clock, keys
    from functions.hall import service
    from functions.hall.cli import import_seed
    from functions.identity.cli import seed_demo
    from functions.settings import Settings

    aws.reset()
    keys.forget()
    settings = Settings.from_env()
    keys.init_keys(settings, clock.now())
    import_seed(settings, local.SEED)
    seed_demo(settings, local.SEED)
    service.publish(settings, actor="bench-page", at=clock.iso())
    return server, settings


def _parties(settings):
    """A heavy and a light (empty) account of each kind, and one of each to warm the caches."""
    import itertools
    from datetime import date

    from functions.core import clock
    from functions.core.auth import Principal
    from functions.identity import cn_ids
    from functions.identity import store as identity
    from functions.identity.cli import create_staff
    from tests.pages.page_factories import fill

    seq = itertools.count(1)
    out = {}
    for weight in ("warm-up", "heavy", "light"):
        n = next(seq)
        id_number = cn_ids.make_id_number("441402", date(1975, 6, 1), 910 + n)
        account = create_staff(settings, kind="citizen", name="黄志明", id_number=id_number,
                               phone=f"1990099{n:04d}", password="Meizhou-2026!", roles=[])
        uscc = cn_ids.make_uscc("9", "1", "441402", 990000 + n)
        identity.create_enterprise(settings, {
            "uscc": uscc, "name": f"梅州市基准测试{n}有限公司", "county": "441402",
            "industry": "制造业", "size": "small", "founded": "2019-03-01",
            "individual_business": False, "legal_rep": account["id"]},
            account_id=account["id"], audit={
                "actor": account["id"], "action": "enterprise.register", "target": uscc,
                "result": "ok", "request_id": None, "at": clock.iso()})
        if weight == "heavy":
            fill(settings, f"person:{account['id']}")
            fill(settings, f"enterprise:{uscc}")
        out[("person", weight)] = Principal(subject=account["id"], kind="citizen", level=2)
        out[("enterprise", weight)] = Principal(
            subject=account["id"], kind="citizen", level=2,
            act={"kind": "enterprise", "id": uscc, "role": "legal_rep"})
    return out


def _check_calls(settings, who) -> list[str]:
    """The per-request session and delegation checks of a request acting as `who`."""
    import secrets

    from functions.core import aws, clock
    from functions.identity import service
    from functions.identity import store as identity

    sid = identity.create_session(
        settings, account_id=who.subject, refresh_digest=secrets.token_hex(32),
        at=clock.iso(), ttl=int(clock.now().timestamp()) + 3600,
        audit={"actor": who.subject, "action": "login.bench", "target": who.subject,
               "result": "ok", "request_id": None, "at": clock.iso()})
    calls: list[str] = []
    events = aws.client("dynamodb", settings).meta.events

    def hook(model, **_):
        calls.append(model.name)

    events.register("before-parameter-build.dynamodb", hook)
    try:
        service.check_token(settings, dataclasses.replace(who, session=sid), at=clock.now())
    finally:
        events.unregister("before-parameter-build.dynamodb", hook)
    return calls


def _calls(settings, who) -> list[str]:
    from functions.core import aws, clock
    from functions.pages import page

    calls: list[str] = []

    def hook(model, params, **_):
        if params.get("Key", {}).get("pk", {}).get("S") != "CATALOGUE":
            calls.append(model.name)

    events = aws.client("dynamodb", settings).meta.events
    events.register("before-parameter-build.dynamodb", hook)
    try:
        page.page(settings, who, at=clock.now())
    finally:
        events.unregister("before-parameter-build.dynamodb", hook)
    return calls


def _stubbed(settings, who):
    """Capture what the page's reads return, then stub them with it."""
    from functions.pages import page, page_store

    kind, ident = page.party_of(who)
    items = page_store.party_items(settings, f"{kind}:{ident}")
    reader = page._inbox_reader(who)
    latest = page._latest(settings, reader)
    staff = page._staff(settings, ident) if kind == "enterprise" else None
    registry = page._registry_person(settings, page_store.parse(kind, items)["profile"][
        "id_hash"]) if kind == "person" else None
    return {"party_items": lambda s, o: items, "_latest": lambda s, r: latest,
            "_staff": lambda s, u: staff, "_registry_person": lambda s, h: registry}


def _timed(settings, parties: dict, names: list, runs: int) -> dict:
    """Each party's page assembled `runs` times from its stubbed reads, the parties taking
    turns run by run (so a noisy neighbour slows them alike). Returns times (ms) and pages."""
    from functions.core import clock
    from functions.pages import page, page_store

    stubs = {name: _stubbed(settings, parties[name]) for name in names}
    saved = {k: getattr(page_store if k == "party_items" else page, k)
             for k in next(iter(stubs.values()))}
    times: dict = {name: [] for name in names}
    docs: dict = {}
    try:
        for _ in range(runs):
            for name in names:
                for k, f in stubs[name].items():
                    setattr(page_store if k == "party_items" else page, k, f)
                t0 = time.perf_counter()
                docs[name] = page.page(settings, parties[name], at=clock.now())
                times[name].append((time.perf_counter() - t0) * 1000)
    finally:
        for k, f in saved.items():
            setattr(page_store if k == "party_items" else page, k, f)
    return {"times": times, "docs": docs}


def _p(times: list[float], q: float) -> float:
    ordered = sorted(times)
    return statistics.median(ordered) if q == 0.5 else ordered[
        min(len(ordered) - 1, round(len(ordered) * q))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=400)
    args = parser.parse_args()
    server, settings = _stack()
    try:
        from functions.core import clock
        from functions.pages import page

        parties = _parties(settings)
        for kind in ("person", "enterprise"):      # the caches, and the warm-up's own count
            page.page(settings, parties[(kind, "warm-up")], at=clock.now())
        names = [(k, w) for k in ("person", "enterprise") for w in ("heavy", "light")]
        first = {name: _calls(settings, parties[name]) for name in names}
        warm = {name: _calls(settings, parties[name]) for name in names}
        got = _timed(settings, parties, names, args.runs)
        print(f"heavy account: 50 applications, 20 licences, 200 notices; light: none; "
              f"{args.runs} runs each, taking turns; assembly with storage stubbed")
        print(f"{'party':<11} {'account':<7} {'calls: first open of the month':<44} "
              f"{'warm':<20} {'p50 ms':>7} {'p99 ms':>7} {'JSON KB':>8} {'gzip KB':>8}")
        sizes = {}
        for name in names:
            raw = json.dumps(got["docs"][name], ensure_ascii=False,
                             separators=(",", ":")).encode()
            sizes[name] = (len(raw) / 1024, len(gzip.compress(raw)) / 1024)
            times = got["times"][name]
            print(f"{name[0]:<11} {name[1]:<7} {len(first[name])} {'+'.join(first[name]):<42} "
                  f"{len(warm[name])} {'+'.join(warm[name]):<18} {_p(times, 0.5):7.2f} "
                  f"{_p(times, 0.99):7.2f} {sizes[name][0]:8.1f} {sizes[name][1]:8.1f}")
        print("heavy ÷ light (the same kind, the same run):")
        for kind in ("person", "enterprise"):
            h, light = got["times"][(kind, "heavy")], got["times"][(kind, "light")]
            print(f"  {kind:<11} p50 x{_p(h, 0.5) / _p(light, 0.5):.2f}  "
                  f"p99 x{_p(h, 0.99) / _p(light, 0.99):.2f}  gzip "
                  f"x{sizes[(kind, 'heavy')][1] / sizes[(kind, 'light')][1]:.2f}  "
                  f"(goal: gzip < 20 KB: {sizes[(kind, 'heavy')][1]:.1f})")
        checks = _check_calls(settings, parties[("enterprise", "heavy")])
        print(f"per-request checks acting for an enterprise (session + legal rep): "
              f"{len(checks)} {'+'.join(checks)}")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
