"""Cold start: import time of the API app against a bare `import flask, boto3`, side by side.

Each sample is a fresh interpreter (what a Lambda cold start pays for imports); the two
processes alternate so drift on the machine hits both, and the minimum of each is kept. The
time is measured inside the child around the imports, so interpreter start-up (the same for
both) is left out. Bytecode is warm, as it is in the zip infra/package.sh builds.

    python bench/coldstart.py [--runs 10] [--check]     (--check: exit 1 when over target)
"""
from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET = 1.25
# Nothing may reach AWS or the network while the app is built.
ENV = {
    **os.environ,
    "AWS_ACCESS_KEY_ID": "bench",
    "AWS_SECRET_ACCESS_KEY": "bench",
    "AWS_DEFAULT_REGION": "ap-east-1",
    "AWS_ENDPOINT_URL": "http://127.0.0.1:9",
    "HALL_AWS_ENDPOINT": "http://127.0.0.1:9",
    "HALL_STAGE": "bench",
    "PYTHONPATH": str(ROOT),
}
TIMED = """
import time
t0 = time.perf_counter()
{body}
print(time.perf_counter() - t0)
"""
CASES = {
    "baseline": ("import flask, boto3", "import flask, boto3"),
    "app": ("import functions.app (module-level app)",
            "import functions.app\nassert functions.app.app.url_map"),
}


def sample(body: str, *flags: str) -> tuple[float, str]:
    proc = subprocess.run(
        [sys.executable, *flags, "-c", TIMED.format(body=body)],
        cwd=ROOT, env=ENV, capture_output=True, text=True, timeout=120,
    )
    if proc.returncode:
        sys.exit(f"coldstart: child failed:\n{proc.stderr[-2000:]}")
    return float(proc.stdout.strip().splitlines()[-1]), proc.stderr


def top_imports(stderr: str, n: int = 10) -> list[tuple[int, int, str]]:
    """(cumulative us, self us, module with its nesting) from -X importtime, largest first."""
    rows = []
    for line in stderr.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \| (.*)$", line)
        if m:
            rows.append((int(m.group(2)), int(m.group(1)), m.group(3).rstrip()))
    return sorted(rows, reverse=True)[:n]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--check", action="store_true", help="exit 1 when over the target")
    args = parser.parse_args()

    for _, body in CASES.values():  # warm the bytecode and the page cache, not counted
        sample(body)
    times: dict[str, list[float]] = {name: [] for name in CASES}
    for _ in range(args.runs):
        for name, (_, body) in CASES.items():
            times[name].append(sample(body)[0])

    best = {name: min(values) for name, values in times.items()}
    ratio = best["app"] / best["baseline"]
    print(f"cold start imports, fresh interpreter each, min of {args.runs} (alternating):")
    for name, (label, _) in CASES.items():
        median = sorted(times[name])[len(times[name]) // 2]
        print(f"  {name:9s} {label:42s} {best[name] * 1000:7.1f} ms"
              f"  (median {median * 1000:.1f} ms)")
    verdict = "ok" if ratio <= TARGET else "OVER TARGET"
    print(f"  ratio     app / baseline {ratio:35.2f}   target <= {TARGET}: {verdict}")

    _, trace = sample(CASES["app"][1], "-X", "importtime")
    print("\ntop 10 by cumulative import time in the app process (-X importtime, one run):")
    print(f"  {'cumul ms':>8s} {'self ms':>8s}  module")
    for cumulative, own, module in top_imports(trace):
        print(f"  {cumulative / 1000:8.1f} {own / 1000:8.1f}  {module}")
    return 1 if args.check and ratio > TARGET else 0


if __name__ == "__main__":
    sys.exit(main())
