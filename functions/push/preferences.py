"""Use cases of the notification centre a person controls: their preferences (and, acting for
an enterprise, which of its topics reach them), their ledger, verify-a-message."""
from __future__ import annotations

from datetime import datetime

from botocore.exceptions import ClientError

from ..core import clock
from ..core.errors import Conflict, Forbidden, RuleError, Unprocessable
from ..core.store import cancellation_reasons, ddb, rate_hit
from . import ledger_store, preferences_defaults, preferences_store, verify_model, verify_store
from . import preferences_model as pm

# Verify-a-message is public: per address, like the progress lookup.
VERIFY_LIMIT = (20, 600)  # attempts, window (s)


def _enterprise_act(who) -> dict | None:
    act = who.act
    return act if act and act.get("kind") == "enterprise" else None


def _person_facts(settings, account: str) -> dict:
    from ..identity.store import accounts

    return preferences_defaults.person_facts(accounts.get_account(settings, account))


def _enterprise_facts(settings, uscc: str) -> dict:
    from ..identity.store import enterprises

    return preferences_defaults.enterprise_facts(enterprises.registry_org(settings, uscc)
                                                 or enterprises.get_enterprise(settings, uscc)
                                                 or {})


def _view(person: dict, act: dict | None, section: dict | None) -> dict:
    out = {**person, "fixed": list(pm.FIXED_TOPICS)}
    if act:
        out["enterprise"] = {"uscc": act["id"], "role": act.get("role"),
                             "topics": section["topics"]}
    return out


def view(settings, who) -> dict:
    """The caller's preferences, complete (defaults filled); acting for an enterprise also the
    section of its topics that reach them."""
    if who.act and who.act.get("kind") != "enterprise":
        raise Forbidden("Preferences are your own: switch back to yourself to change them.")
    act = _enterprise_act(who)
    person = pm.normalise(preferences_store.stored(settings, who.subject)[0])
    section = None
    if act:
        section = pm.normalise(preferences_store.stored(settings, who.subject, act["id"])[0],
                               role=act.get("role") or "viewer")
    return _view(person, act, section)


def _invalid(err: pm.InvalidPreferences, prefix: str = "") -> Unprocessable:
    return Unprocessable("Some preferences cannot be kept.",
                         details={"fields": {prefix + k: [v] for k, v in err.errors.items()}})


def update(settings, who, change: dict, *, at: datetime) -> dict:
    """Change the caller's preferences (any part; `enterprise: {topics}` only while acting for
    that enterprise) with their topic index rows, in one transaction. 422 for muting legal or
    security notices, unknown topics or channels, bad times, caps out of range; 409 when
    another change landed between the read and the write."""
    if who.act and who.act.get("kind") != "enterprise":
        raise Forbidden("Preferences are your own: switch back to yourself to change them.")
    act = _enterprise_act(who)
    ent_change = change.pop("enterprise", None)
    if ent_change is not None and not act:
        raise RuleError("enterprise", "Choose an enterprise's topics while acting for it.",
                        "请先切换到企业身份再设置企业消息")
    if ent_change is not None and (not isinstance(ent_change, dict)
                                   or set(ent_change) - {"topics"}):
        raise Unprocessable("Some preferences cannot be kept.",
                            details={"fields": {"enterprise": ["an object {topics}"]}})
    stored, rev = preferences_store.stored(settings, who.subject)
    try:
        person = pm.normalise(stored, change)
    except pm.InvalidPreferences as err:
        raise _invalid(err) from err
    table, iso = settings.table_name, clock.iso(at)
    ops = []
    if change or not rev:
        ops += preferences_store.save_items(table, who.subject, doc=person, rev=rev, at=iso,
                                            facts=_person_facts(settings, who.subject))
    section = None
    if act:
        role = act.get("role") or "viewer"
        s_stored, s_rev = preferences_store.stored(settings, who.subject, act["id"])
        try:
            section = pm.normalise(s_stored, ent_change, role=role)
        except pm.InvalidPreferences as err:
            raise _invalid(err, "enterprise.") from err
        if ent_change is not None:
            ops += preferences_store.save_items(
                table, who.subject, doc=section, rev=s_rev, at=iso, enterprise=act["id"],
                role=role, facts=_enterprise_facts(settings, act["id"]))
    if ops:
        try:
            ddb(settings).transact_write_items(TransactItems=ops)
        except ClientError as err:
            if "ConditionalCheckFailed" in cancellation_reasons(err):
                raise Conflict("Your preferences changed meanwhile; reload and try again."
                               ) from err
            raise
    return _view(person, act, section)


# ---- the ledger -------------------------------------------------------------------------------

def ledger(settings, who, *, limit: int, start: dict | None) -> dict:
    """Every message the city sent the caller, on any channel, newest first (their own
    ledger, whoever they act for: it is kept per person)."""
    if start is not None and not ledger_store.valid_start(who.subject, start):
        raise RuleError("cursor", "The cursor is not one of this listing.",
                        "翻页位置无效，请从第一页重新读取")
    items, last = ledger_store.page(settings, who.subject, limit=limit, start=start)
    for item in items:
        if item["code"]:
            item["code"] = verify_model.shown(item["code"])
    return {"items": items, "next": last}


# ---- verify-a-message -------------------------------------------------------------------------

def verify(settings, code_text: str, *, client: str, at: datetime) -> dict:
    """Is this code one a city message carried (in the last 90 days)? Public and rate-limited
    per address; the answer names no person."""
    most, window = VERIFY_LIMIT
    rate_hit(settings, "verify_message", client, limit=most, window=window,
             now_epoch=int(at.timestamp()))
    code = verify_model.read(code_text)
    found = verify_store.lookup(settings, code, now=at) if code else None
    if not found:
        return {"genuine": False}
    return {"genuine": True, **found}
