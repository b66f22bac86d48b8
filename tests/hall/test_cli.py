"""`flask catalogue import|export|publish`, through the real CLI runner."""
from __future__ import annotations

import csv
import json

from functions.core import clock
from functions.core.auth import Principal
from functions.hall import service, store
from tests.hall.test_officer import MATTER


def run(app, *args):
    result = app.test_cli_runner().invoke(args=["catalogue", *args])
    return result


def test_export_then_import_round_trips_in_json_and_csv(app, settings, tmp_path):
    # A draft stored without the schema's defaults (its materials name no copies, no
    # "required"), as one written before those defaults existed: its re-import is no change.
    admin = Principal("cli-test", "officer", frozenset({"catalogue_admin"}))
    service.create_matter(settings, admin, {**MATTER, "code": "441424-SWJ-0961"},
                          at=clock.now())
    # One with an empty English list, which a CSV's empty column reads as none.
    service.create_matter(settings, admin, {**MATTER, "code": "441424-SWJ-0962",
                                            "aliases_en": []}, at=clock.now())
    out_json, out_csv = tmp_path / "c.json", tmp_path / "c.csv"
    assert run(app, "export", str(out_json)).exit_code == 0
    assert run(app, "export", str(out_csv)).exit_code == 0
    exported = json.loads(out_json.read_text(encoding="utf-8"))
    assert len(exported) >= 400
    rows = list(csv.DictReader(out_csv.open(encoding="utf-8")))
    assert [r["code"] for r in rows] == [m["code"] for m in exported]
    # Re-importing what was exported changes nothing, from either format.
    for path in (out_json, out_csv):
        result = run(app, "import", "--no-publish", str(path))
        assert result.exit_code == 0, result.output
        counts = json.loads(result.output.strip().splitlines()[-1])
        assert counts["created"] == counts["updated"] == 0, counts


def test_an_import_with_one_bad_row_writes_nothing(app, settings, tmp_path):
    exported = tmp_path / "c.json"
    run(app, "export", str(exported))
    rows = json.loads(exported.read_text(encoding="utf-8"))[:3]
    rows[0] = {**rows[0], "name": rows[0]["name"] + "（修订）"}
    rows[2] = {**rows[2], "visits": 9}
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    before = store.pointer(settings)["draft_rev"]
    result = run(app, "import", str(bad))
    assert result.exit_code == 1 and "visits" in result.output
    assert store.get_matter(settings, rows[0]["code"])["name"] != rows[0]["name"]
    assert store.pointer(settings)["draft_rev"] == before


def test_an_import_versions_changed_matters_and_publishes(app, settings, tmp_path):
    exported = tmp_path / "c.json"
    run(app, "export", str(exported))
    row = json.loads(exported.read_text(encoding="utf-8"))[5]
    changed = {**row, "guide": row["guide"] + "（已更新）"}
    path = tmp_path / "one.json"
    path.write_text(json.dumps([changed], ensure_ascii=False), encoding="utf-8")
    version = store.pointer(settings)["version"]
    result = run(app, "import", str(path))
    assert result.exit_code == 0, result.output
    assert json.loads(result.output.strip().splitlines()[-2])["updated"] == 1
    assert store.get_matter(settings, row["code"])["version"] == row["version"] + 1
    assert store.pointer(settings)["version"] == version + 1
