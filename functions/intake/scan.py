"""ClamAV's clamscan on one stored file: the verdict the materials' scan job records.

Which scanner and which signatures come from the environment, read when a scan runs:
  HALL_CLAMSCAN   the clamscan binary (default: `clamscan` on PATH; /opt/bin/clamscan in a layer)
  HALL_CLAMAV_DB  what `clamscan -d` loads: freshclam's database directory in a deployed stage
                  (unset: clamscan's compiled-in default); the local stage defaults to the test
                  signatures in infra/clamav/ because nothing can be downloaded there.
"""
from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

TEST_SIGNATURES = Path(__file__).resolve().parents[2] / "infra" / "clamav"
# A full freshclam database takes tens of seconds to load; the test signatures a few ms.
TIMEOUT_SECONDS = 240
CLEAN, INFECTED, FAILED, PENDING = "clean", "infected", "failed", "pending"
STATUSES = (PENDING, CLEAN, INFECTED, FAILED)


@dataclass(frozen=True)
class Verdict:
    status: str                     # clean | infected | failed
    signature: str | None = None    # what ClamAV found, when infected
    detail: str | None = None       # why the scan failed (no personal data: a path and a code)


def command(settings, path: Path) -> list[str]:
    exe = os.environ.get("HALL_CLAMSCAN") or "clamscan"
    db = os.environ.get("HALL_CLAMAV_DB") or (str(TEST_SIGNATURES) if settings.local else "")
    return [exe, "--no-summary", *(["-d", db] if db else []), "--", str(path)]


def scan_file(settings, path: Path) -> Verdict:
    """clamscan's exit code is the verdict: 0 clean, 1 infected, anything else an error
    (no database, unreadable file) which is a failed scan, never a clean one."""
    try:
        done = subprocess.run(command(settings, path), capture_output=True, text=True,
                              timeout=TIMEOUT_SECONDS, check=False)
    except FileNotFoundError:
        return Verdict(FAILED, detail="clamscan is not installed")
    except subprocess.TimeoutExpired:
        return Verdict(FAILED, detail=f"clamscan took more than {TIMEOUT_SECONDS} s")
    if done.returncode == 0:
        return Verdict(CLEAN)
    if done.returncode == 1:
        found = [line.rsplit(": ", 1)[-1].removesuffix(" FOUND")
                 for line in done.stdout.splitlines() if line.endswith(" FOUND")]
        return Verdict(INFECTED, signature=(found or ["unknown"])[0])
    return Verdict(FAILED, detail=f"clamscan exit {done.returncode}: "
                                  f"{(done.stderr or done.stdout).strip()[-300:]}")
