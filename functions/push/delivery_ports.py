"""What the delivery worker uses of its neighbours, in one place: the person's preferences and
the decision (preferences_*), the ledger and its cap counters (ledger_store), verify codes
(verify_store), the campaign's counters and state (campaigns_store), the account's phone
(identity)."""
from __future__ import annotations

from datetime import datetime

from . import campaigns_store, ledger_store, preferences_model, preferences_store, verify_store


def _uscc(party: str) -> str | None:
    return party.split(":", 1)[1] if party.startswith("enterprise:") else None


def prefs(settings, recipients: list[dict]) -> dict:
    """{(account, party): preferences} in one batch read (an enterprise's staff member gets
    the section they chose for that enterprise, merged with their own quiet hours)."""
    pairs = [(r["account"], _uscc(r["party"])) for r in recipients]
    got = preferences_store.prefs_of_many(settings, pairs)
    return {(r["account"], r["party"]): got[(r["account"], _uscc(r["party"]))]
            for r in recipients}


def decide(prefs_: dict, message: dict, *, now: datetime, sent_today: int, sent_week: int):
    return preferences_model.decide(prefs_, message, now=now, sent_today=sent_today,
                                    sent_week=sent_week)


def fallback(decision, push_outcome: str) -> list[str]:
    return preferences_model.fallback(decision, push_outcome)


def sent_counts(settings, accounts: list[str], now: datetime) -> dict:
    return ledger_store.sent_counts_many(settings, accounts, now) if accounts else {}


def count_sent(table: str, account: str, now: datetime) -> list[dict]:
    return ledger_store.count_sent(table, account, now)


def ledger_put(table: str, account: str, entry: dict) -> dict:
    return ledger_store.ledger_put(table, account, entry)


def ledger_update(table: str, account: str, *, at: str, message_id: str, channels: dict,
                  status: str) -> dict:
    return ledger_store.ledger_update(table, account, at=at, message_id=message_id,
                                      channels=channels, status=status)


def verify_item(table: str, code: str, summary: dict) -> dict:
    return verify_store.verify_item(table, code, summary)


def count(table: str, campaign: str, **deltas: int) -> dict:
    return campaigns_store.count(table, campaign, **deltas)


def campaign_cancelled(settings, campaign: str) -> bool:
    return campaigns_store.state(settings, campaign) == "cancelled"


def account(settings, account_id: str) -> dict | None:
    from ..core.errors import NotFound
    from ..identity.store import accounts

    try:
        return accounts.get_account(settings, account_id)
    except NotFound:
        return None
