"""The delivery pipeline's pure rules: outcomes of several devices, backoff, the deferral
chain's delays, final states and the ledger's status, the reconciliation, dispatch shards."""
from __future__ import annotations

from datetime import datetime, timedelta

from functions.core import clock
from functions.push import delivery_model as rules
from functions.push.webpush import Outcome


def test_outcomes_of_several_devices_add_up():
    ok, gone, busy = Outcome("delivered", 201), Outcome("gone", 410), Outcome("retry", 429, 7.0)
    assert rules.combine([]).kind == "absent"
    assert rules.combine([gone, ok]).kind == "delivered"
    assert rules.combine([gone, gone]).kind == "gone"
    assert rules.combine([gone, busy, Outcome("retry", 500)]) == rules.PushResult(
        "retry", 3, 7.0, 1)
    assert rules.combine([Outcome("rejected", 400), gone]).kind == "failed"


def test_backoff_honours_retry_after_else_doubles():
    assert rules.backoff(1, 7.0) == 7 and rules.backoff(3, 0.0) == 0
    assert [rules.backoff(n, None) for n in (1, 2, 3, 4)] == [10, 20, 40, 80]
    assert rules.backoff(30, None) == rules.VISIBILITY_MAX
    assert rules.backoff(1, 10 ** 9) == rules.VISIBILITY_MAX


def test_a_deferral_is_chained_in_links_of_at_most_900_seconds():
    now = datetime(2026, 12, 2, 22, 0, tzinfo=clock.CHINA)
    assert rules.delay_until(now + timedelta(hours=10), now) == 900
    assert rules.delay_until(now + timedelta(seconds=30), now) == 30
    assert rules.delay_until(now - timedelta(seconds=30), now) == 0


def test_final_states_and_ledger_status():
    assert rules.final_state(["push"], "delivered", None) == "delivered"
    assert rules.final_state(["push"], "absent", None) == "delivered"  # the inbox has it
    assert rules.final_state(["push"], "gone", None) == "failed"
    assert rules.final_state(["push"], "failed", "sent") == "delivered"
    assert rules.final_state([], None, None) == "delivered"
    assert rules.ledger_status("delivered", "absent", "sent") == "fallback_sms"
    assert rules.ledger_status("delivered", None, "sent") == "delivered"
    assert rules.ledger_status("delivered", "absent", None) == "inbox_only"
    assert rules.counts_for("delivered", push="delivered", sms=None, was_deferred=True) == {
        "delivered": 1, "deferred": -1, "push": 1}


def test_reconciliation_and_shards():
    assert rules.reconciles({"targeted": 4, "delivered": 2, "deferred": 1, "failed": 1})
    assert not rules.reconciles({"targeted": 4, "delivered": 2, "failed": 1})
    assert {rules.shard_of(f"ACCOUNT#{i}") for i in range(200)} == set(
        range(rules.DISPATCH_SHARDS))
    f = rules.dispatch_fields("ACCOUNT#a", "INBOX#x", "2026-12-02T10:00:00.000+08:00")
    assert f["gsi1sk"]["S"] == "2026-12-02T02:00:00Z#ACCOUNT#a#INBOX#x"
    assert len(rules.new_code()) == 8 and not set(rules.new_code()) & set("ILOU")
