"""What identity's use cases share: their results, audit records, rate limits, sessions."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from ...core import clock, pii
from ...core import store as core_store
from .. import model
from ..store import sessions

ENDED = "Your session has ended; please log in again."


@dataclass(frozen=True)
class Session:
    """A session opened or renewed: the claims to sign, the refresh token (None when the
    refresh cookie already holds the current one), the account."""

    claims: dict
    refresh: str | None
    account: dict  # model.account_view


@dataclass(frozen=True)
class Challenge:
    """A login that needs the code texted to the account's phone."""

    id: str
    expires_in: int


@dataclass(frozen=True)
class Switched:
    claims: dict
    acting_as: dict | None


def audit(who, action: str, target: str, at: datetime, result: str = "ok", *,
          actor: str | None = None, detail: dict | None = None,
          subject: str | None = None) -> dict:
    return core_store.audit_record(who, action, target, at=clock.iso(at), result=result,
                                   actor=actor, detail=detail, subject=subject)


def limit(settings, name: str, key: str, at: datetime) -> None:
    most, window = model.LIMITS[name]
    core_store.rate_hit(settings, name, key, limit=most, window=window,
                        now_epoch=int(at.timestamp()))


def phone_hash(settings, phone: str) -> str:
    return pii.keyed_hash(settings, "phone", phone)


def session_limits(settings) -> model.SessionLimits:
    return model.SessionLimits(timedelta(seconds=settings.session_seconds),
                               timedelta(seconds=settings.idle_seconds))


def open_session(settings, account: dict, action: str, at: datetime) -> Session:
    refresh = model.new_token()
    sid = sessions.create_session(
        settings, account_id=account["id"], refresh_digest=model.token_digest(refresh),
        at=clock.iso(at), ttl=int(at.timestamp()) + settings.session_seconds,
        audit=audit(None, action, account["id"], at, actor=account["id"]))
    return Session(model.access_claims(account, session=sid, act=None), refresh,
                   model.account_view(account))
