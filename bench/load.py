"""The API behind a production WSGI server under concurrent clients, against a hello-world
Flask app on the same server in the same run.

Both apps run under gunicorn with the same settings (gthread, `--workers` x `--threads`, on
loopback); the API is `functions.app:app` with the local stack's environment (an emulator in
this process, the template deployed, the seed imported and published). Clients are processes
of threads, each thread one keep-alive connection, sending for a fixed time; the phases take
turns (hello-world, then each endpoint group, `--rounds` times) and each group's rate is a
ratio to the hello-world phase of its own round. Last an overload phase (`--overload`
connections, more than the server's threads) counts the status codes: only 429 or 503 may
answer a request the server cannot take. `--check` exits 1 when a target is missed: hall
reads at least 0.5 of hello-world, no 5xx in the measured phases, nothing but 2xx/429/503
when overloaded.

    .venv/bin/python bench/load.py [--seconds 5] [--rounds 2] [--clients 16] [--check]
"""
from __future__ import annotations

import argparse
import collections
import http.client
import json
import multiprocessing
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
HALL_READS = ("theme list", "matter page", "hot services")
TARGET_RATIO = 0.5


def hello_app():
    """The baseline: one JSON route, served by the same gunicorn settings (`load:hello_app()`)."""
    from flask import Flask, jsonify

    app = Flask("hello")

    @app.get("/hello")
    def hello():
        return jsonify({"hello": "world"})

    return app


# ---- the servers ---------------------------------------------------------------------------

def _stack():
    """The emulator, the template, the seed and a published catalogue; the API's environment."""
    from infra import local

    server, endpoint = local.start_emulator()
    outputs = local.deploy(endpoint)
    env = local.environment(endpoint, outputs)
    # Each worker rechecks the catalogue pointer as often as it does deployed (60 s).
    env["HALL_CATALOGUE_REFRESH_SECONDS"] = "60"
    os.environ.update(env)
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
    service.publish(settings, actor="bench-load", at=clock.iso())
    return server, settings


def _citizen(settings) -> tuple[str, str]:
    """A citizen with a full page (applications, licences, notices): phone and password."""
    from datetime import date

    from functions.identity import cn_ids
    from functions.identity.cli import create_staff
    from tests.pages.page_factories import fill

    phone, password = "19909800001", "Meizhou-2026!"
    id_number = cn_ids.make_id_number("441402", date(1981, 3, 9), 981)
    account = create_staff(settings, kind="citizen", name="黄志明", id_number=id_number,
                           phone=phone, password=password, roles=[])
    fill(settings, f"person:{account['id']}")
    return phone, password


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _gunicorn(app: str, workers: int, threads: int, env: dict,
              log_to: Path) -> tuple[subprocess.Popen, int]:
    port = _free_port()
    cmd = [str(ROOT / ".venv" / "bin" / "gunicorn"), "--chdir", str(ROOT),
           "--pythonpath", str(ROOT / "bench"), "-k", "gthread", "-w", str(workers),
           "--threads", str(threads), "-b", f"127.0.0.1:{port}", "--log-level", "warning",
           "--keep-alive", "30", app]
    with log_to.open("ab") as log:  # the API's JSON log lines, one a request
        proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=log)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return proc, port
        except OSError as err:
            if proc.poll() is not None:
                raise SystemExit(f"gunicorn {app} exited ({proc.returncode})") from err
            time.sleep(0.2)
    raise SystemExit(f"gunicorn {app} did not listen on {port}")


# ---- the clients ---------------------------------------------------------------------------

def _one_thread(port, paths, headers, until, out, lock, timeout):
    headers = {"Accept-Encoding": "gzip", **headers}  # as a browser asks
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    lat, codes, i = [], collections.Counter(), 0
    while time.monotonic() < until:
        path = paths[i % len(paths)]
        i += 1
        t0 = time.perf_counter()
        try:
            conn.request("GET", path, headers=headers)
            resp = conn.getresponse()
            resp.read()
            codes[resp.status] += 1
            lat.append(time.perf_counter() - t0)
            if resp.getheader("Connection", "").lower() == "close":
                conn.close()
        except (OSError, http.client.HTTPException) as err:
            codes[type(err).__name__] += 1
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    conn.close()
    with lock:
        out[0].extend(lat)
        out[1].update(codes)


