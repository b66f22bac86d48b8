"""The one-machine stack (`python -m infra.local`, what `make run` starts) on a free port, for
the tests that drive it over HTTP: the browser tests and the live contract fuzz."""
from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests import privacy

REPO = Path(__file__).resolve().parents[1]
HEALTH_TIMEOUT_S = 120


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "/api/v1/health", timeout=2) as res:
            return res.status == 200
    except OSError:
        return False


@contextlib.contextmanager
def running_hall(tmp_path_factory, *, env: dict | None = None):
    """Start `python -m infra.local` on a free port with a fresh data dir, wait for its health,
    yield its base URL; stop it afterwards and fail if its log showed a personal number (the
    suite-wide personal-data guard, for the server the tests drove)."""
    port = free_port()
    data_dir = tmp_path_factory.mktemp("hall-data")
    log_path = tmp_path_factory.mktemp("hall-log") / "local.log"
    url = f"http://127.0.0.1:{port}"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "infra.local", "--port", str(port), "--data-dir", str(data_dir)],
            cwd=REPO, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})})
        try:
            deadline = time.monotonic() + HEALTH_TIMEOUT_S
            while not healthy(url):
                if proc.poll() is not None:
                    tail = log_path.read_text()[-3000:]
                    pytest.fail(f"infra.local exited with {proc.returncode}:\n{tail}")
                if time.monotonic() > deadline:
                    tail = log_path.read_text()[-3000:]
                    pytest.fail(f"infra.local not healthy after {HEALTH_TIMEOUT_S}s:\n{tail}")
                time.sleep(0.5)
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
    leaks = [line for line in log_path.read_text(errors="replace").splitlines()
             if privacy.personal_numbers(line)]
    assert not leaks, f"the local stack logged personal numbers: {leaks[:3]}"
