#!/usr/bin/env bash
# Lighthouse (mobile, default simulated throttling) on every screen of the PWA served by the
# one-machine stack, in normal and elder mode (`?elder=1`, read by pwa/js/prefs.js: Lighthouse
# starts from empty storage, so the address is the one way in). Each screen is a cold first load of
# its own hash route. Prints one row per screen and mode and fails when a target is missed:
# performance >= 98, accessibility 100, best practices >= 95, CLS 0, first load <= 150 KB.
# Usage: bench/lighthouse.sh                 (starts `python -m infra.local` on a free port, stops it after)
#        bench/lighthouse.sh guide search    (only the screens named, both modes)
#        LH_MODES=elder bench/lighthouse.sh  (one mode only)
#        LH_RUNS=1 bench/lighthouse.sh       (one run per audit; by default 3, and the row is the median
#                                             run, as Lighthouse advises for its run-to-run variance)
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

# One row per screen: its name, then the address after the origin. Real codes from infra/seed:
# theme P01 (生育收养), the guide 住房公积金提取（购买自住住房）.
SCREENS=(
  "home|/"
  "themes|/#/themes"
  "theme|/#/themes/P01"
  "guide|/#/matters/441400-GJJ-0001"
  "scenarios|/#/scenarios"
  "points|/#/points"
  "search|/#/search?q=公积金"
)
read -r -a MODES <<<"${LH_MODES:-normal elder}"
RUNS="${LH_RUNS:-3}"
mkdir -p "$NODE_DIR/reports"
for entry in "${SCREENS[@]}"; do
  name="${entry%%|*}"; path="${entry#*|}"
  if [ "$#" -gt 0 ] && [[ " $* " != *" $name "* ]]; then continue; fi
  for mode in "${MODES[@]}"; do
    url="$BASE$path"
    # ?elder=1 goes before the hash: prefs.js turns elder mode on (and drops the parameter).
    [ "$mode" = elder ] && url="$BASE/?elder=1${path#/}"
    for run in $(seq 1 "$RUNS"); do
      echo "lighthouse $name ($mode) run $run/$RUNS: $url"
      "$LH" "$url" \
        --form-factor=mobile \
        --only-categories=performance,accessibility,best-practices,seo \
        --chrome-flags="--headless=new --no-sandbox" \
        --output=json --output-path="$WORK/$name-$mode-$run.json" --quiet
      # Keep the reports next to the script for reading (bench/.node is not committed).
      cp "$WORK/$name-$mode-$run.json" "$NODE_DIR/reports/"
    done
  done
done

"$PYTHON" - "$WORK" <<'PY'
import json, pathlib, sys
runs = {}
for path in sorted(pathlib.Path(sys.argv[1]).glob("*.json"), key=lambda p: p.stat().st_mtime):
    screen, mode, _ = path.stem.rsplit("-", 2)
    runs.setdefault((screen, mode), []).append(json.loads(path.read_text()))
if not runs:
    sys.exit("no screen matched")
perf = lambda r: r["categories"]["performance"]["score"] or 0  # noqa: E731
TARGETS = {"performance": 98, "accessibility": 100, "best-practices": 95}
MAX_KB = 150
ok = True
print(f"\n{'screen':<10}{'mode':<8}{'perf':>5}{'a11y':>6}{'bp':>5}{'seo':>5}{'CLS':>8}"
      f"{'FCP s':>7}{'LCP s':>7}{'TBT ms':>8}{'KB':>7}{'cpu':>6}  result")
for (screen, mode), rs in runs.items():
    r = sorted(rs, key=perf)[len(rs) // 2]  # the median run by performance
    cats = {k: round((v["score"] or 0) * 100) for k, v in r["categories"].items()}
    a = r["audits"]
    cls = max(x["audits"]["cumulative-layout-shift"]["numericValue"] for x in rs)  # any run's shift counts
    reqs = a["network-requests"]["details"]["items"]
    kb = sum(i.get("transferSize", 0) or 0 for i in reqs) / 1024
    missed = [k for k, t in TARGETS.items() if cats.get(k, 0) < t]
    if cls > 0:
        missed.append("CLS")
    if kb > MAX_KB:
        missed.append("bytes")
    ok &= not missed
    print(f"{screen:<10}{mode:<8}{cats.get('performance', 0):>5}{cats.get('accessibility', 0):>6}"
          f"{cats.get('best-practices', 0):>5}{cats.get('seo', 0):>5}{cls:>8.3f}"
          f"{a['first-contentful-paint']['numericValue'] / 1000:>7.2f}"
          f"{a['largest-contentful-paint']['numericValue'] / 1000:>7.2f}"
          f"{a['total-blocking-time']['numericValue']:>8.0f}{kb:>7.1f}"
          f"{r['environment']['benchmarkIndex']:>6.0f}  "
          f"{'ok' if not missed else 'MISSED ' + ','.join(missed)}"
          + (f"  (runs: {'/'.join(str(round(perf(x) * 100)) for x in rs)})" if len(rs) > 1 else ""))
    failed = [k for k, v in a.items() if v.get("score") is not None and v["score"] < 1
              and v.get("scoreDisplayMode") == "binary"]
    if failed:
        print(f"{'':<18}failed binary audits: {', '.join(sorted(failed))}")
print(f"\ntargets: performance >= {TARGETS['performance']}, accessibility {TARGETS['accessibility']}, "
      f"best practices >= {TARGETS['best-practices']}, CLS 0, first load <= {MAX_KB} KB "
      "(reports in bench/.node/reports/); cpu: Lighthouse's benchmark index of the host during the run "
      "(higher is faster; it falls when other jobs share the machine)")
sys.exit(0 if ok else 1)
PY
