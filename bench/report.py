"""One report of every benchmark of a `make bench` run, with the date and the machine.

    python bench/report.py run NAME -- COMMAND...   # run one bench, keep its output
    python bench/report.py write                    # the report into bench/README.md

`run` keeps the command's output (shown as it runs), exit status, duration and the load
average before and after in bench/out/ (not committed). `write` puts every kept bench, in
the order of the Makefile's run, between the report markers of bench/README.md: the date,
the CPU, cores, memory, Python and Chromium, the load average at each bench's start (the
machine may be shared: read a figure beside it), and each bench's figures. It exits 1 when
a bench exited non-zero (a `--check` missed), after writing.
"""
from __future__ import annotations

import json
import os
import platform
import re
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

BENCH = Path(__file__).resolve().parent
OUT = BENCH / "out"
README = BENCH / "README.md"
START, END = "<!-- report:start -->", "<!-- report:end -->"
# Lines that are the tools' chatter, not figures.
NOISE = re.compile(r"(UserWarning|parse_resource\(|No Moto CloudFormation support|"
                   r"^\s*warnings\.warn|^\{\"ts\": )")


def run(name: str, cmd: list[str]) -> int:
    OUT.mkdir(exist_ok=True)
    started, load = time.time(), os.getloadavg()
    t0 = time.perf_counter()
    lines = []
    with subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True, errors="replace") as proc:
        for line in proc.stdout:
            sys.stdout.write(line)
            sys.stdout.flush()
            lines.append(line)
    meta = {"name": name, "cmd": cmd, "rc": proc.returncode, "started": started,
            "seconds": round(time.perf_counter() - t0, 1), "load_before": load,
            "load_after": os.getloadavg()}
    (OUT / f"{name}.txt").write_text("".join(lines), encoding="utf-8")
    (OUT / f"{name}.json").write_text(json.dumps(meta), encoding="utf-8")
    return proc.returncode


def _machine() -> dict:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "unknown"
    try:
        kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text())[1])
        mem = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, TypeError):
        pass
    chromium = "none"
    try:
        chromium = subprocess.run(["/usr/bin/chromium", "--version"], capture_output=True,
                                  text=True, timeout=20).stdout.strip() or "none"
    except (OSError, subprocess.SubprocessError):
        pass
    return {"cpu": cpu, "cores": os.cpu_count(), "memory": mem,
            "python": platform.python_version(), "chromium": chromium,
            "kernel": platform.release()}


def _load(values) -> str:
    return " ".join(f"{v:.1f}" for v in values)


def _figures(text: str, limit: int = 80) -> str:
    lines = [ln.rstrip() for ln in text.splitlines() if ln.strip() and not NOISE.search(ln)]
    if len(lines) > limit:
        lines = lines[:limit // 2] + [f"... ({len(lines) - limit} lines)"] + lines[-limit // 2:]
    return "\n".join(lines)


def write() -> int:
    metas = sorted((json.loads(p.read_text()) for p in OUT.glob("*.json")),
                   key=lambda m: m["started"])
    if not metas:
        print("nothing to report: run `make bench`", file=sys.stderr)
        return 2
    m = _machine()
    day = datetime.fromtimestamp(metas[0]["started"], UTC)
    out = [START, "",
           f"## Latest figures ({day:%Y-%m-%d %H:%M} UTC, `make bench`, written by "
           "`bench/report.py`)", "",
           f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory']} memory, Linux "
           f"{m['kernel']}, Python {m['python']}, {m['chromium']}. Load average (1, 5, 15 "
           f"min) at the report: {_load(os.getloadavg())}.", "",
           "| bench | result | took | load average at start | after |", "|---|---|---|---|---|"]
    ran = {meta["name"] for meta in metas}
    planned = re.findall(r"\$\(BENCH_RUN\) (\w+) --",
                         (BENCH.parent / "Makefile").read_text(encoding="utf-8"))
    missing = [name for name in planned if name not in ran]
    for meta in metas:
        result = "ok" if meta["rc"] == 0 else f"exit {meta['rc']}"
        out.append(f"| `{meta['name']}` | {result} | {meta['seconds']:.0f} s | "
                   f"{_load(meta['load_before'])} | {_load(meta['load_after'])} |")
    if missing:
        out += ["", f"Not run this time (their figures are in the notes below): "
                    f"{', '.join(missing)}."]
    for meta in metas:
        text = (OUT / f"{meta['name']}.txt").read_text(encoding="utf-8", errors="replace")
        out += ["", f"### {meta['name']}", "",
                f"`{' '.join(Path(c).name if i == 0 else c for i, c in enumerate(meta['cmd']))}`"
                f" at {datetime.fromtimestamp(meta['started'], UTC):%H:%M} UTC, "
                f"load average {_load(meta['load_before'])}:", "", "```",
                _figures(text), "```"]
    out += ["", END]
    doc = README.read_text(encoding="utf-8")
    block = "\n".join(out)
    if START in doc and END in doc:
        doc = doc[:doc.index(START)] + block + doc[doc.index(END) + len(END):]
    else:
        doc = doc.rstrip("\n") + "\n\n" + block + "\n"
    README.write_text(doc, encoding="utf-8")
    failed = [meta["name"] for meta in metas if meta["rc"]]
    print(f"bench/README.md: {len(metas)} benches" +
          (f"; exited non-zero: {', '.join(failed)}" if failed else ""))
    return 1 if failed else 0


def main(argv: list[str]) -> int:
    if argv[:1] == ["run"] and len(argv) >= 4 and argv[2] == "--":
        return run(argv[1], argv[3:])
    if argv == ["write"]:
        return write()
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
