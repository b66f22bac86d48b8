#!/usr/bin/env bash
# Lighthouse (mobile, default simulated throttling) on the PWA served by the one-machine stack.
# Prints the four category scores and the bytes of the first load, and checks them against targets.
# Usage: bench/lighthouse.sh            (starts `python -m infra.local` on a free port, stops it after)
#        BENCH_BASE_URL=http://127.0.0.1:8000 bench/lighthouse.sh   (measures an already running stack)
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
NODE_DIR="$ROOT/bench/.node"
LH="$NODE_DIR/node_modules/.bin/lighthouse"
# The project venv (make bench creates it); override with PYTHON=...
PYTHON="${PYTHON:-$ROOT/.venv/bin/python}"
export CHROME_PATH="${CHROME_PATH:-/usr/bin/chromium}"
WORK="$(mktemp -d)"
SERVER_PID=""

cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

[ -x "$CHROME_PATH" ] || { echo "Chromium not found at $CHROME_PATH (set CHROME_PATH)" >&2; exit 2; }
if [ ! -x "$LH" ]; then
  echo "installing lighthouse@12.2.3 into bench/.node ..."
  mkdir -p "$NODE_DIR"
  npm i -E lighthouse@12.2.3 --prefix "$NODE_DIR" --no-audit --no-fund >/dev/null
fi

if [ -n "${BENCH_BASE_URL:-}" ]; then
  BASE="${BENCH_BASE_URL%/}"
else
  PORT="$("$PYTHON" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
  BASE="http://127.0.0.1:$PORT"
  mkdir -p "$WORK/data"
  (cd "$ROOT" && exec "$PYTHON" -m infra.local --port "$PORT" --data-dir "$WORK/data") >"$WORK/local.log" 2>&1 &
  SERVER_PID=$!
fi

echo "waiting for $BASE/api/v1/health ..."
for _ in $(seq 1 240); do
  if curl -fsS "$BASE/api/v1/health" >/dev/null 2>&1; then READY=1; break; fi
  if [ -n "$SERVER_PID" ] && ! kill -0 "$SERVER_PID" 2>/dev/null; then
    echo "the local stack exited:" >&2; tail -n 40 "$WORK/local.log" >&2; exit 2
  fi
  sleep 0.5
done
[ "${READY:-0}" = 1 ] || { echo "the local stack did not become healthy in 120 s" >&2; exit 2; }

"$LH" "$BASE/" \
  --form-factor=mobile \
  --only-categories=performance,accessibility,best-practices,seo \
  --chrome-flags="--headless=new --no-sandbox" \
  --output=json --output-path="$WORK/report.json" --quiet

# Keep the report next to the script for reading (bench/.node is not committed).
cp "$WORK/report.json" "$NODE_DIR/last-report.json"

"$PYTHON" - "$WORK/report.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
cats = {k: round(v["score"] * 100) for k, v in r["categories"].items()}
reqs = r["audits"]["network-requests"]["details"]["items"]
total = sum(i.get("transferSize", 0) or 0 for i in reqs)
targets = {"performance": 95, "accessibility": 100, "best-practices": 95, "seo": 95}
ok = True
print(f"{'category':<16}{'score':>6}{'target':>8}")
for k, target in targets.items():
    good = cats.get(k, 0) >= target
    ok &= good if k != "seo" else True  # seo is reported, not gated
    print(f"{k:<16}{cats.get(k, 0):>6}{target:>8}  {'ok' if good else 'MISSED'}")
for m in ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time", "cumulative-layout-shift", "speed-index"):
    a = r["audits"][m]
    print(f"  {m:<28}{a['displayValue']}")
kb = total / 1024
print(f"first load: {len(reqs)} requests, {total} bytes transferred ({kb:.1f} KB), target <= 150 KB  {'ok' if kb <= 150 else 'MISSED'}")
for i in sorted(reqs, key=lambda i: -(i.get("transferSize") or 0))[:12]:
    print(f"  {i.get('transferSize', 0):>7}  {i.get('resourceType', ''):<10} {i['url']}")
ok &= kb <= 150
failed = [a["id"] for a in r["audits"].values() if a.get("score") is not None and a["score"] < 1 and a.get("scoreDisplayMode") == "binary"]
if failed:
    print("failed binary audits:", ", ".join(sorted(failed)))
sys.exit(0 if ok else 1)
PY
