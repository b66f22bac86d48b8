"""Use cases of a session: the token check on every request, refresh, log out, switch."""
from __future__ import annotations

from datetime import datetime

from ...core import clock, keys
from ...core import store as core_store
from ...core.errors import RuleError, Unauthorized
from .. import cn_ids, model
from ..store import accounts, checks, sessions
from .common import ENDED, Session, Switched, audit, limit, session_limits
from .delegation import acting_for

REPLAYED = "This refresh token was already used; the session has been ended."


def jwks(settings) -> dict:
    return keys.keyring(settings).jwks()


def check_token(settings, who, *, at: datetime) -> None:
    """Every authenticated request: the token's session is live and any delegation holds.
    The session, the legal-representative link and the act's grant are read in one round
    trip; only an act without a grant id that no legal representation answers looks through
    the grants received (a second call: a Query, which no batch read can hold)."""
    act = who.act
    found = checks.request_checks(
        settings, who.session,
        member=(who.subject, act["id"]) if act and act["kind"] == "enterprise" else None,
        grant=(act or {}).get("grant") or None)
    session = found["session"]
    if not session or session["account"] != who.subject \
            or model.session_state(session, at, session_limits(settings)) != "active":
        raise Unauthorized(ENDED)
    if act:
        acting_for(settings, who.subject, act, at=at, known=found)


def refresh(settings, *, refresh_token: str, client: str, at: datetime) -> Session:
    """Rotate the refresh token. A spent one within model.REFRESH_GRACE of its rotation is
    another tab refreshing at the same moment: it gets an access token and no new refresh
    token (the cookie already holds the successor). Spent longer ago it is a replay and ends
    its whole session; a session that ended or is gone is a 401; a busy store is a 503 that
    ends nothing (core.store raises it), so the same token works again on the retry."""
    limit(settings, "verify_ip", client, at)
    digest = model.token_digest(refresh_token)
    found = sessions.get_refresh(settings, digest)
    if not found:
        raise Unauthorized("The refresh token is not valid.")
    session = sessions.get_session(settings, found["session"])
    if session is None:  # gone with its TTL, or removed
        raise Unauthorized(ENDED)
    if found["used"]:
        return _spent(settings, session, found, at)
    if model.session_state(session, at, session_limits(settings)) != "active":
        raise Unauthorized(ENDED)
    new = model.new_token()
    outcome = sessions.rotate_refresh(
        settings, old_digest=digest, new_digest=model.token_digest(new), sid=session["id"],
        at=clock.iso(at), ttl=int(at.timestamp()) + settings.session_seconds,
        audit=audit(None, "refresh", session["id"], at, actor=session["account"]))
    if outcome == "replayed":  # a concurrent refresh spent it a moment ago
        return _spent(settings, session, sessions.get_refresh(settings, digest) or found, at)
    if outcome == "ended":
        raise Unauthorized(ENDED)
    account = accounts.get_account(settings, session["account"])
    return Session(model.access_claims(account, session=session["id"], act=None), new,
                   model.account_view(account))


def _spent(settings, session: dict, found: dict, at: datetime) -> Session:
    """A spent refresh token: another tab's at the same moment (an access token only), or a
    replay (the session ends)."""
    if not model.refresh_in_grace(found.get("used_at"), at):
        _replayed(settings, session, at)
    if model.session_state(session, at, session_limits(settings)) != "active":
        raise Unauthorized(ENDED)
    core_store.audit_only(settings, audit(None, "refresh.grace", session["id"], at,
                                          actor=session["account"]))
    account = accounts.get_account(settings, session["account"])
    return Session(model.access_claims(account, session=session["id"], act=None), None,
                   model.account_view(account))


def _replayed(settings, session: dict, at: datetime):
    sessions.revoke_session(settings, session["id"], audit=audit(
        None, "refresh.reuse", session["id"], at, "revoked", actor=session["account"]))
    raise Unauthorized(REPLAYED)


def log_out(settings, who, *, at: datetime) -> None:
    sessions.revoke_session(settings, who.session, audit=audit(who, "logout", who.session, at))


def switch_identity(settings, who, *, act_as: dict | None, at: datetime) -> Switched:
    """Act for an enterprise or a family member (or for oneself again), in the same session."""
    act = None
    if act_as:
        if act_as["kind"] == "enterprise" and len(act_as["id"]) == 18:
            try:
                act_as = {**act_as, "id": cn_ids.validate_uscc(act_as["id"])}
            except cn_ids.IdError as err:  # the caller's fault, not ours
                raise RuleError("act_as", "The credit code is not valid.", fields={
                    "act_as": {"id": [f"{err.message} ({err.zh})"]}}) from err
        act = acting_for(settings, who.subject, act_as, at=at)
    target = f"{act['kind']}:{act['id']}" if act else f"self:{who.subject}"
    core_store.audit_only(settings, audit(who, "identity.switch", target, at))
    account = accounts.get_account(settings, who.subject)
    return Switched(model.access_claims(account, session=who.session, act=act), act)
