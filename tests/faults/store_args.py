"""Arguments to call every store function directly (the store-level fault sweep).

Each function is called with its required parameters filled by name (ids of this file's own
prefix, so nothing it writes meets another test's data), and OVERRIDES where a function needs
a well-formed record to reach its first storage call.
"""
from __future__ import annotations

import inspect
from datetime import UTC, date, datetime

PREFIX = "FLT1990310"     # this directory's own ids (accounts, enterprises, codes...)
AT = "2031-03-03T09:00:00.000+08:00"
NOW = datetime(2031, 3, 3, 1, 0, tzinfo=UTC)
APP_ID = "MZ20310303990310"


def audit(action: str = "fault.test", target: str = PREFIX) -> dict:
    return {"actor": f"{PREFIX}-officer", "action": action, "target": target, "result": "ok",
            "request_id": None, "at": AT}


def _by_name(settings) -> dict:
    from functions.identity.store import codes

    ref = codes.for_phone(f"{PREFIX}phonehash", "login")
    return {
        "settings": settings, "audit": audit(), "at": AT, "now": NOW, "today": date(2031, 3, 3),
        "day": "2031-03-03", "month": "2031-03", "months": ["2031-03"], "days": ["2031-03-03"],
        "hour": "2031-03-03T09", "due": "2031-03-10", "until": "2031-03-10",
        "since": "2031-03-01T00:00:00.000+08:00",
        "owner": f"person:{PREFIX}", "account": PREFIX, "account_id": PREFIX,
        "subject": f"person:{PREFIX}", "accounts": [PREFIX], "pairs": [(PREFIX, None)],
        "app_id": APP_ID, "lid": f"{PREFIX}L", "licence_id": f"{PREFIX}L", "sid": f"{PREFIX}S",
        "gid": f"{PREFIX}G", "qid": "Q20310303990310", "rid": "R20310303990310",
        "cid": "C20310303990310", "campaign_id": f"{PREFIX}C", "uscc": "91441402MA0FLT0310",
        "id_hash": f"{PREFIX}idhash", "phone_hash": f"{PREFIX}phonehash",
        "phone_mask": "199****0310",
        "digest": f"{PREFIX}digest", "old_digest": f"{PREFIX}digest", "new_digest": f"{PREFIX}new",
        "refresh_digest": f"{PREFIX}digest", "ref": ref, "code": f"{PREFIX}-CODE",
        "key": f"faults/{PREFIX}.pdf", "name": f"{PREFIX}.json", "upload": f"{PREFIX}U",
        "material": "M1", "content_type": "application/pdf", "max_size": 1024, "seconds": 60,
        "region": "441499", "county": "441499", "department": "FLT", "dept": "FLT",
        "matter": "441499-FLT-0001", "segment": f"{PREFIX}seg", "topic": "policy",
        "kind": "person", "holder_kind": "person", "holder_id": PREFIX, "grantor_kind": "person",
        "grantor_id": PREFIX, "state": "open", "status": "open", "shard": "441499",
        "run_id": f"{PREFIX}run", "token": f"{PREFIX}.token", "tail": f"{AT}#{PREFIX}",
        "message_id": f"{PREFIX}M", "limit": 5, "start": None, "window": 60,
        "now_epoch": 1930000000,
        "epoch": 1930000000, "ttl": 1930000000, "expires": 1930000000, "level": 2,
        "who": PREFIX, "job": "faults.noop", "text": "故障注入", "body": b"fault", "q": "故障",
        "password": "Hakka-Tulou#2026", "expected": "submitted", "items": [], "docs": [],
        "notices": [], "extra": [], "kinds": None, "unread": False, "cap": 10, "idem": None,
        "idem_key": None, "notice": None, "role": "staff", "raw": "{}", "doc": {},
        "reason": "fault", "by": f"{PREFIX}-officer", "born_from": "2031-01",
        "born_to": "2031-03", "draft_rev": 1, "previous": [], "officer": None, "colour": None,
        "audience": "person", "clock": "decision", "next_day": None, "after": None,
        "hour_in": None, "last_run": {}, "snapshot_key": "x", "path": None, "end_sessions": [],
        "consume_code": None, "drop": [], "facts": {}, "rev": 0, "enterprise": None,
        "purpose": "login", "salt": "00", "challenge": f"{PREFIX}ch",
        "persons": [], "orgs": [], "sub_id": f"{PREFIX}sub", "actor": f"{PREFIX}-officer",
        "action": "fault.test", "pk": f"RATINGPUB#matter#{PREFIX}",
    }


def call_args(fn, settings, overrides: dict) -> tuple[list, dict] | None:
    """(args, kwargs) for fn, or None when a required parameter has no value by name."""
    values = _by_name(settings)
    name = f"{fn.__module__.removeprefix('functions.')}.{fn.__name__}"
    if name in overrides:
        made = overrides[name](settings)
        return (made, {}) if isinstance(made, list) else made
    args, kwargs = [], {}
    for p in inspect.signature(fn).parameters.values():
        if p.default is not inspect.Parameter.empty or p.kind in (
                inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD):
            continue
        if p.name not in values:
            return None
        if p.kind is inspect.Parameter.KEYWORD_ONLY:
            kwargs[p.name] = values[p.name]
        else:
            args.append(values[p.name])
    return args, kwargs
