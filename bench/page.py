"""The page (GET /api/v1/me/page) of a heavy account (50 applications, 20 licences, 200
notices): storage calls counted on the local emulator, then the time to assemble the page in
process with the store stubbed by the items captured (storage excluded: moto's speed is not
DynamoDB's), p50 and p99, and the size of its JSON, raw and gzipped (goal < 20 KB).

    .venv/bin/python bench/page.py [--runs 400]
"""
from __future__ import annotations

import argparse
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
    from datetime import date

    from functions.core import clock
    from functions.core.auth import Principal
    from functions.identity import cn_ids
    from functions.identity import store as identity
    from functions.identity.cli import create_staff
    from tests.pages.page_factories import fill

    id_number = cn_ids.make_id_number("441402", date(1975, 6, 1), 911)
    account = create_staff(settings, kind="citizen", name="黄志明", id_number=id_number,
                           phone="19900990001", password="Meizhou-2026!", roles=[])
    uscc = cn_ids.make_uscc("9", "1", "441402", 990001)
    identity.create_enterprise(settings, {
        "uscc": uscc, "name": "梅州市基准测试有限公司", "county": "441402", "industry": "制造业",
        "size": "small", "founded": "2019-03-01", "individual_business": False,
        "legal_rep": account["id"]}, account_id=account["id"], audit={
        "actor": account["id"], "action": "enterprise.register", "target": uscc,
        "result": "ok", "request_id": None, "at": clock.iso()})
    fill(settings, f"person:{account['id']}")
    fill(settings, f"enterprise:{uscc}")
    return {"person": Principal(subject=account["id"], kind="citizen", level=2),
            "enterprise": Principal(subject=account["id"], kind="citizen", level=2, act={
                "kind": "enterprise", "id": uscc, "role": "legal_rep"})}


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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=400)
    args = parser.parse_args()
    server, settings = _stack()
    try:
        from functions.core import clock
        from functions.pages import page, page_store

        parties = _parties(settings)
        print(f"heavy account: 50 applications, 20 licences, 200 notices; {args.runs} runs")
        print(f"{'party':<11} {'calls (warm)':<28} {'p50 ms':>7} {'p99 ms':>7} "
              f"{'JSON KB':>8} {'gzip KB':>8}")
        for name, who in parties.items():
            page.page(settings, who, at=clock.now())          # warm the caches
            calls = _calls(settings, who)
            stubs = _stubbed(settings, who)
            saved = {k: getattr(page_store if k == "party_items" else page, k) for k in stubs}
            for k, f in stubs.items():
                setattr(page_store if k == "party_items" else page, k, f)
            try:
                times = []
                for _ in range(args.runs):
                    t0 = time.perf_counter()
                    doc = page.page(settings, who, at=clock.now())
                    times.append((time.perf_counter() - t0) * 1000)
            finally:
                for k, f in saved.items():
                    setattr(page_store if k == "party_items" else page, k, f)
            raw = json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode()
            times.sort()
            p99 = times[min(len(times) - 1, round(len(times) * 0.99))]
            print(f"{name:<11} {len(calls)} {'+'.join(calls):<26} "
                  f"{statistics.median(times):7.2f} {p99:7.2f} {len(raw) / 1024:8.1f} "
                  f"{len(gzip.compress(raw)) / 1024:8.1f}")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
