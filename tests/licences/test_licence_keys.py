"""Licence signing keys: rotation by an administrator (route and CLI), licences signed before
a rotation still verify, new ones are signed by the promoted key, retirees stay published."""
from __future__ import annotations

import json

from tests.helpers import ok
from tests.licences.factories import assert_audited, issue, make_citizen


def published(client) -> dict[str, str]:
    return {k["kid"]: k["status"] for k in ok(client.get("/api/v1/licences/keys"))["keys"]}


def test_rotation_keeps_old_licences_verifiable_and_signs_new_ones_with_the_next_key(
        client, token, settings):
    holder = make_citizen(settings, "陈晓梅")
    before = published(client)
    assert sorted(before.values()).count("signing") == 1 and "next" in before.values()
    old = issue(client, token, holder["id"])
    assert before[old["kid"]] == "signing"
    next_kid = next(kid for kid, state in before.items() if state == "next")

    url = "/api/v1/admin/licence-keys/rotate"
    assert client.post(url, headers=token("officer", department="MZJ")).status_code == 403
    assert client.post(url).status_code == 401
    admin = token("admin", kind="admin", subject="admin-lic")
    rotated = ok(client.post(url, headers=admin))
    after = published(client)
    assert {k["kid"]: k["status"] for k in rotated["keys"]} == after
    assert after[old["kid"]] == "retired" and after[next_kid] == "signing"
    assert set(before) < set(after)  # nothing dropped, a new next key added
    assert_audited(settings, "admin-lic", "licence_keys.rotate", f"key:{next_kid}")

    assert ok(client.get(f"/api/v1/verify/{old['id']}"))["signature_valid"] is True
    new = issue(client, token, holder["id"])
    assert new["kid"] == next_kid
    assert ok(client.get(f"/api/v1/verify/{new['id']}"))["signature_valid"] is True


def test_the_cli_rotates_and_init_keys_changes_nothing_that_exists(app, client, settings):
    runner = app.test_cli_runner()
    before = published(client)
    assert runner.invoke(args=["licences", "init-keys"]).output.strip() == "already present"
    assert published(client) == before
    result = runner.invoke(args=["licences", "rotate-keys"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    after = published(client)
    assert set(out["published"]) == set(after) and after[out["signing"]] == "signing"
    assert all(after[kid] in ("retired", "signing") for kid in before)
    assert_audited(settings, "cli", "licence_keys.rotate", f"key:{out['signing']}")