def _client(port, paths, headers, threads, start_at, seconds, timeout, queue):
    out, lock = ([], collections.Counter()), threading.Lock()
    time.sleep(max(0.0, start_at - time.time()))
    until = time.monotonic() + seconds
    pool = [threading.Thread(target=_one_thread,
                             args=(port, paths, headers, until, out, lock, timeout))
            for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    queue.put((out[0], dict(out[1])))


def run_phase(port, paths, *, seconds, connections, procs=2, headers=None, timeout=60.0):
    """`connections` keep-alive connections over `procs` client processes for `seconds`:
    requests/s, p50 and p99 (ms) and the status counts (connection errors by name)."""
    # spawn, not fork: this process runs the emulator's threads, whose locks a fork copies
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    start_at = time.time() + 1.5
    per = [connections // procs + (1 if i < connections % procs else 0) for i in range(procs)]
    workers = [ctx.Process(target=_client, args=(port, paths, headers or {}, n, start_at,
                                                 seconds, timeout, queue))
               for n in per if n]
    for w in workers:
        w.start()
    lat, codes = [], collections.Counter()
    for _ in workers:
        got_lat, got_codes = queue.get()
        lat.extend(got_lat)
        codes.update(got_codes)
    for w in workers:
        w.join()
    lat.sort()
    p = (lambda q: lat[min(len(lat) - 1, int(q * len(lat)))] * 1000) if lat else (lambda q: 0)
    return {"rps": len(lat) / seconds, "p50": p(0.50), "p99": p(0.99),
            "codes": dict(codes), "n": len(lat)}


# ---- what is measured ----------------------------------------------------------------------

def _groups(token: str) -> dict[str, tuple[list[str], dict]]:
    from urllib.parse import urlencode

    zh = json.loads((ROOT / "tests/data/search_queries.json").read_text(encoding="utf-8"))
    en = json.loads((ROOT / "tests/data/search_queries_en.json").read_text(encoding="utf-8"))

    def search(rows, **extra):
        asked = [{k: v for k, v in r.items() if k != "expected"} for r in rows]
        return [f"/api/v1/matters?{urlencode({**a, **extra})}" for a in asked]

    codes = ["441400-GJJ-0001", "441402-SWJ-0004", "441400-GJJ-0002", "441400-GJJ-0003"]
    return {
        "theme list": (["/api/v1/themes?audience=person", "/api/v1/themes?audience=enterprise",
                        "/api/v1/themes?audience=person&region=441402"], {}),
        "matter page": ([f"/api/v1/matters/{c}" for c in codes], {}),
        "hot services": (["/api/v1/hot-services", "/api/v1/hot-services?audience=enterprise"],
                         {}),
        "search zh": (search(zh), {}),
        "search en": (search(en, lang="en"), {}),
        "personal page": (["/api/v1/me/page"], {"Authorization": f"Bearer {token}"}),
    }


def _storage_ms(settings) -> float:
    """What one storage call costs here: the page's first Query, against the emulator."""
    from functions.core import aws

    ddb = aws.client("dynamodb", settings)
    times = []
    for _ in range(20):
        t0 = time.perf_counter()
        ddb.query(TableName=settings.table_name, KeyConditionExpression="pk = :p",
                  ExpressionAttributeValues={":p": {"S": "ACCOUNT#none"}}, Limit=50)
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def _login(port: int, phone: str, password: str) -> str:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("POST", "/api/v1/auth/login", body=json.dumps(
        {"phone": phone, "password": password}), headers={"Content-Type": "application/json"})
    resp = conn.getresponse()
    body = json.loads(resp.read())
    if resp.status != 200:
        raise SystemExit(f"login {resp.status}: {body}")
    return body["access_token"]


def _fmt_codes(codes: dict) -> str:
    return " ".join(f"{k}:{v}" for k, v in sorted(codes.items(), key=lambda kv: str(kv[0])))


def _bad(codes: dict, allowed) -> int:
    return sum(v for k, v in codes.items() if not (isinstance(k, int) and allowed(k)))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--clients", type=int, default=16, help="connections per phase")
    parser.add_argument("--overload", type=int, default=256, help="connections when overloaded")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--json", type=Path, help="write the figures here too")
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()

    t0 = time.perf_counter()
    server, settings = _stack()
    phone, password = _citizen(settings)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with tempfile.TemporaryDirectory() as tmp:
        logs = Path(tmp) / "gunicorn.log"
        api, api_port = _gunicorn("functions.app:app", args.workers, args.threads, env, logs)
        hello, hello_port = _gunicorn("load:hello_app()", args.workers, args.threads, env, logs)
        try:
            token = _login(api_port, phone, password)
            groups = _groups(token)
            print(f"stack ready in {time.perf_counter() - t0:.1f} s; gunicorn gthread "
                  f"-w {args.workers} --threads {args.threads} on loopback; "
                  f"{args.clients} keep-alive connections from 2 client processes, "
                  f"{args.seconds:g} s a phase, {args.rounds} rounds; "
                  f"load average {os.getloadavg()[0]:.1f}", flush=True)
            for paths, headers in groups.values():   # every worker loads the catalogue
                run_phase(api_port, paths, seconds=1.0, connections=args.workers * 2,
                          headers=headers)
            run_phase(hello_port, ["/hello"], seconds=1.0, connections=args.workers * 4)
            rows = collections.defaultdict(list)
            for _ in range(args.rounds):
                base = run_phase(hello_port, ["/hello"], seconds=args.seconds,
                                 connections=args.clients)
                rows["hello-world"].append({**base, "ratio": 1.0})
                for name, (paths, headers) in groups.items():
                    # the page is the emulator's pace (storage_ms): a few connections suffice
                    got = run_phase(api_port, paths, seconds=args.seconds, headers=headers,
                                    connections=4 if headers else args.clients)
                    rows[name].append({**got, "ratio": got["rps"] / base["rps"]})
            mix = [p for name in HALL_READS for p in groups[name][0]] + groups["search zh"][0][:6]
            over = run_phase(api_port, mix, seconds=args.seconds * 2,
                             connections=args.overload, procs=4)
            storage = _storage_ms(settings)
            load_after = os.getloadavg()
        finally:
            for proc in (api, hello):
                proc.terminate()
            for proc in (api, hello):
                proc.wait(timeout=30)
            server.stop()
        errors = [line for line in logs.read_text(encoding="utf-8", errors="replace")
                  .splitlines() if '"level": "ERROR"' in line or "Traceback" in line]
    for line in errors[:5]:
        print("server error:", line[:300])
    print(f"the emulator in this run: {storage:.1f} ms a Query of the citizen's partition "
          f"(median of 20; DynamoDB from Lambda: 5-10 ms)")
    return _report(args, rows, over, load_after, len(errors))


def _report(args, rows, over, load_after, errors: int) -> int:
    print(f"{'endpoint':<15}{'req/s':>9}{'ratio':>8}{'p50 ms':>9}{'p99 ms':>9}"
          f"{'requests':>10}  statuses (all rounds)")
    summary = {}
    for name, runs in rows.items():
        best = max(runs, key=lambda r: r["ratio"])
        codes = collections.Counter()
        for r in runs:
            codes.update(r["codes"])
        ratios = "/".join(f"{r['ratio']:.2f}" for r in runs)
        print(f"{name:<15}{best['rps']:>9.0f}{best['ratio']:>8.2f}{best['p50']:>9.1f}"
              f"{best['p99']:>9.1f}{sum(r['n'] for r in runs):>10}  {_fmt_codes(codes)}"
              f"  (ratios by round {ratios})")
        summary[name] = {"rps": round(best["rps"]), "ratio": round(best["ratio"], 3),
                         "ratio_median": round(statistics.median(r["ratio"] for r in runs), 3),
                         "p50_ms": round(best["p50"], 2), "p99_ms": round(best["p99"], 2),
                         "codes": {str(k): v for k, v in codes.items()}}
    print(f"overload: {args.overload} connections, {over['rps']:.0f} req/s, "
          f"p50 {over['p50']:.0f} ms, p99 {over['p99']:.0f} ms, "
          f"statuses {_fmt_codes(over['codes'])}")
    print(f"load average after: {' '.join(f'{x:.1f}' for x in load_after)} "
          f"on {os.cpu_count()} cores")
    missed = []
    for name in HALL_READS:
        if summary[name]["ratio"] < TARGET_RATIO:
            missed.append(f"{name} at {summary[name]['ratio']:.2f} of hello-world "
                          f"(target {TARGET_RATIO})")
    for name, runs in rows.items():
        n5 = sum(_bad(r["codes"], lambda c: c < 500) for r in runs)
        if n5:
            missed.append(f"{name}: {n5} answers that were 5xx or no answer")
    n_over = _bad(over["codes"], lambda c: c < 300 or c in (429, 503))
    if n_over:
        missed.append(f"overload: {n_over} answers other than 2xx/429/503")
    if errors:
        missed.append(f"{errors} error lines in the servers' logs")
    print("targets: " + ("met" if not missed else "MISSED: " + "; ".join(missed)))
    if args.json:
        args.json.write_text(json.dumps({"rows": summary, "overload": {
            "connections": args.overload, "rps": round(over["rps"]), "p99_ms": round(over["p99"]),
            "codes": {str(k): v for k, v in over["codes"].items()}}, "missed": missed},
            ensure_ascii=False, indent=1), encoding="utf-8")
    return 1 if (missed and args.check) else 0


if __name__ == "__main__":
    sys.exit(main())
