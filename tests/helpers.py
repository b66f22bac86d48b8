"""Helpers shared by the tests: status assertions and the loaded contract."""
from __future__ import annotations

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SPEC_PATH = ROOT / "openapi.yaml"
SPEC = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))


def ok(resp, status: int = 200):
    """Assert the status and return the JSON body, showing the body when it differs."""
    assert resp.status_code == status, (resp.status_code, resp.get_data(as_text=True)[:2000])
    return resp.get_json()
